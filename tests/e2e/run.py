#!/usr/bin/python3
"""End-to-end tests of bansou: drive the command-line program as a user would.

    /usr/bin/python3 tests/e2e/run.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Python 3 standard library only. --tmp is wiped and recreated; every test makes
its own workspace under it. Each test prints `ok - NAME` or `FAIL - NAME: why`
(with the command, its exit status, stdout and stderr); the last line is
`e2e: N passed, N failed` and the exit status is 1 when any test failed.
"""
import argparse
import datetime
import hashlib
import json
import os
import pwd
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import traceback
import unicodedata

from harness import Catalogue, Fail, Result, catalogue_path, dec

TIMEOUT = 60
THEME_IDS = ["policy", "assets", "cloud", "incident", "training"]
USAGE_TAIL = "exit status: 0 success, 1 failed or invalid input, 2 usage error"


def display_width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def line_of(text, needle):
    """1-based line number of the first line of `text` containing `needle`."""
    for i, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return i
    raise AssertionError("no line with %r" % needle)


class Suite:
    def __init__(self, binary, root, tmp, lang="en"):
        self.bin, self.root, self.tmp = binary, root, tmp
        # In Japanese, every message the tests expect (written in English)
        # is expected as the catalogue translates it.
        self.cat = Catalogue(catalogue_path(binary, lang)) if lang != "en" else None
        env = dict(os.environ)
        env["BANSOU_ACTOR"] = "e2e"
        for k in ("BANSOU_DIR", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            env.pop(k, None)
        env["LANG"] = {"en": "C.UTF-8", "ja": "ja_JP.UTF-8"}[lang]
        env.setdefault("BANSOU_THEMES", os.path.join(root, "themes"))
        self.env = env


class T:
    """What one test gets: a scratch directory and helpers."""

    def __init__(self, suite, name):
        self.s = suite
        self.name = name
        self.dir = os.path.join(suite.tmp, name)
        os.makedirs(self.dir)
        self.last = None
        self._n = 0

    # --- the language ----------------------------------------------------

    def m(self, text):
        """`text`, written in English, as bansou prints it in the suite's language."""
        return self.s.cat.text(text) if self.s.cat else text

    def w(self, word):
        """A word (a state, a header) in the suite's language."""
        return self.s.cat.word(word) if self.s.cat else word

    # --- running ---------------------------------------------------------

    def run(self, *args, cwd=None, env=None, unset=(), timeout=TIMEOUT, umask=None):
        e = dict(self.s.env)
        e.update(env or {})
        for k in unset:
            e.pop(k, None)
        cmd = [self.s.bin] + [str(a) for a in args]
        pre = (lambda: os.umask(umask)) if umask is not None else None
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, cwd=cwd or self.dir, env=e, capture_output=True,
                               timeout=timeout, preexec_fn=pre)
        except subprocess.TimeoutExpired as x:
            r = Result(cmd, "timeout", dec(x.stdout), dec(x.stderr), timeout)
            self.last = r
            raise Fail("did not finish within %d s" % timeout, r)
        r = Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t0)
        self.last = r
        return r

    def ok(self, *args, out=None, err="", **kw):
        """Runs a command that must succeed (exit 0; stderr `err`, stdout `out` when given)."""
        r = self.run(*args, **kw)
        if r.rc != 0:
            raise Fail("expected exit status 0", r)
        if err is not None and r.err != self.m(err):
            raise Fail("stderr: expected %r" % self.m(err), r)
        if out is not None and r.out != self.m(out):
            raise Fail("stdout: expected %r" % self.m(out), r)
        return r

    def json(self, *args, **kw):
        r = self.ok(*args, **kw)
        try:
            return json.loads(r.out)
        except ValueError as x:
            raise Fail("stdout is not JSON: %s" % x, r)

    def ws(self, name=None):
        """A fresh workspace (absolute path)."""
        self._n += 1
        d = os.path.join(self.dir, name or "ws%d" % self._n)
        self.ok("init", d, out="created workspace %s (bansou.db, out/)\n" % d)
        return d

    def expect_error(self, ws, args, msg, code=1, in_ws=False, **kw):
        """Runs `bansou -C ws ARGS…` (or `bansou ARGS…` in ws when in_ws), which must fail
        with exactly `bansou: msg` on stderr, exit status `code`, nothing on stdout, and
        leave the database and out/ unchanged."""
        before = (db_dump(ws), tree(os.path.join(ws, "out"))) if ws else None
        full = (["-C", ws] if ws and not in_ws else []) + list(args)
        if in_ws:
            kw["cwd"] = ws
        r = self.run(*full, **kw)
        expected = self.m("bansou: %s\n" % msg)
        if r.rc != code:
            raise Fail("expected exit status %d" % code, r)
        if r.err != expected:
            raise Fail("stderr: expected %r" % expected, r)
        if r.out != "":
            raise Fail("stdout: expected nothing on failure", r)
        if ws:
            after_db = db_dump(ws)
            if after_db != before[0]:
                raise Fail("the database changed:\n" + diff(before[0], after_db), r)
            if tree(os.path.join(ws, "out")) != before[1]:
                raise Fail("out/ changed", r)
        return r

    def check(self, cond, msg, result=None):
        if not cond:
            raise Fail(msg, result if result is not None else self.last)

    def eq(self, got, want, what, result=None):
        if got != want:
            raise Fail("%s: expected %r, got %r" % (what, want, got),
                       result if result is not None else self.last)

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


def db_dump(ws):
    """The whole database as SQL text, read through a read-only connection."""
    path = os.path.join(ws, "bansou.db")
    if not os.path.exists(path):
        return None
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        lines = list(con.iterdump())
        lines.append("-- user_version %d" % con.execute("PRAGMA user_version").fetchone()[0])
        return lines
    finally:
        con.close()


def diff(a, b):
    a, b = a or [], b or []
    gone = [x for x in a if x not in b]
    new = [x for x in b if x not in a]
    return "\n".join(["    - " + x for x in gone[:10]] + ["    + " + x for x in new[:10]])


def tree(path):
    """Every file under `path` with its mode, size, mtime and content hash."""
    out = []
    if not os.path.exists(path):
        return None
    for base, dirs, files in os.walk(path):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(base, n)
            st = os.lstat(p)
            h = ""
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    h = hashlib.sha256(f.read()).hexdigest()
            out.append((os.path.relpath(p, path), st.st_mode, st.st_size, st.st_mtime_ns, h))
    return out


def days_ago(n):
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


def today():
    return datetime.date.today().isoformat()


# --- fixtures ------------------------------------------------------------

CO1 = "株式会社テスト製作所"
CO2 = "テスト商店"
EXPERT = "山田 太郎"


def setup_basic(t, ws):
    """Two companies, one expert (policy, assets), engagement 1: CO1 on policy."""
    t.ok("-C", ws, "company", "add", CO1, "--industry", "製造業", "--employees", "120",
         "--capital", "3000万", "--prefecture", "大阪府", "--contact", "佐藤 花子",
         "--contact-role", "総務課長", "--staffing", "兼任", "--security-action", "一つ星",
         "--notes", "初回相談あり", out="company 1: %s\n" % CO1)
    t.ok("-C", ws, "company", "add", CO2, "--industry", "小売業", "--employees", "12",
         out="company 2: %s\n" % CO2)
    t.ok("-C", ws, "expert", "add", EXPERT, "--qualifications", "登録セキスペ,中小企業診断士",
         "--regions", "大阪,名古屋", "--themes", "policy,assets", "--industries", "製造業,小売業",
         out="expert 1: %s\n" % EXPERT)
    t.ok("-C", ws, "engage", CO1, "policy", "--expert", EXPERT,
         out="engagement 1 started: %s on theme policy (3 visits)\n" % CO1)


def model(t, theme_id):
    return t.json("theme", "show", theme_id, "--json")


def item_ids(m, n=None):
    ids = []
    for i, st in enumerate(m["steps"], 1):
        if n is not None and i != n:
            continue
        for part in ("prep", "onsite", "after"):
            ids += [it["id"] for it in st.get(part, [])]
    return ids


# --- 9: help and version ---------------------------------------------------

def listed_commands(t):
    r = t.ok("--help")
    lines = r.out.split("\n")
    t.check(t.m("commands:") in lines, "no 'commands:' section in --help", r)
    cmds = []
    for line in lines[lines.index(t.m("commands:")) + 1:]:
        if not line.strip():
            continue
        left = re.split(r" {2,}", line.strip())[0]  # "task done ENG N [ITEM…]"
        words = []
        for w in left.split():
            if not re.fullmatch(r"[a-z][a-z-]*", w):
                break
            words.append(w)
        cmds.append(" ".join(words))
    return cmds, r


def test_version(t):
    r = t.ok("--version")
    t.check(re.fullmatch(r"bansou \d+\.\d+\.\d+\n", r.out), "version line", r)


def test_global_help(t):
    r = t.ok("--help")
    t.check(r.out.startswith("bansou: ") and t.m("usage:") + " bansou" in r.out, "usage line", r)
    t.check(t.m(USAGE_TAIL) in r.out, "exit statuses documented", r)
    r = t.run()
    t.eq(r.rc, 2, "exit status of a bare 'bansou'", r)
    t.eq(r.err, t.m("bansou: no command given\n"), "stderr", r)
    t.check(t.m("usage:") in r.out, "bare 'bansou' prints the usage", r)


def test_help_every_command(t):
    cmds, r = listed_commands(t)
    want = ["init", "company add", "company list", "company choices", "company show",
            "company edit", "expert add", "expert edit", "expert list", "expert show", "engage",
            "engagement list", "engagement show", "engagement change-theme", "engagement variant",
            "engagement terminate", "engagement complete", "visit plan", "visit hold",
            "visit record", "task done", "task undo", "task list", "status", "log", "generate",
            "documents", "visit prepare", "visit report", "engagement final-report",
            "engagement record", "schedule", "themes",
            "theme show", "theme check", "worksheet", "import", "records", "render", "pdf",
            "survey results", "survey form", "survey import", "user add", "user list", "user remove", "migrate-to",
            "expert search", "expert choices", "skills form", "skills import", "skills load", "match",
            "application record", "application show", "application list", "session add",
            "session booth", "session list", "session show", "session book", "session timetable",
            "consultation record", "consultation engage", "consultation decline",
            "consultation cancel",
            "consultation reasons", "consultation show", "consultation list",
            "consultation document", "programme stats", "programme report"]
    want.insert(1, "help")
    t.eq(cmds, want, "commands listed in --help", r)
    for c in cmds:
        # outside any workspace: help needs none
        r = t.ok(*c.split(), "--help")
        t.check(r.out.startswith(t.m("usage: bansou %s" % c)), "'%s --help' usage line" % c, r)
        t.check(t.m(USAGE_TAIL) in r.out, "'%s --help' documents the exit statuses" % c, r)
    for group in ("company", "expert", "engagement", "visit", "task", "theme"):
        r = t.ok(group, "--help")
        t.check(r.out.startswith(t.m("usage: bansou %s SUBCOMMAND …" % group)), "group help", r)


def test_help_columns_aligned(t):
    """Command summaries in --help start in one column (display width, not bytes)."""
    for args in (["--help"], ["task", "--help"], ["theme", "--help"]):
        r = t.ok(*args)
        lines = r.out.split("\n")
        start = lines.index(t.m("commands:" if args == ["--help"] else "subcommands:")) + 1
        cols = {}
        for line in lines[start:]:
            if not line.startswith("  "):
                break
            m = re.match(r"^(  \S.*?\S)( {2,})\S", line)
            t.check(m, "cannot split %r" % line, r)
            cols[line] = display_width(m.group(1) + m.group(2))
        widths = list(cols.values())
        common = max(set(widths), key=widths.count)
        odd = {k.strip().split("  ")[0]: v for k, v in cols.items() if v != common}
        t.check(not odd, "'bansou %s': summaries start at display column %d, except %s"
                % (" ".join(args), common, odd), r)


