#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "workspace.h"

#ifndef BS_DATADIR
#define BS_DATADIR "/usr/local/share/bansou"
#endif

static char *db_path(const char *dir)
{
    return xasprintf("%s/bansou.db", dir);
}

int workspace_init(const char *dir, bs_err *err)
{
    char *db = db_path(dir);
    char *out = xasprintf("%s/out", dir);
    int rc = BS_OK;
    bs_store *st = NULL;
    if (bs_file_exists(db)) {
        rc = bs_err_set(err, BS_EEXIST, "%s: a workspace exists already", dir);
        goto done;
    }
    mode_t old = umask(077);
    rc = bs_mkdir_p(dir, 0700, err);
    if (rc == BS_OK) {
        rc = bs_mkdir_p(out, 0700, err);
    }
    umask(old);
    if (rc == BS_OK) {
        // The out/ directory may have existed: make it owner-only either way.
        chmod(out, 0700);
        rc = store_open(db, true, &st, err);
    }
done:
    store_close(st);
    free(db);
    free(out);
    return rc;
}

int workspace_find(const char *opt, char **dir_out, bs_err *err)
{
    const char *dir = opt;
    const char *how = "-C";
    if (!dir) {
        dir = getenv("BANSOU_DIR");
        how = "BANSOU_DIR";
    }
    if (!dir || !*dir) {
        dir = ".";
        how = NULL;
    }
    char *db = db_path(dir);
    bool ok = bs_file_exists(db);
    free(db);
    if (!ok) {
        if (how) {
            return bs_err_set(err, BS_ENOTFOUND,
                              "%s: not a bansou workspace (given by %s; create one with "
                              "'bansou init %s')",
                              dir, how, dir);
        }
        return bs_err_set(err, BS_ENOTFOUND,
                          "no bansou workspace here: use -C DIR, set BANSOU_DIR, or create "
                          "one with 'bansou init DIR'");
    }
    *dir_out = xstrdup(dir);
    return BS_OK;
}

int workspace_open(const char *dir, bs_ws **out, bs_err *err)
{
    bs_ws *ws = xcalloc(1, sizeof *ws);
    ws->dir = xstrdup(dir);
    char *db = db_path(dir);
    int rc = store_open(db, false, &ws->st, err);
    free(db);
    if (rc != BS_OK) {
        workspace_close(ws);
        return rc;
    }
    *out = ws;
    return BS_OK;
}

void workspace_close(bs_ws *ws)
{
    if (!ws) {
        return;
    }
    store_close(ws->st);
    free(ws->dir);
    free(ws);
}

/* The directory of the running executable, or NULL. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        return NULL;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) {
        return NULL;
    }
    *slash = '\0';
    return xstrdup(buf);
}

void workspace_theme_path(const char *ws_dir, bs_theme_path *tp, bs_path_store *storage)
{
    *tp = (bs_theme_path){0};
    *storage = (bs_path_store){0};
    int n = 0;
    if (ws_dir) {
        char *d = xasprintf("%s/themes", ws_dir);
        if (bs_dir_exists(d)) {
            storage->dirs[n++] = d;
        } else {
            free(d);
        }
    }
    const char *env = getenv("BANSOU_THEMES");
    if (env && *env) {
        storage->dirs[n++] = xstrdup(env);
    } else {
        char *exe = exe_dir();
        char *d = exe ? xasprintf("%s/themes", exe) : NULL;
        free(exe);
        if (d && bs_dir_exists(d)) {
            storage->dirs[n++] = d;
        } else {
            free(d);
            storage->dirs[n++] = xstrdup(BS_DATADIR "/themes");
        }
    }
    for (int i = 0; i < n; i++) {
        tp->dirs[i] = storage->dirs[i];
    }
    tp->n = n;
}

void workspace_path_free(bs_path_store *storage)
{
    for (int i = 0; i < 4; i++) {
        free(storage->dirs[i]);
        storage->dirs[i] = NULL;
    }
}
