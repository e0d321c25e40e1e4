#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application.h"
#include "engagement.h"
#include "i18n.h"
#include "model.h"
#include "pool.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"

/* The model of theme `id` (lent from the session). */
static int model_of(bs_session *s, const char *id, const bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = session_theme(s, id, &th, err);
    if (rc == BS_OK) {
        *out = theme_model(th);
    }
    return rc;
}

/* The engagement `eng` (owned, in *e_out) and the model of its theme. */
static int open_eng(bs_session *s, int64_t eng, bs_value **e_out, const bs_value **model_out,
                    bs_err *err)
{
    bs_value *e = NULL;
    int rc = store_engagement_get(session_store(s), eng, &e, err);
    if (rc == BS_OK) {
        rc = model_of(s, value_get_str(e, "theme"), model_out, err);
    }
    if (rc != BS_OK) {
        value_free(e);
        return rc;
    }
    *e_out = e;
    return BS_OK;
}

/* How expert `expert` stands among the candidates pool_match gives for
 * the company on `theme`: a warning when they do not serve the company's
 * region, and the note the engagement's event keeps ("match: rank 2 of
 * 5"). Nothing when the company or the expert is unknown: starting the
 * engagement says so. */
static int match_note(bs_session *s, const char *company, const char *expert, const char *theme,
                      bs_value *warnings, char **note, bs_err *err)
{
    bs_value *x = NULL, *m = NULL;
    *note = NULL;
    int rc = store_expert_get(session_store(s), expert, &x, err);
    if (rc == BS_OK) {
        rc = pool_match(s, company, theme, &m, err);
    }
    if (rc == BS_ENOTFOUND) {
        bs_err_clear(err);
        value_free(x);
        return BS_OK;
    }
    if (rc != BS_OK) {
        value_free(x);
        return rc;
    }
    const bs_value *c = value_get(m, "candidates");
    for (size_t i = 0; i < value_len(c); i++) {
        const bs_value *k = value_at(c, i);
        if (value_as_int(value_get(k, "id")) != value_as_int(value_get(x, "id"))) {
            continue;
        }
        *note = xasprintf("match: rank %lld of %zu", (long long)value_as_int(value_get(k, "rank")),
                          value_len(c));
        const char *region = value_get_str(m, "region"), *pref = value_get_str(m, "prefecture");
        // Where a company's whereabouts are not recorded, nothing to warn of.
        if (warnings && (region || pref) &&
            value_as_int(value_get(value_get(k, "key"), "region")) == 0) {
            char *w = xasprintf(_("expert '%s' does not serve the company's region (%s)"),
                                value_get_str(x, "name"), region ? region : pref);
            value_push(warnings, value_str(w));
            free(w);
        }
    }
    if (!*note) {
        *note = xasprintf("match: not a candidate (not listed in the pool)");
    }
    value_free(x);
    value_free(m);
    return BS_OK;
}

/* The rules company `company` fails (application_eligibility), joined
 * with " / " into *failed (owned; NULL when it may take part). Nothing
 * when the company is unknown: starting the engagement says so. */
static int failed_rules(bs_session *s, const char *company, char **failed, bs_err *err)
{
    bs_value *el = NULL;
    *failed = NULL;
    int rc = application_eligibility(s, company, &el, err);
    if (rc == BS_ENOTFOUND) {
        bs_err_clear(err);
        return BS_OK;
    }
    const bs_value *f = value_get(el, "failed");
    if (rc == BS_OK && value_len(f) > 0) {
        bs_buf b = {0};
        for (size_t i = 0; i < value_len(f); i++) {
            const bs_value *r = value_at(f, i);
            bs_buf_printf(&b, "%s%s (%s)", i ? " / " : "", value_get_str(r, "rule"),
                          value_get_str(r, "reason"));
        }
        *failed = bs_buf_take(&b);
    }
    value_free(el);
    return rc;
}

