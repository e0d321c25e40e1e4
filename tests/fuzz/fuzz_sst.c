/* Fuzz entry: arbitrary bytes as a workbook's shared strings
 * (xl/sharedStrings.xml), used by the cells of a fixed sheet: strings 0 to
 * 7 (missing when the table is shorter), and inline strings with escapes beside them. Any
 * input gives a grid or an error: no crash, leak or hang, and every text is
 * valid UTF-8 no longer than Excel allows (escapes decoded). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sheet[] =
    "<worksheet><sheetData><row r=\"1\">"
    "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c>"
    "<c r=\"E1\" t=\"inlineStr\"><is><t>_x0007_ _x005F_x0041_</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>5</v></c>"
    "<c r=\"C2\" t=\"s\"><v>6</v></c><c r=\"D2\" t=\"s\"><v>7</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c></row>"
    "</sheetData><mergeCells><mergeCell ref=\"A1:A3\"/></mergeCells></worksheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0;
    char *buf = fuzz_book(sheet, sizeof sheet - 1, data, size, &len);
    fuzz_read_book(buf, len);
    return 0;
}
