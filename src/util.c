#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "util.h"

void bs_oom(void)
{
    fputs("bansou: out of memory\n", stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        bs_oom();
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        bs_oom();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        bs_oom();
    }
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        bs_oom();
    }
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static void buf_reserve(bs_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) {
        return;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        cap *= 2;
    }
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void bs_buf_add(bs_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void bs_buf_puts(bs_buf *b, const char *s)
{
    bs_buf_add(b, s, strlen(s));
}

void bs_buf_printf(bs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *bs_buf_take(bs_buf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    *b = (bs_buf){0};
    return s;
}

void bs_buf_free(bs_buf *b)
{
    free(b->s);
    *b = (bs_buf){0};
}

int bs_read_file(const char *path, size_t max, char **data_out, size_t *len_out, bs_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return bs_err_set(err, BS_EIO, "%s: %s", path, strerror(errno));
    }
    bs_buf b = {0};
    char chunk[8192];
    size_t n;
    int rc = BS_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            rc = bs_err_set(err, BS_EINPUT, _("%s: larger than %zu bytes"), path, max);
            goto done;
        }
        bs_buf_add(&b, chunk, n);
    }
    if (ferror(f)) {
        rc = bs_err_set(err, BS_EIO, _("%s: read error"), path);
        goto done;
    }
    if (len_out) {
        *len_out = b.len;
    }
    *data_out = bs_buf_take(&b);
done:
    bs_buf_free(&b);
    fclose(f);
    return rc;
}

/* The temporary files of this tool: TMP_PREFIX and six letters or digits
 * (mkstemp's XXXXXX), and nothing else, so that no file of anyone else's
 * is ever taken for one. */
#define TMP_PREFIX ".bansou-tmp-"

static bool is_tmp_name(const char *name)
{
    size_t n = strlen(TMP_PREFIX);
    if (strncmp(name, TMP_PREFIX, n) != 0 || strlen(name) != n + 6) {
        return false;
    }
    for (const char *p = name + n; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
            return false;
        }
    }
    return true;
}

/* Removes from `dir` the temporary files whose writer is gone: a writer
 * holds a lock on its file from creating it to renaming it, and the kernel
 * drops the lock when the writer dies, however it dies. So a file of ours
 * (our name, a regular file, our own) whose lock we can take is left over;
 * one whose lock is held is being written and stays. The name is checked
 * to be the file we locked before it is removed. Errors are ignored: the
 * sweep only tidies. */
static void sweep_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_tmp_name(de->d_name)) {
            continue;
        }
        int fd = openat(dirfd(d), de->d_name,
                        O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        struct stat st, now;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dirfd(d), de->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
            now.st_dev == st.st_dev && now.st_ino == st.st_ino) {
            unlinkat(dirfd(d), de->d_name, 0);
        }
        close(fd);
    }
    closedir(d);
}

/* The folders this process has swept, most recent first. A process sweeps
 * a folder at its first write there, which removes what earlier runs left;
 * sweeping at every write would read a folder of 10,000 documents 10,000
 * times. Kept per process: a child after fork sweeps for itself. */
enum { SWEPT_MAX = 8 };
static struct {
    pid_t pid;                /* the process the list is of */
    char *dirs[SWEPT_MAX];    /* owned; NULL when unused */
} swept;

static bool first_write_in(const char *dir)
{
    if (swept.pid != getpid()) {
        for (int i = 0; i < SWEPT_MAX; i++) {
            free(swept.dirs[i]);
            swept.dirs[i] = NULL;
        }
        swept.pid = getpid();
    }
    for (int i = 0; i < SWEPT_MAX && swept.dirs[i]; i++) {
        if (strcmp(swept.dirs[i], dir) == 0) {
            return false;
        }
    }
    free(swept.dirs[SWEPT_MAX - 1]);
    memmove(swept.dirs + 1, swept.dirs, (SWEPT_MAX - 1) * sizeof *swept.dirs);
    swept.dirs[0] = xstrdup(dir);
    return true;
}

