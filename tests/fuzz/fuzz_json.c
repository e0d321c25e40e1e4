/* Fuzz entry: arbitrary bytes as JSON data (what `bansou render` will read),
 * parsed, dumped and parsed again: the two trees must print the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bs_value *v = NULL, *w = NULL;
    bs_err e = {0};
    if (jsonv_parse((const char *)data, size, "fuzz", &v, &e) != BS_OK) {
        return 0;
    }
    char *a = jsonv_dump(v);
    if (jsonv_parse(a, strlen(a), "again", &w, &e) != BS_OK) {
        abort();
    }
    char *b = jsonv_dump(w);
    if (strcmp(a, b) != 0) {
        abort();
    }
    free(a);
    free(b);
    value_free(v);
    value_free(w);
    return 0;
}
