/* Worksheets: write one for a company, import it back (intake.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "i18n.h"
#include "intake.h"
#include "util.h"

static int list_sheets(cli_ctx *ctx, int64_t eng, const cli_args *a, bs_err *err)
{
    bs_value *sheets = NULL;
    int rc = intake_sheets(ctx->s, eng, &sheets, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(sheets);
    }
    for (size_t i = 0; !cli_flag(a, "json") && i < value_len(sheets); i++) {
        const bs_value *s = value_at(sheets, i);
        cli_line("%-28s %s%s%s", value_get_str(s, "id"),
                 value_get_str(s, "title") ? value_get_str(s, "title") : value_get_str(s, "sheet"),
                 value_as_bool(value_get(s, "output")) ? _(" (result)") : "",
                 value_as_bool(value_get(s, "imported")) ? _(" (imported)") : "");
    }
    value_free(sheets);
    return BS_OK;
}

static int run_worksheet(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (a->npos < 2) {
        return list_sheets(ctx, eng, a, err);
    }
    char *path = NULL, *pdf = NULL;
    rc = intake_write(ctx->s, eng, a->pos[1], cli_flag(a, "blank"), cli_flag(a, "force"),
                      cli_opt_val(a, "output"), &path, err);
    if (rc == BS_OK && !cli_flag(a, "json")) {
        cli_line("%s", path);
    }
    int wrote = rc;
    if (rc == BS_OK) {
        rc = cli_pdf_one(ctx, a, eng, path, &pdf, err);
    }
    if (wrote == BS_OK && cli_flag(a, "json")) {
        // The workbook was written even when its PDF was not.
        bs_value *o = value_map();
        value_set_str(o, "sheet", a->pos[1]);
        value_set_str(o, "path", path);
        if (pdf) {
            value_set_str(o, "pdf", pdf);
        }
        cli_print_json(o);
        value_free(o);
    } else if (pdf) {
        cli_line("%s", pdf);
    }
    free(pdf);
    free(path);
    return rc;
}

static void print_diff(const bs_value *d)
{
    const bs_value *ad = value_get(d, "added"), *rm = value_get(d, "removed"),
                   *ch = value_get(d, "changed");
    if (!value_len(ad) && !value_len(rm) && !value_len(ch)) {
        printf("%s\n", _("  no change since the last import"));
        return;
    }
    cli_line(_("  since the last import: %zu added, %zu removed, %zu changed"), value_len(ad),
             value_len(rm), value_len(ch));
    for (size_t i = 0; i < value_len(ad); i++) {
        cli_line(_("    added    %s"), value_as_str(value_at(ad, i)));
    }
    for (size_t i = 0; i < value_len(rm); i++) {
        cli_line(_("    removed  %s"), value_as_str(value_at(rm, i)));
    }
    for (size_t i = 0; i < value_len(ch); i++) {
        const bs_value *c = value_at(ch, i);
        cli_line(_("    changed  %s: %s"), value_get_str(c, "key"), value_get_str(c, "changes"));
    }
}

static int run_import(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    bs_value *done = NULL, *problems = value_list();
    if (rc == BS_OK) {
        rc = intake_import(ctx->s, eng, a->pos[1], &done, problems, err);
    }
    for (size_t i = 0; i < value_len(done); i++) {
        const bs_value *d = value_at(done, i);
        bs_buf line = {0};
        long long nr = (long long)value_as_int(value_get(d, "rows"));
        bs_buf_printf(&line, ngettext("imported %s: %lld row", "imported %s: %lld rows",
                                      (unsigned long)nr),
                      value_get_str(d, "sheet"), nr);
        long long ns = (long long)value_as_int(value_get(d, "skipped"));
        if (ns) {
            bs_buf_printf(&line,
                          ngettext(" (%lld row left out: %s = %s)",
                                   " (%lld rows left out: %s = %s)", (unsigned long)ns),
                          ns,
                          value_get_str(d, "skip_header"), value_get_str(d, "skip_equals"));
        }
        cli_line("%s", line.s);
        bs_buf_free(&line);
        if (value_type(value_get(d, "diff")) == BS_VMAP) {
            print_diff(value_get(d, "diff"));
        }
    }
    for (size_t i = 0; i < value_len(problems); i++) {
        cli_err_line("%s", value_as_str(value_at(problems, i)));
    }
    value_free(done);
    value_free(problems);
    return rc;
}

/* The rows of a sheet as a table under a "SHEET: N rows" line; the columns
 * are the keys of its first row. */
