#!/usr/bin/python3
"""End-to-end tests of the worksheets: `bansou worksheet` writes the
self-diagnosis (themes/lib/selfdiag.lua), the company fills it in with
openpyxl, LibreOffice or by editing its XML, `bansou import` reads it back,
and the result sheet is written from what was imported.

    /usr/bin/python3 tests/e2e/test_worksheet.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Python 3 standard library plus openpyxl (Debian's python3-openpyxl); the
LibreOffice round trip and the PDF check use soffice (libreoffice-calc) and
are skipped when it is not installed.  --tmp is wiped and recreated.  Each
test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`worksheet: N passed, N failed` and the exit status is 1 when any test failed.
Tests run in order and share one workspace (engagements 1-3); a test whose
input another test makes fails when that one did.
"""
import argparse
import io
import json
import os
import random
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import time
import traceback
import zipfile
import zlib
import xml.etree.ElementTree as ET

from harness import Fail, Result, check, check_eq, check_list, dec

try:
    import openpyxl
except ImportError:  # reported as a failure in main()
    openpyxl = None

TIMEOUT = 60
LO_TIMEOUT = 120

SHEET = "自社診断"
HEADERS = ["No.", "区分", "診断項目", "回答", "点数"]
CHOICES = ["実施している", "一部実施している", "実施していない", "わからない"]
POINTS = {"実施している": 4, "一部実施している": 2, "実施していない": 0, "わからない": -1}
PARTS = ["基本的対策", "従業員としての対策", "組織としての対策"]
PART_OF = {no: PARTS[0] if no <= 5 else PARTS[1] if no <= 18 else PARTS[2] for no in range(1, 26)}
CHOICE_LIST = ", ".join(CHOICES)

CO1 = "株式会社テスト製作所"
CO2 = 'みなと建設 "A&B" <第2支店>'  # XML-special characters in a value bansou writes
CO3 = "テスト商店"
EXPERT = "清水 一郎"

SS_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


class Skip(Exception):
    pass


class Ctx:
    """The binary, a scratch directory, one workspace and what the tests hand
    on to each other (files, the answers last imported)."""

    def __init__(self, binary, root, tmp):
        self.bin, self.root, self.tmp = binary, root, tmp
        env = dict(os.environ)
        env["BANSOU_ACTOR"] = "e2e"
        env.pop("BANSOU_DIR", None)
        env["LANG"] = "C.UTF-8"
        env.setdefault("BANSOU_THEMES", os.path.join(root, "themes"))
        self.env = env
        self.ws = os.path.join(tmp, "ws")
        self.files = {}      # name → path of a file a later test uses
        self.answers = {}    # engagement → the 25 answers last imported
        self.notes = []
        self.soffice = shutil.which("soffice") or (
            "/usr/bin/soffice" if os.path.exists("/usr/bin/soffice") else None)
        self.profile = "file://" + os.path.join(tmp, "lo-profile")

    def run(self, args, timeout=TIMEOUT):
        cmd = [self.bin] + [str(a) for a in args]
        t = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout, cwd=self.tmp, env=self.env)
        except subprocess.TimeoutExpired as e:
            r = Result(cmd, None, dec(e.stdout), dec(e.stderr), timeout)
            raise Fail("timed out after %ss" % timeout, r)
        r = Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t)
        if p.returncode < 0:
            raise Fail("killed by signal %d (crash)" % -p.returncode, r)
        return r

    def b(self, *args, timeout=TIMEOUT):
        """`bansou -C WS ARGS…`."""
        return self.run(["-C", self.ws] + list(args), timeout=timeout)

    def ok(self, *args):
        r = self.b(*args)
        check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
        check(r.err == "", "stderr should be empty", r)
        return r

    def path(self, *parts):
        p = os.path.join(self.tmp, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def dir(self, *parts):
        p = os.path.join(self.tmp, *parts)
        os.makedirs(p, exist_ok=True)
        return p

    def need(self, name):
        if name not in self.files:
            raise Fail("needs %s, which an earlier test did not make" % name)
        return self.files[name]

    def soffice_convert(self, files, to, outdir):
        """Converts FILES with LibreOffice (one process); returns the Result."""
        if not self.soffice:
            raise Skip("soffice not installed")
        os.makedirs(outdir, exist_ok=True)
        cmd = [self.soffice, "-env:UserInstallation=" + self.profile, "--headless",
               "--convert-to", to, "--outdir", outdir] + list(files)
        t = time.monotonic()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=LO_TIMEOUT, env=self.env)
            return Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t)
        except subprocess.TimeoutExpired as e:
            raise Fail("LibreOffice did not finish in %ds" % LO_TIMEOUT,
                       Result(cmd, None, dec(e.stdout), dec(e.stderr), LO_TIMEOUT))


def db_dump(ws):
    """The whole database as SQL text, read through a read-only connection."""
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(ws, "bansou.db"), uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


# --- the workbook, read back ------------------------------------------------------

def load(path, result=None):
    check(os.path.isfile(path), "%s was not written" % path, result)
    try:
        with zipfile.ZipFile(path) as z:
            check(z.testzip() is None, "corrupt zip entry in %s" % path, result)
        return openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise Fail("openpyxl cannot read %s: %s" % (path, e), result)


