#!/usr/bin/python3
"""End-to-end: kill -9 at any moment. `visit prepare`, `generate` and
`import` are killed with SIGKILL at random moments, TRIALS times each, with
umask 000. After every kill the database passes `PRAGMA integrity_check`,
every .docx and .xlsx under out/ is a complete zip, and everything left
behind (the -wal and -shm files included) is owner-only; after the same
command has run again to the end, the workspace holds exactly what a run
that was never killed leaves: no temporary file survives.

The moments are drawn from a seeded generator: the seed is printed with a
failure and BANSOU_KILL_SEED replays it."""
import datetime
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Fail, check, check_eq, run_suite  # noqa: E402
from test_hostile import CO, EXPERT, fill_self_diagnosis  # noqa: E402

TRIALS = 30
SEED = int(os.environ.get("BANSOU_KILL_SEED") or time.time_ns() % 1000000)
DB_FILES = ("bansou.db", "bansou.db-wal", "bansou.db-shm")


class Base:
    """A workspace with company 1 engaged on policy, visit 1 planned, and a
    filled-in self-diagnosis to import."""

    def __init__(self, cli):
        self.e = cli
        self.ws = os.path.join(cli.tmp, "ws")
        self.run("init", self.ws)
        self.run("-C", self.ws, "company", "add", CO, "--industry", "製造業", "--employees", "40")
        self.run("-C", self.ws, "expert", "add", EXPERT, "--themes", "policy")
        self.run("-C", self.ws, "engage", CO, "policy", "--expert", "1")
        day = (datetime.date.today() + datetime.timedelta(7)).isoformat()
        self.run("-C", self.ws, "visit", "plan", "1", "1", "--date", day)
        blank = os.path.join(cli.tmp, "blank.xlsx")
        self.run("-C", self.ws, "worksheet", "1", "self-diagnosis", "--blank", "-o", blank)
        self.filled = os.path.join(cli.tmp, "filled.xlsx")
        fill_self_diagnosis(blank, self.filled)

    def cmd(self, *args):
        return [self.e.bin, "-C", self.ws] + list(args) if args[0] != "init" else \
            [self.e.bin] + list(args)

    def start(self, args):
        return subprocess.Popen(self.cmd(*args), env=self.e.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, preexec_fn=lambda: os.umask(0),
                                start_new_session=True)

    def run(self, *args):
        """Runs a command to its end (umask 000); returns its wall time."""
        t = time.monotonic()
        p = self.start(args)
        _, err = p.communicate(timeout=120)
        if p.returncode != 0:
            raise Fail("%s: exit %d: %s" % (" ".join(args), p.returncode, err.decode().strip()))
        return time.monotonic() - t


def listing(ws):
    """{path relative to ws: mode} of every file and folder under ws."""
    out = {}
    for d, dirs, files in os.walk(ws):
        for n in dirs + files:
            p = os.path.join(d, n)
            out[os.path.relpath(p, ws)] = os.lstat(p).st_mode
    return out


def wrong_modes(ws):
    """What under ws (ws itself included) is not owner-only: 0700 folders,
    0600 regular files, nothing else."""
    bad = []
    for rel, mode in dict(listing(ws), **{".": os.lstat(ws).st_mode}).items():
        want = 0o40700 if rel == "." or (mode & 0o170000) == 0o40000 else 0o100600
        if mode != want:
            bad.append("%s %o" % (rel, mode))
    return sorted(bad)


def broken_zips(ws):
    bad = []
    for d, _, files in os.walk(os.path.join(ws, "out")):
        for n in files:
            if n.endswith((".docx", ".xlsx")):
                p = os.path.join(d, n)
                try:
                    with zipfile.ZipFile(p) as z:
                        if z.testzip() is not None:
                            bad.append(os.path.relpath(p, ws))
                except zipfile.BadZipFile:
                    bad.append(os.path.relpath(p, ws))
    return bad


def integrity(ws):
    con = sqlite3.connect(os.path.join(ws, "bansou.db"))
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def kill_trials(base, args):
    """Runs `args` to its end for its time and what it leaves, then
    TRIALS times killed at a random moment within that time, each kill
    checked and followed by a run to the end."""
    rng = random.Random("%d %s" % (SEED, " ".join(args)))
    # The shortest of three runs: a first run on a cold cache, or one slowed
    # by another process, would put most kills after the end.
    took = min(base.run(*args) for _ in range(3))
    want = {k for k in listing(base.ws) if k not in DB_FILES}
    hits = 0
    for i in range(TRIALS):
        where = "%s, trial %d (BANSOU_KILL_SEED=%d)" % (" ".join(args), i + 1, SEED)
        p = base.start(args)
        time.sleep(rng.uniform(0, took * 0.9))
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.communicate(timeout=60)
        hits += p.returncode == -signal.SIGKILL
        modes = wrong_modes(base.ws)
        check_eq(broken_zips(base.ws), [], "incomplete .docx/.xlsx files after the kill, " + where)
        check_eq(integrity(base.ws), [("ok",)], "integrity_check after the kill, " + where)
        base.run(*args)
        have = {k for k in listing(base.ws) if k not in DB_FILES}
        check_eq(sorted(have - want), [], "files left after the next run, " + where)
        check_eq(sorted(want - have), [], "files missing after the next run, " + where)
        check_eq(modes, [], "what is not owner-only after the kill (umask 000), " + where)
        check_eq(wrong_modes(base.ws), [], "what is not owner-only after the next run, " + where)
    # Kills that came after the end prove nothing: most must land in a run.
    check(hits >= TRIALS // 2, "%s: only %d of %d kills stopped a running command"
          % (" ".join(args), hits, TRIALS))


def test_kill_visit_prepare(e, base):
    kill_trials(base, ["visit", "prepare", "1", "1"])


def test_kill_import(e, base):
    kill_trials(base, ["import", "1", base.filled])


def test_kill_generate(e, base):
    kill_trials(base, ["generate", "1"])


TESTS = [
    test_kill_visit_prepare,
    test_kill_import,
    test_kill_generate,
]

if __name__ == "__main__":
    sys.exit(run_suite("kill", TESTS, Base))
