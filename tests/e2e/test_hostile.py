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


def rezip(src, dst, change, stored=()):
    """A copy of the zip `src` with each member's bytes passed through
    change(name, data) (None drops the member); members named in `stored`
    are written uncompressed, as an attacker would to keep a repetitive
    part under the ratio bound."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data, zipfile.ZIP_STORED
                              if info.filename in stored else zipfile.ZIP_DEFLATED)


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


SANDBOX = [
    ("io.open('/tmp/evil', 'w')", "read of undeclared global 'io'"),
    ("os.execute('id')", "attempt to call a nil value (field 'execute')"),
    ("os.exit(0)", "attempt to call a nil value (field 'exit')"),
    ("load('return 1')()", "read of undeclared global 'load'"),
    ("dofile('/etc/passwd')", "read of undeclared global 'dofile'"),
    ("debug.sethook()", "read of undeclared global 'debug'"),
    ("string.dump(function() end)", "attempt to call a nil value (field 'dump')"),
    ("require('io')", "require: no module 'io' in evil/ or lib/ of the theme path"),
    ("setmetatable({}, {__gc = function() end})",
     "setmetatable: __gc finalisers are not allowed in themes"),
]


def test_held_lua_sandbox(e, base):
    """A workspace theme cannot reach files, processes, the loader or the debugger."""
    ws = base.copy("lua-sandbox")
    os.makedirs(os.path.join(ws, "themes", "evil"))
    for lua, why in SANDBOX:
        with open(os.path.join(ws, "themes", "evil", "theme.lua"), "w") as f:
            f.write(lua + "\n")
        refused(e, ws, ["theme", "show", "evil"],
                "bansou: %s/themes/evil/theme.lua:1: %s\n" % (ws, why))


def test_held_billion_laughs(e, base):
    """Entities that expand to a billion characters, in the shared strings."""
    ws = base.copy("laughs")
    f = base.input(ws, "laughs.xlsx")
    dtd = (b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10)
                      for i in range(8)) + b"]>")
    rezip(base.blank, f, lambda n, d: with_dtd(d, dtd).replace(b"<t>", b"<t>&i;", 1)
          if n == "xl/sharedStrings.xml" else d)
    refused(e, ws, ["import", "1", f],
            "bansou: %s!xl/sharedStrings.xml: a document type declaration is not allowed\n" % f)


def test_held_million_rows(e, base):
    """A sheet of 1.1 million rows."""
    ws = base.copy("rows")
    f = base.input(ws, "rows.xlsx")

    def grow(n, d):
        if n != "xl/worksheets/sheet1.xml":
            return d
        rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
                        for r in range(200, 1100000))
        i = d.index(b"</sheetData>")
        return d[:i] + rows + d[i:]
    rezip(base.filled, f, grow)
    refused(e, ws, ["import", "1", f], re.compile(
        r"bansou: %s: xl/worksheets/sheet1\.xml is too large \(\d+ bytes; at most 67108864\)\n"
        % re.escape(f)))


def test_held_json_depth(e, base):
    """render: JSON nested 200,000 deep."""
    ws = base.copy("json-depth")
    data = base.input(ws, "deep.json")
    with open(data, "w") as f:
        f.write("[" * 200000 + "]" * 200000)
    template = os.path.join(e.root, "templates", "common", "訪問計画書.docx")
    refused(e, ws, ["render", template, data, "-o", base.input(ws, "out.docx")],
            "bansou: %s:1:2049: maximum parsing depth reached near '['\n" % data)


def test_held_template_dtd(e, base):
    """render: a template whose document.xml declares an external entity."""
    ws = base.copy("template-dtd")
    t = base.input(ws, "t.docx")
    dtd = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    rezip(os.path.join(e.root, "templates", "common", "訪問計画書.docx"), t,
          lambda n, d: with_dtd(d, dtd) if n == "word/document.xml" else d)
    data = base.input(ws, "d.json")
    with open(data, "w") as f:
        f.write("{}")
    err = refused(e, ws, ["render", t, data, "-o", base.input(ws, "out.docx")],
                  re.compile(r"bansou: %s[^\n]*word/document\.xml[^\n]*\n" % re.escape(t)))
    check("document type declaration" in err, "the message says what is refused: %r" % err)


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


# --- item 1: theme-declared file names are plain names --------------------

CLIMB = "../../../../x.xlsx"


def evil_policy(e, ws, *lines):
    """WS/themes/policy/theme.lua: the installed theme 1 with `lines` run
    before it returns (its modules still come from the installed folder)."""
    with open(os.path.join(e.root, "themes", "policy", "theme.lua"), encoding="utf-8") as f:
        text = f.read()
    anchor = 'local regdocs = require "regdocs"\n'
    check(anchor in text, "theme 1 still requires regdocs")
    text = text.replace(anchor, anchor + "".join(l + "\n" for l in lines), 1)
    path = os.path.join(ws, "themes", "policy", "theme.lua")
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def test_theme_file_climbing_out_is_checked(e, base):
    """`theme check` names the field, file and line of a worksheet's and a
    document's file that is not a plain name."""
    ws = base.copy("theme-file-check")
    path = evil_policy(e, ws, 'selfdiag.sheet.file = "%s"' % CLIMB,
                       'documents.visit_plan.file = "/tmp/第{n}回.docx"')
    rc, out, err = e.run("-C", ws, "theme", "check", check=False)
    check_eq(rc, 1, "exit status of theme check (stderr %r)" % err)
    bad = [l for l in out.rstrip("\n").split("\n") if not l.endswith(": ok")]
    pat = [r"%s:\d+: worksheets\[1\]\.file: '\.\./\.\./\.\./\.\./x\.xlsx' is not a plain file "
           r"name: it contains '/'" % re.escape(path),
           r"%s:\d+: documents\[1\]\.file: '/tmp/第\{n\}回\.docx' is not a plain file name: "
           r"it contains '/'" % re.escape(path)]
    check(len(bad) == 2 and all(re.fullmatch(p, l) for p, l in zip(pat, bad)),
          "theme check names both files:\n%s" % out)
    check_eq(err, "bansou: 2 problems in 1 of 5 theme files\n", "stderr of theme check")


