/* cli_int: what the cli_*.c files share. Not for other modules. */
#ifndef BS_CLI_INT_H
#define BS_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "i18n.h"
#include "session.h"
#include "value.h"

enum { CLI_MAX_OPTS = 24, CLI_MAX_POS = 16 };

/* One option of a command. */
typedef struct cli_opt {
    const char *name; /* without the leading "--" */
    const char *arg;  /* metavariable ("DATE"), or NULL for a flag */
    const char *help; /* one line */
    char short_name;  /* a one-letter alias ("-o"), or 0 */
} cli_opt;

typedef struct cli_ctx cli_ctx;
typedef struct cli_args cli_args;

/* One command. */
typedef struct cli_cmd {
    const char *name;    /* "company add" */
    const char *args;    /* positional arguments for the usage line */
    const char *summary; /* one line */
    const char *details; /* more help, or NULL */
    int min_pos, max_pos;
    bool workspace; /* needs an open workspace */
    const cli_opt *opts; /* NULL-terminated, or NULL */
    int (*run)(cli_ctx *ctx, const cli_args *a, bs_err *err);
} cli_cmd;

/* Parsed arguments. */
struct cli_args {
    const cli_cmd *cmd;
    const char *pos[CLI_MAX_POS]; /* borrowed from argv */
    int npos;
    const char *val[CLI_MAX_OPTS]; /* by option index; "" for a flag given */
};

/* What every command gets. */
struct cli_ctx {
    const char *ws_opt; /* -C DIR, or NULL */
    const char *actor;  /* who acts, for the event log */
    bs_session *s;      /* the session: the workspace for commands that need one */
};

/* The value of option `name`, or NULL when not given. */
const char *cli_opt_val(const cli_args *a, const char *name);
bool cli_flag(const cli_args *a, const char *name);

/* Parses a positive engagement id or visit number. */
int cli_parse_id(const char *s, const char *what, int64_t *out, bs_err *err);
/* Parses the visit number N (1 to 99). */
int cli_parse_visit(const char *s, int *out, bs_err *err);

/* An integer value in decimal, else `otherwise` (owned copy either way). */
char *cli_int_text(const bs_value *v, const char *otherwise);

/* The word shown in tables for an engagement's state ("matched",
 * "active", …) or a visit's ("planned"), in the language of the messages; an unknown state
 * as it is. Static or borrowed from `state`. */
const char *cli_engagement_state(const char *state);
const char *cli_visit_state(const char *state);

/* Prints `v` as JSON on stdout. */
void cli_print_json(const bs_value *v);

/* Text output. Every string a command prints that comes from the workspace,
 * a theme or a file goes through these or the printers below, which show
 * its control characters visibly (bs_visible: ESC as \x1b, a newline as
 * \x0a), so that a value can neither send the terminal a command nor forge
 * a line of a table or of the log. */
/* One line on standard output: `fmt` formatted, control characters made
 * visible, then a newline. `fmt` has no newline of its own. */
void cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same on standard error, after "bansou: ". */
void cli_err_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `s` on standard output, control characters made visible, no newline. */
void cli_puts(const char *s);
/* Prints rows (a list of lists of strings) under `headers`, aligned for
 * East Asian widths. */
void cli_print_table(const char *const *headers, const bs_value *rows);
/* The same table with no header line (rows of `ncol` strings). */
void cli_print_rows(int ncol, const bs_value *rows);
/* The columns output is shaped to: the terminal's width when standard output
 * is one, 0 (no limit) when it is not or after cli_set_wide (--wide). On a
 * terminal, lines and table cells longer than the width are broken onto
 * lines of their own; piped output is one line per line, as it always was. */
int cli_width(void);
void cli_set_wide(void);
/* `path` as shown: relative to the workspace when output goes to a terminal
 * and it lies inside, else as it is. Borrowed from `path`. */
