/* Unit tests: the DOCX renderer on documents built here, with runs split
 * every way Word and LibreOffice split them. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/tree.h>
#include <zip.h>

#include "docx.h"
#include "jsonv.h"
#include "util.h"
#include "xmlu.h"
#include "zipio.h"

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static char out_path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(out_path, sizeof out_path, "/tmp/bansou-docx-%ld.docx", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(out_path);
    return 0;
}

/* A minimal .docx in memory whose body is `body`. Owned buffer. */
static void *make_docx(const char *body, size_t *len_out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    const char *ct = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas."
                     "openxmlformats.org/package/2006/content-types\"/>";
    char *doc = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                          "<w:document " W "><w:body>%s<w:sectPr/></w:body></w:document>",
                          body);
    zip_file_add(za, "[Content_Types].xml", zip_source_buffer(za, ct, strlen(ct), 0), 0);
    zip_file_add(za, "word/document.xml", zip_source_buffer(za, doc, strlen(doc), 0), 0);
    assert_int_equal(zip_close(za), 0);
    free(doc);
    zip_stat_t st;
    zip_source_stat(src, &st);
    void *buf = xmalloc(st.size);
    zip_source_open(src);
    zip_source_read(src, buf, st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len_out = st.size;
    return buf;
}

/* The text of each paragraph of the rendered body ("\n" for w:br, "\t" for
 * w:tab), joined with "|"; table cells in brackets. Owned. */
static void para_texts(xmlNodePtr n, bs_buf *b)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        const char *name = (const char *)n->name;
        if (strcmp(name, "t") == 0) {
            xmlu_text(n, b);
        } else if (strcmp(name, "br") == 0) {
            bs_buf_puts(b, "\\n");
        } else if (strcmp(name, "tab") == 0) {
            bs_buf_puts(b, "\\t");
        } else if (strcmp(name, "p") == 0) {
            para_texts(n->children, b);
            bs_buf_puts(b, "|");
        } else if (strcmp(name, "tc") == 0) {
            bs_buf_puts(b, "[");
            para_texts(n->children, b);
            bs_buf_puts(b, "]");
        } else if (strcmp(name, "tr") == 0) {
            para_texts(n->children, b);
            bs_buf_puts(b, "/");
        } else if (strcmp(name, "rPr") != 0 && strcmp(name, "pPr") != 0) {
            para_texts(n->children, b);
        }
    }
}

/* Reads word/document.xml of the rendered file (owned XML text in *xml_out
 * when not NULL) and returns its paragraph texts. */
