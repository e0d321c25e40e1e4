/* Documents of an engagement (docs/documents.md): visit packs, visit
 * reports, final reports and schedules, declared by the theme in Lua. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "docx.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxw.h"

static bool held(const bs_value *v)
{
    const char *s = value_get_str(v, "state");
    return s && (strcmp(s, "held") == 0 || strcmp(s, "reported") == 0);
}

static bool ended(const cli_job *j)
{
    const char *s = value_get_str(j->e, "state");
    if (strcmp(s, "completed") == 0 || strcmp(s, "terminated") == 0) {
        return true;
    }
    const bs_value *vl = value_get(j->e, "visits");
    for (size_t i = 0; i < value_len(vl); i++) {
        if (!held(value_at(vl, i))) {
            return false;
        }
    }
    return value_len(vl) > 0;
}

/* Whether the document's data is there; a clear message when not. */
static int check_requires(const cli_job *j, const bs_value *doc, int n, bs_err *err)
{
    const char *req = value_get_str(doc, "requires");
    const bs_value *v = n > 0 ? workflow_visit(j->e, n) : NULL;
    if (n > 0 && !v) {
        return bs_err_set(err, BS_EINPUT, "engagement %lld has no visit %d", (long long)j->eng, n);
    }
    if (!req) {
        return BS_OK;
    }
    if (strcmp(req, "planned") == 0 && !value_get_str(v, "planned_date") &&
        !value_get_str(v, "held_date")) {
        return bs_err_set(err, BS_ESTATE,
                          "%s: visit %d has no date yet: plan it first (bansou visit plan %lld %d "
                          "--date YYYY-MM-DD)",
                          value_get_str(doc, "title"), n, (long long)j->eng, n);
    }
    if (strcmp(req, "held") == 0 && !held(v)) {
        return bs_err_set(err, BS_ESTATE, "%s: visit %d has not been held: nothing to report yet",
                          value_get_str(doc, "title"), n);
    }
    if (strcmp(req, "ended") == 0 && !ended(j)) {
        return bs_err_set(err, BS_ESTATE,
                          "%s: the engagement has not ended: hold every visit, or terminate it "
                          "with a reason",
                          value_get_str(doc, "title"));
    }
    return BS_OK;
}

/* Whether the worksheets the document is built from were imported. */
static int check_needs(const cli_job *j, const bs_value *doc, bs_err *err)
{
    const bs_value *needs = value_get(doc, "needs");
    for (size_t i = 0; i < value_len(needs); i++) {
        const char *id = value_as_str(value_at(needs, i));
        if (value_len(value_get(value_get(j->ctx, "records"), id))) {
            continue;
        }
        size_t index;
        const bs_value *spec = worksheet_find(theme_model(j->th), id, &index);
        return bs_err_set(err, BS_ESTATE,
                          "%s: needs the worksheet %s (%s) filled in and imported: write it with "
                          "'bansou worksheet %lld %s', then 'bansou import %lld FILE'",
                          value_get_str(doc, "title"), id,
                          spec ? value_get_str(spec, "title") : "not in the theme",
                          (long long)j->eng, id, (long long)j->eng);
    }
    return BS_OK;
}

/* Whether document `doc` can be written for visit `n` now. */
static int check_gates(const cli_job *j, const bs_value *doc, int n, bs_err *err)
{
    int rc = check_requires(j, doc, n, err);
    return rc == BS_OK ? check_needs(j, doc, err) : rc;
}

static bool applies(const bs_value *doc, int n)
{
    const bs_value *vis = value_get(doc, "visits");
    if (!vis) {
        return true;
    }
    for (size_t i = 0; i < value_len(vis); i++) {
        if (value_as_int(value_at(vis, i)) == n) {
            return true;
        }
    }
    return false;
}

/* The file name with {n} replaced by the visit number. Owned. */
static char *file_name(const bs_value *doc, int n)
{
    const char *f = value_get_str(doc, "file");
    bs_buf b = {0};
    for (const char *p = f ? f : "document.docx"; *p; p++) {
        if (strncmp(p, "{n}", 3) == 0) {
            bs_buf_printf(&b, "%d", n);
            p += 2;
        } else if (*p == '/' || (unsigned char)*p < 0x20) {
            bs_buf_puts(&b, "_");
        } else {
            bs_buf_add(&b, p, 1);
        }
    }
    return bs_buf_take(&b);
}

