/* Companies and experts. The choices offered (industries, kinds of
 * organisation, staffing, SECURITY ACTION levels, prefectures) and the SME
 * test come from themes/lib/profile.lua. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli_int.h"
#include "i18n.h"
#include "util.h"
#include "workflow.h"

static const cli_opt company_opts[] = {
    {"industry", "NAME", N_("industry (JSIC division; see 'company add --help')"), 0},
    {"kind", "KIND", N_("kind of organisation (default 会社)"), 0},
    {"employees", "N", N_("regular employees (常時使用する従業員)"), 0},
    {"capital", "YEN", N_("capital in yen: 30000000, 30,000,000, 3000万, 3億5000万 or 1.5億 (円 may follow)"), 0},
    {"prefecture", "NAME", N_("prefecture (都道府県)"), 0},
    {"contact", "NAME", N_("contact person"), 0},
    {"contact-role", "ROLE", N_("the contact person's role"), 0},
    {"staffing", "CHOICE", N_("security staffing: 専任, 兼任 or なし"), 0},
    {"security-action", "LEVEL", N_("SECURITY ACTION: なし, 一つ星 or 二つ星"), 0},
    {"notes", "TEXT", N_("free notes"), 0},
    {"name", "NAME", N_("new name (company edit only)"), 0},
    {NULL, NULL, NULL, 0},
};

/* Builds the field map from the options, checking every choice. */
static int company_fields(cli_ctx *ctx, const cli_args *a, bool add, bs_value **out, bs_err *err)
{
    int rc = BS_OK;
    bs_value *f = value_map();
    if (add) {
        value_set_str(f, "name", a->pos[0]);
        if (!cli_opt_val(a, "industry")) {
            rc = bs_err_set(err, BS_EUSAGE, _("company add: --industry is required"));
        }
        if (cli_opt_val(a, "name")) {
            rc = bs_err_set(err, BS_EUSAGE, _("company add: the name is the first argument, "
                                            "not --name"));
        }
    } else if (cli_opt_val(a, "name")) {
        if (!*cli_opt_val(a, "name")) {
            rc = bs_err_set(err, BS_EINPUT, _("--name: empty"));
        }
        value_set_str(f, "name", cli_opt_val(a, "name"));
    }
    static const struct {
        const char *opt, *col, *choices;
    } text[] = {
        {"industry", "industry", "industries"},
        {"kind", "kind", "kinds"},
        {"prefecture", "prefecture", "prefectures"},
        {"contact", "contact_name", NULL},
        {"contact-role", "contact_role", NULL},
        {"staffing", "staffing", "staffing"},
        {"security-action", "security_action", "security_action"},
        {"notes", "notes", NULL},
    };
    for (size_t i = 0; rc == BS_OK && i < sizeof text / sizeof *text; i++) {
        const char *v = cli_opt_val(a, text[i].opt);
        if (!v) {
            continue;
        }
        if (text[i].choices) {
            char label[32];
            snprintf(label, sizeof label, "--%s", text[i].opt);
            rc = catalog_check_choice(ctx->s, text[i].choices, v, label, err);
        }
        value_set_str(f, text[i].col, *v ? v : NULL);
    }
    if (rc == BS_OK && add && !cli_opt_val(a, "kind")) {
        value_set_str(f, "kind", "会社"); // value: the default kind
    }
    const char *emp = cli_opt_val(a, "employees");
    int64_t n;
    if (rc == BS_OK && emp) {
        if (!bs_parse_int(emp, &n) || n < 0 || n > 10000000) {
            rc = bs_err_set(err, BS_EINPUT, _("--employees: '%s' is not a number of people"), emp);
        } else {
            value_set_int(f, "employees", n);
        }
    }
    const char *cap = cli_opt_val(a, "capital");
    if (rc == BS_OK && cap) {
        rc = bs_parse_yen(cap, "--capital", &n, err);
        if (rc == BS_OK) {
            value_set_int(f, "capital", n);
        }
    }
    if (rc == BS_OK && add && !*a->pos[0]) {
        rc = bs_err_set(err, BS_EINPUT, _("company add: empty name"));
    }
    if (rc != BS_OK) {
        value_free(f);
        return rc;
    }
    *out = f;
    return BS_OK;
}

