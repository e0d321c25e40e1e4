/* What the cli_*.c files share: options, ids, tables and fields printed for
 * East Asian widths, JSON, warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

/* The columns output is shaped to: -1 until asked. */
static int out_width = -1;
static bool wide_output;

void cli_set_wide(void)
{
    wide_output = true;
}

int cli_width(void)
{
    if (out_width < 0) {
        out_width = 0;
        if (!wide_output && isatty(STDOUT_FILENO)) {
            struct winsize ws;
            const char *cols = getenv("COLUMNS");
            int64_t c = 0;
            if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
                out_width = ws.ws_col;
            } else if (cols && bs_parse_int(cols, &c) && c > 0 && c < 10000) {
                out_width = (int)c;
            } else {
                out_width = 80;
            }
        }
    }
    return out_width;
}

const char *cli_shown_path(const cli_ctx *ctx, const char *path)
{
    const char *dir = ctx->s ? session_dir(ctx->s) : NULL;
    if (!path || !dir || cli_width() == 0) {
        return path;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] ? path + n + 1 : path;
}

void cli_shown_time(const char *iso, char out[32])
{
    size_t n = iso ? strlen(iso) : 0;
    if (cli_width() == 0 || n < 16 || iso[10] != 'T') {
        snprintf(out, 32, "%s", iso ? iso : "");
        return;
    }
    memcpy(out, iso, 16);
    out[10] = ' ';
    out[16] = '\0';
}

size_t cli_common_dir(const char *const *paths, size_t n)
{
    const char *base = NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i];
        if (!p || p[0] == '/') {
            continue;
        }
        if (!base) {
            const char *slash = strrchr(p, '/');
            base = p;
            len = slash ? (size_t)(slash - p) + 1 : 0;
            continue;
        }
        size_t k = 0;
        while (k < len && p[k] == base[k]) {
            k++;
        }
        while (k > 0 && p[k - 1] != '/') {
            k--;
        }
        len = k;
    }
    return len;
}

/* Prints `shown` (made visible) from column `col` on, broken into lines of
 * `width` columns (0: one line) whose continuations begin `indent` columns in
 * (half the width at most), then a newline. */
static void put_wrapped(FILE *f, const char *shown, int col, int indent, int width)
{
    if (indent * 2 > width) {
        indent = 4;
    }
    if (width == 0 || width - indent < 8) {
        fprintf(f, "%s\n", shown);
        return;
    }
    const char *p = shown;
    int room = width - col;
    for (;;) {
        size_t len = room > 0 ? bs_wrap_len(p, room) : 0;
        size_t keep = len;
        while (keep > 0 && p[keep - 1] == ' ') {
            keep--;
        }
        fprintf(f, "%.*s\n", (int)keep, p);
        p += len;
        while (*p == ' ') {
            p++;
        }
        if (!*p) {
            return;
        }
        fprintf(f, "%*s", indent, "");
        room = width - indent;
    }
}

/* The columns a continuation of `line` is indented by: past a leading
 * "label：" (a short one, as the theme's pages have), else past its leading
 * spaces and two more. */