const char *cli_shown_path(const cli_ctx *ctx, const char *path);
/* `iso` (2026-12-03T09:30:00+09:00) as a terminal shows it, to the minute
 * (2026-12-03 09:30); whole when the output is not a terminal. */
void cli_shown_time(const char *iso, char out[32]);
/* The length of the folder (up to its '/') that every relative path of
 * `paths` begins with; absolute paths and NULLs are left out. */
size_t cli_common_dir(const char *const *paths, size_t n);
/* `s` (made visible) printed from column `col` of the current line, broken
 * at `width` columns (0: not broken), continuations `indent` columns in;
 * then a newline. */
void cli_print_wrapped(const char *s, int col, int indent, int width);
/* Writes `s` padded with spaces to `width` display columns. */
void cli_print_padded(const char *s, int width);
/* "label: value" lines, labels padded to `width` columns. */
void cli_print_field(const char *label, const char *value, int width);

/* Prints "bansou: warning: W" on standard error for each string of a list. */
void cli_print_warnings(const bs_value *warnings);
/* Prints the `path` of every map of a list, one per line. */
void cli_print_paths(const bs_value *written);

/* The command tables of each part. */
extern const cli_cmd cli_company_cmds[];
extern const cli_cmd cli_theme_cmds[];
extern const cli_cmd cli_engage_cmds[];
extern const cli_cmd cli_render_cmds[];
extern const cli_cmd cli_sheet_cmds[];
extern const cli_cmd cli_docs_cmds[];
extern const cli_cmd cli_help_cmds[];
extern const cli_cmd cli_pdf_cmds[];
extern const cli_cmd cli_user_cmds[];
extern const cli_cmd cli_pool_cmds[];
extern const cli_cmd cli_apply_cmds[];
extern const cli_cmd cli_consult_cmds[];
extern const cli_cmd cli_programme_cmds[];

/* The pool's table of experts (pool_search's rows): id, name, regions,
 * themes, skill marks per menu, load, listed. */
void cli_print_experts(const bs_value *rows);
extern const cli_cmd cli_survey_cmds[];

/* --pdf (cli_pdf.c). With `rc` BS_OK and --pdf given, converts the
 * documents in `written` (maps with "path", recorded for engagement `eng`)
 * and appends the PDFs' maps to it; returns `rc` otherwise. */
int cli_pdf_after(cli_ctx *ctx, const cli_args *a, int64_t eng, int rc, bs_value *written,
                  bs_err *err);
/* With --pdf given, converts the file at `path` (outside the workspace's
 * record) and prints the PDF's path. */
int cli_pdf_files(const cli_args *a, const char *path, bs_err *err);
/* With --pdf given, converts the document at `path`, recorded for
 * engagement `eng`, records its PDF and gives its path in *pdf_out
 * (owned; NULL without --pdf). */
int cli_pdf_one(cli_ctx *ctx, const cli_args *a, int64_t eng, const char *path, char **pdf_out,
                bs_err *err);
/* --pdf in a command's options: CLI_PDF_OPT, its help in cli_pdf.c. */
extern const char cli_pdf_help[];
#define CLI_PDF_OPT {"pdf", NULL, cli_pdf_help, 0}
/* Every table, NULL-terminated, in the order --help lists them. */
extern const cli_cmd *const cli_tables[];

/* Help (cli_help.c). */
void cli_print_global_help(void);
void cli_print_cmd_help(const cli_cmd *c);
/* Prints the subcommands of the group word `word`; false when it is none. */
bool cli_group_help(const char *word);
/* True when `word` starts multi-word commands ("company"). */
bool cli_is_group(const char *word);
/* Finds the command named by argv[0] (and argv[1]); sets *used to the number
 * of words it took. */
const cli_cmd *cli_find_cmd(int argc, char **argv, int *used);
/* The manual page, in roff, from the tables and texts of the help. */
int cli_help_roff(void);
/* The words completion offers for the last of argv (the words after
 * "bansou"), one a line, or @eng, @theme, @file or @dir. */
int cli_help_complete(int argc, char **argv);

#endif
