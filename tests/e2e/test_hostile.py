#!/usr/bin/python3
"""End-to-end: the bad-input catalogue. Broken and hostile input of every
kind (workbooks, templates, JSON, theme scripts, names, arguments) is
refused with one exact message and exit status 1, and leaves everything as
it was: the database (`sqlite3 .dump`), every file under `out/`, and every
file around the workspace.

One workspace is made once (company 1 engaged on policy, visit 1 prepared,
a blank and a filled self-diagnosis at hand); each case works on a copy of
it under a folder of its own, four levels below the suite's scratch
directory, so that a path that climbs out of the workspace lands where the
check sees it."""
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Fail, check, check_eq, run_suite  # noqa: E402

CO = "株式会社テスト製作所"
EXPERT = "山田 太郎"
SHEET = "自社診断"


# --- the base workspace and its copies -----------------------------------

class Base:
    def __init__(self, cli):
        self.e = cli
        self.ws = os.path.join(cli.tmp, "base", "a", "b", "ws")
        shutil.rmtree(os.path.join(cli.tmp, "base"), ignore_errors=True)
        os.makedirs(os.path.dirname(self.ws))
        cli.run("init", self.ws)
        b = self.b(self.ws)
        b("company", "add", CO, "--industry", "製造業", "--employees", "40",
          "--capital", "3000万")
        b("expert", "add", EXPERT, "--themes", "policy,assets,cloud,incident,training")
        b("engage", CO, "policy", "--expert", "1")
        b("visit", "plan", "1", "1", "--date", (datetime.date.today() + datetime.timedelta(7)).isoformat())
        b("visit", "prepare", "1", "1")
        self.blank = os.path.join(cli.tmp, "base", "blank.xlsx")
        b("worksheet", "1", "self-diagnosis", "--blank", "-o", self.blank)
        self.filled = os.path.join(cli.tmp, "base", "filled.xlsx")
        fill_self_diagnosis(self.blank, self.filled)
        b("import", "1", self.filled)
        b("visit", "prepare", "1", "1")

    def b(self, ws):
        return lambda *args, check=True: self.e.run("-C", ws, *args, check=check)

    def copy(self, name):
        """A copy of the base workspace at SCRATCH/cases/NAME/x/y/ws; returns
        the workspace's path. Files a case makes go in SCRATCH/cases/NAME/in."""
        top = os.path.join(self.e.tmp, "cases", name)
        shutil.rmtree(top, ignore_errors=True)
        ws = os.path.join(top, "x", "y", "ws")
        shutil.copytree(self.ws, ws, symlinks=True)
        os.makedirs(os.path.join(top, "in"))
        return ws

    def input(self, ws, name):
        """The path of an input file of the case whose workspace is `ws`."""
        return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(ws))), "in", name)


def fill_self_diagnosis(blank, out):
    """The blank self-diagnosis with every answer 実施している, by openpyxl."""
    import openpyxl
    wb = openpyxl.load_workbook(blank)
    ws = wb[SHEET]
    col = None
    for r in range(1, 40):
        for c in range(1, ws.max_column + 1):
            if ws.cell(r, c).value == "回答":
                col, first = c, r + 1
        if col:
            break
    check(col is not None, "no 回答 column in the blank self-diagnosis")
    for r in range(first, first + 25):
        ws.cell(r, col).value = "実施している"
    wb.save(out)


def rezip(src, dst, change):
    """A copy of the zip `src` with each member's bytes passed through
    change(name, data) (None drops the member)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def with_dtd(xml, dtd):
    """The document with `dtd` after its XML declaration (or first)."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + dtd + xml[end:]
    return dtd + xml


# --- what every case checks -----------------------------------------------

def files_under(top, skip=None):
    """{relative path: (mode, size, sha256 of content or link target)} of
    everything under top, `skip` (a folder) left out."""
    import hashlib
    out = {}
    for d, dirs, files in os.walk(top):
        if skip and os.path.abspath(d) == os.path.abspath(skip):
            dirs[:] = []
            continue
        dirs[:] = [x for x in dirs if not skip or os.path.abspath(os.path.join(d, x)) != skip]
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            if os.path.islink(p):
                h = "-> " + os.readlink(p)
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    h = hashlib.sha256(f.read()).hexdigest()
            else:
                h = ""
            out[os.path.relpath(p, top)] = (st.st_mode, st.st_size, h)
    return out


def dump(ws):
    """The database as SQL text, read-only."""
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(ws, "bansou.db"), uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def changes(a, b):
    gone = sorted(set(a) - set(b))
    new = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return ["-" + k for k in gone] + ["+" + k for k in new] + ["~" + k for k in changed]


