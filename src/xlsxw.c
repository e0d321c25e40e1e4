#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "i18n.h"
#include "util.h"
#include "worksheet.h"
#include "xlsxw.h"

/* Japanese text needs a Japanese font; Excel and LibreOffice fall back to
 * another CJK font where this one is missing. */
#define FONT "游ゴシック"
enum {
    INPUT_FILL = 0xFFF2CC,  /* cells the company fills in */
    BAND_FILL = 0xBDD7EE,   /* a band above a group of rows */
    HEADER_FILL = 0xDDEBF7,
    MAX_AUTO_WIDTH = 60,
    LIST_LIMIT = 255,       /* characters Excel allows in an inline list */
};

typedef struct formats {
    lxw_format *title, *text, *wrap, *header, *label, *input, *input_wrap, *input_date, *date,
        *locked_num;
} formats;

static lxw_format *new_format(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, FONT);
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(lxw_workbook *wb, formats *f)
{
    f->title = new_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->text = new_format(wb);
    format_set_border(f->text, LXW_BORDER_THIN);
    f->wrap = new_format(wb);
    format_set_border(f->wrap, LXW_BORDER_THIN);
    format_set_text_wrap(f->wrap);
    f->header = new_format(wb);
    format_set_bold(f->header);
    format_set_bg_color(f->header, HEADER_FILL);
    format_set_border(f->header, LXW_BORDER_THIN);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    f->label = new_format(wb);
    format_set_bold(f->label);
    f->input = new_format(wb);
    format_set_unlocked(f->input);
    format_set_bg_color(f->input, INPUT_FILL);
    format_set_border(f->input, LXW_BORDER_THIN);
    f->input_wrap = new_format(wb);
    format_set_unlocked(f->input_wrap);
    format_set_bg_color(f->input_wrap, INPUT_FILL);
    format_set_border(f->input_wrap, LXW_BORDER_THIN);
    format_set_text_wrap(f->input_wrap);
    f->input_date = new_format(wb);
    format_set_unlocked(f->input_date);
    format_set_bg_color(f->input_date, INPUT_FILL);
    format_set_border(f->input_date, LXW_BORDER_THIN);
    format_set_num_format(f->input_date, XLSXW_DATE_FORMAT);
    f->date = new_format(wb);
    format_set_border(f->date, LXW_BORDER_THIN);
    format_set_num_format(f->date, XLSXW_DATE_FORMAT);
    f->locked_num = new_format(wb);
    format_set_border(f->locked_num, LXW_BORDER_THIN);
    format_set_num_format(f->locked_num, "General");
}

static bool is_input(const bs_value *col)
{
    return value_as_bool(value_get(col, "input"));
}

static const char *col_type(const bs_value *col)
{
    const char *t = value_get_str(col, "type");
    return t ? t : "text";
}

static bool parse_date(const char *s, lxw_datetime *out)
{
    if (!s || !bs_date_valid(s)) {
        return false;
    }
    *out = (lxw_datetime){.year = atoi(s), .month = atoi(s + 5), .day = atoi(s + 8)};
    return true;
}

/* The format of a column's cells: input or locked, date, wrap, and the
 * column's own number format. */
static lxw_format *column_format(lxw_workbook *wb, const bs_value *col, const formats *f)
{
    bool input = is_input(col);
    bool is_date = strcmp(col_type(col), "date") == 0;
    const char *num = value_get_str(col, "format");
    if (num) {
        lxw_format *fmt = new_format(wb);
        format_set_border(fmt, LXW_BORDER_THIN);
        format_set_num_format(fmt, num);
        if (input) {
            format_set_unlocked(fmt);
            format_set_bg_color(fmt, INPUT_FILL);
        }
        return fmt;
    }
    bool wrap = value_as_bool(value_get(col, "wrap"));
    return input ? (is_date ? f->input_date : wrap ? f->input_wrap : f->input)
           : is_date ? f->date
           : wrap    ? f->wrap
                     : f->text;
}

/* Text `s` as a workbook stores it (ST_Xstring): owned, or NULL when that
 * is `s` itself. A character XML cannot hold is stored as "_xHHHH_"
 * (libxlsxwriter does that for control characters), so a "_" that begins
 * such a sequence in the text itself is stored as "_x005F_": "_x0007_bell"
 * as "_x005F_x0007_bell", which Excel, LibreOffice and xlsxr read as
 * "_x0007_bell", not as a bell. libxlsxwriter leaves that "_" alone. Two
 * sequences that share a "_" ("_x0007_x0008_") both get one. */
static char *xstring(const char *s)
{
    bs_buf b = {0};
    const char *done = s;
    for (const char *p = strstr(s, "_x"); p; p = strstr(p + 1, "_x")) {
        bool esc = true; // a hex digit is never the NUL: no reading past the end
        for (int i = 2; i < 6 && esc; i++) {
            esc = (p[i] >= '0' && p[i] <= '9') || (p[i] >= 'A' && p[i] <= 'F') ||
                  (p[i] >= 'a' && p[i] <= 'f');
        }
        if (esc && p[6] == '_') {
            bs_buf_add(&b, done, (size_t)(p - done));
            bs_buf_puts(&b, "_x005F");
            done = p; // the '_' itself follows the escape
        }
    }
    if (!b.s) {
        return NULL;
    }
    bs_buf_puts(&b, done);
    return bs_buf_take(&b);
}

/* worksheet_write_string and worksheet_merge_range, the text stored as a
 * workbook stores it. */
static lxw_error put_string(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                            lxw_format *fmt)
{
    char *x = s ? xstring(s) : NULL;
    lxw_error e = worksheet_write_string(ws, r, c, x ? x : s, fmt);
    free(x);
    return e;
}

static lxw_error put_merged(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2,
                            lxw_col_t c2, const char *s, lxw_format *fmt)
{
    char *x = s ? xstring(s) : NULL;
    lxw_error e = worksheet_merge_range(ws, r1, c1, r2, c2, x ? x : s, fmt);
    free(x);
    return e;
}

/* Writes one cell of a typed column. User text is always a string. */
static lxw_error write_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const bs_value *col,
                             const bs_value *v, lxw_format *fmt)
{
    const char *type = col_type(col);
    bool is_date = strcmp(type, "date") == 0;
    lxw_datetime dt;
    switch (value_type(v)) {
    case BS_VSTR:
        if (is_date && parse_date(value_as_str(v), &dt)) {
            return worksheet_write_datetime(ws, r, c, &dt, fmt);
        }
        return put_string(ws, r, c, value_as_str(v), fmt);
    case BS_VINT:
    case BS_VNUM:
        return worksheet_write_number(ws, r, c, value_as_num(v), fmt);
    case BS_VBOOL:
        return worksheet_write_boolean(ws, r, c, value_as_bool(v), fmt);
    default:
        return worksheet_write_blank(ws, r, c, fmt);
    }
}

/* A new workbook writing to a temporary file beside `path` (*t, from
 * bs_tmp_open). libxlsxwriter opens its output by name: the name given is
 * that of a file this process has just created exclusively, never one an
 * attacker could have placed there first. */