int bs_tmp_open(const char *path, bs_tmp *t, bs_err *err)
{
    *t = (bs_tmp){.fd = -1};
    const char *slash = strrchr(path, '/');
    char *dir = !slash ? xstrdup(".") : slash == path ? xstrdup("/")
                                                      : xstrndup(path, (size_t)(slash - path));
    if (first_write_in(dir)) {
        sweep_tmp(dir);
    }
    int rc = BS_OK;
    for (int tries = 0; t->fd < 0 && tries < 10; tries++) {
        char *tmp = xasprintf("%s/" TMP_PREFIX "XXXXXX", dir);
        int fd = mkstemp(tmp);
        if (fd < 0) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", path, strerror(errno));
            free(tmp);
            break;
        }
        // Owner-only whatever the umask; a lock held until the rename.
        // Where the file system has no locks the write goes on without:
        // a sweep then leaves the file alone, as its lock cannot be taken.
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        fchmod(fd, 0600);
        while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_nlink == 0) {
            // A sweep in another process took it between mkstemp and the
            // lock and removed it: take another name.
            close(fd);
            free(tmp);
            continue;
        }
        t->fd = fd;
        t->tmp = tmp;
    }
    if (rc == BS_OK && t->fd < 0) {
        rc = bs_err_set(err, BS_EIO, _("%s: no temporary file could be made beside it"), path);
    }
    if (rc == BS_OK) {
        t->path = xstrdup(path);
    }
    free(dir);
    return rc;
}

int bs_tmp_write(bs_tmp *t, const void *data, size_t len, bs_err *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(t->fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            return bs_err_set(err, BS_EIO, "%s: %s", t->path, strerror(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    return BS_OK;
}

int bs_tmp_commit(bs_tmp *t, bs_err *err)
{
    // The name must still be the file we made: whoever wrote it by name (a
    // library) must have written our file, and nothing else is renamed
    // into place.
    struct stat mine, named;
    int rc = BS_OK;
    if (fstat(t->fd, &mine) != 0 || lstat(t->tmp, &named) != 0 || !S_ISREG(named.st_mode) ||
        named.st_dev != mine.st_dev || named.st_ino != mine.st_ino) {
        rc = bs_err_set(err, BS_EIO,
                        _("%s: the temporary file %s was replaced while it was written"),
                        t->path, t->tmp);
    } else if (rename(t->tmp, t->path) != 0) {
        rc = bs_err_set(err, BS_EIO, "%s: %s", t->path, strerror(errno));
    } else {
        free(t->tmp);
        t->tmp = NULL; // renamed: nothing left to remove
    }
    // Closed after the rename, so that the lock covers the file to the end.
    if (close(t->fd) != 0 && rc == BS_OK) {
        rc = bs_err_set(err, BS_EIO, "%s: %s", t->path, strerror(errno));
    }
    t->fd = -1;
    bs_tmp_discard(t);
    return rc;
}

void bs_tmp_discard(bs_tmp *t)
{
    if (t->tmp) {
        unlink(t->tmp);
    }
    if (t->fd >= 0) {
        close(t->fd);
    }
    free(t->tmp);
    free(t->path);
    *t = (bs_tmp){.fd = -1};
}

int bs_write_file_atomic(const char *path, const void *data, size_t len, bs_err *err)
{
    bs_tmp t;
    int rc = bs_tmp_open(path, &t, err);
    if (rc == BS_OK) {
        rc = bs_tmp_write(&t, data, len, err);
    }
    if (rc == BS_OK) {
        return bs_tmp_commit(&t, err);
    }
    bs_tmp_discard(&t);
    return rc;
}

bool bs_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool bs_dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int bs_mkdir_p(const char *path, int mode, bs_err *err)
{
    if (bs_dir_exists(path)) {
        return BS_OK; // the usual case: one stat instead of a mkdir and a stat per component
    }
    char *p = xstrdup(path);
    int rc = BS_OK;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0') {
            continue;
        }
        char c = *s;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) == 0) {
            chmod(p, (mode_t)mode); // exactly `mode`, whatever the umask took from it
        } else if (errno != EEXIST) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", p, strerror(errno));
            break;
        }
        if (!bs_dir_exists(p)) {
            rc = bs_err_set(err, BS_EIO, _("%s: not a directory"), p);
            break;
        }
        *s = c;
        if (c == '\0') {
            break;
        }
    }
    free(p);
    return rc;
}

bool bs_date_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