def header_row(ws, headers):
    """The 1-based row whose first cells are `headers`."""
    for r in range(1, min(ws.max_row, 200) + 1):
        if [ws.cell(r, c + 1).value for c in range(len(headers))] == headers:
            return r
    raise Fail("no header row %r in sheet %s" % (headers, ws.title))


def custom_props(path):
    """docProps/custom.xml as name → text (or None when the part is missing)."""
    with zipfile.ZipFile(path) as z:
        if "docProps/custom.xml" not in z.namelist():
            return None
        root = ET.fromstring(z.read("docProps/custom.xml"))
    return {p.get("name"): "".join(p.itertext()) for p in root.iter("{%s}property" % CP_NS)}


def openpyxl_custom_props(wb, path):
    """openpyxl ≥ 3.1 reads custom properties (wb.custom_doc_props); older ones
    do not (and drop them on save): then read the part ourselves."""
    props = getattr(wb, "custom_doc_props", None)
    if props is not None:
        return {p.name: p.value for p in props.props}
    return custom_props(path)


# --- answers and what bansou should make of them ------------------------------

def answer_set(seed):
    """25 answers, each of the four choices at least once (seeded)."""
    rnd = random.Random(seed)
    while True:
        a = [rnd.choice(CHOICES) for _ in range(25)]
        if set(a) == set(CHOICES):
            return a


def expected_scores(answers):
    s = {p: 0 for p in PARTS}
    for no, a in enumerate(answers, 1):
        s[PART_OF[no]] += POINTS[a]
    return [(p, s[p], m) for p, m in zip(PARTS, (20, 52, 28))] + [("合計", sum(s.values()), 100)]


def check_records(ctx, eng, answers, r_import=None):
    r = ctx.b("records", eng, "self-diagnosis", "--json")
    check(r.rc == 0, "records: exit status %s" % r.rc, r)
    try:
        rows = json.loads(r.out)
    except ValueError as e:
        raise Fail("records: not JSON (%s)" % e, r)
    check(isinstance(rows, list) and len(rows) == 25, "records: expected a list of 25 rows", r)
    check_list([x.get("no") for x in rows], list(range(1, 26)), "records: No.", r)
    check_list([x.get("answer") for x in rows], answers, "records: answers", r)
    check_list([x.get("points") for x in rows], [POINTS[a] for a in answers], "records: points", r)
    check_list([x.get("part") for x in rows], [PART_OF[n] for n in range(1, 26)], "records: 区分", r)
    if "questions" in ctx.files:
        check_list([x.get("question") for x in rows], ctx.files["questions"], "records: 診断項目", r)
    ctx.answers[eng] = list(answers)
    return rows


def do_import(ctx, eng, path, replacing=None):
    """Imports a good file; checks the output line and the log entry."""
    r = ctx.b("import", eng, path)
    check(r.rc == 0, "import: exit status %s, expected 0" % r.rc, r)
    lines = r.out.splitlines()
    check_eq(lines[:1], ["imported self-diagnosis: 25 rows"], "import: stdout", r)
    if replacing is None:
        check(len(lines) == 1, "import: a first import has nothing to compare with", r)
    else:
        check(len(lines) >= 2 and (lines[1].startswith("  since the last import: ")
                                   or lines[1] == "  no change since the last import"),
              "import: a re-import should say what changed", r)
    check_eq(r.err, "", "import: stderr", r)
    log = ctx.ok("log", eng)
    last = [l for l in log.out.splitlines() if "worksheet.import" in l]
    check(last, "log: no worksheet.import entry", log)
    want = "self-diagnosis: 25 rows from %s" % path
    if replacing is not None:
        want += " (replacing %d)" % replacing
    check(want in last[-1], "log: the last import should say %r" % want, log)
    return r


# --- editing the files ------------------------------------------------------------------

