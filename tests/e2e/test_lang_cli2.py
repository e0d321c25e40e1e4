#!/usr/bin/python3
"""End-to-end tests of the engagement, document, worksheet and render
commands in Japanese (issue "a command line in Japanese"): their state
words, lines and errors read in Japanese with LANG=ja_JP.UTF-8 and stay the
same English with LANG=C.UTF-8; --json keeps the machine values.

    /usr/bin/python3 tests/e2e/test_lang_cli2.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import sys

from harness import check, check_eq, company_folder, in_lang, refused, run_suite, shown

COMPANY = "株式会社言語精工"
OTHER = "言語商事株式会社"
THIRD = "言語工業株式会社"


class Case:
    """Three engagements on the policy theme: 1 planned ahead, 2 with visit
    1 held, 3 terminated."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        for name in (COMPANY, OTHER, THIRD):
            e.run(*self.c, "company", "add", name, "--industry", "製造業", "--employees", "25")
        e.run(*self.c, "expert", "add", "専門 太郎", "--themes", "policy")
        for company in ("1", "2", "3"):
            e.run(*self.c, "engage", company, "policy", "--expert", "1")
        e.run(*self.c, "visit", "plan", "1", "1", "--date", "2099-06-01")
        e.run(*self.c, "visit", "hold", "2", "1", "--date", "2025-06-01")
        e.run(*self.c, "engagement", "terminate", "3", "--reason", "廃業", "--date", "2025-06-02")
        self.out = os.path.join(self.ws, "out", company_folder(1, COMPANY), "policy")

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)


def test_status_states(e, k):
    shown(e, k.c + ["status"],
          "ENG  会社              テーマ  専門家     状態    訪問  次回        要対応\n"
          "1    %s  policy  専門 太郎  進行中  ○○○   2099-06-01  \n"
          "2    %s  policy  専門 太郎  進行中  ●○○   -           第1回訪問が未報告\n"
          "3    %s  policy  専門 太郎  中止    ○○○   -           未回収: 企業アンケート, 専門家アンケート\n"
          % (COMPANY, OTHER, THIRD),
          "ENG  Company           Theme   Expert     State       Visits  Next        Overdue\n"
          "1    %s  policy  専門 太郎  active      ○○○     2099-06-01  \n"
          "2    %s  policy  専門 太郎  active      ●○○     -           visit 1 not reported\n"
          "3    %s  policy  専門 太郎  terminated  ○○○     -           awaiting 企業アンケート, 専門家アンケート\n"
          % (COMPANY, OTHER, THIRD))
    _, out, _ = in_lang(e, "ja_JP.UTF-8", *k.c, "status", "--json")
    check_eq([r["state"] for r in json.loads(out)], ["active", "active", "terminated"],
             "states in --json with LANG=ja_JP.UTF-8")


def test_visit_states(e, k):
    for eng, ja, en in (("1", "予定", "planned"), ("2", "実施済", "held")):
        for lang, word in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
            _, out, _ = in_lang(e, lang, *k.c, "engagement", "show", eng)
            label = "  状態       " if lang == "ja_JP.UTF-8" else "  State      "
            states = [l for l in out.splitlines() if l.startswith(label)]
            check_eq(states[0], label + word, "visit 1 of %s with LANG=%s" % (eng, lang))
    shown(e, k.c + ["visit", "plan", "1", "2", "--date", "2099-07-01"],
          "案件 1: 第2回訪問を 2099-07-01 に予定しました\n",
          "engagement 1: visit 2 planned for 2099-07-01\n")
    refused(e, k.c + ["visit", "hold", "1", "1", "--online", "--onsite"],
            "visit: --online と --onsite は同時に指定できません",
            "visit: give --online or --onsite, not both", code=2)


def test_task_list(e, k):
    k.b("task", "done", "1", "1", "s1.prep.materials")
    for lang, done, todo, visit in (("ja_JP.UTF-8", "[済]", "[未]", "第1回訪問"),
                                    ("C.UTF-8", "[x]", "[ ]", "visit 1")):
        _, out, _ = in_lang(e, lang, *k.c, "task", "list", "1", "1")
        lines = out.splitlines()
        check_eq(lines[0], "%s %s 事前準備 s1.prep.materials      "
                 "ホームページ等で企業と事業を調べ、ヒアリングシートを作る" % (done, visit),
                 "first task with LANG=%s" % lang)
        check(lines[1].startswith("%s %s 事前準備 s1.prep.selfdiag " % (todo, visit)),
              "second task with LANG=%s: %s" % (lang, lines[1]))
    shown(e, k.c + ["task", "undo", "1", "1", "s1.prep.materials"],
          "案件 1: 第1回訪問: s1.prep.materials を未に戻しました\n",
          "engagement 1: visit 1: s1.prep.materials undone\n")
    refused(e, k.c + ["task", "done", "1", "1"],
            "task: どの項目ですか？ ITEM の id か --all を指定してください",
            "task: which items? give ITEM ids or --all", code=2)


def test_documents_check(e, k):
    _, out, _ = k.b("generate", "1")
    paths = out.splitlines()
    with open(paths[0], "ab") as f:
        f.write(b"x")
    os.remove(paths[1])
    for lang, words in (("ja_JP.UTF-8", ("編集済み", "ファイルなし", "変更なし")),
                        ("C.UTF-8", ("edited", "missing", "ok"))):
        _, out, _ = in_lang(e, lang, *k.c, "documents", "1")
        by_path = {}
        for line in out.splitlines()[1:]:
            cols = line.split()
            by_path[cols[-1]] = cols[-3]
        check_eq([by_path[paths[0]], by_path[paths[1]], by_path[paths[2]]], list(words),
                 "documents check with LANG=%s" % lang)
    _, out, _ = in_lang(e, "ja_JP.UTF-8", *k.c, "documents", "1", "--json")
    check_eq(sorted({d["status"] for d in json.loads(out)}), ["edited", "missing", "ok"],
             "statuses in --json with LANG=ja_JP.UTF-8")


