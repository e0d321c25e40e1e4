"""What the end-to-end suites share: the failure type, a command's result
and how it is shown, and the checks that raise with a clear message."""
import os
import re
import subprocess


class Fail(Exception):
    """A failed expectation; `result` is the command it is about, if any."""

    def __init__(self, msg, result=None):
        super().__init__(msg)
        self.result = result


class Result:
    def __init__(self, cmd, rc, out, err, seconds):
        self.cmd, self.rc, self.out, self.err, self.seconds = cmd, rc, out, err, seconds

    def describe(self):
        return ("    command: %s\n    exit status: %s\n    stdout: %s\n    stderr: %s"
                % (" ".join(_quote(a) for a in self.cmd), self.rc,
                   _block(self.out), _block(self.err)))


def _quote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"


def _block(s):
    if s is None:
        return "(none)"
    if len(s) > 4000:
        s = s[:4000] + "\n…(%d more characters)" % (len(s) - 4000)
    if "\n" not in s.rstrip("\n"):
        return repr(s)
    return "\n      | " + "\n      | ".join(s.rstrip("\n").split("\n"))


def dec(b):
    """Bytes from a process as text (None stays None)."""
    if b is None:
        return None
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def check(cond, msg, result=None):
    if not cond:
        raise Fail(msg, result)


def check_eq(actual, expected, what, result=None):
    if actual != expected:
        raise Fail("%s:\n    expected %r\n    actual   %r" % (what, expected, actual), result)


def check_list(actual, expected, what, result=None):
    """Exact comparison of two lists, reporting the first difference."""
    if actual == expected:
        return
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a != e:
            raise Fail("%s differ at item %d:\n    expected %r\n    actual   %r\n"
                       "    whole actual: %r" % (what, i, e, a, actual), result)
    raise Fail("%s: expected %d items, got %d:\n    expected %r\n    actual   %r"
               % (what, len(expected), len(actual), expected, actual), result)


class Cli:
    """Runs the bansou binary with a clean environment (no BANSOU_DIR).

    With BANSOU_E2E_DB=postgresql in the environment (tests/run sets it for
    the suites it runs a second time on PostgreSQL, NAME-pg) the suite gets
    a throwaway server, and every `init DIR` without --db makes a database
    of its own there: the same tests, on the other backend."""

    def __init__(self, args, timeout=120):
        self.bin, self.root, self.tmp = args.bin, args.root, args.tmp
        self.timeout = timeout
        self.env = dict(os.environ, BANSOU_ACTOR="e2e", LANG="C.UTF-8")
        for k in ("BANSOU_DIR", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "BANSOU_E2E_DB"):
            self.env.pop(k, None)
        self.pg, self.databases = None, 0
        if os.environ.get("BANSOU_E2E_DB") == "postgresql":
            self.pg = PgCluster(self.root)
            self.env.update(self.pg.env)

    def on_server(self, args):
        """`args` with --db added to an init that has none, on the suite's
        server (a new database each time)."""
        if not self.pg or not args or args[0] != "init" or "--db" in args:
            return list(args)
        self.databases += 1
        return list(args) + ["--db", self.pg.database("ws%d" % self.databases)]

    def run(self, *args, check=True, cwd=None):
        """(exit status, stdout, stderr); with `check`, a failure raises."""
        args = self.on_server(args)
        p = subprocess.run([self.bin] + list(args), env=self.env, cwd=cwd, capture_output=True,
                           timeout=self.timeout)
        out, err = p.stdout.decode(), p.stderr.decode()
        if check and p.returncode != 0:
            raise Fail("%s: exit %d: %s" % (" ".join(args), p.returncode, err.strip()))
        return p.returncode, out, err


def in_lang(cli, lang, *args):
    """(exit status, stdout, stderr) of bansou ARGS with LANG=lang."""
    before = cli.env["LANG"]
    cli.env["LANG"] = lang
    try:
        return cli.run(*args, check=False)
    finally:
        cli.env["LANG"] = before


def shown(cli, args, ja, en):
    """`args` succeeds and prints `ja` in Japanese and `en` in English."""
    for lang, text in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
        rc, out, err = in_lang(cli, lang, *args)
        check_eq(rc, 0, "exit of %s with LANG=%s (%s)" % (" ".join(args), lang, err))
        check_eq(out, text, "stdout of %s with LANG=%s" % (" ".join(args), lang))