def fill_openpyxl(src, dst, answers, insert_rows=0):
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    if insert_rows:
        ws.insert_rows(1, insert_rows)
        ws.cell(1, 1).value = "（社内メモ：総務部で記入）"
    h = header_row(ws, HEADERS)
    for i, a in enumerate(answers):
        check_eq(ws.cell(h + 1 + i, 1).value, i + 1, "No. in row %d of %s" % (h + 1 + i, src))
        ws.cell(h + 1 + i, 4).value = a
    wb.save(dst)
    return h


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rezip(src, dst, change):
    """Copies the package SRC to DST, entry by entry in the same order, with
    change(name, bytes) → bytes (or None to leave the entry out)."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = change(info.filename, a.read(info.filename))
            if data is not None:
                b.writestr(info.filename, data)


def set_inline(sheet_xml, cells):
    """SHEET_XML (bytes) with each cell of CELLS ({"D12": text}) replaced by an
    inline string, keeping its style."""
    text = sheet_xml.decode("utf-8")
    for ref, value in cells.items():
        pat = re.compile(r'<c r="%s"((?:\s+[\w:]+="[^"]*")*)\s*(?:/>|>.*?</c>)' % ref, re.S)
        m = pat.search(text)
        if not m:
            raise Fail("no cell %s in the sheet XML" % ref)
        attrs = re.sub(r'\s+t="[^"]*"', "", m.group(1))
        new = '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (ref, attrs, xml_text(value))
        text = text[:m.start()] + new + text[m.end():]
    return text.encode("utf-8")


def fill_xml(src, dst, answers, first_row):
    cells = {"D%d" % (first_row + i): a for i, a in enumerate(answers)}
    rezip(src, dst, lambda n, d: set_inline(d, cells) if n == "xl/worksheets/sheet1.xml" else d)


def _zip_raw(entries):
    """A zip built by hand from (name, method, payload, crc, size): lets a
    deflate stream be put in without compressing a gigabyte first."""
    buf, central = io.BytesIO(), []
    for name, method, payload, crc, size in entries:
        n = name.encode()
        off = buf.tell()
        buf.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, method, 0, 0x21,
                              crc, len(payload), size, len(n), 0) + n + payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, method, 0,
                                   0x21, crc, len(payload), size, len(n), 0, 0, 0, 0, 0,
                                   off) + n)
    cd = buf.tell()
    for c in central:
        buf.write(c)
    buf.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(central), len(central),
                          buf.tell() - cd, cd, 0))
    return buf.getvalue()


def make_zip_bomb(src, dst, mib, declared=None):
    """SRC with xl/worksheets/sheet1.xml replaced by MIB MiB of zeros, deflated
    (about 1 KiB per MiB). `declared` is the uncompressed size written in the
    zip headers (default: the true one); a smaller one hides the bomb from a
    size check that trusts them."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)  # resets history
    stream = piece * mib + b"\x03\x00"  # + an empty final block
    crc, zeros = 0, bytes(1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    entries = []
    with zipfile.ZipFile(src) as z:
        for n in z.namelist():
            if n == "xl/worksheets/sheet1.xml":
                entries.append((n, 8, stream, crc, mib << 20 if declared is None else declared))
            else:
                b = z.read(n)
                entries.append((n, 0, b, zlib.crc32(b), len(b)))
    with open(dst, "wb") as f:
        f.write(_zip_raw(entries))


XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XXE_DTD = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS_DTD = (b'<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
              + b"".join(b' <!ENTITY lol%d "%s">\n'
                         % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
                         for i in range(1, 10))
              + b']>\n')


def strip_decl(data):
    return data.split(b"?>", 1)[1].lstrip() if data.startswith(b"<?xml") else data


def with_dtd(data, dtd, before=b"", entity_in=None, entity=b"&xxe;"):
    """DATA (an XML part) with DTD after the declaration (and BEFORE between
    them); ENTITY_IN: a text to replace with a reference to the entity."""
    body = strip_decl(data)
    if entity_in is not None:
        body = body.replace(entity_in.encode(), entity, 1)
    return XML_DECL + before + dtd + body


# --- the tests ----------------------------------------------------------------------------

def setup(ctx):
    r = ctx.run(["init", ctx.ws])
    check(r.rc == 0, "init failed", r)
    for co in (CO1, CO2, CO3):
        ctx.ok("company", "add", co, "--industry", "製造業", "--employees", "30")
    ctx.ok("expert", "add", EXPERT, "--themes", "policy,assets")
    for co, theme in ((CO1, "policy"), (CO2, "assets"), (CO3, "policy")):
        ctx.ok("engage", co, theme, "--expert", EXPERT)
    r = ctx.ok("worksheet", "1")
    check_list([l.split()[0] for l in r.out.splitlines()],
               ["self-diagnosis", "self-diagnosis-summary", "self-diagnosis-advice", "regulation-check",
                "regulation-roles", "policy-commitments", "regulation-status", "self-diagnosis-2",
                "survey-company", "survey-expert"],
               "worksheet 1: the theme's worksheets", r)


def test_blank(ctx):
    """The blank self-diagnosis: layout, validation, formulas, protection, print."""
    for eng, co in ((1, CO1), (2, CO2), (3, CO3)):
        out = ctx.path("blank", "blank-%d.xlsx" % eng)
        r = ctx.ok("worksheet", eng, "self-diagnosis", "-o", out, "--blank")
        check_eq(r.out, out + "\n", "stdout", r)
        wb = load(out, r)
        check_list(wb.sheetnames, [SHEET], "sheets", r)
        ws = wb[SHEET]
        names = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(1, 12)}
        check_eq(names.get("会社名"), co, "会社名 field", r)
        h = header_row(ws, HEADERS)
        first, last = h + 1, h + 25
        check_list([ws.cell(row, 1).value for row in range(first, last + 2)],
                   list(range(1, 26)) + [None], "No. column (25 rows, then nothing)", r)
        check_list([ws.cell(row, 2).value for row in range(first, last + 1)],
                   [PART_OF[n] for n in range(1, 26)], "区分 column", r)
        qs = [ws.cell(row, 3).value for row in range(first, last + 1)]
        check(all(isinstance(q, str) and q.endswith("か？") for q in qs), "診断項目: 25 questions", r)
        check_eq(len(set(qs)), 25, "distinct questions", r)
        check(all(ws.cell(row, 4).value is None for row in range(first, last + 1)),
              "回答 cells should be empty in a blank sheet", r)
        # the drop-down: one list validation over exactly the 回答 cells
        dvs = [dv for dv in ws.data_validations.dataValidation
               if any(str(rng).startswith("D") for rng in dv.sqref.ranges)]
        check_eq(len(dvs), 1, "data validations on the 回答 column", r)
        dv = dvs[0]
        check_eq(dv.type, "list", "validation type", r)
        check_eq(str(dv.sqref), "D%d:D%d" % (first, last), "validation range", r)
        f1 = dv.formula1 or ""
        check(f1.startswith('"') and f1.endswith('"'), "inline list expected, got %r" % f1, r)
        check_list(f1[1:-1].split(","), CHOICES, "drop-down choices", r)
        # live formulas
        for row in range(first, last + 1):
            v = ws.cell(row, 5).value
            check(isinstance(v, str) and v.startswith("=IF(") and ("D%d" % row) in v,
                  "点数 E%d: expected a live formula on D%d, got %r" % (row, row, v), r)
        # protection
        check(ws.protection.sheet, "the sheet should be protected", r)
        for row in range(first, last + 1):
            check(ws.cell(row, 4).protection.locked is False, "D%d should be unlocked" % row, r)
            for col in "ABCE":
                check(ws["%s%d" % (col, row)].protection.locked is not False,
                      "%s%d should be locked" % (col, row), r)
        check_eq(ws.freeze_panes, "A%d" % first, "freeze panes", r)
        check_eq(ws.page_setup.paperSize, 9, "paper size (9 = A4)", r)
        props = openpyxl_custom_props(wb, out)
        check(props is not None, "no docProps/custom.xml", r)
        check_eq(props.get("bansou-worksheet"), "self-diagnosis", "custom property bansou-worksheet", r)
        ctx.files["blank-%d" % eng] = out
        if eng == 1:
            ctx.files["questions"] = qs
            ctx.files["first_row"] = first


