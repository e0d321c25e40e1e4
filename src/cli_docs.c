/* Documents of an engagement (docs/documents.md): visit packs, visit
 * reports, final reports and schedules, declared by the theme in Lua and
 * written by produce.c; all of them for every engagement (batch.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "cli_int.h"
#include "i18n.h"
#include "produce.h"
#include "util.h"

/* Runs a produce_* call's output through: the paths written, the warnings. */
static int written_out(int rc, bs_value *written, bs_value *warnings)
{
    cli_print_paths(written);
    cli_print_warnings(warnings);
    value_free(written);
    value_free(warnings);
    return rc;
}

static int print_plan(cli_ctx *ctx, int64_t eng, int n, const cli_args *a, bs_err *err)
{
    bs_value *plan = NULL;
    int rc = produce_plan(ctx->s, eng, n, &plan, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(plan);
    } else {
        const char *const h[] = {_("Visit"), _("Document"), "ID", _("Ready"), NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(plan); i++) {
            const bs_value *d = value_at(plan, i);
            const bs_value *vn = value_get(d, "visit");
            bs_value *r = value_list();
            char *vs = cli_int_text(vn, "-");
            value_push(r, value_str(vs));
            free(vs);
            value_push(r, value_str(value_get_str(d, "title")));
            value_push(r, value_str(value_get_str(d, "id")));
            value_push(r, value_str(value_as_bool(value_get(d, "ready")) ? _("ready")
                                                                       : value_get_str(d, "why")));
            value_push(t, r);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(plan);
    return BS_OK;
}

/* One line per engagement done; failures and warnings on standard error. */
static void progress_line(void *ud, const bs_value *r)
{
    const bool *quiet = ud;
    int width = snprintf(NULL, 0, "%lld", (long long)value_as_int(value_get(r, "total")));
    const char *company = value_get_str(r, "company"), *theme = value_get_str(r, "theme");
    long long eng = (long long)value_as_int(value_get(r, "eng"));
    const bs_value *w = value_get(r, "warnings");
    for (size_t i = 0; i < value_len(w); i++) {
        cli_err_line(_("warning: engagement %lld: %s"), eng, value_as_str(value_at(w, i)));
    }
    if (value_get_str(r, "error")) {
        cli_err_line("engagement %lld (%s, %s): %s", eng, company ? company : "?",
                     theme ? theme : "?", value_get_str(r, "error"));
    }
    if (*quiet) {
        return;
    }
    bs_buf what = {0};
    if (value_get_str(r, "error")) {
        bs_buf_puts(&what, _("failed"));
    } else if (value_get_str(r, "closed")) {
        bs_buf_printf(&what, _("%s: no further changes"), value_get_str(r, "closed"));
    } else if (value_get_str(r, "idle")) {
        bs_buf_printf(&what, _("nothing to write yet (%s)"), value_get_str(r, "idle"));
    } else {
        long long nd = (long long)value_as_int(value_get(r, "documents"));
        bs_buf_printf(&what, ngettext("%lld document", "%lld documents", (unsigned long)nd), nd);
    }
    // TRANSLATORS: a progress line of generate --all: "[ 3/12] 3 COMPANY (THEME): WHAT".
    cli_line(pgettext("progress", "[%*lld/%lld] %lld %s (%s): %s"), width, (long long)value_as_int(value_get(r, "done")),
             (long long)value_as_int(value_get(r, "total")), eng, company ? company : "?",
             theme ? theme : "?", what.s);
    bs_buf_free(&what);
    fflush(stdout);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int generate_all(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t workers = 0;
    int rc = BS_OK;
    if (a->npos || cli_opt_val(a, "visit") || cli_opt_val(a, "only") || cli_flag(a, "dry-run")) {
        return bs_err_set(err, BS_EUSAGE,
                          _("generate --all: give no ENG, --visit, --only or --dry-run"));
    }
    if (cli_opt_val(a, "workers")) {
        rc = cli_parse_id(cli_opt_val(a, "workers"), "--workers", &workers, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bool quiet = cli_flag(a, "quiet");
    bs_value *sum = NULL;
    double t0 = seconds_now();
    produce_opts o = {.force = cli_flag(a, "force")};
    rc = batch_generate(ctx->s, (int)(workers > 64 ? 64 : workers), &o, progress_line, &quiet,
                        &sum, err);
    if (sum && !quiet) {
        long long ne = (long long)value_as_int(value_get(sum, "engagements"));
        long long nd = (long long)value_as_int(value_get(sum, "documents"));
        long long nw = (long long)value_as_int(value_get(sum, "workers"));
        // Three counts, each its own plural, joined as one line.
        printf(ngettext("%lld engagement", "%lld engagements", (unsigned long)ne), ne);
        printf(", ");
        printf(ngettext("%lld document", "%lld documents", (unsigned long)nd), nd);
        printf(", ");
        printf(ngettext("%lld worker", "%lld workers", (unsigned long)nw), nw);
        printf(_(", %.1f s"), seconds_now() - t0);
        putchar('\n');
    }
    value_free(sum);
    return rc;
}

/* --force and --date of the commands that write documents. */
static produce_opts opts_of(const cli_args *a)
{
    return (produce_opts){.force = cli_flag(a, "force"), .date = cli_opt_val(a, "date")};
}

static int run_generate(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    if (cli_flag(a, "all") && cli_flag(a, "pdf")) {
        return bs_err_set(err, BS_EUSAGE,
                          _("generate --all: --pdf goes with one ENG (or run 'bansou pdf ENG' "
                            "after)"));
    }
    if (cli_flag(a, "all")) {
        return generate_all(ctx, a, err);
    }
    if (a->npos != 1) {
        return bs_err_set(err, BS_EUSAGE, _("generate: give ENG, or --all"));
    }
    if (cli_opt_val(a, "workers") || cli_flag(a, "quiet")) {
        return bs_err_set(err, BS_EUSAGE, _("generate: --workers and --quiet go with --all"));
    }
    int64_t eng = 0;
    int n = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK && cli_opt_val(a, "visit")) {
        int64_t v = 0;
        rc = cli_parse_id(cli_opt_val(a, "visit"), "--visit", &v, err);
        n = (int)(v > 99 ? 100 : v);
    }
    if (rc == BS_OK && cli_flag(a, "dry-run")) {
        return print_plan(ctx, eng, n, a, err);
    }
    if (rc == BS_OK && cli_flag(a, "json")) {
        return bs_err_set(err, BS_EUSAGE, _("generate: --json goes with --dry-run"));
    }
    bs_value *written = value_list(), *warnings = value_list();
    if (rc == BS_OK) {
        produce_opts o = opts_of(a);
        rc = produce_generate(ctx->s, eng, n, cli_opt_val(a, "only"), &o, written, warnings, err);
    }
    rc = cli_pdf_after(ctx, a, eng, rc, written, err);
    return written_out(rc, written, warnings);
}

static int run_prepare(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int n = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK) {
        rc = cli_parse_visit(a->pos[1], &n, err);
    }
    bs_value *written = value_list(), *warnings = value_list();
    if (rc == BS_OK) {
        produce_opts o = opts_of(a);
        rc = produce_prepare(ctx->s, eng, n, &o, written, warnings, err);
    }
    rc = cli_pdf_after(ctx, a, eng, rc, written, err);
    return written_out(rc, written, warnings);
}

static int run_report(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int n = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK) {
        rc = cli_parse_visit(a->pos[1], &n, err);
    }
    bs_value *written = value_list(), *warnings = value_list();
    if (rc == BS_OK) {
        produce_opts o = opts_of(a);
        rc = produce_report(ctx->s, eng, n, &o, written, warnings, err);
    }
    rc = cli_pdf_after(ctx, a, eng, rc, written, err);
    rc = written_out(rc, written, warnings);
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: visit %d report submitted"), (long long)eng, n);
    }
    return rc;
}

static int run_final(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    bs_value *written = value_list(), *warnings = value_list();
    if (rc == BS_OK) {
        produce_opts o = opts_of(a);
        rc = produce_final(ctx->s, eng, cli_opt_val(a, "findings"), &o, written, warnings, err);
    }
    rc = cli_pdf_after(ctx, a, eng, rc, written, err);
    return written_out(rc, written, warnings);
}

static int run_engagement_record(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK && !cli_opt_val(a, "findings")) {
        rc = bs_err_set(err, BS_EUSAGE, _("engagement record: --findings is required"));
    }
    if (rc == BS_OK) {
        rc = produce_findings(ctx->s, eng, cli_opt_val(a, "findings"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: the expert's findings recorded"), (long long)eng);
    }
    return rc;
}

static int run_schedule(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    if (!cli_flag(a, "all")) {
        if (a->npos != 1) {
            return bs_err_set(err, BS_EUSAGE, _("schedule: give ENG, or --all"));
        }
        int64_t eng = 0;
        int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
        bs_value *written = value_list(), *warnings = value_list();
        if (rc == BS_OK) {
            produce_opts o = opts_of(a);
            rc = produce_schedule(ctx->s, eng, &o, written, warnings, err);
        }
        rc = cli_pdf_after(ctx, a, eng, rc, written, err);
        return written_out(rc, written, warnings);
    }
    char *path = NULL;
    produce_opts o = opts_of(a);
    int rc = produce_schedule_all(ctx->s, cli_opt_val(a, "output"), &o, &path, err);
    if (rc == BS_OK) {
        cli_line("%s", path);
        rc = cli_pdf_files(a, path, err);
    }
    free(path);
    return rc;
}

/* The check word of the documents table for a file's status ("edited"). */
static const char *file_state(const char *status)
{
    if (status && strcmp(status, "ok") == 0) {
        return pgettext("file check", "ok");
    }
    if (status && strcmp(status, "missing") == 0) {
        return pgettext("file check", "missing");
    }
    static const char *const words[][2] = {
        {"edited", N_("edited")},
        {"unreadable", N_("unreadable")},
    };
    for (size_t i = 0; status && i < sizeof words / sizeof *words; i++) {
        if (strcmp(status, words[i][0]) == 0) {
            return _(words[i][1]);
        }
    }
    return status;
}

/* documents ENG --fetch DIR: the stored reports written into DIR. */
static int run_fetch(cli_ctx *ctx, const cli_args *a, int64_t eng, bs_err *err)
{
    bs_value *written = value_list();
    int rc = produce_fetch(ctx->s, eng, cli_opt_val(a, "fetch"), cli_flag(a, "force"), written,
                           err);
    if (rc == BS_OK && cli_flag(a, "json")) {
        cli_print_json(written);
    } else if (rc == BS_OK && value_len(written) == 0) {
        cli_line(_("engagement %lld: no report is kept in the database yet"), (long long)eng);
    }
    for (size_t i = 0; rc == BS_OK && !cli_flag(a, "json") && i < value_len(written); i++) {
        const bs_value *w = value_at(written, i);
        const char *path = cli_shown_path(ctx, value_get_str(w, "path"));
        if (strcmp(value_get_str(w, "state"), "same") == 0) {
            cli_line(_("%s (there already, the same)"), path);
        } else {
            cli_line("%s", path);
        }
    }
    value_free(written);
    return rc;
}

static int run_documents(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    bs_value *docs = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK && cli_opt_val(a, "fetch")) {
        return run_fetch(ctx, a, eng, err);
    }
    if (rc == BS_OK && cli_flag(a, "force")) {
        return bs_err_set(err, BS_EUSAGE, _("--force is for --fetch DIR only"));
    }
    if (rc == BS_OK) {
        rc = produce_recorded(ctx->s, eng, &docs, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(docs);
    } else {
        const char *const h[] = {_("Visit"), _("Document"), _("State"), _("Written"),
                                 _("Kept"), _("File"), NULL};
        // On a terminal the folder all files share is said once above them.
        size_t n = value_len(docs);
        const char **paths = xcalloc(n ? n : 1, sizeof *paths);
        for (size_t i = 0; i < n; i++) {
            paths[i] = cli_shown_path(ctx, value_get_str(value_at(docs, i), "path"));
        }
        size_t common = cli_width() ? cli_common_dir(paths, n) : 0;
        for (size_t i = 0; common && i < n; i++) {
            if (paths[i] && paths[i][0] != '/') {
                char *folder = xstrndup(paths[i], common);
                printf(_("Folder: %s"), folder);
                putchar('\n');
                free(folder);
                break;
            }
        }
        bs_value *t = value_list();
        for (size_t i = 0; i < n; i++) {
            const bs_value *d = value_at(docs, i);
            bs_value *r = value_list();
            const bs_value *vn = value_get(d, "visit");
            char *vs = cli_int_text(vn, "-");
            value_push(r, value_str(vs));
            free(vs);
            value_push(r, value_str(value_get_str(d, "title")));
            value_push(r, value_str(file_state(value_get_str(d, "status"))));
            char when[32];
            cli_shown_time(value_get_str(d, "generated_at"), when);
            value_push(r, value_str(when));
            value_push(r, value_str(value_as_int(value_get(d, "stored")) ? "○" : ""));
            const char *p = paths[i];
            value_push(r, value_str(p && common && p[0] != '/' ? p + common : p));
            value_push(t, r);
        }
        free(paths);
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(docs);
    return BS_OK;
}

#define FORCE_HELP N_("keep a file edited since it was written as NAME.edited-DATE, then write it anew")

static const cli_opt generate_opts[] = {
    {"all", NULL, N_("every engagement of the workspace, in one run"), 0},
    {"workers", "N", N_("with --all: worker processes (default: one per core)"), 'j'},
    {"quiet", NULL, N_("with --all: no progress lines"), 'q'},
    {"visit", "N", N_("only the documents of visit N"), 0},
    {"only", "ID", N_("only the document ID (see the theme's documents)"), 0},
    {"dry-run", NULL, N_("write nothing: list the documents and whether each can be written"), 'n'},
    {"json", NULL, N_("with --dry-run: print JSON"), 0},
    {"force", NULL, FORCE_HELP, 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};
static const cli_opt documents_opts[] = {
    {"fetch", "DIR", N_("write the reports kept in the database into DIR"), 0},
    {"force", NULL, N_("with --fetch: replace a file in DIR that has other contents"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt findings_opts[] = {
    {"findings", "TEXT", N_("the expert's findings of the engagement (a paragraph a line)"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt schedule_opts[] = {
    {"all", NULL, N_("every engagement on one sheet, for the secretariat"), 0},
    {"output", "FILE", N_("with --all: where to write (default out/全体スケジュール.xlsx)"), 'o'},
    {"force", NULL, FORCE_HELP, 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};
static const cli_opt prepare_opts[] = {
    {"date", "YYYY-MM-DD", N_("the day the pack was prepared, which it carries (default today)"), 0},
    {"force", NULL, FORCE_HELP, 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};
static const cli_opt report_opts[] = {
    {"date", "YYYY-MM-DD", N_("the day the report was submitted, which it carries (default today)"),
     0},
    {"force", NULL, FORCE_HELP, 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};
static const cli_opt final_opts[] = {
    {"findings", "TEXT", N_("the expert's findings of the engagement (a paragraph a line)"), 0},
    {"date", "YYYY-MM-DD", N_("the day the report carries (default: the day the engagement ended)"),
     0},
    {"force", NULL, FORCE_HELP, 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_docs_cmds[] = {
    {"generate", "ENG | --all", N_("write every document of an engagement whose data is there"),
     N_("Files go to out/<id>_<company>/<theme>/visit-<n>/ (final reports to final/, the\n"
     "expert's own papers to expert/) and are recorded with their sha256; generating\n"
     "again gives the same files. A file edited since it was written is not written\n"
     "over (--force keeps it under a dated name first). With --dry-run, lists the\n"
     "documents and, for those that cannot be written yet, why.\n"
     "With --all, does so for every engagement in one run, several at a time, with a\n"
     "line per engagement; one that fails is named and the others go on (one holding\n"
     "edited files fails naming them all; --force keeps each first)."),
     0, 1, true, generate_opts, run_generate},
    {"documents", "ENG", N_("list the documents written, and which were edited since"),
     N_("The visit reports and the final report are also kept in the database, bytes\n"
     "and hash (the Kept column): on a shared server the secretariat writes them out\n"
     "on its own machine with --fetch DIR, where the expert's files are not. A file\n"
     "in DIR with other contents is left alone unless --force."),
     1, 1, true, documents_opts, run_documents},
    {"visit prepare", "ENG N", N_("write the pack for visit N (plan, requests, hearing sheet, worksheets)"),
     N_("The pack carries the day it was prepared; the expert's own papers for the visit\n"
     "(expert/) are written with it. A file edited since bansou wrote it, in either,\n"
     "stops both before anything is written: give --force to keep each under a dated\n"
     "name first."),
     2, 2, true, prepare_opts, run_prepare},
    {"visit report", "ENG N", N_("write visit N's report for the secretariat and mark it submitted"),
     N_("The visit must have been held. The report carries the day it was submitted."), 2, 2,
     true, report_opts, run_report},
    {"engagement final-report", "ENG", N_("write the final report (all visits held, or ended)"),
     N_("The report carries the day the engagement ended (engagement complete/terminate\n"
     "--date), else the day of its last visit. Its 専門家の所見 are the expert's\n"
     "findings of the whole engagement, given with --findings or recorded before with\n"
     "'engagement record'; without them it is refused."),
     1, 1, true, final_opts, run_final},
    {"engagement record", "ENG", N_("record the expert's findings of the engagement"),
     N_("For the final report's 専門家の所見; before or after the engagement ends, until\n"
     "its final report is written."), 1, 1, true, findings_opts, run_engagement_record},
    {"schedule", "[ENG]", N_("write the Gantt schedule of an engagement (or --all)"),
     N_("With --all, every engagement on one workbook for the secretariat. A schedule\n"
     "edited since bansou wrote it is not written over: give --force to keep it under\n"
     "a dated name first."),
     0, 1, true, schedule_opts, run_schedule},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
