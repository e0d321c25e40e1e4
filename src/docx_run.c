/* docx_run: running compiled templates (docx_int.h) with data, and writing
 * the document. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "docx_int.h"
#include "i18n.h"

/* The deflate level of rendered parts: the fastest. Rendered XML is very
 * repetitive, so level 1 gives files about 6% larger than the default level
 * 6 for an eighth less work in a whole programme's run (measured on the
 * demo multiplied to 28 engagements: 7.15 → 6.29·10⁹ instructions). */
enum { PART_LEVEL = 1 };

/* The output budget: what the rendered parts of one document may add up
 * to, unless BANSOU_MAX_OUTPUT says otherwise. A template's loops inside
 * each other multiply: three over a 1,000-item list make 10⁹ copies of
 * their body. Each repetition counts as REPEAT_COST bytes besides what it
 * writes, so that loops which write nothing are bounded too. */
enum { DEFAULT_MAX_OUTPUT = 256 << 20, REPEAT_COST = 32 };

/* --- scopes ---------------------------------------------------------------- */

typedef struct frame {
    const bs_value *v; /* the value in scope (lent) */
    int64_t index;     /* 1-based number of a list item, 0 otherwise */
} frame;

typedef struct rctx {
    const program *pg;
    const char *part;  /* for messages */
    frame *stack;      /* owned */
    size_t depth, cap;
    bool strict;
    bs_value *missing; /* map: "part: tag why" → times ("part: where tag why" when strict) */
    bs_value *names;   /* strict: map of the tags without a value, as shown, in order */
    bs_buf *out;       /* the part being written */
    size_t max;        /* the output budget in bytes */
    size_t done;       /* bytes of the parts written before this one */
    size_t charged;    /* REPEAT_COST for each repetition so far */
    bool over;         /* the budget ran out */
    const ptag *at;    /* then: the value being inserted, if any */
    bs_buf where;      /* and the sections it ran out in, innermost first */
    bs_value *charts;  /* the charts shown, in order (copies) */
    bs_err *err;
} rctx;

/* The most charts one document may show. */
enum { MAX_CHARTS = 200 };

static void push(rctx *c, const bs_value *v, int64_t index)
{
    if (c->depth == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->stack = xrealloc(c->stack, c->cap * sizeof *c->stack);
    }
    c->stack[c->depth++] = (frame){v, index};
}

/* Looks a tag name up: the first path segment in the innermost scope that
 * has it, the rest below that. NULL when missing; @n sets *index_out. */
static const bs_value *lookup(const rctx *c, const char *name, int64_t *index_out)
{
    *index_out = 0;
    if (name[0] == '.' && name[1] == '\0') {
        return c->depth ? c->stack[c->depth - 1].v : NULL;
    }
    if (name[0] == '@') {
        for (size_t i = c->depth; i > 0; i--) {
            if (c->stack[i - 1].index > 0) {
                *index_out = c->stack[i - 1].index;
                break;
            }
        }
        return NULL;
    }
    char seg[DOCX_MAX_TAG];
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    memcpy(seg, name, n);
    seg[n] = '\0';
    const bs_value *v = NULL;
    for (size_t i = c->depth; i > 0 && !v; i--) {
        v = value_get(c->stack[i - 1].v, seg);
    }
    while (v && dot) {
        const char *next = strchr(dot + 1, '.');
        n = next ? (size_t)(next - dot - 1) : strlen(dot + 1);
        memcpy(seg, dot + 1, n);
        seg[n] = '\0';
        v = value_get(v, seg);
        dot = next;
    }
    return v;
}

static bool truthy(const bs_value *v)
{
    switch (value_type(v)) {
    case BS_VBOOL:
        return value_as_bool(v);
    case BS_VINT:
        return value_as_int(v) != 0;
    case BS_VNUM:
        return value_as_num(v) != 0;
    case BS_VSTR:
        return value_str_len(v) > 0;
    case BS_VLIST:
    case BS_VMAP:
        return value_len(v) > 0;
    default:
        return false;
    }
}

