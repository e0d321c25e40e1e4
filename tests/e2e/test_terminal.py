#!/usr/bin/python3
"""End-to-end tests of output to a terminal: run on a pseudo-terminal of a
given width, tables, lines and help fit it (East Asian wide characters
counted as two columns) and say what the piped output says; paths are shown
relative to the workspace; --wide and piped output are the lines scripts
have always read.

    /usr/bin/python3 tests/e2e/test_terminal.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import unicodedata

from harness import check, check_eq, check_list, company_folder, run_suite

COMPANIES = ("株式会社みちのく精密機械製作所とその関連会社", "東海オートパーツ株式会社")


def width(line):
    """Columns a terminal gives `line`: two for wide and full-width characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def minute(iso):
    """2026-12-03T09:30:12+09:00 as a terminal is shown it: 2026-12-03 09:30."""
    return iso[:16].replace("T", " ")


def squeeze(s):
    """`s` without its white space: what wrapping may move but never changes."""
    return "".join(s.split())


class Case:
    """A workspace with two engagements on the policy theme, the first with
    visit 1 held and its documents written, so that every table has long
    Japanese names, paths and texts."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        for name in COMPANIES:
            e.run(*self.c, "company", "add", name, "--industry", "製造業", "--employees", "40")
        e.run(*self.c, "expert", "add", "情報 処理安全確保支援士", "--themes", "policy")
        for cid in ("1", "2"):
            e.run(*self.c, "engage", cid, "policy", "--expert", "1")
        e.run(*self.c, "visit", "plan", "1", "1", "--date", "2025-06-01")
        e.run(*self.c, "visit", "hold", "1", "1", "--date", "2025-06-01",
              "--findings", "情報セキュリティ基本方針の案を経営者と読み合わせた")
        e.run(*self.c, "generate", "1")

    def piped(self, *args, lang="C.UTF-8"):
        """stdout of bansou -C WS ARGS into a pipe."""
        env = dict(self.e.env, LANG=lang)
        p = subprocess.run([self.e.bin, *self.c, *args], env=env, capture_output=True, timeout=60)
        check_eq(p.returncode, 0, "exit of %s piped (%s)" % (" ".join(args), p.stderr.decode()))
        return p.stdout.decode()

    def tty(self, *args, cols=80, lang="C.UTF-8", env=None):
        """stdout of bansou -C WS ARGS on a terminal `cols` columns wide."""
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
        full = dict(self.e.env, LANG=lang, **(env or {}))
        p = subprocess.Popen([self.e.bin, *self.c, *args], env=full, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        err = p.stderr.read().decode()
        p.stderr.close()
        check_eq(p.wait(timeout=60), 0, "exit of %s on a terminal (%s)" % (" ".join(args), err))
        return out.decode().replace("\r\n", "\n")


def fits(text, cols, what):
    """Every line of `text` is at most `cols` columns and ends in no space."""
    for line in text.splitlines():
        check(width(line) <= cols, "%s: a line of %d columns at %d:\n%s"
              % (what, width(line), cols, line))
        check(line == line.rstrip(), "%s: a line ends in spaces: %r" % (what, line))


def starts(line):
    """The columns at which the cells of a table line begin (cells are two
    or more spaces apart)."""
    return [width(line[:m.start()]) for m in re.finditer(r"(?:^|(?<=  ))\S", line)]


def cut(line, cols):
    """`line` cut at the columns `cols` into its cells, each stripped."""
    cells, col, cur = [""] * len(cols), 0, 0
    for ch in line:
        while cur + 1 < len(cols) and col >= cols[cur + 1]:
            cur += 1
        cells[cur] += ch
        col += width(ch)
    return [c.strip() for c in cells]


def rows_of(text, header=True):
    """The rows of a table printed to a terminal: the cells of each row, its
    continuation lines (an empty first cell) joined on, white space left
    out. The columns are those of the header line, or of the first line."""
    lines = text.splitlines()
    cols = starts(lines[0])
    rows = []
    for line in lines[1:] if header else lines:
        cells = cut(line, cols)
        if cells[0] == "" and rows:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    return [[squeeze(c) for c in r] for r in rows]


def piped_rows(text, ncol, header=True):
    """The rows of a piped table: each line's cells, white space left out."""
    lines = text.splitlines()
    cols = starts(lines[0])
    check_eq(len(cols), ncol, "columns of the piped line %r" % lines[0])
    return [[squeeze(c) for c in cut(line, cols)] for line in (lines[1:] if header else lines)]


def test_status_fits_80_columns_and_says_the_same(e, k):
    for lang in ("C.UTF-8", "ja_JP.UTF-8"):
        shown = k.tty("status", lang=lang)
        fits(shown, 80, "status (%s)" % lang)
        piped = k.piped("status", lang=lang)
        check(max(width(line) for line in piped.splitlines()) > 80,
              "the piped status is narrower than the terminal: nothing was fitted")
        check_eq(shown.splitlines()[0].split(), piped.splitlines()[0].split(),
                 "header words of status (%s)" % lang)
        check_list(rows_of(shown), piped_rows(piped, 8), "rows of status (%s)" % lang)


def test_status_fits_a_narrow_terminal(e, k):
    shown = k.tty("status", cols=60, lang="ja_JP.UTF-8")
    fits(shown, 60, "status at 60 columns")
    check_list(rows_of(shown), piped_rows(k.piped("status", lang="ja_JP.UTF-8"), 8),
               "rows of status at 60 columns")