long bs_date_days(const char *date)
{
    // H. Hinnant's days_from_civil.
    long y = atol(date), m = atol(date + 5), d = atol(date + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void bs_days_date(long days, char out[11])
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

int bs_fiscal_year(const char *day)
{
    int y = atoi(day), m = atoi(day + 5);
    return m >= 4 ? y : y - 1;
}

void bs_date_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void bs_now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char z[8];
    strftime(z, sizeof z, "%z", &tm);
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    // ISO 8601 wants +09:00, strftime gives +0900.
    snprintf(out, 32, "%s%.3s:%.2s", base, z, z + 3);
}

bool bs_parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!*p) {
        return false;
    }
    int64_t v = 0;
    bool digit = false;
    for (; *p; p++) {
        if ((*p == ',' || *p == '_') && digit && p[1] >= '0' && p[1] <= '9') {
            continue;
        }
        if (*p < '0' || *p > '9') {
            return false;
        }
        int d = *p - '0';
        if (v > (INT64_MAX - d) / 10) {
            return false;
        }
        v = v * 10 + d;
        digit = true;
    }
    *out = neg ? -v : v;
    return true;
}

/* `s` with full-width digits, comma and point made ASCII and the spaces
 * around it (ASCII and U+3000) removed. Owned by the caller. */
static char *yen_ascii(const char *s)
{
    static const char *const space[] = {" ", "\t", "\u3000"};
    bs_buf b = {0};
    bs_buf_puts(&b, "");
    for (const char *p = s; *p;) {
        const unsigned char *u = (const unsigned char *)p;
        // U+FF10..U+FF19 (０-９), U+FF0C (，) and U+FF0E (．): EF BC 90..99, 8C, 8E.
        if (u[0] == 0xEF && u[1] == 0xBC && ((u[2] >= 0x90 && u[2] <= 0x99) || u[2] == 0x8C ||
                                             u[2] == 0x8E)) {
            char c = u[2] == 0x8C ? ',' : u[2] == 0x8E ? '.' : (char)('0' + (u[2] - 0x90));
            bs_buf_add(&b, &c, 1);
            p += 3;
        } else {
            bs_buf_add(&b, p, 1);
            p++;
        }
    }
    char *t = bs_buf_take(&b);
    size_t n = strlen(t), start = 0;
    for (bool cut = true; cut;) {
        cut = false;
        for (size_t i = 0; i < sizeof space / sizeof *space; i++) {
            size_t k = strlen(space[i]);
            if (n - start >= k && memcmp(t + start, space[i], k) == 0) {
                start += k, cut = true;
            }
            if (n - start >= k && memcmp(t + n - k, space[i], k) == 0) {
                n -= k, cut = true;
            }
        }
    }
    memmove(t, t + start, n - start);
    t[n - start] = '\0';
    return t;
}

/* Reads the digits at *p, with ',' only between groups of three after a
 * first group of one to three ("30,000,000"), into *v; false when there are
 * none, the groups are wrong or the number passes INT64_MAX (*big then). */
static bool yen_digits(const char **p, int64_t *v, bool *big)
{
    const char *q = *p;
    int64_t n = 0;
    int run = 0; // digits since the start or the last comma
    bool comma = false;
    for (;; q++) {
        if (*q >= '0' && *q <= '9') {
            int d = *q - '0';
            if (n > (INT64_MAX - d) / 10) {
                *big = true;
                return false;
            }
            n = n * 10 + d;
            run++;
        } else if (*q == ',' && run > 0 && (comma ? run == 3 : run <= 3)) {
            comma = true;
            run = 0;
        } else {
            break;
        }
    }
    if (run == 0 || (comma && run != 3)) {
        return false;
    }
    *v = n;
    *p = q;
    return true;
}

