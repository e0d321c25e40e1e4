/* docx: loading templates — normalising tags, checking sections, and
 * compiling each part into a program (docx_int.h) that docx_run.c runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "docx_int.h"
#include "i18n.h"
#include "xmlu.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
/* Marks a run that holds exactly one tag after normalisation. It never
 * reaches the output: compiled runs are written by the program. */
#define TAG_ATTR ((const xmlChar *)"bansou-tag")
/* The element that holds a section's body between loading and compiling;
 * its attribute "tag" holds the opening tag. */
#define SEC_NAME ((const xmlChar *)"bansou-section")
/* Marks the paragraph of a block tag. */
#define BLOCK_ATTR ((const xmlChar *)"bansou-block")

enum { MAX_TAG = DOCX_MAX_TAG, QUOTE_MAX = 80 };

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
    int rc = p ? bs_err_set(err, BS_EINPUT, _("%s: paragraph '%s': %s"), partname, q, msg)
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
    } else if (s < e && *s == '%') {
        // A block tag: {{%table x}}, {{%chart x}}.
        if (e - s > 7 && memcmp(s, "%table ", 7) == 0) {
            out->kind = TAG_TABLE;
        } else if (e - s > 7 && memcmp(s, "%chart ", 7) == 0) {
            out->kind = TAG_CHART;
        } else {
            return false;
        }
        s += 7;
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
        return out->kind == TAG_VAR || out->kind == TAG_TABLE || out->kind == TAG_CHART;
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

/* --- normalisation: one tag, one run ----------------------------------- */

/* A new run placed just before `like`, with a copy of its run properties
 * (namespaces resolved in place, so the copy declares none of its own). */
static xmlNodePtr run_like(xmlNodePtr like)
{
    xmlNodePtr r = new_w(like, "r");
    xmlAddPrevSibling(like, r);
    xmlNodePtr rpr = first_w(like, "rPr");
    xmlNodePtr copy = NULL;
    if (rpr && xmlDOMWrapCloneNode(NULL, like->doc, rpr, &copy, like->doc, r, 1, 0) == 0 && copy) {
        xmlAddChild(r, copy);
    }
    return r;
}

/* A run before `like` holding `n` bytes of `s`; a tag's run is marked. */
static void text_run(xmlNodePtr like, const char *s, size_t n, bool mark)
{
    xmlNodePtr r = run_like(like);
    xmlNodePtr t = new_w(like, "t");
    xmlNodeAddContentLen(t, (const xmlChar *)s, (int)n);
    xmlNodeSetSpacePreserve(t, 1);
    xmlAddChild(r, t);
    if (mark) {
        xmlSetProp(r, TAG_ATTR, (const xmlChar *)"1");
    }
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
    if (!any_before) {
        drop(before);
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
                text_run(run, full + in->start, in->end - in->start, true);
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
        text_run(run, full + pos, stop - pos, false);
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
            rc = tmpl_error(err, partname, p, _("'{{' is not closed by '}}'"));
            break;
        }
        if (again && again < close) {
            rc = tmpl_error(err, partname, p, _("'{{' inside a tag"));
            break;
        }
        size_t tl = (size_t)(close + 2 - q);
        tag t;
        if (!parse_tag(q, tl, &t)) {
            rc = tmpl_error(err, partname, p, _("unknown tag form '%.*s'"),
                            (int)(tl > 100 ? 100 : tl), q);
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
                rc = tmpl_error(err, partname, p, _("a tag in text outside a run"));
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

/* --- scanning ------------------------------------------------------------ */

typedef struct runs {
    xmlNodePtr *v;
    size_t n, cap;
} runs;

static bool is_sec(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && !n->ns && xmlStrEqual(n->name, SEC_NAME);
}

static void runs_push(runs *r, xmlNodePtr n)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = n;
}

/* Appends the tag runs among `n` and its following siblings up to `stop`
 * (exclusive; NULL for all), in document order. A section's body is its own
 * scope and is not entered. */
static void scan_node(xmlNodePtr n, xmlNodePtr stop, runs *out)
{
    for (; n && n != stop; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || is_sec(n)) {
            continue;
        }
        if (is_w(n, "r") && n->properties && xmlHasProp(n, TAG_ATTR)) {
            runs_push(out, n);
            continue;
        }
        scan_node(n->children, NULL, out);
    }
}

/* The tag runs among the siblings from `first` up to `stop` (exclusive). */
static void scan(xmlNodePtr first, xmlNodePtr stop, runs *out)
{
    out->n = 0;
    scan_node(first, stop, out);
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
                return tmpl_error(err, partname, rs->v[j], _("%s closes %s"),
                                  docx_tag_show(&t, b, sizeof b),
                                  docx_tag_show(&open, a, sizeof a));
            }
            *j_out = j;
            return BS_OK;
        }
    }
    return tmpl_error(err, partname, rs->v[i], _("%s is not closed"),
                      docx_tag_show(&open, a, sizeof a));
}

