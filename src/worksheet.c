#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "worksheet.h"

enum { MAX_PROBLEMS = 100, HEADER_SEARCH = 200 };

static void problem(bs_value *problems, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(bs_value *problems, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bs_utf8_truncate(msg, sizeof msg - 1);
    value_push(problems, value_str(msg));
}

static bool key_ok(const char *s, bool dash)
{
    if (!s || !(*s >= 'a' && *s <= 'z') || strlen(s) > 64) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              (dash && *p == '-'))) {
            return false;
        }
    }
    return true;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++) {
        if (strcmp(s, *list) == 0) {
            return true;
        }
    }
    return false;
}

long worksheet_column(const bs_value *cols, const char *key)
{
    for (size_t i = 0; key && i < value_len(cols); i++) {
        const char *k = value_get_str(value_at(cols, i), "key");
        if (k && strcmp(k, key) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* A formula's `{key}` names a column of the same row; `{id:key}` the whole
 * column `key` of the worksheet `id` written in the same file (its `book`). */
static bool list_has_str(const bs_value *list, const char *s)
{
    for (size_t i = 0; s && i < value_len(list); i++) {
        const char *t = value_as_str(value_at(list, i));
        if (t && strcmp(t, s) == 0) {
            return true;
        }
    }
    return false;
}

const bs_value *worksheet_book_owner(const bs_value *model, const bs_value *spec)
{
    if (value_get(spec, "book")) {
        return spec;
    }
    const bs_value *ws = value_get(model, "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        if (list_has_str(value_get(value_at(ws, i), "book"), value_get_str(spec, "id"))) {
            return value_at(ws, i);
        }
    }
    return spec;
}

static void check_formula(const bs_value *model, const bs_value *spec, const char *f,
                          const char *where, size_t i, bs_value *problems)
{
    const bs_value *cols = value_get(spec, "columns");
    for (const char *p = f ? strchr(f, '{') : NULL; p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (!close) {
            break;
        }
        char k[80];
        snprintf(k, sizeof k, "%.*s", (int)(close - p - 1), p + 1);
        char *colon = strchr(k, ':');
        if (!colon) {
            if (worksheet_column(cols, k) < 0) {
                problem(problems, _("%s.columns[%zu].formula: no column '%s'"), where, i + 1, k);
            }
            continue;
        }
        *colon = '\0';
        size_t index;
        const bs_value *other = model ? worksheet_find(model, k, &index) : NULL;
        if (model && !other) {
            problem(problems, _("%s.columns[%zu].formula: no worksheet '%s'"), where, i + 1, k);
        } else if (other && worksheet_column(value_get(other, "columns"), colon + 1) < 0) {
            problem(problems, _("%s.columns[%zu].formula: worksheet '%s' has no column '%s'"),
                    where, i + 1, k, colon + 1);
        } else if (other) {
            const bs_value *owner = worksheet_book_owner(model, spec);
            if (other != owner && !list_has_str(value_get(owner, "book"), k)) {
                problem(problems,
                        _("%s.columns[%zu].formula: worksheet '%s' is not in the same file "
                          "(see book)"),
                        where, i + 1, k);
            }
        }
    }
}

/* A column bansou writes a formula into, on every row or on the rows that
 * give one: never read back. */
static bool computed(const bs_value *col)
{
    return value_get_str(col, "formula") || value_get_str(col, "formula_from");
}

void worksheet_check(const bs_value *model, const bs_value *spec, const char *where,
                     bs_value *problems)
{
    static const char *const types[] = {"text", "integer", "number", "date", "enum", "boolean", NULL};
    static const char *const charts[] = {"radar", "bar", "column", "pie", NULL};
    if (value_type(spec) != BS_VMAP) {
        problem(problems, _("%s: expected worksheet{…}"), where);
        return;
    }
    const char *id = value_get_str(spec, "id");
    if (!key_ok(id, true)) {
        problem(problems, _("%s.id: expected lower-case letters, digits and '-'"), where);
    }
    const char *sheet = value_get_str(spec, "sheet");
    if (!sheet || !*sheet || bs_utf8_width(sheet) > 62 || strpbrk(sheet, "[]:*?/\\")) {
        problem(problems, _("%s.sheet: a sheet name of at most 31 characters without []:*?/\\"),
                where);
    }
    const bs_value *cols = value_get(spec, "columns");
    if (value_type(cols) != BS_VLIST || value_len(cols) == 0) {
        problem(problems, _("%s.columns: expected a non-empty list of columns"), where);
        return;
    }
    for (size_t i = 0; i < value_len(cols); i++) {
        const bs_value *c = value_at(cols, i);
        const char *key = value_get_str(c, "key");
        if (!key_ok(key, false)) {
            problem(problems, _("%s.columns[%zu].key: expected [a-z][a-z0-9_]*"), where, i + 1);
        } else if (worksheet_column(cols, key) != (long)i) {
            problem(problems, _("%s.columns[%zu].key: duplicate '%s'"), where, i + 1, key);
        }
        if (!value_get_str(c, "header")) {
            problem(problems, _("%s.columns[%zu].header: missing"), where, i + 1);
        }
        const char *type = value_get_str(c, "type");
        if (type && !one_of(type, types)) {
            problem(problems,
                    _("%s.columns[%zu].type: '%s' is not one of text, integer, number, "
                      "date, enum, boolean"),
                    where, i + 1, type);
        }
        if (type && strcmp(type, "enum") == 0 && value_len(value_get(c, "choices")) == 0) {
            problem(problems, _("%s.columns[%zu].choices: an enum needs choices"), where, i + 1);
        }
        check_formula(model, spec, value_get_str(c, "formula"), where, i, problems);
        static const char *const from[] = {"choices_from", "formula_from", NULL};
        for (const char *const *f = from; *f; f++) {
            const bs_value *v = value_get(c, *f);
            if (v && !value_as_str(v)) {
                problem(problems, _("%s.columns[%zu].%s: expected the name of a row field"), where,
                        i + 1, *f);
            }
        }
        if (value_get(c, "formula_from") && !value_get_str(spec, "key")) {
            problem(problems, _("%s.columns[%zu].formula_from: the sheet needs a key (for {col@ROW})"),
                    where, i + 1);
        }
        const bs_value *rw = value_get(c, "required_when");
        if (rw && (worksheet_column(cols, value_get_str(rw, "column")) < 0 || !value_get(rw, "equals"))) {
            problem(problems,
                    _("%s.columns[%zu].required_when: expected {column = KEY, equals = VALUE}"),
                    where, i + 1);
        }
    }
    const char *key = value_get_str(spec, "key");
    if (key && worksheet_column(cols, key) < 0) {
        problem(problems, _("%s.key: no column '%s'"), where, key);
    }
    const bs_value *skip = value_get(spec, "skip");
    if (skip && worksheet_column(cols, value_get_str(skip, "column")) < 0) {
        problem(problems, _("%s.skip.column: no column '%s'"), where,
                value_get_str(skip, "column") ? value_get_str(skip, "column") : "");
    }
    const bs_value *band = value_get(spec, "band");
    if (band && !value_as_str(band)) {
        problem(problems, _("%s.band: expected the name of a row field"), where);
    } else if (band && value_len(value_get(spec, "charts"))) {
        problem(problems, _("%s.band: a sheet with bands cannot have charts"), where);
    }
    const bs_value *book = value_get(spec, "book");
    if (value_len(book) > 15) {
        problem(problems, _("%s.book: at most 15 more sheets in one file"), where);
    }
    for (size_t i = 0; model && i < value_len(book); i++) {
        const char *b = value_as_str(value_at(book, i));
        size_t index;
        const bs_value *other = b ? worksheet_find(model, b, &index) : NULL;
        if (!other || other == spec || value_get(other, "book")) {
            problem(problems,
                    _("%s.book[%zu]: '%s' is not another worksheet of the theme "
                      "(without a book of its own)"),
                    where, i + 1, b ? b : "");
        }
    }
    const bs_value *conds = value_get(spec, "conditional");
    for (size_t i = 0; i < value_len(conds); i++) {
        const char *c = value_get_str(value_at(conds, i), "column");
        if (worksheet_column(cols, c) < 0) {
            problem(problems, _("%s.conditional[%zu].column: no column '%s'"), where, i + 1,
                    c ? c : "");
        }
    }
    const bs_value *chs = value_get(spec, "charts");
    for (size_t i = 0; i < value_len(chs); i++) {
        const bs_value *ch = value_at(chs, i);
        if (!one_of(value_get_str(ch, "type"), charts)) {
            problem(problems, _("%s.charts[%zu].type: expected radar, bar, column or pie"), where,
                    i + 1);
        }
        const char *c = value_get_str(ch, "categories");
        if (worksheet_column(cols, c) < 0) {
            problem(problems, _("%s.charts[%zu].%s: no column '%s'"), where, i + 1, "categories",
                    c ? c : "");
        }
        // values: a column, or a list of columns (a series each).
        const bs_value *vals = value_get(ch, "values");
        size_t nv = value_type(vals) == BS_VLIST ? value_len(vals) : 1;
        if (value_type(vals) == BS_VLIST && (nv == 0 || nv > 16)) {
            problem(problems, _("%s.charts[%zu].values: expected 1 to 16 columns"), where, i + 1);
        }
        for (size_t k = 0; k < nv && k < 16; k++) {
            const char *v = value_type(vals) == BS_VLIST ? value_as_str(value_at(vals, k))
                                                          : value_as_str(vals);
            if (worksheet_column(cols, v) < 0) {
                problem(problems, _("%s.charts[%zu].%s: no column '%s'"), where, i + 1, "values",
                        v ? v : "");
            }
        }
    }
}

const bs_value *worksheet_find(const bs_value *model, const char *id, size_t *index_out)
{
    const bs_value *ws = value_get(model, "worksheets");
    for (size_t i = 0; i < value_len(ws); i++) {
        const char *wid = value_get_str(value_at(ws, i), "id");
        if (wid && strcmp(wid, id) == 0) {
            *index_out = i + 1;
            return value_at(ws, i);
        }
    }
    return NULL;
}

const bs_value *worksheet_path(const bs_value *ctx, const char *path)
{
    const bs_value *v = ctx;
    const char *p = path;
    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char seg[128];
        if (n >= sizeof seg) {
            return NULL;
        }
        memcpy(seg, p, n);
        seg[n] = '\0';
        v = value_get(v, seg);
        p += n + (dot ? 1 : 0);
    }
    return v;
}

bs_value *worksheet_fields(const bs_value *spec, const bs_value *ctx)
{
    bs_value *out = value_list();
    const bs_value *fields = value_get(spec, "fields");
    for (size_t i = 0; i < value_len(fields); i++) {
        const bs_value *f = value_at(fields, i);
        bs_value *r = value_map();
        value_set_str(r, "label", value_get_str(f, "label"));
        const char *path = value_get_str(f, "value");
        const bs_value *v = path ? worksheet_path(ctx, path) : NULL;
        value_set(r, "value", v ? value_copy(v) : value_null());
        value_set_str(r, "input", value_get_str(f, "input"));
        value_push(out, r);
    }
    return out;
}

/* --- reading ---------------------------------------------------------------- */

/* The cell's text without surrounding white space (a header may have a line
 * break added by the user). Owned. */
static char *cell_text(const bs_cell *c)
{
    const char *s = c && c->text ? c->text : "";
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t')) {
        n--;
    }
    return xstrndup(s, n);
}

