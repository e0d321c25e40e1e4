/* Unit tests: scripts and templates a build embeds (embedded.h). This test
 * brings its own tables: one chunk, filled in at run time with the bytecode
 * of another script than the file it is keyed to, so that the test can tell
 * which of the two was loaded; and the Word template image round trip,
 * with every damaged image refused rather than trusted. */
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

#include "docx.h"
#include "embedded.h"
#include "theme.h"
#include "util.h"

static char chunk_sha[2][65];
static unsigned char chunk_data[2][1 << 16];

const bs_embedded embedded_templates[] = {{0}};
const size_t embedded_ntemplates = 0;
const bs_embedded embedded_chunks[] = {
    {chunk_sha[0], "a.lua", chunk_data[0], sizeof chunk_data[0]},
    {chunk_sha[1], "c.lua", chunk_data[1], sizeof chunk_data[1]},
    {0},
};
const size_t embedded_nchunks = 2;

static char dir[64];

static char *write_script(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The bytecode of `text` (owned buffer in *out). */
static void compile(const char *text, bs_buf *out)
{
    bs_err e = {0};
    assert_int_equal(theme_compile(text, strlen(text), "other.lua", out, &e), BS_OK);
}

/* Keys slot `i` to the file text `text` and fills it with `bytes`. */
static void embed(int i, const char *text, const void *bytes, size_t n)
{
    assert_true(n <= sizeof chunk_data[i]);
    memset(chunk_data[i], 0, sizeof chunk_data[i]);
    memcpy(chunk_data[i], bytes, n);
    bs_sha256(text, strlen(text), chunk_sha[i]);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/bansou-embed-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

static const char text_a[] = "return { n = 1 }\n";

static void test_embedded_chunk_is_used_and_named_after_the_file(void **state)
{
    (void)state;
    // The bytecode of another script, keyed to the text of a.lua.
    bs_buf bin = {0};
    bs_err e = {0};
    compile("local t = nil\nreturn { n = 2, m = t.x }\n", &bin);
    embed(0, text_a, bin.s, bin.len);
    bs_buf_free(&bin);
    char *a = write_script("a.lua", text_a);
    bs_theme_path tp = {.n = 1, .dirs = {dir}};
    bs_theme *th = NULL;
    // The error is the other script's, at its line 2, in a.lua's name: the
    // embedded bytecode was loaded, under the name of the file it stands for.
    assert_int_equal(theme_load_script(a, &tp, NULL, &th, &e), BS_ESCRIPT);
    char *want = xasprintf("%s:2: attempt to index a nil value", a);
    if (strncmp(e.msg, want, strlen(want)) != 0) {
        fail_msg("got '%s', want it to start with '%s'", e.msg, want);
    }
    free(want);
    free(a);
}

static void test_other_text_is_read_afresh(void **state)
{
    (void)state;
    bs_buf bin = {0};
    bs_err e = {0};
    compile("return { n = 2 }\n", &bin);
    embed(0, text_a, bin.s, bin.len);
    bs_buf_free(&bin);
    // One byte more than the embedded text: not the same file.
    char *b = write_script("b.lua", "return { n = 1 } \n");
    bs_theme_path tp = {.n = 1, .dirs = {dir}};
    bs_theme *th = NULL;
    assert_int_equal(theme_load_script(b, &tp, NULL, &th, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(theme_model(th), "n")), 1);
    theme_free(th);
    // The same text: the bytecode.
    char *a = write_script("a.lua", text_a);
    assert_int_equal(theme_load_script(a, &tp, NULL, &th, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(theme_model(th), "n")), 2);
    theme_free(th);
    free(a);
    free(b);
}

static void test_broken_embedded_chunk_falls_back_to_the_text(void **state)
{
    (void)state;
    static const char text_c[] = "return { n = 3 }\n";
    // Not bytecode at all, and bytecode cut short: the text is loaded.
    embed(1, text_c, "\x1bLua garbage", 12);
    char *c = write_script("c.lua", text_c);
    bs_theme_path tp = {.n = 1, .dirs = {dir}};
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load_script(c, &tp, NULL, &th, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(theme_model(th), "n")), 3);
    theme_free(th);
    bs_buf bin = {0};
    compile("return { n = 4 }\n", &bin);
    embed(1, text_c, bin.s, bin.len / 2);
    bs_buf_free(&bin);
    assert_int_equal(theme_load_script(c, &tp, NULL, &th, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(theme_model(th), "n")), 3);
    theme_free(th);
    free(c);
}

/* A template, its image, and the same document from both. */
static void test_template_image_round_trip(void **state)
{
    (void)state;
    const char *root = getenv("BANSOU_TEMPLATES");
    char *path = xasprintf("%s/common/訪問計画書.docx", root ? root : "templates");
    char *data = NULL;
    size_t len = 0;
    bs_err e = {0};
    assert_int_equal(bs_read_file(path, 64u << 20, &data, &len, &e), BS_OK);
    bs_docx *compiled = NULL, *imaged = NULL;
    assert_int_equal(docx_open_mem(data, len, path, &compiled, &e), BS_OK);
    bs_buf img = {0};
    docx_image(compiled, &img);
    assert_int_equal(docx_open_image(data, len, path, img.s, img.len, &imaged, &e), BS_OK);
    // The same data renders the same bytes either way.
    bs_value *d = value_map();
    value_set_str(d, "title", "テスト");
    char *out1 = xasprintf("%s/one.docx", dir), *out2 = xasprintf("%s/two.docx", dir);
    char sha1[65] = "", sha2[65] = "";
    bs_docx_opts o1 = {.sha256_out = sha1}, o2 = {.sha256_out = sha2};
    assert_int_equal(docx_render(compiled, d, &o1, out1, &e), BS_OK);
    assert_int_equal(docx_render(imaged, d, &o2, out2, &e), BS_OK);
    assert_string_equal(sha1, sha2);
    char check[65];
    assert_int_equal(bs_sha256_file(out1, check, &e), BS_OK);
    assert_string_equal(check, sha1); // the hash is of the file as written
    // Every cut of the image and every byte changed: refused or fine, never
    // trusted into a crash (the sanitizers watch this one).
    size_t refused = 0;
    for (size_t n = 0; n < img.len; n += 1 + n / 64) {
        bs_docx *t = NULL;
        bs_err ce = {0};
        if (docx_open_image(data, len, path, img.s, n, &t, &ce) == BS_OK) {
            fail_msg("an image cut to %zu of %zu bytes was accepted", n, img.len);
        }
        assert_int_equal(ce.code, BS_ECORRUPT);
        refused++;
    }
    assert_true(refused > 10);
    for (size_t k = 0; k < img.len; k += 1 + k / 32) {
        char saved = img.s[k];
        img.s[k] = (char)(saved ^ 0xA5);
        bs_docx *t = NULL;
        bs_err ce = {0};
        if (docx_open_image(data, len, path, img.s, img.len, &t, &ce) == BS_OK) {
            // A change that still fits (a byte of static XML): it must render.
            bs_err re = {0};
            docx_render(t, d, NULL, out1, &re);
            docx_free(t);
        }
        img.s[k] = saved;
    }
    value_free(d);
    bs_buf_free(&img);
    docx_free(compiled);
    docx_free(imaged);
    free(out1);
    free(out2);
    free(data);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_chunk_is_used_and_named_after_the_file),
        cmocka_unit_test(test_other_text_is_read_afresh),
        cmocka_unit_test(test_broken_embedded_chunk_falls_back_to_the_text),
        cmocka_unit_test(test_template_image_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
