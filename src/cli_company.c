/* Companies and experts. The choices offered (industries, kinds of
 * organisation, staffing, SECURITY ACTION levels, prefectures) and the SME
 * test come from themes/lib/profile.lua. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli_int.h"
#include "i18n.h"
#include "pool.h"
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
        {"affiliation", "TEXT", N_("the office or firm the expert works for"), 0},              \
        {"reg-no", "NUMBER", N_("registration number as 登録セキスペ (digits)"), 0},                \
        {"reg-year", "YEAR", N_("the year of registration"), 0},                                  \
        {"affiliation-kind", "KIND", N_("independent or employed (see 'bansou expert choices')"), 0}, \
        {"residence", "TEXT", N_("where the expert lives (prefecture and city)"), 0},             \
        {"sizes", "LIST", N_("company sizes supported, comma-separated"), 0},                     \
        {"forms", "LIST", N_("forms of support offered, comma-separated"), 0},                    \
        {"periods", "LIST", N_("periods of support offered, comma-separated"), 0},                \
        {"fee", "BAND", N_("the fee asked per visit of two hours"), 0},                           \
        {"self-pr", "TEXT", N_("the expert's strengths in their own words"), 0},                  \
        {"listed", "yes|no", N_("whether the expert agrees to be listed in the pool"), 0}

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
 * when not given) for a new expert (`add`), only those given for an edit.
 * The pool's own choices are checked by the engine (pool_expert_add). */
