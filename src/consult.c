#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "consult.h"
#include "docx.h"
#include "engagement.h"
#include "i18n.h"
#include "produce.h"
#include "store.h"
#include "theme.h"
#include "util.h"
#include "workflow.h"

enum { MAX_BOOTHS = 20 };

static int lib(bs_session *s, bs_theme **out, bs_err *err)
{
    return session_lib(s, "consult", out, err);
}

static int64_t id_of(const bs_value *row)
{
    return value_as_int(value_get(row, "id"));
}

static int finish(bs_store *st, int rc, bs_err *err)
{
    if (rc == BS_OK) {
        return store_commit(st, err);
    }
    store_rollback(st);
    return rc;
}

/* The problems a library check returns (a list of messages), as one
 * error. */
static int problems_error(const bs_value *problems, bs_err *err)
{
    if (value_len(problems) == 0) {
        return BS_OK;
    }
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(problems); i++) {
        bs_buf_printf(&b, "%s%s", i ? "; " : "", value_as_str(value_at(problems, i)));
    }
    int rc = bs_err_set(err, BS_EINPUT, "%s", b.s);
    bs_buf_free(&b);
    return rc;
}

/* "a,b,c" of a list of strings (owned). */
static char *joined(const bs_value *l)
{
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(l); i++) {
        bs_buf_printf(&b, "%s%s", i ? "," : "", value_as_str(value_at(l, i)));
    }
    return b.s ? bs_buf_take(&b) : xstrdup("");
}

/* The list of "a,b,c" (owned). */
static bs_value *split(const char *s)
{
    bs_value *l = value_list();
    while (s && *s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        value_push(l, value_strn(s, n));
        s = e ? e + 1 : NULL;
    }
    return l;
}

int consult_session_add(bs_session *s, const bs_value *fields, const bs_value *experts,
                        int64_t *id_out, bs_err *err)
{
    const char *day = value_get_str(fields, "held_on");
    if (!day || !bs_date_valid(day)) {
        return bs_err_set(err, BS_EINPUT, _("--date: '%s' is not a date (YYYY-MM-DD)"),
                          day ? day : "");
    }
    const char *venue = value_get_str(fields, "venue");
    if (!venue || !*venue) {
        return bs_err_set(err, BS_EUSAGE, _("session add: --venue is required"));
    }
    if (value_len(experts) > MAX_BOOTHS) {
        return bs_err_set(err, BS_EINPUT, _("--experts: %zu experts, at most %d booths"),
                          value_len(experts), MAX_BOOTHS);
    }
    bs_theme *th = NULL;
    int rc = lib(s, &th, err);
    if (rc != BS_OK) {
        return rc;
    }
    const bs_value *given = value_get(fields, "rounds");
    bs_value *rounds = value_type(given) == BS_VLIST
                           ? value_copy(given)
                           : value_copy(value_get(theme_model(th), "rounds"));
    bs_value *input = value_map(), *problems = NULL;
    value_set(input, "region", value_copy(value_get(fields, "region")));
    value_set(input, "rounds", value_copy(rounds));
    rc = theme_call(th, "check_session", input, &problems, err);
    value_free(input);
    if (rc == BS_OK) {
        rc = problems_error(problems, err);
    }
    value_free(problems);
    bs_value *chamber = NULL;
    if (rc == BS_OK && !value_get_str(fields, "chamber")) {
        rc = theme_call(th, "chamber", value_get(fields, "region"), &chamber, err);
    }
    bs_store *st = session_store(s);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        value_free(rounds);
        value_free(chamber);
        return rc;
    }
    char now[32];
    bs_now_iso(now);
    bs_value *row = value_copy(fields);
    char *r = joined(rounds);
    value_set_str(row, "rounds", r);
    free(r);
    value_set_str(row, "created_at", now);
    if (chamber && value_as_str(chamber)) {
        value_set(row, "chamber", value_copy(chamber));
    }
    int64_t id = 0;
    rc = store_session_add(st, row, &id, err);
    for (size_t i = 0; rc == BS_OK && i < value_len(experts); i++) {
        bs_value *x = NULL;
        rc = store_expert_get(st, value_as_str(value_at(experts, i)), &x, err);
        if (rc == BS_OK) {
            rc = store_session_booth(st, id, (int)i + 1, id_of(x), err);
        }
        value_free(x);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("session %lld: %s, %s (%s), %zu booths", (long long)id, day,
                                 value_get_str(fields, "region"), venue, value_len(experts));
        rc = store_event_add(st, session_actor(s), 0, 0, "session.add", detail, err);
        free(detail);
    }
    value_free(row);
    value_free(rounds);
    value_free(chamber);
    rc = finish(st, rc, err);
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