def test_help_forms(t):
    """-h on every command is --help; `bansou help [COMMAND]` prints the same
    text; -V is --version; no usage line has a double space."""
    cmds, r = listed_commands(t)
    t.eq(t.ok("help").out, r.out, "'bansou help' is 'bansou --help'")
    t.eq(t.ok("-h").out, r.out, "'bansou -h' is 'bansou --help'")
    t.eq(t.ok("-V").out, t.ok("--version").out, "'bansou -V' is 'bansou --version'")
    for c in cmds:
        full = t.ok(*c.split(), "--help").out
        t.eq(t.ok(*c.split(), "-h").out, full, "'%s -h' is '%s --help'" % (c, c))
        t.eq(t.ok("help", *c.split()).out, full, "'help %s' is '%s --help'" % (c, c))
        usage = full.split("\n")[0]
        t.check("  " not in usage and not usage.endswith(" "), "usage line %r" % usage)
        t.check("-h, --help" in full, "'%s --help' lists -h" % c)
    for group in ("company", "expert", "engagement", "visit", "task", "theme"):
        t.eq(t.ok("help", group).out, t.ok(group, "--help").out, "'help %s'" % group)
        t.eq(t.ok(group, "-h").out, t.ok(group, "--help").out, "'%s -h'" % group)
    t.expect_error(None, ["help", "frob"], "help: unknown command 'frob' (see 'bansou --help')", 2)
    t.expect_error(None, ["help", "company", "frob"],
                   "help: unknown command 'company frob' (see 'bansou --help')", 2)


def test_man_page(t):
    """The manual page is generated from the help: man reads it without a
    warning, and every command, option and environment variable is in it."""
    page = os.path.join(t.dir, "bansou.1")
    r = t.ok("help", "--roff")
    with open(page, "w", encoding="utf-8") as f:
        f.write(r.out)
    env = dict(t.s.env, MANWIDTH="100")
    p = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, env=env,
                       timeout=TIMEOUT)
    t.check(p.returncode == 0 and dec(p.stderr) == "",
            "man --warnings: exit %d: %s" % (p.returncode, dec(p.stderr)))
    text = re.sub(r".\x08", "", dec(p.stdout))  # no overstriking
    flat = " ".join(text.split())
    cmds, _ = listed_commands(t)
    for c in cmds:
        # The page is in English (it is made at build time): so is the help it holds.
        help_ = t.ok(*c.split(), "--help", env={"LANG": "C.UTF-8"}).out
        usage = help_.split("\n")[0][len("usage: "):]
        t.check(usage in flat, "the page has no %r" % usage)
        summary = help_.split("\n")[2]
        t.check(summary in flat, "the page has no summary %r of %s" % (summary, c))
        for line in help_.split("\n"):
            m = re.match(r"^  (-\S.*?\S)  +(\S.*)$", line)
            if m:
                t.check(" ".join(m.group(2).split()) in flat,
                        "%s: the page has no option help %r" % (c, m.group(2)))
    for sec in ("NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES",
                "SEE ALSO"):
        t.check(re.search(r"^%s$" % sec, text, re.M), "the page has no %s section" % sec)
    src = ""
    for n in sorted(os.listdir(os.path.join(t.s.root, "src"))):
        if n.endswith(".c"):
            with open(os.path.join(t.s.root, "src", n), encoding="utf-8") as f:
                src += f.read()
    for var in sorted(set(re.findall(r'getenv\("(\w+)"\)', src)) | {"BANSOU_THEMES",
                                                                    "BANSOU_TEMPLATES"}):
        t.check(re.search(r"^       %s\b" % var, text, re.M),
                "ENVIRONMENT does not describe %s" % var)


def complete(t, words, cwd=None):
    """What the bash completion offers for the last of `words` (after bansou)."""
    script = os.path.join(t.s.root, "completion", "bansou.bash")
    prog = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _bansou; '
            'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "-c", prog, "bash", script, t.s.bin] + list(words),
                       capture_output=True, env=t.s.env, cwd=cwd or t.dir, timeout=TIMEOUT)
    r = Result(["complete"] + list(words), p.returncode, dec(p.stdout), dec(p.stderr), 0)
    t.last = r
    t.check(p.returncode == 0 and r.err == "", "the completion failed", r)
    return [w for w in r.out.split("\n") if w]


def test_bash_completion(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.ok("-C", ws, "engage", CO2, "policy", "--expert", EXPERT)
    t.eq(complete(t, ["sta"]), ["status"], "a command")
    t.eq(complete(t, ["comp"]), ["company"], "a group")
    t.eq(sorted(complete(t, ["company", ""])),
         sorted(["add", "list", "choices", "show", "edit"]), "the subcommands of a group")
    t.eq(complete(t, ["visit", "plan", "1", "1", "--da"]), ["--date"], "an option")
    t.eq(complete(t, ["-C", ws, "visit", "plan", "1", "1", "--"]),
         ["--date", "--time", "--place", "--online", "--onsite", "--help"], "every option")
    t.eq(complete(t, ["-C", ws, "engagement", "show", ""]), ["1", "2"],
         "engagement ids, with -C")
    t.eq(complete(t, ["engagement", "show", ""], cwd=ws), ["1", "2"],
         "engagement ids, in the workspace")
    t.eq(complete(t, ["-C", ws, "generate", "--force", ""]), ["1", "2"],
         "engagement ids after a flag")
    t.eq(complete(t, ["engagement", "show", ""]), [], "no workspace, no ids")
    t.eq(complete(t, ["theme", "show", "p"]), ["policy"], "a theme id")
    t.eq(complete(t, ["-C", ws, "engage", CO1, ""]), THEME_IDS, "the theme of engage")
    t.eq(complete(t, ["help", "visit", "pr"]), ["prepare"], "help COMMAND")
    t.eq(complete(t, ["--ver"]), ["--version"], "a global option")
    os.makedirs(os.path.join(t.dir, "somedir"))
    t.eq(complete(t, ["-C", "som"]), ["somedir"], "-C completes directories")


def test_zsh_completion_syntax(t):
    """The zsh completion parses (zsh -n)."""
    p = subprocess.run(["zsh", "-n", os.path.join(t.s.root, "completion", "_bansou")],
                       capture_output=True, timeout=TIMEOUT)
    t.check(p.returncode == 0, "zsh -n: %s" % dec(p.stderr))


# --- 3 (usage part): usage errors exit 2 -------------------------------------

def test_usage_errors(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["frobnicate"], "unknown command 'frobnicate' (see 'bansou --help')", 2)
    r = t.run("-C", ws, "company")
    t.eq((r.rc, r.err), (2, t.m("bansou: company: which subcommand?\n")), "bare group", r)
    t.expect_error(ws, ["company", "list", "--bogus"], "company list: unknown option '--bogus'", 2)
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--bogus=1"],
                   "company add: unknown option '--bogus'", 2)
    t.expect_error(ws, ["company", "list", "--json=yes"], "company list: --json takes no value", 2)
    t.expect_error(ws, ["visit", "plan", "1", "1", "--date"],
                   "visit plan: --date needs a value (YYYY-MM-DD)", 2)
    t.expect_error(ws, ["company", "show"],
                   "company show: missing arguments: bansou company show COMPANY", 2)
    t.expect_error(ws, ["engage", CO1],
                   "engage: missing arguments: bansou engage COMPANY THEME", 2)
    t.expect_error(ws, ["task", "done", "1"],
                   "task done: missing arguments: bansou task done ENG N [ITEM…]", 2)
    t.expect_error(ws, ["task", "done", "1", "1"], "task: which items? give ITEM ids or --all", 2)
    t.expect_error(ws, ["task", "undo", "1", "1"], "task: which items? give ITEM ids or --all", 2)
    t.expect_error(ws, ["company", "show", "1", "2"], "company show: unexpected argument '2'", 2)
    t.expect_error(ws, ["engage", CO2, "policy"], "engage: --expert is required", 2)
    t.expect_error(ws, ["company", "add", "新規"], "company add: --industry is required", 2)
    t.expect_error(ws, ["visit", "plan", "1", "1"], "visit plan: --date is required", 2)
    t.expect_error(ws, ["--frob", "status"], "unknown global option '--frob' (see 'bansou --help')", 2)


def test_usage_unknown_subcommand(t):
    """A wrong sub-command of a known group is reported as such, naming the word."""
    ws = t.ws()
    before = db_dump(ws)
    r = t.run("-C", ws, "company", "frob")
    t.eq(r.rc, 2, "exit status", r)
    t.check(r.err.startswith("bansou: ") and r.err.count("\n") == 1, "one error line", r)
    t.check("frob" in r.err, "the error should name the unknown sub-command 'frob'", r)
    t.check(db_dump(ws) == before, "the database changed", r)


# --- 1: init and finding the workspace --------------------------------------

def test_init_private_modes(t):
    d = os.path.join(t.dir, "new", "ws")
    # even with a permissive umask the data is owner-only
    t.ok("init", d, umask=0, out="created workspace %s (bansou.db, out/)\n" % d)
    db = os.path.join(d, "bansou.db")
    out = os.path.join(d, "out")
    t.check(os.path.isfile(db), "bansou.db created")
    t.check(os.path.isdir(out), "out/ created")
    t.eq(oct(stat.S_IMODE(os.stat(db).st_mode)), oct(0o600), "mode of bansou.db")
    t.eq(oct(stat.S_IMODE(os.stat(out).st_mode)), oct(0o700), "mode of out/")
    t.eq(os.listdir(out), [], "out/ is empty")
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        t.eq(con.execute("PRAGMA journal_mode").fetchone()[0], "wal", "journal mode")
        t.check(con.execute("PRAGMA user_version").fetchone()[0] >= 1, "schema migrated")
    finally:
        con.close()
    # an existing, too open out/ is made owner-only
    d2 = os.path.join(t.dir, "ws2")
    os.makedirs(os.path.join(d2, "out"))
    os.chmod(os.path.join(d2, "out"), 0o777)
    t.ok("init", d2, umask=0)
    t.eq(oct(stat.S_IMODE(os.stat(os.path.join(d2, "out")).st_mode)), oct(0o700),
         "mode of a pre-existing out/")
    t.eq(oct(stat.S_IMODE(os.stat(os.path.join(d2, "bansou.db")).st_mode)), oct(0o600),
         "mode of bansou.db")


def test_init_twice_fails(t):
    ws = t.ws()
    t.ok("-C", ws, "company", "add", CO1, "--industry", "製造業")
    before = db_dump(ws)
    r = t.run("init", ws)
    t.eq(r.rc, 1, "exit status", r)
    t.eq(r.err, t.m("bansou: %s: a workspace exists already\n" % ws), "stderr", r)
    t.eq(r.out, "", "stdout", r)
    t.check(db_dump(ws) == before, "the database changed", r)
    r = t.run("init", ".", cwd=ws)
    t.eq((r.rc, r.err), (1, t.m("bansou: .: a workspace exists already\n")), "init . again", r)


def test_workspace_discovery(t):
    ws = t.ws()
    t.ok("-C", ws, "company", "add", "via-C", "--industry", "製造業", out="company 1: via-C\n")
    t.ok("company", "add", "via-env", "--industry", "製造業", env={"BANSOU_DIR": ws},
         out="company 2: via-env\n")
    t.ok("company", "add", "via-cwd", "--industry", "製造業", cwd=ws, out="company 3: via-cwd\n")
    t.ok("-C" + ws, "company", "add", "via-Cjoined", "--industry", "製造業",
         out="company 4: via-Cjoined\n")
    # -C wins over BANSOU_DIR, BANSOU_DIR over the current directory
    other = t.ws("other")
    t.ok("-C", ws, "company", "add", "C-wins", "--industry", "製造業", env={"BANSOU_DIR": other})
    t.ok("company", "add", "env-wins", "--industry", "製造業", env={"BANSOU_DIR": other}, cwd=ws)
    names = [c["name"] for c in t.json("-C", ws, "company", "list", "--json")]
    t.eq(names, ["via-C", "via-env", "via-cwd", "via-Cjoined", "C-wins"], "companies of ws")
    names = [c["name"] for c in t.json("company", "list", "--json", cwd=other)]
    t.eq(names, ["env-wins"], "companies of the other workspace")


