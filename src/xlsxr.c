#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "i18n.h"
#include "util.h"
#include "xlsxr.h"
#include "xmlu.h"
#include "zipio.h"

enum {
    MAX_CELLS = 2000000,        /* cells of one sheet */
    MAX_FILL = 100000,          /* cells added to repeat merged ranges */
    MAX_MERGES = 100000,        /* merged ranges of one sheet */
    MAX_STRINGS = 1000000,      /* shared strings */
    MAX_CELL_TEXT = 32767,      /* Excel's limit on a cell's text, in UTF-16 code units */
    MAX_SHEET_TEXT = 256 << 20, /* bytes of text in the cells of one sheet */
};

struct bs_xlsx {
    bs_zip *zip;       /* owned */
    char *path;        /* owned, for messages */
    bs_value *sheets;  /* owned: names, in order */
    bs_value *targets; /* owned: parallel to sheets, part names */
    bs_value *props;   /* owned: custom properties, name → text */
    bool date1904;
    char **strings;    /* owned: shared strings, loaded on first use */
    uint16_t *units;   /* owned: UTF-16 code units of each, MAX_CELL_TEXT + 1 for more */
    size_t nstrings;
    bool strings_loaded;
};

static bool is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) {
        // Attributes in a namespace (r:id): match the local name.
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            if (strcmp((const char *)a->name, name) == 0) {
                v = xmlNodeListGetString(n->doc, a->children, 0);
                break;
            }
        }
    }
    if (!v) {
        return NULL;
    }
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Reads and parses an entry; BS_ENOTFOUND when the archive lacks it. */
static int read_xml(bs_xlsx *x, const char *name, xmlDocPtr *out, bs_err *err)
{
    long i = zipio_find(x->zip, name);
    if (i < 0) {
        return bs_err_set(err, BS_ENOTFOUND, _("%s: no %s"), x->path, name);
    }
    char *data = NULL;
    size_t len = 0;
    int rc = zipio_read(x->zip, (size_t)i, &data, &len, err);
    if (rc == BS_OK) {
        char *label = xasprintf("%s!%s", x->path, name);
        rc = xmlu_parse(data, len, label, out, err);
        free(label);
    }
    free(data);
    return rc;
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/…" absolute. */
static char *resolve_target(const char *t)
{
    if (t[0] == '/') {
        return xstrdup(t + 1);
    }
    if (strncmp(t, "xl/", 3) == 0) {
        return xstrdup(t);
    }
    return xasprintf("xl/%s", t);
}

static int load_workbook(bs_xlsx *x, bs_err *err)
{
    xmlDocPtr wb = NULL, rels = NULL;
    int rc = read_xml(x, "xl/workbook.xml", &wb, err);
    if (rc == BS_ENOTFOUND) {
        bs_err_clear(err);
        return bs_err_set(err, BS_EINPUT, _("%s: not an Excel workbook (no xl/workbook.xml)"),
                          x->path);
    }
    if (rc == BS_OK) {
        rc = read_xml(x, "xl/_rels/workbook.xml.rels", &rels, err);
    }
    if (rc != BS_OK) {
        xmlFreeDoc(wb);
        return rc;
    }
    x->sheets = value_list();
    x->targets = value_list();
    for (xmlNodePtr n = xmlDocGetRootElement(wb)->children; n; n = n->next) {
        if (is_el(n, "workbookPr")) {
            char *d = attr(n, "date1904");
            x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
            free(d);
        }
        if (!is_el(n, "sheets")) {
            continue;
        }
        for (xmlNodePtr s = n->children; s; s = s->next) {
            if (!is_el(s, "sheet")) {
                continue;
            }
            char *name = attr(s, "name"), *id = attr(s, "id");
            char *target = NULL;
            for (xmlNodePtr r = xmlDocGetRootElement(rels)->children; r && id && !target;
                 r = r->next) {
                char *rid = is_el(r, "Relationship") ? attr(r, "Id") : NULL;
                if (rid && strcmp(rid, id) == 0) {
                    char *t = attr(r, "Target");
                    target = t ? resolve_target(t) : NULL;
                    free(t);
                }
                free(rid);
            }
            if (name && target) {
                value_push(x->sheets, value_str(name));
                value_push(x->targets, value_str(target));
            }
            free(name);
            free(id);
            free(target);
        }
    }
    xmlFreeDoc(wb);
    xmlFreeDoc(rels);
    if (value_len(x->sheets) == 0) {
        return bs_err_set(err, BS_EINPUT, _("%s: the workbook has no sheets"), x->path);
    }
    return BS_OK;
}

static void load_props(bs_xlsx *x)
{
    x->props = value_map();
    xmlDocPtr d = NULL;
    bs_err e = {0};
    if (read_xml(x, "docProps/custom.xml", &d, &e) != BS_OK) {
        return; // optional
    }
    for (xmlNodePtr p = xmlDocGetRootElement(d)->children; p; p = p->next) {
        char *name = is_el(p, "property") ? attr(p, "name") : NULL;
        if (name) {
            bs_buf b = {0};
            xmlu_text(p, &b);
            value_set_str(x->props, name, b.s ? b.s : "");
            bs_buf_free(&b);
        }
        free(name);
    }
    xmlFreeDoc(d);
}

static int open_common(bs_xlsx *x, int rc, bs_xlsx **out, bs_err *err)
{
    if (rc == BS_OK) {
        rc = load_workbook(x, err);
    }
    if (rc != BS_OK) {
        xlsxr_close(x);
        return rc;
    }
    load_props(x);
    *out = x;
    return BS_OK;
}

int xlsxr_open_mem(const void *data, size_t len, const char *name, bs_xlsx **out, bs_err *err)
{
    bs_xlsx *x = xcalloc(1, sizeof *x);
    x->path = xstrdup(name);
    return open_common(x, zipio_open_mem(data, len, name, &x->zip, err), out, err);
}

int xlsxr_open(const char *path, bs_xlsx **out, bs_err *err)
{
    bs_xlsx *x = xcalloc(1, sizeof *x);
    x->path = xstrdup(path);
    return open_common(x, zipio_open_file(path, &x->zip, err), out, err);
}

void xlsxr_close(bs_xlsx *x)
{
    if (!x) {
        return;
    }
    zipio_close(x->zip);
    value_free(x->sheets);
    value_free(x->targets);
    value_free(x->props);
    for (size_t i = 0; i < x->nstrings; i++) {
        free(x->strings[i]);
    }
    free(x->strings);
    free(x->units);
    free(x->path);
    free(x);
}

const bs_value *xlsxr_sheets(const bs_xlsx *x)
{
    return x->sheets;
}

const char *xlsxr_property(const bs_xlsx *x, const char *name)
{
    return value_get_str(x->props, name);
}

bool xlsxr_date1904(const bs_xlsx *x)
{
    return x->date1904;
}

/* Appends code point `cp` to `b` as UTF-8. */
static void put_utf8(bs_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    bs_buf_add(b, u, n);
}

/* The UTF-16 code unit of an escape "_xHHHH_" at `s`, or -1. */
static long xescape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x') {
        return -1;
    }
    long v = 0;
    for (int i = 2; i < 6; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (d < 0) {
            return -1;
        }
        v = v * 16 + d;
    }
    return s[6] == '_' ? v : -1;
}