int consult_session_booth(bs_session *s, int64_t id, int booth, const char *expert, bs_err *err)
{
    if (booth < 1 || booth > MAX_BOOTHS) {
        return bs_err_set(err, BS_EINPUT, _("--booth: %d is not a booth (1 to %d)"), booth,
                          MAX_BOOTHS);
    }
    bs_store *st = session_store(s);
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *sess = NULL, *x = NULL;
    rc = store_session_get(st, id, &sess, err);
    const bs_value *cons = value_get(sess, "consultations");
    for (size_t i = 0; rc == BS_OK && i < value_len(cons); i++) {
        if (value_as_int(value_get(value_at(cons, i), "booth")) == booth) {
            rc = bs_err_set(err, BS_ESTATE,
                            _("booth %d of session %lld has consultations booked already"), booth,
                            (long long)id);
        }
    }
    if (rc == BS_OK) {
        rc = store_expert_get(st, expert, &x, err);
    }
    if (rc == BS_OK) {
        rc = store_session_booth(st, id, booth, id_of(x), err);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("session %lld: booth %d: expert %lld", (long long)id, booth,
                                 (long long)id_of(x));
        rc = store_event_add(st, session_actor(s), 0, 0, "session.booth", detail, err);
        free(detail);
    }
    value_free(sess);
    value_free(x);
    return finish(st, rc, err);
}

int consult_session_get(bs_session *s, int64_t id, bs_value **out, bs_err *err)
{
    bs_value *sess = NULL;
    int rc = store_session_get(session_store(s), id, &sess, err);
    if (rc == BS_OK) {
        value_set(sess, "rounds", split(value_get_str(sess, "rounds")));
        *out = sess;
    }
    return rc;
}

