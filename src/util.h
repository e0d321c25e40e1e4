/* util: allocation that cannot fail, a growable string, files, dates. */
#ifndef BS_UTIL_H
#define BS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Allocation outside Lua never fails: on exhaustion these print a message and
 * exit(1). That is safe because state changes are transactions and files are
 * renamed into place. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; owned by the caller. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte string. Zero-initialise, append, then take
 * `s` (owned) or call bs_buf_free. */
typedef struct bs_buf {
    char *s;    /* owned; NULL until the first append */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
} bs_buf;

void bs_buf_add(bs_buf *b, const char *s, size_t n);
void bs_buf_puts(bs_buf *b, const char *s);
void bs_buf_printf(bs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL; "" when empty) and leaves `b` empty. */
char *bs_buf_take(bs_buf *b);
void bs_buf_free(bs_buf *b);

/* Reads a whole file of at most `max` bytes into a new NUL-terminated buffer
 * (owned by the caller, in *data_out; its length in *len_out if not NULL). */
int bs_read_file(const char *path, size_t max, char **data_out, size_t *len_out, bs_err *err);

/* Writes `len` bytes to `path` atomically: an exclusively created temporary
 * file beside it, then rename, so that a reader (or a second run) sees the
 * old file or the new one, never a part of either. `mode` is the new file's
 * permission before the umask. Not synced to the disk: generated files can
 * be written again. */
int bs_write_file_atomic(const char *path, const void *data, size_t len, int mode, bs_err *err);

bool bs_file_exists(const char *path);
bool bs_dir_exists(const char *path);
/* Creates `path` and its parents with `mode`; existing directories are fine. */
int bs_mkdir_p(const char *path, int mode, bs_err *err);

/* The SHA-256 of a file as 64 hex digits into out (65 bytes). */
int bs_sha256_file(const char *path, char out[65], bs_err *err);
/* The same of `len` bytes in memory. */
void bs_sha256(const void *data, size_t len, char out[65]);

/* True when `s` is a valid calendar date written YYYY-MM-DD. */
bool bs_date_valid(const char *s);
/* Days since 1970-01-01 of a valid YYYY-MM-DD date, and back (out: 11 bytes). */
long bs_date_days(const char *date);
void bs_days_date(long days, char out[11]);

/* Today's date as YYYY-MM-DD in local time, into `out` (11 bytes). */
void bs_date_today(char out[11]);
/* The current time as ISO 8601 with seconds and offset, into `out` (32 bytes). */
void bs_now_iso(char out[32]);

/* Parses a decimal integer (optionally with ',' or '_' digit separators) into
 * *out; false on anything else or overflow. */
bool bs_parse_int(const char *s, int64_t *out);

/* True when `s` is well-formed UTF-8. */
bool bs_utf8_valid(const char *s, size_t n);
/* The number of terminal columns `s` takes (East Asian wide = 2). */
int bs_utf8_width(const char *s);

#endif
