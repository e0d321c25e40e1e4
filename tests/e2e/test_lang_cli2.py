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

from harness import check, check_eq, company_folder, run_suite

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


def in_lang(e, lang, *args):
    """(exit status, stdout, stderr) of bansou ARGS with LANG=lang."""
    before = e.env["LANG"]
    e.env["LANG"] = lang
    try:
        return e.run(*args, check=False)
    finally:
        e.env["LANG"] = before


def shown(e, args, ja, en):
    """`args` succeeds and prints `ja` in Japanese and `en` in English."""
    for lang, text in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
        rc, out, err = in_lang(e, lang, *args)
        check_eq(rc, 0, "exit of %s with LANG=%s (%s)" % (" ".join(args), lang, err))
        check_eq(out, text, "stdout of %s with LANG=%s" % (" ".join(args), lang))


def refused(e, args, ja, en):
    """`args` fails with the one line `ja` in Japanese and `en` in English."""
    for lang, line in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
        rc, _, err = in_lang(e, lang, *args)
        check(rc != 0, "%s with LANG=%s: exit %d" % (" ".join(args), lang, rc))
        check_eq(err, "bansou: %s\n" % line, "stderr of %s with LANG=%s" % (" ".join(args), lang))


def test_status_states(e, k):
    rows = ("1    %s  policy  専門 太郎  %%s  ○○○   2099-06-01  \n" % COMPANY
            + "2    %s  policy  専門 太郎  %%s  ●○○   -           %%s\n" % OTHER
            + "3    %s  policy  専門 太郎  %%s  ○○○   -           \n" % THIRD)
    head = "ENG  会社              テーマ  専門家     状態%s  訪問  次回        要対応\n"
    shown(e, k.c + ["status"],
          head % "  " + rows % ("進行中", "進行中", "第1回訪問が未報告", "中止  "),
          head % "      " + rows % ("active    ", "active    ", "visit 1 not reported",
                                    "terminated"))
    _, out, _ = in_lang(e, "ja_JP.UTF-8", *k.c, "status", "--json")
    check_eq([r["state"] for r in json.loads(out)], ["active", "active", "terminated"],
             "states in --json with LANG=ja_JP.UTF-8")


def test_visit_states(e, k):
    for eng, ja, en in (("1", "予定", "planned"), ("2", "実施済", "held")):
        for lang, word in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
            _, out, _ = in_lang(e, lang, *k.c, "engagement", "show", eng)
            states = [l for l in out.splitlines() if l.startswith("  状態")]
            check_eq(states[0], "  状態       " + word, "visit 1 of %s with LANG=%s" % (eng, lang))
    shown(e, k.c + ["visit", "plan", "1", "2", "--date", "2099-07-01"],
          "案件 1: 第2回訪問を 2099-07-01 に予定しました\n",
          "engagement 1: visit 2 planned for 2099-07-01\n")
    refused(e, k.c + ["visit", "hold", "1", "1", "--online", "--onsite"],
            "visit: --online と --onsite は同時に指定できません",
            "visit: give --online or --onsite, not both")


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
            "task: which items? give ITEM ids or --all")


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


def test_log_line(e, k):
    outs = [in_lang(e, lang, *k.c, "log", "2")[1] for lang in ("ja_JP.UTF-8", "C.UTF-8")]
    check_eq(outs[0], outs[1], "log is the same in both languages")
    last = outs[0].splitlines()[-1]
    check_eq(last[25:], "  %-12s visit.hold           visit 1 held on 2025-06-01"
             % e.env["BANSOU_ACTOR"], "the log line")


def test_render_error(e, k):
    refused(e, ["render", "a.docx", "b.json"], "render: -o OUT が必要です",
            "render: -o OUT is required")


def test_records_error(e, k):
    refused(e, k.c + ["records", "1", "nosuch"],
            "案件 1 には 'nosuch' から取り込んだ行がありません",
            "engagement 1 has no rows imported from 'nosuch'")


def test_worksheet_error(e, k):
    have = ("self-diagnosis, self-diagnosis-summary, self-diagnosis-advice, regulation-check, "
            "regulation-roles, policy-commitments, regulation-status, self-diagnosis-2")
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
            "engage: --expert is required")


TESTS = [test_status_states, test_visit_states, test_task_list, test_documents_check,
         test_log_line, test_render_error, test_records_error, test_worksheet_error,
         test_engage_and_terminate_lines]


if __name__ == "__main__":
    sys.exit(run_suite("lang_cli2", TESTS, Case))
