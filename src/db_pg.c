/* db_pg: the database layer (db.h) on a PostgreSQL database over libpq,
 * behind db.c (see db_int.h). The only file of the engine that includes
 * libpq-fe.h.
 *
 * Statements are sent as text with ?N turned into $N, prepared once under
 * a generated name and kept per SQL text, as db_sqlite.c keeps its
 * statements. Arguments go as text and the server gives them the type of
 * where they stand; results come back as text and are converted by the
 * type of their column. A cursor holds the whole result of its statement:
 * the store's largest results (an engagement's records) fit in memory, and
 * a connection can then run other statements while a cursor is open. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_int.h"
#include "i18n.h"
#include "util.h"

enum { STMT_CACHE = 48 };

/* The key of the advisory lock every writing transaction takes: "bansou"
 * in ASCII, read as a number. */
#define WRITER_LOCK "108170604408693"

/* Type OIDs of the columns read as numbers (pg_type.dat; they never change). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_NUMERIC = 1700,
};

typedef struct cached_stmt {
    char *sql;         /* owned: the text as the store wrote it; NULL when free */
    char name[16];     /* the name it was prepared under on the server */
    bool *bytea;       /* owned: per parameter, whether the server takes it as bytea */
    int nparams;
} cached_stmt;

struct pgdb {
    PGconn *conn;      /* owned */
    char *label;       /* owned: the target without its password, for messages */
    bool in_tx;        /* a transaction of ours is open */
    cached_stmt cache[STMT_CACHE];
    unsigned evict;    /* the slot to reuse next when all are taken */
    unsigned names;    /* statements prepared so far: the next name */
};

struct pgdb_cursor {
    PGresult *res;     /* owned: every row of the statement */
    int row;           /* the current row; -1 before the first */
    unsigned char *bytes; /* owned (PQfreemem): the last bytea column lent */
};

/* The first line of libpq's last message (it may add hints below). */
static void conn_message(PGconn *conn, char *buf, size_t size)
{
    const char *m = conn ? PQerrorMessage(conn) : "";
    size_t n = strcspn(m, "\n");
    if (n >= size) {
        n = size - 1;
    }
    memcpy(buf, m, n);
    buf[n] = '\0';
}

/* A failed result (or none) as a bs_err: a lost connection, a writer
 * holding the lock too long (busy), a constraint violation (BS_EEXIST when
 * `constraint` is true, as db_query reports them) or any other error. */
static int result_error(pgdb *db, const PGresult *res, bool constraint, bs_err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[400];
    if (primary) {
        snprintf(msg, sizeof msg, "%s", primary);
    } else {
        conn_message(db->conn, msg, sizeof msg);
    }
    if (!state) {
        state = "";
    }
    if (PQstatus(db->conn) != CONNECTION_OK || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P0", 4) == 0) {
        return bs_err_set(err, BS_EDB, _("database: the connection to the server was lost: %s"),
                          msg);
    }
    if (strcmp(state, "42501") == 0) {
        // A privilege the user lacks, or a row a policy refuses.
        return bs_err_set(err, BS_ESTATE, _("database: not allowed for %s: %s"),
                          PQuser(db->conn), msg);
    }
    if (constraint && strncmp(state, "23", 2) == 0) {
        return bs_err_set(err, BS_EEXIST, "%s", msg);
    }
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
        strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0) {
        return bs_err_set(err, BS_EDB, _("database is busy (another bansou is writing): %s"), msg);
    }
    return bs_err_set(err, BS_EDB, _("database: %s"), msg);
}

