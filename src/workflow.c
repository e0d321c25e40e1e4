#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "i18n.h"
#include "model.h"
#include "util.h"
#include "workflow.h"

/* Commits when everything went well, rolls back otherwise. */
static int finish(bs_store *st, int rc, bs_err *err)
{
    if (rc == BS_OK) {
        return store_commit(st, err);
    }
    store_rollback(st);
    return rc;
}

static int64_t id_of(const bs_value *row)
{
    return value_as_int(value_get(row, "id"));
}

const bs_value *workflow_visit(const bs_value *engagement, int n)
{
    const bs_value *visits = value_get(engagement, "visits");
    for (size_t i = 0; i < value_len(visits); i++) {
        if (value_as_int(value_get(value_at(visits, i), "n")) == n) {
            return value_at(visits, i);
        }
    }
    return NULL;
}

bool workflow_visit_held(const bs_value *v)
{
    const char *s = value_get_str(v, "state");
    return s && (strcmp(s, "held") == 0 || strcmp(s, "reported") == 0);
}

bool workflow_closed(const bs_value *e)
{
    const char *s = value_get_str(e, "state");
    return s && (strcmp(s, "completed") == 0 || strcmp(s, "terminated") == 0);
}

int workflow_check_open(const bs_value *e, bs_err *err)
{
    if (!workflow_closed(e)) {
        return BS_OK;
    }
    // Only the two closed states come here: each has its own sentence.
    return bs_err_set(err, BS_ESTATE,
                      strcmp(value_get_str(e, "state"), "completed") == 0
                          ? _("engagement %lld is completed: no further changes")
                          : _("engagement %lld is terminated: no further changes"),
                      (long long)id_of(e));
}

bool workflow_ended(const bs_value *e)
{
    if (workflow_closed(e)) {
        return true;
    }
    const bs_value *vl = value_get(e, "visits");
    for (size_t i = 0; i < value_len(vl); i++) {
        if (!workflow_visit_held(value_at(vl, i))) {
            return false;
        }
    }
    return value_len(vl) > 0;
}

void workflow_status(bs_value *e, const char *today)
{
    bs_buf marks = {0};
    const bs_value *vl = value_get(e, "visits"), *next = NULL;
    for (size_t i = 0; i < value_len(vl); i++) {
        bool held = workflow_visit_held(value_at(vl, i));
        bs_buf_puts(&marks, held ? "●" : "○");
        if (!held && !next) {
            next = value_at(vl, i);
        }
    }
    char *m = bs_buf_take(&marks);
    value_set_str(e, "progress", m);
    free(m);
    bool closed = workflow_closed(e);
    const char *date = !closed && next ? value_get_str(next, "planned_date") : NULL;
    bs_buf why = {0};
    if (date && strcmp(date, today) < 0) {
        bs_buf_printf(&why, _("visit %lld planned for %s not held"),
                      (long long)value_as_int(value_get(next, "n")), date);
    }
    for (size_t i = 0; !closed && i < value_len(vl); i++) {
        const bs_value *v = value_at(vl, i);
        if (strcmp(value_get_str(v, "state"), "held") == 0) {
            bs_buf_puts(&why, why.len ? "; " : "");
            bs_buf_printf(&why, _("visit %lld not reported"),
                          (long long)value_as_int(value_get(v, "n")));
        }
    }
    // value_set_str copies `date` before the old next_date (if any) goes.
    char *d = date ? xstrdup(date) : NULL;
    value_set_str(e, "next_date", d);
    free(d);
    char *w = bs_buf_take(&why);
    value_set_str(e, "overdue", *w ? w : NULL);
    free(w);
}

/* The engagement, which must not have ended. */
static int open_engagement(bs_store *st, int64_t eng, bs_value **out, bs_err *err)
{
    bs_value *e = NULL;
    int rc = store_engagement_get(st, eng, &e, err);
    if (rc != BS_OK) {
        return rc;
    }
    rc = workflow_check_open(e, err);
    if (rc != BS_OK) {
        value_free(e);
        return rc;
    }
    *out = e;
    return BS_OK;
}

/* Visit `n` of `e`, which must exist. */
static int get_visit(const bs_value *e, int n, const bs_value **out, bs_err *err)
{
    const bs_value *v = workflow_visit(e, n);
    if (!v) {
        return bs_err_set(err, BS_EINPUT, _("engagement %lld has visits 1 to %zu, not %d"),
                          (long long)id_of(e), value_len(value_get(e, "visits")), n);
    }
    *out = v;
    return BS_OK;
}

