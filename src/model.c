#include <string.h>

#include "model.h"

const model_part model_parts[3] = {
    {"prep", "事前準備"}, {"onsite", "当日"}, {"after", "事後"}};

const bs_value *model_step(const bs_value *model, int n)
{
    return n >= 1 ? value_at(value_get(model, "steps"), (size_t)n - 1) : NULL;
}

const bs_value *model_step_item(const bs_value *model, int n, const char *item)
{
    const bs_value *st = model_step(model, n);
    for (size_t p = 0; st && p < 3; p++) {
        const bs_value *l = value_get(st, model_parts[p].key);
        for (size_t i = 0; i < value_len(l); i++) {
            const char *id = value_get_str(value_at(l, i), "id");
            if (id && strcmp(id, item) == 0) {
                return value_at(l, i);
            }
        }
    }
    return NULL;
}

int model_visits(const bs_value *model)
{
    const bs_value *v = value_get(model, "visits");
    return v ? (int)value_as_int(v) : (int)value_len(value_get(model, "steps"));
}

bs_value *model_step_ids(const bs_value *model, int n)
{
    bs_value *ids = value_list();
    const bs_value *st = model_step(model, n);
    for (size_t p = 0; st && p < 3; p++) {
        const bs_value *l = value_get(st, model_parts[p].key);
        for (size_t i = 0; i < value_len(l); i++) {
            value_push(ids, value_str(value_get_str(value_at(l, i), "id")));
        }
    }
    return ids;
}
