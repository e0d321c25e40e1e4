#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "survey.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"

/* The fiscal year (April to March) of a YYYY-MM-DD day. */
static int fiscal_year(const char *day)
{
    int y = atoi(day), m = atoi(day + 5);
    return m >= 4 ? y : y - 1;
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

/* { id, theme, theme_title, company, expert, records } of ended engagement
 * `e`: the rows of its theme's worksheets that come back after the end. */
static int response(bs_session *s, const bs_value *e, bs_value **out, bs_err *err)
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
    if (year && (strlen(year) != 4 || strspn(year, "0123456789") != 4)) {
        return bs_err_set(err, BS_EINPUT, _("--year: '%s' is not a fiscal year (e.g. 2025)"), year);
    }
    bs_value *all = NULL;
    int rc = store_engagement_list(session_store(s), &all, err);
    bs_value *list = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(all); i++) {
        const bs_value *e = value_at(all, i);
        char day[11];
        ended_on(e, day);
        if (!workflow_ended(e) || (theme && strcmp(theme, value_get_str(e, "theme")) != 0) ||
            (year && fiscal_year(day) != atoi(year))) {
            continue;
        }
        bs_value *r = NULL;
        rc = response(s, e, &r, err);
        if (rc == BS_OK) {
            value_push(list, r);
        }
    }
    value_free(all);
    bs_theme *lib = NULL;
    if (rc == BS_OK) {
        rc = session_lib(s, "survey", &lib, err);
    }
    bs_value *input = value_map();
    value_set(input, "engagements", list);
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
    value_set(res, "year", year ? value_int(atoi(year)) : value_null());
    *out = res;
    return BS_OK;
}
