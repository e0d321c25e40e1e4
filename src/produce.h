/* produce: an engagement's documents, as its theme declares them
 * (docs/documents.md): which apply to a visit and why the others cannot be
 * written yet, writing them (visit packs, visit reports, the final report,
 * schedules) with their gates checked, and recording each with its sha256.
 *
 * A gate is the state a document `requires` (the visit planned or held,
 * the engagement ended) and the worksheets it `needs` imported. Written
 * files are appended to `written` as maps {path, doc, title, visit} and
 * renderer warnings to `warnings` as strings; both lists may be NULL. */
#ifndef BS_PRODUCE_H
#define BS_PRODUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "job.h"
#include "session.h"
#include "value.h"

/* How documents are written. Every field may be left zero. */
typedef struct produce_opts {
    bool force;       /* a file edited since it was written is kept under a dated
                         name and written anew (job_keep_edited), not refused */
    const char *date; /* lent: YYYY-MM-DD the documents carry (prepared, reported,
                         ended), or NULL for the date recorded, else today */
} produce_opts;

/* The documents of the engagement for visit `visit` (0: every visit), in
 * the theme's order: a list of maps {id, title, role, visit (or null),
 * file, ready (bool), why (what stops it, or null)}. Owned. */
int produce_plan(bs_session *s, int64_t eng, int visit, bs_value **out, bs_err *err);

/* Writes the documents of each role of `roles` (a NULL-terminated list, in
 * that order; NULL: every role, in the theme's order) for visit `n` (0:
 * every visit they apply to), or only document `only` (NULL: all). With
 * `skip`, a document whose gate is closed is passed over (the last such
 * reason is left in `err` when nothing could be written); without it, every
 * gate is checked before any file is written. Either way a file edited since
 * it was written, among all the files of the run, stops it before anything
 * is written, unless o->force (`o` may be NULL). The number written in
 * *count.
 *
 * Each document's context gets `date`, the day it carries: a pack's the
 * day its visit was prepared, a report's the day it was submitted (else
 * the visit's), a final report's the day the engagement ended (else its
 * last visit's); o->date first when given; else today. */
int produce_job(bs_job *j, const char *const *roles, int n, const char *only, bool skip,
                const produce_opts *o, size_t *count, bs_value *written, bs_value *warnings,
                bs_err *err);

/* Every document of the engagement whose data is there (`visit`: only that
 * visit's; `only`: one document id). Nothing written is BS_ESTATE with the
 * reason, or BS_ENOTFOUND for an unknown `only`. */
int produce_generate(bs_session *s, int64_t eng, int visit, const char *only,
                     const produce_opts *o, bs_value *written, bs_value *warnings, bs_err *err);
/* The pack of visit `n` and the expert's own papers for it (all or nothing,
 * an edit among either guarded before any is written), then marks the visit
 * prepared on o->date (not in the future; NULL: today). */
int produce_prepare(bs_session *s, int64_t eng, int n, const produce_opts *o, bs_value *written,
                    bs_value *warnings, bs_err *err);
/* The report of held visit `n`, then marks it reported on o->date (not in
 * the future nor before the visit; NULL: today). The engagement must be
 * open and the visit not reported yet. */
int produce_report(bs_session *s, int64_t eng, int n, const produce_opts *o, bs_value *written,
                   bs_value *warnings, bs_err *err);
/* Records the expert's findings of the engagement for its final report,
 * open or closed, unless the final report was written after it closed. */
int produce_findings(bs_session *s, int64_t eng, const char *findings, bs_err *err);
/* The final report of an engagement that has ended. `findings` (may be
 * NULL) are the expert's findings of the engagement, recorded first (when
 * the final report may still be written). */
int produce_final(bs_session *s, int64_t eng, const char *findings, const produce_opts *o,
                  bs_value *written, bs_value *warnings, bs_err *err);
/* The engagement's Gantt schedule. */
int produce_schedule(bs_session *s, int64_t eng, const produce_opts *o, bs_value *written,
                     bs_value *warnings, bs_err *err);
/* Every engagement on one Gantt sheet, for the secretariat, written to
 * `path` (NULL: WORKSPACE/out/全体スケジュール.xlsx) and recorded as the
 * programme's (store_programme_document_put); the path in *path_out
 * (owned). The file edited since it was written there is refused, or with
 * o->force kept first, as by produce_job (`o` may be NULL). */
int produce_schedule_all(bs_session *s, const char *path, const produce_opts *o, char **path_out,
                         bs_err *err);

/* The documents recorded for the engagement, by visit, each with `status`:
 * "ok", "edited" (changed since it was written), "missing" or
 * "unreadable". Owned. */
int produce_recorded(bs_session *s, int64_t eng, bs_value **out, bs_err *err);

/* The largest document whose bytes the database keeps (64 MiB). */
#define PRODUCE_KEEP_MAX ((size_t)64 << 20)

/* Writes the documents of the engagement whose bytes the database keeps
 * (the visit reports and the final report) into `dir` (made owner-only
 * when missing), each under its file name, as they were recorded: from the
 * secretariat's machine, where the expert's files are not. Appends a map
 * {path, title, sha256, state} per document to `written`, state "written"
 * or "same" (the file there holds those bytes already). A file there with
 * other bytes is refused (BS_EEXIST naming every one) unless `force`;
 * bytes that are not those their hash names are BS_ECORRUPT. Nothing is
 * written unless all can be. */
int produce_fetch(bs_session *s, int64_t eng, const char *dir, bool force, bs_value *written,
                  bs_err *err);

/* A document of the programme (not of one engagement: the schedule, a
 * consultation session's papers) written at `path`: recorded under `doc`
 * and `title` with its hash, and logged, in one transaction. */
int produce_record_programme(bs_session *s, const char *path, const char *doc, const char *title,
                             bs_err *err);
/* Guards the user's edits to such a document at `path` (as
 * job_keep_edited does an engagement's files). */
int produce_keep_programme(bs_session *s, const char *path, bool force, bs_err *err);

#endif