def test_fill_openpyxl(ctx):
    """(a) answers put in with openpyxl (which writes inline strings)."""
    blank = ctx.need("blank-1")
    answers = answer_set(1)
    out = ctx.path("fill", "a-openpyxl.xlsx")
    fill_openpyxl(blank, out, answers)
    do_import(ctx, 1, out)
    check_records(ctx, 1, answers)


def test_records_text_and_json(ctx):
    """records prints a table by default (a "SHEET: N rows" line, the row keys as
    headers, - for an empty cell) and JSON with --json; worksheet ENG SHEET --json
    names the sheet and the file written."""
    answers = answer_set(1)
    out = ctx.path("fill", "records-text.xlsx")
    fill_openpyxl(ctx.need("blank-1"), out, answers)
    ctx.b("import", 1, out)
    r = ctx.ok("records", 1, "self-diagnosis")
    lines = r.out.splitlines()
    check_eq(lines[0], "self-diagnosis: 25 rows", "records: the first line", r)
    check_eq(lines[1].split(), ["no", "part", "question", "answer", "points"],
             "records: the headers", r)
    check_eq(len(lines), 27, "records: a line a row", r)
    check_eq(lines[2].split()[0], "1", "records: the first row's no", r)
    check_eq(lines[2].split()[-2:], [answers[0], str(POINTS[answers[0]])],
             "records: the first row's answer and points", r)
    rows = json.loads(ctx.ok("records", 1, "self-diagnosis", "--json").out)
    check_eq([x["answer"] for x in rows], answers, "records --json: the answers")
    r = ctx.ok("records", 1)
    check("self-diagnosis: 25 rows" in r.out.splitlines(), "records ENG: one part a sheet", r)
    every = json.loads(ctx.ok("records", 1, "--json").out)
    check_eq(every["self-diagnosis"], rows, "records ENG --json: a map of sheets")
    path = ctx.path("fill", "written.xlsx")
    r = ctx.ok("worksheet", 1, "self-diagnosis", "-o", path, "--json")
    check_eq(json.loads(r.out), {"sheet": "self-diagnosis", "path": path},
             "worksheet ENG SHEET --json", r)
    check(os.path.isfile(path), "worksheet --json wrote the file", r)


def test_fill_libreoffice(ctx):
    """(b) answers put in with openpyxl, then saved by LibreOffice as xlsx: the
    file is LibreOffice's own (shared strings, its styles, its properties)."""
    blank = ctx.need("blank-1")
    answers = answer_set(2)
    src = ctx.path("fill", "b-src", "b-libreoffice.xlsx")
    fill_openpyxl(blank, src, answers)
    outdir = ctx.dir("fill", "b-lo")
    r = ctx.soffice_convert([src], 'xlsx:Calc MS Excel 2007 XML', outdir)
    out = os.path.join(outdir, "b-libreoffice.xlsx")
    check(r.rc == 0 and os.path.isfile(out), "LibreOffice did not convert %s" % src, r)
    with zipfile.ZipFile(out) as z:
        app = z.read("docProps/app.xml").decode("utf-8", "replace") if "docProps/app.xml" in z.namelist() else ""
        check("xl/sharedStrings.xml" in z.namelist(), "LibreOffice's xlsx should use shared strings")
    check("LibreOffice" in app, "docProps/app.xml does not name LibreOffice: %r" % app[:300])
    props = custom_props(out)
    have = bool(props and props.get("bansou-worksheet") == "self-diagnosis")
    had = bool((custom_props(src) or {}).get("bansou-worksheet"))
    ctx.notes.append("fill-libreoffice: the file openpyxl saved %s the property; LibreOffice's %s it:"
                     " imported by %s" % ("has" if had else "lost", "has" if have else "lacks",
                                          "the property" if have else "the sheet name"))
    do_import(ctx, 1, out, replacing=25)
    check_records(ctx, 1, answers)


