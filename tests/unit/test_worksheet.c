/* Unit tests: worksheets written by xlsxw and read back by xlsxr and
 * worksheet_read, date serials, and the problems an import reports. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "jsonv.h"
#include "util.h"
#include "worksheet.h"
#include "xlsxr.h"
#include "xlsxw.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/bansou-ws-%ld.xlsx", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static bs_value *json(const char *s)
{
    bs_value *v = NULL;
    bs_err e = {0};
    if (jsonv_parse(s, strlen(s), "test", &v, &e) != BS_OK) {
        fail_msg("%s", e.msg);
    }
    return v;
}

static const char spec_json[] =
    "{\"id\": \"ledger\", \"sheet\": \"台帳\", \"title\": \"情報資産管理台帳\","
    " \"guidance\": [\"記入してください。\"], \"key\": \"no\", \"protect\": true,"
    " \"columns\": ["
    "  {\"key\": \"no\", \"header\": \"No.\", \"type\": \"integer\"},"
    "  {\"key\": \"name\", \"header\": \"資産名\", \"type\": \"text\", \"input\": true, \"required\": true},"
    "  {\"key\": \"c\", \"header\": \"機密性\", \"type\": \"enum\", \"choices\": [1, 2, 3], \"input\": true},"
    "  {\"key\": \"i\", \"header\": \"完全性\", \"type\": \"enum\", \"choices\": [1, 2, 3], \"input\": true},"
    "  {\"key\": \"since\", \"header\": \"登録日\", \"type\": \"date\", \"input\": true},"
    "  {\"key\": \"pii\", \"header\": \"個人情報\", \"type\": \"boolean\", \"input\": true},"
    "  {\"key\": \"risk\", \"header\": \"重要度\", \"type\": \"integer\", \"formula\": \"MAX({c},{i})\"}"
    " ]}";

static bs_value *read_back(const bs_value *spec, bs_value *problems, int *rc_out)
{
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(xlsxr_open(path, &x, &e), BS_OK);
    assert_int_equal(xlsxr_read_sheet(x, "台帳", &g, &e), BS_OK);
    bs_value *rows = NULL;
    *rc_out = worksheet_read(spec, g, xlsxr_date1904(x), &rows, NULL, problems, &e);
    xlsxr_grid_free(g);
    xlsxr_close(x);
    return rows;
}

static void test_round_trip(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    bs_value *rows = json("[{\"no\": 1, \"name\": \"=HYPERLINK(\\\"x\\\")\", \"c\": 3, \"i\": 1,"
                          "  \"since\": \"2024-02-29\", \"pii\": true},"
                          " {\"no\": 2, \"name\": \"+81 顧客台帳\", \"c\": 1, \"i\": 2, \"pii\": false}]");
    bs_value *fields = json("[{\"label\": \"会社名\", \"value\": \"株式会社A\"}]");
    bs_err e = {0};
    assert_int_equal(xlsxw_write(spec, fields, rows, path, &e), BS_OK);
    bs_xlsx *x = NULL;
    assert_int_equal(xlsxr_open(path, &x, &e), BS_OK);
    assert_string_equal(xlsxr_property(x, XLSXW_ID_PROPERTY), "ledger");
    xlsxr_close(x);
    bs_value *problems = value_list();
    int rc;
    bs_value *back = read_back(spec, problems, &rc);
    if (rc != BS_OK) {
        fail_msg("%s", value_as_str(value_at(problems, 0)));
    }
    assert_int_equal(value_len(back), 2);
    const bs_value *r1 = value_at(back, 0);
    // User text that looks like a formula came back as the same text.
    assert_string_equal(value_get_str(r1, "name"), "=HYPERLINK(\"x\")");
    assert_string_equal(value_get_str(value_at(back, 1), "name"), "+81 顧客台帳");
    assert_int_equal(value_as_int(value_get(r1, "c")), 3);
    assert_int_equal(value_type(value_get(r1, "c")), BS_VINT);
    assert_string_equal(value_get_str(r1, "since"), "2024-02-29");
    assert_true(value_as_bool(value_get(r1, "pii")));
    assert_null(value_get(r1, "risk")); // computed columns are recomputed, not read
    assert_int_equal(value_type(value_get(value_at(back, 1), "since")), BS_VNULL);
    value_free(back);
    value_free(problems);
    value_free(fields);
    value_free(rows);
    value_free(spec);
}

static void test_escape_like_text_round_trip(void **state)
{
    (void)state;
    // Text that looks like an escape (_xHHHH_) is written so that it reads
    // back as itself; a control character is written as an escape and
    // reads back as the character.
    const char *texts[] = {"_x0007_bell", "_x0007_x0008_", "a_x005F_b", "_xd83d__xde00_",
                           "_X0041_ _x41_ _x", "\a and _x0007_"};
    bs_value *spec = json(spec_json);
    bs_value *rows = value_list();
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        bs_value *r = value_map();
        value_set_int(r, "no", (int64_t)i + 1);
        value_set_str(r, "name", texts[i]);
        value_push(rows, r);
    }
    bs_err e = {0};
    assert_int_equal(xlsxw_write(spec, NULL, rows, path, &e), BS_OK);
    bs_value *problems = value_list();
    int rc;
    bs_value *back = read_back(spec, problems, &rc);
    if (rc != BS_OK) {
        fail_msg("%s", value_as_str(value_at(problems, 0)));
    }
    assert_int_equal(value_len(back), sizeof texts / sizeof *texts);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        assert_string_equal(value_get_str(value_at(back, i), "name"), texts[i]);
    }
    value_free(back);
    value_free(problems);
    value_free(rows);
    value_free(spec);
}

/* Writes a minimal xlsx whose sheet "台帳" holds `cells` (sheetData XML). */
static void write_raw(const char *sheet_data, bool date1904)
{
    unlink(path);
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    char *wb = xasprintf("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
                         " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                         "%s<sheets><sheet name=\"台帳\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
                         date1904 ? "<workbookPr date1904=\"1\"/>" : "");
    const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                       "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"x\"/></Relationships>";
    char *sheet = xasprintf("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                            "<sheetData>%s</sheetData><mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells></worksheet>",
                            sheet_data);
    const char *sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      "<si><t>資産名</t></si><si><r><t>顧客</t></r><r><t>台帳</t></r>"
                      "<rPh sb=\"0\" eb=\"2\"><t>コキャク</t></rPh></si></sst>";
    zip_file_add(za, "xl/workbook.xml", zip_source_buffer(za, wb, strlen(wb), 0), 0);
    zip_file_add(za, "xl/_rels/workbook.xml.rels", zip_source_buffer(za, rels, strlen(rels), 0), 0);
    zip_file_add(za, "xl/worksheets/sheet1.xml", zip_source_buffer(za, sheet, strlen(sheet), 0), 0);
    zip_file_add(za, "xl/sharedStrings.xml", zip_source_buffer(za, sst, strlen(sst), 0), 0);
    assert_int_equal(zip_close(za), 0);
    free(wb);
    free(sheet);
}

