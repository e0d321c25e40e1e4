#!/usr/bin/python3
"""End-to-end tests of theme 4 (セキュリティインシデント対応): two companies
fill in the team, contacts and systems with openpyxl; a team without its 対応責任者
is refused; each company's procedure carries its own names and numbers and only
the incident types it is exposed to (one of them known from its cloud ledger of
theme 3); the exercise scenario points at the procedure's sections; an exercise
record imported gives a review listing exactly the gaps entered.

    /usr/bin/python3 tests/e2e/test_incident.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`incident: N passed, N failed`.
"""
import glob
import json
import os
import re
import sys

import openpyxl

from harness import (check, check_eq, check_list, check_pdf_conversion, company_folder, data_rows,
                     doc_text, run_suite, table, table_rows)

A = "テスト部品工業株式会社"      # automotive supplier, engagement 1 (incident)
B = "株式会社テスト物産"          # wholesale: engagement 2 (cloud), engagement 3 (incident)

# The incident types and their section titles in the procedure.
TITLES = {
    "malware": "マルウェア・ランサムウェアへの感染", "leak": "情報の漏えい・流出",
    "unauthorized": "不正アクセス・アカウントの乗っ取り", "lost": "機器・書類の紛失・盗難",
    "missent": "メール・FAXの誤送信", "defacement": "Webサイトの改ざん・不正な書き込み",
    "outage": "システム・クラウドサービスの停止", "bec": "ビジネスメール詐欺・不正送金",
    "ot": "生産設備・制御システムへの攻撃や停止",
}
ORDER = list(TITLES)
ALWAYS = {"malware", "leak", "lost", "missent"}
# A runs a file server and production equipment; B lists only PCs and mail
# here, but its cloud ledger (theme 3) has internet banking, a website and
# cloud storage.
WANT_A = ALWAYS | {"unauthorized", "outage", "ot"}
WANT_B = ALWAYS | {"unauthorized", "outage", "defacement", "bec"}

TEAM_A = {
    "最高責任者": ("部品 一郎", "代表取締役", "090-1000-0001", "副社長 部品 二郎", "090-1000-0002"),
    "対応責任者": ("守田 健", "総務部長", "090-1000-0003", "総務課長 川村 舞", "090-1000-0004"),
    "受付・連絡窓口": ("川村 舞", "総務課長", "052-000-0005", None, None),
    "技術対応": ("工藤 翔", "情報システム係", "090-1000-0006", "保守業者 中部システム", "052-000-0007"),
}
VENDOR = ("委託先・保守業者", "中部システムサービス株式会社", "保守窓口 佐野", "052-111-2233")
SYSTEMS_A = [("ファイルサーバ", "社内サーバ・NAS"), ("生産管理端末", "生産設備・制御システム"),
             ("事務所のPC", "業務用PC"), ("社内メール", "メール")]
SYSTEMS_B = [("事務所のPC", "業務用PC"), ("メール", "メール")]


