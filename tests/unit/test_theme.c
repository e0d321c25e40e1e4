/* Unit tests: the Lua sandbox, budgets, the value conversion and the theme
 * checker. Scripts are written to a temporary directory by each test. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "model.h"
#include "theme.h"
#include "theme_int.h"
#include "util.h"

static char dir[64];
static char libdir[80];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/bansou-theme-XXXXXX");
    if (!mkdtemp(dir)) {
        return -1;
    }
    snprintf(libdir, sizeof libdir, "%s/lib", dir);
    return mkdir(libdir, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

/* Writes `text` to dir/name and returns the path (owned). */
static char *script(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700); // a theme's folder (dir itself exists)
    *slash = '/';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static bs_theme_path path_here(void)
{
    bs_theme_path tp = {.n = 1};
    tp.dirs[0] = dir;
    return tp;
}

/* Small budgets keep the runaway tests quick. */
static const bs_budget small = {.memory = 8u << 20, .steps = 5000000, .seconds = 5.0};

/* Loads `text` as a script and expects failure whose message contains
 * `want`; returns nothing, asserts. */
static void expect_fail(const char *text, const char *want)
{
    char *p = script("t.lua", text);
    bs_theme_path tp = path_here();
    bs_theme *th = NULL;
    bs_err e = {0};
    int rc = theme_load_script(p, &tp, &small, &th, &e);
    if (rc == BS_OK || !strstr(e.msg, want)) {
        fail_msg("script %s\nexpected failure containing '%s', got rc=%d msg='%s'", text, want,
                 rc, e.msg);
    }
    assert_null(th);
    assert_int_equal(e.code, BS_ESCRIPT);
    free(p);
}

static void test_forbidden_capabilities(void **state)
{
    (void)state;
    expect_fail("return io.open('/etc/passwd')", "t.lua:1: read of undeclared global 'io'");
    expect_fail("return os.execute('true')", "t.lua:1: attempt to call a nil value (field 'execute')");
    expect_fail("return os.getenv('HOME')", "attempt to call a nil value (field 'getenv')");
    expect_fail("return os.remove('/tmp/x')", "attempt to call a nil value (field 'remove')");
    expect_fail("return load('return 1')", "read of undeclared global 'load'");
    expect_fail("return loadfile('/etc/passwd')", "read of undeclared global 'loadfile'");
    expect_fail("return dofile('/etc/passwd')", "read of undeclared global 'dofile'");
    expect_fail("return package.loadlib('x', 'y')", "read of undeclared global 'package'");
    expect_fail("return debug.getinfo(1)", "read of undeclared global 'debug'");
    expect_fail("return string.dump(function() end)", "attempt to call a nil value (field 'dump')");
    expect_fail("return require 'os'", "require: no module 'os' in lib/");
    expect_fail("return require '../../etc/passwd'", "require: bad module name");
    expect_fail("print('x')", "read of undeclared global 'print'");
    expect_fail("\x1bLua\x54\x00", "attempt to load a binary chunk");
}

static void test_binary_chunk_in_lib_refused(void **state)
{
    (void)state;
    char *lib = script("lib/bin.lua", "\x1bLuaT\x00\x19\x93\r\n\x1a\n");
    expect_fail("return require 'bin'", "attempt to load a binary chunk (mode is 't')");
    free(lib);
}

static void test_strict_globals(void **state)
{
    (void)state;
    expect_fail("\n\nx = 1\nreturn {}", "t.lua:3: assignment to undeclared global 'x'");
    expect_fail("local t = {}\nreturn {n = undefined_name}", "t.lua:2: read of undeclared global 'undefined_name'");
    expect_fail("local a = 1\nerror('boom')", "t.lua:2: boom");
    // An error object that is not a string is named with the line that raised it.
    expect_fail("local t = {}\nerror(t)", "t.lua:2: (error object is a table value)");
    expect_fail("error(setmetatable({}, {__tostring = function() return 'mine' end}))",
                "t.lua:1: mine");
    expect_fail("return {", "t.lua:1: unexpected symbol near <eof>");
}