#define HDR "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>No.</t></is></c><c r=\"C3\" t=\"s\"><v>0</v></c>" \
            "<c r=\"D3\" t=\"inlineStr\"><is><t>機密性</t></is></c><c r=\"E3\" t=\"inlineStr\"><is><t>完全性</t></is></c>" \
            "<c r=\"F3\" t=\"inlineStr\"><is><t>登録日</t></is></c><c r=\"G3\" t=\"str\"><f>\"個人\"&amp;\"情報\"</f><v>個人情報</v></c>" \
            "<c r=\"H3\" t=\"inlineStr\"><is><t>重要度</t></is></c></row>"

static void test_reads_what_other_tools_save(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    // The table moved right and down; shared strings with phonetic runs; a
    // formula-string header; a date serial; a boolean; a merged title.
    write_raw("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>merged title</t></is></c></row>" HDR
              "<row r=\"4\"><c r=\"B4\"><v>7</v></c><c r=\"C4\" t=\"s\"><v>1</v></c>"
              "<c r=\"D4\"><v>2</v></c><c r=\"E4\" t=\"inlineStr\"><is><t>3</t></is></c>"
              "<c r=\"F4\"><v>45351</v></c><c r=\"G4\" t=\"b\"><v>1</v></c><c r=\"H4\"><f>MAX(D4,E4)</f><v>3</v></c></row>",
              false);
    bs_value *problems = value_list();
    int rc;
    bs_value *rows = read_back(spec, problems, &rc);
    if (rc != BS_OK) {
        fail_msg("%s", value_as_str(value_at(problems, 0)));
    }
    assert_int_equal(value_len(rows), 1);
    const bs_value *r = value_at(rows, 0);
    assert_int_equal(value_as_int(value_get(r, "no")), 7);
    assert_string_equal(value_get_str(r, "name"), "顧客台帳"); // no phonetic guide
    assert_int_equal(value_as_int(value_get(r, "i")), 3);
    assert_string_equal(value_get_str(r, "since"), "2024-02-29");
    assert_true(value_as_bool(value_get(r, "pii")));
    value_free(rows);

    // In the 1904 system the same date has another serial.
    write_raw(HDR "<row r=\"4\"><c r=\"B4\"><v>1</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>x</t></is></c>"
                  "<c r=\"F4\"><v>43889</v></c></row>",
              true);
    rows = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_OK);
    assert_string_equal(value_get_str(value_at(rows, 0), "since"), "2024-02-29");
    value_free(rows);
    value_free(problems);
    value_free(spec);
}