static int expert_fields(cli_ctx *ctx, const cli_args *a, bool add, bs_value *f, bs_err *err)
{
    static const char *const lists[][2] = {
        {"qualifications", "qualifications"}, {"regions", "regions"}, {"themes", "themes"},
        {"industries", "industries"},         {"sizes", "sizes"},     {"forms", "forms"},
        {"periods", "periods"},               {NULL, NULL}};
    for (size_t k = 0; lists[k][0]; k++) {
        const char *v = cli_opt_val(a, lists[k][0]);
        if (v || add) {
            value_set(f, lists[k][1], v ? split_list(v) : value_list());
        }
    }
    static const char *const texts[][2] = {
        {"phone", "phone"},         {"email", "email"},         {"affiliation", "affiliation"},
        {"reg-no", "reg_no"},       {"affiliation-kind", "affiliation_kind"},
        {"residence", "residence"}, {"fee", "fee"},             {"self-pr", "self_pr"},
        {NULL, NULL}};
    for (size_t k = 0; texts[k][0]; k++) {
        const char *v = cli_opt_val(a, texts[k][0]);
        if (v && bs_has_control(v)) {
            return bs_err_set(err, BS_EINPUT, _("--%s: contains a control character"), texts[k][0]);
        }
        if (v && strcmp(texts[k][0], "email") == 0 && *v && !strchr(v, '@')) {
            return bs_err_set(err, BS_EINPUT, _("--email: '%s' is not an e-mail address"), v);
        }
        if (v) {
            value_set_str(f, texts[k][1], *v ? v : NULL); // "" clears it
        }
    }
    const char *year = cli_opt_val(a, "reg-year");
    if (year) {
        int64_t y = 0;
        if (*year && !bs_parse_int(year, &y)) {
            return bs_err_set(err, BS_EINPUT, _("--reg-year: '%s' is not a year"), year);
        }
        value_set(f, "reg_year", *year ? value_int(y) : value_null());
    }
    const char *listed = cli_opt_val(a, "listed");
    if (listed) {
        if (strcmp(listed, "yes") != 0 && strcmp(listed, "no") != 0) {
            return bs_err_set(err, BS_EINPUT, _("--listed: '%s' is neither yes nor no"), listed);
        }
        value_set_bool(f, "listed", strcmp(listed, "yes") == 0);
        value_set(f, "unlisted", value_null());
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
        rc = pool_expert_add(ctx->s, f, &id, err);
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
        rc = pool_expert_edit(ctx->s, a->pos[0], f, err);
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

/* The marks of an expert's evaluation per support menu, "◎◎○-----" (owned). */
static char *menu_marks(const bs_value *x)
{
    const bs_value *menus = value_get(value_get(x, "evaluation"), "menus");
    bs_buf b = {0};
    for (size_t i = 0; i < value_len(menus); i++) {
        const char *m = value_get_str(value_at(menus, i), "mark");
        bs_buf_printf(&b, "%s", m && *m ? m : "-");
    }
    return bs_buf_take(&b);
}

void cli_print_experts(const bs_value *rows)
{
    const char *const h[] = {"ID",        pgettext("expert", "Name"), _("Regions"), _("Themes"),
                             _("Skills 0-7"), _("In progress"),          _("Listed in pool"),
                             NULL};
    bs_value *t = value_list();
    for (size_t i = 0; i < value_len(rows); i++) {
        const bs_value *x = value_at(rows, i);
        bs_value *r = value_list();
        char *id = cli_int_text(value_get(x, "id"), "");
        value_push(r, value_str(id));
        free(id);
        value_push(r, value_str(value_get_str(x, "name")));
        static const char *const cols[] = {"regions", "themes", NULL};
        for (const char *const *k = cols; *k; k++) {
            char *s = join(value_get(x, *k));
            value_push(r, value_str(s));
            free(s);
        }
        char *marks = value_get(x, "skills") && value_type(value_get(x, "skills")) == BS_VMAP
                          ? menu_marks(x)
                          : xstrdup(_("(no survey)"));
        value_push(r, value_str(marks));
        free(marks);
        char *load = cli_int_text(value_get(x, "load"), "0");
        value_push(r, value_str(load));
        free(load);
        const bs_value *listed = value_get(x, "listed");
        value_push(r, value_str(value_type(listed) != BS_VBOOL ? ""
                                : value_as_bool(listed)  ? "○"
                                                         : "×"));
        value_push(t, r);
    }
    cli_print_table(h, t);
    value_free(t);
}

static int run_expert_list(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *rows = NULL, *none = value_map();
    int rc = pool_search(ctx->s, none, &rows, err);
    value_free(none);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(rows);
    } else {
        cli_print_experts(rows);
    }
    value_free(rows);
    return BS_OK;
}

static void print_listed(const bs_value *v, const char *why, int w)
{
    cli_print_field(_("Listed in pool"),
                    value_type(v) != BS_VBOOL ? NULL
                    : value_as_bool(v)        ? _("yes: shown in the pool's list")
                    : why                     ? why
                                              : _("no: left out of the pool's list"),
                    w);
}

static int run_expert_show(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    bs_value *x = NULL;
    int rc = pool_expert_show(ctx->s, a->pos[0], &x, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (cli_flag(a, "json")) {
        cli_print_json(x);
    } else {
        const int w = 16;
        char *id = cli_int_text(value_get(x, "id"), "");
        cli_print_field("ID", id, w);
        free(id);
        cli_print_field(pgettext("expert", "Name"), value_get_str(x, "name"), w);
        char *reg = cli_int_text(value_get(x, "reg_year"), "");
        cli_print_field(_("Registration no."), value_get_str(x, "reg_no"), w);
        cli_print_field(_("Registered in"), *reg ? reg : NULL, w);
        free(reg);
        cli_print_field(_("Affiliation"), value_get_str(x, "affiliation_kind"), w);
        cli_print_field(_("Organisation"), value_get_str(x, "affiliation"), w);
        cli_print_field(_("Residence"), value_get_str(x, "residence"), w);
        cli_print_field(_("Phone"), value_get_str(x, "phone"), w);
        cli_print_field(_("E-mail"), value_get_str(x, "email"), w);
        static const char *const cols[][2] = {
            {"qualifications", N_("Qualifications")}, {"regions", N_("Regions")},
            {"themes", N_("Themes")},                 {"industries", N_("Industries")},
            {"sizes", N_("Company sizes")},           {"forms", N_("Forms of support")},
            {"periods", N_("Support periods")}};
        for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
            char *s = join(value_get(x, cols[i][0]));
            cli_print_field(_(cols[i][1]), s, w);
            free(s);
        }
        cli_print_field(_("Fee per visit"), value_get_str(x, "fee"), w);
        cli_print_field(_("Self-PR"), value_get_str(x, "self_pr"), w);
        print_listed(value_get(x, "listed"), value_get_str(x, "unlisted"), w);
        char *load = cli_int_text(value_get(x, "load"), "0");
        cli_print_field(_("In progress"), load, w);
        free(load);
        const bs_value *sk = value_get(x, "skills");
        if (value_type(sk) != BS_VMAP) {
            cli_print_field(_("Skill survey"), _("(none came back)"), w);
        } else {
            const char *at = value_get_str(sk, "answered_at");
            cli_print_field(_("Skill survey"), at ? at : value_get_str(sk, "imported_at"), w);
            const bs_value *menus = value_get(value_get(x, "evaluation"), "menus");
            for (size_t i = 0; i < value_len(menus); i++) {
                const bs_value *m = value_at(menus, i);
                const char *mark = value_get_str(m, "mark");
                cli_line("  %s %lld. %s", mark && *mark ? mark : "  ",
                         (long long)value_as_int(value_get(m, "no")), value_get_str(m, "title"));
            }
        }
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
    {"expert edit", "EXPERT", N_("change an expert's name, lists, contact or pool entry"),
     N_("Only the options given change; a list given replaces the stored one, and an\n"
     "empty text option clears it. The contact is printed in the documents handed\n"
     "to the companies. The choices for --affiliation-kind, --sizes, --forms,\n"
     "--periods and --fee are those of the skill survey ('bansou expert choices');\n"
     "a skill survey read back sets them all ('bansou skills import')."),
     1, 1, true, expert_edit_opts, run_expert_edit},
    {"expert list", NULL, N_("list the experts: the pool with skill marks and load"),
     N_("Skills 0-7 shows the mark of each support menu 0 to 7 as the skill survey gives\n"
     "it (◎, ○, - for none); In progress counts the engagements not ended; Listed\n"
     "in pool is ○ for an expert the pool's list shows, × for one it leaves out."),
     0, 0, true, json_opts, run_expert_list},
    {"expert show", "EXPERT", N_("show an expert (id or exact name): pool entry and skills"),
     N_("With the skill survey back, every support menu 0 to 7 with its mark: ◎ when\n"
     "every sub-item of its skill area reaches its points, ○ when one does not.\n"
     "--json adds each sub-item's sum and points."),
     1, 1, true, json_opts, run_expert_show},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};
