/* Unit tests: the XLSX reader on workbooks made in memory, where a hostile
 * file is cheap to build: escaped text (_xHHHH_), Excel's limit on a cell's
 * text, merged ranges and their bounds, and libxml2's errors kept off
 * stderr. */
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

static char *repeat(const char *s, size_t n)
{
    bs_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        bs_buf_puts(&b, s);
    }
    return bs_buf_take(&b);
}

static char *inline_row(const char *ref, const char *text)
{
    return xasprintf("<sheetData><row r=\"1\"><c r=\"%s\" t=\"inlineStr\"><is><t>%s</t></is></c>"
                     "</row></sheetData>",
                     ref, text);
}

static void test_escapes_decoded(void **state)
{
    (void)state;
    const char *sst = "<si><t>_x0007_bell</t></si>"
                      "<si><t>_x005F_x0007_bell</t></si>"
                      "<si><t>_xD83D__xDE00_ and _xd83d_</t></si>"
                      "<si><t>_x0000_ _x41_ _X0041_ _x004a_</t></si>"
                      "<si><r><t>_x00</t></r><r><t>41_</t></r></si>"
                      "<si><t>_x005F_x005F_ _x005F_x0041__x005F_x0042_</t></si>";
    const char *sheet = "<sheetData><row r=\"1\">"
                        "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
                        "<c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c>"
                        "<c r=\"G1\" t=\"inlineStr\"><is><t>_x0009_tab _x005F_x0009_</t></is></c>"
                        "</row></sheetData>";
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(read_sheet(sheet, sst, &g, &e), BS_OK);
    assert_string_equal(text_at(g, 0, 0), "\abell");
    assert_string_equal(text_at(g, 0, 1), "_x0007_bell");
    // A surrogate pair is one character; a lone surrogate or NUL, which
    // UTF-8 text cannot hold, stays as written.
    assert_string_equal(text_at(g, 0, 2), "\xF0\x9F\x98\x80 and _xd83d_");
    assert_string_equal(text_at(g, 0, 3), "_x0000_ _x41_ _X0041_ J");
    // An escape does not run across two runs of text.
    assert_string_equal(text_at(g, 0, 4), "_x0041_");
    assert_string_equal(text_at(g, 0, 5), "_x005F_ _x0041__x0042_");
    assert_string_equal(text_at(g, 0, 6), "\ttab _x0009_");
    xlsxr_grid_free(g);
}

static void check_too_long(const char *sheet, const char *sst)
{
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(read_sheet(sheet, sst, &g, &e), BS_EINPUT);
    assert_string_equal(e.msg, "t.xlsx: S!A1: the text is longer than Excel's limit of 32,767 "
                               "characters");
}

static void check_fits(const char *sheet, const char *sst, size_t bytes)
{
    bs_grid *g = NULL;
    bs_err e = {0};
    if (read_sheet(sheet, sst, &g, &e) != BS_OK) {
        fail_msg("%s", e.msg);
    }
    assert_int_equal(strlen(text_at(g, 0, 0)), bytes);
    xlsxr_grid_free(g);
}

static void test_excel_limit_on_a_cell(void **state)
{
    (void)state;
    // 32,767 UTF-16 code units, as Excel counts: characters, not bytes, and
    // a character beyond the BMP (an emoji) is two.
    char *x = repeat("x", 32767), *x1 = repeat("x", 32768);
    char *kana = repeat("あ", 32767), *kana1 = repeat("あ", 32768);
    char *emoji = repeat("\xF0\x9F\x98\x80", 16383), *emoji1 = repeat("\xF0\x9F\x98\x80", 16384);
    char *emoji_x = xasprintf("%sx", emoji);
    char *s;
    check_fits(s = inline_row("A1", x), NULL, 32767);
    free(s);
    check_too_long(s = inline_row("A1", x1), NULL);
    free(s);
    check_fits(s = inline_row("A1", kana), NULL, 3 * 32767);
    free(s);
    check_too_long(s = inline_row("A1", kana1), NULL);
    free(s);
    check_fits(s = inline_row("A1", emoji_x), NULL, 4 * 16383 + 1);
    free(s);
    check_too_long(s = inline_row("A1", emoji1), NULL);
    free(s);
    // Escapes count as the character they stand for.
    char *esc = repeat("_x0041_", 32767), *esc1 = xasprintf("%s_x0041_", esc);
    check_fits(s = inline_row("A1", esc), NULL, 32767);
    free(s);
    check_too_long(s = inline_row("A1", esc1), NULL);
    free(s);

    // Through the shared strings, and in a number's text.
    const char *ref = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row></sheetData>";
    char *sst = xasprintf("<si><t>a</t></si><si><t>%s</t></si>", kana);
    check_fits(ref, sst, 3 * 32767);
    free(sst);
    sst = xasprintf("<si><t>a</t></si><si><t>%s</t></si>", kana1);
    check_too_long(ref, sst);
    free(sst);
    char *digits = repeat("1", 32768);
    s = xasprintf("<sheetData><row r=\"1\"><c r=\"A1\"><v>0.%s</v></c></row></sheetData>", digits);
    check_too_long(s, NULL);
    free(s);
    free(digits);
    free(x);
    free(x1);
    free(kana);
    free(kana1);
    free(emoji);
    free(emoji1);
    free(emoji_x);
    free(esc);
    free(esc1);
}

static void test_huge_text_named(void **state)
{
    (void)state;
    // Over libxml2's limit on a text node (10,000,000 bytes): the cell is
    // named, in a cell or in the shared strings, whatever libxml2 makes of
    // it; what it would print, it does not (stderr is checked by the
    // end-to-end suite).
    char *big = repeat("0123456789", 1050000);
    char *s = inline_row("A1", big);
    check_too_long(s, NULL);
    free(s);
    bs_buf pieces = {0};
    for (int i = 0; i < 10500; i++) {
        bs_buf_add(&pieces, big, 1000);
        bs_buf_puts(&pieces, "&amp;");
    }
    char *sst = xasprintf("<si><t>%s</t></si>", pieces.s);
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(read_sheet("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                "</sheetData>",
                                sst, &g, &e),
                     BS_ECORRUPT);
    assert_string_equal(e.msg, "t.xlsx!xl/sharedStrings.xml: line 1: a text of more than "
                               "10,000,000 bytes, too long to read");
    free(sst);
    bs_buf_free(&pieces);
    free(big);
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

    // A long text repeated over many cells: bounded by bytes as well.
    char *text = repeat("x", 30000);
    char *sheet = xasprintf("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s</t>"
                            "</is></c></row><row r=\"9000\"><c r=\"A9000\"><v>1</v></c></row>"
                            "</sheetData><mergeCells><mergeCell ref=\"A1:A9000\"/></mergeCells>",
                            text);
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(read_sheet(sheet, NULL, &g, &e), BS_EINPUT);
    assert_string_equal(e.msg, "t.xlsx: S!A1:A9000: too much text in merged cells (more than "
                               "256 MiB in one sheet)");
    free(sheet);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_decoded),
        cmocka_unit_test(test_excel_limit_on_a_cell),
        cmocka_unit_test(test_huge_text_named),
        cmocka_unit_test(test_merged_cells_repeat_their_first),
        cmocka_unit_test(test_merged_cells_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
