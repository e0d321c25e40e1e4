/* cli_consult: consultation sessions and their individual consultations
 * (bansou session …, bansou consultation …). */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "consult.h"
#include "util.h"

/* The list of "a,b,c" (owned), or NULL when `s` is NULL. */
static bs_value *list_of(const char *s)
{
    if (!s) {
        return NULL;
    }
    bs_value *l = value_list();
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n) {
            value_push(l, value_strn(s, n));
        }
        s = e ? e + 1 : s + n;
    }
    return l;
}

static int small_number(const char *s, const char *what, int *out, bs_err *err)
{
    int64_t n = 0;
    if (!s) {
        *out = 0;
        return BS_OK;
    }
    if (!bs_parse_int(s, &n) || n < 1 || n > 99) {
        return bs_err_set(err, BS_EINPUT, _("%s: '%s' is not a number from 1 to 99"), what, s);
    }
    *out = (int)n;
    return BS_OK;
}

static int run_session_add(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    static const char *const keys[][2] = {{"date", "held_on"}, {"region", "region"},
                                          {"venue", "venue"},  {"chamber", "chamber"},
                                          {"notes", "notes"},  {NULL, NULL}};
    bs_value *f = value_map();
    int rc = BS_OK;
    for (size_t i = 0; keys[i][0]; i++) {
        const char *v = cli_opt_val(a, keys[i][0]);
        if (v && bs_has_control(v)) {
            rc = bs_err_set(err, BS_EINPUT, _("--%s: contains a control character"), keys[i][0]);
        } else if (v && *v) {
            value_set_str(f, keys[i][1], v);
        }
    }
    if (rc == BS_OK && (!cli_opt_val(a, "date") || !cli_opt_val(a, "region"))) {
        rc = bs_err_set(err, BS_EUSAGE, _("session add: --date and --region are required"));
    }
    bs_value *rounds = list_of(cli_opt_val(a, "rounds"));
    if (rounds) {
        value_set(f, "rounds", rounds);
    }
    bs_value *experts = list_of(cli_opt_val(a, "experts"));
    int64_t id = 0;
    if (rc == BS_OK) {
        rc = consult_session_add(ctx->s, f, experts, &id, err);
    }
    if (rc == BS_OK) {
        cli_line(_("session %lld: %s, %s"), (long long)id, cli_opt_val(a, "date"),
                 cli_opt_val(a, "venue"));
    }
    value_free(f);
    value_free(experts);
    return rc;
}

