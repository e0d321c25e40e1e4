/* Help: `--help`, `bansou help [COMMAND]`, and what is generated from the
 * same command tables and texts so that it cannot drift from them: the
 * manual page (`bansou help --roff`) and the words shell completion offers
 * (`bansou help --complete WORD…`, asked by the bash and zsh scripts). */
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "config.h" /* BS_VERSION, BS_DATADIR, BS_DOCDIR */
#include "i18n.h"
#include "util.h"
#include "workspace.h"

/* A line of the global help, the manual page and the environment. */
typedef struct {
    const char *left;
    const char *help;
} help_item;

static const char *const tagline = N_("theme-based security management guidance for SMEs");
static const char *const usage_lines[] = {
    "[-C DIR] [--actor NAME] COMMAND [ARGS…]",
    "COMMAND --help",
    "help [COMMAND]",
    NULL,
};
static const help_item global_opts[] = {
    {"-C DIR", N_("use the workspace in DIR (else $BANSOU_DIR, else .)")},
    {"--actor NAME", N_("who acts, for the event log (else $BANSOU_ACTOR, else $USER)")},
    {"--wide", N_("print tables and lines whole, not fitted to the terminal's width")},
    {"-h, --help", N_("this help")},
    {"-V, --version", N_("print the version")},
    {NULL, NULL},
};
static const help_item environment[] = {
    {"BANSOU_DIR", N_("the workspace, when -C is not given")},
    {"BANSOU_ACTOR", N_("who acts, when --actor is not given")},
    {"USER", N_("who acts, when neither --actor nor $BANSOU_ACTOR is given (else the login name)")},
    {"BANSOU_THEMES", N_("where themes are found after the workspace's themes/")},
    {"BANSOU_TEMPLATES", N_("where templates are found after the workspace's templates/")},
    {"BANSOU_DB", N_("the PostgreSQL database of init, when --db is not given")},
    {"BANSOU_MAX_OUTPUT", N_("the largest document render writes (bytes, or with K, M or G)")},
    {"COLUMNS", N_("the width tables and help fit on a terminal that does not say its own")},
    {"BANSOU_SOFFICE", N_("the LibreOffice program of --pdf and pdf (else soffice on PATH)")},
    {"BANSOU_PDF_TIMEOUT", N_("seconds LibreOffice may take (else 60 and 20 a document)")},
    {"PATH", N_("where soffice is looked for, when BANSOU_SOFFICE is not set")},
    {"TMPDIR", N_("where --pdf of render and schedule --all works (else /tmp)")},
    {NULL, NULL},
};
static const char *const exit_status = N_("0 success, 1 failed or invalid input, 2 usage error");

/* "  LEFT   text" with LEFT padded to `width` display columns. */
static void help_line(const char *left, int width, const char *text)
{
    fputs("  ", stdout);
    cli_print_padded(left, width + 1);
    int col = 2 + width + 1, lw = 2 + bs_utf8_width(left) + 1;
    cli_print_wrapped(text, lw > col ? lw : col, col, cli_width());
}

static void cmd_line(const cli_cmd *c)
{
    char left[96];
    snprintf(left, sizeof left, "%s%s%s", c->name, c->args ? " " : "", c->args ? c->args : "");
    help_line(left, 34, _(c->summary));
}

void cli_print_global_help(void)
{
    printf("bansou: %s\n\n", _(tagline));
    // The lines after the first are indented by the width of "usage:" as translated.
    const char *usage = _("usage:");
    for (int i = 0; usage_lines[i]; i++) {
        cli_print_padded(i ? "" : usage, bs_utf8_width(usage));
        printf(" bansou %s\n", usage_lines[i]);
    }
    printf("\n%s\n", _("global options:"));
    for (const help_item *g = global_opts; g->left; g++) {
        help_line(g->left, 14, _(g->help));
    }
    printf("\n%s\n", _("environment:"));
    for (const help_item *e = environment; e->left; e++) {
        help_line(e->left, 18, _(e->help));
    }
    putchar('\n');
    printf(_("exit status: %s"), _(exit_status));
    printf("\n\n%s\n", _("commands:"));
    for (const cli_cmd *const *t = cli_tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            cmd_line(c);
        }
    }
}

