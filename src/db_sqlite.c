/* db_sqlite: the database layer (db.h) on an SQLite file, behind db.c (see
 * db_int.h). The only file of the engine that includes sqlite3.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_int.h"
#include "i18n.h"
#include "util.h"

/* Prepared statements kept for the next use of the same SQL: a command
 * that walks every engagement runs the same few queries hundreds of times,
 * and preparing costs as much as running them. */
enum { STMT_CACHE = 48 };

typedef struct cached_stmt {
    char *sql;         /* owned: the text it was prepared from */
    sqlite3_stmt *s;   /* owned */
    bool busy;         /* handed out and not released yet */
} cached_stmt;

struct sqdb {
    sqlite3 *db;       /* owned */
    bool in_tx;        /* a transaction of ours is open */
    cached_stmt cache[STMT_CACHE];
    unsigned evict;    /* the slot to reuse next when all are taken */
};

struct sqdb_cursor {
    sqdb *db;         /* borrowed: the connection it runs on */
    sqlite3_stmt *s;   /* from prepare(), given back by release() */
};

/* The connection's last error as a bs_err: busy, damaged or other. */
static int last_error(sqdb *db, bs_err *err)
{
    int code = sqlite3_errcode(db->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        return bs_err_set(err, BS_EDB, _("database is busy (another bansou is writing): %s"),
                          sqlite3_errmsg(db->db));
    }
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
        return bs_err_set(err, BS_ECORRUPT, _("database is damaged: %s"), sqlite3_errmsg(db->db));
    }
    return bs_err_set(err, BS_EDB, _("database: %s"), sqlite3_errmsg(db->db));
}

int sqdb_exec(sqdb *db, const char *sql, bs_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = bs_err_set(err, BS_EDB, _("database: %s"), msg ? msg : sqlite3_errmsg(db->db));
        if (sqlite3_errcode(db->db) == SQLITE_NOTADB || sqlite3_errcode(db->db) == SQLITE_CORRUPT) {
            err->code = rc = BS_ECORRUPT;
        }
        sqlite3_free(msg);
        return rc;
    }
    return BS_OK;
}

/* The statement for `sql`, from the cache or prepared; give it back with
 * release(). */
static int prepare(sqdb *db, const char *sql, sqlite3_stmt **out, bs_err *err)
{
    for (int i = 0; i < STMT_CACHE; i++) {
        cached_stmt *c = &db->cache[i];
        if (c->s && !c->busy && strcmp(c->sql, sql) == 0) {
            c->busy = true;
            *out = c->s;
            return BS_OK;
        }
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        return last_error(db, err);
    }
    cached_stmt *slot = NULL;
    for (int i = 0; i < STMT_CACHE && !slot; i++) {
        slot = db->cache[i].s ? NULL : &db->cache[i];
    }
    for (int i = 0; i < STMT_CACHE && !slot; i++) {
        cached_stmt *c = &db->cache[(db->evict + (unsigned)i) % STMT_CACHE];
        if (!c->busy) {
            sqlite3_finalize(c->s);
            free(c->sql);
            *c = (cached_stmt){0};
            slot = c;
            db->evict = (db->evict + (unsigned)i + 1) % STMT_CACHE;
        }
    }
    if (slot) {
        *slot = (cached_stmt){.sql = xstrdup(sql), .s = s, .busy = true};
    }
    *out = s;
    return BS_OK;
}

/* Gives back a statement of prepare(): reset for its next use, or finalized
 * when the cache had no room for it. NULL is fine. */
static void release(sqdb *db, sqlite3_stmt *s)
{
    if (!s) {
        return;
    }
    for (int i = 0; i < STMT_CACHE; i++) {
        if (db->cache[i].s == s) {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            db->cache[i].busy = false;
            return;
        }
    }
    sqlite3_finalize(s);
}

/* Binds a value (string, integer, number, boolean or null) to parameter i. */
static void bind_value(sqlite3_stmt *s, int i, const bs_value *v)
{
    switch (value_type(v)) {
    case BS_VSTR:
        sqlite3_bind_text(s, i, value_as_str(v), (int)value_str_len(v), SQLITE_TRANSIENT);
        break;
    case BS_VINT:
        sqlite3_bind_int64(s, i, value_as_int(v));
        break;
    case BS_VNUM:
        sqlite3_bind_double(s, i, value_as_num(v));
        break;
    case BS_VBOOL:
        sqlite3_bind_int(s, i, value_as_bool(v));
        break;
    default:
        sqlite3_bind_null(s, i);
        break;
    }
}

static void bind_args(sqlite3_stmt *s, const bs_value *args)
{
    for (size_t i = 0; i < value_len(args); i++) {
        bind_value(s, (int)i + 1, value_at(args, i));
    }
}

/* The current row as a map of column → value; text is copied. */
static bs_value *row_value(sqlite3_stmt *s)
{
    bs_value *m = value_map();
    for (int i = 0; i < sqlite3_column_count(s); i++) {
        const char *name = sqlite3_column_name(s, i);
        switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
            value_set_int(m, name, sqlite3_column_int64(s, i));
            break;
        case SQLITE_FLOAT:
            value_set(m, name, value_num(sqlite3_column_double(s, i)));
            break;
        case SQLITE_NULL:
            value_set(m, name, value_null());
            break;
        default:
            value_set(m, name,
                      value_strn((const char *)sqlite3_column_text(s, i),
                                 (size_t)sqlite3_column_bytes(s, i)));
            break;
        }
    }
    return m;
}

