#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "intake.h"
#include "util.h"
#include "worksheet.h"
#include "xlsxr.h"
#include "xlsxw.h"

int form_spec(bs_theme *lib, const char *name, const bs_value **out, bs_err *err)
{
    const bs_value *spec = value_get(theme_model(lib), name);
    if (value_type(spec) != BS_VMAP) {
        return bs_err_set(err, BS_ESCRIPT, _("%s: no %s"), theme_path(lib), name);
    }
    *out = spec;
    return BS_OK;
}

int form_write(bs_theme *lib, const char *name, const bs_value *ctx, const char *path,
               const char *title, bs_err *err)
{
    const bs_value *spec = NULL;
    int rc = form_spec(lib, name, &spec, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *rows = NULL, *fields = worksheet_fields(spec, ctx);
    char *fn = xasprintf("%s.rows", name);
    rc = theme_call(lib, fn, ctx, &rows, err);
    free(fn);
    for (size_t k = 0; rc == BS_OK && k < value_len(fields); k++) {
        fn = xasprintf("%s.fields.%zu.value", name, k + 1);
        bs_value *v = NULL;
        if (theme_has_function(lib, fn) && (rc = theme_call(lib, fn, ctx, &v, err)) == BS_OK) {
            value_set(value_at(fields, k), "value", v);
        }
        free(fn);
    }
    if (rc == BS_OK) {
        xlsxw_sheet sheet = {spec, fields, rows, title};
        rc = xlsxw_write_book(&sheet, 1, path, err);
    }
    value_free(rows);
    value_free(fields);
    return rc;
}

int form_read(bs_theme *lib, const char *name, const char *file, bs_value **rows_out,
              bs_value *problems, bs_err *err)
{
    const bs_value *spec = NULL;
    int rc = form_spec(lib, name, &spec, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_xlsx *x = NULL;
    bs_grid *g = NULL;
    bs_value *rows = NULL;
    size_t before = value_len(problems);
    rc = xlsxr_open(file, &x, err);
    const char *prop = rc == BS_OK ? xlsxr_property(x, XLSXW_ID_PROPERTY) : NULL;
    const char *id = value_get_str(spec, "id");
    if (rc == BS_OK && prop && strcmp(prop, id) != 0) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: not the form '%s' but '%s'"), file, id, prop);
    }
    if (rc == BS_OK) {
        rc = xlsxr_read_sheet(x, value_get_str(spec, "sheet"), &g, err);
    }
    if (rc == BS_OK) {
        worksheet_read(spec, g, xlsxr_date1904(x), &rows, NULL, problems, err);
        bs_err_clear(err); // the problems say it
    }
    if (rc == BS_OK && rows) {
        char *fn = xasprintf("%s.check", name);
        rc = intake_check_rows(lib, fn, spec, g, rows, problems, err);
        free(fn);
    }
    if (rc == BS_OK) {
        rc = intake_refused(problems, before, file, err);
    }
    xlsxr_grid_free(g);
    xlsxr_close(x);
    if (rc != BS_OK) {
        value_free(rows);
        return rc;
    }
    *rows_out = rows;
    return BS_OK;
}