/* Appends `s` to `b` with its escapes decoded. Text in a workbook
 * (ST_Xstring) writes a character XML cannot hold, such as a control
 * character, as "_xHHHH_" (one UTF-16 code unit in hex), and a "_" that
 * begins such a sequence as "_x005F_": "_x005F_x0007_" is the text
 * "_x0007_". A surrogate pair is two escapes; a lone surrogate or NUL,
 * which no C string holds, stays as it is written. */
static void put_xstring(bs_buf *b, const char *s)
{
    while (*s) {
        const char *u = strstr(s, "_x");
        if (!u) {
            bs_buf_puts(b, s);
            return;
        }
        bs_buf_add(b, s, (size_t)(u - s));
        long v = xescape_at(u), lo = v >= 0xD800 && v <= 0xDBFF ? xescape_at(u + 7) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            put_utf8(b, 0x10000 + (((uint32_t)v - 0xD800) << 10) + ((uint32_t)lo - 0xDC00));
            s = u + 14;
        } else if (v > 0 && (v < 0xD800 || v > 0xDFFF)) {
            put_utf8(b, (uint32_t)v);
            s = u + 7;
        } else {
            bs_buf_add(b, u, 2);
            s = u + 2;
        }
    }
}

/* The text of a string item: its t elements, without phonetic guides,
 * escapes decoded. */