static int run_company_add(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *f = NULL;
    int rc = company_fields(ctx, a, true, &f, err);
    int64_t id = 0;
    if (rc == BS_OK) {
        rc = workflow_company_add(session_store(ctx->s), session_actor(ctx->s), f, &id, err);
    }
    if (rc == BS_OK) {
        cli_line(_("company %lld: %s"), (long long)id, a->pos[0]);
    }
    value_free(f);
    return rc;
}

static int run_company_edit(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *f = NULL;
    int rc = company_fields(ctx, a, false, &f, err);
    if (rc == BS_OK && value_len(f) == 0) {
        rc = bs_err_set(err, BS_EUSAGE, _("company edit: nothing to change (see --help)"));
    }
    if (rc == BS_OK) {
        rc = workflow_company_edit(session_store(ctx->s), session_actor(ctx->s), a->pos[0], f, err);
    }
    if (rc == BS_OK) {
        cli_line(_("company %s updated"), a->pos[0]);
    }
    value_free(f);
    return rc;
}

static int run_company_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = store_company_list(session_store(ctx->s), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        const char *const h[] = {"ID",           pgettext("company", "Name"), _("Industry"),
                                 _("Prefecture"), _("Employees"),             NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *c = value_at(rows, i);
            bs_value *r = value_list();
            char *id = cli_int_text(value_get(c, "id"), "");
            char *emp = cli_int_text(value_get(c, "employees"), "");
            value_push(r, value_str(id));
            value_push(r, value_str(value_get_str(c, "name")));
            value_push(r, value_str(value_get_str(c, "industry")));
            value_push(r, value_str(value_get_str(c, "prefecture") ? value_get_str(c, "prefecture")
                                                                   : ""));
            value_push(r, value_str(emp));
            free(id);
            free(emp);
            value_push(t, r);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

static char *yen_text(const bs_value *v)
{
    if (value_type(v) != BS_VINT) {
        return xstrdup("");
    }
    // Group digits by three for reading.
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)value_as_int(v));
    bs_buf b = {0};
    size_t n = strlen(digits);
    for (size_t i = 0; i < n; i++) {
        bs_buf_add(&b, &digits[i], 1);
        if ((n - i - 1) % 3 == 0 && i + 1 < n) {
            bs_buf_puts(&b, ",");
        }
    }
    char *amount = bs_buf_take(&b);
    char *text = xasprintf(_("%s yen"), amount);
    free(amount);
    return text;
}