def refused(cli, args, ja, en, code=1, quiet=True):
    """`args` fails with exit status `code` and exactly the lines `ja` in
    Japanese and `en` in English (a string each, or a list of lines); with
    `quiet`, printing nothing on stdout. Returns the stdout of each,
    Japanese first."""
    outs = []
    for lang, lines in (("ja_JP.UTF-8", ja), ("C.UTF-8", en)):
        lines = [lines] if isinstance(lines, str) else lines
        rc, out, err = in_lang(cli, lang, *args)
        what = "%s with LANG=%s" % (" ".join(args), lang)
        check_eq(rc, code, "exit of %s (stderr %r)" % (what, err))
        check_eq(err, "".join("bansou: %s\n" % l for l in lines), "stderr of %s" % what)
        if quiet:
            check_eq(out, "", "stdout of %s" % what)
        outs.append(out)
    return outs


class PgCluster:
    """A throwaway PostgreSQL server made by scripts/pg-cluster for one
    suite, under /tmp (which the server's user can reach whatever the
    checkout's modes), stopped and removed however the suite ends. `env` is
    the environment libpq needs to reach it as its superuser."""

    def __init__(self, root):
        import atexit
        import tempfile
        self.script = os.path.join(root, "scripts", "pg-cluster")
        parent = tempfile.mkdtemp(prefix="bansou-pg-")
        os.chmod(parent, 0o755)
        self.dir = os.path.join(parent, "pg")
        atexit.register(os.rmdir, parent)
        atexit.register(subprocess.run, [self.script, "destroy", self.dir], capture_output=True)
        self.env = {}
        out = self.ctl("start")
        for k, v in re.findall(r"(\w+)='?([^' ]*)'?", out.split("export ", 1)[1]):
            self.env[k] = v

    def database(self, name):
        """Creates the empty database `name`; its server string for --db."""
        self.psql("create database %s" % name, "postgres")
        return "host=%s dbname=%s" % (self.env["PGHOST"], name)

    def psql(self, query, db, user=None, passfile=None, ok=True):
        """(exit status, stdout, stderr) of `query` run by psql on database
        `db`, as the superuser or as `user` with the password in `passfile`;
        with `ok` it must succeed and gives its stdout alone."""
        env = dict(os.environ, **self.env)
        if user:
            env.update(PGUSER=user, PGPASSFILE=passfile)
        p = subprocess.run(["psql", "-X", "-w", "-At", "-v", "ON_ERROR_STOP=1", "-d", db,
                            "-c", query], capture_output=True, text=True, env=env, timeout=60)
        if ok:
            check_eq(p.returncode, 0, "psql %r (%s)" % (query, p.stderr.strip()))
            return p.stdout.strip()
        return p.returncode, p.stdout.strip(), p.stderr.strip()

    def ctl(self, what):
        """stdout of scripts/pg-cluster WHAT DIR, which must succeed."""
        p = subprocess.run([self.script, what, self.dir], capture_output=True, text=True,
                           timeout=120)
        check_eq(p.returncode, 0, "pg-cluster %s (%s)" % (what, p.stderr.strip()))
        return p.stdout


def company_folder(cid, name):
    """The folder of company `cid` under out/: its id in three digits, '_'
    and its name (as it is for the plain names the suites use)."""
    return "%03d_%s" % (cid, name)


def era(iso):
    """'2025-09-04' → '令和7年9月4日（2025年9月4日）', as the documents print a date."""
    y, m, d = (int(x) for x in iso.split("-"))
    n = y - 2018
    return "令和%s年%d月%d日（%d年%d月%d日）" % ("元" if n == 1 else n, m, d, y, m, d)


