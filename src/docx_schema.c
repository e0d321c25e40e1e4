/* docx_schema: WordprocessingML as Word's own validator (the Open XML SDK)
 * takes it. Word writers, LibreOffice among them, put property elements out
 * of the schema's order (w:sectPr first in a w:pPr, w:pStyle after
 * w:numFmt in a w:lvl), write one twice (<w:b/><w:b/>) or write "true"
 * where the schema allows only on and off (w:cantSplit, w:tblHeader). Word
 * opens most of that, the validator refuses it, and some versions of Word
 * call the file damaged. A template is normalised once, when it is
 * compiled: every part's property elements are put in schema order, a
 * repeated one keeps its last occurrence (what a reader that applies them
 * in turn ends with), and an on/off-only value is written as the schema
 * spells it. The renderer's own elements are written in order already. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <zip.h>

#include "docx_int.h"
#include "xmlu.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

/* The children of one element type in the order of its schema sequence
 * (ECMA-376 transitional, as the Open XML SDK validates it); names listed
 * with a leading '*' may occur more than once. */
typedef struct order {
    const char *parent;
    const char *const *children;
} order;

static const char *const PPR[] = {
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange", NULL};

static const char *const RPR[] = {
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
    "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath", "rPrChange", NULL};

static const char *const LVL[] = {"start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff",
                                  "lvlText", "lvlPicBulletId", "legacy", "lvlJc", "pPr", "rPr",
                                  NULL};

static const char *const ABSTRACTNUM[] = {"nsid", "multiLevelType", "tmpl", "name", "styleLink",
                                          "numStyleLink", "*lvl", NULL};

static const char *const NUMBERING[] = {"*numPicBullet", "*abstractNum", "*num",
                                        "numIdMacAtCleanup", NULL};

static const char *const TBLPR[] = {
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange", NULL};

static const char *const TCPR[] = {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders",
                                   "shd", "noWrap", "tcMar", "textDirection", "tcFitText",
                                   "vAlign", "hideMark", "headers", "cellIns", "cellDel",
                                   "cellMerge", "tcPrChange", NULL};

static const char *const SECTPR[] = {
    "*headerReference", "*footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    NULL};

static const char *const STYLE[] = {
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "*tblStylePr", NULL};

static const char *const BORDERS[] = {"top", "left", "start", "bottom", "right", "end", "insideH",
                                      "insideV", "tl2br", "tr2bl", NULL};

static const char *const PBDR[] = {"top", "left", "bottom", "right", "between", "bar", NULL};

static const order ORDERS[] = {
    {"pPr", PPR},       {"rPr", RPR},         {"lvl", LVL},         {"abstractNum", ABSTRACTNUM},
    {"numbering", NUMBERING}, {"tblPr", TBLPR}, {"tcPr", TCPR},     {"sectPr", SECTPR},
    {"style", STYLE},   {"tblBorders", BORDERS}, {"tcBorders", BORDERS}, {"pBdr", PBDR},
};

/* Elements whose w:val is ST_OnOffOnly in the validator's schema: "on" or
 * "off", where the other on/off properties also take true, false, 1 and 0. */
static const char *const ON_OFF_ONLY[] = {"cantSplit", "tblHeader", "noWrap", "tcFitText",
                                          "hideMark", NULL};

static bool in_w(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, W_NS) == 0;
}

/* The place of `name` in `list` (0-based), or -1; *many when it repeats. */
static int rank_of(const char *const *list, const char *name, bool *many)
{
    for (int i = 0; list[i]; i++) {
        const char *s = list[i][0] == '*' ? list[i] + 1 : list[i];
        if (strcmp(s, name) == 0) {
            *many = list[i][0] == '*';
            return i;
        }
    }
    return -1;
}

/* An on/off-only value as the schema spells it: on is the element alone. */
static bool fix_on_off(xmlNodePtr n)
{
    bool hit = false;
    for (int i = 0; ON_OFF_ONLY[i] && !hit; i++) {
        hit = strcmp((const char *)n->name, ON_OFF_ONLY[i]) == 0;
    }
    xmlAttrPtr a = hit ? xmlHasNsProp(n, (const xmlChar *)"val", (const xmlChar *)W_NS) : NULL;
    if (!a) {
        return false;
    }
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    const char *s = v ? (const char *)v : "";
    bool changed = false;
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcmp(s, "on") == 0) {
        xmlRemoveProp(a);
        changed = true;
    } else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
        xmlSetNsProp(n, a->ns, (const xmlChar *)"val", (const xmlChar *)"off");
        changed = true;
    }
    xmlFree(v);
    return changed;
}

/* Puts the children of `n` in the order of `list`: a child the list does
 * not name (another namespace's extension, a comment) stays behind the one
 * it follows. Of a repeated element that may occur once, the last stays. */