int sqdb_query(sqdb *db, const char *sql, const bs_value *args, bs_value **out, bs_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(db, sql, &s, err);
    if (rc != BS_OK) {
        return rc;
    }
    bind_args(s, args);
    bs_value *rows = value_list();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        value_push(rows, row_value(s));
    }
    if (r != SQLITE_DONE) {
        if (sqlite3_errcode(db->db) == SQLITE_CONSTRAINT) {
            rc = bs_err_set(err, BS_EEXIST, "%s", sqlite3_errmsg(db->db));
        } else {
            rc = last_error(db, err);
        }
        value_free(rows);
    } else if (out) {
        *out = rows;
    } else {
        value_free(rows);
    }
    release(db, s);
    return rc;
}

int sqdb_cursor_open(sqdb *db, const char *sql, const bs_value *args, sqdb_cursor **out,
                   bs_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(db, sql, &s, err);
    if (rc != BS_OK) {
        return rc;
    }
    bind_args(s, args);
    sqdb_cursor *c = xcalloc(1, sizeof *c);
    c->db = db;
    c->s = s;
    *out = c;
    return BS_OK;
}

int sqdb_cursor_next(sqdb_cursor *c, bool *row_out, bs_err *err)
{
    int r = sqlite3_step(c->s);
    if (r == SQLITE_ROW || r == SQLITE_DONE) {
        *row_out = r == SQLITE_ROW;
        return BS_OK;
    }
    return last_error(c->db, err);
}

bs_vtype sqdb_cursor_type(sqdb_cursor *c, int i)
{
    switch (sqlite3_column_type(c->s, i)) {
    case SQLITE_INTEGER:
        return BS_VINT;
    case SQLITE_FLOAT:
        return BS_VNUM;
    case SQLITE_NULL:
        return BS_VNULL;
    default:
        return BS_VSTR;
    }
}

int64_t sqdb_cursor_int(sqdb_cursor *c, int i)
{
    return sqlite3_column_int64(c->s, i);
}

double sqdb_cursor_num(sqdb_cursor *c, int i)
{
    return sqlite3_column_double(c->s, i);
}

const char *sqdb_cursor_text(sqdb_cursor *c, int i, size_t *len_out)
{
    const char *t = (const char *)sqlite3_column_text(c->s, i);
    if (len_out) {
        *len_out = (size_t)sqlite3_column_bytes(c->s, i);
    }
    return t;
}

void sqdb_cursor_close(sqdb_cursor *c)
{
    if (!c) {
        return;
    }
    release(c->db, c->s);
    free(c);
}

int sqdb_open(const char *path, bool create, sqdb **out, bs_err *err)
{
    if (create) {
        // Create the file owner-only before SQLite does, so that it never
        // exists with wider permissions.
        // Exactly 0600 whatever the umask; SQLite gives the -wal and -shm
        // files the database's mode.
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            return bs_err_set(err, BS_EIO, _("%s: cannot create: %s"), path, strerror(errno));
        }
        fchmod(fd, 0600);
        close(fd);
    } else if (!bs_file_exists(path)) {
        return bs_err_set(err, BS_ENOTFOUND, _("%s: no such database"), path);
    }
    sqdb *db = xcalloc(1, sizeof *db);
    int rc = BS_OK;
    if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = bs_err_set(err, BS_EDB, "%s: %s", path,
                        db->db ? sqlite3_errmsg(db->db) : _("cannot open database"));
        goto fail;
    }
    sqlite3_busy_timeout(db->db, 30000);
    sqlite3_extended_result_codes(db->db, 0);
    rc = sqdb_exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                     "PRAGMA synchronous = NORMAL;", err);
    if (rc != BS_OK) {
        bs_err_prefix(err, "%s", path);
        goto fail;
    }
    *out = db;
    return BS_OK;
fail:
    sqdb_close(db);
    return rc;
}

void sqdb_close(sqdb *db)
{
    if (!db) {
        return;
    }
    sqdb_rollback(db);
    for (int i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(db->cache[i].s);
        free(db->cache[i].sql);
    }
    sqlite3_close(db->db);
    free(db);
}

int sqdb_begin(sqdb *db, bs_err *err)
{
    // IMMEDIATE: the writer's lock now, so that what a command reads before
    // it writes cannot change under it.
    int rc = sqdb_exec(db, "BEGIN IMMEDIATE", err);
    if (rc == BS_OK) {
        db->in_tx = true;
    }
    return rc;
}

int sqdb_commit(sqdb *db, bs_err *err)
{
    int rc = sqdb_exec(db, "COMMIT", err);
    if (rc == BS_OK) {
        db->in_tx = false;
    } else {
        sqdb_rollback(db);
    }
    return rc;
}

void sqdb_rollback(sqdb *db)
{
    if (db && db->in_tx) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        db->in_tx = false;
    }
}

int sqdb_schema_version(sqdb *db, int *out, bs_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(db, "PRAGMA user_version", &s, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = last_error(db, err);
    } else {
        *out = sqlite3_column_int(s, 0);
    }
    release(db, s);
    return rc;
}

int sqdb_password_verifier(sqdb *db, const char *login, const char *password, char **out,
                           bs_err *err)
{
    (void)db;
    (void)login;
    (void)password;
    (void)out;
    return bs_err_set(err, BS_ESTATE,
                      _("users and roles need a database server (see 'bansou help init')"));
}

int sqdb_set_schema_version(sqdb *db, int version, bs_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    return sqdb_exec(db, sql, err);
}
