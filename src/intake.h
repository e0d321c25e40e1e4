/* intake: the worksheets of an engagement: listing them, writing one to
 * hand over, and importing a filled-in workbook back: recognising which
 * worksheet it is, checking every cell of every input sheet of its book,
 * and storing the rows in one transaction with what changed since the last
 * import. A file with any problem stores nothing. */
#ifndef BS_INTAKE_H
#define BS_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* The worksheets of the engagement's theme: a list of maps {id, title,
 * sheet, output (bool: a result, not for import), imported (rows stored)}.
 * Owned. */
int intake_sheets(bs_session *s, int64_t eng, bs_value **out, bs_err *err);

/* Writes worksheet `sheet` (the whole workbook it belongs to) to `path`, or
 * with path NULL to WORKSPACE/out/<id>_<company>/<theme>/<file>, records it
 * with the documents (produce_recorded) and logs it. With `blank`, what was
 * imported before is ignored. A file edited since it was written is
 * refused, or with `force` kept under a dated name first (job_keep_edited).
 * The path written in *path_out (owned). */
int intake_write(bs_session *s, int64_t eng, const char *sheet, bool blank, bool force,
                 const char *path, char **path_out, bs_err *err);

/* Imports the workbook `file`. On success *out (owned) lists what was
 * stored, one map per sheet: {sheet, rows (count), skipped (count),
 * skip_header and skip_equals (the spec's `skip`, when rows were left
 * out), diff (added/removed/changed as worksheet_diff gives it, or null on
 * a first import)}. When cells are wrong, each problem ("sheet!cell:
 * message") is appended to `problems` and the result is BS_EINPUT with a
 * count; nothing is stored. */
int intake_import(bs_session *s, int64_t eng, const char *file, bs_value **out,
                  bs_value *problems, bs_err *err);

/* The rows imported for the engagement: a map of sheet id → rows, or with
 * `sheet` that sheet's rows (BS_ENOTFOUND when none). Owned. */
int intake_records(bs_session *s, int64_t eng, const char *sheet, bs_value **out, bs_err *err);

/* BS_EINPUT "N problems in FILE: nothing imported" when `problems` has
 * grown past `before` entries; BS_OK otherwise. */
int intake_refused(const bs_value *problems, size_t before, const char *file, bs_err *err);

/* A spec's own check across rows (docs/worksheet-format.md): calls the
 * function at path `fn` of `th` with the rows read from `g` and appends
 * each problem it returns to `problems`, at its cell. Nothing when `th`
 * has no such function; BS_ESCRIPT when it fails or returns no list. */
struct bs_theme;
struct bs_grid;
int intake_check_rows(struct bs_theme *th, const char *fn, const bs_value *spec,
                      const struct bs_grid *g, const bs_value *rows, bs_value *problems,
                      bs_err *err);

#endif
