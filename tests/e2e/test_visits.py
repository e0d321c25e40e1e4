#!/usr/bin/python3
"""End-to-end tests of what the visit documents take from the record
(issue 18, "from what was recorded, not from placeholders"): a visit's time,
place and form and the expert's contact in the plan and the requests; the
findings, issues and agreements of a visit in its report, refused without
findings; the final report's 専門家の所見 from what the expert recorded and
its deliverables from the documents that exist.

    /usr/bin/python3 tests/e2e/test_visits.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import subprocess
import sys

from harness import check, check_eq, company_folder, doc_text, run_suite, table_rows

COMPANY = "株式会社テスト精工"


class Case:
    """One engagement on the incident theme (engagement 1), walked in order."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", COMPANY, "--industry", "製造業", "--employees", "25",
              "--contact", "森 達也", "--contact-role", "総務課長")
        e.run(*self.c, "expert", "add", "専門 花子", "--themes", "incident",
              "--affiliation", "花子情報セキュリティ事務所", "--phone", "06-0000-0000")
        e.run(*self.c, "engage", "1", "incident", "--expert", "1")
        self.out = os.path.join(self.ws, "out", company_folder(1, COMPANY), "incident")

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)

    def doc(self, n, name):
        return os.path.join(self.out, "visit-%d" % n, name)


def row(path, label):
    """The cells after `label` in the first table row that starts with it."""
    for r in table_rows(path):
        if r and r[0] == label:
            return r[1:]
    return None


def paragraphs_after(path, heading, until):
    """The paragraphs between the heading and the next one starting `until`."""
    texts = [t for t in doc_text(path)]
    i = texts.index(heading)
    out = []
    for t in texts[i + 1:]:
        if t.startswith(until):
            break
        out.append(t)
    return out


def test_plan_shows_time_place_and_contact(e, k):
    k.b("expert", "edit", "1", "--phone", "06-1111-2222", "--email", "hanako@example.jp")
    _, out, _ = k.b("expert", "show", "1", "--json")
    x = json.loads(out)
    check_eq([x["affiliation"], x["phone"], x["email"]],
             ["花子情報セキュリティ事務所", "06-1111-2222", "hanako@example.jp"], "the expert's contact")
    k.b("visit", "plan", "1", "1", "--date", "2025-09-04", "--time", "13:30-15:30",
        "--place", "本社 2階会議室", "--onsite")
    k.b("visit", "prepare", "1", "1")
    plan = k.doc(1, "第1回_訪問計画書.docx")
    check("13:30–15:30" in row(plan, "日時")[0], "the plan's time: %s" % row(plan, "日時"))
    check_eq(row(plan, "場所"), ["本社 2階会議室"], "the plan's place")
    check_eq(row(plan, "担当専門家"), ["専門 花子　花子情報セキュリティ事務所"], "the plan's expert")
    contact = ["電話 06-1111-2222　メール hanako@example.jp"]
    check_eq(row(plan, "連絡先"), contact, "the plan's contact")
    req = k.doc(1, "第1回_事前依頼事項.docx")
    check_eq(row(req, "訪問日時・場所"), ["第1回　令和7年9月4日（2025年9月4日）　木曜日　13:30–15:30　本社 2階会議室"],
             "the requests' time and place")
    check_eq(row(req, "連絡先"), contact, "the requests' contact")
    # An online visit says so; the agenda starts at the time given.
    k.b("visit", "plan", "1", "2", "--date", "2025-10-02", "--time", "9:00-11:00",
        "--place", "Microsoft Teams", "--online")
    k.b("generate", "1", "--visit", "2", "--only", "visit-plan")
    plan2 = k.doc(2, "第2回_訪問計画書.docx")
    check_eq(row(plan2, "場所"), ["オンライン（Microsoft Teams）"], "an online visit's place")
    rows = table_rows(plan2)
    first = rows[[r[0] for r in rows].index("時間") + 1][0]
    check(first.startswith("9:00–"), "the agenda starts at 9:00: %s" % first)
    code, _, err = k.b("visit", "plan", "1", "3", "--date", "2025-11-06", "--time", "12:00-11:00",
                       check=False)
    check_eq((code, err), (1, "bansou: --time: '12:00-11:00' ends before it starts\n"),
             "a time span that ends before it starts")


def test_report_refused_without_findings(e, k):
    k.b("task", "done", "1", "1", "--all")
    k.b("visit", "hold", "1", "1", "--date", "2025-09-04", "--attendees", "総務課長 森 達也")
    code, out, err = k.b("visit", "report", "1", "1", check=False)
    check_eq((code, out, err), (1, "", "bansou: 実施報告書: visit 1 has no findings recorded: "
                                "give them with 'bansou visit record 1 1 --findings TEXT'\n"),
             "the report without findings")
    check(not os.path.exists(k.doc(1, "第1回_実施報告書.docx")), "no report was written")
    _, out, _ = k.b("engagement", "show", "1", "--json")
    check_eq(json.loads(out)["visits"][0]["state"], "held", "the visit is still held, not reported")


