/* Engagements, visits, tasks, status and the event log. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli_int.h"
#include "engagement.h"
#include "i18n.h"
#include "model.h"
#include "util.h"
#include "workflow.h"

const char *cli_engagement_state(const char *state)
{
    static const char *const words[][2] = {
        {"matched", N_("matched")},
        {"active", N_("active")},
        {"completed", N_("completed")},
        {"terminated", N_("terminated")},
    };
    for (size_t i = 0; state && i < sizeof words / sizeof *words; i++) {
        if (strcmp(state, words[i][0]) == 0) {
            return _(words[i][1]);
        }
    }
    return state;
}

const char *cli_visit_state(const char *state)
{
    static const char *const words[][2] = {
        {"pending", N_("pending")}, {"planned", N_("planned")},   {"prepared", N_("prepared")},
        {"held", N_("held")},       {"reported", N_("reported")},
    };
    for (size_t i = 0; state && i < sizeof words / sizeof *words; i++) {
        if (strcmp(state, words[i][0]) == 0) {
            return _(words[i][1]);
        }
    }
    return state;
}

static int run_engage(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    const char *expert = cli_opt_val(a, "expert");
    if (!expert) {
        return bs_err_set(err, BS_EUSAGE, _("engage: --expert is required"));
    }
    const char *reason = cli_opt_val(a, "reason");
    bool override = cli_flag(a, "override-eligibility");
    if (reason && !override) {
        return bs_err_set(err, BS_EUSAGE, _("engage: --reason goes with --override-eligibility"));
    }
    bs_value *warnings = value_list();
    int64_t id = 0;
    engagement_opts o = {cli_opt_val(a, "variant"), override ? (reason ? reason : "") : NULL, 0};
    int rc = engagement_start(ctx->s, a->pos[0], expert, a->pos[1], &o, warnings, &id, err);
    if (rc == BS_OK) {
        cli_print_warnings(warnings);
        bs_value *e = NULL;
        if (store_engagement_get(session_store(ctx->s), id, &e, err) == BS_OK) {
            size_t nv = value_len(value_get(e, "visits"));
            cli_line(ngettext("engagement %lld started: %s on theme %s (%zu visit)",
                              "engagement %lld started: %s on theme %s (%zu visits)", nv),
                     (long long)id, value_get_str(e, "company_name"), a->pos[1], nv);
        }
        value_free(e);
    }
    value_free(warnings);
    return rc;
}

static bs_value *status_row(const bs_value *e)
{
    bs_value *r = value_list();
    char *id = xasprintf("%lld", (long long)value_as_int(value_get(e, "id")));
    value_push(r, value_str(id));
    free(id);
    value_push(r, value_str(value_get_str(e, "company_name")));
    value_push(r, value_str(value_get_str(e, "theme")));
    value_push(r, value_str(value_get_str(e, "expert_name")));
    value_push(r, value_str(cli_engagement_state(value_get_str(e, "state"))));
    value_push(r, value_str(value_get_str(e, "progress")));
    const char *next = value_get_str(e, "next_date");
    value_push(r, value_str(next ? next : "-"));
    const char *od = value_get_str(e, "overdue");
    const bs_value *aw = value_get(e, "awaiting");
    if (!od && value_len(aw)) {
        bs_buf b = {0};
        for (size_t i = 0; i < value_len(aw); i++) {
            bs_buf_printf(&b, "%s%s", i ? ", " : "", value_get_str(value_at(aw, i), "sheet"));
        }
        char *t = xasprintf(_("awaiting %s"), b.s);
        value_push(r, value_str(t));
        free(t);
        bs_buf_free(&b);
    } else {
        value_push(r, value_str(od ? od : ""));
    }
    return r;
}

static int print_engagements(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = engagement_status_list(ctx->s, &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else if (value_len(rows) == 0) {
        printf("%s\n", _("no engagements yet: start one with 'bansou engage COMPANY THEME --expert X'"));
    } else {
        const char *const h[] = {"ENG", _("Company"), _("Theme"), _("Expert"), _("State"),
                                 _("Visits"), _("Next"), _("Overdue"), NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            value_push(t, status_row(value_at(rows, i)));
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

/* "automotive（自動車産業向け）", or "standard" when no variant is in force, followed by
 * " (automatic from industry and size)" when the theme chose it. */
