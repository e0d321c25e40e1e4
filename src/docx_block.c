/* docx_block: what the block tags of a template write (docx_int.h): the
 * table of {{%table x}} as a w:tbl, and the chart of {{%chart x}} as a
 * native Word chart — a DrawingML chart part with the values cached in
 * it, the small workbook Word opens to edit them, and the paragraph that
 * shows it. Values only; every element in the schema's order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "docx_int.h"
#include "i18n.h"
#include "zipio.h"

enum { MAX_COLUMNS = 63, MAX_SERIES = 16, MAX_POINTS = 500 };

/* The text width of an A4 page with the templates' margins, in twips. */
enum { TEXT_WIDTH = 9638 };

/* The look of the templates' own tables (templates/common/src). */
#define BORDER_COLOR "8497B0"
#define HEADER_FILL "DCE6F1"
#define TOTAL_FILL "F2F2F2"

/* Series colours, in order. */
static const char *const PALETTE[] = {"4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47",
                                      "264478", "9E480E", "636363", "997300", "255E91", "43682B",
                                      "698ED0", "F1975A", "B7B7B7", "FFCD33"};

/* The text of a cell: a scalar as text, anything else empty. */
static void cell_text(const bs_value *v, bs_buf *b)
{
    b->len = 0;
    if (b->s) {
        b->s[0] = '\0';
    }
    if (value_type(v) == BS_VSTR) {
        bs_buf_add(b, value_as_str(v), value_str_len(v));
    } else if (value_type(v) == BS_VINT || value_type(v) == BS_VNUM || value_type(v) == BS_VBOOL) {
        char t[64];
        value_scalar_text(v, t, sizeof t);
        bs_buf_puts(b, t);
    }
}

/* Appends "<w:NAME" with the part's prefix. */
static void open_el(bs_buf *o, const char *pfx, size_t pl, const char *name)
{
    bs_buf_puts(o, "<");
    if (pl) {
        bs_buf_add(o, pfx, pl);
        bs_buf_puts(o, ":");
    }
    bs_buf_puts(o, name);
}

static void close_el(bs_buf *o, const char *pfx, size_t pl, const char *name)
{
    bs_buf_puts(o, "</");
    if (pl) {
        bs_buf_add(o, pfx, pl);
        bs_buf_puts(o, ":");
    }
    bs_buf_puts(o, name);
    bs_buf_puts(o, ">");
}

/* `fmt` with every "w:" as the part's prefix (or none). */
static void put_w(bs_buf *o, const char *pfx, size_t pl, const char *xml)
{
    for (const char *p = xml; *p;) {
        const char *w = strstr(p, "w:");
        size_t n = w ? (size_t)(w - p) : strlen(p);
        bs_buf_add(o, p, n);
        if (!w) {
            break;
        }
        // Only an element's name or an attribute's takes the prefix.
        bool name = w > xml && (w[-1] == '<' || w[-1] == '/' || w[-1] == ' ');
        if (name) {
            if (pl) {
                bs_buf_add(o, pfx, pl);
                bs_buf_puts(o, ":");
            }
        } else {
            bs_buf_puts(o, "w:");
        }
        p = w + 2;
    }
}

bool docx_table_value(const bs_value *v, const char **why)
{
    const bs_value *cols = value_get(v, "columns"), *rows = value_get(v, "rows");
    if (value_type(v) != BS_VMAP || value_type(cols) != BS_VLIST || value_len(cols) == 0 ||
        value_len(cols) > MAX_COLUMNS) {
        *why = _("is not a table (columns: a list of 1 to 63 headers)");
        return false;
    }
    if (rows && value_type(rows) != BS_VLIST) {
        *why = _("is not a table (rows: a list of rows)");
        return false;
    }
    for (size_t i = 0; i < value_len(rows); i++) {
        if (value_type(value_at(rows, i)) != BS_VLIST) {
            *why = _("is not a table (each row: a list of cells)");
            return false;
        }
    }
    return true;
}

/* One row of cells: `cells` a list (missing cells empty), shaded `fill`
 * (or none), bold, repeated as the header on every page. */
