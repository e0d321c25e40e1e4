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
/* Says "out of memory" and exits: what x* allocators do when malloc fails. */
_Noreturn void bs_oom(void);
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

/* A file written beside its target and moved into place, so that a reader
 * (or a second run) sees the old file or the new one, never a part of
 * either, and a write that dies leaves nothing anyone takes for the file.
 *
 * The temporary file is hidden and named for this tool,
 * `.bansou-tmp-XXXXXX` in the target's folder, created exclusively
 * (mkstemp: never a file or link that was there) and owner-only (0600)
 * whatever the umask; its writer holds a lock on it until the rename.
 * The first bs_tmp_open of a process in a folder removes from it the
 * temporary files whose writer is gone (killed, crashed, the machine
 * stopped): those whose lock can be taken. Files being written by others
 * keep their lock and stay.
 * Not synced to the disk: generated files can be written again. */
typedef struct bs_tmp {
    char *path; /* owned: the file to replace */
    char *tmp;  /* owned: the temporary file, in the same folder; NULL once renamed */
    int fd;     /* the temporary file, open for writing and locked; -1 when closed */
} bs_tmp;

/* Sweeps the folder of `path`, then creates the temporary file (*t). On
 * success the caller writes through t->fd or bs_tmp_write, or has a
 * library write to the path t->tmp, then calls bs_tmp_commit or
 * bs_tmp_discard. On failure *t needs no discard. */
int bs_tmp_open(const char *path, bs_tmp *t, bs_err *err);
/* Writes all of `len` bytes to the temporary file. */
int bs_tmp_write(bs_tmp *t, const void *data, size_t len, bs_err *err);
/* Renames the temporary file over t->path and closes it; refused when the
 * name no longer holds the file bs_tmp_open made. On failure the temporary
 * file is removed. Always ends `t` (no discard after). */
int bs_tmp_commit(bs_tmp *t, bs_err *err);
/* Removes the temporary file and ends `t`; a no-op on an ended one. */
void bs_tmp_discard(bs_tmp *t);

/* Writes `len` bytes to `path` through a bs_tmp: owner-only, atomically. */
int bs_write_file_atomic(const char *path, const void *data, size_t len, bs_err *err);

bool bs_file_exists(const char *path);
bool bs_dir_exists(const char *path);
/* Creates `path` and its parents with exactly `mode` (the umask does not
 * apply); existing directories are fine and left as they are. */
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

/* The fiscal year (April to March) of a YYYY-MM-DD day: 2026-03-31 → 2025. */
int bs_fiscal_year(const char *day);

/* Today's date as YYYY-MM-DD in local time, into `out` (11 bytes). */
void bs_date_today(char out[11]);
/* The current time as ISO 8601 with seconds and offset, into `out` (32 bytes). */
void bs_now_iso(char out[32]);

/* Parses a decimal integer (optionally with ',' or '_' digit separators) into
 * *out; false on anything else or overflow. */
bool bs_parse_int(const char *s, int64_t *out);

/* Parses an amount of yen as it is written on a company's profile into
 * *yen_out: digits, with ',' between thousands groups ("30,000,000"); the
 * units 億 and 万, largest first, each at most once, and a rest of less than
 * one of the unit before ("3億5000万", "3億5000万1200"); a decimal before a
 * single unit ("1.5億", "0.5万") when it comes to whole yen; an optional 円
 * at the end; full-width digits, comma and point (３０００万, ３０，０００),
 * spaces (also U+3000) around. Refused with BS_EINPUT and a message starting
 * "WHAT: 'S'" (WHAT such as "--capital"): a negative amount, a fraction of a
 * yen, more than INT64_MAX, or anything else. */
int bs_parse_yen(const char *s, const char *what, int64_t *yen_out, bs_err *err);

/* True when `s` is well-formed UTF-8. */
bool bs_utf8_valid(const char *s, size_t n);
/* The number of terminal columns `s` takes (East Asian wide = 2). */
int bs_utf8_width(const char *s);
/* The first character of s[0..n), n > 0: its length in bytes (1 for a byte
 * that begins no character, taken as '?'), *cp its code point and *width
 * its columns. */
size_t bs_utf8_step(const char *s, size_t n, uint32_t *cp, int *width);
/* The length in bytes of the first line of `s` when it is broken into lines
 * of at most `width` columns: all of `s` when it fits; else at the last place
 * a line may break (after a space; between Japanese characters, but never
 * before 、。」 and the like) when that leaves the line at least half full,
 * else after the last '/', '-' or '_' that does, else at the last character
 * that fits. At least one character. */
size_t bs_wrap_len(const char *s, int width);

/* The number of characters (code points) of `s`; a stray byte counts as one. */
size_t bs_utf8_chars(const char *s);

/* True when `s` holds a control character: C0 (newline and tab too), DEL or
 * C1 (U+0080 to U+009F). */
bool bs_has_control(const char *s);
/* `s` as it may be shown on a terminal or in a log line: C0 and DEL as \xHH,
 * C1 and the characters that reorder or break lines (bidirectional
 * overrides, U+2028/9) as \uHHHH, a byte that is not UTF-8 as \xHH;
 * everything else, backslashes too, as it is. Owned by the caller. */
char *bs_visible(const char *s);

#define BS_STR_(x) #x
#define BS_STR(x) BS_STR_(x)
/* Bytes of a plain file name (bs_plain_name_problem). */
#define BS_PLAIN_NAME_MAX 200

/* NULL when `name` is a plain file name: not empty, '.' or '..', UTF-8,
 * without '/', '\', the characters Windows refuses (: * ? " < > |) or a
 * control character, at most BS_PLAIN_NAME_MAX bytes. Else why not ("it
 * contains '/'"), a static string in the language of the messages. */
const char *bs_plain_name_problem(const char *name);
/* NULL when `path` is a relative path of plain names joined by '/'
 * ("common/訪問計画書.docx"): it stays below the folder it is taken from.
 * Else why not, as bs_plain_name_problem says it. */
const char *bs_relative_path_problem(const char *path);
/* `s` made into a file name that Linux, Windows and macOS take: each of
 * / \ : * ? " < > |, a control character or a byte that is not UTF-8
 * replaced by '_', leading dots and trailing dots and spaces removed, at
 * most `max` bytes (whole characters). May be "". Owned by the caller. */
char *bs_safe_name(const char *s, size_t max);

#endif
