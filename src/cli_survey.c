/* cli_survey: what the post-guidance questionnaires add up to (bansou survey …). */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "survey.h"
#include "util.h"

/* "3" of a count in a map of marks. */
static char *mark_count(const bs_value *m, const char *mark)
{
    return cli_int_text(value_get(m, mark), "0");
}

static void print_summary(const bs_value *res)
{
    const char *const h[] = {_("Theme"),   _("Engagements"), _("Expert ◎"), "○", "△", "?",
                             _("Company ◎"), "○", "△", "?", NULL};
    static const char *const marks[] = {"◎", "○", "△", "unknown"};
    bs_value *t = value_list();
    const bs_value *sum = value_get(res, "summary");
    for (size_t i = 0; i < value_len(sum); i++) {
        const bs_value *s = value_at(sum, i);
        bs_value *r = value_list();
        value_push(r, value_str(value_get_str(s, "theme")));
        char *n = cli_int_text(value_get(s, "engagements"), "0");
        value_push(r, value_str(n));
        free(n);
        static const char *const who[] = {"expert", "company"};
        for (int w = 0; w < 2; w++) {
            for (int k = 0; k < 4; k++) {
                char *c = mark_count(value_get(s, who[w]), marks[k]);
                value_push(r, value_str(c));
                free(c);
            }
        }
        value_push(t, r);
    }
    cli_print_table(h, t);
    value_free(t);
}

/* Each question of a questionnaire with its counts and shares. */
static void print_questions(const char *title, const bs_value *qs)
{
    cli_line("%s", "");
    cli_line("%s", title);
    for (size_t i = 0; i < value_len(qs); i++) {
        const bs_value *q = value_at(qs, i);
        const char *label = value_get_str(q, "label");
        char *n = cli_int_text(value_get(q, "n"), "0");
        cli_line(_("%s %s (answered: %s)"), label ? label : value_get_str(q, "id"),
                 value_get_str(q, "text"), n);
        free(n);
        const bs_value *cs = value_get(q, "choices");
        for (size_t k = 0; k < value_len(cs); k++) {
            const bs_value *c = value_at(cs, k);
            char *cnt = cli_int_text(value_get(c, "count"), "0");
            cli_line("    %4s  %5.1f%%  %s", cnt, value_as_num(value_get(c, "share")) * 100,
                     value_get_str(c, "choice"));
            free(cnt);
        }
        size_t texts = value_len(value_get(q, "answers")) + value_len(value_get(q, "other_texts"));
        if (texts) {
            cli_line(ngettext("    %zu written answer (see --json)",
                              "    %zu written answers (see --json)", texts),
                     texts);
        }
    }
}

static int run_results(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *res = NULL;
    int rc = survey_results(ctx->s, cli_opt_val(a, "theme"), cli_opt_val(a, "year"), &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(res);
    } else {
        char *n = cli_int_text(value_get(res, "engagements"), "0");
        char *c = cli_int_text(value_get(value_get(res, "returned"), "company"), "0");
        char *x = cli_int_text(value_get(value_get(res, "returned"), "expert"), "0");
        cli_line(_("ended engagements: %s; questionnaires back: %s from companies, %s from experts"),
                 n, c, x);
        free(n);
        free(c);
        free(x);
        print_summary(res);
        print_questions(_("Companies' questionnaire"), value_get(res, "company"));
        print_questions(_("Experts' questionnaire for each engagement"), value_get(res, "expert"));
    }
    value_free(res);
    return BS_OK;
}

static int run_form(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *expert = cli_opt_val(a, "expert"), *year = cli_opt_val(a, "year");
    if (!expert || !year) {
        return bs_err_set(err, BS_EUSAGE, _("survey form: --expert and --year are required"));
    }
    char *path = NULL;
    int rc = survey_form(ctx->s, expert, year, cli_opt_val(a, "output"), &path, err);
    if (rc == BS_OK) {
        cli_line("%s", cli_shown_path(ctx, path));
    }
    free(path);
    return rc;
}

static int run_import(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *expert = cli_opt_val(a, "expert"), *year = cli_opt_val(a, "year");
    if (!expert || !year) {
        return bs_err_set(err, BS_EUSAGE, _("survey import: --expert and --year are required"));
    }
    bs_value *problems = value_list();
    size_t n = 0;
    int rc = survey_import(ctx->s, expert, year, a->pos[0], &n, problems, err);
    for (size_t i = 0; i < value_len(problems); i++) {
        cli_err_line("%s", value_as_str(value_at(problems, i)));
    }
    if (rc == BS_OK) {
        cli_line(ngettext("imported the overall questionnaire of %s: %zu row",
                          "imported the overall questionnaire of %s: %zu rows", n),
                 year, n);
    }
    value_free(problems);
    return rc;
}

static const cli_opt form_opts[] = {
    {"expert", "EXPERT", N_("the expert who answers (id or exact name)"), 0},
    {"year", "FY", N_("the fiscal year it is about (2025: April 2025 to March 2026)"), 0},
    {"output", "FILE", N_("where to write it (default: out/experts/…)"), 'o'},
    {NULL, NULL, NULL, 0},
};

static const cli_opt import_opts[] = {
    {"expert", "EXPERT", N_("the expert who answered (id or exact name)"), 0},
    {"year", "FY", N_("the fiscal year it is about"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt results_opts[] = {
    {"theme", "THEME", N_("only the engagements of this theme"), 0},
    {"year", "FY", N_("only the engagements that ended in this fiscal year (April to March)"), 0},
    {"json", NULL, N_("print JSON: every count, share, cross table and written answer"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_survey_cmds[] = {
    {"survey results", NULL, N_("what the post-guidance questionnaires that came back add up to"),
     N_("Over the ended engagements: the evaluations per theme (◎ ○ △, and ? for a\n"
     "questionnaire not back), every question's counts and shares (a question of\n"
     "several answers counts each respondent once per answer), and with --json also\n"
     "the cross table of the expert's and the company's evaluations per theme, the\n"
     "fees and themes companies wish for, and every written answer. The forms are\n"
     "the worksheets survey-company and survey-expert of each engagement."),
     0, 0, true, results_opts, run_results},
    {"survey form", NULL, N_("write an expert's overall questionnaire of a fiscal year"),
     N_("The overall questionnaire (the expert, the programme's evaluation, working with\n"
     "other bodies) is answered once per expert and fiscal year; the forms of each\n"
     "engagement are the worksheets survey-company and survey-expert ('bansou\n"
     "worksheet ENG ID')."),
     0, 0, true, form_opts, run_form},
    {"survey import", "FILE", N_("read an expert's overall questionnaire back"),
     N_("Every answer is checked as on the form (choices, ○ marks, follow-ups,\n"
     "numbers, required answers); a problem is named at its cell and nothing is\n"
     "stored. Importing again replaces the expert's answers of that year."),
     1, 1, true, import_opts, run_import},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