static void si_text(xmlNodePtr n, bs_buf *b)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_el(c, "rPh") || is_el(c, "phoneticPr")) {
            continue;
        }
        if (is_el(c, "t")) {
            // One t at a time: an escape does not run across two.
            bs_buf t = {0};
            xmlu_text(c, &t);
            put_xstring(b, t.s ? t.s : "");
            bs_buf_free(&t);
        } else if (c->type == XML_ELEMENT_NODE) {
            si_text(c, b);
        }
    }
}

/* The length of UTF-8 text `s` as Excel counts it, in UTF-16 code units (a
 * character beyond the BMP is two), counted up to `max` + 1. */
static size_t utf16_units(const char *s, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n <= max; p++) {
        if ((*p & 0xC0) != 0x80) {
            n += *p >= 0xF0 ? 2 : 1;
        }
    }
    return n;
}

static int load_strings(bs_xlsx *x, bs_err *err)
{
    if (x->strings_loaded) {
        return BS_OK;
    }
    x->strings_loaded = true;
    xmlDocPtr d = NULL;
    int rc = read_xml(x, "xl/sharedStrings.xml", &d, err);
    if (rc == BS_ENOTFOUND) {
        bs_err_clear(err);
        return BS_OK;
    }
    if (rc != BS_OK) {
        return rc;
    }
    size_t cap = 0;
    for (xmlNodePtr si = xmlDocGetRootElement(d)->children; si && rc == BS_OK; si = si->next) {
        if (!is_el(si, "si")) {
            continue;
        }
        if (x->nstrings == MAX_STRINGS) {
            rc = bs_err_set(err, BS_EINPUT, _("%s: more than %d shared strings"), x->path,
                            MAX_STRINGS);
            break;
        }
        bs_buf b = {0};
        si_text(si, &b);
        if (x->nstrings == cap) {
            cap = cap ? cap * 2 : 256;
            x->strings = xrealloc(x->strings, cap * sizeof *x->strings);
            x->units = xrealloc(x->units, cap * sizeof *x->units);
        }
        // Counted once here, not for every cell that uses the string.
        x->strings[x->nstrings] = bs_buf_take(&b);
        x->units[x->nstrings] = (uint16_t)utf16_units(x->strings[x->nstrings], MAX_CELL_TEXT);
        x->nstrings++;
    }
    xmlFreeDoc(d);
    return rc;
}

/* Parses "BC12" into 0-based indexes; false on anything else. */
static bool parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    uint32_t c = 0, r = 0;
    const char *p = s;
    while (*p >= 'A' && *p <= 'Z') {
        c = c * 26 + (uint32_t)(*p - 'A' + 1);
        if (c > 16384) {
            return false;
        }
        p++;
    }
    if (p == s || !*p) {
        return false;
    }
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (uint32_t)(*p - '0');
        if (r > 1048576) {
            return false;
        }
        p++;
    }
    if (*p || r == 0) {
        return false;
    }
    *row = r - 1;
    *col = c - 1;
    return true;
}

void xlsxr_cell_name(uint32_t row, uint32_t col, char *buf)
{
    char letters[8];
    int n = 0;
    uint32_t c = col + 1;
    while (c > 0 && n < 7) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int k = 0;
    while (n > 0) {
        buf[k++] = letters[--n];
    }
    snprintf(buf + k, 12, "%u", row + 1);
}

static int cmp_cell(const void *a, const void *b)
{
    const bs_cell *x = a, *y = b;
    if (x->row != y->row) {
        return x->row < y->row ? -1 : 1;
    }
    return x->col < y->col ? -1 : x->col > y->col;
}

/* A sheet being read: its grid so far and what bounds it. */
typedef struct sheet_read {
    bs_xlsx *x;
    const char *sheet; /* the sheet's name, for messages (lent) */
    const char *label; /* "file!part" of its XML, for messages (lent) */
    bs_grid *g;        /* the cells so far (lent) */
    size_t cap;        /* cells allocated in g */
    size_t text;       /* bytes of text held by g's cells */
} sheet_read;

_Static_assert(MAX_CELL_TEXT == 32767 && MAX_SHEET_TEXT == 256 << 20 && MAX_FILL == 100000,
               "the messages below spell the limits out");

static void grid_add(sheet_read *sr, bs_cell c)
{
    bs_grid *g = sr->g;
    if (g->n == sr->cap) {
        sr->cap = sr->cap ? sr->cap * 2 : 1024;
        g->cells = xrealloc(g->cells, sr->cap * sizeof *g->cells);
    }
    g->cells[g->n++] = c;
    sr->text += c.text ? strlen(c.text) + 1 : 0;
    if (c.row > g->max_row) {
        g->max_row = c.row;
    }
    if (c.col > g->max_col) {
        g->max_col = c.col;
    }
}

