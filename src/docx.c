#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <zip.h>

#include "docx.h"
#include "util.h"
#include "xmlu.h"
#include "zipio.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
/* Marks a run that holds exactly one tag after normalisation. An attribute
 * survives node copies; it is removed when the tag is rendered, so none
 * reaches the output, and text inserted from data never carries it. */
#define TAG_ATTR ((const xmlChar *)"bansou-tag")

enum { MAX_TAG = 200, QUOTE_MAX = 80 };

typedef enum tag_kind { TAG_VAR, TAG_OPEN, TAG_INVERT, TAG_CLOSE } tag_kind;

typedef struct tag {
    tag_kind kind;
    char name[MAX_TAG]; /* path, "." or "@n" */
} tag;

typedef struct part {
    char *name;     /* owned: the zip entry */
    xmlDocPtr doc;  /* owned: the normalised template */
    bool props;     /* docProps/core.xml: variables in plain text only */
} part;

struct bs_docx {
    bs_zip *zip;   /* owned: the template archive, for copying other entries */
    part *parts;   /* owned */
    size_t nparts;
};

/* --- small XML helpers -------------------------------------------------- */

static bool is_w(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, W_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr ancestor(xmlNodePtr n, const char *name)
{
    for (n = n ? n->parent : NULL; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        if (is_w(n, name)) {
            return n;
        }
    }
    return NULL;
}

static void drop(xmlNodePtr n)
{
    if (n) {
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
}

static xmlNodePtr first_w(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (is_w(c, name)) {
            return c;
        }
    }
    return NULL;
}

/* A new w:NAME element in the namespace of `like`. */
static xmlNodePtr new_w(xmlNodePtr like, const char *name)
{
    return xmlNewDocNode(like->doc, like->ns, (const xmlChar *)name, NULL);
}

/* A copy of `n` valid under `parent` (namespaces reconciled there). */
static xmlNodePtr copy_under(xmlNodePtr n, xmlNodePtr parent)
{
    xmlNodePtr c = NULL;
    if (xmlDOMWrapCloneNode(NULL, n->doc, n, &c, n->doc, parent, 1, 0) != 0 || !c) {
        c = xmlDocCopyNode(n, n->doc, 1);
    }
    return c;
}

/* Text of a paragraph's own w:t nodes (not of nested paragraphs). */
static void own_text(xmlNodePtr n, bs_buf *b)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_w(c, "p")) {
            continue;
        }
        if (is_w(c, "t")) {
            xmlu_text(c, b);
        } else {
            own_text(c, b);
        }
    }
}

static void collect_own_t(xmlNodePtr n, xmlNodePtr **arr, size_t *len, size_t *cap)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_w(c, "p")) {
            continue;
        }
        if (is_w(c, "t")) {
            if (*len == *cap) {
                *cap = *cap ? *cap * 2 : 8;
                *arr = xrealloc(*arr, *cap * sizeof **arr);
            }
            (*arr)[(*len)++] = c;
        } else {
            collect_own_t(c, arr, len, cap);
        }
    }
}

/* --- errors -------------------------------------------------------------- */

/* The paragraph's text for a message: quoted, shortened on a character
 * boundary. Owned. */
static char *quote_para(xmlNodePtr p)
{
    bs_buf b = {0};
    if (p) {
        own_text(p, &b);
    }
    char *s = bs_buf_take(&b);
    if (strlen(s) > QUOTE_MAX) {
        bs_utf8_truncate(s, QUOTE_MAX);
        char *t = xasprintf("%s…", s);
        free(s);
        s = t;
    }
    return s;
}

static int tmpl_error(bs_err *err, const char *partname, xmlNodePtr at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int tmpl_error(bs_err *err, const char *partname, xmlNodePtr at, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xmlNodePtr p = is_w(at, "p") ? at : ancestor(at, "p");
    char *q = quote_para(p);
    int rc = p ? bs_err_set(err, BS_EINPUT, "%s: paragraph '%s': %s", partname, q, msg)
               : bs_err_set(err, BS_EINPUT, "%s: %s", partname, msg);
    free(q);
    return rc;
}

/* --- tags ---------------------------------------------------------------- */

static bool name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c >= 0x80;
}

/* Parses the text of a tag, braces included. False for an unknown form. */
static bool parse_tag(const char *text, size_t len, tag *out)
{
    if (len < 4 || len - 4 >= MAX_TAG) {
        return false;
    }
    const char *s = text + 2, *e = text + len - 2;
    while (s < e && *s == ' ') {
        s++;
    }
    while (e > s && e[-1] == ' ') {
        e--;
    }
    out->kind = TAG_VAR;
    if (s < e && (*s == '#' || *s == '^' || *s == '/')) {
        out->kind = *s == '#' ? TAG_OPEN : *s == '^' ? TAG_INVERT : TAG_CLOSE;
        s++;
        while (s < e && *s == ' ') {
            s++;
        }
    }
    size_t n = (size_t)(e - s);
    if (n == 0) {
        return false;
    }
    memcpy(out->name, s, n);
    out->name[n] = '\0';
    if (strcmp(out->name, ".") == 0) {
        return out->kind == TAG_VAR;
    }
    if (strcmp(out->name, "@n") == 0) {
        return out->kind == TAG_VAR;
    }
    // Dotted path: segments of name characters.
    bool seg = false;
    for (const char *p = out->name; *p; p++) {
        if (*p == '.') {
            if (!seg) {
                return false;
            }
            seg = false;
        } else if (name_char((unsigned char)*p)) {
            seg = true;
        } else {
            return false;
        }
    }
    return seg;
}

