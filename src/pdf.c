/* PDF copies of written documents: LibreOffice run headless as a child
 * process (no shell), all the files of a request in one run (a run costs
 * about a second and a half to start; converting four documents one run
 * each took 6.7 s, in one run 1.8 s). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "job.h"
#include "pdf.h"
#include "store.h"
#include "util.h"

#define INSTALL_HINT "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
#define PDF_MAX ((size_t)512 << 20) /* a PDF larger than this is not read back */

char *pdf_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    return xasprintf("%.*s.pdf", (int)stem, path);
}

/* Whether `path` is a file we may run (a folder passes access(X_OK)). */
static bool is_program(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program to run: $BANSOU_SOFFICE, else `soffice` on PATH. Owned, or
 * NULL with `err` saying what is missing and how to install it. */
static char *find_soffice(bs_err *err)
{
    const char *env = getenv("BANSOU_SOFFICE");
    if (env && *env) {
        if (is_program(env)) {
            return xstrdup(env);
        }
        return bs_err_set(err, BS_ENOTFOUND,
                          _("cannot write PDF: BANSOU_SOFFICE names '%s', which is not a program"
                            " (install LibreOffice with: %s)"),
                          env, INSTALL_HINT),
               NULL;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        if (n > 0) {
            char *cand = xasprintf("%.*s/soffice", (int)n, p);
            if (is_program(cand)) {
                return cand;
            }
            free(cand);
        }
        p += n + (p[n] == ':');
    }
    bs_err_set(err, BS_ENOTFOUND,
               _("cannot write PDF: LibreOffice (soffice) is not installed or not on PATH"
                 " (install it with: %s, or set BANSOU_SOFFICE)"),
               INSTALL_HINT);
    return NULL;
}

/* Removes `dir` and everything in it (the temporary folder is ours and
 * holds no links to follow out of it: lstat, not stat). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            char *p = xasprintf("%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
                remove_tree(p);
            } else {
                unlink(p);
            }
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Seconds LibreOffice may take for `n` files before it is stopped. */
static int timeout_for(size_t n)
{
    const char *env = getenv("BANSOU_PDF_TIMEOUT");
    int64_t t;
    if (env && bs_parse_int(env, &t) && t > 0 && t < 86400) {
        return (int)t;
    }
    return 60 + 20 * (int)(n < 100 ? n : 100);
}

/* Runs `argv` with stdin from /dev/null and its output to /dev/null, in
 * its own process group, stopped (the whole group) after `timeout` s. */
static int run_child(char *const argv[], int timeout, bs_err *err)
{
    pid_t pid = fork();
    if (pid < 0) {
        return bs_err_set(err, BS_EIO, _("cannot start '%s': %s"), argv[0], strerror(errno));
    }
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2) {
                close(fd);
            }
        }
        execv(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int status = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            return bs_err_set(err, BS_EIO, _("cannot wait for '%s': %s"), argv[0], strerror(errno));
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= timeout) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            return bs_err_set(err, BS_EIO, _("'%s' did not finish within %d s"), argv[0],
                              timeout);
        }
        struct timespec nap = {0, 50 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    kill(-pid, SIGKILL); // a helper process it left behind
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        return bs_err_set(err, BS_EIO, _("'%s' could not be run"), argv[0]);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return bs_err_set(err, BS_EIO, _("'%s' failed (status %d)"), argv[0],
                          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    return BS_OK;
}

/* Whether two of `abs` share a base name: LibreOffice names its output
 * after the base name alone, so those cannot go in one run. */
static bool names_clash(char **abs, size_t n, size_t upto)
{
    const char *b = strrchr(abs[upto], '/') + 1;
    const char *bd = strrchr(b, '.');
    size_t bl = bd ? (size_t)(bd - b) : strlen(b);
    for (size_t i = 0; i < upto; i++) {
        const char *a = strrchr(abs[i], '/') + 1;
        const char *ad = strrchr(a, '.');
        size_t al = ad ? (size_t)(ad - a) : strlen(a);
        if (al == bl && memcmp(a, b, al) == 0) {
            return true;
        }
    }
    (void)n;
    return false;
}

/* Reads what LibreOffice wrote at `got` for the document `doc` into
 * *data_out (owned, with its length in *len_out): a regular file (not a
 * link to follow out of the folder, nor a pipe to block on) that begins as
 * a PDF does and ends with its trailer, so that a program which wrote
 * something else, or stopped half-way, is refused. */
static int read_pdf(const char *got, const char *doc, char **data_out, size_t *len_out,
                    bs_err *err)
{
    struct stat st;
    if (lstat(got, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        return bs_err_set(err, BS_EIO, _("cannot write the PDF of '%s': LibreOffice wrote none"),
                          doc);
    }
    char *data = NULL;
    size_t len = 0;
    int rc = bs_read_file(got, PDF_MAX, &data, &len, err);
    if (rc != BS_OK) {
        return rc;
    }
    bool eof = false; // "%%EOF" in the last kilobyte, where readers look for it
    for (size_t i = len > 1024 ? len - 1024 : 0; !eof && i + 5 <= len; i++) {
        eof = memcmp(data + i, "%%EOF", 5) == 0;
    }
    if (len < 5 || memcmp(data, "%PDF-", 5) != 0 || !eof) {
        free(data);
        return bs_err_set(err, BS_EIO,
                          _("cannot write the PDF of '%s': what LibreOffice wrote is not a "
                            "whole PDF"),
                          doc);
    }
    *data_out = data;
    *len_out = len;
    return BS_OK;
}

/* One run of LibreOffice over abs[from..to) into `outdir`, with the
 * profile in `profile`. */
static int convert_run(const char *prog, const char *profile, const char *outdir, char **abs,
                       size_t from, size_t to, bs_err *err)
{
    size_t argc = 0, cap = 9 + (to - from); // 8 before the files, NULL after
    char **argv = xcalloc(cap, sizeof *argv);
    char *env = xasprintf("-env:UserInstallation=file://%s", profile);
    argv[argc++] = (char *)prog;
    argv[argc++] = env;
    char headless[] = "--headless", norestore[] = "--norestore", convert[] = "--convert-to",
         pdf[] = "pdf", outdir_opt[] = "--outdir";
    argv[argc++] = headless;
    argv[argc++] = norestore;
    argv[argc++] = convert;
    argv[argc++] = pdf;
    argv[argc++] = outdir_opt;
    argv[argc++] = (char *)outdir;
    for (size_t i = from; i < to; i++) {
        argv[argc++] = abs[i]; // absolute: never read as an option
    }
    argv[argc] = NULL;
    int rc = run_child(argv, timeout_for(to - from), err);
    free(env);
    free(argv);
    return rc;
}

int pdf_convert(const bs_value *paths, const char *tmp_parent, bs_value *out, bs_err *err)
{
    size_t n = value_len(paths);
    if (n == 0) {
        return BS_OK;
    }
    char *prog = find_soffice(err);
    if (!prog) {
        return err->code;
    }
    char **abs = xcalloc(n, sizeof *abs);
    int rc = BS_OK;
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        const char *p = value_as_str(value_at(paths, i));
        abs[i] = p ? realpath(p, NULL) : NULL;
        if (!abs[i]) {
            rc = bs_err_set(err, BS_EIO, _("cannot read '%s': %s"), p ? p : "", strerror(errno));
        }
    }
    // Absolute: the profile is given to LibreOffice as a file:// URL.
    const char *tp = tmp_parent ? tmp_parent : getenv("TMPDIR");
    char *tp_abs = realpath(tp && *tp ? tp : "/tmp", NULL);
    char *tmp = xasprintf("%s/.bansou-pdf-XXXXXX", tp_abs ? tp_abs : "/tmp");
    free(tp_abs);
    bool made = false;
    if (rc == BS_OK) {
        made = mkdtemp(tmp) != NULL;
        if (!made) {
            rc = bs_err_set(err, BS_EIO, _("cannot create a temporary folder in '%s': %s"),
                            tp && *tp ? tp : "/tmp", strerror(errno));
        }
    }
    char *profile = xasprintf("%s/profile", tmp), *outdir = xasprintf("%s/out", tmp);
    if (rc == BS_OK && mkdir(outdir, 0700) != 0) {
        rc = bs_err_set(err, BS_EIO, _("cannot create '%s': %s"), outdir, strerror(errno));
    }
    // Runs over stretches of files whose base names differ; what each run
    // wrote is read back and checked before the next.
    size_t from = 0;
    char **data = xcalloc(n, sizeof *data);
    size_t *len = xcalloc(n, sizeof *len);
    for (size_t i = 1; rc == BS_OK && i <= n; i++) {
        if (i == n || names_clash(abs + from, n, i - from)) {
            rc = convert_run(prog, profile, outdir, abs, from, i, err);
            if (rc != BS_OK && i - from == 1) {
                bs_err_prefix(err, _("cannot write the PDF of '%s'"),
                              value_as_str(value_at(paths, from)));
            } else if (rc != BS_OK) {
                bs_err_prefix(err,
                              ngettext("cannot write the PDFs of '%s' and %zu other document",
                                       "cannot write the PDFs of '%s' and %zu other documents",
                                       (unsigned long)(i - from - 1)),
                              value_as_str(value_at(paths, from)), i - from - 1);
            }
            for (size_t k = from; rc == BS_OK && k < i; k++) {
                char *leaf = pdf_name(strrchr(abs[k], '/') + 1);
                char *got = xasprintf("%s/%s", outdir, leaf);
                rc = read_pdf(got, value_as_str(value_at(paths, k)), &data[k], &len[k], err);
                unlink(got); // the next run may write a PDF of the same name
                free(got);
                free(leaf);
            }
            from = i;
        }
    }
    // Every PDF is whole: each is written beside its document under a
    // temporary name, and only once all are, renamed into place.
    bs_tmp *tmps = xcalloc(n, sizeof *tmps);
    size_t opened = 0;
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        char *dest = pdf_name(value_as_str(value_at(paths, i)));
        rc = bs_tmp_open(dest, &tmps[i], err);
        if (rc == BS_OK) {
            opened = i + 1;
            rc = bs_tmp_write(&tmps[i], data[i], len[i], err);
        }
        free(dest);
    }
    for (size_t i = 0; i < opened; i++) {
        if (rc == BS_OK) {
            char *dest = xstrdup(tmps[i].path);
            rc = bs_tmp_commit(&tmps[i], err);
            if (rc == BS_OK) {
                value_push(out, value_str(dest));
            }
            free(dest);
        } else {
            bs_tmp_discard(&tmps[i]);
        }
    }
    free(tmps);
    for (size_t i = 0; i < n; i++) {
        free(abs[i]);
        free(data[i]);
    }
    if (made) {
        remove_tree(tmp);
    }
    free(data);
    free(len);
    free(abs);
    free(profile);
    free(outdir);
    free(tmp);
    free(prog);
    return rc;
}