def test_status_header(e, k):
    """Each column is as wide as its header in the language shown, when
    the header is the wider (Visits over ○○○)."""
    for lang, head in (
            ("ja_JP.UTF-8", "ENG  会社              テーマ  専門家     状態    訪問  次回        要対応"),
            ("C.UTF-8", "ENG  Company           Theme   Expert     State       Visits  Next        Overdue")):
        _, out, _ = in_lang(e, lang, *k.c, "status")
        check_eq(out.splitlines()[0], head, "status header with LANG=%s" % lang)


def test_documents_header(e, k):
    """After test_documents_check: a file edited, one missing, the rest ok."""
    for lang, head in (
            ("ja_JP.UTF-8", "訪問  書類%s状態          作成                       保管  ファイル" % (" " * 36)),
            ("C.UTF-8", "Visit  Document%sState    Written                    Kept  File" % (" " * 32))):
        _, out, _ = in_lang(e, lang, *k.c, "documents", "1")
        check_eq(out.splitlines()[0], head, "documents header with LANG=%s" % lang)


def test_show_labels(e, k):
    """The field labels of engagement show, the visit's indented under its line."""
    for lang, labels in (
            ("ja_JP.UTF-8", ["会社         ", "専門家       ", "テーマ       ", "状態         ",
                             "終了日       ", "版           ", "進捗         ", "要対応       ",
                             "", "第1回訪問（達成目標1：", "  状態       ", "  予定日     ",
                             "  準備日     ", "  実施日     ", "  出席者     ", "  メモ       ",
                             "  報告       ", "  実施項目   "]),
            ("C.UTF-8", ["Company      ", "Expert       ", "Theme        ", "State        ",
                         "Ended        ", "Variant      ", "Progress     ", "Overdue      ",
                         "", "visit 1 (goal 1: ", "  State      ", "  Planned    ",
                         "  Prepared   ", "  Held       ", "  Attendees  ", "  Notes      ",
                         "  Reported   ", "  Items done "])):
        _, out, _ = in_lang(e, lang, *k.c, "engagement", "show", "2")
        lines = out.splitlines()[1:len(labels) + 1]
        check_eq([l[:len(want)] for l, want in zip(lines, labels)], labels,
                 "labels of engagement show with LANG=%s" % lang)
    for lang, line in (("ja_JP.UTF-8", "版           標準（業種・規模から自動）"),
                       ("C.UTF-8", "Variant      standard (automatic from industry and size)")):
        _, out, _ = in_lang(e, lang, *k.c, "engagement", "show", "2")
        check_eq(out.splitlines()[6], line, "no variant applies, with LANG=%s" % lang)


def test_log_line(e, k):
    outs = [in_lang(e, lang, *k.c, "log", "2")[1] for lang in ("ja_JP.UTF-8", "C.UTF-8")]
    check_eq(outs[0], outs[1], "log is the same in both languages")
    last = outs[0].splitlines()[-1]
    check_eq(last[25:], "  %-12s visit.hold           visit 1 held on 2025-06-01"
             % e.env["BANSOU_ACTOR"], "the log line")


def test_render_error(e, k):
    refused(e, ["render", "a.docx", "b.json"], "render: -o OUT が必要です",
            "render: -o OUT is required", code=2)


def test_records_error(e, k):
    refused(e, k.c + ["records", "1", "nosuch"],
            "案件 1 には 'nosuch' から取り込んだ行がありません",
            "engagement 1 has no rows imported from 'nosuch'")


def test_worksheet_error(e, k):
    have = ("self-diagnosis, self-diagnosis-summary, self-diagnosis-advice, regulation-check, "
            "regulation-roles, policy-commitments, regulation-status, self-diagnosis-2, "
            "survey-company, survey-expert")
    refused(e, k.c + ["worksheet", "1", "nosuch"],
            "テーマ 'policy' にワークシート 'nosuch' はありません（あるもの: %s）" % have,
            "theme 'policy' has no worksheet 'nosuch' (it has: %s)" % have)


def test_engage_and_terminate_lines(e, k):
    e.run(*k.c, "company", "add", "言語四株式会社", "--industry", "製造業")
    rc, out, _ = in_lang(e, "ja_JP.UTF-8", *k.c, "engage", "4", "policy", "--expert", "1")
    check_eq(out, "案件 4 を開始しました: 言語四株式会社、テーマ policy（訪問 3 回）\n", "engage in Japanese")
    rc, out, _ = in_lang(e, "C.UTF-8", *k.c, "engagement", "terminate", "4", "--reason", "x",
                         "--date", "2025-06-02")
    check_eq(out, "engagement 4 terminated\n", "terminate in English")
    refused(e, k.c + ["engage", "4", "policy"], "engage: --expert が必要です",
            "engage: --expert is required", code=2)


TESTS = [test_status_states, test_visit_states, test_task_list, test_documents_check,
         test_status_header, test_documents_header, test_show_labels, test_log_line, test_render_error, test_records_error, test_worksheet_error,
         test_engage_and_terminate_lines]


if __name__ == "__main__":
    sys.exit(run_suite("lang_cli2", TESTS, Case))