static lxw_workbook *open_book(const char *path, bs_tmp *t, bs_err *err)
{
    if (bs_tmp_open(path, t, err) != BS_OK) {
        return NULL;
    }
    // libxlsxwriter writes every part to a temporary file before zipping
    // it: a dozen files per workbook, made and removed. In memory (tmpfs)
    // when the machine has one, rather than on the disk.
    static char shm[] = "/dev/shm";
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE,
                               .tmpdir = bs_dir_exists(shm) && access(shm, W_OK) == 0 ? shm : NULL};
    lxw_workbook *wb = workbook_new_opt(t->tmp, &wo);
    if (!wb) {
        bs_err_set(err, BS_EIO, _("%s: cannot create the workbook"), path);
        bs_tmp_discard(t);
        return NULL;
    }
    return wb;
}

/* Closes the workbook and renames it into place; on any error (`e` from
 * writing, or closing) nothing is left behind. Ends `t`. */
static int close_book(lxw_workbook *wb, bs_tmp *t, lxw_error e, bs_err *err)
{
    lxw_error ce = workbook_close(wb);
    if (e != LXW_NO_ERROR || ce != LXW_NO_ERROR) {
        int rc = bs_err_set(err, BS_EIO, "%s: %s", t->path,
                            lxw_strerror(e != LXW_NO_ERROR ? e : ce));
        bs_tmp_discard(t);
        return rc;
    }
    return bs_tmp_commit(t, err);
}

/* Document properties with a creation time that does not change within a
 * day, so that writing the same sheet again gives the same file. */
static void set_properties(lxw_workbook *wb, const char *title)
{
    char today[11];
    bs_date_today(today);
    lxw_doc_properties p = {.title = (char *)title, .author = (char *)"bansou",
                            .created = (time_t)bs_date_days(today) * 86400};
    workbook_set_properties(wb, &p);
}

/* Lines `text` takes in a column `width` characters wide (a Japanese
 * character counts 2), for row heights: Excel and LibreOffice do not grow
 * rows of wrapped text written without a height. */
static int text_lines(const char *text, double width)
{
    int lines = 0;
    const char *p = text;
    while (p) {
        const char *nl = strchr(p, '\n');
        char *seg = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
        double w = bs_utf8_width(seg);
        free(seg);
        int n = width > 1 ? (int)((w + width - 1.5) / (width - 1)) : 1;
        lines += n < 1 ? 1 : n;
        p = nl ? nl + 1 : NULL;
    }
    return lines;
}

enum { LINE_HEIGHT = 16 };

/* `{id:key}`: the whole column `key` of the sheet `id` in the book, as
 * 'Sheet'!$C:$C; false when there is no such sheet and column. */
static bool column_ref(bs_buf *b, const char *ref, size_t n, const xlsxw_sheet *book, size_t nbook)
{
    const char *colon = memchr(ref, ':', n);
    for (size_t i = 0; colon && i < nbook; i++) {
        const char *id = value_get_str(book[i].spec, "id");
        if (!id || strlen(id) != (size_t)(colon - ref) || strncmp(id, ref, strlen(id)) != 0) {
            continue;
        }
        char *key = xstrndup(colon + 1, n - (size_t)(colon - ref) - 1);
        long c = worksheet_column(value_get(book[i].spec, "columns"), key);
        free(key);
        if (c < 0) {
            return false;
        }
        char col[8];
        lxw_col_to_name(col, (lxw_col_t)c, 1);
        bs_buf_puts(b, "'");
        for (const char *p = value_get_str(book[i].spec, "sheet"); *p; p++) {
            bs_buf_add(b, p, 1);
            if (*p == '\'') {
                bs_buf_add(b, p, 1);
            }
        }
        bs_buf_printf(b, "'!%s:%s", col, col);
        return true;
    }
    return false;
}

/* Where the rows of a sheet are: the sheet row of each row given, for
 * {key@ROW} (the cell of column `key` in the row whose spec `key` is ROW). */
typedef struct row_places {
    const bs_value *rows;   /* the rows given */
    const char *key;        /* the spec's key column, or NULL */
    const lxw_row_t *at;    /* the sheet row of each */
} row_places;

/* Writes the cell of column `col` in the row whose key reads `want` (n
 * bytes); false when there is none. */
static bool row_ref(bs_buf *b, size_t col, const char *want, size_t n, const row_places *rp)
{
    for (size_t i = 0; rp && rp->key && i < value_len(rp->rows); i++) {
        char buf[128];
        value_scalar_text(value_get(value_at(rp->rows, i), rp->key), buf, sizeof buf);
        if (strlen(buf) == n && strncmp(buf, want, n) == 0) {
            char cell[32];
            lxw_rowcol_to_cell_abs(cell, rp->at[i], (lxw_col_t)col, 1, 1);
            bs_buf_puts(b, cell);
            return true;
        }
    }
    return false;
}

/* `tmpl` with every {key} replaced by that column's cell in row `r`, every
 * {key@ROW} by that column's cell in row ROW (`rp`), and every {id:key} by
 * that sheet's column. */
static char *formula_for(const char *tmpl, const bs_value *cols, lxw_row_t r,
                         const xlsxw_sheet *book, size_t nbook, const row_places *rp)
{
    bs_buf b = {0};
    bs_buf_puts(&b, "=");
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            bs_buf_add(&b, p, 1);
            p++;
            continue;
        }
        size_t n = (size_t)(close - p - 1);
        const char *at = memchr(p + 1, '@', n);
        size_t klen = at ? (size_t)(at - p - 1) : n;
        size_t idx = 0;
        bool found = false;
        for (; idx < value_len(cols) && !found; idx++) {
            const char *k = value_get_str(value_at(cols, idx), "key");
            found = k && strlen(k) == klen && strncmp(k, p + 1, klen) == 0;
        }
        if (found && at) {
            if (!row_ref(&b, idx - 1, at + 1, (size_t)(close - at - 1), rp)) {
                bs_buf_puts(&b, "#REF!"); // no such row: Excel's own word for it
            }
        } else if (found) {
            char cell[32];
            lxw_rowcol_to_cell(cell, r, (lxw_col_t)(idx - 1));
            bs_buf_puts(&b, cell);
        } else if (!column_ref(&b, p + 1, n, book, nbook)) {
            bs_buf_add(&b, p, (size_t)(close - p + 1));
        }
        p = close + 1;
    }
    return bs_buf_take(&b);
}

static lxw_color_t parse_color(const char *s)
{
    if (s && *s == '#') {
        s++;
    }
    return s ? (lxw_color_t)strtoul(s, NULL, 16) : 0xFFFFFF;
}

