/* xlsxw: writing a worksheet (libxlsxwriter) from a spec and rows.
 *
 * Takes values only (no Lua): the spec as a value map in the format of
 * docs/worksheet-format.md with its functions already applied, the header
 * fields resolved, and the rows. */
#ifndef BS_XLSXW_H
#define BS_XLSXW_H

#include "err.h"
#include "value.h"

/* Writes the sheet into `path` atomically (a temporary file renamed into
 * place). `fields` is a list of maps {label, value, input} (value: a scalar
 * or null; input: a column type for a cell the company fills in, or null);
 * `rows` a list of maps column key → value. */
int xlsxw_write(const bs_value *spec, const bs_value *fields, const bs_value *rows,
                const char *path, bs_err *err);

/* One sheet of a workbook: its spec, resolved fields and rows (lent). */
typedef struct xlsxw_sheet {
    const bs_value *spec, *fields, *rows;
    const char *company; /* for the print header; may be NULL */
} xlsxw_sheet;
/* Writes several sheets into one workbook at `path` atomically, in order.
 * A formula's {id:key} names the column `key` of the sheet `id` among them.
 * The file's property names every sheet's id, joined by commas. */
int xlsxw_write_book(const xlsxw_sheet *sheets, size_t n, const char *path, bs_err *err);
/* Writes a Gantt chart into `path` atomically. `groups` is a list of maps
 * {title, rows}; each row {label, kind, start, end} with kind "prep",
 * "visit", "due" or "span" and YYYY-MM-DD dates (end may be missing: one
 * day). One column per day from the earliest date to the latest, with a line
 * on `today`, which the note names as `today_text` (as the theme prints
 * dates; NULL: YYYY-MM-DD). The print header names `title` and `company`
 * (may be NULL). */
int xlsxw_gantt(const char *title, const char *company, const bs_value *groups, const char *today,
                const char *today_text, const char *path, bs_err *err);

/* How a date cell of a worksheet is shown: the era with the Western date,
 * 令和8年12月2日（2026年12月2日） (Excel's and LibreOffice's Japanese
 * calendar), and the width it needs. */
#define XLSXW_DATE_FORMAT "[$-411]ggge\"年\"m\"月\"d\"日（\"yyyy\"年\"m\"月\"d\"日）\""
#define XLSXW_DATE_WIDTH 32
/* The same on two lines, the era above the Western date, for a narrow
 * column of a cell that wraps. */
#define XLSXW_DATE_FORMAT_2LINES "[$-411]ggge\"年\"m\"月\"d\"日\n（\"yyyy\"年\"m\"月\"d\"日）\""

/* The property that names the worksheet inside the file. */
#define XLSXW_ID_PROPERTY "bansou-worksheet"

#endif
