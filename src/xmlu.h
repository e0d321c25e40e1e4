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

/* Serialises `doc` as UTF-8 with its XML declaration; owned buffer. */
int xmlu_write(xmlDocPtr doc, char **data_out, size_t *len_out, bs_err *err);

/* Appends the text of every descendant of `node` to `b`. */
struct bs_buf;
void xmlu_text(xmlNodePtr node, struct bs_buf *b);

#endif