/* Drop-down lists: inline when short, else from a hidden sheet. */
static lxw_error add_choices(lxw_workbook *wb, lxw_worksheet *ws, lxw_worksheet **lists,
                             int *nlists, const bs_value *col, const bs_value *choices,
                             lxw_row_t r1, lxw_row_t r2, lxw_col_t c)
{
    size_t n = value_len(choices);
    char **items = xcalloc(n + 1, sizeof *items);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        value_scalar_text(value_at(choices, i), buf, sizeof buf);
        items[i] = xstrdup(buf);
        total += strlen(buf) + 1;
    }
    lxw_data_validation v = {0};
    v.validate = LXW_VALIDATION_TYPE_LIST;
    v.value_list = items;
    v.show_error = LXW_VALIDATION_ON;
    v.error_title = (char *)"入力エラー";
    v.error_message = (char *)"一覧から選んでください。";
    const char *help = value_get_str(col, "help");
    if (help) {
        v.input_title = (char *)value_get_str(col, "header");
        v.input_message = (char *)help;
    }
    char *formula = NULL;
    if (total > LIST_LIMIT) {
        if (!*lists) {
            *lists = workbook_add_worksheet(wb, "_choices");
            worksheet_hide(*lists);
        }
        for (size_t i = 0; i < n; i++) {
            put_string(*lists, (lxw_row_t)i, (lxw_col_t)*nlists, items[i], NULL);
        }
        char a[32], b[32];
        lxw_col_to_name(a, (lxw_col_t)*nlists, 1);
        snprintf(b, sizeof b, "%lu", (unsigned long)n);
        formula = xasprintf("=_choices!%s$1:%s$%s", a, a, b);
        (*nlists)++;
        v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        v.value_list = NULL;
        v.value_formula = formula;
    }
    lxw_error e = worksheet_data_validation_range(ws, r1, c, r2, c, &v);
    for (size_t i = 0; i < n; i++) {
        free(items[i]);
    }
    free(items);
    free(formula);
    return e;
}

static void add_help(lxw_worksheet *ws, const bs_value *col, lxw_row_t r1, lxw_row_t r2,
                     lxw_col_t c)
{
    const char *help = value_get_str(col, "help");
    if (!help) {
        return;
    }
    lxw_data_validation v = {0};
    v.validate = LXW_VALIDATION_TYPE_ANY;
    v.input_title = (char *)value_get_str(col, "header");
    v.input_message = (char *)help;
    worksheet_data_validation_range(ws, r1, c, r2, c, &v);
}

static void add_conditional(lxw_workbook *wb, lxw_worksheet *ws, const bs_value *spec,
                            const bs_value *cols, lxw_row_t r1, lxw_row_t r2)
{
    const bs_value *conds = value_get(spec, "conditional");
    for (size_t i = 0; i < value_len(conds); i++) {
        const bs_value *cd = value_at(conds, i);
        long c = worksheet_column(cols, value_get_str(cd, "column"));
        if (c < 0) {
            continue;
        }
        lxw_format *fmt = workbook_add_format(wb);
        format_set_bg_color(fmt, parse_color(value_get_str(cd, "fill")));
        lxw_conditional_format cf = {0};
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.format = fmt;
        const bs_value *eq = value_get(cd, "equals");
        const bs_value *mn = value_get(cd, "min"), *mx = value_get(cd, "max");
        char *quoted = NULL;
        if (value_type(eq) == BS_VSTR) {
            // A string criterion is a formula: quote it, doubling quotes.
            bs_buf b = {0};
            bs_buf_puts(&b, "\"");
            for (const char *p = value_as_str(eq); *p; p++) {
                bs_buf_add(&b, p, 1);
                if (*p == '"') {
                    bs_buf_add(&b, p, 1);
                }
            }
            bs_buf_puts(&b, "\"");
            quoted = bs_buf_take(&b);
            cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
            cf.value_string = quoted;
        } else if (eq) {
            cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
            cf.value = value_as_num(eq);
        } else if (mn && mx) {
            cf.criteria = LXW_CONDITIONAL_CRITERIA_BETWEEN;
            cf.min_value = value_as_num(mn);
            cf.max_value = value_as_num(mx);
        } else if (mn) {
            cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            cf.value = value_as_num(mn);
        } else if (mx) {
            cf.criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO;
            cf.value = value_as_num(mx);
        } else {
            continue;
        }
        worksheet_conditional_format_range(ws, r1, (lxw_col_t)c, r2, (lxw_col_t)c, &cf);
        free(quoted);
    }
}

/* `s` for a print header or footer: "&" doubled, at most `max` characters
 * (libxlsxwriter takes 255 for the whole). */
static void header_text(bs_buf *b, const char *s, size_t max)
{
    size_t n = 0;
    for (const char *p = s ? s : ""; *p; p++) {
        bool starts = ((unsigned char)*p & 0xC0) != 0x80;
        if (starts && n >= max) {
            bs_buf_puts(b, "…");
            return;
        }
        bs_buf_add(b, p, 1);
        n += starts;
        if (*p == '&') {
            bs_buf_add(b, "&", 1);
            n++;
        }
    }
}

/* The print header (the document's title on the left, the company on the
 * right) and footer (page n of m) of every sheet bansou writes. */
static void set_print_texts(lxw_worksheet *ws, const char *title, const char *company)
{
    // The size before the font: a title that begins with a digit would
    // otherwise be read as part of the size ("&9" "5分で…").
    bs_buf h = {0};
    bs_buf_puts(&h, "&L&9&\"" FONT "\"");
    header_text(&h, title, 100);
    if (company && *company) {
        bs_buf_puts(&h, "&R&9&\"" FONT "\"");
        header_text(&h, company, 100);
    }
    worksheet_set_header(ws, h.s);
    bs_buf_free(&h);
    worksheet_set_footer(ws, "&C&9&\"" FONT "\"&P / &N ページ");
}

static uint8_t chart_type(const char *t, bool stacked)
{
    if (t && strcmp(t, "radar") == 0) {
        return LXW_CHART_RADAR;
    }
    if (t && strcmp(t, "bar") == 0) {
        return stacked ? LXW_CHART_BAR_STACKED : LXW_CHART_BAR;
    }
    if (t && strcmp(t, "pie") == 0) {
        return LXW_CHART_PIE;
    }
    return stacked ? LXW_CHART_COLUMN_STACKED : LXW_CHART_COLUMN;
}

/* The columns of a chart's series: `values` is one column's key or a list of
 * them. The number of series; their indexes into `out` (at most 16). */
static size_t chart_series(const bs_value *ch, const bs_value *cols, long out[16])
{
    const bs_value *vals = value_get(ch, "values");
    bool list = value_type(vals) == BS_VLIST;
    size_t n = 0;
    for (size_t k = 0; k < (list ? value_len(vals) : 1) && n < 16; k++) {
        long c = worksheet_column(cols, value_as_str(list ? value_at(vals, k) : vals));
        if (c < 0) {
            return 0;
        }
        out[n++] = c;
    }
    return n;
}