def test_theme_worksheet_file_climbing_out(e, base):
    ws = base.copy("theme-sheet-file")
    path = evil_policy(e, ws, 'selfdiag.sheet.file = "%s"' % CLIMB)
    msg = re.compile(r"bansou: %s:\d+: worksheets\[1\]\.file: '%s' is not a plain file name: "
                     r"it contains '/'\n" % (re.escape(path), re.escape(CLIMB)))
    refused(e, ws, ["worksheet", "1", "self-diagnosis"], msg)
    refused(e, ws, ["visit", "prepare", "1", "1"], msg)


def test_theme_document_file_climbing_out(e, base):
    """Documents' names were quietly mangled (`/` made `_`): refused now."""
    ws = base.copy("theme-doc-file")
    path = evil_policy(e, ws, 'documents.visit_plan.file = "../../../../第{n}回.docx"')
    refused(e, ws, ["visit", "prepare", "1", "1"], re.compile(
        r"bansou: %s:\d+: documents\[1\]\.file: '\.\./\.\./\.\./\.\./第\{n\}回\.docx' is not a "
        r"plain file name: it contains '/'\n" % re.escape(path)))
    for name, why in (("..", "it is '..'"), ("", "it is empty"), ("a\\\\b.docx", "it contains '\\'"),
                      ("a\\nb.docx", "it contains a control character")):
        shutil.rmtree(os.path.join(ws, "themes"))
        evil_policy(e, ws, 'documents.visit_plan.file = "%s"' % name)
        shown = name.replace("\\\\", "\\").replace("\\n", "\\x0a")
        refused(e, ws, ["generate", "1", "--visit", "1"], re.compile(
            r"bansou: %s:\d+: documents\[1\]\.file: '%s' is not a plain file name: %s\n"
            % (re.escape(path), re.escape(shown), re.escape(why))))


def test_theme_template_outside_templates(e, base):
    """A document's template is a path below the template folders: one that
    climbs out, or is absolute, would have any .docx on the machine read
    into a client's document."""
    ws = base.copy("theme-template")
    secret = base.input(ws, "secret.docx")
    shutil.copy(os.path.join(e.root, "templates", "common", "訪問計画書.docx"), secret)
    for name, why in (("../../../../../../../../../../" + secret.lstrip("/"), "it climbs out with '..'"),
                      (secret, "it is an absolute path"),
                      ("common//訪問計画書.docx", "it is empty")):
        shutil.rmtree(os.path.join(ws, "themes"), ignore_errors=True)
        path = evil_policy(e, ws, 'documents.visit_plan.template = "%s"' % name)
        refused(e, ws, ["visit", "prepare", "1", "1"], re.compile(
            r"bansou: %s:\d+: documents\[1\]\.template: '%s' is not a path below the template "
            r"folder: %s\n" % (re.escape(path), re.escape(name), re.escape(why))))


# --- item 2: a company's folder is its id and a safe form of its name -----

def pack_files(ws, folder):
    d = os.path.join(ws, "out", folder, "policy", "visit-1")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def test_company_folder_is_id_and_name(e, base):
    ws = base.copy("folder-id")
    check(pack_files(ws, "001_" + CO), "the pack is in out/001_%s/policy/visit-1: %r"
          % (CO, os.listdir(os.path.join(ws, "out"))))


def test_company_folders_never_collide(e, base):
    """X/Y and X_Y were both out/X_Y/: the second pack overwrote the first."""
    ws = base.copy("folder-collide")
    b = base.b(ws)
    plan = (datetime.date.today() + datetime.timedelta(7)).isoformat()
    for n, name in ((2, "X/Y"), (3, "X_Y"), (4, '<a>:"b"|c?*\\d'), (5, "..hidden. . ")):
        b("company", "add", name, "--industry", "製造業", "--employees", "10")
        b("engage", name, "policy", "--expert", "1")
        b("visit", "plan", str(n), "1", "--date", plan)
        b("visit", "prepare", str(n), "1")
    want = pack_files(ws, "001_" + CO)
    check(want, "company 1's pack")
    for folder in ("002_X_Y", "003_X_Y", "004__a___b__c___d", "005_hidden"):
        check_eq(pack_files(ws, folder), want, "the pack in out/%s" % folder)
    check_eq(sorted(os.listdir(os.path.join(ws, "out"))),
             ["001_" + CO, "002_X_Y", "003_X_Y", "004__a___b__c___d", "005_hidden"],
             "the folders of out/")


