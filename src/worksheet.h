/* worksheet: the machinery behind worksheet specs (docs/worksheet-format.md):
 * checking a spec, laying out what to write, and reading a filled-in sheet
 * back into typed rows with every problem named by sheet and cell. Values
 * only: the Lua functions of a spec are called by the caller. */
#ifndef BS_WORKSHEET_H
#define BS_WORKSHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "value.h"
#include "xlsxr.h"

/* Appends to `problems` (strings "WHERE: message") what is wrong with a spec. */
void worksheet_check(const bs_value *spec, const char *where, bs_value *problems);

/* The 0-based index of the column with `key` in a spec's columns, or -1. */
long worksheet_column(const bs_value *cols, const char *key);

/* The spec with id `id` among the model's worksheets (lent), and its 1-based
 * position in *index_out; NULL when none. */
const bs_value *worksheet_find(const bs_value *model, const char *id, size_t *index_out);

/* The header fields resolved against the context: a list of maps {label,
 * value, input} for xlsxw_write. Owned. */
bs_value *worksheet_fields(const bs_value *spec, const bs_value *ctx);

/* A value at a dotted path of a context ("company.name"), or NULL (lent). */
const bs_value *worksheet_path(const bs_value *ctx, const char *path);

/* Reads the spec's table from a sheet: rows (a list of maps key → typed
 * value, owned, in *rows_out) when the sheet is clean, else every problem
 * appended to `problems` and BS_EINPUT. Computed columns are left out. */
int worksheet_read(const bs_value *spec, const bs_grid *g, bool date1904, bs_value **rows_out,
                   bs_value *problems, bs_err *err);

#endif
