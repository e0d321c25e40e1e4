#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "intake.h"
#include "pool.h"
#include "store.h"
#include "survey.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"
#include "xlsxr.h"

/* The skill survey's form in lib/pool.lua. */
#define SKILLS "skills_sheet"

/* An export of a survey service larger than this is not one programme's. */
enum { EXPORT_MAX_ROWS = 5000, EXPORT_MAX_COLS = 400 };

static int lib(bs_session *s, bs_theme **out, bs_err *err)
{
    return session_lib(s, "pool", out, err);
}

static int64_t id_of(const bs_value *row)
{
    return value_as_int(value_get(row, "id"));
}

/* The pool's own check of `fields` (pool.lua's check_fields). */
static int check_fields(bs_session *s, const bs_value *fields, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *problems = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = theme_call(th, "check_fields", fields, &problems, err);
    }
    if (rc == BS_OK && value_len(problems) > 0) {
        bs_buf b = {0};
        for (size_t i = 0; i < value_len(problems); i++) {
            bs_buf_printf(&b, "%s%s", i ? "; " : "", value_as_str(value_at(problems, i)));
        }
        rc = bs_err_set(err, BS_EINPUT, "%s", b.s);
        bs_buf_free(&b);
    }
    value_free(problems);
    return rc;
}

int pool_choices(bs_session *s, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = lib(s, &th, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *m = value_copy(value_get(theme_model(th), "choices"));
    if (value_type(m) != BS_VMAP) {
        value_free(m);
        return bs_err_set(err, BS_ESCRIPT, _("%s: no choices"), theme_path(th));
    }
    bs_value *regions = value_list();
    const bs_value *rs = value_get(theme_model(th), "regions");
    for (size_t i = 0; i < value_len(rs); i++) {
        value_push(regions, value_str(value_get_str(value_at(rs, i), "name")));
    }
    value_set(m, "regions", regions);
    *out = m;
    return BS_OK;
}

int pool_expert_add(bs_session *s, const bs_value *fields, int64_t *id_out, bs_err *err)
{
    int rc = check_fields(s, fields, err);
    return rc == BS_OK ? workflow_expert_add(session_store(s), session_actor(s), fields, id_out,
                                             err)
                       : rc;
}

int pool_expert_edit(bs_session *s, const char *ref, const bs_value *fields, bs_err *err)
{
    int rc = check_fields(s, fields, err);
    return rc == BS_OK
               ? workflow_expert_edit(session_store(s), session_actor(s), ref, fields, err)
               : rc;
}

/* The row of `rows` whose `key` is `id`, or NULL. */
static const bs_value *row_for(const bs_value *rows, const char *key, int64_t id)
{
    for (size_t i = 0; i < value_len(rows); i++) {
        if (value_as_int(value_get(value_at(rows, i), key)) == id) {
            return value_at(rows, i);
        }
    }
    return NULL;
}

/* Completes the expert rows of `experts` with their evaluation, skills and
 * load, as pool_expert_show describes. */
static int complete(bs_session *s, bs_value *experts, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *skills = NULL, *loads = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_expert_skill_list(session_store(s), &skills, err);
    }
    if (rc == BS_OK) {
        rc = store_expert_loads(session_store(s), &loads, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(experts); i++) {
        bs_value *x = value_at(experts, i);
        const bs_value *sk = row_for(skills, "expert_id", id_of(x));
        const bs_value *ld = row_for(loads, "expert_id", id_of(x));
        bs_value *ev = NULL;
        bs_value *none = value_map();
        rc = theme_call(th, "evaluate", sk ? value_get(sk, "data") : none, &ev, err);
        value_free(none);
        if (rc == BS_OK) {
            value_set(x, "evaluation", ev);
            bs_value *info = sk ? value_map() : value_null();
            if (sk) {
                static const char *const keys[] = {"source", "answered_at", "imported_at", NULL};
                for (const char *const *k = keys; *k; k++) {
                    value_set(info, *k, value_copy(value_get(sk, *k)));
                }
            }
            value_set(x, "skills", info);
            value_set_int(x, "load", ld ? value_as_int(value_get(ld, "n")) : 0);
        }
    }
    value_free(skills);
    value_free(loads);
    return rc;
}

int pool_expert_show(bs_session *s, const char *ref, bs_value **out, bs_err *err)
{
    bs_value *x = NULL;
    int rc = store_expert_get(session_store(s), ref, &x, err);
    bs_value *one = value_list();
    if (rc == BS_OK) {
        value_push(one, x);
        rc = complete(s, one, err);
    }
    if (rc != BS_OK) {
        value_free(one);
        return rc;
    }
    *out = value_copy(value_at(one, 0));
    value_free(one);
    return BS_OK;
}

/* Every expert, completed. */
static int pool_all(bs_session *s, bs_value **out, bs_err *err)
{
    bs_value *all = NULL;
    int rc = store_expert_list(session_store(s), &all, err);
    if (rc == BS_OK) {
        rc = complete(s, all, err);
    }
    if (rc != BS_OK) {
        value_free(all);
        return rc;
    }
    *out = all;
    return BS_OK;
}

int pool_search(bs_session *s, const bs_value *filters, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *all = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = pool_all(s, &all, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *input = value_map(), *ids = NULL;
    value_set(input, "experts", all);
    value_set(input, "filters", value_copy(filters));
    rc = theme_call(th, "search", input, &ids, err);
    // The experts as the store gives them (their empty fields too), in the
    // pool's order.
    bs_value *found = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(ids); i++) {
        const bs_value *x = row_for(all, "id", value_as_int(value_at(ids, i)));
        if (x) {
            value_push(found, value_copy(x));
        }
    }
    value_free(ids);
    value_free(input);
    if (rc != BS_OK) {
        value_free(found);
        return rc;
    }
    *out = found;
    return BS_OK;
}

int pool_match(bs_session *s, const char *company, const char *theme, bs_value **out,
               bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *c = NULL, *all = NULL, *cands = NULL, *region = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_company_get(session_store(s), company, &c, err);
    }
    bs_value *cons = NULL;
    if (rc == BS_OK) {
        rc = store_consultation_list(session_store(s), id_of(c), &cons, err);
    }
    if (rc == BS_OK && value_len(cons) > 0) {
        // The programme region is that of the session the company came through.
        value_set(c, "region", value_copy(value_get(value_at(cons, value_len(cons) - 1), "region")));
    }
    value_free(cons);
    if (rc == BS_OK) {
        rc = pool_all(s, &all, err);
    }
    bs_value *input = value_map();
    if (rc == BS_OK) {
        value_set(input, "company", value_copy(c));
        value_set(input, "theme", theme ? value_str(theme) : value_null());
        value_set(input, "experts", all);
        all = NULL;
        rc = theme_call(th, "match", input, &cands, err);
    }
    if (rc == BS_OK) {
        rc = theme_call(th, "region_of", c, &region, err);
    }
    if (rc == BS_OK) {
        bs_value *r = value_map();
        value_set_int(r, "company_id", id_of(c));
        value_set_str(r, "company", value_get_str(c, "name"));
        value_set(r, "prefecture", value_copy(value_get(c, "prefecture")));
        value_set(r, "region", region);
        region = NULL;
        value_set(r, "theme", theme ? value_str(theme) : value_null());
        value_set(r, "candidates", cands);
        cands = NULL;
        *out = r;
    }
    value_free(input);
    value_free(all);
    value_free(cands);
    value_free(region);
    value_free(c);
    return rc;
}