def test_fill_libreoffice_property(ctx):
    """LibreOffice saves bansou's blank as is (its own file, with the
    property if it keeps it); answers set in that file's XML; imported."""
    blank = ctx.need("blank-1")
    outdir = ctx.dir("fill", "b2-lo")
    src = ctx.path("fill", "b2-src", "b2-blank.xlsx")
    shutil.copyfile(blank, src)
    r = ctx.soffice_convert([src], 'xlsx:Calc MS Excel 2007 XML', outdir)
    lo = os.path.join(outdir, "b2-blank.xlsx")
    check(r.rc == 0 and os.path.isfile(lo), "LibreOffice did not convert %s" % src, r)
    props = custom_props(lo)
    have = bool(props and props.get("bansou-worksheet") == "self-diagnosis")
    ctx.notes.append("fill-libreoffice-own-blank: LibreOffice %s the property bansou-worksheet"
                     % ("keeps" if have else "drops"))
    answers = answer_set(5)
    out = ctx.path("fill", "b2-libreoffice-filled.xlsx")
    fill_xml(lo, out, answers, ctx.need("first_row"))
    do_import(ctx, 1, out, replacing=25)
    check_records(ctx, 1, answers)


def test_fill_xml(ctx):
    """(c) the answer cells set by hand in the XML as inline strings and the
    package rezipped with zipfile (bansou's file otherwise: property, shared
    strings for the other cells)."""
    blank = ctx.need("blank-1")
    answers = answer_set(3)
    out = ctx.path("fill", "c-xml.xlsx")
    fill_xml(blank, out, answers, ctx.need("first_row"))
    check_eq((custom_props(out) or {}).get("bansou-worksheet"), "self-diagnosis",
             "the hand-edited file keeps the property")
    do_import(ctx, 1, out, replacing=25)
    check_records(ctx, 1, answers)
    ctx.files["good"] = out  # a good file in bansou's own form, for the bad ones


def test_rows_inserted_above(ctx):
    """Two rows inserted above the table (openpyxl insert_rows): the header is
    found lower down and the import works (engagement 2, theme assets)."""
    blank = ctx.need("blank-2")
    answers = answer_set(4)
    out = ctx.path("fill", "inserted-rows.xlsx")
    h = fill_openpyxl(blank, out, answers, insert_rows=2)
    check_eq(h, ctx.need("first_row") - 1 + 2, "header row after inserting two rows")
    do_import(ctx, 2, out)
    check_records(ctx, 2, answers)


def test_summary(ctx):
    """The result sheet from what engagement 1 imported last: scores, chart."""
    answers = ctx.answers.get(1)
    if not answers:
        raise Fail("needs the answers imported into engagement 1")
    out = ctx.path("summary", "S.xlsx")
    r = ctx.ok("worksheet", 1, "self-diagnosis-summary", "-o", out)
    check_eq(r.out, out + "\n", "stdout", r)
    wb = load(out, r)
    check_list(wb.sheetnames, ["診断結果"], "sheets", r)
    ws = wb["診断結果"]
    h = header_row(ws, ["区分", "得点", "満点", "達成率"])
    got = [(ws.cell(row, 1).value, ws.cell(row, 2).value, ws.cell(row, 3).value)
           for row in range(h + 1, h + 6)]
    check_list(got, expected_scores(answers) + [(None, None, None)],
               "summary rows (区分, 得点, 満点)", r)
    for row in range(h + 1, h + 5):
        check_eq(ws.cell(row, 4).value, "=B%d/C%d" % (row, row), "達成率 D%d formula" % row, r)
    check_eq(ws.cell(h + 1, 1).value, "基本的対策", "first part", r)
    fields = {ws.cell(x, 1).value: ws.cell(x, 2).value for x in range(1, h)}
    check_eq(fields.get("会社名"), CO1, "会社名 field", r)
    charts = getattr(ws, "_charts", [])
    check_eq(len(charts), 1, "charts on the sheet", r)
    check_eq(type(charts[0]).__name__, "RadarChart", "chart type (openpyxl)", r)
    with zipfile.ZipFile(out) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        check_eq(len(parts), 1, "chart parts", r)
        root = ET.fromstring(z.read(parts[0]))
    check(root.find(".//{%s}radarChart" % C_NS) is not None, "chart XML has no c:radarChart", r)
    refs = [f.text for f in root.iter("{%s}f" % C_NS)]
    check_list(refs, ["'診断結果'!$A$%d:$A$%d" % (h + 1, h + 3), "'診断結果'!$D$%d:$D$%d" % (h + 1, h + 3)],
               "chart series (the three parts, not the total)", r)
    check_eq((custom_props(out) or {}).get("bansou-worksheet"), "self-diagnosis-summary",
             "custom property", r)
    ctx.files["summary"] = out
    # LibreOffice opens it: a PDF
    pdfdir = ctx.dir("summary", "pdf")
    r = ctx.soffice_convert([out], "pdf", pdfdir)
    pdf = os.path.join(pdfdir, "S.pdf")
    check(os.path.isfile(pdf) and os.path.getsize(pdf) > 0, "LibreOffice made no PDF of S.xlsx", r)
    with open(pdf, "rb") as f:
        check(f.read(5) == b"%PDF-", "S.pdf is not a PDF", r)


