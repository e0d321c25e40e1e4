#!/usr/bin/python3
"""End-to-end tests of what bansou keeps of the record: a document the user
edited is never written over silently (refused, or with --force kept under a
dated name first, both logged), the worksheets written are listed with the
documents, and every document carries the date of the workflow step it
belongs to (prepared, submitted, ended), printed as 令和 with the Western
date.

    /usr/bin/python3 tests/e2e/test_record.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import datetime
import json
import os
import sys
import zipfile

import docx
import openpyxl

from harness import (Engagement, never_closed_copy, check, check_eq, company_folder, data_rows, doc_text, era,
                     run_suite, table)

COMPANY = "株式会社記録テスト"
FOLDER = company_folder(1, COMPANY)
TODAY = datetime.date.today().isoformat()


class Case(Engagement):
    def __init__(self, e):
        super().__init__(e, COMPANY, "policy", ["--industry", "製造業", "--employees", "30"])

    def v1(self, name):
        return os.path.join(self.out("visit-1"), name)


def add_paragraph(path, text):
    d = docx.Document(path)
    d.add_paragraph(text)
    d.save(path)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_plan_dated_when_prepared(e, k):
    k.b("visit", "plan", "1", "1", "--date", "2025-09-04")
    k.b("visit", "prepare", "1", "1", "--date", "2025-08-28")
    texts = doc_text(k.v1("第1回_訪問計画書.docx"))
    check("作成日　" + era("2025-08-28") in texts,
          "the plan is dated the day it was prepared: %r" % [t for t in texts if "作成日" in t])
    check(any(era("2025-09-04") in t for t in texts), "the visit's date in 令和 and Western form")
    _, out, _ = k.b("engagement", "show", "1", "--json")
    check_eq(json.loads(out)["visits"][0]["prepared_date"], "2025-08-28", "the day is recorded")


def test_prepare_date_checked(e, k):
    code, _, err = k.b("visit", "prepare", "1", "1", "--date", "2999-01-01", check=False)
    check_eq((code, err), (1, "bansou: --date: 2999-01-01 is in the future (today is %s)\n" % TODAY),
             "a pack prepared in the future")


def test_edited_document_refused(e, k):
    plan = k.v1("第1回_訪問計画書.docx")
    add_paragraph(plan, "社内で追記した段落")
    before = read(plan)
    code, out, err = k.b("visit", "prepare", "1", "1", check=False)
    want = ("bansou: out/%s/policy/visit-1/第1回_訪問計画書.docx was edited since it was written: "
            "keep your copy elsewhere, or give --force to keep it as "
            "第1回_訪問計画書.edited-%s.docx and write it anew\n" % (FOLDER, TODAY))
    check_eq((code, out, err), (1, "", want), "regenerating an edited plan")
    check(read(plan) == before, "the edited plan is left as it was")


def test_three_edited_named_nothing_written(e, k):
    names = ["第1回_訪問計画書.docx", "第1回_事前依頼事項.docx", "ヒアリングシート.docx"]
    for n in names[1:]:
        add_paragraph(k.v1(n), "社内で追記した段落")
    sheet = k.v1("5分でできる情報セキュリティ自社診断.xlsx")
    os.utime(sheet, (1000000000, 1000000000))
    before = {n: read(k.v1(n)) for n in names}
    code, _, err = k.b("visit", "prepare", "1", "1", check=False)
    check(code == 1, "refused: %r" % err)
    shown = ["out/%s/policy/visit-1/%s" % (FOLDER, n) for n in names]
    want = ("bansou: %s, %s and %s were edited since they were written: keep your copies "
            "elsewhere, or give --force to keep each under a dated name "
            "(第1回_訪問計画書.edited-%s.docx) and write them anew\n" % (*shown, TODAY))
    check_eq(err, want, "all three named")
    for n in names:
        check(read(k.v1(n)) == before[n], "%s left as it was" % n)
    check(os.stat(sheet).st_mtime == 1000000000, "nothing else of the pack was written either")
    check(not [f for f in os.listdir(k.out("visit-1")) if ".edited-" in f],
          "no copy made without --force")


def test_force_keeps_a_dated_copy(e, k):
    k.b("visit", "prepare", "1", "1", "--force")
    d = k.out("visit-1")
    kept = os.path.join(d, "第1回_訪問計画書.edited-%s.docx" % TODAY)
    check(os.path.isfile(kept), "the edited plan kept: %s" % sorted(os.listdir(d)))
    check("社内で追記した段落" in doc_text(kept), "the kept copy holds the edit")
    check("社内で追記した段落" not in doc_text(k.v1("第1回_訪問計画書.docx")), "the new plan is fresh")
    _, out, _ = k.b("documents", "1", "--json")
    status = {os.path.basename(x["path"]): x["status"] for x in json.loads(out)}
    check_eq(status["第1回_訪問計画書.docx"], "ok", "the new plan is the one recorded")
    _, log, _ = k.b("log", "1")
    rel = "out/%s/policy/visit-1/" % FOLDER
    for n in ("第1回_訪問計画書", "第1回_事前依頼事項", "ヒアリングシート"):
        line = "document.keep        %s%s.docx was edited since it was written: kept as %s%s.edited-%s.docx" % (
            rel, n, rel, n, TODAY)
        check(line in log, "the keeping is logged: %s" % n)
    check(log.count("document.generate    visit-plan: ") == 2, "each writing of the plan is logged")
    # Kept twice on one day: the second copy gets a name of its own.
    add_paragraph(k.v1("第1回_訪問計画書.docx"), "二度目の追記")
    k.b("visit", "prepare", "1", "1", "--force")
    again = os.path.join(d, "第1回_訪問計画書.edited-%s-2.docx" % TODAY)
    check("二度目の追記" in doc_text(again), "a second copy of the day: %s" % sorted(os.listdir(d)))
    check("社内で追記した段落" in doc_text(kept), "the first copy untouched")


def test_deleted_file_written_again(e, k):
    os.remove(k.v1("ヒアリングシート.docx"))
    k.b("visit", "prepare", "1", "1")
    check(os.path.isfile(k.v1("ヒアリングシート.docx")), "a deleted document is written again")


def test_worksheet_listed_and_guarded(e, k):
    _, out, _ = k.b("worksheet", "1", "regulation-check")
    path = out.strip()
    _, out, _ = k.b("documents", "1", "--json")
    rows = [x for x in json.loads(out) if x["path"] == path]
    check(len(rows) == 1, "the worksheet is listed with the documents: %s" % out[-600:])
    check_eq((rows[0]["doc"], rows[0]["status"], rows[0]["visit"]), ("regulation-check", "ok", None),
             "as written")
    _, out, _ = k.b("documents", "1")
    check(any(path in l and " ok " in l for l in out.splitlines()), "and in the table: %s" % out)
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A1"] = "会社で書き換えた"
    wb.save(path)
    _, out, _ = k.b("documents", "1", "--json")
    check_eq([x["status"] for x in json.loads(out) if x["path"] == path], ["edited"], "an edit seen")
    code, _, err = k.b("worksheet", "1", "regulation-check", check=False)
    rel = os.path.relpath(path, k.ws)
    want = ("bansou: %s was edited since it was written: keep your copy elsewhere, or give --force "
            "to keep it as %s and write it anew\n"
            % (rel, os.path.basename(path).replace(".xlsx", ".edited-%s.xlsx" % TODAY)))
    check_eq((code, err), (1, want), "an edited worksheet is not written over")
    k.b("worksheet", "1", "regulation-check", "--force")
    kept = path.replace(".xlsx", ".edited-%s.xlsx" % TODAY)
    check_eq(openpyxl.load_workbook(kept).worksheets[0]["A1"].value, "会社で書き換えた", "kept")
    _, log, _ = k.b("log", "1")
    check("document.keep" in log and os.path.basename(kept) in log, "and logged")
    # A result sheet is dated the day it was made, in 令和 and Western form.
    _, out, _ = k.b("worksheet", "1", "self-diagnosis-summary")
    wb = openpyxl.load_workbook(out.strip())
    cells = [c.value for row in wb.worksheets[0].iter_rows(max_row=20) for c in row]
    check(era(TODAY) in cells, "作成日 as every date: %r" % [c for c in cells if c and "年" in str(c)])


def edit_sheet(path, text):
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A1"] = text
    wb.save(path)


def refusal(rel, kept):
    return ("bansou: %s was edited since it was written: keep your copy elsewhere, or give --force "
            "to keep it as %s and write it anew\n" % (rel, kept))


def test_engagement_schedule_guarded(e, k):
    _, out, _ = k.b("schedule", "1")
    path = out.strip()
    check_eq(path, os.path.join(k.out(), "スケジュール.xlsx"), "where the schedule goes")
    edit_sheet(path, "会社で書き換えた工程")
    code, out, err = k.b("schedule", "1", check=False)
    rel = os.path.relpath(path, k.ws)
    check_eq((code, out, err), (1, "", refusal(rel, "スケジュール.edited-%s.xlsx" % TODAY)),
             "an edited schedule is not written over")
    k.b("schedule", "1", "--force")
    kept = os.path.join(k.out(), "スケジュール.edited-%s.xlsx" % TODAY)
    check_eq(openpyxl.load_workbook(kept).worksheets[0]["A1"].value, "会社で書き換えた工程",
             "the edited schedule kept")
    _, log, _ = k.b("log", "1")
    check("document.keep        %s was edited since it was written: kept as %s"
          % (rel, os.path.relpath(kept, k.ws)) in log, "the keeping logged:\n%s" % log[-800:])


def test_programme_schedule_guarded(e, k):
    _, out, _ = k.b("schedule", "--all")
    path = out.strip()
    check_eq(path, os.path.join(k.ws, "out", "全体スケジュール.xlsx"), "where the programme's goes")
    _, log, _ = k.b("log")
    check("document.generate    programme-schedule: %s" % path in log,
          "the writing is logged:\n%s" % log[-600:])
    k.b("schedule", "--all")  # unedited: written again without a word
    edit_sheet(path, "事務局で書き換えた")
    before = read(path)
    code, out, err = k.b("schedule", "--all", check=False)
    check_eq((code, out, err),
             (1, "", refusal("out/全体スケジュール.xlsx", "全体スケジュール.edited-%s.xlsx" % TODAY)),
             "an edited programme schedule is not written over")
    check(read(path) == before, "left as it was")
    k.b("schedule", "--all", "--force")
    kept = os.path.join(k.ws, "out", "全体スケジュール.edited-%s.xlsx" % TODAY)
    check_eq(openpyxl.load_workbook(kept).worksheets[0]["A1"].value, "事務局で書き換えた",
             "the edited workbook kept")
    check(openpyxl.load_workbook(path).worksheets[0]["A1"].value != "事務局で書き換えた",
          "and written anew")
    _, log, _ = k.b("log")
    check("document.keep        out/全体スケジュール.xlsx was edited since it was written: kept as "
          "out/全体スケジュール.edited-%s.xlsx" % TODAY in log, "the keeping logged:\n%s" % log[-800:])
    check_eq(log.count("document.generate    programme-schedule: "), 3, "each writing logged")
    # Written elsewhere with --output, it is guarded there as well.
    other = k.path("schedule-all.xlsx")
    k.b("schedule", "--all", "--output", other)
    edit_sheet(other, "事務局で書き換えた")
    code, _, err = k.b("schedule", "--all", "--output", other, check=False)
    check_eq((code, err), (1, refusal(other, "schedule-all.edited-%s.xlsx" % TODAY)),
             "an edited workbook given with --output")


def test_report_dated_when_submitted(e, k):
    k.b("task", "done", "1", "1", "--all")
    k.b("visit", "hold", "1", "1", "--date", "2025-09-04", "--findings", "試験の所見")
    code, _, err = k.b("visit", "report", "1", "1", "--date", "2025-09-01", check=False)
    check_eq((code, err), (1, "bansou: --date: 2025-09-01 is before visit 1 was held (2025-09-04)\n"),
             "a report before its visit")
    k.b("visit", "report", "1", "1", "--date", "2025-09-08")
    texts = doc_text(k.v1("第1回_実施報告書.docx"))
    check(any(era("2025-09-08") in t for t in texts), "the report carries the day it was submitted")
    check(not any(TODAY.replace("-", "") in t or era(TODAY) in t for t in texts)
          or TODAY == "2025-09-08", "and not today")


def test_final_report_dated_when_ended(e, k):
    for n, d in ((2, "2025-10-02"), (3, "2025-11-06")):
        k.b("visit", "plan", "1", str(n), "--date", d)
        k.b("visit", "hold", "1", str(n), "--date", d, "--findings", "試験の所見")
    code, _, err = k.b("engagement", "complete", "1", "--date", "2025-11-01", check=False)
    check_eq((code, err), (1, "bansou: --date: 2025-11-01 is before visit 3 was held (2025-11-06)\n"),
             "an end before the last visit")
    k.b("engagement", "complete", "1", "--date", "2025-11-20")
    _, out, _ = k.b("engagement", "show", "1", "--json")
    check_eq(json.loads(out)["ended_on"], "2025-11-20", "the day it ended is recorded")
    k.b("engagement", "final-report", "1", "--findings", "試験の所見")
    texts = doc_text(os.path.join(k.out("final"), "最終報告書.docx"))
    check(any(era("2025-11-20") in t for t in texts),
          "the final report carries the day the engagement ended: %r" % texts[:12])
    check(not any(era(TODAY) in t for t in texts), "not the day it was generated")


def incident_engagement(k):
    """Engagement 2: the company on the incident theme, its team imported and
    visit 3 planned, whose pack has the expert's script beside it."""
    k.b("expert", "add", "専門 次郎", "--themes", "incident")
    k.b("engage", COMPANY, "incident", "--expert", "2")
    team = k.path("team.xlsx")
    k.b("worksheet", "2", "incident-team", "-o", team)
    wb = openpyxl.load_workbook(team)
    ws = wb["対応体制"]
    header, cols = table(ws, "役割")
    for r in data_rows(ws, header):
        if ws.cell(r, cols["必須"]).value == "◎":
            ws.cell(r, cols["氏名"]).value = "記録 太郎"
    wb.save(team)
    k.b("import", "2", team)
    k.b("visit", "plan", "2", "3", "--date", "2025-11-06")
    k.b("visit", "prepare", "2", "3")
    return os.path.join(k.ws, "out", FOLDER, "incident")