static bool sort_children(xmlNodePtr n, const char *const *list)
{
    size_t count = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        count++;
    }
    if (count < 2) {
        return false;
    }
    xmlNodePtr *v = xmalloc(count * sizeof *v);
    int *rank = xmalloc(count * sizeof *rank);
    size_t k = 0;
    int last = -1;
    bool changed = false;
    for (xmlNodePtr c = n->children; c;) {
        xmlNodePtr next = c->next;
        bool many = false;
        int r = in_w(c) ? rank_of(list, (const char *)c->name, &many) : -1;
        if (r >= 0 && !many) {
            // A later one of the same name replaces this one.
            bool again = false;
            for (xmlNodePtr d = next; d && !again; d = d->next) {
                again = in_w(d) && strcmp((const char *)d->name, (const char *)c->name) == 0;
            }
            if (again) {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
                changed = true;
                c = next;
                continue;
            }
        }
        last = r >= 0 ? r : last;
        v[k] = c;
        rank[k++] = last;
        c = next;
    }
    // A stable insertion sort: the lists are short.
    for (size_t i = 1; i < k; i++) {
        xmlNodePtr x = v[i];
        int rx = rank[i];
        size_t j = i;
        while (j > 0 && rank[j - 1] > rx) {
            v[j] = v[j - 1];
            rank[j] = rank[j - 1];
            j--;
        }
        if (j != i) {
            v[j] = x;
            rank[j] = rx;
            changed = true;
        }
    }
    if (changed) {
        for (size_t i = 0; i < k; i++) {
            xmlUnlinkNode(v[i]);
            xmlAddChild(n, v[i]);
        }
    }
    free(v);
    free(rank);
    return changed;
}

static bool normalise_node(xmlNodePtr n)
{
    bool changed = false;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            changed |= normalise_node(c);
        }
    }
    if (!in_w(n)) {
        return changed;
    }
    changed |= fix_on_off(n);
    for (size_t i = 0; i < sizeof ORDERS / sizeof *ORDERS; i++) {
        if (strcmp((const char *)n->name, ORDERS[i].parent) == 0) {
            changed |= sort_children(n, ORDERS[i].children);
            break;
        }
    }
    return changed;
}

bool docx_schema_normalise(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    return root && normalise_node(root);
}

/* --- a template file normalised as a whole ------------------------------- */

/* The time of every entry docx_normalise_file writes: 1980-01-01 00:00, the
 * first a zip can hold, in MS-DOS form (time, date), so that the same input
 * gives the same bytes wherever and whenever it runs. */
enum { FIXED_DOSTIME = 0, FIXED_DOSDATE = (0 << 9) | (1 << 5) | 1 };

int docx_normalise_file(const char *in, const char *out, bs_err *err)
{
    bs_zip *src = NULL;
    int rc = zipio_open_file(in, &src, err);
    if (rc != BS_OK) {
        return rc;
    }
    zip_source_t *mem = NULL;
    zip_t *za = zipio_new_mem(out, &mem, err);
    if (!za) {
        rc = err->code;
    }
    for (size_t i = 0; rc == BS_OK && i < zipio_count(src); i++) {
        const char *name = zipio_name(src, i);
        char *data = NULL;
        size_t len = 0;
        rc = zipio_read(src, i, &data, &len, err);
        size_t n = strlen(name);
        bool xml = (n > 4 && strcmp(name + n - 4, ".xml") == 0) ||
                   (n > 5 && strcmp(name + n - 5, ".rels") == 0);
        xmlDocPtr doc = NULL;
        if (rc == BS_OK && xml) {
            char *label = xasprintf("%s!%s", in, name);
            rc = xmlu_parse(data, len, label, &doc, err);
            free(label);
        }
        if (rc == BS_OK && doc && docx_schema_normalise(doc)) {
            free(data);
            data = NULL;
            rc = xmlu_write(doc, &data, &len, err);
        }
        xmlFreeDoc(doc);
        zip_source_t *s = rc == BS_OK ? zip_source_buffer(za, data, len, 1) : NULL;
        if (rc == BS_OK && !s) {
            rc = bs_err_set(err, BS_EIO, "%s: %s", out, zip_strerror(za));
        }
        if (!s) {
            free(data);
            break;
        }
        zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(s);
            rc = bs_err_set(err, BS_EIO, "%s: %s", out, zip_strerror(za));
            break;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
        zip_file_set_dostime(za, (zip_uint64_t)idx, FIXED_DOSTIME, FIXED_DOSDATE, 0);
    }
    rc = zipio_finish_mem(za, mem, rc, out, NULL, err);
    zipio_close(src);
    return rc;
}
