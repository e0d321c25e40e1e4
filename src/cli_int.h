/* cli_int: what the cli_*.c files share. Not for other modules. */
#ifndef BS_CLI_INT_H
#define BS_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "theme.h"
#include "value.h"
#include "workspace.h"

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
    const char *ws_opt;  /* -C DIR, or NULL */
    const char *actor;   /* who acts, for the event log */
    bs_ws *ws;           /* the open workspace for commands that need one */
    bs_theme_path tp;    /* the theme search path */
    bs_path_store tps;   /* storage behind tp */
};

/* The value of option `name`, or NULL when not given. */
const char *cli_opt_val(const cli_args *a, const char *name);
bool cli_flag(const cli_args *a, const char *name);

/* Parses a positive engagement id or visit number. */
int cli_parse_id(const char *s, const char *what, int64_t *out, bs_err *err);

/* Prints `v` as JSON on stdout. */
void cli_print_json(const bs_value *v);
/* Prints rows (a list of lists of strings) under `headers`, aligned for
 * East Asian widths. */
void cli_print_table(const char *const *headers, const bs_value *rows);
/* Writes `s` padded with spaces to `width` display columns. */
void cli_print_padded(const char *s, int width);
/* "label: value" lines, labels padded to `width` columns. */
void cli_print_field(const char *label, const char *value, int width);

/* Loads the theme of `id`; its model via theme_model. */
int cli_theme_load(cli_ctx *ctx, const char *id, bs_theme **out, bs_err *err);

/* An engagement with its theme and the context Lua sees
 * (docs/worksheet-format.md, docs/documents.md). */
typedef struct cli_job {
    int64_t eng;
    bs_value *e;   /* owned: the engagement */
    bs_theme *th;  /* owned: its theme */
    bs_value *ctx; /* owned: the context specs and documents see */
} cli_job;

int cli_job_open(cli_ctx *ctx, const char *eng, cli_job *j, bs_err *err);
void cli_job_free(cli_job *j);
/* The worksheet `id` of the job's theme, checked; its 1-based index. */
int cli_job_spec(cli_job *j, const char *id, const bs_value **spec_out, size_t *index_out,
                 bs_err *err);
/* The rows a worksheet is written with (owned). */
int cli_sheet_rows(cli_job *j, const bs_value *spec, size_t index, bool blank, bs_value **out,
                   bs_err *err);
/* Runs the Lua `compute` of computed columns over rows, in place. */
int cli_compute_columns(cli_job *j, const bs_value *spec, size_t index, bs_value *rows,
                        bs_err *err);
/* WORKSPACE/out/<company>/<theme>[/SUB] created; owned. */
/* Writes the workbook of worksheet `spec` (with every sheet of its book) to
 * `path`; the number of rows of its first sheet in *rows_out unless NULL. */
int cli_write_book(cli_job *j, const bs_value *spec, bool blank, const char *path,
                   size_t *rows_out, bs_err *err);
char *cli_out_dir(cli_ctx *ctx, cli_job *j, const char *sub, bs_err *err);

/* The command tables of each part. */
extern const cli_cmd cli_company_cmds[];
extern const cli_cmd cli_theme_cmds[];
extern const cli_cmd cli_engage_cmds[];
extern const cli_cmd cli_render_cmds[];
extern const cli_cmd cli_sheet_cmds[];
extern const cli_cmd cli_docs_cmds[];

#endif
