#!/usr/bin/python3
"""End-to-end tests of the command line's own messages in Japanese (issue "a
command line in Japanese"): the usage errors, the help, the company, expert
and theme commands read in Japanese with LANG=ja_JP.UTF-8 and stay the same
English with LANG=C.UTF-8; table headers are the same in both, and --json
keeps the machine values.

    /usr/bin/python3 tests/e2e/test_lang_cli1.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import os
import re
import sys

from harness import check, check_eq, in_lang, refused, run_suite, shown

COMPANY = "株式会社言語精工"
OTHER = "言語商事株式会社"


class Case:
    """A workspace with two companies: 1 with a prefecture and employees, 2 without."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", COMPANY, "--industry", "製造業", "--employees", "25",
              "--prefecture", "大阪府")
        e.run(*self.c, "company", "add", OTHER, "--industry", "小売業")


def test_unknown_command(e, k):
    refused(e, k.c + ["frobnicate"],
            "'frobnicate' は不明なコマンドです（'bansou --help' を参照）",
            "unknown command 'frobnicate' (see 'bansou --help')", 2)
    refused(e, ["--frob", "status"],
            "'--frob' は不明なグローバルオプションです（'bansou --help' を参照）",
            "unknown global option '--frob' (see 'bansou --help')", 2)
    refused(e, k.c + ["company", "frob"],
            "company: 'frob' は不明なサブコマンドです（'bansou company --help' を参照）",
            "company: unknown subcommand 'frob' (see 'bansou company --help')", 2)
    outs = refused(e, k.c + ["company"], "company: どのサブコマンドですか？",
                   "company: which subcommand?", 2, quiet=False)
    # and the subcommands it has are listed
    check_eq([o.split("\n")[:4] for o in outs],
             [["使い方: bansou company SUBCOMMAND …", "", "サブコマンド:",
               "  company add NAME                   企業を登録する"],
              ["usage: bansou company SUBCOMMAND …", "", "subcommands:",
               "  company add NAME                   register a company"]],
             "the group help of a bare 'company'")


def test_unknown_option(e, k):
    refused(e, k.c + ["company", "list", "--bogus"],
            "company list: '--bogus' は不明なオプションです",
            "company list: unknown option '--bogus'", 2)
    refused(e, k.c + ["company", "list", "--json=yes"],
            "company list: --json は値を取りません", "company list: --json takes no value", 2)
    refused(e, k.c + ["visit", "plan", "1", "1", "--date"],
            "visit plan: --date には値が必要です（YYYY-MM-DD）",
            "visit plan: --date needs a value (YYYY-MM-DD)", 2)
    refused(e, k.c + ["company", "show", "1", "2"], "company show: 余分な引数 '2' があります",
            "company show: unexpected argument '2'", 2)


def test_missing_required(e, k):
    refused(e, k.c + ["company", "add", "新規"], "company add: --industry が必要です",
            "company add: --industry is required", 2)
    refused(e, k.c + ["company", "show"],
            "company show: 引数が足りません: bansou company show COMPANY",
            "company show: missing arguments: bansou company show COMPANY", 2)
    refused(e, k.c + ["company", "edit", "1"],
            "company edit: 変更する内容がありません（--help を参照）",
            "company edit: nothing to change (see --help)", 2)


def test_help_status(e, k):
    for lang, want in (("ja_JP.UTF-8", ["使い方: bansou status [オプション]", "",
                                        "すべての案件の一覧", "", "オプション:",
                                        "  --json                   JSON で出力する",
                                        "  -h, --help               このヘルプ", "",
                                        "終了ステータス: 0 成功、1 失敗または不正な入力、2 使い方の誤り"]),
                       ("C.UTF-8", ["usage: bansou status [OPTIONS]", "",
                                    "every engagement at a glance", "", "options:",
                                    "  --json                   print JSON",
                                    "  -h, --help               this help", "",
                                    "exit status: 0 success, 1 failed or invalid input, "
                                    "2 usage error"])):
        rc, out, _ = in_lang(e, lang, "help", "status")
        check_eq(rc, 0, "exit of help status with LANG=%s" % lang)
        check_eq(out.split("\n")[:len(want)], want, "help status with LANG=%s" % lang)
    # the manual page stays English whatever the language
    outs = [in_lang(e, lang, "help", "--roff")[1] for lang in ("ja_JP.UTF-8", "C.UTF-8")]
    check_eq(outs[0], outs[1], "the manual page is the same in both languages")
    check(".SS status\n" in outs[0] and "\nevery engagement at a glance\n" in outs[0],
          "the manual page has the English summary of status")