static void test_instruction_budget(void **state)
{
    (void)state;
    expect_fail("while true do end", "t.lua:1: instruction budget exceeded");
    // The script's own pcall cannot swallow the budget error and go on.
    expect_fail("while true do pcall(function() while true do end end) end",
                "instruction budget exceeded");
    expect_fail("local function f() return pcall(f) end\nwhile true do f() end",
                "instruction budget exceeded");
}

static void test_memory_budget(void **state)
{
    (void)state;
    expect_fail("local t = {}\nfor i = 1, 1e9 do t[i] = i end", "memory budget of 8 MiB exceeded");
    expect_fail("return string.rep('x', 1e9)", "memory budget of 8 MiB exceeded");
    expect_fail("return string.rep('x', 1e10)", "t.lua:1: resulting string too large");
    // Refused allocations caught by pcall still leave the script unable to grow.
    expect_fail("local t = {}\nwhile true do pcall(function() t[#t + 1] = string.rep('y', 1e5) end) end",
                "exceeded");
}

static void test_finalisers_refused(void **state)
{
    (void)state;
    // Lua runs __gc with hooks off: no budget could stop a looping finaliser.
    expect_fail("setmetatable({}, {__gc = function() while true do end end})\nreturn {}",
                "t.lua:1: setmetatable: __gc finalisers are not allowed in themes");
    char *p = script("t.lua", "local mt = {}\nlocal t = setmetatable({}, mt)\n"
                              "mt.__gc = function() while true do end end\n"
                              "return {ok = getmetatable(t) == mt}");
    bs_theme_path tp = path_here();
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load_script(p, &tp, &small, &th, &e), BS_OK);
    assert_true(value_as_bool(value_get(theme_model(th), "ok")));
    theme_free(th); // a __gc added later marks nothing: close returns
    free(p);
}

static void test_conversion(void **state)
{
    (void)state;
    char *p = script("t.lua", "return { s = 'é', i = 3, f = 1.5, b = false, l = {1, 'two'},\n"
                              "  e = {}, fn = function() return 1 end }");
    bs_theme_path tp = path_here();
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load_script(p, &tp, &small, &th, &e), BS_OK);
    const bs_value *m = theme_model(th);
    assert_string_equal(value_get_str(m, "s"), "é");
    assert_int_equal(value_type(value_get(m, "i")), BS_VINT);
    assert_int_equal(value_type(value_get(m, "f")), BS_VNUM);
    assert_int_equal(value_type(value_get(m, "b")), BS_VBOOL);
    assert_int_equal(value_type(value_get(m, "l")), BS_VLIST);
    assert_int_equal(value_type(value_get(m, "e")), BS_VLIST);
    assert_null(value_get(m, "fn")); // a hook, not data
    assert_string_equal(value_key_at(m, 0), "b"); // keys sorted
    bs_value *out = NULL;
    assert_int_equal(theme_call(th, "fn", NULL, &out, &e), BS_OK);
    assert_int_equal(value_as_int(out), 1);
    value_free(out);
    assert_int_equal(theme_call(th, "nothing", NULL, &out, &e), BS_ESCRIPT);
    assert_non_null(strstr(e.msg, "no function 'nothing'"));
    theme_free(th);
    free(p);

    // Each names the file and a line: of the nearest table a constructor
    // made, else where the script returns.
    expect_fail("local t = {}\nt.self = t\nreturn t", "t.lua:3: self: table contains itself");
    expect_fail("return {a = {1, 2, x = 3}}", "t.lua:1: a: table mixes list items and named fields");
    expect_fail("return {list = {1, function() end}}", "t.lua:1: list[2]: expected data, got function");
    expect_fail("return {bad = '\\xff'}", "t.lua:1: bad: string is not valid UTF-8");
    expect_fail("return {n = 0/0}", "t.lua:1: n: not a finite number");
    expect_fail("local t = theme {\n  id = 'x',\n  steps = { step {\n    n = 1/0 } } }\n"
                "return t", "t.lua:3: steps[1].n: not a finite number");
    expect_fail("local t = theme { id = 'x', steps = {} }\nt.steps[1] = { back = t }\n\nreturn t",
                "t.lua:1: steps[1].back: table contains itself");
    expect_fail("local t = {}\nlocal c = t\nfor i = 1, 100 do c.x = {}; c = c.x end\nreturn t",
                "nested too deeply");
    expect_fail("return 42", "the script must return a table (got number)");
}

