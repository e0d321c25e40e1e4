/* workflow: every command that changes a workspace, each one transaction
 * with its event. The engagement and visit state machine lives here:
 *
 *   engagement: matched → active → completed | terminated (reason)
 *   visit N:    pending → planned (date) → prepared → held (date,
 *               attendees, notes) → reported
 *
 * Visit N cannot be held before visit N−1, dates never go backwards, and an
 * engagement that ended accepts no change. A failed call changes nothing.
 * `actor` names who acts in the event log. */
#ifndef BS_WORKFLOW_H
#define BS_WORKFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "value.h"

enum {
    WORKFLOW_NAME_MAX = 100,        /* characters of a company's or an expert's name */
    WORKFLOW_FOLDER_NAME_MAX = 150, /* bytes of a company's name in its folder's name */
};

/* Whether `name` may name a company (`company` true) or an expert: not
 * empty, UTF-8, without a control character, at most WORKFLOW_NAME_MAX
 * characters (a name is printed in tables and documents, and a folder
 * name has 255 bytes at most); a company's must leave
 * something of itself in its folder's name (workflow_company_folder), so
 * not only dots and spaces. The message names "company name" or "expert
 * name" and shows the name with its control characters made visible. */
int workflow_check_name(const char *name, bool company, bs_err *err);
/* The name of company `id`'s folder under out/: the id in three digits or
 * more, '_', and the name made safe for Linux, Windows and macOS
 * (bs_safe_name, at most WORKFLOW_FOLDER_NAME_MAX bytes), "001_株式会社テスト".
 * The id keeps two companies apart whatever their names become. Owned. */
char *workflow_company_folder(int64_t id, const char *name);

/* Register a company or an expert, or change a company's profile; the
 * names are checked (workflow_check_name). */
int workflow_company_add(bs_store *st, const char *actor, const bs_value *fields,
                         int64_t *id_out, bs_err *err);
int workflow_company_edit(bs_store *st, const char *actor, const char *ref,
                          const bs_value *fields, bs_err *err);
int workflow_expert_add(bs_store *st, const char *actor, const bs_value *fields,
                        int64_t *id_out, bs_err *err);
/* Changes the fields of expert `ref` (id or name) that `fields` holds
 * (store_expert_update). */
int workflow_expert_edit(bs_store *st, const char *actor, const char *ref,
                         const bs_value *fields, bs_err *err);

/* A user of a database on a server (store_user_add): `login` is checked
 * (a lower-case ASCII letter or '_', then letters, digits or '_', at most
 * 63 bytes; not pg_… nor bansou_…, which name the server's and bansou's
 * own roles), `role` is "secretariat" or "expert"; an expert's user names
 * the expert `expert` (id or exact name), the secretariat's none. A new
 * login gets a random password, given in *password_out (owned, NULL when
 * the server had the login already and it keeps its password). */
int workflow_user_add(bs_store *st, const char *actor, const char *login, const char *role,
                      const char *expert, char **password_out, bs_err *err);
int workflow_user_remove(bs_store *st, const char *actor, const char *login, bs_err *err);

/* How an engagement starts, besides company, expert and theme: all may be
 * left 0/NULL. */
typedef struct workflow_engage_opts {
    const char *variant;  /* as for workflow_set_variant; NULL: auto */
    const char *note;     /* added to the logged event (how the expert was chosen) */
    int64_t consultation; /* the consultation it comes from, linked in the same transaction */
} workflow_engage_opts;

/* Starts an engagement of company `company` (id or name) with `expert` on
 * theme `theme_id` whose model is `model`. Advisory notes (the expert does
 * not cover the theme …) are appended to `warnings` (a list, may be NULL).
 * With a consultation, it must be the company's and have no outcome yet;
 * it is marked engaged and linked. */
int workflow_engage(bs_store *st, const char *actor, const char *company, const char *expert,
                    const char *theme_id, const bs_value *model, const workflow_engage_opts *o,
                    bs_value *warnings, int64_t *id_out, bs_err *err);
/* Sets the variant of an engagement: "auto" (follow the company's industry
 * and size), "none" (the standard edition) or ids of the theme's `variants`
 * joined by ','. */
