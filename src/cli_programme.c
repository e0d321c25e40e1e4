/* cli_programme: the year's results of the programme (bansou programme …). */
#include <stdlib.h>

#include "cli_int.h"
#include "programme.h"

static programme_opts opts_of(const cli_args *a)
{
    return (programme_opts){.year = cli_opt_val(a, "year"),
                            .region = cli_opt_val(a, "region"),
                            .theme = cli_opt_val(a, "theme"),
                            .anonymous = cli_flag(a, "anonymous")};
}

/* One row of table `t` as the strings cli_print_table takes. */
static bs_value *row_cells(const bs_value *cols, const bs_value *row)
{
    bs_value *r = value_list();
    for (size_t i = 0; i < value_len(cols); i++) {
        const bs_value *c = value_at(cols, i);
        char *s = programme_cell_text(c, value_get(row, value_get_str(c, "key")));
        value_push(r, value_str(s));
        free(s);
    }
    return r;
}

static void print_table(const bs_value *t)
{
    const bs_value *cols = value_get(t, "columns"), *rows = value_get(t, "rows");
    cli_line("%s", "");
    cli_line("%s", value_get_str(t, "title"));
    if (value_get_str(t, "lead")) {
        cli_line("%s", value_get_str(t, "lead"));
    }
    if (value_len(rows) == 0 && !value_get(t, "total")) {
        cli_line("  %s", value_get_str(t, "empty"));
        return;
    }
    size_t n = value_len(cols);
    const char **h = calloc(n + 1, sizeof *h);
    for (size_t i = 0; i < n; i++) {
        h[i] = value_get_str(value_at(cols, i), "header");
    }
    bs_value *cells = value_list();
    for (size_t i = 0; i < value_len(rows); i++) {
        value_push(cells, row_cells(cols, value_at(rows, i)));
    }
    if (value_get(t, "total")) {
        value_push(cells, row_cells(cols, value_get(t, "total")));
    }
    cli_print_table(h, cells);
    value_free(cells);
    free(h);
}

static int run_stats(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    programme_opts o = opts_of(a);
    bs_value *res = NULL;
    int rc = programme_stats(ctx->s, &o, &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(res);
    } else {
        cli_line("%s", value_get_str(res, "title"));
        if (value_get_str(res, "filters")) {
            cli_line(_("narrowed to: %s"), value_get_str(res, "filters"));
        }
        const bs_value *sum = value_get(res, "summary"), *tables = value_get(res, "tables");
        for (size_t i = 0; i < value_len(sum); i++) {
            cli_line("%s", value_as_str(value_at(sum, i)));
        }
        for (size_t i = 0; i < value_len(tables); i++) {
            print_table(value_at(tables, i));
        }
    }
    value_free(res);
    return BS_OK;
}

static int run_report(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    programme_opts o = opts_of(a);
    bs_value *files = NULL;
    int rc = programme_report(ctx->s, &o, cli_opt_val(a, "output"), &files, err);
    if (rc != BS_OK) {
        return rc;
    }
    cli_print_paths(files);
    value_free(files);
    return BS_OK;
}

#define NARROW_OPTS                                                                              \
    {"year", "FY", N_("the fiscal year (2025: April 2025 to March 2026; default: this one)"), 0}, \
        {"region", "REGION", N_("only this programme region (大阪, 名古屋, 埼玉)"), 0},            \
        {"theme", "THEME", N_("only this theme"), 0},                                            \
        {"anonymous", NULL, N_("experts and companies by number, without the list of engagements"), 0}

static const cli_opt stats_opts[] = {
    NARROW_OPTS,
    {"json", NULL, N_("print JSON: every table with its columns, rows and totals"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt report_opts[] = {
    NARROW_OPTS,
    {"output", "DIR", N_("the folder to write into (default: out/programme)"), 'o'},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_programme_cmds[] = {
    {"programme stats", NULL, N_("the year's results: every table of the programme report"),
     N_("Counts what the fiscal year recorded: consultation sessions and consultations,\n"
     "engagements by region, theme, industry and expert, how far each went, why\n"
     "consultations did not go on to guidance and engagements ended early, and the\n"
     "post-guidance questionnaires that came back. An engagement belongs to the year\n"
     "in which it ended, or in which its first visit falls while it runs; a\n"
     "consultation to the year of its session. The tables are named by the figure\n"
     "numbers of the programme's own report (図表 2-53 …)."),
     0, 0, true, stats_opts, run_stats},
    {"programme report", NULL, N_("write the year's programme report and its data workbook"),
     N_("The tables of 'programme stats' as the report (事業実施結果報告, Word: each\n"
     "table with what it shows and its chart, editable in Word) and as a workbook\n"
     "with a sheet per table and its chart (事業実施結果データ). A file there that\n"
     "was edited since bansou wrote it is left as it is and the command refused."),
     0, 0, true, report_opts, run_report},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
