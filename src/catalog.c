#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "i18n.h"
#include "model.h"
#include "theme.h"
#include "util.h"
#include "worksheet.h"

int catalog_themes(bs_session *s, bs_value **out, bs_err *err)
{
    const bs_theme_path *tp = session_theme_path(s);
    bs_value *ids = theme_ids(tp);
    bs_value *list = value_list();
    int rc = BS_OK;
    if (value_len(ids) == 0) {
        rc = tp->n > 1 ? bs_err_set(err, BS_ENOTFOUND, _("no themes found in %s or %s"),
                                    tp->dirs[0], tp->dirs[1])
                       : bs_err_set(err, BS_ENOTFOUND, _("no themes found in %s"), tp->dirs[0]);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(ids); i++) {
        bs_theme *th = NULL;
        rc = session_theme(s, value_as_str(value_at(ids, i)), &th, err);
        if (rc != BS_OK) {
            break;
        }
        const bs_value *m = theme_model(th);
        bs_value *e = value_map();
        value_set_str(e, "id", value_get_str(m, "id"));
        value_set_int(e, "number", value_as_int(value_get(m, "number")));
        value_set_str(e, "title", value_get_str(m, "title"));
        value_set_int(e, "visits", model_visits(m));
        value_set_str(e, "file", theme_path(th));
        value_push(list, e);
    }
    // In the themes' own order (their numbers), not by file name.
    for (size_t i = 1; rc == BS_OK && i < value_len(list); i++) {
        for (size_t j = i; j > 0; j--) {
            bs_value *x = value_at(list, j - 1), *y = value_at(list, j);
            if (value_as_int(value_get(x, "number")) <= value_as_int(value_get(y, "number"))) {
                break;
            }
            value_swap(list, j - 1, j);
        }
    }
    value_free(ids);
    if (rc != BS_OK) {
        value_free(list);
        return rc;
    }
    *out = list;
    return BS_OK;
}

bool catalog_has_theme(bs_session *s, const char *id)
{
    char *p = theme_find(id, session_theme_path(s));
    free(p);
    return p != NULL;
}

int catalog_theme(bs_session *s, const char *id, const bs_value **model_out, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = session_theme(s, id, &th, err);
    if (rc == BS_OK) {
        *model_out = theme_model(th);
    }
    return rc;
}

static void add_problem(bs_value *problems, char *msg)
{
    value_push(problems, value_str(msg));
    free(msg);
}

/* A valid theme's worksheet specs and document `needs` are checked too
 * (docs/worksheet-format.md). */
static void check_worksheets(bs_session *s, const char *file, bs_value *problems)
{
    bs_theme *th = NULL;
    bs_err e = {0};
    if (value_len(problems) > 0 ||
        theme_load_script(file, session_theme_path(s), NULL, &th, &e) != BS_OK) {
        return;
    }
    const bs_value *m = theme_model(th);
    const bs_value *ws = value_get(m, "worksheets");
    if (ws && value_type(ws) != BS_VLIST) {
        add_problem(problems,
                    xasprintf(_("%s:1: worksheets: expected a list of worksheet{…}"), file));
    }
    for (size_t i = 0; i < value_len(ws); i++) {
        const bs_value *spec = value_at(ws, i);
        char *where = xasprintf("%s:%d: worksheets[%zu]", file, value_line(spec), i + 1);
        worksheet_check(m, spec, where, problems);
        free(where);
    }
    const bs_value *docs = value_get(m, "documents");
    for (size_t i = 0; i < value_len(docs); i++) {
        const bs_value *d = value_at(docs, i), *needs = value_get(d, "needs");
        for (size_t k = 0; k < value_len(needs); k++) {
            const char *id = value_as_str(value_at(needs, k));
            size_t index;
            if (!id || !worksheet_find(m, id, &index)) {
                add_problem(problems,
                            xasprintf(_("%s:%d: documents[%zu].needs: no worksheet '%s' in "
                                        "the theme"),
                                      file, value_line(d), i + 1, id ? id : ""));
            }
        }
    }
    theme_free(th);
}

int catalog_check(bs_session *s, const bs_value *files, bs_value **out, bs_err *err)
{
    const bs_theme_path *tp = session_theme_path(s);
    bs_value *all = NULL;
    if (!files) {
        all = value_list();
        bs_value *ids = theme_ids(tp);
        for (size_t i = 0; i < value_len(ids); i++) {
            char *p = theme_find(value_as_str(value_at(ids, i)), tp);
            value_push(all, value_str(p));
            free(p);
        }
        value_free(ids);
        files = all;
    }
    int rc = BS_OK;
    bs_value *list = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(files); i++) {
        const char *f = value_as_str(value_at(files, i));
        bs_value *problems = NULL;
        rc = theme_check_file(f, tp, &problems, err);
        if (rc != BS_OK) {
            break;
        }
        check_worksheets(s, f, problems);
        bs_value *r = value_map();
        value_set_str(r, "file", f);
        value_set(r, "problems", problems);
        value_push(list, r);
    }
    if (rc == BS_OK && value_len(files) == 0) {
        rc = bs_err_set(err, BS_ENOTFOUND, _("no theme files found on the theme path"));
    }
    value_free(all);
    if (rc != BS_OK) {
        value_free(list);
        return rc;
    }
    *out = list;
    return BS_OK;
}

/* The name of a choice entry: a string, or a map's "name". */
static const char *choice_name(const bs_value *e)
{
    return value_as_str(e) ? value_as_str(e) : value_get_str(e, "name");
}

int catalog_choices(bs_session *s, bs_value **out, bs_err *err)
{
    bs_theme *prof = NULL;
    int rc = session_profile(s, &prof, err);
    if (rc != BS_OK) {
        return rc;
    }
    static const char *const lists[] = {"industries", "kinds", "prefectures", "staffing",
                                        "security_action", NULL};
    bs_value *m = value_map();
    for (const char *const *k = lists; *k; k++) {
        const bs_value *l = value_get(theme_model(prof), *k);
        bs_value *names = value_list();
        for (size_t i = 0; i < value_len(l); i++) {
            value_push(names, value_str(choice_name(value_at(l, i))));
        }
        value_set(m, *k, names);
    }
    *out = m;
    return BS_OK;
}

int catalog_check_choice(bs_session *s, const char *list, const char *value, const char *label,
                         bs_err *err)
{
    bs_theme *prof = NULL;
    int rc = session_profile(s, &prof, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *l = value_get(theme_model(prof), list);
    for (size_t i = 0; i < value_len(l); i++) {
        const char *n = choice_name(value_at(l, i));
        if (n && strcmp(n, value) == 0) {
            return BS_OK;
        }
    }
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(l); i++) {
        bs_buf_printf(&b, "%s%s", i ? ", " : "", choice_name(value_at(l, i)));
    }
    rc = bs_err_set(err, BS_EINPUT, _("%s: '%s' is not one of: %s"), label, value,
                    b.s ? b.s : _("(none)"));
    bs_buf_free(&b);
    return rc;
}

int catalog_sme(bs_session *s, const bs_value *company, bs_value **out, bs_err *err)
{
    bs_theme *prof = NULL;
    int rc = session_profile(s, &prof, err);
    return rc == BS_OK ? theme_call(prof, "sme", company, out, err) : rc;
}
