/* render: fill a Word template from JSON data, for tool authors. */
#include <stdio.h>

#include "cli_int.h"
#include "i18n.h"
#include "render.h"

static int run_render(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    (void)ctx;
    const char *out = cli_opt_val(a, "output");
    if (!out || !*out) {
        return bs_err_set(err, BS_EUSAGE, _("render: -o OUT is required"));
    }
    if (cli_flag(a, "pdf") && cli_opt_val(a, "each")) {
        return bs_err_set(err, BS_EUSAGE, _("render: --pdf goes without --each"));
    }
    render_opts o = {.strict = cli_flag(a, "strict"), .each = cli_opt_val(a, "each"),
                     .name = cli_opt_val(a, "name")};
    bs_value *warnings = value_list();
    size_t n = 0;
    int rc = render_run(a->pos[0], a->pos[1], &o, out, &n, warnings, err);
    cli_print_warnings(warnings);
    value_free(warnings);
    if (rc == BS_OK && !o.each) {
        rc = cli_pdf_files(a, out, err);
    }
    if (rc == BS_OK && o.each) {
        cli_line(ngettext("rendered %zu document into %s", "rendered %zu documents into %s", n), n,
                 out);
    }
    return rc;
}

static const cli_opt cmd_opts[] = {
    {"output", "OUT", N_("the document to write (with --each: a directory)"), 'o'},
    {"strict", NULL, N_("a tag without a value is an error, not a warning"), 0},
    {"each", "LIST", N_("one document per item of the top-level list LIST"), 0},
    {"name", "FIELD", N_("with --each: name each file after the item's FIELD"), 0},
    CLI_PDF_OPT,
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_render_cmds[] = {
    {"render", "TEMPLATE.docx DATA.json", N_("fill a Word template with JSON data"),
     N_("DATA.json may be - for standard input. Tags: {{a.b}} a value, {{#list}}…{{/list}}\n"
     "repeats (a table row, paragraphs, or text in one paragraph), {{^x}}…{{/x}} shows\n"
     "when x is false or empty, {{.}} the current item, {{@n}} its number. A broken\n"
     "template is reported with the part, the paragraph and the tag, and nothing is\n"
     "written; so is a document that grows past the output budget (256 MiB, or\n"
     "BANSOU_MAX_OUTPUT: bytes, or a number with K, M or G). See docs/templates.md."),
     2, 2, false, cmd_opts, run_render},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
