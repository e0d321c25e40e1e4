#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "i18n.h"
#include "model.h"
#include "produce.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"
#include "worksheet.h"
#include "xlsxw.h"

/* Whether the document's data is there; a clear message when not. */
static int check_requires(const bs_job *j, const bs_value *doc, int n, bs_err *err)
{
    const char *req = value_get_str(doc, "requires");
    const bs_value *v = n > 0 ? workflow_visit(j->e, n) : NULL;
    if (n > 0 && !v) {
        return bs_err_set(err, BS_EINPUT, _("engagement %lld has no visit %d"), (long long)j->eng,
                          n);
    }
    if (!req) {
        return BS_OK;
    }
    if (strcmp(req, "planned") == 0 && !value_get_str(v, "planned_date") &&
        !value_get_str(v, "held_date")) {
        return bs_err_set(err, BS_ESTATE,
                          _("%s: visit %d has no date yet: plan it first (bansou visit plan "
                            "%lld %d --date YYYY-MM-DD)"),
                          value_get_str(doc, "title"), n, (long long)j->eng, n);
    }
    if (strcmp(req, "held") == 0 && !workflow_visit_held(v)) {
        return bs_err_set(err, BS_ESTATE,
                          _("%s: visit %d has not been held: nothing to report yet"),
                          value_get_str(doc, "title"), n);
    }
    if (strcmp(req, "ended") == 0 && !workflow_ended(j->e)) {
        return bs_err_set(err, BS_ESTATE,
                          _("%s: the engagement has not ended: hold every visit, or terminate it "
                            "with a reason"),
                          value_get_str(doc, "title"));
    }
    return BS_OK;
}

/* What the document prints from the expert's record (`recorded`: fields
 * of the visit for a visit's document, of the engagement for a final one),
 * with the command and option that record each and the word a message
 * names it with (in English the field itself). */
static const struct {
    const char *field, *option, *word;
} recordable[] = {
    {"findings", "--findings TEXT", N_("findings")},
    {"issues", "--issues LIST", N_("issues")},
    {"agreed", "--agreed TEXT", N_("agreed")},
    {"attendees", "--attendees TEXT", N_("attendees")},
    {"place", "--place TEXT", N_("place")},
    /* TRANSLATORS: the recorded start and end time of a visit (--time). */
    {"time_from", "--time HH:MM-HH:MM", N_("time_from")},
};

static int check_recorded(const bs_job *j, const bs_value *doc, int n, bs_err *err)
{
    const bs_value *fields = value_get(doc, "recorded");
    const bs_value *from = n > 0 ? workflow_visit(j->e, n) : j->e;
    for (size_t i = 0; i < value_len(fields); i++) {
        const char *f = value_as_str(value_at(fields, i));
        const char *v = f ? value_get_str(from, f) : NULL;
        if (!f || (v && *v)) {
            continue;
        }
        const char *opt = NULL, *word = NULL;
        for (size_t k = 0; k < sizeof recordable / sizeof *recordable; k++) {
            if (strcmp(recordable[k].field, f) == 0) {
                opt = recordable[k].option;
                word = _(recordable[k].word);
            }
        }
        if (!opt) {
            return bs_err_set(err, BS_ESCRIPT, _("%s: recorded: no field '%s' can be recorded"),
                              value_get_str(doc, "title"), f);
        }
        if (n > 0) {
            return bs_err_set(err, BS_ESTATE,
                              _("%s: visit %d has no %s recorded: give them with 'bansou visit "
                                "record %lld %d %s'"),
                              value_get_str(doc, "title"), n, word, (long long)j->eng, n, opt);
        }
        return bs_err_set(err, BS_ESTATE,
                          _("%s: the expert's %s for the engagement are not recorded: give them "
                            "with 'bansou engagement final-report %lld %s'"),
                          value_get_str(doc, "title"), word, (long long)j->eng, opt);
    }
    return BS_OK;
}

/* Whether the worksheets the document is built from were imported. */
static int check_needs(const bs_job *j, const bs_value *doc, bs_err *err)
{
    const bs_value *needs = value_get(doc, "needs"), *records = NULL;
    int rc = value_len(needs) ? job_records((bs_job *)j, &records, err) : BS_OK;
    for (size_t i = 0; rc == BS_OK && i < value_len(needs); i++) {
        const char *id = value_as_str(value_at(needs, i));
        if (value_len(value_get(records, id))) {
            continue;
        }
        size_t index;
        const bs_value *spec = worksheet_find(job_model(j), id, &index);
        return bs_err_set(err, BS_ESTATE,
                          _("%s: needs the worksheet %s (%s) filled in and imported: write it with "
                            "'bansou worksheet %lld %s', then 'bansou import %lld FILE'"),
                          value_get_str(doc, "title"), id,
                          spec ? value_get_str(spec, "title") : _("not in the theme"),
                          (long long)j->eng, id, (long long)j->eng);
    }
    return rc;
}

/* Whether document `id` was written since the engagement closed and since
 * the last import after the close (a questionnaire that came back: the final
 * report gives its answers). Told by the order of the event log, not by
 * times, which two commands of one second share. */
