/* cli_pool: the expert pool: its search, its choices, the skill survey out
 * and back, and the candidates for a company (bansou expert search,
 * expert choices, skills …, match). */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "pool.h"
#include "util.h"

static int run_search(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *f = value_map();
    static const char *const keys[] = {"region", "theme", "industry", "form", "size", "mark",
                                       NULL};
    for (const char *const *k = keys; *k; k++) {
        if (cli_opt_val(a, *k)) {
            value_set_str(f, *k, cli_opt_val(a, *k));
        }
    }
    int rc = BS_OK;
    const char *menu = cli_opt_val(a, "menu");
    int64_t m = 0;
    if (menu && (!bs_parse_int(menu, &m) || m < 0 || m > 7)) {
        rc = bs_err_set(err, BS_EINPUT, _("--menu: '%s' is not a support menu (0 to 7)"), menu);
    } else if (menu) {
        value_set_int(f, "menu", m);
    }
    const char *mark = cli_opt_val(a, "mark");
    if (rc == BS_OK && mark && !menu) {
        rc = bs_err_set(err, BS_EUSAGE, _("--mark needs --menu"));
    }
    if (rc == BS_OK && mark && strcmp(mark, "◎") != 0 && strcmp(mark, "○") != 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--mark: '%s' is neither ◎ nor ○"), mark);
    }
    if (cli_flag(a, "listed")) {
        value_set_bool(f, "listed", true);
    }
    bs_value *rows = NULL;
    if (rc == BS_OK) {
        rc = pool_search(ctx->s, f, &rows, err);
    }
    value_free(f);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else if (value_len(rows) == 0) {
        cli_line("%s", _("no expert of the pool meets every condition given"));
    } else {
        cli_print_experts(rows);
    }
    value_free(rows);
    return BS_OK;
}

static int run_choices(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *c = NULL;
    int rc = pool_choices(ctx->s, &c, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(c);
    } else {
        for (size_t i = 0; i < value_len(c); i++) {
            cli_line("%s:", value_key_at(c, i));
            const bs_value *l = value_at(c, i);
            for (size_t k = 0; k < value_len(l); k++) {
                cli_line("  %s", value_as_str(value_at(l, k)));
            }
        }
    }
    value_free(c);
    return BS_OK;
}

static int run_form(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *expert = cli_opt_val(a, "expert");
    if (!expert) {
        return bs_err_set(err, BS_EUSAGE, _("skills form: --expert is required"));
    }
    char *path = NULL;
    int rc = pool_skills_form(ctx->s, expert, cli_opt_val(a, "output"), &path, err);
    if (rc == BS_OK) {
        cli_line("%s", cli_shown_path(ctx, path));
    }
    free(path);
    return rc;
}

static void print_problems(const bs_value *problems)
{
    for (size_t i = 0; i < value_len(problems); i++) {
        cli_err_line("%s", value_as_str(value_at(problems, i)));
    }
}

static int run_import(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *expert = cli_opt_val(a, "expert");
    if (!expert) {
        return bs_err_set(err, BS_EUSAGE, _("skills import: --expert is required"));
    }
    bs_value *problems = value_list(), *res = NULL;
    int rc = pool_skills_import(ctx->s, expert, a->pos[0], &res, problems, err);
    print_problems(problems);
    value_free(problems);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(res);
    } else {
        const char *why = value_get_str(res, "unlisted");
        cli_line(_("skill survey of %s read back"), value_get_str(res, "expert"));
        if (why) {
            cli_line(_("not listed in the pool: %s"), why);
        }
        const bs_value *menus = value_get(value_get(res, "evaluation"), "menus");
        for (size_t i = 0; i < value_len(menus); i++) {
            const bs_value *m = value_at(menus, i);
            const char *mark = value_get_str(m, "mark");
            cli_line("  %s %lld. %s", mark && *mark ? mark : "  ",
                     (long long)value_as_int(value_get(m, "no")), value_get_str(m, "title"));
        }
    }
    value_free(res);
    return BS_OK;
}

static int run_load(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bool dry = cli_flag(a, "dry-run");
    bs_value *problems = value_list(), *res = NULL;
    int rc = pool_skills_load(ctx->s, a->pos[0], dry, &res, problems, err);
    print_problems(problems);
    value_free(problems);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(res);
        value_free(res);
        return BS_OK;
    }
    const bs_value *dups = value_get(res, "duplicates"), *ex = value_get(res, "experts");
    cli_line(_("%lld answers, %zu duplicates removed, %lld valid"),
             (long long)value_as_int(value_get(res, "answers")), value_len(dups),
             (long long)value_as_int(value_get(res, "valid")));
    for (size_t i = 0; i < value_len(dups); i++) {
        const bs_value *d = value_at(dups, i);
        cli_line(_("  row %lld: a duplicate of row %lld, which is kept"),
                 (long long)value_as_int(value_get(d, "row")),
                 (long long)value_as_int(value_get(d, "kept")));
    }
    size_t unlisted = 0;
    for (size_t i = 0; i < value_len(ex); i++) {
        unlisted += value_get_str(value_at(ex, i), "unlisted") != NULL;
    }
    cli_line(dry ? _("would add %lld experts to the pool and update %lld (nothing stored:"
                     " --dry-run); %zu not listed")
                 : _("added %lld experts to the pool, updated %lld; %zu not listed"),
             (long long)value_as_int(value_get(res, "created")),
             (long long)value_as_int(value_get(res, "updated")), unlisted);
    for (size_t i = 0; i < value_len(ex); i++) {
        const bs_value *x = value_at(ex, i);
        const char *why = value_get_str(x, "unlisted");
        if (why) {
            cli_line(_("  row %lld, %s: not listed (%s)"),
                     (long long)value_as_int(value_get(x, "row")), value_get_str(x, "name"), why);
        }
    }
    value_free(res);
    return BS_OK;
}