static void add_charts(lxw_workbook *wb, lxw_worksheet *ws, const char *sheet,
                       const bs_value *spec, const bs_value *cols, lxw_row_t r1, size_t nrows)
{
    const bs_value *charts = value_get(spec, "charts");
    for (size_t i = 0; i < value_len(charts) && nrows > 0; i++) {
        const bs_value *ch = value_at(charts, i);
        long cc = worksheet_column(cols, value_get_str(ch, "categories"));
        long vcs[16];
        size_t ns = chart_series(ch, cols, vcs);
        if (cc < 0 || ns == 0) {
            continue;
        }
        size_t n = nrows;
        const bs_value *lim = value_get(ch, "rows");
        if (lim && value_as_int(lim) > 0 && (size_t)value_as_int(lim) < n) {
            n = (size_t)value_as_int(lim);
        }
        const char *type = value_get_str(ch, "type");
        bool stacked = value_as_bool(value_get(ch, "stacked"));
        lxw_chart *chart = workbook_add_chart(wb, chart_type(type, stacked));
        lxw_row_t r2 = r1 + (lxw_row_t)n - 1;
        for (size_t k = 0; k < ns; k++) {
            lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
            chart_series_set_categories(s, sheet, r1, (lxw_col_t)cc, r2, (lxw_col_t)cc);
            chart_series_set_values(s, sheet, r1, (lxw_col_t)vcs[k], r2, (lxw_col_t)vcs[k]);
            // Several series are named by their columns' headers, the row above the first.
            if (ns > 1) {
                chart_series_set_name_range(s, sheet, r1 - 1, (lxw_col_t)vcs[k]);
            }
        }
        const char *title = value_get_str(ch, "title");
        if (title) {
            chart_title_set_name(chart, title);
            lxw_chart_font font = {.name = (char *)FONT, .size = 12, .bold = 1};
            chart_title_set_name_font(chart, &font);
        }
        lxw_chart_font axis = {.name = (char *)FONT, .size = 9};
        chart_axis_set_num_font(chart->x_axis, &axis);
        chart_axis_set_num_font(chart->y_axis, &axis);
        // A bar chart lists its categories from the top, as the table does.
        if (type && strcmp(type, "bar") == 0) {
            chart_axis_set_reverse(chart->y_axis);
            chart_axis_set_crossing_max(chart->y_axis);
        }
        // A legend names the series, or the slices of a pie; one series needs none.
        bool pie = type && strcmp(type, "pie") == 0;
        if (ns > 1 || pie) {
            chart_legend_set_position(chart, pie ? LXW_CHART_LEGEND_RIGHT : LXW_CHART_LEGEND_BOTTOM);
            lxw_chart_font lf = {.name = (char *)FONT, .size = 9};
            chart_legend_set_font(chart, &lf);
        } else {
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        }
        // The value axis of a column chart: a fixed maximum, a number format.
        lxw_chart_axis *va = chart->y_axis;
        if (value_get(ch, "max")) {
            chart_axis_set_min(va, 0);
            chart_axis_set_max(va, value_as_num(value_get(ch, "max")));
        }
        if (value_get_str(ch, "format")) {
            chart_axis_set_num_format(va, value_get_str(ch, "format"));
        }
        const char *anchor = value_get_str(ch, "anchor");
        lxw_row_t ar = anchor ? lxw_name_to_row(anchor) : 0;
        lxw_col_t ac = anchor ? lxw_name_to_col(anchor) : (lxw_col_t)(value_len(cols) + 1);
        lxw_chart_options o = {.x_scale = 1, .y_scale = 1};
        if (value_get(ch, "width")) {
            o.x_scale = value_as_num(value_get(ch, "width")) / 480.0;
        }
        if (value_get(ch, "height")) {
            o.y_scale = value_as_num(value_get(ch, "height")) / 288.0;
        }
        worksheet_insert_chart_opt(ws, ar, ac, chart, &o);
    }
}

/* --- Printing a sheet with bands -------------------------------------------------- */

/* The height of every row written so far and which rows are bands, for the
 * page breaks of a sheet with bands (rows never set are LXW_DEF_ROW_HEIGHT). */
typedef struct {
    double *height; // owned, n entries
    bool *band;     // owned, n entries
    size_t n;
} row_plan;

static void plan_grow(row_plan *rp, lxw_row_t r)
{
    if (r < rp->n) {
        return;
    }
    size_t n = (size_t)r + 64;
    rp->height = xrealloc(rp->height, n * sizeof *rp->height);
    rp->band = xrealloc(rp->band, n * sizeof *rp->band);
    for (size_t i = rp->n; i < n; i++) {
        rp->height[i] = LXW_DEF_ROW_HEIGHT;
        rp->band[i] = false;
    }
    rp->n = n;
}

static void set_row_height(lxw_worksheet *ws, row_plan *rp, lxw_row_t r, double h)
{
    worksheet_set_row(ws, r, h, NULL);
    plan_grow(rp, r);
    rp->height[r] = h;
}

static double row_height(const row_plan *rp, lxw_row_t r)
{
    return r < rp->n ? rp->height[r] : LXW_DEF_ROW_HEIGHT;
}

static bool row_is_band(const row_plan *rp, lxw_row_t r)
{
    return r < rp->n && rp->band[r];
}

/* A column `width` characters wide in points, as Excel and libxlsxwriter
 * size it (a 7-pixel digit and 5 pixels of padding, 0.75 point a pixel). */
static double column_points(double width)
{
    double px = width < 1 ? (double)(int)(width * 12 + 0.5) : (double)(int)(width * 7 + 0.5) + 5;
    return px * 0.75;
}

enum {
    A4_SHORT = 595, A4_LONG = 842, // points
    PAGE_SLACK = 3,                // % of a page kept free when placing a group
};

/* A sheet with bands on A4, fitted to the page's width, with a page break
 * before every band whose group (the band and its rows, up to the next
 * band) does not fit on the rest of the page: a group starts a page unless
 * it fits whole where it is, so that no page ends with a band. The breaks
 * inside a group longer than a page are the program's own; they cannot
 * part a band from its rows. Where the groups fall is worked out from the
 * rows' heights at the scale Excel fits the width to (its column unit,
 * Calibri's 7-pixel digit). A group longer than a page at that scale starts
 * a page in any program; one that is shorter may be packed under another,
 * which is exact in Excel, while a program with another column unit (such
 * as LibreOffice without Calibri or Carlito) prints at another scale and
 * may break elsewhere. Rows 0..`last`; `header` repeats on every page. */
static void print_bands(lxw_worksheet *ws, const row_plan *rp, double table_points, bool landscape,
                        bool fit_width, lxw_row_t header, lxw_row_t last)
{
    double paper_w = landscape ? A4_LONG : A4_SHORT, paper_h = landscape ? A4_SHORT : A4_LONG;
    double body_w = paper_w - (ws->margin_left + ws->margin_right) * 72;
    double body_h = paper_h - (ws->margin_top + ws->margin_bottom) * 72;
    int scale = 100;
    if (fit_width && table_points > body_w) {
        scale = (int)(100 * body_w / table_points);
        scale = scale < 10 ? 10 : scale;
    }
    if (fit_width) {
        worksheet_fit_to_pages(ws, 1, 0);
    }
    // The room of a page in the sheet's points at that scale, a little short
    // of the paper: a group that only just fits is better on a page of its own.
    double room = body_h * 100 / scale * (100 - PAGE_SLACK) / 100;
    double top = row_height(rp, header); // a page's own rows start under the header
    lxw_row_t *breaks = xcalloc(LXW_BREAKS_MAX + 1, sizeof *breaks);
    size_t nbreaks = 0;
    double used = 0;
    for (lxw_row_t r = 0; r <= last && nbreaks < LXW_BREAKS_MAX; r++) {
        double h = row_height(rp, r);
        if (row_is_band(rp, r) && r > header + 1 && used > top) {
            double group = h;
            for (lxw_row_t g = r + 1; g <= last && !row_is_band(rp, g); g++) {
                group += row_height(rp, g);
            }
            if (used + group > room) {
                breaks[nbreaks++] = r;
                used = top;
            }
        } else if (used + h > room) {
            used = top; // the program's own break
        }
        used += h;
    }
    if (nbreaks) {
        worksheet_set_h_pagebreaks(ws, breaks);
    }
    free(breaks);
}

