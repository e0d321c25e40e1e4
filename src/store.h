/* store: the workspace database. All SQL of the engine lives here; it runs
 * through the database layer (db.h), which holds the connection.
 *
 * Rows come back as value maps (column name → value; NULL columns are null)
 * owned by the caller. Every state-changing command runs between
 * store_begin and store_commit: one command, one transaction. The schema is
 * a list of numbered migrations whose version the database records
 * (PRAGMA user_version on SQLite). */
#ifndef BS_STORE_H
#define BS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "value.h"

typedef struct bs_store bs_store;

/* The schema version this build writes. */
int store_schema_version(void);

/* Opens (create: creates, owner-only permissions) the database at `path` and
 * brings its schema up to date. WAL mode, foreign keys on, a busy timeout.
 * A database newer than this build is refused (BS_ECORRUPT). */
int store_open(const char *path, bool create, bs_store **out, bs_err *err);
void store_close(bs_store *st);

/* Whether the database is on a server (PostgreSQL) rather than a file. */
bool store_on_server(const bs_store *st);
/* The database user the store is connected as (owned), or NULL for a
 * file. */
int store_login(bs_store *st, char **out, bs_err *err);

/* Users of a database on a server, which its owner (who created it) adds:
 * `login` gets the `role` "secretariat" (sees and changes everything) or
 * "expert" (only the companies and engagements of expert `expert`, the
 * pool of experts, its own events); `expert` is 0 for the secretariat.
 * The login is made with `password` when the server has no such role yet
 * (*made_out true), else it keeps its password. BS_ESTATE on a file or for
 * another user than the owner; BS_EEXIST when the login is a user of this
 * database already. */
int store_user_add(bs_store *st, const char *login, const char *role, int64_t expert,
                   const char *password, bool *made_out, bs_err *err);
/* The users: login, role, expert_id, expert_name, created_at; by login. */
int store_user_list(bs_store *st, bs_value **out, bs_err *err);
/* Takes a user's access to this database away (its role stays on the
 * server). BS_ENOTFOUND when it is no user here. */
int store_user_remove(bs_store *st, const char *login, bs_err *err);

/* Copies every row of `from` into `to` (a database on a server, whose
 * owner `to` is connected as, or a new file) with its ids, its events as
 * they were logged and its documents' hashes and kept contents, in one
 * transaction of `to`, whose identity counters then continue after the
 * copied ids. A company, expert, engagement or event id, a company or
 * expert name or a programme document's path that `to` holds already is a
 * conflict: nothing is copied and BS_EEXIST lists them. *copied_out gets a
 * map of table → rows copied. */
int store_copy(bs_store *from, bs_store *to, bs_value **copied_out, bs_err *err);

/* Starts a write transaction (BEGIN IMMEDIATE, waiting for other writers up
 * to the busy timeout). */
int store_begin(bs_store *st, bs_err *err);
int store_commit(bs_store *st, bs_err *err);
/* Rolls back an open transaction; harmless when none is open. */
void store_rollback(bs_store *st);

/* Appends to the event log. `eng` and `company` are 0 when not concerned;
 * `detail` may be NULL. */
int store_event_add(bs_store *st, const char *actor, int64_t company, int64_t eng,
                    const char *kind, const char *detail, bs_err *err);
/* Events of one engagement (eng > 0) or of everything (0), oldest first. */
int store_event_list(bs_store *st, int64_t eng, bs_value **out, bs_err *err);

/* Companies. `fields` is a map of column → string/integer/null among: name,
 * industry, kind, employees, capital, prefecture, contact_name,
 * contact_role, staffing, security_action, notes. A duplicate name is
 * BS_EEXIST. */
int store_company_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err);
/* Sets the given columns of company `id`. */
int store_company_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err);
/* Finds a company by id (all digits) or exact name. */
int store_company_get(bs_store *st, const char *ref, bs_value **out, bs_err *err);
int store_company_list(bs_store *st, bs_value **out, bs_err *err);

