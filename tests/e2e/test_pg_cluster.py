#!/usr/bin/python3
"""The throwaway PostgreSQL server the shared-store suites run against
(scripts/pg-cluster): it starts from nothing, runs as a user that is not
root, listens on its own Unix socket and on no TCP port, lets nobody in
without the password (written owner-only in libpq's passfile format), keeps
its data across a restart and leaves nothing behind when destroyed.

    /usr/bin/python3 tests/e2e/test_pg_cluster.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import os
import stat
import subprocess
import sys

from harness import PgCluster, check, check_eq, run_suite


class Cluster(PgCluster):
    def __init__(self, e):
        super().__init__(e.root)
        self.e = e
        self.env = dict(os.environ, **self.env)

    def sql(self, query, env=None):
        """(exit status, output, error) of psql -c QUERY."""
        p = subprocess.run(["psql", "-X", "-w", "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
                           capture_output=True, text=True, env=env or self.env, timeout=60)
        return p.returncode, p.stdout.strip(), p.stderr.strip()


def test_a_superuser_connects_with_its_password(e, k):
    rc, out, err = k.sql("select current_user, current_setting('server_version_num')::int >= 150000")
    check_eq((rc, out), (0, "bansou_admin|t"), "psql as the superuser (%s)" % err)


def test_the_server_is_not_root(e, k):
    with open(os.path.join(k.dir, "data", "postmaster.pid")) as f:
        pid = f.readline().strip()
    uid = os.stat("/proc/%s" % pid).st_uid
    check(uid != 0, "the server runs as uid %d" % uid)


def test_no_tcp_and_only_its_socket(e, k):
    rc, out, err = k.sql("select current_setting('listen_addresses'), "
                         "current_setting('unix_socket_directories')")
    check_eq((rc, out), (0, "|" + k.env["PGHOST"]), "where it listens (%s)" % err)


def test_no_password_no_entry(e, k):
    for env in (dict(k.env, PGPASSFILE=os.path.join(e.tmp, "none")),
                dict(k.env, PGPASSFILE=os.path.join(e.tmp, "wrong"))):
        with open(os.path.join(e.tmp, "wrong"), "w") as f:
            f.write("*:*:*:bansou_admin:not-the-password\n")
        os.chmod(os.path.join(e.tmp, "wrong"), 0o600)
        rc, _, err = k.sql("select 1", env)
        check(rc != 0 and ("password" in err), "refused without the password: %s" % err)


def test_the_password_is_owner_only(e, k):
    mode = stat.S_IMODE(os.stat(k.env["PGPASSFILE"]).st_mode)
    check_eq(oct(mode), oct(0o600), "mode of the passfile")
    for name in os.listdir(k.dir):
        check(name != "pwfile", "the initdb password file is gone")


def test_data_survives_a_restart(e, k):
    rc, _, err = k.sql("create table kept (v text); insert into kept values ('伴走')")
    check_eq(rc, 0, "create (%s)" % err)
    k.ctl("stop")
    rc, _, err = k.sql("select 1")
    check(rc != 0, "stopped: connection refused (%s)" % err)
    out = k.ctl("start")
    check("PGHOST=" in out, "start prints the environment: %r" % out)
    rc, out, err = k.sql("select v from kept")
    check_eq((rc, out), (0, "伴走"), "the row after a restart (%s)" % err)


def test_destroy_leaves_nothing(e, k):
    k.ctl("destroy")
    check(not os.path.exists(k.dir), "the cluster folder is removed")
    p = subprocess.run([k.script, "start"], capture_output=True, text=True)
    check_eq(p.returncode, 2, "usage error without DIR")


TESTS = [test_a_superuser_connects_with_its_password, test_the_server_is_not_root,
         test_no_tcp_and_only_its_socket, test_no_password_no_entry,
         test_the_password_is_owner_only, test_data_survives_a_restart,
         test_destroy_leaves_nothing]


if __name__ == "__main__":
    sys.exit(run_suite("pg_cluster", TESTS, Cluster))