/* --- sections ------------------------------------------------------------ */

typedef enum sect_kind { SECT_INLINE, SECT_ROW, SECT_BLOCK } sect_kind;

/* Decides how the section between runs `o` and `x` repeats. */
static int classify(const char *partname, xmlNodePtr o, xmlNodePtr x, sect_kind *out, bs_err *err)
{
    tag open;
    tag_of(o, &open);
    char a[MAX_TAG + 8];
    docx_tag_show(&open, a, sizeof a);
    xmlNodePtr p1 = ancestor(o, "p"), p2 = ancestor(x, "p");
    if (!p1 || !p2) {
        return tmpl_error(err, partname, o, _("%s is outside a paragraph"), a);
    }
    if (p1 == p2) {
        if (o->parent != x->parent) {
            return tmpl_error(err, partname, o,
                              _("%s opens and closes at different levels of the paragraph "
                                "(e.g. one inside a hyperlink)"),
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
            return tmpl_error(err, partname, o,
                              _("%s opens in one table row and closes in another"), a);
        }
        if (c1 != c2) {
            return tmpl_error(err, partname, o,
                              _("%s opens and closes on different sides of a table"), a);
        }
        return tmpl_error(err, partname, o, _("%s opens and closes in different containers"), a);
    }
    if (o->parent != p1 || x->parent != p2) {
        return tmpl_error(err, partname, o,
                          _("%s must not be inside a hyperlink or field when it spans paragraphs"),
                          a);
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


/* Unlinks the siblings strictly between `a` and `b` and appends them to
 * `dest`. */
static void move_between(xmlNodePtr a, xmlNodePtr b, xmlNodePtr dest)
{
    for (xmlNodePtr k = a->next; k && k != b;) {
        xmlNodePtr next = k->next;
        xmlUnlinkNode(k);
        xmlAddChild(dest, k);
        k = next;
    }
}

/* True when the cell or container `c` holds a paragraph or table outside
 * section bodies. */
static bool has_block(xmlNodePtr c)
{
    for (xmlNodePtr k = c->children; k; k = k->next) {
        if (is_w(k, "p") || is_w(k, "tbl")) {
            return true;
        }
    }
    return false;
}

/* A cell must keep a paragraph. */
static void keep_para(xmlNodePtr cell)
{
    if (is_w(cell, "tc") && !has_block(cell)) {
        xmlAddChild(cell, new_w(cell, "p"));
    }
}

/* --- sections become section elements ------------------------------------ */

/* The element of the section opened by run `o`: its tag, and where it
 * opens for messages: the paragraph as the author wrote it (for a section
 * inside another in one paragraph, the text the outer one quoted, before
 * its tags were taken out). */
static xmlNodePtr new_sec(xmlNodePtr o)
{
    bs_buf b = {0};
    xmlNodePtr sec = xmlNewDocNode(o->doc, NULL, SEC_NAME, NULL);
    xmlSetProp(sec, (const xmlChar *)"tag", (const xmlChar *)tag_text(o, &b));
    bs_buf_free(&b);
    xmlNodePtr p = ancestor(o, "p");
    xmlChar *where = NULL;
    for (xmlNodePtr a = o->parent; a && a != p && !where; a = a->parent) {
        where = is_sec(a) ? xmlGetProp(a, (const xmlChar *)"where") : NULL;
    }
    if (where) {
        xmlSetProp(sec, (const xmlChar *)"where", where);
        xmlFree(where);
    } else if (p) {
        char *q = quote_para(p);
        xmlSetProp(sec, (const xmlChar *)"where", (const xmlChar *)q);
        free(q);
    }
    return sec;
}

static int transform_range(const char *partname, xmlNodePtr start, xmlNodePtr end, bs_err *err);

/* Moves the body of the section between runs `o` and `x` into a section
 * element where its copies will go, then does the same inside it. */
static int make_section(const char *partname, xmlNodePtr o, xmlNodePtr x, bs_err *err)
{
    sect_kind kind = SECT_INLINE;
    int rc = classify(partname, o, x, &kind, err);
    if (rc != BS_OK) {
        return rc;
    }
    xmlNodePtr sec = new_sec(o);
    if (kind == SECT_INLINE) {
        xmlAddPrevSibling(o, sec);
        move_between(o, x, sec);
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
            keep_para(cell);
        }
        xmlAddPrevSibling(row, sec);
        xmlUnlinkNode(row);
        xmlAddChild(sec, row);
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
        // The body: what follows the open tag in its paragraph, the blocks
        // between, and what precedes the close tag in its paragraph.
        xmlAddPrevSibling(a, sec);
        move_between(sec, b, sec);
        for (xmlNodePtr k = sec->children; k;) {
            xmlNodePtr next = k->next;
            if ((k == a || k == b1) && !has_content(k)) {
                drop(k);
            }
            k = next;
        }
        if (!has_content(b) && !has_sectpr(b)) {
            drop(b);
        }
        if (is_w(parent, "tc") && !has_block(parent)) {
            xmlSetProp(sec, (const xmlChar *)"fallback", (const xmlChar *)"p");
        }
    }
    // The body's own sections, between markers no change inside can move.
    xmlNodePtr s = xmlNewDocComment(sec->doc, (const xmlChar *)"s");
    xmlNodePtr e = xmlNewDocComment(sec->doc, (const xmlChar *)"e");
    if (sec->children) {
        xmlAddPrevSibling(sec->children, s);
    } else {
        xmlAddChild(sec, s);
    }
    xmlAddChild(sec, e);
    rc = transform_range(partname, s, e, err);
    drop(s);
    drop(e);
    return rc;
}

/* Turns every section among the siblings between `start` and `end` into a
 * section element. */
static int transform_range(const char *partname, xmlNodePtr start, xmlNodePtr end, bs_err *err)
{
    runs rs = {0};
    int rc = BS_OK;
    scan(start->next, end, &rs);
    for (size_t i = 0; i < rs.n && rc == BS_OK; i++) {
        tag t;
        tag_of(rs.v[i], &t);
        if (t.kind == TAG_CLOSE) {
            char a[MAX_TAG + 8];
            rc = tmpl_error(err, partname, rs.v[i], _("%s has no opening tag"),
                            docx_tag_show(&t, a, sizeof a));
        } else if (t.kind == TAG_OPEN || t.kind == TAG_INVERT) {
            size_t j = 0;
            rc = match_close(partname, &rs, i, &j, err);
            if (rc == BS_OK) {
                // The tags between go into the section, which transforms
                // them itself; those after stay where they are (making a
                // section frees only its own two tags and paragraphs left
                // empty), so the scan goes on after the closing tag instead
                // of starting again.
                rc = make_section(partname, rs.v[i], rs.v[j], err);
                i = j;
            }
        }
    }
    free(rs.v);
    return rc;
}

/* --- compiling ------------------------------------------------------------- */

static void emit_bytes(program *pg, const char *s, size_t n)
{
    if (n == 0) {
        return;
    }
    // Merge with a preceding BYTES op: fewer ops, longer copies.
    if (pg->nops > pg->barrier && pg->ops[pg->nops - 1].kind == OP_BYTES &&
        pg->ops[pg->nops - 1].off + pg->ops[pg->nops - 1].len == pg->bytes.len) {
        pg->ops[pg->nops - 1].len += (uint32_t)n;
    } else {
        if (pg->nops == pg->cap) {
            pg->cap = pg->cap ? pg->cap * 2 : 64;
            pg->ops = xrealloc(pg->ops, pg->cap * sizeof *pg->ops);
        }
        pg->ops[pg->nops++] = (op){.kind = OP_BYTES, .off = (uint32_t)pg->bytes.len,
                                   .len = (uint32_t)n};
    }
    bs_buf_add(&pg->bytes, s, n);
}

static void emit_str(program *pg, const char *s)
{
    emit_bytes(pg, s, strlen(s));
}

static op *emit_op(program *pg, op o)
{
    if (pg->nops == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 64;
        pg->ops = xrealloc(pg->ops, pg->cap * sizeof *pg->ops);
    }
    pg->ops[pg->nops] = o;
    return &pg->ops[pg->nops++];
}

/* Adds tag `t` standing in the paragraph whose text is `quoted` (or
 * none: NULL). */
static uint32_t add_tag_quoted(program *pg, const tag *t, const char *quoted)
{
    if (pg->ntags == pg->tcap) {
        pg->tcap = pg->tcap ? pg->tcap * 2 : 16;
        pg->tags = xrealloc(pg->tags, pg->tcap * sizeof *pg->tags);
    }
    pg->tags[pg->ntags] = (ptag){.t = *t, .where = quoted ? xasprintf("paragraph '%s': ", quoted)
                                                          : xstrdup("")};
    return (uint32_t)pg->ntags++;
}

static uint32_t add_tag(program *pg, const tag *t, xmlNodePtr at)
{
    xmlNodePtr p = at ? (is_w(at, "p") ? at : ancestor(at, "p")) : NULL;
    char *q = p ? quote_para(p) : NULL;
    uint32_t i = add_tag_quoted(pg, t, q);
    free(q);
    return i;
}

/* Static bytes holding `s`, for the ops that refer to a string by offset. */
static uint32_t stash(program *pg, const char *s, uint32_t *len_out)
{
    uint32_t off = (uint32_t)pg->bytes.len;
    bs_buf_puts(&pg->bytes, s);
    *len_out = (uint32_t)strlen(s);
    return off;
}

static void qname(bs_buf *b, xmlNodePtr n)
{
    if (n->ns && n->ns->prefix) {
        bs_buf_printf(b, "%s:", (const char *)n->ns->prefix);
    }
    bs_buf_puts(b, (const char *)n->name);
}

/* Marks (in _private) the elements whose output depends on the data. */
static bool mark_dynamic(xmlNodePtr n, bool props)
{
    bool dyn = false;
    if (n->type == XML_TEXT_NODE) {
        return props && n->content && strstr((const char *)n->content, "{{");
    }
    if (n->type != XML_ELEMENT_NODE) {
        return false;
    }
    if (is_sec(n) || (is_w(n, "r") && n->properties && xmlHasProp(n, TAG_ATTR))) {
        dyn = true;
    }
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (mark_dynamic(c, props)) {
            dyn = true;
        }
    }
    n->_private = dyn ? (void *)1 : NULL;
    return dyn;
}

/* Appends the serialisation of `n` (which holds nothing dynamic). */
static void emit_dump(program *pg, xmlNodePtr n, xmlBufferPtr tmp)
{
    xmlBufferEmpty(tmp);
    xmlNodeDump(tmp, n->doc, n, 0, 0);
    emit_bytes(pg, (const char *)xmlBufferContent(tmp), (size_t)xmlBufferLength(tmp));
}

/* Document properties: literal text and {{name}} tags. */
static int compile_props_text(program *pg, xmlNodePtr n, const char *partname, bs_err *err)
{
    const char *s = (const char *)n->content;
    bs_buf lit = {0};
    int rc = BS_OK;
    for (;;) {
        const char *q = strstr(s, "{{");
        docx_escape(&lit, s, q ? (size_t)(q - s) : strlen(s), false);
        if (!q) {
            break;
        }
        const char *e = strstr(q + 2, "}}");
        tag t;
        if (!e || !parse_tag(q, (size_t)(e + 2 - q), &t)) {
            rc = bs_err_set(err, BS_EINPUT, _("%s: '%s': not a tag"), partname,
                            (const char *)n->content);
            break;
        }
        if (t.kind != TAG_VAR) {
            rc = bs_err_set(err, BS_EINPUT,
                            _("%s: '%s': only {{name}} tags work in document properties"), partname,
                            (const char *)n->content);
            break;
        }
        emit_bytes(pg, lit.s ? lit.s : "", lit.len);
        lit.len = 0;
        emit_op(pg, (op){.kind = OP_TEXTVAR, .tag = add_tag(pg, &t, NULL)});
        s = e + 2;
    }
    if (rc == BS_OK) {
        emit_bytes(pg, lit.s ? lit.s : "", lit.len);
    }
    bs_buf_free(&lit);
    return rc;
}

static void emit_start_tag(program *pg, xmlNodePtr n)
{
    bs_buf b = {0};
    bs_buf_puts(&b, "<");
    qname(&b, n);
    for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next) {
        if (ns->prefix) {
            bs_buf_printf(&b, " xmlns:%s=\"", (const char *)ns->prefix);
        } else {
            bs_buf_puts(&b, " xmlns=\"");
        }
        const char *href = ns->href ? (const char *)ns->href : "";
        docx_escape(&b, href, strlen(href), true);
        bs_buf_puts(&b, "\"");
    }
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        bs_buf_puts(&b, " ");
        if (a->ns && a->ns->prefix) {
            bs_buf_printf(&b, "%s:", (const char *)a->ns->prefix);
        }
        bs_buf_printf(&b, "%s=\"", (const char *)a->name);
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 0);
        if (v) {
            docx_escape(&b, (const char *)v, strlen((const char *)v), true);
            xmlFree(v);
        }
        bs_buf_puts(&b, "\"");
    }
    bs_buf_puts(&b, ">");
    emit_bytes(pg, b.s, b.len);
    bs_buf_free(&b);
}