static bool header_at(const bs_value *cols, const bs_grid *g, uint32_t r, uint32_t c0)
{
    for (size_t j = 0; j < value_len(cols); j++) {
        char *t = cell_text(xlsxr_cell(g, r, c0 + (uint32_t)j));
        const char *h = value_get_str(value_at(cols, j), "header");
        bool same = h && strcmp(t, h) == 0;
        free(t);
        if (!same) {
            return false;
        }
    }
    return true;
}

/* The choice whose text is `text`, or NULL. */
static const bs_value *find_choice(const bs_value *choices, const char *text)
{
    for (size_t i = 0; i < value_len(choices); i++) {
        const bs_value *ch = value_at(choices, i);
        char buf[64];
        const char *s = value_as_str(ch);
        if (!s) {
            snprintf(buf, sizeof buf, "%lld", (long long)value_as_int(ch));
            s = buf;
        }
        if (strcmp(s, text) == 0) {
            return ch;
        }
    }
    return NULL;
}

static char *choice_list(const bs_value *choices)
{
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(choices); i++) {
        const bs_value *ch = value_at(choices, i);
        if (value_as_str(ch)) {
            bs_buf_printf(&b, "%s%s", i ? ", " : "", value_as_str(ch));
        } else {
            bs_buf_printf(&b, "%s%lld", i ? ", " : "", (long long)value_as_int(ch));
        }
    }
    return bs_buf_take(&b);
}