static void table_row(bs_buf *o, const char *pfx, size_t pl, const bs_value *cols,
                      const bs_value *cells, const char *fill, bool bold, bool header, bs_buf *t)
{
    open_el(o, pfx, pl, "tr>");
    if (header) {
        put_w(o, pfx, pl, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    } else {
        put_w(o, pfx, pl, "<w:trPr><w:cantSplit/></w:trPr>");
    }
    for (size_t c = 0; c < value_len(cols); c++) {
        const bs_value *col = value_at(cols, c);
        const char *align = header ? "center" : value_get_str(col, "align");
        open_el(o, pfx, pl, "tc>");
        put_w(o, pfx, pl, "<w:tcPr>");
        if (fill) {
            put_w(o, pfx, pl, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"");
            bs_buf_puts(o, fill);
            bs_buf_puts(o, "\"/>");
        }
        put_w(o, pfx, pl, "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:spacing w:before=\"0\" "
                          "w:after=\"0\" w:line=\"260\" w:lineRule=\"auto\"/>");
        if (align && (strcmp(align, "right") == 0 || strcmp(align, "center") == 0)) {
            put_w(o, pfx, pl, "<w:jc w:val=\"");
            bs_buf_puts(o, strcmp(align, "right") == 0 ? "right" : "center");
            bs_buf_puts(o, "\"/>");
        }
        put_w(o, pfx, pl, "</w:pPr>");
        cell_text(value_at(cells, c), t);
        if (t->len) {
            put_w(o, pfx, pl, bold ? "<w:r><w:rPr><w:b/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>"
                                   : "<w:r><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>");
            char *clean = docx_xml_clean(t->s);
            open_el(o, pfx, pl, "t xml:space=\"preserve\">");
            docx_escape(o, clean, strlen(clean), false);
            free(clean);
            close_el(o, pfx, pl, "t");
            close_el(o, pfx, pl, "r");
        }
        close_el(o, pfx, pl, "p");
        close_el(o, pfx, pl, "tc");
    }
    close_el(o, pfx, pl, "tr");
}

void docx_table_xml(bs_buf *o, const bs_value *v, const char *pfx, size_t pl)
{
    const bs_value *cols = value_get(v, "columns"), *rows = value_get(v, "rows");
    size_t n = value_len(cols);
    double sum = 0;
    for (size_t c = 0; c < n; c++) {
        double w = value_as_num(value_get(value_at(cols, c), "width"));
        sum += w > 0 ? w : 10;
    }
    open_el(o, pfx, pl, "tbl>");
    put_w(o, pfx, pl,
          "<w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>"
          "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"" BORDER_COLOR "\"/>"
          "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>"
          "<w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/>"
          "</w:tblCellMar><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" "
          "w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr>");
    put_w(o, pfx, pl, "<w:tblGrid>");
    for (size_t c = 0; c < n; c++) {
        double w = value_as_num(value_get(value_at(cols, c), "width"));
        bs_buf_printf(o, "<%.*s%sgridCol %.*s%sw=\"%d\"/>", (int)pl, pfx, pl ? ":" : "", (int)pl,
                      pfx, pl ? ":" : "", (int)lround(TEXT_WIDTH * (w > 0 ? w : 10) / sum));
    }
    put_w(o, pfx, pl, "</w:tblGrid>");
    bs_buf t = {0};
    bs_value *heads = value_list();
    for (size_t c = 0; c < n; c++) {
        const bs_value *h = value_get(value_at(cols, c), "header");
        value_push(heads, h ? value_copy(h) : value_str(""));
    }
    table_row(o, pfx, pl, cols, heads, HEADER_FILL, true, true, &t);
    value_free(heads);
    for (size_t i = 0; i < value_len(rows); i++) {
        table_row(o, pfx, pl, cols, value_at(rows, i), NULL, false, false, &t);
    }
    const bs_value *total = value_get(v, "total");
    if (value_type(total) == BS_VLIST) {
        table_row(o, pfx, pl, cols, total, TOTAL_FILL, true, false, &t);
    }
    if (value_len(rows) == 0 && value_type(total) != BS_VLIST) {
        // Nothing to list: one row across the table says so.
        open_el(o, pfx, pl, "tr>");
        open_el(o, pfx, pl, "tc>");
        bs_buf_printf(o, "<%.*s%stcPr><%.*s%sgridSpan %.*s%sval=\"%zu\"/></%.*s%stcPr>", (int)pl, pfx,
                      pl ? ":" : "", (int)pl, pfx, pl ? ":" : "", (int)pl, pfx, pl ? ":" : "", n,
                      (int)pl, pfx, pl ? ":" : "");
        put_w(o, pfx, pl, "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"18\"/>"
                          "<w:szCs w:val=\"18\"/></w:rPr>");
        const char *empty = value_get_str(v, "empty");
        open_el(o, pfx, pl, "t xml:space=\"preserve\">");
        char *clean = docx_xml_clean(empty ? empty : "—");
        docx_escape(o, clean, strlen(clean), false);
        free(clean);
        close_el(o, pfx, pl, "t");
        put_w(o, pfx, pl, "</w:r></w:p>");
        close_el(o, pfx, pl, "tc");
        close_el(o, pfx, pl, "tr");
    }
    bs_buf_free(&t);
    close_el(o, pfx, pl, "tbl");
}

/* --- charts ------------------------------------------------------------------------ */

static const char *chart_kind(const bs_value *v)
{
    static const char *const kinds[] = {"bar", "column", "pie", "radar", NULL};
    const char *k = value_get_str(v, "type");
    for (const char *const *p = kinds; k && *p; p++) {
        if (strcmp(k, *p) == 0) {
            return *p;
        }
    }
    return NULL;
}

bool docx_chart_value(const bs_value *v, const char **why)
{
    const bs_value *cats = value_get(v, "categories"), *series = value_get(v, "series");
    if (value_type(v) != BS_VMAP || !chart_kind(v)) {
        *why = _("is not a chart (type: bar, column, pie or radar)");
        return false;
    }
    if (value_type(cats) != BS_VLIST || value_len(cats) == 0 || value_len(cats) > MAX_POINTS) {
        *why = _("is not a chart (categories: a list of 1 to 500 labels)");
        return false;
    }
    if (value_type(series) != BS_VLIST || value_len(series) == 0 ||
        value_len(series) > MAX_SERIES) {
        *why = _("is not a chart (series: a list of 1 to 16 series)");
        return false;
    }
    for (size_t i = 0; i < value_len(series); i++) {
        const bs_value *vals = value_get(value_at(series, i), "values");
        if (value_type(vals) != BS_VLIST || value_len(vals) != value_len(cats)) {
            *why = _("is not a chart (each series: values, one number per category)");
            return false;
        }
        for (size_t k = 0; k < value_len(vals); k++) {
            bs_vtype t = value_type(value_at(vals, k));
            if (t != BS_VINT && t != BS_VNUM && t != BS_VNULL) {
                *why = _("is not a chart (each series: values, one number per category)");
                return false;
            }
        }
    }
    return true;
}

/* "A", "B", … "Z", "AA": the column letters of 0-based index c. */
static void col_name(size_t c, char out[4])
{
    if (c < 26) {
        snprintf(out, 4, "%c", (char)('A' + c));
    } else {
        snprintf(out, 4, "%c%c", (char)('A' + c / 26 - 1), (char)('A' + c % 26));
    }
}

static void put_text(bs_buf *o, const char *s)
{
    char *clean = docx_xml_clean(s ? s : "");
    docx_escape(o, clean, strlen(clean), false);
    free(clean);
}

static void put_num(bs_buf *o, const bs_value *v)
{
    char t[64];
    value_scalar_text(v, t, sizeof t);
    bs_buf_puts(o, t);
}

/* The font of every text of a chart: the templates' Japanese font. */
#define CHART_FONT "<a:latin typeface=\"游ゴシック\"/><a:ea typeface=\"游ゴシック\"/>"

static void text_props(bs_buf *o, int size, bool bold)
{
    bs_buf_printf(o, "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"%d\" b=\"%d\">"
                     CHART_FONT "</a:defRPr></a:pPr><a:endParaRPr lang=\"ja-JP\"/></a:p></c:txPr>",
                  size, bold);
}

/* A series' name, and its categories and values, referring to the embedded
 * sheet (the names in row 1, the categories in column A). */
static void series_name(bs_buf *o, const bs_value *s, size_t i)
{
    char col[4];
    col_name(i + 1, col);
    bs_buf_printf(o, "<c:tx><c:strRef><c:f>Sheet1!$%s$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
                     "<c:pt idx=\"0\"><c:v>", col);
    put_text(o, value_get_str(s, "name"));
    bs_buf_puts(o, "</c:v></c:pt></c:strCache></c:strRef></c:tx>");
}

static void series_values(bs_buf *o, const bs_value *cats, const bs_value *s, size_t i)
{
    size_t n = value_len(cats);
    char col[4];
    col_name(i + 1, col);
    bs_buf_printf(o, "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$%zu</c:f><c:strCache><c:ptCount val=\"%zu\"/>",
                  n + 1, n);
    for (size_t k = 0; k < n; k++) {
        bs_buf_printf(o, "<c:pt idx=\"%zu\"><c:v>", k);
        bs_buf t = {0};
        cell_text(value_at(cats, k), &t);
        put_text(o, t.s);
        bs_buf_free(&t);
        bs_buf_puts(o, "</c:v></c:pt>");
    }
    bs_buf_printf(o, "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$%s$2:$%s$%zu</c:f>"
                     "<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"%zu\"/>",
                  col, col, n + 1, n);
    const bs_value *vals = value_get(s, "values");
    for (size_t k = 0; k < n; k++) {
        const bs_value *x = value_at(vals, k);
        if (value_type(x) == BS_VINT || value_type(x) == BS_VNUM) {
            bs_buf_printf(o, "<c:pt idx=\"%zu\"><c:v>", k);
            put_num(o, x);
            bs_buf_puts(o, "</c:v></c:pt>");
        }
    }
    bs_buf_puts(o, "</c:numCache></c:numRef></c:val>");
}

static void fill(bs_buf *o, size_t i, bool line)
{
    const char *c = PALETTE[i % (sizeof PALETTE / sizeof *PALETTE)];
    if (line) {
        bs_buf_printf(o, "<c:spPr><a:ln w=\"22225\"><a:solidFill><a:srgbClr val=\"%s\"/></a:solidFill>"
                         "</a:ln></c:spPr>", c);
    } else {
        bs_buf_printf(o, "<c:spPr><a:solidFill><a:srgbClr val=\"%s\"/></a:solidFill></c:spPr>", c);
    }
}

/* The step of a value axis of counts: whole numbers, about eight of them
 * up to the largest value (a stacked chart's largest sum); 0 when some value
 * is not whole. */
static double count_step(const bs_value *v)
{
    const bs_value *series = value_get(v, "series");
    size_t n = value_len(value_get(v, "categories"));
    bool stacked = value_as_bool(value_get(v, "stacked"));
    double top = 0;
    for (size_t k = 0; k < n; k++) {
        double sum = 0;
        for (size_t i = 0; i < value_len(series); i++) {
            const bs_value *x = value_at(value_get(value_at(series, i), "values"), k);
            if (value_type(x) == BS_VNUM && value_as_num(x) != floor(value_as_num(x))) {
                return 0;
            }
            double d = value_as_num(x);
            sum = stacked ? sum + d : (d > sum ? d : sum);
        }
        top = sum > top ? sum : top;
    }
    double step = ceil(top / 8);
    return step < 1 ? 1 : step;
}

/* The two axes of a bar, column or radar chart. */
static void axes(bs_buf *o, const char *kind, const bs_value *v)
{
    bool bar = strcmp(kind, "bar") == 0, radar = strcmp(kind, "radar") == 0;
    // A bar chart lists its categories from the top, as a table does.
    bs_buf_printf(o, "<c:catAx><c:axId val=\"1001\"/><c:scaling><c:orientation val=\"%s\"/></c:scaling>"
                     "<c:delete val=\"0\"/><c:axPos val=\"%s\"/>",
                  bar ? "maxMin" : "minMax", bar ? "l" : "b");
    bs_buf_puts(o, "<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>"
                   "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>");
    text_props(o, 900, false);
    bs_buf_puts(o, "<c:crossAx val=\"1002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/>"
                   "<c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/>"
                   "</c:catAx>");
    bs_buf_puts(o, "<c:valAx><c:axId val=\"1002\"/><c:scaling><c:orientation val=\"minMax\"/>");
    const bs_value *max = value_get(v, "max");
    if (max && (value_type(max) == BS_VINT || value_type(max) == BS_VNUM)) {
        bs_buf_puts(o, "<c:max val=\"");
        put_num(o, max);
        bs_buf_puts(o, "\"/>");
    }
    bs_buf_printf(o, "<c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"%s\"/>"
                     "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/>"
                     "</a:solidFill></a:ln></c:spPr></c:majorGridlines>",
                  bar ? "b" : "l");
    const char *fmt = value_get_str(v, "format");
    double step = fmt || value_get(v, "max") ? 0 : count_step(v);
    if (step > 0) {
        fmt = "0";
    }
    bs_buf_puts(o, "<c:numFmt formatCode=\"");
    docx_escape(o, fmt ? fmt : "General", strlen(fmt ? fmt : "General"), true);
    bs_buf_printf(o, "\" sourceLinked=\"0\"/><c:majorTickMark val=\"%s\"/><c:minorTickMark val=\"none\"/>"
                     "<c:tickLblPos val=\"nextTo\"/>",
                  radar ? "cross" : "out");
    text_props(o, 900, false);
    bs_buf_printf(o, "<c:crossAx val=\"1001\"/><c:crosses val=\"%s\"/><c:crossBetween val=\"between\"/>",
                  bar ? "max" : "autoZero");
    if (step > 0) {
        bs_buf_printf(o, "<c:majorUnit val=\"%g\"/>", step);
    }
    bs_buf_puts(o, "</c:valAx>");
}

void docx_chart_part(bs_buf *o, const bs_value *v)
{
    const char *kind = chart_kind(v);
    const bs_value *cats = value_get(v, "categories"), *series = value_get(v, "series");
    bool pie = strcmp(kind, "pie") == 0, radar = strcmp(kind, "radar") == 0;
    bool stacked = value_as_bool(value_get(v, "stacked")) && !pie && !radar;
    bs_buf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
                   "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                   "<c:date1904 val=\"0\"/><c:lang val=\"ja-JP\"/><c:roundedCorners val=\"0\"/><c:chart>");
    const char *title = value_get_str(v, "title");
    if (title && *title) {
        bs_buf_puts(o, "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1100\" "
                       "b=\"1\">" CHART_FONT "</a:defRPr></a:pPr><a:r><a:rPr lang=\"ja-JP\" sz=\"1100\" "
                       "b=\"1\">" CHART_FONT "</a:rPr><a:t>");
        put_text(o, title);
        bs_buf_puts(o, "</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"
                       "<c:autoTitleDeleted val=\"0\"/>");
    } else {
        bs_buf_puts(o, "<c:autoTitleDeleted val=\"1\"/>");
    }
    bs_buf_puts(o, "<c:plotArea><c:layout/>");
    size_t ns = value_len(series), n = value_len(cats);
    if (pie) {
        bs_buf_puts(o, "<c:pieChart><c:varyColors val=\"1\"/>");
    } else if (radar) {
        bs_buf_puts(o, "<c:radarChart><c:radarStyle val=\"marker\"/><c:varyColors val=\"0\"/>");
    } else {
        bs_buf_printf(o, "<c:barChart><c:barDir val=\"%s\"/><c:grouping val=\"%s\"/>"
                         "<c:varyColors val=\"0\"/>",
                      strcmp(kind, "bar") == 0 ? "bar" : "col", stacked ? "stacked" : "clustered");
    }
    for (size_t i = 0; i < (pie ? 1 : ns); i++) {
        const bs_value *s = value_at(series, i);
        bs_buf_printf(o, "<c:ser><c:idx val=\"%zu\"/><c:order val=\"%zu\"/>", i, i);
        series_name(o, s, i);
        if (pie) {
            bs_buf_puts(o, "<c:spPr><a:ln w=\"9525\"><a:solidFill><a:srgbClr val=\"FFFFFF\"/>"
                           "</a:solidFill></a:ln></c:spPr>");
            for (size_t k = 0; k < n; k++) {
                bs_buf_printf(o, "<c:dPt><c:idx val=\"%zu\"/><c:bubble3D val=\"0\"/>", k);
                fill(o, k, false);
                bs_buf_puts(o, "</c:dPt>");
            }
            bs_buf_puts(o, "<c:dLbls><c:numFmt formatCode=\"0%\" sourceLinked=\"0\"/>"
                           "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>");
            text_props(o, 900, false);
            bs_buf_puts(o, "<c:dLblPos val=\"bestFit\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"0\"/>"
                           "<c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"1\"/>"
                           "<c:showBubbleSize val=\"0\"/><c:showLeaderLines val=\"1\"/></c:dLbls>");
        } else if (radar) {
            fill(o, i, true);
            bs_buf_puts(o, "<c:marker><c:symbol val=\"circle\"/><c:size val=\"5\"/></c:marker>");
        } else {
            fill(o, i, false);
            bs_buf_puts(o, "<c:invertIfNegative val=\"0\"/>");
        }
        series_values(o, cats, s, i);
        bs_buf_puts(o, "</c:ser>");
    }
    if (pie) {
        bs_buf_puts(o, "<c:firstSliceAng val=\"0\"/></c:pieChart>");
    } else if (radar) {
        bs_buf_puts(o, "<c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:radarChart>");
        axes(o, kind, v);
    } else {
        bs_buf_printf(o, "<c:gapWidth val=\"60\"/>%s<c:axId val=\"1001\"/><c:axId val=\"1002\"/>"
                         "</c:barChart>",
                      stacked ? "<c:overlap val=\"100\"/>" : "");
        axes(o, kind, v);
    }
    bs_buf_puts(o, "</c:plotArea>");
    // A legend names the series, or a pie's slices; one series needs none.
    if (pie || ns > 1) {
        bs_buf_printf(o, "<c:legend><c:legendPos val=\"%s\"/><c:overlay val=\"0\"/>", pie ? "r" : "b");
        text_props(o, 900, false);
        bs_buf_puts(o, "</c:legend>");
    }
    bs_buf_puts(o, "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
                   "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln w=\"6350\">"
                   "<a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr>");
    text_props(o, 900, false);
    bs_buf_puts(o, "<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData>"
                   "</c:chartSpace>");
}

