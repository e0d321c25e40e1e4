#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "intake.h"
#include "job.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxr.h"
#include "xlsxw.h"

int intake_sheets(bs_session *s, int64_t eng, bs_value **out, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *records = NULL;
    rc = job_records(&j, &records, err);
    if (rc != BS_OK) {
        job_free(&j);
        return rc;
    }
    bs_value *list = value_list();
    const bs_value *ws = value_get(job_model(&j), "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        const bs_value *spec = value_at(ws, i);
        const char *id = value_get_str(spec, "id");
        bs_value *m = value_map();
        value_set_str(m, "id", id);
        value_set_str(m, "title", value_get_str(spec, "title"));
        value_set_str(m, "sheet", value_get_str(spec, "sheet"));
        value_set_bool(m, "output", value_as_bool(value_get(spec, "output")));
        value_set_bool(m, "imported", value_len(value_get(records, id)) > 0);
        value_push(list, m);
    }
    job_free(&j);
    *out = list;
    return BS_OK;
}

/* out/<id>_<company>/<theme>/<file> in the workspace. Owned, or NULL. */
static char *default_path(bs_job *j, const bs_value *spec, bs_err *err)
{
    const char *file = value_get_str(spec, "file");
    char *id = file ? NULL : xasprintf("%s.xlsx", value_get_str(spec, "id"));
    char *path = job_out_path(j, NULL, file ? file : id, err);
    free(id);
    return path;
}

/* A closed engagement's records stay as they were, but for the worksheets
 * that come back after the end (`after_close`: the post-guidance
 * questionnaires). */
static int check_open(const bs_job *j, const bs_value *spec, bs_err *err)
{
    return value_as_bool(value_get(spec, "after_close")) ? BS_OK : workflow_check_open(j->e, err);
}

int intake_write(bs_session *s, int64_t eng, const char *sheet, bool blank, bool force,
                 const char *path, char **path_out, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    const bs_value *spec = NULL;
    size_t index = 0, nrows = 0;
    char *p = NULL;
    if (rc == BS_OK) {
        rc = job_spec(&j, sheet, &spec, &index, err);
    }
    if (rc == BS_OK) {
        rc = check_open(&j, spec, err); // its records and documents stay as they were
    }
    if (rc == BS_OK) {
        spec = worksheet_book_owner(job_model(&j), spec);
        p = path ? xstrdup(path) : default_path(&j, spec, err);
        rc = p ? BS_OK : err->code;
    }
    if (rc == BS_OK) {
        bs_value *targets = value_list();
        value_push(targets, value_str(p));
        rc = job_keep_edited(&j, targets, force, err);
        value_free(targets);
    }
    if (rc == BS_OK) {
        rc = job_write_book(&j, spec, blank, p, &nrows, err);
    }
    char sha[65];
    if (rc == BS_OK) {
        rc = bs_sha256_file(p, sha, err);
    }
    if (rc == BS_OK) {
        bs_store *st = session_store(s);
        rc = store_begin(st, err);
        // Recorded like every document, so that `documents` lists it and an
        // edit to it is guarded.
        bs_value *rec = value_map();
        value_set_str(rec, "path", p);
        value_set_str(rec, "doc", value_get_str(spec, "id"));
        const char *title = value_get_str(spec, "title");
        value_set_str(rec, "title", title ? title : value_get_str(spec, "sheet"));
        value_set(rec, "visit", value_null());
        value_set_str(rec, "template", value_get_str(spec, "id"));
        value_set_str(rec, "sha256", sha);
        if (rc == BS_OK) {
            rc = store_document_put(st, j.eng, rec, err);
        }
        value_free(rec);
        if (rc == BS_OK) {
            char *detail = xasprintf("%s written to %s (%zu rows)", sheet, p, nrows);
            rc = job_event(&j, "worksheet.write", detail, err);
            free(detail);
        }
        rc = rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
    }
    job_free(&j);
    if (rc != BS_OK) {
        free(p);
        return rc;
    }
    *path_out = p;
    return BS_OK;
}

/* Which worksheet of the theme the file is: by the property bansou writes,
 * else by a sheet name whose headers match. */
