#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "value.h"

struct bs_value {
    bs_vtype type; /* which member of `u` is live */
    int line;      /* source line recorded by a theme constructor, or 0 */
    union {
        bool b;
        int64_t i;
        double d;
        struct {
            char *s;  /* owned, NUL-terminated */
            size_t n; /* length without the NUL */
        } str;
        struct {
            bs_value **items; /* owned children */
            char **keys;      /* maps only: owned keys, parallel to items */
            size_t n, cap;
        } agg;
    } u;
};

static bs_value *new_value(bs_vtype t)
{
    bs_value *v = xcalloc(1, sizeof *v);
    v->type = t;
    return v;
}

bs_value *value_null(void)
{
    return new_value(BS_VNULL);
}

bs_value *value_bool(bool b)
{
    bs_value *v = new_value(BS_VBOOL);
    v->u.b = b;
    return v;
}

bs_value *value_int(int64_t i)
{
    bs_value *v = new_value(BS_VINT);
    v->u.i = i;
    return v;
}

bs_value *value_num(double d)
{
    bs_value *v = new_value(BS_VNUM);
    v->u.d = d;
    return v;
}

bs_value *value_strn(const char *s, size_t n)
{
    bs_value *v = new_value(BS_VSTR);
    v->u.str.s = xstrndup(s, n);
    v->u.str.n = n;
    return v;
}

bs_value *value_str(const char *s)
{
    return value_strn(s, strlen(s));
}

bs_value *value_list(void)
{
    return new_value(BS_VLIST);
}

bs_value *value_map(void)
{
    return new_value(BS_VMAP);
}

void value_free(bs_value *v)
{
    if (!v) {
        return;
    }
    switch (v->type) {
    case BS_VSTR:
        free(v->u.str.s);
        break;
    case BS_VLIST:
    case BS_VMAP:
        for (size_t i = 0; i < v->u.agg.n; i++) {
            value_free(v->u.agg.items[i]);
            if (v->u.agg.keys) {
                free(v->u.agg.keys[i]);
            }
        }
        free(v->u.agg.items);
        free(v->u.agg.keys);
        break;
    default:
        break;
    }
    free(v);
}

static void agg_append(bs_value *v, char *key, bs_value *child)
{
    if (v->u.agg.n == v->u.agg.cap) {
        v->u.agg.cap = v->u.agg.cap ? v->u.agg.cap * 2 : 4;
        v->u.agg.items = xrealloc(v->u.agg.items, v->u.agg.cap * sizeof *v->u.agg.items);
        if (v->type == BS_VMAP) {
            v->u.agg.keys = xrealloc(v->u.agg.keys, v->u.agg.cap * sizeof *v->u.agg.keys);
        }
    }
    v->u.agg.items[v->u.agg.n] = child;
    if (v->type == BS_VMAP) {
        v->u.agg.keys[v->u.agg.n] = key;
    }
    v->u.agg.n++;
}

bs_value *value_copy(const bs_value *v)
{
    if (!v) {
        return NULL;
    }
    bs_value *c;
    switch (v->type) {
    case BS_VSTR:
        c = value_strn(v->u.str.s, v->u.str.n);
        break;
    case BS_VLIST:
    case BS_VMAP:
        c = new_value(v->type);
        for (size_t i = 0; i < v->u.agg.n; i++) {
            char *key = v->type == BS_VMAP ? xstrdup(v->u.agg.keys[i]) : NULL;
            agg_append(c, key, value_copy(v->u.agg.items[i]));
        }
        break;
    default:
        c = new_value(v->type);
        c->u = v->u;
        break;
    }
    c->line = v->line;
    return c;
}

bs_vtype value_type(const bs_value *v)
{
    return v ? v->type : BS_VNULL;
}

