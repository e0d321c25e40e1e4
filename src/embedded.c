#include <string.h>

#include "embedded.h"

static const bs_embedded *find(const bs_embedded *table, size_t n, const char sha256[65])
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].sha256, sha256) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

const bs_embedded *embedded_template(const char sha256[65])
{
    return find(embedded_templates, embedded_ntemplates, sha256);
}

const bs_embedded *embedded_chunk(const char sha256[65])
{
    return find(embedded_chunks, embedded_nchunks, sha256);
}