static void test_call_passes_values(void **state)
{
    (void)state;
    char *p = script("t.lua", "local M = {}\n"
                              "function M.twice(a) return { n = a.n * 2, name = a.name .. '様' } end\n"
                              "function M.loop() while true do end end\n"
                              "function M.bad()\n  return { rows = { { x = 0/0 } } }\nend\n"
                              "return M");
    bs_theme_path tp = path_here();
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load_script(p, &tp, &small, &th, &e), BS_OK);
    bs_value *arg = value_map();
    value_set_int(arg, "n", 21);
    value_set_str(arg, "name", "山田");
    bs_value *out = NULL;
    assert_int_equal(theme_call(th, "twice", arg, &out, &e), BS_OK);
    assert_int_equal(value_as_int(value_get(out, "n")), 42);
    assert_string_equal(value_get_str(out, "name"), "山田様");
    value_free(out);
    // What a function returns that is not data: the line it is defined at.
    assert_int_equal(theme_call(th, "bad", NULL, &out, &e), BS_ESCRIPT);
    char *want = xasprintf("bad: %s:4: rows[1].x: not a finite number", p);
    assert_string_equal(e.msg, want);
    free(want);
    bs_err_clear(&e);
    // Budgets apply afresh to every call; a runaway call fails, the next works.
    assert_int_equal(theme_call(th, "loop", NULL, &out, &e), BS_ESCRIPT);
    assert_non_null(strstr(e.msg, "instruction budget exceeded"));
    bs_err_clear(&e);
    assert_int_equal(theme_call(th, "twice", arg, &out, &e), BS_OK);
    value_free(out);
    value_free(arg);
    theme_free(th);
    free(p);
}

static const char good_theme[] =
    "local lib = require 'helpers'\n"                       // 1
    "return theme {\n"                                      // 2
    "  id = 't', number = 9, title = 'T', audience = 'A', effect = 'E',\n"
    "  goals = { 'g1' },\n"                                 // 4
    "  steps = {\n"                                         // 5
    "    step {\n"                                          // 6
    "      title = 'S1',\n"                                 // 7
    "      prep = { item { id = 'a', company = 'c' } },\n"  // 8
    "      onsite = { lib.common('b') },\n"                 // 9
    "    },\n"
    "  },\n"
    "}\n";

static void test_lines_and_model_access(void **state)
{
    (void)state;
    char *lib = script("lib/helpers.lua", "local M = {}\n"
                                          "function M.common(id)\n"
                                          "  return item { id = id, expert = 'x', minutes = 10 }\n"
                                          "end\n"
                                          "return M\n");
    char *p = script("t/theme.lua", good_theme);
    bs_theme_path tp = path_here();
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load("t", &tp, &th, &e), BS_OK);
    const bs_value *m = theme_model(th);
    assert_int_equal(value_line(m), 2);
    assert_int_equal(value_line(model_step(m, 1)), 6);
    assert_int_equal(value_line(model_step_item(m, 1, "a")), 8);
    // Built in the library, reported at the theme line that called it.
    assert_int_equal(value_line(model_step_item(m, 1, "b")), 9);
    assert_null(model_step_item(m, 1, "zz"));
    assert_null(model_step(m, 2));
    assert_int_equal(model_visits(m), 1);
    theme_free(th);
    free(p);
    free(lib);
}