static const char *tag_text(xmlNodePtr run, bs_buf *b)
{
    b->len = 0;
    if (b->s) {
        b->s[0] = '\0';
    }
    xmlu_text(run, b);
    return b->s ? b->s : "";
}

static void tag_of(xmlNodePtr run, tag *t)
{
    bs_buf b = {0};
    const char *s = tag_text(run, &b);
    if (!parse_tag(s, strlen(s), t)) {
        // Normalisation only marks valid tags; keep going safely anyway.
        t->kind = TAG_VAR;
        strcpy(t->name, ".");
    }
    bs_buf_free(&b);
}

static const char *tag_show(const tag *t, char *buf, size_t n)
{
    static const char sigil[] = {'\0', '#', '^', '/'};
    if (t->kind == TAG_VAR) {
        snprintf(buf, n, "{{%s}}", t->name);
    } else {
        snprintf(buf, n, "{{%c%s}}", sigil[t->kind], t->name);
    }
    return buf;
}

/* --- normalisation: one tag, one run ----------------------------------- */

/* A new run with a copy of `like`'s run properties. */
static xmlNodePtr run_like(xmlNodePtr like)
{
    xmlNodePtr r = new_w(like, "r");
    xmlNodePtr rpr = first_w(like, "rPr");
    if (rpr) {
        xmlAddChild(r, xmlDocCopyNode(rpr, like->doc, 1));
    }
    return r;
}

static xmlNodePtr text_run(xmlNodePtr like, const char *s, size_t n, bool mark)
{
    xmlNodePtr r = run_like(like);
    xmlNodePtr t = new_w(like, "t");
    xmlNodeAddContentLen(t, (const xmlChar *)s, (int)n);
    xmlNodeSetSpacePreserve(t, 1);
    xmlAddChild(r, t);
    if (mark) {
        xmlSetProp(r, TAG_ATTR, (const xmlChar *)"1");
    }
    return r;
}

/* Where the tags of one paragraph fall in its text. */
typedef struct span {
    size_t start, end; /* byte offsets in the paragraph's own text */
} span;

/* Replaces the w:t node `t` (offset `off` in the paragraph text, holding
 * `len` bytes) by runs: plain text stays, each tag that starts here becomes
 * a run of its own holding the whole tag, tag pieces that continue from an
 * earlier node vanish. The run around `t` is split so that order and
 * formatting are kept. */
static void split_t(xmlNodePtr t, size_t off, const char *full, const span *sp, size_t nsp)
{
    xmlNodePtr run = t->parent;
    bs_buf own = {0};
    xmlu_text(t, &own);
    size_t len = own.len;
    bs_buf_free(&own);
    xmlNodePtr anchor = run;
    // Children of the run before `t` go to a run of their own, in front.
    xmlNodePtr before = run_like(run);
    bool any_before = false;
    for (xmlNodePtr c = run->children; c && c != t;) {
        xmlNodePtr next = c->next;
        if (!is_w(c, "rPr")) {
            xmlUnlinkNode(c);
            xmlAddChild(before, c);
            any_before = true;
        }
        c = next;
    }
    if (any_before) {
        xmlAddPrevSibling(anchor, before);
    } else {
        xmlFreeNode(before);
    }
    size_t pos = off, end = off + len;
    while (pos < end) {
        const span *in = NULL;
        for (size_t k = 0; k < nsp && !in; k++) {
            if (sp[k].start <= pos && pos < sp[k].end) {
                in = &sp[k];
            }
        }
        if (in) {
            // A tag starting here gets its run; a tag that started in an
            // earlier node already has one, and its rest here vanishes.
            if (in->start == pos) {
                xmlAddPrevSibling(anchor, text_run(run, full + in->start, in->end - in->start, true));
            }
            pos = in->end < end ? in->end : end;
            continue;
        }
        size_t stop = end;
        for (size_t k = 0; k < nsp; k++) {
            if (sp[k].start > pos && sp[k].start < stop) {
                stop = sp[k].start;
            }
        }
        xmlAddPrevSibling(anchor, text_run(run, full + pos, stop - pos, false));
        pos = stop;
    }
    // What follows `t` in the run stays in the run itself.
    drop(t);
    bool rest = false;
    for (xmlNodePtr c = run->children; c; c = c->next) {
        rest = rest || !is_w(c, "rPr");
    }
    if (!rest) {
        drop(run);
    }
}