/* Converts one cell by its column's type; NULL and a problem when it does not fit. */
static bs_value *convert(const bs_value *col, const bs_cell *c, bool date1904, const char *where,
                         bs_value *problems)
{
    const char *type = value_get_str(col, "type");
    type = type ? type : "text";
    char *text = cell_text(c);
    bs_value *v = NULL;
    if (c->type == XC_ERR) {
        problem(problems, _("%s: the cell holds the error %s"), where, text);
    } else if (strcmp(type, "text") == 0) {
        v = value_str(text);
    } else if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
        bool integer = strcmp(type, "integer") == 0;
        double d = c->num;
        bool ok = c->type == XC_NUM;
        if (c->type == XC_STR) {
            char *end = NULL;
            d = strtod(text, &end);
            ok = *text && end && !*end && isfinite(d);
        }
        if (ok && integer && (d != floor(d) || fabs(d) > 9e15)) {
            ok = false;
        }
        if (!ok) {
            problem(problems,
                    integer ? _("%s: '%s' is not a whole number") : _("%s: '%s' is not a number"),
                    where, text);
        } else {
            v = integer ? value_int((int64_t)d) : value_num(d);
        }
    } else if (strcmp(type, "date") == 0) {
        char buf[11];
        if (c->type == XC_NUM && xlsxr_serial_date(c->num, date1904, buf)) {
            v = value_str(buf);
        } else if (c->type == XC_STR && strlen(text) >= 10) {
            char norm[11];
            memcpy(norm, text, 10);
            norm[10] = '\0';
            if (norm[4] == '/' && norm[7] == '/') {
                norm[4] = norm[7] = '-';
            }
            if (bs_date_valid(norm) && (text[10] == '\0' || text[10] == 'T' || text[10] == ' ')) {
                v = value_str(norm);
            }
        }
        if (!v) {
            problem(problems, _("%s: '%s' is not a date"), where, text);
        }
    } else if (strcmp(type, "enum") == 0) {
        const bs_value *choices = value_get(col, "choices");
        const bs_value *ch = find_choice(choices, text);
        if (ch) {
            v = value_copy(ch);
        } else {
            char *list = choice_list(choices);
            problem(problems, _("%s: '%s' is not one of %s"), where, text, list);
            free(list);
        }
    } else if (strcmp(type, "boolean") == 0) {
        if (c->type == XC_BOOL || c->type == XC_NUM) {
            v = value_bool(c->num != 0);
        } else if (strcmp(text, "TRUE") == 0 || strcmp(text, "true") == 0 ||
                   strcmp(text, "はい") == 0 || strcmp(text, "○") == 0) {
            v = value_bool(true);
        } else if (strcmp(text, "FALSE") == 0 || strcmp(text, "false") == 0 ||
                   strcmp(text, "いいえ") == 0 || strcmp(text, "×") == 0) {
            v = value_bool(false);
        } else {
            problem(problems, _("%s: '%s' is not yes or no (TRUE/FALSE, はい/いいえ)"), where,
                    text);
        }
    }
    free(text);
    return v;
}