static int hanging_indent(const char *line)
{
    int lead = 0;
    while (line[lead] == ' ') {
        lead++;
    }
    const char *colon = strstr(line, "："); // value: the colon of a Japanese label
    if (colon) {
        char *label = xstrndup(line, (size_t)(colon - line));
        int w = bs_utf8_width(label) + 2;
        free(label);
        if (w <= 24) {
            return w;
        }
    }
    return lead + 2;
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
    if (f == stdout) {
        put_wrapped(f, shown, 0, hanging_indent(shown), cli_width());
    } else {
        fprintf(f, "%s%s\n", prefix, shown);
    }
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

void cli_print_wrapped(const char *s, int col, int indent, int width)
{
    char *shown = bs_visible(s ? s : "");
    put_wrapped(stdout, shown, col, indent, width);
    free(shown);
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

/* The lines `cell` takes at `width` columns. */
static int cell_lines(const char *cell, int width)
{
    int lines = 0;
    do {
        cell += bs_wrap_len(cell, width);
        while (*cell == ' ') {
            cell++;
        }
        lines++;
    } while (*cell);
    return lines;
}

/* How many lines the rows gain when column `c` is `width` columns wide,
 * the lines of each cell being lines[]. */
static int rows_gained(char *const *cells, const int *lines, size_t nrows, int ncol, int c,
                       int width)
{
    int gained = 0;
    for (size_t r = 0; r < nrows; r++) {
        const int *row = lines + r * (size_t)ncol;
        int high = 0, others = 0;
        for (int k = 0; k < ncol; k++) {
            high = row[k] > high ? row[k] : high;
            others = k != c && row[k] > others ? row[k] : others;
        }
        int mine = cell_lines(cells[r * (size_t)ncol + (size_t)c], width);
        gained += (mine > others ? mine : others) - high;
    }
    return gained;
}

/* The columns of the longest run of `s` that a line should not break:
 * characters between spaces (a space between digits, as in a date and its
 * time, does not count) and wide characters, which break anywhere. */
static int longest_word(const char *s)
{
    size_t n = strlen(s), at = 0;
    int run = 0, most = 0;
    uint32_t prev = 0;
    while (at < n) {
        uint32_t cp;
        int cw;
        at += bs_utf8_step(s + at, n - at, &cp, &cw);
        bool joins = cp == ' ' && prev >= '0' && prev <= '9' && at < n && s[at] >= '0' &&
                     s[at] <= '9';
        if (cw == 2 || (cp == ' ' && !joins)) {
            run = 0;
            most = cw > most ? cw : most;
        } else {
            run += cw;
            most = run > most ? run : most;
        }
        prev = cp;
    }
    return most;
}

/* Narrows the columns of w[0..ncol) until a row fits in `width` (0: as
 * they are). Each step narrows the one column, to the one width, that costs
 * the fewest lines for each column saved (then saves the most, then is the
 * widest). None below its header, nor, while that is enough, breaking a
 * word (a date, an id, an English word) or below 8 columns; else 4. */
static void fit_columns(int *w, const int *head, int ncol, int width, char *const *cells,
                        size_t nrows)
{
    int total = 2 * (ncol - 1);
    for (int c = 0; c < ncol; c++) {
        total += w[c];
    }
    if (width <= 0 || total <= width) {
        return;
    }
    int *lines = xcalloc(nrows * (size_t)ncol + 1, sizeof *lines);
    for (size_t i = 0; i < nrows * (size_t)ncol; i++) {
        lines[i] = 1;
    }
    // First no word is broken (up to 20 columns of one), then none of the
    // columns is narrower than 8, then 4.
    int *word = xcalloc((size_t)ncol, sizeof *word);
    for (size_t i = 0; i < nrows * (size_t)ncol; i++) {
        int c = (int)(i % (size_t)ncol), lw = longest_word(cells[i]);
        word[c] = lw > word[c] ? (lw < 20 ? lw : 20) : word[c];
    }
    for (int pass = 0; pass < 3; pass++) {
        while (total > width) {
            int best = -1, best_w = 0, best_gain = 0, best_saved = 0;
            for (int c = 0; c < ncol; c++) {
                int floor = pass == 0 ? (word[c] > 8 ? word[c] : 8) : pass == 1 ? 8 : 4;
                int least = head[c] > floor ? head[c] : floor;
                for (int to = w[c] - 1; to >= least; to--) {
                    int saved = w[c] - to;
                    int gain = rows_gained(cells, lines, nrows, ncol, c, to);
                    long lhs = (long)gain * best_saved, rhs = (long)best_gain * saved;
                    if (best < 0 || lhs < rhs ||
                        (lhs == rhs && (saved > best_saved ||
                                        (saved == best_saved && w[c] > w[best])))) {
                        best = c;
                        best_w = to;
                        best_gain = gain;
                        best_saved = saved;
                    }
                    if (saved >= total - width) {
                        break; // narrower saves nothing more
                    }
                }
            }
            if (best < 0) {
                break;
            }
            total -= w[best] - best_w;
            w[best] = best_w;
            for (size_t r = 0; r < nrows; r++) {
                size_t i = r * (size_t)ncol + (size_t)best;
                lines[i] = cell_lines(cells[i], w[best]);
            }
        }
    }
    free(word);
    free(lines);
}

/* One row: each cell broken into lines of its column's width, the row as
 * many lines high as its tallest cell. On a terminal no spaces end a line;
 * piped, the columns before an empty last one are padded as they always
 * were, so that what scripts read does not change. */
static void print_row(char *const *cells, const int *w, int ncol, bool piped)
{
    const char **at = xcalloc((size_t)ncol, sizeof *at);
    for (int c = 0; c < ncol; c++) {
        at[c] = cells[c];
    }
    bool more = true;
    while (more) {
        more = false;
        int owed = 0;
        for (int c = 0; c < ncol; c++) {
            size_t len = *at[c] ? bs_wrap_len(at[c], w[c]) : 0;
            size_t keep = len;
            while (keep > 0 && at[c][keep - 1] == ' ') {
                keep--;
            }
            if (keep > 0) {
                printf("%*s%.*s", owed, "", (int)keep, at[c]);
                char *part = xstrndup(at[c], keep);
                owed = w[c] - bs_utf8_width(part) + 2;
                free(part);
            } else {
                owed += w[c] + 2;
            }
            at[c] += len;
            while (*at[c] == ' ' && len > 0) {
                at[c]++;
            }
            more = more || *at[c];
        }
        if (piped && owed > w[ncol - 1] + 2) {
            printf("%*s", owed - w[ncol - 1] - 2, "");
        }
        putchar('\n');
    }
    free(at);
}

/* A table of `ncol` columns under `headers` (NULL: no header line). */
static void print_table(const char *const *headers, int ncol, const bs_value *rows)
{
    // The cells as they are shown: widths are those of what is printed.
    size_t nrows = value_len(rows);
    char **cells = xcalloc(nrows * (size_t)ncol + 1, sizeof *cells);
    int *w = xcalloc((size_t)ncol, sizeof *w);
    int *head = xcalloc((size_t)ncol, sizeof *head);
    for (int c = 0; headers && c < ncol; c++) {
        head[c] = w[c] = bs_utf8_width(headers[c]);
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
    fit_columns(w, head, ncol, cli_width(), cells, nrows);
    for (int c = 0; headers && c < ncol; c++) {
        fputs(headers[c], stdout);
        if (c + 1 < ncol) {
            pad(w[c] - head[c] + 2);
        }
    }
    if (headers) {
        putchar('\n');
    }
    for (size_t r = 0; r < nrows; r++) {
        print_row(cells + r * (size_t)ncol, w, ncol, cli_width() == 0);
    }
    for (size_t i = 0; i < nrows * (size_t)ncol; i++) {
        free(cells[i]);
    }
    free(cells);
    free(head);
    free(w);
}

void cli_print_table(const char *const *headers, const bs_value *rows)
{
    int ncol = 0;
    while (headers[ncol]) {
        ncol++;
    }
    print_table(headers, ncol, rows);
}

void cli_print_rows(int ncol, const bs_value *rows)
{
    print_table(NULL, ncol, rows);
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
    int col = (width > bs_utf8_width(label) ? width : bs_utf8_width(label)) + 1;
    cli_print_wrapped(value && *value ? value : "-", col, col, cli_width());
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
        // Whole, never broken: a path is copied from the terminal as it is.
        char *shown = bs_visible(value_get_str(value_at(written, i), "path"));
        puts(shown);
        free(shown);
    }
}