static const bs_value *identify(bs_job *j, bs_xlsx *x, const char *file, size_t *index_out,
                                bs_err *err)
{
    const bs_value *model = job_model(j);
    const char *prop = xlsxr_property(x, XLSXW_ID_PROPERTY);
    if (prop) {
        // A workbook of several sheets names them all: the first is its owner.
        char *id = xstrndup(prop, strcspn(prop, ","));
        const bs_value *spec = worksheet_find(model, id, index_out);
        if (!spec) {
            bs_err_set(err, BS_EINPUT,
                       _("%s: this is the worksheet '%s', which theme '%s' does not use"),
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
    bs_err_set(err, BS_EINPUT,
               _("%s: not one of the worksheets of theme '%s' (see 'bansou worksheet %lld')"),
               file, value_get_str(j->e, "theme"), (long long)j->eng);
    return NULL;
}

static void push_problem(bs_value *problems, char *msg)
{
    value_push(problems, value_str(msg));
    free(msg);
}

/* For fixed rows: every given row back, and no other. */
static void check_fixed(bs_job *j, const bs_value *spec, size_t index, const bs_value *rows,
                        bs_value *problems, bs_err *err)
{
    const char *key = value_get_str(spec, "key");
    if (!key || !value_as_bool(value_get(spec, "fixed_rows"))) {
        return;
    }
    bs_value *given = NULL;
    if (job_sheet_rows(j, spec, index, true, &given, err) != BS_OK) {
        return;
    }
    const char *sheet = value_get_str(spec, "sheet");
    bs_value *missing = worksheet_missing_keys(key, given, rows);
    for (size_t i = 0; i < value_len(missing); i++) {
        push_problem(problems, xasprintf(_("%s: the row %s = %s is missing"), sheet, key,
                                         value_as_str(value_at(missing, i))));
    }
    value_free(missing);
    if (value_len(rows) > value_len(given)) {
        push_problem(problems, xasprintf(_("%s: %zu rows where the worksheet has %zu"), sheet,
                                         value_len(rows), value_len(given)));
    }
    value_free(given);
}

/* The spec's own `check` (docs/worksheet-format.md): what it finds wrong
 * across rows, each problem at its cell. */
int intake_refused(const bs_value *problems, size_t before, const char *file, bs_err *err)
{
    size_t n = value_len(problems) - before;
    if (n == 0) {
        return BS_OK;
    }
    return bs_err_set(err, BS_EINPUT,
                      ngettext("%zu problem in %s: nothing imported",
                               "%zu problems in %s: nothing imported", n),
                      n, file);
}

int intake_check_rows(bs_theme *th, const char *fn, const bs_value *spec, const bs_grid *g,
                      const bs_value *rows, bs_value *problems, bs_err *err)
{
    if (!theme_has_function(th, fn)) {
        return BS_OK;
    }
    bs_value *found = NULL;
    int rc = theme_call(th, fn, rows, &found, err);
    if (rc == BS_OK && value_type(found) != BS_VLIST && value_type(found) != BS_VNULL) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: %s must return a list"), theme_path(th), fn);
    }
    for (size_t k = 0; rc == BS_OK && k < value_len(found); k++) {
        const bs_value *p = value_at(found, k);
        char key[128];
        value_scalar_text(value_get(p, "row"), key, sizeof key);
        const char *msg = value_get_str(p, "message");
        char *at = worksheet_locate(spec, g, key, value_get_str(p, "column"));
        push_problem(problems, xasprintf("%s: %s", at ? at : value_get_str(spec, "sheet"),
                                         msg ? msg : "?"));
        free(at);
    }
    value_free(found);
    return rc;
}

static int check_rows(bs_job *j, const bs_value *spec, size_t index, const bs_grid *g,
                      const bs_value *rows, bs_value *problems, bs_err *err)
{
    char fn[64];
    snprintf(fn, sizeof fn, "worksheets.%zu.check", index);
    return intake_check_rows(j->th, fn, spec, g, rows, problems, err);
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

/* Reads every input sheet of the book from the file; problems collected. */
static int read_book(bs_job *j, bs_xlsx *x, const bs_value *const *specs, const size_t *index,
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
            push_problem(problems, xasprintf(_("%s: the sheet is missing from the file"), sheet));
            continue;
        }
        bs_grid *g = NULL;
        int rc = xlsxr_read_sheet(x, sheet, &g, err);
        if (rc != BS_OK) {
            return rc; // a broken or hostile file: nothing more to say about its cells
        }
        rc = worksheet_read(specs[i], g, xlsxr_date1904(x), &rows[i], &skipped[i], problems, err);
        if (rc == BS_OK) {
            check_fixed(j, specs[i], index[i], rows[i], problems, err);
        }
        if (rc == BS_OK) {
            rc = check_rows(j, specs[i], index[i], g, rows[i], problems, err);
        }
        xlsxr_grid_free(g);
        if (rc == BS_ESCRIPT) {
            return rc; // the theme's check failed: a theme's error, not the file's
        }
        bs_err_clear(err); // the problems say it
    }
    return BS_OK;
}

/* Stores the rows of every input sheet and logs each import with what
 * changed; one transaction. */
static int store_book(bs_job *j, const char *file, const bs_value *const *specs, size_t n,
                      bs_value **rows, bs_value **diffs, bs_err *err)
{
    bs_store *st = session_store(j->s);
    const bs_value *records = NULL;
    int rc = job_records(j, &records, err); // what was there, for the diff
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        if (!rows[i]) {
            continue;
        }
        const char *id = value_get_str(specs[i], "id");
        const bs_value *before = value_get(records, id);
        rc = store_records_replace(st, j->eng, id, rows[i], err);
        bs_buf detail = {0};
        bs_buf_printf(&detail, "%s: %zu rows from %s", id, value_len(rows[i]), file);
        if (before) {
            bs_buf_printf(&detail, " (replacing %zu)", value_len(before));
            diffs[i] = worksheet_diff(specs[i], before, rows[i]);
            diff_detail(&detail, diffs[i]);
        }
        if (rc == BS_OK) {
            rc = job_event(j, "worksheet.import", detail.s, err);
        }
        bs_buf_free(&detail);
    }
    if (rc != BS_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, err);
}

