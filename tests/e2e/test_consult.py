#!/usr/bin/python3
"""End-to-end: consultation sessions (相談会) and their individual
consultations. A session in 大阪 with three rounds and two experts; three
companies booked; one consultation goes on to an engagement (the link, the
company's wish and the expert's proposed theme kept), one declines for
reason 2 (社内のスケジュールとの競合), one for その他 with its detail; the
timetable and the record of a consultation read back with python-docx and
through LibreOffice; every mistake refused with nothing changed; the
company's region for matching is the session's.

    /usr/bin/python3 tests/e2e/test_consult.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import sys

import docx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_eq, check_pdf_conversion, doc_text, run_suite  # noqa: E402

COMPANIES = ["株式会社甲工業", "乙商事株式会社", "丙製作所"]
EXPERTS = ["清水 俊", "高橋 幸"]


class Case:
    def __init__(self, cli):
        self.cli = cli
        self.ws = os.path.join(cli.tmp, "ws")
        cli.run("init", self.ws)
        self.b("expert", "add", EXPERTS[0], "--regions", "大阪府", "--themes", "policy,assets")
        self.b("expert", "add", EXPERTS[1], "--regions", "大阪府", "--themes", "cloud,incident")
        for name in COMPANIES:
            # 丙製作所 registers no prefecture: its region is the session's.
            pref = [] if name == "丙製作所" else ["--prefecture", "大阪府"]
            self.b("company", "add", name, "--industry", "製造業", "--employees", "30", *pref)
        _, out, _ = self.b("session", "add", "--date", "2024-10-24", "--region", "大阪",
                           "--venue", "大阪商工会議所 4階402号会議室", "--experts", ",".join(EXPERTS))
        check_eq(out, "session 1: 2024-10-24, 大阪商工会議所 4階402号会議室\n", "session add")

    def b(self, *args, check=True):
        return self.cli.run("-C", self.ws, *args, check=check)

    def json(self, *args):
        return json.loads(self.b(*args, "--json")[1])

    def state(self):
        """What a refusal must leave as it was."""
        return (self.json("session", "show", "1"), self.json("consultation", "list"),
                self.b("log")[1], self.json("engagement", "list"))


def test_booking_fills_the_timetable(e, k):
    _, out, _ = k.b("session", "book", "1", COMPANIES[0], "--asked", "取引先からセキュリティ対策の"
                    "状況を聞かれ、何から始めればよいか")
    check_eq(out, "consultation 1: %s, round 1, booth 1 with %s\n" % (COMPANIES[0], EXPERTS[0]),
             "the first free slot")
    _, out, _ = k.b("session", "book", "1", COMPANIES[1], "--expert", EXPERTS[1],
                    "--asked", "クラウドの使い方")
    check_eq(out, "consultation 2: %s, round 1, booth 2 with %s\n" % (COMPANIES[1], EXPERTS[1]),
             "the expert's booth")
    _, out, _ = k.b("session", "book", "1", COMPANIES[2], "--round", "3", "--booth", "1")
    check_eq(out, "consultation 3: %s, round 3, booth 1 with %s\n" % (COMPANIES[2], EXPERTS[0]),
             "a slot asked for")
    s = k.json("session", "show", "1")
    check_eq((s["region"], s["chamber"], s["rounds"]),
             ("大阪", "大阪商工会議所", ["14:50-15:10", "15:15-15:35", "15:40-16:00"]),
             "the programme's rounds and the region's chamber by default")
    check_eq([(b["booth"], b["expert_name"]) for b in s["booths"]], [(1, EXPERTS[0]), (2, EXPERTS[1])],
             "booths")
    check_eq([(c["round"], c["booth"], c["company_name"]) for c in s["consultations"]],
             [(1, 1, COMPANIES[0]), (1, 2, COMPANIES[1]), (3, 1, COMPANIES[2])], "the bookings")


def test_a_booking_cancelled_frees_its_slot(e, k):
    k.b("company", "add", "取消商会", "--industry", "小売業", "--employees", "5")
    _, out, _ = k.b("session", "book", "1", "取消商会")
    check_eq(out, "consultation 4: 取消商会, round 2, booth 1 with %s\n" % EXPERTS[0], "booked")
    _, out, _ = k.b("consultation", "cancel", "4")
    check_eq(out, "consultation 4: booking cancelled, its slot is free\n", "cancelled")
    s = k.json("session", "show", "1")
    check_eq([c["company_name"] for c in s["consultations"]], COMPANIES, "the slot is free again")
    _, log, _ = k.b("log")
    check("consultation 4: booking of 取消商会 in session 1 cancelled" in log, "logged")


def test_mistakes_change_nothing(e, k):
    before = k.state()
    cases = [
        (("session", "book", "1", COMPANIES[0]),
         "company '%s' is booked in session 1 already (consultation 1)" % COMPANIES[0]),
        (("session", "book", "1", "未登録株式会社"), "no company '未登録株式会社'"),
        (("session", "book", "1", COMPANIES[0], "--round", "4"), None),
        (("session", "book", "9", COMPANIES[0]), "no consultation session 9"),
        (("session", "add", "--date", "2024-10-25", "--region", "札幌", "--venue", "x"),
         "--region: 「札幌」は事業の地域（大阪、名古屋、埼玉）ではありません"),
        (("session", "add", "--date", "2024-10-25", "--region", "大阪", "--venue", "x",
          "--rounds", "15:00-14:00"),
         "--rounds: 1番目の「15:00-14:00」は「14:50-15:10」の形の時間帯ではありません"),
        (("session", "add", "--date", "2024-13-01", "--region", "大阪", "--venue", "x"),
         "--date: '2024-13-01' is not a date (YYYY-MM-DD)"),
        (("consultation", "decline", "2", "--reason", "busy"), None),
        (("consultation", "decline", "3", "--reason", "other"),
         "--reason other（その他）には --detail で内容を記入してください"),
        (("consultation", "record", "1", "--theme", "nothing"), "no theme 'nothing' (see 'bansou themes')"),
        (("consultation", "record", "1", "--topics", "a\x1b[2Jb"), "--topics: contains a control character"),
        (("consultation", "engage", "2"), "consultation 2 has no theme wished or proposed: give --theme"),
        (("consultation", "cancel", "9"), "no consultation 9"),
    ]
    for args, msg in cases:
        rc, out, err = k.b(*args, check=False)
        check(rc != 0, "%s refused" % (args,))
        if msg:
            check_eq(err, "bansou: %s\n" % msg, "message of %s" % (args,))
        else:
            check(err.startswith("bansou: ") and len(err.splitlines()) == 1, "%s: %r" % (args, err))
    check_eq(k.state(), before, "nothing changed")


def test_one_goes_on_to_guidance(e, k):
    k.b("consultation", "record", "1", "--topics", "取引先から情報セキュリティ規程の提出を求められたが、"
        "社内に規程がない", "--advice", "まず基本方針と関連規程の整備から始め、取引先の要求に沿って説明できる"
        "ようにする", "--wish", "yes", "--theme", "assets", "--dates", "12月〜翌年2月",
        "--propose", "policy")
    _, out, err = k.b("consultation", "engage", "1")
    check_eq((out, err), ("consultation 1: engagement 1 started\n", ""), "engaged on the proposed theme")
    c = k.json("consultation", "show", "1")
    check_eq((c["outcome"], c["engagement_id"], c["wish"], c["wished_theme"], c["proposed_theme"],
              c["wished_dates"]), ("engaged", 1, True, "assets", "policy", "12月〜翌年2月"),
             "the link, the company's wish and the proposed theme kept")
    eng = k.json("engagement", "show", "1")
    check_eq((eng["company_name"], eng["expert_name"], eng["theme"]),
             (COMPANIES[0], EXPERTS[0], "policy"), "the engagement")
    _, log, _ = k.b("log")
    check(("engagement 1: %s × %s on theme policy; from consultation 1; match: rank 1 of 2"
           % (COMPANIES[0], EXPERTS[0])) in log, "the engagement's event: %s" % log[-300:])
    rc, _, err = k.b("consultation", "record", "1", "--advice", "追記", check=False)
    check_eq((rc, err), (1, "bansou: consultation 1 led to engagement 1 already\n"),
             "a consultation with its outcome is closed")
    rc, _, err = k.b("consultation", "engage", "1", "--theme", "cloud", check=False)
    check_eq((rc, err), (1, "bansou: consultation 1 led to engagement 1 already\n"), "engaged once")
    rc, _, err = k.b("consultation", "cancel", "1", check=False)
    check_eq((rc, err), (1, "bansou: consultation 1 led to engagement 1 already\n"),
             "an engaged consultation cannot be cancelled")


def test_two_decline(e, k):
    k.b("consultation", "record", "2", "--topics", "クラウドの共有設定", "--wish", "no")
    _, out, _ = k.b("consultation", "decline", "2", "--reason", "schedule")
    check_eq(out, "consultation 2: does not go on to guidance (schedule)\n", "reason 2")
    k.b("consultation", "decline", "3", "--reason", "other", "--detail", "来年度に改めて検討したい")
    rc, _, err = k.b("consultation", "cancel", "2", check=False)
    check_eq((rc, err), (1, "bansou: consultation 2 was declined already\n"), "no cancel after a decline")
    got = [(c["id"], c["outcome"], c["decline_reason"], c["decline_detail"])
           for c in k.json("consultation", "list")]
    check_eq(got, [(1, "engaged", None, None), (2, "declined", "schedule", None),
                   (3, "declined", "other", "来年度に改めて検討したい")], "the outcomes")
    rc, _, err = k.b("consultation", "engage", "2", "--theme", "cloud", check=False)
    check_eq((rc, err), (1, "bansou: consultation 2 was declined already\n"), "declined stays declined")
    reasons = k.json("consultation", "reasons")
    check_eq([(r["no"], r["text"]) for r in reasons],
             [(1, "相談ごとを、個別相談で解消できた"), (2, "社内のスケジュールとの競合"),
              (3, "現状、訪問支援を求めている"), (4, "その他")], "図表 2-66's reasons")


def test_the_timetable_as_printed(e, k):
    _, out, _ = k.b("session", "timetable", "1")
    path = os.path.join(k.ws, out.strip())
    check(os.path.isfile(path), "written at %s" % path)
    check_eq(os.path.basename(path), "相談会タイムテーブル.docx", "its name")
    d = docx.Document(path)
    text = "\n".join(doc_text(path))
    for want in ("サイバーセキュリティ相談会", "大阪商工会議所 4階402号会議室", "令和6年10月24日",
                 EXPERTS[0], EXPERTS[1], "取引先からセキュリティ対策の状況を聞かれ"):
        check(want in text, "%s in the timetable" % want)
    rows = [[c.text.strip() for c in r.cells] for t in d.tables for r in t.rows]
    slots = [r for r in rows if any(c.startswith("ブース") for c in r)]
    check_eq(len(slots), 6, "3 rounds × 2 booths: %r" % slots)
    booked = [r for r in slots if any(c in COMPANIES for c in r)]
    check_eq(sorted(next(c for c in r if c in COMPANIES) for r in booked), sorted(COMPANIES),
             "every booked company in its slot")
    check_eq(sum(1 for r in slots if "（空き）" in r), 3, "the free slots say so")
    first = next(r for r in slots if COMPANIES[0] in r)
    check(EXPERTS[0] in first and "1回目 14:50〜15:10" in first,
          "round 1 at 14:50 with its expert: %r" % first)
    check_pdf_conversion(e, [path], os.path.join(e.tmp, "pdf-timetable"), k.ws)


def test_the_record_as_printed(e, k):
    _, out, _ = k.b("consultation", "document", "1")
    path = os.path.join(k.ws, out.strip())
    check_eq(os.path.basename(path), "個別相談記録_001_%s.docx" % COMPANIES[0], "its name")
    text = "\n".join(doc_text(path))
    for want in (COMPANIES[0], EXPERTS[0], "取引先から情報セキュリティ規程の提出を求められた",
                 "まず基本方針と関連規程の整備から始め", "希望する", "情報資産の洗い出しとリスク分析",
                 "情報セキュリティ規程の整備", "12月〜翌年2月", "マネジメント指導へ移行",
                 "指導 1 として開始", "1回目 14:50〜15:10・ブース1"):
        check(want in text, "%s in the record" % want)
    _, out, _ = k.b("consultation", "document", "3")
    text = "\n".join(doc_text(os.path.join(k.ws, out.strip())))
    check("マネジメント指導へ移行しない" in text and "4. その他（来年度に改めて検討したい）" in text,
          "a decline with its reason and detail")
    check_pdf_conversion(e, [path], os.path.join(e.tmp, "pdf-record"), k.ws)


def test_the_region_is_the_sessions(e, k):
    res = k.json("match", COMPANIES[2], "--theme", "policy")
    check_eq((res["prefecture"], res["region"]), (None, "大阪"),
             "a company without a prefecture takes the region of its session")
    check_eq(res["candidates"][0]["reasons"][0], "地域：大阪地域（大阪府）を担当",
             "the experts serving a prefecture of the region serve it")
    # A consultation held and recorded is declined, not cancelled.
    _, out, _ = k.b("session", "book", "1", "取消商会")
    k.b("consultation", "record", out.split()[1].rstrip(":"), "--topics", "USBメモリの扱い")
    rc, _, err = k.b("consultation", "cancel", out.split()[1].rstrip(":"), check=False)
    check_eq((rc, err), (1, "bansou: consultation 5 was held and recorded: it stays (decline it"
                            " instead)\n"), "a recorded consultation stays")


TESTS = [test_booking_fills_the_timetable, test_a_booking_cancelled_frees_its_slot,
         test_mistakes_change_nothing,
         test_one_goes_on_to_guidance, test_two_decline, test_the_timetable_as_printed,
         test_the_record_as_printed, test_the_region_is_the_sessions]


if __name__ == "__main__":
    sys.exit(run_suite("consult", TESTS, Case))