class Case:
    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", A, "--industry", "製造業（自動車産業）", "--employees", "60",
              "--prefecture", "愛知県", "--contact", "守田 健", "--contact-role", "総務部長")
        e.run(*self.c, "company", "add", B, "--industry", "卸売業", "--employees", "30",
              "--prefecture", "埼玉県")
        e.run(*self.c, "expert", "add", "専門 花子", "--themes", "incident,cloud")
        e.run(*self.c, "engage", A, "incident", "--expert", "1")
        e.run(*self.c, "engage", B, "cloud", "--expert", "1")
        e.run(*self.c, "engage", B, "incident", "--expert", "1")
        self.files = {}

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)

    def out(self, company, sub=""):
        return os.path.join(self.ws, "out", company_folder([A, B].index(company) + 1, company),
                            "incident", sub)

    def path(self, name):
        p = os.path.join(self.e.tmp, "files", name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def records(self, eng, sheet):
        rc, out, _ = self.b("records", str(eng), sheet, "--json", check=False)
        return json.loads(out) if rc == 0 else None

    def hold(self, eng, n, date):
        self.b("visit", "plan", str(eng), str(n), "--date", date)
        self.b("visit", "hold", str(eng), str(n), "--date", date, "--findings", "試験の所見", "--attendees", "代表取締役, 総務部長")


def fill_team(src, dst, team, systems, vendor=True, change=None):
    wb = openpyxl.load_workbook(src)
    ws = wb["対応体制"]
    header, cols = table(ws, "役割")
    for r in data_rows(ws, header):
        role = ws.cell(r, cols["役割"]).value
        if role in team:
            name, title, phone, deputy, dphone = team[role]
            for h, v in {"氏名": name, "役職・部署": title, "電話（夜間・休日も）": phone, "代理": deputy,
                         "代理の電話": dphone}.items():
                ws.cell(r, cols[h]).value = v
    ws = wb["連絡先"]
    header, cols = table(ws, "区分")
    last = max(data_rows(ws, header))
    if vendor:
        for h, v in zip(("区分", "名称", "担当者・部署", "電話"), VENDOR):
            ws.cell(last + 1, cols[h]).value = v
    ws = wb["システムとログ"]
    header, cols = table(ws, "区分")
    r = max(data_rows(ws, header)) + 1
    for name, kind in systems:
        for h, v in {"区分": "自社", "システム・機器": name, "種類": kind, "ログの所在": "機器の操作記録"}.items():
            ws.cell(r, cols[h]).value = v
        r += 1
    if change:
        change(wb)
    wb.save(dst)


def test_team_sheet_has_roles_and_public_desks(e, k):
    path = k.path("team-blank.xlsx")
    k.b("worksheet", "1", "incident-team", "-o", path)
    wb = openpyxl.load_workbook(path)
    check_list(wb.sheetnames[:3], ["対応体制", "連絡先", "システムとログ"], "sheets")
    ws = wb["対応体制"]
    header, cols = table(ws, "役割")
    roles = {ws.cell(r, cols["役割"]).value: ws.cell(r, cols["必須"]).value for r in data_rows(ws, header)}
    for role in ("最高責任者", "対応責任者", "受付・連絡窓口", "技術対応"):
        check_eq(roles.get(role), "◎", "%s is required" % role)
    check(len(roles) >= 6, "roles: %s" % list(roles))
    ws = wb["連絡先"]
    header, cols = table(ws, "区分")
    names = [ws.cell(r, cols["名称"]).value for r in data_rows(ws, header)]
    check(any("IPA" in n for n in names) and any("個人情報保護委員会" in n for n in names)
          and any("警察" in n for n in names), "public desks are listed: %s" % names)
    k.files["blank"] = path


def test_team_sheet_columns_hold_their_text(e, k):
    """The systems sheet's retention wraps inside a column wide enough for
    it (it ran over the notes and off the printed table); the contacts' notes
    are wide enough that the public desks' rows stay low; a sample row for
    the phones and tablets taken out of the office."""
    wb = openpyxl.load_workbook(k.files["blank"])
    ws = wb["システムとログ"]
    header, cols = table(ws, "区分")
    letter = openpyxl.utils.get_column_letter
    rows = list(data_rows(ws, header))
    check(all(ws.cell(r, cols["保存期間"]).alignment.wrap_text for r in rows), "保存期間 wraps")
    check(ws.column_dimensions[letter(cols["保存期間"])].width >= 32, "保存期間 is 32 wide")
    names = [ws.cell(r, cols["システム・機器"]).value for r in rows]
    check("外に持ち出すスマートフォン・タブレット" in names, "the phones and tablets: %s" % names)
    ws = wb["連絡先"]
    header, cols = table(ws, "区分")
    check(ws.column_dimensions[letter(cols["備考"])].width >= 44, "備考 of the contacts is 44 wide")


def test_team_sheet_prints_no_page_of_blank_rows(e, k):
    """Printed, the team sheet has no page that holds nothing but the
    repeated column headings over empty rows (the systems' and, before, the
    contacts' spare rows ran onto a page of their own)."""
    import subprocess
    from harness import soffice
    out = k.path("team-pdf")
    soffice(e, [k.files["blank"]], "pdf", out)
    pdf = os.path.join(out, "team-blank.pdf")
    check(os.path.isfile(pdf), "the team sheet converted to PDF")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, timeout=120).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]
    empty = []
    for n, page in enumerate(pages, start=1):
        lines = [l.strip() for l in page.splitlines() if l.strip()]
        # The running header, the page number and the headings repeated.
        body = [l for l in lines[1:] if not re.fullmatch(r"\d+\s*/\s*\d+\s*ページ", l)
                and not l.startswith("区分")]
        if not body:
            empty.append(n)
    check(not empty, "pages of blank rows only: %s of %d" % (empty, len(pages)))