/* What the sheets of one workbook share: formats and the hidden lists. */
typedef struct {
    lxw_workbook *wb;
    formats f;
    lxw_worksheet *lists;
    int nlists;
    const xlsxw_sheet *book;
    size_t nbook;
} book_ctx;

static lxw_error write_sheet(book_ctx *bk, const xlsxw_sheet *sh)
{
    lxw_workbook *wb = bk->wb;
    const formats f = bk->f;
    const bs_value *spec = sh->spec, *fields = sh->fields, *rows = sh->rows;
    const char *sheet = value_get_str(spec, "sheet");
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws) {
        return LXW_ERROR_SHEETNAME_ALREADY_USED;
    }
    const bs_value *cols = value_get(spec, "columns");
    size_t ncols = value_len(cols);
    lxw_row_t r = 0;
    row_plan rp = {0};

    const char *title = value_get_str(spec, "title");
    if (title) {
        put_string(ws, r, 0, title, f.title);
        set_row_height(ws, &rp, r, 24);
        r++;
    }
    // Column widths first: guidance wraps across the table's width.
    double *widths = xcalloc(ncols + 1, sizeof *widths);
    for (size_t c = 0; c < ncols; c++) {
        const bs_value *col = value_at(cols, c);
        const char *h = value_get_str(col, "header");
        widths[c] = h ? bs_utf8_width(h) : 4;
        for (size_t i = 0; i < value_len(rows); i++) {
            char buf[128];
            value_scalar_text(value_get(value_at(rows, i), value_get_str(col, "key")), buf, sizeof buf);
            double w = bs_utf8_width(buf);
            widths[c] = w > widths[c] ? w : widths[c];
        }
        widths[c] = value_get(col, "width") ? value_as_num(value_get(col, "width"))
                    : (widths[c] > MAX_AUTO_WIDTH ? MAX_AUTO_WIDTH : widths[c]) + 2;
        if (strcmp(col_type(col), "date") == 0 && widths[c] < XLSXW_DATE_WIDTH) {
            widths[c] = XLSXW_DATE_WIDTH; // a date in both forms, not "####"
        }
    }
    double table_width = 0;
    for (size_t c = 0; c < ncols; c++) {
        table_width += widths[c];
    }
    lxw_format *guide_fmt = new_format(wb);
    format_set_text_wrap(guide_fmt);
    format_set_align(guide_fmt, LXW_ALIGN_VERTICAL_TOP);
    const bs_value *guide = value_get(spec, "guidance");
    for (size_t i = 0; i < value_len(guide); i++) {
        const char *g = value_as_str(value_at(guide, i));
        if (ncols > 1) {
            put_merged(ws, r, 0, r, (lxw_col_t)(ncols - 1), g, guide_fmt);
        } else {
            put_string(ws, r, 0, g, guide_fmt);
        }
        set_row_height(ws, &rp, r, LINE_HEIGHT * text_lines(g, table_width));
        r++;
    }
    for (size_t i = 0; i < value_len(fields); i++) {
        const bs_value *fd = value_at(fields, i);
        put_string(ws, r, 0, value_get_str(fd, "label"), f.label);
        const char *input = value_get_str(fd, "input");
        const bs_value *v = value_get(fd, "value");
        if (input) {
            bs_value *col = value_map();
            value_set_str(col, "type", input);
            value_set_bool(col, "input", true);
            write_value(ws, r, 1, col, v, column_format(wb, col, &f));
            value_free(col);
        } else if (v && value_type(v) != BS_VNULL) {
            bs_value *col = value_map();
            write_value(ws, r, 1, col, v, NULL);
            value_free(col);
        }
        r++;
    }
    if (title || value_len(guide) || value_len(fields)) {
        r++; // a blank row before the table
    }
    lxw_row_t header = r;
    for (size_t c = 0; c < ncols; c++) {
        const char *h = value_get_str(value_at(cols, c), "header");
        put_string(ws, header, (lxw_col_t)c, h ? h : "", f.header);
    }
    // Two lines at least; a long header in a narrow column gets the lines it wraps to.
    int hlines = 2;
    for (size_t c = 0; c < ncols; c++) {
        const char *h = value_get_str(value_at(cols, c), "header");
        int n = h ? text_lines(h, widths[c]) : 1;
        hlines = n > hlines ? n : hlines;
    }
    set_row_height(ws, &rp, header, hlines > 2 ? LINE_HEIGHT * hlines + 2 : 30);
    lxw_row_t first = header + 1;
    size_t given = value_len(rows);
    size_t extra = value_as_bool(value_get(spec, "fixed_rows")) || value_as_bool(value_get(spec, "output"))
                       ? 0
                       : (size_t)(value_get(spec, "min_rows") ? value_as_int(value_get(spec, "min_rows")) : 10);
    size_t total = given + extra;
    lxw_format **colfmt = xcalloc(ncols + 1, sizeof *colfmt);
    for (size_t c = 0; c < ncols; c++) {
        colfmt[c] = column_format(wb, value_at(cols, c), &f);
    }
    // A band: the row field `band` of a row, as a heading across the table
    // above it (worksheet_read leaves it out).
    const char *band = value_get_str(spec, "band");
    lxw_format *band_fmt = NULL;
    if (band) {
        band_fmt = new_format(wb);
        format_set_bold(band_fmt);
        format_set_bg_color(band_fmt, BAND_FILL);
        format_set_border(band_fmt, LXW_BORDER_THIN);
    }
    // Where each given row lands (a band's heading takes a row above it).
    lxw_row_t *places = xcalloc(given + 1, sizeof *places);
    for (size_t i = 0, at = first; i < given; i++, at++) {
        const char *bt = band ? value_get_str(value_at(rows, i), band) : NULL;
        at += bt && *bt;
        places[i] = (lxw_row_t)at;
    }
    row_places rplaces = {rows, value_get_str(spec, "key"), places};
    lxw_error e = LXW_NO_ERROR;
    lxw_row_t rr = first;
    for (size_t i = 0; i < total && e == LXW_NO_ERROR; i++, rr++) {
        const bs_value *row = i < given ? value_at(rows, i) : NULL;
        const char *bt = band ? value_get_str(row, band) : NULL;
        if (bt && *bt) {
            char *t = xasprintf("%s%s", WORKSHEET_BAND_MARK, bt);
            e = ncols > 1 ? put_merged(ws, rr, 0, rr, (lxw_col_t)(ncols - 1), t, band_fmt)
                          : put_string(ws, rr, 0, t, band_fmt);
            free(t);
            set_row_height(ws, &rp, rr, 22);
            rp.band[rr] = true;
            rr++;
        }
        int lines = 1;
        for (size_t c = 0; c < ncols && e == LXW_NO_ERROR; c++) {
            const bs_value *col = value_at(cols, c);
            const char *key = value_get_str(col, "key");
            const bs_value *v = value_get(row, key);
            const char *fm = value_get_str(col, "formula");
            const char *from = value_get_str(col, "formula_from");
            if (from) {
                fm = value_get_str(row, from); // this row's own, or a plain value
            }
            if (fm) {
                char *formula = formula_for(fm, cols, rr, bk->book, bk->nbook, &rplaces);
                lxw_format *fmt = value_get_str(col, "format") ? colfmt[c] : f.locked_num;
                if (value_type(v) == BS_VINT || value_type(v) == BS_VNUM) {
                    e = worksheet_write_formula_num(ws, rr, (lxw_col_t)c, formula, fmt, value_as_num(v));
                } else if (value_type(v) == BS_VSTR) {
                    e = worksheet_write_formula_str(ws, rr, (lxw_col_t)c, formula, fmt, value_as_str(v));
                } else {
                    // No value yet: an empty cached result, not libxlsxwriter's 0
                    // (LibreOffice shows cached results until it recalculates).
                    e = worksheet_write_formula_str(ws, rr, (lxw_col_t)c, formula, fmt, "");
                }
                free(formula);
            } else {
                e = write_value(ws, rr, (lxw_col_t)c, col, v, colfmt[c]);
            }
            if (value_as_bool(value_get(col, "wrap")) && value_as_str(v)) {
                int n = text_lines(value_as_str(v), widths[c]);
                lines = n > lines ? n : lines;
            }
        }
        if (lines > 1) {
            set_row_height(ws, &rp, rr, LINE_HEIGHT * lines + 2);
        }
    }
    free(colfmt);
    lxw_row_t last = total ? rr - 1 : first;
    for (size_t c = 0; c < ncols; c++) {
        const bs_value *col = value_at(cols, c);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
        if (!is_input(col) || !total) {
            continue;
        }
        if (strcmp(col_type(col), "enum") == 0 && value_len(value_get(col, "choices"))) {
            add_choices(wb, ws, &bk->lists, &bk->nlists, col, value_get(col, "choices"), first,
                        last, (lxw_col_t)c);
        } else if (value_get_str(col, "choices_from")) {
            // Each row's own drop-down, from its field (or none).
            for (size_t i = 0; i < given; i++) {
                const bs_value *own = value_get(value_at(rows, i), value_get_str(col, "choices_from"));
                if (value_len(own) > 0) {
                    add_choices(wb, ws, &bk->lists, &bk->nlists, col, own, places[i], places[i],
                                (lxw_col_t)c);
                }
            }
        } else {
            add_help(ws, col, first, last, (lxw_col_t)c);
        }
    }
    free(places);
    double table_points = 0;
    for (size_t c = 0; c < ncols; c++) {
        table_points += column_points(widths[c]);
    }
    free(widths);
    if (total) {
        add_conditional(wb, ws, spec, cols, first, last);
        add_charts(wb, ws, sheet, spec, cols, first, total);
    }
    if (value_as_bool(value_get(spec, "freeze"))) {
        worksheet_freeze_panes(ws, first, 0);
    }
    if (value_as_bool(value_get(spec, "autofilter")) && ncols) {
        worksheet_autofilter(ws, header, 0, last, (lxw_col_t)(ncols - 1));
    }
    const bs_value *pr = value_get(spec, "print");
    worksheet_set_paper(ws, 9); // A4
    bool landscape = value_as_bool(value_get(pr, "landscape"));
    bool fit_width = !pr || value_as_bool(value_get(pr, "fit_width"));
    if (landscape) {
        worksheet_set_landscape(ws);
    }
    if (band) {
        print_bands(ws, &rp, table_points, landscape, fit_width, header, last);
    } else if (fit_width) {
        worksheet_fit_to_pages(ws, 1, 0);
    }
    free(rp.height);
    free(rp.band);
    if (!pr || value_as_bool(value_get(pr, "repeat_header"))) {
        worksheet_repeat_rows(ws, header, header);
    }
    set_print_texts(ws, title ? title : sheet, sh->company);
    if (value_as_bool(value_get(spec, "protect"))) {
        lxw_protection p = {.autofilter = 1, .format_columns = 1, .format_rows = 1, .sort = 1};
        worksheet_protect(ws, NULL, &p);
    }
    return e;
}