static int written_since_close(const bs_job *j, const char *id, bool *out, bs_err *err)
{
    bs_value *events = NULL;
    int rc = store_event_list(session_store(j->s), j->eng, &events, err);
    size_t idlen = strlen(id);
    bool closed = false;
    *out = false;
    for (size_t i = 0; rc == BS_OK && i < value_len(events); i++) {
        const bs_value *ev = value_at(events, i);
        const char *kind = value_get_str(ev, "kind");
        const char *detail = value_get_str(ev, "detail");
        if (strcmp(kind, "engagement.complete") == 0 || strcmp(kind, "engagement.terminate") == 0 ||
            (closed && strcmp(kind, "worksheet.import") == 0)) {
            closed = true;
            *out = false; // what was written before this is no longer since
        } else if (closed && strcmp(kind, "document.generate") == 0 && detail &&
                   strncmp(detail, id, idlen) == 0 && strncmp(detail + idlen, ": ", 2) == 0) {
            *out = true;
        }
    }
    value_free(events);
    // And the record of it is there: a workspace whose documents were
    // cleared writes them again.
    bs_value *docs = NULL;
    if (rc == BS_OK && *out && (rc = store_document_list(session_store(j->s), j->eng, &docs, err)) == BS_OK) {
        bool recorded = false;
        for (size_t i = 0; i < value_len(docs); i++) {
            const bs_value *d = value_at(docs, i);
            recorded = recorded || (strcmp(value_get_str(d, "doc"), id) == 0 && !value_get_str(d, "kind"));
        }
        *out = recorded;
    }
    value_free(docs);
    return rc;
}

/* A closed engagement takes no more documents but its final ones, each
 * written once after it closed: the final report says how it ended, so it
 * is written then (also when one was written before, while every visit was
 * held but the engagement still open), and never again. */
static int check_open(const bs_job *j, const bs_value *doc, bs_err *err)
{
    if (!workflow_closed(j->e)) {
        return BS_OK;
    }
    const char *role = value_get_str(doc, "role");
    bool again = true;
    int rc = BS_OK;
    if (role && strcmp(role, "final") == 0) {
        rc = written_since_close(j, value_get_str(doc, "id"), &again, err);
    }
    return rc == BS_OK && again ? workflow_check_open(j->e, err) : rc;
}

/* Whether document `doc` can be written for visit `n` now. */
static int check_gates(const bs_job *j, const bs_value *doc, int n, bs_err *err)
{
    int rc = check_open(j, doc, err);
    if (rc == BS_OK) {
        rc = check_requires(j, doc, n, err);
    }
    if (rc == BS_OK) {
        rc = check_recorded(j, doc, n, err);
    }
    return rc == BS_OK ? check_needs(j, doc, err) : rc;
}

/* A document for engagements in one state only (`state`, e.g.
 * "terminated": the company's questionnaire of an engagement ended early);
 * the others pass over it without a word. */
static bool state_applies(const bs_value *doc, const bs_value *e)
{
    const char *want = value_get_str(doc, "state");
    return !want || strcmp(want, value_get_str(e, "state")) == 0;
}

static bool applies(const bs_value *doc, int n)
{
    const bs_value *vis = value_get(doc, "visits");
    if (!vis) {
        return true;
    }
    for (size_t i = 0; i < value_len(vis); i++) {
        if (value_as_int(value_at(vis, i)) == n) {
            return true;
        }
    }
    return false;
}

/* A theme replaces a common document by listing its own with the same id
 * later in its list: the last one wins. */
static bool replaced(const bs_value *docs, size_t i)
{
    const char *a = value_get_str(value_at(docs, i), "id");
    for (size_t k = i + 1; a && k < value_len(docs); k++) {
        const char *b = value_get_str(value_at(docs, k), "id");
        if (b && strcmp(a, b) == 0) {
            return true;
        }
    }
    return false;
}

/* pack: the company's documents before a visit; expert: the expert's own
 * for that visit (a facilitator's script with its model answers), written
 * with the pack but into expert/, out of the folder handed to the company;
 * report: after the visit. */
static bool per_visit(const bs_value *doc)
{
    const char *r = value_get_str(doc, "role");
    return r && (strcmp(r, "pack") == 0 || strcmp(r, "expert") == 0 || strcmp(r, "report") == 0);
}

/* The file name with {n} replaced by the visit number (a plain name, as
 * the theme's check made sure; job_out_path checks it again). Owned. */
static char *file_name(const bs_value *doc, int n)
{
    const char *f = value_get_str(doc, "file");
    bs_buf b = {0};
    for (const char *p = f ? f : "document.docx"; *p; p++) {
        if (strncmp(p, "{n}", 3) == 0) {
            bs_buf_printf(&b, "%d", n);
            p += 2;
        } else {
            bs_buf_add(&b, p, 1);
        }
    }
    return bs_buf_take(&b);
}

/* The data of document number `index` (1-based): its Lua `context`. */
static int doc_context(bs_job *j, size_t index, bs_value **out, bs_err *err)
{
    char fn[64];
    snprintf(fn, sizeof fn, "documents.%zu.context", index);
    return job_call(j, fn, out, err);
}

static int write_worksheet(bs_job *j, const char *id, const char *path, bs_err *err)
{
    const bs_value *spec = NULL;
    size_t index = 0;
    int rc = job_spec(j, id, &spec, &index, err);
    return rc == BS_OK ? job_write_book(j, spec, false, path, NULL, err) : rc;
}