def test_missing_lead_is_reported(e, k):
    bad = k.path("team-no-lead.xlsx")
    team = {r: v for r, v in TEAM_A.items() if r != "対応責任者"}
    fill_team(k.files["blank"], bad, team, SYSTEMS_A)
    rc, out, err = k.b("import", "1", bad, check=False)
    ws = openpyxl.load_workbook(bad)["対応体制"]
    header, cols = table(ws, "役割")
    r = next(r for r in data_rows(ws, header) if ws.cell(r, cols["役割"]).value == "対応責任者")
    want = "対応体制!%s%d: 氏名 is required (必須 = ◎)" % (openpyxl.utils.get_column_letter(cols["氏名"]), r)
    check(rc != 0 and want in err, "stderr names %r:\n%s" % (want, err))
    check(k.records(1, "incident-team") is None and k.records(1, "incident-contacts") is None,
          "nothing stored from the refused workbook")


def test_team_and_contacts_imported(e, k):
    filled = k.path("team-a.xlsx")
    fill_team(k.files["blank"], filled, TEAM_A, SYSTEMS_A)
    rc, out, err = k.b("import", "1", filled)
    lines = out.splitlines()
    check_eq(lines[0], "imported incident-team: %d rows" % len(k.records(1, "incident-team")), "team imported")
    check(lines[1].startswith("imported incident-contacts: "), "contacts imported: %s" % out)
    check(lines[2].startswith("imported incident-systems: 4 rows ("), "own systems only: %s" % out)
    team = {r["role"]: r for r in k.records(1, "incident-team")}
    check_eq(team["対応責任者"]["phone"], "090-1000-0003", "the lead's number stored")
    contacts = k.records(1, "incident-contacts")
    check(any(c["name"] == VENDOR[1] and c["phone"] == VENDOR[3] for c in contacts), "the vendor stored")


def procedure_types(path):
    """The incident types whose sections the procedure has, by their titles,
    and the section numbers."""
    found = {}
    for t in doc_text(path):
        m = re.match(r"^(5\.\d+)\s*(.+)$", t.strip())
        if m:
            for tid, title in TITLES.items():
                if m.group(2).strip() == title:
                    found[tid] = m.group(1)
    return found


def test_procedure_has_the_companys_names_and_types(e, k):
    k.hold(1, 1, "2026-10-01")
    k.hold(1, 2, "2026-10-29")
    k.b("visit", "report", "1", "2")
    path = k.out(A, "visit-2/インシデント対応手順書.docx")
    text = "\n".join(doc_text(path))
    for role, (name, title, phone, deputy, dphone) in TEAM_A.items():
        check(name in text and phone in text, "%s %s and %s in the procedure" % (role, name, phone))
    check(VENDOR[1] in text and VENDOR[3] in text, "the vendor and its number")
    check("ファイルサーバ" in text, "the systems appendix")
    types = procedure_types(path)
    check_eq(sorted(types), sorted(WANT_A), "incident types of %s" % A)
    check_eq([types[t] for t in ORDER if t in types], ["5.%d" % (i + 1) for i in range(len(types))],
             "type sections numbered in order")
    for t in set(TITLES) - WANT_A:
        check(TITLES[t] not in text, "no section on %s" % TITLES[t])
    check("生産設備・制御システム" in text, "why the OT section is there")
    legal = {r[0]: r for r in table_rows(path) if len(r) == 5 and r[0] != "法令・契約"}
    check("割賦販売法・カード会社との加盟店契約（EC）" not in legal, "no card duties without a shop: %s" % list(legal))
    supply = legal.get("取引先との契約（サプライチェーン）", [""] * 5)
    check_eq(supply[1], "取引基本契約や発注元の基準で、事故の報告が求められているとき", "the supply chain row")
    check(supply[4].startswith("自動車産業では、業界団体（日本自動車工業会・日本自動車部品工業会）") and
          supply[4].endswith("契約の条項を平時に確かめ、報告先と期限を連絡先シートに書いておく"),
          "the automotive supplier's note: %s" % supply[4])
    k.files["procedure_a"], k.files["types_a"] = path, types


