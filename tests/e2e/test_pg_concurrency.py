#!/usr/bin/python3
"""End-to-end: many experts at once on one PostgreSQL database, and the
server failing under them. Eight experts, each under their own login and
workspace, run 100 commands each at the same time (company add, engage,
visit plan, import, visit hold, visit report, in that cycle); nothing is
lost, nothing deadlocks, and what the tables hold agrees with the event log
row for row. Then the server is restarted in the middle of such a run: the
commands cut off fail with a clear message and leave no half-written
engagement. Last, a connection dropped in the middle of an import (the
server's side of it terminated while the rows are being written) stores
nothing.

    /usr/bin/python3 tests/e2e/test_pg_concurrency.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PgCluster, check, check_eq, run_suite  # noqa: E402
from test_hostile import fill_self_diagnosis  # noqa: E402

DB = "prog"
EXPERTS = 8
OPS = 100
CYCLE = ("company", "engage", "plan", "import", "hold", "report")
# What a command cut off by the server going away may say, and nothing else.
CUT_OFF = re.compile(r"^bansou: .*(the connection to the server was lost|cannot connect|"
                     r"terminating connection|server closed the connection|"
                     r"the database system is (shutting down|starting up))")


class Programme:
    """A throwaway server with database `prog`, experts e1 … e8 with logins
    of the same names and a workspace each, and a filled self-diagnosis
    that any policy engagement can import."""

    def __init__(self, e):
        self.e = e
        self.cluster = PgCluster(e.root)
        e.env.update(self.cluster.env)
        self.server = self.cluster.database(DB)
        self.owner = os.path.join(e.tmp, "owner")
        e.run("init", self.owner, "--db", self.server)
        self.env = {}
        for i in range(1, EXPERTS + 1):
            login = "e%d" % i
            e.run("-C", self.owner, "expert", "add", "専門家%d" % i, "--themes", "policy")
            _, out, _ = e.run("-C", self.owner, "user", "add", login, "--role", "expert",
                              "--expert", str(i), "--json")
            pw = os.path.join(e.tmp, "pgpass-" + login)
            with open(pw, "w") as f:
                f.write("*:*:*:%s:%s\n" % (login, json.loads(out)["password"]))
            os.chmod(pw, 0o600)
            self.env[login] = dict(e.env, PGPASSFILE=pw)
            subprocess.run([e.bin, "init", self.ws(login), "--db",
                            "%s user=%s" % (self.server, login), "--join"],
                           env=self.env[login], check=True, capture_output=True, timeout=60)
        # The blank self-diagnosis comes from an engagement of the owner's.
        e.run("-C", self.owner, "company", "add", "見本社", "--industry", "製造業")
        e.run("-C", self.owner, "engage", "見本社", "policy", "--expert", "1")
        blank = os.path.join(e.tmp, "blank.xlsx")
        e.run("-C", self.owner, "worksheet", "1", "self-diagnosis", "--blank", "-o", blank)
        self.filled = os.path.join(e.tmp, "filled.xlsx")
        fill_self_diagnosis(blank, self.filled)

    def ws(self, login):
        return os.path.join(self.e.tmp, "ws-" + login)

    def sql(self, query):
        return self.cluster.psql(query, DB)

    def bansou(self, login, *args):
        """(exit status, stdout, stderr) of bansou ARGS as `login`."""
        p = subprocess.run([self.e.bin, "-C", self.ws(login)] + list(args),
                           env=self.env[login], capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr


class Worker(threading.Thread):
    """One expert running `ops` commands of the cycle, one after another, on
    companies named TAG-i-k. A failed command ends its cycle: the next one
    begins with a new company. Every command is kept with its outcome."""

    def __init__(self, k, login, n, ops, tag):
        super().__init__()
        self.k, self.login, self.n, self.ops, self.tag = k, login, n, ops, tag
        self.done = []     # (step, company, eng, rc, stderr, time it started)
        self.engs = {}     # engagement id → company name

    def args(self, step, name, eng):
        return {
            "company": ["company", "add", name, "--industry", "製造業", "--employees", "30"],
            "engage": ["engage", name, "policy", "--expert", str(self.n)],
            "plan": ["visit", "plan", str(eng), "1", "--date", "2025-06-01"],
            "import": ["import", str(eng), self.k.filled],
            "hold": ["visit", "hold", str(eng), "1", "--date", "2025-06-01",
                     "--findings", "所見 %s" % name],
            "report": ["visit", "report", str(eng), "1", "--date", "2025-06-02"],
        }[step]

    def wait_for_the_server(self):
        """As a person would after a command was cut off: try again once
        the server answers (a read, every 0.2 s, for a minute at most)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.k.bansou(self.login, "status")[0] != 0:
            time.sleep(0.2)

    def run(self):
        cycle = 0
        while len(self.done) < self.ops:
            cycle += 1
            name, eng = "%s-%d-%d" % (self.tag, self.n, cycle), None
            for step in CYCLE:
                if len(self.done) >= self.ops:
                    break
                t = time.monotonic()
                rc, out, err = self.k.bansou(self.login, *self.args(step, name, eng))
                self.done.append((step, name, eng, rc, err, t))
                if step == "engage" and rc == 0:
                    eng = int(re.search(r"engagement (\d+) started", out).group(1))
                    self.engs[eng] = name
                if rc != 0:
                    self.wait_for_the_server()
                    break