# --- bad input: nothing imported -----------------------------------------------------

def expect_refused(ctx, eng, path, lines):
    """`import ENG PATH` must fail (exit 1) with exactly LINES on stderr (each a
    string, or a compiled regex), nothing on stdout, and change nothing."""
    before = (db_dump(ctx.ws), ctx.b("records", eng, "--json").out)
    r = ctx.b("import", eng, path)
    check(r.rc == 1, "exit status %s, expected 1" % r.rc, r)
    check_eq(r.out, "", "stdout", r)
    got = r.err.split("\n")
    check(got[-1] == "", "stderr should end with a newline", r)
    got = got[:-1]
    if len(got) != len(lines) or any(
            (g != w) if isinstance(w, str) else not w.fullmatch(g) for g, w in zip(got, lines)):
        raise Fail("stderr:\n    expected %s\n    actual   %r"
                   % ("\n             ".join(w if isinstance(w, str) else "/%s/" % w.pattern
                                            for w in lines), got), r)
    check("root:" not in r.err and "lollol" not in r.err, "an entity was expanded", r)
    after = (db_dump(ctx.ws), ctx.b("records", eng, "--json").out)
    check(after[1] == before[1], "records changed", r)
    if after[0] != before[0]:
        gone = [x for x in before[0] if x not in after[0]][:5]
        new = [x for x in after[0] if x not in before[0]][:5]
        raise Fail("the database changed:\n    - %s\n    + %s"
                   % ("\n    - ".join(gone), "\n    + ".join(new)), r)
    return r


def bad_setup(ctx):
    """Engagement 3 holds a good import, so a refused file must leave it."""
    if 3 not in ctx.answers:
        answers = answer_set(6)
        out = ctx.path("bad", "good-3.xlsx")
        fill_xml(ctx.need("blank-3"), out, answers, ctx.need("first_row"))
        do_import(ctx, 3, out)
        check_records(ctx, 3, answers)
    return ctx.need("blank-3")


def cell(row, col="D"):
    return "%s!%s%d" % (SHEET, col, row)


def bad_cells(ctx, name, change):
    """A copy of engagement 3's blank, all answered, then `change` (a dict of
    cell → text, None to leave empty) applied in the XML."""
    blank = bad_setup(ctx)
    first = ctx.need("first_row")
    answers = {"D%d" % (first + i): a for i, a in enumerate(answer_set(7))}
    for ref, v in change.items():
        answers.pop(ref, None) if v is None else answers.__setitem__(ref, v)
    out = ctx.path("bad", name + ".xlsx")
    rezip(blank, out, lambda n, d: set_inline(d, answers) if n == "xl/worksheets/sheet1.xml" else d)
    return out


def test_bad_answer(ctx):
    first = ctx.need("first_row")
    f = bad_cells(ctx, "wrong-answer", {"D%d" % first: "高い"})
    expect_refused(ctx, 3, f, [
        "bansou: %s: '高い' is not one of %s" % (cell(first), CHOICE_LIST),
        "bansou: 1 problem in %s: nothing imported" % f])


def test_bad_empty_required(ctx):
    first = ctx.need("first_row")
    f = bad_cells(ctx, "empty-answer", {"D%d" % (first + 2): None})
    expect_refused(ctx, 3, f, [
        "bansou: %s: 回答 is required" % cell(first + 2),
        "bansou: 1 problem in %s: nothing imported" % f])


def test_bad_two_problems(ctx):
    first = ctx.need("first_row")
    f = bad_cells(ctx, "two-problems", {"D%d" % first: "高い", "D%d" % (first + 2): None})
    expect_refused(ctx, 3, f, [
        "bansou: %s: '高い' is not one of %s" % (cell(first), CHOICE_LIST),
        "bansou: %s: 回答 is required" % cell(first + 2),
        "bansou: 2 problems in %s: nothing imported" % f])


def test_bad_row_missing(ctx):
    """The last question's row cleared (its No. and answer): the fixed rows
    are checked."""
    first = ctx.need("first_row")
    last = first + 24
    blank = bad_setup(ctx)
    answers = {"D%d" % (first + i): a for i, a in enumerate(answer_set(7)[:24])}

    def change(n, d):
        if n != "xl/worksheets/sheet1.xml":
            return d
        d = set_inline(d, answers)
        return re.sub(rb'<row r="%d"[^>]*>.*?</row>' % last, b"", d, flags=re.S)
    out = ctx.path("bad", "row-missing.xlsx")
    rezip(blank, out, change)
    expect_refused(ctx, 3, out, [
        "bansou: %s: the row no = 25 is missing" % SHEET,
        "bansou: 1 problem in %s: nothing imported" % out])