/* The text of a scalar into `b`; false for null, lists and maps. */
static bool value_text(const bs_value *v, bs_buf *b)
{
    switch (value_type(v)) {
    case BS_VSTR:
        bs_buf_add(b, value_as_str(v), value_str_len(v));
        return true;
    case BS_VINT:
        bs_buf_printf(b, "%lld", (long long)value_as_int(v));
        return true;
    case BS_VNUM: {
        // Whole numbers print as integers, every digit; others as short as
        // they read back the same.
        double d = value_as_num(v);
        if (d == 0) {
            bs_buf_puts(b, "0");
        } else if (isfinite(d) && d == trunc(d) && fabs(d) < 1e21) {
            bs_buf_printf(b, "%.0f", d);
        } else {
            bs_buf_printf(b, "%.15g", d);
        }
        return true;
    }
    case BS_VBOOL:
        bs_buf_puts(b, value_as_bool(v) ? "true" : "false");
        return true;
    default:
        return false;
    }
}

/* Counts a tag without a value it can show; `why` (NULL: by the value's
 * type) says what is wrong with the value. */
static int no_value(rctx *c, const ptag *pt, const bs_value *v, const char *why)
{
    if (!v || value_type(v) == BS_VNULL) {
        why = _("has no value");
    }
    why = why                        ? why
          : value_type(v) == BS_VLIST ? _("is a list, not text")
          : value_type(v) == BS_VMAP  ? _("is a map, not text")
                                      : _("has no value");
    char shown[DOCX_MAX_TAG + 8];
    docx_tag_show(&pt->t, shown, sizeof shown);
    // Strict: every miss is named, with its paragraph, before the render fails.
    char *key = c->strict ? xasprintf("%s: %s%s %s", c->part, pt->where, shown, why)
                          : xasprintf("%s: %s %s", c->part, shown, why);
    if (c->strict) {
        value_set_int(c->names, shown, 1);
    }
    bs_value *n = value_get(c->missing, key);
    value_set_int(c->missing, key, n ? value_as_int(n) + 1 : 1);
    free(key);
    return BS_OK;
}

/* The value of a variable as text into `text`; false when it has none. */
static int var_text(rctx *c, const ptag *pt, bs_buf *text, bool *has)
{
    int64_t index = 0;
    const bs_value *v = lookup(c, pt->t.name, &index);
    text->len = 0;
    if (index > 0) {
        bs_buf_printf(text, "%lld", (long long)index);
        *has = true;
        return BS_OK;
    }
    *has = value_text(v, text);
    return *has ? BS_OK : no_value(c, pt, v, NULL);
}

/* Writes `s` as w:t, w:br and w:tab elements with prefix `pfx`. */
static void write_runs_text(bs_buf *out, const char *s, const char *pfx, size_t pl)
{
    char *clean = docx_xml_clean(s);
    const char *p = clean;
    for (;;) {
        size_t n = strcspn(p, "\n\t");
        if (n > 0) {
            bs_buf_puts(out, "<");
            bs_buf_add(out, pfx, pl);
            bs_buf_puts(out, pl ? ":t xml:space=\"preserve\">" : "t xml:space=\"preserve\">");
            docx_escape(out, p, n, false);
            bs_buf_puts(out, "</");
            bs_buf_add(out, pfx, pl);
            bs_buf_puts(out, pl ? ":t>" : "t>");
        }
        if (!p[n]) {
            break;
        }
        bs_buf_puts(out, "<");
        bs_buf_add(out, pfx, pl);
        bs_buf_puts(out, p[n] == '\n' ? (pl ? ":br/>" : "br/>") : (pl ? ":tab/>" : "tab/>"));
        p += n + 1;
    }
    free(clean);
}