def test_outside_workspace(t):
    empty = os.path.join(t.dir, "empty")
    os.makedirs(empty)
    msg = ("no bansou workspace here: use -C DIR, set BANSOU_DIR, or create one with "
           "'bansou init DIR'")
    for args in (["status"], ["company", "list"], ["company", "add", "X", "--industry", "製造業"],
                 ["log"]):
        t.expect_error(None, args, msg, 1, cwd=empty)
    t.eq(os.listdir(empty), [], "nothing created in the current directory")
    nows = os.path.join(t.dir, "nows")
    t.expect_error(None, ["-C", nows, "status"],
                   "%s: not a bansou workspace (given by -C; create one with 'bansou init %s')"
                   % (nows, nows), 1, cwd=empty)
    t.expect_error(None, ["status"],
                   "%s: not a bansou workspace (given by BANSOU_DIR; create one with "
                   "'bansou init %s')" % (nows, nows), 1, cwd=empty, env={"BANSOU_DIR": nows})
    t.check(not os.path.exists(nows), "no directory created by a failed lookup")
    # commands that need no workspace still work there
    t.ok("themes", cwd=empty)
    t.ok("theme", "show", "policy", cwd=empty)


# --- 2: the whole flow --------------------------------------------------------

def test_full_flow(t):
    ws = t.ws()
    setup_basic(t, ws)
    warn = ("bansou: warning: expert '%s' does not list theme 'cloud' among the themes covered\n"
            % EXPERT)
    t.ok("-C", ws, "engage", CO2, "cloud", "--expert", "1", err=warn,
         out="engagement 2 started: %s on theme cloud (3 visits)\n" % CO2)
    st = t.json("-C", ws, "status", "--json")
    t.eq([(e["id"], e["state"], e["progress"]) for e in st],
         [(1, "matched", "○○○"), (2, "matched", "○○○")], "status before any visit")

    m = model(t, "policy")
    d1, d2, d3 = days_ago(90), days_ago(60), days_ago(30)
    att1, notes1 = "代表取締役 山田, 総務課長 佐藤", "自社診断の結果を共有した"
    C = ["-C", ws]
    t.ok(*C, "visit", "plan", "1", "1", "--date", d1,
         out="engagement 1: visit 1 planned for %s\n" % d1)
    t.ok(*C, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", d1, "--attendees", att1, "--notes", notes1,
         out="engagement 1: visit 1 held on %s\n" % d1)
    a, b = "s1.prep.materials", "s1.onsite.kickoff"
    t.check(a in item_ids(m, 1) and b in item_ids(m, 1), "policy step 1 has %s, %s" % (a, b))
    t.ok(*C, "task", "done", "1", "1", a, b,
         out="engagement 1: visit 1: %s done\nengagement 1: visit 1: %s done\n" % (a, b))
    t.ok(*C, "task", "undo", "1", "1", b, out="engagement 1: visit 1: %s undone\n" % b)
    tl = t.json(*C, "task", "list", "1", "1", "--json")
    t.eq({x["item"]: x["done"] for x in tl}, {i: i == a for i in item_ids(m, 1)},
         "ticks of visit 1")
    r = t.ok(*C, "task", "list", "1", "1")
    for line in r.out.strip().split("\n"):
        mark = re.escape(t.w("[x]")) + "|" + re.escape(t.w("[ ]"))
        visit = re.escape(t.m("%s visit %d " % ("@", 1))[2:])
        iid = re.match(r"^(?:%s) %s\S+\s+(\S+)" % (mark, visit), line).group(1)
        t.check(iid in item_ids(m, 1), "task list line %r names an item" % line, r)
        t.check(line.startswith(t.w("[x]") if iid == a else t.w("[ ]")),
                "task list line %r" % line, r)
    r = t.ok(*C, "visit", "report", "1", "1")
    lines = r.out.splitlines()
    t.check(lines[-1] == t.m("engagement 1: visit 1 report submitted"), "report confirmation", r)
    t.check(any(l.endswith("/visit-1/第1回_実施報告書.docx") for l in lines),
            "the report document's path is printed", r)
    r = t.ok(*C, "status")
    t.check(re.search(r"^1\s+%s\s+policy\s+%s\s+%s\s+●○○" % (CO1, EXPERT, t.w("active")),
                      r.out, re.M),
            "status shows ●○○ active for engagement 1", r)

    s2 = item_ids(m, 2)[0]
    s3 = item_ids(m, 3)[-1]
    t.ok(*C, "visit", "plan", "1", "2", "--date", d2)
    t.ok(*C, "visit", "hold", "1", "2", "--findings", "試験の所見", "--date", d2, "--attendees", "総務課長 佐藤")
    t.ok(*C, "task", "done", "1", "2", s2)
    # The theme's visit 2 report is built from sheets not imported yet: it is
    # refused as a whole, and nothing of it is written.
    out2 = os.path.join(ws, "out", "001_" + CO1, "policy", "visit-2")
    r = t.run(*C, "visit", "report", "1", "2")
    t.check(r.rc == 1 and "'bansou import 1 FILE'" in r.err and not os.path.exists(out2),
            "visit 2 report waits for its sheets", r)
    # The sheets come prefilled: imported as they are (the self-diagnosis
    # with one answer for every item).
    for sheet in ("regulation-check", "regulation-roles", "policy-commitments", "self-diagnosis"):
        f = os.path.join(t.dir, "full-%s.xlsx" % sheet)
        t.ok(*C, "worksheet", "1", sheet, "-o", f)
        if sheet == "self-diagnosis":
            import openpyxl
            wb = openpyxl.load_workbook(f)
            sh = wb.worksheets[0]
            head = next(r for r in range(1, 40) if sh.cell(r, 1).value == "No.")
            for row in range(head + 1, head + 26):
                sh.cell(row, 4).value = "実施している"
            wb.save(f)
        t.ok(*C, "import", "1", f)
    t.ok(*C, "visit", "report", "1", "2")
    t.ok(*C, "visit", "hold", "1", "3", "--findings", "試験の所見", "--date", d3, "--notes", "規程案を説明")
    t.ok(*C, "task", "done", "1", "3", s3)
    r = t.ok(*C, "status")
    t.check(re.search(r"^1\s.*\s%s\s+●●●" % t.w("active"), r.out, re.M),
            "status shows ●●● active", r)
    t.ok(*C, "visit", "report", "1", "3")
    t.ok(*C, "engagement", "complete", "1", out="engagement 1 completed\n")

    r = t.ok(*C, "status")
    t.check(re.search(r"^1\s+%s\s+policy\s+%s\s+%s\s+●●●" % (CO1, EXPERT, t.w("completed")),
                      r.out, re.M),
            "status shows engagement 1 completed ●●●", r)
    t.check(re.search(r"^2\s+%s\s+cloud\s+%s\s+%s\s+○○○" % (CO2, EXPERT, t.w("matched")),
                      r.out, re.M),
            "status shows engagement 2 matched ○○○", r)
    st = t.json(*C, "status", "--json")
    t.eq([(e["id"], e["state"], e["progress"], e["theme"]) for e in st],
         [(1, "completed", "●●●", "policy"), (2, "matched", "○○○", "cloud")], "status --json")

    e = t.json(*C, "engagement", "show", "1", "--json")
    t.eq(e["state"], "completed", "state")
    t.eq(e["theme_title"], m["title"], "theme_title")
    t.eq([(v["n"], v["state"], v["held_date"]) for v in e["visits"]],
         [(1, "reported", d1), (2, "reported", d2), (3, "reported", d3)], "visits")
    t.eq((e["visits"][0]["attendees"], e["visits"][0]["notes"]), (att1, notes1),
         "visit 1 attendees and notes")
    t.eq(e["visits"][0]["planned_date"], d1, "visit 1 planned date")
    t.eq(e["visits"][2]["notes"], "規程案を説明", "visit 3 notes")
    t.eq(sorted((x["visit"], x["item"]) for x in e["tasks"]), [(1, a), (2, s2), (3, s3)],
         "ticked tasks")
    r = t.ok(*C, "engagement", "show", "1")
    for want in ("●●●", t.w("completed"), att1, notes1, m["title"], "1 / %d" % len(item_ids(m, 1))):
        t.check(want in r.out, "engagement show mentions %r" % want, r)

    # Each report writes the visit's report documents (document.generate) first;
    # the refused report of visit 2 left no event.
    kinds = (["engagement.start", "visit.plan", "visit.hold", "task.done", "task.done",
              "task.undo", "document.generate", "visit.report", "visit.plan", "visit.hold",
              "task.done"] + ["worksheet.write", "worksheet.import"] * 4 +
             ["document.generate"] * 3 + ["visit.report", "visit.hold", "task.done"] +
             ["document.generate"] * 3 + ["visit.report", "engagement.complete"])
    log = t.json(*C, "log", "1", "--json")
    t.eq([x["kind"] for x in log], kinds, "event kinds of engagement 1")
    t.eq({x["actor"] for x in log}, {"e2e"}, "actors")
    t.eq({x["engagement_id"] for x in log}, {1}, "engagement ids in the log")
    t.check([x["id"] for x in log] == sorted(x["id"] for x in log), "log in order")
    t.check(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", x["at"])
                for x in log), "event times are ISO 8601")
    r = t.ok(*C, "log", "1")
    lines = r.out.strip("\n").split("\n")
    t.eq(len(lines), len(kinds), "lines of 'log 1'", r)
    for line, k in zip(lines, kinds):
        f = line.split()
        t.check(len(f) >= 3 and f[1] == "e2e" and f[2] == k, "log line %r: e2e %s" % (line, k), r)
    # the whole log starts with the registrations
    alllog = t.json(*C, "log", "--json")
    t.eq([x["kind"] for x in alllog[:4]],
         ["company.add", "company.add", "expert.add", "engagement.start"], "first events")
    t.eq(len(alllog), 4 + 1 + len(kinds) - 1, "events in the whole log")
    # --actor overrides BANSOU_ACTOR
    t.ok("--actor", "監査人", *C, "company", "edit", CO2, "--notes", "更新")
    t.eq(t.json(*C, "log", "--json")[-1]["actor"], "監査人", "actor of --actor")
    # without BANSOU_ACTOR, $USER; without both, the login name of the user id
    t.ok(*C, "company", "edit", CO2, "--notes", "更新2", unset=("BANSOU_ACTOR",),
         env={"USER": "利用者"})
    t.eq(t.json(*C, "log", "--json")[-1]["actor"], "利用者", "actor from $USER")
    t.ok(*C, "company", "edit", CO2, "--notes", "更新3", unset=("BANSOU_ACTOR", "USER"))
    t.eq(t.json(*C, "log", "--json")[-1]["actor"], pwd.getpwuid(os.getuid()).pw_name,
         "actor without $BANSOU_ACTOR and $USER")
    # after completion nothing changes
    t.expect_error(ws, ["visit", "report", "1", "1"], "engagement 1 is completed: no further changes")
    t.expect_error(ws, ["task", "undo", "1", "1", a], "engagement 1 is completed: no further changes")
    t.expect_error(ws, ["engagement", "terminate", "1", "--reason", "x"],
                   "engagement 1 is completed: no further changes")