def test_bad_summary_file(ctx):
    f = ctx.need("summary")
    bad_setup(ctx)
    expect_refused(ctx, 3, f, [
        "bansou: %s: the worksheet 'self-diagnosis-summary' is a result, not for import" % f])


def test_bad_other_workbook(ctx):
    """A plain openpyxl workbook with other headers and a sheet name of its own."""
    bad_setup(ctx)
    out = ctx.path("bad", "other.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["氏名", "部署", "メール"])
    ws.append(["山田 太郎", "総務部", "yamada@example.jp"])
    wb.save(out)
    expect_refused(ctx, 3, out, [
        "bansou: %s: not one of the worksheets of theme 'policy' (see 'bansou worksheet 3')" % out])


def test_bad_other_headers_same_sheet_name(ctx):
    """A sheet named 自社診断 whose table is something else: the header row is
    reported missing, and the file named in the last line."""
    bad_setup(ctx)
    out = ctx.path("bad", "same-name.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["番号", "項目", "回答"])
    ws.append([1, "パスワード", "実施している"])
    wb.save(out)
    expect_refused(ctx, 3, out, [
        "bansou: %s: the table's header row (%s) was not found" % (SHEET, " | ".join(HEADERS)),
        "bansou: 1 problem in %s: nothing imported" % out])


def test_bad_unknown_worksheet_property(ctx):
    """A workbook whose bansou-worksheet property names a worksheet the theme
    does not have (another theme's, or a later version's)."""
    blank = bad_setup(ctx)
    out = ctx.path("bad", "other-worksheet.xlsx")
    rezip(blank, out, lambda n, d: d.replace(b">self-diagnosis<", b">risk-register<")
          if n == "docProps/custom.xml" else d)
    expect_refused(ctx, 3, out, [
        "bansou: %s: this is the worksheet 'risk-register', which theme 'policy' does not use" % out])


def test_bad_zip_bomb_size(ctx):
    """sheet1.xml: 1 GiB of zeros, declared as such."""
    bad_setup(ctx)
    out = ctx.path("bad", "bomb-size.xlsx")
    make_zip_bomb(ctx.need("good"), out, 1024)
    check(os.path.getsize(out) < 2 << 20, "the bomb should be small on disk")
    expect_refused(ctx, 3, out, [
        "bansou: %s: xl/worksheets/sheet1.xml is too large (1073741824 bytes; at most 67108864)" % out])


def test_bad_zip_bomb_ratio(ctx):
    """sheet1.xml: 16 MiB of zeros (under the size limit), compressed ~1000:1."""
    bad_setup(ctx)
    out = ctx.path("bad", "bomb-ratio.xlsx")
    make_zip_bomb(ctx.need("good"), out, 16)
    expect_refused(ctx, 3, out, [re.compile(
        r"bansou: %s: xl/worksheets/sheet1\.xml is compressed \d+:1, more than any office file "
        r"\(a zip bomb\?\)" % re.escape(out))])


def test_bad_zip_bomb_lying_size(ctx):
    """sheet1.xml: 1 GiB of zeros whose headers claim 4,000 bytes."""
    bad_setup(ctx)
    out = ctx.path("bad", "bomb-lying.xlsx")
    make_zip_bomb(ctx.need("good"), out, 1024, declared=4000)
    t = time.monotonic()
    expect_refused(ctx, 3, out, [re.compile(r"bansou: %s: .*xl/worksheets/sheet1\.xml.*"
                                            % re.escape(out))])
    check(time.monotonic() - t < 20, "took %.0f s to refuse" % (time.monotonic() - t))


def test_bad_not_zip(ctx):
    bad_setup(ctx)
    out = ctx.path("bad", "not-zip.xlsx")
    with open(out, "w", encoding="utf-8") as f:
        f.write("No.,区分,診断項目,回答,点数\n1,基本的対策,…,実施している,4\n")
    expect_refused(ctx, 3, out, ["bansou: %s: not a zip archive (a .docx or .xlsx is one)" % out])


def test_bad_truncated(ctx):
    bad_setup(ctx)
    out = ctx.path("bad", "truncated.xlsx")
    with open(ctx.need("good"), "rb") as f:
        data = f.read()
    with open(out, "wb") as f:
        f.write(data[:len(data) * 2 // 3])
    expect_refused(ctx, 3, out, ["bansou: %s: not a zip archive (a .docx or .xlsx is one)" % out])


def test_bad_not_workbook(ctx):
    """A zip, but no xl/workbook.xml."""
    bad_setup(ctx)
    out = ctx.path("bad", "no-workbook.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("hello.txt", "これは xlsx ではありません\n")
    expect_refused(ctx, 3, out, ["bansou: %s: not an Excel workbook (no xl/workbook.xml)" % out])


def _dtd_case(ctx, name, part, make):
    bad_setup(ctx)
    out = ctx.path("bad", name + ".xlsx")
    rezip(ctx.need("good"), out, lambda n, d: make(d) if n == part else d)
    expect_refused(ctx, 3, out, [
        "bansou: %s!%s: a document type declaration is not allowed" % (out, part)])


def test_bad_xxe_sheet(ctx):
    """An external entity in sheet1.xml, referenced from an answer cell."""
    _dtd_case(ctx, "xxe-sheet", "xl/worksheets/sheet1.xml",
              lambda d: with_dtd(d, XXE_DTD, entity_in="<t>" + answer_set(3)[0] + "</t>",
                                 entity=b"<t>&xxe;</t>"))


def test_bad_xxe_after_comment(ctx):
    """The same DOCTYPE after a comment that holds a '<' (a prolog scanner
    that stops at the first '<' not followed by ! or ? misses it)."""
    _dtd_case(ctx, "xxe-comment", "xl/worksheets/sheet1.xml",
              lambda d: with_dtd(d, XXE_DTD, before=b"<!-- <note> -->\n",
                                 entity_in="<t>" + answer_set(3)[0] + "</t>",
                                 entity=b"<t>&xxe;</t>"))


def test_bad_xxe_utf16(ctx):
    """The same DOCTYPE in a sheet1.xml encoded as UTF-16 (legal XML)."""
    def make(d):
        x = with_dtd(d, XXE_DTD, entity_in="<t>" + answer_set(3)[0] + "</t>",
                     entity=b"<t>&xxe;</t>").replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)
        return x.decode("utf-8").encode("utf-16")  # with a BOM
    _dtd_case(ctx, "xxe-utf16", "xl/worksheets/sheet1.xml", make)


def test_bad_laughs_shared_strings(ctx):
    """Billion laughs in xl/sharedStrings.xml."""
    _dtd_case(ctx, "laughs-sst", "xl/sharedStrings.xml",
              lambda d: with_dtd(d, LAUGHS_DTD, entity_in="<t>基本的対策</t>",
                                 entity=b"<t>&lol9;</t>"))


TESTS = [
    ("setup", setup),
    ("blank-self-diagnosis", test_blank),
    ("fill-openpyxl", test_fill_openpyxl),
    ("records-text-and-json", test_records_text_and_json),
    ("fill-libreoffice", test_fill_libreoffice),
    ("fill-libreoffice-own-blank", test_fill_libreoffice_property),
    ("fill-xml-inline-strings", test_fill_xml),
    ("rows-inserted-above", test_rows_inserted_above),
    ("summary-and-chart", test_summary),
    ("bad-wrong-answer", test_bad_answer),
    ("bad-empty-required", test_bad_empty_required),
    ("bad-two-problems", test_bad_two_problems),
    ("bad-row-missing", test_bad_row_missing),
    ("bad-summary-file", test_bad_summary_file),
    ("bad-other-workbook", test_bad_other_workbook),
    ("bad-other-headers-same-sheet-name", test_bad_other_headers_same_sheet_name),
    ("bad-unknown-worksheet-property", test_bad_unknown_worksheet_property),
    ("bad-zip-bomb-size", test_bad_zip_bomb_size),
    ("bad-zip-bomb-ratio", test_bad_zip_bomb_ratio),
    ("bad-zip-bomb-lying-size", test_bad_zip_bomb_lying_size),
    ("bad-not-zip", test_bad_not_zip),
    ("bad-truncated", test_bad_truncated),
    ("bad-not-workbook", test_bad_not_workbook),
    ("bad-xxe-sheet", test_bad_xxe_sheet),
    ("bad-xxe-after-comment", test_bad_xxe_after_comment),
    ("bad-xxe-utf16", test_bad_xxe_utf16),
    ("bad-billion-laughs-shared-strings", test_bad_laughs_shared_strings),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--only", help="run setup and the tests whose name contains this")
    a = ap.parse_args()
    binary, root, tmp = (os.path.abspath(x) for x in (a.bin, a.root, a.tmp))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    counts = [0, 0]
    t0 = time.monotonic()

    def report(name, err, skip=None):
        if err is None:
            counts[0] += 1
            print("ok - %s%s" % (name, " # SKIP " + skip if skip else ""))
        else:
            counts[1] += 1
            msg = str(err).replace("\n", "\n    ")
            print("FAIL - %s: %s" % (name, msg))
            if getattr(err, "result", None) is not None:
                print(err.result.describe())
        sys.stdout.flush()

    if openpyxl is None:
        report("openpyxl", Fail("cannot import openpyxl (install python3-openpyxl)"))
        print("worksheet: %d passed, %d failed" % tuple(counts))
        return 1

    ctx = Ctx(binary, root, tmp)
    for name, fn in TESTS:
        if a.only and name != "setup" and a.only not in name:
            continue
        try:
            fn(ctx)
            report(name, None)
        except Skip as e:
            report(name, None, skip=str(e))
        except Fail as e:
            report(name, e)
        except Exception:
            report(name, Fail("test error:\n" + traceback.format_exc()))
    for n in ctx.notes:
        print("# " + n)
    print("# %.1f s" % (time.monotonic() - t0))
    print("worksheet: %d passed, %d failed" % tuple(counts))
    return 1 if counts[1] else 0


if __name__ == "__main__":
    sys.exit(main())
