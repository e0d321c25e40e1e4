/* pdf: PDF copies of an engagement's documents (pdf.c), and --pdf of the
 * commands that write documents. */
#include <stdio.h>
#include <stdlib.h>

#include "cli_int.h"
#include "i18n.h"
#include "pdf.h"
#include "util.h"

const char cli_pdf_help[] = N_("also write a PDF of each file written (LibreOffice)");

int cli_pdf_after(cli_ctx *ctx, const cli_args *a, int64_t eng, int rc, bs_value *written,
                  bs_err *err)
{
    if (rc != BS_OK || !cli_flag(a, "pdf") || value_len(written) == 0) {
        return rc;
    }
    bs_value *pdfs = value_list();
    rc = pdf_engagement(ctx->s, eng, 0, written, cli_flag(a, "force"), pdfs, err);
    for (size_t i = 0; i < value_len(pdfs); i++) {
        value_push(written, value_copy(value_at(pdfs, i)));
    }
    value_free(pdfs);
    return rc;
}

int cli_pdf_files(const cli_args *a, const char *path, bs_err *err)
{
    if (!cli_flag(a, "pdf")) {
        return BS_OK;
    }
    bs_value *paths = value_list(), *pdfs = value_list();
    value_push(paths, value_str(path));
    int rc = pdf_convert(paths, NULL, pdfs, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(pdfs); i++) {
        cli_line("%s", value_as_str(value_at(pdfs, i)));
    }
    value_free(pdfs);
    value_free(paths);
    return rc;
}

int cli_pdf_one(cli_ctx *ctx, const cli_args *a, int64_t eng, const char *path, char **pdf_out,
                bs_err *err)
{
    *pdf_out = NULL;
    bs_value *w = value_list(), *m = value_map();
    value_set_str(m, "path", path);
    value_push(w, m);
    int rc = cli_pdf_after(ctx, a, eng, BS_OK, w, err);
    if (rc == BS_OK && value_len(w) > 1) {
        *pdf_out = xstrdup(value_get_str(value_at(w, 1), "path"));
    }
    value_free(w);
    return rc;
}

static int run_pdf(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int n = 0;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK && a->npos > 1) {
        rc = cli_parse_visit(a->pos[1], &n, err);
    }
    bs_value *written = value_list();
    if (rc == BS_OK) {
        rc = pdf_engagement(ctx->s, eng, n, NULL, cli_flag(a, "force"), written, err);
    }
    if (rc == BS_OK && cli_flag(a, "json")) {
        cli_print_json(written);
    } else {
        cli_print_paths(written);
    }
    value_free(written);
    return rc;
}

static const cli_opt pdf_opts[] = {
    {"json", NULL, N_("print JSON: the PDFs written"), 0},
    {"force", NULL,
     N_("keep a file edited since it was written as NAME.edited-DATE, then write it anew"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_pdf_cmds[] = {
    {"pdf", "ENG [VISIT]", N_("write a PDF of each document of an engagement, or of one visit"),
     N_("Converts each document on record (DOCX and XLSX, see `documents ENG`) whose\n"
        "file is there to a PDF beside it, with the same name, through LibreOffice\n"
        "run headless; `documents` lists the PDFs too and tells an edited one, which\n"
        "is not written over (--force keeps it under a dated name first). The program\n"
        "is soffice on PATH, or $BANSOU_SOFFICE. Without LibreOffice nothing is\n"
        "written: install it with\n"
        "  apt-get install libreoffice-writer-nogui libreoffice-calc-nogui\n"
        "The commands that write documents take --pdf to do the same for what they\n"
        "wrote."),
     1, 2, true, pdf_opts, run_pdf},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