static int run_session_booth(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    int booth = 0;
    int rc = cli_parse_id(a->pos[0], "SESSION", &id, err);
    if (rc == BS_OK) {
        rc = small_number(cli_opt_val(a, "booth"), "--booth", &booth, err);
    }
    if (rc == BS_OK && (!booth || !cli_opt_val(a, "expert"))) {
        rc = bs_err_set(err, BS_EUSAGE, _("session booth: --booth and --expert are required"));
    }
    if (rc == BS_OK) {
        rc = consult_session_booth(ctx->s, id, booth, cli_opt_val(a, "expert"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("session %lld: booth %d is %s's"), (long long)id, booth,
                 cli_opt_val(a, "expert"));
    }
    return rc;
}

static int run_session_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = consult_session_list(ctx->s, &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        const char *const h[] = {"ID", _("Session date"), _("Programme region"), _("Venue and room"), _("Consultations booked"), NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *r = value_at(rows, i);
            bs_value *row = value_list();
            char *id = cli_int_text(value_get(r, "id"), "");
            char *n = cli_int_text(value_get(r, "consultations"), "0");
            value_push(row, value_str(id));
            value_push(row, value_str(value_get_str(r, "held_on")));
            value_push(row, value_str(value_get_str(r, "region")));
            value_push(row, value_str(value_get_str(r, "venue")));
            value_push(row, value_str(n));
            free(id);
            free(n);
            value_push(t, row);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

/* A consultation's outcome in words. */
static const char *outcome(const bs_value *k)
{
    const char *o = value_get_str(k, "outcome");
    if (!o) {
        return value_get_str(k, "recorded_at") ? _("recorded, no outcome yet") : _("booked, not yet recorded");
    }
    return strcmp(o, "engaged") == 0 ? _("went on to guidance") : _("did not go on to guidance");
}

static int run_session_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    bs_value *sess = NULL;
    int rc = cli_parse_id(a->pos[0], "SESSION", &id, err);
    if (rc == BS_OK) {
        rc = consult_session_get(ctx->s, id, &sess, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(sess);
        value_free(sess);
        return BS_OK;
    }
    const int w = 10;
    cli_print_field(_("Session date"), value_get_str(sess, "held_on"), w);
    cli_print_field(_("Programme region"), value_get_str(sess, "region"), w);
    cli_print_field(_("Venue and room"), value_get_str(sess, "venue"), w);
    cli_print_field(_("Co-host"), value_get_str(sess, "chamber"), w);
    const char *const h[] = {_("Round and time"), _("Booth no."), pgettext("expert", "Name"),
                             _("Company"), _("Consultation no."), _("Outcome so far"), NULL};
    bs_value *t = value_list();
    const bs_value *rounds = value_get(sess, "rounds"), *booths = value_get(sess, "booths"),
                   *cons = value_get(sess, "consultations");
    for (size_t r = 0; r < value_len(rounds); r++) {
        for (size_t b = 0; b < value_len(booths); b++) {
            const bs_value *bt = value_at(booths, b), *k = NULL;
            int64_t booth = value_as_int(value_get(bt, "booth"));
            for (size_t i = 0; i < value_len(cons); i++) {
                const bs_value *c = value_at(cons, i);
                if (value_as_int(value_get(c, "round")) == (int64_t)r + 1 &&
                    value_as_int(value_get(c, "booth")) == booth) {
                    k = c;
                }
            }
            bs_value *row = value_list();
            char *rn = xasprintf("%zu %s", r + 1, value_as_str(value_at(rounds, r)));
            char *bn = xasprintf("%lld", (long long)booth);
            char *kid = k ? cli_int_text(value_get(k, "id"), "") : xstrdup("");
            value_push(row, value_str(rn));
            value_push(row, value_str(bn));
            value_push(row, value_str(value_get_str(bt, "expert_name")));
            value_push(row, value_str(k ? value_get_str(k, "company_name") : "-"));
            value_push(row, value_str(kid));
            value_push(row, value_str(k ? outcome(k) : ""));
            free(rn);
            free(bn);
            free(kid);
            value_push(t, row);
        }
    }
    cli_print_table(h, t);
    value_free(t);
    value_free(sess);
    return BS_OK;
}

static int run_session_book(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0, k = 0;
    int round = 0, booth = 0;
    int rc = cli_parse_id(a->pos[0], "SESSION", &id, err);
    if (rc == BS_OK) {
        rc = small_number(cli_opt_val(a, "round"), "--round", &round, err);
    }
    if (rc == BS_OK) {
        rc = small_number(cli_opt_val(a, "booth"), "--booth", &booth, err);
    }
    if (rc == BS_OK) {
        rc = consult_book(ctx->s, id, a->pos[1], round, booth, cli_opt_val(a, "expert"),
                          cli_opt_val(a, "asked"), &k, err);
    }
    bs_value *c = NULL;
    if (rc == BS_OK) {
        rc = consult_get(ctx->s, k, &c, err);
    }
    if (rc == BS_OK) {
        cli_line(_("consultation %lld: %s, round %lld, booth %lld with %s"), (long long)k,
                 value_get_str(c, "company_name"), (long long)value_as_int(value_get(c, "round")),
                 (long long)value_as_int(value_get(c, "booth")), value_get_str(c, "expert_name"));
    }
    value_free(c);
    return rc;
}

static int write_document(cli_ctx *ctx, const cli_args *a, bool record, bs_err *err)
{
    int64_t id = 0;
    char *path = NULL;
    int rc = cli_parse_id(a->pos[0], record ? "CONSULTATION" : "SESSION", &id, err);
    if (rc == BS_OK) {
        rc = consult_document(ctx->s, id, record, cli_opt_val(a, "output"), cli_flag(a, "force"),
                              &path, err);
    }
    if (rc == BS_OK) {
        cli_line("%s", cli_shown_path(ctx, path));
    }
    free(path);
    return rc;
}

static int run_session_timetable(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    return write_document(ctx, a, false, err);
}

static int run_consultation_document(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    return write_document(ctx, a, true, err);
}

static int run_record(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    int rc = cli_parse_id(a->pos[0], "CONSULTATION", &id, err);
    if (rc != BS_OK) {
        return rc;
    }
    static const char *const keys[][2] = {{"topics", "topics"},
                                          {"advice", "advice"},
                                          {"theme", "wished_theme"},
                                          {"dates", "wished_dates"},
                                          {"propose", "proposed_theme"},
                                          {NULL, NULL}};
    bs_value *f = value_map();
    for (size_t i = 0; keys[i][0]; i++) {
        const char *v = cli_opt_val(a, keys[i][0]);
        if (v) {
            value_set(f, keys[i][1], *v ? value_str(v) : value_null());
        }
    }
    const char *wish = cli_opt_val(a, "wish");
    if (wish && strcmp(wish, "yes") != 0 && strcmp(wish, "no") != 0) {
        rc = bs_err_set(err, BS_EINPUT, _("--wish: '%s' is neither yes nor no"), wish);
    } else if (wish) {
        value_set_bool(f, "wish", strcmp(wish, "yes") == 0);
    }
    if (rc == BS_OK && value_len(f) == 0) {
        rc = bs_err_set(err, BS_EUSAGE,
                        _("consultation record: nothing to record (see 'bansou help consultation"
                          " record')"));
    }
    if (rc == BS_OK) {
        rc = consult_record(ctx->s, id, f, err);
    }
    if (rc == BS_OK) {
        cli_line(_("consultation %lld: recorded"), (long long)id);
    }
    value_free(f);
    return rc;
}

static int run_engage(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0, eng = 0;
    int rc = cli_parse_id(a->pos[0], "CONSULTATION", &id, err);
    const char *reason = cli_opt_val(a, "reason");
    bool override = cli_flag(a, "override-eligibility");
    if (rc == BS_OK && reason && !override) {
        rc = bs_err_set(err, BS_EUSAGE,
                        _("consultation engage: --reason goes with --override-eligibility"));
    }
    bs_value *warnings = value_list();
    if (rc == BS_OK) {
        rc = consult_engage(ctx->s, id, cli_opt_val(a, "theme"), cli_opt_val(a, "expert"),
                            override ? (reason ? reason : "") : NULL, warnings, &eng, err);
    }
    if (rc == BS_OK) {
        cli_print_warnings(warnings);
        cli_line(_("consultation %lld: engagement %lld started"), (long long)id, (long long)eng);
    }
    value_free(warnings);
    return rc;
}

static int run_decline(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    int rc = cli_parse_id(a->pos[0], "CONSULTATION", &id, err);
    if (rc == BS_OK && !cli_opt_val(a, "reason")) {
        rc = bs_err_set(err, BS_EUSAGE,
                        _("consultation decline: --reason is required (see 'bansou help"
                          " consultation decline')"));
    }
    if (rc == BS_OK) {
        rc = consult_decline(ctx->s, id, cli_opt_val(a, "reason"), cli_opt_val(a, "detail"), err);
    }
    if (rc == BS_OK) {
        cli_line(_("consultation %lld: does not go on to guidance (%s)"), (long long)id,
                 cli_opt_val(a, "reason"));
    }
    return rc;
}

static int run_cancel(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    int rc = cli_parse_id(a->pos[0], "CONSULTATION", &id, err);
    if (rc == BS_OK) {
        rc = consult_cancel(ctx->s, id, err);
    }
    if (rc == BS_OK) {
        cli_line(_("consultation %lld: booking cancelled, its slot is free"), (long long)id);
    }
    return rc;
}

static int run_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t id = 0;
    bs_value *k = NULL;
    int rc = cli_parse_id(a->pos[0], "CONSULTATION", &id, err);
    if (rc == BS_OK) {
        rc = consult_get(ctx->s, id, &k, err);
    }
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(k);
        value_free(k);
        return BS_OK;
    }
    const int w = 16;
    char *sess = xasprintf("%lld (%s, %s), round %lld, booth %lld",
                           (long long)value_as_int(value_get(k, "session_id")),
                           value_get_str(k, "held_on"), value_get_str(k, "region"),
                           (long long)value_as_int(value_get(k, "round")),
                           (long long)value_as_int(value_get(k, "booth")));
    cli_print_field(_("Session and slot"), sess, w);
    free(sess);
    cli_print_field(_("Company"), value_get_str(k, "company_name"), w);
    cli_print_field(pgettext("expert", "Name"), value_get_str(k, "expert_name"), w);
    cli_print_field(_("Asked beforehand"), value_get_str(k, "asked"), w);
    cli_print_field(_("Topics discussed"), value_get_str(k, "topics"), w);
    cli_print_field(_("Advice given"), value_get_str(k, "advice"), w);
    const bs_value *wish = value_get(k, "wish");
    cli_print_field(_("Wishes guidance"),
                    value_type(wish) != BS_VBOOL ? NULL
                    : value_as_bool(wish)        ? _("yes, wishes guidance")
                                                 : _("no, does not wish guidance"),
                    w);
    cli_print_field(_("Theme wished"), value_get_str(k, "wished_theme"), w);
    cli_print_field(_("Visits wished for"), value_get_str(k, "wished_dates"), w);
    cli_print_field(_("Theme proposed"), value_get_str(k, "proposed_theme"), w);
    cli_print_field(_("Outcome so far"), outcome(k), w);
    char *eng = cli_int_text(value_get(k, "engagement_id"), "");
    cli_print_field(_("Engagement started"), *eng ? eng : NULL, w);
    free(eng);
    cli_print_field(_("Declined for"), value_get_str(k, "decline_reason"), w);
    cli_print_field(_("Decline detail"), value_get_str(k, "decline_detail"), w);
    value_free(k);
    return BS_OK;
}

static int run_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = consult_list(ctx->s, cli_opt_val(a, "company"), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        const char *const h[] = {"ID",       _("Session date"),    _("Programme region"), _("Company"),
                                 pgettext("expert", "Name"), _("Outcome so far"), NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *k = value_at(rows, i);
            bs_value *row = value_list();
            char *id = cli_int_text(value_get(k, "id"), "");
            value_push(row, value_str(id));
            free(id);
            value_push(row, value_str(value_get_str(k, "held_on")));
            value_push(row, value_str(value_get_str(k, "region")));
            value_push(row, value_str(value_get_str(k, "company_name")));
            value_push(row, value_str(value_get_str(k, "expert_name")));
            value_push(row, value_str(outcome(k)));
            value_push(t, row);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

static int run_reasons(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *r = NULL;
    int rc = consult_reasons(ctx->s, &r, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(r);
    } else {
        for (size_t i = 0; i < value_len(r); i++) {
            const bs_value *x = value_at(r, i);
            cli_line("%-9s %s", value_get_str(x, "id"), value_get_str(x, "text"));
        }
    }
    value_free(r);
    return BS_OK;
}

static const cli_opt json_only[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt add_opts[] = {
    {"date", "DATE", N_("the day of the session (YYYY-MM-DD); required"), 0},
    {"region", "REGION", N_("the programme region (大阪, 名古屋, 埼玉); required"), 0},
    {"venue", "TEXT", N_("where it is held (building and room); required"), 0},
    {"chamber", "TEXT", N_("the co-hosting chamber (default: the region's)"), 0},
    {"rounds", "LIST", N_("the consultation rounds, HH:MM-HH:MM comma-separated"), 0},
    {"experts", "LIST", N_("the experts of booths 1, 2, … (ids or names, comma-separated)"), 0},
    {"notes", "TEXT", N_("anything else worth keeping"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt booth_opts[] = {
    {"booth", "N", N_("the booth (1, 2, …)"), 0},
    {"expert", "EXPERT", N_("the expert who sits there"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt book_opts[] = {
    {"round", "N", N_("the round (default: the first with a free booth)"), 0},
    {"booth", "N", N_("the booth (default: the first free one)"), 0},
    {"expert", "EXPERT", N_("the expert's booth, in the first round it is free"), 0},
    {"asked", "TEXT", N_("what the company said beforehand it would ask"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt doc_opts[] = {
    {"output", "FILE", N_("where to write it (default: out/sessions/…)"), 'o'},
    {"force", NULL, N_("replace a file edited since it was written (kept under a dated name)"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt record_opts[] = {
    {"topics", "TEXT", N_("what the company asked about"), 0},
    {"advice", "TEXT", N_("what the expert advised"), 0},
    {"wish", "yes|no", N_("whether the company wishes to go on to guidance"), 0},
    {"theme", "THEME", N_("the theme the company wishes (theme id)"), 0},
    {"dates", "TEXT", N_("when the company would like the visits"), 0},
    {"propose", "THEME", N_("the theme the expert proposes (theme id)"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt engage_opts[] = {
    {"theme", "THEME", N_("the theme (default: the one proposed, else the one wished)"), 0},
    {"expert", "EXPERT", N_("the expert (default: the one of the consultation)"), 0},
    {"override-eligibility", NULL, N_("engage a company that may not take part (with --reason)"), 0},
    {"reason", "TEXT", N_("why the company is engaged all the same (kept in the log)"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt decline_opts[] = {
    {"reason", "ID", N_("why ('bansou consultation reasons')"), 0},
    {"detail", "TEXT", N_("in the company's words; required for 'other'"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt list_opts[] = {
    {"company", "COMPANY", N_("only this company's"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_consult_cmds[] = {
    {"session add", NULL, N_("add a consultation session (相談会)"),
     N_("A talk, then individual consultations of 20 minutes in rounds, one expert a\n"
     "booth. Without --rounds the programme's: 14:50-15:10, 15:15-15:35,\n"
     "15:40-16:00 (themes/lib/consult.lua)."),
     0, 0, true, add_opts, run_session_add},
    {"session booth", "SESSION", N_("put an expert in a booth of a session"), NULL, 1, 1, true,
     booth_opts, run_session_booth},
    {"session list", NULL, N_("list the consultation sessions"), NULL, 0, 0, true, json_only,
     run_session_list},
    {"session show", "SESSION", N_("show a session and its timetable"), NULL, 1, 1, true,
     json_only, run_session_show},
    {"session book", "SESSION COMPANY", N_("book a company into a session's consultations"),
     N_("One booking per company and session; a slot is a round and a booth."), 2, 2, true,
     book_opts, run_session_book},
    {"session timetable", "SESSION", N_("write the session's timetable (Word)"), NULL, 1, 1, true,
     doc_opts, run_session_timetable},
    {"consultation record", "ID", N_("record an individual consultation"),
     N_("The expert's report: what was asked and advised, whether the company wishes\n"
     "to go on to guidance, on which theme and when, and the theme the expert\n"
     "proposes (which may differ)."),
     1, 1, true, record_opts, run_record},
    {"consultation engage", "ID", N_("start the engagement a consultation leads to"),
     N_("As 'bansou engage', with the consultation linked: the company's wish and the\n"
     "proposed theme stay with it."),
     1, 1, true, engage_opts, run_engage},
    {"consultation decline", "ID", N_("record that a consultation does not go on"),
     NULL, 1, 1, true, decline_opts, run_decline},
    {"consultation cancel", "ID", N_("cancel a booking the company will not keep"),
     N_("Only a consultation not yet recorded; one that was held is declined instead."), 1, 1,
     true, NULL, run_cancel},
    {"consultation reasons", NULL, N_("list the reasons a consultation does not go on"), NULL, 0,
     0, false, json_only, run_reasons},
    {"consultation show", "ID", N_("show a consultation"), NULL, 1, 1, true, json_only,
     run_show},
    {"consultation list", NULL, N_("list the consultations"), NULL, 0, 0, true, list_opts,
     run_list},
    {"consultation document", "ID", N_("write the record of a consultation (Word)"),
     NULL, 1, 1, true, doc_opts, run_consultation_document},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
