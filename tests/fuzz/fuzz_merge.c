/* Fuzz entry: arbitrary bytes as the merged ranges of a sheet (the content
 * of its mergeCells element) over fixed cells: a text, a number, a long
 * text and a cell in the sheet's far corner, so that a range can reach as
 * far as a sheet goes. Any input gives a grid or an error, within a second:
 * no crash, leak or hang, and the grid is well formed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bs_buf sheet = {0};
    bs_buf_puts(&sheet, "<worksheet><sheetData>"
                        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>top</t></is></c>"
                        "<c r=\"C1\"><v>2.5</v></c><c r=\"E1\" t=\"inlineStr\"><is><t>");
    for (int i = 0; i < 100; i++) {
        bs_buf_puts(&sheet, "長いテキスト");
    }
    bs_buf_puts(&sheet, "</t></is></c></row>"
                        "<row r=\"3\"><c r=\"B3\" t=\"b\"><v>1</v></c></row>"
                        "<row r=\"1048576\"><c r=\"XFD1048576\"><v>9</v></c></row>"
                        "</sheetData><mergeCells>");
    bs_buf_add(&sheet, (const char *)data, size);
    bs_buf_puts(&sheet, "</mergeCells></worksheet>");
    size_t len = 0;
    char *buf = fuzz_book(sheet.s, sheet.len, NULL, 0, &len);
    bs_buf_free(&sheet);
    fuzz_read_book(buf, len);
    return 0;
}