static const char *prefix_of(xmlNodePtr n)
{
    return n && n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "";
}

/* What compiling one part needs. */
typedef struct comp {
    program *pg;
    xmlBufferPtr tmp; /* scratch for xmlNodeDump */
    const char *part; /* for messages */
    bool props;       /* document properties: tags in plain text */
    bs_err *err;
} comp;

static int compile_node(comp *k, xmlNodePtr n);

static int compile_children(comp *k, xmlNodePtr n)
{
    int rc = BS_OK;
    for (xmlNodePtr c = n->children; c && rc == BS_OK; c = c->next) {
        rc = compile_node(k, c);
    }
    return rc;
}

static void emit_end_tag(program *pg, xmlNodePtr n)
{
    bs_buf b = {0};
    bs_buf_puts(&b, "</");
    qname(&b, n);
    bs_buf_puts(&b, ">");
    emit_bytes(pg, b.s, b.len);
    bs_buf_free(&b);
}

static void compile_var(comp *k, xmlNodePtr run)
{
    program *pg = k->pg;
    tag t;
    tag_of(run, &t);
    bs_buf b = {0};
    bs_buf_puts(&b, "<");
    qname(&b, run);
    bs_buf_puts(&b, ">");
    xmlNodePtr rpr = first_w(run, "rPr");
    if (rpr) {
        xmlBufferEmpty(k->tmp);
        xmlNodeDump(k->tmp, run->doc, rpr, 0, 0);
        bs_buf_add(&b, (const char *)xmlBufferContent(k->tmp), (size_t)xmlBufferLength(k->tmp));
    }
    op o = {.kind = OP_VAR, .tag = add_tag(pg, &t, run), .off = (uint32_t)pg->bytes.len,
            .len = (uint32_t)b.len};
    bs_buf_add(&pg->bytes, b.s, b.len);
    o.pfx_off = stash(pg, prefix_of(run), &o.pfx_len);
    emit_op(pg, o);
    bs_buf_free(&b);
}