static int write_worksheet(cli_job *j, const char *id, const char *path, bs_err *err)
{
    const bs_value *spec = NULL;
    size_t index = 0;
    int rc = cli_job_spec(j, id, &spec, &index, err);
    return rc == BS_OK ? cli_write_book(j, spec, false, path, NULL, err) : rc;
}

static int write_template(cli_ctx *ctx, cli_job *j, const bs_value *doc, size_t index,
                          const char *path, bs_err *err)
{
    char fn[64];
    snprintf(fn, sizeof fn, "documents.%zu.context", index);
    bs_value *data = NULL;
    int rc = theme_call(j->th, fn, j->ctx, &data, err);
    const char *tname = value_get_str(doc, "template");
    bs_theme_path tp;
    bs_path_store tps;
    workspace_template_path(ctx->ws->dir, &tp, &tps);
    char *tpath = NULL;
    for (int i = 0; tname && i < tp.n && !tpath; i++) {
        char *p = xasprintf("%s/%s", tp.dirs[i], tname);
        if (bs_file_exists(p)) {
            tpath = p;
        } else {
            free(p);
        }
    }
    if (rc == BS_OK && !tpath) {
        rc = bs_err_set(err, BS_ENOTFOUND, "no template '%s' in %s", tname ? tname : "(none given)",
                        tp.dirs[0]);
    }
    workspace_path_free(&tps);
    bs_docx *t = NULL;
    if (rc == BS_OK) {
        rc = docx_open(tpath, &t, err);
    }
    if (rc == BS_OK) {
        bs_value *warnings = value_list();
        bs_docx_opts o = {.warnings = warnings};
        rc = docx_render(t, data, &o, path, err);
        for (size_t i = 0; i < value_len(warnings); i++) {
            fprintf(stderr, "bansou: warning: %s: %s\n", tname, value_as_str(value_at(warnings, i)));
        }
        value_free(warnings);
    }
    docx_free(t);
    free(tpath);
    value_free(data);
    return rc;
}

static int write_schedule(cli_job *j, size_t index, const char *path, bs_err *err)
{
    char fn[64];
    snprintf(fn, sizeof fn, "documents.%zu.context", index);
    bs_value *data = NULL;
    int rc = theme_call(j->th, fn, j->ctx, &data, err);
    if (rc == BS_OK) {
        bs_value *groups = value_list();
        bs_value *g = value_map();
        value_set_str(g, "title", value_get_str(data, "title"));
        value_set(g, "rows", value_copy(value_get(data, "rows")));
        value_push(groups, g);
        rc = xlsxw_gantt(value_get_str(data, "title"), groups, value_get_str(j->ctx, "today"), path,
                         err);
        value_free(groups);
    }
    value_free(data);
    return rc;
}

/* Writes document number `index` (1-based) of the theme for visit `n` (0:
 * none) and records it. */
