/* cli_apply: a company's application to the programme and whether it may
 * take part (bansou application …). */
#include <stdlib.h>
#include <string.h>

#include "application.h"
#include "catalog.h"
#include "cli_int.h"
#include "util.h"

/* The yes/no option `name` into field `key` of `f`. */
static int yes_no(const cli_args *a, const char *name, const char *key, bs_value *f, bs_err *err)
{
    const char *v = cli_opt_val(a, name);
    if (!v) {
        return bs_err_set(err, BS_EUSAGE, _("application record: --%s yes|no is required"), name);
    }
    if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
        return bs_err_set(err, BS_EINPUT, _("--%s: '%s' is neither yes nor no"), name, v);
    }
    value_set_bool(f, key, strcmp(v, "yes") == 0);
    return BS_OK;
}

static int run_record(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *f = value_map();
    char today[11];
    bs_date_today(today);
    const char *date = cli_opt_val(a, "date");
    value_set_str(f, "applied_on", date ? date : today);
    const char *sa = cli_opt_val(a, "security-action");
    int rc = BS_OK;
    if (!sa) {
        rc = bs_err_set(err, BS_EUSAGE, _("application record: --security-action is required"));
    } else {
        rc = catalog_check_choice(ctx->s, "security_action", sa, "--security-action", err);
        value_set_str(f, "security_action", sa);
    }
    if (rc == BS_OK) {
        rc = yes_no(a, "has-policy", "has_policy", f, err);
    }
    if (rc == BS_OK) {
        rc = yes_no(a, "earlier", "earlier", f, err);
    }
    if (rc == BS_OK) {
        rc = yes_no(a, "consent", "consent", f, err);
    }
    static const char *const texts[] = {"via", "notes", NULL};
    for (const char *const *k = texts; rc == BS_OK && *k; k++) {
        const char *v = cli_opt_val(a, *k);
        if (v && bs_has_control(v)) {
            rc = bs_err_set(err, BS_EINPUT, _("--%s: contains a control character"), *k);
        } else if (v && *v) {
            value_set_str(f, *k, v);
        }
    }
    if (rc == BS_OK) {
        rc = application_record(ctx->s, a->pos[0], f, err);
    }
    value_free(f);
    if (rc != BS_OK) {
        return rc;
    }
    bs_value *el = NULL;
    rc = application_eligibility(ctx->s, a->pos[0], &el, err);
    if (rc == BS_OK) {
        cli_line(value_as_bool(value_get(el, "eligible"))
                     ? _("application of %s recorded: may take part")
                     : _("application of %s recorded: may not take part (see 'bansou application"
                         " show')"),
                 value_get_str(el, "company"));
    }
    value_free(el);
    return rc;
}

/* "✓", "✗" or "?" for a check's ok. */
static const char *mark(const bs_value *ok)
{
    if (value_type(ok) != BS_VBOOL) {
        return "?";
    }
    return value_as_bool(ok) ? "✓" : "✗";
}

static int run_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *el = NULL;
    int rc = application_eligibility(ctx->s, a->pos[0], &el, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(el);
        value_free(el);
        return BS_OK;
    }
    const bs_value *app = value_get(el, "application");
    const int w = 14;
    cli_print_field(_("Company"), value_get_str(el, "company"), w);
    if (value_type(app) == BS_VMAP) {
        char *fy = cli_int_text(value_get(app, "fiscal_year"), "");
        cli_print_field(_("Applied on"), value_get_str(app, "applied_on"), w);
        cli_print_field(_("Fiscal year"), fy, w);
        free(fy);
        cli_print_field(_("Came through"), value_get_str(app, "via"), w);
        cli_print_field(_("Notes"), value_get_str(app, "notes"), w);
    } else {
        cli_print_field(_("Applied on"), _("(no application recorded: only the SME test applies)"),
                        w);
    }
    cli_print_field(_("May take part"),
                    value_as_bool(value_get(el, "eligible")) ? _("yes, every rule holds")
                                                             : _("no: a rule below fails"),
                    w);
    const bs_value *checks = value_get(el, "checks");
    for (size_t i = 0; i < value_len(checks); i++) {
        const bs_value *c = value_at(checks, i);
        cli_line("  %s %s: %s", mark(value_get(c, "ok")), value_get_str(c, "rule"),
                 value_get_str(c, "reason"));
    }
    value_free(el);
    return BS_OK;
}

static int run_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    int64_t year = 0;
    const char *y = cli_opt_val(a, "year");
    if (y && (!bs_parse_int(y, &year) || year < 1900 || year > 9999)) {
        return bs_err_set(err, BS_EINPUT, _("--year: '%s' is not a fiscal year (e.g. 2025)"), y);
    }
    bs_value *rows = NULL;
    int rc = application_list(ctx->s, (int)year, &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
        value_free(rows);
        return BS_OK;
    }
    const char *const h[] = {_("Company"), _("Fiscal year"), _("Applied on"), _("May take part"),
                             NULL};
    bs_value *t = value_list();
    for (size_t i = 0; i < value_len(rows); i++) {
        const bs_value *r = value_at(rows, i), *el = value_get(r, "eligibility");
        bs_value *row = value_list();
        value_push(row, value_str(value_get_str(r, "company_name")));
        char *fy = cli_int_text(value_get(r, "fiscal_year"), "");
        value_push(row, value_str(fy));
        free(fy);
        value_push(row, value_str(value_get_str(r, "applied_on")));
        const bs_value *failed = value_get(el, "failed");
        if (value_len(failed) == 0) {
            value_push(row, value_str("✓"));
        } else {
            char *s = xasprintf("✗ %s", value_get_str(value_at(failed, 0), "rule"));
            value_push(row, value_str(s));
            free(s);
        }
        value_push(t, row);
    }
    cli_print_table(h, t);
    value_free(t);
    value_free(rows);
    return BS_OK;
}

static const cli_opt record_opts[] = {
    {"date", "DATE", N_("the day of the application (default: today); its fiscal year keys it"), 0},
    {"security-action", "LEVEL", N_("the SECURITY ACTION declared (see 'bansou company choices')"),
     0},
    {"has-policy", "yes|no", N_("whether a basic security policy or regulations exist already"), 0},
    {"earlier", "yes|no", N_("whether the company took part in an earlier year"), 0},
    {"consent", "yes|no", N_("whether the company agreed to the terms of participation"), 0},
    {"via", "TEXT", N_("how it came (a consultation session, the web form …)"), 0},
    {"notes", "TEXT", N_("anything else worth keeping"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt show_opts[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt list_opts[] = {
    {"year", "FY", N_("only the applications of this fiscal year (April to March)"), 0},
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_apply_cmds[] = {
    {"application record", "COMPANY", N_("record a company's application to the programme"),
     N_("What the call for participants asks: the SECURITY ACTION declared, whether a\n"
     "basic policy exists, earlier participation, consent to the terms. One per\n"
     "fiscal year (recording again replaces it). 'engage' then refuses a company\n"
     "that may not take part, naming the rule."),
     1, 1, true, record_opts, run_record},
    {"application show", "COMPANY", N_("whether a company may take part, rule by rule"),
     N_("The rules are the call's (themes/lib/application.lua): an SME by the\n"
     "programme's definition, SECURITY ACTION declared (one star or more), no basic\n"
     "policy yet, no earlier participation, the terms agreed to. Without an\n"
     "application only the SME test applies."),
     1, 1, true, show_opts, run_show},
    {"application list", NULL, N_("list the applications and whether each may take part"), NULL, 0,
     0, true, list_opts, run_list},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
