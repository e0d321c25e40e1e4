#!/usr/bin/python3
"""End-to-end tests of theme 1 (情報セキュリティ規程の整備): two companies
walk all three visits through the CLI; their sheets are filled in with
openpyxl (one copy saved again by LibreOffice) and imported; every document
is read back with python-docx and openpyxl, the status sheet's formulas are
recalculated by LibreOffice, and every document is converted to PDF.

    /usr/bin/python3 tests/e2e/test_policy.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`policy: N passed, N failed`.
"""
import csv
import glob
import json
import os
import re
import shutil
import sys

import openpyxl

from harness import (Fail, check, check_eq, check_list, company_folder, data_rows, doc_text, run_suite,
                     soffice, check_pdf_conversion,
                     strip_formula_results, table, table_rows)

A = "株式会社テスト自動車部品"   # automotive supplier, 60 staff: standard edition
B = "テスト会計事務所"           # tax accountant, 6 staff: professional + compact

# The checklist rows that decide the optional chapters, and those chapters.
CONDITIONS = {
    "クラウドサービスの選定と利用": "クラウドサービスの利用",
    "テレワークでの作業": "テレワーク",
    "業務委託先の選定と管理": "委託管理",
    "システムの開発・変更と保守": "システムの開発及び保守",
    "マイナンバー（特定個人情報）の取扱い": "個人番号及び特定個人情報の取扱い",
}
ANSWERS = {
    A: {"クラウドサービスの選定と利用": "該当する", "テレワークでの作業": "該当しない",
        "業務委託先の選定と管理": "該当する", "システムの開発・変更と保守": "該当しない",
        "マイナンバー（特定個人情報）の取扱い": "該当する"},
    B: {"クラウドサービスの選定と利用": "該当しない", "テレワークでの作業": "該当する",
        "業務委託先の選定と管理": "該当しない", "システムの開発・変更と保守": "該当しない",
        "マイナンバー（特定個人情報）の取扱い": "該当する"},
}
# Rows answered explicitly in A's checklist: area → (state, practice, priority).
A_STATES = {
    "パスワードと認証": ("無", None, "高"),
    "バックアップ": ("有", "運用している", None),
    "情報セキュリティ教育": ("一部", "一部運用している", "低"),
    "事故の報告と初動対応": ("有", "運用していない", None),
}


class Case:
    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", A, "--industry", "製造業（自動車産業）", "--employees", "60",
              "--prefecture", "愛知県")
        e.run(*self.c, "company", "add", B, "--industry", "学術研究、専門・技術サービス業",
              "--kind", "個人事業主", "--employees", "6", "--prefecture", "兵庫県",
              "--notes", "税理士事務所。顧問先の帳簿とマイナンバーを預かる。所員の在宅勤務あり")
        e.run(*self.c, "expert", "add", "専門 花子", "--themes", "policy")
        e.run(*self.c, "engage", A, "policy", "--expert", "1")
        e.run(*self.c, "engage", B, "policy", "--expert", "1")
        self.files = {}

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)

    def out(self, company, sub=""):
        return os.path.join(self.ws, "out", company_folder([A, B].index(company) + 1, company),
                            "policy", sub)

    def path(self, name):
        return os.path.join(self.e.tmp, name)


def sheet_rows(path):
    """The table of the first sheet as a list of dicts (header → value)."""
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    header = cols = None
    for first in ("No.", "順位"):
        try:
            header, cols = table(ws, first)
            break
        except Fail:
            continue
    check(header, "no table in %s" % path)
    return [{h: ws.cell(r, c).value for h, c in cols.items()} for r in data_rows(ws, header)]


def test_variants_follow_the_profile(e, k):
    _, out, _ = k.b("engagement", "show", "1", "--json")
    check_eq(json.loads(out)["variants"], ["automotive"], "A's variants")
    _, out, _ = k.b("engagement", "show", "2", "--json")
    check_eq(json.loads(out)["variants"], ["professional", "compact"], "B's variants")
    _, out, _ = k.b("engagement", "show", "2")
    check("Variant      professional (士業向け), compact (小規模企業向け簡易版)"
          " (automatic from industry and size)" in out,
          "engagement show names the variants: %s" % out)
    _, before, _ = k.b("log", "2")
    code, _, err = k.b("engagement", "variant", "2", "compact,medicl", check=False)
    check_eq((code, err), (1, "bansou: --variant: theme 'policy' has no variant 'medicl' (known: "
                               "automotive, medical, professional, compact)\n"), "a typo is refused")
    _, after, _ = k.b("log", "2")
    check_eq(after, before, "a refused variant logs nothing")
    k.b("engagement", "variant", "2", "none")
    _, out, _ = k.b("engagement", "show", "2", "--json")
    check_eq(json.loads(out)["variants"], [], "variant none")
    k.b("engagement", "variant", "2", "auto")
    _, out, _ = k.b("log", "2")
    check(out.count("engagement.variant") == 2, "both changes logged: %s" % out)


