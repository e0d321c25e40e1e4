/* theme: theme scripts in a sandboxed Lua 5.4. The only module that sees Lua.
 *
 * A script is loaded into a fresh lua_State with a counting allocator, an
 * instruction and time budget, an allow-listed set of libraries and a strict
 * global table (docs/theme-format.md). What it returns is converted to a
 * value tree, the "model"; functions in it stay in Lua and are reached
 * through theme_call. Nothing Lua passes this header. */
#ifndef BS_THEME_H
#define BS_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"
#include "value.h"

typedef struct bs_theme bs_theme;

/* Budgets of one load or call. */
typedef struct bs_budget {
    size_t memory;       /* bytes the Lua state may hold */
    long long steps;     /* VM instructions per load or call */
    double seconds;      /* wall-clock seconds per load or call */
} bs_budget;

/* The defaults: 64 MiB, 2·10⁸ instructions, 5 s. */
bs_budget theme_default_budget(void);

/* The directories searched for themes, first match wins. Each holds a
 * folder per theme, `<id>/theme.lua` with the modules only that theme uses,
 * and `lib/` with the modules several themes share. `require "m"` in theme
 * `id` finds `<dir>/<id>/m.lua` on any directory of the path first, then
 * `<dir>/lib/m.lua`; so a workspace may replace one module of a theme. */
typedef struct bs_theme_path {
    const char *dirs[4]; /* borrowed */
    int n;
} bs_theme_path;

/* Loads the script at `path` and converts what it returns into the model.
 * `budget` may be NULL for the defaults. The returned object is owned. */
int theme_load_script(const char *path, const bs_theme_path *tp, const bs_budget *budget,
                      bs_theme **out, bs_err *err);

/* Loads and validates theme `id` from the search path; an invalid theme is
 * BS_ESCRIPT with its first problem (and how many there are). */
int theme_load(const char *id, const bs_theme_path *tp, bs_theme **out, bs_err *err);

/* Loads lib/<name>.lua from the search path (e.g. "profile"). */
int theme_load_lib(const char *name, const bs_theme_path *tp, bs_theme **out, bs_err *err);

/* Validates the structure of a theme script at `path` and returns every
 * problem as a list of "file:line: path: message" strings (empty when the
 * theme is valid). A script that does not run is one problem. */
int theme_check_file(const char *path, const bs_theme_path *tp, bs_value **problems_out,
                     bs_err *err);

/* The model (lent; valid until theme_free). */
const bs_value *theme_model(const bs_theme *th);
/* The file the theme came from (lent). */
const char *theme_path(const bs_theme *th);

/* Calls the function at key `fn` of the returned table (a dotted path such as
 * "worksheets.1.rows" reaches into nested tables, numbers indexing lists) with a copy of `arg`
 * (may be NULL) and converts its first result into a new value (owned, in
 * *out). Budgets apply afresh to every call. */
int theme_call(bs_theme *th, const char *fn, const bs_value *arg, bs_value **out, bs_err *err);

/* Fields of a call's argument map that are made only if the script reads
 * them: the first read of a key in `keys` (NULL-terminated) that the map
 * does not hold calls `fetch(ud, key, err)`, which must add it to the map
 * (it may add others of `keys` too). `pairs` over the argument fetches them
 * all. For data that is costly to read and that most calls never look at. */
typedef int (*theme_fetch_fn)(void *ud, const char *key, bs_err *err);
typedef struct theme_deferred {
    const char *const *keys; /* lent */
    theme_fetch_fn fetch;
    void *ud;
} theme_deferred;

/* theme_call with deferred fields (`d` may be NULL: none). */
int theme_call_deferred(bs_theme *th, const char *fn, const bs_value *arg,
                        const theme_deferred *d, bs_value **out, bs_err *err);

/* True when the dotted path (as for theme_call) leads to a function. */
bool theme_has_function(bs_theme *th, const char *path);

void theme_free(bs_theme *th);

/* Compiles the script text (`len` bytes; `name` names it in messages) to
 * Lua bytecode with its debug information, appended to `out`: what a build
 * embeds for the scripts it ships (embedded.h). Nothing runs. */
int theme_compile(const char *text, size_t len, const char *name, bs_buf *out, bs_err *err);

/* Finds `<id>/theme.lua` on the path: the full path (owned) or NULL. */
char *theme_find(const char *id, const bs_theme_path *tp);

/* Every theme id on the path (a sorted list of strings, owned). */
bs_value *theme_ids(const bs_theme_path *tp);

#endif