static void test_check_reports_every_problem(void **state)
{
    (void)state;
    char *p = script("t/theme.lua", "return theme {\n"                         // 1
                              "  id = 'other', number = 'one', title = 'T',\n" // 2
                              "  audience = 'A', effect = 'E', colour = 1,\n"  // 3
                              "  goals = { 'g1', 'g2' },\n"                    // 4
                              "  steps = {\n"                                  // 5
                              "    step { title = 'S1',\n"                     // 6
                              "      prep = { item { id = 'a', company = 'c' } },\n"  // 7
                              "      onsite = {} },\n"                         // 8
                              "    step { title = 'S2',\n"                     // 9
                              "      prep = { item { id = 'a', expert = 'x' } },\n"  // 10
                              "      onsite = { item { id = 'B', minutes = 0 } } },\n" // 11
                              "    step { prep = { item { id = 'c', company = 'c' } },\n" // 12
                              "      onsite = { item { id = 'd', company = 1 } } },\n"  // 13
                              "  },\n"
                              "}\n");
    bs_theme_path tp = path_here();
    bs_value *probs = NULL;
    bs_err e = {0};
    assert_int_equal(theme_check_file(p, &tp, &probs, &e), BS_OK);
    char *expect[] = {
        xasprintf("%s:1: unknown field 'colour'", p),
        xasprintf("%s:1: id: 'other' does not match the folder name 't'", p),
        xasprintf("%s:1: number: expected an integer from 1 to 99", p),
        xasprintf("%s:1: goals: 2 goals for 3 visits", p),
        xasprintf("%s:6: steps[1].onsite: a step needs at least one item", p),
        xasprintf("%s:10: steps[2].prep[1]: duplicate id 'a' (first at line 7)", p),
        xasprintf("%s:11: steps[2].onsite[1]: id 'B' must be lower-case letters, digits, '.', '_', '-'", p),
        xasprintf("%s:11: steps[2].onsite[1]: needs 'company' or 'expert' (who does what)", p),
        xasprintf("%s:11: steps[2].onsite[1]: minutes: expected an integer from 1 to 600", p),
        xasprintf("%s:12: steps[3].title: missing", p),
        xasprintf("%s:13: steps[3].onsite[1].company: expected string, got integer", p),
    };
    size_t n = sizeof expect / sizeof *expect;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < value_len(probs); k++) {
            found = found || strcmp(value_as_str(value_at(probs, k)), expect[i]) == 0;
        }
        if (!found) {
            for (size_t k = 0; k < value_len(probs); k++) {
                print_message("got: %s\n", value_as_str(value_at(probs, k)));
            }
            fail_msg("missing problem: %s", expect[i]);
        }
        free(expect[i]);
    }
    assert_int_equal(value_len(probs), n);
    value_free(probs);

    // theme_load refuses an invalid theme with its first problem.
    bs_theme *th = NULL;
    assert_int_equal(theme_load("t", &tp, &th, &e), BS_ESCRIPT);
    assert_null(th);
    assert_non_null(strstr(e.msg, "(and more: run 'bansou theme check')"));
    free(p);
}

static void test_repository_themes_are_valid(void **state)
{
    (void)state;
    const char *env = getenv("BANSOU_THEMES");
    bs_theme_path tp = {.n = 1};
    tp.dirs[0] = env ? env : "themes";
    bs_value *ids = theme_ids(&tp);
    assert_int_equal(value_len(ids), 5);
    for (size_t i = 0; i < value_len(ids); i++) {
        char *p = theme_find(value_as_str(value_at(ids, i)), &tp);
        bs_value *probs = NULL;
        bs_err e = {0};
        assert_int_equal(theme_check_file(p, &tp, &probs, &e), BS_OK);
        if (value_len(probs) > 0) {
            fail_msg("%s", value_as_str(value_at(probs, 0)));
        }
        bs_theme *th = NULL;
        assert_int_equal(theme_load(value_as_str(value_at(ids, i)), &tp, &th, &e), BS_OK);
        assert_int_equal(model_visits(theme_model(th)), 3);
        assert_int_equal(value_len(value_get(theme_model(th), "goals")), 3);
        theme_free(th);
        value_free(probs);
        free(p);
    }
    value_free(ids);
    bs_theme *th = NULL;
    bs_err e = {0};
    assert_int_equal(theme_load("nosuch", &tp, &th, &e), BS_ENOTFOUND);
    assert_string_equal(e.msg, "no theme 'nosuch' (known: assets, cloud, incident, policy, training)");
    bs_err_clear(&e);
    assert_int_equal(theme_load("../etc/x", &tp, &th, &e), BS_ENOTFOUND);
}