/* "-o, --output FILE" */
static void opt_left(const cli_opt *o, char *buf, size_t n)
{
    char alias[8] = "";
    if (o->short_name) {
        snprintf(alias, sizeof alias, "-%c, ", o->short_name);
    }
    snprintf(buf, n, "%s--%s%s%s", alias, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* `options` is the word for the options ("[OPTIONS]"), as the page or the help reads it. */
static void usage_of(const cli_cmd *c, const char *options, char *buf, size_t n)
{
    snprintf(buf, n, "bansou %s%s%s%s%s", c->name, c->args ? " " : "", c->args ? c->args : "",
             c->opts ? " " : "", c->opts ? options : "");
}

void cli_print_cmd_help(const cli_cmd *c)
{
    char usage[256];
    usage_of(c, _("[OPTIONS]"), usage, sizeof usage);
    printf(_("usage: %s"), usage);
    printf("\n\n%s\n", _(c->summary));
    if (c->details) {
        printf("\n%s\n", _(c->details));
    }
    printf("\n%s\n", _("options:"));
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        char left[96];
        opt_left(o, left, sizeof left);
        help_line(left, 24, _(o->help));
    }
    help_line("-h, --help", 24, _("this help"));
    putchar('\n');
    printf(_("exit status: %s"), _(exit_status));
    putchar('\n');
}

const cli_cmd *cli_find_cmd(int argc, char **argv, int *used)
{
    for (int words = 2; words >= 1; words--) {
        if (argc < words) {
            continue;
        }
        char name[64];
        if (words == 2) {
            snprintf(name, sizeof name, "%s %s", argv[0], argv[1]);
        } else {
            snprintf(name, sizeof name, "%s", argv[0]);
        }
        for (const cli_cmd *const *t = cli_tables; *t; t++) {
            for (const cli_cmd *c = *t; c->name; c++) {
                if (strcmp(c->name, name) == 0) {
                    *used = words;
                    return c;
                }
            }
        }
    }
    return NULL;
}

/* True when `c` is a subcommand of the group word `word` ("company add"). */
static bool in_group(const cli_cmd *c, const char *word)
{
    size_t n = strlen(word);
    return strncmp(c->name, word, n) == 0 && c->name[n] == ' ';
}

bool cli_is_group(const char *word)
{
    for (const cli_cmd *const *t = cli_tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            if (in_group(c, word)) {
                return true;
            }
        }
    }
    return false;
}

bool cli_group_help(const char *word)
{
    if (!cli_is_group(word)) {
        return false;
    }
    printf(_("usage: bansou %s SUBCOMMAND …"), word);
    printf("\n\n%s\n", _("subcommands:"));
    for (const cli_cmd *const *t = cli_tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            if (in_group(c, word)) {
                cmd_line(c);
            }
        }
    }
    putchar('\n');
    printf(_("run 'bansou %s SUBCOMMAND --help' for its options"), word);
    putchar('\n');
    return true;
}

static int run_help(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    (void)ctx;
    if (a->npos == 0) {
        cli_print_global_help();
        return BS_OK;
    }
    int used = 0;
    const cli_cmd *c = cli_find_cmd(a->npos, (char **)a->pos, &used);
    if (c && used == a->npos) {
        cli_print_cmd_help(c);
        return BS_OK;
    }
    if (a->npos == 1 && cli_group_help(a->pos[0])) {
        return BS_OK;
    }
    bs_buf name = {0};
    for (int i = 0; i < a->npos; i++) {
        bs_buf_printf(&name, "%s%s", i ? " " : "", a->pos[i]);
    }
    int rc = bs_err_set(err, BS_EUSAGE, _("help: unknown command '%s' (see 'bansou --help')"),
                        name.s);
    bs_buf_free(&name);
    return rc;
}

const cli_cmd cli_help_cmds[] = {
    {"help", "[COMMAND]", N_("print the help of a command, of a group, or this list"),
     N_("The same text as 'bansou COMMAND --help' ('bansou help company add'), or the\n"
     "subcommands of a group ('bansou help company'). The manual page bansou(1) holds\n"
     "every command's help."),
     0, 2, false, NULL, run_help},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};