int xlsxw_write_book(const xlsxw_sheet *sheets, size_t n, const char *path, bs_err *err)
{
    bs_tmp tmp;
    book_ctx bk = {.wb = open_book(path, &tmp, err), .book = sheets, .nbook = n};
    if (!bk.wb) {
        return err->code;
    }
    make_formats(bk.wb, &bk.f);
    lxw_error e = LXW_NO_ERROR;
    bs_buf ids = {0};
    for (size_t i = 0; i < n && e == LXW_NO_ERROR; i++) {
        e = write_sheet(&bk, &sheets[i]);
        const char *id = value_get_str(sheets[i].spec, "id");
        if (id) {
            bs_buf_printf(&ids, "%s%s", ids.s ? "," : "", id);
        }
    }
    if (ids.s) {
        workbook_set_custom_property_string(bk.wb, XLSXW_ID_PROPERTY, ids.s);
    }
    bs_buf_free(&ids);
    set_properties(bk.wb, n ? value_get_str(sheets[0].spec, "title") : NULL);
    return close_book(bk.wb, &tmp, e, err);
}

int xlsxw_write(const bs_value *spec, const bs_value *fields, const bs_value *rows,
                const char *path, bs_err *err)
{
    xlsxw_sheet one = {spec, fields, rows, NULL};
    return xlsxw_write_book(&one, 1, path, err);
}


/* --- Gantt charts ---------------------------------------------------------- */

enum {
    GANTT_FIRST_COL = 3,
    GANTT_DATE_WIDTH = 16,  // 令和8年12月25日 over （2026年12月25日） at 9 points
    GANTT_DATE_HEIGHT = 28, // those two lines, in points
    GANTT_MAX_DAYS = 800,
    GANTT_LABEL_MIN = 32, // the labels' column is not narrower
    GANTT_LABEL_MAX = MAX_AUTO_WIDTH,
    TODAY_RED = 0xE00000,
};

/* The kinds of bars, in the order of the legend; the last one for any other
 * kind. */
static const struct {
    const char *kind, *legend;
    lxw_color_t fill, font;
} bar_kinds[] = {
    {"visit", "訪問", 0x1F4E79, 0xFFFFFF},
    {"prep", "事前準備", 0x9DC3E6, 0},
    {"due", "成果物の期限", 0xF4B183, 0},
    {NULL, "期間", 0xBFBFBF, 0},
};
enum { NKINDS = sizeof bar_kinds / sizeof bar_kinds[0] };

static size_t kind_index(const char *kind)
{
    for (size_t i = 0; i + 1 < NKINDS; i++) {
        if (kind && strcmp(kind, bar_kinds[i].kind) == 0) {
            return i;
        }
    }
    return NKINDS - 1;
}

/* Where a cell stands to today's column: the line is drawn as both edges of
 * that column, each edge on the two cells that share it (Excel and
 * LibreOffice each draw one of them). */
enum { T_NONE, T_TODAY, T_BEFORE, T_AFTER, T_N };

