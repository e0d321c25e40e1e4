/* model: reading a theme's model, the value tree a theme script returned
 * (docs/theme-format.md): its visit steps and their items. Values only; no
 * Lua. */
#ifndef BS_MODEL_H
#define BS_MODEL_H

#include "value.h"

/* The theme's visit step `n` (1-based) in a model, or NULL (lent). */
const bs_value *model_step(const bs_value *model, int n);
/* The item with id `item` in step `n` (any of prep/onsite/after), or NULL. */
const bs_value *model_step_item(const bs_value *model, int n, const char *item);
/* The number of visits a valid theme declares. */
int model_visits(const bs_value *model);

/* The parts of a step in order, each with its Japanese heading. */
typedef struct model_part {
    const char *key;     /* "prep", "onsite", "after" */
    const char *heading; /* "事前準備", "当日", "事後" */
} model_part;
extern const model_part model_parts[3];

/* The ids of every item of step `n`, in order (a new list of strings). */
bs_value *model_step_ids(const bs_value *model, int n);

#endif
