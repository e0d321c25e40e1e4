#!/usr/bin/python3
"""End-to-end: a workspace whose database is on a PostgreSQL server
(`init DIR --db SERVER`, or $BANSOU_DB). The server is a throwaway one made
by scripts/pg-cluster; the workspace keeps only DIR/database (the server
string, owner-only, never a password) and out/; every command then works on
the server as on the file, which psql confirms row by row. A server string
with a password, a broken database file or a server that is not there gets
a clear error and leaves nothing behind.

    /usr/bin/python3 tests/e2e/test_pg_workspace.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import stat
import subprocess
import sys

from harness import PgCluster, check, check_eq, company_folder, run_suite

COMPANY = "株式会社共有精工"


class Server:
    """A throwaway server, database bansou_e2e on it, and a workspace that
    names it."""

    def __init__(self, e):
        self.e = e
        self.cluster = PgCluster(e.root)
        e.env.update(self.cluster.env)
        self.server = self.cluster.database("bansou_e2e")
        self.ws = os.path.join(e.tmp, "ws")
        self.c = ["-C", self.ws]

    def psql(self, query, db="bansou_e2e"):
        return self.cluster.psql(query, db)

    def b(self, *args, check=True):
        return self.e.run(*self.c, *args, check=check)


def test_init_names_the_server_and_nothing_else(e, k):
    rc, out, err = e.run("init", k.ws, "--db", k.server, check=False)
    check_eq((rc, err), (0, ""), "init --db")
    check_eq(out, "created workspace %s (its database on the server, out/)\n" % k.ws, "init says")
    check_eq(sorted(os.listdir(k.ws)), ["database", "out"], "what the workspace holds")
    path = os.path.join(k.ws, "database")
    check_eq(oct(stat.S_IMODE(os.stat(path).st_mode)), oct(0o600), "mode of database")
    with open(path, encoding="utf-8") as f:
        check_eq(f.read(), k.server + "\n", "the server string kept")
    check_eq(k.psql("select count(*) from company"), "0", "the schema is on the server")


def test_the_workflow_writes_on_the_server(e, k):
    k.b("company", "add", COMPANY, "--industry", "製造業", "--employees", "30")
    k.b("expert", "add", "共有 一郎", "--themes", "policy")
    k.b("engage", "1", "policy", "--expert", "1")
    k.b("visit", "plan", "1", "1", "--date", "2025-06-01")
    k.b("visit", "hold", "1", "1", "--date", "2025-06-01", "--findings", "方針を確認した")
    k.b("generate", "1")
    check_eq(k.psql("select name from company"), COMPANY, "the company on the server")
    check_eq(k.psql("select state from visit where engagement_id = 1 and n = 1"), "held",
             "visit 1 on the server")
    kinds = k.psql("select kind from event order by id").split("\n")
    check_eq(kinds[:5], ["company.add", "expert.add", "engagement.start", "visit.plan",
                         "visit.hold"], "the first events on the server")
    docs = json.loads(k.b("documents", "1", "--json")[1])
    check(len(docs) >= 5, "documents recorded: %d" % len(docs))
    check_eq(k.psql("select count(*) from document"), str(len(docs)), "documents on the server")
    for d in docs:
        check(os.path.exists(d["path"]), "the file of %s" % d["title"])
    folder = os.path.join(k.ws, "out", company_folder(1, COMPANY), "policy")
    check(os.path.isdir(folder), "documents go to the workspace's out/")


def test_status_reads_the_server(e, k):
    st = json.loads(k.b("status", "--json")[1])
    check_eq([(r["id"], r["state"]) for r in st], [(1, "active")], "status from the server")


def test_a_second_init_on_the_same_database_is_refused(e, k):
    other = os.path.join(e.tmp, "ws2")
    rc, _, err = e.run("init", other, "--db", k.server, check=False)
    check(rc != 0 and err.startswith("bansou: "), "refused: %r" % err)
    check(not os.path.exists(os.path.join(other, "database")), "no database file written")
    check_eq(k.psql("select count(*) from company"), "1", "the server's data unchanged")


def test_a_password_never_reaches_the_workspace(e, k):
    for server in ("postgresql://bansou_admin:secret@localhost/bansou_e2e",
                   "host=/tmp dbname=x password=secret", "dbname=x  password = 'secret'"):
        d = os.path.join(e.tmp, "pw")
        rc, out, err = e.run("init", d, "--db", server, check=False)
        check_eq((rc, out), (1, ""), "init with %r" % server)
        check_eq(err, "bansou: --db: a password in it: put it in ~/.pgpass, PGPASSFILE or a "
                 "service file\n", "error with %r" % server)
        check(not os.path.exists(d), "nothing made for %r" % server)
    env = dict(e.env)
    e.env["BANSOU_DB"] = "postgresql://u:p@h/db"
    try:
        rc, _, err = e.run("init", os.path.join(e.tmp, "pw2"), check=False)
    finally:
        e.env.clear()
        e.env.update(env)
    check(rc == 1 and "a password in it" in err, "BANSOU_DB with a password: %r" % err)


def test_a_broken_database_file_is_named(e, k):
    bad = os.path.join(e.tmp, "bad")
    os.makedirs(os.path.join(bad, "out"))
    with open(os.path.join(bad, "database"), "w") as f:
        f.write("dbname=x\x01\n")
    rc, _, err = e.run("-C", bad, "status", check=False)
    check_eq(rc, 1, "exit with a broken database file")
    check(err.startswith("bansou: %s/database: not a database server string" % bad), err)


def test_a_server_that_is_gone(e, k):
    gone = os.path.join(e.tmp, "gone")
    os.makedirs(os.path.join(gone, "out"))
    with open(os.path.join(gone, "database"), "w") as f:
        f.write("host=%s dbname=bansou_nosuch\n" % k.e.env["PGHOST"])
    rc, out, err = e.run("-C", gone, "status", check=False)
    check_eq((rc, out), (1, ""), "status against a missing database")
    check(err.startswith("bansou: ") and "bansou_nosuch" in err, "names the database: %r" % err)


def test_the_readmes_administrator_block_runs(e, k):
    """The first ```sh block under "## A shared secretariat server", typed
    with `bash -e` against the suite's server: the three users it adds
    exist, and the printed password lets the expert in, to their own rows."""
    import re
    text = open(os.path.join(e.root, "README.md"), encoding="utf-8").read()
    at = text.find("\n## A shared secretariat server\n")
    check(at >= 0, "README.md has no heading '## A shared secretariat server'")
    block = re.compile(r"^```sh\n(.*?)^```$", re.S | re.M).search(text, at).group(1)
    tree = os.path.join(e.tmp, "readme")
    os.makedirs(tree)
    os.symlink(os.path.abspath(e.bin), os.path.join(tree, "bansou"))
    with open(os.path.join(e.tmp, "admin.sh"), "w", encoding="utf-8") as f:
        f.write(block)
    p = subprocess.run(["bash", "-e", os.path.join(e.tmp, "admin.sh")], cwd=tree, env=e.env,
                       capture_output=True, text=True, timeout=300)
    check_eq((p.returncode, p.stderr), (0, ""), "the block runs")
    users = re.findall(r"^user (\w+) \((\w+)\) added; its password, shown only now: (\w+)$",
                       p.stdout, re.M)
    check_eq([(u, r) for u, r, _ in users], [("shimizu", "expert"), ("takahashi", "expert"),
                                             ("jimukyoku", "secretariat")], "users added")
    pw = os.path.join(e.tmp, "pgpass-shimizu")
    with open(pw, "w") as f:
        f.write("*:*:programme:shimizu:%s\n" % users[0][2])
    os.chmod(pw, 0o600)
    check_eq(k.cluster.psql("select string_agg(name, ',' order by id) from expert", "programme",
                            "shimizu", pw), "清水 健,高橋 由美", "shimizu sees the pool")
    check_eq(k.cluster.psql("select count(*) from bansou_user", "programme", "shimizu", pw,
                            ok=False)[0], 1, "but not the users")


TESTS = [test_init_names_the_server_and_nothing_else, test_the_workflow_writes_on_the_server,
         test_status_reads_the_server, test_a_second_init_on_the_same_database_is_refused,
         test_a_password_never_reaches_the_workspace, test_a_broken_database_file_is_named,
         test_a_server_that_is_gone, test_the_readmes_administrator_block_runs]


if __name__ == "__main__":
    sys.exit(run_suite("pg_workspace", TESTS, Server))