static int compile_sec(comp *k, xmlNodePtr sec)
{
    program *pg = k->pg;
    xmlChar *tx = xmlGetProp(sec, (const xmlChar *)"tag");
    tag t;
    parse_tag((const char *)tx, strlen((const char *)tx), &t);
    xmlChar *where = xmlGetProp(sec, (const xmlChar *)"where");
    op o = {.kind = OP_SEC, .tag = add_tag_quoted(pg, &t, (const char *)where)};
    xmlFree(where);
    xmlFree(tx);
    size_t at = pg->nops;
    emit_op(pg, o);
    int rc = compile_children(k, sec);
    pg->ops[at].end = (uint32_t)pg->nops;
    pg->barrier = pg->nops; // what follows must not join the body's last op
    return rc;
}

/* The paragraph of a block tag: for a chart, its opening and properties,
 * which the chart's run follows. */
static void compile_block(comp *k, xmlNodePtr p)
{
    program *pg = k->pg;
    xmlNodePtr run = NULL;
    for (xmlNodePtr c = p->children; c && !run; c = c->next) {
        run = is_w(c, "r") && c->properties && xmlHasProp(c, TAG_ATTR) ? c : NULL;
    }
    tag t;
    tag_of(run, &t);
    bs_buf b = {0};
    bs_buf_puts(&b, "<");
    qname(&b, p);
    bs_buf_puts(&b, ">");
    xmlNodePtr ppr = first_w(p, "pPr");
    if (ppr) {
        xmlBufferEmpty(k->tmp);
        xmlNodeDump(k->tmp, p->doc, ppr, 0, 0);
        bs_buf_add(&b, (const char *)xmlBufferContent(k->tmp), (size_t)xmlBufferLength(k->tmp));
    }
    op o = {.kind = OP_BLOCK, .tag = add_tag(pg, &t, run), .off = (uint32_t)pg->bytes.len,
            .len = (uint32_t)b.len};
    bs_buf_add(&pg->bytes, b.s, b.len);
    o.pfx_off = stash(pg, prefix_of(p), &o.pfx_len);
    emit_op(pg, o);
    pg->barrier = pg->nops;
    bs_buf_free(&b);
}