static bool result_ok(const PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

int pgdb_exec(pgdb *db, const char *sql, bs_err *err)
{
    PGresult *res = PQexec(db->conn, sql);
    int rc = result_ok(res) ? BS_OK : result_error(db, res, false, err);
    PQclear(res);
    return rc;
}

/* `sql` with ?N turned into $N outside quoted literals and identifiers;
 * owned by the caller. */
static char *translate(const char *sql)
{
    size_t n = strlen(sql);
    char *out = xmalloc(n + 1), *o = out;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote) {
                quote = 0; // a doubled quote closes and reopens: the same text
            }
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
            *o++ = '$';
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void stmt_free(cached_stmt *c)
{
    free(c->sql);
    free(c->bytea);
    *c = (cached_stmt){0};
}

/* Which parameters of the statement prepared as `name` are bytea: they go
 * as raw bytes (binary format), any other as text. */
static int describe(pgdb *db, cached_stmt *slot, bs_err *err)
{
    PGresult *res = PQdescribePrepared(db->conn, slot->name);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? BS_OK : result_error(db, res, false, err);
    if (rc == BS_OK) {
        slot->nparams = PQnparams(res);
        slot->bytea = xcalloc(slot->nparams ? (size_t)slot->nparams : 1, sizeof *slot->bytea);
        for (int i = 0; i < slot->nparams; i++) {
            slot->bytea[i] = PQparamtype(res, i) == OID_BYTEA;
        }
    }
    PQclear(res);
    return rc;
}

/* The prepared statement for `sql`: from the cache, or prepared now and
 * kept. Lent until the next call. */
static int statement(pgdb *db, const char *sql, const cached_stmt **out, bs_err *err)
{
    for (int i = 0; i < STMT_CACHE; i++) {
        if (db->cache[i].sql && strcmp(db->cache[i].sql, sql) == 0) {
            *out = &db->cache[i];
            return BS_OK;
        }
    }
    cached_stmt *slot = NULL;
    for (int i = 0; i < STMT_CACHE && !slot; i++) {
        slot = db->cache[i].sql ? NULL : &db->cache[i];
    }
    if (!slot) {
        // Every slot holds a statement: forget the oldest. Should the
        // server refuse (inside a failed transaction), the statement only
        // stays there unused until the connection closes.
        slot = &db->cache[db->evict];
        db->evict = (db->evict + 1) % STMT_CACHE;
        char dealloc[32];
        snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", slot->name);
        PQclear(PQexec(db->conn, dealloc));
        stmt_free(slot);
    }
    char name[16];
    snprintf(name, sizeof name, "bs%u", db->names++);
    char *text = translate(sql);
    PGresult *res = PQprepare(db->conn, name, text, 0, NULL);
    free(text);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? BS_OK : result_error(db, res, false, err);
    PQclear(res);
    if (rc != BS_OK) {
        return rc;
    }
    memcpy(slot->name, name, sizeof name);
    rc = describe(db, slot, err);
    if (rc != BS_OK) {
        stmt_free(slot);
        return rc;
    }
    slot->sql = xstrdup(sql);
    *out = slot;
    return BS_OK;
}

/* Runs `sql` with `args` bound as text; the result is owned by the caller.
 * `constraint`: a constraint violation is BS_EEXIST. */
static int run(pgdb *db, const char *sql, const bs_value *args, bool constraint,
               PGresult **out, bs_err *err)
{
    const cached_stmt *stmt = NULL;
    int rc = statement(db, sql, &stmt, err);
    if (rc != BS_OK) {
        return rc;
    }
    size_t n = value_len(args);
    const char **vals = xcalloc(n ? n : 1, sizeof *vals);
    int *lens = xcalloc(n ? n : 1, sizeof *lens);
    int *formats = xcalloc(n ? n : 1, sizeof *formats);
    char(*nums)[32] = xcalloc(n ? n : 1, sizeof *nums);
    for (size_t i = 0; i < n; i++) {
        const bs_value *v = value_at(args, i);
        switch (value_type(v)) {
        case BS_VSTR:
            vals[i] = value_as_str(v);
            if ((int)i < stmt->nparams && stmt->bytea[i]) {
                lens[i] = (int)value_str_len(v);
                formats[i] = 1;
            } else if (strlen(vals[i]) != value_str_len(v)) {
                // Text on the server cannot hold a NUL: refused, not cut short.
                rc = bs_err_set(err, BS_EINPUT, _("database: a text with a NUL byte in it"));
            }
            break;
        case BS_VINT:
            snprintf(nums[i], sizeof nums[i], "%" PRId64, value_as_int(v));
            vals[i] = nums[i];
            break;
        case BS_VNUM:
            snprintf(nums[i], sizeof nums[i], "%.17g", value_as_num(v));
            vals[i] = nums[i];
            break;
        case BS_VBOOL:
            vals[i] = value_as_bool(v) ? "1" : "0";
            break;
        default:
            vals[i] = NULL;
            break;
        }
    }
    PGresult *res = rc == BS_OK
                        ? PQexecPrepared(db->conn, stmt->name, (int)n, vals, lens, formats, 0)
                        : NULL;
    free(vals);
    free(lens);
    free(formats);
    free(nums);
    if (rc != BS_OK) {
        return rc;
    }
    if (!result_ok(res)) {
        rc = result_error(db, res, constraint, err);
        PQclear(res);
        return rc;
    }
    *out = res;
    return BS_OK;
}

static bs_vtype column_type(const PGresult *res, int row, int i)
{
    if (PQgetisnull(res, row, i)) {
        return BS_VNULL;
    }
    switch (PQftype(res, i)) {
    case OID_BOOL:
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        return BS_VINT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return BS_VNUM;
    default:
        return BS_VSTR;
    }
}

/* A column's text as an integer; a boolean is 1 or 0. */
static int64_t text_int(const PGresult *res, int row, int i)
{
    const char *t = PQgetvalue(res, row, i);
    if (PQftype(res, i) == OID_BOOL) {
        return t[0] == 't';
    }
    return strtoll(t, NULL, 10);
}

/* Row `row` as a map of column → value; text is copied. */
static bs_value *row_value(const PGresult *res, int row)
{
    bs_value *m = value_map();
    for (int i = 0; i < PQnfields(res); i++) {
        const char *name = PQfname(res, i);
        switch (column_type(res, row, i)) {
        case BS_VNULL:
            value_set(m, name, value_null());
            break;
        case BS_VINT:
            value_set_int(m, name, text_int(res, row, i));
            break;
        case BS_VNUM:
            value_set(m, name, value_num(strtod(PQgetvalue(res, row, i), NULL)));
            break;
        default:
            if (PQftype(res, i) == OID_BYTEA) {
                size_t len = 0;
                unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, i),
                                                   &len);
                if (!b) {
                    bs_oom();
                }
                value_set(m, name, value_strn((const char *)b, len));
                PQfreemem(b);
                break;
            }
            value_set(m, name,
                      value_strn(PQgetvalue(res, row, i), (size_t)PQgetlength(res, row, i)));
            break;
        }
    }
    return m;
}

