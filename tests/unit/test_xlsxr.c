/* Unit tests: the XLSX reader on workbooks made in memory, where a hostile
 * file is cheap to build: merged ranges and their bounds. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "util.h"
#include "xlsxr.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

/* Stored, not compressed: a repetitive part would be past the ratio bound
 * (an attacker stores it too). */
static void add(zip_t *za, const char *name, const char *data)
{
    zip_source_t *s = zip_source_buffer(za, data, strlen(data), 0);
    assert_non_null(s);
    zip_int64_t i = zip_file_add(za, name, s, 0);
    assert_true(i >= 0);
    assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
}

/* An .xlsx in memory (owned, *len_out bytes) with one sheet "S" whose
 * worksheet element holds `sheet` and, when not NULL, shared strings
 * `sst` (the children of sst). */
static char *book(const char *sheet, const char *sst, size_t *len_out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    char *ws = xasprintf("<worksheet " NS ">%s</worksheet>", sheet);
    char *ss = sst ? xasprintf("<sst " NS ">%s</sst>", sst) : NULL;
    add(za, "xl/workbook.xml",
        "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
        "</workbook>");
    add(za, "xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"x\"/></Relationships>");
    add(za, "xl/worksheets/sheet1.xml", ws);
    if (ss) {
        add(za, "xl/sharedStrings.xml", ss);
    }
    assert_int_equal(zip_close(za), 0);
    free(ws);
    free(ss);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(src, &st), 0);
    char *buf = xmalloc(st.size + 1);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len_out = st.size;
    return buf;
}

/* Reads sheet S of the workbook; the grid in *g_out on success. */
static int read_sheet(const char *sheet, const char *sst, bs_grid **g_out, bs_err *e)
{
    size_t len = 0;
    char *data = book(sheet, sst, &len);
    bs_xlsx *x = NULL;
    int rc = xlsxr_open_mem(data, len, "t.xlsx", &x, e);
    free(data);
    if (rc == BS_OK) {
        rc = xlsxr_read_sheet(x, "S", g_out, e);
    }
    xlsxr_close(x);
    return rc;
}

/* The text of cell (row, col), or NULL. */
static const char *text_at(const bs_grid *g, uint32_t row, uint32_t col)
{
    const bs_cell *c = xlsxr_cell(g, row, col);
    return c ? c->text : NULL;
}

static void test_merged_cells_repeat_their_first(void **state)
{
    (void)state;
    const char *sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c>"
                        "<c r=\"D1\"><v>5</v></c></row>"
                        "<row r=\"3\"><c r=\"C3\"><v>1</v></c></row></sheetData>"
                        "<mergeCells><mergeCell ref=\"A1:B2\"/><mergeCell ref=\"D1:D9\"/>"
                        "<mergeCell ref=\"bad\"/><mergeCell ref=\"B1:A1\"/>"
                        "<mergeCell ref=\"E5:F6\"/></mergeCells>";
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(read_sheet(sheet, NULL, &g, &e), BS_OK);
    assert_string_equal(text_at(g, 0, 1), "v");
    assert_string_equal(text_at(g, 1, 0), "v");
    assert_string_equal(text_at(g, 1, 1), "v");
    // As far as the sheet's cells reach (row 3), not to row 9.
    assert_string_equal(text_at(g, 2, 3), "5");
    assert_null(text_at(g, 3, 3));
    assert_int_equal(g->n, 3 + 3 + 2);
    xlsxr_grid_free(g);
}

static void check_merge_refused(const char *ranges, int copies, const char *far, const char *msg)
{
    bs_buf b = {0};
    bs_buf_printf(&b, "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c>"
                      "</row>%s</sheetData><mergeCells>",
                  far);
    for (int i = 0; i < copies; i++) {
        bs_buf_printf(&b, "<mergeCell ref=\"%s\"/>", ranges);
    }
    bs_buf_puts(&b, "</mergeCells>");
    bs_grid *g = NULL;
    bs_err e = {0};
    clock_t t0 = clock();
    assert_int_equal(read_sheet(b.s, NULL, &g, &e), BS_EINPUT);
    double took = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_string_equal(e.msg, msg);
    if (took > 1.0) {
        fail_msg("refused after %.1f s of CPU", took);
    }
    bs_buf_free(&b);
}

static void test_merged_cells_bounded(void **state)
{
    (void)state;
    const char *far = "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>";
    // One range over the whole sheet, with a cell in its far corner: refused
    // before a cell is added (this took minutes when every range was walked
    // row by row).
    check_merge_refused("A1:XFD1048576", 100000, far,
                        "t.xlsx: S!A1:XFD1048576: too many merged cells (more than 100000 in one "
                        "sheet)");
    // Small ranges that together would add more than 100,000 cells.
    check_merge_refused("A1:A3", 50001, "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row>",
                        "t.xlsx: S!A1:A3: too many merged cells (more than 100000 in one sheet)");
    // More ranges than any sheet has, even if none repeats anything.
    check_merge_refused("C3:C4", 100001, "",
                        "t.xlsx: S: more than 100000 merged ranges");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_cells_repeat_their_first),
        cmocka_unit_test(test_merged_cells_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
