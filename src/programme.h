/* programme: the year's results of the programme (the secretariat's
 * report). This module gathers from the store what a fiscal year recorded —
 * sessions, consultations, engagements with their visits, the
 * questionnaires that came back — and hands it to lib/programme.lua, which
 * decides what the tables count (docs/programme-format.md); it writes the
 * tables as a data workbook and the report as a Word document. */
#ifndef BS_PROGRAMME_H
#define BS_PROGRAMME_H

#include <stdbool.h>

#include "err.h"
#include "session.h"
#include "value.h"

typedef struct programme_opts {
    const char *year;   /* "2025" (April 2025 to March 2026); NULL: the year of today */
    const char *region; /* a programme region ("大阪"), or NULL for all */
    const char *theme;  /* a theme id, or NULL for all */
    bool anonymous;     /* experts and companies by number, no list of engagements */
} programme_opts;

/* The tables of the year as programme.lua's tables returns them (year,
 * title, summary, tables: each a worksheet spec with rows and total). */
int programme_stats(bs_session *s, const programme_opts *o, bs_value **out, bs_err *err);

/* Writes the report (DOCX) and its data workbook (XLSX, one sheet per
 * table) into `dir` (NULL: WORKSPACE/out/programme), atomically each;
 * *files_out: a list of maps {kind, path} (owned). */
int programme_report(bs_session *s, const programme_opts *o, const char *dir, bs_value **files_out,
                     bs_err *err);

/* The text of a table's cell as the report prints it: an integer in digits,
 * a number in its column's `format` ("0.0%": 0.636 → "63.6%"), a text as it
 * is. Owned. */
char *programme_cell_text(const bs_value *col, const bs_value *v);

#endif
