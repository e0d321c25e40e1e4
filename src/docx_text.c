/* docx_text: the text helpers that both halves of the renderer use (docx_int.h):
 * showing a tag in a message, escaping text for XML and dropping what XML 1.0
 * does not allow. Calls nothing in docx.c or docx_run.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"

const char *docx_tag_show(const tag *t, char *buf, size_t n)
{
    static const char sigil[] = {'\0', '#', '^', '/'};
    if (t->kind == TAG_VAR) {
        snprintf(buf, n, "{{%s}}", t->name);
    } else if (t->kind == TAG_TABLE || t->kind == TAG_CHART) {
        snprintf(buf, n, "{{%%%s %s}}", t->kind == TAG_TABLE ? "table" : "chart", t->name);
    } else {
        snprintf(buf, n, "{{%c%s}}", sigil[t->kind], t->name);
    }
    return buf;
}

void docx_escape(bs_buf *b, const char *s, size_t n, bool attr)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = attr ? "&quot;" : NULL; break;
        case '\r': rep = "&#13;"; break;
        case '\n': rep = attr ? "&#10;" : NULL; break;
        case '\t': rep = attr ? "&#9;" : NULL; break;
        default: break;
        }
        if (rep) {
            bs_buf_add(b, s + start, i - start);
            bs_buf_puts(b, rep);
            start = i + 1;
        }
    }
    bs_buf_add(b, s + start, n - start);
}

char *docx_xml_clean(const char *s)
{
    bs_buf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if ((c & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
            len = cp >= 0x80 ? 2 : 0;
        } else if ((c & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = cp >= 0x800 ? 3 : 0;
        } else if ((c & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
                   (p[3] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                 ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            len = cp >= 0x10000 ? 4 : 0;
        } else {
            len = 0;
            cp = 0;
        }
        if (len == 0) {
            p++; // broken or overlong UTF-8: dropped
            continue;
        }
        bool ok = cp == '\n' || cp == '\t' || (cp >= 0x20 && cp <= 0xD7FF) ||
                  (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (ok) {
            bs_buf_add(&b, (const char *)p, len);
        }
        p += len;
    }
    return bs_buf_take(&b);
}