/* Whether row `r` is one the spec's `skip` leaves out (e.g. a sample row the
 * company left marked as a sample). */
static bool skipped_row(const bs_value *spec, const bs_grid *g, uint32_t r, uint32_t c0)
{
    const bs_value *skip = value_get(spec, "skip");
    long c = worksheet_column(value_get(spec, "columns"), value_get_str(skip, "column"));
    const char *eq = value_get_str(skip, "equals");
    if (c < 0 || !eq) {
        return false;
    }
    char *t = cell_text(xlsxr_cell(g, r, c0 + (uint32_t)c));
    bool same = strcmp(t, eq) == 0;
    free(t);
    return same;
}

/* Whether a column with `required_when = {column, equals}` is required in
 * row `r` (its other cell holds that value); why in `why` ("HEADER = VALUE"). */
static bool required_when(const bs_value *cols, const bs_value *col, const bs_grid *g, uint32_t r,
                          uint32_t c0, char *why, size_t n)
{
    const bs_value *rw = value_get(col, "required_when");
    long oc = worksheet_column(cols, value_get_str(rw, "column"));
    if (oc < 0) {
        return false;
    }
    char eq[128];
    value_scalar_text(value_get(rw, "equals"), eq, sizeof eq);
    char *t = cell_text(xlsxr_cell(g, r, c0 + (uint32_t)oc));
    bool match = strcmp(t, eq) == 0;
    free(t);
    if (match) {
        snprintf(why, n, "%s = %s", value_get_str(value_at(cols, (size_t)oc), "header"), eq);
    }
    return match;
}

