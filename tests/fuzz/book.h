/* For fuzz entries: a workbook of one sheet "S" built in memory from its
 * parts, and checks of what the reader gives back. Header only: each entry
 * is one file compiled with replay.c or libFuzzer. */
#ifndef BS_FUZZ_BOOK_H
#define BS_FUZZ_BOOK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "util.h"
#include "xlsxr.h"

/* An .xlsx (owned, *len_out bytes) with sheet part `sheet` and, if not
 * NULL, shared strings `sst`; parts stored, so any input fits the ratio
 * bound. NULL if libzip could not make it. */
static inline char *fuzz_book(const void *sheet, size_t sheet_len, const void *sst, size_t sst_len,
                              size_t *len_out)
{
    static const char wb[] = "<workbook xmlns:r=\"r\"><sheets>"
                             "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] = "<Relationships><Relationship Id=\"rId1\" "
                               "Target=\"worksheets/sheet1.xml\"/></Relationships>";
    const struct {
        const char *name;
        const void *data;
        size_t len;
    } parts[] = {{"xl/workbook.xml", wb, sizeof wb - 1},
                 {"xl/_rels/workbook.xml.rels", rels, sizeof rels - 1},
                 {"xl/worksheets/sheet1.xml", sheet, sheet_len},
                 {"xl/sharedStrings.xml", sst, sst_len}};
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (parts[i].data) {
            zip_int64_t k = zip_file_add(za, parts[i].name,
                                         zip_source_buffer(za, parts[i].data, parts[i].len, 0), 0);
            zip_set_file_compression(za, (zip_uint64_t)k, ZIP_CM_STORE, 0);
        }
    }
    zip_close(za);
    zip_stat_t st;
    char *buf = NULL;
    if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        buf = xmalloc(st.size + 1);
        if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
            free(buf);
            buf = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    *len_out = buf ? (size_t)st.size : 0;
    return buf;
}

/* UTF-16 code units of UTF-8 text, as Excel counts a cell's length. */
static inline size_t fuzz_units(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        n += (*p & 0xC0) != 0x80 ? (*p >= 0xF0 ? 2 : 1) : 0;
    }
    return n;
}

/* What every grid the reader returns must be, or abort(): cells sorted by
 * row then column, each found where it is, inside the sheet and the bounds
 * the grid claims, each text valid UTF-8 no longer than Excel allows. */
static inline void fuzz_check_grid(const bs_grid *g)
{
    for (size_t i = 0; i < g->n; i++) {
        const bs_cell *c = &g->cells[i];
        if (c->row > g->max_row || c->col > g->max_col || c->row >= 1048576 || c->col >= 16384) {
            abort();
        }
        if (i > 0 && (c->row < g->cells[i - 1].row ||
                      (c->row == g->cells[i - 1].row && c->col < g->cells[i - 1].col))) {
            abort();
        }
        if (c->text && (!bs_utf8_valid(c->text, strlen(c->text)) || fuzz_units(c->text) > 32767)) {
            abort();
        }
        if (xlsxr_cell(g, c->row, c->col) == NULL) {
            abort();
        }
    }
}

/* Opens the book `buf` (from fuzz_book; freed here), reads its sheet "S"
 * and checks the grid it gives, if it gives one. */
static inline void fuzz_read_book(char *buf, size_t len)
{
    bs_err e = {0};
    bs_xlsx *x = NULL;
    if (buf && xlsxr_open_mem(buf, len, "fuzz.xlsx", &x, &e) == BS_OK) {
        bs_grid *g = NULL;
        if (xlsxr_read_sheet(x, "S", &g, &e) == BS_OK) {
            fuzz_check_grid(g);
            xlsxr_grid_free(g);
        }
        xlsxr_close(x);
    }
    free(buf);
}

#endif