def test_company_name_only_dots(e, base):
    ws = base.copy("folder-dots")
    for name in ("..", ".", ". .", " "):
        refused(e, ws, ["company", "add", name, "--industry", "製造業"],
                "bansou: company name: '%s' has only dots and spaces, which cannot name a "
                "folder\n" % name)
    refused(e, ws, ["company", "edit", "1", "--name", ".."],
            "bansou: company name: '..' has only dots and spaces, which cannot name a folder\n")


def test_company_name_control_characters(e, base):
    """a\\x01b and a_b would share a folder; a control character is refused."""
    ws = base.copy("folder-control")
    for name, shown in (("a\x01b", "a\\x01b"), ("\x1b[31mred", "\\x1b[31mred"),
                        ("a\nb", "a\\x0ab"), ("a\x7fb", "a\\x7fb")):
        refused(e, ws, ["company", "add", name, "--industry", "製造業"],
                "bansou: company name: '%s' contains a control character\n" % shown)
        refused(e, ws, ["company", "edit", CO, "--name", name],
                "bansou: company name: '%s' contains a control character\n" % shown)
    refused(e, ws, ["expert", "add", "a\x01b"],
            "bansou: expert name: 'a\\x01b' contains a control character\n")


# --- item 3: a closed engagement takes no import and no regeneration ------

def closed(e, base, name, how):
    """A copy whose engagement 1 is ended `how` (terminate or complete)."""
    ws = base.copy(name)
    b = base.b(ws)
    if how == "complete":
        for n in (1, 2, 3):
            b("visit", "hold", "1", str(n), "--date", datetime.date.today().isoformat(),
              "--findings", "試験の所見")
        b("engagement", "complete", "1")
    else:
        b("engagement", "terminate", "1", "--reason", "打ち切り")
    b("engagement", "record", "1", "--findings", "試験の所見")
    return ws


def test_closed_engagement_takes_no_import(e, base):
    for how, state in (("terminate", "terminated"), ("complete", "completed")):
        ws = closed(e, base, "closed-import-" + how, how)
        refused(e, ws, ["import", "1", base.filled],
                "bansou: engagement 1 is %s: no further changes\n" % state)


def test_closed_engagement_is_not_regenerated(e, base):
    """The final report is written once after the end; then nothing is
    written again, by any command."""
    for how, state in (("terminate", "terminated"), ("complete", "completed")):
        ws = closed(e, base, "closed-generate-" + how, how)
        b = base.b(ws)
        msg = "bansou: engagement 1 is %s: no further changes\n" % state
        for args in (["visit", "prepare", "1", "1"], ["worksheet", "1", "self-diagnosis"],
                     ["worksheet", "1", "self-diagnosis-summary"], ["schedule", "1"],
                     ["generate", "1", "--visit", "1"]):
            refused(e, ws, args, msg)
        _, out, _ = b("generate", "1")
        final = os.path.join(ws, "out", "001_" + CO, "policy", "final")
        # An engagement ended early also gets the company's questionnaire.
        early = os.path.join(final, "指導先企業アンケート.xlsx") + "\n" if how == "terminate" else ""
        check_eq(out, early + os.path.join(final, "最終報告書.docx") + "\n",
                 "generate writes the final documents alone, once the engagement ended")
        for args in (["generate", "1"], ["engagement", "final-report", "1", "--findings", "試験の所見"],
                     ["generate", "1", "--only", "final-report"]):
            refused(e, ws, args, msg)
        _, out, err = b("generate", "--all")
        check_eq(out.split("\n")[0], "[1/1] 1 %s (policy): %s: no further changes" % (CO, state),
                 "generate --all passes over the closed engagement")


def test_closed_engagement_final_report_once(e, base):
    """`engagement final-report` after the end, as before; a second one is refused."""
    ws = closed(e, base, "closed-final", "terminate")
    b = base.b(ws)
    _, out, _ = b("engagement", "final-report", "1", "--findings", "試験の所見")
    final = os.path.join(ws, "out", "001_" + CO, "policy", "final")
    check_eq(out, os.path.join(final, "指導先企業アンケート.xlsx") + "\n" +
             os.path.join(final, "最終報告書.docx") + "\n",
             "the final report of the terminated engagement, with the company's questionnaire")
    refused(e, ws, ["engagement", "final-report", "1", "--findings", "試験の所見"],
            "bansou: engagement 1 is terminated: no further changes\n")


# --- item 10: control characters are shown, never sent to the terminal ---