int pool_skills_form(bs_session *s, const char *expert, const char *path, char **path_out,
                     bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *x = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_expert_get(session_store(s), expert, &x, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    char *p = NULL;
    const char *file = value_get_str(value_get(theme_model(th), SKILLS), "file");
    if (path) {
        p = xstrdup(path);
    } else if (!file) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: %s has no file"), theme_path(th), SKILLS);
    } else {
        char *name = bs_safe_name(file, 120);
        rc = survey_expert_file(s, x, name, &p, err);
        free(name);
    }
    if (rc == BS_OK) {
        char today[11];
        bs_date_today(today);
        bs_value *ctx = value_map();
        value_set(ctx, "expert", value_copy(x));
        value_set_str(ctx, "today", today);
        rc = form_write(th, SKILLS, ctx, p, value_get_str(x, "name"), err);
        value_free(ctx);
    }
    value_free(x);
    if (rc != BS_OK) {
        free(p);
        return rc;
    }
    *path_out = p;
    return BS_OK;
}

/* The pool entry `entry` (pool.lua's entry) as expert fields: every field
 * the store keeps, without the name unless `with_name`. */
static bs_value *entry_fields(const bs_value *entry, bool with_name)
{
    static const char *const keys[] = {
        "residence", "affiliation_kind", "affiliation", "email",   "reg_no",   "reg_year",
        "qualifications", "industries",  "sizes",       "regions", "forms",    "themes",
        "fee",       "periods",          "self_pr",     "listed",  "unlisted", NULL};
    bs_value *f = value_map();
    if (with_name) {
        value_set(f, "name", value_copy(value_get(entry, "name")));
    }
    for (const char *const *k = keys; *k; k++) {
        const bs_value *v = value_get(entry, *k);
        value_set(f, *k, v ? value_copy(v) : value_null());
    }
    return f;
}