static int compile_node(comp *k, xmlNodePtr n)
{
    if (n->type == XML_TEXT_NODE) {
        const char *s = n->content ? (const char *)n->content : "";
        if (k->props && strstr(s, "{{")) {
            return compile_props_text(k->pg, n, k->part, k->err);
        }
        bs_buf b = {0};
        docx_escape(&b, s, strlen(s), false);
        emit_bytes(k->pg, b.s ? b.s : "", b.len);
        bs_buf_free(&b);
        return BS_OK;
    }
    if (n->type != XML_ELEMENT_NODE || !n->_private) {
        emit_dump(k->pg, n, k->tmp);
        return BS_OK;
    }
    if (is_sec(n)) {
        return compile_sec(k, n);
    }
    if (is_w(n, "p") && xmlHasProp(n, BLOCK_ATTR)) {
        compile_block(k, n);
        return BS_OK;
    }
    if (is_w(n, "r") && n->properties && xmlHasProp(n, TAG_ATTR)) {
        compile_var(k, n);
        return BS_OK;
    }
    emit_start_tag(k->pg, n);
    // A cell whose paragraphs all sit in sections may render empty: guard it.
    bool guard = false;
    for (xmlNodePtr c = n->children; c && is_w(n, "tc") && !guard; c = c->next) {
        guard = is_sec(c) && xmlHasProp(c, (const xmlChar *)"fallback");
    }
    size_t at = k->pg->nops;
    if (guard) {
        op o = {.kind = OP_CELL};
        o.pfx_off = stash(k->pg, prefix_of(n), &o.pfx_len);
        emit_op(k->pg, o);
    }
    int rc = compile_children(k, n);
    if (guard) {
        k->pg->ops[at].end = (uint32_t)k->pg->nops;
        k->pg->barrier = k->pg->nops;
    }
    emit_end_tag(k->pg, n);
    return rc;
}