static int generate_one(cli_ctx *ctx, cli_job *j, size_t index, int n, bs_err *err)
{
    const bs_value *doc = value_at(value_get(theme_model(j->th), "documents"), index - 1);
    int rc = check_gates(j, doc, n, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *role = value_get_str(doc, "role");
    // The visit as ctx.visits has it (with the ids of its ticked items).
    const bs_value *vl = value_get(j->ctx, "visits"), *v = NULL;
    for (size_t i = 0; n > 0 && i < value_len(vl); i++) {
        if (value_as_int(value_get(value_at(vl, i), "n")) == n) {
            v = value_at(vl, i);
        }
    }
    value_set(j->ctx, "visit", v ? value_copy(v) : value_null());
    value_set(j->ctx, "step", n > 0 ? value_copy(value_at(value_get(j->ctx, "steps"), (size_t)n - 1))
                                    : value_null());
    char sub[32];
    const char *subdir = NULL;
    if (role && strcmp(role, "final") == 0) {
        subdir = "final";
    } else if (n > 0) {
        snprintf(sub, sizeof sub, "visit-%d", n);
        subdir = sub;
    }
    char *dir = cli_out_dir(ctx, j, subdir, err);
    if (!dir) {
        return err->code;
    }
    char *name = file_name(doc, n);
    char *path = xasprintf("%s/%s", dir, name);
    const char *ws = value_get_str(doc, "worksheet");
    if (ws) {
        rc = write_worksheet(j, ws, path, err);
    } else if (role && strcmp(role, "schedule") == 0) {
        rc = write_schedule(j, index, path, err);
    } else {
        rc = write_template(ctx, j, doc, index, path, err);
    }
    if (rc != BS_OK) {
        bs_err_prefix(err, "%s", value_get_str(doc, "id"));
    }
    char sha[65];
    if (rc == BS_OK) {
        rc = bs_sha256_file(path, sha, err);
    }
    if (rc == BS_OK) {
        bs_value *rec = value_map();
        value_set_str(rec, "path", path);
        value_set_str(rec, "doc", value_get_str(doc, "id"));
        value_set_str(rec, "title", value_get_str(doc, "title"));
        value_set(rec, "visit", n > 0 ? value_int(n) : value_null());
        value_set_str(rec, "template", ws ? ws : value_get_str(doc, "template"));
        value_set_str(rec, "sha256", sha);
        rc = store_begin(ctx->ws->st, err);
        if (rc == BS_OK) {
            rc = store_document_put(ctx->ws->st, j->eng, rec, err);
        }
        if (rc == BS_OK) {
            char *detail = xasprintf("%s: %s", value_get_str(doc, "id"), path);
            rc = store_event_add(ctx->ws->st, ctx->actor, value_as_int(value_get(j->e, "company_id")),
                                 j->eng, "document.generate", detail, err);
            free(detail);
        }
        rc = rc == BS_OK ? store_commit(ctx->ws->st, err) : (store_rollback(ctx->ws->st), rc);
        value_free(rec);
    }
    if (rc == BS_OK) {
        printf("%s\n", path);
    }
    free(path);
    free(name);
    free(dir);
    return rc;
}

/* Writes the documents of `role` (NULL: every role) for visit `n` (0: every
 * visit the documents apply to). With `skip`, documents whose data is not
 * there yet are passed over instead of failing. Sets *count. */
static int generate(cli_ctx *ctx, cli_job *j, const char *role, int n, const char *only, bool skip,
                    size_t *count, bs_err *err)
{
    const bs_value *docs = value_get(theme_model(j->th), "documents");
    size_t nvisits = value_len(value_get(j->e, "visits"));
    int rc = BS_OK;
    *count = 0;
    // Without `skip`, all or nothing: every gate is passed before any file is written.
    for (int pass = skip ? 1 : 0; pass < 2 && rc == BS_OK; pass++) {
        for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
            const bs_value *doc = value_at(docs, i);
            const char *r = value_get_str(doc, "role");
            // A theme replaces a common document by listing its own with the
            // same id later in its list: the last one wins.
            bool replaced = false;
            for (size_t k = i + 1; k < value_len(docs) && !replaced; k++) {
                const char *a = value_get_str(doc, "id");
                const char *b = value_get_str(value_at(docs, k), "id");
                replaced = a && b && strcmp(a, b) == 0;
            }
            if (replaced) {
                continue;
            }
            if ((role && (!r || strcmp(r, role) != 0)) ||
                (only && strcmp(only, value_get_str(doc, "id")) != 0)) {
                continue;
            }
            bool per_visit = r && (strcmp(r, "pack") == 0 || strcmp(r, "report") == 0);
            for (size_t k = 1; rc == BS_OK && k <= (per_visit ? nvisits : 1); k++) {
                int visit = per_visit ? (int)k : 0;
                if (per_visit && ((n && visit != n) || !applies(doc, visit))) {
                    continue;
                }
                if (pass == 0) {
                    rc = check_gates(j, doc, visit, err);
                    continue;
                }
                bs_err e = {0};
                rc = generate_one(ctx, j, i + 1, visit, &e);
                if (rc == BS_ESTATE && skip) {
                    if (count && *count == 0) {
                        bs_err_clear(err);
                        bs_err_set(err, e.code, "%s", e.msg); // why nothing could be written
                    }
                    rc = BS_OK;
                    continue;
                }
                if (rc != BS_OK) {
                    bs_err_set(err, e.code, "%s", e.msg);
                } else {
                    (*count)++;
                }
            }
        }
    }
    return rc;
}

static int run_generate(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    int64_t n = 0;
    if (rc == BS_OK && cli_opt_val(a, "visit")) {
        rc = cli_parse_id(cli_opt_val(a, "visit"), "--visit", &n, err);
    }
    size_t count = 0;
    if (rc == BS_OK) {
        rc = generate(ctx, &j, NULL, (int)n, cli_opt_val(a, "only"), true, &count, err);
    }
    if (rc == BS_OK && count == 0) {
        // Nothing could be written: say why (the last document passed over).
        rc = err->code ? err->code
                       : bs_err_set(err, BS_ENOTFOUND, "no document '%s' in theme '%s'",
                                    cli_opt_val(a, "only") ? cli_opt_val(a, "only") : "",
                                    value_get_str(j.e, "theme"));
    } else if (rc == BS_OK) {
        bs_err_clear(err);
    }
    cli_job_free(&j);
    return rc;
}