def test_control_characters_printed_visibly(e, base):
    """A name stored before names were checked, and a reason with a newline:
    every table, field and log line shows them as \\xHH."""
    ws = base.copy("visible")
    b = base.b(ws)
    db = sqlite3.connect(os.path.join(ws, "bansou.db"))
    db.execute("UPDATE company SET name = ?, contact_name = ? WHERE id = 1",
               ("\x1b[2J\x1b[31mred\rX\x9b", "a\x07b"))
    db.commit()
    db.close()
    forged = "\n2000-01-01T00:00:00+09:00  admin        engagement.complete  completed"
    b("engagement", "terminate", "1", "--reason", "打ち切り" + forged)
    for args, want in ((["company", "list"], "\\x1b[2J\\x1b[31mred\\x0dX\\u009b"),
                       (["status"], "\\x1b[2J\\x1b[31mred"),
                       (["engagement", "list"], "\\x1b[2J\\x1b[31mred"),
                       (["company", "show", "1"], "a\\x07b"),
                       (["engagement", "show", "1"], "打ち切り\\x0a2000-01-01"),
                       (["log", "1"], "打ち切り\\x0a2000-01-01"),
                       (["log"], "打ち切り\\x0a2000-01-01")):
        _, out, _ = b(*args)
        check(want in out, "%s shows %r:\n%s" % (" ".join(args), want, out))
        check(not re.search("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]", out),
              "%s prints no control character: %r" % (" ".join(args), out))
    _, out, _ = b("log", "1")
    check(not [l for l in out.split("\n") if l.startswith("2000-")], "no forged log line:\n%s" % out)


def test_actor_control_characters(e, base):
    ws = base.copy("actor")
    refused(e, ws, ["--actor", "a\nb", "company", "edit", CO, "--notes", "x"],
            "bansou: --actor: 'a\\x0ab' contains a control character\n")
    old = e.env
    try:
        e.env = dict(old, BANSOU_ACTOR="\x1b]0;pwned\x07")
        refused(e, ws, ["company", "edit", CO, "--notes", "x"],
                "bansou: $BANSOU_ACTOR: '\\x1b]0;pwned\\x07' contains a control character\n")
        e.env = dict(old, USER="a\rb")
        e.env.pop("BANSOU_ACTOR")
        refused(e, ws, ["company", "edit", CO, "--notes", "x"],
                "bansou: $USER: 'a\\x0db' contains a control character\n")
    finally:
        e.env = old


# --- item 11: names are bounded, folders too -------------------------------

def test_name_too_long(e, base):
    ws = base.copy("long-name")
    refused(e, ws, ["company", "add", "株" * 300, "--industry", "製造業"],
            "bansou: company name: too long (300 characters, at most 100)\n")
    refused(e, ws, ["company", "edit", CO, "--name", "a" * 101],
            "bansou: company name: too long (101 characters, at most 100)\n")
    refused(e, ws, ["expert", "add", "専" * 101],
            "bansou: expert name: too long (101 characters, at most 100)\n")


def test_longest_name_writes_its_pack(e, base):
    """100 characters of 3 bytes were 300 bytes of folder name: "File name
    too long" for every document. The folder keeps the first 150 bytes."""
    ws = base.copy("longest-name")
    b = base.b(ws)
    name = "株式会社" + "長" * 95 + "a"
    check_eq(len(name), 100, "the name's length")
    b("company", "add", name, "--industry", "製造業", "--employees", "10")
    b("engage", name, "policy", "--expert", "1")
    b("visit", "plan", "2", "1", "--date", (datetime.date.today() + datetime.timedelta(7)).isoformat())
    b("visit", "prepare", "2", "1")
    folder = "002_" + name.encode()[:150].decode()
    check_eq(len(folder.encode()), 154, "the folder name's bytes")
    check_eq(pack_files(ws, folder), pack_files(ws, "001_" + CO), "the pack of the long name")
# --- item 7: temporary files of a write that died ----------------------------

def test_stale_temporary_files_swept(e, base):
    """A write leaves its bytes in a hidden .bansou-tmp-XXXXXX file beside the
    target while it runs. One whose writer is gone (no lock held on it) is
    removed by the next write in that folder; one still being written (its
    lock held), a symlink of that name and other names are left alone."""
    import fcntl
    ws = base.copy("stale-tmp")
    folder = os.path.join(ws, "out", "001_" + CO, "policy", "visit-1")
    before = set(os.listdir(folder))
    victim = base.input(ws, "victim.txt")
    with open(victim, "w") as f:
        f.write("not yours\n")
    planted = {}
    for name in (".bansou-tmp-Ab12Cd", ".bansou-tmp-live01", ".bansou-tmp-Zz99Yy",
                 ".bansou-tmp-notes.txt", "a.docx.tmp-1-0"):
        planted[name] = os.path.join(folder, name)
    for name in (".bansou-tmp-Ab12Cd", ".bansou-tmp-live01", ".bansou-tmp-notes.txt",
                 "a.docx.tmp-1-0"):
        with open(planted[name], "wb") as f:
            f.write(b"PK\x03\x04 partial")
        os.chmod(planted[name], 0o600)
    os.symlink(victim, planted[".bansou-tmp-Zz99Yy"])
    live = os.open(planted[".bansou-tmp-live01"], os.O_RDONLY)
    try:
        fcntl.flock(live, fcntl.LOCK_EX)
        base.b(ws)("visit", "prepare", "1", "1")
        check_eq(sorted(set(os.listdir(folder)) - before),
                 [".bansou-tmp-Zz99Yy", ".bansou-tmp-live01", ".bansou-tmp-notes.txt",
                  "a.docx.tmp-1-0"],
                 "what is left of the planted files after a write in their folder")
    finally:
        os.close(live)
    base.b(ws)("visit", "prepare", "1", "1")
    check_eq(sorted(set(os.listdir(folder)) - before),
             [".bansou-tmp-Zz99Yy", ".bansou-tmp-notes.txt", "a.docx.tmp-1-0"],
             "what is left once the lock is released")
    with open(victim) as f:
        check_eq(f.read(), "not yours\n", "the symlink's target")