int pgdb_query(pgdb *db, const char *sql, const bs_value *args, bs_value **out, bs_err *err)
{
    PGresult *res = NULL;
    int rc = run(db, sql, args, true, &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (out) {
        bs_value *rows = value_list();
        for (int r = 0; r < PQntuples(res); r++) {
            value_push(rows, row_value(res, r));
        }
        *out = rows;
    }
    PQclear(res);
    return BS_OK;
}

int pgdb_cursor_open(pgdb *db, const char *sql, const bs_value *args, pgdb_cursor **out,
                     bs_err *err)
{
    PGresult *res = NULL;
    int rc = run(db, sql, args, false, &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    pgdb_cursor *c = xcalloc(1, sizeof *c);
    c->res = res;
    c->row = -1;
    *out = c;
    return BS_OK;
}

int pgdb_cursor_next(pgdb_cursor *c, bool *row_out, bs_err *err)
{
    (void)err; // the statement ran, and failed if at all, in pgdb_cursor_open
    if (c->row < PQntuples(c->res)) {
        c->row++;
    }
    *row_out = c->row < PQntuples(c->res);
    return BS_OK;
}

bs_vtype pgdb_cursor_type(pgdb_cursor *c, int i)
{
    return column_type(c->res, c->row, i);
}

int64_t pgdb_cursor_int(pgdb_cursor *c, int i)
{
    return PQgetisnull(c->res, c->row, i) ? 0 : text_int(c->res, c->row, i);
}

double pgdb_cursor_num(pgdb_cursor *c, int i)
{
    return PQgetisnull(c->res, c->row, i) ? 0 : strtod(PQgetvalue(c->res, c->row, i), NULL);
}

const char *pgdb_cursor_text(pgdb_cursor *c, int i, size_t *len_out)
{
    bool null = PQgetisnull(c->res, c->row, i);
    size_t len = null ? 0 : (size_t)PQgetlength(c->res, c->row, i);
    const char *t = null ? NULL : PQgetvalue(c->res, c->row, i);
    if (t && PQftype(c->res, i) == OID_BYTEA) {
        PQfreemem(c->bytes);
        c->bytes = PQunescapeBytea((const unsigned char *)t, &len);
        if (!c->bytes) {
            bs_oom();
        }
        t = (const char *)c->bytes;
    }
    if (len_out) {
        *len_out = len;
    }
    return t;
}

void pgdb_cursor_close(pgdb_cursor *c)
{
    if (!c) {
        return;
    }
    PQclear(c->res);
    PQfreemem(c->bytes);
    free(c);
}

/* `target` with the value of any password in it replaced by "***": in a
 * URI's user:password@, or after "password=" in a conninfo or a URI's
 * parameters. Owned by the caller. */
static char *without_password(const char *target)
{
    char *s = xstrdup(target);
    const char *scheme = strstr(s, "://");
    if (scheme && (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0)) {
        char *auth = (char *)scheme + 3;
        size_t alen = strcspn(auth, "/?");
        char *at = memchr(auth, '@', alen);
        char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            char *t = xasprintf("%.*s:***%s", (int)(colon - s), s, at);
            free(s);
            s = t;
        }
    }
    for (char *p = strstr(s, "password"); p; p = strstr(p + 1, "password")) {
        char *v = p + 8;
        while (*v == ' ') {
            v++;
        }
        if (*v != '=') {
            continue;
        }
        v++;
        while (*v == ' ') {
            v++;
        }
        size_t len = *v == '\'' ? strcspn(v + 1, "'") + 2 : strcspn(v, " &");
        if (len > strlen(v)) {
            len = strlen(v);
        }
        char *t = xasprintf("%.*s***%s", (int)(v - s), s, v + len);
        p = t + (p - s);
        free(s);
        s = t;
    }
    return s;
}

/* Server notices (e.g. "relation exists, skipping") are not for the user. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* libpq's own messages (a refused connection, a server gone) come through
 * its gettext domain, libpq5-MAJOR; bansou leaves LC_CTYPE at C, so that
 * domain is told to speak UTF-8 too, as bansou's is, or a Japanese message
 * would arrive as question marks. */
static void libpq_speaks_utf8(void)
{
    static bool done;
    if (!done) {
        char domain[32];
        snprintf(domain, sizeof domain, "libpq5-%d", PQlibVersion() / 10000);
        bind_textdomain_codeset(domain, "UTF-8");
        done = true;
    }
}

/* The seconds of the target's connect_timeout, 0 for none. */
static int connect_timeout(PGconn *conn)
{
    int t = 0;
    PQconninfoOption *opts = PQconninfo(conn);
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val) {
            t = atoi(o->val);
        }
    }
    PQconninfoFree(opts);
    return t > 0 ? t : 0;
}

