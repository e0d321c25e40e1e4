/* Fuzz entry: arbitrary bytes as a worksheet's XML, packed into an .xlsx in
 * memory with a fixed workbook and shared strings, read and checked against
 * a fixed spec (with a key, bands and a conditionally required column). Any input gives rows or problems: no crash, leak or hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "jsonv.h"
#include "worksheet.h"
#include "xlsxr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char spec_json[] =
    "{\"id\": \"t\", \"sheet\": \"S\", \"key\": \"no\", \"band\": \"band\", \"columns\": ["
    "{\"key\": \"no\", \"header\": \"No.\", \"type\": \"integer\"},"
    "{\"key\": \"a\", \"header\": \"A\", \"type\": \"enum\", \"choices\": [\"x\", 2], \"required\": true},"
    "{\"key\": \"d\", \"header\": \"D\", \"type\": \"date\","
    " \"required_when\": {\"column\": \"a\", \"equals\": \"x\"}},"
    "{\"key\": \"b\", \"header\": \"B\", \"type\": \"boolean\"},"
    "{\"key\": \"n\", \"header\": \"N\", \"type\": \"number\"},"
    "{\"key\": \"f\", \"header\": \"F\", \"type\": \"integer\", \"formula\": \"{n}*2\"}]}";

static void add(zip_t *za, const char *name, const void *d, size_t n)
{
    zip_file_add(za, name, zip_source_buffer(za, d, n, 0), 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_source_keep(src);
    const char *wb = "<workbook xmlns:r=\"r\"><workbookPr date1904=\"0\"/><sheets>"
                     "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const char *rels = "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
                       "</Relationships>";
    const char *sst = "<sst><si><t>No.</t></si><si><r><t>A</t></r><rPh><t>x</t></rPh></si>"
                      "<si><t>x</t></si></sst>";
    add(za, "xl/workbook.xml", wb, strlen(wb));
    add(za, "xl/_rels/workbook.xml.rels", rels, strlen(rels));
    add(za, "xl/sharedStrings.xml", sst, strlen(sst));
    add(za, "xl/worksheets/sheet1.xml", data, size);
    zip_close(za);
    zip_stat_t st;
    zip_source_stat(src, &st);
    char *buf = malloc(st.size ? st.size : 1);
    zip_source_open(src);
    zip_source_read(src, buf, st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);

    bs_err e = {0};
    bs_xlsx *x = NULL;
    if (xlsxr_open_mem(buf, st.size, "fuzz.xlsx", &x, &e) == BS_OK) {
        bs_grid *g = NULL;
        if (xlsxr_read_sheet(x, "S", &g, &e) == BS_OK) {
            bs_value *spec = NULL, *rows = NULL, *problems = value_list();
            jsonv_parse(spec_json, strlen(spec_json), "spec", &spec, &e);
            if (worksheet_read(spec, g, false, &rows, NULL, problems, &e) == BS_OK) {
                value_free(rows);
            }
            value_free(problems);
            value_free(spec);
            xlsxr_grid_free(g);
        }
        xlsxr_close(x);
    }
    free(buf);
    return 0;
}