/* --- the library functions of the sandbox (theme_lib.c) ------------------ */

static long long charged;     /* steps charged by the functions under test */
static long long charge_limit; /* raise past this many, or 0 */

static int test_charge(lua_State *L)
{
    charged += lua_tointeger(L, 1);
    if (charge_limit && charged > charge_limit) {
        return luaL_error(L, "over budget: %s", lua_tostring(L, 2));
    }
    return 0;
}

/* A state with the stock string and table libraries, kept as find0, match0,
 * gmatch0, gsub0, rep0, then replaced by theme_lib_open. */
static lua_State *lib_state(void)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    lua_settop(L, 0);
    static const char *const names[] = {"find", "match", "gmatch", "gsub", "rep", NULL};
    lua_getglobal(L, LUA_STRLIBNAME);
    for (const char *const *n = names; *n; n++) {
        lua_getfield(L, -1, *n);
        char g[16];
        snprintf(g, sizeof g, "%s0", *n);
        lua_setglobal(L, g);
    }
    lua_pop(L, 1);
    theme_lib_open(L, test_charge);
    charged = 0;
    charge_limit = 0;
    return L;
}

/* Runs `code` in L; it returns nil, or a string saying what differs. */
static void run_lua_check(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    if (!lua_isnil(L, -1)) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_settop(L, 0);
}

/* What the comparisons share: each function called through pcall with the
 * same arguments, its results (or error) written out; the stock function
 * is named after the global that holds it here. */
static const char compare_lua[] =
    "local function show(ok, ...)\n"
    "  local t = {tostring(ok)}\n"
    "  for i = 1, select('#', ...) do t[#t + 1] = string.format('%q', (select(i, ...))) end\n"
    "  return table.concat(t, ' ')\n"
    "end\n"
    "local function all(g, s, p, init)\n"
    "  local out = {}\n"
    "  local ok, e = pcall(function()\n"
    "    for a, b, c in g(s, p, init) do\n"
    "      out[#out + 1] = show(true, a, b, c)\n"
    "      if #out > 40 then break end\n"
    "    end\n"
    "  end)\n"
    "  return (ok and '' or e) .. table.concat(out, '; ')\n"
    "end\n"
    "function same(what, s, p, ...)\n"
    "  local a, b\n"
    "  if what == 'gmatch' then\n"
    "    a, b = all(gmatch0, s, p, ...), all(string.gmatch, s, p, ...)\n"
    "  else\n"
    "    a = gsub0(show(pcall(_G[what .. '0'], s, p, ...)), \"'(%a+)0'\", \"'string.%1'\")\n"
    "    b = show(pcall(string[what], s, p, ...))\n"
    "  end\n"
    "  if a ~= b then\n"
    "    error(string.format('%s(%q, %q, ...):\\n  stock %s\\n  ours  %s', what, s, p, a, b), 0)\n"
    "  end\n"
    "end\n";