def test_json_outputs(t):
    ws = t.ws()
    setup_basic(t, ws)
    C = ["-C", ws]
    cl = t.json(*C, "company", "list", "--json")
    t.eq([(c["id"], c["name"], c["industry"], c["employees"]) for c in cl],
         [(1, CO1, "製造業", 120), (2, CO2, "小売業", 12)], "company list --json")
    c = t.json(*C, "company", "show", CO1, "--json")
    want = {"id": 1, "name": CO1, "industry": "製造業", "kind": "会社", "employees": 120,
            "capital": 30000000, "prefecture": "大阪府", "contact_name": "佐藤 花子",
            "contact_role": "総務課長", "staffing": "兼任", "security_action": "一つ星",
            "notes": "初回相談あり"}
    t.eq({k: c.get(k) for k in want}, want, "company show --json")
    t.eq(c["sme"].get("sme"), True, "sme verdict")
    t.eq(t.json(*C, "company", "show", "1", "--json")["name"], CO1, "company show by id")
    t.ok(*C, "company", "edit", CO1, "--employees", "130", "--contact", "",
         out="company %s updated\n" % CO1)
    c = t.json(*C, "company", "show", "1", "--json")
    t.eq((c["employees"], c["contact_name"], c["prefecture"]), (130, None, "大阪府"),
         "company after edit")
    xl = t.json(*C, "expert", "list", "--json")
    t.eq(len(xl), 1, "experts")
    x = t.json(*C, "expert", "show", EXPERT, "--json")
    t.eq((x["id"], x["name"], x["qualifications"], x["regions"], x["themes"], x["industries"]),
         (1, EXPERT, ["登録セキスペ", "中小企業診断士"], ["大阪", "名古屋"], ["policy", "assets"],
          ["製造業", "小売業"]), "expert show --json")
    t.eq(xl[0], x, "expert list entry = expert show")
    el = t.json(*C, "engagement", "list", "--json")
    t.eq([(e["id"], e["company_name"], e["expert_name"], e["theme"], e["state"],
           len(e["visits"])) for e in el], [(1, CO1, EXPERT, "policy", "matched", 3)],
         "engagement list --json")
    d = days_ago(10)
    t.ok(*C, "visit", "plan", "1", "1", "--date", d)
    e = t.json(*C, "engagement", "show", "1", "--json")
    t.eq((e["id"], e["state"], e["next_date"], e["visits"][0]["state"],
          e["visits"][0]["planned_date"]), (1, "active", d, "planned", d), "engagement show --json")
    t.eq(e["overdue"], t.m("visit 1 planned for %s not held" % d), "a past planned date is overdue")
    st = t.json(*C, "status", "--json")
    t.eq([(s["id"], s["progress"], s["next_date"]) for s in st], [(1, "○○○", d)], "status --json")
    log = t.json(*C, "log", "1", "--json")
    t.eq([x["kind"] for x in log], ["engagement.start", "visit.plan"], "log 1 --json")
    th = t.json(*C, "themes", "--json")
    t.eq([(x["id"], x["number"], x["visits"]) for x in th],
         [(i, n, 3) for n, i in enumerate(THEME_IDS, 1)], "themes --json")
    m = t.json(*C, "theme", "show", "policy", "--json")
    t.eq((m["id"], m["number"], len(m["goals"]), len(m["steps"])), ("policy", 1, 3, 3),
         "theme show --json")
    t.eq(m["title"], th[0]["title"], "title in themes and theme show")
    tl = t.json(*C, "task", "list", "1", "--json")
    t.eq([(x["visit"], x["item"], x["done"]) for x in tl],
         [(n, i, False) for n in (1, 2, 3) for i in item_ids(m, n)], "task list --json")
    t.ok(*C, "task", "done", "1", "2", item_ids(m, 2)[0])
    tl = t.json(*C, "task", "list", "1", "2", "--json")
    t.eq([(x["visit"], x["item"], x["done"]) for x in tl],
         [(2, i, i == item_ids(m, 2)[0]) for i in item_ids(m, 2)], "task list 1 2 --json")


# --- 3: bad input --------------------------------------------------------------

def test_bad_unknown_company(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["engage", "存在しない会社", "policy", "--expert", EXPERT],
                   "no company '存在しない会社'")
    t.expect_error(ws, ["engage", "99", "policy", "--expert", EXPERT], "no company '99'")
    t.expect_error(ws, ["company", "show", "存在しない会社"], "no company '存在しない会社'")
    t.expect_error(ws, ["company", "show", "テスト"], "no company 'テスト'")  # no prefix match
    t.expect_error(ws, ["company", "edit", "nosuch", "--notes", "x"], "no company 'nosuch'")


def test_bad_unknown_expert(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["engage", CO2, "policy", "--expert", "鈴木"], "no expert '鈴木'")
    t.expect_error(ws, ["engage", CO2, "policy", "--expert", "7"], "no expert '7'")
    t.expect_error(ws, ["expert", "show", "鈴木"], "no expert '鈴木'")


def test_bad_unknown_theme(t):
    ws = t.ws()
    setup_basic(t, ws)
    known = "no theme 'nosuch' (known: assets, cloud, incident, policy, training)"
    t.expect_error(ws, ["engage", CO2, "nosuch", "--expert", EXPERT], known)
    t.expect_error(ws, ["engagement", "change-theme", "1", "nosuch", "--reason", "x"], known)
    t.expect_error(ws, ["theme", "show", "nosuch"], known)
    t.expect_error(ws, ["theme", "show", "../policy"],
                   "no theme '../policy' (known: assets, cloud, incident, policy, training)")
    t.expect_error(ws, ["expert", "add", "鈴木", "--themes", "policy,nosuch"],
                   "--themes: no theme 'nosuch' (see 'bansou themes')")


def test_bad_dates(t):
    ws = t.ws()
    setup_basic(t, ws)
    for d in ("2026-13-01", "2026-02-30", "tomorrow", "2026-1-01", "2025-02-29", "", "20260101"):
        msg = "--date: '%s' is not a date (YYYY-MM-DD)" % d
        t.expect_error(ws, ["visit", "plan", "1", "1", "--date", d], msg)
        t.expect_error(ws, ["visit", "hold", "1", "1", "--findings", "試験の所見", "--date", d], msg)
    # a real leap day is fine
    t.ok("-C", ws, "visit", "plan", "1", "1", "--date", "2028-02-29")


def test_bad_hold_in_future(t):
    ws = t.ws()
    setup_basic(t, ws)
    for n in (1, 400):
        future = (datetime.date.today() + datetime.timedelta(days=n)).isoformat()
        t.expect_error(ws, ["visit", "hold", "1", "1", "--findings", "試験の所見", "--date", future],
                       "--date: %s is in the future (today is %s)" % (future, today()))
    # planning in the future is what plans are for; holding today is fine
    t.ok("-C", ws, "visit", "plan", "1", "2", "--date", "2099-01-01")
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", out="engagement 1: visit 1 held on %s\n" % today())


def test_bad_duplicate_company(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["company", "add", CO1, "--industry", "小売業"],
                   "company '%s' exists already (id 1)" % CO1)
    t.expect_error(ws, ["company", "edit", CO2, "--name", CO1],
                   "company '%s' exists already (id 1)" % CO1)
    t.expect_error(ws, ["expert", "add", EXPERT], "expert '%s' exists already (id 1)" % EXPERT)
    t.expect_error(ws, ["company", "add", "", "--industry", "小売業"], "company add: empty name")


def test_bad_choices(t):
    ws = t.ws()
    setup_basic(t, ws)
    msg = t.run("-C", ws, "company", "add", "X", "--industry", "宇宙業").err
    t.check(msg.startswith(t.m("bansou: --industry: '宇宙業' is not one of: 農業、林業, 漁業, ")),
            "industry refusal lists the choices")
    t.check("製造業（自動車産業）" in msg and "小売業" in msg, "choices listed")
    inds = msg[len(t.m("bansou: --industry: '宇宙業' is not one of: ")):].rstrip("\n")
    t.expect_error(ws, ["company", "add", "X", "--industry", "宇宙業"],
                   "--industry: '宇宙業' is not one of: %s" % inds)
    t.expect_error(ws, ["company", "edit", CO1, "--industry", "製造"],
                   "--industry: '製造' is not one of: %s" % inds)
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--staffing", "外注"],
                   "--staffing: '外注' is not one of: 専任, 兼任, なし")
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--security-action", "三つ星"],
                   "--security-action: '三つ星' is not one of: なし, 一つ星, 二つ星")
    r = t.run("-C", ws, "company", "add", "X", "--industry", "製造業", "--kind", "株式会社")
    t.eq(r.rc, 1, "exit status for an unknown kind", r)
    t.check(r.err.startswith(t.m("bansou: --kind: '株式会社' is not one of: 会社, 個人事業主, 医療法人")),
            "kind refusal", r)
    r = t.run("-C", ws, "company", "add", "X", "--industry", "製造業", "--prefecture", "大阪")
    t.check(r.rc == 1 and r.err.startswith(t.m("bansou: --prefecture: '大阪' is not one of: 北海道")),
            "prefecture refusal", r)
    t.expect_error(ws, ["expert", "add", "鈴木", "--industries", "宇宙業"],
                   "--industries: '宇宙業' is not one of: %s" % inds)


def test_bad_capital(t):
    ws = t.ws()
    setup_basic(t, ws)
    for cap in ("lots", "3兆", "億", "5000万ドル", "万万", "1.2.3億", "30,00", "1億20000万"):
        t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--capital", cap],
                       "--capital: '%s' is not an amount in yen (e.g. 30000000, 30,000,000, "
                       "3000万, 3億5000万円)" % cap)
    # The empty value, which the catalogue's patterns (one character or more)
    # cannot match: expected through a stand-in.
    r = t.run("-C", ws, "company", "add", "X", "--industry", "製造業", "--capital", "")
    t.eq((r.rc, r.err), (1, t.m("bansou: --capital: '?' is not an amount in yen (e.g. 30000000, "
                                "30,000,000, 3000万, 3億5000万円)\n").replace("'?'", "''")),
         "empty --capital")
    t.expect_error(ws, ["company", "edit", CO1, "--capital", "lots"],
                   "--capital: 'lots' is not an amount in yen (e.g. 30000000, 30,000,000, 3000万, "
                   "3億5000万円)")
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--capital", "-5"],
                   "--capital: '-5': an amount in yen cannot be negative")
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--capital", "0.00005万"],
                   "--capital: '0.00005万' is not a whole number of yen")
    t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--capital",
                        "9223372036854775808"],
                   "--capital: '9223372036854775808' is too large an amount in yen")


def test_bad_employees(t):
    ws = t.ws()
    setup_basic(t, ws)
    for n in ("many", "-3", "1.5", "", "１０", "10人"):
        t.expect_error(ws, ["company", "add", "X", "--industry", "製造業", "--employees", n],
                       "--employees: '%s' is not a number of people" % n)
    t.expect_error(ws, ["company", "edit", CO1, "--employees", "many"],
                   "--employees: 'many' is not a number of people")


def test_bad_unknown_item(t):
    ws = t.ws()
    setup_basic(t, ws)
    m = model(t, "policy")
    good = item_ids(m, 1)
    t.expect_error(ws, ["task", "done", "1", "1", "nosuch.item"],
                   "no item 'nosuch.item' in visit 1 of theme 'policy' (see 'bansou task list 1')")
    # every id valid but the last: nothing is ticked, no event logged
    t.expect_error(ws, ["task", "done", "1", "1", good[0], good[1], "nosuch"],
                   "no item 'nosuch' in visit 1 of theme 'policy' (see 'bansou task list 1')")
    # an id of another visit is not an item of this one
    other = item_ids(m, 2)[0]
    t.check(other not in good, "visit 2 item differs")
    t.expect_error(ws, ["task", "done", "1", "1", other],
                   "no item '%s' in visit 1 of theme 'policy' (see 'bansou task list 1')" % other)
    t.ok("-C", ws, "task", "done", "1", "1", good[0])
    t.expect_error(ws, ["task", "undo", "1", "1", good[0], "nosuch"],
                   "no item 'nosuch' in visit 1 of theme 'policy' (see 'bansou task list 1')")
    tl = t.json("-C", ws, "task", "list", "1", "1", "--json")
    t.eq([x["item"] for x in tl if x["done"]], [good[0]], "ticks after the refused commands")


def test_bad_visit_number(t):
    ws = t.ws()
    setup_basic(t, ws)
    m = model(t, "policy")
    for args in (["visit", "plan", "1", "{n}", "--date", "2026-01-01"],
                 ["visit", "hold", "1", "{n}", "--findings", "試験の所見", "--date", "2026-01-01"],
                 ["visit", "report", "1", "{n}"],
                 ["task", "done", "1", "{n}", item_ids(m, 1)[0]]):
        a = lambda n: [x.replace("{n}", n) for x in args]
        t.expect_error(ws, a("4"), "engagement 1 has visits 1 to 3, not 4")
        t.expect_error(ws, a("99"), "engagement 1 has visits 1 to 3, not 99")
        t.expect_error(ws, a("100"), "N: 100 is not a visit number")
        t.expect_error(ws, a("0"), "N: '0' is not a positive number")
        t.expect_error(ws, a("-1"), "N: '-1' is not a positive number")
        t.expect_error(ws, a("two"), "N: 'two' is not a positive number")
    t.expect_error(ws, ["task", "list", "1", "x"], "N: 'x' is not a positive number")