/* Finds the tags of paragraph `p` and gives each a run of its own. */
static int normalize_para(xmlNodePtr p, const char *partname, bs_err *err)
{
    xmlNodePtr *ts = NULL;
    size_t nt = 0, cap = 0;
    collect_own_t(p, &ts, &nt, &cap);
    if (nt == 0) {
        return BS_OK;
    }
    bs_buf text = {0};
    size_t *offs = xmalloc((nt + 1) * sizeof *offs);
    for (size_t i = 0; i < nt; i++) {
        offs[i] = text.len;
        xmlu_text(ts[i], &text);
    }
    offs[nt] = text.len;
    const char *s = text.s ? text.s : "";
    span *sp = NULL;
    size_t nsp = 0;
    int rc = BS_OK;
    for (const char *q = strstr(s, "{{"); q && rc == BS_OK; q = strstr(q, "{{")) {
        const char *close = strstr(q + 2, "}}");
        const char *again = strstr(q + 2, "{{");
        if (!close) {
            rc = tmpl_error(err, partname, p, "'{{' is not closed by '}}'");
            break;
        }
        if (again && again < close) {
            rc = tmpl_error(err, partname, p, "'{{' inside a tag");
            break;
        }
        size_t tl = (size_t)(close + 2 - q);
        tag t;
        if (!parse_tag(q, tl, &t)) {
            rc = tmpl_error(err, partname, p, "unknown tag form '%.*s'", (int)(tl > 100 ? 100 : tl),
                            q);
            break;
        }
        sp = xrealloc(sp, (nsp + 1) * sizeof *sp);
        sp[nsp++] = (span){(size_t)(q - s), (size_t)(q - s) + tl};
        q = close + 2;
    }
    if (rc == BS_OK && nsp > 0) {
        for (size_t i = 0; i < nt; i++) {
            size_t a = offs[i], b = offs[i + 1];
            bool touched = false;
            for (size_t k = 0; k < nsp && !touched; k++) {
                touched = sp[k].start < b && sp[k].end > a;
            }
            if (!touched || a == b) {
                continue;
            }
            if (!is_w(ts[i]->parent, "r")) {
                rc = tmpl_error(err, partname, p, "a tag in text outside a run");
                break;
            }
            split_t(ts[i], a, s, sp, nsp);
        }
    }
    free(sp);
    free(offs);
    free(ts);
    bs_buf_free(&text);
    return rc;
}

/* --- scopes and values -------------------------------------------------- */

typedef struct frame {
    const bs_value *v; /* the value in scope (lent) */
    int64_t index;     /* 1-based number of a list item, 0 otherwise */
} frame;

typedef struct rctx {
    const char *part;    /* the part being rendered, for messages */
    frame *stack;        /* owned */
    size_t depth, cap;
    bool strict;
    bs_value *missing;   /* map: tag → times it had no value */
    bs_err *err;
} rctx;

static void push(rctx *c, const bs_value *v, int64_t index)
{
    if (c->depth == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->stack = xrealloc(c->stack, c->cap * sizeof *c->stack);
    }
    c->stack[c->depth++] = (frame){v, index};
}

/* Looks a tag name up: the first path segment in the innermost scope that
 * has it, the rest below that. NULL when missing. */
