/* docx_image: a compiled template as bytes, and back (docx.h). A build
 * compiles the templates it ships once (tools/embed.c) and a command then
 * starts from the image instead of parsing and compiling every template it
 * uses again. Every length, offset and index of an image is checked before
 * it is used: an image that does not fit its template is refused, never
 * trusted.
 *
 * Layout, all numbers 32-bit little-endian:
 *   "BSDX" version nparts
 *   per part: name, bytes (a length, then that many bytes), nops, per op:
 *   kind off len tag end pfx_off pfx_len, ntags, per tag: kind, name, where */
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"
#include "i18n.h"

enum { IMAGE_VERSION = 2 };

static void put_u32(bs_buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    bs_buf_add(b, (const char *)c, 4);
}

static void put_bytes(bs_buf *b, const char *s, size_t n)
{
    put_u32(b, (uint32_t)n);
    bs_buf_add(b, s ? s : "", n);
}

void docx_image(const bs_docx *t, bs_buf *out)
{
    bs_buf_add(out, "BSDX", 4);
    put_u32(out, IMAGE_VERSION);
    put_u32(out, (uint32_t)t->nparts);
    for (size_t i = 0; i < t->nparts; i++) {
        const part *p = &t->parts[i];
        const program *pg = &p->pg;
        put_bytes(out, p->name, strlen(p->name));
        put_bytes(out, pg->bytes.s, pg->bytes.len);
        put_u32(out, (uint32_t)pg->nops);
        for (size_t k = 0; k < pg->nops; k++) {
            const op *o = &pg->ops[k];
            uint32_t f[7] = {o->kind, o->off, o->len, o->tag, o->end, o->pfx_off, o->pfx_len};
            for (int j = 0; j < 7; j++) {
                put_u32(out, f[j]);
            }
        }
        put_u32(out, (uint32_t)pg->ntags);
        for (size_t k = 0; k < pg->ntags; k++) {
            const ptag *pt = &pg->tags[k];
            put_u32(out, pt->t.kind);
            put_bytes(out, pt->t.name, strlen(pt->t.name));
            put_bytes(out, pt->where, strlen(pt->where));
        }
    }
}

/* A reader over an image; `bad` once anything did not fit. */
typedef struct reader {
    const unsigned char *p, *end;
    bool bad;
} reader;

static uint32_t get_u32(reader *r)
{
    if (r->bad || r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

/* The next length-prefixed bytes (lent from the image), at most `max`. */
static const char *get_bytes(reader *r, size_t max, size_t *len)
{
    uint32_t n = get_u32(r);
    if (r->bad || n > max || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        *len = 0;
        return "";
    }
    const char *s = (const char *)r->p;
    r->p += n;
    *len = n;
    return s;
}

static bool no_nul(const char *s, size_t n)
{
    return memchr(s, '\0', n) == NULL;
}

/* Whether the ops of a program run within its bytes and tags, and every
 * body [i + 1, end) of a section or cell lies inside the body around it. */
static bool ops_fit(const program *pg)
{
    size_t stack[DOCX_MAX_NEST + 1];
    size_t depth = 0, limit = pg->nops;
    for (size_t i = 0; i < pg->nops; i++) {
        while (depth > 0 && i >= stack[depth - 1]) {
            depth--;
        }
        limit = depth > 0 ? stack[depth - 1] : pg->nops;
        const op *o = &pg->ops[i];
        size_t nbytes = pg->bytes.len;
        if (o->kind > OP_BLOCK || o->off > nbytes || o->len > nbytes - o->off ||
            o->pfx_off > nbytes || o->pfx_len > nbytes - o->pfx_off) {
            return false;
        }
        if (o->kind != OP_BYTES && o->kind != OP_CELL && o->tag >= pg->ntags) {
            return false;
        }
        if (o->kind == OP_SEC || o->kind == OP_CELL) {
            if (o->end <= i || o->end > limit || depth == DOCX_MAX_NEST) {
                return false;
            }
            stack[depth++] = o->end;
        }
    }
    return true;
}

/* Reads one part's program into `pg`; false when it does not fit. */
static bool read_program(reader *r, program *pg)
{
    size_t n = 0;
    const char *bytes = get_bytes(r, SIZE_MAX, &n);
    bs_buf_add(&pg->bytes, bytes, n);
    uint32_t nops = get_u32(r);
    if (r->bad || nops > (size_t)(r->end - r->p) / 28) {
        return false;
    }
    pg->ops = xcalloc(nops + 1, sizeof *pg->ops);
    pg->nops = pg->cap = nops;
    for (uint32_t k = 0; k < nops; k++) {
        uint32_t f[7];
        for (int j = 0; j < 7; j++) {
            f[j] = get_u32(r);
        }
        pg->ops[k] = (op){.kind = (op_kind)f[0], .off = f[1], .len = f[2], .tag = f[3],
                          .end = f[4], .pfx_off = f[5], .pfx_len = f[6]};
    }
    uint32_t ntags = get_u32(r);
    if (r->bad || ntags > (size_t)(r->end - r->p) / 12) {
        return false;
    }
    pg->tags = xcalloc(ntags + 1, sizeof *pg->tags);
    pg->tcap = ntags;
    for (uint32_t k = 0; k < ntags && !r->bad; k++) {
        ptag *pt = &pg->tags[k];
        uint32_t kind = get_u32(r);
        size_t nl = 0, wl = 0;
        const char *name = get_bytes(r, DOCX_MAX_TAG - 1, &nl);
        const char *where = get_bytes(r, 1 << 16, &wl);
        if (r->bad || kind > TAG_CHART || !no_nul(name, nl) || !no_nul(where, wl)) {
            return false;
        }
        pt->t.kind = (tag_kind)kind;
        memcpy(pt->t.name, name, nl);
        pt->t.name[nl] = '\0';
        pt->where = xstrndup(where, wl);
        pg->ntags = k + 1;
    }
    return !r->bad && ops_fit(pg);
}

int docx_open_image(const void *data, size_t len, const char *name, const void *image,
                    size_t ilen, bs_docx **out, bs_err *err)
{
    bs_docx *t = xcalloc(1, sizeof *t);
    int rc = zipio_open_mem(data, len, name, &t->zip, err);
    if (rc != BS_OK) {
        free(t);
        return rc;
    }
    reader r = {.p = image, .end = (const unsigned char *)image + ilen};
    bool ok = ilen >= 4 && memcmp(image, "BSDX", 4) == 0;
    r.p += ok ? 4 : 0;
    ok = ok && get_u32(&r) == IMAGE_VERSION;
    uint32_t nparts = ok ? get_u32(&r) : 0;
    ok = ok && !r.bad && nparts <= zipio_count(t->zip);
    if (ok) {
        t->parts = xcalloc(nparts + 1, sizeof *t->parts);
    }
    for (uint32_t i = 0; ok && i < nparts; i++) {
        size_t nl = 0;
        const char *pname = get_bytes(&r, 1 << 16, &nl);
        part *p = &t->parts[t->nparts++];
        p->name = xstrndup(pname, nl);
        // A part the template does not have cannot be rendered into it.
        ok = !r.bad && no_nul(pname, nl) && zipio_find(t->zip, p->name) >= 0 &&
             read_program(&r, &p->pg);
    }
    if (!ok || r.p != r.end) {
        docx_free(t);
        return bs_err_set(err, BS_ECORRUPT, _("%s: the compiled template does not fit it"), name);
    }
    *out = t;
    return BS_OK;
}
