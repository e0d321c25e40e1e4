/* engagement: what front ends do to an engagement that needs its theme:
 * starting one, moving it to another theme or variant, ticking syllabus
 * items, and describing it (status, variants, tasks) for display. Each
 * change is one transaction in workflow.c; this module finds the theme. */
#ifndef BS_ENGAGEMENT_H
#define BS_ENGAGEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* Starts an engagement of `company` (id or exact name) with `expert` (id
 * or exact name) on theme `theme` in the variant of `o` (NULL: auto; see
 * workflow_set_variant). A company that may not take part
 * (application_eligibility) is refused with the rules that fail, unless
 * `o->override` gives the reason to engage it all the same, which the log
 * keeps with those rules. A consultation given is linked (see
 * workflow_engage). Advisory notes go to `warnings` (may be NULL); `o` may
 * be NULL. */
typedef struct engagement_opts {
    const char *variant;  /* NULL: auto */
    const char *override; /* the reason to engage a company that may not take part */
    int64_t consultation; /* the consultation it comes from (linked), or 0 */
} engagement_opts;
int engagement_start(bs_session *s, const char *company, const char *expert, const char *theme,
                     const engagement_opts *o, bs_value *warnings, int64_t *id_out,
                     bs_err *err);
int engagement_change_theme(bs_session *s, int64_t eng, const char *theme, const char *reason,
                            bs_err *err);
int engagement_set_variant(bs_session *s, int64_t eng, const char *variant, bs_err *err);

/* Ticks (done) or unticks items of visit `n`: `items` (a list of ids), or
 * with items NULL every item of the visit. All or none. The ids changed in
 * *ids_out (owned). */
int engagement_tasks(bs_session *s, int64_t eng, int n, const bs_value *items, bool done,
                     bs_value **ids_out, bs_err *err);
/* The syllabus items of the engagement (visit `only`, or 0 for all) with
 * their ticks: a list of maps {visit, part (its heading), item, done,
 * company, expert}. Owned. */
int engagement_task_list(bs_session *s, int64_t eng, int only, bs_value **out, bs_err *err);

/* The engagement with its status (workflow_status), `variants` in force,
 * `theme_title` and `tasks` (the ticked items). Owned. */
int engagement_describe(bs_session *s, int64_t eng, bs_value **out, bs_err *err);
/* Every engagement with its status fields. Owned. */
int engagement_status_list(bs_session *s, bs_value **out, bs_err *err);

#endif
