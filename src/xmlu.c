#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "util.h"
#include "xmlu.h"

/* True when the bytes declare a document type before the root element. */
bool xmlu_has_doctype(const char *data, size_t len)
{
    // A DOCTYPE can only come before the root element; look up to the
    // first '<' that starts neither a declaration nor a comment/PI.
    for (size_t i = 0; i + 9 <= len; i++) {
        if (data[i] != '<') {
            continue;
        }
        if (strncmp(data + i, "<!DOCTYPE", 9) == 0) {
            return true;
        }
        if (data[i + 1] != '?' && data[i + 1] != '!') {
            return false;
        }
    }
    return false;
}

int xmlu_parse(const char *data, size_t len, const char *name, xmlDocPtr *out, bs_err *err)
{
    if (len > (size_t)INT32_MAX) {
        return bs_err_set(err, BS_EINPUT, "%s: too large", name);
    }
    if (xmlu_has_doctype(data, len)) {
        return bs_err_set(err, BS_EINPUT, "%s: a document type declaration is not allowed", name);
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        return bs_err_set(err, BS_ENOMEM, "%s: cannot create an XML parser", name);
    }
    // No network, no entity substitution, no DTD loading; keep whitespace.
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    int rc = BS_OK;
    if (!doc || !ctxt->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        char what[300] = "unknown error";
        if (e && e->message) {
            snprintf(what, sizeof what, "line %d: %s", e->line, e->message);
            size_t n = strlen(what);
            while (n > 0 && (what[n - 1] == '\n' || what[n - 1] == ' ')) {
                what[--n] = '\0';
            }
        }
        rc = bs_err_set(err, BS_ECORRUPT, "%s: not well-formed XML (%s)", name, what);
        xmlFreeDoc(doc);
    } else if (doc->intSubset || doc->extSubset) {
        // The byte scan above misses a DOCTYPE after a comment holding '<' or
        // in UTF-16; the parsed tree does not.
        rc = bs_err_set(err, BS_EINPUT, "%s: a document type declaration is not allowed", name);
        xmlFreeDoc(doc);
    } else if (!xmlDocGetRootElement(doc)) {
        rc = bs_err_set(err, BS_ECORRUPT, "%s: empty XML document", name);
        xmlFreeDoc(doc);
    } else {
        *out = doc;
    }
    xmlFreeParserCtxt(ctxt);
    return rc;
}

int xmlu_write(xmlDocPtr doc, char **data_out, size_t *len_out, bs_err *err)
{
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (!mem) {
        return bs_err_set(err, BS_ENOMEM, "cannot serialise XML");
    }
    *data_out = xstrndup((const char *)mem, (size_t)size);
    *len_out = (size_t)size;
    xmlFree(mem);
    return BS_OK;
}

void xmlu_text(xmlNodePtr node, bs_buf *b)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            bs_buf_puts(b, (const char *)c->content);
        } else if (c->type == XML_ELEMENT_NODE) {
            xmlu_text(c, b);
        }
    }
}
