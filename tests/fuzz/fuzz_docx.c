/* Fuzz entry: arbitrary bytes as a template's word/document.xml, packed
 * into a .docx in memory and rendered with fixed data. Whatever the input,
 * the result is a document or an error: no crash, no leak, no hang. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "docx.h"
#include "jsonv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char json[] =
    "{\"name\": \"株式会社A\", \"n\": 3, \"ok\": true, \"company\": {\"name\": \"A\"},"
    " \"list\": [{\"name\": \"x\", \"list\": [1, 2]}, {\"name\": \"y\"}], \"tags\": [\"a\", \"b\"]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_source_keep(src);
    zip_file_add(za, "word/document.xml", zip_source_buffer(za, data, size, 0), 0);
    zip_close(za);
    zip_stat_t st;
    zip_source_stat(src, &st);
    char *buf = malloc(st.size ? st.size : 1);
    zip_source_open(src);
    zip_source_read(src, buf, st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);

    static char out[64];
    if (!out[0]) {
        snprintf(out, sizeof out, "/tmp/bansou-fuzz-%ld.docx", (long)getpid());
    }
    bs_docx *t = NULL;
    bs_err e = {0};
    if (docx_open_mem(buf, st.size, "fuzz.docx", &t, &e) == BS_OK) {
        bs_value *v = NULL;
        jsonv_parse(json, strlen(json), "data", &v, &e);
        bs_value *w = value_list();
        bs_docx_opts o = {.warnings = w};
        docx_render(t, v, &o, out, &e);
        unlink(out);
        value_free(w);
        value_free(v);
        docx_free(t);
    }
    free(buf);
    return 0;
}