# --- item 8: a symlink on the temporary name ----------------------------------

def test_symlink_on_temporary_name(e, base):
    """`ln -s victim PATH.tmp-$$.xlsx` (the temporary name of old, from the
    pid that runs bansou next) must not make `worksheet -o PATH` write into
    victim; nor the same for a Word document (`render -o`) and a schedule."""
    ws = base.copy("tmp-symlink")
    victim = base.input(ws, "victim.txt")
    with open(victim, "w") as f:
        f.write("not yours\n")
    data = base.input(ws, "data.json")
    with open(data, "w") as f:
        f.write("{}")
    tmpl = os.path.join(e.root, "templates", "common", "訪問計画書.docx")
    for args, out, links in (
            (["worksheet", "1", "self-diagnosis", "--blank", "-o"], "sheet.xlsx",
             ["%s.tmp-$$.xlsx"]),
            (["schedule", "--all", "-o"], "all.xlsx", ["%s.tmp-$$.xlsx"]),
            (["render", tmpl, data, "-o"], "doc.docx", ["%s.tmp-$$-0", "%s.tmp-$$-1"])):
        path = base.input(ws, out)
        lns = "".join("ln -s %s %s; " % (shq(victim), shq(ln % path))
                      for ln in links)
        cmd = lns + "exec %s -C %s %s" % (shq(e.bin), shq(ws), " ".join(shq(a) for a in args + [path]))
        p = subprocess.run(["sh", "-c", cmd], env=e.env, capture_output=True, timeout=120)
        check_eq(p.returncode, 0, "exit status of %s (stderr %r)" % (cmd, p.stderr.decode()))
        with open(victim, "rb") as f:
            check_eq(f.read(), b"not yours\n", "the symlink's target after %s" % " ".join(args))
        check(not os.path.islink(path), "%s is a symlink" % path)
        with zipfile.ZipFile(path) as z:
            check(z.testzip() is None, "%s is a complete zip" % path)


def shq(s):
    """`s` quoted for sh; a `$$` stays for the shell to expand when it is
    written as '$$' by the caller."""
    return "'" + s.replace("'", "'\\''").replace("$$", "'$$'") + "'"


# --- item 12: owner-only whatever the umask -----------------------------------

def umask_run(e, mask, *args):
    """Runs bansou ARGS under umask `mask`; a failure raises."""
    p = subprocess.run([e.bin] + list(args), env=e.env, capture_output=True, timeout=120,
                       preexec_fn=lambda: os.umask(mask))
    if p.returncode != 0:
        raise Fail("umask %03o: %s: exit %d: %s" % (mask, " ".join(args), p.returncode,
                                                     p.stderr.decode().strip()))


def not_owner_only(top):
    """What under `top` (top included) is not a 0700 folder or a 0600 file."""
    bad = []
    for d, dirs, files in os.walk(top):
        for p in [d] + [os.path.join(d, n) for n in files]:
            m = os.lstat(p).st_mode
            if m != (0o40700 if os.path.isdir(p) else 0o100600):
                bad.append("%s %o" % (os.path.relpath(p, top), m))
    return sorted(bad)


def owner_only_under(e, base, mask):
    """A workspace made and worked under umask `mask`: every file and folder
    bansou writes in it is owner-only, and so are the files and folders it
    writes elsewhere with -o."""
    top = os.path.join(e.tmp, "cases", "umask-%03o" % mask)
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    ws, far = os.path.join(top, "ws"), os.path.join(top, "elsewhere")
    os.makedirs(far)
    b = lambda *args: umask_run(e, mask, "-C", ws, *args)  # noqa: E731
    umask_run(e, mask, "init", ws)
    b("company", "add", CO, "--industry", "製造業", "--employees", "40")
    b("expert", "add", EXPERT, "--themes", "policy")
    b("engage", CO, "policy", "--expert", "1")
    b("visit", "plan", "1", "1", "--date", datetime.date.today().isoformat())
    b("visit", "prepare", "1", "1")
    b("worksheet", "1", "self-diagnosis")
    b("import", "1", base.filled)
    b("visit", "hold", "1", "1", "--findings", "試験の所見", "--date", datetime.date.today().isoformat())
    b("generate", "1")
    b("schedule", "1")
    b("schedule", "--all")
    b("worksheet", "1", "self-diagnosis", "--blank", "-o", os.path.join(far, "blank.xlsx"))
    b("schedule", "--all", "-o", os.path.join(far, "all.xlsx"))
    data = os.path.join(top, "data.json")
    with open(data, "w") as f:
        f.write('{"items": [{"n": "a"}, {"n": "b"}]}')
    tmpl = os.path.join(e.root, "templates", "common", "訪問計画書.docx")
    b("render", tmpl, data, "-o", os.path.join(far, "doc.docx"))
    b("render", tmpl, data, "--each", "items", "-o", os.path.join(far, "each"))
    check(len(os.listdir(os.path.join(ws, "out"))) > 1, "out/ holds the documents")
    check_eq(not_owner_only(ws), [], "what under the workspace is not owner-only (umask %03o)"
             % mask)
    os.chmod(far, 0o700)  # made by the test, not by bansou
    check_eq(not_owner_only(far), [], "what bansou wrote elsewhere with -o that is not "
             "owner-only (umask %03o)" % mask)