/* The error for a cell whose text Excel could not hold. */
static int too_long(const sheet_read *sr, uint32_t row, uint32_t col, bs_err *err)
{
    char name[16];
    xlsxr_cell_name(row, col, name);
    return bs_err_set(err, BS_EINPUT,
                      _("%s: %s!%s: the text is longer than Excel's limit of 32,767 characters"),
                      sr->x->path, sr->sheet, name);
}

/* Turns one cell's type attribute and text into a grid cell (none for an
 * empty cell). A text longer than Excel allows in a cell is refused: no
 * spreadsheet application made it, and no worksheet could be written with
 * it again. */
static int add_cell(sheet_read *sr, uint32_t row, uint32_t col, const char *t, bs_buf *text,
                    bool have, bs_err *err)
{
    bs_xlsx *x = sr->x;
    bs_cell c = {.row = row, .col = col};
    const char *tt = t ? t : "n";
    if (!have) {
        return BS_OK; // formatting only
    }
    if (text->s && utf16_units(text->s, MAX_CELL_TEXT) > MAX_CELL_TEXT) {
        return too_long(sr, row, col, err);
    }
    if (strcmp(tt, "s") == 0) {
        int64_t idx;
        int rc = load_strings(x, err);
        if (rc == BS_OK && (!text->s || !bs_parse_int(text->s, &idx) || idx < 0 ||
                            (size_t)idx >= x->nstrings)) {
            char name[16];
            xlsxr_cell_name(row, col, name);
            rc = bs_err_set(err, BS_ECORRUPT, _("%s: %s refers to a missing shared string"),
                            x->path, name);
        }
        if (rc == BS_OK && x->units[idx] > MAX_CELL_TEXT) {
            rc = too_long(sr, row, col, err);
        }
        if (rc != BS_OK) {
            return rc;
        }
        c.type = XC_STR;
        c.text = xstrdup(x->strings[idx]);
    } else if (strcmp(tt, "inlineStr") == 0 || strcmp(tt, "str") == 0 || strcmp(tt, "d") == 0) {
        c.type = XC_STR;
        c.text = xstrdup(text->s ? text->s : "");
    } else if (strcmp(tt, "b") == 0) {
        c.type = XC_BOOL;
        c.num = text->s && strcmp(text->s, "1") == 0;
        c.text = xstrdup(c.num ? "TRUE" : "FALSE");
    } else if (strcmp(tt, "e") == 0) {
        c.type = XC_ERR;
        c.text = xstrdup(text->s ? text->s : "");
    } else {
        char *end = NULL;
        const char *s = text->s ? text->s : "";
        double d = strtod(s, &end);
        if (!*s || !end || *end || !isfinite(d)) {
            return BS_OK; // not a number: nothing to read
        }
        c.type = XC_NUM;
        c.num = d;
        c.text = xstrdup(s);
    }
    if (sr->g->n >= MAX_CELLS) {
        free(c.text);
        return bs_err_set(err, BS_EINPUT, _("%s: more than %d cells in one sheet"), x->path,
                          MAX_CELLS);
    }
    // A shared string is held once in the file and once per cell here.
    if (sr->text + strlen(c.text) + 1 > MAX_SHEET_TEXT) {
        free(c.text);
        return bs_err_set(err, BS_EINPUT, _("%s: %s: more than 256 MiB of text in one sheet"),
                          x->path, sr->sheet);
    }
    grid_add(sr, c);
    return BS_OK;
}

static char *reader_attr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* Reads the cells of a sheet part as a stream: a 10,000-row sheet is never
 * held as a tree. Merged ranges are collected in `merges` (strings). */
