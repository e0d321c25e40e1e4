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

/* The text that opens a band row (a spec's `band`): a heading written across
 * the table above a group of rows, and left out on import. */
#define WORKSHEET_BAND_MARK "■ "

/* Appends to `problems` (strings "WHERE: message") what is wrong with a spec;
 * with the theme's `model`, also its references to other worksheets (`book`,
 * `{id:key}` in formulas). */
void worksheet_check(const bs_value *model, const bs_value *spec, const char *where,
                     bs_value *problems);

/* The worksheet whose file holds `spec`: the spec with a `book` naming it,
 * or `spec` itself (lent). */
const bs_value *worksheet_book_owner(const bs_value *model, const bs_value *spec);
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
 * appended to `problems` and BS_EINPUT. Computed columns are left out; so are
 * rows the spec's `skip` names (counted in *skipped unless NULL) and, for a
 * spec with `band`, band rows (the mark in the first cell, the rest empty). A key
 * value seen twice is a problem. */
int worksheet_read(const bs_value *spec, const bs_grid *g, bool date1904, bs_value **rows_out,
                   size_t *skipped, bs_value *problems, bs_err *err);
/* The cell ("SHEET!D12") of column `colkey` (NULL: the key column) in the
 * row whose key column reads `rowkey`, in the table as worksheet_read finds
 * it in `g`; NULL when there is none. Owned. */
char *worksheet_locate(const bs_value *spec, const bs_grid *g, const char *rowkey,
                       const char *colkey);
/* The values of column `key` in the rows `want` that no row of `have`
 * holds, as text, in the order of `want`. Owned. */
bs_value *worksheet_missing_keys(const char *key, const bs_value *want, const bs_value *have);
/* What changed between two imports of a keyed spec: a map {added = [keys],
 * removed = [keys], changed = [{key, changes = "header a→b; …"}]}, keys as
 * text in the order of the rows. NULL when the spec has no key. Owned. */
bs_value *worksheet_diff(const bs_value *spec, const bs_value *before, const bs_value *after);

#endif
