#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "docx.h"
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

/* `d` in the number format `fmt` (NULL: as short as it reads). Owned. */
static char *number_text(const char *fmt, double d)
{
    int decimals = 0;
    const char *dot = fmt ? strchr(fmt, '.') : NULL;
    if (dot) {
        decimals = (int)strspn(dot + 1, "0");
    }
    if (fmt && strchr(fmt, '%')) {
        return xasprintf("%.*f%%", decimals, d * 100);
    }
    return fmt ? xasprintf("%.*f", decimals, d) : xasprintf("%g", d);
}

char *programme_cell_text(const bs_value *col, const bs_value *v)
{
    const char *fmt = value_get_str(col, "format");
    switch (value_type(v)) {
    case BS_VINT:
        return fmt ? number_text(fmt, (double)value_as_int(v))
                   : xasprintf("%lld", (long long)value_as_int(v));
    case BS_VNUM:
        return number_text(fmt, value_as_num(v));
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

/* One row of `t` as the text of its cells. Owned. */
static bs_value *doc_row(const bs_value *cols, const bs_value *r)
{
    bs_value *cells = value_list();
    for (size_t k = 0; k < value_len(cols); k++) {
        const bs_value *c = value_at(cols, k);
        char *text = programme_cell_text(c, value_get(r, value_get_str(c, "key")));
        value_push(cells, value_str(text));
        free(text);
    }
    return cells;
}

/* The table of `t` as {{%table}} takes it: the headers and widths of its
 * columns (numbers right-aligned), and its rows and total as text. Owned. */
static bs_value *doc_table(const bs_value *t)
{
    const bs_value *cols = value_get(t, "columns"), *rs = value_get(t, "rows");
    bs_value *out = value_map(), *oc = value_list(), *rows = value_list();
    for (size_t i = 0; i < value_len(cols); i++) {
        const bs_value *c = value_at(cols, i);
        const char *type = value_get_str(c, "type");
        bs_value *m = value_map();
        value_set_str(m, "header", value_get_str(c, "header"));
        value_set(m, "width", value_copy(value_get(c, "width")));
        if (type && (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0)) {
            value_set_str(m, "align", "right");
        }
        value_push(oc, m);
    }
    for (size_t i = 0; i < value_len(rs); i++) {
        value_push(rows, doc_row(cols, value_at(rs, i)));
    }
    value_set(out, "columns", oc);
    value_set(out, "rows", rows);
    if (value_get(t, "total")) {
        value_set(out, "total", doc_row(cols, value_get(t, "total")));
    }
    value_set_str(out, "empty", value_get_str(t, "empty"));
    return out;
}

/* The first chart of `t` as {{%chart}} takes it: its categories (the
 * first `rows` rows of its category column) and a series per value
 * column, named by the column's header; NULL when it has none. Owned. */
static bs_value *doc_chart(const bs_value *t)
{
    const bs_value *ch = value_at(value_get(t, "charts"), 0);
    const bs_value *cols = value_get(t, "columns"), *rs = value_get(t, "rows");
    long cc = ch ? worksheet_column(cols, value_get_str(ch, "categories")) : -1;
    if (cc < 0) {
        return NULL;
    }
    size_t n = value_len(rs);
    if (value_get(ch, "rows") && (size_t)value_as_int(value_get(ch, "rows")) < n) {
        n = (size_t)value_as_int(value_get(ch, "rows"));
    }
    bs_value *out = value_map(), *cats = value_list(), *series = value_list();
    value_set_str(out, "type", value_get_str(ch, "type"));
    value_set(out, "stacked", value_copy(value_get(ch, "stacked")));
    value_set_str(out, "title", value_get_str(ch, "title"));
    for (size_t i = 0; i < n; i++) {
        char *text = programme_cell_text(value_at(cols, (size_t)cc),
                                         value_get(value_at(rs, i), value_get_str(ch, "categories")));
        value_push(cats, value_str(text));
        free(text);
    }
    const bs_value *vals = value_get(ch, "values");
    bool list = value_type(vals) == BS_VLIST;
    for (size_t k = 0; k < (list ? value_len(vals) : 1); k++) {
        const char *key = value_as_str(list ? value_at(vals, k) : vals);
        long vc = worksheet_column(cols, key);
        if (vc < 0) {
            continue;
        }
        bs_value *s = value_map(), *v = value_list();
        value_set_str(s, "name", value_get_str(value_at(cols, (size_t)vc), "header"));
        for (size_t i = 0; i < n; i++) {
            const bs_value *x = value_get(value_at(rs, i), key);
            value_push(v, x && (value_type(x) == BS_VINT || value_type(x) == BS_VNUM)
                              ? value_copy(x)
                              : value_null());
        }
        value_set(s, "values", v);
        value_push(series, s);
    }
    value_set(out, "categories", cats);
    value_set(out, "series", series);
    return out;
}

/* What the report's template takes (docs/programme-format.md): the report's
 * own fields and a section per table. Owned. */
static bs_value *doc_data(const bs_value *res)
{
    bs_value *d = value_map();
    static const char *const keep[] = {"title", "year_text", "today", "filters", "anonymous",
                                       "summary", NULL};
    for (const char *const *k = keep; *k; k++) {
        value_set(d, *k, value_copy(value_get(res, *k)));
    }
    bs_value *sections = value_list();
    const bs_value *tables = value_get(res, "tables");
    for (size_t i = 0; i < value_len(tables); i++) {
        const bs_value *t = value_at(tables, i);
        bs_value *sec = value_map();
        value_set_str(sec, "title", value_get_str(t, "title"));
        value_set_str(sec, "lead", value_get_str(t, "lead"));
        value_set_str(sec, "note", value_get_str(t, "note"));
        value_set(sec, "table", doc_table(t));
        bs_value *ch = doc_chart(t);
        value_set(sec, "chart", ch ? ch : value_null());
        value_push(sections, sec);
    }
    value_set(d, "sections", sections);
    return d;
}

static int write_report(bs_session *s, bs_theme *th, const bs_value *res, const char *path,
                        bs_err *err)
{
    const char *tname = value_get_str(theme_model(th), "template");
    const bs_docx *t = NULL;
    int rc = tname ? session_template(s, tname, &t, err)
                   : bs_err_set(err, BS_ESCRIPT, _("%s: no template"), theme_path(th));
    if (rc == BS_OK) {
        rc = produce_keep_programme(s, path, false, err);
    }
    bs_value *data = rc == BS_OK ? doc_data(res) : NULL;
    if (rc == BS_OK) {
        rc = docx_render(t, data, NULL, path, err);
    }
    value_free(data);
    if (rc == BS_OK) {
        rc = produce_record_programme(s, path, "programme-report", value_get_str(res, "title"), err);
    }
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
    bs_theme *th = NULL;
    char *d = dir ? xstrdup(dir) : xasprintf("%s/out/programme", session_dir(s));
    rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = bs_mkdir_p(d, 0700, err);
    }
    bs_value *files = value_list();
    static const char *const kinds[] = {"report", "workbook"};
    for (size_t i = 0; rc == BS_OK && i < 2; i++) {
        char *path = file_in(d, res, kinds[i]);
        rc = i == 0 ? write_report(s, th, res, path, err) : write_workbook(s, res, path, err);
        if (rc == BS_OK) {
            bs_value *m = value_map();
            value_set_str(m, "kind", kinds[i]);
            value_set_str(m, "path", path);
            value_push(files, m);
        }
        free(path);
    }
    free(d);
    value_free(res);
    if (rc != BS_OK) {
        value_free(files);
        return rc;
    }
    *files_out = files;
    return BS_OK;
}