static void test_patterns_as_stock(void **state)
{
    (void)state;
    lua_State *L = lib_state();
    run_lua_check(L, compare_lua);
    // Known cases: every kind of item, anchors, captures, empty matches.
    run_lua_check(L,
        "local cases = {\n"
        "  {'hello world', 'o'}, {'hello world', 'o w'}, {'hello', 'l+'}, {'hello', 'l-'},\n"
        "  {'  trim me  ', '^%s*(.-)%s*$'}, {'key = value', '(%w+)%s*=%s*(%w+)'},\n"
        "  {'hello', '()ll()'}, {'f(a(b)c)d', '%b()'}, {'THE (quick) fox', '%f[%a]%a+'},\n"
        "  {'abcabc', '(abc)%1'}, {'x = 10', '^(%a+) = (%d+)$'}, {'2024-04-01', '^(%d%d%d%d)%-(%d%d)%-(%d%d)$'},\n"
        "  {'a.b.c', '[^.]+$'}, {'a,b,,c', '([^,]*)'}, {'abc', ''}, {'', ''}, {'', 'a*'},\n"
        "  {'[x]', '[]x[]+'}, {'a-b', '[a%-]+'}, {'a]b', '[^]]+'}, {'%d', '%%d'},\n"
        "  {'aaa', 'a?a?a?aaa'}, {'hello', 'h.-o$'}, {'\\0a\\0', '%z'}, {'\\0a\\0', '[\\0]'},\n"
        "  {'abc', '(a)(b)(c)'}, {'abc', '((a)(b))'}, {'abc', 'a(b'}, {'abc', 'a)b'},\n"
        "  {'abc', '%'}, {'abc', '[a'}, {'abc', '%b'}, {'abc', '%f'}, {'abc', '%1'}, {'abc', '(a)%2'},\n"
        "  {'abc', '%ba'}, {'été', '[\\128-\\255]+'}, {'a+b', 'a+b', 1, true}, {'a+b', '+', 1, true},\n"
        "}\n"
        "for _, c in ipairs(cases) do\n"
        "  for _, init in ipairs({1, 2, -2, 0, 10, -10}) do\n"
        "    same('find', c[1], c[2], init, c[4])\n"
        "    same('match', c[1], c[2], init)\n"
        "    same('gmatch', c[1], c[2], init)\n"
        "  end\n"
        "  same('find', c[1], c[2])\n"
        "  same('gmatch', c[1], c[2])\n"
        "  for _, r in ipairs({'[%0]', '<%1>', '%2', '%%', '%', '%x', 'x', 7}) do\n"
        "    same('gsub', c[1], c[2], r)\n"
        "    same('gsub', c[1], c[2], r, 1)\n"
        "  end\n"
        "  same('gsub', c[1], c[2], function(...) return select('#', ...) .. ':' .. tostring((...)) end)\n"
        "  same('gsub', c[1], c[2], function() return false end)\n"
        "  same('gsub', c[1], c[2], function() return {} end)\n"
        "  same('gsub', c[1], c[2], {a = 'A', l = false, h = 1})\n"
        "end\n"
        "same('gsub', 'abc', 'b', true)\n"
        "return nil\n");
    // Generated cases: patterns of random items, subjects of random bytes.
    run_lua_check(L,
        "math.randomseed(17)\n"
        "local items = {'a', 'b', 'x', '.', '%a', '%d', '%s', '%w', '%W', '%p', '%l', '%U', '%x',\n"
        "  '[ab]', '[^a]', '[a-c]', '[%d_]', '[]a]', '[^]]', '[a-]', '[-a]', '%%', '%(', '%)', '(', ')',\n"
        "  '()', '%1', '%2', '%0', '%b()', '%bab', '%f[%w]', '%f[%W]', '%f[a]', '^', '$', '*', '+',\n"
        "  '-', '?', '[', ']', '%', '%z', '%q', '1', ' ', '\\0'}\n"
        "local bytes = {'a', 'b', 'x', '(', ')', '1', '2', ' ', '%', ']', '-', '\\0', '\\200'}\n"
        "local repls = {'%0', '%1', '%2', '%%', 'x', '%', '<', '%9'}\n"
        "local function pick(t, n)\n"
        "  local r = {}\n"
        "  for i = 1, n do r[i] = t[math.random(#t)] end\n"
        "  return table.concat(r)\n"
        "end\n"
        "for i = 1, 30000 do\n"
        "  local p, s = pick(items, math.random(0, 6)), pick(bytes, math.random(0, 12))\n"
        "  local init = ({1, 1, 1, 2, -1, -3, 0, 5, 20, -20})[math.random(10)]\n"
        "  same('find', s, p, init)\n"
        "  same('find', s, p, init, true)\n"
        "  same('match', s, p, init)\n"
        "  same('gmatch', s, p, init)\n"
        "  same('gsub', s, p, pick(repls, math.random(0, 3)))\n"
        "  same('gsub', s, p, pick(repls, math.random(0, 2)), math.random(0, 3))\n"
        "  same('gsub', s, p, function(a, b) return b or a end)\n"
        "  same('gsub', s, p, {a = 'A', b = false, ['1'] = 1})\n"
        "end\n"
        "return nil\n");
    // Long subjects, where the matcher charges on its way (every TICK steps).
    run_lua_check(L,
        "local s = string.rep('word, ', 20000) .. 'end'\n"
        "same('gsub', s, '(%w+)', function(w) return w:upper() end)\n"
        "same('gsub', s, '%s*,%s*', ';')\n"
        "same('gmatch', s, '[^,]+')\n"
        "same('find', s, 'end$')\n"
        "same('find', s, string.rep('word, ', 100) .. 'end', 1, true)\n"
        "same('match', s, '^(.-)end$')\n"
        "return nil\n");
    assert_true(charged > 0);
    lua_close(L);
}

