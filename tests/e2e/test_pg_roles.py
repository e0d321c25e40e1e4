#!/usr/bin/python3
"""End-to-end: users and roles on a shared PostgreSQL database. The owner
(who ran init) adds a secretariat user and two experts with `bansou user
add`; each joins with `init --db … --join` and a password in their own
PGPASSFILE. What an expert may see and change is then proved twice: through
bansou, and with raw SQL in psql under the expert's own login, which the
server's row-level security must hold as firmly. Refusals leave the
database as it was.

    /usr/bin/python3 tests/e2e/test_pg_roles.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import hashlib
import json
import os
import sys

from harness import PgCluster, check, check_eq, run_suite

DB = "prog"


class Programme:
    """A throwaway server with database `prog`: experts 清水 (1) and 高橋 (2),
    A社 engaged with 清水 (engagement 1) and B社 with 高橋 (engagement 2, its
    visit 1 held and its documents generated), written by the owner; then
    users shimizu, takahashi (experts) and office (secretariat), each with
    a password file and a workspace of their own."""

    def __init__(self, e):
        self.e = e
        self.cluster = PgCluster(e.root)
        e.env.update(self.cluster.env)
        self.server = self.cluster.database(DB)
        self.ws = {"owner": os.path.join(e.tmp, "owner")}
        e.run("init", self.ws["owner"], "--db", self.server)
        o = ["-C", self.ws["owner"]]
        e.run(*o, "expert", "add", "清水", "--themes", "policy")
        e.run(*o, "expert", "add", "高橋", "--themes", "policy")
        e.run(*o, "company", "add", "A社", "--industry", "製造業", "--employees", "20")
        e.run(*o, "company", "add", "B社", "--industry", "製造業", "--employees", "40")
        e.run(*o, "engage", "A社", "policy", "--expert", "1")
        e.run(*o, "engage", "B社", "policy", "--expert", "2")
        e.run(*o, "visit", "plan", "2", "1", "--date", "2025-06-02")
        e.run(*o, "visit", "hold", "2", "1", "--date", "2025-06-02", "--findings", "B社の所見")
        e.run(*o, "generate", "2")
        self.passfile = {}
        self.password = {}
        for login, args in (("shimizu", ["--role", "expert", "--expert", "1"]),
                            ("takahashi", ["--role", "expert", "--expert", "高橋"]),
                            ("office", ["--role", "secretariat"])):
            _, out, _ = e.run(*o, "user", "add", login, *args, "--json")
            self.password[login] = json.loads(out)["password"]
            self.passfile[login] = os.path.join(e.tmp, "pgpass-" + login)
            with open(self.passfile[login], "w") as f:
                f.write("*:*:*:%s:%s\n" % (login, self.password[login]))
            os.chmod(self.passfile[login], 0o600)
            self.ws[login] = os.path.join(e.tmp, login)
            self.as_user(login, "init", self.ws[login], "--db",
                         "%s user=%s" % (self.server, login), "--join")

    def as_user(self, login, *args, check=True):
        """bansou ARGS as `login` (in its workspace unless ARGS is init)."""
        env = dict(self.e.env)
        self.e.env["PGPASSFILE"] = self.passfile[login]
        try:
            c = [] if args[0] == "init" else ["-C", self.ws[login]]
            return self.e.run(*c, *args, check=check)
        finally:
            self.e.env.clear()
            self.e.env.update(env)

    def b(self, *args, check=True):
        """bansou ARGS as the owner."""
        return self.e.run("-C", self.ws["owner"], *args, check=check)

    def sql(self, query, login=None, ok=True):
        """psql on `prog` as the owner or as `login`."""
        return self.cluster.psql(query, DB, login, self.passfile.get(login), ok)

    def counts(self):
        """Rows per table, as the owner sees them: what a refusal must leave."""
        tables = ("company", "expert", "expert_tag", "engagement", "visit", "task", "record",
                  "document", "document_content", "event", "bansou_user", "expert_skill")
        return {t: self.sql("select count(*) from %s" % t) for t in tables}


def test_user_add_gives_each_a_login_once(e, k):
    users = json.loads(k.b("user", "list", "--json")[1])
    check_eq([(u["login"], u["role"], u["expert_id"], u["expert_name"]) for u in users],
             [("office", "secretariat", None, None), ("shimizu", "expert", 1, "清水"),
              ("takahashi", "expert", 2, "高橋")], "the users")
    for login, pw in k.password.items():
        check(len(pw) == 20 and pw.isalnum(), "a random password for %s: %r" % (login, pw))
    check_eq(len(set(k.password.values())), 3, "three different passwords")
    check_eq(k.sql("select count(*) from pg_authid where rolname = 'shimizu' and"
                   " rolpassword like 'SCRAM-SHA-256$%'"), "1",
             "the server keeps a SCRAM verifier, not the password")
    rc, out, err = k.b("user", "add", "sato", "--role", "secretariat")
    check(out.startswith("user sato (secretariat) added; its password, shown only now: "), out)
    rc, out, err = k.b("user", "remove", "sato")
    check_eq(out, "user sato removed: it can no longer connect to this database\n", "remove")
    k.sql("drop role sato")


def test_user_add_refuses_with_nothing_changed(e, k):
    before = k.counts()
    owner = k.ws["owner"]
    cases = [
        (["shimizu", "--role", "expert", "--expert", "1"], "user shimizu exists already"),
        (["Shimizu", "--role", "secretariat"],
         "user name 'Shimizu': a lower-case letter or '_', then lower-case letters, digits or"
         " '_', at most 63 of them"),
        (["x;drop", "--role", "secretariat"], "user name 'x;drop': a lower-case letter"),
        (["pg_monitor", "--role", "secretariat"],
         "user name 'pg_monitor': pg_… and bansou_… are the server's and bansou's own roles"),
        (["bansou_expert", "--role", "expert", "--expert", "1"], "bansou_… are the server's"),
        (["kato", "--role", "expert"], "--role expert needs --expert ID (the expert it is)"),
        (["kato", "--role", "secretariat", "--expert", "1"], "--expert is for --role expert only"),
        (["kato", "--role", "boss"], "--role: 'boss' is neither secretariat nor expert"),
        (["kato", "--role", "expert", "--expert", "9"], "no expert '9'"),
        (["kato"], "user add: --role secretariat|expert is required"),
    ]
    for args, want in cases:
        rc, out, err = e.run("-C", owner, "user", "add", *args, check=False)
        check(rc != 0 and out == "" and err.startswith("bansou: ") and want in err,
              "user add %s: %r" % (" ".join(args), err))
    rc, _, err = k.as_user("shimizu", "user", "add", "kato", "--role", "secretariat", check=False)
    check(rc != 0 and "only the database's owner (bansou_admin) adds and removes users" in err,
          "an expert adding a user: %r" % err)
    rc, _, err = k.as_user("office", "user", "remove", "shimizu", check=False)
    check(rc != 0 and "only the database's owner" in err, "the secretariat removing: %r" % err)
    check_eq(k.counts(), before, "nothing changed on the server")
    check_eq(k.sql("select count(*) from pg_roles where rolname = 'kato'"), "0", "no role made")
    local = os.path.join(e.tmp, "local")
    e.run("init", local)
    rc, _, err = e.run("-C", local, "user", "add", "kato", "--role", "secretariat", check=False)
    check_eq((rc, err), (1, "bansou: users and roles need a database server (see 'bansou help"
                            " init')\n"), "user add on a file")


def test_an_expert_sees_only_their_own_through_bansou(e, k):
    st = json.loads(k.as_user("shimizu", "status", "--json")[1])
    check_eq([(r["id"], r["company_name"]) for r in st], [(1, "A社")], "shimizu's status")
    st = json.loads(k.as_user("takahashi", "status", "--json")[1])
    check_eq([(r["id"], r["company_name"]) for r in st], [(2, "B社")], "takahashi's status")
    st = json.loads(k.as_user("office", "status", "--json")[1])
    check_eq([r["id"] for r in st], [1, 2], "the secretariat sees every engagement")
    companies = json.loads(k.as_user("shimizu", "company", "list", "--json")[1])
    check_eq([c["name"] for c in companies], ["A社"], "shimizu's companies")
    experts = json.loads(k.as_user("shimizu", "expert", "list", "--json")[1])
    check_eq([x["name"] for x in experts], ["清水", "高橋"], "the pool is visible to experts")
    rc, out, err = k.as_user("shimizu", "documents", "2", check=False)
    check(rc != 0 and "2" in err, "another expert's engagement is not found: %r" % err)
    rc, out, err = k.as_user("shimizu", "company", "show", "B社", check=False)
    check_eq((rc, err), (1, "bansou: no company 'B社'\n"), "another expert's company")
    log = json.loads(k.as_user("shimizu", "log", "--json")[1])
    check(log and all(ev.get("engagement_id") in (None, 1) for ev in log),
          "shimizu's log has no event of engagement 2")
    check(not any("B社" in (ev.get("detail") or "") for ev in log), "nor B社's events")


def test_raw_sql_cannot_cross_the_line(e, k):
    before = k.counts()
    s = lambda q: k.sql(q, "shimizu")  # noqa: E731
    check_eq(s("select string_agg(name, ',' order by id) from company"), "A社", "company rows")
    check_eq(s("select string_agg(id::text, ',') from engagement"), "1", "engagement rows")
    for t in ("visit", "task", "record", "document"):
        check_eq(s("select count(*) from %s where engagement_id = 2" % t), "0", "%s of eng 2" % t)
    check_eq(s("select count(*) from event where engagement_id = 2 or detail like '%B社%'"), "0",
             "events of engagement 2")
    check_eq(s("select count(*) from document_content"), "0", "stored contents of others")
    check_eq(s("select count(*) from company where id = 2"), "0", "B社 by its id")
    refused = [
        ("select * from bansou_user", "permission denied for table bansou_user"),
        ("select * from programme_document", "permission denied for table programme_document"),
        ("update engagement set expert_id = 2 where id = 1",
         'new row violates row-level security policy for table "engagement"'),
        ("insert into engagement (company_id, expert_id, theme, state, created_at, updated_at)"
         " values (2, 1, 'policy', 'matched', 'x', 'x')",
         'new row violates row-level security policy for table "engagement"'),
        ("insert into engagement (company_id, expert_id, theme, state, created_at, updated_at)"
         " values (1, 2, 'policy', 'matched', 'x', 'x')",
         'new row violates row-level security policy for table "engagement"'),
        ("insert into event (at, actor, engagement_id, kind) values ('x', 'x', 2, 'forged')",
         'new row violates row-level security policy for table "event"'),
        ("insert into expert (name, created_at) values ('偽', 'x')",
         "permission denied for table expert"),
        ("insert into expert_tag (expert_id, kind, pos, value) values (2, 'themes', 9, 'x')",
         'new row violates row-level security policy for table "expert_tag"'),
        ("delete from event", "permission denied for table event"),
        ("insert into document_content values ('%s', 3, 'abc')" % ("0" * 64),
         'violates check constraint'),
        ("truncate visit", "permission denied for table visit"),
        ("select bansou_user_add('me', 'secretariat', null, 'x', 'x')",
         "permission denied for function bansou_user_add"),
        ("insert into expert_skill values (2, '{}', 'forged', null, 'x')",
         'new row violates row-level security policy for table "expert_skill"'),
        ("delete from expert_skill", "permission denied for table expert_skill"),
    ]
    for q, want in refused:
        rc, out, err = k.sql(q, "shimizu", ok=False)
        check(rc != 0 and want in err, "%s: %r" % (q, err))
    # What RLS hides cannot be changed either: zero rows, not an error.
    for q in ("update visit set notes = 'x' where engagement_id = 2",
              "delete from document where engagement_id = 2",
              "update company set notes = 'x' where id = 2",
              "update expert set phone = '0' where id = 2",
              "update expert_skill set source = 'x' where expert_id = 2"):
        rc, out, err = k.sql(q, "shimizu", ok=False)
        check(rc == 0 and "ERROR" not in err, "%s ran: %r" % (q, err))
    check_eq(k.counts(), before, "nothing changed on the server")
    check_eq(k.sql("select count(*) from visit where notes = 'x'"), "0", "no visit changed")
    check_eq(k.sql("select phone is null from expert where id = 2"), "t", "高橋 unchanged")
    # The secretariat's login sees what the owner sees.
    for t in ("company", "engagement", "visit", "document", "event"):
        check_eq(k.sql("select count(*) from %s" % t, "office"), before[t], "office: %s" % t)


def test_a_forged_actor_is_the_database_user(e, k):
    k.as_user("shimizu", "--actor", "takahashi", "visit", "plan", "1", "1", "--date",
              "2025-07-01")
    q = "insert into event (at, actor, engagement_id, kind) values ('x', 'office', 1, 'note')"
    k.sql(q, "shimizu")
    check_eq(k.sql("select string_agg(actor, ',' order by id) from event where engagement_id = 1"
                   " and kind in ('visit.plan', 'note')"), "shimizu,shimizu",
             "both events name the database user")
    k.b("--actor", "事務局", "visit", "plan", "1", "2", "--date", "2025-08-01")
    check_eq(k.sql("select actor from event where kind = 'visit.plan' order by id desc limit 1"),
             "事務局", "the owner's scripts name whom they act for")


def test_another_experts_company_is_refused_with_a_reason(e, k):
    before = k.counts()
    rc, _, err = k.as_user("shimizu", "company", "add", "B社", "--industry", "製造業",
                           check=False)
    check_eq((rc, err), (1, "bansou: company 'B社' exists already, registered by someone whose"
                            " companies you do not see: the secretariat can engage you with"
                            " it\n"), "adding B社 again")
    rc, _, err = k.as_user("shimizu", "engage", "A社", "cloud", "--expert", "2", check=False)
    check(rc != 0 and "database: not allowed for shimizu: new row violates row-level security"
          in err, "engaging another expert: %r" % err)
    rc, _, err = k.as_user("shimizu", "engage", "2", "policy", "--expert", "1", check=False)
    check_eq((rc, err), (1, "bansou: no company '2'\n"), "engaging a company by a guessed id")
    rc, _, err = k.as_user("shimizu", "expert", "add", "偽", check=False)
    check(rc != 0 and "not allowed for shimizu" in err, "an expert adding an expert: %r" % err)
    check_eq(k.counts(), before, "nothing changed on the server")
    # A company an expert adds is theirs to engage, and nobody else's to see.
    k.as_user("shimizu", "company", "add", "C社", "--industry", "製造業")
    st = json.loads(k.as_user("takahashi", "company", "list", "--json")[1])
    check_eq([c["name"] for c in st], ["B社"], "takahashi does not see C社")
    k.as_user("shimizu", "engage", "C社", "policy", "--expert", "1")
    check_eq(k.sql("select c.name || ':' || c.added_by || ':' || e.expert_id from engagement e"
                   " join company c on c.id = e.company_id order by e.id desc limit 1"),
             "C社:shimizu:1", "C社 engaged with 清水, added by shimizu")


def test_a_removed_user_cannot_connect(e, k):
    k.b("user", "remove", "takahashi")
    rc, out, err = k.as_user("takahashi", "status", check=False)
    check(rc != 0 and "permission denied for database" in err, "removed: %r" % err)
    users = json.loads(k.b("user", "list", "--json")[1])
    check_eq([u["login"] for u in users], ["office", "shimizu"], "users after remove")
    rc, _, err = k.b("user", "remove", "takahashi", check=False)
    check_eq((rc, err), (1, "bansou: no user takahashi\n"), "removing twice")
    log = json.loads(k.b("log", "--json")[1])
    check_eq([ev["detail"] for ev in log if ev["kind"].startswith("user.")][-1:],
             ["user takahashi"], "the removal is in the log")


def test_a_user_of_another_database_gets_nothing_here(e, k):
    other = os.path.join(e.tmp, "other")
    e.run("init", other, "--db", k.cluster.database("other"))
    e.run("-C", other, "expert", "add", "加藤")
    _, out, _ = e.run("-C", other, "user", "add", "kato", "--role", "secretariat", "--json")
    pw = os.path.join(e.tmp, "pgpass-kato")
    with open(pw, "w") as f:
        f.write("*:*:*:kato:%s\n" % json.loads(out)["password"])
    os.chmod(pw, 0o600)
    rc, _, err = k.cluster.psql("select count(*) from company", DB, "kato", pw, ok=False)
    check(rc != 0 and "permission denied for database" in err, "kato on prog: %r" % err)
    check_eq(k.cluster.psql("select count(*) from company", "other", "kato", pw), "0",
             "kato on his own database")


def test_stored_contents_are_checked_by_hash(e, k):
    body = b"PK\x03\x04 report \x00\xff bytes"
    sha = hashlib.sha256(body).hexdigest()
    k.sql("insert into document_content values ('%s', %d, '\\x%s')" % (sha, len(body),
                                                                       body.hex()), "shimizu")
    check_eq(k.sql("select encode(bytes, 'hex') from document_content where sha256 = '%s'"
                   % sha), body.hex(), "the bytes as given")
    rc, _, err = k.sql("insert into document_content values ('%s', 2, '\\x0000')" % ("a" * 64),
                       "shimizu", ok=False)
    check(rc != 0 and 'violates check constraint "document_content_check"' in err,
          "other bytes under a hash: %r" % err)
    check_eq(k.sql("select count(*) from document_content where sha256 = '%s'" % sha,
                   "shimizu"), "0", "content no document of shimizu's names stays unseen")


def test_reports_reach_the_secretariat(e, k):
    k.as_user("shimizu", "visit", "plan", "1", "1", "--date", "2025-07-01")
    k.as_user("shimizu", "visit", "hold", "1", "1", "--date", "2025-07-01", "--findings", "所見")
    _, out, _ = k.as_user("shimizu", "visit", "report", "1", "1", "--date", "2025-07-02")
    report = os.path.join(k.ws["shimizu"], out.splitlines()[0])
    with open(report, "rb") as f:
        body = f.read()
    sha = hashlib.sha256(body).hexdigest()
    check_eq(k.sql("select size from document_content where sha256 = '%s'" % sha), str(len(body)),
             "the report's bytes are on the server")
    docs = json.loads(k.as_user("office", "documents", "1", "--json")[1])
    kept = [d for d in docs if d["stored"]]
    check_eq([(d["doc"], d["sha256"]) for d in kept], [("visit-report", sha)], "kept: the report")
    into = os.path.join(e.tmp, "fetched")
    _, out, _ = k.as_user("office", "documents", "1", "--fetch", into)
    got = os.path.join(into, os.path.basename(report))
    check_eq(out, got + "\n", "fetch says where")
    with open(got, "rb") as f:
        check_eq(hashlib.sha256(f.read()).hexdigest(), sha, "the bytes fetched")
    check_eq(oct(os.stat(got).st_mode & 0o777), oct(0o600), "fetched owner-only")
    _, out, _ = k.as_user("office", "documents", "1", "--fetch", into)
    check_eq(out, got + " (there already, the same)\n", "fetch again")
    with open(got, "ab") as f:
        f.write(b"edited")
    rc, _, err = k.as_user("office", "documents", "1", "--fetch", into, check=False)
    check_eq((rc, err), (1, "bansou: %s: there with other contents (give --force to replace)\n"
                            % got), "a file with other contents is kept")
    k.as_user("office", "documents", "1", "--fetch", into, "--force")
    with open(got, "rb") as f:
        check_eq(hashlib.sha256(f.read()).hexdigest(), sha, "replaced with --force")
    rc, out, err = k.as_user("takahashi", "documents", "1", "--fetch", into, check=False)
    check(rc != 0, "another expert cannot fetch engagement 1: %r %r" % (out, err))
    check_eq(k.sql("select count(*) from document_content where sha256 = '%s'" % sha,
                   "takahashi"), "0", "nor read its bytes with psql")
    # A path on the server pointing outside gives only its last part, made safe.
    k.sql("update document set path = '/etc/../../tmp/x/..' where sha256 = '%s'" % sha)
    bad = os.path.join(e.tmp, "fetched-bad")
    k.as_user("office", "documents", "1", "--fetch", bad)
    check_eq(len(os.listdir(bad)), 1, "one file, inside DIR: %r" % os.listdir(bad))
    check(not os.path.exists("/tmp/x"), "nothing outside DIR")
    k.sql("update document set path = '%s' where sha256 = '%s'" % (report, sha))


def test_an_expert_sees_the_pool_and_only_their_own_consultations(e, k):
    k.b("company", "add", "丁社", "--industry", "製造業", "--employees", "10")
    k.b("session", "add", "--date", "2025-10-24", "--region", "大阪", "--venue", "会議室",
        "--experts", "清水,高橋")
    k.b("session", "book", "1", "丁社", "--expert", "高橋")
    k.b("session", "book", "1", "A社", "--expert", "清水")
    mine = json.loads(k.as_user("shimizu", "consultation", "list", "--json")[1])
    check_eq([(c["id"], c["company_name"]) for c in mine], [(2, "A社")], "shimizu's consultations")
    theirs = json.loads(k.as_user("takahashi", "consultation", "list", "--json")[1])
    check_eq([(c["id"], c["company_name"]) for c in theirs], [(1, "丁社")],
             "takahashi sees the company of their consultation")
    office = json.loads(k.as_user("office", "consultation", "list", "--json")[1])
    check_eq(len(office), 2, "the secretariat sees both")
    check_eq(len(json.loads(k.as_user("shimizu", "session", "list", "--json")[1])), 1,
             "every expert sees the sessions")
    rc, _, err = k.as_user("shimizu", "consultation", "record", "1", "--topics", "x", check=False)
    check_eq((rc, err), (1, "bansou: no consultation 1\n"), "another's consultation is not there")
    rc, _, err = k.as_user("shimizu", "session", "book", "1", "B社", check=False)
    check_eq((rc, err), (1, "bansou: no company 'B社'\n"), "another's company cannot be booked")
    k.as_user("shimizu", "company", "add", "D社", "--industry", "製造業")
    rc, _, err = k.as_user("shimizu", "session", "book", "1", "D社", check=False)
    check(rc == 1 and "permission denied for table consultation" in err,
          "booking is the secretariat's: %r" % err)
    rc, out, err = k.sql("update consultation set topics = 'x' where id = 1", "shimizu", ok=False)
    check(rc == 0 and "ERROR" not in err, "hidden rows: zero rows, not an error: %r" % err)
    check_eq(k.sql("select count(*) from consultation where topics = 'x'"), "0", "nothing changed")
    rc, _, err = k.sql("insert into consult_booth values (1, 3, 1)", "shimizu", ok=False)
    check(rc != 0 and "permission denied" in err, "a booth is the secretariat's: %r" % err)
    k.as_user("shimizu", "consultation", "record", "2", "--topics", "規程の相談", "--wish", "yes")
    check_eq(k.sql("select topics from consultation where id = 2"), "規程の相談",
             "an expert records their own")
    # The pool's skills: every expert sees them, answers only for themselves.
    k.sql("insert into expert_skill values (2, '{}', 'test', null, 'x')")
    check_eq(k.sql("select count(*) from expert_skill", "shimizu"), "1", "the pool's surveys")


TESTS = [test_user_add_gives_each_a_login_once, test_user_add_refuses_with_nothing_changed,
         test_an_expert_sees_only_their_own_through_bansou, test_raw_sql_cannot_cross_the_line,
         test_a_forged_actor_is_the_database_user,
         test_another_experts_company_is_refused_with_a_reason, test_reports_reach_the_secretariat,
         test_an_expert_sees_the_pool_and_only_their_own_consultations,
         test_a_removed_user_cannot_connect, test_a_user_of_another_database_gets_nothing_here,
         test_stored_contents_are_checked_by_hash]


if __name__ == "__main__":
    sys.exit(run_suite("pg_roles", TESTS, Programme))