int consult_session_list(bs_session *s, bs_value **out, bs_err *err)
{
    bs_value *list = NULL, *cons = NULL;
    int rc = store_session_list(session_store(s), &list, err);
    if (rc == BS_OK) {
        rc = store_consultation_list(session_store(s), 0, &cons, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(list); i++) {
        bs_value *r = value_at(list, i);
        int64_t n = 0, booked = 0;
        for (size_t k = 0; k < value_len(cons); k++) {
            n += value_as_int(value_get(value_at(cons, k), "session_id")) == id_of(r);
        }
        booked = n;
        value_set_int(r, "consultations", booked);
        value_set(r, "rounds", split(value_get_str(r, "rounds")));
    }
    value_free(cons);
    if (rc != BS_OK) {
        value_free(list);
        return rc;
    }
    *out = list;
    return BS_OK;
}

/* The booth of expert `x` in session `sess`, or 0. */
static int booth_of(const bs_value *sess, int64_t x)
{
    const bs_value *b = value_get(sess, "booths");
    for (size_t i = 0; i < value_len(b); i++) {
        if (value_as_int(value_get(value_at(b, i), "expert_id")) == x) {
            return (int)value_as_int(value_get(value_at(b, i), "booth"));
        }
    }
    return 0;
}

/* The expert of booth `booth`, or 0 when the booth has none. */
static int64_t expert_of(const bs_value *sess, int booth)
{
    const bs_value *b = value_get(sess, "booths");
    for (size_t i = 0; i < value_len(b); i++) {
        if (value_as_int(value_get(value_at(b, i), "booth")) == booth) {
            return value_as_int(value_get(value_at(b, i), "expert_id"));
        }
    }
    return 0;
}

static bool taken(const bs_value *sess, int round, int booth)
{
    const bs_value *c = value_get(sess, "consultations");
    for (size_t i = 0; i < value_len(c); i++) {
        const bs_value *k = value_at(c, i);
        if (value_as_int(value_get(k, "round")) == round &&
            value_as_int(value_get(k, "booth")) == booth) {
            return true;
        }
    }
    return false;
}

/* The round and booth a booking takes: as asked, or the first free one
 * (round by round) among the booths allowed (`only`, or every booth). */
static int pick_slot(const bs_value *sess, int *round, int *booth, int only, bs_err *err)
{
    int rounds = (int)value_len(value_get(sess, "rounds"));
    int64_t id = id_of(sess);
    if (*round < 0 || *round > rounds) {
        return bs_err_set(err, BS_EINPUT, _("--round: session %lld has rounds 1 to %d"),
                          (long long)id, rounds);
    }
    if (*booth && !expert_of(sess, *booth)) {
        return bs_err_set(err, BS_EINPUT, _("--booth: session %lld has no expert in booth %d"),
                          (long long)id, *booth);
    }
    if (*round && *booth) {
        return taken(sess, *round, *booth)
                   ? bs_err_set(err, BS_ESTATE,
                                _("round %d, booth %d of session %lld is booked already"), *round,
                                *booth, (long long)id)
                   : BS_OK;
    }
    const bs_value *b = value_get(sess, "booths");
    for (int r = 1; r <= rounds; r++) {
        if (*round && r != *round) {
            continue;
        }
        for (size_t i = 0; i < value_len(b); i++) {
            int bt = (int)value_as_int(value_get(value_at(b, i), "booth"));
            if ((*booth && bt != *booth) || (only && bt != only) || taken(sess, r, bt)) {
                continue;
            }
            *round = r;
            *booth = bt;
            return BS_OK;
        }
    }
    return bs_err_set(err, BS_ESTATE, _("session %lld has no free slot for that"), (long long)id);
}

int consult_book(bs_session *s, int64_t id, const char *company, int round, int booth,
                 const char *expert, const char *asked, int64_t *id_out, bs_err *err)
{
    if (asked && bs_has_control(asked)) {
        return bs_err_set(err, BS_EINPUT, _("--asked: contains a control character"));
    }
    bs_store *st = session_store(s);
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *sess = NULL, *c = NULL, *x = NULL;
    rc = store_session_get(st, id, &sess, err);
    if (rc == BS_OK) {
        value_set(sess, "rounds", split(value_get_str(sess, "rounds")));
        rc = store_company_get(st, company, &c, err);
    }
    const bs_value *cons = value_get(sess, "consultations");
    for (size_t i = 0; rc == BS_OK && i < value_len(cons); i++) {
        const bs_value *k = value_at(cons, i);
        if (value_as_int(value_get(k, "company_id")) == id_of(c)) {
            rc = bs_err_set(err, BS_ESTATE,
                            _("company '%s' is booked in session %lld already (consultation %lld)"),
                            value_get_str(c, "name"), (long long)id, (long long)id_of(k));
        }
    }
    int only = 0;
    if (rc == BS_OK && expert) {
        rc = store_expert_get(st, expert, &x, err);
        only = rc == BS_OK ? booth_of(sess, id_of(x)) : 0;
        if (rc == BS_OK && !only) {
            rc = bs_err_set(err, BS_EINPUT, _("expert '%s' has no booth in session %lld"),
                            value_get_str(x, "name"), (long long)id);
        }
    }
    if (rc == BS_OK) {
        rc = pick_slot(sess, &round, &booth, only, err);
    }
    int64_t k = 0;
    if (rc == BS_OK) {
        char now[32];
        bs_now_iso(now);
        bs_value *f = value_map();
        value_set_int(f, "session_id", id);
        value_set_int(f, "round", round);
        value_set_int(f, "booth", booth);
        value_set_int(f, "company_id", id_of(c));
        value_set_int(f, "expert_id", expert_of(sess, booth));
        value_set(f, "asked", asked && *asked ? value_str(asked) : value_null());
        value_set_str(f, "booked_at", now);
        rc = store_consultation_add(st, f, &k, err);
        value_free(f);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("consultation %lld: %s in session %lld, round %d, booth %d",
                                 (long long)k, value_get_str(c, "name"), (long long)id, round,
                                 booth);
        rc = store_event_add(st, session_actor(s), id_of(c), 0, "consultation.book", detail, err);
        free(detail);
    }
    value_free(sess);
    value_free(c);
    value_free(x);
    rc = finish(st, rc, err);
    if (rc == BS_OK) {
        *id_out = k;
    }
    return rc;
}

/* Consultation `id`, refused when it has its outcome already (inside the
 * caller's transaction when it changes it). */
static int open_consultation(bs_store *st, int64_t id, bs_value **out, bs_err *err)
{
    bs_value *k = NULL;
    int rc = store_consultation_get(st, id, &k, err);
    const char *o = rc == BS_OK ? value_get_str(k, "outcome") : NULL;
    if (o) {
        rc = bs_err_set(err, BS_ESTATE,
                        strcmp(o, "engaged") == 0
                            ? _("consultation %lld led to engagement %lld already")
                            : _("consultation %lld was declined already"),
                        (long long)id, (long long)value_as_int(value_get(k, "engagement_id")));
    }
    if (rc != BS_OK) {
        value_free(k);
        return rc;
    }
    *out = k;
    return BS_OK;
}

int consult_cancel(bs_session *s, int64_t id, bs_err *err)
{
    bs_store *st = session_store(s);
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *k = NULL;
    rc = open_consultation(st, id, &k, err);
    if (rc == BS_OK && value_get_str(k, "recorded_at")) {
        rc = bs_err_set(err, BS_ESTATE,
                        _("consultation %lld was held and recorded: it stays (decline it instead)"),
                        (long long)id);
    }
    if (rc == BS_OK) {
        rc = store_consultation_delete(st, id, err);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("consultation %lld: booking of %s in session %lld cancelled",
                                 (long long)id, value_get_str(k, "company_name"),
                                 (long long)value_as_int(value_get(k, "session_id")));
        rc = store_event_add(st, session_actor(s), value_as_int(value_get(k, "company_id")), 0,
                             "consultation.cancel", detail, err);
        free(detail);
    }
    value_free(k);
    return finish(st, rc, err);
}

int consult_record(bs_session *s, int64_t id, const bs_value *fields, bs_err *err)
{
    static const char *const themes[] = {"wished_theme", "proposed_theme", NULL};
    for (const char *const *t = themes; *t; t++) {
        const char *v = value_get_str(fields, *t);
        if (v && !catalog_has_theme(s, v)) {
            return bs_err_set(err, BS_EINPUT, _("no theme '%s' (see 'bansou themes')"), v);
        }
    }
    // Topics and advice may run over several lines; nothing else may
    // reach a terminal or a document raw.
    static const char *const texts[][2] = {
        {"topics", "--topics"}, {"advice", "--advice"}, {"wished_dates", "--dates"}, {NULL, NULL}};
    for (size_t k = 0; texts[k][0]; k++) {
        const char *v = value_get_str(fields, texts[k][0]);
        char *flat = v ? xstrdup(v) : NULL;
        for (char *p = flat; p && *p; p++) {
            *p = *p == '\n' || *p == '\t' ? ' ' : *p;
        }
        bool bad = flat && bs_has_control(flat);
        free(flat);
        if (bad) {
            return bs_err_set(err, BS_EINPUT, _("%s: contains a control character"), texts[k][1]);
        }
    }
    bs_store *st = session_store(s);
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *k = NULL;
    rc = open_consultation(st, id, &k, err);
    if (rc == BS_OK) {
        bs_value *f = value_copy(fields);
        char now[32];
        bs_now_iso(now);
        value_set_str(f, "recorded_at", now);
        rc = store_consultation_update(st, id, f, err);
        value_free(f);
    }
    if (rc == BS_OK) {
        char *detail = xasprintf("consultation %lld: recorded", (long long)id);
        rc = store_event_add(st, session_actor(s), value_as_int(value_get(k, "company_id")), 0,
                             "consultation.record", detail, err);
        free(detail);
    }
    value_free(k);
    return finish(st, rc, err);
}

int consult_engage(bs_session *s, int64_t id, const char *theme, const char *expert,
                   const char *override, bs_value *warnings, int64_t *eng_out, bs_err *err)
{
    bs_value *k = NULL;
    int rc = open_consultation(session_store(s), id, &k, err);
    if (rc != BS_OK) {
        return rc;
    }
    const char *t = theme ? theme : value_get_str(k, "proposed_theme");
    t = t ? t : value_get_str(k, "wished_theme");
    if (!t) {
        value_free(k);
        return bs_err_set(err, BS_EUSAGE,
                          _("consultation %lld has no theme wished or proposed: give --theme"),
                          (long long)id);
    }
    char company[32], consultant[32];
    snprintf(company, sizeof company, "%lld", (long long)value_as_int(value_get(k, "company_id")));
    snprintf(consultant, sizeof consultant, "%lld",
             (long long)value_as_int(value_get(k, "expert_id")));
    engagement_opts o = {NULL, override, id};
    char *t_copy = xstrdup(t);
    value_free(k);
    rc = engagement_start(s, company, expert ? expert : consultant, t_copy, &o, warnings, eng_out,
                          err);
    free(t_copy);
    return rc;
}

int consult_decline(bs_session *s, int64_t id, const char *reason, const char *detail,
                    bs_err *err)
{
    bs_theme *th = NULL;
    int rc = lib(s, &th, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (detail && bs_has_control(detail)) {
        return bs_err_set(err, BS_EINPUT, _("--detail: contains a control character"));
    }
    bs_value *input = value_map(), *msg = NULL;
    value_set(input, "reason", reason ? value_str(reason) : value_null());
    value_set(input, "detail", detail ? value_str(detail) : value_null());
    rc = theme_call(th, "check_decline", input, &msg, err);
    value_free(input);
    if (rc == BS_OK && value_as_str(msg)) {
        rc = bs_err_set(err, BS_EINPUT, "%s", value_as_str(msg));
    }
    value_free(msg);
    bs_store *st = session_store(s);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    } else {
        return rc;
    }
    bs_value *k = NULL;
    if (rc == BS_OK) {
        rc = open_consultation(st, id, &k, err);
    }
    if (rc == BS_OK) {
        bs_value *f = value_map();
        value_set_str(f, "outcome", "declined");
        value_set_str(f, "decline_reason", reason);
        value_set(f, "decline_detail", detail && *detail ? value_str(detail) : value_null());
        rc = store_consultation_update(st, id, f, err);
        value_free(f);
    }
    if (rc == BS_OK) {
        char *d = xasprintf("consultation %lld: declined (%s)", (long long)id, reason);
        rc = store_event_add(st, session_actor(s), value_as_int(value_get(k, "company_id")), 0,
                             "consultation.decline", d, err);
        free(d);
    }
    value_free(k);
    return finish(st, rc, err);
}

int consult_get(bs_session *s, int64_t id, bs_value **out, bs_err *err)
{
    return store_consultation_get(session_store(s), id, out, err);
}

int consult_list(bs_session *s, const char *company, bs_value **out, bs_err *err)
{
    int64_t cid = 0;
    if (company) {
        bs_value *c = NULL;
        int rc = store_company_get(session_store(s), company, &c, err);
        if (rc != BS_OK) {
            return rc;
        }
        cid = id_of(c);
        value_free(c);
    }
    return store_consultation_list(session_store(s), cid, out, err);
}

int consult_reasons(bs_session *s, bs_value **out, bs_err *err)
{
    bs_theme *th = NULL;
    int rc = lib(s, &th, err);
    if (rc == BS_OK) {
        *out = value_copy(value_get(theme_model(th), "decline_reasons"));
    }
    return rc;
}

/* The themes as the documents name them: [{id, title}]. */
static bs_value *theme_titles(bs_session *s)
{
    bs_value *list = NULL;
    bs_err quiet = {0};
    if (catalog_themes(s, &list, &quiet) != BS_OK) {
        return value_list();
    }
    return list;
}

int consult_document(bs_session *s, int64_t id, bool record, const char *path, bool force,
                     char **path_out, bs_err *err)
{
    bs_theme *th = NULL;
    bs_value *input = value_map(), *data = NULL, *thing = NULL, *sess = NULL;
    char today[11];
    bs_date_today(today);
    value_set_str(input, "today", today);
    int rc = lib(s, &th, err);
    if (rc == BS_OK && record) {
        rc = consult_get(s, id, &thing, err);
        if (rc == BS_OK) {
            rc = consult_session_get(s, value_as_int(value_get(thing, "session_id")), &sess, err);
        }
        if (rc == BS_OK) {
            value_set(input, "consultation", value_copy(thing));
            value_set(input, "rounds", value_copy(value_get(sess, "rounds")));
            value_set(input, "themes", theme_titles(s));
        }
    } else if (rc == BS_OK) {
        rc = consult_session_get(s, id, &sess, err);
        if (rc == BS_OK) {
            value_set(input, "session", value_copy(sess));
        }
    }
    if (rc == BS_OK) {
        rc = theme_call(th, record ? "record" : "timetable", input, &data, err);
    }
    const char *tname =
        value_get_str(value_get(theme_model(th), "templates"), record ? "record" : "timetable");
    const bs_docx *t = NULL;
    if (rc == BS_OK) {
        rc = tname ? session_template(s, tname, &t, err)
                   : bs_err_set(err, BS_ESCRIPT, _("%s: no templates"), theme_path(th));
    }
    char *p = NULL;
    if (rc == BS_OK && path) {
        p = xstrdup(path);
    } else if (rc == BS_OK) {
        char *where = bs_safe_name(value_get_str(sess, "region"), 20);
        char *dir = xasprintf("%s/out/sessions/%03lld_%s_%s", session_dir(s),
                              (long long)id_of(sess), value_get_str(sess, "held_on"), where);
        free(where);
        const char *file = value_get_str(data, "file");
        char *name = bs_safe_name(file ? file : "", 120);
        rc = bs_mkdir_p(dir, 0700, err);
        size_t n = strlen(name);
        p = xasprintf("%s/%s%s", dir, *name ? name : "document",
                      n >= 5 && strcmp(name + n - 5, ".docx") == 0 ? "" : ".docx");
        free(name);
        free(dir);
    }
    if (rc == BS_OK) {
        rc = produce_keep_programme(s, p, force, err);
    }
    if (rc == BS_OK) {
        rc = docx_render(t, data, NULL, p, err);
    }
    if (rc == BS_OK) {
        rc = produce_record_programme(s, p, record ? "consultation-record" : "session-timetable",
                                      value_get_str(data, "title"), err);
    }
    value_free(input);
    value_free(data);
    value_free(thing);
    value_free(sess);
    if (rc != BS_OK) {
        free(p);
        return rc;
    }
    *path_out = p;
    return BS_OK;
}
