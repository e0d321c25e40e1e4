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

#endif
