/* Unit tests: the store (migrations, transactions, constraints) and the
 * workflow gates on top of it, on an SQLite file; or, when BANSOU_TEST_PG
 * holds a libpq conninfo of keyword=value pairs (e.g. "dbname=postgres"
 * with PGHOST… in the environment), the same tests on PostgreSQL, each on
 * a database of its own created through that connection, plus the
 * PostgreSQL backend's own mapping of errors. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "db.h"
#include "jsonv.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

typedef struct fixture {
    char dir[64];
    char *db;          /* owned: the SQLite file, or the PostgreSQL target */
    char *pg_name;     /* owned: the test's PostgreSQL database, or NULL */
    bs_store *st;
} fixture;

/* BANSOU_TEST_PG: the tests run on PostgreSQL when set. */
static const char *pg_conninfo;
static int pg_databases;           /* made so far: the next one's number */

/* A connection through BANSOU_TEST_PG, to `dbname` when not NULL (a later
 * keyword of a conninfo overrides an earlier one). Owned by the caller. */
static PGconn *pg_connect(const char *dbname)
{
    char *ci = dbname ? xasprintf("%s dbname=%s", pg_conninfo, dbname) : xstrdup(pg_conninfo);
    PGconn *c = PQconnectdb(ci);
    free(ci);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "BANSOU_TEST_PG: %s", PQerrorMessage(c));
    }
    return c;
}

/* Runs `sql` through BANSOU_TEST_PG (on `dbname` when not NULL); true
 * when it succeeded, else the server's primary message in msg_out. */
static bool pg_run(const char *dbname, const char *sql, char *msg_out, size_t size)
{
    PGconn *c = pg_connect(dbname);
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok && msg_out) {
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        snprintf(msg_out, size, "%s", m ? m : PQerrorMessage(c));
    }
    PQclear(r);
    PQfinish(c);
    return ok;
}

static int setup_pg(fixture *f)
{
    f->pg_name = xasprintf("bansou_test_%ld_%d", (long)getpid(), pg_databases++);
    char *sql = xasprintf("CREATE DATABASE %s", f->pg_name);
    char msg[256];
    bool ok = pg_run(NULL, sql, msg, sizeof msg);
    free(sql);
    if (!ok) {
        fprintf(stderr, "%s\n", msg);
        return -1;
    }
    f->db = xasprintf("%s dbname=%s", pg_conninfo, f->pg_name);
    return 0;
}

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    if (pg_conninfo) {
        bs_err e = {0};
        if (setup_pg(f) != 0 || store_open(f->db, true, &f->st, &e) != BS_OK) {
            fprintf(stderr, "%s\n", e.msg);
            return -1;
        }
        *state = f;
        return 0;
    }
    strcpy(f->dir, "/tmp/bansou-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        return -1;
    }
    f->db = xasprintf("%s/bansou.db", f->dir);
    bs_err e = {0};
    if (store_open(f->db, true, &f->st, &e) != BS_OK) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    int rc = 0;
    if (f->pg_name) {
        char *sql = xasprintf("DROP DATABASE %s WITH (FORCE)", f->pg_name);
        rc = pg_run(NULL, sql, NULL, 0) ? 0 : -1;
        free(sql);
    } else {
        char *cmd = xasprintf("rm -rf '%s'", f->dir);
        rc = system(cmd);
        free(cmd);
    }
    free(f->pg_name);
    free(f->db);
    free(f);
    return rc;
}

