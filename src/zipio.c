#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "i18n.h"
#include "util.h"
#include "zipio.h"

struct bs_zip {
    zip_t *za;      /* owned */
    void *mem;      /* owned copy of an in-memory archive, or NULL */
    char *name;     /* owned: for messages */
    size_t n;       /* entries */
    char **names;   /* owned copies of the entry names */
};

static int zip_fail(const char *name, zip_error_t *ze, bs_err *err)
{
    int sys = zip_error_code_zip(ze);
    int code = sys == ZIP_ER_NOZIP || sys == ZIP_ER_INCONS || sys == ZIP_ER_CRC ? BS_ECORRUPT
               : sys == ZIP_ER_OPEN || sys == ZIP_ER_READ                       ? BS_EIO
                                                                                : BS_ECORRUPT;
    const char *what = sys == ZIP_ER_NOZIP ? _("not a zip archive (a .docx or .xlsx is one)")
                                           : zip_error_strerror(ze);
    return bs_err_set(err, code, "%s: %s", name, what);
}

static bool name_ok(const char *s)
{
    if (!*s || *s == '/' || strstr(s, "\\") || strlen(s) > 512) {
        return false;
    }
    for (const char *p = s; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            return false;
        }
        p += len + (slash ? 1 : 0);
        if (!slash) {
            break;
        }
    }
    return true;
}

/* Checks the bounds of every entry and keeps the names. */
static int check(bs_zip *z, bs_err *err)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0 || n > ZIPIO_MAX_ENTRIES) {
        return bs_err_set(err, BS_EINPUT, _("%s: too many entries (%lld; at most %d)"), z->name,
                          (long long)n, ZIPIO_MAX_ENTRIES);
    }
    z->names = xcalloc((size_t)n + 1, sizeof *z->names);
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
            return bs_err_set(err, BS_ECORRUPT, _("%s: entry %lld is unreadable"), z->name,
                              (long long)i);
        }
        if (!name_ok(st.name) || !bs_utf8_valid(st.name, strlen(st.name))) {
            return bs_err_set(err, BS_EINPUT, _("%s: entry %lld has a bad name"), z->name,
                              (long long)i);
        }
        if (st.size > ZIPIO_MAX_ENTRY) {
            return bs_err_set(err, BS_EINPUT, _("%s: %s is too large (%llu bytes; at most %d)"),
                              z->name, st.name, (unsigned long long)st.size, ZIPIO_MAX_ENTRY);
        }
        if (st.size > (1u << 20) && st.size / (st.comp_size ? st.comp_size : 1) > ZIPIO_MAX_RATIO) {
            return bs_err_set(err, BS_EINPUT,
                              _("%s: %s is compressed %llu:1, more than any office file (a zip "
                                "bomb?)"),
                              z->name, st.name,
                              (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)));
        }
        total += st.size;
        if (total > ZIPIO_MAX_TOTAL) {
            return bs_err_set(err, BS_EINPUT, _("%s: more than %d bytes uncompressed"), z->name,
                              ZIPIO_MAX_TOTAL);
        }
        z->names[i] = xstrdup(st.name);
    }
    z->n = (size_t)n;
    return BS_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The error for an archive that libzip refused because two entries have
 * one name ("File already exists" in its words): the archive opened again
 * without the consistency check, which lets it list them, to name the
 * entry. Takes `src`. */
