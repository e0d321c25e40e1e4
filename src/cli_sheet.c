/* Worksheets: write one for a company, import it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxr.h"
#include "xlsxw.h"

void cli_job_free(cli_job *j)
{
    value_free(j->e);
    theme_free(j->th);
    value_free(j->ctx);
    *j = (cli_job){0}; // safe to free again
}

int cli_job_open(cli_ctx *ctx, const char *eng, cli_job *j, bs_err *err)
{
    *j = (cli_job){0};
    int rc = cli_parse_id(eng, "ENG", &j->eng, err);
    if (rc == BS_OK) {
        rc = store_engagement_get(ctx->ws->st, j->eng, &j->e, err);
    }
    if (rc == BS_OK) {
        rc = cli_theme_load(ctx, value_get_str(j->e, "theme"), &j->th, err);
    }
    bs_value *company = NULL, *expert = NULL, *records = NULL;
    char id[32];
    if (rc == BS_OK) {
        snprintf(id, sizeof id, "%lld", (long long)value_as_int(value_get(j->e, "company_id")));
        rc = store_company_get(ctx->ws->st, id, &company, err);
    }
    if (rc == BS_OK) {
        snprintf(id, sizeof id, "%lld", (long long)value_as_int(value_get(j->e, "expert_id")));
        rc = store_expert_get(ctx->ws->st, id, &expert, err);
    }
    bs_value *others = NULL;
    if (rc == BS_OK) {
        rc = store_records_get(ctx->ws->st, j->eng, &records, err);
    }
    if (rc == BS_OK) {
        rc = store_company_records(ctx->ws->st, value_as_int(value_get(j->e, "company_id")), j->eng,
                                   &others, err);
    }
    if (rc != BS_OK) {
        value_free(company);
        value_free(expert);
        value_free(records);
        cli_job_free(j);
        return rc;
    }
    bs_value *tasks = NULL;
    if (store_task_list(ctx->ws->st, j->eng, value_get_str(j->e, "theme"), &tasks, err) != BS_OK) {
        value_free(company);
        value_free(expert);
        value_free(records);
        value_free(others);
        cli_job_free(j);
        return err->code;
    }
    const bs_value *m = theme_model(j->th);
    j->ctx = value_map();
    value_set(j->ctx, "company", company);
    value_set(j->ctx, "expert", expert);
    bs_value *eg = value_map();
    static const char *const ekeys[] = {"id", "state", "reason", "variant", "created_at", NULL};
    for (const char *const *k = ekeys; *k; k++) {
        value_set(eg, *k, value_copy(value_get(j->e, *k)));
    }
    value_set(j->ctx, "engagement", eg);
    value_set(j->ctx, "variants", workflow_variants(m, company, value_get_str(j->e, "variant")));
    bs_value *t = value_map();
    static const char *const tkeys[] = {"id", "number", "title", "base", "audience", "effect",
                                        "goals", NULL};
    for (const char *const *k = tkeys; *k; k++) {
        const bs_value *v = value_get(m, *k);
        value_set(t, *k, v ? value_copy(v) : value_null());
    }
    value_set(j->ctx, "theme", t);
    value_set(j->ctx, "steps", value_copy(value_get(m, "steps")));
    // Visits with the ids of their ticked items.
    bs_value *visits = value_copy(value_get(j->e, "visits"));
    for (size_t i = 0; i < value_len(visits); i++) {
        bs_value *v = value_at(visits, i);
        bs_value *done = value_list();
        for (size_t k = 0; k < value_len(tasks); k++) {
            const bs_value *tk = value_at(tasks, k);
            if (value_as_int(value_get(tk, "visit")) == value_as_int(value_get(v, "n"))) {
                value_push(done, value_copy(value_get(tk, "item")));
            }
        }
        value_set(v, "done", done);
    }
    value_set(j->ctx, "visits", visits);
    value_free(tasks);
    bs_value *wl = value_list();
    const bs_value *ws = value_get(m, "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        bs_value *w = value_map();
        static const char *const wkeys[] = {"id", "title", "file", NULL};
        for (const char *const *k = wkeys; *k; k++) {
            const bs_value *v = value_get(value_at(ws, i), *k);
            value_set(w, *k, v ? value_copy(v) : value_null());
        }
        value_push(wl, w);
    }
    value_set(j->ctx, "worksheets", wl);
    value_set(j->ctx, "records", records);
    value_set(j->ctx, "company_records", others);
    char today[11];
    bs_date_today(today);
    value_set_str(j->ctx, "today", today);
    return BS_OK;
}

/* The spec `id` of the engagement's theme, checked. */
int cli_job_spec(cli_job *j, const char *id, const bs_value **spec_out, size_t *index_out,
                    bs_err *err)
{
    const bs_value *spec = worksheet_find(theme_model(j->th), id, index_out);
    if (!spec) {
        bs_buf known = {0};
        const bs_value *ws = value_get(theme_model(j->th), "worksheets");
        for (size_t i = 0; i < value_len(ws); i++) {
            bs_buf_printf(&known, "%s%s", i ? ", " : "", value_get_str(value_at(ws, i), "id"));
        }
        int rc = bs_err_set(err, BS_ENOTFOUND, "theme '%s' has no worksheet '%s' (it has: %s)",
                            value_get_str(j->e, "theme"), id, known.s ? known.s : "none");
        bs_buf_free(&known);
        return rc;
    }
    bs_value *problems = value_list();
    char where[96];
    snprintf(where, sizeof where, "%s: worksheets[%zu]", theme_path(j->th), *index_out);
    worksheet_check(theme_model(j->th), spec, where, problems);
    int rc = BS_OK;
    if (value_len(problems)) {
        rc = bs_err_set(err, BS_ESCRIPT, "%s", value_as_str(value_at(problems, 0)));
    }
    value_free(problems);
    *spec_out = spec;
    return rc;
}