int bs_parse_yen(const char *s, const char *what, int64_t *yen_out, bs_err *err)
{
    static const struct {
        const char *name;
        int64_t mult;
    } units[] = {{"億", 100000000}, {"万", 10000}};
    char *t = yen_ascii(s);
    const char *p = t;
    size_t n = strlen(t);
    if (n >= strlen("円") && strcmp(t + n - strlen("円"), "円") == 0) {
        t[n - strlen("円")] = '\0';
    }
    enum { OK, BAD, NEGATIVE, FRACTION, BIG } why = OK;
    int64_t total = 0;
    size_t next = 0;     // the first unit that may still come
    int64_t below = 0;   // what the rest must stay under: the unit before (0: no bound)
    bool decimal = false; // a decimal was read: only its unit may follow
    bool big = false;
    if (*p == '-' || (p[0] == '\xE2' && p[1] == '\x88' && p[2] == '\x92')) { // '-' or U+2212
        why = NEGATIVE;
    }
    while (why == OK && *p) {
        int64_t v = 0, frac = 0, scale = 1;
        if (decimal || !yen_digits(&p, &v, &big)) {
            why = big ? BIG : BAD;
            break;
        }
        bool point = *p == '.';
        if (point) {
            p++;
            const char *f = p;
            for (; *p >= '0' && *p <= '9'; p++) {
                if (scale <= INT64_MAX / 10 / 100000000) {
                    frac = frac * 10 + (*p - '0');
                    scale *= 10;
                } else if (*p != '0') {
                    why = FRACTION; // finer than a yen whatever the unit
                }
            }
            if (p == f) {
                why = BAD;
                break;
            }
        }
        size_t u = next;
        while (u < sizeof units / sizeof *units &&
               strncmp(p, units[u].name, strlen(units[u].name)) != 0) {
            u++;
        }
        if (u == sizeof units / sizeof *units) {
            // No unit: the yen at the end, which takes no decimal.
            if (point || *p || (below && v >= below)) {
                why = why == OK ? BAD : why;
                break;
            }
            if (total > INT64_MAX - v) {
                why = BIG;
                break;
            }
            total += v;
            break;
        }
        if ((below && v >= below / units[u].mult) || (point && total)) {
            why = BAD; // 1億20000万, 3億1.5万
            break;
        }
        int64_t m = units[u].mult;
        if (v > INT64_MAX / m) {
            why = BIG;
            break;
        }
        int64_t yen = v * m;
        if (point) {
            // frac < scale <= 10^10 and m <= 10^8: frac * m fits.
            if (why == OK && (frac * m) % scale != 0) {
                why = FRACTION;
            }
            yen += frac * m / scale;
            decimal = true;
        }
        if (why != OK || yen < 0 || total > INT64_MAX - yen) {
            why = why == OK ? BIG : why;
            break;
        }
        total += yen;
        p += strlen(units[u].name);
        below = m;
        next = u + 1;
    }
    if (why == OK && p == t) {
        why = BAD; // empty, or only 円
    }
    free(t);
    if (why == OK) {
        *yen_out = total;
        return BS_OK;
    }
    char *shown = bs_visible(s);
    int rc;
    switch (why) {
    case NEGATIVE:
        rc = bs_err_set(err, BS_EINPUT, _("%s: '%s': an amount in yen cannot be negative"), what,
                        shown);
        break;
    case FRACTION:
        rc = bs_err_set(err, BS_EINPUT, _("%s: '%s' is not a whole number of yen"), what, shown);
        break;
    case BIG:
        rc = bs_err_set(err, BS_EINPUT, _("%s: '%s' is too large an amount in yen"), what, shown);
        break;
    default:
        rc = bs_err_set(err, BS_EINPUT,
                        _("%s: '%s' is not an amount in yen (e.g. 30000000, 30,000,000, 3000万, "
                          "3億5000万円)"),
                        what, shown);
        break;
    }
    free(shown);
    return rc;
}

static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return 0;
    }
    *cp = v;
    return len;
}

bool bs_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        if (len == 0) {
            return false;
        }
        p += len;
        n -= len;
    }
    return true;
}

size_t bs_utf8_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), chars = 0;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        len = len ? len : 1;
        p += len;
        n -= len;
        chars++;
    }
    return chars;
}

