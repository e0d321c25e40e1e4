/* db: the database layer under the store. The store holds the SQL text and
 * the logic; this layer holds the connection, statements, transactions, the
 * schema version and the mapping of the engine's errors into bs_err codes.
 * db.c chooses the backend when the database is opened and passes every
 * call on: db_sqlite.c implements it on an SQLite file, db_pg.c on a
 * PostgreSQL database over libpq.
 *
 * SQL text uses numbered placeholders ?1, ?2 … (a number may repeat or come
 * out of order); an implementation whose engine numbers them otherwise
 * translates them. Arguments are a value list bound in order to ?1, ?2 …:
 * strings, integers, numbers, booleans (bound as 0/1) and null (anything
 * else binds null). The list is borrowed for the call.
 *
 * Errors: a constraint violation in db_query is BS_EEXIST with the engine's
 * own message; a database another process is writing is BS_EDB "database is
 * busy (another bansou is writing): …"; a damaged file or one that is not a
 * database is BS_ECORRUPT; a PostgreSQL connection that broke is BS_EDB
 * "database: the connection to the server was lost: …"; anything else is
 * BS_EDB "database: …". */
#ifndef BS_DB_H
#define BS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "value.h"

typedef struct bs_db bs_db;

/* Opens the database `target`. A target that begins with postgresql:// or
 * postgres://, or with a keyword and '=' (a libpq conninfo such as
 * "service=bansou" or "host=/run/pg dbname=b"), is a PostgreSQL database: it must exist; create: it must hold no bansou
 * tables yet (BS_EIO "already a bansou database"); otherwise it must hold
 * them (BS_ENOTFOUND). Any other target is an SQLite file (create: creates
 * it, owner-only, and fails with BS_EIO when it exists; otherwise it must
 * exist: BS_ENOTFOUND), opened with a busy timeout, WAL, foreign keys on.
 * Errors carry the target (without a password). The handle is owned by
 * the caller: db_close. */
int db_open(const char *target, bool create, bs_db **out, bs_err *err);
/* Rolls back an open transaction and closes. NULL is fine. */
void db_close(bs_db *db);

/* "sqlite" or "postgresql": for the SQL that differs between them. */
const char *db_backend(const bs_db *db);

/* Runs a script of one or more statements without arguments or rows. */
int db_exec(bs_db *db, const char *sql, bs_err *err);

/* Runs `sql` with `args` (a list, may be NULL) and returns every row as a
 * list of maps, column name (its alias) → value: integer, number, string
 * (bytes as stored) or null. `out` may be NULL when rows are not wanted;
 * otherwise it is owned by the caller. Statements are prepared once and
 * kept for the next use of the same text. */
int db_query(bs_db *db, const char *sql, const bs_value *args, bs_value **out, bs_err *err);

/* A statement being stepped row by row, for results too large to be worth
 * a map per row. Columns are read by index and what they lend is valid
 * until the next db_cursor_next or db_cursor_close. */
typedef struct bs_db_cursor bs_db_cursor;

/* Starts `sql` with `args` (borrowed, may be NULL). The cursor is owned by
 * the caller: db_cursor_close, also after an error of db_cursor_next. */
int db_cursor_open(bs_db *db, const char *sql, const bs_value *args, bs_db_cursor **out,
                   bs_err *err);
/* Steps: *row_out is true on a row, false at the end. An error, a
 * constraint violation included, is mapped as busy/damaged/"database: …". */
int db_cursor_next(bs_db_cursor *c, bool *row_out, bs_err *err);
/* The type of column i of the current row: BS_VINT, BS_VNUM, BS_VSTR or
 * BS_VNULL. */
bs_vtype db_cursor_type(bs_db_cursor *c, int i);
int64_t db_cursor_int(bs_db_cursor *c, int i);
double db_cursor_num(bs_db_cursor *c, int i);
/* The text of column i (NULL for null); its length in *len_out when not
 * NULL. */
const char *db_cursor_text(bs_db_cursor *c, int i, size_t *len_out);
/* Gives the statement back. NULL is fine. */
void db_cursor_close(bs_db_cursor *c);

/* Starts a write transaction that holds the writer's lock from the start
 * (waiting for other writers up to the busy timeout): BEGIN IMMEDIATE on
 * SQLite, a transaction-scoped advisory lock on PostgreSQL, so that what a
 * command reads before it writes cannot change under it. */
int db_begin(bs_db *db, bs_err *err);
/* Commits; on failure the transaction is rolled back. */
int db_commit(bs_db *db, bs_err *err);
/* Rolls back an open transaction; harmless when none is open. */
void db_rollback(bs_db *db);

/* The schema version recorded in the database (0 when new), and setting it
 * (inside the migrating transaction). */
int db_schema_version(bs_db *db, int *out, bs_err *err);
int db_set_schema_version(bs_db *db, int version, bs_err *err);

/* What the server keeps of `password` for `login` (a SCRAM verifier, in
 * the server's password_encryption), so that the password itself never
 * reaches it nor its logs. Owned by the caller. On SQLite BS_ESTATE:
 * users and roles need a database server. */
int db_password_verifier(bs_db *db, const char *login, const char *password, char **out,
                         bs_err *err);

#endif