static void test_every_problem_with_its_cell(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    write_raw(HDR
              "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>one</t></is></c><c r=\"C4\" t=\"inlineStr\"><is><t>a</t></is></c>"
              "<c r=\"D4\" t=\"inlineStr\"><is><t>高い</t></is></c><c r=\"F4\" t=\"inlineStr\"><is><t>2024-13-01</t></is></c>"
              "<c r=\"G4\" t=\"inlineStr\"><is><t>たぶん</t></is></c></row>"
              "<row r=\"5\"><c r=\"B5\"><v>2</v></c><c r=\"E5\" t=\"e\"><v>#N/A</v></c></row>",
              false);
    bs_value *problems = value_list();
    int rc;
    bs_value *rows = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_EINPUT);
    assert_null(rows);
    const char *want[] = {
        "台帳!B4: 'one' is not a whole number",
        "台帳!D4: '高い' is not one of 1, 2, 3",
        "台帳!F4: '2024-13-01' is not a date",
        "台帳!G4: 'たぶん' is not yes or no (TRUE/FALSE, はい/いいえ)",
        "台帳!C5: 資産名 is required",
        "台帳!E5: the cell holds the error #N/A",
    };
    size_t n = sizeof want / sizeof *want;
    for (size_t i = 0; i < n && i < value_len(problems); i++) {
        assert_string_equal(value_as_str(value_at(problems, i)), want[i]);
    }
    assert_int_equal(value_len(problems), n);
    value_free(problems);

    // A sheet without the table's headers.
    write_raw("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>No.</t></is></c></row>", false);
    problems = value_list();
    rows = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_EINPUT);
    assert_string_equal(value_as_str(value_at(problems, 0)),
                        "台帳: the table's header row (No. | 資産名 | 機密性 | 完全性 | 登録日 | 個人情報 | "
                        "重要度) was not found");
    value_free(problems);
    value_free(spec);
}

static void test_serial_dates(void **state)
{
    (void)state;
    char b[11];
    assert_true(xlsxr_serial_date(1, false, b));
    assert_string_equal(b, "1900-01-01");
    assert_true(xlsxr_serial_date(59, false, b));
    assert_string_equal(b, "1900-02-28");
    assert_true(xlsxr_serial_date(61, false, b)); // after Excel's 1900-02-29
    assert_string_equal(b, "1900-03-01");
    assert_true(xlsxr_serial_date(45351.75, false, b));
    assert_string_equal(b, "2024-02-29");
    assert_true(xlsxr_serial_date(0, true, b));
    assert_string_equal(b, "1904-01-01");
    assert_false(xlsxr_serial_date(0, false, b));
    assert_false(xlsxr_serial_date(1e12, false, b));
    char name[16];
    xlsxr_cell_name(11, 3, name);
    assert_string_equal(name, "D12");
    xlsxr_cell_name(0, 27, name);
    assert_string_equal(name, "AB1");
}