/* A direct connection to the same database, to look behind the store. */
static int64_t count(fixture *f, const char *sql)
{
    if (f->pg_name) {
        PGconn *c = pg_connect(f->pg_name);
        PGresult *r = PQexec(c, sql);
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        int64_t n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(c);
        return n;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static bs_value *company(const char *name)
{
    bs_value *c = value_map();
    value_set_str(c, "name", name);
    value_set_str(c, "industry", "製造業");
    value_set_str(c, "kind", "会社");
    value_set_int(c, "employees", 30);
    return c;
}

static void test_schema_and_permissions(void **state)
{
    fixture *f = *state;
    if (f->pg_name) {
        assert_int_equal(count(f, "SELECT version FROM bansou_schema"), store_schema_version());
        assert_int_equal(count(f, "SELECT count(*) FROM pg_tables WHERE tablename = 'event'"), 1);
    } else {
        assert_int_equal(count(f, "PRAGMA user_version"), store_schema_version());
        assert_int_equal(count(f, "SELECT count(*) FROM sqlite_master WHERE name = 'event'"), 1);
        struct stat sb;
        assert_int_equal(stat(f->db, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
    }
    // Reopening runs no migration again and keeps the data.
    bs_err e = {0};
    bs_store *again = NULL;
    assert_int_equal(store_open(f->db, false, &again, &e), BS_OK);
    store_close(again);
    // Creating over an existing file (a bansou database) is refused.
    assert_int_equal(store_open(f->db, true, &again, &e), BS_EIO);
    if (f->pg_name) {
        assert_non_null(strstr(e.msg, ": already a bansou database"));
    }
}

static void test_newer_schema_refused(void **state)
{
    fixture *f = *state;
    if (f->pg_name) {
        assert_true(pg_run(f->pg_name, "UPDATE bansou_schema SET version = 999", NULL, 0));
    } else {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
    }
    bs_store *st = NULL;
    bs_err e = {0};
    assert_int_equal(store_open(f->db, false, &st, &e), BS_ECORRUPT);
    assert_non_null(strstr(e.msg, "database schema version 999 is newer than this bansou"));
    assert_null(st);
}

static void test_not_a_database(void **state)
{
    fixture *f = *state;
    if (!f->pg_name) {
        // A file whose path holds an '=' is still a file.
        char *d = xasprintf("%s/a=b", f->dir);
        assert_int_equal(mkdir(d, 0700), 0);
        char *p = xasprintf("%s/bansou.db", d);
        bs_store *st = NULL;
        bs_err e = {0};
        assert_int_equal(store_open(p, true, &st, &e), BS_OK);
        store_close(st);
        assert_true(bs_file_exists(p));
        free(p);
        free(d);
    }
    if (f->pg_name) {
        // A database without bansou's tables (the maintenance one).
        bs_store *st = NULL;
        bs_err e = {0};
        assert_int_equal(store_open(pg_conninfo, false, &st, &e), BS_ENOTFOUND);
        char *want = xasprintf("%s: no bansou database here", pg_conninfo);
        assert_string_equal(e.msg, want);
        free(want);
        assert_null(st);
        return;
    }
    char *p = xasprintf("%s/junk.db", f->dir);
    FILE *fp = fopen(p, "wb");
    fputs("this is not a database, just text that is long enough to be read as a header", fp);
    fclose(fp);
    bs_store *st = NULL;
    bs_err e = {0};
    assert_int_not_equal(store_open(p, false, &st, &e), BS_OK);
    assert_non_null(strstr(e.msg, "junk.db"));
    assert_null(st);
    free(p);
}

static void test_rollback_on_error(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    bs_value *c = company("株式会社A");
    int64_t id = 0;
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    assert_int_equal(store_company_add(f->st, c, &id, &e), BS_OK);
    // A second add with the same name fails: the whole transaction goes.
    assert_int_equal(store_company_add(f->st, c, &id, &e), BS_EEXIST);
    assert_string_equal(e.msg, "company '株式会社A' exists already (id 1)");
    store_rollback(f->st);
    assert_int_equal(count(f, "SELECT count(*) FROM company"), 0);

    // Through the workflow: one command, one transaction.
    bs_err_clear(&e);
    assert_int_equal(workflow_company_add(f->st, "t", c, &id, &e), BS_OK);
    assert_int_equal(workflow_company_add(f->st, "t", c, &id, &e), BS_EEXIST);
    assert_int_equal(count(f, "SELECT count(*) FROM company"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM event WHERE kind = 'company.add'"), 1);
    value_free(c);

    bs_value *bad = value_map();
    value_set_str(bad, "name", "株式会社B"); // a good name: the store sees the bad key
    value_set_str(bad, "name; DROP TABLE company", "x");
    bs_err_clear(&e);
    assert_int_equal(workflow_company_add(f->st, "t", bad, &id, &e), BS_EINPUT);
    assert_string_equal(e.msg, "unknown field 'name; DROP TABLE company'");
    value_free(bad);
}

static void test_event_log_append_only(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    assert_int_equal(store_event_add(f->st, "tester", 0, 0, "test", "one", &e), BS_OK);
    assert_int_equal(store_commit(f->st, &e), BS_OK);
    if (f->pg_name) {
        char msg[256];
        assert_false(pg_run(f->pg_name, "UPDATE event SET actor = 'x'", msg, sizeof msg));
        assert_string_equal(msg, "the event log is append-only");
        assert_false(pg_run(f->pg_name, "DELETE FROM event", msg, sizeof msg));
        assert_string_equal(msg, "the event log is append-only");
        assert_false(pg_run(f->pg_name, "TRUNCATE event", msg, sizeof msg));
        assert_string_equal(msg, "the event log is append-only");
    } else {
        sqlite3 *db = NULL;
        char *msg = NULL;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "UPDATE event SET actor = 'x'", NULL, NULL, &msg),
                             SQLITE_OK);
        assert_string_equal(msg, "the event log is append-only");
        sqlite3_free(msg);
        assert_int_not_equal(sqlite3_exec(db, "DELETE FROM event", NULL, NULL, &msg), SQLITE_OK);
        sqlite3_free(msg);
        sqlite3_close(db);
    }
    bs_value *ev = NULL;
    assert_int_equal(store_event_list(f->st, 0, &ev, &e), BS_OK);
    assert_int_equal(value_len(ev), 1);
    assert_string_equal(value_get_str(value_at(ev, 0), "actor"), "tester");
    value_free(ev);
}

/* A three-visit model with two items per step, as a theme would give. */
static bs_value *model(void)
{
    const char *j = "{\"id\":\"t\",\"steps\":["
                    "{\"prep\":[{\"id\":\"a1\"}],\"onsite\":[{\"id\":\"b1\"}]},"
                    "{\"prep\":[{\"id\":\"a2\"}],\"onsite\":[{\"id\":\"b2\"}]},"
                    "{\"prep\":[{\"id\":\"a3\"}],\"onsite\":[{\"id\":\"b3\"}]}]}";
    bs_value *m = NULL;
    bs_err e = {0};
    assert_int_equal(jsonv_parse(j, strlen(j), "model", &m, &e), BS_OK);
    return m;
}

/* Company 1, expert 1 and engagement 1 on theme "t". */
static int64_t engaged(fixture *f, bs_value *m)
{
    bs_err e = {0};
    int64_t id;
    bs_value *c = company("株式会社B");
    assert_int_equal(workflow_company_add(f->st, "t", c, &id, &e), BS_OK);
    value_free(c);
    bs_value *x = value_map();
    value_set_str(x, "name", "専門家");
    bs_value *themes = value_list();
    value_push(themes, value_str("other"));
    value_set(x, "themes", themes);
    assert_int_equal(workflow_expert_add(f->st, "t", x, &id, &e), BS_OK);
    value_free(x);
    bs_value *warnings = value_list();
    assert_int_equal(workflow_engage(f->st, "t", "株式会社B", "1", "t", m, NULL, warnings, &id, &e),
                     BS_OK);
    assert_int_equal(value_len(warnings), 1);
    assert_string_equal(value_as_str(value_at(warnings, 0)),
                        "expert '専門家' does not list theme 't' among the themes covered");
    value_free(warnings);
    return id;
}

#define EXPECT(call, code, text)                                                              \
    do {                                                                                      \
        bs_err e_ = {0};                                                                      \
        int rc_ = (call);                                                                     \
        if (rc_ != (code) || strcmp(e_.msg, (text)) != 0) {                                   \
            fail_msg("%s\n  want %d '%s'\n  got  %d '%s'", #call, (code), (text), rc_, e_.msg); \
        }                                                                                     \
    } while (0)
#define err_ (&e_)

static void test_visit_gates(void **state)
{
    fixture *f = *state;
    bs_value *m = model();
    int64_t eng = engaged(f, m);
    const char *today = "2026-06-30";
    int64_t events = count(f, "SELECT count(*) FROM event");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 2, "2026-05-01", NULL, today, err_),
           BS_ESTATE, "visit 2 cannot be held before visit 1");
    EXPECT(workflow_visit_plan(f->st, "t", eng, 4, "2026-05-01", NULL, err_), BS_EINPUT,
           "engagement 1 has visits 1 to 3, not 4");
    EXPECT(workflow_visit_plan(f->st, "t", eng, 1, "2026-02-30", NULL, err_), BS_EINPUT,
           "--date: '2026-02-30' is not a date (YYYY-MM-DD)");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 1, "2026-07-01", NULL, today, err_),
           BS_EINPUT, "--date: 2026-07-01 is in the future (today is 2026-06-30)");
    EXPECT(workflow_visit_report(f->st, "t", eng, 1, NULL, err_), BS_ESTATE,
           "visit 1 has not been held: nothing to report");
    EXPECT(workflow_complete(f->st, "t", eng, NULL, err_), BS_ESTATE,
           "visit 1 has not been held: hold it first, or end the engagement with "
           "'engagement terminate 1 --reason …'");
    assert_int_equal(count(f, "SELECT count(*) FROM event"), events);
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE state = 'matched'"), 1);

    EXPECT(workflow_visit_plan(f->st, "t", eng, 1, "2026-05-01", NULL, err_), BS_OK, "");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE state = 'active'"), 1);
    EXPECT(workflow_visit_plan(f->st, "t", eng, 2, "2026-04-30", NULL, err_), BS_EINPUT,
           "visit 2 on 2026-04-30 would come before visit 1 (2026-05-01)");
    bs_value *held = value_map();
    value_set_str(held, "attendees", "社長");
    value_set_str(held, "notes", "メモ");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 1, "2026-05-02", held, today, err_), BS_OK, "");
    value_free(held);
    EXPECT(workflow_visit_plan(f->st, "t", eng, 1, "2026-05-03", NULL, err_), BS_ESTATE,
           "visit 1 was held on 2026-05-02 already");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 1, "2026-05-03", NULL, today, err_),
           BS_ESTATE, "visit 1 was held on 2026-05-02 already");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 2, "2026-05-01", NULL, today, err_),
           BS_EINPUT, "visit 2 on 2026-05-01 would come before visit 1 (held 2026-05-02)");
    EXPECT(workflow_visit_report(f->st, "t", eng, 1, NULL, err_), BS_OK, "");
    bs_err e = {0};
    bs_value *ev = NULL;
    assert_int_equal(store_engagement_get(f->st, eng, &ev, &e), BS_OK);
    const bs_value *v1 = workflow_visit(ev, 1);
    assert_string_equal(value_get_str(v1, "state"), "reported");
    assert_string_equal(value_get_str(v1, "attendees"), "社長");
    value_free(ev);

    EXPECT(workflow_visit_hold(f->st, "t", eng, 2, "2026-05-20", NULL, today, err_), BS_OK, "");
    EXPECT(workflow_visit_hold(f->st, "t", eng, 3, "2026-06-20", NULL, today, err_), BS_OK, "");
    EXPECT(workflow_complete(f->st, "t", eng, NULL, err_), BS_OK, "");
    EXPECT(workflow_visit_report(f->st, "t", eng, 3, NULL, err_), BS_ESTATE,
           "engagement 1 is completed: no further changes");
    value_free(m);
}