static int run_init(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    (void)ctx;
    const char *server = cli_opt_val(a, "db");
    if (!server && getenv("BANSOU_DB") && *getenv("BANSOU_DB")) {
        server = getenv("BANSOU_DB");
    }
    bool join = cli_flag(a, "join");
    if (join && !server) {
        return bs_err_set(err, BS_EUSAGE, _("--join: needs --db SERVER (or $BANSOU_DB)"));
    }
    int rc = workspace_init(a->pos[0], server, join, err);
    if (rc == BS_OK && join) {
        cli_line(_("created workspace %s (joined the database on the server, out/)"), a->pos[0]);
    } else if (rc == BS_OK && server) {
        cli_line(_("created workspace %s (its database on the server, out/)"), a->pos[0]);
    } else if (rc == BS_OK) {
        cli_line(_("created workspace %s (bansou.db, out/)"), a->pos[0]);
    }
    return rc;
}

static const cli_opt init_opts[] = {
    {"db", "SERVER",
     N_("a PostgreSQL database shared with others (postgresql://… or a libpq conninfo such "
        "as service=bansou; else $BANSOU_DB, else the file DIR/bansou.db)"),
     0},
    {"join", NULL, N_("use the bansou database that is on the server already (a user of it)"), 0},
    {NULL, NULL, NULL, 0},
};

static const cli_cmd base_cmds[] = {
    {"init", "DIR", N_("create a workspace: DIR/bansou.db and DIR/out/"),
     N_("The directory is created if needed. It and out/ are made owner-only (0700, an\n"
     "existing directory too), and every file bansou writes in the workspace is 0600,\n"
     "whatever the umask. Other commands find the workspace with -C DIR, then\n"
     "$BANSOU_DIR, then the current directory. With --db the database is on a\n"
     "PostgreSQL server and DIR/database names it; the password stays in libpq's\n"
     "own files (~/.pgpass, PGPASSFILE or a service file), never in the workspace.\n"
     "The first init on a database creates bansou's tables there; its user owns them\n"
     "and adds the others ('bansou user add'), who then make their own workspaces\n"
     "on it with --join."),
     1, 1, false, init_opts, run_init},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};

/* The tables live here, with the help that lists them. */
const cli_cmd *const cli_tables[] = {base_cmds,     cli_help_cmds,   cli_company_cmds,
                                     cli_engage_cmds, cli_docs_cmds, cli_theme_cmds,
                                     cli_sheet_cmds,  cli_render_cmds, cli_pdf_cmds,
                                     cli_survey_cmds, cli_user_cmds,   cli_pool_cmds,
                                     cli_apply_cmds,  cli_consult_cmds, cli_programme_cmds, NULL};

/* --- the manual page ----------------------------------------------------------------- */

/* `s` as roff text: a backslash as \e, a minus sign as \-, a line starting
 * with a control character protected by \&. */
static void roff_text(const char *s)
{
    bool bol = true;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\'')) {
            fputs("\\&", stdout);
        }
        if (*s == '\\') {
            fputs("\\e", stdout);
        } else if (*s == '-') {
            fputs("\\-", stdout);
        } else {
            putchar(*s);
        }
        bol = *s == '\n';
    }
}

static void roff_line(const char *macro, const char *s)
{
    printf("%s", macro);
    roff_text(s);
    putchar('\n');
}

/* A paragraph: its lines as they are, so that the page reads as --help. */
static void roff_para(const char *s)
{
    printf(".PP\n");
    roff_text(s);
    putchar('\n');
}

static void roff_item(const char *left, const char *help)
{
    printf(".TP\n\\fB");
    roff_text(left);
    printf("\\fR\n");
    roff_text(help);
    putchar('\n');
}

static const char files_text[] =
    "A workspace is a directory holding bansou.db (the database: companies, experts,\n"
    "engagements, visits, imported worksheets, the documents written and the event\n"
    "log) and out/, where every document is written. A workspace's own themes/ and\n"
    "templates/, when present, come before the installed ones.";