/* Stores the answers and the pool entry they give for expert `id` (0: a
 * new expert, its id in *id_out), and logs it; inside the caller's
 * transaction. */
static int put_answers(bs_store *st, const char *actor, int64_t id, const bs_value *answers,
                       const bs_value *entry, const char *source, const char *at,
                       int64_t *id_out, bs_err *err)
{
    bs_value *f = entry_fields(entry, id == 0);
    int rc = id == 0 ? store_expert_add(st, f, &id, err) : store_expert_update(st, id, f, err);
    value_free(f);
    if (rc == BS_OK) {
        rc = store_expert_skill_put(st, id, answers, source, at, err);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("expert %lld: skill survey from %s", (long long)id, source);
        rc = store_event_add(st, actor, 0, 0, "expert.skills", detail, err);
        free(detail);
    }
    if (rc == BS_OK && id_out) {
        *id_out = id;
    }
    return rc;
}

static int commit_or_not(bs_store *st, int rc, bs_err *err)
{
    if (rc == BS_OK) {
        return store_commit(st, err);
    }
    store_rollback(st);
    return rc;
}

int pool_skills_import(bs_session *s, const char *expert, const char *file, bs_value **out,
                       bs_value *problems, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *x = NULL, *rows = NULL, *answers = NULL, *entry = NULL, *ev = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = store_expert_get(session_store(s), expert, &x, err);
    }
    if (rc == BS_OK) {
        rc = form_read(th, SKILLS, file, &rows, problems, err);
    }
    if (rc == BS_OK) {
        rc = theme_call(th, "answers", rows, &answers, err);
    }
    if (rc == BS_OK && value_type(answers) != BS_VMAP) {
        value_free(answers);
        answers = value_map();
    }
    if (rc == BS_OK) {
        rc = theme_call(th, "entry", answers, &entry, err);
    }
    if (rc == BS_OK) {
        rc = theme_call(th, "evaluate", answers, &ev, err);
    }
    bs_store *st = session_store(s);
    if (rc == BS_OK && (rc = store_begin(st, err)) == BS_OK) {
        char today[11];
        bs_date_today(today);
        rc = put_answers(st, session_actor(s), id_of(x), answers, entry, file, today, NULL, err);
        rc = commit_or_not(st, rc, err);
    }
    if (rc == BS_OK) {
        bs_value *r = value_map();
        value_set_str(r, "expert", value_get_str(x, "name"));
        value_set(r, "listed", value_copy(value_get(entry, "listed")));
        value_set(r, "unlisted", value_copy(value_get(entry, "unlisted")));
        value_set(r, "evaluation", ev);
        ev = NULL;
        *out = r;
    }
    value_free(x);
    value_free(rows);
    value_free(answers);
    value_free(entry);
    value_free(ev);
    return rc;
}

/* The first sheet of `file` as pool.lua's read_export takes it: {rows =
 * [{row, cells = [{col, text}]}]}, rows and columns counted from 1. */
