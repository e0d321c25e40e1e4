/* Themes: list, show a syllabus, check a script. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli_int.h"
#include "i18n.h"
#include "util.h"

static int run_themes(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *out = NULL;
    int rc = catalog_themes(ctx->s, &out, err);
    if (rc == BS_OK) {
        if (cli_flag(a, "json")) {
            cli_print_json(out);
        } else {
            const char *const h[] = {"No", "ID", _("Theme"), pgettext("theme list", "Visits"), NULL};
            bs_value *t = value_list();
            for (size_t i = 0; i < value_len(out); i++) {
                const bs_value *e = value_at(out, i);
                bs_value *r = value_list();
                char *num = xasprintf("%lld", (long long)value_as_int(value_get(e, "number")));
                char *vis = xasprintf("%lld", (long long)value_as_int(value_get(e, "visits")));
                value_push(r, value_str(num));
                value_push(r, value_str(value_get_str(e, "id")));
                value_push(r, value_str(value_get_str(e, "title")));
                value_push(r, value_str(vis));
                free(num);
                free(vis);
                value_push(t, r);
            }
            cli_print_table(h, t);
            value_free(t);
        }
    }
    value_free(out);
    return rc;
}

static void print_list(const char *label, const bs_value *l)
{
    for (size_t i = 0; i < value_len(l); i++) {
        cli_line("      %s %s", label, value_as_str(value_at(l, i)));
    }
}

static void print_items(const char *heading, const bs_value *items)
{
    if (value_len(items) == 0) {
        return;
    }
    int64_t total = 0;
    for (size_t i = 0; i < value_len(items); i++) {
        total += value_as_int(value_get(value_at(items, i), "minutes"));
    }
    if (total > 0) {
        cli_line(_("  [%s] (%lld min in all)"), heading, (long long)total);
    } else {
        cli_line(_("  [%s]"), heading);
    }
    for (size_t i = 0; i < value_len(items); i++) {
        const bs_value *it = value_at(items, i);
        const bs_value *min = value_get(it, "minutes");
        if (min) {
            cli_line(_("    %zu. [%s] (%lld min)"), i + 1, value_get_str(it, "id"),
                     (long long)value_as_int(min));
        } else {
            cli_line("    %zu. [%s]", i + 1, value_get_str(it, "id"));
        }
        if (value_get_str(it, "company")) {
            cli_line(_("      Company: %s"), value_get_str(it, "company"));
        }
        if (value_get_str(it, "expert")) {
            cli_line(_("      Expert:  %s"), value_get_str(it, "expert"));
        }
        print_list(_("[provided]"), value_get(it, "provided"));
        print_list(_("[delivered]"), value_get(it, "deliverables"));
        if (value_get_str(it, "note")) {
            cli_line(_("      Note:    %s"), value_get_str(it, "note"));
        }
    }
}

static int run_theme_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const bs_value *m = NULL;
    int rc = catalog_theme(ctx->s, a->pos[0], &m, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(m);
        return BS_OK;
    }
    cli_line(_("Theme %lld: %s (%s)"), (long long)value_as_int(value_get(m, "number")),
             value_get_str(m, "title"), value_get_str(m, "id"));
    putchar('\n');
    if (value_get_str(m, "base")) {
        cli_line(_("Based on: %s"), value_get_str(m, "base"));
    }
    cli_line(_("For companies that: %s"), value_get_str(m, "audience"));
    cli_line(_("What the guidance brings: %s"), value_get_str(m, "effect"));
    putchar('\n');
    const bs_value *goals = value_get(m, "goals");
    printf("%s\n", _("Goals"));
    for (size_t i = 0; i < value_len(goals); i++) {
        cli_line(_("  [goal %zu] %s"), i + 1, value_as_str(value_at(goals, i)));
    }
    const bs_value *variants = value_get(m, "variants");
    if (value_len(variants)) {
        printf("\n%s\n", _("Variants (chosen with engagement variant)"));
    }
    for (size_t i = 0; i < value_len(variants); i++) {
        const bs_value *v = value_at(variants, i);
        bs_buf when = {0};
        const bs_value *ind = value_get(v, "industries");
        for (size_t k = 0; k < value_len(ind); k++) {
            // TRANSLATORS: the industries a variant is for: "industry: A, B".
            bs_buf_printf(&when, k ? _(", %s") : _("industry: %s"), value_as_str(value_at(ind, k)));
        }
        if (value_get(v, "max_employees")) {
            bs_buf_printf(&when, when.len ? _("; %lld employees or fewer") : _("%lld employees or fewer"),
                          (long long)value_as_int(value_get(v, "max_employees")));
        }
        // TRANSLATORS: a variant: its id padded to 12, its title and when it applies.
        cli_line(_("  %-12s %s (%s)"), value_get_str(v, "id"), value_get_str(v, "title"),
                 when.len ? when.s : _("only when chosen"));
        bs_buf_free(&when);
    }
    const bs_value *steps = value_get(m, "steps");
    for (size_t i = 0; i < value_len(steps); i++) {
        const bs_value *st = value_at(steps, i);
        putchar('\n');
        cli_line(_("* %s - visit %zu, goal %zu"), value_get_str(st, "title"), i + 1, i + 1);
        if (value_get_str(st, "aim")) {
            cli_line("  %s", value_get_str(st, "aim"));
        }
        print_items(_("Preparation"), value_get(st, "prep"));
        print_items(_("On the day"), value_get(st, "onsite"));
        print_items(_("Afterwards"), value_get(st, "after"));
    }
    return BS_OK;
}

static int run_theme_check(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *files = NULL, *results = NULL;
    if (a->npos > 0) {
        files = value_list();
        for (int i = 0; i < a->npos; i++) {
            value_push(files, value_str(a->pos[i]));
        }
    }
    int rc = catalog_check(ctx->s, files, &results, err);
    size_t bad = 0, total = 0;
    for (size_t i = 0; rc == BS_OK && i < value_len(results); i++) {
        const bs_value *r = value_at(results, i), *problems = value_get(r, "problems");
        if (value_len(problems) == 0) {
            cli_line(_("%s: ok"), value_get_str(r, "file"));
            continue;
        }
        bad++;
        total += value_len(problems);
        for (size_t k = 0; k < value_len(problems); k++) {
            cli_line("%s", value_as_str(value_at(problems, k)));
        }
    }
    if (rc == BS_OK && bad > 0) {
        // Two counts, each with its own plural: the problems, then the files.
        char *problems = xasprintf(ngettext("%zu problem", "%zu problems", total), total);
        rc = bs_err_set(err, BS_ESCRIPT,
                        ngettext("%s in %zu of %zu theme file", "%s in %zu of %zu theme files",
                                 value_len(results)),
                        problems, bad, value_len(results));
        free(problems);
    }
    value_free(results);
    value_free(files);
    return rc;
}

static const cli_opt json_opts[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_theme_cmds[] = {
    {"themes", NULL, N_("list the themes on the theme path"),
     N_("Themes are found in WORKSPACE/themes/ first, then $BANSOU_THEMES or the\n"
     "installed themes. See docs/theme-format.md."),
     0, 0, false, json_opts, run_themes},
    {"theme show", "ID", N_("print a theme's goals and full syllabus"), NULL, 1, 1, false, json_opts,
     run_theme_show},
    {"theme check", "[FILE…]", N_("validate theme scripts and report every problem"),
     N_("Without FILE, checks every theme on the theme path. Each problem is printed\n"
     "as FILE:LINE: PATH: MESSAGE; the exit status is 1 when any is found."),
     0, CLI_MAX_POS, false, NULL, run_theme_check},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