static char *rendered(char **xml_out)
{
    bs_zip *z = NULL;
    bs_err e = {0};
    assert_int_equal(zipio_open_file(out_path, &z, &e), BS_OK);
    long i = zipio_find(z, "word/document.xml");
    assert_true(i >= 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(zipio_read(z, (size_t)i, &data, &len, &e), BS_OK);
    xmlDocPtr d = NULL;
    assert_int_equal(xmlu_parse(data, len, "out", &d, &e), BS_OK);
    bs_buf b = {0};
    para_texts(xmlDocGetRootElement(d)->children, &b);
    xmlFreeDoc(d);
    zipio_close(z);
    if (xml_out) {
        *xml_out = data;
    } else {
        free(data);
    }
    return bs_buf_take(&b);
}

/* Renders `body` with `json`; returns BS_OK or the error (message in e). */
static int render(const char *body, const char *json, bool strict, bs_value *warnings, bs_err *e)
{
    size_t len;
    void *buf = make_docx(body, &len);
    bs_docx *t = NULL;
    unlink(out_path);
    int rc = docx_open_mem(buf, len, "t.docx", &t, e);
    free(buf);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *data = NULL;
    bs_err je = {0};
    assert_int_equal(jsonv_parse(json, strlen(json), "data", &data, &je), BS_OK);
    bs_docx_opts o = {.strict = strict, .warnings = warnings};
    rc = docx_render(t, data, &o, out_path, e);
    value_free(data);
    docx_free(t);
    return rc;
}

static void expect_text(const char *body, const char *json, const char *want)
{
    bs_err e = {0};
    int rc = render(body, json, false, NULL, &e);
    if (rc != BS_OK) {
        fail_msg("render failed: %s", e.msg);
    }
    char *got = rendered(NULL);
    if (strcmp(got, want) != 0) {
        fail_msg("body %s\n  want '%s'\n  got  '%s'", body, want, got);
    }
    free(got);
}

static void expect_error(const char *body, const char *json, const char *want)
{
    bs_err e = {0};
    int rc = render(body, json, false, NULL, &e);
    if (rc == BS_OK || strcmp(e.msg, want) != 0) {
        fail_msg("body %s\n  want error '%s'\n  got  %d '%s'", body, want, rc, e.msg);
    }
    assert_int_equal(access(out_path, F_OK), -1); // nothing written
}

#define R(text) "<w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r>"
#define RB(text) "<w:r><w:rPr><w:b/></w:rPr><w:t>" text "</w:t></w:r>"
#define P(runs) "<w:p>" runs "</w:p>"

static const char people[] =
    "{\"name\": \"山田\", \"n\": 3, \"x\": 2.5, \"y\": 3.0, \"ok\": true, \"none\": null,"
    " \"company\": {\"name\": \"株式会社A\"},"
    " \"people\": [{\"name\": \"佐藤\", \"role\": \"社長\"}, {\"name\": \"鈴木\", \"role\": \"課長\"}],"
    " \"tags\": [\"a\", \"b\", \"c\"], \"empty\": []}";

static void test_tag_one_char_per_run(void **state)
{
    (void)state;
    expect_text(P(R("前") R("{") R("{") R("n") R("a") R("m") R("e") R("}") R("}") R("後")), people,
                "前山田後|");
    // A whole paragraph of one-character runs with two tags and text between.
    expect_text(P(R("{") R("{n") R("}}") R("/") R("{{") R("x") R("}") R("}")), people, "3/2.5|");
}

static void test_tag_across_formatting_keeps_first_run_format(void **state)
{
    (void)state;
    expect_text(P(RB("会社: {{comp") R("any.na") RB("me}}") R(" です")), people,
                "会社: 株式会社A です|");
    char *xml = NULL;
    char *text = rendered(&xml);
    free(text);
    // The value sits in a bold run: the run where the tag started.
    assert_non_null(strstr(xml, "<w:b/></w:rPr><w:t xml:space=\"preserve\">株式会社A</w:t>"));
    assert_null(strstr(xml, "bansou-tag"));
    free(xml);
}

static void test_proof_marks_and_bookmarks_between_runs(void **state)
{
    (void)state;
    expect_text(P(R("{{na") "<w:proofErr w:type=\"spellStart\"/>" R("m")
                      "<w:bookmarkStart w:id=\"0\" w:name=\"b\"/>" R("e}")
                      "<w:bookmarkEnd w:id=\"0\"/><w:proofErr w:type=\"spellEnd\"/>" R("}!")),
                people, "山田!|");
}

static void test_several_tags_in_one_text_node_and_run_children(void **state)
{
    (void)state;
    expect_text(P(R("{{n}}{{x}} {{y}}")), people, "32.5 3|");
    expect_text(P("<w:r><w:t>a</w:t><w:tab/><w:t>{{name}}</w:t><w:br/><w:t>b</w:t></w:r>"),
                people, "a\\t山田\\nb|");
}

static void test_values(void **state)
{
    (void)state;
    expect_text(P(R("{{ok}}|{{company.name}}")), people, "true|株式会社A|");
    expect_text(P(R("{{v}}")), "{\"v\": \"a<b>&\\\"c\\\"\\u0001\\u0007d\\r\\ne\\tf\"}",
                "a<b>&\"c\"d\\ne\\tf|");
    expect_text(P(R("{{v}}")), "{\"v\": 12345678901234}", "12345678901234|");
    expect_text(P(R("{{v}}")), "{\"v\": 1e20}", "100000000000000000000|");
    expect_text(P(R("{{v}}")), "{\"v\": 1234567890123456.0}", "1234567890123456|");
    expect_text(P(R("{{v}}/{{w}}/{{z}}")), "{\"v\": -0.0, \"w\": 0.1, \"z\": 1e300}",
                "0/0.1/1e+300|");
    // A value that looks like a tag stays text.
    expect_text(P(R("{{v}}")), "{\"v\": \"{{name}}\"}", "{{name}}|");
}

static void test_missing_values(void **state)
{
    (void)state;
    bs_value *w = value_list();
    bs_err e = {0};
    assert_int_equal(render(P(R("[{{nope}}][{{none}}][{{nope}}]")), people, false, w, &e), BS_OK);
    char *got = rendered(NULL);
    assert_string_equal(got, "[][][]|");
    free(got);
    assert_int_equal(value_len(w), 2);
    assert_string_equal(value_as_str(value_at(w, 0)),
                        "word/document.xml: {{nope}} has no value (2 times)");
    value_free(w);
    assert_int_equal(render(P(R("x {{nope}}")), people, true, NULL, &e), BS_EINPUT);
    assert_string_equal(e.msg, "1 tag has no value: {{nope}}");
    assert_int_equal(access(out_path, F_OK), -1);
    // Strict names every tag without a value, each also a warning with its
    // paragraph, and writes nothing.
    w = value_list();
    bs_err_clear(&e);
    assert_int_equal(render(P(R("x {{nope}} {{people}}")) P(R("y {{nope}} {{none}}")), people, true,
                            w, &e),
                     BS_EINPUT);
    assert_string_equal(e.msg, "3 tags have no value: {{nope}}, {{people}}, {{none}}");
    assert_int_equal(value_len(w), 4);
    assert_string_equal(value_as_str(value_at(w, 0)),
                        "word/document.xml: paragraph 'x {{nope}} {{people}}': {{nope}} has no value");
    assert_string_equal(value_as_str(value_at(w, 1)),
                        "word/document.xml: paragraph 'x {{nope}} {{people}}': {{people}} is a list, "
                        "not text");
    assert_string_equal(value_as_str(value_at(w, 2)),
                        "word/document.xml: paragraph 'y {{nope}} {{none}}': {{nope}} has no value");
    assert_string_equal(value_as_str(value_at(w, 3)),
                        "word/document.xml: paragraph 'y {{nope}} {{none}}': {{none}} has no value");
    value_free(w);
    assert_int_equal(access(out_path, F_OK), -1);
}

static void test_inline_sections(void **state)
{
    (void)state;
    expect_text(P(R("担当: {{#people}}{{name}}（{{role}}）、{{/people}}以上")), people,
                "担当: 佐藤（社長）、鈴木（課長）、以上|");
    expect_text(P(R("{{#tags}}{{@n}}={{.}} {{/tags}}")), people, "1=a 2=b 3=c |");
    expect_text(P(R("[{{#ok}}yes{{/ok}}{{^ok}}no{{/ok}}{{^nope}}none{{/nope}}"
                    "{{#empty}}x{{/empty}}{{^empty}}empty{{/empty}}]")),
                people, "[yesnoneempty]|");
    expect_text(P(R("{{#company}}{{name}}/{{n}}{{/company}}")), people, "株式会社A/3|");
}

static void test_block_sections_leave_no_empty_paragraph(void **state)
{
    (void)state;
    expect_text(P(R("前")) P(R("{{#people}}")) P(R("{{name}}")) P(R("{{role}}")) P(R("{{/people}}"))
                    P(R("後")),
                people, "前|佐藤|社長|鈴木|課長|後|");
    // Text after the open tag and before the close tag is part of each copy.
    expect_text(P(R("A{{#tags}}&lt;")) P(R("{{.}}")) P(R(">{{/tags}}Z")), people,
                "A|<|a|>|<|b|>|<|c|>|Z|");
    expect_text(P(R("{{#empty}}")) P(R("never")) P(R("{{/empty}}")) P(R("end")), people, "end|");
    expect_text(P(R("{{^ok}}")) P(R("hidden")) P(R("{{/ok}}")), people, "");
}

#define TABLE_ROW \
    "<w:tbl><w:tr><w:tc>" P(R("No")) "</w:tc><w:tc>" P(R("名前")) "</w:tc></w:tr>" \
    "<w:tr><w:tc>" P(R("{{#people}}{{@n}}")) "</w:tc><w:tc>" P(R("{{name}}{{/people}}")) \
    "</w:tc></w:tr></w:tbl>"

static void test_table_rows_repeat(void **state)
{
    (void)state;
    expect_text(TABLE_ROW P(R("after")), people, "[No|][名前|]/[1|][佐藤|]/[2|][鈴木|]/after|");
    expect_text(TABLE_ROW, "{\"people\": []}", "[No|][名前|]/");
}

static void test_cells_keep_one_paragraph(void **state)
{
    (void)state;
    // A cell whose paragraphs are all in sections: an empty list leaves the
    // "none" text and no extra empty paragraph; two empty sections leave one
    // empty paragraph (a cell must hold one).
    const char *cell = "<w:tbl><w:tr><w:tc><w:tcPr/>" P(R("{{#tags}}")) P(R("{{.}}"))
                       P(R("{{/tags}}")) P(R("{{^tags}}")) P(R("なし")) P(R("{{/tags}}"))
                       "</w:tc></w:tr></w:tbl>";
    expect_text(cell, "{\"tags\": []}", "[なし|]/");
    expect_text(cell, "{\"tags\": [\"a\", \"b\"]}", "[a|b|]/");
    expect_text("<w:tbl><w:tr><w:tc>" P(R("{{#tags}}")) P(R("{{.}}")) P(R("{{/tags}}"))
                "</w:tc></w:tr></w:tbl>",
                "{\"tags\": []}", "[|]/");
}

/* Occurrences of `needle` in `hay`. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_closing_keeps_with_what_it_closes(void **state)
{
    (void)state;
    bs_err e = {0};
    char *xml = NULL;
    // The last row of a table and the paragraph after it keep with 「以上」,
    // the tag paragraph between them too; the first paragraph does not.
    const char *body = P(R("first")) "<w:tbl><w:tr><w:tc>" P(R("担当")) "</w:tc><w:tc>"
                       "<w:p><w:pPr><w:pStyle w:val=\"TC\"/><w:jc w:val=\"left\"/></w:pPr>"
                       R("{{name}}") "</w:p></w:tc></w:tr></w:tbl>"
                       P(R("{{#ok}}")) P(R("note")) P(R("{{/ok}}")) P(R("以上"));
    assert_int_equal(render(body, "{\"name\": \"佐藤\", \"ok\": true}", false, NULL, &e), BS_OK);
    char *texts = rendered(&xml);
    assert_string_equal(texts, "first|[担当|][佐藤|]/note|以上|");
    assert_int_equal(count(xml, "<w:keepNext/>"), 3);
    assert_non_null(strstr(xml, "<w:pStyle w:val=\"TC\"/><w:keepNext/><w:jc"));
    assert_non_null(strstr(xml, "<w:p><w:r><w:t xml:space=\"preserve\">first"));
    free(texts);
    free(xml);
    // A last row that a section repeats is not kept: the whole table would be.
    assert_int_equal(render(TABLE_ROW P(R("以上")), people, false, NULL, &e), BS_OK);
    texts = rendered(&xml);
    assert_int_equal(count(xml, "<w:keepNext/>"), 0);
    free(texts);
    free(xml);
}

static void test_nested(void **state)
{
    (void)state;
    // A block section holding a table whose row loops over the item's list,
    // and a cell with an inline loop; the outer scope stays visible.
    const char *json = "{\"company\": {\"name\": \"A社\"}, \"groups\": ["
                       "{\"title\": \"G1\", \"rows\": [{\"v\": \"x\", \"tags\": [\"p\", \"q\"]}]},"
                       "{\"title\": \"G2\", \"rows\": [{\"v\": \"y\", \"tags\": []}, {\"v\": \"z\","
                       " \"tags\": [\"r\"]}]}]}";
    expect_text(P(R("{{#groups}}")) P(R("{{title}}"))
                    "<w:tbl><w:tr><w:tc>" P(R("{{#rows}}{{v}}")) "</w:tc><w:tc>"
                    P(R("{{#tags}}{{.}};{{/tags}}{{company.name}}{{/rows}}")) "</w:tc></w:tr></w:tbl>"
                    P(R("{{/groups}}")),
                json, "G1|[x|][p;q;A社|]/G2|[y|][A社|]/[z|][r;A社|]/");
}

static void test_broken_templates(void **state)
{
    (void)state;
    expect_error(P(R("{{#people}} never closed")), people,
                 "t.docx: word/document.xml: paragraph '{{#people}} never closed': "
                 "{{#people}} is not closed");
    expect_error(P(R("{{#a}}x{{/b}}")), people,
                 "t.docx: word/document.xml: paragraph '{{#a}}x{{/b}}': {{/b}} closes {{#a}}");
    expect_error(P(R("x{{/a}}")), people,
                 "t.docx: word/document.xml: paragraph 'x{{/a}}': {{/a}} has no opening tag");
    expect_error(P(R("a {{>partial}} b")), people,
                 "t.docx: word/document.xml: paragraph 'a {{>partial}} b': unknown tag form "
                 "'{{>partial}}'");
    expect_error(P(R("a {{name b")), people,
                 "t.docx: word/document.xml: paragraph 'a {{name b': '{{' is not closed by '}}'");
    expect_error("<w:tbl><w:tr><w:tc>" P(R("{{#people}}")) "</w:tc></w:tr><w:tr><w:tc>"
                 P(R("{{/people}}")) "</w:tc></w:tr></w:tbl>",
                 people,
                 "t.docx: word/document.xml: paragraph '{{#people}}': {{#people}} opens in one "
                 "table row and closes in another");
    expect_error(P("<w:hyperlink>" R("{{#tags}}") "</w:hyperlink>" R("{{/tags}}")), people,
                 "t.docx: word/document.xml: paragraph '{{#tags}}{{/tags}}': {{#tags}} opens and "
                 "closes at different levels of the paragraph (e.g. one inside a hyperlink)");
    // Broken XML: the part and libxml2's own words.
    bs_err e = {0};
    assert_int_equal(render("<w:p><w:r>", people, false, NULL, &e), BS_ECORRUPT);
    const char *want = "t.docx!word/document.xml: not well-formed XML (line 1: ";
    assert_memory_equal(e.msg, want, strlen(want));
}

static const char blocks[] =
    "{\"t\": {\"columns\": [{\"header\": \"地域\", \"width\": 3}, {\"header\": \"件数\","
    " \"align\": \"right\"}], \"rows\": [[\"大阪\", 3], [\"名古屋\", \"2\"]],"
    " \"total\": [\"計\", 5]},"
    " \"none\": {\"columns\": [{\"header\": \"理由\"}], \"rows\": [], \"empty\": \"該当なし\"},"
    " \"c\": {\"type\": \"pie\", \"title\": \"辞退理由\", \"categories\": [\"解消\", \"競合\"],"
    " \"series\": [{\"name\": \"件数\", \"values\": [3, 1]}]},"
    " \"bad\": {\"type\": \"pie\", \"categories\": [\"a\"], \"series\": [{\"values\": [1, 2]}]},"
    " \"charts\": [{\"type\": \"bar\", \"categories\": [\"x\"], \"series\": [{\"values\": [1]}]},"
    " {\"type\": \"column\", \"categories\": [\"y\"], \"series\": [{\"values\": [2]}]}]}";

/* The entry `name` of the rendered file, or NULL. Owned. */
static char *entry(const char *name)
{
    bs_zip *z = NULL;
    bs_err e = {0};
    assert_int_equal(zipio_open_file(out_path, &z, &e), BS_OK);
    long i = zipio_find(z, name);
    char *data = NULL;
    size_t len = 0;
    if (i >= 0) {
        assert_int_equal(zipio_read(z, (size_t)i, &data, &len, &e), BS_OK);
    }
    zipio_close(z);
    return data;
}

static void test_block_tags(void **state)
{
    (void)state;
    // A table: the header, the rows, the total; the paragraph of the tag goes.
    expect_text(P(R("前")) P(R("{{%table t}}")) P(R("後")), blocks,
                "前|[地域|][件数|]/[大阪|][3|]/[名古屋|][2|]/[計|][5|]/後|");
    expect_text(P(R("{{%table none}}")), blocks, "[理由|]/[該当なし|]/");
    // A chart: its paragraph holds the drawing; the package has its part,
    // its workbook and their relationships and content types.
    expect_text(P(R("{{%chart c}}")), blocks, "|");
    char *xml = NULL;
    free(rendered(&xml));
    assert_non_null(strstr(xml, "r:id=\"rIdBansouChart1\""));
    free(xml);
    char *chart = entry("word/charts/bansou-chart1.xml");
    assert_non_null(chart);
    assert_non_null(strstr(chart, "<c:pieChart>"));
    assert_non_null(strstr(chart, "<c:v>競合</c:v>"));
    assert_non_null(strstr(chart, "<c:pt idx=\"1\"><c:v>1</c:v></c:pt>"));
    free(chart);
    char *types = entry("[Content_Types].xml");
    assert_non_null(strstr(types, "/word/charts/bansou-chart1.xml"));
    assert_non_null(strstr(types, "Extension=\"xlsx\""));
    free(types);
    char *rels = entry("word/_rels/document.xml.rels");
    assert_non_null(rels);
    assert_non_null(strstr(rels, "Target=\"charts/bansou-chart1.xml\""));
    free(rels);
    char *book = entry("word/embeddings/bansou-chart1.xlsx");
    assert_non_null(book);
    free(book);
    // In a loop: a chart each, numbered in order.
    expect_text(P(R("{{#charts}}")) P(R("{{%chart .}}")) P(R("{{/charts}}")), blocks, "||");
    chart = entry("word/charts/bansou-chart2.xml");
    assert_non_null(strstr(chart, "<c:barDir val=\"col\"/>"));
    free(chart);
    // A value that is not a table or chart: a warning, and nothing in its place.
    bs_value *w = value_list();
    bs_err e = {0};
    assert_int_equal(render(P(R("a")) P(R("{{%chart bad}}")) P(R("{{%table c}}")), blocks, false,
                            w, &e),
                     BS_OK);
    assert_int_equal(value_len(w), 2);
    assert_string_equal(value_as_str(value_at(w, 0)),
                        "word/document.xml: {{%chart bad}} is not a chart (each series: values, "
                        "one number per category)");
    assert_string_equal(value_as_str(value_at(w, 1)),
                        "word/document.xml: {{%table c}} is not a table (columns: a list of 1 to 63 "
                        "headers)");
    value_free(w);
    char *got = rendered(NULL);
    assert_string_equal(got, "a|");
    free(got);
    // Where a block tag cannot stand.
    expect_error(P(R("x {{%table t}}")), blocks,
                 "t.docx: word/document.xml: paragraph 'x {{%table t}}': {{%table t}} must stand "
                 "alone in its paragraph");
    expect_error("<w:tbl><w:tr><w:tc>" P(R("{{%chart c}}")) "</w:tc></w:tr></w:tbl>", blocks,
                 "t.docx: word/document.xml: paragraph '{{%chart c}}': {{%chart c}} must stand in a "
                 "paragraph of its own, outside tables");
    expect_error("<w:p><w:pPr><w:sectPr/></w:pPr>" R("{{%table t}}") "</w:p>", blocks,
                 "t.docx: word/document.xml: paragraph '{{%table t}}': {{%table t}} must not be in "
                 "the paragraph that ends a section of the document");
    expect_error(P(R("{{%picture p}}")), blocks,
                 "t.docx: word/document.xml: paragraph '{{%picture p}}': unknown tag form "
                 "'{{%picture p}}'");
}

static void test_hostile_archives(void **state)
{
    (void)state;
    bs_docx *t = NULL;
    bs_err e = {0};
    static const char junk[] = "PK\003\004garbage";
    assert_int_equal(docx_open_mem(junk, sizeof junk - 1, "g.docx", &t, &e), BS_ECORRUPT);
    assert_null(t);
    // A DOCTYPE (an entity bomb's carrier) is refused before parsing.
    size_t len;
    void *buf = make_docx("", &len);
    free(buf);
    const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b "
                       "\"&a;&a;&a;&a;\">]><w:document " W "><w:body>" P(R("&b;")) "</w:body></w:document>";
    xmlDocPtr d = NULL;
    bs_err_clear(&e);
    assert_int_equal(xmlu_parse(bomb, strlen(bomb), "x.xml", &d, &e), BS_EINPUT);
    assert_string_equal(e.msg, "x.xml: a document type declaration is not allowed");
}

static void test_output_budget(void **state)
{
    (void)state;
    // Sections inside each other multiply: 3^3 copies of the innermost.
    setenv("BANSOU_MAX_OUTPUT", "2K", 1);
    expect_error(P(R("{{#tags}}{{#tags}}{{#tags}}{{.}}: a tag of {{name}}"
                     "{{/tags}}{{/tags}}{{/tags}}")),
                 people,
                 "word/document.xml: paragraph '{{#tags}}{{#tags}}{{#tags}}{{.}}: a tag of {{name}}"
                 "{{/tags}}{{/tags}}{{/tags}}': {{#tags}} inside {{#tags}} inside "
                 "{{#tags}}: the document grows past the output budget of 2 KiB (BANSOU_MAX_OUTPUT "
                 "sets another)");
    // Outside sections, the value that does it.
    bs_buf big = {0};
    bs_buf_puts(&big, "{\"big\": \"");
    for (int i = 0; i < 300; i++) {
        bs_buf_puts(&big, "0123456789");
    }
    bs_buf_puts(&big, "\"}");
    expect_error(P(R("x")) P(R("{{big}} y")), big.s,
                 "word/document.xml: paragraph '{{big}} y': {{big}}: the document grows past the "
                 "output budget of 2 KiB (BANSOU_MAX_OUTPUT sets another)");
    bs_buf_free(&big);
    setenv("BANSOU_MAX_OUTPUT", "1M", 1);
    expect_text(P(R("{{#tags}}{{#tags}}{{.}}{{/tags}}{{/tags}}")), people, "abcabcabc|");
    setenv("BANSOU_MAX_OUTPUT", "1.5M", 1);
    expect_error(P(R("x")), people,
                 "BANSOU_MAX_OUTPUT: '1.5M' is not a size (bytes, or a number with K, M or G)");
    unsetenv("BANSOU_MAX_OUTPUT");
    size_t max = 0;
    bs_err e = {0};
    assert_int_equal(docx_output_budget(&max, &e), BS_OK);
    assert_int_equal(max, 256u << 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_one_char_per_run),
        cmocka_unit_test(test_tag_across_formatting_keeps_first_run_format),
        cmocka_unit_test(test_proof_marks_and_bookmarks_between_runs),
        cmocka_unit_test(test_several_tags_in_one_text_node_and_run_children),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_inline_sections),
        cmocka_unit_test(test_block_sections_leave_no_empty_paragraph),
        cmocka_unit_test(test_table_rows_repeat),
        cmocka_unit_test(test_cells_keep_one_paragraph),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_closing_keeps_with_what_it_closes),
        cmocka_unit_test(test_broken_templates),
        cmocka_unit_test(test_block_tags),
        cmocka_unit_test(test_hostile_archives),
        cmocka_unit_test(test_output_budget),
    };
    return cmocka_run_group_tests_name("docx", tests, setup, teardown);
}