static void test_tasks_all_or_nothing(void **state)
{
    fixture *f = *state;
    bs_value *m = model();
    int64_t eng = engaged(f, m);
    bs_value *items = value_list();
    value_push(items, value_str("a1"));
    value_push(items, value_str("b1"));
    value_push(items, value_str("a2")); // belongs to visit 2
    EXPECT(workflow_task(f->st, "t", eng, 1, items, true, m, err_), BS_ENOTFOUND,
           "no item 'a2' in visit 1 of theme 't' (see 'bansou task list 1')");
    assert_int_equal(count(f, "SELECT count(*) FROM task"), 0);
    value_free(items);
    items = value_list();
    value_push(items, value_str("a1"));
    value_push(items, value_str("b1"));
    EXPECT(workflow_task(f->st, "t", eng, 1, items, true, m, err_), BS_OK, "");
    EXPECT(workflow_task(f->st, "t", eng, 1, items, true, m, err_), BS_OK, ""); // idempotent
    assert_int_equal(count(f, "SELECT count(*) FROM task"), 2);
    value_free(items);

    // A theme change keeps ticks; they belong to the theme they were made on.
    EXPECT(workflow_change_theme(f->st, "t", eng, "u", m, NULL, err_), BS_EUSAGE,
           "--reason is required");
    EXPECT(workflow_change_theme(f->st, "t", eng, "t", m, "why", err_), BS_EINPUT,
           "engagement 1 is on theme 't' already");
    EXPECT(workflow_change_theme(f->st, "t", eng, "u", m, "company asked", err_), BS_OK, "");
    bs_err e = {0};
    bs_value *tasks = NULL;
    assert_int_equal(store_task_list(f->st, eng, "u", &tasks, &e), BS_OK);
    assert_int_equal(value_len(tasks), 0);
    value_free(tasks);
    assert_int_equal(store_task_list(f->st, eng, "t", &tasks, &e), BS_OK);
    assert_int_equal(value_len(tasks), 2);
    value_free(tasks);

    EXPECT(workflow_terminate(f->st, "t", eng, "", NULL, err_), BS_EUSAGE, "--reason is required");
    EXPECT(workflow_terminate(f->st, "t", eng, "会社都合", NULL, err_), BS_OK, "");
    EXPECT(workflow_visit_plan(f->st, "t", eng, 2, "2026-05-01", NULL, err_), BS_ESTATE,
           "engagement 1 is terminated: no further changes");
    EXPECT(workflow_terminate(f->st, "t", eng, "again", NULL, err_), BS_ESTATE,
           "engagement 1 is terminated: no further changes");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE reason = '会社都合'"), 1);
    value_free(m);
}