def test_bad_eng(t):
    ws = t.ws()
    setup_basic(t, ws)
    for eng in ("abc", "0", "1.0", "-2"):
        msg = "ENG: '%s' is not a positive number" % eng
        for args in (["engagement", "show", eng], ["engagement", "terminate", eng, "--reason", "x"],
                     ["engagement", "complete", eng],
                     ["engagement", "change-theme", eng, "assets", "--reason", "x"],
                     ["visit", "plan", eng, "1", "--date", "2026-01-01"],
                     ["visit", "hold", eng, "1", "--findings", "試験の所見", "--date", "2026-01-01"],
                     ["visit", "report", eng, "1"], ["task", "done", eng, "1", "s1.prep.materials"],
                     ["task", "list", eng], ["log", eng]):
            t.expect_error(ws, args, msg)
    for args in (["engagement", "show", "9"], ["engagement", "complete", "9"],
                 ["visit", "plan", "9", "1", "--date", "2026-01-01"], ["task", "list", "9"],
                 ["log", "9"]):
        t.expect_error(ws, args, "no engagement 9")


# --- 4: workflow gates ------------------------------------------------------------

def test_gate_hold_order(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["visit", "hold", "1", "2", "--findings", "試験の所見", "--date", days_ago(5)],
                   "visit 2 cannot be held before visit 1")
    t.expect_error(ws, ["visit", "hold", "1", "3", "--findings", "試験の所見", "--date", days_ago(5)],
                   "visit 3 cannot be held before visit 2")
    d1 = days_ago(20)
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", d1)
    t.expect_error(ws, ["visit", "hold", "1", "3", "--findings", "試験の所見", "--date", days_ago(5)],
                   "visit 3 cannot be held before visit 2")
    early = days_ago(21)
    t.expect_error(ws, ["visit", "hold", "1", "2", "--findings", "試験の所見", "--date", early],
                   "visit 2 on %s would come before visit 1 (held %s)" % (early, d1))
    t.expect_error(ws, ["visit", "plan", "1", "2", "--date", early],
                   "visit 2 on %s would come before visit 1 (%s)" % (early, d1))
    t.ok("-C", ws, "visit", "plan", "1", "3", "--date", "2099-03-01")
    t.expect_error(ws, ["visit", "plan", "1", "2", "--date", "2099-04-01"],
                   "visit 2 on 2099-04-01 would come after visit 3 (2099-03-01)")
    # the same day as the previous visit is allowed
    t.ok("-C", ws, "visit", "hold", "1", "2", "--findings", "試験の所見", "--date", d1)
    t.expect_error(ws, ["visit", "hold", "1", "2", "--findings", "試験の所見", "--date", d1],
                   "visit 2 was held on %s already" % d1)


def test_gate_plan_held(t):
    ws = t.ws()
    setup_basic(t, ws)
    d1 = days_ago(3)
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", d1)
    t.expect_error(ws, ["visit", "plan", "1", "1", "--date", "2099-01-01"],
                   "visit 1 was held on %s already" % d1)
    t.ok("-C", ws, "visit", "report", "1", "1")
    t.expect_error(ws, ["visit", "plan", "1", "1", "--date", "2099-01-01"],
                   "visit 1 was held on %s already" % d1)
    # re-planning a visit that is only planned is allowed
    t.ok("-C", ws, "visit", "plan", "1", "2", "--date", "2099-01-01")
    t.ok("-C", ws, "visit", "plan", "1", "2", "--date", "2099-02-01")
    e = t.json("-C", ws, "engagement", "show", "1", "--json")
    t.eq(e["visits"][1]["planned_date"], "2099-02-01", "re-planned date")


def test_gate_report(t):
    ws = t.ws()
    setup_basic(t, ws)
    t.expect_error(ws, ["visit", "report", "1", "1"], "visit 1 has not been held: nothing to report")
    t.ok("-C", ws, "visit", "plan", "1", "1", "--date", "2099-01-01")
    t.expect_error(ws, ["visit", "report", "1", "1"], "visit 1 has not been held: nothing to report")
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", days_ago(1))
    r = t.ok("-C", ws, "visit", "report", "1", "1")
    t.check(r.out.endswith(t.m("engagement 1: visit 1 report submitted\n")), "report confirmation",
            r)
    at = t.json("-C", ws, "engagement", "show", "1", "--json")["visits"][0]["reported_at"]
    t.check(at, "reported_at set")
    t.expect_error(ws, ["visit", "report", "1", "1"], "visit 1 was reported on %s already" % at)


def test_gate_complete(t):
    ws = t.ws()
    setup_basic(t, ws)
    msg = ("visit {n} has not been held: hold it first, or end the engagement with "
           "'engagement terminate 1 --reason …'")
    t.expect_error(ws, ["engagement", "complete", "1"], msg.format(n=1))
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", days_ago(10))
    t.ok("-C", ws, "visit", "hold", "1", "2", "--findings", "試験の所見", "--date", days_ago(5))
    t.expect_error(ws, ["engagement", "complete", "1"], msg.format(n=3))
    t.ok("-C", ws, "visit", "hold", "1", "3", "--findings", "試験の所見", "--date", days_ago(1))
    t.ok("-C", ws, "engagement", "complete", "1", out="engagement 1 completed\n")
    t.expect_error(ws, ["engagement", "complete", "1"], "engagement 1 is completed: no further changes")