/* Compiles a whole part: the XML declaration, then the document's nodes. */
static int compile_doc(program *pg, xmlDocPtr doc, const char *partname, bool props, bs_err *err)
{
    comp k = {.pg = pg, .tmp = xmlBufferCreate(), .part = partname, .props = props, .err = err};
    emit_str(pg, doc->standalone == 1
                     ? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                     : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    int rc = BS_OK;
    for (xmlNodePtr n = doc->children; n && rc == BS_OK; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            mark_dynamic(n, props);
        }
        if (n->type != XML_DTD_NODE) {
            rc = compile_node(&k, n);
        }
    }
    xmlBufferFree(k.tmp);
    return rc;
}

void docx_program_free(program *pg)
{
    bs_buf_free(&pg->bytes);
    free(pg->ops);
    for (size_t i = 0; i < pg->ntags; i++) {
        free(pg->tags[i].where);
    }
    free(pg->tags);
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
            runs_push(out, n);
        }
        collect_paras(n->children, out);
    }
}

/* --- a closing stays with what it closes ---------------------------------- */

/* `p` is kept on the page of the block after it (w:keepNext, after the
 * style as the schema orders them). */
static void keep_with_next(xmlNodePtr p)
{
    xmlNodePtr ppr = first_w(p, "pPr");
    if (!ppr) {
        ppr = new_w(p, "pPr");
        if (p->children) {
            xmlAddPrevSibling(p->children, ppr);
        } else {
            xmlAddChild(p, ppr);
        }
    }
    if (first_w(ppr, "keepNext")) {
        return;
    }
    xmlNodePtr k = new_w(p, "keepNext"), style = first_w(ppr, "pStyle");
    if (style) {
        xmlAddNextSibling(style, k);
    } else if (ppr->children) {
        xmlAddPrevSibling(ppr->children, k);
    } else {
        xmlAddChild(ppr, k);
    }
}