static void test_unknown_refs(void **state)
{
    fixture *f = *state;
    bs_value *m = model();
    int64_t id;
    EXPECT(workflow_engage(f->st, "t", "nobody", "1", "t", m, NULL, NULL, &id, err_), BS_ENOTFOUND,
           "no company 'nobody'");
    EXPECT(workflow_visit_plan(f->st, "t", 42, 1, "2026-05-01", NULL, err_), BS_ENOTFOUND,
           "no engagement 42");
    EXPECT(workflow_company_edit(f->st, "t", "7", m, err_), BS_ENOTFOUND, "no company '7'");
    assert_int_equal(count(f, "SELECT count(*) FROM event"), 0);
    value_free(m);
}


/* A model with two variants: one by industry, one by size. */
static bs_value *variant_model(void)
{
    const char *j = "{\"id\":\"t\",\"steps\":[{\"prep\":[{\"id\":\"a1\"}]}],"
                    "\"variants\":[{\"id\":\"auto-parts\",\"title\":\"A\","
                    "\"industries\":[\"製造業（自動車産業）\"]},"
                    "{\"id\":\"compact\",\"title\":\"C\",\"max_employees\":20}]}";
    bs_value *m = NULL;
    bs_err e = {0};
    assert_int_equal(jsonv_parse(j, strlen(j), "model", &m, &e), BS_OK);
    return m;
}

static char *joined(const bs_value *list)
{
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(list); i++) {
        bs_buf_printf(&b, "%s%s", i ? "," : "", value_as_str(value_at(list, i)));
    }
    return bs_buf_take(&b);
}