static char *variant_text(const bs_value *model, const bs_value *e)
{
    bs_buf b = {0};
    const bs_value *vs = value_get(e, "variants");
    for (size_t i = 0; i < value_len(vs); i++) {
        const char *id = value_as_str(value_at(vs, i));
        const char *title = NULL;
        const bs_value *all = value_get(model, "variants");
        for (size_t k = 0; k < value_len(all); k++) {
            if (strcmp(value_get_str(value_at(all, k), "id"), id) == 0) {
                title = value_get_str(value_at(all, k), "title");
            }
        }
        bs_buf_printf(&b, "%s%s", i ? ", " : "", id);
        if (title) {
            // TRANSLATORS: a variant's title after its id: "automotive (TITLE)".
            bs_buf_printf(&b, pgettext("variant", " (%s)"), title);
        }
    }
    if (!b.len) {
        bs_buf_puts(&b, _("standard"));
    }
    if (!value_get_str(e, "variant") && value_len(value_get(model, "variants"))) {
        bs_buf_puts(&b, _(" (automatic from industry and size)"));
    }
    return bs_buf_take(&b);
}

/* A field of a visit in `engagement show`: indented under the visit's line,
 * its value in the same column as the engagement's own fields. */
static void visit_field(const char *label, const char *value, int width)
{
    fputs("  ", stdout);
    cli_print_field(label, value, width - 2);
}

static int run_engagement_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id;
    bs_value *e = NULL;
    const bs_value *m = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &id, err);
    if (rc == BS_OK) {
        rc = engagement_describe(ctx->s, id, &e, err);
    }
    if (rc == BS_OK) {
        rc = catalog_theme(ctx->s, value_get_str(e, "theme"), &m, err);
    }
    if (rc != BS_OK) {
        value_free(e);
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(e);
        value_free(e);
        return BS_OK;
    }
    const int w = 12;
    // TRANSLATORS: the theme's title and its id.
    char *title = xasprintf(pgettext("theme", "%s (%s)"), value_get_str(m, "title"),
                            value_get_str(e, "theme"));
    // TRANSLATORS: an engagement's state and why it ended: "terminated (REASON)".
    char *state = value_get_str(e, "reason")
                      ? xasprintf(pgettext("state", "%s (%s)"),
                                  cli_engagement_state(value_get_str(e, "state")),
                                  value_get_str(e, "reason"))
                      : xstrdup(cli_engagement_state(value_get_str(e, "state")));
    cli_line(_("engagement %lld"), (long long)id);
    cli_print_field(_("Company"), value_get_str(e, "company_name"), w);
    cli_print_field(_("Expert"), value_get_str(e, "expert_name"), w);
    cli_print_field(_("Theme"), title, w);
    cli_print_field(_("State"), state, w);
    cli_print_field(_("Ended"), value_get_str(e, "ended_on"), w);
    char *variant = variant_text(m, e);
    cli_print_field(_("Variant"), variant, w);
    free(variant);
    cli_print_field(_("Progress"), value_get_str(e, "progress"), w);
    cli_print_field(_("Overdue"), value_get_str(e, "overdue"), w);
    free(title);
    free(state);
    const bs_value *vl = value_get(e, "visits"), *tasks = value_get(e, "tasks");
    for (size_t i = 0; i < value_len(vl); i++) {
        const bs_value *v = value_at(vl, i);
        int n = (int)value_as_int(value_get(v, "n"));
        bs_value *ids = model_step_ids(m, n);
        size_t items = value_len(ids), done = 0;
        value_free(ids);
        for (size_t k = 0; k < value_len(tasks); k++) {
            done += value_as_int(value_get(value_at(tasks, k), "visit")) == n;
        }
        const char *goal = value_as_str(value_at(value_get(m, "goals"), (size_t)n - 1));
        putchar('\n');
        cli_line(_("visit %d (goal %d: %s)"), n, n, goal ? goal : "");
        char *ticks = xasprintf("%zu / %zu", done, items);
        visit_field(_("State"), cli_visit_state(value_get_str(v, "state")), w);
        visit_field(_("Planned"), value_get_str(v, "planned_date"), w);
        visit_field(_("Prepared"), value_get_str(v, "prepared_date"), w);
        visit_field(_("Held"), value_get_str(v, "held_date"), w);
        visit_field(_("Attendees"), value_get_str(v, "attendees"), w);
        visit_field(_("Notes"), value_get_str(v, "notes"), w);
        visit_field(_("Reported"), value_get_str(v, "reported_at"), w);
        visit_field(_("Items done"), ticks, w);
        free(ticks);
    }
    value_free(e);
    return BS_OK;
}