def test_prepare_guards_the_experts_papers_with_the_pack(e, k):
    top = incident_engagement(k)
    pack, expert = os.path.join(top, "visit-3"), os.path.join(top, "expert")
    script = os.path.join(expert, "第3回_机上演習シナリオ_進行役用.docx")
    plan = os.path.join(pack, "第3回_訪問計画書.docx")
    check(os.path.isfile(script) and os.path.isfile(plan), "the pack and the expert's script")
    add_paragraph(script, "進行役のメモ")
    for f in os.listdir(pack):
        os.utime(os.path.join(pack, f), (1000000000, 1000000000))
    _, log, _ = k.b("log", "2")
    code, out, err = k.b("visit", "prepare", "2", "3", check=False)
    rel = os.path.relpath(script, k.ws)
    check_eq((code, out, err),
             (1, "", refusal(rel, "第3回_机上演習シナリオ_進行役用.edited-%s.docx" % TODAY)),
             "an edited script among the expert's papers")
    check_eq([f for f in os.listdir(pack) if os.stat(os.path.join(pack, f)).st_mtime != 1000000000],
             [], "nothing of the pack written before the refusal")
    check_eq(k.b("log", "2")[1], log, "nothing logged")
    # One edited in the pack and one among the expert's papers: both named at once.
    add_paragraph(plan, "社内で追記した段落")
    code, _, err = k.b("visit", "prepare", "2", "3", check=False)
    want = ("bansou: %s and %s were edited since they were written: keep your copies elsewhere, or "
            "give --force to keep each under a dated name (第3回_訪問計画書.edited-%s.docx) and "
            "write them anew\n" % (os.path.relpath(plan, k.ws), rel, TODAY))
    check_eq((code, err), (1, want), "both named")
    k.b("visit", "prepare", "2", "3", "--force")
    for path, note in ((plan, "社内で追記した段落"), (script, "進行役のメモ")):
        kept = path.replace(".docx", ".edited-%s.docx" % TODAY)
        check(note in doc_text(kept), "kept: %s" % kept)
        check(note not in doc_text(path), "written anew: %s" % path)
    _, log, _ = k.b("log", "2")
    check_eq(log.count("document.keep"), 2, "both keepings logged:\n%s" % log[-1200:])