/* Whether row `r` is a band row of a spec with `band`: the mark in the first
 * cell and every other cell the company could fill empty (or, as the reader
 * gives merged cells, holding the same text). */
static bool band_row(const bs_value *spec, const bs_grid *g, uint32_t r, uint32_t c0)
{
    if (!value_get_str(spec, "band")) {
        return false;
    }
    const bs_value *cols = value_get(spec, "columns");
    char *first = cell_text(xlsxr_cell(g, r, c0));
    bool band = strncmp(first, WORKSHEET_BAND_MARK, strlen(WORKSHEET_BAND_MARK)) == 0;
    for (size_t j = 1; j < value_len(cols) && band; j++) {
        if (computed(value_at(cols, j))) {
            continue;
        }
        char *t = cell_text(xlsxr_cell(g, r, c0 + (uint32_t)j));
        band = !*t || strcmp(t, first) == 0;
        free(t);
    }
    free(first);
    return band;
}

typedef struct {
    char text[128];
    size_t i;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The key values of `rows` as text, sorted (ties in row order); *n_out of
 * them. Owned. */
static keyed *keys_of(const bs_value *rows, const char *key, size_t *n_out)
{
    size_t n = value_len(rows);
    keyed *ks = xcalloc(n + 1, sizeof *ks);
    for (size_t i = 0; i < n; i++) {
        value_scalar_text(value_get(value_at(rows, i), key), ks[i].text, sizeof ks[i].text);
        ks[i].i = i;
    }
    qsort(ks, n, sizeof *ks, keyed_cmp);
    *n_out = n;
    return ks;
}

/* Every key value once: a later row with the same key is a problem. */
static void check_keys(const bs_value *spec, const bs_value *rows, const uint32_t *at,
                       uint32_t c0, bs_value *problems)
{
    const char *key = value_get_str(spec, "key");
    const bs_value *cols = value_get(spec, "columns");
    long kc = worksheet_column(cols, key);
    size_t n = value_len(rows);
    if (kc < 0 || n < 2) {
        return;
    }
    keyed *ks = keys_of(rows, key, &n);
    for (size_t i = 1; i < n && value_len(problems) < MAX_PROBLEMS; i++) {
        if (*ks[i].text && strcmp(ks[i].text, ks[i - 1].text) == 0) {
            size_t first = i - 1;
            while (first > 0 && strcmp(ks[first - 1].text, ks[i].text) == 0) {
                first--;
            }
            char name[16];
            xlsxr_cell_name(at[ks[i].i], c0 + (uint32_t)kc, name);
            problem(problems, _("%s!%s: %s '%s' appears again (first in row %u)"),
                    value_get_str(spec, "sheet"), name,
                    value_get_str(value_at(cols, (size_t)kc), "header"), ks[i].text,
                    at[ks[first].i] + 1);
        }
    }
    free(ks);
}

/* The table's header row and first column: wherever the user moved them. */
static bool find_header(const bs_value *cols, const bs_grid *g, uint32_t *hr, uint32_t *c0)
{
    for (uint32_t r = 0; g->n && r <= g->max_row && r < HEADER_SEARCH; r++) {
        for (uint32_t c = 0; c <= g->max_col; c++) {
            if (header_at(cols, g, r, c)) {
                *hr = r;
                *c0 = c;
                return true;
            }
        }
    }
    return false;
}

char *worksheet_locate(const bs_value *spec, const bs_grid *g, const char *rowkey,
                       const char *colkey)
{
    const bs_value *cols = value_get(spec, "columns");
    long kc = worksheet_column(cols, value_get_str(spec, "key"));
    long cc = colkey ? worksheet_column(cols, colkey) : kc;
    uint32_t hr = 0, c0 = 0;
    if (kc < 0 || cc < 0 || !rowkey || !find_header(cols, g, &hr, &c0)) {
        return NULL;
    }
    for (uint32_t r = hr + 1; r <= g->max_row; r++) {
        const bs_cell *c = xlsxr_cell(g, r, c0 + (uint32_t)kc);
        char *t = c ? cell_text(c) : NULL;
        bool same = t && strcmp(t, rowkey) == 0;
        free(t);
        if (same) {
            char cell[32];
            xlsxr_cell_name(r, c0 + (uint32_t)cc, cell);
            return xasprintf("%s!%s", value_get_str(spec, "sheet"), cell);
        }
    }
    return NULL;
}

int worksheet_read(const bs_value *spec, const bs_grid *g, bool date1904, bs_value **rows_out,
                   size_t *skipped, bs_value *problems, bs_err *err)
{
    const char *sheet = value_get_str(spec, "sheet");
    const bs_value *cols = value_get(spec, "columns");
    size_t ncols = value_len(cols);
    size_t before = value_len(problems);
    uint32_t hr = 0, c0 = 0;
    bool found = find_header(cols, g, &hr, &c0);
    if (!found) {
        bs_buf h = {0};
        for (size_t j = 0; j < ncols; j++) {
            bs_buf_printf(&h, "%s%s", j ? " | " : "", value_get_str(value_at(cols, j), "header"));
        }
        problem(problems, _("%s: the table's header row (%s) was not found"), sheet,
                h.s ? h.s : "");
        bs_buf_free(&h);
        return bs_err_set(err, BS_EINPUT, _("%s: not the expected worksheet"), sheet);
    }
    bs_value *rows = value_list();
    size_t cap = 64, nskip = 0;
    uint32_t *at = xcalloc(cap, sizeof *at); // the sheet row of each row read
    for (uint32_t r = hr + 1; r <= g->max_row; r++) {
        bool empty = true;
        for (size_t j = 0; j < ncols && empty; j++) {
            if (computed(value_at(cols, j))) {
                continue; // a computed cell says nothing about the row
            }
            const bs_cell *c = xlsxr_cell(g, r, c0 + (uint32_t)j);
            char *t = c ? cell_text(c) : NULL;
            empty = !t || !*t;
            free(t);
        }
        if (empty) {
            break;
        }
        if (band_row(spec, g, r, c0)) {
            continue;
        }
        if (skipped_row(spec, g, r, c0)) {
            nskip++;
            continue;
        }
        bs_value *row = value_map();
        for (size_t j = 0; j < ncols; j++) {
            const bs_value *col = value_at(cols, j);
            if (computed(col)) {
                continue;
            }
            const char *key = value_get_str(col, "key");
            const bs_cell *c = xlsxr_cell(g, r, c0 + (uint32_t)j);
            char where[160], name[16];
            xlsxr_cell_name(r, c0 + (uint32_t)j, name);
            snprintf(where, sizeof where, "%s!%s", sheet, name);
            char *t = c ? cell_text(c) : NULL;
            bs_value *v = NULL;
            if (!t || !*t) {
                char when[256];
                if (value_as_bool(value_get(col, "required"))) {
                    problem(problems, _("%s: %s is required"), where, value_get_str(col, "header"));
                } else if (required_when(cols, col, g, r, c0, when, sizeof when)) {
                    problem(problems, _("%s: %s is required (%s)"), where,
                            value_get_str(col, "header"), when);
                }
            } else {
                v = convert(col, c, date1904, where, problems);
            }
            free(t);
            value_set(row, key, v ? v : value_null());
            if (value_len(problems) - before >= MAX_PROBLEMS) {
                break;
            }
        }
        if (value_len(rows) == cap) {
            cap *= 2;
            at = xrealloc(at, cap * sizeof *at);
        }
        at[value_len(rows)] = r;
        value_push(rows, row);
        if (value_len(problems) - before >= MAX_PROBLEMS) {
            problem(problems, _("%s: more problems not listed"), sheet);
            break;
        }
    }
    if (value_len(problems) == before) {
        check_keys(spec, rows, at, c0, problems);
    }
    free(at);
    if (skipped) {
        *skipped = nskip;
    }
    if (value_len(problems) > before) {
        value_free(rows);
        size_t n = value_len(problems) - before;
        return bs_err_set(err, BS_EINPUT,
                          ngettext("%zu problem in sheet %s: nothing imported",
                                   "%zu problems in sheet %s: nothing imported", n),
                          n, sheet);
    }
    *rows_out = rows;
    return BS_OK;
}

/* --- comparing imports -------------------------------------------------------- */

static int keyed_text_cmp(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->text, ((const keyed *)b)->text);
}

