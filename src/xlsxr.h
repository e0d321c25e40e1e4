/* xlsxr: reading cells of .xlsx files that Excel, LibreOffice and openpyxl
 * save (libzip + libxml2). The file is untrusted: zipio bounds the archive,
 * xmlu refuses document types, and every size read is bounded. */
#ifndef BS_XLSXR_H
#define BS_XLSXR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "value.h"

typedef struct bs_xlsx bs_xlsx;

enum { XC_STR = 1, XC_NUM, XC_BOOL, XC_ERR };

typedef struct bs_cell {
    uint32_t row, col; /* 0-based */
    uint8_t type;      /* XC_* */
    char *text;        /* owned: the text (strings, errors; numbers as written) */
    double num;        /* numbers; 1/0 for booleans */
} bs_cell;

typedef struct bs_grid {
    bs_cell *cells; /* owned, sorted by row then column */
    size_t n;
    uint32_t max_row, max_col; /* largest indexes present */
} bs_grid;

int xlsxr_open(const char *path, bs_xlsx **out, bs_err *err);
/* The same from memory (copied); `name` is used in messages. */
int xlsxr_open_mem(const void *data, size_t len, const char *name, bs_xlsx **out, bs_err *err);
void xlsxr_close(bs_xlsx *x);

/* The sheet names in workbook order (a list of strings, lent). */
const bs_value *xlsxr_sheets(const bs_xlsx *x);
/* A custom document property, or NULL (lent). */
const char *xlsxr_property(const bs_xlsx *x, const char *name);
/* True when the workbook counts dates from 1904. */
bool xlsxr_date1904(const bs_xlsx *x);

/* Reads every cell of sheet `name` (owned grid, free with xlsxr_grid_free).
 * Formula cells give their cached values; merged ranges repeat their first
 * cell. */
int xlsxr_read_sheet(bs_xlsx *x, const char *name, bs_grid **out, bs_err *err);
void xlsxr_grid_free(bs_grid *g);
/* The cell at (row, col), or NULL when empty. */
const bs_cell *xlsxr_cell(const bs_grid *g, uint32_t row, uint32_t col);

/* "A1"-style name of a cell into buf (at least 16 bytes). */
void xlsxr_cell_name(uint32_t row, uint32_t col, char *buf);

/* A date serial number as YYYY-MM-DD (buf of 11 bytes); false when out of
 * range. */
bool xlsxr_serial_date(double serial, bool date1904, char *buf);

#endif