def test_pack_has_the_checklist(e, k):
    for eng, company, date in (("1", A, "2026-04-08"), ("2", B, "2026-04-10")):
        k.b("visit", "plan", eng, "1", "--date", date)
        _, out, _ = k.b("visit", "prepare", eng, "1")
        for f in ("情報セキュリティ関連規程チェックシート.xlsx", "体制・役割シート.xlsx",
                  "5分でできる情報セキュリティ自社診断.xlsx"):
            check(os.path.join(k.out(company, "visit-1"), f) in out.splitlines(),
                  "visit 1 pack of %s has %s: %s" % (company, f, out))
    rows_a = sheet_rows(os.path.join(k.out(A, "visit-1"), "情報セキュリティ関連規程チェックシート.xlsx"))
    rows_b = sheet_rows(os.path.join(k.out(B, "visit-1"), "情報セキュリティ関連規程チェックシート.xlsx"))
    areas_a = [r["領域"] for r in rows_a]
    areas_b = [r["領域"] for r in rows_b]
    check("取引先（顧客）からのセキュリティ要求への対応" in areas_a, "A is asked about customers' requirements")
    check("取引先（顧客）からのセキュリティ要求への対応" not in areas_b, "B is not")
    check("顧問先から預かる書類と守秘義務" in areas_b and not any("預かる書類" in a for a in areas_a),
          "only B is asked about its clients' documents, as 顧問先")
    for area in CONDITIONS:
        check(area in areas_a and area in areas_b, "both are asked about %s" % area)
    check_eq([r["No."] for r in rows_a], list(range(1, len(rows_a) + 1)), "A's rows are numbered")
    defaults = {r["領域"]: r["該当"] for r in rows_a}
    check_eq(defaults["システムの開発・変更と保守"], "該当しない", "development is assumed absent")
    check_eq(defaults["パスワードと認証"], "該当する", "a core area applies")
    defaults_b = {r["領域"]: r["該当"] for r in rows_b}
    check_eq((defaults["テレワークでの作業"], defaults_b["テレワークでの作業"]), ("該当しない", "該当する"),
             "B's profile says its staff work from home")
    check_eq(defaults_b["マイナンバー（特定個人情報）の取扱い"], "該当する", "B's profile says it holds My Numbers")
    # The compact edition asks a small office for the few roles it names.
    roles_a = [r["役割"] for r in sheet_rows(os.path.join(k.out(A, "visit-1"), "体制・役割シート.xlsx"))]
    roles_b = [r["役割"] for r in sheet_rows(os.path.join(k.out(B, "visit-1"), "体制・役割シート.xlsx"))]
    check_eq(len(roles_a), 11, "the standard edition asks for every role")
    check_eq(roles_b, ["代表者", "情報セキュリティ責任者", "システム管理者", "インシデント対応責任者"],
             "the compact edition asks for four")


