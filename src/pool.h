/* pool: the expert pool the secretariat keeps (アクティブリスト): the
 * experts' pool entries, their skill survey (one form at a time, or the
 * survey service's export of many), the skill marks per support menu, the
 * pool's search, and the candidates for a company. What the fields may
 * hold, how skills are scored and how candidates rank is theme data
 * (themes/lib/pool.lua, docs/pool-format.md); this module gathers from the
 * store, hands over and stores what comes back. */
#ifndef BS_POOL_H
#define BS_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* Registers or changes an expert (store_expert_add's fields), the pool's
 * fields checked against pool.lua's choices first. */
int pool_expert_add(bs_session *s, const bs_value *fields, int64_t *id_out, bs_err *err);
int pool_expert_edit(bs_session *s, const char *ref, const bs_value *fields, bs_err *err);

/* Expert `ref` as the store has it, with `evaluation` (pool.lua's evaluate
 * of the skill survey: areas, menus, answered), `skills` ({source,
 * answered_at, imported_at}, null when no survey came back) and `load`
 * (engagements in progress). Owned. */
int pool_expert_show(bs_session *s, const char *ref, bs_value **out, bs_err *err);

/* The experts every filter of `filters` holds for (region, theme,
 * industry, form, size, menu with mark, listed: pool.lua's search), each as
 * pool_expert_show gives it. Owned list. */
int pool_search(bs_session *s, const bs_value *filters, bs_value **out, bs_err *err);

/* The candidates for company `company` on theme `theme` (NULL: any):
 * {company, prefecture, region, theme, candidates = [{id, name, rank,
 * load, reasons, key}]}, best first. Owned. */
int pool_match(bs_session *s, const char *company, const char *theme, bs_value **out,
               bs_err *err);

/* Writes expert `expert`'s skill survey form at `path` (NULL: the expert's
 * folder under out/experts/); the path in *path_out (owned). */
int pool_skills_form(bs_session *s, const char *expert, const char *path, char **path_out,
                     bs_err *err);
/* Reads a filled-in form back for `expert`: its answers replace the
 * expert's earlier ones and set the pool entry (every field but the name).
 * Each problem goes to `problems` ("sheet!cell: message"); nothing is
 * stored then. *out: {expert, listed, unlisted, evaluation}. */
int pool_skills_import(bs_session *s, const char *expert, const char *file, bs_value **out,
                       bs_value *problems, bs_err *err);
/* Reads the survey service's export `file` (the first sheet of a
 * workbook, a header row of question numbers or texts, a row per answer),
 * removes duplicate answers and, unless `dry_run`, stores every remaining
 * answer with its pool entry, adding experts the pool does not have, in
 * one transaction. Each problem goes to `problems` and nothing is stored.
 * *out: {answers, duplicates = [{row, kept}], valid, created, updated,
 * experts = [{row, id, name, action, listed, unlisted}]}. */
int pool_skills_load(bs_session *s, const char *file, bool dry_run, bs_value **out,
                     bs_value *problems, bs_err *err);

/* The choices of the pool's fields (pool.lua's choices: affiliation_kind,
 * sizes, forms, fee, periods) and the programme's regions: a map of list
 * name → list of strings. Owned. */
int pool_choices(bs_session *s, bs_value **out, bs_err *err);

#endif