/* The open engagement (owned, in *e_out once found: the caller frees it
 * whatever the result) and its visit `n`
 * (lent from it). */
static int open_visit(bs_store *st, int64_t eng, int n, bs_value **e_out, const bs_value **v_out,
                      bs_err *err)
{
    int rc = open_engagement(st, eng, e_out, err);
    if (rc == BS_OK) {
        rc = get_visit(*e_out, n, v_out, err);
    }
    return rc;
}

static int not_held(const bs_value *v, bs_err *err)
{
    if (workflow_visit_held(v)) {
        return bs_err_set(err, BS_ESTATE, _("visit %lld was held on %s already"),
                          (long long)value_as_int(value_get(v, "n")),
                          value_get_str(v, "held_date"));
    }
    return BS_OK;
}

/* The date of a visit: when it was held, else when it is planned; NULL. */
static const char *visit_date(const bs_value *v)
{
    const char *d = value_get_str(v, "held_date");
    return d ? d : value_get_str(v, "planned_date");
}

static int activate(bs_store *st, const bs_value *e, bs_err *err)
{
    if (strcmp(value_get_str(e, "state"), "matched") != 0) {
        return BS_OK;
    }
    return store_engagement_set_state(st, id_of(e), "active", NULL, err);
}

static int event(bs_store *st, const char *actor, const bs_value *e, const char *kind,
                 char *detail, bs_err *err)
{
    int rc = store_event_add(st, actor, value_as_int(value_get(e, "company_id")), id_of(e), kind,
                             detail, err);
    free(detail);
    return rc;
}

int workflow_check_name(const char *name, bool company, bs_err *err)
{
    const char *what = company ? _("company name") : _("expert name");
    if (!name || !*name) {
        return bs_err_set(err, BS_EINPUT, _("%s: empty"), what);
    }
    char *shown = bs_visible(name);
    int rc = BS_OK;
    if (!bs_utf8_valid(name, strlen(name))) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: '%s' is not UTF-8"), what, shown);
    } else if (bs_has_control(name)) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: '%s' contains a control character"), what, shown);
    } else if (bs_utf8_chars(name) > WORKFLOW_NAME_MAX) {
        rc = bs_err_set(err, BS_EINPUT, _("%s: too long (%zu characters, at most %d)"), what,
                        bs_utf8_chars(name), WORKFLOW_NAME_MAX);
    }
    char *safe = rc == BS_OK && company ? bs_safe_name(name, WORKFLOW_FOLDER_NAME_MAX) : NULL;
    if (safe && !*safe) {
        rc = bs_err_set(err, BS_EINPUT,
                        _("%s: '%s' has only dots and spaces, which cannot name a folder"), what,
                        shown);
    }
    free(safe);
    free(shown);
    return rc;
}

char *workflow_company_folder(int64_t id, const char *name)
{
    char *safe = bs_safe_name(name ? name : "", WORKFLOW_FOLDER_NAME_MAX);
    // A name stored before names were checked may leave nothing: the id alone.
    char *folder = *safe ? xasprintf("%03lld_%s", (long long)id, safe)
                         : xasprintf("%03lld", (long long)id);
    free(safe);
    return folder;
}