static int duplicate(const char *name, zip_source_t *src, bs_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    zip_error_fini(&ze);
    zip_int64_t n = za ? zip_get_num_entries(za, 0) : -1;
    const char *dup = NULL;
    char **names = NULL;
    if (n > 1 && n <= ZIPIO_MAX_ENTRIES) {
        names = xcalloc((size_t)n, sizeof *names);
        for (zip_int64_t i = 0; i < n; i++) {
            const char *s = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
            names[i] = xstrdup(s ? s : "");
        }
        qsort(names, (size_t)n, sizeof *names, cmp_str);
        for (zip_int64_t i = 1; i < n && !dup; i++) {
            if (strcmp(names[i - 1], names[i]) == 0) {
                dup = names[i];
            }
        }
    }
    int rc;
    if (dup && name_ok(dup) && bs_utf8_valid(dup, strlen(dup))) {
        rc = bs_err_set(err, BS_ECORRUPT, _("%s: %s is in the archive twice"), name, dup);
    } else {
        rc = bs_err_set(err, BS_ECORRUPT, _("%s: two entries of the archive have one name"), name);
    }
    for (zip_int64_t i = 0; names && i < n; i++) {
        free(names[i]);
    }
    free(names);
    if (za) {
        zip_discard(za); // and the source with it
    } else {
        zip_source_free(src);
    }
    return rc;
}

static int finish_open(bs_zip *z, zip_source_t *src, bs_zip **out, bs_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    int rc = BS_OK;
    if (!z->za && zip_error_code_zip(&ze) == ZIP_ER_EXISTS) {
        rc = duplicate(z->name, src, err);
    } else if (!z->za) {
        zip_source_free(src);
        rc = zip_fail(z->name, &ze, err);
    } else {
        rc = check(z, err);
    }
    zip_error_fini(&ze);
    if (rc != BS_OK) {
        zipio_close(z);
        return rc;
    }
    *out = z;
    return BS_OK;
}

