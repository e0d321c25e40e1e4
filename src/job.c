#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "job.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxw.h"

void job_free(bs_job *j)
{
    value_free(j->e);
    value_free(j->ctx);
    *j = (bs_job){0}; // safe to free again
}

const bs_value *job_model(const bs_job *j)
{
    return theme_model(j->th);
}

int job_event(const bs_job *j, const char *kind, const char *detail, bs_err *err)
{
    return store_event_add(session_store(j->s), session_actor(j->s),
                           value_as_int(value_get(j->e, "company_id")), j->eng, kind, detail,
                           err);
}

/* Copies the keys of `from` listed in `keys` into a new map (missing ones
 * null). */
static bs_value *pick(const bs_value *from, const char *const *keys)
{
    bs_value *m = value_map();
    for (const char *const *k = keys; *k; k++) {
        const bs_value *v = value_get(from, *k);
        value_set(m, *k, v ? value_copy(v) : value_null());
    }
    return m;
}

/* The context the theme's functions see, but for the records (job_records).
 * Takes company, expert and tasks. */
static bs_value *context(const bs_job *j, bs_value *company, bs_value *expert, bs_value *tasks)
{
    const bs_value *m = theme_model(j->th);
    bs_value *ctx = value_map();
    value_set(ctx, "company", company);
    value_set(ctx, "expert", expert);
    static const char *const ekeys[] = {"id",       "state",      "reason", "variant",
                                        "ended_on", "findings", "created_at", NULL};
    value_set(ctx, "engagement", pick(j->e, ekeys));
    value_set(ctx, "variants", workflow_variants(m, company, value_get_str(j->e, "variant")));
    static const char *const tkeys[] = {"id", "number", "title", "base", "audience", "effect",
                                        "goals", NULL};
    value_set(ctx, "theme", pick(m, tkeys));
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
    value_set(ctx, "visits", visits);
    value_free(tasks);
    bs_value *wl = value_list();
    const bs_value *ws = value_get(m, "worksheets");
    static const char *const wkeys[] = {"id", "title", "file", NULL};
    for (size_t i = 0; i < value_len(ws); i++) {
        value_push(wl, pick(value_at(ws, i), wkeys));
    }
    value_set(ctx, "worksheets", wl);
    char today[11];
    bs_date_today(today);
    value_set_str(ctx, "today", today);
    return ctx;
}

int job_open(bs_session *s, int64_t eng, bs_job *j, bs_err *err)
{
    *j = (bs_job){.s = s, .eng = eng};
    bs_store *st = session_store(s);
    int rc = store_engagement_get(st, eng, &j->e, err);
    if (rc == BS_OK) {
        rc = session_theme(s, value_get_str(j->e, "theme"), &j->th, err);
    }
    bs_value *company = NULL, *expert = NULL, *tasks = NULL;
    char id[32];
    if (rc == BS_OK) {
        snprintf(id, sizeof id, "%lld", (long long)value_as_int(value_get(j->e, "company_id")));
        rc = store_company_get(st, id, &company, err);
    }
    if (rc == BS_OK) {
        snprintf(id, sizeof id, "%lld", (long long)value_as_int(value_get(j->e, "expert_id")));
        rc = store_expert_get(st, id, &expert, err);
    }
    if (rc == BS_OK) {
        rc = store_task_list(st, eng, value_get_str(j->e, "theme"), &tasks, err);
    }
    if (rc != BS_OK) {
        value_free(company);
        value_free(expert);
        job_free(j);
        return rc;
    }
    j->ctx = context(j, company, expert, tasks);
    return BS_OK;
}

/* The theme's syllabus into the context, once: a copy, which most calls
 * do not need. */
static void load_steps(bs_job *j)
{
    if (!value_get(j->ctx, "steps")) {
        value_set(j->ctx, "steps", value_copy(value_get(job_model(j), "steps")));
    }
}