def test_procedure_folds_unstaffed_roles(e, k):
    """A's team names four roles; the other three are folded into the role
    that covers them, said once, and no （未定） is left in the procedure."""
    path = k.files["procedure_a"]
    text = "\n".join(doc_text(path))
    check("（未定）" not in text, "no role left （未定）")
    want = ("広報・顧客対応は最高責任者（代表取締役 部品 一郎）、記録係は受付・連絡窓口（総務課長 川村 舞）、"
            "個人情報・法務は対応責任者（総務部長 守田 健）が兼ねます。")
    check_eq(text.count(want), 1, "the fold said once: %s" % want)
    want = ("代理を決めていない役割（受付・連絡窓口、記録係）は対応責任者（総務部長 守田 健）が代わります。"
            "別の人を代理に決めたときは、体制・連絡先シートとこの表を直します。")
    check(want in text, "who stands in where no deputy is named: %s" % want)
    check("対応責任者の代理は" not in text, "the lead has a deputy of its own")
    team = {r[0]: r[2] for r in table_rows(path) if len(r) == 5}
    check_eq(team.get("記録係"), "川村 舞\n総務課長（受付・連絡窓口が兼ねる）", "the record keeper's row: %s" % team)


def test_procedure_contacts_say_what_to_fill(e, k):
    """The vendor the company gave replaces the blank 保守業者 row; the rows
    left blank say what to write there."""
    path = k.files["procedure_a"]
    rows = [r for r in table_rows(path) if len(r) == 6]
    vendors = [r[1] for r in rows if r[0] == "委託先・保守業者" and r[1] != "インターネットプロバイダ"]
    check_eq(vendors, [VENDOR[1]], "one maintenance vendor")
    by_name = {r[1]: r for r in rows}
    for name, want in (("サイバー保険の保険会社・代理店", "記入：保険証券番号と、事故受付の電話番号"),
                       ("取引銀行（法人窓口）", "記入：法人インターネットバンキングの問い合わせ窓口と、不正利用の受付番号（夜間・休日）"),
                       ("弁護士・法律相談先", "記入：顧問弁護士の事務所名と電話番号（いなければ弁護士会の法律相談窓口）"),
                       ("インターネットプロバイダ", "記入：契約者番号（回線ID）と、故障・障害の受付電話番号")):
        check_eq(by_name.get(name, [None] * 6)[3], want, "what to write for %s" % name)


def test_procedure_has_no_empty_page(e, k):
    """Section 4 follows section 3 on the same page: no forced break."""
    import docx
    d = docx.Document(k.files["procedure_a"])
    paras = d.paragraphs
    i = next(i for i, p in enumerate(paras) if p.text.strip() == "4．対応の流れ")
    p = paras[i]
    check(not p.paragraph_format.page_break_before and not p.style.paragraph_format.page_break_before,
          "no page break before section 4")
    check('w:type="page"' not in paras[i - 1]._p.xml, "no page break after section 3")


