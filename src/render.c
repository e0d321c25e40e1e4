#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "i18n.h"
#include "jsonv.h"
#include "render.h"
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
                rc = bs_err_set(err, BS_EINPUT, _("standard input: more than %d bytes"), MAX_DATA);
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
                                : bs_err_set(err, BS_EIO, _("%s: no directory '%s'"), out, dir);
    free(dir);
    return rc;
}

static int render_each(const bs_docx *t, const bs_value *data, const render_opts *ro,
                       size_t max_output, const char *outdir, size_t *count, bs_value *warnings,
                       bs_err *err)
{
    const bs_value *list = value_get(data, ro->each);
    if (value_type(list) != BS_VLIST) {
        return bs_err_set(err, BS_EINPUT, _("--each: '%s' is not a list in the data"), ro->each);
    }
    int rc = bs_mkdir_p(outdir, 0700, err);
    size_t n = value_len(list);
    int width = n >= 1000 ? (n >= 10000 ? 5 : 4) : 3;
    for (size_t i = 0; rc == BS_OK && i < n; i++) {
        const bs_value *item = value_at(list, i);
        char *file;
        if (ro->name && value_get_str(item, ro->name)) {
            char *base = safe_name(value_get_str(item, ro->name));
            file = xasprintf("%s/%s.docx", outdir, base);
            free(base);
        } else {
            file = xasprintf("%s/%0*zu.docx", outdir, width, i + 1);
        }
        bs_docx_opts o = {.strict = ro->strict, .warnings = warnings, .item = item,
                          .index = (int64_t)i + 1, .max_output = max_output};
        rc = docx_render(t, data, &o, file, err);
        if (rc != BS_OK) {
            bs_err_prefix(err, "%s[%zu]", ro->each, i + 1);
        } else {
            (*count)++;
        }
        free(file);
    }
    return rc;
}

int render_run(const char *tmpl, const char *data_path, const render_opts *ro, const char *out,
               size_t *count, bs_value *warnings, bs_err *err)
{
    bs_docx *t = NULL;
    bs_value *data = NULL;
    size_t max_output = 0;
    *count = 0;
    int rc = docx_output_budget(&max_output, err);
    if (rc == BS_OK) {
        rc = docx_open(tmpl, &t, err);
    }
    if (rc == BS_OK) {
        rc = read_data(data_path, &data, err);
    }
    if (rc == BS_OK && value_type(data) != BS_VMAP) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: the data must be a JSON object, not a %s"),
                        data_path, value_type_name(value_type(data)));
    }
    if (rc == BS_OK && !ro->each) {
        rc = check_out_dir(out, err);
    }
    if (rc == BS_OK) {
        if (ro->each) {
            rc = render_each(t, data, ro, max_output, out, count, warnings, err);
        } else {
            bs_docx_opts o = {.strict = ro->strict, .warnings = warnings, .max_output = max_output};
            rc = docx_render(t, data, &o, out, err);
            *count = rc == BS_OK;
        }
        if (rc == BS_EINPUT) { // what the template and the data made: name the template
            bs_err_prefix(err, "%s", tmpl);
        }
    }
    value_free(data);
    docx_free(t);
    return rc;
}