/* Runs each computed column's Lua `compute` over the rows, in place. */
int cli_compute_columns(cli_job *j, const bs_value *spec, size_t index, bs_value *rows,
                           bs_err *err)
{
    const bs_value *cols = value_get(spec, "columns");
    int rc = BS_OK;
    for (size_t c = 0; rc == BS_OK && c < value_len(cols); c++) {
        char path[96];
        snprintf(path, sizeof path, "worksheets.%zu.columns.%zu.compute", index, c + 1);
        if (!theme_has_function(j->th, path)) {
            continue;
        }
        const char *key = value_get_str(value_at(cols, c), "key");
        for (size_t r = 0; rc == BS_OK && r < value_len(rows); r++) {
            bs_value *row = value_at(rows, r);
            bs_value *v = NULL;
            rc = theme_call(j->th, path, row, &v, err);
            if (rc == BS_OK) {
                value_set(row, key, v);
            }
        }
    }
    return rc;
}

/* The rows a sheet is written with: its `rows` function, or what was
 * imported last time (unless `blank`, or the spec asks for `refresh`: then
 * its rows function merges what was imported itself). Owned. */
int cli_sheet_rows(cli_job *j, const bs_value *spec, size_t index, bool blank,
                      bs_value **out, bs_err *err)
{
    const char *id = value_get_str(spec, "id");
    const bs_value *imported = value_get(value_get(j->ctx, "records"), id);
    if (!blank && value_len(imported) && !value_as_bool(value_get(spec, "output")) &&
        !value_as_bool(value_get(spec, "refresh"))) {
        *out = value_copy(imported);
        return BS_OK;
    }
    char path[64];
    snprintf(path, sizeof path, "worksheets.%zu.rows", index);
    if (!theme_has_function(j->th, path)) {
        *out = value_list();
        return BS_OK;
    }
    bs_value *rows = NULL;
    int rc = theme_call(j->th, path, j->ctx, &rows, err);
    if (rc == BS_OK && value_type(rows) != BS_VLIST) {
        rc = bs_err_set(err, BS_ESCRIPT, "%s: worksheets[%zu].rows must return a list",
                        theme_path(j->th), index);
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

/* The specs written in the file of `spec`: its book's owner first, then the
 * book's members, each checked; their 1-based positions in `index`. At most
 * BOOK_MAX. */
enum { BOOK_MAX = 16 };

static int book_members(cli_job *j, const bs_value *spec, const bs_value **specs, size_t *index,
                        size_t *n, bs_err *err)
{
    const bs_value *owner = worksheet_book_owner(theme_model(j->th), spec);
    const bs_value *book = value_get(owner, "book");
    *n = 0;
    int rc = cli_job_spec(j, value_get_str(owner, "id"), &specs[0], &index[0], err);
    for (size_t i = 0; rc == BS_OK && i < value_len(book) && i + 1 < BOOK_MAX; i++) {
        rc = cli_job_spec(j, value_as_str(value_at(book, i)), &specs[i + 1], &index[i + 1], err);
        *n = i + 1;
    }
    *n = rc == BS_OK ? *n + 1 : 0;
    return rc;
}

int cli_write_book(cli_job *j, const bs_value *spec, bool blank, const char *path,
                   size_t *rows_out, bs_err *err)
{
    const bs_value *specs[BOOK_MAX];
    size_t index[BOOK_MAX], n = 0;
    xlsxw_sheet sheets[BOOK_MAX] = {{0}};
    bs_value *rows[BOOK_MAX] = {0}, *fields[BOOK_MAX] = {0};
    int rc = book_members(j, spec, specs, index, &n, err);
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        rc = cli_sheet_rows(j, specs[i], index[i], blank, &rows[i], err);
        if (rc == BS_OK) {
            rc = cli_compute_columns(j, specs[i], index[i], rows[i], err);
        }
        fields[i] = worksheet_fields(specs[i], j->ctx);
        sheets[i] = (xlsxw_sheet){specs[i], fields[i], rows[i]};
    }
    if (rc == BS_OK) {
        rc = xlsxw_write_book(sheets, n, path, err);
    }
    if (rows_out) {
        *rows_out = n ? value_len(rows[0]) : 0;
    }
    for (size_t i = 0; i < n; i++) {
        value_free(rows[i]);
        value_free(fields[i]);
    }
    return rc;
}

/* out/<company>/<theme>/<file> in the workspace. Owned. */
char *cli_out_dir(cli_ctx *ctx, cli_job *j, const char *sub, bs_err *err)
{
    bs_buf name = {0};
    for (const char *p = value_get_str(j->e, "company_name"); *p; p++) {
        bs_buf_add(&name, *p == '/' || (unsigned char)*p < 0x20 ? "_" : p, 1);
    }
    char *dir = sub ? xasprintf("%s/out/%s/%s/%s", ctx->ws->dir, name.s, value_get_str(j->e, "theme"), sub)
                    : xasprintf("%s/out/%s/%s", ctx->ws->dir, name.s, value_get_str(j->e, "theme"));
    bs_buf_free(&name);
    if (bs_mkdir_p(dir, 0700, err) != BS_OK) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* out/<company>/<theme>/<file> in the workspace. Owned. */
static char *cli_default_path(cli_ctx *ctx, cli_job *j, const bs_value *spec, bs_err *err)
{
    char *dir = cli_out_dir(ctx, j, NULL, err);
    if (!dir) {
        return NULL;
    }
    const char *file = value_get_str(spec, "file");
    char *path = file ? xasprintf("%s/%s", dir, file)
                      : xasprintf("%s/%s.xlsx", dir, value_get_str(spec, "id"));
    free(dir);
    return path;
}

static int list_sheets(cli_job *j)
{
    const bs_value *ws = value_get(theme_model(j->th), "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        const bs_value *s = value_at(ws, i);
        const bs_value *rec = value_get(value_get(j->ctx, "records"), value_get_str(s, "id"));
        printf("%-28s %s%s%s\n", value_get_str(s, "id"), value_get_str(s, "title") ? value_get_str(s, "title") : value_get_str(s, "sheet"),
               value_as_bool(value_get(s, "output")) ? "（結果）" : "",
               value_len(rec) ? "（取込済み）" : "");
    }
    return BS_OK;
}

static int run_worksheet(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (a->npos < 2) {
        rc = list_sheets(&j);
        cli_job_free(&j);
        return rc;
    }
    const bs_value *spec = NULL;
    size_t index = 0, nrows = 0;
    char *path = NULL;
    rc = cli_job_spec(&j, a->pos[1], &spec, &index, err);
    if (rc == BS_OK) {
        spec = worksheet_book_owner(theme_model(j.th), spec);
        path = cli_opt_val(a, "output") ? xstrdup(cli_opt_val(a, "output"))
                                        : cli_default_path(ctx, &j, spec, err);
        rc = path ? BS_OK : err->code;
    }
    if (rc == BS_OK) {
        rc = cli_write_book(&j, spec, cli_flag(a, "blank"), path, &nrows, err);
    }
    if (rc == BS_OK) {
        rc = store_begin(ctx->ws->st, err);
        if (rc == BS_OK) {
            char *detail = xasprintf("%s written to %s (%zu rows)", a->pos[1], path, nrows);
            rc = store_event_add(ctx->ws->st, ctx->actor,
                                 value_as_int(value_get(j.e, "company_id")), j.eng,
                                 "worksheet.write", detail, err);
            free(detail);
            rc = rc == BS_OK ? store_commit(ctx->ws->st, err) : (store_rollback(ctx->ws->st), rc);
        }
    }
    if (rc == BS_OK) {
        printf("%s\n", path);
    }
    free(path);
    cli_job_free(&j);
    return rc;
}

/* Which worksheet of the theme the file is: by the property bansou writes,
 * else by a sheet name whose headers match. */
static const bs_value *identify(cli_job *j, bs_xlsx *x, const char *file, size_t *index_out,
                                bs_err *err)
{
    const bs_value *model = theme_model(j->th);
    const char *prop = xlsxr_property(x, XLSXW_ID_PROPERTY);
    if (prop) {
        // A workbook of several sheets names them all: the first is its owner.
        char *id = xstrndup(prop, strcspn(prop, ","));
        const bs_value *spec = worksheet_find(model, id, index_out);
        if (!spec) {
            bs_err_set(err, BS_EINPUT, "%s: this is the worksheet '%s', which theme '%s' does not use",
                       file, id, value_get_str(j->e, "theme"));
        }
        free(id);
        return spec;
    }
    const bs_value *ws = value_get(model, "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        const bs_value *spec = value_at(ws, i);
        if (worksheet_book_owner(model, spec) != spec) {
            continue; // found through its owner's sheet
        }
        const bs_value *names = xlsxr_sheets(x);
        for (size_t k = 0; k < value_len(names); k++) {
            if (!value_as_bool(value_get(spec, "output")) &&
                strcmp(value_as_str(value_at(names, k)), value_get_str(spec, "sheet")) == 0) {
                *index_out = i + 1;
                return spec;
            }
        }
    }
    bs_err_set(err, BS_EINPUT, "%s: not one of the worksheets of theme '%s' (see 'bansou worksheet %lld')",
               file, value_get_str(j->e, "theme"), (long long)j->eng);
    return NULL;
}

/* For fixed rows: every given row back, and no other. */
static void check_fixed(cli_job *j, const bs_value *spec, size_t index, const bs_value *rows,
                        bs_value *problems, bs_err *err)
{
    const char *key = value_get_str(spec, "key");
    if (!key || !value_as_bool(value_get(spec, "fixed_rows"))) {
        return;
    }
    bs_value *given = NULL;
    if (cli_sheet_rows(j, spec, index, true, &given, err) != BS_OK) {
        return;
    }
    const char *sheet = value_get_str(spec, "sheet");
    bs_value *missing = worksheet_missing_keys(key, given, rows);
    for (size_t i = 0; i < value_len(missing); i++) {
        char *msg = xasprintf("%s: the row %s = %s is missing", sheet, key,
                              value_as_str(value_at(missing, i)));
        value_push(problems, value_str(msg));
        free(msg);
    }
    value_free(missing);
    if (value_len(rows) > value_len(given)) {
        char *msg = xasprintf("%s: %zu rows where the worksheet has %zu", sheet, value_len(rows),
                              value_len(given));
        value_push(problems, value_str(msg));
        free(msg);
    }
    value_free(given);
}

/* What a re-import changed, for the log: counts and the first keys. */
static void diff_detail(bs_buf *b, const bs_value *d)
{
    static const char *const kinds[] = {"added", "removed", "changed"};
    for (int k = 0; k < 3; k++) {
        const bs_value *list = value_get(d, kinds[k]);
        if (!value_len(list)) {
            continue;
        }
        bs_buf_printf(b, "; %s %zu:", kinds[k], value_len(list));
        for (size_t i = 0; i < value_len(list) && i < 20; i++) {
            const bs_value *it = value_at(list, i);
            if (value_type(it) == BS_VMAP) {
                bs_buf_printf(b, " %s (%s)", value_get_str(it, "key"), value_get_str(it, "changes"));
            } else {
                bs_buf_printf(b, " %s", value_as_str(it));
            }
        }
        if (value_len(list) > 20) {
            bs_buf_printf(b, " …");
        }
    }
}

static void print_diff(const bs_value *d)
{
    const bs_value *ad = value_get(d, "added"), *rm = value_get(d, "removed"),
                   *ch = value_get(d, "changed");
    if (!value_len(ad) && !value_len(rm) && !value_len(ch)) {
        printf("  no change since the last import\n");
        return;
    }
    printf("  since the last import: %zu added, %zu removed, %zu changed\n", value_len(ad),
           value_len(rm), value_len(ch));
    for (size_t i = 0; i < value_len(ad); i++) {
        printf("    added    %s\n", value_as_str(value_at(ad, i)));
    }
    for (size_t i = 0; i < value_len(rm); i++) {
        printf("    removed  %s\n", value_as_str(value_at(rm, i)));
    }
    for (size_t i = 0; i < value_len(ch); i++) {
        const bs_value *c = value_at(ch, i);
        printf("    changed  %s: %s\n", value_get_str(c, "key"), value_get_str(c, "changes"));
    }
}

/* Reads every input sheet of the book from the file; problems collected. */
static int read_book(cli_job *j, bs_xlsx *x, const bs_value *const *specs, const size_t *index,
                     size_t n, bs_value **rows, size_t *skipped, bs_value *problems, bs_err *err)
{
    const bs_value *names = xlsxr_sheets(x);
    for (size_t i = 0; i < n; i++) {
        if (value_as_bool(value_get(specs[i], "output"))) {
            continue;
        }
        const char *sheet = value_get_str(specs[i], "sheet");
        bool present = false;
        for (size_t k = 0; k < value_len(names) && !present; k++) {
            present = strcmp(value_as_str(value_at(names, k)), sheet) == 0;
        }
        if (!present) {
            char *msg = xasprintf("%s: the sheet is missing from the file", sheet);
            value_push(problems, value_str(msg));
            free(msg);
            continue;
        }
        bs_grid *g = NULL;
        int rc = xlsxr_read_sheet(x, sheet, &g, err);
        if (rc != BS_OK) {
            return rc; // a broken or hostile file: nothing more to say about its cells
        }
        rc = worksheet_read(specs[i], g, xlsxr_date1904(x), &rows[i], &skipped[i], problems, err);
        xlsxr_grid_free(g);
        if (rc == BS_OK) {
            check_fixed(j, specs[i], index[i], rows[i], problems, err);
        }
        bs_err_clear(err); // the problems say it
    }
    return BS_OK;
}

/* Stores the rows of every input sheet and logs each import with what
 * changed; one transaction. */
static int store_book(cli_ctx *ctx, cli_job *j, const char *file, const bs_value *const *specs,
                      size_t n, bs_value **rows, bs_value **diffs, bs_err *err)
{
    int rc = store_begin(ctx->ws->st, err);
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        if (!rows[i]) {
            continue;
        }
        const char *id = value_get_str(specs[i], "id");
        const bs_value *before = value_get(value_get(j->ctx, "records"), id);
        rc = store_records_replace(ctx->ws->st, j->eng, id, rows[i], err);
        bs_buf detail = {0};
        bs_buf_printf(&detail, "%s: %zu rows from %s", id, value_len(rows[i]), file);
        if (before) {
            bs_buf_printf(&detail, " (replacing %zu)", value_len(before));
            diffs[i] = worksheet_diff(specs[i], before, rows[i]);
            diff_detail(&detail, diffs[i]);
        }
        if (rc == BS_OK) {
            rc = store_event_add(ctx->ws->st, ctx->actor, value_as_int(value_get(j->e, "company_id")),
                                 j->eng, "worksheet.import", detail.s, err);
        }
        bs_buf_free(&detail);
    }
    return rc == BS_OK ? store_commit(ctx->ws->st, err) : (store_rollback(ctx->ws->st), rc);
}

static int run_import(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *file = a->pos[1];
    bs_xlsx *x = NULL;
    bs_value *problems = value_list();
    const bs_value *spec = NULL, *specs[BOOK_MAX] = {0};
    bs_value *rows[BOOK_MAX] = {0}, *diffs[BOOK_MAX] = {0};
    size_t index[BOOK_MAX], skipped[BOOK_MAX] = {0}, n = 0, first = 0;
    rc = xlsxr_open(file, &x, err);
    if (rc == BS_OK && !(spec = identify(&j, x, file, &first, err))) {
        rc = err->code;
    }
    if (rc == BS_OK) {
        rc = book_members(&j, spec, specs, index, &n, err);
    }
    if (rc == BS_OK && value_as_bool(value_get(specs[0], "output")) && n == 1) {
        rc = bs_err_set(err, BS_EINPUT, "%s: the worksheet '%s' is a result, not for import", file,
                        value_get_str(specs[0], "id"));
    }
    if (rc == BS_OK) {
        rc = read_book(&j, x, specs, index, n, rows, skipped, problems, err);
    }
    if (value_len(problems)) {
        // The problems are printed one by one below; the error sums them up.
        bs_err_clear(err);
        rc = bs_err_set(err, BS_EINPUT, "%zu problem%s in %s: nothing imported",
                        value_len(problems), value_len(problems) == 1 ? "" : "s", file);
    }
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        if (rows[i]) {
            rc = cli_compute_columns(&j, specs[i], index[i], rows[i], err);
        }
    }
    if (rc == BS_OK) {
        rc = store_book(ctx, &j, file, specs, n, rows, diffs, err);
    }
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        if (!rows[i]) {
            continue;
        }
        printf("imported %s: %zu rows", value_get_str(specs[i], "id"), value_len(rows[i]));
        if (skipped[i]) {
            const bs_value *skip = value_get(specs[i], "skip");
            printf(" (%zu rows left out: %s = %s)", skipped[i],
                   value_get_str(value_at(value_get(specs[i], "columns"),
                                          (size_t)worksheet_column(value_get(specs[i], "columns"),
                                                                   value_get_str(skip, "column"))),
                                 "header"),
                   value_get_str(skip, "equals"));
        }
        printf("\n");
        if (diffs[i]) {
            print_diff(diffs[i]);
        }
    }
    for (size_t i = 0; i < value_len(problems); i++) {
        fprintf(stderr, "bansou: %s\n", value_as_str(value_at(problems, i)));
    }
    for (size_t i = 0; i < n; i++) {
        value_free(rows[i]);
        value_free(diffs[i]);
    }
    value_free(problems);
    xlsxr_close(x);
    cli_job_free(&j);
    return rc;
}

