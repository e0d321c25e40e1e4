/* xmlu: parsing untrusted XML parts (libxml2) safely, and writing them back.
 *
 * Parts with a document type declaration are refused before parsing (OOXML
 * never has one), so no entity can be declared or expanded; the parser never
 * touches the network. Only the parser and the writer are here; the
 * renderers work on the tree with libxml2 directly. */
#ifndef BS_XMLU_H
#define BS_XMLU_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "err.h"

/* Parses `len` bytes into a new document (owned, free with xmlFreeDoc).
 * `name` ("template.docx!word/document.xml") names it in messages. */
int xmlu_parse(const char *data, size_t len, const char *name, xmlDocPtr *out, bs_err *err);

/* True when the bytes declare a document type before the root element (a
 * quick scan; xmlu_parse also checks the parsed tree). */
bool xmlu_has_doctype(const char *data, size_t len);

/* The first error libxml2 raised on a parser, kept instead of printed:
 * libxml2 prints some errors itself whatever the parser's options say (a
 * text node over its size limit, with 80 bytes of the text). */
typedef struct xmlu_fault {
    bool set;        /* an error was raised */
    bool huge_text;  /* it was a text node over libxml2's limit (10,000,000 bytes) */
    int line;        /* where, in the part */
    char what[300];  /* libxml2's message, trimmed */
} xmlu_fault;

/* An xmlStructuredErrorFunc that keeps the first error (not a warning) in
 * the xmlu_fault `fault`. */
void xmlu_fault_catch(void *fault, xmlErrorPtr e);

/* What went wrong, in our words where libxml2's would mean nothing to a
 * user: "line 3: a text of more than 10,000,000 bytes, too long to read" or
 * "not well-formed XML (line 3: …)". */
void xmlu_fault_describe(const xmlu_fault *f, char *buf, size_t size);

/* Serialises `doc` as UTF-8 with its XML declaration; owned buffer. */
int xmlu_write(xmlDocPtr doc, char **data_out, size_t *len_out, bs_err *err);

/* Appends the text of every descendant of `node` to `b`. */
struct bs_buf;
void xmlu_text(xmlNodePtr node, struct bs_buf *b);

#endif