int cli_help_roff(void)
{
    printf(".TH BANSOU 1 \"\" \"bansou %s\" \"User Commands\"\n", BS_VERSION);
    printf(".SH NAME\nbansou \\- %s\n.SH SYNOPSIS\n.nf\n", tagline);
    for (int i = 0; usage_lines[i]; i++) {
        roff_line("bansou ", usage_lines[i]);
    }
    printf(".fi\n.SH DESCRIPTION\n");
    roff_para("bansou keeps a workspace of companies, experts and engagements on a theme, and\n"
              "writes the documents of each visit (DOCX), the worksheets (XLSX) and the\n"
              "schedules from it. Every command prints its help with --help; this page holds\n"
              "them all.");
    printf(".SH GLOBAL OPTIONS\n");
    for (const help_item *g = global_opts; g->left; g++) {
        roff_item(g->left, g->help);
    }
    printf(".SH COMMANDS\n");
    for (const cli_cmd *const *t = cli_tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            char usage[256];
            usage_of(c, "[OPTIONS]", usage, sizeof usage);
            printf(".SS ");
            roff_text(c->name);
            printf("\n.nf\n\\fB");
            roff_text(usage);
            printf("\\fR\n.fi\n");
            roff_para(c->summary);
            if (c->details) {
                printf(".nf\n");
                roff_para(c->details);
                printf(".fi\n");
            }
            if (c->opts && c->opts->name) {
                printf(".PP\noptions:\n.RS\n");
                for (const cli_opt *o = c->opts; o->name; o++) {
                    char left[96];
                    opt_left(o, left, sizeof left);
                    roff_item(left, o->help);
                }
                printf(".RE\n");
            }
        }
    }
    printf(".SH EXIT STATUS\n");
    roff_para(exit_status);
    printf(".SH ENVIRONMENT\n");
    for (const help_item *e = environment; e->left; e++) {
        roff_item(e->left, e->help);
    }
    printf(".SH FILES\n");
    roff_para(files_text);
    roff_item(BS_DATADIR "/themes", "the installed themes (Lua), when BANSOU_THEMES is not set");
    roff_item(BS_DATADIR "/templates",
              "the installed templates (DOCX), when BANSOU_TEMPLATES is not set");
    roff_item(BS_DOCDIR, "the formats of themes, templates and worksheets, and each theme's notes");
    printf(".SH SEE ALSO\n");
    roff_para("The files of " BS_DOCDIR ": theme-format.md, templates.md,\n"
              "worksheet-format.md, documents.md and one for each theme.");
    return BS_OK;
}

/* --- completion ------------------------------------------------------------------------ */

/* The argument `meta` takes, as a kind for the shell: engagement ids, theme
 * ids, files or directories; NULL for anything else. */
static const char *kind_of(const cli_cmd *c, const char *meta)
{
    if (!meta) {
        return NULL;
    }
    if (strcmp(meta, "ENG") == 0) {
        return "@eng";
    }
    if (strcmp(meta, "THEME") == 0 || (c && strcmp(c->name, "theme show") == 0 &&
                                       strcmp(meta, "ID") == 0)) {
        return "@theme";
    }
    if (strcmp(meta, "DIR") == 0) {
        return "@dir";
    }
    if (strstr(meta, "FILE") || strchr(meta, '.')) {
        return "@file";
    }
    return NULL;
}

/* The metavariable of positional argument `n` (0-based) of `c`, into buf;
 * the last one repeats when it ends with "…". */
static bool positional(const cli_cmd *c, int n, char *buf, size_t len)
{
    if (!c->args) {
        return false;
    }
    char *copy = xstrdup(c->args);
    int i = 0;
    bool found = false;
    char last[64] = "";
    bool repeats = false;
    for (char *w = strtok(copy, " |"); w; w = strtok(NULL, " |")) {
        char *p = w;
        while (*p == '[') {
            p++;
        }
        if (*p < 'A' || *p > 'Z') {
            continue; // "--all"
        }
        repeats = strstr(p, "…") != NULL;
        size_t k = strcspn(p, "]\xe2"); // up to "]" or "…"
        snprintf(last, sizeof last, "%.*s", (int)k, p);
        if (i++ == n) {
            snprintf(buf, len, "%s", last);
            found = true;
            break;
        }
    }
    if (!found && repeats && last[0]) {
        snprintf(buf, len, "%s", last);
        found = true;
    }
    free(copy);
    return found;
}