def test_a_failure_is_named_past_documents_passed_over(e, k):
    """generate passes over visits 1 and 2 of engagement 2 (no dates yet),
    then a document of visit 3 fails: the message is the failure's."""
    src = os.path.join(e.root, "templates", "incident", "机上演習シナリオ_参加者用.docx")
    dst = os.path.join(k.ws, "templates", "incident", "机上演習シナリオ_参加者用.docx")
    never_closed_copy(src, dst)
    code, _, err = k.b("generate", "2", "--force", check=False)
    check_eq((code, err), (1, "bansou: incident-scenario-participants: %s: word/document.xml: paragraph "
                              "'{{#never}}': {{#never}} is not closed\n" % dst), "the failure named")


def test_one_open_engagement_per_theme(e, k):
    """A company has at most one open engagement on a theme: a second one is
    refused naming the first; another theme is fine, and so is the same
    theme once the first has ended. Runs in a workspace of its own."""
    ws = os.path.join(e.tmp, "per-theme")
    e.run("init", ws)
    c = ["-C", ws]
    e.run(*c, "company", "add", "株式会社重複", "--industry", "製造業")
    e.run(*c, "expert", "add", "専門 一郎", "--themes", "policy,cloud")
    e.run(*c, "engage", "1", "policy", "--expert", "1")
    rc, out, err = e.run(*c, "engage", "1", "policy", "--expert", "1", check=False)
    check_eq((rc, out, err), (1, "", "bansou: company '株式会社重複' has engagement 1 on theme policy "
                                     "still open: one at a time per theme (complete or terminate it "
                                     "first)\n"), "a second open engagement on policy")
    check_eq(len(json.loads(e.run(*c, "status", "--json")[1])), 1, "nothing started")
    e.run(*c, "engage", "1", "cloud", "--expert", "1")
    e.run(*c, "engagement", "terminate", "1", "--reason", "試験")
    _, out, _ = e.run(*c, "engage", "1", "policy", "--expert", "1")
    check(out.startswith("engagement 3 started"), "policy again once the first ended: %r" % out)


TESTS = [test_plan_dated_when_prepared, test_prepare_date_checked, test_edited_document_refused,
         test_three_edited_named_nothing_written, test_force_keeps_a_dated_copy,
         test_deleted_file_written_again, test_worksheet_listed_and_guarded,
         test_engagement_schedule_guarded, test_programme_schedule_guarded,
         test_report_dated_when_submitted, test_final_report_dated_when_ended,
         test_prepare_guards_the_experts_papers_with_the_pack,
         test_a_failure_is_named_past_documents_passed_over, test_one_open_engagement_per_theme]


if __name__ == "__main__":
    sys.exit(run_suite("record", TESTS, Case))