int workflow_company_add(bs_store *st, const char *actor, const bs_value *fields,
                         int64_t *id_out, bs_err *err)
{
    int rc = workflow_check_name(value_get_str(fields, "name"), true, err);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    int64_t id = 0;
    rc = store_company_add(st, fields, &id, err);
    if (rc == BS_OK) {
        rc = store_event_add(st, actor, id, 0, "company.add", value_get_str(fields, "name"), err);
    }
    rc = finish(st, rc, err);
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

/* The event text of an edit: `prefix`, then "changed " and the fields'
 * names ("changed name, industry"). Owned by the caller. */
static char *changes_of(const char *prefix, const bs_value *fields)
{
    bs_buf d = {0};
    bs_buf_puts(&d, prefix);
    for (size_t i = 0; i < value_len(fields); i++) {
        bs_buf_printf(&d, "%s%s", i ? ", " : "changed ", value_key_at(fields, i));
    }
    return bs_buf_take(&d);
}

int workflow_company_edit(bs_store *st, const char *actor, const char *ref,
                          const bs_value *fields, bs_err *err)
{
    int rc = value_get(fields, "name") ? workflow_check_name(value_get_str(fields, "name"), true, err)
                                       : BS_OK;
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *c = NULL;
    rc = store_company_get(st, ref, &c, err);
    if (rc == BS_OK) {
        rc = store_company_update(st, id_of(c), fields, err);
    }
    if (rc == BS_OK) {
        char *detail = changes_of("", fields);
        rc = store_event_add(st, actor, id_of(c), 0, "company.edit", detail, err);
        free(detail);
    }
    value_free(c);
    return finish(st, rc, err);
}

int workflow_expert_add(bs_store *st, const char *actor, const bs_value *fields,
                        int64_t *id_out, bs_err *err)
{
    int rc = workflow_check_name(value_get_str(fields, "name"), false, err);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    int64_t id = 0;
    rc = store_expert_add(st, fields, &id, err);
    if (rc == BS_OK) {
        char *detail = xasprintf("expert %lld %s", (long long)id, value_get_str(fields, "name"));
        rc = store_event_add(st, actor, 0, 0, "expert.add", detail, err);
        free(detail);
    }
    rc = finish(st, rc, err);
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

static int check_login(const char *login, bs_err *err)
{
    size_t n = strlen(login);
    bool ok = n >= 1 && n <= 63 && ((login[0] >= 'a' && login[0] <= 'z') || login[0] == '_');
    for (size_t i = 1; ok && i < n; i++) {
        char c = login[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok) {
        return bs_err_set(err, BS_EINPUT,
                          _("user name '%s': a lower-case letter or '_', then lower-case letters,"
                            " digits or '_', at most 63 of them"),
                          login);
    }
    if (strncmp(login, "pg_", 3) == 0 || strncmp(login, "bansou_", 7) == 0) {
        return bs_err_set(err, BS_EINPUT,
                          _("user name '%s': pg_… and bansou_… are the server's and bansou's own"
                            " roles"),
                          login);
    }
    return BS_OK;
}

/* 20 characters of an alphabet without look-alikes (no 0/O, 1/l/I):
 * about 115 bits. */
static char *random_password(void)
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    enum { LEN = 20, N = sizeof alphabet - 1 };
    char *p = xmalloc(LEN + 1);
    for (int i = 0; i < LEN;) {
        unsigned char b[32];
        if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
            continue; // interrupted by a signal: draw again
        }
        for (size_t j = 0; j < sizeof b && i < LEN; j++) {
            if (b[j] < 256 / N * N) { // no bias towards the first letters
                p[i++] = alphabet[b[j] % N];
            }
        }
    }
    p[LEN] = '\0';
    return p;
}

int workflow_user_add(bs_store *st, const char *actor, const char *login, const char *role,
                      const char *expert, char **password_out, bs_err *err)
{
    *password_out = NULL;
    int rc = check_login(login, err);
    bool is_expert = strcmp(role, "expert") == 0;
    if (rc == BS_OK && !is_expert && strcmp(role, "secretariat") != 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--role: '%s' is neither secretariat nor expert"),
                        role);
    } else if (rc == BS_OK && is_expert && !expert) {
        rc = bs_err_set(err, BS_EUSAGE, _("--role expert needs --expert ID (the expert it is)"));
    } else if (rc == BS_OK && !is_expert && expert) {
        rc = bs_err_set(err, BS_EUSAGE, _("--expert is for --role expert only"));
    }
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *x = NULL;
    int64_t expert_id = 0;
    if (is_expert) {
        rc = store_expert_get(st, expert, &x, err);
        expert_id = rc == BS_OK ? id_of(x) : 0;
    }
    char *password = random_password();
    bool made = false;
    if (rc == BS_OK) {
        rc = store_user_add(st, login, role, expert_id, password, &made, err);
    }
    if (rc == BS_OK) {
        char *detail = is_expert ? xasprintf("user %s expert %lld %s", login,
                                             (long long)expert_id, value_get_str(x, "name"))
                                 : xasprintf("user %s secretariat", login);
        rc = store_event_add(st, actor, 0, 0, "user.add", detail, err);
        free(detail);
    }
    value_free(x);
    rc = finish(st, rc, err);
    if (rc == BS_OK && made) {
        *password_out = password;
    } else {
        free(password);
    }
    return rc;
}

int workflow_user_remove(bs_store *st, const char *actor, const char *login, bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    rc = store_user_remove(st, login, err);
    if (rc == BS_OK) {
        char *detail = xasprintf("user %s", login);
        rc = store_event_add(st, actor, 0, 0, "user.remove", detail, err);
        free(detail);
    }
    return finish(st, rc, err);
}