/* Reads both kinds of records into the context, once. */
static int load_records(bs_job *j, bs_err *err)
{
    if (value_get(j->ctx, "records")) {
        return BS_OK;
    }
    bs_store *st = session_store(j->s);
    bs_value *records = NULL, *others = NULL;
    int rc = store_records_get(st, j->eng, &records, err);
    if (rc == BS_OK) {
        rc = store_company_records(st, value_as_int(value_get(j->e, "company_id")), j->eng, &others,
                                   err);
    }
    if (rc != BS_OK) {
        value_free(records);
        return rc;
    }
    value_set(j->ctx, "records", records);
    value_set(j->ctx, "company_records", others);
    return BS_OK;
}

int job_records(bs_job *j, const bs_value **out, bs_err *err)
{
    int rc = load_records(j, err);
    if (rc == BS_OK) {
        *out = value_get(j->ctx, "records");
    }
    return rc;
}

/* The engagement's documents on record into the context, once: `doc`,
 * `title`, `role` (the theme's, null for one it no longer declares),
 * `visit`, `file` (the name) and `exists` (the file is there). */
static int load_documents(bs_job *j, bs_err *err)
{
    bs_value *docs = NULL;
    int rc = store_document_list(session_store(j->s), j->eng, &docs, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *out = value_list();
    for (size_t i = 0; i < value_len(docs); i++) {
        const bs_value *d = value_at(docs, i);
        if (value_get_str(d, "kind")) {
            continue; // a PDF of one listed already
        }
        const char *path = value_get_str(d, "path");
        const char *slash = path ? strrchr(path, '/') : NULL;
        bs_value *m = value_map();
        value_set_str(m, "doc", value_get_str(d, "doc"));
        value_set_str(m, "title", value_get_str(d, "title"));
        const char *role = NULL;
        const bs_value *decl = value_get(job_model(j), "documents");
        for (size_t k = 0; k < value_len(decl); k++) {
            const char *id = value_get_str(value_at(decl, k), "id");
            if (id && strcmp(id, value_get_str(d, "doc")) == 0) {
                role = value_get_str(value_at(decl, k), "role"); // the last one wins
            }
        }
        value_set_str(m, "role", role);
        const bs_value *visit = value_get(d, "visit");
        value_set(m, "visit", visit ? value_copy(visit) : value_null());
        value_set_str(m, "file", slash ? slash + 1 : path);
        value_set_bool(m, "exists", path && bs_file_exists(path));
        value_push(out, m);
    }
    value_free(docs);
    value_set(j->ctx, "documents", out);
    return BS_OK;
}

static int fetch(void *ud, const char *key, bs_err *err)
{
    if (strcmp(key, "steps") == 0) {
        load_steps(ud);
        return BS_OK;
    }
    if (strcmp(key, "documents") == 0) {
        bs_job *j = ud;
        return value_get(j->ctx, "documents") ? BS_OK : load_documents(j, err);
    }
    return load_records(ud, err); // both kinds at once
}

int job_documents_reload(bs_job *j, bs_err *err)
{
    return value_get(j->ctx, "documents") ? load_documents(j, err) : BS_OK;
}

int job_call(bs_job *j, const char *fn, bs_value **out, bs_err *err)
{
    static const char *const keys[] = {"records", "company_records", "steps", "documents", NULL};
    theme_deferred d = {.keys = keys, .fetch = fetch, .ud = j};
    return theme_call_deferred(j->th, fn, j->ctx, &d, out, err);
}

int job_spec(bs_job *j, const char *id, const bs_value **spec_out, size_t *index_out,
             bs_err *err)
{
    const bs_value *spec = worksheet_find(theme_model(j->th), id, index_out);
    if (!spec) {
        bs_buf known = {0};
        const bs_value *ws = value_get(theme_model(j->th), "worksheets");
        for (size_t i = 0; i < value_len(ws); i++) {
            bs_buf_printf(&known, "%s%s", i ? ", " : "", value_get_str(value_at(ws, i), "id"));
        }
        int rc = bs_err_set(err, BS_ENOTFOUND, _("theme '%s' has no worksheet '%s' (it has: %s)"),
                            value_get_str(j->e, "theme"), id, known.s ? known.s : _("none"));
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

int job_book(bs_job *j, const bs_value *spec, const bs_value **specs, size_t *index, size_t *n,
             bs_err *err)
{
    const bs_value *owner = worksheet_book_owner(theme_model(j->th), spec);
    const bs_value *book = value_get(owner, "book");
    *n = 0;
    int rc = job_spec(j, value_get_str(owner, "id"), &specs[0], &index[0], err);
    for (size_t i = 0; rc == BS_OK && i < value_len(book) && i + 1 < JOB_BOOK_MAX; i++) {
        rc = job_spec(j, value_as_str(value_at(book, i)), &specs[i + 1], &index[i + 1], err);
        *n = i + 1;
    }
    *n = rc == BS_OK ? *n + 1 : 0;
    return rc;
}

int job_compute_columns(bs_job *j, const bs_value *spec, size_t index, bs_value *rows,
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

int job_sheet_rows(bs_job *j, const bs_value *spec, size_t index, bool blank, bs_value **out,
                   bs_err *err)
{
    const char *id = value_get_str(spec, "id");
    const bs_value *records = NULL;
    int rc = blank ? BS_OK : job_records(j, &records, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *imported = value_get(records, id);
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
    rc = job_call(j, path, &rows, err);
    if (rc == BS_OK && value_type(rows) != BS_VLIST) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: worksheets[%zu].rows must return a list"),
                        theme_path(j->th), index);
    }
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *out = rows;
    return BS_OK;
}

int job_write_book(bs_job *j, const bs_value *spec, bool blank, const char *path,
                   size_t *rows_out, bs_err *err)
{
    const bs_value *specs[JOB_BOOK_MAX];
    size_t index[JOB_BOOK_MAX], n = 0;
    xlsxw_sheet sheets[JOB_BOOK_MAX] = {{0}};
    bs_value *rows[JOB_BOOK_MAX] = {0}, *fields[JOB_BOOK_MAX] = {0};
    int rc = job_book(j, spec, specs, index, &n, err);
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        rc = job_sheet_rows(j, specs[i], index[i], blank, &rows[i], err);
        if (rc == BS_OK) {
            rc = job_compute_columns(j, specs[i], index[i], rows[i], err);
        }
        fields[i] = worksheet_fields(specs[i], j->ctx);
        // A field whose value is a function gets what it returns (a date
        // printed as the theme prints dates, docs/worksheet-format.md).
        for (size_t k = 0; rc == BS_OK && k < value_len(fields[i]); k++) {
            char fn[96];
            snprintf(fn, sizeof fn, "worksheets.%zu.fields.%zu.value", index[i], k + 1);
            bs_value *v = NULL;
            if (theme_has_function(j->th, fn) && (rc = job_call(j, fn, &v, err)) == BS_OK) {
                value_set(value_at(fields[i], k), "value", v);
            }
        }
        sheets[i] = (xlsxw_sheet){specs[i], fields[i], rows[i], value_get_str(j->e, "company_name")};
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

char *job_out_path(bs_job *j, const char *sub, const char *file, bs_err *err)
{
    return job_out_file(j, sub, file, true, err);
}

char *job_out_file(bs_job *j, const char *sub, const char *file, bool create, bs_err *err)
{
    const char *why = bs_plain_name_problem(file);
    if (why) {
        char *shown = bs_visible(file ? file : "");
        bs_err_set(err, BS_ESCRIPT, _("%s: '%s' is not a plain file name: %s"), theme_path(j->th),
                   shown, why);
        free(shown);
        return NULL;
    }
    char *folder = workflow_company_folder(value_as_int(value_get(j->e, "company_id")),
                                           value_get_str(j->e, "company_name"));
    const char *ws = session_dir(j->s), *theme = value_get_str(j->e, "theme");
    char *dir = sub ? xasprintf("%s/out/%s/%s/%s", ws, folder, theme, sub)
                    : xasprintf("%s/out/%s/%s", ws, folder, theme);
    free(folder);
    if (create && bs_mkdir_p(dir, 0700, err) != BS_OK) {
        free(dir);
        return NULL;
    }
    char *path = xasprintf("%s/%s", dir, file);
    free(dir);
    return path;
}

/* `path` as the user knows it: below the workspace, from out/ on. */
static const char *shown_path(const bs_session *s, const char *path)
{
    const char *ws = session_dir(s);
    size_t n = strlen(ws);
    return strncmp(path, ws, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* PATH with ".edited-DATE" before its extension (and "-2", "-3", … when
 * that name is taken): the name an edited file is kept under. Owned. */
static char *kept_name(const char *path, const char *today)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    size_t stem = dot && dot != (slash ? slash + 1 : path) ? (size_t)(dot - path) : strlen(path);
    const char *ext = path + stem;
    char *name = xasprintf("%.*s.edited-%s%s", (int)stem, path, today, ext);
    for (int k = 2; bs_file_exists(name); k++) {
        free(name);
        name = xasprintf("%.*s.edited-%s-%d%s", (int)stem, path, today, k, ext);
    }
    return name;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int job_keep_edited(bs_job *j, const bs_value *paths, bool force, bs_err *err)
{
    bs_value *docs = NULL;
    int rc = value_len(paths) ? store_document_list(session_store(j->s), j->eng, &docs, err)
                              : BS_OK;
    if (rc == BS_OK) {
        rc = job_keep_recorded(j->s, value_as_int(value_get(j->e, "company_id")), j->eng, docs,
                               paths, force, err);
    }
    value_free(docs);
    return rc;
}

int job_keep_recorded(bs_session *s, int64_t company, int64_t eng, const bs_value *docs,
                      const bs_value *paths, bool force, bs_err *err)
{
    int rc = BS_OK;
    bs_value *edited = value_list();
    for (size_t i = 0; rc == BS_OK && i < value_len(paths); i++) {
        const char *path = value_as_str(value_at(paths, i));
        bool seen = false;
        for (size_t k = 0; k < value_len(edited) && !seen; k++) {
            seen = strcmp(value_as_str(value_at(edited, k)), path) == 0;
        }
        for (size_t k = 0; !seen && k < value_len(docs); k++) {
            const bs_value *d = value_at(docs, k);
            char sha[65];
            bs_err se = {0};
            // A file deleted is written again; one unreadable is left to the writer.
            if (strcmp(value_get_str(d, "path"), path) == 0 && bs_file_exists(path) &&
                bs_sha256_file(path, sha, &se) == BS_OK &&
                strcmp(sha, value_get_str(d, "sha256")) != 0) {
                value_push(edited, value_str(path));
                break;
            }
        }
    }
    char today[11];
    bs_date_today(today);
    size_t n = value_len(edited);
    if (rc == BS_OK && n && !force) {
        // Nothing is written: every edited file is named, in one line.
        bs_buf names = {0};
        for (size_t i = 0; i < n; i++) {
            /* TRANSLATORS: between the last two of the edited files named. */
            bs_buf_printf(&names, "%s%s", i == 0 ? "" : i + 1 == n ? _(" and ") : ", ",
                          shown_path(s, value_as_str(value_at(edited, i))));
        }
        char *kept = kept_name(value_as_str(value_at(edited, 0)), today);
        if (n == 1) {
            rc = bs_err_set(err, BS_ESTATE,
                            _("%s was edited since it was written: keep your copy elsewhere, or "
                              "give --force to keep it as %s and write it anew"),
                            names.s, base_name(kept));
        } else {
            rc = bs_err_set(err, BS_ESTATE,
                            _("%s were edited since they were written: keep your copies elsewhere, "
                              "or give --force to keep each under a dated name (%s) and write them "
                              "anew"),
                            names.s, base_name(kept));
        }
        free(kept);
        bs_buf_free(&names);
    }
    // With --force each edited file is kept beside itself first, and logged.
    bs_store *st = session_store(s);
    if (rc == BS_OK && n) {
        rc = store_begin(st, err);
    }
    for (size_t i = 0; rc == BS_OK && force && i < n; i++) {
        const char *path = value_as_str(value_at(edited, i));
        char *kept = kept_name(path, today);
        if (rename(path, kept) != 0) {
            rc = bs_err_set(err, BS_EIO, _("%s: cannot keep it as %s: %s"), shown_path(s, path),
                            base_name(kept), strerror(errno));
        }
        if (rc == BS_OK) {
            char *detail = xasprintf("%s was edited since it was written: kept as %s",
                                     shown_path(s, path), shown_path(s, kept));
            rc = store_event_add(st, session_actor(s), company, eng, "document.keep", detail, err);
            free(detail);
        }
        free(kept);
    }
    if (n && force) {
        rc = rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
    }
    value_free(edited);
    return rc;
}