def test_report_lists_issues_and_agreements(e, k):
    k.b("visit", "record", "1", "1",
        "--findings", "NASのバックアップは取得しているが、復元を試したことがない。\n休日の連絡手段が決まっていない。",
        "--issues", "復元手順が文書になっていない; 保守業者の緊急連絡先が社内で共有されていない",
        "--agreed", "次回までに体制・連絡先シートを埋め、NASの復元を一度試す")
    k.b("visit", "report", "1", "1")
    rep = k.doc(1, "第1回_実施報告書.docx")
    check_eq(paragraphs_after(rep, "4．所見", "5．"),
             ["・NASのバックアップは取得しているが、復元を試したことがない。", "・休日の連絡手段が決まっていない。"],
             "section 4 holds the findings")
    check_eq(paragraphs_after(rep, "5．企業の課題", "未実施"),
             ["・復元手順が文書になっていない", "・保守業者の緊急連絡先が社内で共有されていない"],
             "section 5 lists the issues")
    texts = doc_text(rep)
    check("次回までに取り組むこととして、次の事項を合意しました。" in texts
          and "・次回までに体制・連絡先シートを埋め、NASの復元を一度試す" in texts, "the agreement is reported")
    check(not any("課題として挙げた事項はありません" in t for t in texts), "no 'no issues' sentence")


def fill(e, k, sheet, *values):
    """The company fills in a worksheet (scripts/demo-fill) and it is imported."""
    blank, filled = os.path.join(e.tmp, "blank.xlsx"), os.path.join(e.tmp, "filled.xlsx")
    k.b("worksheet", "1", sheet, "-o", blank)
    subprocess.run(["/usr/bin/python3", os.path.join(e.root, "scripts", "demo-fill"), sheet, blank,
                    filled, "4", *values], check=True, capture_output=True)
    k.b("import", "1", filled)


def test_last_report_speaks_of_no_next_visit(e, k):
    fill(e, k, "incident-team", "最高責任者=代表取締役/精工 一郎/090-3000-0001",
         "対応責任者=総務課長/森 達也/090-3000-0002", "受付・連絡窓口=総務/高橋 翼/06-300-0003",
         "技術対応=製造課/佐々木 誠/090-3000-0004", "vendor=関西ネットサポート/06-300-0099")
    for n, d in ((2, "2025-10-02"), (3, "2025-11-06")):
        if n == 3:
            k.b("visit", "plan", "1", "3", "--date", d)
            fill(e, k, "incident-exercise", "gaps=2", "owner=総務課長 森")
        k.b("task", "done", "1", str(n), "--all")
        k.b("visit", "hold", "1", str(n), "--date", d, "--findings", "第%d回の所見" % n,
            "--issues", "課題%d" % n, "--agreed", "半年後に手順書を見直す")
        k.b("visit", "report", "1", str(n))
    texts = doc_text(k.doc(3, "第3回_実施報告書.docx"))
    check_eq([t for t in texts if "次回" in t], [], "the last visit's report mentions no next visit")
    check("6．今後に向けて" in texts and "今後の取り組みとして、次の事項を合意しました。" in texts,
          "the last report speaks of what comes after")
    texts2 = doc_text(k.doc(2, "第2回_実施報告書.docx"))
    check("6．次回に向けて" in texts2, "an earlier report speaks of the next visit")


def test_final_report_from_the_record(e, k):
    k.b("engagement", "complete", "1")
    code, out, err = k.b("engagement", "final-report", "1", check=False)
    check_eq((code, out, err), (1, "", "bansou: 最終報告書: the expert's findings for the engagement "
                                "are not recorded: give them with 'bansou engagement final-report 1 "
                                "--findings TEXT'\n"), "the final report without findings")
    check(not os.path.exists(os.path.join(k.out, "final", "最終報告書.docx")), "no final report written")
    k.b("engagement", "final-report", "1", "--findings",
        "経営者が初動の判断に関わる体制ができた。\n演習で挙がった連絡の遅れは、半年後の見直しで確かめる必要がある。")
    final = os.path.join(k.out, "final", "最終報告書.docx")
    texts = doc_text(final)
    i = texts.index("7．専門家の所見")
    check("経営者が初動の判断に関わる体制ができた。\n演習で挙がった連絡の遅れは、半年後の見直しで確かめる必要がある。"
          in texts, "the findings are in the final report: %s" % texts[i:i + 4])
    # The deliverables are the documents of the engagement that exist, but
    # the visit paperwork.
    _, out, _ = k.b("documents", "1", "--json")
    paperwork = {"visit-plan", "requests", "hearing", "self-diagnosis", "visit-report",
                 "final-report", "schedule"}
    expected, seen = [], set()
    for d in json.loads(out):
        if d["doc"] not in paperwork and d["status"] == "ok" and d["title"] not in seen:
            seen.add(d["title"])
            expected.append(d["title"])
    rows = table_rows(final)
    head = [r[0] for r in rows].index("No.", [r[1] if len(r) > 1 else "" for r in rows].index("成果物"))
    listed = []
    for r in rows[head + 1:]:
        if not r[0].isdigit():
            break
        listed.append(r[1].split("\n")[0])
    check_eq(listed, expected, "the final report's deliverables")
    check(expected, "the engagement has deliverables")
    for absent in ("研修資料", "受講後アンケート", "対策実行計画", "自社診断結果のまとめ"):
        check(not any(absent in t for t in texts), "the final report names no %s" % absent)


TESTS = [test_plan_shows_time_place_and_contact, test_report_refused_without_findings,
         test_report_lists_issues_and_agreements, test_last_report_speaks_of_no_next_visit,
         test_final_report_from_the_record]


if __name__ == "__main__":
    sys.exit(run_suite("visits", TESTS, Case))
