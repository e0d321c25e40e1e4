#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "docx.h"
#include "embedded.h"
#include "i18n.h"
#include "session.h"
#include "theme.h"
#include "util.h"
#include "workspace.h"

enum { MAX_TEMPLATE = 64 << 20 }; /* bytes of a template file */

/* A loaded theme or compiled template under its name. */
typedef struct cached {
    char *name; /* owned */
    void *obj;  /* owned: a bs_theme or a bs_docx */
} cached;

typedef struct cache {
    cached *v; /* owned */
    size_t n;
} cache;

struct bs_session {
    char *dir;          /* owned: the workspace directory, or NULL */
    bs_ws *ws;          /* owned: the open workspace, or NULL */
    char *actor;        /* owned */
    bs_theme_path tp;   /* the theme search path (strings in tps) */
    bs_path_store tps;
    bs_theme_path tpl;  /* the template search path (strings in tpls) */
    bs_path_store tpls;
    cache themes;       /* id → bs_theme */
    cache templates;    /* name → bs_docx */
    cache libs;         /* name → bs_theme of lib/<name>.lua, once loaded */
    bool suspended;     /* the store is closed by session_suspend_store */
};

static void *cache_find(const cache *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->v[i].name, name) == 0) {
            return c->v[i].obj;
        }
    }
    return NULL;
}

static void cache_add(cache *c, const char *name, void *obj)
{
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n++] = (cached){xstrdup(name), obj};
}

/* The engine writes files, and zlib takes and gives back a quarter of a
 * megabyte for every part of every one: keep freed memory for the next
 * rather than returning it to the kernel and asking for it again (measured:
 * about a tenth less time for 400 engagements). Process-wide, set once. */
static void keep_memory(void)
{
#ifdef __GLIBC__
    static bool done;
    if (!done) {
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
        mallopt(M_TRIM_THRESHOLD, 64 << 20);
        mallopt(M_TOP_PAD, 16 << 20);
        done = true;
    }
#endif
}

int session_check_actor(const char *actor, const char *source, bs_err *err)
{
    if (bs_utf8_valid(actor, strlen(actor)) && !bs_has_control(actor)) {
        return BS_OK;
    }
    char *shown = bs_visible(actor);
    int rc = bs_err_set(err, BS_EINPUT,
                        bs_has_control(actor) ? _("%s: '%s' contains a control character")
                                              : _("%s: '%s' is not UTF-8"),
                        source, shown);
    free(shown);
    return rc;
}

int session_open(const char *dir, const char *actor, bool need_ws, bs_session **out,
                 bs_err *err)
{
    int check = session_check_actor(actor, "actor", err);
    if (check != BS_OK) {
        return check;
    }
    keep_memory();
    bs_session *s = xcalloc(1, sizeof *s);
    s->actor = xstrdup(actor);
    int rc = BS_OK;
    if (need_ws) {
        rc = workspace_find(dir, &s->dir, err);
        if (rc == BS_OK) {
            rc = workspace_open(s->dir, &s->ws, err);
        }
    } else if (workspace_find(dir, &s->dir, &(bs_err){0}) != BS_OK) {
        s->dir = NULL; // themes may be used without a workspace
    }
    if (rc != BS_OK) {
        session_close(s);
        return rc;
    }
    workspace_theme_path(s->dir, &s->tp, &s->tps);
    workspace_template_path(s->dir, &s->tpl, &s->tpls);
    *out = s;
    return BS_OK;
}

void session_close(bs_session *s)
{
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->themes.n; i++) {
        theme_free(s->themes.v[i].obj);
        free(s->themes.v[i].name);
    }
    free(s->themes.v);
    for (size_t i = 0; i < s->templates.n; i++) {
        docx_free(s->templates.v[i].obj);
        free(s->templates.v[i].name);
    }
    free(s->templates.v);
    for (size_t i = 0; i < s->libs.n; i++) {
        theme_free(s->libs.v[i].obj);
        free(s->libs.v[i].name);
    }
    free(s->libs.v);
    workspace_path_free(&s->tps);
    workspace_path_free(&s->tpls);
    workspace_close(s->ws);
    free(s->dir);
    free(s->actor);
    free(s);
}

bs_store *session_store(const bs_session *s)
{
    return s->ws ? s->ws->st : NULL;
}

const char *session_dir(const bs_session *s)
{
    return s->ws ? s->dir : NULL;
}

void session_suspend_store(bs_session *s)
{
    s->suspended = s->suspended || s->ws;
    workspace_close(s->ws);
    s->ws = NULL;
}

int session_resume_store(bs_session *s, bs_err *err)
{
    if (!s->suspended) {
        return BS_OK;
    }
    s->suspended = false;
    return workspace_open(s->dir, &s->ws, err);
}

const char *session_actor(const bs_session *s)
{
    return s->actor;
}

const bs_theme_path *session_theme_path(const bs_session *s)
{
    return &s->tp;
}

int session_theme(bs_session *s, const char *id, bs_theme **out, bs_err *err)
{
    bs_theme *th = cache_find(&s->themes, id);
    if (!th) {
        int rc = theme_load(id, &s->tp, &th, err);
        if (rc != BS_OK) {
            return rc;
        }
        cache_add(&s->themes, id, th);
    }
    *out = th;
    return BS_OK;
}

int session_lib(bs_session *s, const char *name, bs_theme **out, bs_err *err)
{
    bs_theme *th = cache_find(&s->libs, name);
    if (!th) {
        int rc = theme_load_lib(name, &s->tp, &th, err);
        if (rc != BS_OK) {
            return rc;
        }
        cache_add(&s->libs, name, th);
    }
    *out = th;
    return BS_OK;
}

int session_profile(bs_session *s, bs_theme **out, bs_err *err)
{
    return session_lib(s, "profile", out, err);
}

int session_template(bs_session *s, const char *name, const bs_docx **out, bs_err *err)
{
    bs_docx *t = name ? cache_find(&s->templates, name) : NULL;
    if (t) {
        *out = t;
        return BS_OK;
    }
    const char *why = name ? bs_relative_path_problem(name) : NULL;
    if (why) {
        char *shown = bs_visible(name);
        int rc = bs_err_set(err, BS_ESCRIPT, _("template '%s': %s"), shown, why);
        free(shown);
        return rc;
    }
    char *path = NULL;
    for (int i = 0; name && i < s->tpl.n && !path; i++) {
        char *p = xasprintf("%s/%s", s->tpl.dirs[i], name);
        if (bs_file_exists(p)) {
            path = p;
        } else {
            free(p);
        }
    }
    if (!path) {
        return bs_err_set(err, BS_ENOTFOUND, _("no template '%s' in %s"),
                          name ? name : _("(none given)"),
                          s->tpl.dirs[0]);
    }
    char *data = NULL;
    size_t len = 0;
    int rc = bs_read_file(path, MAX_TEMPLATE, &data, &len, err);
    if (rc == BS_OK) {
        // A template as shipped comes compiled with the binary; any other
        // (a workspace's own, an edited one) is compiled here.
        char sha[65];
        bs_sha256(data, len, sha);
        const bs_embedded *img = embedded_template(sha);
        bs_err ie = {0};
        if (!img || docx_open_image(data, len, path, img->data, img->len, &t, &ie) != BS_OK) {
            rc = docx_open_mem(data, len, path, &t, err);
        }
    }
    free(data);
    free(path);
    if (rc != BS_OK) {
        return rc;
    }
    cache_add(&s->templates, name, t);
    *out = t;
    return BS_OK;
}
