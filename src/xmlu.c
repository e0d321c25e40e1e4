#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "i18n.h"
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

static void fault_set(xmlu_fault *f, const xmlError *e)
{
    f->set = true;
    f->line = e->line;
    // libxml2 up to 2.10 says "xmlSAX2Characters: huge text node" (with the
    // code of an allocation failure) for a text over XML_MAX_TEXT_LENGTH.
    f->huge_text = e->message && strstr(e->message, "huge text node");
    snprintf(f->what, sizeof f->what, "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(f->what);
    while (n > 0 && (f->what[n - 1] == '\n' || f->what[n - 1] == ' ')) {
        f->what[--n] = '\0';
    }
}

void xmlu_fault_catch(void *fault, xmlErrorPtr e)
{
    xmlu_fault *f = fault;
    if (f && e && !f->set && e->level >= XML_ERR_ERROR) {
        fault_set(f, e);
    }
}

void xmlu_fault_describe(const xmlu_fault *f, char *buf, size_t size)
{
    if (!f->set) {
        snprintf(buf, size, "not well-formed XML (unknown error)");
    } else if (f->huge_text) {
        snprintf(buf, size, "line %d: a text of more than 10,000,000 bytes, too long to read",
                 f->line);
    } else {
        snprintf(buf, size, "not well-formed XML (line %d: %s)", f->line, f->what);
    }
}

/* Takes libxml2's errors for a parser context without printing them; what
 * they were is then in the context's last error. */
static void quiet(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

int xmlu_parse(const char *data, size_t len, const char *name, xmlDocPtr *out, bs_err *err)
{
    if (len > (size_t)INT32_MAX) {
        return bs_err_set(err, BS_EINPUT, _("%s: too large"), name);
    }
    if (xmlu_has_doctype(data, len)) {
        return bs_err_set(err, BS_EINPUT, _("%s: a document type declaration is not allowed"),
                          name);
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        return bs_err_set(err, BS_ENOMEM, _("%s: cannot create an XML parser"), name);
    }
    // A structured handler of our own: libxml2 then prints nothing, even
    // the errors it reports through the validity channel.
    ctxt->sax->serror = quiet;
    // No network, no entity substitution, no DTD loading; keep whitespace.
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    int rc = BS_OK;
    // A parser that stopped early (a text node over its limit) leaves a
    // well-formed tree of what it read so far: that is no document either.
    if (!doc || !ctxt->wellFormed || ctxt->disableSAX) {
        xmlu_fault f = {0};
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        if (e && e->code != XML_ERR_OK) {
            fault_set(&f, e);
        }
        char what[400];
        xmlu_fault_describe(&f, what, sizeof what);
        rc = bs_err_set(err, BS_ECORRUPT, "%s: %s", name, what);
        xmlFreeDoc(doc);
    } else if (doc->intSubset || doc->extSubset) {
        // The byte scan above misses a DOCTYPE after a comment holding '<' or
        // in UTF-16; the parsed tree does not.
        rc = bs_err_set(err, BS_EINPUT, _("%s: a document type declaration is not allowed"), name);
        xmlFreeDoc(doc);
    } else if (!xmlDocGetRootElement(doc)) {
        rc = bs_err_set(err, BS_ECORRUPT, _("%s: empty XML document"), name);
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
        return bs_err_set(err, BS_ENOMEM, _("cannot serialise XML"));
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