def test_documents_name_their_folder_once(e, k):
    docs = json.loads(k.piped("documents", "1", "--json"))
    check(len(docs) >= 4, "engagement 1 has %d documents" % len(docs))
    folder = "out/%s/policy/" % company_folder(1, COMPANIES[0])
    for lang, label in (("C.UTF-8", "Folder: "), ("ja_JP.UTF-8", "フォルダ：")):
        shown = k.tty("documents", "1", lang=lang)
        fits(shown, 80, "documents (%s)" % lang)
        first, table = shown.split("\n", 1)
        check_eq(first, label + folder,
                 "the folder line (%s)" % lang)
        rows = rows_of(table)
        check_eq(len(rows), len(docs), "rows of documents (%s)" % lang)
        for row, d in zip(rows, docs):
            check_eq(row[1], squeeze(d["title"]), "title of %s" % d["path"])
            check_eq(row[4], "○" if d["stored"] else "", "kept mark of %s" % d["title"])
            check_eq(folder + row[5], d["path"][len(k.ws) + 1:], "file of %s" % d["title"])
            check_eq(row[3], squeeze(minute(d["generated_at"])), "time of %s" % d["title"])


def test_documents_piped_keep_whole_paths_and_times(e, k):
    docs = json.loads(k.piped("documents", "1", "--json"))
    lines = k.piped("documents", "1").splitlines()
    check_eq(len(lines), len(docs) + 1, "lines of the piped documents")
    for line, d in zip(lines[1:], docs):
        check(line.endswith("  " + d["path"]), "piped line %r ends in %s" % (line, d["path"]))
        check(d["generated_at"] in line, "piped line %r has %s" % (line, d["generated_at"]))


def test_wide_is_what_a_pipe_gets(e, k):
    for args in (["status"], ["documents", "1"], ["log", "1"], ["task", "list", "1"],
                 ["engagement", "show", "1"]):
        for lang in ("C.UTF-8", "ja_JP.UTF-8"):
            check_eq(k.tty(*args, "--wide", lang=lang), k.piped(*args, lang=lang),
                     "%s --wide on a terminal (%s)" % (" ".join(args), lang))
    check_eq(k.tty("--wide", "status"), k.piped("status"), "--wide before the command")


def test_task_list_fits_and_keeps_each_text(e, k):
    for lang in ("C.UTF-8", "ja_JP.UTF-8"):
        shown = k.tty("task", "list", "1", lang=lang)
        fits(shown, 80, "task list (%s)" % lang)
        joined = []
        for line in shown.splitlines():
            if line.startswith(" ") and joined:
                joined[-1] += line
            else:
                joined.append(line)
        piped = k.piped("task", "list", "1", lang=lang).splitlines()
        check(max(width(line) for line in piped) > 80, "the piped task list fits already")
        check_list([squeeze(j) for j in joined], [squeeze(p) for p in piped],
                   "task lines (%s)" % lang)


def test_log_fits_and_keeps_each_event(e, k):
    events = json.loads(k.piped("log", "1", "--json"))
    shown = k.tty("log", "1")
    fits(shown, 80, "log")
    rows = rows_of(shown, header=False)
    check_eq(len(rows), len(events), "rows of the log")
    for row, ev in zip(rows, events):
        check_list(row, [squeeze(minute(ev["at"])), squeeze(ev["actor"]), ev["kind"],
                         squeeze(ev["detail"] or "")], "event %s" % ev["kind"])


def test_theme_show_fits(e, k):
    shown = k.tty("theme", "show", "policy", lang="ja_JP.UTF-8")
    fits(shown, 80, "theme show")
    piped = k.piped("theme", "show", "policy", lang="ja_JP.UTF-8")
    check(max(width(line) for line in piped.splitlines()) > 80, "the piped theme show fits")
    check_eq(squeeze(shown), squeeze(piped), "theme show's text")


def test_help_follows_the_terminal(e, k):
    for args in (["--help"], ["visit", "hold", "--help"], ["help", "generate"]):
        piped = k.piped(*args)
        check(max(width(line) for line in piped.splitlines()) > 80, "%s piped fits 80 columns"
              % " ".join(args))
        for cols in (80, 120):
            shown = k.tty(*args, cols=cols)
            fits(shown, cols, "%s at %d columns" % (" ".join(args), cols))
            check_eq(squeeze(shown), squeeze(piped), "%s at %d columns" % (" ".join(args), cols))
        check_eq(k.tty(*args, "--wide"), piped, "%s --wide" % " ".join(args))
    check(max(width(line) for line in k.tty("--help", cols=120).splitlines()) > 80,
          "--help at 120 columns is no wider than at 80")


def test_columns_is_the_fallback_width(e, k):
    # A terminal that does not know its size: $COLUMNS, else 80.
    shown = k.tty("status", cols=0, env={"COLUMNS": "64"})
    fits(shown, 64, "status with COLUMNS=64")
    check(max(width(line) for line in shown.splitlines()) > 56, "status at COLUMNS=64 is narrower")
    fits(k.tty("status", cols=0), 80, "status on a terminal of no size")


def test_errors_and_json_are_not_wrapped(e, k):
    # --json is for programs: the same on a terminal as in a pipe.
    check_eq(k.tty("status", "--json"), k.piped("status", "--json"), "status --json")


if __name__ == "__main__":
    tests = [v for n, v in list(globals().items()) if n.startswith("test_")]
    sys.exit(run_suite("terminal", tests, Case))