/* C0, DEL and C1: what a terminal may take for a command. */
static bool control(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/* Characters that change how the text around them is shown: the
 * bidirectional overrides and isolates, and the line and paragraph
 * separators (a "new line" to some terminals and viewers). */
static bool reorders(uint32_t c)
{
    return c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

bool bs_has_control(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        if (len && control(cp)) {
            return true;
        }
        len = len ? len : 1; // a stray byte is not a control character
        p += len;
        n -= len;
    }
    return false;
}

char *bs_visible(const char *s)
{
    bs_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        if (len == 0) {
            bs_buf_printf(&b, "\\x%02x", *p); // not UTF-8: the byte itself, never raw
            len = 1;
        } else if (cp < 0x80 && control(cp)) {
            bs_buf_printf(&b, "\\x%02x", (unsigned)cp);
        } else if (control(cp) || reorders(cp)) {
            bs_buf_printf(&b, "\\u%04x", (unsigned)cp);
        } else {
            bs_buf_add(&b, (const char *)p, len);
        }
        p += len;
        n -= len;
    }
    return bs_buf_take(&b);
}

/* Characters that Windows, macOS or Linux do not take in a file name, or
 * take with another meaning. */
static bool unsafe_in_name(uint32_t c)
{
    return control(c) || (c < 0x80 && strchr("/\\:*?\"<>|", (int)c));
}

const char *bs_plain_name_problem(const char *name)
{
    if (!name || !*name) {
        return _("it is empty");
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return strcmp(name, ".") == 0 ? _("it is '.'") : _("it is '..'");
    }
    size_t n = strlen(name);
    if (!bs_utf8_valid(name, n)) {
        return _("it is not UTF-8");
    }
    static const char *const chars[] = {"/",  "\\", ":", "*", "?", "\"", "<", ">", "|"};
    static const char *const said[] = {N_("it contains '/'"), N_("it contains '\\'"),
                                       N_("it contains ':'"), N_("it contains '*'"),
                                       N_("it contains '?'"), N_("it contains '\"'"),
                                       N_("it contains '<'"), N_("it contains '>'"),
                                       N_("it contains '|'")};
    for (size_t i = 0; i < sizeof chars / sizeof *chars; i++) {
        if (strchr(name, chars[i][0])) {
            return _(said[i]);
        }
    }
    if (bs_has_control(name)) {
        return _("it contains a control character");
    }
    if (n > BS_PLAIN_NAME_MAX) {
        static char longer[128];
        snprintf(longer, sizeof longer, _("it is longer than %d bytes"), BS_PLAIN_NAME_MAX);
        return longer;
    }
    return NULL;
}

const char *bs_relative_path_problem(const char *path)
{
    if (!path || !*path) {
        return _("it is empty");
    }
    if (*path == '/') {
        return _("it is an absolute path");
    }
    char part[BS_PLAIN_NAME_MAX + 2];
    for (const char *p = path;;) {
        size_t n = strcspn(p, "/");
        if (n > BS_PLAIN_NAME_MAX) {
            static char longer[128];
            snprintf(longer, sizeof longer, _("a part of it is longer than %d bytes"),
                     BS_PLAIN_NAME_MAX);
            return longer;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        const char *why = bs_plain_name_problem(part);
        if (why) {
            return strcmp(part, "..") == 0 ? _("it climbs out with '..'") : why;
        }
        if (!p[n]) {
            return NULL;
        }
        p += n + 1;
    }
}

char *bs_safe_name(const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0 && *p == '.') {
        p++, n--;
    }
    bs_buf b = {0};
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        bool bad = len == 0 || unsafe_in_name(cp);
        len = len ? len : 1;
        if (b.len + (bad ? 1 : len) > max) {
            break; // whole characters only
        }
        bs_buf_add(&b, bad ? "_" : (const char *)p, bad ? 1 : len);
        p += len;
        n -= len;
    }
    char *out = bs_buf_take(&b);
    size_t k = strlen(out);
    while (k > 0 && (out[k - 1] == '.' || out[k - 1] == ' ')) {
        out[--k] = '\0';
    }
    return out;
}

static bool wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

size_t bs_utf8_step(const char *s, size_t n, uint32_t *cp, int *width)
{
    size_t len = utf8_decode((const unsigned char *)s, n, cp);
    if (len == 0) {
        len = 1;
        *cp = '?';
    }
    *width = wide(*cp) ? 2 : 1;
    return len;
}

int bs_utf8_width(const char *s)
{
    size_t n = strlen(s);
    int w = 0;
    while (n > 0) {
        uint32_t cp;
        int cw;
        size_t len = bs_utf8_step(s, n, &cp, &cw);
        w += cw;
        s += len;
        n -= len;
    }
    return w;
}

