/* db: the one place where the backend is chosen (db_open) and every call of
 * db.h is passed on to it. A handle holds exactly one of the two backends'
 * handles; a cursor likewise. */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "util.h"

struct bs_db {
    sqdb *sq;          /* owned, or NULL on PostgreSQL */
    pgdb *pg;          /* owned, or NULL on SQLite */
};

struct bs_db_cursor {
    sqdb_cursor *sq;   /* owned, or NULL on PostgreSQL */
    pgdb_cursor *pg;   /* owned, or NULL on SQLite */
};

/* A libpq connection URI, or a conninfo: keyword=value pairs, so that the
 * text before its first '=' is a keyword (letters and '_'). Anything else
 * names a file, "/srv/a=b/bansou.db" or "./x=y.db" included. */
static bool is_postgresql(const char *target)
{
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0) {
        return true;
    }
    const char *p = target;
    while (*p == ' ') {
        p++;
    }
    const char *word = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
        p++;
    }
    bool keyword = p > word;
    while (*p == ' ') {
        p++;
    }
    return keyword && *p == '=';
}

int db_open(const char *target, bool create, bs_db **out, bs_err *err)
{
    bs_db *db = xcalloc(1, sizeof *db);
    int rc = is_postgresql(target) ? pgdb_open(target, create, &db->pg, err)
                                   : sqdb_open(target, create, &db->sq, err);
    if (rc != BS_OK) {
        free(db);
        return rc;
    }
    *out = db;
    return BS_OK;
}

void db_close(bs_db *db)
{
    if (!db) {
        return;
    }
    if (db->pg) {
        pgdb_close(db->pg);
    } else {
        sqdb_close(db->sq);
    }
    free(db);
}

const char *db_backend(const bs_db *db)
{
    return db->pg ? "postgresql" : "sqlite";
}

int db_exec(bs_db *db, const char *sql, bs_err *err)
{
    return db->pg ? pgdb_exec(db->pg, sql, err) : sqdb_exec(db->sq, sql, err);
}

int db_query(bs_db *db, const char *sql, const bs_value *args, bs_value **out, bs_err *err)
{
    return db->pg ? pgdb_query(db->pg, sql, args, out, err)
                  : sqdb_query(db->sq, sql, args, out, err);
}

int db_cursor_open(bs_db *db, const char *sql, const bs_value *args, bs_db_cursor **out,
                   bs_err *err)
{
    bs_db_cursor *c = xcalloc(1, sizeof *c);
    int rc = db->pg ? pgdb_cursor_open(db->pg, sql, args, &c->pg, err)
                    : sqdb_cursor_open(db->sq, sql, args, &c->sq, err);
    if (rc != BS_OK) {
        free(c);
        return rc;
    }
    *out = c;
    return BS_OK;
}

int db_cursor_next(bs_db_cursor *c, bool *row_out, bs_err *err)
{
    return c->pg ? pgdb_cursor_next(c->pg, row_out, err) : sqdb_cursor_next(c->sq, row_out, err);
}

bs_vtype db_cursor_type(bs_db_cursor *c, int i)
{
    return c->pg ? pgdb_cursor_type(c->pg, i) : sqdb_cursor_type(c->sq, i);
}

int64_t db_cursor_int(bs_db_cursor *c, int i)
{
    return c->pg ? pgdb_cursor_int(c->pg, i) : sqdb_cursor_int(c->sq, i);
}

double db_cursor_num(bs_db_cursor *c, int i)
{
    return c->pg ? pgdb_cursor_num(c->pg, i) : sqdb_cursor_num(c->sq, i);
}

const char *db_cursor_text(bs_db_cursor *c, int i, size_t *len_out)
{
    return c->pg ? pgdb_cursor_text(c->pg, i, len_out) : sqdb_cursor_text(c->sq, i, len_out);
}

void db_cursor_close(bs_db_cursor *c)
{
    if (!c) {
        return;
    }
    if (c->pg) {
        pgdb_cursor_close(c->pg);
    } else {
        sqdb_cursor_close(c->sq);
    }
    free(c);
}

int db_begin(bs_db *db, bs_err *err)
{
    return db->pg ? pgdb_begin(db->pg, err) : sqdb_begin(db->sq, err);
}

int db_commit(bs_db *db, bs_err *err)
{
    return db->pg ? pgdb_commit(db->pg, err) : sqdb_commit(db->sq, err);
}

void db_rollback(bs_db *db)
{
    if (!db) {
        return;
    }
    if (db->pg) {
        pgdb_rollback(db->pg);
    } else {
        sqdb_rollback(db->sq);
    }
}

int db_schema_version(bs_db *db, int *out, bs_err *err)
{
    return db->pg ? pgdb_schema_version(db->pg, out, err) : sqdb_schema_version(db->sq, out, err);
}

int db_password_verifier(bs_db *db, const char *login, const char *password, char **out,
                         bs_err *err)
{
    return db->pg ? pgdb_password_verifier(db->pg, login, password, out, err)
                  : sqdb_password_verifier(db->sq, login, password, out, err);
}

int db_set_schema_version(bs_db *db, int version, bs_err *err)
{
    return db->pg ? pgdb_set_schema_version(db->pg, version, err)
                  : sqdb_set_schema_version(db->sq, version, err);
}