def test_procedure_of_another_profile(e, k):
    """B's systems sheet lists only PCs and mail; its cloud ledger from
    theme 3 brings internet banking, a website and cloud storage."""
    cloud_blank = k.path("cloud-blank.xlsx")
    k.b("worksheet", "2", "cloud-ledger", "-o", cloud_blank)
    wb = openpyxl.load_workbook(cloud_blank)
    ws = wb.worksheets[0]
    header, cols = table(ws, "区分")
    for r in data_rows(ws, header):
        ws.cell(r, cols["区分"]).value = "サンプル"
    r = max(data_rows(ws, header)) + 1
    for no, name, kind in [("C-01", "法人IB", "インターネットバンキング"), ("C-02", "自社サイト", "Webサイト・ブログ"),
                           ("C-03", "ファイル共有", "ファイル共有・ストレージ")]:
        for h, v in {"区分": "自社", "管理番号": no, "サービス名": name, "利用目的・業務": "業務", "種類": kind,
                     "状態": "利用中", "情報の重要度": 2}.items():
            ws.cell(r, cols[h]).value = v
        r += 1
    ledger = k.path("cloud-ledger.xlsx")
    wb.save(ledger)
    k.b("import", "2", ledger)
    blank = k.path("team-b-blank.xlsx")
    k.b("worksheet", "3", "incident-team", "-o", blank)
    ws = openpyxl.load_workbook(blank)["システムとログ"]
    header, cols = table(ws, "区分")
    names = [ws.cell(r, cols["システム・機器"]).value for r in data_rows(ws, header)
             if ws.cell(r, cols["区分"]).value == "自社"]
    check_eq(names, ["法人IB", "自社サイト", "ファイル共有"], "the cloud ledger's services are offered as systems")
    filled = k.path("team-b.xlsx")
    team = {"最高責任者": ("物産 太郎", "代表取締役", "048-000-0001", None, None),
            "対応責任者": ("管理 次郎", "管理部長", "048-000-0002", None, None),
            "受付・連絡窓口": ("受付 花", "管理部", "048-000-0003", None, None),
            "技術対応": ("技術 光", "外部委託", "048-000-0004", None, None)}

    def only_pcs(wb):
        # The company removes the services brought from the ledger from the
        # sheet: the ledger itself still counts.
        ws = wb["システムとログ"]
        header, cols = table(ws, "区分")
        for r in data_rows(ws, header):
            if ws.cell(r, cols["システム・機器"]).value in names:
                ws.cell(r, cols["区分"]).value = "サンプル"
    fill_team(blank, filled, team, SYSTEMS_B, vendor=False, change=only_pcs)
    k.b("import", "3", filled)
    k.hold(3, 1, "2026-10-02")
    k.hold(3, 2, "2026-10-30")
    k.b("visit", "report", "3", "2")
    path = k.out(B, "visit-2/インシデント対応手順書.docx")
    types = procedure_types(path)
    check_eq(sorted(types), sorted(WANT_B), "incident types of %s" % B)
    text = "\n".join(doc_text(path))
    check("クラウドサービス台帳" in text, "the reason names the cloud ledger")
    check(TITLES["ot"] not in text, "no section on production equipment")
    check("管理 次郎" in text and "048-000-0002" in text, "B's own names and numbers")
    check("守田 健" not in text, "nothing of A")
    legal = {r[0]: r for r in table_rows(path) if len(r) == 5}
    check_eq(legal.get("取引先との契約（サプライチェーン）", [""] * 5)[4], "契約の条項を平時に確かめ、報告先と期限を連絡先シートに書いておく",
             "a wholesaler's supply chain note has nothing of the car industry")
    check("自動車" not in text and "割賦販売法" not in text, "no car industry, no card duties for %s" % B)


def test_incident_report_example_and_blank(e, k):
    example = k.out(A, "visit-2/インシデント報告書_記入例.docx")
    blank = k.out(A, "visit-2/インシデント報告書_様式.docx")
    text = "\n".join(doc_text(example))
    check("記入例" in text and "守田 健" in text, "the example uses the company's lead")
    rows = table_rows(blank)
    check(len(rows) >= 20, "the blank form has its tables: %d rows" % len(rows))
    btext = "\n".join(doc_text(blank))
    check("記入例" not in btext and "守田 健" in btext, "the blank names where it goes, no example text")
    want = "提出先：対応責任者（総務部長 守田 健）。インシデントに気付いたら、分かっている範囲で早く第1報を出し、分かり次第書き足してください。"
    check(want in btext, "the blank's note opens with where it goes: %s" % want)
    prevention = [r[1] for r in table_rows(example) if len(r) == 2 and r[0].isdigit()]
    check("社外宛てのメールは、送る前に宛先と添付ファイルの確認画面を出し、送信を1分間保留する設定にする"
          "（担当：情報システム係 工藤 翔、期限：発生の翌日）" in prevention,
          "the example's measures have an owner and a date, as the form asks: %s" % prevention)
    check(all("（担当：" in p and "、期限：" in p for p in prevention[-4:]), "every measure: %s" % prevention[-4:])


