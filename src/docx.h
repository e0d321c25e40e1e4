/* docx: Word templates filled from a value tree.
 *
 * A template is an ordinary .docx whose text holds mustache-like tags:
 * {{a.b}} inserts a value, {{#x}}…{{/x}} repeats for each item of a list or
 * shows once for a true value, {{^x}}…{{/x}} shows when x is false, missing
 * or empty, {{.}} is the current item and {{@n}} its 1-based number. A
 * section repeats a table row (open and close in one row), the blocks
 * between two paragraphs, or the text between two tags of one paragraph.
 * Tags may be split across runs. The body, headers, footers, footnotes,
 * endnotes and the document properties are rendered; every other part is
 * copied unchanged, but for what Word's validator would refuse: every part
 * is put in schema order when the template is compiled (docx_schema.c).
 * See docs/templates.md. */
#ifndef BS_DOCX_H
#define BS_DOCX_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"
#include "value.h"

typedef struct bs_docx bs_docx;

/* Loads and checks a template: a broken one (unclosed or mismatched
 * section, a section across table rows, an unknown tag) is BS_EINPUT naming
 * the part, the paragraph's text and the tag. The result is owned. */
int docx_open(const char *path, bs_docx **out, bs_err *err);
/* The same from memory; `name` is used in messages. `data` is copied. */
int docx_open_mem(const void *data, size_t len, const char *name, bs_docx **out, bs_err *err);
void docx_free(bs_docx *t);

/* A compiled template as bytes (docx_image.c), appended to `out`: what a
 * build ships so that commands need not compile its templates again. */
void docx_image(const bs_docx *t, bs_buf *out);
/* Opens the template whose file bytes are `data` (copied) from the image
 * docx_image made of it, without parsing or compiling anything: an image
 * that does not fit the file is BS_ECORRUPT. */
int docx_open_image(const void *data, size_t len, const char *name, const void *image,
                    size_t ilen, bs_docx **out, bs_err *err);

/* Writes the Word file `in` to `out` with every XML part as a template is
 * compiled (docx_schema.c: schema order, on/off-only values) and nothing
 * else changed, its entries in the same order and all dated 1980-01-01, so
 * that the same input gives the same bytes. For templates/make-templates:
 * the templates an author edits are valid as they are. BS_EINPUT or BS_EIO
 * naming the file; `out` is written atomically. */
int docx_normalise_file(const char *in, const char *out, bs_err *err);

typedef struct bs_docx_opts {
    bool strict;          /* a tag without a value is an error naming every such tag
                           * (each also a warning, with its paragraph), not a warning */
    bool dry;             /* render and report, write nothing (out_path unused) */
    bs_value *warnings;   /* list receiving warning strings, or NULL */
    const bs_value *item; /* a scope over `data` (one item of a batch), or NULL */
    int64_t index;        /* the item's 1-based number, for {{@n}} */
    char *sha256_out;     /* 65 bytes receiving the SHA-256 of the file written, or NULL */
    size_t max_output;    /* the output budget in bytes; 0: docx_output_budget() */
} bs_docx_opts;

/* The output budget of a document: BANSOU_MAX_OUTPUT (bytes, or a number
 * with K, M or G) or 256 MiB. A value that is not a size is BS_EINPUT. */
int docx_output_budget(size_t *out, bs_err *err);

/* Renders `data` into a new document at `out_path`: the archive is built in
 * memory and written atomically (a temporary file renamed into place), so on
 * failure nothing is written and an existing file is left as it was. `opts`
 * may be NULL. A document whose parts would grow past the output budget
 * (sections inside each other over long lists) is BS_EINPUT, naming the
 * part, the paragraph and the sections, as soon as it does. */
int docx_render(const bs_docx *t, const bs_value *data, const bs_docx_opts *opts,
                const char *out_path, bs_err *err);

#endif