static void test_variants(void **state)
{
    fixture *f = *state;
    bs_value *m = variant_model();
    // Automatic: by industry and by size.
    bs_value *c = company("x");
    value_set_str(c, "industry", "製造業（自動車産業）");
    value_set_int(c, "employees", 20);
    bs_value *v = workflow_variants(m, c, NULL);
    char *s = joined(v);
    assert_string_equal(s, "auto-parts,compact");
    free(s);
    value_free(v);
    value_set_int(c, "employees", 21);
    value_set_str(c, "industry", "小売業");
    v = workflow_variants(m, c, NULL);
    assert_int_equal(value_len(v), 0);
    value_free(v);
    // Stored: taken as it is; "" is the standard edition.
    v = workflow_variants(m, c, "compact");
    s = joined(v);
    assert_string_equal(s, "compact");
    free(s);
    value_free(v);
    v = workflow_variants(m, c, "");
    assert_int_equal(value_len(v), 0);
    value_free(v);
    value_free(c);

    int64_t eng = engaged(f, m), id = 0;
    int64_t events = count(f, "SELECT count(*) FROM event");
    EXPECT(workflow_set_variant(f->st, "t", eng, m, "compact,nope", err_), BS_EINPUT,
           "--variant: theme 't' has no variant 'nope' (known: auto-parts, compact)");
    EXPECT(workflow_engage(f->st, "t", "株式会社B", "1", "t", m, &(workflow_engage_opts){.variant = "x"}, NULL, &id, err_), BS_EINPUT,
           "--variant: theme 't' has no variant 'x' (known: auto-parts, compact)");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM event"), events);
    EXPECT(workflow_set_variant(f->st, "t", eng, m, " compact , auto-parts", err_), BS_OK, "");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE variant = "
                              "'compact,auto-parts'"), 1);
    EXPECT(workflow_set_variant(f->st, "t", eng, m, "none", err_), BS_OK, "");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE variant = ''"), 1);
    EXPECT(workflow_set_variant(f->st, "t", eng, m, "auto", err_), BS_OK, "");
    assert_int_equal(count(f, "SELECT count(*) FROM engagement WHERE variant IS NULL"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM event WHERE kind = 'engagement.variant'"), 3);
    value_free(m);
}

/* The programme's documents: of no engagement, one row a path, the last
 * writing replacing the one before. */
static void test_programme_documents(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    bs_value *d = value_map();
    value_set_str(d, "path", "/w/out/all.xlsx");
    value_set_str(d, "doc", "programme-schedule");
    value_set_str(d, "title", "全体");
    value_set_str(d, "sha256", "aa");
    assert_int_equal(store_programme_document_put(f->st, d, &e), BS_OK);
    value_set_str(d, "sha256", "bb");
    assert_int_equal(store_programme_document_put(f->st, d, &e), BS_OK);
    value_free(d);
    bs_value *list = NULL;
    assert_int_equal(store_programme_document_list(f->st, &list, &e), BS_OK);
    assert_int_equal(value_len(list), 1);
    assert_string_equal(value_get_str(value_at(list, 0), "path"), "/w/out/all.xlsx");
    assert_string_equal(value_get_str(value_at(list, 0), "sha256"), "bb");
    assert_non_null(value_get_str(value_at(list, 0), "generated_at"));
    value_free(list);
    assert_int_equal(count(f, "SELECT count(*) FROM document"), 0);
}

/* Imported rows come back as they went in: key order, types, nesting, an
 * empty row; a company's other engagements give their rows too. */
static void test_records(void **state)
{
    fixture *f = *state;
    bs_value *m = model();
    int64_t eng = engaged(f, m);
    const char *j = "[{\"z\":1,\"a\":-2.5,\"s\":\"it's \\\"q\\\" \\u00e9 ?1\",\"t\":true,"
                    "\"f\":false,\"n\":null,\"l\":[1,{\"x\":\"y\"}],\"o\":{\"k\":[]},"
                    "\"e\":1e3,\"big\":9007199254740993},{},{\"名前\":\"株式会社\"}]";
    bs_value *rows = NULL;
    bs_err e = {0};
    assert_int_equal(jsonv_parse(j, strlen(j), "rows", &rows, &e), BS_OK);
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    assert_int_equal(store_records_replace(f->st, eng, "台帳", rows, &e), BS_OK);
    assert_int_equal(store_records_replace(f->st, eng, "A", rows, &e), BS_OK);
    assert_int_equal(store_commit(f->st, &e), BS_OK);
    bs_value *got = NULL;
    assert_int_equal(store_records_get(f->st, eng, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 2);
    assert_string_equal(value_key_at(got, 0), "A"); // sheets in byte order
    char *want = jsonv_dump_compact(rows);
    char *have = jsonv_dump_compact(value_get(got, "台帳"));
    assert_string_equal(have, want);
    free(have);
    const bs_value *r0 = value_at(value_get(got, "A"), 0);
    assert_int_equal(value_type(value_get(r0, "z")), BS_VINT);
    assert_int_equal(value_type(value_get(r0, "a")), BS_VNUM);
    assert_int_equal(value_type(value_get(r0, "e")), BS_VNUM);
    assert_int_equal(value_type(value_get(r0, "t")), BS_VBOOL);
    assert_int_equal(value_as_int(value_get(r0, "big")), 9007199254740993LL);
    value_free(got);

    // A second engagement of the company sees the first one's rows.
    int64_t second = 0;
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    assert_int_equal(store_engagement_add(f->st, 1, 1, "t", 3, &second, &e), BS_OK);
    assert_int_equal(store_commit(f->st, &e), BS_OK);
    assert_int_equal(store_company_records(f->st, 1, second, &got, &e), BS_OK);
    have = jsonv_dump_compact(value_get(got, "台帳"));
    assert_string_equal(have, want);
    free(have);
    value_free(got);
    assert_int_equal(store_company_records(f->st, 1, eng, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 0);
    value_free(got);

    // A stored row that is not an object is a damaged database.
    const char *damage = "UPDATE record SET data = '[1]' WHERE sheet = 'A' AND seq = 2";
    if (f->pg_name) {
        assert_true(pg_run(f->pg_name, damage, NULL, 0));
    } else {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, damage, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(store_records_get(f->st, eng, &got, &e), BS_ECORRUPT);
    assert_string_equal(e.msg, "record A/2: not a JSON object");
    free(want);
    value_free(rows);
    value_free(m);
}

/* Every store call once, with the types each column takes, read back. */
static void test_store_calls(void **state)
{
    fixture *f = *state;
    bs_value *m = model();
    int64_t eng = engaged(f, m);
    value_free(m);
    bs_err e = {0};
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    bs_value *c = value_map();
    value_set_int(c, "capital", 1000000);
    value_set_str(c, "notes", "メモ");
    value_set(c, "prefecture", value_null());
    assert_int_equal(store_company_update(f->st, 1, c, &e), BS_OK);
    value_free(c);
    bs_value *x = value_map();
    value_set_str(x, "phone", "03-0000-0000");
    bs_value *regions = value_list();
    value_push(regions, value_str("関東"));
    value_push(regions, value_str("東北"));
    value_set(x, "regions", regions);
    assert_int_equal(store_expert_update(f->st, 1, x, &e), BS_OK);
    value_free(x);
    assert_int_equal(store_engagement_set_variant(f->st, eng, "a,b", &e), BS_OK);
    assert_int_equal(store_engagement_set_state(f->st, eng, "active", NULL, &e), BS_OK);
    assert_int_equal(store_engagement_set_ended(f->st, eng, "2026-03-31", &e), BS_OK);
    assert_int_equal(store_engagement_set_findings(f->st, eng, "所見", &e), BS_OK);
    assert_int_equal(store_engagement_set_theme(f->st, eng, "u", 2, &e), BS_OK);
    assert_int_equal(store_engagement_set_theme(f->st, eng, "t", 4, &e), BS_OK);
    bs_value *v = value_map();
    value_set_str(v, "state", "planned");
    value_set_str(v, "planned_date", "2026-01-10");
    value_set_int(v, "online", 1);
    value_set_str(v, "time_from", "10:00");
    assert_int_equal(store_visit_update(f->st, eng, 1, v, &e), BS_OK);
    value_free(v);
    bs_value *d = value_map();
    value_set_str(d, "path", "/w/out/1/plan.docx");
    value_set_str(d, "doc", "plan");
    value_set_str(d, "title", "計画");
    value_set_int(d, "visit", 1);
    value_set(d, "template", value_null());
    value_set_str(d, "sha256", "aa");
    assert_int_equal(store_document_put(f->st, eng, d, &e), BS_OK);
    value_set_str(d, "sha256", "bb");
    value_set_str(d, "kind", "pdf");
    assert_int_equal(store_document_put(f->st, eng, d, &e), BS_OK);
    value_free(d);
    assert_int_equal(store_commit(f->st, &e), BS_OK);

    bs_value *got = NULL;
    assert_int_equal(store_company_get(f->st, "1", &got, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(got, "capital")), 1000000);
    assert_int_equal(value_as_int(value_get(got, "employees")), 30);
    assert_string_equal(value_get_str(got, "notes"), "メモ");
    assert_int_equal(value_type(value_get(got, "prefecture")), BS_VNULL);
    value_free(got);
    assert_int_equal(store_company_get(f->st, "株式会社B", &got, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(got, "id")), 1);
    value_free(got);
    assert_int_equal(store_expert_get(f->st, "1", &got, &e), BS_OK);
    assert_string_equal(value_get_str(got, "phone"), "03-0000-0000");
    char *r = joined(value_get(got, "regions"));
    assert_string_equal(r, "関東,東北");
    free(r);
    value_free(got);
    assert_int_equal(store_engagement_get(f->st, eng, &got, &e), BS_OK);
    assert_string_equal(value_get_str(got, "state"), "active");
    assert_string_equal(value_get_str(got, "theme"), "t");
    assert_string_equal(value_get_str(got, "ended_on"), "2026-03-31");
    assert_string_equal(value_get_str(got, "findings"), "所見");
    assert_string_equal(value_get_str(got, "company_name"), "株式会社B");
    const bs_value *visits = value_get(got, "visits");
    assert_int_equal(value_len(visits), 4);
    assert_int_equal(value_as_int(value_get(value_at(visits, 0), "n")), 1);
    assert_string_equal(value_get_str(value_at(visits, 0), "state"), "planned");
    assert_int_equal(value_type(value_get(value_at(visits, 0), "online")), BS_VINT);
    assert_int_equal(value_as_int(value_get(value_at(visits, 0), "online")), 1);
    assert_string_equal(value_get_str(value_at(visits, 3), "state"), "pending");
    value_free(got);
    assert_int_equal(store_engagement_list(f->st, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 1);
    value_free(got);
    assert_int_equal(store_expert_list(f->st, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 1);
    value_free(got);
    assert_int_equal(store_company_list(f->st, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 1);
    value_free(got);
    assert_int_equal(store_document_list(f->st, eng, &got, &e), BS_OK);
    assert_int_equal(value_len(got), 1);
    assert_int_equal(value_as_int(value_get(value_at(got, 0), "visit")), 1);
    assert_string_equal(value_get_str(value_at(got, 0), "sha256"), "bb");
    value_free(got);
    assert_int_equal(store_event_list(f->st, eng, &got, &e), BS_OK);
    assert_true(value_len(got) >= 1);
    value_free(got);
}

/* PostgreSQL only: the database layer's own mapping of the server's
 * errors and types, through db.h on the test's database. */
static void test_pg_layer(void **state)
{
    fixture *f = *state;
    bs_db *db = NULL;
    bs_err e = {0};
    assert_int_equal(db_open(f->db, false, &db, &e), BS_OK);
    assert_string_equal(db_backend(db), "postgresql");

    // A unique violation is BS_EEXIST with the server's primary message.
    const char *add = "INSERT INTO company (name, industry, kind, created_at, updated_at)"
                      " VALUES (?1, 'x', 'y', ?2, ?2) RETURNING id";
    bs_value *a = value_list();
    value_push(a, value_str("株式会社A"));
    value_push(a, value_str("2026-01-01"));
    bs_value *rows = NULL;
    assert_int_equal(db_query(db, add, a, &rows, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(value_at(rows, 0), "id")), 1);
    value_free(rows);
    assert_int_equal(db_query(db, add, a, NULL, &e), BS_EEXIST);
    assert_string_equal(e.msg,
                        "duplicate key value violates unique constraint \"company_name_key\"");
    value_free(a);

    // The event log refuses an update, as a constraint.
    bs_err_clear(&e);
    assert_int_equal(db_query(db, "INSERT INTO event (at, actor, kind) VALUES ('t', 'a', 'k')",
                              NULL, NULL, &e),
                     BS_OK);
    assert_int_equal(db_query(db, "UPDATE event SET actor = 'x'", NULL, NULL, &e), BS_EEXIST);
    assert_string_equal(e.msg, "the event log is append-only");

    // ?N inside a literal stays; types come back by column type.
    a = value_list();
    value_push(a, value_str("it's"));
    value_push(a, value_int(-5));
    value_push(a, value_num(0.1));
    value_push(a, value_bool(true));
    value_push(a, value_null());
    assert_int_equal(db_query(db,
                              "SELECT '?1' AS lit, ?1::text AS s, ?2::bigint + 1 AS i,"
                              " ?3::float8 AS d, ?4::int = 1 AS b, ?5::text AS n,"
                              " 2.5::numeric AS num, 3::int2 AS small,"
                              " '{\"b\":1,\"a\":2}'::json AS j",
                              a, &rows, &e),
                     BS_OK);
    value_free(a);
    const bs_value *r = value_at(rows, 0);
    assert_string_equal(value_get_str(r, "lit"), "?1");
    assert_string_equal(value_get_str(r, "s"), "it's");
    assert_int_equal(value_type(value_get(r, "i")), BS_VINT);
    assert_int_equal(value_as_int(value_get(r, "i")), -4);
    assert_true(value_as_num(value_get(r, "d")) == 0.1);
    assert_int_equal(value_type(value_get(r, "b")), BS_VINT);
    assert_int_equal(value_as_int(value_get(r, "b")), 1);
    assert_int_equal(value_type(value_get(r, "n")), BS_VNULL);
    assert_int_equal(value_type(value_get(r, "num")), BS_VNUM);
    assert_int_equal(value_type(value_get(r, "small")), BS_VINT);
    assert_string_equal(value_get_str(r, "j"), "{\"b\":1,\"a\":2}");
    value_free(rows);

    // A statement failing inside a transaction: the commit reports it.
    bs_err_clear(&e);
    assert_int_equal(db_begin(db, &e), BS_OK);
    assert_int_equal(db_query(db, "SELECT 1/0 AS x", NULL, NULL, &e), BS_EDB);
    assert_string_equal(e.msg, "database: division by zero");
    bs_err_clear(&e);
    assert_int_equal(db_commit(db, &e), BS_EDB);

    // A statement cancelled by a timeout counts as busy.
    bs_err_clear(&e);
    assert_int_equal(db_exec(db, "SET statement_timeout = 50", &e), BS_OK);
    assert_int_equal(db_query(db, "SELECT pg_sleep(5) AS s", NULL, NULL, &e), BS_EDB);
    assert_string_equal(e.msg, "database is busy (another bansou is writing): "
                               "canceling statement due to statement timeout");
    bs_err_clear(&e);
    assert_int_equal(db_exec(db, "SET statement_timeout = 0", &e), BS_OK);

    // The server ending the connection.
    assert_int_equal(db_query(db, "SELECT pg_backend_pid() AS pid", NULL, &rows, &e), BS_OK);
    char *kill = xasprintf("SELECT pg_terminate_backend(%lld)",
                           (long long)value_as_int(value_get(value_at(rows, 0), "pid")));
    value_free(rows);
    assert_true(pg_run(NULL, kill, NULL, 0));
    free(kill);
    bs_err_clear(&e);
    assert_int_equal(db_query(db, "SELECT 1 AS one", NULL, NULL, &e), BS_EDB);
    assert_non_null(strstr(e.msg, "database: the connection to the server was lost: "));
    db_close(db);
}

/* PostgreSQL only: writers in several processes at once lose nothing, and
 * a name contested by all of them is taken once, the others told so by the
 * store's own check (the writer's lock keeps read-check-write whole). */
static void test_pg_concurrent_writers(void **state)
{
    fixture *f = *state;
    enum { WRITERS = 4, EACH = 15, CONTESTED = 10 };
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            // The child: its own connection; _exit, so that the parent's
            // connection, shared by fork, is left alone.
            close(gate[1]);
            bs_store *st = NULL;
            bs_err e = {0};
            int bad = store_open(f->db, false, &st, &e) != BS_OK;
            char c0;
            bad |= read(gate[0], &c0, 1) != 0; // all start together once it closes
            for (int i = 0; !bad && i < EACH + CONTESTED; i++) {
                char name[48];
                if (i < CONTESTED) {
                    snprintf(name, sizeof name, "株式会社共有%d", i);
                } else {
                    snprintf(name, sizeof name, "株式会社%d-%d", w, i);
                }
                bs_value *c = company(name);
                int64_t id;
                int rc = workflow_company_add(st, "t", c, &id, &e);
                value_free(c);
                bad = rc != BS_OK &&
                      !(i < CONTESTED && rc == BS_EEXIST && strstr(e.msg, "exists already"));
                if (!bad) {
                    bs_err_clear(&e);
                }
            }
            if (bad) {
                fprintf(stderr, "writer %d: %s\n", w, e.msg);
            }
            _exit(bad);
        }
    }
    close(gate[0]);
    usleep(300 * 1000); // the children connected
    close(gate[1]);
    for (int w = 0; w < WRITERS; w++) {
        int status = 0;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    int64_t want = WRITERS * EACH + CONTESTED;
    assert_int_equal(count(f, "SELECT count(*) FROM company"), want);
    assert_int_equal(count(f, "SELECT count(*) FROM event WHERE kind = 'company.add'"), want);
}

/* PostgreSQL only: a target's password stays out of messages. */
static void test_pg_password_hidden(void **state)
{
    (void)state;
    bs_db *db = NULL;
    bs_err e = {0};
    assert_int_not_equal(db_open("postgresql://u:s3cret@/x?host=/nonexistent", false, &db, &e),
                         BS_OK);
    assert_null(strstr(e.msg, "s3cret"));
    assert_non_null(strstr(e.msg, "postgresql://u:***@/x?host=/nonexistent: cannot connect: "));
    bs_err_clear(&e);
    assert_int_not_equal(db_open("host=/nonexistent password = 's3 cret' dbname=x", false, &db, &e),
                         BS_OK);
    assert_null(strstr(e.msg, "s3"));
    assert_non_null(strstr(e.msg, "host=/nonexistent password = *** dbname=x: cannot connect: "));
    bs_err_clear(&e);
    assert_int_not_equal(db_open("postgres:///x?host=/nonexistent&password=s3cret", false, &db, &e),
                         BS_OK);
    assert_null(strstr(e.msg, "s3cret"));
    assert_null(db);
}

/* PostgreSQL only: the writer's lock is one at a time, across connections. */
static void test_pg_one_writer(void **state)
{
    fixture *f = *state;
    bs_err e = {0};
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    PGconn *c = pg_connect(f->pg_name);
    PGresult *r = PQexec(c, "SELECT pg_try_advisory_lock(108170604408693)");
    assert_string_equal(PQgetvalue(r, 0, 0), "f");
    PQclear(r);
    store_rollback(f->st);
    r = PQexec(c, "SELECT pg_try_advisory_lock(108170604408693)");
    assert_string_equal(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    PQfinish(c);

    // A second writer waits for the first to commit, then sees its row:
    // its own check, not the unique index, refuses the name.
    // (The child opens first: opening takes the lock too, to migrate.)
    bs_value *co = company("株式会社待");
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        // _exit, so that the parent's connection, shared by fork, is left alone.
        bs_store *st = NULL;
        bs_err ce = {0};
        int bad = store_open(f->db, false, &st, &ce) != BS_OK;
        char ch;
        bad |= write(ready[1], "r", 1) != 1 || read(go[0], &ch, 1) != 1;
        int64_t cid;
        int rc = bad ? BS_OK : store_begin(st, &ce);
        if (rc == BS_OK && !bad) {
            rc = store_company_add(st, co, &cid, &ce);
        }
        bad |= rc != BS_EEXIST || strcmp(ce.msg, "company '株式会社待' exists already (id 1)") != 0;
        if (bad) {
            fprintf(stderr, "second writer: %d %s\n", rc, ce.msg);
        }
        _exit(bad);
    }
    char ch;
    assert_int_equal(read(ready[0], &ch, 1), 1);
    int64_t id = 0;
    assert_int_equal(store_begin(f->st, &e), BS_OK);
    assert_int_equal(store_company_add(f->st, co, &id, &e), BS_OK);
    assert_int_equal(write(go[1], "g", 1), 1);
    usleep(300 * 1000); // the child is waiting for the lock by now
    assert_int_equal(store_commit(f->st, &e), BS_OK);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    value_free(co);
}

int main(void)
{
    pg_conninfo = getenv("BANSOU_TEST_PG");
    if (pg_conninfo && !*pg_conninfo) {
        pg_conninfo = NULL;
    }
    const struct CMUnitTest pg_only[] = {
        cmocka_unit_test_setup_teardown(test_pg_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pg_one_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pg_concurrent_writers, setup, teardown),
        cmocka_unit_test(test_pg_password_hidden),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_and_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_on_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_log_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_gates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programme_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_calls, setup, teardown),
    };
    if (pg_conninfo) {
        // One group, so that the last "PASSED" line counts every test.
        enum { N = sizeof tests / sizeof *tests, P = sizeof pg_only / sizeof *pg_only };
        struct CMUnitTest all[N + P];
        memcpy(all, tests, sizeof tests);
        memcpy(all + N, pg_only, sizeof pg_only);
        return _cmocka_run_group_tests("store-pg", all, N + P, NULL, NULL);
    }
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