def refused(e, ws, args, message, cwd=None, timeout=None):
    """Runs `bansou -C WS ARGS…` and checks that it fails with exit status 1
    and exactly `message` on stderr (a string, or a compiled pattern the
    whole of stderr must match), nothing on stdout, and that the database,
    out/ and everything around the workspace are as they were."""
    scratch = e.tmp
    before_db = dump(ws)
    before_out = files_under(os.path.join(ws, "out"))
    before_around = files_under(scratch, skip=os.path.join(ws, "out"))
    old = e.timeout
    if timeout:
        e.timeout = timeout
    try:
        rc, out, err = e.run("-C", ws, *args, check=False, cwd=cwd)
    finally:
        e.timeout = old
    what = "bansou %s" % " ".join(args)
    check_eq(rc, 1, "exit status of %s (stderr %r)" % (what, err))
    if isinstance(message, str):
        check_eq(err, message, "stderr of %s" % what)
    else:
        check(message.fullmatch(err), "stderr of %s:\n    expected /%s/\n    actual   %r"
              % (what, message.pattern, err))
    check_eq(out, "", "stdout of %s" % what)
    after_db = dump(ws)
    d = [x for x in before_db if x not in after_db] + [x for x in after_db if x not in before_db]
    check(not d, "the database changed: %r" % d[:6])
    c = changes(before_out, files_under(os.path.join(ws, "out")))
    check(not c, "out/ changed: %r" % c[:6])
    around = files_under(scratch, skip=os.path.join(ws, "out"))
    c = [x for x in changes(before_around, around)
         if not re.search(r"/ws/bansou\.db(-wal|-shm)?$", x)]
    check(not c, "files around the workspace changed: %r" % c[:6])
    return err


# --- held: what resisted attack stays held --------------------------------