static void test_spec_check(void **state)
{
    (void)state;
    bs_value *spec = json("{\"id\": \"Bad_Id\", \"sheet\": \"a/b\", \"key\": \"zz\", \"band\": \"b\","
                          " \"columns\": [{\"key\": \"a\", \"header\": \"A\", \"type\": \"enum\","
                          " \"required_when\": {\"column\": \"nope\", \"equals\": 1}},"
                          " {\"key\": \"a\", \"type\": \"float\", \"formula\": \"{a}+{b}\"}],"
                          " \"charts\": [{\"type\": \"line\", \"categories\": \"a\", \"values\": \"q\"}]}");
    bs_value *p = value_list();
    worksheet_check(NULL, spec, "s", p);
    const char *want[] = {
        "s.id: expected lower-case letters, digits and '-'",
        "s.sheet: a sheet name of at most 31 characters without []:*?/\\",
        "s.columns[1].choices: an enum needs choices",
        "s.columns[1].required_when: expected {column = KEY, equals = VALUE}",
        "s.columns[2].key: duplicate 'a'",
        "s.columns[2].header: missing",
        "s.columns[2].type: 'float' is not one of text, integer, number, date, enum, boolean",
        "s.columns[2].formula: no column 'b'",
        "s.key: no column 'zz'",
        "s.band: a sheet with bands cannot have charts",
        "s.charts[1].type: expected radar, bar, column or pie",
        "s.charts[1].values: no column 'q'",
    };
    size_t n = sizeof want / sizeof *want;
    for (size_t i = 0; i < n && i < value_len(p); i++) {
        assert_string_equal(value_as_str(value_at(p, i)), want[i]);
    }
    assert_int_equal(value_len(p), n);
    value_free(p);
    value_free(spec);
}

/* Rows marked by `skip` are left out and counted; a key seen twice is
 * named with the row of the first. */
static void test_skip_and_unique_keys(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    value_set(spec, "skip", json("{\"column\": \"name\", \"equals\": \"見本\"}"));
    write_raw(HDR
              "<row r=\"4\"><c r=\"B4\"><v>1</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>見本</t></is></c>"
              "<c r=\"D4\" t=\"inlineStr\"><is><t>bad</t></is></c></row>"
              "<row r=\"5\"><c r=\"B5\"><v>2</v></c><c r=\"C5\" t=\"inlineStr\"><is><t>顧客</t></is></c></row>"
              "<row r=\"6\"><c r=\"B6\"><v>3</v></c><c r=\"C6\" t=\"inlineStr\"><is><t>図面</t></is></c></row>",
              false);
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    bs_err e = {0};
    assert_int_equal(xlsxr_open(path, &x, &e), BS_OK);
    assert_int_equal(xlsxr_read_sheet(x, "台帳", &g, &e), BS_OK);
    bs_value *rows = NULL, *problems = value_list();
    size_t skipped = 0;
    assert_int_equal(worksheet_read(spec, g, false, &rows, &skipped, problems, &e), BS_OK);
    assert_int_equal(skipped, 1); // its bad rating is not looked at
    assert_int_equal(value_len(rows), 2);
    assert_int_equal(value_as_int(value_get(value_at(rows, 0), "no")), 2);
    value_free(rows);
    xlsxr_grid_free(g);
    xlsxr_close(x);

    write_raw(HDR
              "<row r=\"4\"><c r=\"B4\"><v>7</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>顧客</t></is></c></row>"
              "<row r=\"5\"><c r=\"B5\"><v>8</v></c><c r=\"C5\" t=\"inlineStr\"><is><t>図面</t></is></c></row>"
              "<row r=\"6\"><c r=\"B6\"><v>7</v></c><c r=\"C6\" t=\"inlineStr\"><is><t>見積</t></is></c></row>",
              false);
    int rc;
    rows = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_EINPUT);
    assert_null(rows);
    assert_int_equal(value_len(problems), 1);
    assert_string_equal(value_as_str(value_at(problems, 0)),
                        "台帳!B6: No. '7' appears again (first in row 4)");
    value_free(problems);
    value_free(spec);
}

/* A spec with `band` writes a heading row above each row that names one;
 * reading leaves the bands out, but a band row with something typed into
 * it is a row like any other (and its problems are reported). */