/* The chart's size in EMU: `width` and `height` in millimetres when given,
 * else the text width and a height for the kind. */
static void chart_size(const bs_value *v, long *cx, long *cy)
{
    double w = value_as_num(value_get(v, "width")), h = value_as_num(value_get(v, "height"));
    const char *kind = chart_kind(v);
    size_t n = value_len(value_get(v, "categories"));
    if (!(w > 20 && w <= 170)) {
        w = 160;
    }
    if (!(h > 20 && h <= 240)) {
        bool bar = kind && strcmp(kind, "bar") == 0;
        h = bar ? 30 + 7.0 * (double)(n > 30 ? 30 : n) : 80;
        h = h < 70 ? 70 : h;
    }
    *cx = lround(w * 36000);
    *cy = lround(h * 36000);
}

void docx_chart_drawing(bs_buf *o, const bs_value *v, int n, const char *pfx, size_t pl)
{
    long cx, cy;
    chart_size(v, &cx, &cy);
    const char *title = value_get_str(v, "title");
    open_el(o, pfx, pl, "r>");
    open_el(o, pfx, pl, "drawing>");
    bs_buf_printf(o, "<wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/"
                     "wordprocessingDrawing\" distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
                     "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
                     "<wp:docPr id=\"%d\" name=\"",
                  cx, cy, 90000 + n);
    bs_buf t = {0};
    bs_buf_printf(&t, "グラフ %d", n);
    if (title && *title) {
        bs_buf_printf(&t, " %s", title);
    }
    char *clean = docx_xml_clean(t.s);
    docx_escape(o, clean, strlen(clean), true);
    free(clean);
    bs_buf_free(&t);
    bs_buf_printf(o, "\"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/"
                     "drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/"
                     "drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/"
                     "drawingml/2006/chart\" xmlns:r=\"http://schemas.openxmlformats.org/"
                     "officeDocument/2006/relationships\" r:id=\"" DOCX_CHART_RID "%d\"/>"
                     "</a:graphicData></a:graphic></wp:inline>",
                  n);
    close_el(o, pfx, pl, "drawing");
    close_el(o, pfx, pl, "r");
}

