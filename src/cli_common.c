/* What the cli_*.c files share: options, ids, tables and fields printed for
 * East Asian widths, JSON, warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "i18n.h"
#include "jsonv.h"
#include "util.h"

static void pad(int cols)
{
    for (int i = 0; i < cols; i++) {
        putchar(' ');
    }
}

const char *cli_opt_val(const cli_args *a, const char *name)
{
    for (int k = 0; a->cmd->opts && a->cmd->opts[k].name; k++) {
        if (strcmp(a->cmd->opts[k].name, name) == 0) {
            return a->val[k];
        }
    }
    return NULL;
}

bool cli_flag(const cli_args *a, const char *name)
{
    return cli_opt_val(a, name) != NULL;
}

int cli_parse_id(const char *s, const char *what, int64_t *out, bs_err *err)
{
    int64_t v;
    if (!bs_parse_int(s, &v) || v < 1 || v > 1000000000) {
        return bs_err_set(err, BS_EINPUT, _("%s: '%s' is not a positive number"), what, s);
    }
    *out = v;
    return BS_OK;
}

void cli_print_json(const bs_value *v)
{
    char *s = jsonv_dump(v);
    fputs(s, stdout);
    free(s);
}

static void vline(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
    char *text = NULL;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0) {
        text = xmalloc((size_t)n + 1);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    }
    char *shown = bs_visible(text ? text : "");
    fprintf(f, "%s%s\n", prefix, shown);
    free(shown);
    free(text);
}

void cli_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(stdout, "", fmt, ap);
    va_end(ap);
}

void cli_err_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(stderr, "bansou: ", fmt, ap);
    va_end(ap);
}

void cli_puts(const char *s)
{
    char *shown = bs_visible(s ? s : "");
    fputs(shown, stdout);
    free(shown);
}

void cli_print_table(const char *const *headers, const bs_value *rows)
{
    int ncol = 0;
    while (headers[ncol]) {
        ncol++;
    }
    // The cells as they are shown: widths are those of what is printed.
    size_t nrows = value_len(rows);
    char **cells = xcalloc(nrows * (size_t)ncol + 1, sizeof *cells);
    int *w = xcalloc((size_t)ncol, sizeof *w);
    for (int c = 0; c < ncol; c++) {
        w[c] = bs_utf8_width(headers[c]);
    }
    for (size_t r = 0; r < nrows; r++) {
        for (int c = 0; c < ncol; c++) {
            const char *s = value_as_str(value_at(value_at(rows, r), (size_t)c));
            char *shown = bs_visible(s ? s : "");
            int cw = bs_utf8_width(shown);
            if (cw > w[c]) {
                w[c] = cw;
            }
            cells[r * (size_t)ncol + (size_t)c] = shown;
        }
    }
    for (int c = 0; c < ncol; c++) {
        fputs(headers[c], stdout);
        if (c + 1 < ncol) {
            pad(w[c] - bs_utf8_width(headers[c]) + 2);
        }
    }
    putchar('\n');
    for (size_t r = 0; r < nrows; r++) {
        for (int c = 0; c < ncol; c++) {
            const char *s = cells[r * (size_t)ncol + (size_t)c];
            fputs(s, stdout);
            if (c + 1 < ncol) {
                pad(w[c] - bs_utf8_width(s) + 2);
            }
        }
        putchar('\n');
    }
    for (size_t i = 0; i < nrows * (size_t)ncol; i++) {
        free(cells[i]);
    }
    free(cells);
    free(w);
}

void cli_print_padded(const char *s, int width)
{
    char *shown = bs_visible(s ? s : "");
    fputs(shown, stdout);
    pad(width - bs_utf8_width(shown));
    free(shown);
}

void cli_print_field(const char *label, const char *value, int width)
{
    fputs(label, stdout);
    pad(width - bs_utf8_width(label));
    putchar(' ');
    cli_line("%s", value && *value ? value : "-");
}

int cli_parse_visit(const char *s, int *out, bs_err *err)
{
    int64_t v = 0;
    int rc = cli_parse_id(s, "N", &v, err);
    if (rc == BS_OK && v > 99) {
        rc = bs_err_set(err, BS_EINPUT, _("N: %lld is not a visit number"), (long long)v);
    }
    *out = (int)v;
    return rc;
}

char *cli_int_text(const bs_value *v, const char *otherwise)
{
    return value_type(v) == BS_VINT ? xasprintf("%lld", (long long)value_as_int(v))
                                    : xstrdup(otherwise);
}

void cli_print_warnings(const bs_value *warnings)
{
    for (size_t i = 0; i < value_len(warnings); i++) {
        cli_err_line(_("warning: %s"), value_as_str(value_at(warnings, i)));
    }
}

void cli_print_paths(const bs_value *written)
{
    for (size_t i = 0; i < value_len(written); i++) {
        cli_line("%s", value_get_str(value_at(written, i), "path"));
    }
}
