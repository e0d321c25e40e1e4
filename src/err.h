/* err: one error type for the whole engine: a code plus a message that
 * carries its place (`台帳!F12: …`, `themes/policy.lua:41: …`).
 *
 * Fallible functions return BS_OK (0) or a code and take `bs_err *err`
 * last. The detector writes the message; callers may add a prefix, never
 * overwrite: the first error wins. The buffer is fixed, so reporting never
 * allocates. */
#ifndef BS_ERR_H
#define BS_ERR_H

enum {
    BS_OK = 0,
    BS_EUSAGE,    /* the command line is wrong */
    BS_EINPUT,    /* a value the user gave is invalid */
    BS_ENOTFOUND, /* a company, theme, engagement … does not exist */
    BS_ESTATE,    /* the workflow does not allow this now */
    BS_ESCRIPT,   /* a theme script failed or is malformed */
    BS_EIO,       /* a file could not be read or written */
    BS_EDB,       /* the database failed */
    BS_ECORRUPT,  /* a file or database is not what it claims to be */
    BS_ENOMEM,    /* a budget or allocation was exceeded */
    BS_EEXIST,    /* the thing exists already */
};

typedef struct bs_err {
    int code;      /* BS_OK while no error has been recorded */
    char msg[1024]; /* NUL-terminated, UTF-8, cut on a character boundary */
} bs_err;

/* Short English name of a code ("usage", "not found", …); never NULL. */
const char *bs_strcode(int code);

/* Records an error unless one is recorded already (first error wins).
 * Returns `code`, so that `return bs_err_set(err, BS_EINPUT, …);` reads
 * naturally. `err` may be NULL. */
int bs_err_set(bs_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "prefix: " in front of the recorded message (no-op without one). */
void bs_err_prefix(bs_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Forgets a recorded error. */
void bs_err_clear(bs_err *err);

/* Truncates `s` in place to at most `max` bytes and drops a trailing UTF-8
 * sequence left incomplete (by this cut or an earlier one). */
void bs_utf8_truncate(char *s, size_t max);

#endif
