/* embedded: what a build of bansou prepared from the files it ships, so
 * that commands start from it instead of doing the work again: the Word
 * templates compiled, and the theme scripts as Lua bytecode (tools/embed.c
 * writes the tables when the binary is linked). Each entry is keyed by the SHA-256 of the file it was made from:
 * a file is used in its prepared form only when its bytes are exactly those
 * that were prepared, so an edited or foreign file is always read afresh. */
#ifndef BS_EMBEDDED_H
#define BS_EMBEDDED_H

#include <stddef.h>

typedef struct bs_embedded {
    const char *sha256;         /* of the source file: 64 hex digits */
    const char *name;           /* the file, relative to its directory (for people) */
    const unsigned char *data;  /* the prepared form */
    size_t len;
} bs_embedded;

/* The compiled template made from a file with this SHA-256, or NULL. */
const bs_embedded *embedded_template(const char sha256[65]);
/* The bytecode of the theme script with this SHA-256, or NULL. It is the
 * binary's own: the sandbox still loads every file a user can write as
 * text, and a file matches only when its text is the text compiled. */
const bs_embedded *embedded_chunk(const char sha256[65]);

/* The tables: in the binary, written by tools/embed.c; in the tests and the
 * tool itself, empty (src/embedded_none.c). */
extern const bs_embedded embedded_templates[];
extern const size_t embedded_ntemplates;
extern const bs_embedded embedded_chunks[];
extern const size_t embedded_nchunks;

#endif
