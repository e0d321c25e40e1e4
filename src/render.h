/* render: a Word template filled with JSON data, for tool authors who
 * preview a template without a theme (docs/templates.md): one document, or
 * one per item of a list in the data. */
#ifndef BS_RENDER_H
#define BS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "value.h"

typedef struct render_opts {
    bool strict;      /* a tag without a value is an error, not a warning */
    const char *each; /* one document per item of this top-level list, or NULL */
    const char *name; /* with `each`: name each file after the item's field, or NULL */
} render_opts;

/* Renders template `tmpl` with the JSON object in `data` (a file, or "-"
 * for standard input) into `out`: a file, or with `each` a directory
 * (created) of NNN.docx or <name>.docx files. The number of documents
 * written in *count; renderer warnings appended to `warnings` (may be
 * NULL). A broken template or bad data writes nothing; so does a document
 * past the output budget (docx_output_budget). */
int render_run(const char *tmpl, const char *data, const render_opts *o, const char *out,
               size_t *count, bs_value *warnings, bs_err *err);

#endif
