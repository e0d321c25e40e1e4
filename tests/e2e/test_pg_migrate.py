#!/usr/bin/python3
"""End-to-end: `migrate-to SERVER` moves a workspace that began on its own
SQLite file onto a PostgreSQL database. Every row of every table arrives
with its ids (read back with psql and compared with the file, read with
Python's sqlite3), events and hashes included; the server's counters go on
after the copied ids; the workspace then names the server and keeps the
file aside. A conflict with what the server holds, or bytes that are not
those their hash names, copy nothing and leave the workspace as it was.

    /usr/bin/python3 tests/e2e/test_pg_migrate.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PgCluster, check, check_eq, run_suite  # noqa: E402
from test_hostile import fill_self_diagnosis  # noqa: E402

TABLES = {
    "company": "id, name, industry, kind, employees, capital, prefecture, notes, created_at",
    "expert": "id, name, created_at, phone, email",
    "expert_tag": "expert_id, kind, pos, value",
    "engagement": "id, company_id, expert_id, theme, state, reason, variant, ended_on, findings",
    "visit": "engagement_id, n, state, planned_date, held_date, reported_at, findings, online",
    "task": "engagement_id, theme, visit, item",
    "record": "engagement_id, sheet, seq, data",
    "document": "engagement_id, path, doc, visit, sha256, kind",
    "document_content": "sha256, size",
    "event": "id, at, actor, company_id, engagement_id, kind, detail",
}


class Moving:
    """A throwaway server and a file workspace with two companies, one
    engagement through two visits (a worksheet imported, a report kept, a
    task ticked) and one ended early."""

    def __init__(self, e):
        self.e = e
        self.cluster = PgCluster(e.root)
        e.env.update(self.cluster.env)
        self.host = e.env["PGHOST"]
        self.ws = os.path.join(e.tmp, "alone")
        self.file_ws(self.ws)

    def file_ws(self, ws):
        e, c = self.e, ["-C", ws]
        e.run("init", ws)
        e.run(*c, "expert", "add", "独立 一郎", "--themes", "policy", "--regions", "大阪",
              "--phone", "06-0000-0000")
        e.run(*c, "company", "add", "単独精工", "--industry", "製造業", "--employees", "25",
              "--notes", "移行の試験")
        e.run(*c, "company", "add", "途中商店", "--industry", "小売業", "--employees", "5")
        e.run(*c, "engage", "1", "policy", "--expert", "1")
        e.run(*c, "engage", "2", "policy", "--expert", "1")
        e.run(*c, "visit", "plan", "1", "1", "--date", "2025-06-01")
        blank = os.path.join(e.tmp, "blank.xlsx")
        e.run(*c, "worksheet", "1", "self-diagnosis", "--blank", "-o", blank)
        filled = os.path.join(e.tmp, "filled.xlsx")
        fill_self_diagnosis(blank, filled)
        e.run(*c, "import", "1", filled)
        e.run(*c, "task", "done", "1", "1", "s1.prep.materials", "s1.prep.selfdiag")
        e.run(*c, "visit", "hold", "1", "1", "--date", "2025-06-01", "--findings", "第1回の所見")
        e.run(*c, "visit", "report", "1", "1", "--date", "2025-06-02")
        e.run(*c, "visit", "plan", "1", "2", "--date", "2025-07-01")
        e.run(*c, "engagement", "terminate", "2", "--reason", "社内の都合", "--date", "2025-06-15")

    def psql(self, q, db):
        return self.cluster.psql(q, db)

    def server(self, db):
        return self.cluster.database(db)


def file_rows(ws, table):
    con = sqlite3.connect(os.path.join(ws, "bansou.db"))
    try:
        rows = con.execute("select %s from %s order by 1, 2" % (TABLES[table], table)).fetchall()
    finally:
        con.close()
    return ["|".join("" if v is None else str(v) for v in r) for r in rows]


def server_rows(k, db, table):
    out = k.psql("select %s from %s order by 1, 2" % (TABLES[table], table), db)
    return out.split("\n") if out else []


def test_every_row_arrives_with_its_ids(e, k):
    before = {t: file_rows(k.ws, t) for t in TABLES}
    check(all(before[t] for t in TABLES), "every table has rows: %s"
          % [t for t in TABLES if not before[t]])
    status = json.loads(e.run("-C", k.ws, "status", "--json")[1])
    server = k.server("moved")
    rc, out, err = e.run("-C", k.ws, "migrate-to", server)
    check_eq((rc, err), (0, ""), "migrate-to")
    check_eq(out, "workspace %s moved to the database on the server: 2 companies, 1 experts, 2 "
             "engagements, %d documents, %d events (the file kept as bansou.db.moved)\n"
             % (k.ws, len(before["document"]), len(before["event"])), "what it says")
    for t in TABLES:
        got = server_rows(k, "moved", t)
        # psql prints booleans and json as the server keeps them; the rows
        # compared are text, integers and dates, which read the same.
        check_eq(got, before[t], "table %s on the server" % t)
    check_eq(sorted(os.listdir(k.ws)), ["bansou.db.moved", "database", "out"],
             "the workspace now")
    check_eq(json.loads(e.run("-C", k.ws, "status", "--json")[1]), status,
             "status reads the same from the server")
    _, out, _ = e.run("-C", k.ws, "company", "add", "三社目", "--industry", "製造業")
    check_eq(out, "company 3: 三社目\n", "new ids go on after the copied ones")
    e.run("-C", k.ws, "engage", "3", "policy", "--expert", "1")
    check_eq(k.psql("select max(id) from engagement", "moved"), "3", "engagement 3 next")
    into = os.path.join(e.tmp, "fetched")
    _, out, _ = e.run("-C", k.ws, "documents", "1", "--fetch", into)
    check(out.strip().endswith("第1回_実施報告書.docx"), "the kept report fetched: %r" % out)


def test_a_conflict_copies_nothing(e, k):
    other = os.path.join(e.tmp, "second")
    k.file_ws(other)
    before = {t: server_rows(k, "moved", t) for t in TABLES}
    rc, out, err = e.run("-C", other, "migrate-to", "host=%s dbname=moved" % k.host, check=False)
    check_eq((rc, out), (1, ""), "a second workspace with the same ids")
    check(err.startswith("bansou: host=%s dbname=moved: the database holds already expert 1, "
                         "expert '独立 一郎', company 1, company 2, company '単独精工'" % k.host),
          err)
    check(err.rstrip().endswith("more"), "the rest counted: %r" % err)
    check_eq({t: server_rows(k, "moved", t) for t in TABLES}, before, "the server unchanged")
    check_eq(sorted(os.listdir(other)), ["bansou.db", "out"], "the workspace unchanged")
    e.run("-C", other, "status")


def test_bytes_not_of_their_hash_copy_nothing(e, k):
    other = os.path.join(e.tmp, "forged")
    k.file_ws(other)
    con = sqlite3.connect(os.path.join(other, "bansou.db"))
    con.execute("update document_content set bytes = x'00', size = 1")
    con.commit()
    con.close()
    server = k.server("forged")
    rc, out, err = e.run("-C", other, "migrate-to", server, check=False)
    check_eq((rc, out), (1, ""), "forged bytes")
    check(err.startswith("bansou: %s: document_content, row 1: " % server) and
          "document_content_check" in err, err)
    check_eq(k.psql("select count(*) from company", "forged"), "0", "nothing copied")
    check_eq(sorted(os.listdir(other)), ["bansou.db", "out"], "the workspace unchanged")


def test_a_damaged_file_copies_nothing(e, k):
    """Rows that the file holds but the server's types refuse name their
    table and row; nothing is copied, the workspace stays on its file."""
    cases = [
        ("update company set employees = 'abc' where id = 1",
         "company, row 1: database: invalid input syntax for type bigint: \"abc\""),
        ("update company set name = 'a' || char(0) || 'b' where id = 2",
         "company, row 2: database: a text with a NUL byte in it"),
        ("insert into record values (2, 'x', 1, '{broken', 'x')",
         "record, row 26: database: invalid input syntax for type json"),  # after the 25 answers
    ]
    for i, (change, want) in enumerate(cases):
        ws = os.path.join(e.tmp, "damaged%d" % i)
        k.file_ws(ws)
        con = sqlite3.connect(os.path.join(ws, "bansou.db"))
        con.execute("pragma ignore_check_constraints = 1")
        con.execute(change)
        con.commit()
        con.close()
        server = k.server("damaged%d" % i)
        rc, out, err = e.run("-C", ws, "migrate-to", server, check=False)
        check_eq((rc, out), (1, ""), change)
        check(err.startswith("bansou: %s: %s" % (server, want)), "%s: %r" % (change, err))
        for t in ("company", "expert", "event"):
            check_eq(k.psql("select count(*) from %s" % t, "damaged%d" % i), "0", "%s copied" % t)
        check_eq(sorted(os.listdir(ws)), ["bansou.db", "out"], "the workspace unchanged")


def test_refusals_before_any_copy(e, k):
    rc, _, err = e.run("-C", k.ws, "migrate-to", "host=%s dbname=x" % k.host, check=False)
    check_eq(rc, 1, "a workspace on a server already")
    check(err.startswith("bansou: %s: the workspace is on a database server already" % k.ws),
          err)
    rc, _, err = e.run("-C", os.path.join(e.tmp, "second"), "migrate-to",
                       "postgresql://u:secret@h/db", check=False)
    check_eq((rc, err), (1, "bansou: SERVER: a password in it: put it in ~/.pgpass, PGPASSFILE "
                            "or a service file\n"), "a password in SERVER")
    rc, _, err = e.run("-C", os.path.join(e.tmp, "second"), "migrate-to",
                       "host=%s dbname=nosuch" % k.host, check=False)
    check(rc == 1 and "nosuch" in err and "cannot connect" in err, err)


TESTS = [test_every_row_arrives_with_its_ids, test_a_conflict_copies_nothing,
         test_bytes_not_of_their_hash_copy_nothing, test_a_damaged_file_copies_nothing,
         test_refusals_before_any_copy]


if __name__ == "__main__":
    sys.exit(run_suite("pg_migrate", TESTS, Moving))