static int visit_number(const cli_args *a, int64_t *n, bs_err *err)
{
    int rc = cli_parse_id(a->pos[1], "N", n, err);
    if (rc == BS_OK && *n > 99) {
        rc = bs_err_set(err, BS_EINPUT, "N: %lld is not a visit number", (long long)*n);
    }
    return rc;
}

static int run_prepare(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int64_t n = 0;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    if (rc == BS_OK) {
        rc = visit_number(a, &n, err);
    }
    size_t count = 0;
    if (rc == BS_OK) {
        rc = generate(ctx, &j, "pack", (int)n, NULL, false, &count, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_prepared(ctx->ws->st, ctx->actor, j.eng, (int)n, err);
    }
    cli_job_free(&j);
    return rc;
}

static int run_report(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int64_t n = 0;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    if (rc == BS_OK) {
        rc = visit_number(a, &n, err);
    }
    const char *state = rc == BS_OK ? value_get_str(j.e, "state") : NULL;
    if (state && (strcmp(state, "completed") == 0 || strcmp(state, "terminated") == 0)) {
        rc = bs_err_set(err, BS_ESTATE, "engagement %lld is %s: no further changes",
                        (long long)j.eng, state);
    }
    const bs_value *v = rc == BS_OK ? workflow_visit(j.e, (int)n) : NULL;
    if (rc == BS_OK && v && !held(v)) {
        rc = bs_err_set(err, BS_ESTATE, "visit %lld has not been held: nothing to report", (long long)n);
    }
    if (rc == BS_OK && v && strcmp(value_get_str(v, "state"), "reported") == 0) {
        rc = bs_err_set(err, BS_ESTATE, "visit %lld was reported on %s already", (long long)n,
                        value_get_str(v, "reported_at"));
    }
    size_t count = 0;
    if (rc == BS_OK && v) {
        rc = generate(ctx, &j, "report", (int)n, NULL, false, &count, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_report(ctx->ws->st, ctx->actor, j.eng, (int)n, err);
    }
    if (rc == BS_OK) {
        printf("engagement %lld: visit %lld report submitted\n", (long long)j.eng, (long long)n);
    }
    cli_job_free(&j);
    return rc;
}

static int run_final(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    cli_job j;
    int rc = cli_job_open(ctx, a->pos[0], &j, err);
    size_t count = 0;
    if (rc == BS_OK) {
        rc = generate(ctx, &j, "final", 0, NULL, false, &count, err);
    }
    if (rc == BS_OK && count == 0) {
        rc = bs_err_set(err, BS_ENOTFOUND, "theme '%s' declares no final report",
                        value_get_str(j.e, "theme"));
    }
    cli_job_free(&j);
    return rc;
}

static int run_schedule(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    if (!cli_flag(a, "all")) {
        if (a->npos != 1) {
            return bs_err_set(err, BS_EUSAGE, "schedule: give ENG, or --all");
        }
        cli_job j;
        int rc = cli_job_open(ctx, a->pos[0], &j, err);
        size_t count = 0;
        if (rc == BS_OK) {
            rc = generate(ctx, &j, "schedule", 0, NULL, false, &count, err);
        }
        if (rc == BS_OK && count == 0) {
            rc = bs_err_set(err, BS_ENOTFOUND, "theme '%s' declares no schedule",
                            value_get_str(j.e, "theme"));
        }
        cli_job_free(&j);
        return rc;
    }
    // Every engagement on one sheet, for the secretariat.
    bs_value *list = NULL, *groups = value_list();
    int rc = store_engagement_list(ctx->ws->st, &list, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(list); i++) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)value_as_int(value_get(value_at(list, i), "id")));
        cli_job j;
        rc = cli_job_open(ctx, id, &j, err);
        const bs_value *docs = rc == BS_OK ? value_get(theme_model(j.th), "documents") : NULL;
        for (size_t k = 0; rc == BS_OK && k < value_len(docs); k++) {
            const char *role = value_get_str(value_at(docs, k), "role");
            if (!role || strcmp(role, "schedule") != 0) {
                continue;
            }
            char fn[64];
            snprintf(fn, sizeof fn, "documents.%zu.context", k + 1);
            bs_value *data = NULL;
            rc = theme_call(j.th, fn, j.ctx, &data, err);
            if (rc == BS_OK && value_len(value_get(data, "rows"))) {
                bs_value *g = value_map();
                char *title = xasprintf("%s（%s・%s）", value_get_str(j.e, "company_name"),
                                        value_get_str(j.e, "theme"), value_get_str(j.e, "expert_name"));
                value_set_str(g, "title", title);
                free(title);
                value_set(g, "rows", value_copy(value_get(data, "rows")));
                value_push(groups, g);
            }
            value_free(data);
            break;
        }
        cli_job_free(&j);
    }
    char today[11];
    bs_date_today(today);
    char *path = NULL;
    if (rc == BS_OK) {
        path = cli_opt_val(a, "output") ? xstrdup(cli_opt_val(a, "output"))
                                        : xasprintf("%s/out/全体スケジュール.xlsx", ctx->ws->dir);
        rc = xlsxw_gantt("マネジメント指導 全体スケジュール", groups, today, path, err);
    }
    if (rc == BS_OK) {
        printf("%s\n", path);
    }
    free(path);
    value_free(groups);
    value_free(list);
    return rc;
}