def run_workers(k, tag, ops, during=None):
    """Starts the eight experts' workers; `during` (if any) runs meanwhile.
    Returns the workers once all have ended."""
    ws = [Worker(k, "e%d" % i, i, ops, tag) for i in range(1, EXPERTS + 1)]
    for w in ws:
        w.start()
    if during:
        during()
    for w in ws:
        w.join(timeout=900)
        check(not w.is_alive(), "worker %s finished" % w.login)
    return ws


def consistent(k, workers):
    """Every engagement the workers started agrees with the event log: its
    three visits exist; visit 1 is planned, held or reported exactly as the
    events say; its records are there exactly when an import event is; its
    report is kept exactly when the report event is. Every company added is
    there once, with its company.add event by its expert's login."""
    rows = k.sql("select e.id, e.expert_id, c.name, v.state,"
                 " (select count(*) from visit x where x.engagement_id = e.id),"
                 " (select count(*) from record r where r.engagement_id = e.id),"
                 " (select count(*) from document d where d.engagement_id = e.id"
                 "   and d.doc = 'visit-report' and d.sha256 in"
                 "   (select sha256 from document_content)),"
                 " (select string_agg(kind, ',' order by id) from event v2"
                 "   where v2.engagement_id = e.id)"
                 " from engagement e join company c on c.id = e.company_id"
                 " join visit v on v.engagement_id = e.id and v.n = 1"
                 " where c.name like '%-%-%' order by e.id")
    seen = {}
    for line in rows.splitlines():
        eng, expert, name, state, visits, records, kept, kinds = line.split("|")
        kinds = kinds.split(",")
        seen[int(eng)] = name
        check_eq(visits, "3", "engagement %s has its three visits" % eng)
        check_eq(kinds[0], "engagement.start", "engagement %s begins in the log" % eng)
        want = ("reported" if "visit.report" in kinds else "held" if "visit.hold" in kinds
                else "planned" if "visit.plan" in kinds else "pending")
        check_eq(state, want, "visit 1 of engagement %s against its events %s" % (eng, kinds))
        check_eq(int(records) > 0, "worksheet.import" in kinds,
                 "records of %s against %s" % (eng, kinds))
        check_eq(kept, "1" if "visit.report" in kinds else "0", "report of %s kept" % eng)
    started = {}
    for w in workers:
        started.update(w.engs)
    tag = workers[0].tag
    mine = {e: n for e, n in seen.items() if n.split("-")[0] == tag}
    # An engage cut off after its commit reached the server may have
    # started its engagement: only such ones may be there unannounced.
    unsure = {d[1] for w in workers for d in w.done if d[0] == "engage" and d[3] != 0}
    check_eq({e: n for e, n in mine.items() if e in started}, started,
             "every engagement started is in the database")
    extra = {n for e, n in mine.items() if e not in started}
    check(extra <= unsure, "engagements nobody started: %s" % sorted(extra - unsure))
    added = k.sql("select c.name || '|' || c.added_by || '|' ||"
                  " (select count(*) from event v where v.kind = 'company.add'"
                  "  and v.company_id = c.id and v.actor = c.added_by)"
                  " from company c where c.name like '%s-%%'" % tag).splitlines()
    names = set()
    for line in added:
        name, by, events = line.split("|")
        names.add(name)
        check_eq((by, events), ("e" + name.split("-")[1], "1"), "company %s and its event" % name)
    ok_adds = {d[1] for w in workers for d in w.done if d[0] == "company" and d[3] == 0}
    cut_adds = {d[1] for w in workers for d in w.done if d[0] == "company" and d[3] != 0}
    check(ok_adds <= names, "companies added but missing: %s" % sorted(ok_adds - names))
    check(names - ok_adds <= cut_adds, "companies nobody added: %s"
          % sorted(names - ok_adds - cut_adds))