class Engagement:
    """A fresh workspace with one company engaged on `theme` (engagement 1),
    shared by the tests of a suite in order; `files` passes results on."""

    def __init__(self, cli, company, theme, company_args):
        self.e, self.company, self.theme = cli, company, theme
        self.ws = os.path.join(cli.tmp, "ws")
        cli.run("init", self.ws)
        self.c = ["-C", self.ws]
        cli.run(*self.c, "company", "add", company, *company_args)
        cli.run(*self.c, "expert", "add", "専門 花子", "--themes", theme)
        cli.run(*self.c, "engage", company, theme, "--expert", "1")
        self.files = {}

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)

    def out(self, sub=""):
        return os.path.join(self.ws, "out", company_folder(1, self.company), self.theme, sub)

    def path(self, name):
        """A scratch file's path (its folder made)."""
        p = os.path.join(self.e.tmp, "files", name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def records(self, sheet):
        """The rows last imported for a worksheet, or None."""
        import json
        rc, out, _ = self.b("records", "1", sheet, "--json", check=False)
        return json.loads(out) if rc == 0 else None

    def hold(self, n, date):
        self.b("visit", "plan", "1", str(n), "--date", date)
        self.b("visit", "hold", "1", str(n), "--date", date, "--findings", "試験の所見")


def doc_text(path):
    """Every paragraph and table cell of a Word document, as a list of strings."""
    import docx
    d = docx.Document(path)
    texts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                texts.append(c.text)
    return texts


def table_rows(path):
    """The rows of every table of a Word document, cells stripped."""
    import docx
    d = docx.Document(path)
    return [[c.text.strip() for c in row.cells] for t in d.tables for row in t.rows]


def table(ws, first="No."):
    """The header row and a map header → column of an openpyxl sheet."""
    for r in range(1, 60):
        if ws.cell(r, 1).value == first:
            return r, {ws.cell(r, c).value: c for c in range(1, ws.max_column + 1)}
    raise Fail("no table headed %r in sheet %s" % (first, ws.title))


def data_rows(ws, header):
    """The row numbers under the header down to the first empty one."""
    r = header + 1
    while ws.cell(r, 1).value not in (None, ""):
        yield r
        r += 1


def soffice(cli, files, to, outdir):
    """Converts files with LibreOffice headless (its own profile)."""
    profile = "file://" + os.path.join(cli.tmp, "lo-profile")
    os.makedirs(outdir, exist_ok=True)
    subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", to,
                    "--outdir", outdir] + files, capture_output=True, timeout=600)


def check_pdf_conversion(cli, files, workdir, base):
    """Converts every file with LibreOffice (copied under plain names first)
    and fails naming those that gave no PDF, relative to `base`."""
    import shutil
    src = os.path.join(workdir, "src")
    os.makedirs(src, exist_ok=True)
    names = []
    for i, f in enumerate(files):
        names.append(os.path.join(src, "%02d%s" % (i, os.path.splitext(f)[1])))
        shutil.copy(f, names[-1])
    soffice(cli, names, "pdf", workdir)
    bad = []
    for f, n in zip(files, names):
        pdf = os.path.join(workdir, os.path.splitext(os.path.basename(n))[0] + ".pdf")
        if not os.path.isfile(pdf) or open(pdf, "rb").read(5) != b"%PDF-":
            bad.append(os.path.relpath(f, base))
    check(not bad, "not converted to PDF: %s" % bad)


def strip_formula_results(src, dst):
    """A copy of an XLSX without the cached results of its formulas, so that
    whoever opens it must compute them; returns how many were removed."""
    import zipfile
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    removed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text, n = re.subn(r'(<c [^>]*?)(?: t="str")?>(<f>[^<]*</f>)<v>[^<]*</v></c>',
                                  r"\1>\2</c>", data.decode())
                removed += n
                data = text.encode()
            zout.writestr(info, data)
    return removed


def run_suite(suite, tests, make_case):
    """Runs `tests` in order, each as test(cli, case) on one shared case made
    by make_case(cli) (made again after a test that could not make it);
    prints `ok - NAME` / `FAIL - NAME: why` and `SUITE: N passed, N failed`.
    `tests` may be a function of the case giving the list, for tests that
    the case decides (one per file it wrote). Returns the exit status."""
    import argparse
    import shutil
    import traceback
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--tmp", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.tmp, ignore_errors=True)
    os.makedirs(args.tmp)
    cli = Cli(args)
    passed = failed = 0
    case = None
    if callable(tests):
        case = make_case(cli)
        tests = tests(case)
    for t in tests:
        name = t.__name__[5:]
        try:
            if case is None:
                case = make_case(cli)
            t(cli, case)
            print("ok - %s" % name)
            passed += 1
        except Exception as x:  # noqa: BLE001
            detail = str(x) if isinstance(x, Fail) else traceback.format_exc()
            print("FAIL - %s: %s" % (name, detail))
            failed += 1
    print("%s: %d passed, %d failed" % (suite, passed, failed))
    return 1 if failed else 0