static int run_company_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *c = NULL, *sme = NULL;
    int rc = store_company_get(session_store(ctx->s), a->pos[0], &c, err);
    if (rc == BS_OK) {
        rc = catalog_sme(ctx->s, c, &sme, err);
    }
    if (rc != BS_OK) {
        value_free(c);
        return rc;
    }
    if (cli_flag(a, "json")) {
        value_set(c, "sme", sme);
        cli_print_json(c);
        value_free(c);
        return BS_OK;
    }
    char *id = cli_int_text(value_get(c, "id"), "");
    char *emp = cli_int_text(value_get(c, "employees"), "");
    char *cap = yen_text(value_get(c, "capital"));
    const int w = 18;
    cli_print_field("ID", id, w);
    cli_print_field(pgettext("company", "Name"), value_get_str(c, "name"), w);
    cli_print_field(_("Industry"), value_get_str(c, "industry"), w);
    cli_print_field(_("Kind"), value_get_str(c, "kind"), w);
    cli_print_field(pgettext("company", "Employees"), emp, w);
    cli_print_field(_("Capital"), cap, w);
    cli_print_field(_("Prefecture"), value_get_str(c, "prefecture"), w);
    cli_print_field(_("Contact"), value_get_str(c, "contact_name"), w);
    cli_print_field(_("Contact's role"), value_get_str(c, "contact_role"), w);
    cli_print_field(_("Security staffing"), value_get_str(c, "staffing"), w);
    cli_print_field("SECURITY ACTION", value_get_str(c, "security_action"), w);
    cli_print_field(pgettext("company", "Notes"), value_get_str(c, "notes"), w);
    const bs_value *verdict = value_get(sme, "sme");
    const char *answer = value_type(verdict) != BS_VBOOL ? _("cannot tell")
                         : value_as_bool(verdict)        ? _("meets it")
                                                         : _("does not meet it");
    // TRANSLATORS: the SME verdict and why: "meets it (REASON)".
    char *line = xasprintf(pgettext("sme", "%s (%s)"), answer,
                           value_get_str(sme, "reason") ? value_get_str(sme, "reason") : "");
    cli_print_field(_("SME definition"), line, w);
    cli_print_field(_("Rule applied"), value_get_str(sme, "rule"), w);
    free(line);
    free(id);
    free(emp);
    free(cap);
    value_free(sme);
    value_free(c);
    return BS_OK;
}

/* Splits a comma list ("a,b，c": ASCII or full-width commas; not 、, which
 * industry names contain) into a list of trimmed strings. */
static bs_value *split_list(const char *s)
{
    bs_value *l = value_list();
    bs_buf cur = {0};
    for (const char *p = s;; p++) {
        bool sep = *p == ',' || *p == '\0' || strncmp(p, "，", strlen("，")) == 0; // value: a full-width comma
        if (!sep) {
            bs_buf_add(&cur, p, 1);
            continue;
        }
        char *item = bs_buf_take(&cur);
        char *b = item;
        while (*b == ' ') {
            b++;
        }
        size_t n = strlen(b);
        while (n > 0 && b[n - 1] == ' ') {
            b[--n] = '\0';
        }
        if (*b) {
            value_push(l, value_str(b));
        }
        free(item);
        if (*p == '\0') {
            break;
        }
        if (*p != ',') {
            p += strlen("，") - 1; // value
        }
    }
    return l;
}

#define EXPERT_OPTS                                                                            \
    {"qualifications", "LIST", N_("qualifications, comma-separated (e.g. 登録セキスペ)"), 0},         \
        {"regions", "LIST", N_("regions covered, comma-separated (e.g. 大阪,名古屋)"), 0},          \
        {"themes", "LIST", N_("theme ids covered, comma-separated (see 'bansou themes')"), 0},     \
        {"industries", "LIST", N_("industries of experience, comma-separated"), 0},                \
        {"phone", "TEXT", N_("the telephone number companies call (in their documents)"), 0},     \
        {"email", "TEXT", N_("the e-mail address companies write to (in their documents)"), 0},   \
        {"affiliation", "TEXT", N_("the office or firm the expert works for"), 0}

static const cli_opt expert_opts[] = {
    EXPERT_OPTS,
    {NULL, NULL, NULL, 0},
};
static const cli_opt expert_edit_opts[] = {
    {"name", "NAME", N_("the new name"), 0},
    EXPERT_OPTS,
    {NULL, NULL, NULL, 0},
};

/* The expert fields the options give, checked, into `f`: every list (empty
 * when not given) for a new expert (`add`), only those given for an edit. */