/* Marks that must not begin a line (Japanese line-breaking rules): closing
 * brackets, the comma and period, the small kana and the long vowel mark. */
static bool no_line_start(uint32_t c)
{
    static const uint32_t marks[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09, 0x300D, 0x300F,
                                     0x3011, 0x3015, 0xFF3D, 0xFF5D, 0xFF01, 0xFF1F, 0xFF1A,
                                     0x30FC, 0x30FB, 0x3005, 0x309D, 0x309E, 0x30FD, 0x30FE,
                                     ')',    ']',    '}',    ',',    '.',    ':',    ';'};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        if (c == marks[i]) {
            return true;
        }
    }
    // ぁぃぅぇぉっゃゅょゎ and their katakana
    return (c >= 0x3041 && c <= 0x3049 && c % 2 == 1) || c == 0x3063 || c == 0x3083 ||
           c == 0x3085 || c == 0x3087 || c == 0x308E || (c >= 0x30A1 && c <= 0x30A9 && c % 2 == 1) ||
           c == 0x30C3 || c == 0x30E3 || c == 0x30E5 || c == 0x30E7 || c == 0x30EE;
}

size_t bs_wrap_len(const char *s, int width)
{
    size_t n = strlen(s), at = 0, brk = 0, sep = 0;
    int col = 0, brk_col = 0, sep_col = 0;
    uint32_t prev = 0, before = 0;
    int prev_w = 0;
    while (at < n) {
        uint32_t cp;
        int cw;
        size_t len = bs_utf8_step(s + at, n - at, &cp, &cw);
        // A line may break before this character after a space (not one
        // between digits, as in a date and its time) or between two
        // characters of which one is wide (Japanese text breaks between any
        // two), and, less willingly, after a separator of a path or name.
        bool digits = before >= '0' && before <= '9' && cp >= '0' && cp <= '9';
        if (at > 0 && !no_line_start(cp)) {
            if ((prev == ' ' && !digits) || cw == 2 || prev_w == 2) {
                brk = at;
                brk_col = col;
            } else if (prev == '/' || prev == '-' || prev == '_') {
                sep = at;
                sep_col = col;
            }
        }
        if (col + cw > width) {
            if (at == 0) {
                return len;
            }
            // At a break unless it would leave the line less than half full.
            return brk > 0 && brk_col * 2 >= width   ? brk
                   : sep > 0 && sep_col * 2 >= width ? sep
                                                     : at;
        }
        col += cw;
        at += len;
        before = prev;
        prev = cp;
        prev_w = cw;
    }
    return n;
}

/* SHA-256, fetched from OpenSSL's providers once: EVP_sha256() looks it up
 * again on every digest, which costs more than hashing a small file. Kept
 * for the life of the process. */
static const EVP_MD *sha256_md(void)
{
    static EVP_MD *md;
    if (!md) {
        md = EVP_MD_fetch(NULL, "SHA256", NULL);
    }
    return md ? md : EVP_sha256();
}

/* 32 bytes as 64 lower-case hex digits and a NUL. */
static void hex32(const unsigned char *d, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = '\0';
}

int bs_sha256_file(const char *path, char out[65], bs_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return bs_err_set(err, BS_EIO, "%s: %s", path, strerror(errno));
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char buf[65536], digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int rc = md && EVP_DigestInit_ex(md, sha256_md(), NULL)
                 ? BS_OK
                 : bs_err_set(err, BS_ENOMEM, _("%s: no SHA-256 digest"), path);
    size_t n;
    while (rc == BS_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(md, buf, n);
    }
    if (rc == BS_OK && ferror(f)) {
        rc = bs_err_set(err, BS_EIO, _("%s: read error"), path);
    }
    if (rc == BS_OK) {
        EVP_DigestFinal_ex(md, digest, &dlen);
        hex32(digest, out);
    }
    EVP_MD_CTX_free(md);
    fclose(f);
    return rc;
}

void bs_sha256(const void *data, size_t len, char out[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (!EVP_Digest(data, len, digest, &dlen, sha256_md(), NULL) || dlen < 32) {
        bs_oom(); // EVP_Digest fails only when it cannot allocate
    }
    hex32(digest, out);
}