int workflow_expert_edit(bs_store *st, const char *actor, const char *ref,
                         const bs_value *fields, bs_err *err)
{
    int rc = value_get(fields, "name") ? workflow_check_name(value_get_str(fields, "name"), false, err)
                                       : BS_OK;
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *x = NULL;
    rc = store_expert_get(st, ref, &x, err);
    if (rc == BS_OK) {
        rc = store_expert_update(st, id_of(x), fields, err);
    }
    if (rc == BS_OK) {
        char *prefix = xasprintf("expert %lld: ", (long long)id_of(x));
        char *detail = changes_of(prefix, fields);
        free(prefix);
        rc = store_event_add(st, actor, 0, 0, "expert.edit", detail, err);
        free(detail);
    }
    value_free(x);
    return finish(st, rc, err);
}

static bool list_has(const bs_value *list, const char *s)
{
    for (size_t i = 0; i < value_len(list); i++) {
        const char *v = value_as_str(value_at(list, i));
        if (v && strcmp(v, s) == 0) {
            return true;
        }
    }
    return false;
}

/* The theme variant of `model` with that id, or NULL. */
static const bs_value *find_variant(const bs_value *model, const char *id, size_t len)
{
    const bs_value *vs = value_get(model, "variants");
    for (size_t i = 0; i < value_len(vs); i++) {
        const char *v = value_get_str(value_at(vs, i), "id");
        if (v && strlen(v) == len && strncmp(v, id, len) == 0) {
            return value_at(vs, i);
        }
    }
    return NULL;
}

/* `spec` as stored: *out NULL for "auto", "" for "none", else the ids
 * checked and joined by ',' (owned). */
static int parse_variant(const bs_value *model, const char *spec, char **out, bs_err *err)
{
    *out = NULL;
    if (!spec || strcmp(spec, "auto") == 0) {
        return BS_OK;
    }
    bs_buf b = {0};
    if (strcmp(spec, "none") != 0) {
        for (const char *p = spec; *p;) {
            size_t n = strcspn(p, ",");
            while (n && *p == ' ') {
                p++, n--;
            }
            size_t len = n;
            while (len && p[len - 1] == ' ') {
                len--;
            }
            if (!find_variant(model, p, len)) {
                bs_buf known = {0};
                const bs_value *vs = value_get(model, "variants");
                for (size_t i = 0; i < value_len(vs); i++) {
                    bs_buf_printf(&known, "%s%s", i ? ", " : "", value_get_str(value_at(vs, i), "id"));
                }
                const char *tid = value_get_str(model, "id");
                int rc = known.len
                             ? bs_err_set(err, BS_EINPUT,
                                          _("--variant: theme '%s' has no variant '%.*s' "
                                            "(known: %s)"),
                                          tid, (int)len, p, known.s)
                             : bs_err_set(err, BS_EINPUT,
                                          _("--variant: theme '%s' has no variant '%.*s' "
                                            "(it has none)"),
                                          tid, (int)len, p);
                bs_buf_free(&known);
                bs_buf_free(&b);
                return rc;
            }
            bs_buf_printf(&b, "%s%.*s", b.len ? "," : "", (int)len, p);
            p += n + (p[n] == ',');
        }
    }
    *out = bs_buf_take(&b);
    return BS_OK;
}

bs_value *workflow_variants(const bs_value *model, const bs_value *company, const char *stored)
{
    bs_value *out = value_list();
    if (stored) {
        for (const char *p = stored; *p;) {
            size_t n = strcspn(p, ",");
            value_push(out, value_strn(p, n));
            p += n + (p[n] == ',');
        }
        return out;
    }
    const char *industry = value_get_str(company, "industry");
    const bs_value *emp = value_get(company, "employees");
    const bs_value *vs = value_get(model, "variants");
    for (size_t i = 0; i < value_len(vs); i++) {
        const bs_value *v = value_at(vs, i);
        const bs_value *max = value_get(v, "max_employees");
        bool small = max && value_type(emp) == BS_VINT && value_as_int(emp) <= value_as_int(max);
        if (small || (industry && list_has(value_get(v, "industries"), industry))) {
            value_push(out, value_str(value_get_str(v, "id")));
        }
    }
    return out;
}

int workflow_set_variant(bs_store *st, const char *actor, int64_t eng, const bs_value *model,
                         const char *variant, bs_err *err)
{
    char *v = NULL;
    int rc = parse_variant(model, variant, &v, err);
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        free(v);
        return rc;
    }
    bs_value *e = NULL;
    rc = open_engagement(st, eng, &e, err);
    if (rc == BS_OK && strcmp(value_get_str(e, "theme"), value_get_str(model, "id")) != 0) {
        rc = bs_err_set(err, BS_EINPUT, _("engagement %lld is on theme '%s', not '%s'"),
                        (long long)eng, value_get_str(e, "theme"), value_get_str(model, "id"));
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_variant(st, eng, v, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "engagement.variant",
                   xasprintf("variant: %s", !v ? "auto" : *v ? v : "none"), err);
    }
    value_free(e);
    free(v);
    return finish(st, rc, err);
}