def test_held_zip_bomb(e, base):
    ws = base.copy("zip-bomb")
    f = base.input(ws, "bomb.xlsx")
    big = b"<row/>" * ((200 << 20) // 6)
    rezip(base.filled, f, lambda n, d: (d[:-len(b"</worksheet>")] + big + b"</worksheet>")
          if n == "xl/worksheets/sheet1.xml" else d)
    refused(e, ws, ["import", "1", f], re.compile(
        r"bansou: %s: xl/worksheets/sheet1\.xml is (too large|compressed \d+:1)[^\n]*\n"
        % re.escape(f)))


def test_held_zip_slip(e, base):
    """A member named ../../evil.xml is never written anywhere."""
    ws = base.copy("zip-slip")
    f = base.input(ws, "slip.xlsx")
    shutil.copy(base.filled, f)
    with zipfile.ZipFile(f, "a") as z:
        z.writestr("../../../../evil.xml", "<x/>")
    err = refused(e, ws, ["import", "1", f], re.compile(r"bansou: %s: [^\n]*\n" % re.escape(f)))
    check("evil" in err or "name" in err, "the message names the member: %r" % err)


def test_held_xxe(e, base):
    ws = base.copy("xxe")
    f = base.input(ws, "xxe.xlsx")
    dtd = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    rezip(base.filled, f, lambda n, d: with_dtd(d, dtd) if n == "xl/worksheets/sheet1.xml" else d)
    refused(e, ws, ["import", "1", f],
            "bansou: %s!xl/worksheets/sheet1.xml: a document type declaration is not allowed\n" % f)


def test_held_lua_io(e, base):
    ws = base.copy("lua-io")
    os.makedirs(os.path.join(ws, "themes", "evil"))
    with open(os.path.join(ws, "themes", "evil", "theme.lua"), "w") as f:
        f.write("local f = io.open('/tmp/evil', 'w')\n")
    refused(e, ws, ["theme", "show", "evil"], re.compile(
        r"bansou: \S*themes/evil/theme\.lua:1: [^\n]*io[^\n]*\n"), cwd=ws)


def test_held_formula_injection(e, base):
    """A company name that looks like a formula is written as text, never as one."""
    ws = base.copy("formula")
    b = base.b(ws)
    name = '=HYPERLINK("http://example.com/","x")'
    b("company", "add", name, "--industry", "製造業", "--employees", "10")
    b("engage", name, "assets", "--expert", "1")
    f = base.input(ws, "f.xlsx")
    b("worksheet", "2", "asset-ledger", "--blank", "-o", f)
    with zipfile.ZipFile(f) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        strings = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in z.namelist() else b""
    check(b"HYPERLINK" not in b"".join(re.findall(rb"<f>[^<]*</f>", sheets)), "a formula holds the name")
    check(b"=HYPERLINK(&quot;http://example.com/&quot;,&quot;x&quot;)" in strings + sheets
          or b'=HYPERLINK("http://example.com/","x")' in strings + sheets,
          "the name is written as text")


# --- item 5: merged cells are a CPU bomb ------------------------------------
# (the helpers first serve the workbook cases of items 6, 13 and 14 as well)

def repack(src, dst, change, stored=()):
    """Like rezip; members named in `stored` are written uncompressed, as an
    attacker would to keep a repetitive part under the ratio bound."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data, zipfile.ZIP_STORED
                              if info.filename in stored else zipfile.ZIP_DEFLATED)


def sheet_with(src, dst, change, stored=False, extra=None):
    """A copy of workbook `src` with its first sheet's XML (text) passed
    through change(xml), stored uncompressed if `stored`; `extra` {name:
    bytes} adds members."""
    sheet = "xl/worksheets/sheet1.xml"
    repack(src, dst, lambda n, d: change(d.decode("utf-8")).encode("utf-8") if n == sheet else d,
           stored=(sheet,) if stored else ())
    if extra:
        with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z:
            for n, d in extra.items():
                z.writestr(n, d)


def in_row(xml, row, cells):
    """The sheet XML with `cells` (XML text) at the end of row `row`."""
    m = re.search(r'<row r="%d"[^>]*>.*?</row>' % row, xml, re.S)
    check(m, "no row %d in the sheet XML" % row)
    return xml[:m.end() - len("</row>")] + cells + xml[m.end() - len("</row>"):]


def inline_cell(ref, text, attrs=""):
    t = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (ref, attrs, t)


def merges(refs):
    return '<mergeCells count="%d">%s</mergeCells>' % (
        len(refs), "".join('<mergeCell ref="%s"/>' % r for r in refs))


def with_merges(xml, refs):
    xml = re.sub(r"<mergeCells .*?</mergeCells>", "", xml, flags=re.S)
    return xml.replace("</sheetData>", "</sheetData>" + merges(refs), 1)


def test_merge_bomb(e, base):
    """100,000 ranges over two whole columns of a sheet that has a cell in
    its last row: refused at the first range, in well under a second (it
    took two minutes of CPU)."""
    ws = base.copy("merge-bomb")
    f = base.input(ws, "merge-bomb.xlsx")
    far = '<row r="1048576">%s</row></sheetData>' % inline_cell("A1048576", "x")
    sheet_with(base.filled, f, lambda x: with_merges(x.replace("</sheetData>", far),
                                                     ["A1:B1048576"] * 100000), stored=True)
    check(os.path.getsize(f) > 3000000, "the attack file is over 3 MB")
    t0 = time.monotonic()
    refused(e, ws, ["import", "1", f],
            "bansou: %s: %s!A1:B1048576: too many merged cells (more than 100000 in one sheet)\n"
            % (f, SHEET), timeout=30)
    took = time.monotonic() - t0
    check(took < 3, "refused after %.1f s" % took)


def test_merge_many_ranges(e, base):
    """Small ranges, each within bounds, that together repeat more cells than
    the sheet may hold: the range where the cap is reached is named."""
    ws = base.copy("merge-many")
    f = base.input(ws, "merge-many.xlsx")
    sheet_with(base.filled, f, lambda x: with_merges(x, ["A2:E2"] * 30000), stored=True)
    refused(e, ws, ["import", "1", f],
            "bansou: %s: %s!A2:E2: too many merged cells (more than 100000 in one sheet)\n"
            % (f, SHEET))


def test_merge_too_many_ranges(e, base):
    """More merged ranges than any sheet has are refused, not silently cut
    (their first cells are empty, so none of them repeats anything)."""
    ws = base.copy("merge-count")
    f = base.input(ws, "merge-count.xlsx")
    sheet_with(base.filled, f, lambda x: with_merges(x, ["G100:H101"] * 100001), stored=True)
    refused(e, ws, ["import", "1", f],
            "bansou: %s: %s: more than 100000 merged ranges\n" % (f, SHEET))


# --- item 6: a text cell longer than Excel allows ---------------------------

def over_limit(f):
    return "bansou: %s: %s!G12: the text is longer than Excel's limit of 32,767 characters\n" % (
        f, SHEET)


def test_cell_over_excel_limit(e, base):
    ws = base.copy("cell-32768")
    f = base.input(ws, "long.xlsx")
    sheet_with(base.filled, f, lambda x: in_row(x, 12, inline_cell("G12", "x" * 32768)))
    refused(e, ws, ["import", "1", f], over_limit(f))


def test_cell_over_excel_limit_utf16(e, base):
    """Excel counts UTF-16 code units: 16,384 emoji are 32,768 of them
    (16,384 characters, 65,536 bytes)."""
    ws = base.copy("cell-emoji")
    f = base.input(ws, "emoji.xlsx")
    sheet_with(base.filled, f, lambda x: in_row(x, 12, inline_cell("G12", "\U0001F600" * 16384)))
    refused(e, ws, ["import", "1", f], over_limit(f))


def test_cell_over_excel_limit_shared(e, base):
    """The same through a shared string (32,768 × あ)."""
    ws = base.copy("cell-shared")
    f = base.input(ws, "shared.xlsx")
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<si><t>%s</t></si></sst>' % ("あ" * 32768)).encode("utf-8")
    sheet_with(base.filled, f, lambda x: in_row(x, 12, '<c r="G12" t="s"><v>0</v></c>'),
               extra={"xl/sharedStrings.xml": sst})
    refused(e, ws, ["import", "1", f], over_limit(f))


# --- item 13: text that looks like an OOXML escape --------------------------

TRICKY = ["_x0007_bell", "_x0007_x0008_", "a_x005F_b", "_xd83d__xde00_", "_X0041_ and _x41_"]


def xstring(s):
    """Text as OOXML stores it: a '_' that begins '_xHHHH_' written _x005F_."""
    return re.sub(r"_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", s)


def roles_titles(e, ws):
    import json
    rc, out, err = e.run("-C", ws, "records", "1", "regulation-roles")
    rows = json.loads(out)["regulation-roles"] if out.lstrip().startswith("{") else json.loads(out)
    return [r.get("title") for r in rows[:len(TRICKY)]]


def test_xstring_round_trip(e, base):
    """Text such as _x0007_bell comes back as it was: imported (escaped as
    Excel writes it), written by bansou, read by openpyxl, saved again by
    LibreOffice and imported from there."""
    from harness import soffice
    ws = base.copy("xstring")
    b = base.b(ws)
    blank = base.input(ws, "roles-blank.xlsx")
    b("worksheet", "1", "regulation-roles", "--blank", "-o", blank)
    f = base.input(ws, "roles.xlsx")

    def fill(x):
        for i, t in enumerate(TRICKY):
            ref = "D%d" % (8 + i)
            x, n = re.subn(r'<c r="%s"( s="\d+")?/>' % ref,
                           lambda m: inline_cell(ref, xstring(t), m.group(1) or ""), x)
            check(n == 1, "no empty cell %s in the blank sheet" % ref)
        return x
    sheet_with(blank, f, fill)
    b("import", "1", f)
    check_eq(roles_titles(e, ws), TRICKY, "the titles imported")
    w = base.input(ws, "roles-written.xlsx")
    b("worksheet", "1", "regulation-roles", "-o", w)
    with zipfile.ZipFile(w) as z:
        written = z.read("xl/sharedStrings.xml").decode("utf-8")
    for t in TRICKY:
        check("<t>%s</t>" % xstring(t) in written, "%r written as %r" % (t, xstring(t)))
    # openpyxl (3.0) drops every "x005F_" where it should decode "_x005F_"
    # once: a text that holds "_x005F_" itself it cannot read back.
    import openpyxl
    sh = openpyxl.load_workbook(w).active
    readable = [i for i, t in enumerate(TRICKY) if xstring(t).replace("x005F_", "") == t]
    check_eq([sh.cell(8 + i, 4).value for i in readable], [TRICKY[i] for i in readable],
             "what openpyxl reads")
    lo = os.path.join(os.path.dirname(w), "lo")
    soffice(e, [w], "xlsx", lo)
    saved = os.path.join(lo, os.path.basename(w))
    check(os.path.isfile(saved), "LibreOffice saved no workbook")
    ws2 = base.copy("xstring-lo")
    base.b(ws2)("import", "1", saved)
    # LibreOffice (7.4) escapes only the first of two escapes that share a
    # "_": it writes "_x0007_x0008_" as "_x005F_x0007_x0008_", which is
    # "_x0007" and a backspace to Excel as to bansou.
    safe = [i for i, t in enumerate(TRICKY) if t != "_x0007_x0008_"]
    check_eq([roles_titles(e, ws2)[i] for i in safe], [TRICKY[i] for i in safe],
             "the titles imported from LibreOffice's file")


# --- item 14: libxml2's words, a duplicated member, a template's DTD --------

def random_text(n):
    """n letters and digits that do not compress (past the ratio bound)."""
    import base64
    return base64.b64encode(os.urandom(n * 3 // 4 + 3)).decode()[:n]


def test_huge_text_node(e, base):
    """A cell of 10.5 MB: libxml2 gives up on the text node; what it says
    (and the 80 bytes of the cell it quotes) never reaches stderr, the cell
    is named instead."""
    ws = base.copy("huge-text")
    f = base.input(ws, "huge.xlsx")
    sheet_with(base.filled, f, lambda x: in_row(x, 12, inline_cell("G12", random_text(10500000))))
    refused(e, ws, ["import", "1", f], over_limit(f))


def test_huge_text_shared_strings(e, base):
    """The same in the shared strings, in pieces (so that libxml2 joins them
    and stops): the part and line are named, and the table is not taken as
    read up to where libxml2 stopped."""
    ws = base.copy("huge-sst")
    f = base.input(ws, "huge-sst.xlsx")
    text = "&amp;".join(random_text(1000) for _ in range(10500))
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<si><t>%s</t></si><si><t>b</t></si></sst>' % text).encode()
    sheet_with(base.filled, f, lambda x: in_row(x, 12, '<c r="G12" t="s"><v>1</v></c>'),
               extra={"xl/sharedStrings.xml": sst})
    refused(e, ws, ["import", "1", f],
            "bansou: %s!xl/sharedStrings.xml: line 1: a text of more than 10,000,000 bytes, "
            "too long to read\n" % f)


def test_duplicate_member(e, base):
    """Two members of one name: which one a reader takes is up to it."""
    import warnings
    ws = base.copy("duplicate")
    f = base.input(ws, "dup.xlsx")
    shutil.copy(base.filled, f)
    with warnings.catch_warnings(), zipfile.ZipFile(f, "a") as z:
        warnings.simplefilter("ignore")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    refused(e, ws, ["import", "1", f],
            "bansou: %s: xl/worksheets/sheet1.xml is in the archive twice\n" % f)


def template_with(e, ws, base, name, part, change):
    t = base.input(ws, name)
    src = os.path.join(e.root, "tests", "fixtures", "docx", "basic.docx")
    rezip(src, t, lambda n, d: change(d) if n == part else d)
    return t


def test_template_styles_doctype(e, base):
    """A part the renderer copies as it is (styles.xml) is checked like the
    parts it renders: a DOCTYPE there is refused, not passed on to Word."""
    ws = base.copy("tpl-styles-dtd")
    t = template_with(e, ws, base, "styles-dtd.docx", "word/styles.xml", lambda d: with_dtd(
        d, b'<!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    data = os.path.join(e.root, "tests", "fixtures", "docx", "basic.json")
    refused(e, ws, ["render", t, data, "-o", base.input(ws, "out.docx")],
            "bansou: %s!word/styles.xml: a document type declaration is not allowed\n" % t)


def test_template_settings_doctype_after_comment(e, base):
    """The same in settings.xml, after a comment holding a '<' (which a scan
    of the bytes before the root element would miss)."""
    ws = base.copy("tpl-settings-dtd")
    t = template_with(e, ws, base, "settings-dtd.docx", "word/settings.xml", lambda d: with_dtd(
        d, b'<!-- a < b --><!DOCTYPE w:settings [<!ENTITY a "b">]>'))
    data = os.path.join(e.root, "tests", "fixtures", "docx", "basic.json")
    refused(e, ws, ["render", t, data, "-o", base.input(ws, "out.docx")],
            "bansou: %s!word/settings.xml: a document type declaration is not allowed\n" % t)


TESTS = [
    test_held_zip_bomb,
    test_held_zip_slip,
    test_held_xxe,
    test_held_lua_io,
    test_held_formula_injection,
    # items 5, 6, 13, 14 (workbooks and templates)
    test_merge_bomb,
    test_merge_many_ranges,
    test_merge_too_many_ranges,
    test_cell_over_excel_limit,
    test_cell_over_excel_limit_utf16,
    test_cell_over_excel_limit_shared,
    test_xstring_round_trip,
    test_huge_text_node,
    test_huge_text_shared_strings,
    test_duplicate_member,
    test_template_styles_doctype,
    test_template_settings_doctype_after_comment,
]

if __name__ == "__main__":
    sys.exit(run_suite("hostile", TESTS, Base))
