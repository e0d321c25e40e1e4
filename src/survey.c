#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "store.h"
#include "survey.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"

int survey_year(const char *year, int *out, bs_err *err)
{
    if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4) {
        return bs_err_set(err, BS_EINPUT, _("--year: '%s' is not a fiscal year (e.g. 2025)"),
                          year ? year : "");
    }
    *out = atoi(year);
    return BS_OK;
}

/* The day engagement `e` ended: as recorded, else its last change. */
static void ended_on(const bs_value *e, char out[11])
{
    const char *d = value_get_str(e, "ended_on");
    if (!d || !bs_date_valid(d)) {
        d = value_get_str(e, "updated_at");
    }
    snprintf(out, 11, "%s", d ? d : "0000-00-00");
}

int survey_response(bs_session *s, const bs_value *e, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = session_theme(s, value_get_str(e, "theme"), &th, err);
    bs_value *records = NULL;
    int64_t id = value_as_int(value_get(e, "id"));
    if (rc == BS_OK) {
        rc = store_records_get(session_store(s), id, &records, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *r = value_map();
    value_set_int(r, "id", id);
    value_set_str(r, "theme", value_get_str(e, "theme"));
    value_set_str(r, "theme_title", value_get_str(theme_model(th), "title"));
    value_set_str(r, "company", value_get_str(e, "company_name"));
    value_set_str(r, "expert", value_get_str(e, "expert_name"));
    bs_value *back = value_map();
    const bs_value *sheets = value_get(theme_model(th), "worksheets");
    for (size_t k = 0; k < value_len(sheets); k++) {
        const bs_value *w = value_at(sheets, k);
        const char *sid = value_get_str(w, "id");
        if (value_as_bool(value_get(w, "after_close")) && value_get(records, sid)) {
            value_set(back, sid, value_copy(value_get(records, sid)));
        }
    }
    value_set(r, "records", back);
    value_free(records);
    *out = r;
    return BS_OK;
}

int survey_results(bs_session *s, const char *theme, const char *year, bs_value **out,
                   bs_err *err)
{
    int fy = 0;
    if (year && survey_year(year, &fy, err) != BS_OK) {
        return err->code;
    }
    bs_value *all = NULL;
    int rc = store_engagement_list(session_store(s), &all, err);
    bs_value *list = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(all); i++) {
        const bs_value *e = value_at(all, i);
        char day[11];
        ended_on(e, day);
        if (!workflow_ended(e) || (theme && strcmp(theme, value_get_str(e, "theme")) != 0) ||
            (year && bs_fiscal_year(day) != fy)) {
            continue;
        }
        bs_value *r = NULL;
        rc = survey_response(s, e, &r, err);
        if (rc == BS_OK) {
            value_push(list, r);
        }
    }
    value_free(all);
    bs_theme *lib = NULL;
    if (rc == BS_OK) {
        rc = session_lib(s, "survey", &lib, err);
    }
    bs_value *overall = NULL;
    if (rc == BS_OK) {
        rc = store_survey_overall_list(session_store(s), fy, &overall, err);
    }
    bs_value *input = value_map();
    value_set(input, "engagements", list);
    value_set(input, "overall", overall ? overall : value_list());
    bs_value *res = NULL;
    if (rc == BS_OK) {
        rc = theme_call(lib, "results", input, &res, err);
    }
    value_free(input);
    if (rc == BS_OK && value_type(res) != BS_VMAP) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: results must return a table"), theme_path(lib));
    }
    if (rc != BS_OK) {
        value_free(res);
        return rc;
    }
    value_set(res, "theme", theme ? value_str(theme) : value_null());
    value_set(res, "year", year ? value_int(fy) : value_null());
    *out = res;
    return BS_OK;
}

/* The spec of the overall form in lib/survey.lua, under `path` there. */
#define OVERALL "overall_sheet"

/* The library, the expert and the context the form is filled from:
 * { expert, year, today }. */
typedef struct overall {
    bs_theme *lib;
    bs_value *expert;  /* owned */
    bs_value *ctx;     /* owned */
    int year;
} overall;

static void overall_free(overall *o)
{
    value_free(o->expert);
    value_free(o->ctx);
}

static int overall_open(bs_session *s, const char *expert, const char *year, overall *o,
                        bs_err *err)
{
    *o = (overall){0};
    int rc = survey_year(year, &o->year, err);
    if (rc == BS_OK) {
        rc = store_expert_get(session_store(s), expert, &o->expert, err);
    }
    if (rc == BS_OK) {
        rc = session_lib(s, "survey", &o->lib, err);
    }
    if (rc == BS_OK) {
        char today[11];
        bs_date_today(today);
        o->ctx = value_map();
        value_set(o->ctx, "expert", value_copy(o->expert));
        value_set_int(o->ctx, "year", o->year);
        value_set_str(o->ctx, "today", today);
    } else {
        overall_free(o);
    }
    return rc;
}

int survey_form(bs_session *s, const char *expert, const char *year, const char *path,
                char **path_out, bs_err *err)
{
    overall o;
    int rc = overall_open(s, expert, year, &o, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *p = NULL;
    if (path) {
        p = xstrdup(path);
    } else {
        char *name = xasprintf("指導専門家アンケート_%d年度.xlsx", o.year);
        rc = survey_expert_file(s, o.expert, name, &p, err);
        free(name);
    }
    if (rc == BS_OK) {
        rc = form_write(o.lib, OVERALL, o.ctx, p, value_get_str(o.expert, "name"), err);
    }
    overall_free(&o);
    if (rc != BS_OK) {
        free(p);
        return rc;
    }
    *path_out = p;
    return BS_OK;
}

int survey_expert_file(bs_session *s, const bs_value *expert, const char *file, char **out,
                       bs_err *err)
{
    char *name = bs_safe_name(value_get_str(expert, "name"), 60);
    char *dir = xasprintf("%s/out/experts/%03lld_%s", session_dir(s),
                          (long long)value_as_int(value_get(expert, "id")), name);
    free(name);
    int rc = bs_mkdir_p(dir, 0700, err);
    if (rc == BS_OK) {
        *out = xasprintf("%s/%s", dir, file);
    }
    free(dir);
    return rc;
}

int survey_import(bs_session *s, const char *expert, const char *year, const char *file,
                  size_t *rows_out, bs_value *problems, bs_err *err)
{
    overall o;
    int rc = overall_open(s, expert, year, &o, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *rows = NULL;
    rc = form_read(o.lib, OVERALL, file, &rows, problems, err);
    bs_store *st = session_store(s);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
        if (rc == BS_OK) {
            rc = store_survey_overall_put(st, value_as_int(value_get(o.expert, "id")), o.year,
                                          rows, err);
        }
        if (rc == BS_OK) {
            char *detail = xasprintf("survey-overall %d of expert %lld: %zu rows from %s", o.year,
                                     (long long)value_as_int(value_get(o.expert, "id")),
                                     value_len(rows), file);
            rc = store_event_add(st, session_actor(s), 0, 0, "survey.import", detail, err);
            free(detail);
        }
        rc = rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
    }
    if (rc == BS_OK) {
        *rows_out = value_len(rows);
    }
    value_free(rows);
    overall_free(&o);
    return rc;
}
