#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "i18n.h"
#include "programme.h"
#include "store.h"
#include "survey.h"
#include "theme.h"
#include "produce.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxw.h"

static int lib(bs_session *s, bs_theme **out, bs_err *err)
{
    return session_lib(s, "programme", out, err);
}

static int64_t id_of(const bs_value *x, const char *key)
{
    return value_as_int(value_get(x, key));
}

/* The day that places engagement `e` in a fiscal year: the day it ended,
 * else its first visit (held or planned), else the day it was started. */
static void year_day(const bs_value *e, char out[11])
{
    const char *d = value_get_str(e, "ended_on");
    const bs_value *vl = value_get(e, "visits");
    for (size_t i = 0; !(d && bs_date_valid(d)) && i < value_len(vl); i++) {
        const bs_value *v = value_at(vl, i);
        d = value_get_str(v, "held_date");
        if (!d || !bs_date_valid(d)) {
            d = value_get_str(v, "planned_date");
        }
    }
    if (!d || !bs_date_valid(d)) {
        d = value_get_str(e, "created_at");
    }
    snprintf(out, 11, "%s", d ? d : "0000-00-00");
}

/* The consultation that led to engagement `id`, or NULL (lent). */
static const bs_value *consultation_of(const bs_value *consultations, int64_t id)
{
    for (size_t i = 0; i < value_len(consultations); i++) {
        const bs_value *k = value_at(consultations, i);
        if (id_of(k, "engagement_id") == id) {
            return k;
        }
    }
    return NULL;
}

static const bs_value *company_of(const bs_value *companies, int64_t id)
{
    for (size_t i = 0; i < value_len(companies); i++) {
        if (id_of(value_at(companies, i), "id") == id) {
            return value_at(companies, i);
        }
    }
    return NULL;
}

/* An engagement as programme.lua takes it. */
static bs_value *engagement_row(const bs_value *e, const bs_value *k, const char *day)
{
    bs_value *r = value_map();
    value_set_int(r, "id", id_of(e, "id"));
    value_set_int(r, "company_id", id_of(e, "company_id"));
    value_set_str(r, "company", value_get_str(e, "company_name"));
    value_set_str(r, "industry", value_get_str(e, "company_industry"));
    value_set_str(r, "prefecture", value_get_str(e, "company_prefecture"));
    value_set_str(r, "region", k ? value_get_str(k, "region") : NULL);
    value_set(r, "consultation_id", k ? value_int(id_of(k, "id")) : value_null());
    value_set_int(r, "expert_id", id_of(e, "expert_id"));
    value_set_str(r, "expert", value_get_str(e, "expert_name"));
    value_set_str(r, "theme", value_get_str(e, "theme"));
    value_set_str(r, "state", value_get_str(e, "state"));
    value_set_str(r, "reason", value_get_str(e, "reason"));
    value_set_str(r, "ended_on", value_get_str(e, "ended_on"));
    value_set_str(r, "day", day);
    const bs_value *vl = value_get(e, "visits");
    int64_t held = 0;
    for (size_t i = 0; i < value_len(vl); i++) {
        held += workflow_visit_held(value_at(vl, i));
    }
    value_set_int(r, "visits", (int64_t)value_len(vl));
    value_set_int(r, "held", held);
    return r;
}

/* A consultation as programme.lua takes it: with its company's industry and
 * prefecture, and whether the expert recorded it. */
static bs_value *consultation_row(const bs_value *k, const bs_value *companies)
{
    static const char *const keys[] = {"id",           "session_id",     "held_on",
                                       "region",       "company_id",     "company_name",
                                       "expert_id",    "expert_name",    "outcome",
                                       "decline_reason", "decline_detail", "wished_theme",
                                       "proposed_theme", "engagement_id", NULL};
    bs_value *r = value_map();
    for (const char *const *key = keys; *key; key++) {
        value_set(r, *key, value_copy(value_get(k, *key)));
    }
    const bs_value *c = company_of(companies, id_of(k, "company_id"));
    value_set_str(r, "industry", c ? value_get_str(c, "industry") : NULL);
    value_set_str(r, "prefecture", c ? value_get_str(c, "prefecture") : NULL);
    value_set_bool(r, "recorded", value_get_str(k, "recorded_at") != NULL);
    return r;
}