/* Marks consultation `k` (of company `company`, no outcome yet) engaged in
 * engagement `eng`. */
static int link_consultation(bs_store *st, int64_t k, int64_t company, int64_t eng, bs_err *err)
{
    bs_value *row = NULL;
    int rc = store_consultation_get(st, k, &row, err);
    if (rc == BS_OK && value_as_int(value_get(row, "company_id")) != company) {
        rc = bs_err_set(err, BS_EINPUT, _("consultation %lld is of company '%s', not this one"),
                        (long long)k, value_get_str(row, "company_name"));
    }
    if (rc == BS_OK && value_get_str(row, "outcome")) {
        rc = bs_err_set(err, BS_ESTATE, _("consultation %lld has its outcome already (%s)"),
                        (long long)k, value_get_str(row, "outcome"));
    }
    if (rc == BS_OK) {
        bs_value *f = value_map();
        value_set_str(f, "outcome", "engaged");
        value_set_int(f, "engagement_id", eng);
        rc = store_consultation_update(st, k, f, err);
        value_free(f);
    }
    value_free(row);
    return rc;
}

int workflow_engage(bs_store *st, const char *actor, const char *company, const char *expert,
                    const char *theme_id, const bs_value *model, const workflow_engage_opts *o,
                    bs_value *warnings, int64_t *id_out, bs_err *err)
{
    static const workflow_engage_opts none = {0};
    o = o ? o : &none;
    const char *note = o->note;
    char *v = NULL;
    int rc = parse_variant(model, o->variant, &v, err);
    if (rc == BS_OK) {
        rc = store_begin(st, err);
    }
    if (rc != BS_OK) {
        free(v);
        return rc;
    }
    bs_value *c = NULL, *x = NULL;
    int64_t id = 0, open = 0;
    rc = store_company_get(st, company, &c, err);
    if (rc == BS_OK) {
        rc = store_open_engagement(st, id_of(c), theme_id, &open, err);
    }
    if (rc == BS_OK && open) {
        rc = bs_err_set(err, BS_ESTATE,
                        _("company '%s' has engagement %lld on theme %s still open: one at a time"
                          " per theme (complete or terminate it first)"),
                        value_get_str(c, "name"), (long long)open, theme_id);
    }
    if (rc == BS_OK) {
        rc = store_expert_get(st, expert, &x, err);
    }
    if (rc == BS_OK && warnings && !list_has(value_get(x, "themes"), theme_id)) {
        char *w = xasprintf(_("expert '%s' does not list theme '%s' among the themes covered"),
                            value_get_str(x, "name"), theme_id);
        value_push(warnings, value_str(w));
        free(w);
    }
    if (rc == BS_OK) {
        rc = store_engagement_add(st, id_of(c), id_of(x), theme_id, model_visits(model), &id, err);
    }
    if (rc == BS_OK && v) {
        rc = store_engagement_set_variant(st, id, v, err);
    }
    if (rc == BS_OK && o->consultation) {
        rc = link_consultation(st, o->consultation, id_of(c), id, err);
    }
    if (rc == BS_OK) {
        char *from = o->consultation
                         ? xasprintf("; from consultation %lld", (long long)o->consultation)
                         : xstrdup("");
        char *detail = xasprintf("engagement %lld: %s × %s on theme %s%s%s%s", (long long)id,
                                 value_get_str(c, "name"), value_get_str(x, "name"), theme_id,
                                 from, note ? "; " : "", note ? note : "");
        free(from);
        rc = store_event_add(st, actor, id_of(c), id, "engagement.start", detail, err);
        free(detail);
    }
    value_free(c);
    value_free(x);
    free(v);
    rc = finish(st, rc, err);
    if (rc == BS_OK) {
        *id_out = id;
    }
    return rc;
}

static int need_reason(const char *reason, bs_err *err)
{
    if (!reason || !*reason) {
        return bs_err_set(err, BS_EUSAGE, _("--reason is required"));
    }
    return BS_OK;
}