/* True when a paragraph or table element starts in out[from…]. */
static bool wrote_block(const bs_buf *out, size_t from, const char *pfx, size_t pl)
{
    static const char *const names[] = {"p>", "p ", "p/>", "tbl>", "tbl ", NULL};
    for (const char *const *nm = names; *nm; nm++) {
        char pat[32];
        snprintf(pat, sizeof pat, "<%.*s%s%s", (int)pl, pfx, pl ? ":" : "", *nm);
        size_t n = strlen(pat);
        for (size_t i = from; i + n <= out->len; i++) {
            if (memcmp(out->s + i, pat, n) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* Whether the document has grown past its budget. */
static bool over_budget(const rctx *c)
{
    return c->done + c->out->len + c->charged > c->max;
}

/* Adds section `pt` to the sections the budget ran out in: the message
 * names the innermost one's paragraph and the ones it is inside. */
static void budget_in(rctx *c, const ptag *pt)
{
    char shown[DOCX_MAX_TAG + 8];
    docx_tag_show(&pt->t, shown, sizeof shown);
    bs_buf_puts(&c->where, c->where.len ? " inside " : pt->where);
    bs_buf_puts(&c->where, shown);
}

static int run_ops(rctx *c, size_t lo, size_t hi, bs_buf *text)
{
    const program *pg = c->pg;
    const char *bytes = pg->bytes.s;
    int rc = BS_OK;
    for (size_t i = lo; i < hi && rc == BS_OK; i++) {
        const op *o = &pg->ops[i];
        const ptag *pt = o->kind != OP_BYTES ? &pg->tags[o->tag] : NULL;
        const char *pfx = bytes + o->pfx_off;
        bool has = false;
        switch (o->kind) {
        case OP_BYTES:
            bs_buf_add(c->out, bytes + o->off, o->len);
            break;
        case OP_VAR:
            rc = var_text(c, pt, text, &has);
            bs_buf_add(c->out, bytes + o->off, o->len);
            if (has) {
                write_runs_text(c->out, text->s, pfx, o->pfx_len);
            }
            bs_buf_puts(c->out, "</");
            bs_buf_add(c->out, pfx, o->pfx_len);
            bs_buf_puts(c->out, o->pfx_len ? ":r>" : "r>");
            break;
        case OP_TEXTVAR:
            rc = var_text(c, pt, text, &has);
            if (has) {
                char *clean = docx_xml_clean(text->s);
                docx_escape(c->out, clean, strlen(clean), false);
                free(clean);
            }
            break;
        case OP_SEC: {
            int64_t index = 0;
            const bs_value *v = lookup(c, pt->t.name, &index);
            bool list = value_type(v) == BS_VLIST;
            size_t times = pt->t.kind == TAG_INVERT ? !truthy(v) : list ? value_len(v) : truthy(v);
            for (size_t k = 0; k < times && rc == BS_OK; k++) {
                c->charged += REPEAT_COST;
                if (over_budget(c)) {
                    rc = BS_EINPUT;
                    c->over = true;
                    break;
                }
                bool pushed = pt->t.kind == TAG_OPEN && (list || value_type(v) == BS_VMAP);
                if (pushed) {
                    push(c, list ? value_at(v, k) : v, list ? (int64_t)k + 1 : 0);
                }
                rc = run_ops(c, i + 1, o->end, text);
                if (pushed) {
                    c->depth--;
                }
            }
            if (c->over) {
                budget_in(c, pt);
            }
            i = o->end - 1;
            break;
        }
        case OP_BLOCK: {
            int64_t index = 0;
            const bs_value *v = lookup(c, pt->t.name, &index);
            const char *why = NULL;
            if (pt->t.kind == TAG_TABLE) {
                if (docx_table_value(v, &why)) {
                    docx_table_xml(c->out, v, pfx, o->pfx_len);
                } else {
                    rc = no_value(c, pt, v, why); // the paragraph goes
                }
            } else if (!docx_chart_value(v, &why)) {
                rc = no_value(c, pt, v, why);
            } else if (value_len(c->charts) >= MAX_CHARTS) {
                rc = bs_err_set(c->err, BS_EINPUT, _("%s: %smore than %d charts in one document"),
                                c->part, pt->where, MAX_CHARTS);
            } else {
                value_push(c->charts, value_copy(v));
                bs_buf_add(c->out, bytes + o->off, o->len);
                docx_chart_drawing(c->out, v, (int)value_len(c->charts), pfx, o->pfx_len);
                bs_buf_puts(c->out, "</");
                bs_buf_add(c->out, pfx, o->pfx_len);
                bs_buf_puts(c->out, o->pfx_len ? ":p>" : "p>");
            }
            break;
        }
        case OP_CELL: {
            size_t from = c->out->len;
            rc = run_ops(c, i + 1, o->end, text);
            if (rc == BS_OK && !wrote_block(c->out, from, pfx, o->pfx_len)) {
                bs_buf_puts(c->out, "<");
                bs_buf_add(c->out, pfx, o->pfx_len);
                bs_buf_puts(c->out, o->pfx_len ? ":p/>" : "p/>");
            }
            i = o->end - 1;
            break;
        }
        }
        if (rc == BS_OK && over_budget(c)) {
            c->over = true;
            c->at = o->kind == OP_VAR || o->kind == OP_TEXTVAR ? pt : NULL;
            rc = BS_EINPUT;
        }
    }
    return rc;
}

/* "256 MiB", "64 KiB" or "1000 bytes" into buf. */
static const char *size_text(size_t n, char *buf, size_t len)
{
    if (n % (1u << 20) == 0) {
        snprintf(buf, len, "%zu MiB", n >> 20);
    } else if (n % 1024 == 0) {
        snprintf(buf, len, "%zu KiB", n >> 10);
    } else {
        snprintf(buf, len, "%zu bytes", n);
    }
    return buf;
}

int docx_output_budget(size_t *out, bs_err *err)
{
    const char *s = getenv("BANSOU_MAX_OUTPUT");
    if (!s) {
        *out = DEFAULT_MAX_OUTPUT;
        return BS_OK;
    }
    size_t n = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && n <= SIZE_MAX / 10 - 9; p++) {
        n = n * 10 + (size_t)(*p - '0');
    }
    int shift = 0;
    if (p > s && (*p == 'K' || *p == 'k' || *p == 'M' || *p == 'm' || *p == 'G' || *p == 'g')) {
        shift = *p == 'K' || *p == 'k' ? 10 : *p == 'M' || *p == 'm' ? 20 : 30;
        p++;
    }
    if (p == s || *p || n == 0 || n > (SIZE_MAX >> shift)) {
        return bs_err_set(err, BS_EINPUT,
                          _("BANSOU_MAX_OUTPUT: '%s' is not a size (bytes, or a number with K, M "
                            "or G)"),
                          s);
    }
    *out = n << shift;
    return BS_OK;
}

/* --- charts: the parts they add ------------------------------------------------ */

#define CHART_PART "word/charts/bansou-chart%zu.xml"
#define CHART_TYPE "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* `xml` (the template's part, root element `root`) with `add` at the end
 * of the root's content, or as its content when it is empty (<Types/>);
 * NULL when it has no such root. Owned. */
static char *insert_before(const char *xml, size_t len, const char *root, const char *add)
{
    char close[32], open[32];
    snprintf(close, sizeof close, "</%s>", root);
    snprintf(open, sizeof open, "<%s", root);
    size_t cl = strlen(close), ol = strlen(open);
    for (size_t i = len >= cl ? len - cl + 1 : 0; i-- > 0;) {
        if (memcmp(xml + i, close, cl) == 0) {
            return xasprintf("%.*s%s%.*s", (int)i, xml, add, (int)(len - i), xml + i);
        }
    }
    for (size_t i = 0; i + ol < len; i++) {
        if (memcmp(xml + i, open, ol) == 0 && (xml[i + ol] == ' ' || xml[i + ol] == '/')) {
            const char *gt = memchr(xml + i, '>', len - i);
            if (!gt || gt[-1] != '/') {
                return NULL;
            }
            size_t at = (size_t)(gt - 1 - xml);
            return xasprintf("%.*s>%s%s%.*s", (int)at, xml, add, close, (int)(len - at - 2),
                             gt + 1);
        }
    }
    return NULL;
}

/* What the package gains for `n` charts: the content types of the chart
 * parts and their workbooks, or the document's relationships to them. */
static char *chart_entries(size_t n, bool types, const char *xml, size_t len)
{
    bs_buf b = {0};
    bool has_xlsx = false;
    for (size_t i = 0; types && i + 16 <= len && !has_xlsx; i++) {
        has_xlsx = memcmp(xml + i, "Extension=\"xlsx\"", 16) == 0;
    }
    if (types && !has_xlsx) {
        bs_buf_puts(&b, "<Default Extension=\"xlsx\" ContentType=\"" XLSX_TYPE "\"/>");
    }
    for (size_t i = 1; i <= n; i++) {
        if (types) {
            bs_buf_printf(&b, "<Override PartName=\"/" CHART_PART "\" ContentType=\"" CHART_TYPE
                              "\"/>", i);
        } else {
            bs_buf_printf(&b, "<Relationship Id=\"" DOCX_CHART_RID "%zu\" Type=\"" REL_NS
                              "/chart\" Target=\"charts/bansou-chart%zu.xml\"/>", i, i);
        }
    }
    return bs_buf_take(&b);
}

/* Adds `len` bytes (taken) as entry `name`, deflated, dated 1980-01-01. */
static int add_bytes(zip_t *za, const char *name, char *bytes, size_t len, const char *path,
                     bs_err *err)
{
    zip_source_t *s = zip_source_buffer(za, bytes, len, 1);
    if (!s) {
        free(bytes);
        return bs_err_set(err, BS_EIO, "%s: %s", path, zip_strerror(za));
    }
    zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(s);
        return bs_err_set(err, BS_EIO, "%s: %s", path, zip_strerror(za));
    }
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, PART_LEVEL);
    zip_file_set_mtime(za, (zip_uint64_t)idx, 315532800, 0);
    return BS_OK;
}

/* The template's [Content_Types].xml or document relationships with the
 * charts' entries (owned, in *out); *out NULL when the entry is neither. */
static int patched(const bs_docx *t, size_t i, size_t ncharts, char **out, size_t *len,
                   const char *path, bs_err *err)
{
    const char *name = zipio_name(t->zip, i);
    bool types = strcmp(name, "[Content_Types].xml") == 0;
    *out = NULL;
    if (ncharts == 0 || (!types && strcmp(name, "word/_rels/document.xml.rels") != 0)) {
        return BS_OK;
    }
    char *xml = NULL;
    size_t n = 0;
    int rc = zipio_read(t->zip, i, &xml, &n, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *add = chart_entries(ncharts, types, xml, n);
    char *x = insert_before(xml, n, types ? "Types" : "Relationships", add);
    free(add);
    free(xml);
    if (!x) {
        return bs_err_set(err, BS_EINPUT, _("%s: the template's %s cannot take a chart"), path,
                          name);
    }
    *out = x;
    *len = strlen(x);
    return BS_OK;
}

/* The parts of each chart: the chart, its relationship to its workbook and
 * the workbook; and the document's relationships when the template had none. */
static int add_charts(zip_t *za, const bs_docx *t, const bs_value *charts, const char *path,
                      bs_err *err)
{
    int rc = BS_OK;
    size_t n = value_len(charts);
    if (n > 0 && zipio_find(t->zip, "word/_rels/document.xml.rels") < 0) {
        char *add = chart_entries(n, false, "", 0);
        char *x = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                            "relationships\">%s</Relationships>", add);
        free(add);
        rc = add_bytes(za, "word/_rels/document.xml.rels", x, strlen(x), path, err);
    }
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        const bs_value *v = value_at(charts, i);
        bs_buf b = {0};
        docx_chart_part(&b, v);
        char name[64];
        snprintf(name, sizeof name, CHART_PART, i + 1);
        size_t len = b.len;
        rc = add_bytes(za, name, bs_buf_take(&b), len, path, err);
        if (rc == BS_OK) {
            snprintf(name, sizeof name, "word/charts/_rels/bansou-chart%zu.xml.rels", i + 1);
            char *rel = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                                  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
                                  "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" REL_NS
                                  "/package\" Target=\"../embeddings/bansou-chart%zu.xlsx\"/>"
                                  "</Relationships>", i + 1);
            rc = add_bytes(za, name, rel, strlen(rel), path, err);
        }
        char *book = NULL;
        size_t blen = 0;
        if (rc == BS_OK) {
            rc = docx_chart_book(v, &book, &blen, err);
        }
        if (rc == BS_OK) {
            snprintf(name, sizeof name, "word/embeddings/bansou-chart%zu.xlsx", i + 1);
            rc = add_bytes(za, name, book, blen, path, err);
        }
    }
    return rc;
}