/* What the year recorded, as programme.lua's tables takes it. */
static int gather(bs_session *s, int fy, bs_value *input, bs_err *err)
{
    bs_store *st = session_store(s);
    bs_value *all = NULL, *kons = NULL, *sessions = NULL, *companies = NULL, *overall = NULL;
    bs_value *themes = NULL;
    int rc = store_engagement_list(st, &all, err);
    if (rc == BS_OK) {
        rc = store_consultation_list(st, 0, &kons, err);
    }
    if (rc == BS_OK) {
        rc = store_session_list(st, &sessions, err);
    }
    if (rc == BS_OK) {
        rc = store_company_list(st, &companies, err);
    }
    if (rc == BS_OK) {
        rc = store_survey_overall_list(st, fy, &overall, err);
    }
    if (rc == BS_OK) {
        rc = catalog_themes(s, &themes, err);
    }
    bs_value *engs = value_list(), *responses = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(all); i++) {
        const bs_value *e = value_at(all, i);
        char day[11];
        year_day(e, day);
        if (bs_fiscal_year(day) != fy) {
            continue;
        }
        value_push(engs, engagement_row(e, consultation_of(kons, id_of(e, "id")), day));
        if (workflow_ended(e)) {
            bs_value *r = NULL;
            rc = survey_response(s, e, &r, err);
            if (rc == BS_OK) {
                value_push(responses, r);
            }
        }
    }
    bs_value *klist = value_list(), *slist = value_list();
    for (size_t i = 0; i < value_len(kons); i++) {
        const bs_value *k = value_at(kons, i);
        const char *day = value_get_str(k, "held_on");
        if (day && bs_date_valid(day) && bs_fiscal_year(day) == fy) {
            value_push(klist, consultation_row(k, companies));
        }
    }
    for (size_t i = 0; i < value_len(sessions); i++) {
        const bs_value *x = value_at(sessions, i);
        const char *day = value_get_str(x, "held_on");
        if (day && bs_date_valid(day) && bs_fiscal_year(day) == fy) {
            value_push(slist, value_copy(x));
        }
    }
    value_set(input, "themes", themes ? themes : value_list());
    value_set(input, "engagements", engs);
    value_set(input, "consultations", klist);
    value_set(input, "sessions", slist);
    value_set(input, "responses", responses);
    value_set(input, "overall", overall ? overall : value_list());
    value_free(all);
    value_free(kons);
    value_free(sessions);
    value_free(companies);
    return rc;
}

/* Each table is a worksheet spec with its rows: what a spec needs, the
 * first problem naming the table. */
static int check_tables(bs_theme *th, const bs_value *tables, bs_err *err)
{
    if (value_type(tables) != BS_VLIST || value_len(tables) == 0) {
        return bs_err_set(err, BS_ESCRIPT, _("%s: tables: expected a non-empty list"),
                          theme_path(th));
    }
    bs_value *problems = value_list();
    for (size_t i = 0; i < value_len(tables) && value_len(problems) == 0; i++) {
        const bs_value *t = value_at(tables, i);
        char *where = xasprintf("%s: tables[%zu]", theme_path(th), i + 1);
        worksheet_check(NULL, t, where, problems);
        if (value_len(problems) == 0 && value_type(value_get(t, "rows")) != BS_VLIST) {
            value_push(problems, value_str(_("rows: expected a list")));
        }
        free(where);
    }
    int rc = value_len(problems) == 0
                 ? BS_OK
                 : bs_err_set(err, BS_ESCRIPT, "%s", value_as_str(value_at(problems, 0)));
    value_free(problems);
    return rc;
}

int programme_stats(bs_session *s, const programme_opts *o, bs_value **out, bs_err *err)
{
    char today[11];
    bs_date_today(today);
    int fy = bs_fiscal_year(today);
    if (o->year && survey_year(o->year, &fy, err) != BS_OK) {
        return err->code;
    }
    if (o->theme && !catalog_has_theme(s, o->theme)) {
        return bs_err_set(err, BS_EINPUT, _("--theme: no theme '%s' (see 'bansou themes')"),
                          o->theme);
    }
    bs_theme *th = NULL;
    int rc = lib(s, &th, err);
    bs_value *input = value_map();
    value_set_int(input, "year", fy);
    value_set_str(input, "today", today);
    value_set_str(input, "region", o->region);
    value_set_str(input, "theme", o->theme);
    value_set_bool(input, "anonymous", o->anonymous);
    bs_value *problem = NULL;
    if (rc == BS_OK) {
        rc = theme_call(th, "check", input, &problem, err);
    }
    if (rc == BS_OK && value_type(problem) == BS_VSTR) {
        rc = bs_err_set(err, BS_EINPUT, "%s", value_as_str(problem));
    }
    value_free(problem);
    if (rc == BS_OK) {
        rc = gather(s, fy, input, err);
    }
    bs_value *res = NULL;
    if (rc == BS_OK) {
        rc = theme_call(th, "tables", input, &res, err);
    }
    value_free(input);
    if (rc == BS_OK && value_type(res) != BS_VMAP) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: tables must return a table"), theme_path(th));
    }
    if (rc == BS_OK) {
        rc = check_tables(th, value_get(res, "tables"), err);
    }
    if (rc != BS_OK) {
        value_free(res);
        return rc;
    }
    *out = res;
    return BS_OK;
}