static const bs_value *lookup(const rctx *c, const char *name, int64_t *index_out)
{
    *index_out = 0;
    if (strcmp(name, ".") == 0) {
        return c->depth ? c->stack[c->depth - 1].v : NULL;
    }
    if (strcmp(name, "@n") == 0) {
        for (size_t i = c->depth; i > 0; i--) {
            if (c->stack[i - 1].index > 0) {
                *index_out = c->stack[i - 1].index;
                return NULL;
            }
        }
        return NULL;
    }
    char seg[MAX_TAG];
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

/* The text of a scalar value; NULL for null, lists and maps. Owned. */
static char *value_text(const bs_value *v)
{
    switch (value_type(v)) {
    case BS_VSTR:
        return xstrndup(value_as_str(v), value_str_len(v));
    case BS_VINT:
        return xasprintf("%lld", (long long)value_as_int(v));
    case BS_VNUM: {
        double d = value_as_num(v);
        if (isfinite(d) && d == trunc(d) && fabs(d) < 1e15) {
            return xasprintf("%.0f", d);
        }
        return xasprintf("%.15g", d);
    }
    case BS_VBOOL:
        return xstrdup(value_as_bool(v) ? "true" : "false");
    default:
        return NULL;
    }
}

/* `s` without what XML 1.0 does not allow (control characters, "\r",
 * U+FFFE/U+FFFF, broken UTF-8). Owned. */
static char *xml_clean(const char *s)
{
    bs_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
        } else if ((c & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = 3;
        } else if ((c & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
                   (p[3] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                 ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            len = 4;
        } else {
            p++;
            continue;
        }
        bool ok = cp == '\n' || cp == '\t' || (cp >= 0x20 && cp <= 0xD7FF) ||
                  (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (ok && ((len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800) ||
                   (len == 4 && cp >= 0x10000) || len == 1)) {
            bs_buf_add(&b, (const char *)p, len);
        }
        p += len;
    }
    return bs_buf_take(&b);
}

/* Appends `s` to run `r` as w:t, with w:br for "\n" and w:tab for "\t". */
static void add_text(xmlNodePtr r, const char *s)
{
    char *clean = xml_clean(s);
    const char *p = clean;
    for (;;) {
        size_t n = strcspn(p, "\n\t");
        if (n > 0) {
            xmlNodePtr t = new_w(r, "t");
            xmlNodeAddContentLen(t, (const xmlChar *)p, (int)n);
            xmlNodeSetSpacePreserve(t, 1);
            xmlAddChild(r, t);
        }
        if (!p[n]) {
            break;
        }
        xmlAddChild(r, new_w(r, p[n] == '\n' ? "br" : "tab"));
        p += n + 1;
    }
    free(clean);
}

static int no_value(rctx *c, xmlNodePtr run, const tag *t, const char *why)
{
    char shown[MAX_TAG + 8];
    tag_show(t, shown, sizeof shown);
    if (c->strict) {
        return tmpl_error(c->err, c->part, run, "%s %s", shown, why);
    }
    char *key = xasprintf("%s: %s %s", c->part, shown, why);
    bs_value *n = value_get(c->missing, key);
    value_set_int(c->missing, key, n ? value_as_int(n) + 1 : 1);
    free(key);
    return BS_OK;
}

/* Replaces a variable's run content by its value, keeping the run's format. */
static int substitute(rctx *c, xmlNodePtr run, const tag *t)
{
    int64_t index = 0;
    const bs_value *v = lookup(c, t->name, &index);
    char *text = index > 0 ? xasprintf("%lld", (long long)index) : value_text(v);
    int rc = BS_OK;
    if (!text) {
        const char *why = value_type(v) == BS_VLIST ? "is a list, not text"
                          : value_type(v) == BS_VMAP ? "is a map, not text"
                                                     : "has no value";
        rc = no_value(c, run, t, why);
    }
    for (xmlNodePtr k = run->children; k;) {
        xmlNodePtr next = k->next;
        if (!is_w(k, "rPr")) {
            drop(k);
        }
        k = next;
    }
    xmlUnsetProp(run, TAG_ATTR);
    if (text) {
        add_text(run, text);
        free(text);
    }
    return rc;
}

/* --- scanning ------------------------------------------------------------ */

typedef struct runs {
    xmlNodePtr *v;
    size_t n, cap;
} runs;

static void scan_node(xmlNodePtr n, runs *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (is_w(n, "r") && n->properties && xmlHasProp(n, TAG_ATTR)) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->v = xrealloc(out->v, out->cap * sizeof *out->v);
            }
            out->v[out->n++] = n;
            continue;
        }
        scan_node(n->children, out);
    }
}

/* The tag runs among the siblings from `first` up to `stop` (exclusive),
 * in document order. */
static void scan(xmlNodePtr first, xmlNodePtr stop, runs *out)
{
    out->n = 0;
    for (xmlNodePtr n = first; n && n != stop; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (is_w(n, "r") && n->properties && xmlHasProp(n, TAG_ATTR)) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->v = xrealloc(out->v, out->cap * sizeof *out->v);
            }
            out->v[out->n++] = n;
            continue;
        }
        scan_node(n->children, out);
    }
}

/* The index of the tag closing the section opened at `i`, or an error. */
static int match_close(const char *partname, const runs *rs, size_t i, size_t *j_out, bs_err *err)
{
    tag open, t;
    tag_of(rs->v[i], &open);
    int depth = 0;
    char a[MAX_TAG + 8], b[MAX_TAG + 8];
    for (size_t j = i + 1; j < rs->n; j++) {
        tag_of(rs->v[j], &t);
        if (t.kind == TAG_OPEN || t.kind == TAG_INVERT) {
            depth++;
        } else if (t.kind == TAG_CLOSE) {
            if (depth > 0) {
                depth--;
                continue;
            }
            if (strcmp(t.name, open.name) != 0) {
                return tmpl_error(err, partname, rs->v[j], "%s closes %s", tag_show(&t, b, sizeof b),
                                  tag_show(&open, a, sizeof a));
            }
            *j_out = j;
            return BS_OK;
        }
    }
    return tmpl_error(err, partname, rs->v[i], "%s is not closed", tag_show(&open, a, sizeof a));
}

/* --- sections ------------------------------------------------------------ */

typedef enum sect_kind { SECT_INLINE, SECT_ROW, SECT_BLOCK } sect_kind;