static int run_change_theme(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id;
    int rc = cli_parse_id(a->pos[0], "ENG", &id, err);
    if (rc == BS_OK) {
        rc = engagement_change_theme(ctx->s, id, a->pos[1], cli_opt_val(a, "reason"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: theme changed to %s; records kept"), (long long)id, a->pos[1]);
    }
    return rc;
}

static int run_set_variant(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id;
    int rc = cli_parse_id(a->pos[0], "ENG", &id, err);
    if (rc == BS_OK) {
        rc = engagement_set_variant(ctx->s, id, a->pos[1], err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: variant %s"), (long long)id, a->pos[1]);
    }
    return rc;
}

static int run_terminate(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id;
    int rc = cli_parse_id(a->pos[0], "ENG", &id, err);
    if (rc == BS_OK) {
        rc = workflow_terminate(session_store(ctx->s), session_actor(ctx->s), id,
                                cli_opt_val(a, "reason"), cli_opt_val(a, "date"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld terminated"), (long long)id);
    }
    return rc;
}

static int run_complete(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id;
    int rc = cli_parse_id(a->pos[0], "ENG", &id, err);
    if (rc == BS_OK) {
        rc = workflow_complete(session_store(ctx->s), session_actor(ctx->s), id,
                               cli_opt_val(a, "date"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld completed"), (long long)id);
    }
    return rc;
}

/* ENG and N of the visit commands. */
static int eng_visit(const cli_args *a, int64_t *eng, int *n, bs_err *err)
{
    int rc = cli_parse_id(a->pos[0], "ENG", eng, err);
    return rc == BS_OK ? cli_parse_visit(a->pos[1], n, err) : rc;
}

/* The visit record the options give (workflow.h's `details`); NULL when
 * none. --online and --onsite are each other's opposite. */
static int visit_details(const cli_args *a, bs_value **out, bs_err *err)
{
    if (cli_flag(a, "online") && cli_flag(a, "onsite")) {
        return bs_err_set(err, BS_EUSAGE, _("visit: give --online or --onsite, not both"));
    }
    static const char *const keys[] = {"time",     "place",  "attendees", "notes",
                                       "findings", "issues", "agreed",    NULL};
    bs_value *d = value_map();
    for (const char *const *k = keys; *k; k++) {
        if (cli_opt_val(a, *k)) {
            value_set_str(d, *k, cli_opt_val(a, *k));
        }
    }
    if (cli_flag(a, "online") || cli_flag(a, "onsite")) {
        value_set_bool(d, "online", cli_flag(a, "online"));
    }
    *out = d;
    return BS_OK;
}

static int run_visit_plan(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    int n;
    bs_value *d = NULL;
    int rc = eng_visit(a, &eng, &n, err);
    if (rc == BS_OK && !cli_opt_val(a, "date")) {
        rc = bs_err_set(err, BS_EUSAGE, _("visit plan: --date is required"));
    }
    if (rc == BS_OK) {
        rc = visit_details(a, &d, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_plan(session_store(ctx->s), session_actor(ctx->s), eng, n,
                                 cli_opt_val(a, "date"), d, err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: visit %d planned for %s"), (long long)eng, n,
                 cli_opt_val(a, "date"));
    }
    value_free(d);
    return rc;
}

static int run_visit_hold(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    int n;
    bs_value *d = NULL;
    int rc = eng_visit(a, &eng, &n, err);
    char today[11];
    bs_date_today(today);
    const char *date = cli_opt_val(a, "date") ? cli_opt_val(a, "date") : today;
    if (rc == BS_OK) {
        rc = visit_details(a, &d, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_hold(session_store(ctx->s), session_actor(ctx->s), eng, n, date, d,
                                 today, err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: visit %d held on %s"), (long long)eng, n, date);
    }
    value_free(d);
    return rc;
}

static int run_visit_record(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng;
    int n;
    bs_value *d = NULL;
    int rc = eng_visit(a, &eng, &n, err);
    if (rc == BS_OK) {
        rc = visit_details(a, &d, err);
    }
    if (rc == BS_OK) {
        rc = workflow_visit_record(session_store(ctx->s), session_actor(ctx->s), eng, n, d, err);
    }
    if (rc == BS_OK) {
        cli_line(_("engagement %lld: visit %d recorded"), (long long)eng, n);
    }
    value_free(d);
    return rc;
}

static int task_set(cli_ctx *ctx, const cli_args *a, bool done, bs_err *err)
{
    int64_t eng;
    int n;
    int rc = eng_visit(a, &eng, &n, err);
    if (rc == BS_OK && cli_flag(a, "all") && a->npos > 2) {
        rc = bs_err_set(err, BS_EUSAGE, _("task: give ITEM ids or --all, not both"));
    } else if (rc == BS_OK && !cli_flag(a, "all") && a->npos < 3) {
        rc = bs_err_set(err, BS_EUSAGE, _("task: which items? give ITEM ids or --all"));
    }
    bs_value *items = NULL, *ids = NULL;
    if (!cli_flag(a, "all")) {
        items = value_list();
        for (int i = 2; i < a->npos; i++) {
            value_push(items, value_str(a->pos[i]));
        }
    }
    if (rc == BS_OK) {
        rc = engagement_tasks(ctx->s, eng, n, items, done, &ids, err);
    }
    for (size_t i = 0; rc == BS_OK && i < value_len(ids); i++) {
        cli_line(done ? _("engagement %lld: visit %d: %s done")
                      : _("engagement %lld: visit %d: %s undone"),
                 (long long)eng, n, value_as_str(value_at(ids, i)));
    }
    value_free(items);
    value_free(ids);
    return rc;
}

static int run_task_done(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    return task_set(ctx, a, true, err);
}

static int run_task_undo(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    return task_set(ctx, a, false, err);
}

static int run_task_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng, only = 0;
    bs_value *list = NULL;
    int rc = cli_parse_id(a->pos[0], "ENG", &eng, err);
    if (rc == BS_OK && a->npos > 1) {
        rc = cli_parse_id(a->pos[1], "N", &only, err);
    }
    if (rc == BS_OK) {
        rc = engagement_task_list(ctx->s, eng, only > 99 ? 100 : (int)only, &list, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(list);
    }
    for (size_t i = 0; !cli_flag(a, "json") && i < value_len(list); i++) {
        const bs_value *r = value_at(list, i);
        const char *what = value_get_str(r, "expert") ? value_get_str(r, "expert")
                                                      : value_get_str(r, "company");
        char *head = xasprintf(_("%s visit %lld "),
                               value_as_bool(value_get(r, "done")) ? _("[x]") : _("[ ]"),
                               (long long)value_as_int(value_get(r, "visit")));
        cli_print_padded(head, 0);
        cli_print_padded(value_get_str(r, "part"), 9);
        cli_print_padded(value_get_str(r, "item"), 23);
        int part = bs_utf8_width(value_get_str(r, "part"));
        int item = bs_utf8_width(value_get_str(r, "item"));
        int col = bs_utf8_width(head) + (part > 9 ? part : 9) + (item > 23 ? item : 23);
        cli_print_wrapped(what, col, col, cli_width());
        free(head);
    }
    value_free(list);
    return BS_OK;
}

/* The event log, a line an event; on a terminal a table whose details are
 * broken to fit. */
static void print_events(const bs_value *events)
{
    bs_value *rows = value_list();
    for (size_t i = 0; i < value_len(events); i++) {
        const bs_value *ev = value_at(events, i);
        const char *d = value_get_str(ev, "detail");
        if (cli_width() == 0) {
            cli_line("%s  %-12s %-20s %s", value_get_str(ev, "at"), value_get_str(ev, "actor"),
                     value_get_str(ev, "kind"), d ? d : "");
            continue;
        }
        bs_value *row = value_list();
        char when[32];
        cli_shown_time(value_get_str(ev, "at"), when);
        value_push(row, value_str(when));
        value_push(row, value_str(value_get_str(ev, "actor")));
        value_push(row, value_str(value_get_str(ev, "kind")));
        value_push(row, value_str(d ? d : ""));
        value_push(rows, row);
    }
    if (value_len(rows)) {
        cli_print_rows(4, rows);
    }
    value_free(rows);
}

static int run_log(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t eng = 0;
    int rc = a->npos ? cli_parse_id(a->pos[0], "ENG", &eng, err) : BS_OK;
    bs_value *e = NULL, *events = NULL;
    if (rc == BS_OK && eng) {
        rc = store_engagement_get(session_store(ctx->s), eng, &e, err);
    }
    if (rc == BS_OK) {
        rc = store_event_list(session_store(ctx->s), eng, &events, err);
    }
    if (rc == BS_OK) {
        if (cli_flag(a, "json")) {
            cli_print_json(events);
        } else {
            print_events(events);
        }
    }
    value_free(events);
    value_free(e);
    return rc;
}

static const cli_opt json_opts[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt engage_opts[] = {
    {"expert", "EXPERT", N_("the expert (id or exact name); required"), 0},
    {"variant", "LIST", N_("the theme's variant ids joined by ',', 'none' or 'auto' (default)"), 0},
    {"override-eligibility", NULL, N_("engage a company that may not take part (with --reason)"), 0},
    {"reason", "TEXT", N_("why the company is engaged all the same (kept in the log)"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt all_opts[] = {
    {"all", NULL, N_("every item of visit N"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt reason_opts[] = {
    {"reason", "TEXT", N_("why; required"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt terminate_opts[] = {
    {"reason", "TEXT", N_("why; required"), 0},
    {"date", "YYYY-MM-DD", N_("the day it ended, which its final report carries (default today)"), 0},
    {NULL, NULL, NULL, 0},
};
static const cli_opt complete_opts[] = {
    {"date", "YYYY-MM-DD", N_("the day it ended, which its final report carries (default today)"), 0},
    {NULL, NULL, NULL, 0},
};
#define WHERE_OPTS                                                                             \
    {"time", "HH:MM-HH:MM", N_("when the visit starts and ends, e.g. 10:00-12:00"), 0},            \
        {"place", "TEXT", N_("where it is held, e.g. \"本社 2階会議室\""), 0},                       \
        {"online", NULL, N_("held online (a web meeting)"), 0},                                    \
        {"onsite", NULL, N_("held at the company (the default)"), 0}
#define RECORD_OPTS                                                                            \
    {"attendees", "TEXT", N_("who attended, e.g. \"代表取締役 山田, 総務課長 佐藤\""), 0},          \
        {"findings", "TEXT", N_("what the expert found (the report's 所見; a line each)"), 0},     \
        {"issues", "LIST", N_("the company's issues raised, separated by ';' or a line each"), 0}, \
        {"agreed", "TEXT", N_("what was agreed for the next visit (or after the last)"), 0},       \
        {"notes", "TEXT", N_("the expert's own notes (a line 課題：… is an issue too)"), 0}
static const cli_opt plan_opts[] = {
    {"date", "YYYY-MM-DD", N_("the planned date; required"), 0},
    WHERE_OPTS,
    {NULL, NULL, NULL, 0},
};
static const cli_opt hold_opts[] = {
    {"date", "YYYY-MM-DD", N_("when it was held (default today; not in the future)"), 0},
    WHERE_OPTS,
    RECORD_OPTS,
    {NULL, NULL, NULL, 0},
};
static const cli_opt record_opts[] = {
    WHERE_OPTS,
    RECORD_OPTS,
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_engage_cmds[] = {
    {"engage", "COMPANY THEME", N_("start an engagement of a company on a theme"),
     N_("COMPANY and EXPERT are ids or exact names; THEME a theme id ('bansou themes').\n"
     "A company that may not take part (see 'bansou application show') is refused\n"
     "with the rules it fails, unless --override-eligibility --reason TEXT, which\n"
     "the log keeps. Warns when the expert does not list the theme or does not\n"
     "serve the company's region; the log keeps where the expert ranks among the\n"
     "candidates ('bansou match')."),
     2, 2, true, engage_opts, run_engage},
    {"engagement list", NULL, N_("list the engagements"), NULL, 0, 0, true, json_opts,
     print_engagements},
    {"engagement show", "ENG", N_("show an engagement, its visits and progress"), NULL, 1, 1, true,
     json_opts, run_engagement_show},
    {"engagement change-theme", "ENG THEME", N_("move an engagement to another theme"),
     N_("Visits held, tasks ticked and notes are kept."), 2, 2, true, reason_opts,
     run_change_theme},
    {"engagement variant", "ENG VARIANT", N_("choose the theme variant of an engagement"),
     N_("VARIANT is 'auto' (follow the company's industry and size), 'none' (the standard\n"
     "edition) or variant ids of the theme joined by ',' ('bansou theme show THEME')."), 2, 2,
     true, NULL, run_set_variant},
    {"engagement terminate", "ENG", N_("end an engagement early"), NULL, 1, 1, true, terminate_opts,
     run_terminate},
    {"engagement complete", "ENG", N_("close an engagement whose visits are all held"), NULL, 1, 1,
     true, complete_opts, run_complete},
    {"visit plan", "ENG N", N_("plan (or re-plan) visit N"),
     N_("--time, --place and --online/--onsite are printed in the visit plan and the\n"
     "requests (without --time the agenda starts at 10:00; without --place the\n"
     "visit is at the company's premises)."),
     2, 2, true, plan_opts, run_visit_plan},
    {"visit hold", "ENG N", N_("record that visit N was held"),
     N_("Visit N cannot be held before visit N-1, nor on a date before it. The report\n"
     "(visit report) needs --findings; --issues fill its section 5 and --agreed\n"
     "what the company and the expert agreed for next time. They may also be\n"
     "given afterwards with 'visit record'."),
     2, 2, true, hold_opts, run_visit_hold},
    {"visit record", "ENG N", N_("add to or correct the record of a held visit"),
     N_("Only the options given change; until the visit is reported."), 2, 2, true, record_opts,
     run_visit_record},
    {"task done", "ENG N [ITEM…]", N_("tick syllabus items of visit N"),
     N_("ITEM ids are those of 'bansou task list ENG'. All are ticked, or none."), 2,
     CLI_MAX_POS, true, all_opts, run_task_done},
    {"task undo", "ENG N [ITEM…]", N_("untick syllabus items of visit N"), NULL, 2, CLI_MAX_POS,
     true, all_opts, run_task_undo},
    {"task list", "ENG [N]", N_("list the syllabus items of an engagement with their ticks"), NULL,
     1, 2, true, json_opts, run_task_list},
    {"status", NULL, N_("every engagement at a glance"), NULL, 0, 0, true, json_opts,
     print_engagements},
    {"log", "[ENG]", N_("print the event log (of one engagement, or all)"), NULL, 0, 1, true,
     json_opts, run_log},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