static int read_cells(sheet_read *sr, const char *data, size_t len, bs_value *merges, bs_err *err)
{
    const char *label = sr->label;
    if (xmlu_has_doctype(data, len)) {
        return bs_err_set(err, BS_EINPUT, _("%s: a document type declaration is not allowed"),
                          label);
    }
    xmlTextReaderPtr r = xmlReaderForMemory(data, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    if (!r) {
        return bs_err_set(err, BS_ENOMEM, _("%s: cannot read the sheet"), label);
    }
    // libxml2's errors are kept, not printed: some it prints whatever the
    // options say, with bytes of the sheet.
    xmlu_fault fault = {0};
    xmlTextReaderSetStructuredErrorHandler(r, xmlu_fault_catch, &fault);
    int rc = BS_OK, ret;
    uint32_t row = 0, col = 0;
    bool first_row = true, first_col = true, in_cell = false, have = false;
    char *t = NULL;
    bs_buf text = {0};
    // After a fault the reader goes on giving the nodes it has, cut short:
    // the loop stops at once, in the cell where it happened.
    while (rc == BS_OK && (ret = xmlTextReaderRead(r)) == 1 && !fault.set) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            rc = bs_err_set(err, BS_EINPUT, _("%s: a document type declaration is not allowed"),
                            label);
        } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "row") == 0) {
            char *rs = reader_attr(r, "r");
            int64_t rv;
            if (rs && bs_parse_int(rs, &rv) && rv >= 1 && rv <= 1048576) {
                row = (uint32_t)(rv - 1);
            } else if (!first_row) {
                row++;
            }
            free(rs);
            first_row = false;
            first_col = true;
            col = 0;
        } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "c") == 0) {
            char *ref = reader_attr(r, "r");
            uint32_t rr, cc;
            if (ref && parse_ref(ref, &rr, &cc)) {
                col = cc;
            } else if (!first_col) {
                col++;
            }
            first_col = false;
            free(ref);
            free(t);
            t = reader_attr(r, "t");
            text.len = 0;
            if (text.s) {
                text.s[0] = '\0';
            }
            have = false;
            in_cell = !xmlTextReaderIsEmptyElement(r);
        } else if (in_cell && type == XML_READER_TYPE_ELEMENT && strcmp(name, "v") == 0) {
            xmlChar *v = xmlTextReaderReadString(r);
            bs_buf_puts(&text, v ? (const char *)v : "");
            xmlFree(v);
            have = true;
        } else if (in_cell && type == XML_READER_TYPE_ELEMENT && strcmp(name, "is") == 0) {
            xmlNodePtr is = xmlTextReaderExpand(r);
            if (is) {
                si_text(is, &text);
            }
            have = true;
        } else if (in_cell && type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "c") == 0) {
            rc = add_cell(sr, row, col, t, &text, have, err);
            in_cell = false;
        } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "mergeCell") == 0) {
            char *ref = reader_attr(r, "ref");
            if (ref && value_len(merges) == MAX_MERGES) {
                rc = bs_err_set(err, BS_EINPUT, _("%s: %s: more than %d merged ranges"),
                                sr->x->path, sr->sheet, MAX_MERGES);
            } else if (ref) {
                value_push(merges, value_str(ref));
            }
            free(ref);
        }
    }
    if (rc == BS_OK && (ret != 0 || fault.set)) {
        if (fault.huge_text && in_cell) {
            // Ten million bytes in a cell are more than Excel's limit too.
            rc = too_long(sr, row, col, err);
        } else {
            char what[400];
            xmlu_fault_describe(&fault, what, sizeof what);
            rc = bs_err_set(err, BS_ECORRUPT, "%s: %s", label, what);
        }
    }
    free(t);
    bs_buf_free(&text);
    xmlFreeTextReader(r);
    return rc;
}

/* Repeats the first cell of each merged range over the range. What that
 * adds is counted before a cell is added: a range counts as far as the
 * sheet's cells reach, and once the ranges together would add more than
 * MAX_FILL cells, or more text than a sheet may hold, the sheet is refused
 * at that range. The work is then one step per range plus the cells added,
 * whatever the ranges claim. */