/* Whether `path` is among `only` (strings, or maps with "path"). */
static bool listed(const bs_value *only, const char *path)
{
    for (size_t i = 0; i < value_len(only); i++) {
        const bs_value *v = value_at(only, i);
        const char *p = value_as_str(v) ? value_as_str(v) : value_get_str(v, "path");
        if (p && strcmp(p, path) == 0) {
            return true;
        }
    }
    return false;
}

int pdf_engagement(bs_session *s, int64_t eng, int visit, const bs_value *only, bool force,
                   bs_value *written, bs_err *err)
{
    bs_store *st = session_store(s);
    bs_value *e = NULL, *docs = NULL, *pick = value_list(), *paths = value_list(),
             *pdfs = value_list();
    int rc = store_engagement_get(st, eng, &e, err);
    if (rc == BS_OK) {
        rc = store_document_list(st, eng, &docs, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
        const bs_value *d = value_at(docs, i);
        const char *path = value_get_str(d, "path");
        const char *kind = value_get_str(d, "kind");
        if (!path || (kind && strcmp(kind, "pdf") == 0) || !bs_file_exists(path)) {
            continue;
        }
        if ((visit > 0 && value_as_int(value_get(d, "visit")) != visit) ||
            (only && !listed(only, path))) {
            continue;
        }
        value_push(pick, value_copy(d));
        value_push(paths, value_str(path));
    }
    if (rc == BS_OK && value_len(paths) == 0) {
        rc = visit > 0 ? bs_err_set(err, BS_ESTATE,
                                    _("engagement %lld has no documents of visit %d to convert"),
                                    (long long)eng, visit)
                       : bs_err_set(err, BS_ESTATE,
                                    _("engagement %lld has no documents to convert"),
                                    (long long)eng);
    }
    // A PDF edited since it was written is refused, or kept first (--force).
    bs_value *dests = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(paths); i++) {
        char *dest = pdf_name(value_as_str(value_at(paths, i)));
        value_push(dests, value_str(dest));
        free(dest);
    }
    if (rc == BS_OK) {
        rc = job_keep_recorded(s, value_as_int(value_get(e, "company_id")), eng, docs, dests, force,
                               err);
    }
    value_free(dests);
    if (rc == BS_OK) {
        char *ws_tmp = xasprintf("%s/out", session_dir(s));
        rc = pdf_convert(paths, bs_dir_exists(ws_tmp) ? ws_tmp : session_dir(s), pdfs, err);
        free(ws_tmp);
    }
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(pdfs); i++) {
        const char *p = value_as_str(value_at(pdfs, i));
        char sha[65];
        rc = bs_sha256_file(p, sha, err);
        bs_value *rec = value_copy(value_at(pick, i));
        value_set_str(rec, "path", p);
        value_set_str(rec, "sha256", sha);
        value_set_str(rec, "kind", "pdf");
        if (rc == BS_OK) {
            rc = store_document_put(st, eng, rec, err);
        }
        if (rc == BS_OK) {
            char *detail = xasprintf("%s: %s", value_get_str(rec, "doc"), p);
            rc = store_event_add(st, session_actor(s), value_as_int(value_get(e, "company_id")),
                                 eng, "document.pdf", detail, err);
            free(detail);
        }
        value_free(rec);
        if (rc == BS_OK) {
            bs_value *m = value_map();
            value_set_str(m, "path", p);
            value_push(written, m);
        }
    }
    if (value_len(pdfs)) {
        rc = rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
    }
    value_free(pdfs);
    value_free(paths);
    value_free(pick);
    value_free(docs);
    value_free(e);
    return rc;
}
