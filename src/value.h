/* value: the neutral value tree between theme scripts and everything else.
 *
 * Themes hand the engine values of seven kinds: null, bool, integer, number,
 * string, list and map (string keys, insertion order kept). Renderers, the
 * store and the CLI see only this tree, never Lua.
 *
 * Ownership, the one rule: a constructor returns an owned value; adding a
 * child to a list or map gives the child to the parent (the caller must not
 * use or free it afterwards); getters lend, valid until the parent is
 * changed or freed. value_free(NULL) is a no-op. */
#ifndef BS_VALUE_H
#define BS_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum bs_vtype {
    BS_VNULL,
    BS_VBOOL,
    BS_VINT,
    BS_VNUM,
    BS_VSTR,
    BS_VLIST,
    BS_VMAP,
} bs_vtype;

typedef struct bs_value bs_value;

bs_value *value_null(void);
bs_value *value_bool(bool b);
bs_value *value_int(int64_t i);
bs_value *value_num(double d);
/* Copies `n` bytes of `s` (which may hold NUL bytes). */
bs_value *value_strn(const char *s, size_t n);
bs_value *value_str(const char *s);
bs_value *value_list(void);
bs_value *value_map(void);
/* A deep copy, owned by the caller. */
bs_value *value_copy(const bs_value *v);
void value_free(bs_value *v);

bs_vtype value_type(const bs_value *v);
/* "null", "boolean", "integer", "number", "string", "list", "map". */
const char *value_type_name(bs_vtype t);

/* The source line a theme constructor recorded for this list or map; 0 when
 * unknown. */
int value_line(const bs_value *v);
void value_set_line(bs_value *v, int line);

bool value_as_bool(const bs_value *v);     /* false unless a true boolean */
int64_t value_as_int(const bs_value *v);   /* integers, and numbers truncated */
double value_as_num(const bs_value *v);    /* numbers and integers, else 0 */
/* The string's bytes (NUL-terminated), NULL if `v` is not a string. */
const char *value_as_str(const bs_value *v);
size_t value_str_len(const bs_value *v);
/* A scalar as text into buf: strings as they are, integers in decimal,
 * numbers with %g, booleans TRUE/FALSE; "" for null, lists and maps. */
void value_scalar_text(const bs_value *v, char *buf, size_t n);

/* Lists and maps: number of children (0 for scalars). */
size_t value_len(const bs_value *v);
/* The i-th child of a list or map (NULL out of range). */
bs_value *value_at(const bs_value *v, size_t i);
/* The i-th key of a map (NULL out of range or not a map). */
const char *value_key_at(const bs_value *v, size_t i);
/* A map's child by key; NULL when missing or `v` is not a map. */
bs_value *value_get(const bs_value *v, const char *key);
/* The string under `key`, or NULL. */
const char *value_get_str(const bs_value *v, const char *key);

/* Takes `child`. */
void value_push(bs_value *list, bs_value *child);
/* Removes the last child of a list and gives it to the caller (owned);
 * NULL when the list is empty or `list` is not a list. */
bs_value *value_pop(bs_value *list);
/* Takes `child`; replaces (and frees) an existing child under `key`. */
void value_set(bs_value *map, const char *key, bs_value *child);
/* Takes `child` and appends it under `key`, which the map must not hold
 * yet (the caller knows the keys are distinct, e.g. those of a Lua table):
 * no look-up, so building a map of n keys is linear. */
void value_add(bs_value *map, const char *key, bs_value *child);
/* Shorthands for value_set with a fresh scalar. A NULL string sets null. */
void value_set_str(bs_value *map, const char *key, const char *s);
void value_set_int(bs_value *map, const char *key, int64_t i);
void value_set_bool(bs_value *map, const char *key, bool b);
/* Exchanges the children at i and j of a list or map (no-op out of range). */
void value_swap(bs_value *v, size_t i, size_t j);
/* Orders a map's entries by key (byte order). */
void value_sort_keys(bs_value *map);

#endif