static int run_records(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    bs_value *e = NULL, *records = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK) {
        rc = store_engagement_get(ctx->ws->st, eng, &e, err);
    }
    if (rc == BS_OK) {
        rc = store_records_get(ctx->ws->st, eng, &records, err);
    }
    if (rc == BS_OK) {
        const bs_value *v = a->npos > 1 ? value_get(records, a->pos[1]) : records;
        if (a->npos > 1 && !v) {
            rc = bs_err_set(err, BS_ENOTFOUND, "engagement %lld has no rows imported from '%s'",
                            (long long)eng, a->pos[1]);
        } else {
            cli_print_json(v);
        }
    }
    value_free(records);
    value_free(e);
    return rc;
}

static const cli_opt sheet_opts[] = {
    {"output", "FILE", "where to write (default: out/<company>/<theme>/<file>)", 'o'},
    {"blank", NULL, "ignore what was imported before; start from the spec's rows", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_sheet_cmds[] = {
    {"worksheet", "ENG [SHEET]", "write a worksheet of the engagement's theme (XLSX)",
     "Without SHEET, lists the theme's worksheets. An input sheet is written with\n"
     "what was imported last time, or the spec's rows; a result sheet is computed\n"
     "from what was imported. See docs/worksheet-format.md.",
     1, 2, true, sheet_opts, run_worksheet},
    {"import", "ENG FILE.xlsx", "import a filled-in worksheet",
     "Recognises which worksheet the file is, checks every cell, and stores the rows,\n"
     "replacing an earlier import. Every problem is printed with sheet and cell; a\n"
     "file with any problem imports nothing.",
     2, 2, true, NULL, run_import},
    {"records", "ENG [SHEET]", "print the rows imported from worksheets (JSON)", NULL, 1, 2, true,
     NULL, run_records},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