def test_eight_experts_at_once_lose_nothing(e, k):
    t0 = time.monotonic()
    workers = run_workers(k, "A", OPS)
    took = time.monotonic() - t0
    failed = [(w.login,) + d for w in workers for d in w.done if d[3] != 0]
    check_eq(failed, [], "every command succeeded")
    check_eq(sum(len(w.done) for w in workers), EXPERTS * OPS, "commands run")
    consistent(k, workers)
    for w in workers:
        counts = {s: sum(1 for d in w.done if d[0] == s) for s in CYCLE}
        n = k.sql("select count(*) from event where actor = '%s' and kind = 'visit.report'"
                  % w.login)
        check_eq(int(n), counts["report"], "%s's reports in the log" % w.login)
        st = json.loads(k.bansou(w.login, "status", "--json")[1])
        mine = sorted(r["id"] for r in st if r["company_name"].startswith("A-"))
        check_eq(mine, sorted(w.engs), "%s's status shows exactly their engagements" % w.login)
    print("# %d commands by %d experts in %.1f s" % (EXPERTS * OPS, EXPERTS, took))


def test_a_server_restart_mid_run_leaves_nothing_half_written(e, k):
    up = []

    def restart():
        # Well inside the run: once a few engagements exist.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and \
                int(k.sql("select count(*) from company where name like 'B-%'")) < 12:
            time.sleep(0.05)
        k.cluster.ctl("stop")
        time.sleep(1)
        k.cluster.ctl("start")
        up.append(time.monotonic())
    workers = run_workers(k, "B", 36, during=restart)
    failed = [d for w in workers for d in w.done if d[3] != 0]
    check(failed, "the restart cut some commands off")
    for d in failed:
        check(CUT_OFF.match(d[4]), "a clear message for %s %s: %r" % (d[0], d[1], d[4]))
    kinds = {}
    for d in failed:
        m = CUT_OFF.match(d[4])
        kinds.setdefault(m.group(1) if m else d[4], "%s: %s" % (d[0], d[4].strip()))
    print("# the restart cut %d of %d commands off, e.g.:" % (len(failed), EXPERTS * 36))
    for example in sorted(kinds.values()):
        print("#   %s" % example)
    for w in workers:
        check(any(d[3] == 0 and d[5] > up[0] for d in w.done),
              "%s works again once the server is back" % w.login)
    consistent(k, workers)


def test_a_dropped_connection_during_import_stores_nothing(e, k):
    rc, out, _ = k.bansou("e1", "company", "add", "C-1-1", "--industry", "製造業")
    rc, out, _ = k.bansou("e1", "engage", "C-1-1", "policy", "--expert", "1")
    eng = int(re.search(r"engagement (\d+) started", out).group(1))
    before = k.sql("select (select count(*) from record), (select count(*) from event),"
                   " (select count(*) from document)")
    # The rows of an import wait two seconds on the server, so that its
    # connection can be cut while they are being written.
    k.sql("create function slow_rows() returns trigger language plpgsql as"
          " $$begin perform pg_sleep(2); return null; end$$;"
          " create trigger slow_rows before insert on record"
          " for each statement execute function slow_rows()")
    p = subprocess.Popen([e.bin, "-C", k.ws("e1"), "import", str(eng), k.filled],
                         env=k.env["e1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    pid = ""
    deadline = time.monotonic() + 60
    while not pid and time.monotonic() < deadline:
        pid = k.sql("select pid from pg_stat_activity where usename = 'e1'"
                    " and wait_event = 'PgSleep'")
        time.sleep(0.02)
    check(pid, "the import reached the slow rows")
    k.sql("select pg_terminate_backend(%s)" % pid)
    out, err = p.communicate(timeout=60)
    check_eq(p.returncode, 1, "the import fails")
    check(CUT_OFF.match(err), "with a clear message: %r" % err)
    k.sql("drop trigger slow_rows on record; drop function slow_rows()")
    after = k.sql("select (select count(*) from record), (select count(*) from event),"
                  " (select count(*) from document)")
    check_eq(after, before, "nothing stored: records, events, documents")
    rc, out, err = k.bansou("e1", "import", str(eng), k.filled)
    check_eq((rc, err), (0, ""), "the same import again, on a connection that holds")
    check(int(k.sql("select count(*) from record where engagement_id = %d" % eng)) > 0,
          "then its rows are there")


TESTS = [test_eight_experts_at_once_lose_nothing,
         test_a_server_restart_mid_run_leaves_nothing_half_written,
         test_a_dropped_connection_during_import_stores_nothing]


if __name__ == "__main__":
    sys.exit(run_suite("pg_concurrency", TESTS, Programme))