int engagement_start(bs_session *s, const char *company, const char *expert, const char *theme,
                     const engagement_opts *o, bs_value *warnings, int64_t *id_out,
                     bs_err *err)
{
    static const engagement_opts none = {0};
    o = o ? o : &none;
    const char *override = o->override;
    if (override && (!*override || bs_has_control(override))) {
        return bs_err_set(err, BS_EUSAGE,
                          _("--override-eligibility needs --reason: why the company is engaged"
                            " all the same"));
    }
    const bs_value *m = NULL;
    char *note = NULL, *failed = NULL;
    int rc = model_of(s, theme, &m, err);
    if (rc == BS_OK) {
        rc = failed_rules(s, company, &failed, err);
    }
    if (rc == BS_OK && failed && !override) {
        rc = bs_err_set(err, BS_ESTATE,
                        _("company '%s' may not take part: %s (--override-eligibility --reason"
                          " TEXT engages it all the same, logged)"),
                        company, failed);
    }
    if (rc == BS_OK) {
        rc = match_note(s, company, expert, theme, warnings, &note, err);
    }
    if (rc == BS_OK && failed) {
        char *n = xasprintf("%s%seligibility overridden: %s; reason: %s", note ? note : "",
                            note ? "; " : "", failed, override);
        free(note);
        note = n;
    } else if (rc == BS_OK && override && warnings) {
        value_push(warnings, value_str(_("the company may take part: --override-eligibility"
                                         " was not needed")));
    }
    if (rc == BS_OK) {
        workflow_engage_opts wo = {o->variant, note, o->consultation};
        rc = workflow_engage(session_store(s), session_actor(s), company, expert, theme, m, &wo,
                             warnings, id_out, err);
    }
    free(note);
    free(failed);
    return rc;
}

int engagement_change_theme(bs_session *s, int64_t eng, const char *theme, const char *reason,
                            bs_err *err)
{
    const bs_value *m = NULL;
    int rc = model_of(s, theme, &m, err);
    return rc == BS_OK ? workflow_change_theme(session_store(s), session_actor(s), eng, theme, m,
                                               reason, err)
                       : rc;
}

int engagement_set_variant(bs_session *s, int64_t eng, const char *variant, bs_err *err)
{
    bs_value *e = NULL;
    const bs_value *m = NULL;
    int rc = open_eng(s, eng, &e, &m, err);
    if (rc == BS_OK) {
        rc = workflow_set_variant(session_store(s), session_actor(s), eng, m, variant, err);
    }
    value_free(e);
    return rc;
}

