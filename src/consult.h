/* consult: consultation sessions (相談会) and their individual
 * consultations: the session's day, region, venue and rounds, an expert per
 * booth, companies booked into a round and booth, the expert's record of
 * each consultation, and its outcome: an engagement (linked, started in the
 * same transaction) or a decline with one of the programme's reasons. The
 * defaults, the reasons and the two printed documents (the timetable, the
 * record of a consultation) are theme data (themes/lib/consult.lua). */
#ifndef BS_CONSULT_H
#define BS_CONSULT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* Adds a session: `fields` held_on (YYYY-MM-DD), region (a programme
 * region), venue, chamber (NULL: the region's), rounds (a list of
 * "HH:MM-HH:MM", NULL: consult.lua's), notes; `experts` (a list of ids or
 * names, may be NULL) fill booths 1, 2, … in order. */
int consult_session_add(bs_session *s, const bs_value *fields, const bs_value *experts,
                        int64_t *id_out, bs_err *err);
/* Puts expert `expert` in booth `booth` (1 to 20) of session `id`. */
int consult_session_booth(bs_session *s, int64_t id, int booth, const char *expert, bs_err *err);
/* A session as store_session_get gives it, `rounds` as a list. Owned. */
int consult_session_get(bs_session *s, int64_t id, bs_value **out, bs_err *err);
/* Every session, each with the number of its consultations. Owned. */
int consult_session_list(bs_session *s, bs_value **out, bs_err *err);

/* Books company `company` into session `id`: round `round` and booth
 * `booth` (0: the first free one), or the booth of `expert` (when not
 * NULL); `asked` is what the company said it would ask (may be NULL). */
int consult_book(bs_session *s, int64_t id, const char *company, int round, int booth,
                 const char *expert, const char *asked, int64_t *id_out, bs_err *err);

/* Cancels the booking `id` (the company will not come): only a
 * consultation not yet recorded, with no outcome. */
int consult_cancel(bs_session *s, int64_t id, bs_err *err);

/* The expert's record of consultation `id`: `fields` among topics, advice,
 * wish (bool), wished_theme, wished_dates, proposed_theme (theme ids are
 * checked). A consultation with its outcome is not changed. */
int consult_record(bs_session *s, int64_t id, const bs_value *fields, bs_err *err);
/* Starts the engagement consultation `id` leads to, on `theme` (NULL: the
 * expert's proposed theme, else the company's wish) with `expert` (NULL:
 * the consulting expert), as engagement_start does (`override` likewise),
 * and links it. */
int consult_engage(bs_session *s, int64_t id, const char *theme, const char *expert,
                   const char *override, bs_value *warnings, int64_t *eng_out, bs_err *err);
/* Records that consultation `id` does not go on to guidance: `reason` one
 * of consult.lua's decline reasons, `detail` (required for その他). */
int consult_decline(bs_session *s, int64_t id, const char *reason, const char *detail,
                    bs_err *err);
/* One consultation (store_consultation_get), or the consultations of
 * company `company` (NULL: all). Owned. */
int consult_get(bs_session *s, int64_t id, bs_value **out, bs_err *err);
int consult_list(bs_session *s, const char *company, bs_value **out, bs_err *err);
/* The decline reasons: a list of {id, no, text, detail}. Owned. */
int consult_reasons(bs_session *s, bs_value **out, bs_err *err);

/* Writes session `id`'s timetable (`record` false) or consultation `id`'s
 * record (`record` true) as a Word document at `path` (NULL: under
 * WORKSPACE/out/sessions/, named as consult.lua says); a file edited since
 * it was written is kept unless `force` (produce_keep_programme). The path
 * in *path_out (owned). */
int consult_document(bs_session *s, int64_t id, bool record, const char *path, bool force,
                     char **path_out, bs_err *err);

#endif
