#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_int.h"
#include "jsonv.h"
#include "util.h"

#ifndef BS_VERSION
#define BS_VERSION "0.1.0"
#endif

int cli_exit_status(int code)
{
    return code == BS_OK ? 0 : code == BS_EUSAGE ? 2 : 1;
}

static int run_init(cli_ctx *ctx, const cli_args *a, bs_err *err)
{
    (void)ctx;
    int rc = workspace_init(a->pos[0], err);
    if (rc == BS_OK) {
        printf("created workspace %s (bansou.db, out/)\n", a->pos[0]);
    }
    return rc;
}

static const cli_cmd base_cmds[] = {
    {"init", "DIR", "create a workspace: DIR/bansou.db and DIR/out/",
     "The directory is created if needed; the database and out/ are readable by the\n"
     "owner only. Other commands find the workspace with -C DIR, then $BANSOU_DIR,\n"
     "then the current directory.",
     1, 1, false, NULL, run_init},
    {NULL, NULL, NULL, NULL, 0, 0, false, NULL, NULL},
};

static const cli_cmd *const tables[] = {base_cmds, cli_company_cmds, cli_engage_cmds,
                                        cli_theme_cmds, NULL};

static const char global_help[] =
    "bansou: theme-based security management guidance for SMEs\n"
    "\n"
    "usage: bansou [-C DIR] [--actor NAME] COMMAND [ARGS…]\n"
    "       bansou COMMAND --help\n"
    "\n"
    "global options:\n"
    "  -C DIR          use the workspace in DIR (else $BANSOU_DIR, else .)\n"
    "  --actor NAME    who acts, for the event log (else $BANSOU_ACTOR, else $USER)\n"
    "  --help          this help\n"
    "  --version       print the version\n"
    "\n"
    "exit status: 0 success, 1 failed or invalid input, 2 usage error\n"
    "\n"
    "commands:\n";

static void print_global_help(void)
{
    fputs(global_help, stdout);
    for (const cli_cmd *const *t = tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            char left[64];
            snprintf(left, sizeof left, "%s %s", c->name, c->args ? c->args : "");
            printf("  %-34s %s\n", left, c->summary);
        }
    }
}

static void print_cmd_help(const cli_cmd *c)
{
    printf("usage: bansou %s %s%s\n\n%s\n", c->name, c->args ? c->args : "",
           c->opts ? " [OPTIONS]" : "", c->summary);
    if (c->details) {
        printf("\n%s\n", c->details);
    }
    printf("\noptions:\n");
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        printf("  %-24s %s\n", left, o->help);
    }
    printf("  %-24s %s\n", "--help", "this help");
    printf("\nexit status: 0 success, 1 failed or invalid input, 2 usage error\n");
}

/* Finds the command named by argv[0] (and argv[1]); sets *used to the number
 * of words it took. */