static const cli_opt *find_opt(const cli_cmd *c, const char *w)
{
    for (const cli_opt *o = c ? c->opts : NULL; o && o->name; o++) {
        if ((w[0] == '-' && w[1] == o->short_name && !w[2] && o->short_name) ||
            (strncmp(w, "--", 2) == 0 && strcmp(w + 2, o->name) == 0)) {
            return o;
        }
    }
    return NULL;
}

static void print_cmd_words(const char *group)
{
    enum { MAX_WORDS = 128 };
    const char *seen[MAX_WORDS];
    size_t seen_len[MAX_WORDS];
    int nseen = 0;
    for (const cli_cmd *const *t = cli_tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            const char *sp = strchr(c->name, ' ');
            if (group) {
                if (in_group(c, group)) {
                    printf("%s\n", sp + 1);
                }
                continue;
            }
            // a group word once
            size_t n = sp ? (size_t)(sp - c->name) : strlen(c->name);
            bool dup = false;
            for (int k = 0; k < nseen && !dup; k++) {
                dup = seen_len[k] == n && strncmp(seen[k], c->name, n) == 0;
            }
            if (!dup && nseen < MAX_WORDS) {
                seen[nseen] = c->name;
                seen_len[nseen++] = n;
                printf("%.*s\n", (int)n, c->name);
            }
        }
    }
}

/* What may come at the last of `words` (the words after "bansou", the last
 * one being completed): one word a line, or one of @eng, @theme, @file, @dir
 * for the shell to list itself. Global options are skipped. */
int cli_help_complete(int argc, char **argv)
{
    if (argc < 1) {
        return BS_OK;
    }
    int cur = argc - 1, i = 0;
    while (i < cur && argv[i][0] == '-') {
        i += strcmp(argv[i], "-C") == 0 || strcmp(argv[i], "--actor") == 0 ? 2 : 1;
    }
    if (i > cur) { // the value of -C or --actor
        puts(strcmp(argv[cur - 1], "-C") == 0 ? "@dir" : "");
        return BS_OK;
    }
    if (i == cur) {
        if (argv[cur][0] == '-') {
            for (const help_item *g = global_opts; g->left; g++) {
                char w[32];
                snprintf(w, sizeof w, "%s", g->left);
                for (char *p = strtok(w, ", "); p; p = strtok(NULL, ", ")) {
                    if (p[0] == '-') {
                        puts(p);
                    }
                }
            }
        } else {
            print_cmd_words(NULL);
        }
        return BS_OK;
    }
    if (cur - i == 1 && cli_is_group(argv[i])) {
        print_cmd_words(argv[i]);
        return BS_OK;
    }
    int used = 0;
    const cli_cmd *c = cli_find_cmd(cur - i, argv + i, &used);
    if (!c) {
        return BS_OK;
    }
    i += used;
    if (c->run == run_help) { // help COMMAND: the command words
        if (i == cur) {
            print_cmd_words(NULL);
        } else if (i + 1 == cur && cli_is_group(argv[i])) {
            print_cmd_words(argv[i]);
        }
        return BS_OK;
    }
    int npos = 0;
    for (; i < cur; i++) {
        const cli_opt *o = find_opt(c, argv[i]);
        if (o && o->arg) {
            if (i + 1 == cur) {
                const char *k = kind_of(c, o->arg);
                puts(k ? k : "");
                return BS_OK;
            }
            i++;
        } else if (argv[i][0] != '-' || !argv[i][1]) {
            npos++;
        }
    }
    if (argv[cur][0] == '-' && argv[cur][1]) {
        for (const cli_opt *o = c->opts; o && o->name; o++) {
            printf("--%s\n", o->name);
        }
        puts("--help");
        return BS_OK;
    }
    char meta[64];
    if (positional(c, npos, meta, sizeof meta)) {
        const char *k = kind_of(c, meta);
        if (k) {
            puts(k);
        }
    }
    return BS_OK;
}