int workflow_change_theme(bs_store *st, const char *actor, int64_t eng, const char *theme_id,
                          const bs_value *model, const char *reason, bs_err *err)
{
    int rc = need_reason(reason, err);
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    rc = open_engagement(st, eng, &e, err);
    if (rc == BS_OK && strcmp(value_get_str(e, "theme"), theme_id) == 0) {
        rc = bs_err_set(err, BS_EINPUT, _("engagement %lld is on theme '%s' already"),
                        (long long)eng, theme_id);
    }
    int visits = model_visits(model);
    const bs_value *vl = value_get(e, "visits");
    for (size_t i = 0; rc == BS_OK && i < value_len(vl); i++) {
        const bs_value *v = value_at(vl, i);
        if (workflow_visit_held(v) && value_as_int(value_get(v, "n")) > visits) {
            rc = bs_err_set(err, BS_ESTATE,
                            _("theme '%s' has %d visits but visit %lld was held already"),
                            theme_id, visits, (long long)value_as_int(value_get(v, "n")));
        }
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_theme(st, eng, theme_id, visits, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "engagement.theme",
                   xasprintf("theme %s → %s: %s", value_get_str(e, "theme"), theme_id, reason),
                   err);
    }
    value_free(e);
    return finish(st, rc, err);
}

/* The day an engagement ends: `date` (NULL: today), not in the future and
 * not before a visit held. */
static int end_date(const bs_value *e, const char *date, char out[11], bs_err *err)
{
    char today[11];
    bs_date_today(today);
    int rc = workflow_check_date(date ? date : today, today, err);
    const bs_value *vl = value_get(e, "visits");
    for (size_t i = 0; rc == BS_OK && i < value_len(vl); i++) {
        const char *held = value_get_str(value_at(vl, i), "held_date");
        if (held && strcmp(date ? date : today, held) < 0) {
            rc = bs_err_set(err, BS_EINPUT, _("--date: %s is before visit %lld was held (%s)"),
                            date ? date : today,
                            (long long)value_as_int(value_get(value_at(vl, i), "n")), held);
        }
    }
    if (rc == BS_OK) {
        snprintf(out, 11, "%s", date ? date : today);
    }
    return rc;
}

