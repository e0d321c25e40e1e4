/* The empty table of embedded.h: what the unit tests, the fuzzers and
 * tools/embed.c link, so that they always take the way of a file read afresh. */
#include "embedded.h"

const bs_embedded embedded_templates[] = {{0}};
const size_t embedded_ntemplates = 0;
const bs_embedded embedded_chunks[] = {{0}};
const size_t embedded_nchunks = 0;