/* Decides how the section between runs `o` and `x` repeats. */
static int classify(const char *partname, xmlNodePtr o, xmlNodePtr x, sect_kind *out, bs_err *err)
{
    tag open;
    tag_of(o, &open);
    char a[MAX_TAG + 8];
    tag_show(&open, a, sizeof a);
    xmlNodePtr p1 = ancestor(o, "p"), p2 = ancestor(x, "p");
    if (!p1 || !p2) {
        return tmpl_error(err, partname, o, "%s is outside a paragraph", a);
    }
    if (p1 == p2) {
        if (o->parent != x->parent) {
            return tmpl_error(err, partname, o,
                              "%s opens and closes at different levels of the paragraph "
                              "(e.g. one inside a hyperlink)",
                              a);
        }
        *out = SECT_INLINE;
        return BS_OK;
    }
    xmlNodePtr r1 = ancestor(p1, "tr"), r2 = ancestor(p2, "tr");
    xmlNodePtr c1 = ancestor(p1, "tc"), c2 = ancestor(p2, "tc");
    if (r1 && r1 == r2 && c1 != c2) {
        *out = SECT_ROW;
        return BS_OK;
    }
    if (p1->parent != p2->parent) {
        if (r1 && r2 && r1 != r2) {
            return tmpl_error(err, partname, o, "%s opens in one table row and closes in another",
                              a);
        }
        if (c1 != c2) {
            return tmpl_error(err, partname, o, "%s opens and closes on different sides of a table",
                              a);
        }
        return tmpl_error(err, partname, o, "%s opens and closes in different containers", a);
    }
    if (o->parent != p1 || x->parent != p2) {
        return tmpl_error(err, partname, o,
                          "%s must not be inside a hyperlink or field when it spans paragraphs", a);
    }
    *out = SECT_BLOCK;
    return BS_OK;
}

static bool has_content(xmlNodePtr n)
{
    static const char *const empty[] = {"pPr", "rPr", "bookmarkStart", "bookmarkEnd",
                                        "proofErr", "permStart", "permEnd", NULL};
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            continue;
        }
        bool skip = false;
        for (const char *const *e = empty; *e && !skip; e++) {
            skip = is_w(c, *e);
        }
        if (skip) {
            continue;
        }
        if (is_w(c, "r") && !has_content(c)) {
            continue;
        }
        return true;
    }
    return false;
}

static bool has_sectpr(xmlNodePtr p)
{
    xmlNodePtr ppr = first_w(p, "pPr");
    return ppr && first_w(ppr, "sectPr");
}

/* Moves the children of paragraph `p` before `at` into a new paragraph
 * inserted before `p` (same properties, without a section break). */
static xmlNodePtr split_para(xmlNodePtr p, xmlNodePtr at)
{
    xmlNodePtr q = new_w(p, "p");
    xmlNodePtr ppr = first_w(p, "pPr");
    if (ppr) {
        xmlNodePtr copy = xmlDocCopyNode(ppr, p->doc, 1);
        drop(first_w(copy, "sectPr"));
        xmlAddChild(q, copy);
    }
    for (xmlNodePtr c = p->children; c && c != at;) {
        xmlNodePtr next = c->next;
        if (!is_w(c, "pPr")) {
            xmlUnlinkNode(c);
            xmlAddChild(q, c);
        }
        c = next;
    }
    xmlAddPrevSibling(p, q);
    return q;
}

/* A cell must keep a paragraph; a table must keep a row. */
static void keep_valid(xmlNodePtr container)
{
    if (is_w(container, "tc") && !first_w(container, "p") && !first_w(container, "tbl")) {
        xmlAddChild(container, new_w(container, "p"));
    }
}

static int render_range(rctx *c, xmlNodePtr start, xmlNodePtr end);

/* Renders copies of the nodes `tmpl[0..n)` once per item before `anchor`
 * (appended to `parent` when anchor is NULL). */
static int repeat(rctx *c, xmlNodePtr *tmpl, size_t n, xmlNodePtr parent, xmlNodePtr anchor,
                  const tag *open)
{
    int64_t index = 0;
    const bs_value *v = lookup(c, open->name, &index);
    size_t times = 0;
    bool list = value_type(v) == BS_VLIST;
    if (open->kind == TAG_INVERT) {
        times = truthy(v) ? 0 : 1;
    } else if (list) {
        times = value_len(v);
    } else {
        times = truthy(v) ? 1 : 0;
    }
    int rc = BS_OK;
    for (size_t k = 0; k < times && rc == BS_OK; k++) {
        xmlNodePtr start = xmlNewDocComment(parent->doc, (const xmlChar *)"s");
        xmlNodePtr end = xmlNewDocComment(parent->doc, (const xmlChar *)"e");
        if (anchor) {
            xmlAddPrevSibling(anchor, start);
            xmlAddPrevSibling(anchor, end);
        } else {
            xmlAddChild(parent, start);
            xmlAddChild(parent, end);
        }
        for (size_t i = 0; i < n; i++) {
            xmlAddPrevSibling(end, copy_under(tmpl[i], parent));
        }
        bool pushed = false;
        if (open->kind == TAG_OPEN && list) {
            push(c, value_at(v, k), (int64_t)k + 1);
            pushed = true;
        } else if (open->kind == TAG_OPEN && value_type(v) == BS_VMAP) {
            push(c, v, 0);
            pushed = true;
        }
        rc = render_range(c, start, end);
        if (pushed) {
            c->depth--;
        }
        drop(start);
        drop(end);
    }
    return rc;
}