int docx_render(const bs_docx *t, const bs_value *data, const bs_docx_opts *opts,
                const char *out_path, bs_err *err)
{
    rctx c = {.strict = opts && opts->strict, .err = err};
    c.max = opts ? opts->max_output : 0;
    if (c.max == 0 && docx_output_budget(&c.max, err) != BS_OK) {
        return err->code;
    }
    c.missing = value_map();
    c.names = value_map();
    c.charts = value_list();
    // Render every part in memory first: a failure writes nothing.
    bs_buf *outs = xcalloc(t->nparts + 1, sizeof *outs);
    bs_buf text = {0};
    int rc = BS_OK;
    for (size_t i = 0; i < t->nparts && rc == BS_OK; i++) {
        c.pg = &t->parts[i].pg;
        c.part = t->parts[i].name;
        c.out = &outs[i];
        c.depth = 0;
        push(&c, data, 0);
        if (opts && opts->item) {
            push(&c, opts->item, opts->index);
        }
        rc = run_ops(&c, 0, c.pg->nops, &text);
        c.done += outs[i].len;
    }
    if (c.over) {
        if (c.where.len == 0 && c.at) { // outside sections: the value itself
            char shown[DOCX_MAX_TAG + 8];
            bs_buf_puts(&c.where, c.at->where);
            bs_buf_puts(&c.where, docx_tag_show(&c.at->t, shown, sizeof shown));
        }
        char size[32];
        rc = bs_err_set(err, BS_EINPUT,
                        _("%s: %s%sthe document grows past the output budget of %s "
                          "(BANSOU_MAX_OUTPUT sets another)"),
                        c.part, c.where.len ? c.where.s : "", c.where.len ? ": " : "",
                        size_text(c.max, size, sizeof size));
        // What was rendered goes now, not after the archive is given up.
        for (size_t i = 0; i < t->nparts; i++) {
            bs_buf_free(&outs[i]);
        }
    }
    if (rc == BS_OK && value_len(c.names) > 0) {
        bs_buf list = {0};
        for (size_t i = 0; i < value_len(c.names); i++) {
            bs_buf_printf(&list, "%s%s", i ? ", " : "", value_key_at(c.names, i));
        }
        size_t n = value_len(c.names);
        rc = bs_err_set(err, BS_EINPUT, ngettext("%zu tag has no value: %s",
                                                 "%zu tags have no value: %s", n),
                        n, list.s);
        bs_buf_free(&list);
    }
    value_free(c.names);
    bs_buf_free(&c.where);
    bs_buf_free(&text);
    bool dry = opts && opts->dry;
    // The archive is written into memory, then to the file in one go: a
    // zip written to a file is many small writes and seeks per entry.
    zip_t *za = NULL;
    zip_source_t *mem = NULL;
    if (rc == BS_OK && !dry && !(za = zipio_new_mem(out_path, &mem, err))) {
        rc = err->code;
    }
    zip_t *src = zipio_handle(t->zip);
    for (size_t i = 0; rc == BS_OK && za && i < zipio_count(t->zip); i++) {
        const char *name = zipio_name(t->zip, i);
        size_t k = 0;
        while (k < t->nparts && strcmp(t->parts[k].name, name) != 0) {
            k++;
        }
        size_t len = 0;
        zip_source_t *s;
        char *patch = NULL;
        rc = patched(t, i, value_len(c.charts), &patch, &len, out_path, err);
        if (rc != BS_OK) {
            break;
        }
        if (patch) {
            rc = add_bytes(za, name, patch, len, out_path, err);
            continue;
        }
        if (k < t->nparts) {
            len = outs[k].len;
            char *bytes = bs_buf_take(&outs[k]);
            s = zip_source_buffer(za, bytes, len, 1); // libzip frees the bytes
            if (!s) {
                free(bytes);
            }
        } else {
            // Untouched parts are copied compressed, as they are.
            s = zip_source_zip(za, src, i, ZIP_FL_COMPRESSED, 0, -1);
        }
        if (!s) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_strerror(za));
            break;
        }
        zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(s);
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_strerror(za));
        } else if (k < t->nparts) {
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, PART_LEVEL);
            // The template entry's time, not the clock's: the same data gives
            // the same file.
            zip_stat_t st;
            zip_stat_init(&st);
            if (zip_stat_index(src, i, 0, &st) == 0 && (st.valid & ZIP_STAT_MTIME)) {
                zip_file_set_mtime(za, (zip_uint64_t)idx, st.mtime, 0);
            }
        }
    }
    if (rc == BS_OK && za) {
        rc = add_charts(za, t, c.charts, out_path, err);
    }
    if (!dry) {
        rc = zipio_finish_mem(za, mem, rc, out_path, opts ? opts->sha256_out : NULL, err);
    }
    value_free(c.charts);
    for (size_t i = 0; i < t->nparts; i++) {
        bs_buf_free(&outs[i]);
    }
    free(outs);
    if (opts && opts->warnings) {
        for (size_t i = 0; i < value_len(c.missing); i++) {
            int64_t n = value_as_int(value_at(c.missing, i));
            const char *fmt = ngettext("%s (%lld time)", "%s (%lld times)", (unsigned long)n);
            char *w = n > 1 ? xasprintf(fmt, value_key_at(c.missing, i), (long long)n)
                            : xstrdup(value_key_at(c.missing, i));
            value_push(opts->warnings, value_str(w));
            free(w);
        }
    }
    value_free(c.missing);
    free(c.stack);
    return rc;
}