static int fill_merged(sheet_read *sr, const bs_value *merges, bs_err *err)
{
    bs_grid *g = sr->g;
    const size_t n0 = g->n; // the cells read; copies go after them
    const uint32_t max_row = g->max_row, max_col = g->max_col;
    uint64_t added = 0;
    int rc = BS_OK;
    for (size_t m = 0; m < value_len(merges) && rc == BS_OK; m++) {
        const char *range = value_as_str(value_at(merges, m));
        char *ref = xstrdup(range);
        char *colon = strchr(ref, ':');
        uint32_t r1, c1, r2, c2;
        if (colon) {
            *colon = '\0';
        }
        bool ok = colon && parse_ref(ref, &r1, &c1) && parse_ref(colon + 1, &r2, &c2) &&
                  r1 <= r2 && c1 <= c2;
        free(ref);
        const bs_cell *top = ok ? xlsxr_cell(&(bs_grid){g->cells, n0, 0, 0}, r1, c1) : NULL;
        if (!top) {
            continue; // nothing to repeat
        }
        // The first cell is one of the cells read, so r1 <= max_row and
        // c1 <= max_col.
        r2 = r2 < max_row ? r2 : max_row;
        c2 = c2 < max_col ? c2 : max_col;
        uint64_t area = (uint64_t)(r2 - r1 + 1) * (c2 - c1 + 1) - 1;
        uint64_t bytes = area * (top->text ? strlen(top->text) + 1 : 0);
        if (added + area > MAX_FILL) {
            rc = bs_err_set(err, BS_EINPUT,
                            _("%s: %s!%s: too many merged cells (more than 100000 in one sheet)"),
                            sr->x->path, sr->sheet, range);
            break;
        }
        if (sr->text + bytes > MAX_SHEET_TEXT) {
            rc = bs_err_set(err, BS_EINPUT,
                            _("%s: %s!%s: too much text in merged cells (more than 256 MiB in one "
                              "sheet)"),
                            sr->x->path, sr->sheet, range);
            break;
        }
        added += area;
        // A copy of the cell, not a pointer: adding cells moves them. Its
        // text lives apart from the array and stays put.
        const bs_cell first = *top;
        for (uint32_t r = r1; r <= r2; r++) {
            for (uint32_t c = c1; c <= c2; c++) {
                if (r == r1 && c == c1) {
                    continue;
                }
                bs_cell copy = first;
                copy.row = r;
                copy.col = c;
                copy.text = first.text ? xstrdup(first.text) : NULL;
                grid_add(sr, copy);
            }
        }
    }
    return rc;
}

int xlsxr_read_sheet(bs_xlsx *x, const char *name, bs_grid **out, bs_err *err)
{
    const char *target = NULL;
    for (size_t i = 0; i < value_len(x->sheets); i++) {
        if (strcmp(value_as_str(value_at(x->sheets, i)), name) == 0) {
            target = value_as_str(value_at(x->targets, i));
        }
    }
    if (!target) {
        return bs_err_set(err, BS_ENOTFOUND, _("%s: no sheet '%s'"), x->path, name);
    }
    long idx = zipio_find(x->zip, target);
    if (idx < 0) {
        return bs_err_set(err, BS_ECORRUPT, _("%s: no %s"), x->path, target);
    }
    char *data = NULL;
    size_t len = 0;
    int rc = zipio_read(x->zip, (size_t)idx, &data, &len, err);
    if (rc != BS_OK) {
        return rc;
    }
    char *label = xasprintf("%s!%s", x->path, target);
    bs_grid *g = xcalloc(1, sizeof *g);
    sheet_read sr = {.x = x, .sheet = name, .label = label, .g = g};
    bs_value *merges = value_list();
    rc = read_cells(&sr, data, len, merges, err);
    free(data);
    if (rc == BS_OK && g->n > 0) {
        qsort(g->cells, g->n, sizeof *g->cells, cmp_cell);
        rc = fill_merged(&sr, merges, err);
        qsort(g->cells, g->n, sizeof *g->cells, cmp_cell);
    }
    free(label);
    value_free(merges);
    if (rc != BS_OK) {
        xlsxr_grid_free(g);
        return rc;
    }
    *out = g;
    return BS_OK;
}

void xlsxr_grid_free(bs_grid *g)
{
    if (!g) {
        return;
    }
    for (size_t i = 0; i < g->n; i++) {
        free(g->cells[i].text);
    }
    free(g->cells);
    free(g);
}

const bs_cell *xlsxr_cell(const bs_grid *g, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const bs_cell *c = &g->cells[mid];
        if (c->row < row || (c->row == row && c->col < col)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < g->n && g->cells[lo].row == row && g->cells[lo].col == col ? &g->cells[lo] : NULL;
}

bool xlsxr_serial_date(double serial, bool date1904, char *buf)
{
    // The 1900 system: serial 1 is 1900-01-01, and it counts a 1900-02-29
    // that never was, so serials from 61 on are one day ahead. The 1904
    // system: serial 0 is 1904-01-01 (serial 1462 of the 1900 system).
    if (!isfinite(serial) || serial < (date1904 ? 0 : 1) || serial > 2958465) {
        return false;
    }
    long days = (long)floor(serial) + (date1904 ? 1462 : 0);
    if (days >= 61) {
        days -= 1;
    }
    bs_days_date(days - 25568, buf); // day 0 of the 1900 system is 1899-12-31
    return true;
}