static int run_match(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *res = NULL;
    int rc = pool_match(ctx->s, a->pos[0], cli_opt_val(a, "theme"), &res, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(res);
        value_free(res);
        return BS_OK;
    }
    const char *region = value_get_str(res, "region"), *pref = value_get_str(res, "prefecture");
    const char *theme = cli_opt_val(a, "theme");
    if (theme) {
        cli_line(_("candidates for %s (%s, region %s) on theme %s"), value_get_str(res, "company"),
                 pref ? pref : _("prefecture unknown"), region ? region : _("region unknown"),
                 theme);
    } else {
        cli_line(_("candidates for %s (%s, region %s), any theme"), value_get_str(res, "company"),
                 pref ? pref : _("prefecture unknown"), region ? region : _("region unknown"));
    }
    const bs_value *c = value_get(res, "candidates");
    if (value_len(c) == 0) {
        cli_line("%s", _("no expert in the pool (or none listed)"));
    }
    for (size_t i = 0; i < value_len(c); i++) {
        const bs_value *x = value_at(c, i);
        cli_line("%2lld. %s (ID %lld)", (long long)value_as_int(value_get(x, "rank")),
                 value_get_str(x, "name"), (long long)value_as_int(value_get(x, "id")));
        const bs_value *r = value_get(x, "reasons");
        bs_buf b = {0};
        for (size_t k = 0; k < value_len(r); k++) {
            bs_buf_printf(&b, "%s%s", k ? " / " : "", value_as_str(value_at(r, k)));
        }
        cli_line("    %s", b.s ? b.s : "");
        bs_buf_free(&b);
    }
    value_free(res);
    return BS_OK;
}

static const cli_opt json_only[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt search_opts[] = {
    {"region", "REGION", N_("serves this prefecture or programme region (大阪, 名古屋, 埼玉)"), 0},
    {"theme", "THEME", N_("covers this theme id"), 0},
    {"industry", "INDUSTRY", N_("has experience of this industry"), 0},
    {"form", "FORM", N_("offers this form of support"), 0},
    {"size", "SIZE", N_("supports companies of this size"), 0},
    {"menu", "N", N_("has a skill mark for support menu N (0 to 7)"), 0},
    {"mark", "MARK", N_("with --menu: ◎ only, or ○ (◎ or ○, the default)"), 0},
    {"listed", NULL, N_("only experts listed in the pool"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt form_opts[] = {
    {"expert", "EXPERT", N_("the expert who answers (id or exact name)"), 0},
    {"output", "FILE", N_("where to write it (default: out/experts/…)"), 'o'},
    {NULL, NULL, NULL, 0},
};

static const cli_opt import_opts[] = {
    {"expert", "EXPERT", N_("the expert who answered (id or exact name)"), 0},
    {"json", NULL, N_("print JSON: the evaluation with every sub-item's sum and points"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt load_opts[] = {
    {"dry-run", NULL, N_("check and count, store nothing"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt match_opts[] = {
    {"theme", "THEME", N_("the theme the company wishes (its skill menu counts)"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_pool_cmds[] = {
    {"expert search", NULL, N_("find experts of the pool by region, theme, industry, skill …"),
     N_("Every condition given must hold. A region is a prefecture (大阪府) or a\n"
     "programme region; an expert serves it when they list that prefecture, or the\n"
     "region, or (for a region) one of its prefectures."),
     0, 0, true, search_opts, run_search},
    {"expert choices", NULL, N_("list the choices of the pool's fields"),
     N_("They come from the skill survey (themes/lib/survey_skills.lua) and the\n"
     "programme's regions (themes/lib/pool.lua)."),
     0, 0, false, json_only, run_choices},
    {"skills form", NULL, N_("write an expert's skill survey (セキュリティ専門家スキル調査アンケート)"),
     NULL, 0, 0, true, form_opts, run_form},
    {"skills import", "FILE", N_("read one expert's skill survey back"),
     N_("Every answer is checked as on the form; a problem is named at its cell and\n"
     "nothing is stored. The answers replace the expert's earlier ones and set the\n"
     "pool entry (regions, themes, industries, sizes, forms, fee …)."),
     1, 1, true, import_opts, run_import},
    {"skills load", "FILE", N_("read the survey service's export of many experts"),
     N_("FILE is a workbook whose first sheet has a header row (question numbers such\n"
     "as 問6 or S1-a(1), or the questions' texts) and one row per answer; several\n"
     "choices in one cell are separated by ';'. Answers of the same registration\n"
     "number are duplicates: the latest (by the time column, else the lower row) is\n"
     "kept. An expert of the pool is found by registration number, else by name;\n"
     "the others are added. Any problem stores nothing."),
     1, 1, true, load_opts, run_load},
    {"match", "COMPANY", N_("rank the experts of the pool for a company"),
     N_("Ranked by: serves the company's region; covers the theme; the skill mark of\n"
     "the theme's support menu (◎, ○, none); experience of the company's industry;\n"
     "support by visit; fewer engagements in progress. Each candidate comes with\n"
     "the reasons. Experts not listed in the pool are left out."),
     1, 1, true, match_opts, run_match},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