/* Experts. `fields`: name; qualifications, regions, themes, industries,
 * sizes, forms, periods (lists of strings); phone, email, affiliation (the
 * contact a company's documents print); the pool's reg_no, reg_year,
 * affiliation_kind, residence, fee, self_pr, listed (bool) and unlisted
 * (why not listed). */
int store_expert_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err);
/* Changes the fields of expert `id` that `fields` holds (name, the other
 * fields, and lists that replace the stored ones). */
int store_expert_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err);
int store_expert_get(bs_store *st, const char *ref, bs_value **out, bs_err *err);
int store_expert_list(bs_store *st, bs_value **out, bs_err *err);
/* The answers of expert `expert`'s skill survey (a map question id →
 * answer), where they came from (`source`: the file) and when they were
 * given (`answered_at`, NULL when unknown), replacing earlier ones. */
int store_expert_skill_put(bs_store *st, int64_t expert, const bs_value *answers,
                           const char *source, const char *answered_at, bs_err *err);
/* Every expert's skill survey the user may see: maps {expert_id, data (the
 * answers), source, answered_at, imported_at}. */
int store_expert_skill_list(bs_store *st, bs_value **out, bs_err *err);
/* Company `company`'s application of fiscal year `year` (fields
 * applied_on, security_action, has_policy, earlier, consent (booleans), via,
 * notes), replacing one of the same year. */
int store_application_put(bs_store *st, int64_t company, int year, const bs_value *fields,
                          bs_err *err);
/* The applications of company `company` (0: every company the user may
 * see), by company and year: maps {company_id, company_name, fiscal_year,
 * the fields, recorded_at}. */
int store_application_list(bs_store *st, int64_t company, bs_value **out, bs_err *err);
/* Consultation sessions. `fields`: held_on, region, venue, chamber,
 * rounds ("14:50-15:10,15:15-15:35"), notes, created_at. */
int store_session_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err);
/* Puts expert `expert` in booth `booth` of session `session`. */
int store_session_booth(bs_store *st, int64_t session, int booth, int64_t expert, bs_err *err);
/* The sessions by day: maps of the fields with id. */
int store_session_list(bs_store *st, bs_value **out, bs_err *err);
/* One session with `booths` ({booth, expert_id, expert_name}) and
 * `consultations` (as store_consultation_get gives them). */
int store_session_get(bs_store *st, int64_t id, bs_value **out, bs_err *err);
/* Books a consultation: `fields` session_id, round, booth, company_id,
 * expert_id, asked (what the company said it would ask), booked_at. */
int store_consultation_add(bs_store *st, const bs_value *fields, int64_t *id_out, bs_err *err);
/* Sets the fields `fields` holds among topics, advice, wish (bool),
 * wished_theme, wished_dates, proposed_theme, outcome, decline_reason,
 * decline_detail, engagement_id, recorded_at, expert_id. */
int store_consultation_update(bs_store *st, int64_t id, const bs_value *fields, bs_err *err);
/* Removes a booking (consultation `id`). */
int store_consultation_delete(bs_store *st, int64_t id, bs_err *err);
/* A consultation with company_name, expert_name and its session's
 * held_on, region, venue and chamber. */
int store_consultation_get(bs_store *st, int64_t id, bs_value **out, bs_err *err);
/* The consultations of company `company` (0: all the user may see), by day. */
int store_consultation_list(bs_store *st, int64_t company, bs_value **out, bs_err *err);
/* The engagements in progress (matched or active) per expert: maps
 * {expert_id, n}, experts with none left out. */
int store_expert_loads(bs_store *st, bs_value **out, bs_err *err);

/* Engagements. A new one is 'matched' and gets `visits` visit rows. */
int store_engagement_add(bs_store *st, int64_t company, int64_t expert, const char *theme,
                         int visits, int64_t *id_out, bs_err *err);
/* The engagement of `company` on `theme` that is not ended (matched or
 * active) in *id_out, or 0. */
int store_open_engagement(bs_store *st, int64_t company, const char *theme, int64_t *id_out,
                          bs_err *err);
