/* workspace: the directory that holds one database and its generated files,
 * and the theme search path that goes with it. */
#ifndef BS_WORKSPACE_H
#define BS_WORKSPACE_H

#include "err.h"
#include "store.h"

typedef struct bs_theme_path bs_theme_path;

typedef struct bs_ws {
    char *dir;         /* owned: the workspace directory */
    bs_store *st;      /* owned: its database, open */
} bs_ws;

/* Creates a workspace in `dir`: its database and dir/out/. `dir` is created
 * if missing; it and out/ are made 0700 either way (BS_EIO when that cannot
 * be done). An existing workspace is BS_EEXIST. With `server` NULL the
 * database is the file dir/bansou.db (0600); else `server` names a
 * PostgreSQL database (a postgresql:// URI or a libpq conninfo such as
 * "service=bansou"), which must hold no bansou schema yet (`join` false:
 * the workspace creates it) or must hold one (`join` true: another user
 * created it), and is kept in dir/database (0600) for the commands that
 * follow. A server string with a password in it is refused: the password
 * belongs in libpq's own files (~/.pgpass or PGPASSFILE, a service file),
 * never in the workspace. */
int workspace_init(const char *dir, const char *server, bool join, bs_err *err);

/* Moves the workspace in `dir`, whose database is the file dir/bansou.db,
 * onto the PostgreSQL database `server` (checked as for workspace_init):
 * every row is copied with its ids, events and documents' hashes
 * (store_copy, which refuses conflicts), the bansou tables made first when
 * the database has none; then dir/database names the server and the file
 * is kept as dir/bansou.db.moved. *copied_out: rows copied per table
 * (owned). On an error before the copy committed, the workspace is as it
 * was (a database that had no bansou tables may keep empty ones). */
int workspace_migrate_to(const char *dir, const char *server, bs_value **copied_out,
                         bs_err *err);

/* The problem of a server string (NULL when none): empty, too long, a
 * control character, a password in it. */
const char *workspace_server_problem(const char *server);

/* Finds the workspace: `opt` (-C) if not NULL, else $BANSOU_DIR, else the
 * current directory. The directory found must hold bansou.db or a database
 * file naming its server. The path is owned by the caller. */
int workspace_find(const char *opt, char **dir_out, bs_err *err);

/* Opens the workspace in `dir`. */
int workspace_open(const char *dir, bs_ws **out, bs_err *err);
void workspace_close(bs_ws *ws);

/* The theme search path: `ws_dir`/themes (when ws_dir is not NULL and it
 * exists), then $BANSOU_THEMES, or the themes/ beside the executable, or the
 * installed share/bansou/themes. The strings live in `storage`, which the
 * caller frees with workspace_path_free. */
typedef struct bs_path_store {
    char *dirs[4];
} bs_path_store;
void workspace_theme_path(const char *ws_dir, bs_theme_path *tp, bs_path_store *storage);
/* The same for Word templates: WS/templates, $BANSOU_TEMPLATES, or the
 * templates/ beside the executable or installed. */
void workspace_template_path(const char *ws_dir, bs_theme_path *tp, bs_path_store *storage);
void workspace_path_free(bs_path_store *storage);

#endif