/* Connects as PQconnectdb does, but with the notices silenced from the
 * start: a server shutting down says why as a notice that may arrive while
 * the connection is still being made, and libpq would print it on stderr.
 * The target's connect_timeout bounds each wait: *timeout_out is its
 * seconds when one ran out, else 0. */
static PGconn *connect_quietly(const char *target, int *timeout_out)
{
    *timeout_out = 0;
    PGconn *conn = PQconnectStart(target);
    if (!conn) {
        bs_oom();
    }
    PQsetNoticeProcessor(conn, quiet, NULL);
    int wait_ms = connect_timeout(conn) * 1000;
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
           st != PGRES_POLLING_FAILED) {
        struct pollfd p = {.fd = PQsocket(conn),
                           .events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT};
        int n = poll(&p, 1, wait_ms ? wait_ms : -1);
        if (n == 0) {
            *timeout_out = wait_ms / 1000;
            break;
        }
        if (n < 0 && errno != EINTR) {
            break;
        }
        st = PQconnectPoll(conn);
    }
    return conn;
}

int pgdb_open(const char *target, bool create, pgdb **out, bs_err *err)
{
    libpq_speaks_utf8();
    pgdb *db = xcalloc(1, sizeof *db);
    db->label = without_password(target);
    int rc = BS_OK;
    PGresult *res = NULL;
    int timeout = 0;
    db->conn = connect_quietly(target, &timeout);
    if (timeout) {
        rc = bs_err_set(err, BS_EDB, _("%s: cannot connect: no answer within %d s"), db->label,
                        timeout);
        goto fail;
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[400];
        conn_message(db->conn, msg, sizeof msg);
        rc = bs_err_set(err, BS_EDB, _("%s: cannot connect: %s"), db->label, msg);
        goto fail;
    }
    if (PQsetClientEncoding(db->conn, "UTF8") != 0) {
        rc = result_error(db, NULL, false, err);
        bs_err_prefix(err, "%s", db->label);
        goto fail;
    }
    // Whether the database holds bansou's tables: its schema version, or
    // a table of the first migration left by a failed one.
    res = PQexec(db->conn, "SELECT to_regclass('bansou_schema') IS NOT NULL,"
                           " to_regclass('company') IS NOT NULL");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = result_error(db, res, false, err);
        bs_err_prefix(err, "%s", db->label);
        goto fail;
    }
    bool schema = PQgetvalue(res, 0, 0)[0] == 't', tables = PQgetvalue(res, 0, 1)[0] == 't';
    if (create && (schema || tables)) {
        rc = bs_err_set(err, BS_EIO, _("%s: already a bansou database (to work in it: init --join)"), db->label);
        goto fail;
    }
    if (!create && !schema) {
        rc = bs_err_set(err, BS_ENOTFOUND, _("%s: no bansou database here"), db->label);
        goto fail;
    }
    PQclear(res);
    *out = db;
    return BS_OK;