int workflow_terminate(bs_store *st, const char *actor, int64_t eng, const char *reason,
                       const char *date, bs_err *err)
{
    int rc = need_reason(reason, err);
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    char day[11];
    rc = open_engagement(st, eng, &e, err);
    if (rc == BS_OK) {
        rc = end_date(e, date, day, err);
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_state(st, eng, "terminated", reason, err);
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_ended(st, eng, day, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "engagement.terminate",
                   xasprintf("terminated on %s: %s", day, reason), err);
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_complete(bs_store *st, const char *actor, int64_t eng, const char *date,
                      bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    rc = open_engagement(st, eng, &e, err);
    const bs_value *vl = value_get(e, "visits");
    for (size_t i = 0; rc == BS_OK && i < value_len(vl); i++) {
        if (!workflow_visit_held(value_at(vl, i))) {
            rc = bs_err_set(err, BS_ESTATE,
                            _("visit %lld has not been held: hold it first, or end the engagement "
                              "with 'engagement terminate %lld --reason …'"),
                            (long long)value_as_int(value_get(value_at(vl, i), "n")),
                            (long long)eng);
        }
    }
    char day[11];
    if (rc == BS_OK) {
        rc = end_date(e, date, day, err);
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_state(st, eng, "completed", NULL, err);
    }
    if (rc == BS_OK) {
        rc = store_engagement_set_ended(st, eng, day, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "engagement.complete", xasprintf("completed on %s", day), err);
    }
    value_free(e);
    return finish(st, rc, err);
}

/* "10:00" → 600; -1 when `s` is not H:MM or HH:MM of a day. */
static int minutes_of(const char *s, size_t len)
{
    if (len < 4 || len > 5 || s[len - 3] != ':') {
        return -1;
    }
    int h = 0, m = 0;
    for (size_t i = 0; i < len; i++) {
        if (i == len - 3) {
            continue;
        }
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        if (i < len - 3) {
            h = h * 10 + (s[i] - '0');
        } else {
            m = m * 10 + (s[i] - '0');
        }
    }
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* The fields of `details` a visit may be given (visit.h's list), checked:
 * `time` "HH:MM-HH:MM" becomes time_from/time_to, `online` a boolean,
 * texts without control characters but line breaks. Into `f`. */
static int visit_details(const bs_value *details, bs_value *f, bs_err *err)
{
    static const char *const texts[][2] = {
        {"place", "--place"},   {"findings", "--findings"}, {"issues", "--issues"},
        {"agreed", "--agreed"}, {"attendees", "--attendees"}, {"notes", "--notes"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const char *v = value_get_str(details, texts[i][0]);
        if (!v) {
            continue;
        }
        for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
            if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f) {
                return bs_err_set(err, BS_EINPUT, _("%s: contains a control character"),
                                  texts[i][1]);
            }
        }
        value_set_str(f, texts[i][0], v);
    }
    const char *t = value_get_str(details, "time");
    if (t) {
        const char *dash = strchr(t, '-');
        int from = dash ? minutes_of(t, (size_t)(dash - t)) : -1;
        int to = dash ? minutes_of(dash + 1, strlen(dash + 1)) : -1;
        if (from < 0 || to < 0) {
            return bs_err_set(err, BS_EINPUT, _("--time: '%s' is not a time span (HH:MM-HH:MM)"),
                              t);
        }
        if (to <= from) {
            return bs_err_set(err, BS_EINPUT, _("--time: '%s' ends before it starts"), t);
        }
        char a[16], b[16];
        snprintf(a, sizeof a, "%02d:%02d", from / 60, from % 60);
        snprintf(b, sizeof b, "%02d:%02d", to / 60, to % 60);
        value_set_str(f, "time_from", a);
        value_set_str(f, "time_to", b);
    }
    const bs_value *online = value_get(details, "online");
    if (online) {
        value_set(f, "online", value_int(value_as_bool(online)));
    }
    return BS_OK;
}

static int check_date(const char *date, bs_err *err)
{
    if (!date || !bs_date_valid(date)) {
        return bs_err_set(err, BS_EINPUT, _("--date: '%s' is not a date (YYYY-MM-DD)"),
                          date ? date : "");
    }
    return BS_OK;
}

int workflow_check_date(const char *date, const char *today, bs_err *err)
{
    int rc = check_date(date, err);
    if (rc == BS_OK && strcmp(date, today) > 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--date: %s is in the future (today is %s)"), date,
                        today);
    }
    return rc;
}

int workflow_visit_plan(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                        const bs_value *details, bs_err *err)
{
    bs_value *f = value_map();
    int rc = check_date(date, err);
    if (rc == BS_OK) {
        rc = visit_details(details, f, err);
    }
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        value_free(f);
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    if (rc == BS_OK) {
        rc = not_held(v, err);
    }
    const bs_value *prev = workflow_visit(e, n - 1), *next = workflow_visit(e, n + 1);
    if (rc == BS_OK && prev && visit_date(prev) && strcmp(date, visit_date(prev)) < 0) {
        rc = bs_err_set(err, BS_EINPUT, _("visit %d on %s would come before visit %d (%s)"), n,
                        date, n - 1, visit_date(prev));
    }
    if (rc == BS_OK && next && visit_date(next) && strcmp(date, visit_date(next)) > 0) {
        rc = bs_err_set(err, BS_EINPUT, _("visit %d on %s would come after visit %d (%s)"), n,
                        date, n + 1, visit_date(next));
    }
    if (rc == BS_OK) {
        value_set_str(f, "state", "planned");
        value_set_str(f, "planned_date", date);
        rc = store_visit_update(st, eng, n, f, err);
    }
    value_free(f);
    if (rc == BS_OK) {
        rc = activate(st, e, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "visit.plan", xasprintf("visit %d planned for %s", n, date), err);
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_visit_hold(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                        const bs_value *details, const char *today, bs_err *err)
{
    int rc = check_date(date, err);
    if (rc == BS_OK && strcmp(date, today) > 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--date: %s is in the future (today is %s)"), date,
                        today);
    }
    bs_value *f = value_map();
    if (rc == BS_OK) {
        rc = visit_details(details, f, err);
    }
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        value_free(f);
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    if (rc == BS_OK) {
        rc = not_held(v, err);
    }
    const bs_value *prev = workflow_visit(e, n - 1);
    if (rc == BS_OK && prev && !workflow_visit_held(prev)) {
        rc = bs_err_set(err, BS_ESTATE, _("visit %d cannot be held before visit %d"), n, n - 1);
    }
    if (rc == BS_OK && prev && strcmp(date, value_get_str(prev, "held_date")) < 0) {
        rc = bs_err_set(err, BS_EINPUT, _("visit %d on %s would come before visit %d (held %s)"), n,
                        date, n - 1, value_get_str(prev, "held_date"));
    }
    if (rc == BS_OK) {
        value_set_str(f, "state", "held");
        value_set_str(f, "held_date", date);
        rc = store_visit_update(st, eng, n, f, err);
    }
    value_free(f);
    if (rc == BS_OK) {
        rc = activate(st, e, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "visit.hold", xasprintf("visit %d held on %s", n, date), err);
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_visit_record(bs_store *st, const char *actor, int64_t eng, int n,
                          const bs_value *details, bs_err *err)
{
    bs_value *f = value_map();
    int rc = visit_details(details, f, err);
    if (rc == BS_OK && value_len(f) == 0) {
        rc = bs_err_set(err, BS_EUSAGE,
                        _("visit record: nothing to record (see 'bansou help visit record')"));
    }
    if (rc != BS_OK || (rc = store_begin(st, err)) != BS_OK) {
        value_free(f);
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    if (rc == BS_OK && !workflow_visit_held(v)) {
        rc = bs_err_set(err, BS_ESTATE,
                        _("visit %d has not been held: record it with 'bansou visit hold %lld "
                          "%d'"),
                        n, (long long)eng, n);
    }
    if (rc == BS_OK && strcmp(value_get_str(v, "state"), "reported") == 0) {
        rc = bs_err_set(err, BS_ESTATE,
                        _("visit %d was reported on %s already: its report says what was recorded"),
                        n, value_get_str(v, "reported_at"));
    }
    if (rc == BS_OK) {
        rc = store_visit_update(st, eng, n, f, err);
    }
    if (rc == BS_OK) {
        bs_buf d = {0};
        bs_buf_printf(&d, "visit %d recorded:", n);
        for (size_t i = 0; i < value_len(f); i++) {
            bs_buf_printf(&d, "%s %s", i ? "," : "", value_key_at(f, i));
        }
        rc = event(st, actor, e, "visit.record", bs_buf_take(&d), err);
    }
    value_free(f);
    value_free(e);
    return finish(st, rc, err);
}

int workflow_engagement_findings(bs_store *st, const char *actor, int64_t eng,
                                 const char *findings, bs_err *err)
{
    if (!findings || !*findings) {
        return bs_err_set(err, BS_EINPUT, _("--findings: empty"));
    }
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    rc = store_engagement_get(st, eng, &e, err);
    if (rc == BS_OK) {
        rc = store_engagement_set_findings(st, eng, findings, err);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "engagement.findings", xstrdup("the expert's findings recorded"),
                   err);
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_visit_report(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                          bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    if (rc == BS_OK && !workflow_visit_held(v)) {
        rc = bs_err_set(err, BS_ESTATE, _("visit %d has not been held: nothing to report"), n);
    }
    if (rc == BS_OK && strcmp(value_get_str(v, "state"), "reported") == 0) {
        rc = bs_err_set(err, BS_ESTATE, _("visit %d was reported on %s already"), n,
                        value_get_str(v, "reported_at"));
    }
    if (rc == BS_OK) {
        char now[32];
        bs_now_iso(now);
        bs_value *f = value_map();
        value_set_str(f, "state", "reported");
        value_set_str(f, "reported_at", date ? date : now);
        rc = store_visit_update(st, eng, n, f, err);
        value_free(f);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "visit.report",
                   xasprintf("visit %d report submitted to the secretariat", n), err);
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_task(bs_store *st, const char *actor, int64_t eng, int n, const bs_value *items,
                  bool done, const bs_value *model, bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    const char *theme = value_get_str(e, "theme");
    for (size_t i = 0; rc == BS_OK && i < value_len(items); i++) {
        const char *item = value_as_str(value_at(items, i));
        if (!model_step_item(model, n, item)) {
            rc = bs_err_set(err, BS_ENOTFOUND,
                            _("no item '%s' in visit %d of theme '%s' (see 'bansou task list "
                              "%lld')"),
                            item, n, theme, (long long)eng);
            break;
        }
        rc = store_task_set(st, eng, theme, n, item, done, err);
        if (rc == BS_OK) {
            rc = event(st, actor, e, done ? "task.done" : "task.undo",
                       xasprintf("visit %d: %s %s", n, item, done ? "done" : "undone"), err);
        }
    }
    value_free(e);
    return finish(st, rc, err);
}

int workflow_visit_prepared(bs_store *st, const char *actor, int64_t eng, int n, const char *date,
                            bs_err *err)
{
    int rc = store_begin(st, err);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *e = NULL;
    const bs_value *v = NULL;
    rc = open_visit(st, eng, n, &e, &v, err);
    if (rc == BS_OK) {
        bs_value *f = value_map();
        if (!workflow_visit_held(v)) {
            value_set_str(f, "state", "prepared");
        }
        value_set_str(f, "prepared_date", date);
        rc = store_visit_update(st, eng, n, f, err);
        value_free(f);
    }
    if (rc == BS_OK) {
        rc = event(st, actor, e, "visit.prepare",
                   xasprintf("visit %d pack written (prepared %s)", n, date), err);
    }
    value_free(e);
    return finish(st, rc, err);
}