def test_scenario_points_at_the_procedure(e, k):
    k.b("visit", "plan", "1", "3", "--date", "2026-11-26")
    k.b("visit", "prepare", "1", "3")
    check(not os.path.exists(k.out(A, "visit-3/机上演習シナリオ.docx")), "no facilitator's script in the pack")
    path = k.out(A, "expert/第3回_机上演習シナリオ_進行役用.docx")
    text = "\n".join(doc_text(path))
    check("ランサムウェア" in text, "an automotive supplier gets the ransomware scenario")
    check("従業員60名の" in text and "約80名" not in text, "the company's own size in the setting")
    check("よい回答の目安" in text, "the facilitator's script has the model answers")
    hand = "\n".join(doc_text(k.out(A, "visit-3/机上演習シナリオ_参加者用.docx")))
    check("従業員60名の" in hand and "部品 一郎" in hand, "the participants' version: setting and team")
    check("よい回答の目安" not in hand and "ファシリテーターの問い" not in hand and "進行役用" not in hand,
          "the participants' version has no model answers")
    check("進行役が状況を一つずつ示します。" in hand and "ファシリテーター" not in hand,
          "the participants' version calls the facilitator 進行役 throughout")
    malware = "%s %s" % (k.files["types_a"]["malware"], TITLES["malware"])
    check(malware in text, "injects point at the procedure's section %r" % malware)
    check("部品 一郎" in text, "the team's names are in the scenario")
    record = k.out(A, "visit-3/机上演習記録.xlsx")
    ws = openpyxl.load_workbook(record).worksheets[0]
    header, cols = table(ws, "No.")
    n = len(list(data_rows(ws, header)))
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(cols["所要時間（分）"])].width
    check(width >= 14, "所要時間（分） fits on one line: %s wide" % width)
    injects = len(re.findall(r"インジェクト\s*\d+", text))
    check(6 <= n <= 8, "one row per inject: %d" % n)
    check(injects >= n, "the scenario shows %d injects" % injects)
    k.files["record"] = record


GAPS = {
    2: ("在宅の対応責任者に夜間つながる番号がなかった", "対応体制", "総務部長 守田"),
    4: ("発注元への第一報を誰が出すか決まっていなかった", "報告と公表", "代表取締役 部品"),
    6: ("サーバの電源を切るか迷い、証拠を残す手順が曖昧だった", "種類ごとの対応", None),
}


def test_review_lists_exactly_the_gaps(e, k):
    filled = k.path("record.xlsx")
    wb = openpyxl.load_workbook(k.files["record"])
    ws = wb.worksheets[0]
    header, cols = table(ws, "No.")
    rows = list(data_rows(ws, header))
    for i, r in enumerate(rows, start=1):
        ws.cell(r, cols["チームの判断・対応"]).value = "判断 %d" % i
        ws.cell(r, cols["所要時間（分）"]).value = 5 + i
        if i in GAPS:
            gap, section, owner = GAPS[i]
            ws.cell(r, cols["足りなかった点"]).value = gap
            ws.cell(r, cols["見直す箇所"]).value = section
            ws.cell(r, cols["担当者"]).value = owner
    ws.cell(rows[0], cols["見直す箇所"]).value = "全部"     # not one of the sections
    wb.save(filled)
    rc, out, err = k.b("import", "1", filled, check=False)
    cell = "%s%d" % (openpyxl.utils.get_column_letter(cols["見直す箇所"]), rows[0])
    check(rc != 0 and "机上演習記録!%s: '全部' is not one of 対応体制" % cell in err, "bad section named:\n" + err)
    ws.cell(rows[0], cols["見直す箇所"]).value = None
    wb.save(filled)
    k.b("import", "1", filled)
    k.b("visit", "hold", "1", "3", "--findings", "試験の所見", "--date", "2026-11-26", "--attendees", "代表取締役 部品, 総務部長 守田")
    k.b("visit", "report", "1", "3")
    review = k.out(A, "visit-3/机上演習振り返り報告書.docx")
    tables = table_rows(review)
    gaps = [r for r in tables if len(r) == 6 and r[0].isdigit()]
    check_eq([r[2] for r in gaps], [GAPS[i][0] for i in sorted(GAPS)], "the gaps, exactly and in order")
    malware = "%s %s" % (k.files["types_a"]["malware"], TITLES["malware"])
    check_eq([r[3] for r in gaps], ["2 対応体制", "4.2 報告と公表", malware], "sections to revise")
    check_eq([r[4] for r in gaps], ["総務部長\n守田", "代表取締役\n部品", "総務部長\n守田 健（仮）"],
             "owners, the one not entered the team's 対応責任者 for now")
    check_eq([r[1].split("\n")[0] for r in gaps], ["2", "4", "6"], "the injects of the gaps")
    check(all(re.match(r"^\d+\n\S+( \S+)*\n\d{1,2}:\d{2}$", r[1]) for r in gaps),
          "number, day and time on their own lines: %s" % [r[1] for r in gaps])
    times = [r[1] for r in tables if len(r) == 5 and r[0].isdigit()]
    check(times and all(re.match(r"^\S+( \S+)*\n\d{1,2}:\d{2}$", t) for t in times),
          "the injects' times are not broken inside: %s" % times)
    check_eq(gaps[0][5], "令和8年12月26日（2026年12月26日）", "due 30 days after the exercise")
    text = "\n".join(doc_text(review))
    minutes = sum(5 + i for i in range(1, len(rows) + 1))
    check("合計%d分" % minutes in text, "the total time: %d minutes" % minutes)
    check("代表取締役 部品, 総務部長 守田" in text, "participants from the visit")
    want = ("担当に「（仮）」と付けた課題1件は、演習で担当者を決めなかったため、体制・連絡先シートで対応責任者とした"
            "総務部長 守田 健を仮の担当としました。社内で担当を決め直したときは、その人に引き継ぎます。")
    check(want in text, "the default owner is said to be one: %s" % want)
    check("未定" not in text, "nothing left 未定 in the review")