static const cli_cmd *find_cmd(int argc, char **argv, int *used)
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
        for (const cli_cmd *const *t = tables; *t; t++) {
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

/* The sub-commands of a group word ("company" → add, list…), for help. */
static bool group_help(const char *word)
{
    bool any = false;
    size_t n = strlen(word);
    for (const cli_cmd *const *t = tables; *t; t++) {
        for (const cli_cmd *c = *t; c->name; c++) {
            if (strncmp(c->name, word, n) == 0 && c->name[n] == ' ') {
                if (!any) {
                    printf("usage: bansou %s SUBCOMMAND …\n\nsubcommands:\n", word);
                }
                char left[64];
                snprintf(left, sizeof left, "%s %s", c->name, c->args ? c->args : "");
                printf("  %-34s %s\n", left, c->summary);
                any = true;
            }
        }
    }
    if (any) {
        printf("\nrun 'bansou %s SUBCOMMAND --help' for its options\n", word);
    }
    return any;
}

static int parse_args(const cli_cmd *c, int argc, char **argv, cli_args *a, bool *help,
                      bs_err *err)
{
    *a = (cli_args){.cmd = c};
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (!only_pos && strcmp(s, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (!only_pos && strcmp(s, "--help") == 0) {
            *help = true;
            return BS_OK;
        }
        if (!only_pos && strncmp(s, "--", 2) == 0) {
            const char *name = s + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int idx = -1;
            for (int k = 0; c->opts && c->opts[k].name; k++) {
                if (strlen(c->opts[k].name) == len && strncmp(c->opts[k].name, name, len) == 0) {
                    idx = k;
                }
            }
            if (idx < 0) {
                return bs_err_set(err, BS_EUSAGE, "%s: unknown option '--%.*s'", c->name,
                                  (int)len, name);
            }
            const cli_opt *o = &c->opts[idx];
            if (!o->arg) {
                if (eq) {
                    return bs_err_set(err, BS_EUSAGE, "%s: --%s takes no value", c->name,
                                      o->name);
                }
                a->val[idx] = "";
            } else if (eq) {
                a->val[idx] = eq + 1;
            } else if (i + 1 < argc) {
                a->val[idx] = argv[++i];
            } else {
                return bs_err_set(err, BS_EUSAGE, "%s: --%s needs a value (%s)", c->name,
                                  o->name, o->arg);
            }
            continue;
        }
        if (a->npos == CLI_MAX_POS || a->npos == c->max_pos) {
            return bs_err_set(err, BS_EUSAGE, "%s: unexpected argument '%s'", c->name, s);
        }
        a->pos[a->npos++] = s;
    }
    if (a->npos < c->min_pos) {
        return bs_err_set(err, BS_EUSAGE, "%s: missing arguments: bansou %s %s", c->name,
                          c->name, c->args);
    }
    return BS_OK;
}

const char *cli_opt_val(const cli_args *a, const char *name)
{
    for (int k = 0; a->cmd->opts && a->cmd->opts[k].name; k++) {
        if (strcmp(a->cmd->opts[k].name, name) == 0) {
            return a->val[k];
        }
    }
    return NULL;
}

bool cli_flag(const cli_args *a, const char *name)
{
    return cli_opt_val(a, name) != NULL;
}

int cli_parse_id(const char *s, const char *what, int64_t *out, bs_err *err)
{
    int64_t v;
    if (!bs_parse_int(s, &v) || v < 1 || v > 1000000000) {
        return bs_err_set(err, BS_EINPUT, "%s: '%s' is not a positive number", what, s);
    }
    *out = v;
    return BS_OK;
}

void cli_print_json(const bs_value *v)
{
    char *s = jsonv_dump(v);
    fputs(s, stdout);
    free(s);
}

static void pad(int cols)
{
    for (int i = 0; i < cols; i++) {
        putchar(' ');
    }
}

void cli_print_table(const char *const *headers, const bs_value *rows)
{
    int ncol = 0;
    while (headers[ncol]) {
        ncol++;
    }
    int *w = xcalloc((size_t)ncol, sizeof *w);
    for (int c = 0; c < ncol; c++) {
        w[c] = bs_utf8_width(headers[c]);
    }
    for (size_t r = 0; r < value_len(rows); r++) {
        for (int c = 0; c < ncol; c++) {
            const char *s = value_as_str(value_at(value_at(rows, r), (size_t)c));
            int cw = s ? bs_utf8_width(s) : 0;
            if (cw > w[c]) {
                w[c] = cw;
            }
        }
    }
    for (int c = 0; c < ncol; c++) {
        fputs(headers[c], stdout);
        if (c + 1 < ncol) {
            pad(w[c] - bs_utf8_width(headers[c]) + 2);
        }
    }
    putchar('\n');
    for (size_t r = 0; r < value_len(rows); r++) {
        for (int c = 0; c < ncol; c++) {
            const char *s = value_as_str(value_at(value_at(rows, r), (size_t)c));
            s = s ? s : "";
            fputs(s, stdout);
            if (c + 1 < ncol) {
                pad(w[c] - bs_utf8_width(s) + 2);
            }
        }
        putchar('\n');
    }
    free(w);
}

void cli_print_field(const char *label, const char *value, int width)
{
    fputs(label, stdout);
    pad(width - bs_utf8_width(label));
    printf(" %s\n", value && *value ? value : "-");
}

int cli_theme_load(cli_ctx *ctx, const char *id, bs_theme **out, bs_err *err)
{
    return theme_load(id, &ctx->tp, out, err);
}

static const char *default_actor(void)
{
    const char *a = getenv("BANSOU_ACTOR");
    if (a && *a) {
        return a;
    }
    a = getenv("USER");
    return a && *a ? a : "unknown";
}

int cli_run(int argc, char **argv, bs_err *err)
{
    cli_ctx ctx = {.actor = default_actor()};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
            ctx.ws_opt = argv[++i];
        } else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
            ctx.ws_opt = argv[i] + 2;
        } else if (strcmp(argv[i], "--actor") == 0 && i + 1 < argc) {
            ctx.actor = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_global_help();
            return BS_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("bansou %s\n", BS_VERSION);
            return BS_OK;
        } else {
            return bs_err_set(err, BS_EUSAGE, "unknown global option '%s' (see 'bansou --help')",
                              argv[i]);
        }
    }
    if (i == argc) {
        print_global_help();
        return bs_err_set(err, BS_EUSAGE, "no command given");
    }
    if (!*ctx.actor) {
        return bs_err_set(err, BS_EUSAGE, "--actor: empty name");
    }
    int used = 0;
    const cli_cmd *c = find_cmd(argc - i, argv + i, &used);
    if (!c) {
        if (i + 1 < argc && strcmp(argv[i + 1], "--help") == 0 && group_help(argv[i])) {
            return BS_OK;
        }
        if (i + 1 == argc && group_help(argv[i])) {
            return bs_err_set(err, BS_EUSAGE, "%s: which subcommand?", argv[i]);
        }
        return bs_err_set(err, BS_EUSAGE, "unknown command '%s' (see 'bansou --help')", argv[i]);
    }
    cli_args a;
    bool help = false;
    int rc = parse_args(c, argc - i - used, argv + i + used, &a, &help, err);
    if (rc != BS_OK) {
        return rc;
    }
    if (help) {
        print_cmd_help(c);
        return BS_OK;
    }
    char *dir = NULL;
    if (c->workspace) {
        rc = workspace_find(ctx.ws_opt, &dir, err);
        if (rc == BS_OK) {
            rc = workspace_open(dir, &ctx.ws, err);
        }
    } else if (workspace_find(ctx.ws_opt, &dir, &(bs_err){0}) != BS_OK) {
        dir = NULL; // themes may be used without a workspace
    }
    if (rc == BS_OK) {
        workspace_theme_path(dir, &ctx.tp, &ctx.tps);
        rc = c->run(&ctx, &a, err);
        workspace_path_free(&ctx.tps);
    }
    if (fflush(stdout) != 0 && rc == BS_OK) {
        rc = bs_err_set(err, BS_EIO, "cannot write the output");
    }
    workspace_close(ctx.ws);
    free(dir);
    return rc;
}
