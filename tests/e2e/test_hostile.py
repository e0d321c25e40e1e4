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
    test_held_lua_io,
    test_held_formula_injection,
    # items 4, 9, 14 (theme errors name a line)
    test_render_budget_nested_loops,
    test_render_budget_empty_loops,
    test_render_budget_setting,
    test_lua_budget_xpcall_handler,
    test_lua_budget_pattern,
    test_lua_budget_library_loops,
    test_theme_value_errors_name_line,
]

if __name__ == "__main__":
    sys.exit(run_suite("hostile", TESTS, Base))