def never_closed_copy(src, dst):
    """Copies the template `src` to `dst` (its folder made) with a section
    {{#never}} that is never closed, so that rendering it fails."""
    import zipfile
    os.makedirs(os.path.dirname(dst))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p><w:r><w:t>{{#never}}</w:t></w:r></w:p></w:body>", 1)
            zout.writestr(info, data)


def catalogue_path(binary, lang):
    """The compiled catalogue of `lang` beside the binary under test, where
    the binary itself looks for it: BIN_DIR/build/locale or BIN_DIR/locale."""
    d = os.path.dirname(os.path.abspath(binary))
    for sub in ("build/locale", "locale"):
        p = os.path.join(d, sub, lang, "LC_MESSAGES", "bansou.mo")
        if os.path.exists(p):
            return p
    raise Fail("no catalogue for %s beside %s" % (lang, binary))


_CONV = re.compile(r"%(?:(\d+)\$)?[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?([diouxXsc%])")


def _read_mo(path):
    """{English: translation} of a compiled catalogue (the GNU .mo format:
    a header, then the tables of lengths and offsets of the originals and of
    the translations). A message with a plural gives both its English forms,
    each translated by the first form (Japanese has one)."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412de else ">"
    n, orig, trans = struct.unpack(end + "3I", data[8:20])
    table = {}
    for i in range(n):
        olen, ooff = struct.unpack(end + "2I", data[orig + 8 * i:orig + 8 * i + 8])
        tlen, toff = struct.unpack(end + "2I", data[trans + 8 * i:trans + 8 * i + 8])
        english = data[ooff:ooff + olen].decode("utf-8").split("\x04")[-1]
        translated = data[toff:toff + tlen].decode("utf-8").split("\x00")[0]
        for form in english.split("\x00"):
            if form and translated:
                table[form] = translated
    return table


class Catalogue:
    """What an English message of bansou reads in another language, derived
    from the compiled catalogue (read with Python's own gettext, not with the
    binary): an assertion written in English is checked in both languages.

    A line is matched against every message of the catalogue (conversions
    standing for any text or number); the message with the most fixed text
    wins, and its translation is filled with the same arguments (in their
    positional order, `%2$s`), each argument translated in turn when it is a
    message itself or a line one makes (a word or a count inside a sentence
    must not stay English). A line that is "PREFIX: REST" with no message of
    its own is translated part by part, as bansou's errors are built
    (`visit plan: --date is required`).
    A line that matches no message is data and stays as it is."""

    def __init__(self, mo_path):
        self.table = _read_mo(mo_path)
        self.patterns = []
        for msgid, msgstr in self.table.items():
            # A format with no words of its own ("%s (%s)", a join in its
            # msgctxt) would match any line: it is not a message to find.
            if "%" not in msgid or not re.search(r"[A-Za-z]", _CONV.sub("", msgid)):
                continue
            parts, convs, pos = [], [], 0
            for m in _CONV.finditer(msgid):
                parts.append(re.escape(msgid[pos:m.start()]))
                if m.group(2) == "%":
                    parts.append("%")
                else:
                    # a string may be empty: "--date: '' is not a date"
                    parts.append(r"(-?\d+)" if m.group(2) in "diouxX" else "(.*?)")
                    convs.append(m.group(2))
                pos = m.end()
            parts.append(re.escape(msgid[pos:]))
            fixed = len(_CONV.sub("", msgid))
            self.patterns.append((fixed, re.compile("".join(parts), re.S), msgstr))
        self.patterns.sort(key=lambda p: -p[0])

    def _fill(self, msgstr, args):
        out, pos, n = [], 0, 0
        for m in _CONV.finditer(msgstr):
            out.append(msgstr[pos:m.start()])
            if m.group(2) == "%":
                out.append("%")
            else:
                i = int(m.group(1)) - 1 if m.group(1) else n
                n += 1
                out.append(args[i])
            pos = m.end()
        out.append(msgstr[pos:])
        return "".join(out)

    def _arg(self, a, depth):
        """An argument of a message as it reads translated: a message itself
        (a word, or a sentence made by another message: "3 problems"), else
        data as it is."""
        if a in self.table:
            return self.table[a]
        t = self.line(a, depth + 1) if a else None
        return t if t is not None else a

    def line(self, text, depth=0):
        """The translation of one line, or None when no message matches."""
        if text in self.table:
            return self.table[text]
        if depth > 3:
            return None
        for _fixed, pat, msgstr in self.patterns:
            m = pat.fullmatch(text)
            if m:
                return self._fill(msgstr, [self._arg(a, depth) for a in m.groups()])
        for i in [m.start() for m in re.finditer(": ", text)]:
            rest = self.line(text[i + 2:], depth + 1)
            if rest is not None:
                head = self.line(text[:i], depth + 1)
                return "%s: %s" % (head if head is not None else text[:i], rest)
        return None

    def text(self, text):
        """Every line of `text` translated (data lines as they are)."""
        out = []
        for line in text.split("\n"):
            head = "bansou: " if line.startswith("bansou: ") else ""
            body = line[len(head):]
            t = self.line(body)
            out.append(head + (t if t is not None else body))
        return "\n".join(out)

    def word(self, w):
        return self.table.get(w, w)