static void print_sheet_rows(const char *sheet, const bs_value *rows)
{
    cli_line(ngettext("%s: %zu row", "%s: %zu rows", value_len(rows)), sheet, value_len(rows));
    const bs_value *first = value_at(rows, 0);
    size_t ncol = value_len(first);
    if (!ncol) {
        return;
    }
    const char **h = xcalloc(ncol + 1, sizeof *h);
    for (size_t c = 0; c < ncol; c++) {
        h[c] = value_key_at(first, c);
    }
    bs_value *t = value_list();
    for (size_t r = 0; r < value_len(rows); r++) {
        bs_value *line = value_list();
        for (size_t c = 0; c < ncol; c++) {
            const bs_value *cell = value_get(value_at(rows, r), h[c]);
            char buf[64];
            if (!cell || value_type(cell) == BS_VNULL) {
                value_push(line, value_str("-"));
            } else if (value_type(cell) == BS_VSTR) {
                value_push(line, value_str(value_as_str(cell)));
            } else {
                value_scalar_text(cell, buf, sizeof buf);
                value_push(line, value_str(buf));
            }
        }
        value_push(t, line);
    }
    cli_print_table(h, t);
    value_free(t);
    free(h);
}

static int run_records(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    bs_value *v = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK) {
        rc = intake_records(ctx->s, eng, a->npos > 1 ? a->pos[1] : NULL, &v, err);
    }
    if (rc == BS_OK && cli_flag(a, "json")) {
        cli_print_json(v);
    } else if (rc == BS_OK && value_type(v) == BS_VLIST) { // one sheet
        print_sheet_rows(a->pos[1], v);
    } else if (rc == BS_OK) {
        for (size_t i = 0; i < value_len(v); i++) {
            if (i) {
                putchar('\n');
            }
            print_sheet_rows(value_key_at(v, i), value_at(v, i));
        }
    }
    value_free(v);
    return rc;
}

static const cli_opt sheet_opts[] = {
    {"output", "FILE", N_("where to write (default: out/<id>_<company>/<theme>/<file>)"), 'o'},
    {"blank", NULL, N_("ignore what was imported before; start from the spec's rows"), 0},
    {"json", NULL, N_("print JSON: the worksheets (without SHEET), or the sheet and path written"), 0},
    {"force", NULL, N_("keep a file edited since it was written as NAME.edited-DATE, then write it anew"),
     0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};
static const cli_opt json_opts[] = {
    {"json", NULL, N_("print JSON (a list of row objects for each sheet)"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_sheet_cmds[] = {
    {"worksheet", "ENG [SHEET]", N_("write a worksheet of the engagement's theme (XLSX)"),
     N_("Without SHEET, lists the theme's worksheets. An input sheet is written with\n"
     "what was imported last time, or the spec's rows; a result sheet is computed\n"
     "from what was imported. See docs/worksheet-format.md."),
     1, 2, true, sheet_opts, run_worksheet},
    {"import", "ENG FILE.xlsx", N_("import a filled-in worksheet"),
     N_("Recognises which worksheet the file is, checks every cell, and stores the rows,\n"
     "replacing an earlier import. Every problem is printed with sheet and cell; a\n"
     "file with any problem imports nothing."),
     2, 2, true, NULL, run_import},
    {"records", "ENG [SHEET]", N_("print the rows imported from worksheets"), NULL, 1, 2, true,
     json_opts, run_records},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