static int write_template(bs_job *j, const bs_value *doc, size_t index, const char *path,
                          char sha[65], bs_value *warnings, bs_err *err)
{
    bs_value *data = NULL;
    const bs_docx *t = NULL;
    const char *tname = value_get_str(doc, "template");
    int rc = doc_context(j, index, &data, err);
    if (rc == BS_OK) {
        rc = session_template(j->s, tname, &t, err);
    }
    if (rc == BS_OK) {
        bs_value *w = value_list();
        bs_docx_opts o = {.warnings = w, .sha256_out = sha};
        rc = docx_render(t, data, &o, path, err);
        for (size_t i = 0; warnings && i < value_len(w); i++) {
            char *msg = xasprintf("%s: %s", tname, value_as_str(value_at(w, i)));
            value_push(warnings, value_str(msg));
            free(msg);
        }
        value_free(w);
    }
    value_free(data);
    return rc;
}

/* One group of a Gantt chart: {title, rows}. */
static bs_value *gantt_group(const char *title, const bs_value *data)
{
    bs_value *g = value_map();
    value_set_str(g, "title", title);
    value_set(g, "rows", value_copy(value_get(data, "rows")));
    return g;
}

static int write_schedule(bs_job *j, size_t index, const char *path, bs_err *err)
{
    bs_value *data = NULL;
    int rc = doc_context(j, index, &data, err);
    if (rc == BS_OK) {
        bs_value *groups = value_list();
        value_push(groups, gantt_group(value_get_str(data, "title"), data));
        rc = xlsxw_gantt(value_get_str(data, "title"), value_get_str(j->e, "company_name"), groups,
                         value_get_str(j->ctx, "today"), value_get_str(data, "today_text"), path,
                         err);
        value_free(groups);
    }
    value_free(data);
    return rc;
}

/* A written document as the store records it: path, doc, title, visit,
 * template and sha256 (`sha`, or when empty read from the file), appended
 * to `pending`. */