static int run_documents(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    bs_value *e = NULL, *docs = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK) {
        rc = store_engagement_get(ctx->ws->st, eng, &e, err);
    }
    if (rc == BS_OK) {
        rc = store_document_list(ctx->ws->st, eng, &docs, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
        bs_value *d = value_at(docs, i);
        const char *path = value_get_str(d, "path");
        char sha[65];
        bs_err se = {0};
        const char *state = !bs_file_exists(path) ? "missing"
                            : bs_sha256_file(path, sha, &se) != BS_OK ? "unreadable"
                            : strcmp(sha, value_get_str(d, "sha256")) == 0 ? "ok"
                                                                          : "edited";
        value_set_str(d, "status", state);
    }
    if (rc == BS_OK) {
        if (cli_flag(a, "json")) {
            cli_print_json(docs);
        } else {
            static const char *const h[] = {"訪問", "書類", "状態", "作成", "ファイル", NULL};
            bs_value *t = value_list();
            for (size_t i = 0; i < value_len(docs); i++) {
                const bs_value *d = value_at(docs, i);
                bs_value *r = value_list();
                const bs_value *vn = value_get(d, "visit");
                char *vs = value_type(vn) == BS_VINT ? xasprintf("%lld", (long long)value_as_int(vn))
                                                     : xstrdup("-");
                value_push(r, value_str(vs));
                free(vs);
                value_push(r, value_str(value_get_str(d, "title")));
                value_push(r, value_str(value_get_str(d, "status")));
                value_push(r, value_str(value_get_str(d, "generated_at")));
                value_push(r, value_str(value_get_str(d, "path")));
                value_push(t, r);
            }
            cli_print_table(h, t);
            value_free(t);
        }
    }
    value_free(docs);
    value_free(e);
    return rc;
}

static const cli_opt generate_opts[] = {
    {"visit", "N", "only the documents of visit N", 0},
    {"only", "ID", "only the document ID (see the theme's documents)", 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt json_opts[] = {
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt schedule_opts[] = {
    {"all", NULL, "every engagement on one sheet, for the secretariat", 0},
    {"output", "FILE", "with --all: where to write (default out/全体スケジュール.xlsx)", 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_docs_cmds[] = {
    {"generate", "ENG", "write every document of an engagement whose data is there",
     "Files go to out/<company>/<theme>/visit-<n>/ (final reports to final/) and are\n"
     "recorded with their sha256; generating again gives the same files.",
     1, 1, true, generate_opts, run_generate},
    {"documents", "ENG", "list the documents written, and which were edited since", NULL, 1, 1,
     true, json_opts, run_documents},
    {"visit prepare", "ENG N", "write the pack for visit N (plan, requests, hearing sheet, worksheets)",
     NULL, 2, 2, true, NULL, run_prepare},
    {"visit report", "ENG N", "write visit N's report for the secretariat and mark it submitted",
     "The visit must have been held.", 2, 2, true, NULL, run_report},
    {"engagement final-report", "ENG", "write the final report (all visits held, or ended)", NULL,
     1, 1, true, NULL, run_final},
    {"schedule", "[ENG]", "write the Gantt schedule of an engagement (or --all)", NULL, 0, 1, true,
     schedule_opts, run_schedule},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
