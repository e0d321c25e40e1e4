#!/usr/bin/python3
"""End-to-end tests of the visit documents (docs/documents.md): a real
engagement is walked through the CLI and every document is read back with
python-docx and openpyxl; the demo's documents are converted to PDF by
LibreOffice.

    /usr/bin/python3 tests/e2e/test_documents.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`documents: N passed, N failed`.
"""
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile

import openpyxl

from harness import check, check_eq, company_folder, doc_text, run_suite, table_rows


class Case:
    """One engagement on the policy theme, shared by the tests in order."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", "株式会社テスト電機", "--industry", "製造業",
              "--employees", "40", "--prefecture", "大阪府", "--contact", "山田 太郎",
              "--contact-role", "総務部長")
        e.run(*self.c, "expert", "add", "専門 花子", "--themes", "policy")
        e.run(*self.c, "engage", "1", "policy", "--expert", "1")
        _, out, _ = e.run(*self.c, "theme", "show", "policy", "--json")
        self.model = json.loads(out)
        self.out = os.path.join(self.ws, "out", company_folder(1, "株式会社テスト電機"), "policy")

    def items(self, n, part=None):
        step = self.model["steps"][n - 1]
        parts = [part] if part else ["prep", "onsite", "after"]
        return [it for p in parts for it in step.get(p, [])]


def test_pack(e, k):
    e.run(*k.c, "visit", "plan", "1", "1", "--date", "2025-09-04")
    _, out, _ = e.run(*k.c, "visit", "prepare", "1", "1")
    d = os.path.join(k.out, "visit-1")
    for f in ("第1回_訪問計画書.docx", "第1回_事前依頼事項.docx", "ヒアリングシート.docx",
              "5分でできる情報セキュリティ自社診断.xlsx"):
        check(os.path.isfile(os.path.join(d, f)), "visit 1 pack has %s (got %s)" % (f, out))
    # The agenda holds every on-site item of step 1.
    texts = doc_text(os.path.join(d, "第1回_訪問計画書.docx"))
    joined = "\n".join(texts)
    for it in k.items(1, "onsite"):
        check(it["company"] in joined and it["expert"] in joined,
              "the agenda has item %s" % it["id"])
    check("株式会社テスト電機" in joined, "the plan names the company")
    check("令和7年9月4日（2025年9月4日）" in joined, "the plan gives the date in 令和 and Western form")
    # Requests: each prep item for the company.
    joined = "\n".join(doc_text(os.path.join(d, "第1回_事前依頼事項.docx")))
    for it in k.items(1, "prep"):
        check(it["company"] in joined, "the requests have item %s" % it["id"])
    _, out, _ = e.run(*k.c, "engagement", "show", "1", "--json")
    check(json.loads(out)["visits"][0]["state"] == "prepared", "visit 1 is prepared")


def test_report_marks_ticked_items(e, k):
    ticked = ["s1.prep.selfdiag", "s1.onsite.kickoff", "s1.onsite.checksheet"]
    e.run(*k.c, "task", "done", "1", "1", *ticked)
    code, _, err = e.run(*k.c, "visit", "report", "1", "1", check=False)
    check(code == 1 and err == "bansou: visit 1 has not been held: nothing to report\n",
          "a report before the visit is refused: %r" % err)
    check(not os.path.exists(os.path.join(k.out, "visit-1", "第1回_実施報告書.docx")),
          "no report written before the visit")
    e.run(*k.c, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", "2025-09-04", "--attendees",
          "総務部長 山田 太郎", "--notes", "課題：規程が古い\n自社診断の結果を共有した")
    e.run(*k.c, "visit", "report", "1", "1")
    rows = table_rows(os.path.join(k.out, "visit-1", "第1回_実施報告書.docx"))
    for it in k.items(1):
        text = it.get("company") or it.get("expert")
        found = [r for r in rows if text in r]
        check(found, "the report lists item %s" % it["id"])
        mark = found[0][-1]
        want = "○" if it["id"] in ticked else "—"
        check(mark == want, "item %s is marked %r, want %r" % (it["id"], mark, want))


def test_final_report_states_termination(e, k):
    """After the end, the final report once, and nothing else."""
    code, _, err = e.run(*k.c, "engagement", "final-report", "1", "--findings", "試験の所見", check=False)
    check(code == 1 and "the engagement has not ended" in err, "final report refused: %r" % err)
    reason = "社内の体制変更のため第2回で終了"
    e.run(*k.c, "engagement", "terminate", "1", "--reason", reason)
    e.run(*k.c, "engagement", "final-report", "1", "--findings", "試験の所見")
    joined = "\n".join(doc_text(os.path.join(k.out, "final", "最終報告書.docx")))
    check(reason in joined, "the final report states the reason")
    for g in k.model["goals"]:
        check(g in joined, "the final report names goal %r" % g)
    for args in (["engagement", "final-report", "1", "--findings", "試験の所見"], ["generate", "1"], ["schedule", "1"]):
        code, out, err = e.run(*k.c, *args, check=False)
        check((code, out, err) == (1, "", "bansou: engagement 1 is terminated: no further changes\n"),
              "%s after the end: %r" % (" ".join(args), (code, out, err)))


def test_schedule_one_bar_per_visit(e, k):
    e.run(*k.c, "visit", "plan", "1", "2", "--date", "2025-10-02")
    e.run(*k.c, "visit", "hold", "1", "2", "--findings", "試験の所見", "--date", "2025-10-02")
    e.run(*k.c, "schedule", "1")
    wb = openpyxl.load_workbook(os.path.join(k.out, "スケジュール.xlsx"))
    ws = wb.active
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "項目")
    visits = {}
    for r in range(header + 1, ws.max_row + 1):
        label = ws.cell(r, 1).value or ""
        if label.endswith("回訪問") and "事前準備" not in label:
            filled = [c for c in range(4, ws.max_column + 1)
                      if (ws.cell(r, c).fill.fgColor.rgb or "00000000") not in ("00000000", "FFFFFFFF")]
            visits[label] = (ws.cell(r, 2).value.strftime("%Y-%m-%d"), filled)
    check(sorted(visits) == ["第1回訪問", "第2回訪問"], "visit rows: %s" % sorted(visits))
    check(visits["第1回訪問"][0] == "2025-09-04" and visits["第2回訪問"][0] == "2025-10-02",
          "visit rows start on the visit dates: %s" % visits)
    for label, (_, filled) in visits.items():
        check(len(filled) == 1, "%s has one bar cell, got %d" % (label, len(filled)))
    # The start and end in both forms, on two lines of a cell that wraps.
    start = ws.cell(header + 2, 2)
    check_eq((start.number_format, start.alignment.wrap_text),
             ('[$-411]ggge"年"m"月"d"日\n（"yyyy"年"m"月"d"日）"', True), "the start column's format")


def test_documents_list_and_idempotence(e, k):
    e.run(*k.c, "generate", "1")
    _, out, _ = e.run(*k.c, "documents", "1", "--json")
    before = {d["path"]: d["sha256"] for d in json.loads(out)}
    check(len(before) >= 10, "documents recorded: %d" % len(before))
    e.run(*k.c, "generate", "1")
    _, out, _ = e.run(*k.c, "documents", "1", "--json")
    after = json.loads(out)
    check({d["path"]: d["sha256"] for d in after} == before, "regenerating gives the same files")
    check(all(d["status"] == "ok" for d in after), "every file as generated")
    plan = os.path.join(k.out, "visit-1", "第1回_訪問計画書.docx")
    with open(plan, "ab") as f:
        f.write(b"\0")
    _, out, _ = e.run(*k.c, "documents", "1", "--json")
    state = {d["path"]: d["status"] for d in json.loads(out)}
    check(state[plan] == "edited", "an edited file is flagged: %s" % state[plan])


def test_reports_are_kept_in_the_database(e, k):
    """After the reports above: the visit report and the final report are
    kept with their bytes, the other documents are not, and --fetch writes
    exactly the kept bytes; a file in the way with other bytes is kept."""
    docs = json.loads(e.run(*k.c, "documents", "1", "--json")[1])
    kept = sorted(d["doc"] for d in docs if d["stored"])
    check_eq(sorted(set(kept)), ["final-report", "visit-report"], "the documents kept")
    into = os.path.join(e.tmp, "fetched")
    _, out, _ = e.run(*k.c, "documents", "1", "--fetch", into)
    for d in docs:
        if not d["stored"]:
            continue
        got = os.path.join(into, os.path.basename(d["path"]))
        check(got in out.splitlines(), "fetch lists %s: %r" % (got, out))
        with open(got, "rb") as f:
            check_eq(hashlib.sha256(f.read()).hexdigest(), d["sha256"], "bytes of %s" % got)
    check_eq(len(os.listdir(into)), len(kept), "nothing else fetched")
    victim = os.path.join(into, sorted(os.listdir(into))[0])
    with open(victim, "wb") as f:
        f.write(b"mine")
    rc, out, err = e.run(*k.c, "documents", "1", "--fetch", into, check=False)
    check(rc == 1 and "there with other contents (give --force to replace)" in err, err)
    with open(victim, "rb") as f:
        check_eq(f.read(), b"mine", "the file in the way is untouched")
    rc, _, err = e.run(*k.c, "documents", "1", "--force", check=False)
    check_eq((rc, err), (2, "bansou: --force is for --fetch DIR only\n"), "--force alone")


def test_demo_documents_open_in_libreoffice(e, k):
    demo = os.path.join(e.tmp, "demo")
    p = subprocess.run(["bash", os.path.join(e.root, "scripts", "demo"), e.bin, demo],
                       env=e.env, capture_output=True, timeout=600)
    check(p.returncode == 0, "the demo ran: %s" % p.stderr.decode()[-400:])
    files = sorted(glob.glob(os.path.join(demo, "out", "**", "*.docx"), recursive=True) +
                   glob.glob(os.path.join(demo, "out", "**", "*.xlsx"), recursive=True))
    check(len(files) >= 100, "the demo wrote %d documents" % len(files))
    # One LibreOffice run for all: copies under unique names (documents of
    # different companies share names).
    src = os.path.join(e.tmp, "pdf-src")
    pdf = os.path.join(e.tmp, "pdf")
    os.makedirs(src, exist_ok=True)
    os.makedirs(pdf, exist_ok=True)
    names = []
    for i, f in enumerate(files):
        n = "%03d%s" % (i, os.path.splitext(f)[1])
        shutil.copy(f, os.path.join(src, n))
        names.append(n)
    profile = "file://" + os.path.join(e.tmp, "lo-profile")
    subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                    "--convert-to", "pdf", "--outdir", pdf] + [os.path.join(src, n) for n in names],
                   capture_output=True, timeout=900)
    bad = []
    for f, n in zip(files, names):
        out = os.path.join(pdf, os.path.splitext(n)[0] + ".pdf")
        if (not os.path.isfile(out) or os.path.getsize(out) < 1000 or
                open(out, "rb").read(5) != b"%PDF-"):
            bad.append(os.path.relpath(f, demo))
    check(not bad, "not converted to PDF: %s" % bad)
    k.demo_pdfs = [(os.path.relpath(f, demo), os.path.join(pdf, os.path.splitext(n)[0] + ".pdf"))
                   for f, n in zip(files, names) if f.endswith(".docx")]


def pdf_pages(path):
    """The text of each page of a PDF (pdftotext, poppler-utils)."""
    p = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, timeout=120)
    check(p.returncode == 0, "pdftotext %s: %s" % (path, p.stderr.decode()[-200:]))
    pages = p.stdout.decode().split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def test_no_page_holds_only_the_closing(e, k):
    """No demo document ends on a page with nothing but 「以上」 (besides the
    running header and the page number)."""
    check(getattr(k, "demo_pdfs", None), "the demo's PDFs (from the test before)")
    alone = []
    for doc, pdf in k.demo_pdfs:
        pages = pdf_pages(pdf)
        lines = [l.strip() for l in pages[-1].splitlines() if l.strip()] if pages else []
        # The running header is the page's first line; the footer "— n / m —".
        body = [l for l in lines[1:] if not re.fullmatch(r"—\s*\d+\s*/\s*\d+\s*—", l)]
        if len(pages) > 1 and "".join(body).replace(" ", "").replace("\u3000", "") == "以上":
            alone.append("%s (page %d)" % (doc, len(pages)))
    check(not alone, "a last page holds only 以上: %s" % alone)


def test_demo_reports_list_what_was_written(e, k):
    """A visit report's 作成した成果物 are the documents on record for that
    visit that are there (but the visit paperwork), as in the final report,
    not the names the syllabus gives: the incident visit 3 wrote no
    自社診断結果報告."""
    demo = os.path.join(e.tmp, "demo")
    check(os.path.isdir(os.path.join(demo, "out")), "the demo ran before")

    def listed(n, company, theme, visit):
        f = os.path.join(demo, "out", company_folder(n, company), theme, "visit-%d" % visit,
                         "第%d回_実施報告書.docx" % visit)
        t = doc_text(f)
        # In the order written, by the second: the same second's by path.
        return sorted(t[t.index("3．作成した成果物") + 1:t.index("4．所見")])

    check_eq(listed(4, "有限会社みなと建設", "incident", 3),
             sorted(["・机上演習シナリオ（進行役用）", "・机上演習シナリオ（参加者用）", "・机上演習記録",
                     "・机上演習 振り返り報告書"]), "the incident visit 3 report's deliverables")
    check_eq(listed(1, "株式会社浪速精密工業", "policy", 2),
             sorted(["・基本方針 検討シート", "・基本方針/関連規程の整備状況確認一覧表", "・情報セキュリティ基本方針"]),
             "the policy visit 2 report's deliverables")
    check_eq(listed(2, "中部オートパーツ株式会社", "assets", 1),
             ["・情報資産管理台帳"], "the assets visit 1 report's deliverables")
    # The schedule's 成果物 of a held visit are the same documents.
    ws = openpyxl.load_workbook(os.path.join(demo, "out", company_folder(4, "有限会社みなと建設"),
                                             "incident", "スケジュール.xlsx")).active
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    i = labels.index("第3回訪問")
    due = []
    for l in labels[i + 1:]:
        if not (l or "").startswith("成果物: "):
            break
        due.append("・" + l[len("成果物: "):])
    check_eq(sorted(due), listed(4, "有限会社みなと建設", "incident", 3), "the schedule's visit 3 deliverables")


DATE2 = re.compile(r"令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）")


def test_demo_date_columns_fit(e, k):
    """A table column of dates in both forms, in every demo visit plan, visit
    report and final report, is as wide as its longest date (9 pt, the cell
    margins and some room besides), so that no date wraps inside its
    Western form. (The requests' 期限 column is narrower on purpose: its
    dates break before the parenthesis.)"""
    demo = os.path.join(e.tmp, "demo")
    check(os.path.isdir(os.path.join(demo, "out")), "the demo ran before")
    narrow, seen = [], set()
    files = [f for pat in ("第*回_訪問計画書.docx", "第*回_実施報告書.docx", "最終報告書.docx")
             for f in glob.glob(os.path.join(demo, "out", "**", pat), recursive=True)]
    for f in sorted(files):
        xml = zipfile.ZipFile(f).read("word/document.xml").decode("utf-8")
        for tbl in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
            rows = [["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", c))
                     for c in re.findall(r"<w:tc>.*?</w:tc>", r, re.S)]
                    for r in re.findall(r"<w:tr[ >].*?</w:tr>", tbl, re.S)]
            grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', tbl)]
            for c in range(len(grid)):
                dates = [r[c] for r in rows[1:] if len(r) == len(grid) and DATE2.fullmatch(r[c])]
                if not dates:
                    continue
                seen.add(os.path.basename(f))
                # 9 pt = 180 twips for a full-width character, half for the rest.
                need = max(sum(180 if unicodedata.east_asian_width(ch) in "WF" else 90 for ch in d)
                           for d in dates) + 400
                if grid[c] < need:
                    narrow.append("%s %s: %d < %d twips" % (os.path.relpath(f, demo), rows[0][c], grid[c], need))
    check(len(seen) >= 5, "the demo's documents have columns of dates: %s" % sorted(seen))
    check(not narrow, "date columns too narrow: %s" % sorted(set(n.split("/")[-1] for n in narrow)))


def demo_pages(k, name):
    """(document, its pages' text without spaces) for each demo PDF of a
    document whose file name ends in `name`."""
    for doc, pdf in k.demo_pdfs:
        if doc.endswith(name):
            yield doc, [p.replace(" ", "") for p in pdf_pages(pdf)]


def test_hearing_keeps_its_wishes_together(e, k):
    """The hearing sheet's 5．困りごと・ご要望 is on one page with its three
    rows: the last, 今回の指導に期待すること, is not cut off onto the next;
    nor is the requests' last row, 貴社ご担当."""
    check(getattr(k, "demo_pdfs", None), "the demo's PDFs (from the test before)")
    split = []
    for doc, pages in demo_pages(k, "ヒアリングシート.docx"):
        at = [i for i, p in enumerate(pages) if "困りごと・ご要望" in p]
        if not at or "期待すること" not in pages[at[0]]:
            split.append(doc)
    check(not split, "section 5 is split: %s" % split)
    # The requests' 3．お渡しする資料とお問い合わせ先 is one table on one page.
    split = []
    for doc, pages in demo_pages(k, "事前依頼事項.docx"):
        at = [i for i, p in enumerate(pages) if "貴社ご担当" in p]
        if at and "お渡しする資料とお問い合わせ先" not in pages[at[0]]:
            split.append(doc)
    check(not split, "the requests' section 3 is split: %s" % split)
    # The final report's note on how goals are rated is read before its
    # table, not left alone at the top of the next page.
    apart = []
    for doc, pages in demo_pages(k, "最終報告書.docx"):
        at = [i for i, p in enumerate(pages) if "3．達成目標の評価" in p]
        if not at or "一部を実施した場合に「一部達成」" not in pages[at[0]]:
            apart.append(doc)
    check(not apart, "the final report's note is apart from section 3: %s" % apart)


def test_report_keeps_its_deliverables_together(e, k):
    """A visit report's 3．作成した成果物 is not cut across pages: the list
    reaches 4．所見 on the page it starts."""
    check(getattr(k, "demo_pdfs", None), "the demo's PDFs (from the test before)")
    split = []
    for doc, pages in demo_pages(k, "実施報告書.docx"):
        at = [i for i, p in enumerate(pages) if "3．作成した成果物" in p]
        if not at or "4．所見" not in pages[at[0]]:
            split.append(doc)
    check(not split, "section 3 is split: %s" % split)
    # The requests' table starts on the page of the sentence leading to it.
    alone = []
    for doc, pages in demo_pages(k, "実施報告書.docx"):
        lead = [i for i, p in enumerate(pages) if "次回までに企業へお願いした事項" in p]
        table = [i for i, p in enumerate(pages) if re.search(r"No\.依頼事項期限", p)]
        if lead and (not table or table[0] != lead[0]):
            alone.append(doc)
    check(not alone, "the requests' table is apart from its lead: %s" % alone)


def test_demo_selfdiag_bands_one_line(e, k):
    """The self-diagnosis result sheets explain the total a band a line:
    each 「・N点…」 line is one row of one line, not a row two lines high
    holding one, or a line that wraps on its last character."""
    demo = os.path.join(e.tmp, "demo")
    check(os.path.isdir(os.path.join(demo, "out")), "the demo ran before")
    tall, seen = [], 0
    for name in ("自社診断結果.xlsx", "自社診断_改善項目.xlsx"):
        for f in sorted(glob.glob(os.path.join(demo, "out", "**", name), recursive=True)):
            ws = openpyxl.load_workbook(f).worksheets[0]
            for r in range(1, 15):
                v = ws.cell(r, 1).value
                if isinstance(v, str) and re.match(r"・\d+", v):
                    seen += 1
                    h = ws.row_dimensions[r].height
                    if h is None or h > 16:
                        tall.append("%s row %d: %s" % (name, r, h))
    check(seen >= 8, "band lines found: %d" % seen)
    check(not tall, "band rows higher than a line: %s" % sorted(set(tall))[:4])


ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_demo_dates_in_era_form(e, k):
    """Every date in the demo's documents and worksheets is printed as 令和
    with the Western date, never an ISO date alone (a text, or a date cell
    whose format shows no era)."""
    demo = os.path.join(e.tmp, "demo")
    check(os.path.isdir(os.path.join(demo, "out")), "the demo ran before")
    bad = []
    for f in sorted(glob.glob(os.path.join(demo, "out", "**", "*.docx"), recursive=True)):
        with zipfile.ZipFile(f) as z:
            for part in z.namelist():
                if part.startswith("word/") and part.endswith(".xml"):
                    xml = z.read(part).decode("utf-8", "replace")
                    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
                        t = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
                        if ISO.search(t):
                            bad.append("%s: %s" % (os.path.relpath(f, demo), t[:80]))
    for f in sorted(glob.glob(os.path.join(demo, "out", "**", "*.xlsx"), recursive=True)):
        for ws in openpyxl.load_workbook(f).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    where = "%s %s!%s" % (os.path.relpath(f, demo), ws.title, c.coordinate)
                    if isinstance(c.value, str) and ISO.search(c.value):
                        bad.append("%s: %s" % (where, c.value[:80]))
                    elif getattr(c, "is_date", False) and c.value is not None \
                            and "ggge" not in c.number_format:
                        bad.append("%s: a date cell shown as %s" % (where, c.number_format))
    check(not bad, "%d ISO-only dates, e.g. %s" % (len(bad), bad[:5]))
    # The dates are those of the workflow: engagement 1's plan for visit 1 was
    # prepared two weeks before the visit, its final report dated when it ended.
    out = os.path.join(demo, "out", company_folder(1, "株式会社浪速精密工業"), "policy")
    plan = doc_text(os.path.join(out, "visit-1", "第1回_訪問計画書.docx"))
    check("作成日　令和7年8月21日（2025年8月21日）" in plan, "the plan is dated when prepared")
    final = "\n".join(doc_text(os.path.join(out, "final", "最終報告書.docx")))
    check("令和7年11月13日（2025年11月13日）" in final, "the final report is dated when it ended")


def test_theme_replaces_a_document(e, k):
    """A workspace theme lists its own document with a common one's id."""
    ws = os.path.join(e.tmp, "override")
    e.run("init", ws)
    os.makedirs(os.path.join(ws, "themes"))
    src = open(os.path.join(e.root, "themes", "policy", "theme.lua"), encoding="utf-8").read()
    line = "    documents.final_report, documents.schedule,\n"
    check(line in src, "policy/theme.lua lists its documents as expected")
    own = ('    document { id = "hearing", title = "独自ヒアリング", file = "独自ヒアリング.docx",'
           ' template = "common/ヒアリングシート.docx", role = "pack", visits = { 1 },'
           ' context = documents.contexts.hearing },\n')
    os.makedirs(os.path.join(ws, "themes", "policy"), exist_ok=True)
    with open(os.path.join(ws, "themes", "policy", "theme.lua"), "w", encoding="utf-8") as f:
        f.write(src.replace(line, line + own))
    c = ["-C", ws]
    e.run(*c, "company", "add", "A社", "--industry", "製造業")
    e.run(*c, "expert", "add", "X", "--themes", "policy")
    e.run(*c, "engage", "1", "policy", "--expert", "1")
    e.run(*c, "visit", "plan", "1", "1", "--date", "2025-01-10")
    _, out, _ = e.run(*c, "visit", "prepare", "1", "1")
    names = sorted(os.path.basename(l) for l in out.splitlines())
    check("独自ヒアリング.docx" in names and "ヒアリングシート.docx" not in names,
          "the theme's own hearing sheet replaced the common one: %s" % names)


TESTS = [test_pack, test_theme_replaces_a_document, test_report_marks_ticked_items,
         test_schedule_one_bar_per_visit, test_documents_list_and_idempotence,
         test_final_report_states_termination, test_reports_are_kept_in_the_database,
         test_demo_documents_open_in_libreoffice,
         test_no_page_holds_only_the_closing, test_demo_reports_list_what_was_written,
         test_demo_date_columns_fit, test_hearing_keeps_its_wishes_together,
         test_report_keeps_its_deliverables_together, test_demo_selfdiag_bands_one_line,
         test_demo_dates_in_era_form]


if __name__ == "__main__":
    sys.exit(run_suite("documents", TESTS, Case))