/* True when the paragraph's text is only tags ({{/x}}, {{#y}}): a
 * paragraph that rendering takes out. */
static bool only_tags(const char *t)
{
    while (*t == ' ') {
        t++;
    }
    while (t[0] == '{' && t[1] == '{') {
        const char *close = strstr(t, "}}");
        if (!close) {
            return false;
        }
        t = close + 2;
        while (*t == ' ') {
            t++;
        }
    }
    return *t == '\0';
}

/* The closing 「以上」 of a document body does not go to a page of its own:
 * the two blocks before it (paragraphs, or a table's last row) keep with
 * what follows them, the paragraphs of tags between them too. A last row
 * that a section repeats is left alone: keeping every row of a long table
 * together would move the whole table. */
static void keep_closing(xmlNodePtr root)
{
    xmlNodePtr body = root ? first_w(root, "body") : NULL;
    for (xmlNodePtr end = body ? body->children : NULL; end; end = end->next) {
        bs_buf b = {0};
        if (is_w(end, "p")) {
            own_text(end, &b);
        }
        bool closing = b.s && strcmp(b.s, "以上") == 0;
        bs_buf_free(&b);
        if (!closing) {
            continue;
        }
        int kept = 0;
        for (xmlNodePtr n = end->prev; n && kept < 2; n = n->prev) {
            if (is_w(n, "p")) {
                bs_buf t = {0};
                own_text(n, &t);
                keep_with_next(n);
                kept += !only_tags(t.s ? t.s : "");
                bs_buf_free(&t);
            } else if (is_w(n, "tbl")) {
                xmlNodePtr row = NULL;
                for (xmlNodePtr c = n->children; c; c = c->next) {
                    row = is_w(c, "tr") ? c : row;
                }
                bs_buf t = {0};
                runs ps = {0};
                if (row) {
                    collect_paras(row->children, &ps);
                    for (size_t i = 0; i < ps.n; i++) {
                        own_text(ps.v[i], &t);
                    }
                }
                bool repeated = t.s && (strstr(t.s, "{{#") || strstr(t.s, "{{^"));
                for (size_t i = 0; i < ps.n && !repeated; i++) {
                    keep_with_next(ps.v[i]);
                }
                free(ps.v);
                bs_buf_free(&t);
                if (repeated || !row) {
                    break;
                }
                kept++;
            } else if (n->type == XML_ELEMENT_NODE && !is_w(n, "bookmarkStart") &&
                       !is_w(n, "bookmarkEnd")) {
                break;
            }
        }
    }
}

/* A block tag ({{%table x}}, {{%chart x}}) stands alone in a paragraph of
 * the document's body, outside tables and not the one that ends a section
 * of the document; its paragraph is marked for compiling. */
static int check_blocks(xmlNodePtr root, const char *name, bs_err *err)
{
    runs rs = {0};
    scan_node(root, NULL, &rs);
    int rc = BS_OK;
    char a[MAX_TAG + 8];
    for (size_t i = 0; i < rs.n && rc == BS_OK; i++) {
        tag t;
        tag_of(rs.v[i], &t);
        if (t.kind != TAG_TABLE && t.kind != TAG_CHART) {
            continue;
        }
        docx_tag_show(&t, a, sizeof a);
        xmlNodePtr run = rs.v[i], p = ancestor(run, "p");
        if (strcmp(name, "word/document.xml") != 0) {
            rc = tmpl_error(err, name, run, _("%s works in the document's body only"), a);
        } else if (!p || run->parent != p || ancestor(p, "tc")) {
            rc = tmpl_error(err, name, run,
                            _("%s must stand in a paragraph of its own, outside tables"), a);
        } else if (has_sectpr(p)) {
            rc = tmpl_error(err, name, run,
                            _("%s must not be in the paragraph that ends a section of the document"),
                            a);
        } else {
            for (xmlNodePtr c = p->children; c && rc == BS_OK; c = c->next) {
                if (c != run && c->type == XML_ELEMENT_NODE && !is_w(c, "pPr") &&
                    !is_w(c, "bookmarkStart") && !is_w(c, "bookmarkEnd") &&
                    !is_w(c, "proofErr") && (!is_w(c, "r") || has_content(c))) {
                    rc = tmpl_error(err, name, run, _("%s must stand alone in its paragraph"), a);
                }
            }
            if (rc == BS_OK) {
                xmlSetProp(p, BLOCK_ATTR, (const xmlChar *)"1");
            }
        }
    }
    free(rs.v);
    return rc;
}

