/* render: fill a Word template from JSON data, for tool authors. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "docx.h"
#include "jsonv.h"
#include "util.h"

enum { MAX_DATA = 64 << 20 };

/* Reads the JSON data from a file or, for "-", standard input. */
static int read_data(const char *path, bs_value **out, bs_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;
    if (strcmp(path, "-") == 0) {
        bs_buf b = {0};
        char chunk[65536];
        size_t n;
        rc = BS_OK;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            if (b.len + n > MAX_DATA) {
                rc = bs_err_set(err, BS_EINPUT, "standard input: more than %d bytes", MAX_DATA);
                break;
            }
            bs_buf_add(&b, chunk, n);
        }
        len = b.len;
        text = bs_buf_take(&b);
        path = "(standard input)";
    } else {
        rc = bs_read_file(path, MAX_DATA, &text, &len, err);
    }
    if (rc == BS_OK) {
        rc = jsonv_parse(text, len, path, out, err);
    }
    free(text);
    return rc;
}

static void print_warnings(const bs_value *w)
{
    for (size_t i = 0; i < value_len(w); i++) {
        fprintf(stderr, "bansou: warning: %s\n", value_as_str(value_at(w, i)));
    }
}

/* A file name from an item's field: no path separators or control bytes. */
static char *safe_name(const char *s)
{
    bs_buf b = {0};
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bs_buf_add(&b, c == '/' || c == '\\' || c < 0x20 ? "_" : p, 1);
    }
    char *name = bs_buf_take(&b);
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        free(name);
        name = xstrdup("_");
    }
    return name;
}

/* The directory an output file goes to must exist. */
static int check_out_dir(const char *out, bs_err *err)
{
    const char *slash = strrchr(out, '/');
    if (!slash || slash == out) {
        return BS_OK;
    }
    char *dir = xstrndup(out, (size_t)(slash - out));
    int rc = bs_dir_exists(dir) ? BS_OK
                                : bs_err_set(err, BS_EIO, "%s: no directory '%s'", out, dir);
    free(dir);
    return rc;
}

static int render_each(const bs_docx *t, const bs_value *data, const cli_args *a,
                       const char *outdir, bs_err *err)
{
    const char *key = cli_opt_val(a, "each");
    const bs_value *list = value_get(data, key);
    if (value_type(list) != BS_VLIST) {
        return bs_err_set(err, BS_EINPUT, "--each: '%s' is not a list in the data", key);
    }
    int rc = bs_mkdir_p(outdir, 0700, err);
    const char *field = cli_opt_val(a, "name");
    size_t n = value_len(list);
    int width = n >= 1000 ? (n >= 10000 ? 5 : 4) : 3;
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        const bs_value *item = value_at(list, i);
        char *file;
        if (field && value_get_str(item, field)) {
            char *base = safe_name(value_get_str(item, field));
            file = xasprintf("%s/%s.docx", outdir, base);
            free(base);
        } else {
            file = xasprintf("%s/%0*zu.docx", outdir, width, i + 1);
        }
        bs_value *warnings = value_list();
        bs_docx_opts o = {.strict = cli_flag(a, "strict"), .warnings = warnings, .item = item,
                          .index = (int64_t)i + 1};
        rc = docx_render(t, data, &o, file, err);
        if (rc != BS_OK) {
            bs_err_prefix(err, "%s[%zu]", key, i + 1);
        }
        print_warnings(warnings);
        value_free(warnings);
        free(file);
    }
    if (rc == BS_OK) {
        printf("rendered %zu document%s into %s\n", n, n == 1 ? "" : "s", outdir);
    }
    return rc;
}

static int run_render(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    (void)ctx;
    const char *out = cli_opt_val(a, "output");
    if (!out || !*out) {
        return bs_err_set(err, BS_EUSAGE, "render: -o OUT is required");
    }
    bs_docx *t = NULL;
    bs_value *data = NULL;
    int rc = docx_open(a->pos[0], &t, err);
    if (rc == BS_OK) {
        rc = read_data(a->pos[1], &data, err);
    }
    if (rc == BS_OK && value_type(data) != BS_VMAP) {
        rc = bs_err_set(err, BS_EINPUT, "%s: the data must be a JSON object, not a %s", a->pos[1],
                        value_type_name(value_type(data)));
    }
    if (rc == BS_OK && !cli_opt_val(a, "each")) {
        rc = check_out_dir(out, err);
    }
    if (rc == BS_OK && cli_opt_val(a, "each")) {
        rc = render_each(t, data, a, out, err);
    } else if (rc == BS_OK) {
        bs_value *warnings = value_list();
        bs_docx_opts o = {.strict = cli_flag(a, "strict"), .warnings = warnings};
        rc = docx_render(t, data, &o, out, err);
        print_warnings(warnings);
        value_free(warnings);
    }
    value_free(data);
    docx_free(t);
    return rc;
}

static const cli_opt render_opts[] = {
    {"output", "OUT", "the document to write (with --each: a directory)", 'o'},
    {"strict", NULL, "a tag without a value is an error, not a warning", 0},
    {"each", "LIST", "one document per item of the top-level list LIST", 0},
    {"name", "FIELD", "with --each: name each file after the item's FIELD", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_render_cmds[] = {
    {"render", "TEMPLATE.docx DATA.json", "fill a Word template with JSON data",
     "DATA.json may be - for standard input. Tags: {{a.b}} a value, {{#list}}…{{/list}}\n"
     "repeats (a table row, paragraphs, or text in one paragraph), {{^x}}…{{/x}} shows\n"
     "when x is false or empty, {{.}} the current item, {{@n}} its number. A broken\n"
     "template is reported with the part, the paragraph and the tag, and nothing is\n"
     "written. See docs/templates.md.",
     2, 2, false, render_opts, run_render},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