int zipio_open_file(const char *path, bs_zip **out, bs_err *err)
{
    bs_zip *z = xcalloc(1, sizeof *z);
    z->name = xstrdup(path);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_file_create(path, 0, -1, &ze);
    if (!src) {
        int rc = bs_err_set(err, BS_EIO, "%s: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        zipio_close(z);
        return rc;
    }
    zip_error_fini(&ze);
    return finish_open(z, src, out, err);
}

int zipio_open_mem(const void *data, size_t len, const char *name, bs_zip **out, bs_err *err)
{
    bs_zip *z = xcalloc(1, sizeof *z);
    z->name = xstrdup(name);
    z->mem = xmalloc(len);
    memcpy(z->mem, data, len);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(z->mem, len, 0, &ze);
    zip_error_fini(&ze);
    if (!src) {
        zipio_close(z);
        return bs_err_set(err, BS_ENOMEM, _("%s: cannot read from memory"), name);
    }
    return finish_open(z, src, out, err);
}

void zipio_close(bs_zip *z)
{
    if (!z) {
        return;
    }
    if (z->za) {
        zip_discard(z->za);
    }
    for (size_t i = 0; z->names && z->names[i]; i++) {
        free(z->names[i]);
    }
    free(z->names);
    free(z->mem);
    free(z->name);
    free(z);
}

size_t zipio_count(const bs_zip *z)
{
    return z->n;
}

const char *zipio_name(const bs_zip *z, size_t i)
{
    return i < z->n ? z->names[i] : NULL;
}

long zipio_find(const bs_zip *z, const char *name)
{
    for (size_t i = 0; i < z->n; i++) {
        if (strcmp(z->names[i], name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

int zipio_read(bs_zip *z, size_t i, char **data_out, size_t *len_out, bs_err *err)
{
    if (i >= z->n) {
        return bs_err_set(err, BS_ENOTFOUND, _("%s: no entry %zu"), z->name, i);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, i, 0, &st) != 0) {
        return bs_err_set(err, BS_ECORRUPT, _("%s: %s is unreadable"), z->name, z->names[i]);
    }
    zip_file_t *f = zip_fopen_index(z->za, i, 0);
    if (!f) {
        return bs_err_set(err, BS_ECORRUPT, "%s: %s: %s", z->name, z->names[i],
                          zip_strerror(z->za));
    }
    // Read at most the declared size, plus one byte to notice a stream that
    // holds more than it declares.
    size_t want = (size_t)st.size;
    char *buf = xmalloc(want + 2);
    size_t got = 0;
    int rc = BS_OK;
    for (;;) {
        zip_int64_t r = zip_fread(f, buf + got, want + 1 - got);
        if (r < 0) {
            rc = bs_err_set(err, BS_ECORRUPT, "%s: %s: %s", z->name, z->names[i],
                            zip_file_strerror(f));
            break;
        }
        if (r == 0) {
            break;
        }
        got += (size_t)r;
        if (got > want) {
            rc = bs_err_set(err, BS_ECORRUPT, _("%s: %s holds more than it declares"), z->name,
                            z->names[i]);
            break;
        }
    }
    zip_fclose(f);
    if (rc == BS_OK && got != want) {
        rc = bs_err_set(err, BS_ECORRUPT, _("%s: %s is truncated"), z->name, z->names[i]);
    }
    if (rc != BS_OK) {
        free(buf);
        return rc;
    }
    buf[got] = '\0';
    *data_out = buf;
    *len_out = got;
    return BS_OK;
}

void *zipio_handle(bs_zip *z)
{
    return z->za;
}

zip_t *zipio_new_mem(const char *path, zip_source_t **mem_out, bs_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    if (mem) {
        zip_source_keep(mem); // it outlives the archive: the bytes are read from it
        za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    }
    if (!za) {
        bs_err_set(err, BS_EIO, "%s: %s", path, zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    *mem_out = mem;
    return za;
}

/* The bytes the closed archive left in `mem` (owned, in *out). */
static int read_mem(zip_source_t *mem, const char *path, char **out, size_t *len, bs_err *err)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(mem, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(mem) != 0) {
        return bs_err_set(err, BS_EIO, "%s: %s", path, zip_error_strerror(zip_source_error(mem)));
    }
    char *bytes = xmalloc(st.size ? (size_t)st.size : 1);
    zip_int64_t n = zip_source_read(mem, bytes, st.size);
    zip_source_close(mem);
    if (n != (zip_int64_t)st.size) {
        free(bytes);
        return bs_err_set(err, BS_EIO, _("%s: the archive could not be read back"), path);
    }
    *out = bytes;
    *len = (size_t)n;
    return BS_OK;
}

/* The bytes the closed archive left in `mem`, written to `path`. */
static int write_mem(zip_source_t *mem, const char *path, char *sha256_out, bs_err *err)
{
    char *bytes = NULL;
    size_t n = 0;
    int rc = read_mem(mem, path, &bytes, &n, err);
    if (rc == BS_OK) {
        rc = bs_write_file_atomic(path, bytes, n, err);
    }
    if (rc == BS_OK && sha256_out) {
        bs_sha256(bytes, n, sha256_out);
    }
    free(bytes);
    return rc;
}

/* Closes the archive (or discards it when `rc` is an error) and gives its
 * bytes (owned) instead of writing them. */
static int close_archive(zip_t *za, int rc, const char *path, bs_err *err)
{
    if (za) {
        if (rc == BS_OK && zip_close(za) != 0) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", path, zip_strerror(za));
        }
        if (rc != BS_OK) {
            zip_discard(za);
        }
    }
    return rc;
}

int zipio_finish_bytes(zip_t *za, zip_source_t *mem, int rc, const char *name, char **out,
                       size_t *len, bs_err *err)
{
    rc = close_archive(za, rc, name, err);
    if (rc == BS_OK) {
        rc = read_mem(mem, name, out, len, err);
    }
    zip_source_free(mem);
    return rc;
}

int zipio_finish_mem(zip_t *za, zip_source_t *mem, int rc, const char *path, char *sha256_out,
                     bs_err *err)
{
    rc = close_archive(za, rc, path, err);
    if (rc == BS_OK) {
        rc = write_mem(mem, path, sha256_out, err);
    }
    zip_source_free(mem);
    return rc;
}