/* What was stored from sheet `spec`, for the caller. Takes `diff`. */
static bs_value *imported(const bs_value *spec, const bs_value *rows, size_t skipped,
                          bs_value *diff)
{
    bs_value *m = value_map();
    value_set_str(m, "sheet", value_get_str(spec, "id"));
    value_set_int(m, "rows", (int64_t)value_len(rows));
    value_set_int(m, "skipped", (int64_t)skipped);
    if (skipped) {
        const bs_value *skip = value_get(spec, "skip"), *cols = value_get(spec, "columns");
        long c = worksheet_column(cols, value_get_str(skip, "column"));
        value_set_str(m, "skip_header", value_get_str(value_at(cols, (size_t)c), "header"));
        value_set_str(m, "skip_equals", value_get_str(skip, "equals"));
    }
    value_set(m, "diff", diff ? diff : value_null());
    return m;
}

int intake_import(bs_session *s, int64_t eng, const char *file, bs_value **out,
                  bs_value *problems, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_xlsx *x = NULL;
    const bs_value *spec = NULL, *specs[JOB_BOOK_MAX] = {0};
    bs_value *rows[JOB_BOOK_MAX] = {0}, *diffs[JOB_BOOK_MAX] = {0};
    size_t index[JOB_BOOK_MAX], skipped[JOB_BOOK_MAX] = {0}, n = 0, first = 0;
    size_t before = value_len(problems);
    rc = xlsxr_open(file, &x, err);
    if (rc == BS_OK && !(spec = identify(&j, x, file, &first, err))) {
        rc = err->code;
    }
    if (rc == BS_OK) {
        rc = check_open(&j, spec, err); // a closed engagement's records stay as they were
    }
    if (rc == BS_OK) {
        rc = job_book(&j, spec, specs, index, &n, err);
    }
    if (rc == BS_OK && value_as_bool(value_get(specs[0], "output")) && n == 1) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: the worksheet '%s' is a result, not for import"),
                        file, value_get_str(specs[0], "id"));
    }
    if (rc == BS_OK) {
        rc = read_book(&j, x, specs, index, n, rows, skipped, problems, err);
    }
    if (value_len(problems) > before) {
        // The problems are in the list; the error sums them up.
        bs_err_clear(err);
        rc = intake_refused(problems, before, file, err);
    }
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        if (rows[i]) {
            rc = job_compute_columns(&j, specs[i], index[i], rows[i], err);
        }
    }
    if (rc == BS_OK) {
        rc = store_book(&j, file, specs, n, rows, diffs, err);
    }
    bs_value *result = rc == BS_OK ? value_list() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (result && rows[i]) {
            value_push(result, imported(specs[i], rows[i], skipped[i], diffs[i]));
            diffs[i] = NULL;
        }
        value_free(rows[i]);
        value_free(diffs[i]);
    }
    xlsxr_close(x);
    job_free(&j);
    if (rc == BS_OK) {
        *out = result;
    }
    return rc;
}

int intake_records(bs_session *s, int64_t eng, const char *sheet, bs_value **out, bs_err *err)
{
    bs_value *e = NULL, *records = NULL;
    int rc = store_engagement_get(session_store(s), eng, &e, err);
    if (rc == BS_OK) {
        rc = store_records_get(session_store(s), eng, &records, err);
    }
    value_free(e);
    if (rc != BS_OK) {
        return rc;
    }
    if (!sheet) {
        *out = records;
        return BS_OK;
    }
    bs_value *v = value_get(records, sheet);
    if (!v) {
        value_free(records);
        return bs_err_set(err, BS_ENOTFOUND, _("engagement %lld has no rows imported from '%s'"),
                          (long long)eng, sheet);
    }
    *out = value_copy(v);
    value_free(records);
    return BS_OK;
}
