#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonv.h"
#include "util.h"

static json_t *to_json(const bs_value *v)
{
    switch (value_type(v)) {
    case BS_VNULL:
        return json_null();
    case BS_VBOOL:
        return json_boolean(value_as_bool(v));
    case BS_VINT:
        return json_integer(value_as_int(v));
    case BS_VNUM:
        return json_real(value_as_num(v));
    case BS_VSTR:
        return json_stringn_nocheck(value_as_str(v), value_str_len(v));
    case BS_VLIST: {
        json_t *a = json_array();
        for (size_t i = 0; i < value_len(v); i++) {
            json_array_append_new(a, to_json(value_at(v, i)));
        }
        return a;
    }
    case BS_VMAP: {
        json_t *o = json_object();
        for (size_t i = 0; i < value_len(v); i++) {
            json_object_set_new_nocheck(o, value_key_at(v, i), to_json(value_at(v, i)));
        }
        return o;
    }
    }
    return json_null();
}

char *jsonv_dump(const bs_value *v)
{
    json_t *j = to_json(v);
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(j);
    if (!s) {
        return xstrdup("null\n");
    }
    char *out = xasprintf("%s\n", s);
    free(s);
    return out;
}

static bs_value *from_json(json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        bs_value *m = value_map();
        const char *key;
        json_t *child;
        json_object_foreach(j, key, child) {
            value_set(m, key, from_json(child));
        }
        return m;
    }
    case JSON_ARRAY: {
        bs_value *l = value_list();
        size_t i;
        json_t *child;
        json_array_foreach(j, i, child) {
            value_push(l, from_json(child));
        }
        return l;
    }
    case JSON_STRING:
        return value_strn(json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return value_int(json_integer_value(j));
    case JSON_REAL:
        return value_num(json_real_value(j));
    case JSON_TRUE:
        return value_bool(true);
    case JSON_FALSE:
        return value_bool(false);
    case JSON_NULL:
        return value_null();
    }
    return value_null();
}

int jsonv_parse(const char *text, size_t len, const char *name, bs_value **out, bs_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        return bs_err_set(err, BS_EINPUT, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    }
    *out = from_json(j);
    json_decref(j);
    return BS_OK;
}

char *jsonv_dump_compact(const bs_value *v)
{
    json_t *j = to_json(v);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(j);
    if (!s) {
        return xstrdup("null");
    }
    char *out = xstrdup(s);
    free(s);
    return out;
}