static int expert_fields(cli_ctx *ctx, const cli_args *a, bool add, bs_value *f, bs_err *err)
{
    static const char *const lists[] = {"qualifications", "regions", "themes", "industries",
                                        NULL};
    for (const char *const *k = lists; *k; k++) {
        const char *v = cli_opt_val(a, *k);
        if (v || add) {
            value_set(f, *k, v ? split_list(v) : value_list());
        }
    }
    static const char *const texts[] = {"phone", "email", "affiliation", NULL};
    for (const char *const *k = texts; *k; k++) {
        const char *v = cli_opt_val(a, *k);
        if (v && bs_has_control(v)) {
            return bs_err_set(err, BS_EINPUT, _("--%s: contains a control character"), *k);
        }
        if (v && strcmp(*k, "email") == 0 && *v && !strchr(v, '@')) {
            return bs_err_set(err, BS_EINPUT, _("--email: '%s' is not an e-mail address"), v);
        }
        if (v) {
            value_set_str(f, *k, *v ? v : NULL); // "" clears it
        }
    }
    int rc = BS_OK;
    const bs_value *themes = value_get(f, "themes");
    for (size_t i = 0; rc == BS_OK && i < value_len(themes); i++) {
        const char *t = value_as_str(value_at(themes, i));
        if (!catalog_has_theme(ctx->s, t)) {
            rc = bs_err_set(err, BS_EINPUT, _("--themes: no theme '%s' (see 'bansou themes')"), t);
        }
    }
    const bs_value *inds = value_get(f, "industries");
    for (size_t i = 0; rc == BS_OK && i < value_len(inds); i++) {
        rc = catalog_check_choice(ctx->s, "industries", value_as_str(value_at(inds, i)),
                                  "--industries", err);
    }
    return rc;
}

static int run_expert_add(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    if (!*a->pos[0]) {
        return bs_err_set(err, BS_EINPUT, _("expert add: empty name"));
    }
    bs_value *f = value_map();
    value_set_str(f, "name", a->pos[0]);
    int rc = expert_fields(ctx, a, true, f, err);
    int64_t id = 0;
    if (rc == BS_OK) {
        rc = workflow_expert_add(session_store(ctx->s), session_actor(ctx->s), f, &id, err);
    }
    if (rc == BS_OK) {
        cli_line(_("expert %lld: %s"), (long long)id, a->pos[0]);
    }
    value_free(f);
    return rc;
}

static int run_expert_edit(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *f = value_map();
    if (cli_opt_val(a, "name")) {
        value_set_str(f, "name", cli_opt_val(a, "name"));
    }
    int rc = expert_fields(ctx, a, false, f, err);
    if (rc == BS_OK && value_len(f) == 0) {
        rc = bs_err_set(err, BS_EUSAGE, _("expert edit: nothing to change (see 'bansou help expert edit')"));
    }
    if (rc == BS_OK) {
        rc = workflow_expert_edit(session_store(ctx->s), session_actor(ctx->s), a->pos[0], f, err);
    }
    if (rc == BS_OK) {
        cli_line(_("expert %s: changed"), a->pos[0]);
    }
    value_free(f);
    return rc;
}

/* "a, b, c" from a list of strings (owned). */
static char *join(const bs_value *l)
{
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(l); i++) {
        bs_buf_printf(&b, "%s%s", i ? ", " : "", value_as_str(value_at(l, i)));
    }
    return bs_buf_take(&b);
}

static int run_expert_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL;
    int rc = store_expert_list(session_store(ctx->s), &rows, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        const char *const h[] = {"ID",        pgettext("expert", "Name"), _("Qualifications"),
                                 _("Regions"), _("Themes"),                 NULL};
        bs_value *t = value_list();
        for (size_t i = 0; i < value_len(rows); i++) {
            const bs_value *x = value_at(rows, i);
            bs_value *r = value_list();
            char *id = cli_int_text(value_get(x, "id"), "");
            value_push(r, value_str(id));
            free(id);
            value_push(r, value_str(value_get_str(x, "name")));
            static const char *const cols[] = {"qualifications", "regions", "themes", NULL};
            for (const char *const *k = cols; *k; k++) {
                char *s = join(value_get(x, *k));
                value_push(r, value_str(s));
                free(s);
            }
            value_push(t, r);
        }
        cli_print_table(h, t);
        value_free(t);
    }
    value_free(rows);
    return BS_OK;
}