static void test_library_budget(void **state)
{
    (void)state;
    lua_State *L = lib_state();
    charge_limit = 50000000;
    static const struct {
        const char *code, *want;
    } cases[] = {
        {"return string.find(string.rep('a', 30) .. 'b', string.rep('a*', 30) .. 'c')",
         "over budget: runaway pattern match?"},
        {"return string.rep('a', 40):match(string.rep('a-', 40) .. 'b')",
         "over budget: runaway pattern match?"},
        {"return (string.rep(' ', 100000) .. 'x'):gsub('%s+$', '')", "over budget: runaway pattern match?"},
        {"for a in (string.rep('x', 3000) .. 'y'):gmatch('(x*)(x*)(x*)z') do end",
         "over budget: runaway pattern match?"},
        {"return table.move({}, 1, 1e15, 2)", "over budget: table.move of 1000000000000000 elements"},
        {"return table.remove(setmetatable({}, {__len = function() return 1e12 end}), 1)",
         "over budget: table.remove on a table of length 1000000000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        charged = 0;
        if (luaL_dostring(L, cases[i].code) == LUA_OK || !strstr(lua_tostring(L, -1), cases[i].want)) {
            fail_msg("%s\nexpected an error with '%s', got '%s'", cases[i].code, cases[i].want,
                     lua_tostring(L, -1));
        }
        lua_settop(L, 0);
    }
    // A plain search takes linear time (the stock one compares the needle
    // at each of 2·10⁶ places); nothing, however often, is nothing at once;
    // what has no __len goes straight to the stock function.
    charged = 0;
    run_lua_check(L, "assert(string.rep('a', 4e6):find(string.rep('a', 2e6) .. 'b', 1, true) == nil)\n"
                     "assert(string.rep('', 1e15) == '' and string.rep('', 1e15, '') == '')\n"
                     "assert(string.rep('ab', 3, ',') == 'ab,ab,ab' and string.rep('x', 0) == '')\n"
                     "local t = {3, 1, 2}\n"
                     "table.insert(t, 1, 0); table.insert(t, 5); table.sort(t)\n"
                     "assert(table.concat(t, ',') == '0,1,2,3,5')\n"
                     "assert(table.remove(t, 1) == 0 and table.concat(table.move(t, 1, 2, 3), ',') == '1,2,1,2')\n"
                     "return nil");
    assert_true(charged < 100);
    lua_close(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forbidden_capabilities),
        cmocka_unit_test(test_binary_chunk_in_lib_refused),
        cmocka_unit_test(test_strict_globals),
        cmocka_unit_test(test_instruction_budget),
        cmocka_unit_test(test_memory_budget),
        cmocka_unit_test(test_finalisers_refused),
        cmocka_unit_test(test_conversion),
        cmocka_unit_test(test_call_passes_values),
        cmocka_unit_test(test_lines_and_model_access),
        cmocka_unit_test(test_check_reports_every_problem),
        cmocka_unit_test(test_repository_themes_are_valid),
        cmocka_unit_test(test_patterns_as_stock),
        cmocka_unit_test(test_library_budget),
    };
    return cmocka_run_group_tests_name("theme", tests, setup, teardown);
}
