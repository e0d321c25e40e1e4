/* job: one engagement as the engine works on it: the engagement, its
 * theme, and the context its theme's functions see (company, expert,
 * engagement, variants, theme, steps, visits with their ticked items,
 * worksheets, records, the company's records from other engagements, today:
 * docs/worksheet-format.md, docs/documents.md). Also what documents and
 * imports share on top of it: the worksheet specs of the theme, the rows a
 * sheet is written with, writing a workbook, and the engagement's output
 * folder. */
#ifndef BS_JOB_H
#define BS_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

typedef struct bs_job {
    bs_session *s;  /* lent: the session the job belongs to */
    int64_t eng;    /* the engagement's id */
    bs_value *e;    /* owned: the engagement (store_engagement_get) */
    bs_theme *th;   /* lent from the session: its theme */
    bs_value *ctx;  /* owned: the context; `records`, `company_records` and
                       `steps` are added when first wanted */
} bs_job;

/* Opens the job of engagement `eng`. On failure *j is empty (job_free is
 * still safe). */
int job_open(bs_session *s, int64_t eng, bs_job *j, bs_err *err);
/* Frees what the job owns; safe on an empty or freed job. */
void job_free(bs_job *j);
/* The model of the job's theme (lent, valid while the session is open). */
const bs_value *job_model(const bs_job *j);

/* The rows imported for the engagement (a map of sheet id → rows, lent from
 * the context), read from the store on first use together with the
 * company's records from its other engagements. */
int job_records(bs_job *j, const bs_value **out, bs_err *err);
/* Calls the theme function `fn` (a dotted path) with the job's context;
 * the records are read only if the function looks at them. */
int job_call(bs_job *j, const char *fn, bs_value **out, bs_err *err);

/* The documents on record read again, when a call has read them before:
 * after documents were recorded, for the reports that list them. */
int job_documents_reload(bs_job *j, bs_err *err);

/* Appends an event on the engagement to the log (inside the caller's
 * transaction). `detail` may be NULL. */
int job_event(const bs_job *j, const char *kind, const char *detail, bs_err *err);

/* The worksheet `id` of the job's theme, checked (lent), and its 1-based
 * index among the theme's worksheets. */
int job_spec(bs_job *j, const char *id, const bs_value **spec_out, size_t *index_out,
             bs_err *err);
/* The worksheets written into the file of `spec`: the book's owner first,
 * then its members, each checked; at most JOB_BOOK_MAX. */
enum { JOB_BOOK_MAX = 16 };
int job_book(bs_job *j, const bs_value *spec, const bs_value **specs, size_t *index, size_t *n,
             bs_err *err);
/* The rows sheet `spec` (at `index`) is written with (owned): its `rows`
 * function, or what was imported last time unless `blank` or the spec is
 * a result or asks for `refresh`. */
int job_sheet_rows(bs_job *j, const bs_value *spec, size_t index, bool blank, bs_value **out,
                   bs_err *err);
/* Runs the Lua `compute` of each computed column over `rows`, in place. */
int job_compute_columns(bs_job *j, const bs_value *spec, size_t index, bs_value *rows,
                        bs_err *err);
/* Writes the workbook of `spec` (every sheet of its book) to `path`; the
 * number of rows of its first sheet in *rows_out unless NULL. */
int job_write_book(bs_job *j, const bs_value *spec, bool blank, const char *path,
                   size_t *rows_out, bs_err *err);
/* WORKSPACE/out/<company folder>/<theme>[/SUB]/FILE (the folder:
 * workflow_company_folder), its folder created. `file`
 * comes from the theme and must be a plain name (bs_plain_name_problem):
 * checked here again, where the path is made, although a theme is checked
 * when it is loaded. Owned, or NULL with `err` set. */
char *job_out_path(bs_job *j, const char *sub, const char *file, bs_err *err);
/* The same path, its folder created only with `create`. */
char *job_out_file(bs_job *j, const char *sub, const char *file, bool create, bs_err *err);

/* Guards the user's edits before files are written over: of `paths` (a
 * list of the files about to be written), those recorded for the
 * engagement whose bytes changed since bansou wrote them are refused,
 * BS_ESTATE naming every one with what to do, before anything is written;
 * with `force`, each is first renamed beside itself to
 * NAME.edited-YYYY-MM-DD.EXT (today; "-2", "-3" … when taken) and the
 * keeping logged ("document.keep"). A file deleted is not an edit. */
int job_keep_edited(bs_job *j, const bs_value *paths, bool force, bs_err *err);
/* The same guard against the records `docs` (maps with path and sha256,
 * lent), for files recorded elsewhere than among an engagement's documents
 * (the programme's); the keeping is logged on `company` and `eng` (0: none). */
int job_keep_recorded(bs_session *s, int64_t company, int64_t eng, const bs_value *docs,
                      const bs_value *paths, bool force, bs_err *err);

#endif
