/* PDF copies of the documents written, through LibreOffice run headless:
 * for companies that read what an expert hands them but have no Word. */
#ifndef BS_PDF_H
#define BS_PDF_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* The PDF of the document at `path`: the same folder, the same base name,
 * the extension (.docx, .xlsx, or none) replaced by .pdf. Owned. */
char *pdf_name(const char *path);

/* Converts each file of `paths` (a list of strings: DOCX or XLSX) to the
 * PDF beside it (pdf_name), in one run of LibreOffice; the paths of the
 * PDFs go to `out` in the same order. All or nothing: on failure no PDF is
 * placed nor left half-written, and the documents are untouched. The
 * program is $BANSOU_SOFFICE, else `soffice` on PATH. Its private profile
 * and output live in a temporary folder under `tmp_parent` (NULL: $TMPDIR,
 * else /tmp), removed afterwards. */
int pdf_convert(const bs_value *paths, const char *tmp_parent, bs_value *out, bs_err *err);

/* Converts the engagement's documents on record (not its PDFs): those of
 * visit `visit` (0: every one), and when `only` is not NULL, only those
 * whose path it lists (strings or maps with "path"). Each PDF is recorded
 * as a document of kind "pdf" with its hash, and a map {path} goes to
 * `written`. A document whose file is gone is skipped; none to convert is
 * BS_ESTATE. A PDF edited since it was written is refused (BS_ESTATE)
 * before anything is converted, or with `force` kept under a dated name
 * first, as the documents are (job_keep_recorded). */
int pdf_engagement(bs_session *s, int64_t eng, int visit, const bs_value *only, bool force,
                   bs_value *written, bs_err *err);

#endif