def test_names_from_the_policy_theme(e, k):
    """A company that named its roles in theme 1 finds them in the team sheet."""
    c = "株式会社テスト規程"
    k.b("company", "add", c, "--industry", "建設業", "--employees", "12")
    k.b("engage", c, "policy", "--expert", "1")      # engagement 4
    k.b("engage", c, "incident", "--expert", "1")    # engagement 5
    roles = k.path("roles.xlsx")
    k.b("worksheet", "4", "regulation-roles", "-o", roles)
    wb = openpyxl.load_workbook(roles)
    ws = wb.worksheets[0]
    header, cols = table(ws, "No.")
    given = {"代表者": ("代表取締役", "規程 一"), "インシデント対応責任者": ("工務部長", "対応 二"),
             "システム管理者": ("総務係", "管理 三")}
    for r in data_rows(ws, header):
        role = ws.cell(r, cols["役割"]).value
        if role in given:
            ws.cell(r, cols["貴社での名称（役職・部署）"]).value, ws.cell(r, cols["担当者氏名"]).value = given[role]
    wb.save(roles)
    k.b("import", "4", roles)
    team = k.path("team-c.xlsx")
    k.b("worksheet", "5", "incident-team", "-o", team)
    ws = openpyxl.load_workbook(team)["対応体制"]
    header, cols = table(ws, "役割")
    got = {ws.cell(r, cols["役割"]).value: (ws.cell(r, cols["役職・部署"]).value, ws.cell(r, cols["氏名"]).value)
           for r in data_rows(ws, header)}
    check_eq(got["最高責任者"], given["代表者"], "the chief is the representative of theme 1")
    check_eq(got["対応責任者"], given["インシデント対応責任者"], "the lead is theme 1's incident lead")
    check_eq(got["技術対応"], given["システム管理者"], "technical response is the system administrator")
    check_eq(got["広報・顧客対応"], (None, None), "roles theme 1 does not know stay empty")


def test_documents_open_in_libreoffice(e, k):
    files = sorted(glob.glob(os.path.join(k.ws, "out", "*", "incident", "**", "*.docx"), recursive=True))
    check(len(files) >= 10, "documents: %d" % len(files))
    check_pdf_conversion(e, files, k.path("pdf"), k.ws)


TESTS = [test_team_sheet_has_roles_and_public_desks, test_team_sheet_columns_hold_their_text,
         test_team_sheet_prints_no_page_of_blank_rows,
         test_missing_lead_is_reported,
         test_team_and_contacts_imported, test_procedure_has_the_companys_names_and_types,
         test_procedure_folds_unstaffed_roles, test_procedure_contacts_say_what_to_fill,
         test_procedure_has_no_empty_page,
         test_procedure_of_another_profile, test_incident_report_example_and_blank,
         test_scenario_points_at_the_procedure, test_review_lists_exactly_the_gaps,
         test_names_from_the_policy_theme, test_documents_open_in_libreoffice]

if __name__ == "__main__":
    sys.exit(run_suite("incident", TESTS, Case))