/* One engagement with company_name, expert_name and a `visits` list. */
int store_engagement_get(bs_store *st, int64_t id, bs_value **out, bs_err *err);
/* All engagements, each as store_engagement_get returns it. */
int store_engagement_list(bs_store *st, bs_value **out, bs_err *err);
/* `variant`: NULL (follow the company), "" (standard) or ids joined by ','. */
int store_engagement_set_variant(bs_store *st, int64_t id, const char *variant, bs_err *err);
int store_engagement_set_state(bs_store *st, int64_t id, const char *state, const char *reason,
                               bs_err *err);
/* The day the engagement ended (YYYY-MM-DD), which its final report
 * carries; its updated_at is left as it is. */
int store_engagement_set_ended(bs_store *st, int64_t id, const char *date, bs_err *err);
/* Changes the theme; visit rows are added or (unheld ones) dropped to match
 * `visits`. */
/* The expert's findings of the whole engagement (the final report's). */
int store_engagement_set_findings(bs_store *st, int64_t id, const char *findings, bs_err *err);
int store_engagement_set_theme(bs_store *st, int64_t id, const char *theme, int visits,
                               bs_err *err);

/* Updates visit `n`: any of state, planned_date, prepared_date, held_date,
 * attendees, notes, reported_at present in `fields`. */
int store_visit_update(bs_store *st, int64_t eng, int n, const bs_value *fields, bs_err *err);

/* Marks item `item` of the theme's step `visit` done (done) or not. */
int store_task_set(bs_store *st, int64_t eng, const char *theme, int visit, const char *item,
                   bool done, bs_err *err);
/* Done items of an engagement under `theme`: a list of maps {visit, item, done_at}. */
int store_task_list(bs_store *st, int64_t eng, const char *theme, bs_value **out, bs_err *err);

/* Replaces the rows of worksheet `sheet` of engagement `eng` by `rows` (a
 * list of maps). */
int store_records_replace(bs_store *st, int64_t eng, const char *sheet, const bs_value *rows,
                          bs_err *err);
/* The expert's overall questionnaire of fiscal year `year`: its rows as
 * imported, replacing those of the same expert and year. */
int store_survey_overall_put(bs_store *st, int64_t expert, int year, const bs_value *rows,
                             bs_err *err);
/* The overall questionnaires of `year` (0: every year): maps {expert_id,
 * expert_name, fiscal_year, data (the rows), imported_at}. */
int store_survey_overall_list(bs_store *st, int year, bs_value **out, bs_err *err);
/* Which worksheets each engagement has rows of: a list of maps
 * {engagement_id, sheet}, by engagement. */
int store_record_sheets(bs_store *st, bs_value **out, bs_err *err);
/* Every imported row of an engagement: a map of sheet id → list of rows. */
int store_records_get(bs_store *st, int64_t eng, bs_value **out, bs_err *err);
/* What the company's other engagements imported (any theme): a map of sheet
 * id → list of rows, each sheet from the latest engagement that has it. */
int store_company_records(bs_store *st, int64_t company, int64_t except_eng, bs_value **out,
                          bs_err *err);

/* Records a generated document: a map with path, doc (the declaration id),
 * title, visit (or null), template (or null) and sha256. Replaces the row of
 * the same path. */
int store_document_put(bs_store *st, int64_t eng, const bs_value *doc, bs_err *err);
/* Keeps the bytes of a document under their hash (`sha256`, which must be
 * theirs), once: a second put of the same content does nothing. */
int store_content_put(bs_store *st, const char *sha256, const void *bytes, size_t len,
                      bs_err *err);
/* The bytes kept under `sha256`: a string value (owned), or BS_ENOTFOUND. */
int store_content_get(bs_store *st, const char *sha256, bs_value **out, bs_err *err);
/* The documents of an engagement, by visit. */
int store_document_list(bs_store *st, int64_t eng, bs_value **out, bs_err *err);
/* The same for a document of the whole programme, of no one engagement
 * (the secretariat's schedule): a map with path, doc, title and sha256;
 * replaces the row of the same path. */
int store_programme_document_put(bs_store *st, const bs_value *doc, bs_err *err);
/* The programme's documents (path, doc, title, sha256, generated_at), by path. */
int store_programme_document_list(bs_store *st, bs_value **out, bs_err *err);

#endif