int workflow_set_variant(bs_store *st, const char *actor, int64_t eng, const bs_value *model,
                         const char *variant, bs_err *err);
/* The variant ids in force: the stored ones (`stored`: NULL for auto), or
 * every variant of `model` whose `industries` hold the company's industry
 * or whose `max_employees` the company does not exceed. A new list. */
bs_value *workflow_variants(const bs_value *model, const bs_value *company, const char *stored);
int workflow_change_theme(bs_store *st, const char *actor, int64_t eng, const char *theme_id,
                          const bs_value *model, const char *reason, bs_err *err);
/* Ends an engagement on `date` (YYYY-MM-DD, NULL: today; not in the
 * future nor before a visit held), the day its final report carries. */
int workflow_terminate(bs_store *st, const char *actor, int64_t eng, const char *reason,
                       const char *date, bs_err *err);
int workflow_complete(bs_store *st, const char *actor, int64_t eng, const char *date,
                      bs_err *err);
/* BS_OK when `date` is a date (YYYY-MM-DD) not after `today`; else
 * BS_EINPUT naming --date. */
int workflow_check_date(const char *date, const char *today, bs_err *err);

/* What a visit's record may hold besides its dates, for the plan, the hold
 * and visit_record: a map of strings (any may be missing) `time`
 * ("10:00-12:00"), `place`, `attendees`, `notes`, `findings` (what the
 * expert found), `issues` (the issues raised, "a; b" or one a line),
 * `agreed` (what was agreed for next time), and `online` (a boolean). Each
 * is checked (a time span, no control character) and the message names its
 * option (--time …). `details` may be NULL. */
int workflow_visit_plan(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                        const bs_value *details, bs_err *err);
/* `today` (YYYY-MM-DD) bounds the date. */
int workflow_visit_hold(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                        const bs_value *details, const char *today, bs_err *err);
/* Adds to or corrects the record of a held visit that was not reported yet
 * (the fields of `details` as above). */
int workflow_visit_record(bs_store *st, const char *actor, int64_t eng, int n,
                          const bs_value *details, bs_err *err);
/* Records the expert's findings of the whole engagement (the final
 * report's 専門家の所見); allowed on a closed engagement, whose final
 * report is still to be written. */
int workflow_engagement_findings(bs_store *st, const char *actor, int64_t eng,
                                 const char *findings, bs_err *err);
/* Marks visit n reported, on `date` (YYYY-MM-DD) or, when NULL, now. */
int workflow_visit_report(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                          bs_err *err);
/* Marks visit n prepared on `date` (YYYY-MM-DD: its pack was written and
 * carries that date); a held visit stays held. */
int workflow_visit_prepared(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                            bs_err *err);

/* Ticks (done) or unticks `items` (a list of item ids) of step `n` of the
 * engagement's theme, whose model is `model`: all of them or none. */
int workflow_task(bs_store *st, const char *actor, int64_t eng, int n, const bs_value *items,
                  bool done, const bs_value *model, bs_err *err);

/* The visit map `n` (1-based) of an engagement value, or NULL. */
const bs_value *workflow_visit(const bs_value *engagement, int n);
/* Whether a visit (a map of an engagement's `visits`) was held: held or
 * reported. */
bool workflow_visit_held(const bs_value *visit);
/* Whether the engagement was closed: completed or terminated. */
bool workflow_closed(const bs_value *engagement);
/* BS_OK while the engagement is open; for a closed one BS_ESTATE with
 * "engagement N is completed: no further changes", the words every command
 * that would change it uses. */
int workflow_check_open(const bs_value *engagement, bs_err *err);
/* Whether the engagement has ended: closed, or every visit held. */
bool workflow_ended(const bs_value *engagement);
/* Adds the derived status fields to an engagement value: `progress`
 * ("●●○", held visits filled), `next_date` (the planned date of the first
 * visit not held, while open) and `overdue` (a planned date before `today`
 * passed without the visit held, or a held visit not reported; null when
 * nothing is). */
void workflow_status(bs_value *engagement, const char *today);

#endif