/* Unlinks the siblings strictly between `a` and `b` into a new array. */
static xmlNodePtr *cut_between(xmlNodePtr a, xmlNodePtr b, size_t *n_out)
{
    size_t n = 0, cap = 0;
    xmlNodePtr *v = NULL;
    for (xmlNodePtr k = a->next; k && k != b;) {
        xmlNodePtr next = k->next;
        xmlUnlinkNode(k);
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = k;
        k = next;
    }
    *n_out = n;
    return v;
}

static void free_nodes(xmlNodePtr *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xmlFreeNode(v[i]);
    }
    free(v);
}

static int expand(rctx *c, xmlNodePtr o, xmlNodePtr x)
{
    sect_kind kind;
    int rc = classify(c->part, o, x, &kind, c->err);
    if (rc != BS_OK) {
        return rc;
    }
    tag open;
    tag_of(o, &open);
    size_t n = 0;
    xmlNodePtr *tmpl = NULL;
    if (kind == SECT_INLINE) {
        tmpl = cut_between(o, x, &n);
        rc = repeat(c, tmpl, n, x->parent, x, &open);
        drop(o);
        drop(x);
    } else if (kind == SECT_ROW) {
        xmlNodePtr row = ancestor(o, "tr");
        xmlNodePtr ps[2] = {ancestor(o, "p"), ancestor(x, "p")};
        drop(o);
        drop(x);
        // Paragraphs that held only the tags go; a cell keeps one paragraph.
        for (int i = 0; i < 2; i++) {
            xmlNodePtr cell = ps[i]->parent;
            if (!has_content(ps[i])) {
                drop(ps[i]);
            }
            keep_valid(cell);
        }
        xmlNodePtr parent = row->parent, anchor = row->next;
        xmlUnlinkNode(row);
        tmpl = xmalloc(sizeof *tmpl);
        tmpl[0] = row;
        n = 1;
        rc = repeat(c, tmpl, n, parent, anchor, &open);
    } else {
        xmlNodePtr a = ancestor(o, "p"), b = ancestor(x, "p");
        xmlNodePtr parent = a->parent;
        xmlNodePtr a1 = split_para(a, o);
        drop(o);
        xmlNodePtr b1 = split_para(b, x);
        drop(x);
        if (!has_content(a1)) {
            drop(a1);
        }
        // The repeated content: what follows the open tag in its paragraph,
        // the blocks between, what precedes the close tag in its paragraph.
        xmlNodePtr before = a->prev;
        tmpl = cut_between(before ? before : a, b, &n);
        if (!before) {
            // `a` itself starts the container: cut_between skipped it.
            xmlUnlinkNode(a);
            tmpl = xrealloc(tmpl, (n + 1) * sizeof *tmpl);
            memmove(tmpl + 1, tmpl, n * sizeof *tmpl);
            tmpl[0] = a;
            n++;
        }
        // Paragraphs left empty by the tags are not repeated.
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if ((tmpl[i] == a || tmpl[i] == b1) && !has_content(tmpl[i])) {
                xmlFreeNode(tmpl[i]);
            } else {
                tmpl[k++] = tmpl[i];
            }
        }
        n = k;
        rc = repeat(c, tmpl, n, parent, b, &open);
        if (!has_content(b) && !has_sectpr(b)) {
            drop(b);
        }
        keep_valid(parent);
    }
    free_nodes(tmpl, n);
    return rc;
}

/* Renders the tags among the siblings between the markers `start` and `end`
 * (comment nodes no expansion touches, unlike the nodes between them). */
static int render_range(rctx *c, xmlNodePtr start, xmlNodePtr end)
{
    runs rs = {0};
    int rc = BS_OK;
    bool again = true;
    while (again && rc == BS_OK) {
        again = false;
        scan(start->next, end, &rs);
        for (size_t i = 0; i < rs.n && rc == BS_OK; i++) {
            tag t;
            tag_of(rs.v[i], &t);
            if (t.kind == TAG_VAR) {
                rc = substitute(c, rs.v[i], &t);
            } else if (t.kind == TAG_CLOSE) {
                char a[MAX_TAG + 8];
                rc = tmpl_error(c->err, c->part, rs.v[i], "%s has no opening tag",
                                tag_show(&t, a, sizeof a));
            } else {
                size_t j;
                rc = match_close(c->part, &rs, i, &j, c->err);
                if (rc == BS_OK) {
                    // The expansion changes the tree: scan again afterwards.
                    rc = expand(c, rs.v[i], rs.v[j]);
                    again = true;
                    break;
                }
            }
        }
    }
    free(rs.v);
    return rc;
}

/* --- document properties: variables in plain text --------------------- */