int engagement_tasks(bs_session *s, int64_t eng, int n, const bs_value *items, bool done,
                     bs_value **ids_out, bs_err *err)
{
    bs_value *e = NULL;
    const bs_value *m = NULL;
    int rc = open_eng(s, eng, &e, &m, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *ids = items ? value_copy(items) : model_step_ids(m, n);
    rc = workflow_task(session_store(s), session_actor(s), eng, n, ids, done, m, err);
    value_free(e);
    if (rc != BS_OK) {
        value_free(ids);
        return rc;
    }
    *ids_out = ids;
    return BS_OK;
}

static bool task_done(const bs_value *tasks, int n, const char *item)
{
    for (size_t k = 0; k < value_len(tasks); k++) {
        const bs_value *t = value_at(tasks, k);
        if (value_as_int(value_get(t, "visit")) == n &&
            strcmp(value_get_str(t, "item"), item) == 0) {
            return true;
        }
    }
    return false;
}

int engagement_task_list(bs_session *s, int64_t eng, int only, bs_value **out, bs_err *err)
{
    bs_value *e = NULL, *tasks = NULL;
    const bs_value *m = NULL;
    int rc = open_eng(s, eng, &e, &m, err);
    if (rc == BS_OK) {
        rc = store_task_list(session_store(s), eng, value_get_str(e, "theme"), &tasks, err);
    }
    value_free(e);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *list = value_list();
    for (int n = 1; n <= model_visits(m); n++) {
        if (only && n != only) {
            continue;
        }
        const bs_value *stp = model_step(m, n);
        for (size_t p = 0; p < 3; p++) {
            const bs_value *l = value_get(stp, model_parts[p].key);
            for (size_t i = 0; i < value_len(l); i++) {
                const bs_value *it = value_at(l, i);
                const char *id = value_get_str(it, "id");
                bs_value *r = value_map();
                value_set_int(r, "visit", n);
                value_set_str(r, "part", model_parts[p].heading);
                value_set_str(r, "item", id);
                value_set_bool(r, "done", task_done(tasks, n, id));
                value_set_str(r, "company", value_get_str(it, "company"));
                value_set_str(r, "expert", value_get_str(it, "expert"));
                value_push(list, r);
            }
        }
    }
    value_free(tasks);
    *out = list;
    return BS_OK;
}

int engagement_describe(bs_session *s, int64_t eng, bs_value **out, bs_err *err)
{
    bs_value *e = NULL, *tasks = NULL, *company = NULL;
    const bs_value *m = NULL;
    bs_store *st = session_store(s);
    int rc = open_eng(s, eng, &e, &m, err);
    if (rc == BS_OK) {
        rc = store_task_list(st, eng, value_get_str(e, "theme"), &tasks, err);
    }
    if (rc == BS_OK) {
        char cid[32];
        snprintf(cid, sizeof cid, "%lld", (long long)value_as_int(value_get(e, "company_id")));
        rc = store_company_get(st, cid, &company, err);
    }
    if (rc != BS_OK) {
        value_free(e);
        value_free(tasks);
        return rc;
    }
    char today[11];
    bs_date_today(today);
    workflow_status(e, today);
    value_set(e, "variants", workflow_variants(m, company, value_get_str(e, "variant")));
    value_free(company);
    value_set_str(e, "theme_title", value_get_str(m, "title"));
    value_set(e, "tasks", tasks);
    *out = e;
    return BS_OK;
}

/* Whether `sheet` is among the sheets of the engagement whose rows of
 * `have` (store_record_sheets, by engagement) begin at index `from` and
 * end before `to`. */
static bool has_sheet(const bs_value *have, size_t from, size_t to, const char *sheet)
{
    for (size_t i = from; i < to; i++) {
        if (strcmp(value_get_str(value_at(have, i), "sheet"), sheet) == 0) {
            return true;
        }
    }
    return false;
}

/* Sets `awaiting` on every ended engagement of `rows` (by id, as
 * store_engagement_list gives them): the worksheets its theme expects back
 * after the end (`after_close`: the questionnaires) that have not come
 * back, each {id, sheet}. Both lists are walked once, side by side. A theme
 * that cannot be loaded leaves its engagements without it. */
static int awaiting(bs_session *s, bs_value *rows, bs_err *err)
{
    bool any = false;
    for (size_t i = 0; i < value_len(rows) && !any; i++) {
        any = workflow_ended(value_at(rows, i));
    }
    if (!any) {
        return BS_OK;
    }
    bs_value *have = NULL;
    int rc = store_record_sheets(session_store(s), &have, err);
    size_t from = 0;
    for (size_t i = 0; rc == BS_OK && i < value_len(rows); i++) {
        bs_value *e = value_at(rows, i);
        int64_t eng = value_as_int(value_get(e, "id"));
        while (from < value_len(have) &&
               value_as_int(value_get(value_at(have, from), "engagement_id")) < eng) {
            from++;
        }
        size_t to = from;
        while (to < value_len(have) &&
               value_as_int(value_get(value_at(have, to), "engagement_id")) == eng) {
            to++;
        }
        bs_theme *th = NULL;
        bs_err te = {0};
        if (!workflow_ended(e) || session_theme(s, value_get_str(e, "theme"), &th, &te) != BS_OK) {
            continue;
        }
        bs_value *out = value_list();
        const bs_value *sheets = value_get(theme_model(th), "worksheets");
        for (size_t k = 0; k < value_len(sheets); k++) {
            const bs_value *w = value_at(sheets, k);
            const char *id = value_get_str(w, "id");
            if (value_as_bool(value_get(w, "after_close")) && !has_sheet(have, from, to, id)) {
                bs_value *m = value_map();
                value_set_str(m, "id", id);
                value_set_str(m, "sheet", value_get_str(w, "sheet"));
                value_push(out, m);
            }
        }
        value_set(e, "awaiting", out);
    }
    value_free(have);
    return rc;
}

int engagement_status_list(bs_session *s, bs_value **out, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = store_engagement_list(session_store(s), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    char today[11];
    bs_date_today(today);
    for (size_t i = 0; i < value_len(rows); i++) {
        workflow_status(value_at(rows, i), today);
    }
    rc = awaiting(s, rows, err);
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}