/* --- the workbook behind a chart ----------------------------------------------------- */

static int add_entry(zip_t *za, const char *name, bs_buf *b, bs_err *err)
{
    size_t len = b->len;
    char *bytes = bs_buf_take(b);
    zip_source_t *s = zip_source_buffer(za, bytes, len, 1);
    if (!s) {
        free(bytes);
        return bs_err_set(err, BS_EIO, "%s: %s", name, zip_strerror(za));
    }
    zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(s);
        return bs_err_set(err, BS_EIO, "%s: %s", name, zip_strerror(za));
    }
    zip_file_set_mtime(za, (zip_uint64_t)idx, 315532800, 0); // 1980-01-01: the same bytes each time
    return BS_OK;
}

/* A string cell, written inline. */
static void inline_cell(bs_buf *o, const char *ref, const char *s)
{
    bs_buf_printf(o, "<c r=\"%s\" t=\"inlineStr\"><is><t xml:space=\"preserve\">", ref);
    put_text(o, s);
    bs_buf_puts(o, "</t></is></c>");
}

int docx_chart_book(const bs_value *v, char **out, size_t *len, bs_err *err)
{
    static const char *const fixed[][2] = {
        {"[Content_Types].xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
         "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
         "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
         "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
         "officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/"
         "sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
         "worksheet+xml\"/></Types>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
         "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
    };
    zip_source_t *mem = NULL;
    zip_t *za = zipio_new_mem("chart.xlsx", &mem, err);
    int rc = za ? BS_OK : err->code;
    for (size_t i = 0; rc == BS_OK && i < sizeof fixed / sizeof *fixed; i++) {
        bs_buf b = {0};
        bs_buf_puts(&b, fixed[i][1]);
        rc = add_entry(za, fixed[i][0], &b, err);
        bs_buf_free(&b);
    }
    const bs_value *cats = value_get(v, "categories"), *series = value_get(v, "series");
    bs_buf s = {0};
    bs_buf_puts(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    "<sheetData><row r=\"1\">");
    char ref[16], col[4];
    for (size_t i = 0; i < value_len(series); i++) {
        col_name(i + 1, col);
        snprintf(ref, sizeof ref, "%s1", col);
        inline_cell(&s, ref, value_get_str(value_at(series, i), "name"));
    }
    bs_buf_puts(&s, "</row>");
    bs_buf t = {0};
    for (size_t k = 0; k < value_len(cats); k++) {
        bs_buf_printf(&s, "<row r=\"%zu\">", k + 2);
        snprintf(ref, sizeof ref, "A%zu", k + 2);
        cell_text(value_at(cats, k), &t);
        inline_cell(&s, ref, t.s);
        for (size_t i = 0; i < value_len(series); i++) {
            const bs_value *x = value_at(value_get(value_at(series, i), "values"), k);
            if (value_type(x) == BS_VINT || value_type(x) == BS_VNUM) {
                col_name(i + 1, col);
                bs_buf_printf(&s, "<c r=\"%s%zu\"><v>", col, k + 2);
                put_num(&s, x);
                bs_buf_puts(&s, "</v></c>");
            }
        }
        bs_buf_puts(&s, "</row>");
    }
    bs_buf_free(&t);
    bs_buf_puts(&s, "</sheetData></worksheet>");
    if (rc == BS_OK) {
        rc = add_entry(za, "xl/worksheets/sheet1.xml", &s, err);
    }
    bs_buf_free(&s);
    return zipio_finish_bytes(za, mem, rc, "chart.xlsx", out, len, err);
}