static void test_bands(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    value_set_str(spec, "band", "band");
    bs_value *rows = json("[{\"band\": \"第1群\", \"no\": 1, \"name\": \"顧客台帳\", \"c\": 3},"
                          " {\"no\": 2, \"name\": \"見積書\", \"c\": 2},"
                          " {\"band\": \"第2群\", \"no\": 3, \"name\": \"図面\", \"c\": 1}]");
    bs_err e = {0};
    assert_int_equal(xlsxw_write(spec, NULL, rows, path, &e), BS_OK);
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    assert_int_equal(xlsxr_open(path, &x, &e), BS_OK);
    assert_int_equal(xlsxr_read_sheet(x, "台帳", &g, &e), BS_OK);
    // title, guidance, blank, header (row 4), band, 1, 2, band, 3
    assert_string_equal(xlsxr_cell(g, 4, 0)->text, WORKSHEET_BAND_MARK "第1群");
    assert_string_equal(xlsxr_cell(g, 7, 0)->text, WORKSHEET_BAND_MARK "第2群");
    bs_value *back = NULL, *problems = value_list();
    if (worksheet_read(spec, g, false, &back, NULL, problems, &e) != BS_OK) {
        fail_msg("%s", value_as_str(value_at(problems, 0)));
    }
    assert_int_equal(value_len(back), 3);
    assert_int_equal(value_as_int(value_get(value_at(back, 2), "no")), 3);
    value_free(back);
    xlsxr_grid_free(g);
    xlsxr_close(x);

    write_raw(HDR
              "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>■ 第1群</t></is></c></row>"
              "<row r=\"5\"><c r=\"B5\"><v>1</v></c><c r=\"C5\" t=\"inlineStr\"><is><t>顧客</t></is></c></row>"
              "<row r=\"6\"><c r=\"B6\" t=\"inlineStr\"><is><t>■ 第2群</t></is></c>"
              "<c r=\"C6\" t=\"inlineStr\"><is><t>図面</t></is></c></row>",
              false);
    int rc;
    back = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_EINPUT);
    assert_int_equal(value_len(problems), 1);
    assert_non_null(strstr(value_as_str(value_at(problems, 0)), "台帳!B6: "));
    value_free(problems);
    value_free(rows);
    value_free(spec);
}

/* A column with `required_when` must be filled in only in the rows where
 * the other column holds the value: the problem names the cell and why. */
static void test_required_when(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    bs_value *since = (bs_value *)value_at(value_get(spec, "columns"), 4);
    value_set(since, "required_when", json("{\"column\": \"c\", \"equals\": 3}"));
    write_raw(HDR
              "<row r=\"4\"><c r=\"B4\"><v>1</v></c><c r=\"C4\" t=\"inlineStr\"><is><t>顧客</t></is></c>"
              "<c r=\"D4\"><v>2</v></c></row>"
              "<row r=\"5\"><c r=\"B5\"><v>2</v></c><c r=\"C5\" t=\"inlineStr\"><is><t>図面</t></is></c>"
              "<c r=\"D5\"><v>3</v></c></row>",
              false);
    bs_value *problems = value_list();
    int rc;
    bs_value *rows = read_back(spec, problems, &rc);
    assert_int_equal(rc, BS_EINPUT);
    assert_null(rows);
    assert_int_equal(value_len(problems), 1);
    assert_string_equal(value_as_str(value_at(problems, 0)), "台帳!F5: 登録日 is required (機密性 = 3)");
    value_free(problems);
    value_free(spec);
}

static void test_diff_by_key(void **state)
{
    (void)state;
    bs_value *spec = json(spec_json);
    bs_value *before = json("[{\"no\": 1, \"name\": \"顧客名簿\", \"c\": 3},"
                            " {\"no\": 2, \"name\": \"図面\", \"c\": 2},"
                            " {\"no\": 3, \"name\": \"見積\", \"c\": 1}]");
    bs_value *after = json("[{\"no\": 1, \"name\": \"顧客名簿\", \"c\": 3},"
                           " {\"no\": 3, \"name\": \"見積書\", \"c\": 2},"
                           " {\"no\": 4, \"name\": \"契約書\", \"c\": null}]");
    bs_value *d = worksheet_diff(spec, before, after);
    assert_non_null(d);
    assert_int_equal(value_len(value_get(d, "added")), 1);
    assert_string_equal(value_as_str(value_at(value_get(d, "added"), 0)), "4");
    assert_int_equal(value_len(value_get(d, "removed")), 1);
    assert_string_equal(value_as_str(value_at(value_get(d, "removed"), 0)), "2");
    const bs_value *ch = value_get(d, "changed");
    assert_int_equal(value_len(ch), 1);
    assert_string_equal(value_get_str(value_at(ch, 0), "key"), "3");
    assert_string_equal(value_get_str(value_at(ch, 0), "changes"), "資産名 見積→見積書; 機密性 1→2");
    value_free(d);
    // Nothing changed; and no key, no comparison.
    d = worksheet_diff(spec, after, after);
    assert_int_equal(value_len(value_get(d, "added")) + value_len(value_get(d, "removed")) +
                         value_len(value_get(d, "changed")), 0);
    value_free(d);
    value_set(spec, "key", value_null());
    assert_null(worksheet_diff(spec, before, after));
    value_free(before);
    value_free(after);
    value_free(spec);
}

/* Two sheets in one file: a formula of the second reads a column of the
 * first; the property names both; references are checked against the theme. */