static lxw_format *fill_format(lxw_workbook *wb, lxw_color_t c, int where)
{
    lxw_format *f = new_format(wb);
    if (c) {
        format_set_bg_color(f, c);
    }
    format_set_border(f, LXW_BORDER_HAIR);
    format_set_border_color(f, 0xBFBFBF);
    if (where == T_TODAY || where == T_AFTER) {
        format_set_left(f, LXW_BORDER_MEDIUM);
        format_set_left_color(f, TODAY_RED);
    }
    if (where == T_TODAY || where == T_BEFORE) {
        format_set_right(f, LXW_BORDER_MEDIUM);
        format_set_right_color(f, TODAY_RED);
    }
    format_set_align(f, LXW_ALIGN_CENTER);
    return f;
}

/* The formats of the chart's day cells, made once per workbook: blank and
 * weekend cells and each kind of bar, at each place to today's column. */
typedef struct {
    lxw_format *plain[T_N], *weekend[T_N], *bar[NKINDS][T_N];
} day_formats;

static void make_day_formats(lxw_workbook *wb, day_formats *d)
{
    for (int w = 0; w < T_N; w++) {
        d->plain[w] = fill_format(wb, 0, w);
        d->weekend[w] = fill_format(wb, 0xF2F2F2, w);
        for (size_t k = 0; k < NKINDS; k++) {
            d->bar[k][w] = fill_format(wb, bar_kinds[k].fill, w);
        }
    }
}

/* The width in characters of the longest label, and of the group titles. */
static double label_width(const bs_value *groups)
{
    double w = GANTT_LABEL_MIN;
    for (size_t g = 0; g < value_len(groups); g++) {
        const bs_value *rows = value_get(value_at(groups, g), "rows");
        for (size_t i = 0; i < value_len(rows); i++) {
            const char *l = value_get_str(value_at(rows, i), "label");
            double lw = l ? bs_utf8_width(l) + 2 : 0;
            w = lw > w ? lw : w;
        }
    }
    return w > GANTT_LABEL_MAX ? GANTT_LABEL_MAX : w;
}

/* The legend in row `r`: a cell in each bar's colour (the last kind only
 * when a row has it), then what a column stands for. */
static void gantt_legend(lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t r, const bs_value *groups,
                         double colw, const char *unit_note)
{
    bool other = false;
    for (size_t g = 0; g < value_len(groups) && !other; g++) {
        const bs_value *rows = value_get(value_at(groups, g), "rows");
        for (size_t i = 0; i < value_len(rows) && !other; i++) {
            other = kind_index(value_get_str(value_at(rows, i), "kind")) == NKINDS - 1;
        }
    }
    lxw_col_t c = 1;
    for (size_t k = 0; k < NKINDS - (other ? 0 : 1); k++) {
        lxw_format *f = new_format(wb);
        format_set_bg_color(f, bar_kinds[k].fill);
        if (bar_kinds[k].font) {
            format_set_font_color(f, bar_kinds[k].font);
        }
        format_set_font_size(f, 9);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0x808080);
        // B and C hold a word each; past them, as many day columns as the
        // word needs.
        double need = bs_utf8_width(bar_kinds[k].legend) + 2;
        lxw_col_t span = c < GANTT_FIRST_COL ? 1 : (lxw_col_t)((need + colw - 1) / colw);
        if (span > 1) {
            put_merged(ws, r, c, r, c + span - 1, bar_kinds[k].legend, f);
        } else {
            put_string(ws, r, c, bar_kinds[k].legend, f);
        }
        c += span;
    }
    put_string(ws, r, c + 1, unit_note, NULL);
}

/* The month headers in row `r`: one merged cell over each month's columns,
 * with the year and month where they fit, the month alone where not. */
static void gantt_months(lxw_workbook *wb, lxw_worksheet *ws, lxw_row_t r, long lo, long unit,
                         long ncols, double colw)
{
    lxw_format *month = new_format(wb);
    format_set_bold(month);
    format_set_font_size(month, 10);
    format_set_align(month, LXW_ALIGN_CENTER);
    format_set_border(month, LXW_BORDER_THIN);
    format_set_border_color(month, 0x808080);
    format_set_bg_color(month, HEADER_FILL);
    long k0 = 0;
    for (long k = 1; k <= ncols; k++) {
        char a[11], b[11];
        bs_days_date(lo + k0 * unit, a);
        if (k < ncols) {
            bs_days_date(lo + k * unit, b);
            if (atoi(b + 5) == atoi(a + 5)) {
                continue;
            }
        }
        // Columns k0 … k-1 start in the month of `a`.
        double room = (double)(k - k0) * colw;
        char *lab = xasprintf("%d年%d月", atoi(a), atoi(a + 5));
        if (bs_utf8_width(lab) + 1 > room) {
            free(lab);
            lab = xasprintf("%d月", atoi(a + 5));
            if (bs_utf8_width(lab) > room) {
                free(lab);
                lab = xasprintf("%d", atoi(a + 5));
            }
        }
        lxw_col_t c0 = (lxw_col_t)(GANTT_FIRST_COL + k0), c1 = (lxw_col_t)(GANTT_FIRST_COL + k - 1);
        if (c1 > c0) {
            put_merged(ws, r, c0, r, c1, lab, month);
        } else {
            put_string(ws, r, c0, lab, month);
        }
        free(lab);
        k0 = k;
    }
}