def test_owner_only_umask_000(e, base):
    owner_only_under(e, base, 0o000)


def test_owner_only_umask_002(e, base):
    owner_only_under(e, base, 0o002)


def test_init_tightens_existing_folder(e, base):
    """`init` into a folder that exists (0777, with an out/ of 0777) makes
    both owner-only, as the workspace's files are."""
    top = os.path.join(e.tmp, "cases", "init-0777")
    shutil.rmtree(top, ignore_errors=True)
    ws = os.path.join(top, "ws")
    os.makedirs(os.path.join(ws, "out"))
    os.chmod(ws, 0o777)
    os.chmod(os.path.join(ws, "out"), 0o777)
    umask_run(e, 0o000, "init", ws)
    check_eq(not_owner_only(ws), [], "what is not owner-only after init into a 0777 folder")
# --- item 5: merged cells are a CPU bomb ------------------------------------
# (the helpers first serve the workbook cases of items 6, 13 and 14 as well)

def sheet_with(src, dst, change, stored=False, extra=None):
    """A copy of workbook `src` with its first sheet's XML (text) passed
    through change(xml), stored uncompressed if `stored`; `extra` {name:
    bytes} adds members."""
    sheet = "xl/worksheets/sheet1.xml"
    rezip(src, dst, lambda n, d: change(d.decode("utf-8")).encode("utf-8") if n == sheet else d,
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
    rc, out, err = e.run("-C", ws, "records", "1", "regulation-roles", "--json")
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


# --- item 4: render has an output budget ---------------------------------

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def loop_template(e, path, paragraphs):
    """A template made from tests/fixtures/docx/basic.docx whose body is
    `paragraphs` (one text each), with no tag in any other part."""
    body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % t
                   for t in paragraphs)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W_MAIN, body))
    rezip(os.path.join(e.root, "tests", "fixtures", "docx", "basic.docx"), path,
          lambda n, d: doc.encode("utf-8") if n == "word/document.xml"
          else d.replace(b"{{", b"").replace(b"}}", b"") if n.endswith(".xml") else d)


def items_data(path, n):
    import json
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"items": [{"name": "項目%d" % i} for i in range(n)]}, f, ensure_ascii=False)


def guarded(e, ws, args, seconds, rss_mib=2048, env=None):
    """Runs `bansou -C WS ARGS…` and kills it once it runs longer than
    `seconds` or holds more than `rss_mib` MiB: a budget that does not hold
    fails the case without taking the machine down. Returns the seconds it
    took."""
    import time
    p = subprocess.Popen([e.bin, "-C", ws] + list(args), env=env or e.env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    why = None
    while p.poll() is None:
        took = time.monotonic() - t0
        try:
            with open("/proc/%d/status" % p.pid) as f:
                rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) >> 10
        except (OSError, AttributeError):
            rss = 0
        if took > seconds or rss > rss_mib:
            why = "still running after %.1f s, %d MiB resident" % (took, rss)
            p.kill()
            p.wait()
            break
        time.sleep(0.05)
    took = time.monotonic() - t0
    check(why is None, "bansou %s: %s" % (" ".join(args), why))
    return took


def render_seconds(e):
    """How long stopping at a budget of 256 MiB may take: about 1.3 s in a
    build with -O2, 5 s under AddressSanitizer; without a budget it never
    ends."""
    with open(e.bin, "rb") as f:
        return 20 if b"__asan_init" in f.read() else 5


def test_render_budget_nested_loops(e, base):
    """Three loops over a 1,000-item list inside each other: a 7 KB template
    whose document would be tens of gigabytes stops at the output budget, at
    once, naming the loops."""
    ws = base.copy("render-nested")
    t, d, o = base.input(ws, "loops.docx"), base.input(ws, "items.json"), base.input(ws, "o.docx")
    loop_template(e, t, ["章 {{#items}}", "節 {{#items}}", "項 {{#items}}",
                         "{{name}}と{{name}}の組み合わせについて", "{{/items}}", "{{/items}}",
                         "{{/items}}"])
    items_data(d, 1000)
    took = guarded(e, ws, ["render", t, d, "-o", o], 30)
    check(took < render_seconds(e), "the budget took %.1f s to stop the render" % took)
    refused(e, ws, ["render", t, d, "-o", o],
            "bansou: %s: word/document.xml: paragraph '項 {{#items}}': {{#items}} inside "
            "{{#items}} inside {{#items}}: the document grows past the output budget of "
            "256 MiB (BANSOU_MAX_OUTPUT sets another)\n" % t)


def test_render_budget_empty_loops(e, base):
    """Loops that write nothing still cost work: four of them inside each other
    over 1,000 items (10¹² repetitions) stop at the budget too. (The paragraph
    is quoted to 80 characters.)"""
    ws = base.copy("render-empty")
    t, d, o = base.input(ws, "loops.docx"), base.input(ws, "items.json"), base.input(ws, "o.docx")
    loop_template(e, t, ["x{{#items}}{{#items}}{{#items}}{{#items}}{{/items}}{{/items}}"
                         "{{/items}}{{/items}}y"])
    items_data(d, 1000)
    took = guarded(e, ws, ["render", t, d, "-o", o], 30)
    check(took < render_seconds(e), "the budget took %.1f s to stop the render" % took)
    refused(e, ws, ["render", t, d, "-o", o],
            "bansou: %s: word/document.xml: paragraph 'x{{#items}}{{#items}}{{#items}}"
            "{{#items}}{{/items}}{{/items}}{{/items}}{{/items}…': {{#items}} inside {{#items}} "
            "inside {{#items}} inside {{#items}}: the document grows past the output budget of "
            "256 MiB (BANSOU_MAX_OUTPUT sets another)\n" % t)


