/* session: what a front end holds while it works: the workspace (or none),
 * who acts, the theme and template search paths, and every theme and Word
 * template loaded so far. A theme is loaded and checked once per session,
 * a template compiled once, however many engagements use them; one session
 * belongs to one process (its Lua states and database connection are not
 * shared). */
#ifndef BS_SESSION_H
#define BS_SESSION_H

#include <stdbool.h>

#include "err.h"
#include "store.h"

typedef struct bs_session bs_session;
typedef struct bs_theme bs_theme;
typedef struct bs_docx bs_docx;
typedef struct bs_theme_path bs_theme_path;

/* Opens a session. The workspace is `dir` (-C) if not NULL, else
 * $BANSOU_DIR, else the current directory; with `need_ws` a missing
 * workspace is an error, without it the session works on themes only (no
 * store). `actor` names who acts in the event log (session_check_actor);
 * it is copied. */
int session_open(const char *dir, const char *actor, bool need_ws, bs_session **out,
                 bs_err *err);
/* Whether `actor` may name who acts: UTF-8 without a control character (a
 * newline in it would forge a line of `bansou log`). `source` says where
 * the name came from, for the message ("--actor", "$USER"). */
int session_check_actor(const char *actor, const char *source, bs_err *err);
void session_close(bs_session *s);

/* The workspace's store and directory, or NULL without a workspace (lent,
 * valid until session_close). */
bs_store *session_store(const bs_session *s);
const char *session_dir(const bs_session *s);
const char *session_actor(const bs_session *s);

/* Closes the database connection and opens it again: a connection must not
 * be open across fork() (SQLite keeps per-process lock state), so a
 * session that starts worker processes suspends its own first. Between the
 * two, session_store is NULL. */
void session_suspend_store(bs_session *s);
int session_resume_store(bs_session *s, bs_err *err);

/* Theme `id`, loaded and validated on first use (lent, valid until
 * session_close). */
int session_theme(bs_session *s, const char *id, bs_theme **out, bs_err *err);
/* lib/<name>.lua of the theme path, loaded once (its functions are called
 * with theme_call). */
int session_lib(bs_session *s, const char *name, bs_theme **out, bs_err *err);
/* lib/profile.lua (the company profile and the SME test), loaded once. */
int session_profile(bs_session *s, bs_theme **out, bs_err *err);
/* The Word template `name` (a path relative to the template path, e.g.
 * "policy/基本方針.docx"), compiled on first use (lent, valid until
 * session_close). */
int session_template(bs_session *s, const char *name, const bs_docx **out, bs_err *err);

/* The theme search path (lent, valid until session_close). */
const bs_theme_path *session_theme_path(const bs_session *s);

#endif