static void test_book(void **state)
{
    (void)state;
    bs_value *model = json(
        "{\"worksheets\": ["
        " {\"id\": \"threats\", \"sheet\": \"脅威\", \"book\": [\"risk\"], \"columns\": ["
        "  {\"key\": \"medium\", \"header\": \"媒体\"}, {\"key\": \"t\", \"header\": \"脅威\", \"type\": \"integer\"}]},"
        " {\"id\": \"risk\", \"sheet\": \"リスク\", \"output\": true, \"columns\": ["
        "  {\"key\": \"medium\", \"header\": \"媒体\"},"
        "  {\"key\": \"t\", \"header\": \"脅威\", \"formula\": \"INDEX({threats:t},MATCH({medium},{threats:medium},0))\"}]},"
        " {\"id\": \"other\", \"sheet\": \"別\", \"book\": [\"nope\", \"risk\"], \"columns\": ["
        "  {\"key\": \"x\", \"header\": \"X\", \"formula\": \"{risk:zz}+{threats:t}+{ghost:a}\"}]}"
        "]}");
    const bs_value *ws = value_get(model, "worksheets");
    bs_value *p = value_list();
    worksheet_check(model, value_at(ws, 0), "a", p);
    worksheet_check(model, value_at(ws, 1), "b", p);
    assert_int_equal(value_len(p), 0);
    worksheet_check(model, value_at(ws, 2), "c", p);
    const char *want[] = {
        "c.columns[1].formula: worksheet 'risk' has no column 'zz'",
        "c.columns[1].formula: worksheet 'threats' is not in the same file (see book)",
        "c.columns[1].formula: no worksheet 'ghost'",
        "c.book[1]: 'nope' is not another worksheet of the theme (without a book of its own)",
    };
    size_t n = sizeof want / sizeof *want;
    for (size_t i = 0; i < n && i < value_len(p); i++) {
        assert_string_equal(value_as_str(value_at(p, i)), want[i]);
    }
    assert_int_equal(value_len(p), n);
    assert_ptr_equal(worksheet_book_owner(model, value_at(ws, 1)), value_at(ws, 0));
    value_free(p);

    bs_value *r1 = json("[{\"medium\": \"紙\", \"t\": 2}]");
    bs_value *r2 = json("[{\"medium\": \"紙\", \"t\": 2}]");
    bs_value *none = value_list();
    xlsxw_sheet book[] = {{value_at(ws, 0), none, r1, NULL}, {value_at(ws, 1), none, r2, NULL}};
    bs_err e = {0};
    assert_int_equal(xlsxw_write_book(book, 2, path, &e), BS_OK);
    bs_xlsx *x = NULL;
    assert_int_equal(xlsxr_open(path, &x, &e), BS_OK);
    assert_string_equal(xlsxr_property(x, XLSXW_ID_PROPERTY), "threats,risk");
    assert_int_equal(value_len(xlsxr_sheets(x)), 2);
    bs_grid *g = NULL;
    assert_int_equal(xlsxr_read_sheet(x, "リスク", &g, &e), BS_OK);
    const bs_cell *c = xlsxr_cell(g, 1, 1);
    assert_non_null(c);
    assert_true(c->num == 2); // the cached result
    xlsxr_grid_free(g);
    xlsxr_close(x);
    // The formula as written: the other sheet's columns, quoted.
    zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
    zip_file_t *zf = zip_fopen(za, "xl/worksheets/sheet2.xml", 0);
    char buf[8192] = {0};
    zip_fread(zf, buf, sizeof buf - 1);
    zip_fclose(zf);
    zip_close(za);
    assert_non_null(strstr(buf, "INDEX('脅威'!$B:$B,MATCH(A2,'脅威'!$A:$A,0))"));
    value_free(none);
    value_free(r1);
    value_free(r2);
    value_free(model);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_escape_like_text_round_trip),
        cmocka_unit_test(test_reads_what_other_tools_save),
        cmocka_unit_test(test_every_problem_with_its_cell),
        cmocka_unit_test(test_serial_dates),
        cmocka_unit_test(test_spec_check),
        cmocka_unit_test(test_skip_and_unique_keys),
        cmocka_unit_test(test_bands),
        cmocka_unit_test(test_required_when),
        cmocka_unit_test(test_diff_by_key),
        cmocka_unit_test(test_book),
    };
    return cmocka_run_group_tests_name("worksheet", tests, setup, teardown);
}