def test_gate_terminate(t):
    ws = t.ws()
    setup_basic(t, ws)
    m = model(t, "policy")
    t.ok("-C", ws, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", days_ago(10))
    t.ok("-C", ws, "visit", "hold", "1", "2", "--findings", "試験の所見", "--date", days_ago(5))
    t.ok("-C", ws, "task", "done", "1", "1", item_ids(m, 1)[0])
    t.expect_error(ws, ["engagement", "terminate", "1"], "--reason is required", 2)
    t.expect_error(ws, ["engagement", "terminate", "1", "--reason", ""], "--reason is required", 2)
    t.ok("-C", ws, "engagement", "terminate", "1", "--reason", "第2回で打ち切りを希望",
         out="engagement 1 terminated\n")
    e = t.json("-C", ws, "engagement", "show", "1", "--json")
    t.eq((e["state"], e["reason"], e["progress"]), ("terminated", "第2回で打ち切りを希望", "●●○"),
         "terminated engagement")
    r = t.ok("-C", ws, "status")
    t.check(re.search(r"^1\s.*\s%s\s+●●○" % t.w("terminated"), r.out, re.M),
            "status shows terminated ●●○", r)
    ended = "engagement 1 is terminated: no further changes"
    for args in (["visit", "plan", "1", "3", "--date", "2099-01-01"],
                 ["visit", "hold", "1", "3", "--findings", "試験の所見", "--date", days_ago(1)],
                 ["visit", "report", "1", "2"],
                 ["task", "done", "1", "2", item_ids(m, 2)[0]],
                 ["task", "undo", "1", "1", item_ids(m, 1)[0]],
                 ["engagement", "change-theme", "1", "assets", "--reason", "x"],
                 ["engagement", "terminate", "1", "--reason", "again"],
                 ["engagement", "complete", "1"]):
        t.expect_error(ws, args, ended)
    log = t.json("-C", ws, "log", "1", "--json")
    t.eq(log[-1]["kind"], "engagement.terminate", "last event")
    t.check("第2回で打ち切りを希望" in (log[-1]["detail"] or ""), "reason in the log")


def test_gate_change_theme(t):
    ws = t.ws()
    setup_basic(t, ws)
    C = ["-C", ws]
    pol, ast = model(t, "policy"), model(t, "assets")
    d1 = days_ago(10)
    t.ok(*C, "visit", "hold", "1", "1", "--findings", "試験の所見", "--date", d1, "--attendees", "社長", "--notes", "メモ")
    t.ok(*C, "visit", "plan", "1", "2", "--date", "2099-01-01")
    p_ticks = [item_ids(pol, 1)[0], item_ids(pol, 1)[-1]]
    t.ok(*C, "task", "done", "1", "1", *p_ticks)
    t.expect_error(ws, ["engagement", "change-theme", "1", "assets"], "--reason is required", 2)
    t.expect_error(ws, ["engagement", "change-theme", "1", "assets", "--reason", ""],
                   "--reason is required", 2)
    t.expect_error(ws, ["engagement", "change-theme", "1", "policy", "--reason", "x"],
                   "engagement 1 is on theme 'policy' already")
    before = t.json(*C, "engagement", "show", "1", "--json")["visits"]
    t.ok(*C, "engagement", "change-theme", "1", "assets", "--reason", "企業の要望",
         out="engagement 1: theme changed to assets; records kept\n")
    e = t.json(*C, "engagement", "show", "1", "--json")
    t.eq(e["theme"], "assets", "theme after the change")
    t.eq(e["visits"], before, "visits kept")
    t.eq(e["theme_title"], ast["title"], "theme title")
    a_only = [i for i in item_ids(ast, 1) if i not in item_ids(pol, 1)]
    t.check(a_only, "assets has an item id policy has not")
    t.ok(*C, "task", "done", "1", "1", a_only[0])
    t.expect_error(ws, ["task", "done", "1", "1", "nosuch"],
                   "no item 'nosuch' in visit 1 of theme 'assets' (see 'bansou task list 1')")
    t.ok(*C, "engagement", "change-theme", "1", "policy", "--reason", "元に戻す")
    tl = t.json(*C, "task", "list", "1", "1", "--json")
    t.eq([x["item"] for x in tl if x["done"]], p_ticks, "policy ticks visible again")
    e = t.json(*C, "engagement", "show", "1", "--json")
    t.eq(e["visits"], before, "visits kept after changing back")
    t.ok(*C, "engagement", "change-theme", "1", "assets", "--reason", "再変更")
    tl = t.json(*C, "task", "list", "1", "1", "--json")
    t.eq([x["item"] for x in tl if x["done"]], [a_only[0]], "assets ticks visible again")
    log = t.json(*C, "log", "1", "--json")
    th = [x["detail"] for x in log if x["kind"] == "engagement.theme"]
    t.eq(len(th), 3, "engagement.theme events")
    t.check("policy → assets" in th[0] and "企業の要望" in th[0], "detail %r" % th[0])


# --- 5: the SME test ----------------------------------------------------------------

SME_CASES = [
    # name, options, sme, rule prefix, reason check, capital
    ("sme_capital", ["--industry", "製造業", "--employees", "400", "--capital", "3億"],
     True, "①製造業、建設業、運輸業", "資本金3億円≦3億円", 300000000),
    ("sme_retail_large", ["--industry", "小売業", "--employees", "60", "--capital", "1億"],
     False, "④小売業", "資本金1億円＞5000万円 かつ 従業員60人＞50人", 100000000),
    ("sme_wholesale_employees", ["--industry", "卸売業", "--employees", "80"],
     True, "②卸売業", "従業員80人≦100人", None),
    ("sme_medical", ["--industry", "医療、福祉", "--kind", "医療法人", "--employees", "350"],
     False, "⑨医療法人、社会福祉法人", "従業員350人＞300人", None),
    ("sme_npo_retail", ["--industry", "小売業", "--kind", "特定非営利活動法人", "--employees", "40"],
     True, "⑮特定非営利活動法人（主たる業種 ④小売業）", "従業員40人≦50人", None),
    ("sme_capital_man", ["--industry", "サービス業（他に分類されないもの）", "--capital", "5000万"],
     True, "③サービス業", "資本金5000万円≦5000万円", 50000000),
    ("sme_boundary_employees", ["--industry", "小売業", "--employees", "50", "--capital", "1億円"],
     True, "④小売業", "従業員50人≦50人", 100000000),
    ("sme_unknown", ["--industry", "製造業"], None, "①製造業、建設業、運輸業", "未登録", None),
]


def make_sme_test(name, opts, sme, rule, reason, capital):
    def test(t):
        ws = t.ws()
        t.ok("-C", ws, "company", "add", "会社" + name, *opts)
        c = t.json("-C", ws, "company", "show", "会社" + name, "--json")
        t.eq(c["capital"], capital, "capital")
        v = c.get("sme")
        t.check(isinstance(v, dict), "company show --json has an 'sme' object")
        if sme is None:
            t.check("sme" not in v or v["sme"] is None, "sme undecided: %r" % v)
        else:
            t.eq(v.get("sme"), sme, "sme verdict (%r)" % v)
        t.check(v.get("rule", "").startswith(rule), "rule %r starts with %r" % (v.get("rule"), rule))
        t.check(reason in v.get("reason", ""), "reason %r contains %r" % (v.get("reason"), reason))
        r = t.ok("-C", ws, "company", "show", "会社" + name)
        word = t.w({True: "meets it", False: "does not meet it", None: "cannot tell"}[sme])
        opening = "（" if t.s.cat else " ("
        t.check(re.search(r"^%s\s+%s" % (re.escape(t.w("SME definition")), re.escape(word + opening)),
                          r.out, re.M), "text verdict %s" % word, r)
        t.check(v["rule"] in r.out, "text names the rule", r)
    test.__name__ = "test_" + name
    return test


def test_capital_forms(t):
    ws = t.ws()
    for i, (text, yen) in enumerate([("5000万", 50000000), ("3億", 300000000),
                                     ("3億円", 300000000), ("5000万円", 50000000),
                                     ("30,000,000", 30000000), ("1000円", 1000), ("0", 0),
                                     ("3億5000万", 350000000), ("1.5億", 150000000),
                                     ("０.5万", 5000), ("３０００万", 30000000),
                                     ("３０，０００，０００円", 30000000), (" 3億 ", 300000000)], 1):
        t.ok("-C", ws, "company", "add", "c%d" % i, "--industry", "製造業", "--capital", text)
        t.eq(t.json("-C", ws, "company", "show", "c%d" % i, "--json")["capital"], yen,
             "capital of %r" % text)
    r = t.ok("-C", ws, "company", "show", "c1")
    t.check(re.search(r"^%s\s+%s$" % (t.w("Capital"), t.m("50,000,000 yen")), r.out, re.M),
            "capital shown with separators", r)


# --- 6: themes ------------------------------------------------------------------------

def test_themes_listed(t):
    th = t.json("themes", "--json")
    t.eq([x["id"] for x in th], THEME_IDS, "theme order")
    t.eq([x["number"] for x in th], [1, 2, 3, 4, 5], "theme numbers")
    for x in th:
        t.eq(x["file"], os.path.join(t.s.env["BANSOU_THEMES"], x["id"], "theme.lua"), "file")
        t.check(x["title"], "title of %s" % x["id"])
    r = t.ok("themes")
    lines = r.out.strip("\n").split("\n")
    t.eq(len(lines), 6, "header + five themes", r)
    t.eq([ln.split()[1] for ln in lines[1:]], THEME_IDS, "ids in the text listing", r)
    for ln, x in zip(lines[1:], th):
        t.check(x["title"] in ln and ln.split()[-1] == "3", "line %r" % ln, r)


def make_theme_show_test(theme_id):
    def test(t):
        m = t.json("theme", "show", theme_id, "--json")
        t.eq(m["id"], theme_id, "id")
        t.eq(len(m["steps"]), 3, "steps")
        t.eq(len(m["goals"]), 3, "goals")
        r = t.ok("theme", "show", theme_id)
        o = r.out
        t.check(o.startswith(t.m("Theme %d: %s (%s)" % (m["number"], m["title"], theme_id)) + "\n"),
                "heading", r)
        for k in ("audience", "effect"):
            t.check(m[k] in o, "%s printed" % k, r)
        for i, g in enumerate(m["goals"], 1):
            t.check(t.m("  [goal %d] %s" % (i, g)) in o, "goal %d printed" % i, r)
        t.eq(o.count("\n■" if t.s.cat else "\n* "), 3, "step headings", r)
        ids = item_ids(m)
        t.eq(len(ids), len(set(ids)), "item ids unique")
        t.check(len(ids) >= 15, "a full syllabus (%d items)" % len(ids))
        pos = -1
        for i, st in enumerate(m["steps"], 1):
            h = t.m("* %s - visit %d, goal %d" % (st["title"], i, i))
            t.check(h in o, "step %d heading %r" % (i, h), r)
            t.check(o.index(h) > pos, "steps in order", r)
            pos = o.index(h)
            for part in ("prep", "onsite"):
                t.check(st.get(part), "step %d has %s items" % (i, part))
            for part in ("prep", "onsite", "after"):
                for it in st.get(part, []):
                    t.eq(o.count("[%s]" % it["id"]), 1, "item [%s] printed once" % it["id"], r)
                    t.check(o.index("[%s]" % it["id"]) > pos, "item %s under its step" % it["id"], r)
                    for k in ("company", "expert"):
                        if it.get(k):
                            t.check(it[k] in o, "%s of %s printed" % (k, it["id"]), r)
                    for k in ("provided", "deliverables"):
                        for s in it.get(k, []):
                            t.check(s in o, "%s %r of %s printed" % (k, s, it["id"]), r)
    test.__name__ = "test_theme_show_" + theme_id
    return test


def test_theme_check_repository(t):
    r = t.ok("theme", "check")
    d = t.s.env["BANSOU_THEMES"]
    t.eq(r.out, t.m("".join("%s/%s/theme.lua: ok\n" % (d, i) for i in sorted(THEME_IDS))), "stdout", r)
    files = [os.path.join(t.s.root, "themes", i, "theme.lua") for i in THEME_IDS]
    r = t.ok("theme", "check", *files)
    t.eq(r.out, t.m("".join("%s: ok\n" % f for f in files)), "stdout", r)


BASE_THEME = """\
-- a small valid theme for the checker tests
return theme {
  id = "@ID@",
  number = 9,
  title = "テスト用テーマ",
  audience = "テストをする企業",
  effect = "テストが通る",
  goals = { "目標1", "目標2", "目標3" },
  steps = {
    step { -- step1
      title = "第1ステップ",
      prep = { item { id = "s1.p", company = "準備する" } },
      onsite = { item { id = "s1.o", expert = "説明する", minutes = 30 } },
    },
    step { -- step2
      title = "第2ステップ",
      prep = { item { id = "s2.p", company = "準備する" } },
      onsite = {
        item { -- s2.o
          id = "s2.o",
          company = "話し合う",
          expert = "助言する",
          provided = { "資料" },
        },
      },
    },
    step { -- step3
      title = "第3ステップ",
      prep = { item { id = "s3.p", company = "準備する" } },
      onsite = { item { id = "s3.o", expert = "まとめる" } },
      after = { item { id = "s3.a", expert = "報告する" } },
    },
  },
}
"""


def theme_file(t, theme_id, edits=(), where=None):
    text = BASE_THEME.replace("@ID@", theme_id)
    for old, new in edits:
        if old not in text:
            raise AssertionError("edit %r does not apply" % old)
        text = text.replace(old, new, 1)
    path = os.path.join(where or t.dir, theme_id, "theme.lua")
    t.write(path, text)
    return path, text


def check_problems(t, path, want, nproblems=None):
    """`theme check PATH` exits 1 listing exactly the lines `want`."""
    r = t.run("theme", "check", path)
    t.eq(r.rc, 1, "exit status", r)
    got = r.out.rstrip("\n").split("\n")
    if isinstance(want, str):  # a regular expression for a single line
        t.check(len(got) == 1 and re.fullmatch(want, got[0]), "stdout should match %r" % want, r)
    else:
        t.eq(got, [t.m(w) for w in want], "problems reported", r)
    n = nproblems if nproblems is not None else len(got)
    t.eq(r.err, t.m("bansou: %d problem%s in 1 of 1 theme file\n" % (n, "" if n == 1 else "s")),
         "stderr", r)
    return r


def test_theme_check_valid_base(t):
    path, _ = theme_file(t, "base")
    t.ok("theme", "check", path, out="%s: ok\n" % path)


def test_theme_check_syntax_error(t):
    # short relative paths here: long ones are test_lua_errors_name_long_paths
    theme_file(t, "syn", [('  number = 9,\n', '  number = 9\n')])
    path, text = "syn/theme.lua", open(os.path.join(t.dir, "syn", "theme.lua"), encoding="utf-8").read()
    ln = line_of(text, 'title = "テスト用テーマ"')
    check_problems(t, path, r"%s:%d: .*expected.* near 'title'" % (re.escape(path), ln))
    # through a command that uses the theme: same message, database unchanged
    ws = t.ws()
    setup_basic(t, ws)
    theme_file(t, "syn", [('  number = 9,\n', '  number = 9\n')], where=os.path.join(ws, "themes"))
    r = t.run("engage", CO2, "syn", "--expert", EXPERT, cwd=ws)
    t.check(r.rc == 1 and re.fullmatch(r"bansou: \./themes/syn/theme\.lua:%d: .*expected.* near 'title'\n"
                                       % ln, r.err),
            "engage with a broken theme names file:line", r)
    msg = r.err[len("bansou: "):-1]
    t.expect_error(ws, ["engage", CO2, "syn", "--expert", EXPERT], msg, in_ws=True)
    t.expect_error(ws, ["theme", "show", "syn"], msg, in_ws=True)


def test_theme_check_missing_goal(t):
    path, text = theme_file(t, "goals", [('"目標1", "目標2", "目標3"', '"目標1", "目標2"')])
    ln = line_of(text, "return theme {")
    check_problems(t, path, ["%s:%d: goals: 2 goals for 3 visits" % (path, ln)])


def test_theme_check_step_without_onsite(t):
    path, text = theme_file(t, "noonsite", [
        ('      onsite = { item { id = "s1.o", expert = "説明する", minutes = 30 } },\n',
         '      onsite = {},\n'),
        ('      onsite = { item { id = "s3.o", expert = "まとめる" } },\n', '')])
    check_problems(t, path, [
        "%s:%d: steps[1].onsite: a step needs at least one item" % (path, line_of(text, "-- step1")),
        "%s:%d: steps[3].onsite: missing: a step needs at least one item"
        % (path, line_of(text, "-- step3"))])


def test_theme_check_duplicate_id(t):
    path, text = theme_file(t, "dup", [('item { id = "s3.p"', 'item { id = "s1.o"')])
    first = line_of(text, 'id = "s1.o"')
    dup = [i for i, l in enumerate(text.split("\n"), 1) if 'id = "s1.o"' in l][1]
    check_problems(t, path, ["%s:%d: steps[3].prep[1]: duplicate id 's1.o' (first at line %d)"
                             % (path, dup, first)])
    # a duplicate in a multi-line item{…} points to the line of its constructor
    path, text = theme_file(t, "dup2", [('          id = "s2.o",', '          id = "s2.p",')])
    check_problems(t, path, ["%s:%d: steps[2].onsite[1]: duplicate id 's2.p' (first at line %d)"
                             % (path, line_of(text, "-- s2.o"), line_of(text, 'id = "s2.p"'))])


def test_theme_check_wrong_types(t):
    path, text = theme_file(t, "types", [
        ('  number = 9,', '  number = "one",'),
        ('      title = "第2ステップ",', '      title = 2,'),
        ('          provided = { "資料" },', '          provided = "資料",'),
        ('minutes = 30', 'minutes = "thirty"')])
    L = lambda s: line_of(text, s)
    check_problems(t, path, [
        "%s:%d: number: expected an integer from 1 to 99" % (path, L("return theme {")),
        "%s:%d: steps[1].onsite[1]: minutes: expected an integer from 1 to 600"
        % (path, L('minutes = "thirty"')),
        "%s:%d: steps[2].title: expected string, got integer" % (path, L("-- step2")),
        "%s:%d: steps[2].onsite[1].provided: expected a list of strings, got string"
        % (path, L("-- s2.o"))])


def test_theme_check_unknown_fields(t):
    path, text = theme_file(t, "unknown", [
        ('  number = 9,', '  number = 9,\n  colour = "red",'),
        ('      title = "第3ステップ",', '      title = "第3ステップ",\n      duration = 120,'),
        ('          provided = { "資料" },', '          provided = { "資料" },\n          owner = "x",')])
    L = lambda s: line_of(text, s)
    check_problems(t, path, [
        "%s:%d: unknown field 'colour'" % (path, L("return theme {")),
        "%s:%d: steps[2].onsite[1]: unknown field 'owner'" % (path, L("-- s2.o")),
        "%s:%d: steps[3]: unknown field 'duration'" % (path, L("-- step3"))])


def test_theme_check_every_problem(t):
    path, text = theme_file(t, "many", [
        ('  number = 9,', '  number = 0,\n  colour = "red",'),
        ('"目標1", "目標2", "目標3"', '"目標1"'),
        ('item { id = "s3.p"', 'item { id = "s1.p"'),
        ('      onsite = { item { id = "s3.o", expert = "まとめる" } },\n', '')])
    L = lambda s: line_of(text, s)
    th = L("return theme {")
    r = check_problems(t, path, [
        "%s:%d: unknown field 'colour'" % (path, th),
        "%s:%d: number: expected an integer from 1 to 99" % (path, th),
        "%s:%d: goals: 1 goals for 3 visits" % (path, th),
        "%s:%d: steps[3].prep[1]: duplicate id 's1.p' (first at line %d)"
        % (path, [i for i, l in enumerate(text.split("\n"), 1) if 'id = "s1.p"' in l][1],
           L('id = "s1.p"')),
        "%s:%d: steps[3].onsite: missing: a step needs at least one item" % (path, L("-- step3"))])
    good, _ = theme_file(t, "good")
    r = t.run("theme", "check", good, path)
    t.eq(r.rc, 1, "exit status", r)
    t.check(r.out.startswith(t.m("%s: ok\n" % good)), "good file ok", r)
    t.eq(r.err, t.m("bansou: 5 problems in 1 of 2 theme files\n"), "stderr", r)
    missing = os.path.join(t.dir, "missing.lua")
    r = t.run("theme", "check", missing)
    t.check(r.rc == 1 and r.out.startswith(missing), "a missing file is reported", r)


def test_theme_check_workspace_override(t):
    ws = t.ws()
    path, text = theme_file(t, "policy", [('"目標1", "目標2", "目標3"', '"目標1", "目標2"')],
                            where=os.path.join(ws, "themes"))
    d = t.s.env["BANSOU_THEMES"]
    r = t.run("-C", ws, "theme", "check")
    t.eq(r.rc, 1, "exit status", r)
    want = [t.m("%s/%s/theme.lua: ok" % (d, i)) for i in ("assets", "cloud", "incident")] + \
           [t.m("%s:%d: goals: 2 goals for 3 visits" % (path, line_of(text, "return theme {"))),
            t.m("%s/training/theme.lua: ok" % d)]
    t.eq(r.out.rstrip("\n").split("\n"), want, "stdout", r)
    t.eq(r.err, t.m("bansou: 1 problem in 1 of 5 theme files\n"), "stderr", r)
    # and the broken override is what the commands use
    setup_ws = t.ws()
    t.ok("-C", setup_ws, "company", "add", CO1, "--industry", "製造業")
    t.ok("-C", setup_ws, "expert", "add", EXPERT)
    shutil.copytree(os.path.join(ws, "themes"), os.path.join(setup_ws, "themes"))
    t.expect_error(setup_ws, ["engage", CO1, "policy", "--expert", EXPERT],
                   "%s/themes/policy/theme.lua:%d: goals: 2 goals for 3 visits"
                   % (setup_ws, line_of(text, "return theme {")))


# --- 7: the sandbox ----------------------------------------------------------------------

def sandbox_run(t, theme_id, lua):
    """Places WS/themes/ID/theme.lua and runs `theme show ID` in WS; returns (result, path, ws).
    The path in messages is then ./themes/ID/theme.lua: short, so that Lua does not abridge it
    (long paths: test_lua_errors_name_long_paths)."""
    ws = t.ws()
    t.write(os.path.join(ws, "themes", theme_id, "theme.lua"), lua)
    path = "./themes/%s/theme.lua" % theme_id
    before = db_dump(ws)
    r = t.run("theme", "show", theme_id, cwd=ws)
    t.check(db_dump(ws) == before, "the database changed", r)
    t.eq(r.rc, 1, "exit status", r)
    t.eq(r.out, "", "stdout", r)
    t.check(r.err.startswith("bansou: ") and r.err.count("\n") == 1 and r.err.endswith("\n"),
            "one error line on stderr", r)
    return r, path, ws


def expect_where(t, r, path, line, words):
    want = "bansou: %s:%d: " % (path, line)
    t.check(r.err.startswith(want), "the error should start with %r" % want, r)
    for w in words:
        t.check(w in r.err, "the error should mention %r" % w, r)


def test_sandbox_runaway_loop(t):
    r, path, _ = sandbox_run(t, "loop", "-- runaway\nwhile true do end\n")
    t.check("instruction budget exceeded" in r.err, "budget message", r)
    t.check(r.seconds < 30, "ended in %.1f s" % r.seconds, r)


def test_sandbox_pcall_loop(t):
    lua = ("local n = 0\n"
           "while true do\n"
           "  pcall(function() while true do n = n + 1 end end)\n"
           "  n = 0\n"
           "end\n")
    r, path, _ = sandbox_run(t, "ploop", lua)
    t.check("instruction budget exceeded" in r.err, "budget message", r)
    t.check(r.seconds < 30, "ended in %.1f s" % r.seconds, r)
    lua = ("local ok, e = pcall(function() while true do end end)\n"
           "local ok2 = pcall(error, e)\n"
           "return theme { id = 'ploop2' }\n")
    r, path, _ = sandbox_run(t, "ploop2", lua)
    t.check("instruction budget exceeded" in r.err, "a caught budget error cannot carry on", r)


def test_sandbox_budget_errors_name_file(t):
    """Every error names its file and line (docs/theme-format.md), budget errors included."""
    r, path, _ = sandbox_run(t, "loop", "-- runaway\nlocal n = 0\nwhile true do n = n + 1 end\n")
    t.check(path in r.err, "the runaway-loop error should name %s" % path, r)
    r, path, _ = sandbox_run(t, "mem", "local t = {}\nfor i = 1, 1e9 do t[i] = {i} end\n")
    t.check(path in r.err, "the memory error should name %s" % path, r)


def test_sandbox_memory_table(t):
    lua = ("local t, i = {}, 0\n"
           "while true do\n"
           "  i = i + 1\n"
           "  t[i] = string.rep('x', 1024) .. i\n"
           "end\n")
    r, path, _ = sandbox_run(t, "mem", lua)
    t.eq(r.err, t.m("bansou: %s: memory budget of 64 MiB exceeded\n" % path),
         "memory budget message", r)
    t.check(r.seconds < 30, "ended in %.1f s" % r.seconds, r)


def test_sandbox_memory_string(t):
    r, path, _ = sandbox_run(t, "rep9", "local s = string.rep('x', 1e9)\nreturn s\n")
    t.eq(r.err, t.m("bansou: %s: memory budget of 64 MiB exceeded\n" % path),
         "memory budget message", r)
    # 10 GB: refused by Lua itself; an error naming file and line, not a crash
    r, path, _ = sandbox_run(t, "rep10", "-- ten gigabytes\nlocal s = string.rep('x', 1e10)\n")
    expect_where(t, r, path, 2, [])


def test_sandbox_io_open(t):
    r, path, _ = sandbox_run(t, "io", "-- read a file\nlocal f = io.open('/etc/passwd')\n"
                                      "return theme { id = f:read('a') }\n")
    expect_where(t, r, path, 2, ["io"])


def test_sandbox_os_execute(t):
    r, path, ws = sandbox_run(t, "osx", "-- run a shell\nos.execute('touch PWNED')\n")
    expect_where(t, r, path, 2, ["execute"])
    t.check(not os.path.exists(os.path.join(t.dir, "PWNED")), "nothing ran")
    r, path, _ = sandbox_run(t, "osr", "-- remove a file\nos.remove('x')\n")
    expect_where(t, r, path, 2, ["remove"])


def test_sandbox_require_os(t):
    r, path, _ = sandbox_run(t, "req", "-- load os\nlocal o = require 'os'\nreturn o\n")
    expect_where(t, r, path, 2, ["os"])
    r, path, _ = sandbox_run(t, "req2", "-- load io\nlocal o = require 'io'\nreturn o\n")
    expect_where(t, r, path, 2, ["io"])


def test_sandbox_load(t):
    r, path, _ = sandbox_run(t, "ld", "-- compile a chunk\nlocal f = load('return 1')\n")
    expect_where(t, r, path, 2, ["load"])


def test_sandbox_dofile(t):
    r, path, _ = sandbox_run(t, "df", "-- run a file\ndofile('/etc/passwd')\n")
    expect_where(t, r, path, 2, ["dofile"])


def test_sandbox_undeclared_global(t):
    r, path, _ = sandbox_run(t, "glob", "-- typo\nlocal x = undeclared_value\nreturn x\n")
    expect_where(t, r, path, 2, ["undeclared_value"])


def test_sandbox_undeclared_global_in_function(t):
    lua = ("local function f()\n"
           "  return undeclared_value\n"
           "end\n"
           "return f()\n")
    r, path, _ = sandbox_run(t, "globf", lua)
    expect_where(t, r, path, 2, ["undeclared_value"])


def test_sandbox_binary_chunk(t):
    ws = t.ws()
    os.makedirs(os.path.join(ws, "themes", "lib"))
    lib = os.path.join(ws, "themes", "lib", "bin.lua")
    with open(lib, "wb") as f:
        f.write(b"\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08" + b"\0" * 32)
    t.write(os.path.join(ws, "themes", "binary", "theme.lua"), "-- binary\nlocal b = require 'bin'\n")
    r = t.run("theme", "show", "binary", cwd=ws)
    t.eq(r.rc, 1, "exit status", r)
    t.check("binary chunk" in r.err, "binary chunks refused", r)
    t.check("./themes/lib/bin.lua" in r.err, "the error should name the file ./themes/lib/bin.lua", r)


def test_lua_errors_name_long_paths(t):
    """A theme in a deep directory: the error names its whole path, not '...tail'."""
    deep = os.path.join(t.dir, "a-rather-long-directory-name", "another-long-directory-name")
    ws = t.ws(os.path.relpath(os.path.join(deep, "ws"), t.dir))
    path, text = theme_file(t, "syn", [('  number = 9,\n', '  number = 9\n')],
                            where=os.path.join(ws, "themes"))
    ln = line_of(text, 'title = "テスト用テーマ"')
    r = t.run("-C", ws, "theme", "show", "syn")
    t.eq(r.rc, 1, "exit status", r)
    t.check(r.err.startswith("bansou: %s:%d: " % (path, ln)),
            "the error should start with the full path %s:%d" % (path, ln), r)
    r = t.run("theme", "check", path)
    t.eq(r.rc, 1, "exit status", r)
    t.check(r.out.startswith("%s:%d: " % (path, ln)),
            "theme check should report the full path %s:%d" % (path, ln), r)


def test_sandbox_override(t):
    ws = t.ws()
    src = open(os.path.join(t.s.env["BANSOU_THEMES"], "policy", "theme.lua"), encoding="utf-8").read()
    orig = re.search(r'^  title = "([^"]*)",$', src, re.M).group(1)
    t.write(os.path.join(ws, "themes", "policy", "theme.lua"),
            src.replace('  title = "%s",' % orig, '  title = "上書きされたテーマ",', 1))
    r = t.ok("-C", ws, "theme", "show", "policy")
    t.check(r.out.startswith(t.m("Theme 1: 上書きされたテーマ (policy)") + "\n"), "override title", r)
    th = t.json("-C", ws, "themes", "--json")
    t.eq([x["id"] for x in th], THEME_IDS, "still five themes")
    t.eq((th[0]["title"], th[0]["file"]),
         ("上書きされたテーマ", os.path.join(ws, "themes", "policy", "theme.lua")), "policy entry")
    # the override also works from inside the workspace, and other workspaces do not see it
    r = t.ok("theme", "show", "policy", cwd=ws)
    t.check("上書きされたテーマ" in r.out, "override via the current directory", r)
    r = t.ok("theme", "show", "policy")
    t.check(orig in r.out.split("\n")[0], "no override outside the workspace", r)


def test_theme_folders(t):
    """A theme is a folder: its own modules beside theme.lua, found before lib/; a workspace
    replaces one module of a theme; another theme's modules are out of reach."""
    ws = t.ws()
    base = BASE_THEME.replace("@ID@", "mod").replace(
        "return theme {", 'local helper = require "helper"\nreturn theme {').replace(
        '  title = "テスト用テーマ",', "  title = helper.title,")
    t.write(os.path.join(ws, "themes", "mod", "theme.lua"), base)
    t.write(os.path.join(ws, "themes", "mod", "helper.lua"), 'return { title = "自前の部品" }\n')
    # a lib module of the same name loses to the theme's own
    t.write(os.path.join(ws, "themes", "lib", "helper.lua"), 'return { title = "共通の部品" }\n')
    r = t.ok("-C", ws, "theme", "show", "mod")
    t.check(r.out.startswith(t.m("Theme 9: 自前の部品 (mod)") + "\n"), "the theme's own module", r)
    t.ok("-C", ws, "theme", "check", os.path.join(ws, "themes", "mod", "theme.lua"))
    # a module of another theme is not on this theme's path
    t.write(os.path.join(ws, "themes", "mod", "theme.lua"),
            base.replace('require "helper"', 'require "regdocs"'))
    r = t.run("-C", ws, "theme", "show", "mod")
    t.check(r.rc == 1
            and t.m("require: no module 'regdocs' in mod/ or lib/ of the theme path") in r.err,
            "another theme's module is out of reach", r)
    # one module of an installed theme replaced by the workspace's
    t.write(os.path.join(ws, "themes", "policy", "regcheck.lua"), 'error("the workspace regcheck")\n')
    r = t.run("theme", "show", "policy", cwd=ws)
    t.check(r.rc == 1 and r.err.startswith("bansou: ./themes/policy/regcheck.lua:1: the workspace regcheck"),
            "the workspace's module is the one loaded", r)
    # the id must match the folder
    path = os.path.join(ws, "themes", "other", "theme.lua")
    text = t.write(path, BASE_THEME.replace("@ID@", "wrong")) and BASE_THEME
    check_problems(t, path, ["%s:%d: id: 'wrong' does not match the folder name 'other'"
                             % (path, line_of(text, "return theme {"))])


def test_theme_old_layout_named(t):
    """A theme file of the layout before folders is an error saying where to move it, not a
    file passed over in silence (the installed theme would be used instead)."""
    ws = t.ws()
    t.ok("-C", ws, "company", "add", CO1, "--industry", "製造業")
    t.ok("-C", ws, "expert", "add", EXPERT)
    old = os.path.join(ws, "themes", "policy.lua")
    t.write(old, open(os.path.join(t.s.env["BANSOU_THEMES"], "policy", "theme.lua"),
                      encoding="utf-8").read())
    t.expect_error(ws, ["engage", CO1, "policy", "--expert", EXPERT],
                   "no theme 'policy': %s is in the layout before theme folders; move it to "
                   "%s (see docs/theme-format.md)" % (old, os.path.join(ws, "themes", "policy", "theme.lua")))


# --- 8: concurrency -------------------------------------------------------------------

def test_concurrent_company_add(t):
    ws = t.ws()
    failures = []
    n = 200

    def writer(p):
        try:
            for i in range(n):
                r = t.run("-C", ws, "company", "add", "並行%d-%03d" % (p, i), "--industry", "製造業")
                if r.rc != 0:
                    failures.append(r)
        except Exception as x:  # noqa: BLE001
            failures.append(x)

    threads = [threading.Thread(target=writer, args=(p,)) for p in (1, 2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if failures:
        f = failures[0]
        raise Fail("%d of %d commands failed" % (len(failures), 2 * n),
                   f if isinstance(f, Result) else None)
    cl = t.json("-C", ws, "company", "list", "--json")
    t.eq(len(cl), 2 * n, "companies")
    t.eq(sorted(c["name"] for c in cl),
         sorted("並行%d-%03d" % (p, i) for p in (1, 2) for i in range(n)), "company names")
    t.eq(sorted(c["id"] for c in cl), list(range(1, 2 * n + 1)), "company ids")
    log = t.json("-C", ws, "log", "--json")
    t.eq(len([e for e in log if e["kind"] == "company.add"]), 2 * n, "company.add events")
    t.eq(len(log), 2 * n, "events")


# --- 10: install ------------------------------------------------------------------------

def make_install(t):
    dest = os.path.join(t.dir, "dest")
    env = dict(t.s.env)
    # Not the flags and variables of an outer `make check-asan` (make exports
    # command-line variables such as BUILD, SAN and CFLAGS to recipes).
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BUILD", "SAN", "CFLAGS"):
        env.pop(k, None)
    cmd = ["make", "-s", "-C", t.s.root, "install", "DESTDIR=" + dest, "PREFIX=/usr"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    r = Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t0)
    t.last = r
    if r.rc != 0:
        raise Fail("make install failed", r)
    return dest


def test_make_install(t):
    dest = make_install(t)
    binp = os.path.join(dest, "usr", "bin", "bansou")
    share = os.path.join(dest, "usr", "share", "bansou")
    t.check(os.path.isfile(binp) and os.access(binp, os.X_OK), "bin/bansou installed")
    for i in THEME_IDS:
        p = os.path.join(share, "themes", i, "theme.lua")
        t.check(os.path.isfile(p), "%s installed" % p)
        t.eq(oct(stat.S_IMODE(os.stat(p).st_mode)), oct(0o644), "mode of %s" % p)
    for lib in ("lib/common", "lib/profile", "policy/regdocs", "assets/assetdata",
                "cloud/clouddocs", "incident/incidentscenarios", "training/trainingbank_b"):
        t.check(os.path.isfile(os.path.join(share, "themes", lib + ".lua")),
                "%s.lua installed" % lib)
    t.check(os.path.isdir(os.path.join(share, "templates")), "templates installed")
    usr = os.path.join(dest, "usr", "share")
    for p in ("man/man1/bansou.1", "bash-completion/completions/bansou",
              "zsh/site-functions/_bansou", "doc/bansou/theme-format.md",
              "doc/bansou/worksheet-format.md", "doc/bansou/templates.md"):
        t.check(os.path.isfile(os.path.join(usr, p)), "%s installed" % p)
    with open(os.path.join(usr, "man/man1/bansou.1"), encoding="utf-8") as f:
        page = f.read()
    p = subprocess.run([binp, "help", "--roff"], capture_output=True, timeout=TIMEOUT)
    t.eq(page, dec(p.stdout), "the installed page is what the installed binary prints")
    t.check("/usr/share/doc/bansou" in page, "the page names the installed docs")
    t.ok("--version")
    r = subprocess.run([binp, "--version"], capture_output=True, timeout=TIMEOUT)
    t.check(r.returncode == 0 and r.stdout.startswith(b"bansou "), "installed binary runs")

    def listed(env):
        e = dict(t.s.env)
        e.pop("BANSOU_THEMES", None)
        e.update(env)
        p = subprocess.run([binp, "themes", "--json"], capture_output=True, env=e,
                           cwd=t.dir, timeout=TIMEOUT)
        res = Result([binp, "themes", "--json"], p.returncode, dec(p.stdout), dec(p.stderr), 0)
        t.last = res
        try:
            return [x["id"] for x in json.loads(res.out)] if res.rc == 0 else None
        except ValueError:
            return None

    if listed({}) != THEME_IDS:
        # The installed binary looks in $(PREFIX)/share/bansou without DESTDIR; point it there.
        got = listed({"BANSOU_THEMES": os.path.join(share, "themes")})
        t.eq(got, THEME_IDS, "themes of the installed binary with BANSOU_THEMES")
    # the installed themes pass the checker
    p = subprocess.run([binp, "theme", "check"], capture_output=True, cwd=t.dir, timeout=TIMEOUT,
                       env=dict(t.s.env, BANSOU_THEMES=os.path.join(share, "themes")))
    t.check(p.returncode == 0, "installed themes pass 'theme check'")


def test_install_datadir_follows_prefix(t):
    """`make install PREFIX=/usr` must install a binary that looks in /usr/share/bansou."""
    dest = make_install(t)
    with open(os.path.join(dest, "usr", "bin", "bansou"), "rb") as f:
        data = f.read()
    found = sorted(set(m.decode() for m in re.findall(rb"/[\w/.-]*share/bansou", data)))
    t.check(b"/usr/share/bansou" in data,
            "the binary installed with PREFIX=/usr looks for its themes in %s, not in "
            "/usr/share/bansou" % (", ".join(found) or "(nothing)"))
    # Installed under DESTDIR, it still finds its own themes (../share/bansou).
    env = dict(t.s.env)
    env.pop("BANSOU_THEMES", None)
    p = subprocess.run([os.path.join(dest, "usr", "bin", "bansou"), "themes", "--json"],
                       env=env, cwd=t.dir, capture_output=True, timeout=TIMEOUT)
    t.check(p.returncode == 0, "installed binary lists its themes: %s" % dec(p.stderr))
    ids = [e["id"] for e in json.loads(dec(p.stdout))]
    t.eq(ids, THEME_IDS, "themes found by the installed binary")


# --- text layout ------------------------------------------------------------------------

def test_task_list_columns_aligned(t):
    ws = t.ws()
    setup_basic(t, ws)
    r = t.ok("-C", ws, "task", "list", "1", "1")
    cols = set()
    for line in r.out.strip("\n").split("\n"):
        mark = re.escape(t.w("[x]")) + "|" + re.escape(t.w("[ ]"))
        visit = re.escape(t.m("@ visit 1 ")[2:]).replace("1", r"\d+")
        m = re.match(r"^(?:%s) %s\S+\s+(?=s\d)" % (mark, visit), line)
        t.check(m, "task list line %r" % line, r)
        cols.add(display_width(m.group(0)))
    t.check(len(cols) == 1, "item ids start in different columns %s" % sorted(cols), r)


# --- the runner ----------------------------------------------------------------------------

TESTS = [
    test_version, test_global_help, test_help_every_command, test_help_columns_aligned,
    test_help_forms, test_man_page, test_bash_completion, test_zsh_completion_syntax,
    test_usage_errors, test_usage_unknown_subcommand,
    test_init_private_modes, test_init_twice_fails, test_workspace_discovery,
    test_outside_workspace,
    test_full_flow, test_json_outputs,
    test_bad_unknown_company, test_bad_unknown_expert, test_bad_unknown_theme, test_bad_dates,
    test_bad_hold_in_future, test_bad_duplicate_company, test_bad_choices, test_bad_capital,
    test_bad_employees, test_bad_unknown_item, test_bad_visit_number, test_bad_eng,
    test_gate_hold_order, test_gate_plan_held, test_gate_report, test_gate_complete,
    test_gate_terminate, test_gate_change_theme,
] + [make_sme_test(*c) for c in SME_CASES] + [
    test_capital_forms,
    test_themes_listed,
] + [make_theme_show_test(i) for i in THEME_IDS] + [
    test_theme_check_repository, test_theme_check_valid_base, test_theme_check_syntax_error,
    test_theme_check_missing_goal, test_theme_check_step_without_onsite,
    test_theme_check_duplicate_id, test_theme_check_wrong_types, test_theme_check_unknown_fields,
    test_theme_check_every_problem, test_theme_check_workspace_override,
    test_sandbox_runaway_loop, test_sandbox_pcall_loop, test_sandbox_memory_table,
    test_sandbox_memory_string, test_sandbox_io_open, test_sandbox_os_execute,
    test_sandbox_require_os, test_sandbox_load, test_sandbox_dofile,
    test_sandbox_undeclared_global, test_sandbox_undeclared_global_in_function,
    test_sandbox_binary_chunk, test_lua_errors_name_long_paths, test_sandbox_budget_errors_name_file, test_sandbox_override, test_theme_folders, test_theme_old_layout_named,
    test_concurrent_company_add,
    test_make_install, test_install_datadir_follows_prefix,
    test_task_list_columns_aligned,
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--lang", default="en", choices=["en", "ja"],
                    help="the language the messages are expected in")
    ap.add_argument("only", nargs="*", help="run only the tests with these names")
    a = ap.parse_args()
    binary, root, tmp = (os.path.abspath(x) for x in (a.bin, a.root, a.tmp))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    suite = Suite(binary, root, tmp, a.lang)
    passed = failed = 0
    t0 = time.monotonic()
    for fn in TESTS:
        name = fn.__name__[len("test_"):]
        if a.only and name not in a.only:
            continue
        t = None
        try:
            t = T(suite, name)
            fn(t)
        except Fail as x:
            failed += 1
            r = x.result
            print("FAIL - %s: %s" % (name, x))
            if r is not None:
                print(r.describe())
        except Exception as x:  # noqa: BLE001 - a test that throws fails
            failed += 1
            print("FAIL - %s: %s: %s" % (name, type(x).__name__, x))
            print("    " + traceback.format_exc().rstrip().replace("\n", "\n    "))
            if t is not None and t.last is not None:
                print("    last command:\n" + t.last.describe())
        else:
            passed += 1
            print("ok - %s" % name)
        sys.stdout.flush()
    sys.stderr.flush()
    print("# %.1f s" % (time.monotonic() - t0))
    print("%s: %d passed, %d failed" % ("e2e" if a.lang == "en" else "e2e-" + a.lang,
                                         passed, failed))
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