def test_company_bad_field(e, k):
    refused(e, k.c + ["company", "add", "X", "--industry", "製造業", "--employees", "many"],
            "--employees: 'many' は人数ではありません",
            "--employees: 'many' is not a number of people")
    refused(e, k.c + ["company", "add", "X", "--industry", "製造業", "--capital", "3兆"],
            "--capital: '3兆' は円の金額ではありません（例: 30000000、30,000,000、3000万、3億5000万円）",
            "--capital: '3兆' is not an amount in yen (e.g. 30000000, 30,000,000, 3000万, 3億5000万円)")
    refused(e, k.c + ["expert", "add", "専門 太郎", "--themes", "nosuch"],
            "--themes: テーマ 'nosuch' はありません（'bansou themes' を参照）",
            "--themes: no theme 'nosuch' (see 'bansou themes')")
    shown(e, k.c + ["company", "edit", "2", "--notes", "言語の試験"], "企業 2 を更新しました\n",
          "company 2 updated\n")


def test_company_list_headers(e, k):
    tables = {"ja_JP.UTF-8": ("ID  会社名            業種    所在地  従業員\n"
                              "1   %s  製造業  大阪府  25\n"
                              "2   %s  小売業          \n"),
              "C.UTF-8": ("ID  Name              Industry  Prefecture  Employees\n"
                          "1   %s  製造業    大阪府      25\n"
                          "2   %s  小売業                \n")}
    for lang, table in tables.items():
        rc, out, _ = in_lang(e, lang, *k.c, "company", "list")
        check_eq(rc, 0, "exit of company list with LANG=%s" % lang)
        check_eq(out, table % (COMPANY, OTHER), "company list with LANG=%s" % lang)
    outs = [in_lang(e, lang, *k.c, "company", "list", "--json")[1]
            for lang in ("ja_JP.UTF-8", "C.UTF-8")]
    check_eq(outs[0], outs[1], "company list --json is the same in both languages")


def test_company_show_labels(e, k):
    labels = {"ja_JP.UTF-8": ["ID", "会社名", "業種", "組織の種類", "従業員数", "資本金", "所在地",
                              "担当者", "担当者の役職", "セキュリティ体制", "SECURITY ACTION",
                              "備考", "中小企業の定義", "適用した区分"],
              "C.UTF-8": ["ID", "Name", "Industry", "Kind", "Employees", "Capital", "Prefecture",
                          "Contact", "Contact's role", "Security staffing", "SECURITY ACTION",
                          "Notes", "SME definition", "Rule applied"]}
    verdict = {"ja_JP.UTF-8": "該当する（", "C.UTF-8": "meets it ("}
    for lang, want in labels.items():
        rc, out, _ = in_lang(e, lang, *k.c, "company", "show", "1")
        check_eq(rc, 0, "exit of company show with LANG=%s" % lang)
        lines = out.rstrip("\n").split("\n")
        check_eq([re.split(r" {2,}", l)[0] if not l.startswith("SECURITY") else "SECURITY ACTION"
                  for l in lines], want, "labels of company show with LANG=%s" % lang)
        sme = lines[want.index(want[-2])]
        check(re.search(r" {2,}%s" % re.escape(verdict[lang]), sme),
              "the SME verdict with LANG=%s: %r" % (lang, sme))