static int props_walk(rctx *c, xmlNodePtr n, bool check_only)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            int rc = props_walk(c, n->children, check_only);
            if (rc != BS_OK) {
                return rc;
            }
            continue;
        }
        if (n->type != XML_TEXT_NODE || !n->content || !strstr((const char *)n->content, "{{")) {
            continue;
        }
        const char *s = (const char *)n->content;
        bs_buf out = {0};
        int rc = BS_OK;
        while (rc == BS_OK) {
            const char *q = strstr(s, "{{");
            if (!q) {
                bs_buf_puts(&out, s);
                break;
            }
            bs_buf_add(&out, s, (size_t)(q - s));
            const char *e = strstr(q + 2, "}}");
            tag t;
            if (!e || !parse_tag(q, (size_t)(e + 2 - q), &t)) {
                rc = bs_err_set(c->err, BS_EINPUT, "%s: '%s': not a tag", c->part,
                                (const char *)n->content);
                break;
            }
            if (t.kind != TAG_VAR) {
                rc = bs_err_set(c->err, BS_EINPUT,
                                "%s: '%s': only {{name}} tags work in document properties",
                                c->part, (const char *)n->content);
                break;
            }
            if (!check_only) {
                int64_t index = 0;
                const bs_value *v = lookup(c, t.name, &index);
                char *text = value_text(v);
                if (!text) {
                    rc = no_value(c, NULL, &t, "has no value");
                } else {
                    char *clean = xml_clean(text);
                    bs_buf_puts(&out, clean);
                    free(clean);
                    free(text);
                }
            }
            s = e + 2;
        }
        if (rc == BS_OK && !check_only) {
            char *v = bs_buf_take(&out);
            xmlNodeSetContent(n, NULL);
            xmlNodeAddContent(n, (const xmlChar *)v);
            free(v);
        }
        bs_buf_free(&out);
        if (rc != BS_OK) {
            return rc;
        }
    }
    return BS_OK;
}

/* --- loading --------------------------------------------------------------- */

static bool renderable(const char *name, bool *props)
{
    *props = strcmp(name, "docProps/core.xml") == 0;
    if (*props || strcmp(name, "word/document.xml") == 0 ||
        strcmp(name, "word/footnotes.xml") == 0 || strcmp(name, "word/endnotes.xml") == 0) {
        return true;
    }
    const char *pre[] = {"word/header", "word/footer"};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(pre[i]);
        if (strncmp(name, pre[i], n) == 0 && !strchr(name + n, '/')) {
            const char *p = name + n;
            while (*p >= '0' && *p <= '9') {
                p++;
            }
            if (strcmp(p, ".xml") == 0) {
                return true;
            }
        }
    }
    return false;
}

static void collect_paras(xmlNodePtr n, runs *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (is_w(n, "p")) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->v = xrealloc(out->v, out->cap * sizeof *out->v);
            }
            out->v[out->n++] = n;
        }
        collect_paras(n->children, out);
    }
}

/* Checks the sections of a normalised part without rendering anything. */
static int check_part(const char *partname, xmlNodePtr root, bs_err *err)
{
    runs rs = {0};
    scan_node(root, &rs);
    bool *closed = xcalloc(rs.n + 1, sizeof *closed);
    int rc = BS_OK;
    for (size_t i = 0; i < rs.n && rc == BS_OK; i++) {
        tag t;
        tag_of(rs.v[i], &t);
        if (t.kind == TAG_CLOSE && !closed[i]) {
            char a[MAX_TAG + 8];
            rc = tmpl_error(err, partname, rs.v[i], "%s has no opening tag",
                            tag_show(&t, a, sizeof a));
        } else if (t.kind == TAG_OPEN || t.kind == TAG_INVERT) {
            size_t j;
            sect_kind kind;
            rc = match_close(partname, &rs, i, &j, err);
            if (rc == BS_OK) {
                closed[j] = true;
                rc = classify(partname, rs.v[i], rs.v[j], &kind, err);
            }
        }
    }
    free(closed);
    free(rs.v);
    return rc;
}