static int export_rows(const char *file, bs_value **out, char **sheet_out, bs_err *err)
{
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    int rc = xlsxr_open(file, &x, err);
    const bs_value *sheets = rc == BS_OK ? xlsxr_sheets(x) : NULL;
    if (rc == BS_OK && value_len(sheets) == 0) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: the workbook has no sheet"), file);
    }
    if (rc == BS_OK) {
        rc = xlsxr_read_sheet(x, value_as_str(value_at(sheets, 0)), &g, err);
    }
    if (rc == BS_OK && (g->max_row >= EXPORT_MAX_ROWS || g->max_col >= EXPORT_MAX_COLS)) {
        rc = bs_err_set(err, BS_EINPUT,
                        _("%s: %u rows and %u columns: more than a survey's answers"
                          " (at most %d rows, %d columns)"),
                        file, g->max_row + 1, g->max_col + 1, EXPORT_MAX_ROWS, EXPORT_MAX_COLS);
    }
    if (rc == BS_OK) {
        bs_value *rows = value_list(), *row = NULL, *cells = NULL;
        for (size_t i = 0; i < g->n; i++) {
            const bs_cell *c = &g->cells[i];
            if (!row || value_as_int(value_get(row, "row")) != (int64_t)c->row + 1) {
                row = value_map();
                cells = value_list();
                value_set_int(row, "row", (int64_t)c->row + 1);
                value_set(row, "cells", cells);
                value_push(rows, row);
            }
            bs_value *cell = value_map();
            value_set_int(cell, "col", (int64_t)c->col + 1);
            value_set_str(cell, "text", c->text ? c->text : "");
            value_push(cells, cell);
        }
        *out = value_map();
        value_set(*out, "rows", rows);
        *sheet_out = xstrdup(value_as_str(value_at(sheets, 0)));
    }
    xlsxr_grid_free(g);
    xlsxr_close(x);
    return rc;
}

/* "SHEET!B3: message" into `problems` for a problem {row, col, message}. */
static void add_problem(bs_value *problems, const char *sheet, const bs_value *p)
{
    char cell[16];
    int64_t row = value_as_int(value_get(p, "row")), col = value_as_int(value_get(p, "col"));
    xlsxr_cell_name((uint32_t)(row > 0 ? row - 1 : 0), (uint32_t)(col > 0 ? col - 1 : 0), cell);
    char *line = xasprintf("%s!%s: %s", sheet, cell, value_get_str(p, "message"));
    value_push(problems, value_str(line));
    free(line);
}

/* The expert of the pool a respondent's entry is: the one with its
 * registration number, else the one of its name (whose number, if it has
 * one, must agree); NULL for a new one. A name taken by another number is
 * a problem. */
static const bs_value *existing(const bs_value *experts, const bs_value *entry, bool *clash)
{
    const char *reg = value_get_str(entry, "reg_no"), *name = value_get_str(entry, "name");
    *clash = false;
    for (size_t i = 0; reg && i < value_len(experts); i++) {
        const char *r = value_get_str(value_at(experts, i), "reg_no");
        if (r && strcmp(r, reg) == 0) {
            return value_at(experts, i);
        }
    }
    for (size_t i = 0; name && i < value_len(experts); i++) {
        const bs_value *x = value_at(experts, i);
        if (strcmp(value_get_str(x, "name"), name) == 0) {
            const char *r = value_get_str(x, "reg_no");
            *clash = r && reg && strcmp(r, reg) != 0;
            return *clash ? NULL : x;
        }
    }
    return NULL;
}

/* The column of question `qid` in a read_export result, or 1. */
static int64_t column_of(const bs_value *res, const char *qid)
{
    const bs_value *cols = value_get(res, "columns");
    for (size_t i = 0; i < value_len(cols); i++) {
        const bs_value *c = value_at(cols, i);
        if (strcmp(value_get_str(c, "id"), qid) == 0) {
            return value_as_int(value_get(c, "col"));
        }
    }
    return 1;
}