def fill_checklist(k, company, states, out, bad=None):
    src = os.path.join(k.out(company, "visit-1"), "情報セキュリティ関連規程チェックシート.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    header, cols = table(ws)
    for r in data_rows(ws, header):
        area = ws.cell(r, cols["領域"]).value
        if area in ANSWERS[company]:
            ws.cell(r, cols["該当"]).value = ANSWERS[company][area]
        state, practice, priority = states.get(area, ("一部", "一部運用している", None))
        ws.cell(r, cols["規程の有無"]).value = state
        ws.cell(r, cols["運用状況"]).value = practice
        ws.cell(r, cols["優先度"]).value = priority
        ws.cell(r, cols["規定している文書"]).value = "就業規則" if state != "無" else None
        if bad and area == bad[0]:
            ws.cell(r, cols["該当"]).value = bad[1]
            k.files["bad_cell"] = "%s%d" % (openpyxl.utils.get_column_letter(cols["該当"]), r)
    wb.save(out)


def test_bad_answer_names_the_cell(e, k):
    bad = k.path("bad-check.xlsx")
    fill_checklist(k, A, A_STATES, bad, bad=("バックアップ", "たぶん"))
    code, _, err = k.b("import", "1", bad, check=False)
    check(code == 1 and ("規程チェックシート!%s: 'たぶん' is not one of 該当する, 該当しない"
                         % k.files["bad_cell"]) in err, "the bad cell is named: %r" % err)
    code, _, err = k.b("records", "1", "regulation-check", "--json", check=False)
    check_eq((code, err), (1, "bansou: engagement 1 has no rows imported from 'regulation-check'\n"),
             "nothing imported from a bad file")


def test_checklists_imported(e, k):
    a = k.path("a-check.xlsx")
    fill_checklist(k, A, A_STATES, a)
    k.b("import", "1", a)
    # B's copy is saved once more by LibreOffice before it comes back.
    b_src = k.path("b-src/b-check.xlsx")
    os.makedirs(os.path.dirname(b_src), exist_ok=True)
    fill_checklist(k, B, {}, b_src)
    soffice(e, [b_src], "xlsx:Calc MS Excel 2007 XML", k.path("b-lo"))
    b_lo = k.path("b-lo/b-check.xlsx")
    check(os.path.isfile(b_lo), "LibreOffice saved B's checklist")
    k.b("import", "2", b_lo)
    for eng, company in (("1", A), ("2", B)):
        _, out, _ = k.b("records", eng, "regulation-check", "--json")
        rows = {r["area"]: r for r in json.loads(out)}
        for area, ans in ANSWERS[company].items():
            check_eq(rows[area]["applies"], ans, "%s: imported 該当 of %s" % (company, area))
    _, out, _ = k.b("records", "1", "regulation-check", "--json")
    rows = {r["area"]: r for r in json.loads(out)}
    check_eq((rows["パスワードと認証"]["state"], rows["パスワードと認証"]["priority"]), ("無", "高"),
             "A's password row")


def fill_roles(k, company, given, out):
    src = os.path.join(k.out(company, "visit-1"), "体制・役割シート.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    header, cols = table(ws)
    for r in data_rows(ws, header):
        role = ws.cell(r, cols["役割"]).value
        if role in given:
            ws.cell(r, cols["貴社での名称（役職・部署）"]).value = given[role][0]
            ws.cell(r, cols["担当者氏名"]).value = given[role][1]
    wb.save(out)


ROLES = {
    A: {"代表者": ("代表取締役社長", "自動 一郎"), "情報セキュリティ責任者": ("管理本部長", "部品 次郎"),
        "システム管理者": ("情報システム課", "歯車 三郎")},
    B: {"代表者": ("所長", "会計 花子"), "情報セキュリティ責任者": ("副所長", "会計 太郎"),
        "システム管理者": ("副所長", "会計 太郎")},
}


def test_report_waits_for_the_commitments(e, k):
    for eng, company in (("1", A), ("2", B)):
        out = k.path("roles-%s.xlsx" % eng)
        fill_roles(k, company, ROLES[company], out)
        k.b("import", eng, out)
        k.b("visit", "hold", eng, "1", "--findings", "試験の所見", "--date", "2026-04-10")
        k.b("visit", "report", eng, "1")
        k.b("visit", "plan", eng, "2", "--date", "2026-05-15")
        _, out, _ = k.b("visit", "prepare", eng, "2")
        check(os.path.join(k.out(company, "visit-2"), "基本方針検討シート.xlsx") in out.splitlines(),
              "visit 2 pack has the policy sheet: %s" % out)
        k.b("visit", "hold", eng, "2", "--findings", "試験の所見", "--date", "2026-05-15")
    code, _, err = k.b("visit", "report", "1", "2", check=False)
    check(code == 1 and "情報セキュリティ基本方針: needs the worksheet policy-commitments" in err and
          "bansou worksheet 1 policy-commitments" in err, "the gate names the sheet: %r" % err)
    check(not os.path.exists(os.path.join(k.out(A, "visit-2"), "情報セキュリティ基本方針.docx")),
          "no policy before the commitments")
    _, out, _ = k.b("engagement", "show", "1", "--json")
    check_eq(json.loads(out)["visits"][1]["state"], "held", "visit 2 is not marked reported")


CUSTOM = "当社は、お客様からお預かりした図面を、お客様の許可なく社外に出しません。"


def test_basic_policy(e, k):
    src = os.path.join(k.out(A, "visit-2"), "基本方針検討シート.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    header, cols = table(ws)
    headings = []
    for r in data_rows(ws, header):
        h = ws.cell(r, cols["項目"]).value
        if h == "従業員の教育":
            ws.cell(r, cols["採用"]).value = "採用しない"
        elif h == "お客様情報の保護":
            ws.cell(r, cols["採用"]).value = "採用する"
            ws.cell(r, cols["貴社の文言（変えるときのみ）"]).value = CUSTOM
        if ws.cell(r, cols["採用"]).value == "採用する":
            headings.append(h)
    out = k.path("a-commit.xlsx")
    wb.save(out)
    k.b("import", "1", out)
    k.b("visit", "report", "1", "2")
    texts = doc_text(os.path.join(k.out(A, "visit-2"), "情報セキュリティ基本方針.docx"))
    joined = "\n".join(texts)
    for want in (A, "代表取締役社長", "自動 一郎", CUSTOM, "令和8年5月15日"):
        check(want in joined, "the policy has %r" % want)
    numbered = [t for t in texts if re.match(r"^\d+\. ", t)]
    check_list(numbered, ["%d. %s" % (i + 1, h) for i, h in enumerate(headings)],
               "the policy's clauses (adopted ones, numbered)")
    check("従業員の教育" not in joined, "a clause not adopted is left out")
    # The status list: every applicable area, ranked, with the triage rule.
    rows = sheet_rows(os.path.join(k.out(A, "visit-2"), "基本方針_関連規程の整備状況確認一覧表.xlsx"))
    _, recs, _ = k.b("records", "1", "regulation-check", "--json")
    applicable = [r for r in json.loads(recs) if r["applies"] == "該当する"]
    check_eq(len(rows), len(applicable), "one status row per applicable area")
    check_eq([r["順位"] for r in rows], list(range(1, len(rows) + 1)), "ranks")
    scores = [r["優先度点"] for r in rows]
    check(scores == sorted(scores, reverse=True), "largest gap first: %s" % scores)
    by_area = {r["領域"]: r for r in rows}
    check_eq(by_area["パスワードと認証"]["緊急度"], 3, "no rule: urgency 3")
    check_eq(by_area["パスワードと認証"]["重要度"], 3, "priority 高 keeps importance at most 3")
    check_eq(by_area["バックアップ"]["緊急度"], 1, "rule in use: urgency 1")
    check_eq(by_area["バックアップ"]["判定"], "整備済", "a rule in use is done")
    check_eq(by_area["事故の報告と初動対応"]["緊急度"], 2, "a rule not applied: urgency 2")
    # An open gap's band is where its score stands among the open gaps'
    # scores: fewer than a quarter score higher → 最優先, fewer than 60 % → 優先.
    open_scores = [r["優先度点"] for r in rows if r["緊急度"] > 1]
    for r in rows:
        score = r["緊急度"] * r["重要度"] + 3 - r["難易度"]
        check_eq(r["優先度点"], score, "score of %s" % r["領域"])
        higher = sum(1 for s in open_scores if s > score)
        want = ("整備済" if r["緊急度"] == 1 else "最優先" if higher < 0.25 * len(open_scores) else
                "優先" if higher < 0.6 * len(open_scores) else "計画的")
        check_eq(r["判定"], want, "judgement of %s" % r["領域"])
    k.files["status"] = os.path.join(k.out(A, "visit-2"), "基本方針_関連規程の整備状況確認一覧表.xlsx")
    k.files["status_rows"] = rows


def test_status_formulas_recalculate(e, k):
    """The cached results are removed, so LibreOffice must compute every
    formula itself; its values must equal bansou's."""
    src = k.files["status"]
    bare = k.path("recalc/status.xlsx")
    removed = strip_formula_results(src, bare)
    check_eq(removed, 2 * len(k.files["status_rows"]), "formula results removed")
    soffice(e, [bare], 'csv:Text - txt - csv (StarCalc):44,34,76', k.path("recalc/out"))
    with open(k.path("recalc/out/status.csv"), encoding="utf-8") as f:
        lines = list(csv.reader(f))
    header = next(i for i, l in enumerate(lines) if l and l[0] == "順位")
    got = [(l[2], int(l[9]), l[10]) for l in lines[header + 1:] if l and l[0]]
    want = [(r["領域"], r["優先度点"], r["判定"]) for r in k.files["status_rows"]]
    check_list(got, want, "LibreOffice's recalculated scores and judgements")


def regulations(k, company):
    path = os.path.join(k.out(company, "visit-3"), "情報セキュリティ関連規程（案）.docx")
    return path, doc_text(path)


def test_regulation_drafts(e, k):
    for eng, company in (("1", A), ("2", B)):
        if eng == "2":
            out = k.path("b-commit.xlsx")
            shutil.copy(os.path.join(k.out(B, "visit-2"), "基本方針検討シート.xlsx"), out)
            k.b("import", "2", out)
            k.b("visit", "report", "2", "2")
        k.b("visit", "plan", eng, "3", "--date", "2026-06-20")
        k.b("visit", "prepare", eng, "3")
    counts = {}
    for company in (A, B):
        path, texts = regulations(k, company)
        joined = "\n".join(texts)
        chapters = [t.split("\u3000", 1)[1] for t in texts if re.match(r"^第\d+章\u3000", t)]
        check(chapters, "%s: chapter headings found" % company)
        for area, chapter in CONDITIONS.items():
            want = ANSWERS[company][area] == "該当する"
            check_eq(chapter in chapters, want, "%s: chapter %s present" % (company, chapter))
        articles = [int(m.group(1)) for t in texts for m in [re.match(r"^第(\d+)条（", t)] if m]
        check_eq(articles, list(range(1, len(articles) + 1)), "%s: articles numbered" % company)
        counts[company] = len(articles)
        check(not re.search(r"\{[a-z_]+\}", joined), "%s: every placeholder filled" % company)
        for role, (title, _) in ROLES[company].items():
            check(title in joined, "%s: the company's name for %s is used" % (company, role))
        check("用語集" in joined and "多要素認証" in joined, "%s: the glossary explains terms" % company)
    _, ta = regulations(k, A)
    _, tb = regulations(k, B)
    check(any("顧客企業のセキュリティ要求への対応" in t for t in ta), "A has the automotive article")
    check(not any("顧客企業のセキュリティ要求への対応" in t for t in tb), "B has not")
    check(any("職業上の守秘義務" in t for t in tb), "B has the professional article")
    check(any("簡易版（従業員20名以下向け）" in t for t in tb), "B's draft is the compact edition")
    check(any("標準版" in t for t in ta), "A's draft is the standard edition")
    check(counts[B] < counts[A] * 0.8, "the compact draft is shorter: %s" % counts)
    omitted = [r[0] for r in table_rows(regulations(k, A)[0]) if r and r[0] in CONDITIONS.values()]
    check_eq(sorted(omitted), sorted(["テレワーク", "システムの開発及び保守"]),
             "A's draft lists the chapters left out")


def test_one_person_two_roles(e, k):
    """B's 副所長 is both the security lead and the administrator, and B
    named nobody for the other roles: the draft never has one person
    appoint, consult, report to or stand in for themselves, folds the
    empty roles into the ones covering them and says so once."""
    _, texts = regulations(k, B)
    joined = "\n".join(texts)
    for want in (
            "副所長は、システム管理者を兼ね、IT機器、ネットワーク及びクラウドサービスの設定と運用、"
            "利用者ID及びアクセス権の管理を行う。",
            "このほかの役割には個別の担当者を置かず、副所長が教育責任者、個人情報保護管理者、事務取扱責任者、"
            "インシデント対応責任者及び各部門の責任者の職務を、所長が点検責任者及び人事・総務担当部門の職務を行う。",
            "副所長は、情報セキュリティに関する脅威、脆弱性及び被害事例の情報を継続して収集しなければならない。",
            "不審なメールを開いてしまったとき、又は誤って送信したときは、直ちに副所長に報告する。",
            "インシデント又はそのおそれに気付いた従業員等は、自分で解決しようとせず、夜間・休日であっても"
            "直ちに副所長に報告しなければならない。"):
        check(any(want in t for t in texts), "B's draft has %r" % want)
    for bad in ("副所長は、副所長", "副所長と協力して", "副所長又は副所長", "不在のときは副所長が",
                "副所長の申請", "副所長が任命", "教育責任者は", "インシデント対応責任者は"):
        check(bad not in joined, "B's draft has no %r" % bad)
    check_eq(sum(t.count("個別の担当者を置かず") for t in texts), 1, "the folding is said once")
    rows = {r[0]: r for r in table_rows(regulations(k, B)[0]) if len(r) == 3}
    check_eq(rows["教育責任者"][1:], ["副所長（兼務）", "会計 太郎"], "the roles table says who holds it")
    # A standard draft: 総務部長-style merging does not touch separate people.
    _, ta = regulations(k, A)
    check(any(t.startswith("（2）") and "管理本部長は、代表取締役社長が任命し" in t for t in ta),
          "A's security lead is appointed by the president")


def test_the_office_speaks_as_an_office(e, k):
    """A 士業 office is 当事務所 and its clients 顧問先 when its profile says
    so; no online-shop rules where there is no shop; a medical corporation
    is 当法人; neither acts 全社を挙げて."""
    _, tb = regulations(k, B)
    jb = "\n".join(tb)
    check("当社" not in jb and "全社" not in jb, "B's draft never says 当社 or 全社")
    check("テスト会計事務所（以下「当事務所」という。）" in jb, "B is 当事務所")
    check(any(re.match(r"^第\d+条（顧問先から預かる書類等の管理）$", t) for t in tb), "B's clients are 顧問先")
    for company, texts in ((A, regulations(k, A)[1]), (B, tb)):
        joined = "\n".join(texts)
        check("ネットショップ" not in joined, "%s: no online-shop rules" % company)
        check(any(re.match(r"^第\d+条（ウェブサイトの管理）$", t) for t in texts), "%s: the website article" % company)
    policy = "\n".join(doc_text(os.path.join(k.out(B, "visit-2"), "情報セキュリティ基本方針.docx")))
    check("テスト会計事務所（以下「当事務所」といいます。）" in policy and "事務所を挙げて" in policy
          and "当社" not in policy and "全社" not in policy, "B's basic policy speaks as an office")
    k.b("company", "add", "医療法人社団 テスト会", "--industry", "医療、福祉", "--kind", "医療法人",
        "--employees", "40", "--prefecture", "大阪府")
    k.b("engage", "医療法人社団 テスト会", "policy", "--expert", "1")
    out = k.path("c-commit.xlsx")
    k.b("worksheet", "3", "policy-commitments", "-o", out)
    texts = [r["標準の文"] for r in sheet_rows(out)]
    check_eq(texts[0], "当法人は、経営者が先頭に立って情報セキュリティに取り組み、その取り組みを継続して改善します。"
             "そのために必要な人員と費用を確保します。", "a medical corporation is 当法人")
    check(not any("当社" in t for t in texts), "no 当社 for a medical corporation")
    roles = k.path("c-roles.xlsx")
    k.b("worksheet", "3", "regulation-roles", "-o", roles)
    lead = next(r for r in sheet_rows(roles) if r["役割"] == "情報セキュリティ責任者")
    check_eq(lead["役割の内容"], "代表者から任命され、情報セキュリティ対策の立案、実施及び見直しを統括する。",
             "the role sheet does not say 全社的に to a corporation")


def test_a_one_person_office(e, k):
    """The head of a three-person office holds the security lead's role too
    and names nobody else: the draft has them neither appoint nor report to
    themselves, and folds every other role into theirs."""
    name = "小さな事務所"
    k.b("company", "add", name, "--industry", "学術研究、専門・技術サービス業", "--kind", "個人事業主",
        "--employees", "3")
    k.b("engage", name, "policy", "--expert", "1")
    roles, check_sheet = k.path("d-roles.xlsx"), k.path("d-check.xlsx")
    k.b("worksheet", "4", "regulation-roles", "-o", roles)
    k.b("worksheet", "4", "regulation-check", "-o", check_sheet)
    wb = openpyxl.load_workbook(roles)
    ws = wb.worksheets[0]
    header, cols = table(ws)
    for r in data_rows(ws, header):
        if ws.cell(r, cols["役割"]).value in ("代表者", "情報セキュリティ責任者"):
            ws.cell(r, cols["貴社での名称（役職・部署）"]).value = "所長"
            ws.cell(r, cols["担当者氏名"]).value = "小山 一"
    wb.save(roles)
    k.b("import", "4", roles)
    k.b("import", "4", check_sheet)
    for n, date in ((1, "2026-04-01"), (2, "2026-05-01")):
        k.b("visit", "plan", "4", str(n), "--date", date)
        k.b("visit", "hold", "4", str(n), "--date", date)
    k.b("visit", "plan", "4", "3", "--date", "2026-06-01")
    k.b("visit", "prepare", "4", "3")
    texts = doc_text(os.path.join(k.ws, "out", company_folder(4, name), "policy", "visit-3",
                                  "情報セキュリティ関連規程（案）.docx"))
    for want in ("所長は、情報セキュリティ責任者を兼ね、対策の立案、実施及び見直しを統括する。",
                 "このほかの役割には個別の担当者を置かず、所長がシステム管理者、教育責任者、点検責任者、"
                 "人事・総務担当部門、個人情報保護管理者、事務取扱責任者、インシデント対応責任者及び"
                 "各部門の責任者の職務を行う。",
                 "所長は、年1回以上、自社診断の項目等を用いてこの規程の遵守状況を点検し、その結果を記録しなければならない。"):
        check(any(want in t for t in texts), "the one-person draft has %r" % want)
    joined = "\n".join(texts)
    check("所長が兼ねることができる" not in joined, "no 'the head may hold it' after the head holds it")
    bad = [t for t in texts for s in t.split("。") if re.search(r"所長は.*所長(に|が|と|又は|及び)", s)]
    check_eq(bad, [], "no sentence has the head act on themselves")


def fill_selfdiag(path, out, answer_of):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = table(ws)
    for r in data_rows(ws, header):
        ws.cell(r, cols["回答"]).value = answer_of(ws.cell(r, cols["No."]).value)
    wb.save(out)


def test_visit_three_reports(e, k):
    first = k.path("sd1.xlsx")
    fill_selfdiag(os.path.join(k.out(A, "visit-1"), "5分でできる情報セキュリティ自社診断.xlsx"), first,
                  lambda no: "実施している" if no <= 10 else "実施していない")          # 40 points
    k.b("import", "1", first)
    second = k.path("sd2.xlsx")
    fill_selfdiag(os.path.join(k.out(A, "visit-3"), "5分でできる情報セキュリティ自社診断_2回目.xlsx"), second,
                  lambda no: "実施している" if no <= 20 else "わからない")             # 80 - 5 = 75
    k.b("import", "1", second)
    k.b("visit", "hold", "1", "3", "--findings", "試験の所見", "--date", "2026-06-20")
    k.b("visit", "report", "1", "3")
    rows = table_rows(os.path.join(k.out(A, "visit-3"), "自社診断結果報告.docx"))
    total = next(r for r in rows if r and r[0] == "合計" and len(r) == 5)
    check_eq(total, ["合計", "100", "40", "75", "+35"], "the totals compared")
    changed = sorted((int(r[0]), r[-1]) for r in rows if r and r[-1] in ("改善", "後退"))
    check_eq(changed, [(n, "改善") for n in range(11, 21)] + [(n, "後退") for n in range(21, 26)],
             "answers that changed: 実施していない → 実施している, → わからない")
    report = doc_text(os.path.join(k.out(A, "visit-3"), "自社診断結果報告.docx"))
    check("一方で5項目は1回目より後退しています。対策が続かなくなったのか、答え方が変わったのかを確かめてください。"
          in report, "the comment names the answers that fell back as well")
    plan = "\n".join(doc_text(os.path.join(k.out(A, "visit-3"), "運用計画.docx")))
    check("令和9年6月20日" in plan, "the review is a year after visit 3")
    steps = {r[1]: r for r in table_rows(os.path.join(k.out(A, "visit-3"), "運用計画.docx"))
             if len(r) == 5 and r[0].isdigit()}
    check_eq((steps["承認"][3], steps["周知"][3], steps["承認"][4]),
             ("代表取締役社長", "管理本部長", "令和8年7月4日\n（2026年7月4日）"), "who approves and announces, and when")
    # Every measure of the plan is an open gap of the status list, in rank order.
    measures = [r for r in table_rows(os.path.join(k.out(A, "visit-3"), "運用計画.docx"))
                if len(r) == 5 and r[0].isdigit() and r[2].startswith("【")]
    want = [r["領域"] for r in k.files["status_rows"] if r["判定"] != "整備済"]
    check_eq([m[1] for m in measures], want, "the plan's measures follow the status list")
    # Each says the gap and the measure in words, with someone named.
    by_area = {m[1]: m for m in measures}
    check_eq(by_area["パスワードと認証"][2],
             "【最優先】文書になったルールがない。\n対策：パスワードの長さや使い回しの禁止、重要なサービスでの"
             "多要素認証の利用、初期パスワードの変更を規程で定め、関連規程（案）の「アクセス制御及び認証」に沿って"
             "運用を始める。", "the password gap and its measure")
    check_eq(by_area["パスワードと認証"][3], "情報システム課", "the system administrator owns it")
    check_eq(by_area["事故の報告と初動対応"][2].split("\n")[0],
             "【%s】ルールはある（就業規則）が、守られていない。"
             % next(r["判定"] for r in k.files["status_rows"] if r["領域"] == "事故の報告と初動対応"),
             "a rule not followed")
    check_eq(by_area["情報セキュリティ教育"][2].split("\n")[0][-30:],
             "ルールが一部しか文書になっていない（就業規則）。運用も一部にとどまる。"[-30:], "a partial rule")
    roles = set(t for _, (t, _) in ROLES[A].items())
    check(all(m[3] in roles for m in measures), "every measure has a named owner: %s"
          % sorted(set(m[3] for m in measures)))


def chapter_texts(texts, title):
    """The texts of the draft's chapter with this title, heading excluded."""
    out, inside = [], False
    for t in texts:
        m = re.match(r"^第\d+章\u3000(.*)$", t)
        if m:
            inside = m.group(1) == title
        elif t in ("附則", "本案に含めていない章", "用語集"):
            inside = False
        elif inside:
            out.append(t)
    return out


def plan_measures(k, company):
    return [r for r in table_rows(os.path.join(k.out(company, "visit-3"), "運用計画.docx"))
            if len(r) == 5 and r[0].isdigit() and r[2].startswith("【")]


def test_the_plan_owners_follow_the_draft(e, k):
    """The owner of each measure of the operation plan is the one the
    draft's chapter for it makes responsible."""
    first = k.path("b-sd1.xlsx")
    fill_selfdiag(os.path.join(k.out(B, "visit-1"), "5分でできる情報セキュリティ自社診断.xlsx"), first,
                  lambda no: "実施している" if no <= 12 else "実施していない")
    k.b("import", "2", first)
    k.b("visit", "hold", "2", "3", "--findings", "試験の所見", "--date", "2026-06-20")
    k.b("visit", "report", "2", "3")
    for company in (A, B):
        _, texts = regulations(k, company)
        measures = plan_measures(k, company)
        check(measures, "%s: the plan has measures" % company)
        for m in measures:
            chapter = re.search(r"関連規程（案）の「(.*?)」", m[2]).group(1)
            body = "\n".join(chapter_texts(texts, chapter))
            check(body, "%s: the draft has the chapter %s" % (company, chapter))
            # the security lead answers for a chapter that names nobody
            lead = ROLES[company]["情報セキュリティ責任者"][0]
            named = [t for t, _ in ROLES[company].values() if t + "は" in body or t + "が" in body]
            check(m[3] + "は" in body or m[3] + "が" in body or (m[3] == lead and not named),
                  "%s: %s is owned by %s, whom the chapter %s names: %s" % (company, m[1], m[3], chapter, body[:80]))
    by_area = {m[1]: m for m in plan_measures(k, B)}
    check_eq(by_area["情報セキュリティ教育"][3], "副所長", "B's education is owned by who teaches in the draft")
    check_eq(by_area["点検（内部監査）と見直し"][3], "所長", "B's inspection is owned by who inspects")


def test_the_office_says_komonsaki(e, k):
    """An accounting office's clients are 顧問先 in every document: its
    plan, basic policy, checklist, status list and draft."""
    by_area = {m[1]: m for m in plan_measures(k, B)}
    check("顧問先から預かる書類と守秘義務" in by_area, "B's plan names the area as its draft does: %s" % sorted(by_area))
    plan = "\n".join(doc_text(os.path.join(k.out(B, "visit-3"), "運用計画.docx")))
    check("顧客" not in plan and "お客様" not in plan, "B's plan says 顧問先")
    check("お客様" not in "\n".join(doc_text(os.path.join(k.out(B, "visit-2"), "情報セキュリティ基本方針.docx"))),
          "B's basic policy says 顧問先")
    status = os.path.join(k.out(B, "visit-2"), "基本方針_関連規程の整備状況確認一覧表.xlsx")
    check(not any("顧客" in str(r["領域"]) for r in sheet_rows(status)), "B's status list says 顧問先")
    sheet = k.path("b-check-again.xlsx")
    k.b("worksheet", "2", "regulation-check", "-o", sheet)
    row = next(r for r in sheet_rows(sheet) if "預かる書類" in r["領域"])
    check_eq((row["領域"], row["確認のポイント"][:15]), ("顧問先から預かる書類と守秘義務", "顧問先から預かった書類やデータ"),
             "B's checklist says 顧問先")
    jb = "\n".join(regulations(k, B)[1])
    check("顧客" not in jb and "お客様" not in jb, "B's draft says 顧問先 throughout")
    commitments = k.path("b-commit-again.xlsx")
    k.b("worksheet", "2", "policy-commitments", "-o", commitments)
    headings = [r["項目"] for r in sheet_rows(commitments)]
    check("顧問先情報の保護" in headings and not any("お客様" in h for h in headings),
          "B's policy sheet heads the clause 顧問先情報の保護: %s" % headings)


def test_a_small_office_has_no_departments(e, k):
    """A small office that names nobody for 各部門の責任者 has one team: its
    draft speaks of no departments and has the head appoint nobody to the
    post the deputy already holds; a manufacturer's keeps its departments."""
    _, tb = regulations(k, B)
    jb = "\n".join(tb)
    for want in ("副所長は、従業員等がこの規程を守るよう指導し、その状況を把握しなければならない。",
                 "必要な対策を関係する従業員等に指示するものとする。",
                 "所長は、副所長に特定個人情報の取扱いを管理させる。"):
        check(any(want in t for t in tb), "B's draft has %r" % want)
    check("管理する副所長を任命" not in jb, "B's head does not appoint the deputy to be the deputy")
    check("関係部門" not in jb and "部門の従業員" not in jb, "B's draft has no departments")
    _, ta = regulations(k, A)
    check(any("各部門の責任者は、部門の従業員等がこの規程を守るよう指導し、その状況を把握しなければならない。" in t
              for t in ta), "A's department heads still guide their departments")


def test_the_compact_draft_covers_its_checklist(e, k):
    """Every area the small office's checklist asks about, and its plan
    says to put in the draft's chapter, has an article in its compact
    draft: SNS, USB memories, logs, the equipment register, visitors and
    the equipment's protection as well."""
    _, tb = regulations(k, B)
    titles = [m.group(1) for t in tb for m in [re.match(r"^第\d+条（(.*)）$", t)] if m]
    for want in ("来訪者の対応", "機器の保護", "ウェブサイトの閲覧及びSNSの利用", "記録媒体の利用",
                 "サーバ等の管理", "ログの取得及び確認"):
        check(want in titles, "B's compact draft has the article %s: %s" % (want, titles))
    check(any("私的なSNS等で、業務上知り得た情報、顧問先・取引先に関する情報" in t for t in tb),
          "B's SNS rule names its clients")


def test_the_plan_tables_read_well(e, k):
    """The plan's date cells break before the Western date, not inside its
    digits, and an administrator who is also the security lead is not
    down to train themselves."""
    rows = table_rows(os.path.join(k.out(B, "visit-3"), "運用計画.docx"))
    training = {r[0]: r for r in rows if len(r) == 4 and r[0] in ("経営者・管理者", "全従業員", "システム管理者")}
    check_eq(training["システム管理者"][2:], ["外部の研修・セミナー", "令和8年8月4日\n（2026年8月4日）"],
             "B's administrator, the deputy, learns outside")
    rows_a = table_rows(os.path.join(k.out(A, "visit-3"), "運用計画.docx"))
    admin_a = next(r for r in rows_a if len(r) == 4 and r[0] == "システム管理者")
    check_eq(admin_a[2], "管理本部長", "A's administrator is trained by the security lead")
    dates = [c for r in rows + rows_a if r[0] != "時期" for c in r if re.match(r"^令和", c)]
    check(dates and all("\n（" in c for c in dates if "（" in c), "every table date breaks before （: %s" % dates[:3])
    # The date columns are wide enough for 「（2026年12月10日）」 on one line
    # (3.9 cm), and the short review table is kept on one page.
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(os.path.join(k.out(B, "visit-3"), "運用計画.docx"))
    for t in d.tables:
        head = [c.text for c in t.rows[0].cells]
        if head[-1] in ("時期", "期限"):
            last = t._tbl.tblGrid.findall(qn("w:gridCol"))[-1]
            check(int(last.get(qn("w:w"))) >= 2200, "the %s column of %s is 3.9 cm wide: %s"
                  % (head[-1], head[:2], last.get(qn("w:w"))))
    review = next(t for t in d.tables if t.rows[0].cells[0].text == "時期" and len(t.columns) == 2)
    for row in review.rows[:-1]:
        check(row._tr.find(".//" + qn("w:keepNext")) is not None, "the review row %r keeps with the next"
              % row.cells[0].text)


def test_one_website_is_not_websites(e, k):
    """Without an online shop the website article speaks of one website:
    no 「ウェブサイト等」 and no payment service; the revision history's
    date breaks before the Western date."""
    for company in (A, B):
        path, texts = regulations(k, company)
        joined = "\n".join(texts)
        check("ウェブサイト等" not in joined and "決済サービス" not in joined,
              "%s: one website, no payment service" % company)
        check(any("ウェブサイトの管理担当者を定め、サーバ、ドメイン、証明書、CMS等の構成と契約を一覧にしておかなければならない。"
                  in t for t in texts), "%s: the website's manager is named" % company)
        first = next(r for r in table_rows(path) if r and r[0] == "第1版（案）")
        check_eq(first[1], "令和8年6月20日\n（2026年6月20日）", "%s: the revision date" % company)


def test_the_requests_name_every_sheet(e, k):
    """The requests before a visit ask for every sheet of its pack: the
    roles sheet with the checklist, the policy sheet before visit 2."""
    first = "\n".join(doc_text(os.path.join(k.out(A, "visit-1"), "第1回_事前依頼事項.docx")))
    check("チェックシートで今ある規程を自己評価し、体制・役割シートに担当者を記入する" in first,
          "visit 1 asks for the roles sheet")
    second = "\n".join(doc_text(os.path.join(k.out(A, "visit-2"), "第2回_事前依頼事項.docx")))
    check("「基本方針 検討シート」で、情報セキュリティ基本方針に盛り込む事項を検討する" in second,
          "visit 2 asks for the policy sheet")


def test_documents_open_in_libreoffice(e, k):
    k.b("engagement", "final-report", "1", "--findings", "試験の所見")
    files = sorted(glob.glob(os.path.join(k.out(A), "**", "*.docx"), recursive=True) +
                   glob.glob(os.path.join(k.out(B), "**", "*.docx"), recursive=True))
    check(len(files) >= 14, "documents written: %d" % len(files))
    check_pdf_conversion(e, files, k.path("pdf"), k.ws)


TESTS = [test_variants_follow_the_profile, test_pack_has_the_checklist,
         test_bad_answer_names_the_cell, test_checklists_imported,
         test_report_waits_for_the_commitments, test_basic_policy, test_status_formulas_recalculate,
         test_regulation_drafts, test_one_person_two_roles, test_the_office_speaks_as_an_office,
         test_a_one_person_office,
         test_visit_three_reports, test_the_plan_owners_follow_the_draft, test_the_office_says_komonsaki,
         test_a_small_office_has_no_departments, test_the_compact_draft_covers_its_checklist,
         test_the_plan_tables_read_well, test_one_website_is_not_websites,
         test_the_requests_name_every_sheet, test_documents_open_in_libreoffice]


if __name__ == "__main__":
    sys.exit(run_suite("policy", TESTS, Case))