char *programme_cell_text(const bs_value *col, const bs_value *v)
{
    const char *fmt = value_get_str(col, "format");
    bool percent = fmt && strchr(fmt, '%');
    switch (value_type(v)) {
    case BS_VINT:
        if (percent) {
            return xasprintf("%lld%%", (long long)value_as_int(v) * 100);
        }
        return xasprintf("%lld", (long long)value_as_int(v));
    case BS_VNUM: {
        double d = value_as_num(v);
        int decimals = 0;
        const char *dot = fmt ? strchr(fmt, '.') : NULL;
        if (dot) {
            decimals = (int)strspn(dot + 1, "0");
        }
        if (percent) {
            return xasprintf("%.*f%%", decimals, d * 100);
        }
        return fmt ? xasprintf("%.*f", decimals, d) : xasprintf("%g", d);
    }
    case BS_VSTR:
        return xstrdup(value_as_str(v));
    case BS_VBOOL:
        return xstrdup(value_as_bool(v) ? "○" : "");
    default:
        return xstrdup("");
    }
}

/* The rows a table's sheet shows: its rows, then its total. Owned. */
static bs_value *sheet_rows(const bs_value *t)
{
    bs_value *rows = value_copy(value_get(t, "rows"));
    if (value_get(t, "total")) {
        value_push(rows, value_copy(value_get(t, "total")));
    }
    return rows;
}

/* The fields above a table's sheet, as the table's spec declares them
 * (programme.lua): paths into the report's year_text, filters and today
 * and the table's own lead and note. Owned. */
static bs_value *sheet_fields(const bs_value *res, const bs_value *t)
{
    bs_value *ctx = value_map();
    static const char *const from_res[] = {"year_text", "filters", "today", NULL};
    static const char *const from_table[] = {"lead", "note", NULL};
    for (const char *const *k = from_res; *k; k++) {
        value_set(ctx, *k, value_copy(value_get(res, *k)));
    }
    for (const char *const *k = from_table; *k; k++) {
        value_set(ctx, *k, value_copy(value_get(t, *k)));
    }
    bs_value *f = worksheet_fields(t, ctx);
    value_free(ctx);
    return f;
}

static int write_workbook(bs_session *s, const bs_value *res, const char *path, bs_err *err)
{
    const bs_value *tables = value_get(res, "tables");
    size_t n = value_len(tables);
    xlsxw_sheet *sheets = xcalloc(n, sizeof *sheets);
    bs_value *owned = value_list();
    for (size_t i = 0; i < n; i++) {
        const bs_value *t = value_at(tables, i);
        bs_value *fields = sheet_fields(res, t), *rows = sheet_rows(t);
        value_push(owned, fields);
        value_push(owned, rows);
        sheets[i] = (xlsxw_sheet){t, fields, rows, value_get_str(res, "year_text")};
    }
    int rc = produce_keep_programme(s, path, false, err);
    if (rc == BS_OK) {
        rc = xlsxw_write_book(sheets, n, path, err);
    }
    if (rc == BS_OK) {
        rc = produce_record_programme(s, path, "programme-data", value_get_str(res, "title"), err);
    }
    free(sheets);
    value_free(owned);
    return rc;
}

/* DIR/NAME for a file name the library gave (made safe). Owned. */
static char *file_in(const char *dir, const bs_value *res, const char *kind)
{
    char *name = bs_safe_name(value_get_str(value_get(res, "files"), kind), 120);
    char *p = xasprintf("%s/%s", dir, *name ? name : kind);
    free(name);
    return p;
}

int programme_report(bs_session *s, const programme_opts *o, const char *dir, bs_value **files_out,
                     bs_err *err)
{
    bs_value *res = NULL;
    int rc = programme_stats(s, o, &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *d = dir ? xstrdup(dir) : xasprintf("%s/out/programme", session_dir(s));
    rc = bs_mkdir_p(d, 0700, err);
    bs_value *files = value_list();
    char *book = file_in(d, res, "workbook");
    if (rc == BS_OK) {
        rc = write_workbook(s, res, book, err);
    }
    if (rc == BS_OK) {
        bs_value *m = value_map();
        value_set_str(m, "kind", "workbook");
        value_set_str(m, "path", book);
        value_push(files, m);
    }
    free(book);
    free(d);
    value_free(res);
    if (rc != BS_OK) {
        value_free(files);
        return rc;
    }
    *files_out = files;
    return BS_OK;
}