int pool_skills_load(bs_session *s, const char *file, bool dry_run, bs_value **out,
                     bs_value *problems, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *input = NULL, *res = NULL, *experts = NULL;
    char *sheet = NULL;
    size_t before = value_len(problems);
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        rc = export_rows(file, &input, &sheet, err);
    }
    if (rc == BS_OK) {
        rc = theme_call(th, "read_export", input, &res, err);
    }
    if (rc == BS_OK && value_type(res) != BS_VMAP) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: read_export must return a table"), theme_path(th));
    }
    if (rc == BS_OK) {
        rc = store_expert_list(session_store(s), &experts, err);
    }
    const bs_value *resp = value_get(res, "respondents");
    for (size_t i = 0; rc == BS_OK && i < value_len(value_get(res, "problems")); i++) {
        add_problem(problems, sheet, value_at(value_get(res, "problems"), i));
    }
    // The names the pool will hold must be names bansou takes.
    for (size_t i = 0; rc == BS_OK && i < value_len(resp); i++) {
        const bs_value *r = value_at(resp, i), *entry = value_get(r, "entry");
        bool clash = false;
        const bs_value *x = existing(experts, entry, &clash);
        bs_err e = {0};
        const char *msg = NULL;
        char *own = NULL;
        if (clash) {
            own = xasprintf(_("expert '%s' of the pool has another registration number"),
                            value_get_str(entry, "name"));
            msg = own;
        } else if (!x && workflow_check_name(value_get_str(entry, "name"), false, &e) != BS_OK) {
            msg = e.msg;
        }
        if (msg) {
            bs_value *p = value_map();
            value_set(p, "row", value_copy(value_get(r, "row")));
            value_set_int(p, "col", column_of(res, "respondent_name"));
            value_set_str(p, "message", msg);
            add_problem(problems, sheet, p);
            value_free(p);
        }
        free(own);
    }
    if (rc == BS_OK) {
        rc = intake_refused(problems, before, file, err);
    }
    bs_store *st = session_store(s);
    bool began = false;
    if (rc == BS_OK && !dry_run) {
        rc = store_begin(st, err);
        began = rc == BS_OK;
    }
    bs_value *done = value_list();
    int64_t created = 0, updated = 0;
    for (size_t i = 0; rc == BS_OK && i < value_len(resp); i++) {
        const bs_value *r = value_at(resp, i), *entry = value_get(r, "entry");
        bool clash = false;
        const bs_value *x = existing(experts, entry, &clash);
        int64_t id = x ? id_of(x) : 0;
        if (!dry_run) {
            rc = put_answers(st, session_actor(s), id, value_get(r, "answers"), entry, file,
                             value_get_str(r, "at"), &id, err);
        }
        bs_value *d = value_map();
        value_set(d, "row", value_copy(value_get(r, "row")));
        value_set_int(d, "id", id);
        value_set_str(d, "name", x ? value_get_str(x, "name") : value_get_str(entry, "name"));
        value_set_str(d, "action", x ? "updated" : "created");
        value_set(d, "listed", value_copy(value_get(entry, "listed")));
        value_set(d, "unlisted", value_copy(value_get(entry, "unlisted")));
        value_push(done, d);
        if (x) {
            updated++;
        } else {
            created++;
        }
    }
    if (rc == BS_OK && !dry_run) {
        char *detail = xasprintf("skill survey export %s: %zu answers, %zu duplicates, %zu stored",
                                 file, (size_t)value_as_int(value_get(res, "answers")),
                                 value_len(value_get(res, "duplicates")), value_len(resp));
        rc = store_event_add(st, session_actor(s), 0, 0, "pool.load", detail, err);
        free(detail);
    }
    if (began) {
        rc = commit_or_not(st, rc, err);
    }
    if (rc == BS_OK) {
        bs_value *o = value_map();
        value_set(o, "answers", value_copy(value_get(res, "answers")));
        value_set(o, "duplicates", value_copy(value_get(res, "duplicates")));
        value_set_int(o, "valid", (int64_t)value_len(resp));
        value_set_int(o, "created", created);
        value_set_int(o, "updated", updated);
        value_set(o, "experts", done);
        done = NULL;
        value_set_bool(o, "dry_run", dry_run);
        *out = o;
    }
    value_free(done);
    value_free(input);
    value_free(res);
    value_free(experts);
    free(sheet);
    return rc;
}