def test_theme_list_headers(e, k):
    rows = ("1   policy    情報セキュリティ規程の整備      3\n"
            "2   assets    情報資産の洗い出しとリスク分析  3\n"
            "3   cloud     クラウドサービスの安全利用      3\n"
            "4   incident  セキュリティインシデント対応    3\n"
            "5   training  従業員向け情報セキュリティ教育  3\n")
    shown(e, ["themes"], "No  ID        テーマ                          訪問回数\n" + rows,
          "No  ID        Theme                           Visits\n" + rows)


def test_theme_show_lines(e, k):
    _, ja, _ = in_lang(e, "ja_JP.UTF-8", "theme", "show", "policy")
    _, en, _ = in_lang(e, "C.UTF-8", "theme", "show", "policy")
    check_eq(ja.split("\n")[0], "テーマ1　情報セキュリティ規程の整備（policy）", "title in Japanese")
    check_eq(en.split("\n")[0], "Theme 1: 情報セキュリティ規程の整備 (policy)", "title in English")
    for words, text in ((["基にする資料：", "どういった企業に：", "達成目標", "  【達成目標1】",
                          "  【事前準備】", "      企業　：", "      専門家：", "      【提供】"], ja),
                        (["Based on: ", "For companies that: ", "Goals", "  [goal 1] ",
                          "  [Preparation]", "      Company: ", "      Expert:  ",
                          "      [provided] "], en)):
        for w in words:
            check(any(line.startswith(w) for line in text.split("\n")), "a line begins %r" % w)
    check("  compact      小規模企業向け簡易版（従業員20名以下）" in ja.split("\n"), "variant in Japanese")
    check("  compact      小規模企業向け簡易版 (20 employees or fewer)" in en.split("\n"),
          "variant in English")


def test_theme_check_lines(e, k):
    policy = os.path.join(e.root, "themes", "policy", "theme.lua")
    shown(e, ["theme", "check", policy], "%s: 問題なし\n" % policy, "%s: ok\n" % policy)
    bad = os.path.join(e.tmp, "bad", "theme.lua")
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    with open(bad, "w", encoding="utf-8") as f:
        f.write('return theme { id = "bad" }\n')
    for lang, ok, summary in (
            ("ja_JP.UTF-8", "%s: 問題なし" % policy,
             "テーマファイル 2 個のうち 1 個に 6 件の問題があります"),
            ("C.UTF-8", "%s: ok" % policy, "6 problems in 1 of 2 theme files")):
        rc, out, err = in_lang(e, lang, "theme", "check", bad, policy)
        check_eq(rc, 1, "exit of theme check with LANG=%s" % lang)
        check_eq(out.split("\n")[-2], ok, "the ok line with LANG=%s" % lang)
        check_eq(err, "bansou: %s\n" % summary, "the summary with LANG=%s" % lang)
    outs = refused(e, ["theme", "check", bad],
                   "テーマファイル 1 個のうち 1 個に 6 件の問題があります",
                   "6 problems in 1 of 1 theme file", quiet=False)
    check_eq([o.split("\n")[0] for o in outs],
             ["%s:1: number: ありません" % bad, "%s:1: number: missing" % bad],
             "the first problem")


def test_init_line(e, k):
    for lang, line in (("ja_JP.UTF-8", "ワークスペース %s を作成しました（bansou.db、out/）\n"),
                       ("C.UTF-8", "created workspace %s (bansou.db, out/)\n")):
        d = os.path.join(e.tmp, "new-" + lang)
        rc, out, _ = in_lang(e, lang, "init", d)
        check_eq((rc, out), (0, line % d), "init with LANG=%s" % lang)


TESTS = [test_unknown_command, test_unknown_option, test_missing_required, test_help_status,
         test_company_bad_field, test_company_list_headers, test_company_show_labels,
         test_theme_list_headers, test_theme_show_lines,
         test_theme_check_lines, test_init_line]


if __name__ == "__main__":
    sys.exit(run_suite("lang_cli1", TESTS, Case))