bs_value *worksheet_missing_keys(const char *key, const bs_value *want, const bs_value *have)
{
    size_t n;
    keyed *kh = keys_of(have, key, &n);
    bs_value *missing = value_list();
    for (size_t i = 0; i < value_len(want); i++) {
        keyed k = {.i = i};
        value_scalar_text(value_get(value_at(want, i), key), k.text, sizeof k.text);
        if (!bsearch(&k, kh, n, sizeof *kh, keyed_text_cmp)) {
            value_push(missing, value_str(k.text));
        }
    }
    free(kh);
    return missing;
}

/* A value shown in a change: short, and visible when empty. */
static void shown(const bs_value *v, char *buf, size_t n)
{
    value_scalar_text(v, buf, n);
    if (!*buf) {
        snprintf(buf, n, "（空欄）");
    } else if (strlen(buf) > 40) {
        bs_utf8_truncate(buf, 40);
        strcat(buf, "…");
    }
}

bs_value *worksheet_diff(const bs_value *spec, const bs_value *before, const bs_value *after)
{
    const char *key = value_get_str(spec, "key");
    const bs_value *cols = value_get(spec, "columns");
    if (worksheet_column(cols, key) < 0) {
        return NULL;
    }
    size_t nb;
    keyed *kb = keys_of(before, key, &nb);
    bs_value *added = value_list(), *changed = value_list();
    for (size_t i = 0; i < value_len(after); i++) {
        const bs_value *row = value_at(after, i);
        keyed k = {.i = i};
        value_scalar_text(value_get(row, key), k.text, sizeof k.text);
        const keyed *old = bsearch(&k, kb, nb, sizeof *kb, keyed_text_cmp);
        if (!old) {
            value_push(added, value_str(k.text));
            continue;
        }
        const bs_value *was = value_at(before, old->i);
        bs_buf b = {0};
        for (size_t c = 0; c < value_len(cols); c++) {
            const char *ck = value_get_str(value_at(cols, c), "key");
            char x[64], y[64];
            value_scalar_text(value_get(was, ck), x, sizeof x);
            value_scalar_text(value_get(row, ck), y, sizeof y);
            if (strcmp(x, y) != 0) {
                shown(value_get(was, ck), x, sizeof x);
                shown(value_get(row, ck), y, sizeof y);
                bs_buf_printf(&b, "%s%s %s→%s", b.s ? "; " : "",
                              value_get_str(value_at(cols, c), "header"), x, y);
            }
        }
        if (b.s) {
            bs_value *ch = value_map();
            value_set_str(ch, "key", k.text);
            value_set_str(ch, "changes", b.s);
            value_push(changed, ch);
        }
        bs_buf_free(&b);
    }
    free(kb);
    bs_value *d = value_map();
    value_set(d, "added", added);
    value_set(d, "removed", worksheet_missing_keys(key, before, after));
    value_set(d, "changed", changed);
    return d;
}