static int note_written(const bs_value *doc, int n, const char *path, char sha[65],
                        bs_value *pending, bs_err *err)
{
    int rc = sha[0] ? BS_OK : bs_sha256_file(path, sha, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *ws = value_get_str(doc, "worksheet");
    bs_value *rec = value_map();
    value_set_str(rec, "path", path);
    value_set_str(rec, "doc", value_get_str(doc, "id"));
    value_set_str(rec, "title", value_get_str(doc, "title"));
    value_set(rec, "visit", n > 0 ? value_int(n) : value_null());
    value_set_str(rec, "template", ws ? ws : value_get_str(doc, "template"));
    value_set_str(rec, "sha256", sha);
    const char *role = value_get_str(doc, "role");
    // What goes to the secretariat is kept in the database, bytes and all:
    // the reports, not a form that goes out with them.
    if (role && (strcmp(role, "report") == 0 || strcmp(role, "final") == 0) && !ws) {
        value_set(rec, "keep", value_bool(true));
    }
    value_push(pending, rec);
    return BS_OK;
}

/* Keeps the bytes of the written file `rec` names, under its hash. */
static int keep_content(bs_store *st, const bs_value *rec, bs_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = bs_read_file(value_get_str(rec, "path"), PRODUCE_KEEP_MAX, &data, &len, err);
    char sha[65];
    if (rc == BS_OK) {
        bs_sha256(data, len, sha);
        if (strcmp(sha, value_get_str(rec, "sha256")) != 0) {
            rc = bs_err_set(err, BS_EIO, _("%s: changed while it was being recorded"),
                            value_get_str(rec, "path"));
        }
    }
    if (rc == BS_OK) {
        rc = store_content_put(st, sha, data, len, err);
    }
    free(data);
    return rc;
}

/* Records the documents written and logs each: one transaction for all of
 * them, so that a run of many documents takes the write lock once. */
static int record_written(bs_job *j, const bs_value *pending, bs_err *err)
{
    if (value_len(pending) == 0) {
        return BS_OK;
    }
    bs_store *st = session_store(j->s);
    int rc = store_begin(st, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(pending); i++) {
        const bs_value *rec = value_at(pending, i);
        if (value_get(rec, "keep")) {
            rc = keep_content(st, rec, err);
        }
        if (rc == BS_OK) {
            rc = store_document_put(st, j->eng, rec, err);
        }
        if (rc == BS_OK) {
            char *detail = xasprintf("%s: %s", value_get_str(rec, "doc"), value_get_str(rec, "path"));
            rc = job_event(j, "document.generate", detail, err);
            free(detail);
        }
    }
    return rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
}

/* Where document `doc` of visit `n` goes, its folder made with `create`.
 * Owned, or NULL with `err` set. */
static char *doc_path(bs_job *j, const bs_value *doc, int n, bool create, bs_err *err)
{
    const char *role = value_get_str(doc, "role");
    char sub[32];
    const char *subdir = NULL;
    if (role && strcmp(role, "final") == 0) {
        subdir = "final";
    } else if (role && strcmp(role, "expert") == 0) {
        subdir = "expert";
    } else if (n > 0) {
        snprintf(sub, sizeof sub, "visit-%d", n);
        subdir = sub;
    }
    char *name = file_name(doc, n);
    char *path = job_out_file(j, subdir, name, create, err);
    free(name);
    return path;
}

/* The day document `doc` of visit `n` carries, into `out` (produce_job). */
static void doc_date(const bs_job *j, const bs_value *doc, int n, const produce_opts *o,
                     char out[11])
{
    const char *role = value_get_str(doc, "role");
    const bs_value *v = n > 0 ? workflow_visit(j->e, n) : NULL;
    const char *d = o && o->date ? o->date : NULL;
    if (!d && role && strcmp(role, "pack") == 0) {
        d = value_get_str(v, "prepared_date");
    } else if (!d && role && strcmp(role, "report") == 0) {
        d = value_get_str(v, "reported_at"); // a date, or a time whose first ten are one
        d = d ? d : value_get_str(v, "held_date");
    } else if (!d && role && strcmp(role, "final") == 0) {
        d = value_get_str(j->e, "ended_on");
        const bs_value *vl = value_get(j->e, "visits");
        for (size_t i = 0; !value_get_str(j->e, "ended_on") && i < value_len(vl); i++) {
            const char *h = value_get_str(value_at(vl, i), "held_date");
            d = h ? h : d; // the last visit held
        }
    }
    if (d && strlen(d) >= 10) {
        snprintf(out, 11, "%.10s", d);
    } else {
        bs_date_today(out);
    }
}

/* Writes document number `index` (1-based) of the theme for visit `n` (0:
 * none); what the store is to record of it goes to `pending`. */
static int generate_one(bs_job *j, size_t index, int n, const produce_opts *o, bs_value *pending,
                        bs_value *written, bs_value *warnings, bs_err *err)
{
    const bs_value *doc = value_at(value_get(job_model(j), "documents"), index - 1);
    int rc = check_gates(j, doc, n, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *role = value_get_str(doc, "role");
    char day[11];
    doc_date(j, doc, n, o, day);
    value_set_str(j->ctx, "date", day);
    // The visit as ctx.visits has it (with the ids of its ticked items).
    const bs_value *vl = value_get(j->ctx, "visits"), *v = NULL;
    for (size_t i = 0; n > 0 && i < value_len(vl); i++) {
        if (value_as_int(value_get(value_at(vl, i), "n")) == n) {
            v = value_at(vl, i);
        }
    }
    value_set(j->ctx, "visit", v ? value_copy(v) : value_null());
    const bs_value *step = model_step(job_model(j), n);
    value_set(j->ctx, "step", step ? value_copy(step) : value_null());
    char *path = doc_path(j, doc, n, true, err);
    if (!path) {
        return err->code;
    }
    const char *ws = value_get_str(doc, "worksheet");
    char sha[65] = "";
    if (ws) {
        rc = write_worksheet(j, ws, path, err);
    } else if (role && strcmp(role, "schedule") == 0) {
        rc = write_schedule(j, index, path, err);
    } else {
        rc = write_template(j, doc, index, path, sha, warnings, err);
    }
    if (rc != BS_OK) {
        bs_err_prefix(err, "%s", value_get_str(doc, "id"));
    }
    if (rc == BS_OK) {
        rc = note_written(doc, n, path, sha, pending, err);
    }
    if (rc == BS_OK && written) {
        bs_value *w = value_map();
        value_set_str(w, "path", path);
        value_set_str(w, "doc", value_get_str(doc, "id"));
        value_set_str(w, "title", value_get_str(doc, "title"));
        value_set(w, "visit", n > 0 ? value_int(n) : value_null());
        value_push(written, w);
    }
    free(path);
    return rc;
}

/* True for the documents that list the documents on record. */
static bool lists_documents(const bs_value *doc)
{
    const char *id = value_get_str(doc, "id");
    return id && (strcmp(id, "visit-report") == 0 || strcmp(id, "final-report") == 0 ||
                  strcmp(id, "schedule") == 0);
}

/* The files produce_job is to write, in the order it writes them, appended
 * to `plan` as maps {index (1-based, among the theme's documents), visit (0:
 * none), path}: the documents of each of `roles` in turn (NULL: of every
 * role, in the theme's order). Without `skip` a closed gate fails the run;
 * with it the document is left out and the reason of the last one left out
 * goes to `why`. Nothing is written. */
static int plan_job(bs_job *j, const char *const *roles, int n, const char *only, bool skip,
                    bs_value *plan, bs_err *why, bs_err *err)
{
    const bs_value *docs = value_get(job_model(j), "documents");
    size_t nvisits = value_len(value_get(j->e, "visits")), nroles = 1;
    if (roles) {
        for (nroles = 0; roles[nroles]; nroles++) {
        }
    }
    int rc = BS_OK;
    size_t nd = value_len(docs);
    for (size_t r = 0; rc == BS_OK && r < nroles; r++) {
        const char *role = roles ? roles[r] : NULL;
        // The visit and final reports and the schedule list the documents
        // on record: they come after the others, so that writing again
        // gives the same reports.
        for (size_t ii = 0; rc == BS_OK && ii < 2 * nd; ii++) {
            size_t i = ii % nd;
            const bs_value *doc = value_at(docs, i);
            const char *dr = value_get_str(doc, "role");
            if (lists_documents(doc) != (ii >= nd)) {
                continue;
            }
            if (replaced(docs, i) || (role && (!dr || strcmp(dr, role) != 0)) ||
                (only && strcmp(only, value_get_str(doc, "id")) != 0) || !state_applies(doc, j->e)) {
                continue;
            }
            bool pv = per_visit(doc);
            if (n && !pv) {
                continue; // visit N's documents only, as produce_plan lists them
            }
            for (size_t k = 1; rc == BS_OK && k <= (pv ? nvisits : 1); k++) {
                int visit = pv ? (int)k : 0;
                if (pv && ((n && visit != n) || !applies(doc, visit))) {
                    continue;
                }
                bs_err e = {0};
                rc = check_gates(j, doc, visit, &e);
                if (rc == BS_ESTATE && skip) {
                    bs_err_clear(why);
                    bs_err_set(why, e.code, "%s", e.msg);
                    rc = BS_OK;
                    continue;
                }
                char *path = rc == BS_OK ? doc_path(j, doc, visit, false, &e) : NULL;
                if (!path) {
                    rc = bs_err_set(err, e.code, "%s", e.msg);
                    continue;
                }
                bs_value *t = value_map();
                value_set_int(t, "index", (int64_t)i + 1);
                value_set_int(t, "visit", visit);
                value_set_str(t, "path", path);
                value_push(plan, t);
                free(path);
            }
        }
    }
    return rc;
}

/* Writes the files of `plan` (plan_job) once the user's edits among all of
 * them are guarded; what the store is to record goes to `pending`. */
static int write_plan(bs_job *j, const bs_value *plan, const produce_opts *o, size_t *count,
                      bs_value *pending, bs_value *written, bs_value *warnings, bs_err *err)
{
    bs_value *paths = value_list();
    for (size_t i = 0; i < value_len(plan); i++) {
        value_push(paths, value_str(value_get_str(value_at(plan, i), "path")));
    }
    int rc = job_keep_edited(j, paths, o && o->force, err);
    value_free(paths);
    const bs_value *docs = value_get(job_model(j), "documents");
    bool reloaded = false;
    for (size_t i = 0; rc == BS_OK && i < value_len(plan); i++) {
        const bs_value *t = value_at(plan, i);
        size_t index = (size_t)value_as_int(value_get(t, "index"));
        if (!reloaded && lists_documents(value_at(docs, index - 1))) {
            // What was written so far is recorded first, for these list it.
            reloaded = true;
            rc = record_written(j, pending, err);
            while (rc == BS_OK && value_len(pending)) {
                value_free(value_pop(pending));
            }
            rc = rc == BS_OK ? job_documents_reload(j, err) : rc;
            if (rc != BS_OK) {
                break;
            }
        }
        rc = generate_one(j, (size_t)value_as_int(value_get(t, "index")),
                          (int)value_as_int(value_get(t, "visit")), o, pending, written, warnings,
                          err);
        if (rc == BS_OK) {
            (*count)++;
        }
    }
    return rc;
}

int produce_job(bs_job *j, const char *const *roles, int n, const char *only, bool skip,
                const produce_opts *o, size_t *count, bs_value *written, bs_value *warnings,
                bs_err *err)
{
    bs_value *plan = value_list(), *pending = value_list();
    bs_err why = {0};
    *count = 0;
    // Every file is found (and without `skip` every gate checked) before
    // the user's edits among all of them are guarded, and only then written.
    int rc = plan_job(j, roles, n, only, skip, plan, &why, err);
    if (rc == BS_OK) {
        rc = write_plan(j, plan, o, count, pending, written, warnings, err);
    }
    value_free(plan);
    // What was written is recorded even when a later document failed: the
    // files are there.
    bs_err e = {0};
    int rr = record_written(j, pending, rc == BS_OK ? err : &e);
    value_free(pending);
    rc = rc == BS_OK ? rr : rc;
    if (rc == BS_OK && *count == 0 && why.code) {
        bs_err_set(err, why.code, "%s", why.msg); // why nothing could be written
    }
    return rc;
}

int produce_plan(bs_session *s, int64_t eng, int visit, bs_value **out, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *docs = value_get(job_model(&j), "documents");
    size_t nvisits = value_len(value_get(j.e, "visits"));
    bs_value *plan = value_list();
    for (size_t i = 0; i < value_len(docs); i++) {
        const bs_value *doc = value_at(docs, i);
        bool pv = per_visit(doc);
        if (replaced(docs, i) || (visit && !pv) || !state_applies(doc, j.e)) {
            continue;
        }
        for (size_t k = 1; k <= (pv ? nvisits : 1); k++) {
            int n = pv ? (int)k : 0;
            if (pv && ((visit && n != visit) || !applies(doc, n))) {
                continue;
            }
            bs_err why = {0};
            bool ready = check_gates(&j, doc, n, &why) == BS_OK;
            bs_value *d = value_map();
            value_set_str(d, "id", value_get_str(doc, "id"));
            value_set_str(d, "title", value_get_str(doc, "title"));
            value_set_str(d, "role", value_get_str(doc, "role"));
            value_set(d, "visit", n > 0 ? value_int(n) : value_null());
            char *name = file_name(doc, n);
            value_set_str(d, "file", name);
            free(name);
            value_set_bool(d, "ready", ready);
            value_set_str(d, "why", ready ? NULL : why.msg);
            value_push(plan, d);
        }
    }
    job_free(&j);
    *out = plan;
    return BS_OK;
}

int produce_generate(bs_session *s, int64_t eng, int visit, const char *only,
                     const produce_opts *o, bs_value *written, bs_value *warnings, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    size_t count = 0;
    if (rc == BS_OK) {
        rc = produce_job(&j, NULL, visit, only, true, o, &count, written, warnings, err);
    }
    if (rc == BS_OK && count == 0) {
        // Nothing could be written: say why (the last document passed over).
        rc = err->code ? err->code
                       : bs_err_set(err, BS_ENOTFOUND, _("no document '%s' in theme '%s'"),
                                    only ? only : "", value_get_str(j.e, "theme"));
    } else if (rc == BS_OK) {
        bs_err_clear(err);
    }
    job_free(&j);
    return rc;
}

/* The date a pack or report is given for (o->date, else today), checked:
 * a date, not in the future. */
static int given_date(const produce_opts *o, char out[11], bs_err *err)
{
    char today[11];
    bs_date_today(today);
    int rc = workflow_check_date(o && o->date ? o->date : today, today, err);
    if (rc == BS_OK) {
        snprintf(out, 11, "%s", o && o->date ? o->date : today);
    }
    return rc;
}

/* Opens the engagement's job once the date it is given for is checked
 * (given_date: always with `dated`, else only when o->date is given). On
 * failure *j is empty, safe to free. */
static int open_dated(bs_session *s, int64_t eng, const produce_opts *o, bool dated, char day[11],
                      bs_job *j, bs_err *err)
{
    *j = (bs_job){0};
    int rc = dated || (o && o->date) ? given_date(o, day, err) : BS_OK;
    return rc == BS_OK ? job_open(s, eng, j, err) : rc;
}

int produce_prepare(bs_session *s, int64_t eng, int n, const produce_opts *o, bs_value *written,
                    bs_value *warnings, bs_err *err)
{
    bs_job j;
    char day[11];
    int rc = open_dated(s, eng, o, true, day, &j, err);
    // Prepared again without --date: the day it was first prepared stays.
    const char *before = rc == BS_OK ? value_get_str(workflow_visit(j.e, n), "prepared_date") : NULL;
    if (before && !(o && o->date)) {
        snprintf(day, sizeof day, "%s", before);
    }
    size_t count = 0;
    produce_opts po = {.force = o && o->force, .date = day};
    // The expert's own papers are checked and written with the pack: an
    // edit among either stops both before anything is written.
    static const char *const roles[] = {"pack", "expert", NULL};
    if (rc == BS_OK) {
        rc = produce_job(&j, roles, n, NULL, false, &po, &count, written, warnings, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_prepared(session_store(s), session_actor(s), eng, n, day, err);
    }
    job_free(&j);
    return rc;
}

int produce_report(bs_session *s, int64_t eng, int n, const produce_opts *o, bs_value *written,
                   bs_value *warnings, bs_err *err)
{
    bs_job j;
    char day[11];
    int rc = open_dated(s, eng, o, true, day, &j, err);
    if (rc == BS_OK) {
        rc = workflow_check_open(j.e, err);
    }
    const bs_value *v = rc == BS_OK ? workflow_visit(j.e, n) : NULL;
    if (rc == BS_OK && v && !workflow_visit_held(v)) {
        rc = bs_err_set(err, BS_ESTATE, _("visit %d has not been held: nothing to report"), n);
    }
    if (rc == BS_OK && v && strcmp(value_get_str(v, "state"), "reported") == 0) {
        rc = bs_err_set(err, BS_ESTATE, _("visit %d was reported on %s already"), n,
                        value_get_str(v, "reported_at"));
    }
    const char *held = v ? value_get_str(v, "held_date") : NULL;
    if (rc == BS_OK && held && strcmp(day, held) < 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--date: %s is before visit %d was held (%s)"), day, n,
                        held);
    }
    size_t count = 0;
    produce_opts po = {.force = o && o->force, .date = day};
    if (rc == BS_OK && v) {
        const char *const roles[] = {"report", NULL};
        rc = produce_job(&j, roles, n, NULL, false, &po, &count, written, warnings, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_report(session_store(s), session_actor(s), eng, n,
                                   o && o->date ? day : NULL, err);
    }
    job_free(&j);
    return rc;
}

/* The documents of one role that a theme must declare (final, schedule). */
static int produce_role(bs_session *s, int64_t eng, const char *role, const char *missing,
                        const produce_opts *o, bs_value *written, bs_value *warnings, bs_err *err)
{
    bs_job j;
    char day[11];
    int rc = open_dated(s, eng, o, false, day, &j, err);
    size_t count = 0;
    if (rc == BS_OK) {
        const char *const roles[] = {role, NULL};
        rc = produce_job(&j, roles, 0, NULL, false, o, &count, written, warnings, err);
    }
    if (rc == BS_OK && count == 0) {
        rc = bs_err_set(err, BS_ENOTFOUND, _("theme '%s' declares no %s"),
                        value_get_str(j.e, "theme"), _(missing));
    }
    job_free(&j);
    return rc;
}

/* Whether the engagement's final report may take the expert's findings:
 * not once it was written after the engagement closed; with `ready` also
 * only when it can be written now (ended, its worksheets imported). */
static int findings_gates(bs_session *s, int64_t eng, bool ready, bs_err *err)
{
    bs_job j;
    int rc = job_open(s, eng, &j, err);
    const bs_value *docs = rc == BS_OK ? value_get(job_model(&j), "documents") : NULL;
    for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
        const bs_value *doc = value_at(docs, i);
        const char *role = value_get_str(doc, "role");
        if (!role || strcmp(role, "final") != 0 || replaced(docs, i)) {
            continue;
        }
        rc = check_open(&j, doc, err);
        if (rc == BS_OK && ready) {
            rc = check_requires(&j, doc, 0, err);
        }
        if (rc == BS_OK && ready) {
            rc = check_needs(&j, doc, err);
        }
    }
    job_free(&j);
    return rc;
}

int produce_findings(bs_session *s, int64_t eng, const char *findings, bs_err *err)
{
    int rc = findings_gates(s, eng, false, err);
    return rc == BS_OK ? workflow_engagement_findings(session_store(s), session_actor(s), eng,
                                                      findings, err)
                       : rc;
}

int produce_final(bs_session *s, int64_t eng, const char *findings, const produce_opts *o,
                  bs_value *written, bs_value *warnings, bs_err *err)
{
    // The findings are recorded only when the final report can be written
    // with them: so a refused command changes nothing.
    int rc = findings ? findings_gates(s, eng, true, err) : BS_OK;
    if (rc == BS_OK && findings) {
        rc = workflow_engagement_findings(session_store(s), session_actor(s), eng, findings, err);
    }
    return rc == BS_OK
               ? produce_role(s, eng, "final", N_("final report"), o, written, warnings, err)
               : rc;
}

int produce_schedule(bs_session *s, int64_t eng, const produce_opts *o, bs_value *written,
                     bs_value *warnings, bs_err *err)
{
    produce_opts po = {.force = o && o->force}; // a schedule is as of today
    return produce_role(s, eng, "schedule", N_("schedule"), &po, written, warnings, err);
}

/* The engagement's group of the programme's Gantt chart, appended to
 * `groups` when its schedule has rows; the theme's text for today into
 * `today_text` (owned) when none is there yet. */
static int schedule_group(bs_job *j, bs_value *groups, char **today_text, bs_err *err)
{
    const bs_value *docs = value_get(job_model(j), "documents");
    for (size_t k = 0; k < value_len(docs); k++) {
        const char *role = value_get_str(value_at(docs, k), "role");
        if (!role || strcmp(role, "schedule") != 0) {
            continue;
        }
        bs_value *data = NULL;
        int rc = doc_context(j, k + 1, &data, err);
        if (rc == BS_OK && !*today_text && value_get_str(data, "today_text")) {
            *today_text = xstrdup(value_get_str(data, "today_text"));
        }
        if (rc == BS_OK && value_len(value_get(data, "rows"))) {
            // The theme by its title, as the expert and the company call it.
            const char *theme = value_get_str(job_model(j), "title");
            char *title = xasprintf("%s（%s・%s）", value_get_str(j->e, "company_name"),
                                    theme ? theme : value_get_str(j->e, "theme"),
                                    value_get_str(j->e, "expert_name"));
            value_push(groups, gantt_group(title, data));
            free(title);
        }
        value_free(data);
        return rc;
    }
    return BS_OK;
}

int produce_record_programme(bs_session *s, const char *path, const char *doc, const char *title,
                             bs_err *err)
{
    char sha[65];
    int rc = bs_sha256_file(path, sha, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_store *st = session_store(s);
    bs_value *rec = value_map();
    value_set_str(rec, "path", path);
    value_set_str(rec, "doc", doc);
    value_set_str(rec, "title", title);
    value_set_str(rec, "sha256", sha);
    rc = store_begin(st, err);
    if (rc == BS_OK) {
        rc = store_programme_document_put(st, rec, err);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("%s: %s", doc, path);
        rc = store_event_add(st, session_actor(s), 0, 0, "document.generate", detail, err);
        free(detail);
    }
    value_free(rec);
    return rc == BS_OK ? store_commit(st, err) : (store_rollback(st), rc);
}

int produce_keep_programme(bs_session *s, const char *path, bool force, bs_err *err)
{
    bs_value *docs = NULL, *paths = value_list();
    value_push(paths, value_str(path));
    int rc = store_programme_document_list(session_store(s), &docs, err);
    if (rc == BS_OK) {
        rc = job_keep_recorded(s, 0, 0, docs, paths, force, err);
    }
    value_free(docs);
    value_free(paths);
    return rc;
}

int produce_schedule_all(bs_session *s, const char *path, const produce_opts *o, char **path_out,
                         bs_err *err)
{
    bs_value *list = NULL, *groups = value_list();
    char *today_text = NULL;
    int rc = store_engagement_list(session_store(s), &list, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(list); i++) {
        bs_job j;
        rc = job_open(s, value_as_int(value_get(value_at(list, i), "id")), &j, err);
        if (rc == BS_OK) {
            rc = schedule_group(&j, groups, &today_text, err);
        }
        job_free(&j);
    }
    char today[11];
    bs_date_today(today);
    char *p = NULL;
    if (rc == BS_OK) {
        p = path ? xstrdup(path) : xasprintf("%s/out/全体スケジュール.xlsx", session_dir(s));
        rc = produce_keep_programme(s, p, o && o->force, err);
    }
    const char *title = "マネジメント指導 全体スケジュール";
    if (rc == BS_OK) {
        rc = xlsxw_gantt(title, NULL, groups, today, today_text, p, err);
    }
    if (rc == BS_OK) {
        rc = produce_record_programme(s, p, "programme-schedule", title, err);
    }
    if (rc == BS_OK) {
        *path_out = p;
    } else {
        free(p);
    }
    free(today_text);
    value_free(groups);
    value_free(list);
    return rc;
}

int produce_recorded(bs_session *s, int64_t eng, bs_value **out, bs_err *err)
{
    bs_value *e = NULL, *docs = NULL;
    int rc = store_engagement_get(session_store(s), eng, &e, err);
    if (rc == BS_OK) {
        rc = store_document_list(session_store(s), eng, &docs, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
        bs_value *d = value_at(docs, i);
        const char *path = value_get_str(d, "path");
        char sha[65];
        bs_err se = {0};
        const char *state = !bs_file_exists(path) ? "missing"
                            : bs_sha256_file(path, sha, &se) != BS_OK ? "unreadable"
                            : strcmp(sha, value_get_str(d, "sha256")) == 0 ? "ok"
                                                                          : "edited";
        value_set_str(d, "status", state);
    }
    value_free(e);
    if (rc != BS_OK) {
        value_free(docs);
        return rc;
    }
    *out = docs;
    return BS_OK;
}

int produce_fetch(bs_session *s, int64_t eng, const char *dir, bool force, bs_value *written,
                  bs_err *err)
{
    bs_value *docs = NULL, *plan = value_list(), *contents = value_list();
    int rc = produce_recorded(s, eng, &docs, err);
    bs_buf clash = {0};
    for (size_t i = 0; rc == BS_OK && i < value_len(docs); i++) {
        const bs_value *d = value_at(docs, i);
        if (!value_as_int(value_get(d, "stored"))) {
            continue;
        }
        bs_value *bytes = NULL;
        rc = store_content_get(session_store(s), value_get_str(d, "sha256"), &bytes, err);
        char sha[65];
        if (rc == BS_OK) {
            bs_sha256(value_as_str(bytes), value_str_len(bytes), sha);
            if (strcmp(sha, value_get_str(d, "sha256")) != 0) {
                rc = bs_err_set(err, BS_ECORRUPT, _("%s: the stored bytes are not those recorded"),
                                value_get_str(d, "title"));
            }
        }
        // Only the last part of the recorded path, made safe: the database
        // may hold any path, and nothing goes outside `dir`.
        const char *path = value_get_str(d, "path");
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char *name = bs_safe_name(base, 200);
        if (!name[0] || name[0] == '.') {
            free(name);
            name = xasprintf("%s-%.12s", value_get_str(d, "doc"), value_get_str(d, "sha256"));
            char *safe = bs_safe_name(name, 200);
            free(name);
            name = safe;
        }
        char *target = xasprintf("%s/%s", dir, name);
        free(name);
        char here[65] = "";
        bs_err se = {0};
        bool exists = rc == BS_OK && bs_file_exists(target);
        if (exists && bs_sha256_file(target, here, &se) != BS_OK) {
            here[0] = '\0';
        }
        bool same = exists && strcmp(here, sha) == 0;
        if (exists && !same && !force) {
            bs_buf_printf(&clash, "%s%s", clash.s ? ", " : "", target);
        }
        for (size_t k = 0; rc == BS_OK && k < value_len(plan); k++) {
            if (strcmp(value_get_str(value_at(plan, k), "path"), target) == 0) {
                rc = bs_err_set(err, BS_EEXIST, _("%s: two stored documents have this name"),
                                target);
            }
        }
        if (rc == BS_OK) {
            bs_value *p = value_map();
            value_set_str(p, "path", target);
            value_set_str(p, "title", value_get_str(d, "title"));
            value_set_str(p, "sha256", sha);
            value_set_str(p, "state", same ? "same" : "written");
            value_push(plan, p);
            value_push(contents, value_copy(bytes));
        }
        free(target);
        value_free(bytes);
    }
    if (rc == BS_OK && clash.s) {
        rc = bs_err_set(err, BS_EEXIST,
                        _("%s: there with other contents (give --force to replace)"), clash.s);
    }
    if (rc == BS_OK && value_len(plan) > 0) {
        rc = bs_mkdir_p(dir, 0700, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(plan); i++) {
        const bs_value *p = value_at(plan, i), *bytes = value_at(contents, i);
        if (strcmp(value_get_str(p, "state"), "written") == 0) {
            rc = bs_write_file_atomic(value_get_str(p, "path"), value_as_str(bytes),
                                      value_str_len(bytes), err);
        }
        if (rc == BS_OK) {
            value_push(written, value_copy(p));
        }
    }
    bs_buf_free(&clash);
    value_free(contents);
    value_free(plan);
    value_free(docs);
    return rc;
}
