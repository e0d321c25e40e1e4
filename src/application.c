#include <stdlib.h>
#include <string.h>

#include "application.h"
#include "i18n.h"
#include "store.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"

static int lib(bs_session *s, bs_theme **out, bs_err *err)
{
    return session_lib(s, "application", out, err);
}

int application_record(bs_session *s, const char *company, const bs_value *fields, bs_err *err)
{
    const char *day = value_get_str(fields, "applied_on");
    if (!day || !bs_date_valid(day)) {
        return bs_err_set(err, BS_EINPUT, _("--date: '%s' is not a date (YYYY-MM-DD)"),
                          day ? day : "");
    }
    bs_store *st = session_store(s);
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *c = NULL;
    rc = store_company_get(st, company, &c, err);
    int64_t id = rc == BS_OK ? value_as_int(value_get(c, "id")) : 0;
    if (rc == BS_OK) {
        rc = store_application_put(st, id, bs_fiscal_year(day), fields, err);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("application of %s, fiscal year %d, dated %s",
                                 value_get_str(c, "name"), bs_fiscal_year(day), day);
        rc = store_event_add(st, session_actor(s), id, 0, "application.record", detail, err);
        free(detail);
    }
    value_free(c);
    if (rc == BS_OK) {
        return store_commit(st, err);
    }
    store_rollback(st);
    return rc;
}

/* The eligibility of company row `c` with its applications `apps` (all of
 * it, oldest first: the last of the company counts). */
static int eligibility(bs_theme *th, const bs_value *c, const bs_value *apps, bs_value **out,
                       bs_err *err)
{
    const bs_value *latest = NULL;
    for (size_t i = 0; i < value_len(apps); i++) {
        const bs_value *a = value_at(apps, i);
        if (value_as_int(value_get(a, "company_id")) == value_as_int(value_get(c, "id"))) {
            latest = a;
        }
    }
    bs_value *input = value_map();
    value_set(input, "company", value_copy(c));
    value_set(input, "application", latest ? value_copy(latest) : value_null());
    int rc = theme_call(th, "check", input, out, err);
    value_free(input);
    if (rc == BS_OK && value_type(*out) != BS_VMAP) {
        value_free(*out);
        *out = NULL;
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: check must return a table"), theme_path(th));
    }
    if (rc == BS_OK) {
        value_set_str(*out, "company", value_get_str(c, "name"));
        value_set(*out, "application", latest ? value_copy(latest) : value_null());
    }
    return rc;
}

int application_eligibility(bs_session *s, const char *company, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *c = NULL, *apps = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_company_get(session_store(s), company, &c, err);
    }
    if (rc == BS_OK) {
        rc = store_application_list(session_store(s), value_as_int(value_get(c, "id")), &apps,
                                    err);
    }
    if (rc == BS_OK) {
        rc = eligibility(th, c, apps, out, err);
    }
    value_free(c);
    value_free(apps);
    return rc;
}

int application_list(bs_session *s, int year, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *apps = NULL, *companies = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_application_list(session_store(s), 0, &apps, err);
    }
    if (rc == BS_OK) {
        rc = store_company_list(session_store(s), &companies, err);
    }
    bs_value *list = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(apps); i++) {
        const bs_value *a = value_at(apps, i);
        if (year && value_as_int(value_get(a, "fiscal_year")) != year) {
            continue;
        }
        const bs_value *c = NULL;
        for (size_t k = 0; k < value_len(companies); k++) {
            if (value_as_int(value_get(value_at(companies, k), "id")) ==
                value_as_int(value_get(a, "company_id"))) {
                c = value_at(companies, k);
            }
        }
        bs_value *el = NULL, *one = value_list();
        value_push(one, value_copy(a));
        rc = c ? eligibility(th, c, one, &el, err) : BS_OK;
        value_free(one);
        if (rc == BS_OK) {
            bs_value *r = value_copy(a);
            value_set(r, "eligibility", el ? el : value_null());
            value_push(list, r);
        }
    }
    value_free(apps);
    value_free(companies);
    if (rc != BS_OK) {
        value_free(list);
        return rc;
    }
    *out = list;
    return BS_OK;
}
