/* docx_int: what docx.c (loading and compiling templates), docx_run.c
 * (running them) and docx_text.c (text helpers both use) share. Not for
 * other modules.
 *
 * A template part is compiled once into a program: static XML bytes
 * interleaved with operations that insert a value or repeat a body. Rendering
 * runs the program into a byte buffer; no XML tree is built per document. */
#ifndef BS_DOCX_INT_H
#define BS_DOCX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "docx.h"
#include "util.h"
#include "zipio.h"

enum {
    DOCX_MAX_TAG = 200,  /* bytes of a tag's name, with its NUL */
    DOCX_MAX_NEST = 256, /* sections and cells inside each other in a compiled image */
};

typedef enum tag_kind {
    TAG_VAR,
    TAG_OPEN,
    TAG_INVERT,
    TAG_CLOSE,
    TAG_TABLE, /* {{%table x}}: the paragraph becomes a table */
    TAG_CHART, /* {{%chart x}}: the paragraph shows a chart */
} tag_kind;

typedef struct tag {
    tag_kind kind;
    char name[DOCX_MAX_TAG]; /* path, "." or "@n" */
} tag;

typedef enum op_kind {
    OP_BYTES,   /* copy bytes[off, off + len) */
    OP_VAR,     /* a run: bytes[off, off + len) opens it ("<w:r><w:rPr>…"), then the value */
    OP_TEXTVAR, /* the value as escaped text only (document properties) */
    OP_SEC,     /* repeat ops (this, end) per item, or show them once, or not */
    OP_CELL,    /* run ops (this, end), a table cell's content; if they wrote no
                   paragraph or table, write an empty paragraph (a cell needs one) */
    OP_BLOCK,   /* a block tag's paragraph: a table, or bytes[off, off + len) (the
                   paragraph's opening and properties) then the chart's run */
} op_kind;

typedef struct op {
    op_kind kind;
    uint32_t off, len;      /* static bytes (BYTES, VAR) */
    uint32_t tag;           /* index into the program's tags (VAR, TEXTVAR, SEC) */
    uint32_t end;           /* SEC: the first op after the body */
    uint32_t pfx_off, pfx_len; /* VAR, CELL: the element prefix ("w") in bytes */
} op;

/* A tag as the program uses it, with where it stands for messages. */
typedef struct ptag {
    tag t;
    char *where; /* owned: "paragraph '…'" or "" */
} ptag;

typedef struct program {
    bs_buf bytes; /* owned: static XML */
    op *ops;      /* owned */
    size_t nops, cap;
    ptag *tags;   /* owned */
    size_t ntags, tcap;
    size_t barrier; /* ops before this index are closed to merging (a body ended) */
} program;

typedef struct part {
    char *name;   /* owned: the zip entry */
    program pg;   /* the compiled part */
} part;

struct bs_docx {
    bs_zip *zip;  /* owned: the template archive, for copying other entries */
    part *parts;  /* owned */
    size_t nparts;
};

/* Puts the WordprocessingML of `doc` as Word's validator takes it
 * (docx_schema.c): property elements in schema order, a repeated one once,
 * on/off-only values spelt "on"/"off". True when anything changed. */
bool docx_schema_normalise(xmlDocPtr doc);

/* Frees what a program owns (not the struct). */
void docx_program_free(program *pg);

/* "{{#name}}" etc. into buf. */
const char *docx_tag_show(const tag *t, char *buf, size_t n);
/* `s` without what XML 1.0 does not allow. Owned. */
char *docx_xml_clean(const char *s);
/* Appends `s` (n bytes) escaped for XML text or, if attr, an attribute. */
void docx_escape(bs_buf *b, const char *s, size_t n, bool attr);

/* The block tags (docx_block.c). Whether `v` is what {{%table}} takes
 * (else *why says what it is not), and the w:tbl of it with prefix `pfx`. */
bool docx_table_value(const bs_value *v, const char **why);
void docx_table_xml(bs_buf *out, const bs_value *v, const char *pfx, size_t pl);
/* Whether `v` is what {{%chart}} takes; its chart part (word/charts/…);
 * the run that shows chart `n` (relationship DOCX_CHART_RID n); and the
 * workbook of its values that Word opens to edit them (owned bytes). */
bool docx_chart_value(const bs_value *v, const char **why);
void docx_chart_part(bs_buf *out, const bs_value *v);
void docx_chart_drawing(bs_buf *out, const bs_value *v, int n, const char *pfx, size_t pl);
int docx_chart_book(const bs_value *v, char **out, size_t *len, bs_err *err);
#define DOCX_CHART_RID "rIdBansouChart"

#endif