int xlsxw_gantt(const char *title, const char *company, const bs_value *groups, const char *today,
                const char *today_text, const char *path, bs_err *err)
{
    long lo = 0, hi = 0;
    bool any = false;
    for (size_t g = 0; g < value_len(groups); g++) {
        const bs_value *rows = value_get(value_at(groups, g), "rows");
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *r = value_at(rows, i);
            const char *s = value_get_str(r, "start"), *e = value_get_str(r, "end");
            if (!s || !bs_date_valid(s) || (e && !bs_date_valid(e))) {
                return bs_err_set(err, BS_ESCRIPT, _("schedule: row '%s' needs dates YYYY-MM-DD"),
                                  value_get_str(r, "label") ? value_get_str(r, "label") : "?");
            }
            long a = bs_date_days(s), b = e ? bs_date_days(e) : a;
            if (!any || a < lo) {
                lo = a;
            }
            if (!any || b > hi) {
                hi = b;
            }
            any = true;
        }
    }
    if (!any) {
        return bs_err_set(err, BS_ESTATE, _("schedule: no dates yet (plan a visit first)"));
    }
    long t = today && bs_date_valid(today) ? bs_date_days(today) : lo;
    lo -= 2;
    hi += 2;
    if (hi - lo > GANTT_MAX_DAYS) {
        hi = lo + GANTT_MAX_DAYS;
    }
    // A column a day for short spans, a week (from Monday) for longer ones,
    // so that the chart stays readable on one A4 page.
    long unit = hi - lo + 1 > 45 ? 7 : 1;
    if (unit == 7) {
        lo -= ((lo % 7) - 4 + 14) % 7; // 1970-01-05 (day 4) was a Monday
    }
    long ncols = (hi - lo) / unit + 1;
    double colw = unit == 7 ? 6 : 3;
    bs_tmp tmp;
    lxw_workbook *wb = open_book(path, &tmp, err);
    if (!wb) {
        return err->code;
    }
    formats f;
    make_formats(wb, &f);
    day_formats df;
    make_day_formats(wb, &df);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "スケジュール");
    put_string(ws, 0, 0, title ? title : "", f.title);
    worksheet_set_row(ws, 0, 24, NULL);
    char todays[11];
    bs_days_date(t, todays);
    // The red line only where the chart has today's column.
    const char *where_today = t < lo ? "（この期間より前）" : t >= lo + ncols * unit ? "（この期間より後）"
                                                                          : "（赤い縦線）";
    char *note = today_text ? xasprintf("本日 %s%s", today_text, where_today)
                            : xasprintf("本日 %.4s/%.2s/%.2s%s", todays, todays + 5, todays + 8,
                                        where_today);
    lxw_format *today_note = new_format(wb);
    format_set_font_color(today_note, TODAY_RED);
    format_set_bold(today_note);
    put_string(ws, 1, 0, note, today_note); // its own row: the text runs on to the right
    free(note);
    gantt_legend(wb, ws, 2, groups, colw, unit == 7 ? "1列＝1週間（月曜から）" : "1列＝1日");
    worksheet_set_row(ws, 2, 20, NULL);
    double lw = label_width(groups);
    worksheet_set_column(ws, 0, 0, lw, NULL);
    worksheet_set_column(ws, 1, 2, GANTT_DATE_WIDTH, NULL);
    worksheet_set_column(ws, GANTT_FIRST_COL, (lxw_col_t)(GANTT_FIRST_COL + ncols - 1), colw, NULL);
    put_string(ws, 4, 0, "項目", f.header);
    put_string(ws, 4, 1, "開始", f.header);
    put_string(ws, 4, 2, "終了", f.header);
    gantt_months(wb, ws, 3, lo, unit, ncols, colw);
    // Today's column: where each column stands to it.
    unsigned char *where = xcalloc((size_t)ncols + 1, 1);
    for (long k = 0; k < ncols; k++) {
        long d = lo + k * unit;
        where[k] = t >= d && t < d + unit ? T_TODAY : 0;
        if (where[k]) {
            if (k > 0) {
                where[k - 1] = T_BEFORE;
            }
            if (k + 1 < ncols) {
                where[k + 1] = T_AFTER;
            }
            k++;
        }
    }
    bool *weekend = xcalloc((size_t)ncols + 1, sizeof *weekend);
    lxw_format *day_today = new_format(wb);
    format_set_bg_color(day_today, TODAY_RED);
    format_set_font_color(day_today, 0xFFFFFF);
    format_set_bold(day_today);
    format_set_align(day_today, LXW_ALIGN_CENTER);
    format_set_border(day_today, LXW_BORDER_MEDIUM);
    format_set_border_color(day_today, TODAY_RED);
    // The start and end in both forms, as every date the company reads, the
    // era above the Western date so that the columns stay narrow.
    lxw_format *gdate = new_format(wb);
    format_set_border(gdate, LXW_BORDER_THIN);
    format_set_num_format(gdate, XLSXW_DATE_FORMAT_2LINES);
    format_set_text_wrap(gdate);
    format_set_align(gdate, LXW_ALIGN_CENTER);
    format_set_align(gdate, LXW_ALIGN_VERTICAL_CENTER);
    format_set_font_size(gdate, 9);
    for (long k = 0; k < ncols; k++) {
        long d = lo + k * unit;
        char ds[11];
        bs_days_date(d, ds);
        lxw_col_t c = (lxw_col_t)(GANTT_FIRST_COL + k);
        // 1970-01-01 was a Thursday: 0 = Thursday … 2 = Saturday, 3 = Sunday.
        long wd = ((d % 7) + 7) % 7;
        weekend[k] = unit == 1 && (wd == 2 || wd == 3);
        lxw_format *hf = where[k] == T_TODAY ? day_today
                         : weekend[k]        ? df.weekend[where[k]]
                                             : df.plain[where[k]];
        if (unit == 7) {
            char *lab = xasprintf("%d/%d", atoi(ds + 5), atoi(ds + 8));
            put_string(ws, 4, c, lab, hf);
            free(lab);
        } else {
            worksheet_write_number(ws, 4, c, atoi(ds + 8), hf);
        }
    }
    lxw_format *label_wrap = new_format(wb);
    format_set_border(label_wrap, LXW_BORDER_THIN);
    format_set_text_wrap(label_wrap);
    format_set_align(label_wrap, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format *label_one = new_format(wb);
    format_set_border(label_one, LXW_BORDER_THIN);
    format_set_align(label_one, LXW_ALIGN_VERTICAL_CENTER);
    lxw_row_t r = 5;
    for (size_t g = 0; g < value_len(groups); g++) {
        const bs_value *grp = value_at(groups, g);
        const char *gt = value_get_str(grp, "title");
        if (gt && value_len(groups) > 1) {
            put_string(ws, r++, 0, gt, f.label);
        }
        const bs_value *rows = value_get(grp, "rows");
        for (size_t i = 0; i < value_len(rows); i++, r++) {
            const bs_value *row = value_at(rows, i);
            const char *s = value_get_str(row, "start"), *e = value_get_str(row, "end");
            long a = bs_date_days(s), b = e ? bs_date_days(e) : a;
            const char *label = value_get_str(row, "label") ? value_get_str(row, "label") : "";
            // As high as the label, and the two lines of the dates at least.
            double height = GANTT_DATE_HEIGHT;
            if (bs_utf8_width(label) + 1 > lw) {
                put_string(ws, r, 0, label, label_wrap);
                double lh = LINE_HEIGHT * text_lines(label, lw) + 2;
                height = lh > height ? lh : height;
            } else {
                put_string(ws, r, 0, label, label_one);
            }
            worksheet_set_row(ws, r, height, NULL);
            lxw_datetime da = {.year = atoi(s), .month = atoi(s + 5), .day = atoi(s + 8)};
            worksheet_write_datetime(ws, r, 1, &da, gdate);
            if (e) {
                lxw_datetime db = {.year = atoi(e), .month = atoi(e + 5), .day = atoi(e + 8)};
                worksheet_write_datetime(ws, r, 2, &db, gdate);
            } else {
                worksheet_write_datetime(ws, r, 2, &da, gdate);
            }
            lxw_format *const *bar = df.bar[kind_index(value_get_str(row, "kind"))];
            for (long k = 0; k < ncols; k++) {
                long d = lo + k * unit;
                bool on = a < d + unit && b >= d;
                lxw_format *cf = on ? bar[where[k]] : weekend[k] ? df.weekend[where[k]] : df.plain[where[k]];
                worksheet_write_blank(ws, r, (lxw_col_t)(GANTT_FIRST_COL + k), cf);
            }
        }
    }
    free(where);
    free(weekend);
    set_properties(wb, title);
    worksheet_freeze_panes(ws, 5, GANTT_FIRST_COL);
    worksheet_set_paper(ws, 9);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 3, 4);
    set_print_texts(ws, title, company);
    return close_book(wb, &tmp, LXW_NO_ERROR, err);
}
