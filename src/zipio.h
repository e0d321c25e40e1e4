/* zipio: reading untrusted zip archives (libzip) within bounds, and
 * writing archives through memory.
 *
 * An archive is checked when opened: entry count, each entry's size, the
 * total size and the compression ratio are bounded, and entry names must be
 * relative paths without "..". Reads never return more than the entry's
 * declared size, whatever the compressed stream holds. */
#ifndef BS_ZIPIO_H
#define BS_ZIPIO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct bs_zip bs_zip;

/* Limits of one archive. */
enum {
    ZIPIO_MAX_ENTRIES = 10000,
    ZIPIO_MAX_ENTRY = 64 << 20,   /* bytes of one entry, uncompressed */
    ZIPIO_MAX_TOTAL = 256 << 20,  /* bytes of all entries, uncompressed */
    ZIPIO_MAX_RATIO = 200,        /* uncompressed / compressed, for entries over 1 MiB */
};

/* Opens the archive at `path` (name used in messages). */
int zipio_open_file(const char *path, bs_zip **out, bs_err *err);
/* Opens an archive held in memory; `data` is copied. */
int zipio_open_mem(const void *data, size_t len, const char *name, bs_zip **out, bs_err *err);
void zipio_close(bs_zip *z);

/* Number of entries, and the name of entry i (lent, valid until close). */
size_t zipio_count(const bs_zip *z);
const char *zipio_name(const bs_zip *z, size_t i);
/* The index of entry `name`, or -1. */
long zipio_find(const bs_zip *z, const char *name);

/* Reads entry i into a new NUL-terminated buffer (owned, *data_out; length
 * in *len_out). */
int zipio_read(bs_zip *z, size_t i, char **data_out, size_t *len_out, bs_err *err);

/* The libzip archive, for copying entries raw into another archive (lent).
 * Declared as void * so that only zipio and its user see libzip. */
void *zipio_handle(bs_zip *z);

/* Writing: an archive built in memory and written to its file in one go
 * (a zip written to a file is many small writes and seeks per entry).
 * zipio_new_mem gives the archive (libzip's zip_t, NULL on failure) and
 * its memory (*mem_out); zipio_finish_mem closes it, or discards it when
 * `rc` is an error already, writes the bytes to `path` atomically
 * (bs_write_file_atomic), their SHA-256 into sha256_out if not NULL, and
 * frees the memory. Returns `rc` or the first error of its own. */
struct zip;
struct zip_source;
struct zip *zipio_new_mem(const char *path, struct zip_source **mem_out, bs_err *err);
int zipio_finish_mem(struct zip *za, struct zip_source *mem, int rc, const char *path,
                     char *sha256_out, bs_err *err);
/* The same, giving the archive's bytes (owned, in *out and *len) instead of
 * writing them: an archive inside another (`name` for messages). */
int zipio_finish_bytes(struct zip *za, struct zip_source *mem, int rc, const char *name,
                       char **out, size_t *len, bs_err *err);

#endif