def test_render_budget_setting(e, base):
    """BANSOU_MAX_OUTPUT sets the budget (bytes, or K, M, G); a value that is
    not a size is refused; under the budget the document is written."""
    ws = base.copy("render-setting")
    t, d, o = base.input(ws, "rows.docx"), base.input(ws, "items.json"), base.input(ws, "o.docx")
    loop_template(e, t, ["一覧", "{{#items}}", "{{@n}}. {{name}}", "{{/items}}"])
    items_data(d, 1000)
    old = e.env
    try:
        e.env = dict(old, BANSOU_MAX_OUTPUT="64K")
        refused(e, ws, ["render", t, d, "-o", o],
                "bansou: %s: word/document.xml: paragraph '{{#items}}': {{#items}}: the document "
                "grows past the output budget of 64 KiB (BANSOU_MAX_OUTPUT sets another)\n" % t)
        for bad in ("lots", "0", "12X", "-1M"):
            e.env = dict(old, BANSOU_MAX_OUTPUT=bad)
            refused(e, ws, ["render", t, d, "-o", o],
                    "bansou: BANSOU_MAX_OUTPUT: '%s' is not a size (bytes, or a number with K, "
                    "M or G)\n" % bad)
        e.env = dict(old, BANSOU_MAX_OUTPUT="1M")
        rc, out, err = e.run("-C", ws, "render", t, d, "-o", o, check=False)
        check_eq((rc, err), (0, ""), "render under a budget of 1 MiB")
        check(zipfile.is_zipfile(o), "the document was written")
    finally:
        e.env = old


# --- item 9: the Lua budget holds in message handlers and library calls ---

def lua_refused(e, base, name, lua, line, what, seconds=10):
    """A workspace theme NAME whose script is `lua`: `theme show NAME` fails
    with the budget message at LINE (a number, or a pattern) in a few seconds, not at the CPU
    backstop (30 s)."""
    import time
    ws = base.copy("lua-" + name)
    path = os.path.join(ws, "themes", name, "theme.lua")
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(lua)
    t0 = time.monotonic()
    if isinstance(line, str):  # a pattern of lines
        want = re.compile(r"bansou: %s:(%s): %s\n" % (re.escape(path), line, re.escape(what)))
    else:
        want = "bansou: %s:%d: %s\n" % (path, line, what)
    refused(e, ws, ["theme", "show", name], want, timeout=45)
    took = time.monotonic() - t0
    check(took < seconds, "the budget took %.1f s to stop the script" % took)


LOOP = "instruction budget exceeded (runaway loop?)"
PATTERN = "instruction budget exceeded (runaway pattern match?)"


def test_lua_budget_xpcall_handler(e, base):
    """A message handler runs with the count hook off when the error came
    from the hook: it cannot loop past the budget."""
    lua_refused(e, base, "xpcall1",
                "-- a handler that loops once the budget is spent\n"
                "local n = 0\n"
                "xpcall(function() while true do end end,\n"
                "       function(m) while true do n = n + 1 end end)\n"
                "return theme { id = 'xpcall1' }\n", 3, LOOP)
    lua_refused(e, base, "xpcall2",
                "-- a handler that loops on an ordinary error\n"
                "local n = 0\n"
                "xpcall(error,\n"
                "       function(m) while true do n = n + 1 end end, 'x')\n"
                "return theme { id = 'xpcall2' }\n", 4, LOOP)
    lua_refused(e, base, "xpcall3",
                "-- handlers inside handlers, each caught and retried\n"
                "local function h(m) while true do xpcall(error, h) end end\n"
                "while true do xpcall(error, h) end\n", "2|3", LOOP)


def test_lua_budget_pattern(e, base):
    """One call of the pattern matcher that backtracks for hours is stopped by
    the instruction budget, pcall or not, in find, match, gmatch and gsub."""
    lua_refused(e, base, "pattern1",
                "-- a pattern that backtracks\n"
                "local s = string.rep('a', 30) .. 'b'\n"
                "local at = string.find(s, string.rep('a*', 30) .. 'c')\n"
                "return theme { id = 'pattern1' }\n", 3, PATTERN)
    lua_refused(e, base, "pattern2",
                "local s = string.rep('a', 40)\n"
                "while true do\n"
                "  pcall(string.match, s, string.rep('a-', 40) .. 'b')\n"
                "end\n", 3, PATTERN)
    lua_refused(e, base, "pattern3",
                "local s = string.rep('x', 5000) .. 'y'\n"
                "for w in s:gmatch('(x*)(x*)(x*)z') do end\n", 2, PATTERN)
    lua_refused(e, base, "pattern4",
                "local s = string.rep(' ', 200000) .. 'x'\n"
                "local t = s:gsub('%s+$', '')\n", 2, PATTERN)