static int load_part(bs_docx *t, size_t i, const char *src, bs_err *err)
{
    bool props;
    const char *name = zipio_name(t->zip, i);
    if (!renderable(name, &props)) {
        return BS_OK;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = zipio_read(t->zip, i, &data, &len, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *label = xasprintf("%s!%s", src, name);
    xmlDocPtr doc = NULL;
    rc = xmlu_parse(data, len, label, &doc, err);
    free(label);
    free(data);
    if (rc != BS_OK) {
        return rc;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (props) {
        rctx c = {.part = name, .err = err};
        rc = props_walk(&c, root, true);
    } else {
        runs ps = {0};
        collect_paras(root, &ps);
        for (size_t k = 0; k < ps.n && rc == BS_OK; k++) {
            rc = normalize_para(ps.v[k], name, err);
        }
        free(ps.v);
        if (rc == BS_OK) {
            rc = check_part(name, root, err);
        }
    }
    if (rc != BS_OK) {
        xmlFreeDoc(doc);
        return rc;
    }
    t->parts = xrealloc(t->parts, (t->nparts + 1) * sizeof *t->parts);
    t->parts[t->nparts++] = (part){.name = xstrdup(name), .doc = doc, .props = props};
    return BS_OK;
}

static int finish_open(bs_docx *t, const char *src, bs_docx **out, bs_err *err)
{
    int rc = BS_OK;
    if (zipio_find(t->zip, "word/document.xml") < 0) {
        rc = bs_err_set(err, BS_EINPUT, "%s: not a Word document (no word/document.xml)", src);
    }
    for (size_t i = 0; rc == BS_OK && i < zipio_count(t->zip); i++) {
        rc = load_part(t, i, src, err);
    }
    if (rc != BS_OK) {
        if (err->code == BS_EINPUT && strncmp(err->msg, src, strlen(src)) != 0) {
            bs_err_prefix(err, "%s", src);
        }
        docx_free(t);
        return rc;
    }
    *out = t;
    return BS_OK;
}

int docx_open(const char *path, bs_docx **out, bs_err *err)
{
    bs_docx *t = xcalloc(1, sizeof *t);
    int rc = zipio_open_file(path, &t->zip, err);
    if (rc != BS_OK) {
        free(t);
        return rc;
    }
    return finish_open(t, path, out, err);
}

int docx_open_mem(const void *data, size_t len, const char *name, bs_docx **out, bs_err *err)
{
    bs_docx *t = xcalloc(1, sizeof *t);
    int rc = zipio_open_mem(data, len, name, &t->zip, err);
    if (rc != BS_OK) {
        free(t);
        return rc;
    }
    return finish_open(t, name, out, err);
}

void docx_free(bs_docx *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->nparts; i++) {
        xmlFreeDoc(t->parts[i].doc);
        free(t->parts[i].name);
    }
    free(t->parts);
    zipio_close(t->zip);
    free(t);
}

/* --- rendering ------------------------------------------------------------ */

static int render_part(rctx *c, const part *p, char **data_out, size_t *len_out)
{
    xmlDocPtr d = xmlCopyDoc(p->doc, 1);
    xmlNodePtr root = xmlDocGetRootElement(d);
    int rc;
    if (p->props) {
        rc = props_walk(c, root, false);
    } else {
        xmlNodePtr start = xmlNewDocComment(d, (const xmlChar *)"s");
        xmlNodePtr end = xmlNewDocComment(d, (const xmlChar *)"e");
        if (root->children) {
            xmlAddPrevSibling(root->children, start);
        } else {
            xmlAddChild(root, start);
        }
        xmlAddChild(root, end);
        rc = render_range(c, start, end);
        drop(start);
        drop(end);
    }
    if (rc == BS_OK) {
        rc = xmlu_write(d, data_out, len_out, c->err);
    }
    xmlFreeDoc(d);
    return rc;
}

int docx_render(const bs_docx *t, const bs_value *data, const bs_docx_opts *opts,
                const char *out_path, bs_err *err)
{
    rctx c = {.strict = opts && opts->strict, .missing = value_map(), .err = err};
    push(&c, data, 0);
    // Render every part in memory first: a failure writes nothing.
    char **bufs = xcalloc(t->nparts + 1, sizeof *bufs);
    size_t *lens = xcalloc(t->nparts + 1, sizeof *lens);
    int rc = BS_OK;
    for (size_t i = 0; i < t->nparts && rc == BS_OK; i++) {
        c.part = t->parts[i].name;
        c.depth = 1;
        if (opts && opts->item) {
            push(&c, opts->item, opts->index);
        }
        rc = render_part(&c, &t->parts[i], &bufs[i], &lens[i]);
    }
    zip_t *za = NULL;
    if (rc == BS_OK) {
        int zerr = 0;
        za = zip_open(out_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
        if (!za) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_error_strerror(&ze));
            zip_error_fini(&ze);
        }
    }
    zip_t *src = zipio_handle(t->zip);
    for (size_t i = 0; rc == BS_OK && i < zipio_count(t->zip); i++) {
        const char *name = zipio_name(t->zip, i);
        size_t k = 0;
        while (k < t->nparts && strcmp(t->parts[k].name, name) != 0) {
            k++;
        }
        zip_source_t *s = k < t->nparts ? zip_source_buffer(za, bufs[k], lens[k], 1)
                                        : zip_source_zip(za, src, i, ZIP_FL_COMPRESSED, 0, -1);
        if (!s) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_strerror(za));
            break;
        }
        if (k < t->nparts) {
            bufs[k] = NULL; // libzip owns it now
        }
        zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(s);
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_strerror(za));
        } else if (k < t->nparts) {
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
        }
    }
    if (za) {
        if (rc == BS_OK && zip_close(za) != 0) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", out_path, zip_strerror(za));
        }
        if (rc != BS_OK) {
            zip_discard(za);
        }
    }
    for (size_t i = 0; i < t->nparts; i++) {
        free(bufs[i]);
    }
    free(bufs);
    free(lens);
    if (opts && opts->warnings) {
        for (size_t i = 0; i < value_len(c.missing); i++) {
            int64_t n = value_as_int(value_at(c.missing, i));
            char *w = n > 1 ? xasprintf("%s (%lld times)", value_key_at(c.missing, i), (long long)n)
                            : xstrdup(value_key_at(c.missing, i));
            value_push(opts->warnings, value_str(w));
            free(w);
        }
    }
    value_free(c.missing);
    free(c.stack);
    return rc;
}
