/* jsonv: the value tree to and from JSON text (through jansson). */
#ifndef BS_JSONV_H
#define BS_JSONV_H

#include <stddef.h>

#include "err.h"
#include "value.h"

/* Parses `len` bytes of JSON into a new value tree (owned, in *out).
 * `name` names the input in messages ("data.json:3:7: …"). */
int jsonv_parse(const char *text, size_t len, const char *name, bs_value **out, bs_err *err);

/* Serialises `v` as indented UTF-8 JSON ending in a newline; owned by the
 * caller. Map key order is kept. */
char *jsonv_dump(const bs_value *v);

/* The same on one line, without the newline. */
char *jsonv_dump_compact(const bs_value *v);

#endif