const char *value_type_name(bs_vtype t)
{
    static const char *const names[] = {"null", "boolean", "integer", "number",
                                        "string", "list", "map"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

int value_line(const bs_value *v)
{
    return v ? v->line : 0;
}

void value_set_line(bs_value *v, int line)
{
    v->line = line;
}

bool value_as_bool(const bs_value *v)
{
    return v && v->type == BS_VBOOL && v->u.b;
}

int64_t value_as_int(const bs_value *v)
{
    if (v && v->type == BS_VINT) {
        return v->u.i;
    }
    if (v && v->type == BS_VNUM) {
        return (int64_t)v->u.d;
    }
    return 0;
}

double value_as_num(const bs_value *v)
{
    if (v && v->type == BS_VNUM) {
        return v->u.d;
    }
    if (v && v->type == BS_VINT) {
        return (double)v->u.i;
    }
    return 0;
}

const char *value_as_str(const bs_value *v)
{
    return v && v->type == BS_VSTR ? v->u.str.s : NULL;
}

size_t value_str_len(const bs_value *v)
{
    return v && v->type == BS_VSTR ? v->u.str.n : 0;
}

size_t value_len(const bs_value *v)
{
    return v && (v->type == BS_VLIST || v->type == BS_VMAP) ? v->u.agg.n : 0;
}

bs_value *value_at(const bs_value *v, size_t i)
{
    return i < value_len(v) ? v->u.agg.items[i] : NULL;
}

const char *value_key_at(const bs_value *v, size_t i)
{
    return v && v->type == BS_VMAP && i < v->u.agg.n ? v->u.agg.keys[i] : NULL;
}

static long map_find(const bs_value *v, const char *key)
{
    if (!v || v->type != BS_VMAP) {
        return -1;
    }
    for (size_t i = 0; i < v->u.agg.n; i++) {
        if (strcmp(v->u.agg.keys[i], key) == 0) {
            return (long)i;
        }
    }
    return -1;
}

bs_value *value_get(const bs_value *v, const char *key)
{
    long i = map_find(v, key);
    return i < 0 ? NULL : v->u.agg.items[i];
}

const char *value_get_str(const bs_value *v, const char *key)
{
    return value_as_str(value_get(v, key));
}

void value_push(bs_value *list, bs_value *child)
{
    agg_append(list, NULL, child);
}

void value_add(bs_value *map, const char *key, bs_value *child)
{
    agg_append(map, xstrdup(key), child);
}

bs_value *value_pop(bs_value *list)
{
    if (!list || list->type != BS_VLIST || list->u.agg.n == 0) {
        return NULL;
    }
    return list->u.agg.items[--list->u.agg.n];
}

void value_set(bs_value *map, const char *key, bs_value *child)
{
    long i = map_find(map, key);
    if (i >= 0) {
        value_free(map->u.agg.items[i]);
        map->u.agg.items[i] = child;
        return;
    }
    agg_append(map, xstrdup(key), child);
}

void value_set_str(bs_value *map, const char *key, const char *s)
{
    value_set(map, key, s ? value_str(s) : value_null());
}

void value_set_int(bs_value *map, const char *key, int64_t i)
{
    value_set(map, key, value_int(i));
}

void value_set_bool(bs_value *map, const char *key, bool b)
{
    value_set(map, key, value_bool(b));
}

void value_sort_keys(bs_value *map)
{
    if (!map || map->type != BS_VMAP) {
        return;
    }
    // Insertion sort: maps from themes are small, and it keeps this simple.
    for (size_t i = 1; i < map->u.agg.n; i++) {
        char *k = map->u.agg.keys[i];
        bs_value *v = map->u.agg.items[i];
        size_t j = i;
        while (j > 0 && strcmp(map->u.agg.keys[j - 1], k) > 0) {
            map->u.agg.keys[j] = map->u.agg.keys[j - 1];
            map->u.agg.items[j] = map->u.agg.items[j - 1];
            j--;
        }
        map->u.agg.keys[j] = k;
        map->u.agg.items[j] = v;
    }
}

void value_swap(bs_value *v, size_t i, size_t j)
{
    if (i >= value_len(v) || j >= value_len(v)) {
        return;
    }
    bs_value *t = v->u.agg.items[i];
    v->u.agg.items[i] = v->u.agg.items[j];
    v->u.agg.items[j] = t;
    if (v->u.agg.keys) {
        char *k = v->u.agg.keys[i];
        v->u.agg.keys[i] = v->u.agg.keys[j];
        v->u.agg.keys[j] = k;
    }
}

void value_scalar_text(const bs_value *v, char *buf, size_t n)
{
    switch (value_type(v)) {
    case BS_VSTR:
        snprintf(buf, n, "%s", value_as_str(v));
        break;
    case BS_VINT:
        snprintf(buf, n, "%lld", (long long)value_as_int(v));
        break;
    case BS_VNUM:
        snprintf(buf, n, "%g", value_as_num(v));
        break;
    case BS_VBOOL:
        snprintf(buf, n, "%s", value_as_bool(v) ? "TRUE" : "FALSE");
        break;
    default:
        buf[0] = '\0';
    }
}