/* Normalises the tags of a body-like part and turns its sections into
 * section elements. */
static int prepare(xmlDocPtr doc, const char *name, bs_err *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (strcmp(name, "word/document.xml") == 0) {
        keep_closing(root);
    }
    runs ps = {0};
    collect_paras(root, &ps);
    int rc = BS_OK;
    // Last first: normalising a paragraph may free what it contains, and any
    // paragraph nested in it (only malformed files have that) comes later in
    // document order, so it is done by then.
    for (size_t k = ps.n; k > 0 && rc == BS_OK; k--) {
        rc = normalize_para(ps.v[k - 1], name, err);
    }
    free(ps.v);
    if (rc != BS_OK) {
        return rc;
    }
    rc = check_blocks(root, name, err);
    if (rc != BS_OK) {
        return rc;
    }
    xmlNodePtr s = xmlNewDocComment(doc, (const xmlChar *)"s");
    xmlNodePtr e = xmlNewDocComment(doc, (const xmlChar *)"e");
    if (root->children) {
        xmlAddPrevSibling(root->children, s);
    } else {
        xmlAddChild(root, s);
    }
    xmlAddChild(root, e);
    rc = transform_range(name, s, e, err);
    drop(s);
    drop(e);
    return rc;
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

/* Reads and parses entry i, named in messages as src!name. */
static int parse_part(bs_docx *t, size_t i, const char *src, xmlDocPtr *out, bs_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = zipio_read(t->zip, i, &data, &len, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *label = xasprintf("%s!%s", src, zipio_name(t->zip, i));
    rc = xmlu_parse(data, len, label, out, err);
    free(label);
    free(data);
    return rc;
}

static int load_part(bs_docx *t, size_t i, const char *src, bs_err *err)
{
    bool props;
    const char *name = zipio_name(t->zip, i);
    xmlDocPtr doc = NULL;
    bool render = renderable(name, &props);
    if (!render && !ends_with(name, ".xml") && !ends_with(name, ".rels")) {
        return BS_OK;
    }
    // Every XML part is parsed, those copied into every document as they
    // are too: a document type (or XML Word cannot read) is refused here
    // rather than handed on to whoever opens the document.
    int rc = parse_part(t, i, src, &doc, err);
    if (rc != BS_OK) {
        return rc;
    }
    // What Word's validator would refuse is put right once, here; a part
    // that needed nothing is still copied as it is.
    bool changed = docx_schema_normalise(doc);
    if (!render && !changed) {
        xmlFreeDoc(doc);
        return BS_OK;
    }
    if (render && !props) {
        rc = prepare(doc, name, err);
    }
    program pg = {0};
    if (rc == BS_OK) {
        rc = compile_doc(&pg, doc, name, props, err);
    }
    xmlFreeDoc(doc);
    if (rc != BS_OK) {
        docx_program_free(&pg);
        return rc;
    }
    t->parts = xrealloc(t->parts, (t->nparts + 1) * sizeof *t->parts);
    t->parts[t->nparts++] = (part){.name = xstrdup(name), .pg = pg};
    return BS_OK;
}

static int finish_open(bs_docx *t, const char *src, bs_docx **out, bs_err *err)
{
    int rc = BS_OK;
    if (zipio_find(t->zip, "word/document.xml") < 0) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: not a Word document (no word/document.xml)"), src);
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
        docx_program_free(&t->parts[i].pg);
        free(t->parts[i].name);
    }
    free(t->parts);
    zipio_close(t->zip);
    free(t);
}
