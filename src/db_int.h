/* db_int: what db.c dispatches to. Each backend implements the calls of
 * db.h under its own prefix, with its own handle types, and the same
 * contract as db.h states: sqdb_ (db_sqlite.c, an SQLite file) and pgdb_
 * (db_pg.c, a PostgreSQL database over libpq). Only db.c and the backends
 * include this header. */
#ifndef BS_DB_INT_H
#define BS_DB_INT_H

#include "db.h"

/* The calls of one backend, P being its prefix. */
#define DB_BACKEND(P)                                                                          \
    typedef struct P P;                                                                        \
    typedef struct P##_cursor P##_cursor;                                                      \
    int P##_open(const char *target, bool create, P **out, bs_err *err);                       \
    void P##_close(P *db);                                                                     \
    int P##_exec(P *db, const char *sql, bs_err *err);                                         \
    int P##_query(P *db, const char *sql, const bs_value *args, bs_value **out, bs_err *err);  \
    int P##_cursor_open(P *db, const char *sql, const bs_value *args, P##_cursor **out,        \
                        bs_err *err);                                                          \
    int P##_cursor_next(P##_cursor *c, bool *row_out, bs_err *err);                            \
    bs_vtype P##_cursor_type(P##_cursor *c, int i);                                            \
    int64_t P##_cursor_int(P##_cursor *c, int i);                                              \
    double P##_cursor_num(P##_cursor *c, int i);                                               \
    const char *P##_cursor_text(P##_cursor *c, int i, size_t *len_out);                        \
    void P##_cursor_close(P##_cursor *c);                                                      \
    int P##_begin(P *db, bs_err *err);                                                         \
    int P##_commit(P *db, bs_err *err);                                                        \
    void P##_rollback(P *db);                                                                  \
    int P##_schema_version(P *db, int *out, bs_err *err);                                      \
    int P##_set_schema_version(P *db, int version, bs_err *err);                               \
    int P##_password_verifier(P *db, const char *login, const char *password, char **out,      \
                              bs_err *err);

DB_BACKEND(sqdb)
DB_BACKEND(pgdb)

#endif
