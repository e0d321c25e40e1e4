/* survey: what the post-guidance questionnaires that came back add up to.
 * The questionnaires, their forms and their arithmetic are theme data
 * (themes/lib/survey.lua); this module gathers the answers of the ended
 * engagements from the store and hands them over. */
#ifndef BS_SURVEY_H
#define BS_SURVEY_H

#include "err.h"
#include "session.h"
#include "value.h"

/* The results over the ended engagements, narrowed to theme `theme` and to
 * fiscal year `year` ("2025": April 2025 to March 2026, by the day each
 * engagement ended) when not NULL: the map survey.lua's results returns
 * (docs/survey-format.md), with `theme` and `year` as asked. Owned. */
int survey_results(bs_session *s, const char *theme, const char *year, bs_value **out,
                   bs_err *err);

/* A fiscal year as --year gives it ("2025"), or BS_EINPUT. */
int survey_year(const char *year, int *out, bs_err *err);

/* { id, theme, theme_title, company, expert, records } of ended engagement
 * `e` (as store_engagement_get gives it): the rows of its theme's worksheets
 * that come back after the end. Owned. */
int survey_response(bs_session *s, const bs_value *e, bs_value **out, bs_err *err);

/* The expert's overall questionnaire of fiscal year `year` (once per
 * expert and year, of no one engagement) written at `path` (NULL:
 * WORKSPACE/out/experts/<id>_<name>/指導専門家アンケート_<year>年度.xlsx), the
 * expert's name filled in; the path in *path_out (owned). */
int survey_form(bs_session *s, const char *expert, const char *year, const char *path,
                char **path_out, bs_err *err);
/* Reads the overall questionnaire `file` back for `expert` and `year` and
 * stores its rows (replacing an earlier one); each problem (the cells'
 * own, then the questionnaire's check) goes to `problems` and nothing is
 * stored. *rows_out: the rows stored. */
int survey_import(bs_session *s, const char *expert, const char *year, const char *file,
                  size_t *rows_out, bs_value *problems, bs_err *err);

/* WORKSPACE/out/experts/<id>_<name>/FILE, the folder made when missing:
 * where an expert's own forms go (owned, in *out). */
int survey_expert_file(bs_session *s, const bs_value *expert, const char *file, char **out,
                       bs_err *err);

#endif