fail:
    PQclear(res);
    pgdb_close(db);
    return rc;
}

void pgdb_close(pgdb *db)
{
    if (!db) {
        return;
    }
    pgdb_rollback(db);
    for (int i = 0; i < STMT_CACHE; i++) {
        stmt_free(&db->cache[i]);
    }
    PQfinish(db->conn);
    free(db->label);
    free(db);
}

int pgdb_begin(pgdb *db, bs_err *err)
{
    // One writer at a time, as SQLite's BEGIN IMMEDIATE: every writing
    // transaction takes the same lock first, so that what a command reads
    // before it writes cannot change under it. A writer that holds it
    // longer than the timeout makes this one busy.
    db->in_tx = true;
    int rc = pgdb_exec(db,
                       "BEGIN; SET LOCAL lock_timeout = '30s';"
                       " SELECT pg_advisory_xact_lock(" WRITER_LOCK ")",
                       err);
    if (rc != BS_OK) {
        pgdb_rollback(db);
    }
    return rc;
}

int pgdb_commit(pgdb *db, bs_err *err)
{
    PGresult *res = PQexec(db->conn, "COMMIT");
    int rc = BS_OK;
    if (!result_ok(res)) {
        rc = result_error(db, res, false, err);
    } else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        // A statement of the transaction failed, so the server rolled it
        // back instead of committing.
        rc = bs_err_set(err, BS_EDB, _("database: %s"),
                        _("the transaction failed and was rolled back"));
    }
    PQclear(res);
    if (rc == BS_OK) {
        db->in_tx = false;
    } else {
        pgdb_rollback(db);
    }
    return rc;
}

void pgdb_rollback(pgdb *db)
{
    if (db && db->in_tx) {
        PQclear(PQexec(db->conn, "ROLLBACK"));
        db->in_tx = false;
    }
}

int pgdb_schema_version(pgdb *db, int *out, bs_err *err)
{
    // A database being created has no bansou_schema yet: version 0. Asked
    // first, because a statement on a missing table would fail the
    // migrating transaction.
    bs_value *rows = NULL;
    int rc = pgdb_query(db, "SELECT to_regclass('bansou_schema') IS NOT NULL AS present", NULL,
                        &rows, err);
    bool present = rc == BS_OK && value_as_int(value_get(value_at(rows, 0), "present"));
    value_free(rows);
    rows = NULL;
    if (rc != BS_OK || !present) {
        *out = 0;
        return rc;
    }
    rc = pgdb_query(db, "SELECT coalesce(max(version), 0) AS v FROM bansou_schema", NULL, &rows,
                    err);
    if (rc == BS_OK) {
        *out = (int)value_as_int(value_get(value_at(rows, 0), "v"));
    }
    value_free(rows);
    return rc;
}

int pgdb_password_verifier(pgdb *db, const char *login, const char *password, char **out,
                           bs_err *err)
{
    char *v = PQencryptPasswordConn(db->conn, password, login, NULL);
    if (!v) {
        char msg[400];
        conn_message(db->conn, msg, sizeof msg);
        return bs_err_set(err, BS_EDB, _("database: %s"), msg);
    }
    *out = xstrdup(v);
    PQfreemem(v);
    return BS_OK;
}

int pgdb_set_schema_version(pgdb *db, int version, bs_err *err)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS bansou_schema (version integer NOT NULL);"
             " DELETE FROM bansou_schema; INSERT INTO bansou_schema VALUES (%d)",
             version);
    return pgdb_exec(db, sql, err);
}
