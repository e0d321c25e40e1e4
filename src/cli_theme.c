/* Themes: list, show a syllabus, check a script. */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "util.h"
#include "worksheet.h"

static int run_themes(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *ids = theme_ids(&ctx->tp);
    bs_value *out = value_list();
    int rc = BS_OK;
    if (value_len(ids) == 0) {
        rc = bs_err_set(err, BS_ENOTFOUND, "no themes found in %s%s%s", ctx->tp.dirs[0],
                        ctx->tp.n > 1 ? " or " : "", ctx->tp.n > 1 ? ctx->tp.dirs[1] : "");
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(ids); i++) {
        bs_theme *th = NULL;
        rc = cli_theme_load(ctx, value_as_str(value_at(ids, i)), &th, err);
        if (rc != BS_OK) {
            break;
        }
        const bs_value *m = theme_model(th);
        bs_value *e = value_map();
        value_set_str(e, "id", value_get_str(m, "id"));
        value_set_int(e, "number", value_as_int(value_get(m, "number")));
        value_set_str(e, "title", value_get_str(m, "title"));
        value_set_int(e, "visits", theme_visits(m));
        value_set_str(e, "file", theme_path(th));
        value_push(out, e);
        theme_free(th);
    }
    // List in the themes' own order (their numbers), not by file name.
    for (size_t i = 1; rc == BS_OK && i < value_len(out); i++) {
        for (size_t j = i; j > 0; j--) {
            bs_value *x = value_at(out, j - 1), *y = value_at(out, j);
            if (value_as_int(value_get(x, "number")) <= value_as_int(value_get(y, "number"))) {
                break;
            }
            value_swap(out, j - 1, j);
        }
    }
    if (rc == BS_OK) {
        if (cli_flag(a, "json")) {
            cli_print_json(out);
        } else {
            static const char *const h[] = {"No", "ID", "テーマ", "訪問回数", NULL};
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
    value_free(ids);
    return rc;
}

static void print_list(const char *label, const bs_value *l)
{
    for (size_t i = 0; i < value_len(l); i++) {
        printf("      %s %s\n", label, value_as_str(value_at(l, i)));
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
        printf("  【%s】（計%lld分）\n", heading, (long long)total);
    } else {
        printf("  【%s】\n", heading);
    }
    for (size_t i = 0; i < value_len(items); i++) {
        const bs_value *it = value_at(items, i);
        const bs_value *min = value_get(it, "minutes");
        if (min) {
            printf("    %zu. [%s]（%lld分）\n", i + 1, value_get_str(it, "id"),
                   (long long)value_as_int(min));
        } else {
            printf("    %zu. [%s]\n", i + 1, value_get_str(it, "id"));
        }
        if (value_get_str(it, "company")) {
            printf("      企業　：%s\n", value_get_str(it, "company"));
        }
        if (value_get_str(it, "expert")) {
            printf("      専門家：%s\n", value_get_str(it, "expert"));
        }
        print_list("【提供】", value_get(it, "provided"));
        print_list("【成果物】", value_get(it, "deliverables"));
        if (value_get_str(it, "note")) {
            printf("      備考　：%s\n", value_get_str(it, "note"));
        }
    }
}

static int run_theme_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = cli_theme_load(ctx, a->pos[0], &th, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *m = theme_model(th);
    if (cli_flag(a, "json")) {
        cli_print_json(m);
        theme_free(th);
        return BS_OK;
    }
    printf("テーマ%lld　%s（%s）\n\n", (long long)value_as_int(value_get(m, "number")),
           value_get_str(m, "title"), value_get_str(m, "id"));
    if (value_get_str(m, "base")) {
        printf("基にする資料：%s\n", value_get_str(m, "base"));
    }
    printf("どういった企業に：%s\n", value_get_str(m, "audience"));
    printf("指導による効果：%s\n\n", value_get_str(m, "effect"));
    const bs_value *goals = value_get(m, "goals");
    printf("達成目標\n");
    for (size_t i = 0; i < value_len(goals); i++) {
        printf("  【達成目標%zu】%s\n", i + 1, value_as_str(value_at(goals, i)));
    }
    const bs_value *variants = value_get(m, "variants");
    if (value_len(variants)) {
        printf("\n版（engagement variant で選択）\n");
    }
    for (size_t i = 0; i < value_len(variants); i++) {
        const bs_value *v = value_at(variants, i);
        bs_buf when = {0};
        const bs_value *ind = value_get(v, "industries");
        for (size_t k = 0; k < value_len(ind); k++) {
            bs_buf_printf(&when, "%s%s", k ? "、" : "業種：", value_as_str(value_at(ind, k)));
        }
        if (value_get(v, "max_employees")) {
            bs_buf_printf(&when, "%s従業員%lld名以下", when.len ? "／" : "",
                          (long long)value_as_int(value_get(v, "max_employees")));
        }
        printf("  %-12s %s（%s）\n", value_get_str(v, "id"), value_get_str(v, "title"),
               when.len ? when.s : "指定したときのみ");
        bs_buf_free(&when);
    }
    const bs_value *steps = value_get(m, "steps");
    for (size_t i = 0; i < value_len(steps); i++) {
        const bs_value *st = value_at(steps, i);
        printf("\n■%s　— 第%zu回訪問・達成目標%zu\n", value_get_str(st, "title"), i + 1, i + 1);
        if (value_get_str(st, "aim")) {
            printf("  %s\n", value_get_str(st, "aim"));
        }
        print_items("事前準備", value_get(st, "prep"));
        print_items("当日", value_get(st, "onsite"));
        print_items("事後", value_get(st, "after"));
    }
    theme_free(th);
    return BS_OK;
}

/* A valid theme's worksheet specs are checked too (docs/worksheet-format.md). */
static void check_worksheets(cli_ctx *ctx, const char *file, bs_value *problems)
{
    bs_theme *th = NULL;
    bs_err e = {0};
    if (value_len(problems) > 0 || theme_load_script(file, &ctx->tp, NULL, &th, &e) != BS_OK) {
        return;
    }
    const bs_value *ws = value_get(theme_model(th), "worksheets");
    if (ws && value_type(ws) != BS_VLIST) {
        char *msg = xasprintf("%s:1: worksheets: expected a list of worksheet{…}", file);
        value_push(problems, value_str(msg));
        free(msg);
    }
    for (size_t i = 0; i < value_len(ws); i++) {
        const bs_value *spec = value_at(ws, i);
        char *where = xasprintf("%s:%d: worksheets[%zu]", file, value_line(spec), i + 1);
        worksheet_check(theme_model(th), spec, where, problems);
        free(where);
    }
    // A document's `needs` names worksheets of the theme.
    const bs_value *docs = value_get(theme_model(th), "documents");
    for (size_t i = 0; i < value_len(docs); i++) {
        const bs_value *d = value_at(docs, i), *needs = value_get(d, "needs");
        for (size_t k = 0; k < value_len(needs); k++) {
            const char *id = value_as_str(value_at(needs, k));
            size_t index;
            if (!id || !worksheet_find(theme_model(th), id, &index)) {
                char *msg = xasprintf("%s:%d: documents[%zu].needs: no worksheet '%s' in the theme",
                                      file, value_line(d), i + 1, id ? id : "");
                value_push(problems, value_str(msg));
                free(msg);
            }
        }
    }
    theme_free(th);
}

static int run_theme_check(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *files = value_list();
    if (a->npos > 0) {
        for (int i = 0; i < a->npos; i++) {
            value_push(files, value_str(a->pos[i]));
        }
    } else {
        bs_value *ids = theme_ids(&ctx->tp);
        for (size_t i = 0; i < value_len(ids); i++) {
            char *p = theme_find(value_as_str(value_at(ids, i)), &ctx->tp);
            value_push(files, value_str(p));
            free(p);
        }
        value_free(ids);
    }
    size_t bad = 0, total = 0;
    int rc = BS_OK;
    for (size_t i = 0; rc == BS_OK && i < value_len(files); i++) {
        const char *f = value_as_str(value_at(files, i));
        bs_value *problems = NULL;
        rc = theme_check_file(f, &ctx->tp, &problems, err);
        if (rc != BS_OK) {
            break;
        }
        check_worksheets(ctx, f, problems);
        if (value_len(problems) == 0) {
            printf("%s: ok\n", f);
        } else {
            bad++;
            total += value_len(problems);
            for (size_t k = 0; k < value_len(problems); k++) {
                printf("%s\n", value_as_str(value_at(problems, k)));
            }
        }
        value_free(problems);
    }
    if (rc == BS_OK && value_len(files) == 0) {
        rc = bs_err_set(err, BS_ENOTFOUND, "no theme files found on the theme path");
    }
    if (rc == BS_OK && bad > 0) {
        rc = bs_err_set(err, BS_ESCRIPT, "%zu problem%s in %zu of %zu theme file%s", total,
                        total == 1 ? "" : "s", bad, value_len(files),
                        value_len(files) == 1 ? "" : "s");
    }
    value_free(files);
    return rc;
}

static const cli_opt json_opts[] = {
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_theme_cmds[] = {
    {"themes", NULL, "list the themes on the theme path",
     "Themes are found in WORKSPACE/themes/ first, then $BANSOU_THEMES or the\n"
     "installed themes. See docs/theme-format.md.",
     0, 0, false, json_opts, run_themes},
    {"theme show", "ID", "print a theme's goals and full syllabus", NULL, 1, 1, false, json_opts,
     run_theme_show},
    {"theme check", "[FILE…]", "validate theme scripts and report every problem",
     "Without FILE, checks every theme on the theme path. Each problem is printed\n"
     "as FILE:LINE: PATH: MESSAGE; the exit status is 1 when any is found.",
     0, CLI_MAX_POS, false, NULL, run_theme_check},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