static int run_expert_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *x = NULL;
    int rc = store_expert_get(session_store(ctx->s), a->pos[0], &x, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(x);
    } else {
        const int w = 10;
        char *id = cli_int_text(value_get(x, "id"), "");
        cli_print_field("ID", id, w);
        free(id);
        cli_print_field(pgettext("expert", "Name"), value_get_str(x, "name"), w);
        static const char *const cols[][2] = {{"qualifications", N_("Qualifications")},
                                              {"regions", N_("Regions")},
                                              {"themes", N_("Themes")},
                                              {"industries", N_("Industries")}};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
            char *s = join(value_get(x, cols[i][0]));
            cli_print_field(_(cols[i][1]), s, w);
            free(s);
        }
        cli_print_field(_("Affiliation"), value_get_str(x, "affiliation"), w);
        cli_print_field(_("Phone"), value_get_str(x, "phone"), w);
        cli_print_field(_("E-mail"), value_get_str(x, "email"), w);
    }
    value_free(x);
    return BS_OK;
}

/* The choices of the company profile, as profile.lua offers them. */
static int run_company_choices(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *choices = NULL;
    int rc = catalog_choices(ctx->s, &choices, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(choices);
    }
    static const char *const lists[][2] = {{"industries", "--industry"},
                                           {"kinds", "--kind"},
                                           {"prefectures", "--prefecture"},
                                           {"staffing", "--staffing"},
                                           {"security_action", "--security-action"}};
    for (size_t i = 0; !cli_flag(a, "json") && i < sizeof lists / sizeof *lists; i++) {
        char *joined = join(value_get(choices, lists[i][0]));
        cli_line("%s", lists[i][1]);
        cli_line("  %s", joined);
        free(joined);
    }
    value_free(choices);
    return BS_OK;
}

static const cli_opt json_opts[] = {
    {"json", NULL, N_("print JSON"), 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_company_cmds[] = {
    {"company add", "NAME", N_("register a company"),
     N_("--industry is required. The choices for --industry, --kind, --prefecture,\n"
     "--staffing and --security-action are listed by 'bansou company choices'\n"
     "(they come from themes/lib/profile.lua). NAME has at most 100 characters\n"
     "and no control character; it names the company's folder under out/ with\n"
     "its id (001_NAME)."),
     1, 1, true, company_opts, run_company_add},
    {"company list", NULL, N_("list the companies"), NULL, 0, 0, true, json_opts, run_company_list},
    {"company choices", NULL, N_("list the choices for industry, kind, prefecture …"), NULL, 0, 0,
     false, json_opts, run_company_choices},
    {"company show", "COMPANY", N_("show a company and whether it is an SME"),
     N_("COMPANY is an id or the exact name. The SME test follows the programme's\n"
     "definition table (by kind of organisation, industry, capital or employees)\n"
     "and names the rule that decided it."),
     1, 1, true, json_opts, run_company_show},
    {"company edit", "COMPANY", N_("change a company's profile"),
     N_("Only the options given change. An empty value clears a free-text field."), 1, 1, true,
     company_opts, run_company_edit},
    {"expert add", "NAME", N_("register an expert"),
     N_("NAME has at most 100 characters and no control character."), 1, 1, true, expert_opts,
     run_expert_add},
    {"expert edit", "EXPERT", N_("change an expert's name, lists or contact"),
     N_("Only the options given change; a list given replaces the stored one, and an\n"
     "empty --phone, --email or --affiliation clears it. The contact is printed in\n"
     "the documents handed to the companies (訪問計画書, 事前依頼事項)."),
     1, 1, true, expert_edit_opts, run_expert_edit},
    {"expert list", NULL, N_("list the experts"), NULL, 0, 0, true, json_opts, run_expert_list},
    {"expert show", "EXPERT", N_("show an expert (id or exact name)"), NULL, 1, 1, true, json_opts,
     run_expert_show},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