def test_lua_budget_library_loops(e, base):
    """Library functions that loop in C without growing memory: string.rep of
    nothing, table.move, and table functions on a table whose __len lies."""
    lua_refused(e, base, "rep", "-- nothing, 10^15 times\nlocal s = string.rep('', 1e15)\n"
                "local t = {s}\nwhile true do t[1] = string.rep('', 1e15) end\n", 4, LOOP)
    lua_refused(e, base, "move", "-- 10^15 nils moved\nlocal t = table.move({}, 1, 1e15, 2)\n", 2,
                "instruction budget exceeded (table.move of 1000000000000000 elements)")
    lua_refused(e, base, "len",
                "local t = setmetatable({}, {__len = function() return 1e15 end})\n"
                "table.insert(t, 1, 'x')\n", 2,
                "instruction budget exceeded (table.insert on a table of length 1000000000000000)")
    lua_refused(e, base, "sort",
                "local t = setmetatable({}, {__len = function() return 2^31 - 2 end,\n"
                "  __index = rawlen, __newindex = rawequal})\n"
                "table.sort(t)\n", 3,
                "instruction budget exceeded (table.sort on a table of length 2147483646)")


# --- item 14: theme errors name their file and line ----------------------

def theme_refused(e, base, name, lua, line, what):
    ws = base.copy("conv-" + name)
    path = os.path.join(ws, "themes", name, "theme.lua")
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        f.write(lua)
    refused(e, ws, ["theme", "show", name], "bansou: %s:%d: %s\n" % (path, line, what))


def test_theme_value_errors_name_line(e, base):
    """What a script returns that is not data is reported at the line of the
    nearest table a constructor made, or where the script returns."""
    theme_refused(e, base, "cycle",
                  "-- a table inside itself\n"
                  "local t = theme {\n"
                  "  id = 'cycle',\n"
                  "  steps = {},\n"
                  "}\n"
                  "t.steps[1] = t\n"
                  "return t\n", 2, "steps[1]: table contains itself")
    theme_refused(e, base, "nan",
                  "return theme { id = 'nan', steps = {\n"
                  "  step { title = 'x',\n"
                  "    prep = { item { id = 'a', minutes = 0/0 } } },\n"
                  "} }\n", 3, "steps[1].prep[1].minutes: not a finite number")
    theme_refused(e, base, "plain",
                  "-- no constructor: the line of the return\n"
                  "local t = { id = 'plain' }\n"
                  "t.self = t\n"
                  "return t\n", 4, "self: table contains itself")
    theme_refused(e, base, "mixed",
                  "local x = 1\n"
                  "return theme { id = 'mixed', goals = { 'a', b = 'c' } }\n", 2,
                  "goals: table mixes list items and named fields")
    theme_refused(e, base, "object",
                  "-- an error that is not a string\n"
                  "error({ code = 1 })\n", 2, "(error object is a table value)")


TESTS = [
    test_held_zip_bomb,
    test_held_zip_slip,
    test_held_xxe,
    test_held_lua_sandbox,
    test_held_billion_laughs,
    test_held_million_rows,
    test_held_json_depth,
    test_held_template_dtd,
    test_held_formula_injection,
    # item 1: theme-declared file names
    test_theme_file_climbing_out_is_checked,
    test_theme_worksheet_file_climbing_out,
    test_theme_document_file_climbing_out,
    test_theme_template_outside_templates,
    # item 2: company folders
    test_company_folder_is_id_and_name,
    test_company_folders_never_collide,
    test_company_name_only_dots,
    test_company_name_control_characters,
    # item 3: closed engagements
    test_closed_engagement_takes_no_import,
    test_closed_engagement_is_not_regenerated,
    test_closed_engagement_final_report_once,
    # item 4: render's output budget
    test_render_budget_nested_loops,
    test_render_budget_empty_loops,
    test_render_budget_setting,
    # item 5: merged cells
    test_merge_bomb,
    test_merge_many_ranges,
    test_merge_too_many_ranges,
    # item 6: cells over Excel's limit
    test_cell_over_excel_limit,
    test_cell_over_excel_limit_utf16,
    test_cell_over_excel_limit_shared,
    # item 7: leftovers of a killed run (the kills themselves: the kill suite)
    test_stale_temporary_files_swept,
    # item 8: a symlink on the temporary name
    test_symlink_on_temporary_name,
    # item 9: the Lua budget
    test_lua_budget_xpcall_handler,
    test_lua_budget_pattern,
    test_lua_budget_library_loops,
    # item 10: terminal and log injection
    test_control_characters_printed_visibly,
    test_actor_control_characters,
    # item 11: long names
    test_name_too_long,
    test_longest_name_writes_its_pack,
    # item 12: owner-only files
    test_owner_only_umask_000,
    test_owner_only_umask_002,
    test_init_tightens_existing_folder,
    # item 13: _xHHHH_ round trip
    test_xstring_round_trip,
    # item 14: libxml2's words, duplicated members, a template's DTD, theme errors' lines
    test_huge_text_node,
    test_huge_text_shared_strings,
    test_duplicate_member,
    test_template_styles_doctype,
    test_template_settings_doctype_after_comment,
    test_theme_value_errors_name_line,
]

if __name__ == "__main__":
    sys.exit(run_suite("hostile", TESTS, Base))
