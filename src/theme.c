#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "embedded.h"
#include "i18n.h"
#include "theme.h"
#include "theme_int.h"
#include "util.h"

enum {
    HOOK_EVERY = 10000,       /* instructions between budget checks */
    MAX_REFUSALS = 16,        /* refused allocations before the script is stopped */
    MAX_DEPTH = 64,           /* nesting of tables converted to values */
    MAX_SCRIPT = 1 << 20,     /* bytes of one script file */
    CPU_BACKSTOP = 30,        /* CPU seconds one protected call may use */
};

/* The budget state of one Lua state; the allocator's `ud`, so the hook finds
 * it with lua_getallocf. */
typedef struct sandbox {
    bs_budget budget;  /* limits */
    size_t used;       /* bytes held by the Lua state */
    bool mem_hit;      /* an allocation was refused */
    long long steps;   /* instructions counted in the current call */
    double deadline;   /* wall-clock end of the current call */
    bool exceeded;     /* a budget ran out: raise on every line */
    char stop[512];    /* once it ran out: "file:line: instruction budget
                          exceeded (why)" at the place it ran out, raised
                          again on every line and reported as the error */
    int refusals;      /* allocations refused in the current call */
    lua_State *L;      /* the state these budgets govern */
    const char *source; /* the main chunk's name ("@path"); lent from bs_theme */
} sandbox;

struct bs_theme {
    lua_State *L;       /* owned */
    sandbox sb;         /* the allocator's state; must not move */
    char *path;         /* owned: the script file */
    char *source;       /* owned: "@" + path */
    char *dirs[4];      /* owned copies of the search path */
    int ndirs;
    char *folder;       /* owned: the theme's id when the script is <id>/theme.lua, else NULL */
    char *own_dir;      /* owned: the directory of such a script, else NULL */
    bs_value *model;    /* owned: what the script returned */
    char **chunks;      /* owned: every file loaded (main, then libs), to
                           restore the names Lua shortens in messages */
    size_t nchunks;
    int ref;            /* registry reference to the returned table */
};

/* The file of a theme in its folder: <dir>/<id>/theme.lua. */
#define THEME_FILE "theme.lua"

static bool id_ok(const char *id);

/* Registry keys: their addresses are unique. */
static const char lines_key = 'L';   /* weak table: constructor table → line */
static const char loaded_key = 'R';  /* require cache: name → module value */
static const char call_key = 'C';     /* the number of the call running (lazy tables) */
static const char lazy_key = 'Z';     /* marks the metatable of a lazy table */
static const char deferred_key = 'D'; /* the running call's theme_deferred (light userdata) */

bs_budget theme_default_budget(void)
{
    return (bs_budget){.memory = 64u << 20, .steps = 200000000LL, .seconds = 5.0};
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The allocator: counts bytes, refuses growth past the budget, never refuses
 * a free or a shrink. When `ptr` is NULL, `osize` is a type code. */
static void sb_hook(lua_State *L, lua_Debug *ar);

/* A script that keeps catching refused allocations is stopped: the hook
 * fires on the next instruction and on every one after. lua_sethook is safe
 * to call from anywhere. */
static void refuse(sandbox *sb)
{
    sb->mem_hit = true;
    if (++sb->refusals > MAX_REFUSALS && sb->L && !sb->exceeded) {
        sb->exceeded = true;
        lua_sethook(sb->L, sb_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    }
}

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && sb->used - old + nsize > sb->budget.memory) {
        refuse(sb);
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        if (nsize <= old) {
            return ptr; // a shrink that failed: the old block is still good
        }
        refuse(sb);
        return NULL;
    }
    sb->used = sb->used - old + nsize;
    return p;
}

static sandbox *sandbox_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Writes the budget message into sb->stop, unless it holds one: the Lua
 * line running at `level` or, when that is a C function (a library call),
 * the nearest Lua line that called it. */
static void stop_message(lua_State *L, sandbox *sb, int level, const char *why)
{
    if (sb->stop[0]) {
        return;
    }
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(sb->stop, sizeof sb->stop, "%s:%d: instruction budget exceeded (%s)",
                     ar.source[0] == '@' ? ar.source + 1 : ar.short_src, ar.currentline, why);
            return;
        }
    }
    snprintf(sb->stop, sizeof sb->stop, "instruction budget exceeded (%s)", why);
}

/* Raises the budget error, first making sure that it is raised again on
 * every line and every instruction from now on: a script's own pcall or
 * xpcall that catches it cannot carry on (Redis' re-armed hook). */
static int stop(lua_State *L, sandbox *sb)
{
    sb->exceeded = true;
    lua_sethook(L, sb_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    lua_pushstring(L, sb->stop);
    return lua_error(L);
}

/* Adds `steps` to the running call's count; true once the budget (steps or
 * time) is spent. */
static bool over_budget(sandbox *sb, long long steps)
{
    if (!sb->exceeded) {
        if (steps > sb->budget.steps - sb->steps || now_seconds() > sb->deadline) {
            sb->exceeded = true;
        } else {
            sb->steps += steps;
        }
    }
    return sb->exceeded;
}

/* Counts instructions and watches the clock; once over budget, raises on
 * every line (stop). */
static void sb_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    sandbox *sb = sandbox_of(L);
    if (over_budget(sb, HOOK_EVERY)) {
        stop_message(L, sb, 0, "runaway loop?"); // level 0 in a hook: the running Lua function
        stop(L, sb);
    }
}

/* charge(steps, why): work done inside a library function that the hook
 * cannot see (theme_lib.c), counted against the same budget. */
static int l_charge(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    if (over_budget(sb, lua_tointeger(L, 1))) {
        stop_message(L, sb, 1, lua_tostring(L, 2)); // level 1: the library function
        return stop(L, sb);
    }
    return 0;
}

static void arm(lua_State *L, sandbox *sb)
{
    sb->steps = 0;
    sb->exceeded = false;
    sb->stop[0] = '\0';
    sb->mem_hit = false;
    sb->refusals = 0;
    sb->deadline = now_seconds() + sb->budget.seconds;
    lua_sethook(L, sb_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* The backstop for one long C call the hook cannot interrupt and
 * theme_lib.c does not count: a CPU-time limit whose signal ends the
 * process. Nothing is lost: changes are transactions, files are renamed
 * into place. */
static void on_sigxcpu(int sig)
{
    (void)sig;
    static const char msg[] = "bansou: a theme script exceeded its CPU budget\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static struct rlimit cpu_backstop_set(void)
{
    struct rlimit old;
    getrlimit(RLIMIT_CPU, &old);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec);
    struct rlimit lim = old;
    lim.rlim_cur = used + CPU_BACKSTOP;
    if (old.rlim_max != RLIM_INFINITY && lim.rlim_cur > old.rlim_max) {
        lim.rlim_cur = old.rlim_max;
    }
    static bool handler; // installed once: it never changes
    if (!handler) {
        signal(SIGXCPU, on_sigxcpu);
        handler = true;
    }
    setrlimit(RLIMIT_CPU, &lim);
    return old;
}

static char *expand_chunk(const bs_theme *th, const char *msg);

/* Message handler: makes sure the error is a string. Past the budget
 * nothing of the script runs (no __tostring): the budget message is the
 * error. */
static int msgh(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING || sandbox_of(L)->exceeded) {
        return 1;
    }
    // An error that is not a string carries no place: the nearest Lua line
    // that raised it (level 1 is error() or the C function that raised).
    lua_Debug ar;
    lua_pushliteral(L, "");
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pop(L, 1);
            lua_pushfstring(L, "%s:%d: ", ar.source[0] == '@' ? ar.source + 1 : ar.short_src,
                            ar.currentline);
            break;
        }
    }
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
        lua_concat(L, 2);
        return 1;
    }
    lua_settop(L, 2);
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    lua_concat(L, 2);
    return 1;
}

/* Every entry into Lua: runs `f(ud)` protected, under fresh budgets, and
 * turns a failure into `err`. The stack is left as it was found. */
static int run(bs_theme *th, lua_CFunction f, void *ud, bs_err *err)
{
    lua_State *L = th->L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, msgh);
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    struct rlimit old = cpu_backstop_set();
    arm(L, &th->sb);
    int status = lua_pcall(L, 1, 0, top + 1);
    lua_sethook(L, NULL, 0, 0);
    setrlimit(RLIMIT_CPU, &old);
    int rc = BS_OK;
    if (status != LUA_OK) {
        if (th->sb.mem_hit) {
            rc = bs_err_set(err, BS_ESCRIPT, _("%s: memory budget of %zu MiB exceeded"), th->path,
                            th->sb.budget.memory >> 20);
        } else if (th->sb.stop[0]) {
            // Whatever the script made of the error on its way out.
            rc = bs_err_set(err, BS_ESCRIPT, "%s", th->sb.stop);
        } else {
            char *msg = expand_chunk(th, lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
            rc = bs_err_set(err, BS_ESCRIPT, "%s", msg);
            free(msg);
        }
    }
    lua_settop(L, top);
    return rc;
}

/* --- the sandbox ------------------------------------------------------- */

/* The line in the theme's own file that led to the current call: a
 * constructor called from lib/common.lua reports the theme line that called
 * the library. */
static int caller_line(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    lua_Debug ar;
    int first = 0;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) {
            continue;
        }
        if (first == 0) {
            first = ar.currentline;
        }
        if (strcmp(ar.source, sb->source) == 0) {
            return ar.currentline;
        }
    }
    return first;
}

/* theme{…}, step{…}, item{…}: return the table, remembering its line. */
static int l_ctor(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &lines_key);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, caller_line(L));
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return 1;
}

static int strict_error(lua_State *L, const char *what)
{
    luaL_where(L, 1); // the Lua code that touched the global
    lua_pushfstring(L, "%s global '%s'", what,
                    lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?");
    lua_concat(L, 2);
    return lua_error(L);
}

static int l_strict_index(lua_State *L)
{
    return strict_error(L, "read of undeclared");
}

static int l_strict_newindex(lua_State *L)
{
    return strict_error(L, "assignment to undeclared");
}

static bool lib_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            return false;
        }
    }
    return true;
}

/* Offset of the main function's source name in a Lua 5.4 binary chunk:
 * the header (signature, version, format, LUAC_DATA, three sizes, LUAC_INT,
 * LUAC_NUM), then the number of upvalues. */
enum { CHUNK_SOURCE = 4 + 1 + 1 + 6 + 3 + sizeof(lua_Integer) + sizeof(lua_Number) + 1 };

/* The embedded bytecode `bin` with its source name replaced by `name` (the
 * file it is loaded for, so that messages and line look-ups name the file as
 * a text load would); owned, NULL when the bytes are not laid out as
 * expected. Only the main function holds the name: nested ones reuse it. */
static char *chunk_renamed(const unsigned char *bin, size_t n, const char *name, size_t *len_out)
{
    if (n <= CHUNK_SOURCE || memcmp(bin, LUA_SIGNATURE, 4) != 0) {
        return NULL;
    }
    size_t p = CHUNK_SOURCE, size = 0;
    for (int i = 0;; i++) { // a size is 7 bits a byte, the last byte marked
        if (p >= n || i == 8) {
            return NULL;
        }
        size = (size << 7) | (bin[p] & 0x7f);
        if (bin[p++] & 0x80) {
            break;
        }
    }
    if (size == 0 || size - 1 > n - p) {
        return NULL;
    }
    size_t rest = p + size - 1, nl = strlen(name);
    unsigned char var[10];
    int nv = 0;
    for (size_t x = nl + 1; nv == 0 || x != 0; x >>= 7) {
        var[nv++] = x & 0x7f;
    }
    bs_buf b = {0};
    bs_buf_add(&b, (const char *)bin, CHUNK_SOURCE);
    for (int i = nv - 1; i >= 0; i--) {
        char c = (char)(var[i] | (i == 0 ? 0x80 : 0));
        bs_buf_add(&b, &c, 1);
    }
    bs_buf_add(&b, name, nl);
    bs_buf_add(&b, (const char *)bin + rest, n - rest);
    *len_out = b.len;
    return bs_buf_take(&b);
}

/* Loads the chunk in file `path` onto the stack: the binary's own bytecode
 * when the file's text is one it was built with (embedded.h), else the text
 * (only text: a binary chunk a user wrote is refused). Returns the lua_load
 * status; on failure the message is on the stack. lua_load does not raise,
 * so the buffers are freed on every path. */
static int load_file(lua_State *L, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    bs_err e = {0};
    if (bs_read_file(path, MAX_SCRIPT, &data, &len, &e) != BS_OK) {
        lua_pushstring(L, e.msg);
        return LUA_ERRFILE;
    }
    char *chunkname = xasprintf("@%s", path);
    char sha[65];
    bs_sha256(data, len, sha);
    const bs_embedded *em = embedded_chunk(sha);
    size_t blen = 0;
    char *bin = em ? chunk_renamed(em->data, em->len, chunkname, &blen) : NULL;
    int status = bin ? luaL_loadbufferx(L, bin, blen, chunkname, "b") : LUA_ERRSYNTAX;
    free(bin);
    if (status != LUA_OK) {
        if (bin) {
            lua_pop(L, 1); // bytecode of another Lua: the text, then
        }
        status = luaL_loadbufferx(L, data, len, chunkname, "t");
    }
    free(chunkname);
    free(data);
    if (status != LUA_OK && lua_type(L, -1) == LUA_TSTRING &&
        strncmp(lua_tostring(L, -1), "attempt to load", 15) == 0) {
        // Lua names no chunk when it refuses a binary one.
        lua_pushfstring(L, "%s: %s", path, lua_tostring(L, -1));
        lua_remove(L, -2);
    }
    return status;
}

/* Remembers a file loaded into the state (see expand_chunk). */
static void note_chunk(bs_theme *th, const char *path)
{
    th->chunks = xrealloc(th->chunks, (th->nchunks + 1) * sizeof *th->chunks);
    th->chunks[th->nchunks++] = xstrdup(path);
}

/* Lua shortens a long chunk name to "...tail" in messages (LUA_IDSIZE). Puts
 * back the full path of the file whose name ends with that tail. Returns a
 * new string (owned). */
static char *expand_chunk(const bs_theme *th, const char *msg)
{
    if (strncmp(msg, "...", 3) == 0 && msg[3] != '\0') {
        const char *tail = msg + 3;
        size_t tl = strlen(tail);
        for (size_t i = 0; i < th->nchunks; i++) {
            const char *p = th->chunks[i];
            size_t n = strlen(p);
            for (size_t k = n < tl ? n : tl - 1; k > 0; k--) {
                if (tail[k] == ':' && strncmp(tail, p + n - k, k) == 0) {
                    return xasprintf("%s%s", p, tail + k);
                }
            }
        }
    }
    return xstrdup(msg);
}

static char *first_file(char **cands, size_t n)
{
    char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!found && cands[i] && bs_file_exists(cands[i])) {
            found = cands[i];
        } else {
            free(cands[i]);
        }
    }
    return found;
}

/* Where `require "name"` finds its module (owned), or NULL: a theme's own
 * folder on every directory of the path (so a workspace can replace one
 * module of a theme), the folder of the script itself, then lib/. */
static char *find_module(const bs_theme *th, const char *name)
{
    char *cands[10] = {0};
    size_t n = 0;
    if (th->folder && strcmp(name, "theme") != 0) {
        for (int i = 0; i < th->ndirs; i++) {
            cands[n++] = xasprintf("%s/%s/%s.lua", th->dirs[i], th->folder, name);
        }
        cands[n++] = xasprintf("%s/%s.lua", th->own_dir, name);
    }
    for (int i = 0; i < th->ndirs; i++) {
        cands[n++] = xasprintf("%s/lib/%s.lua", th->dirs[i], name);
    }
    return first_file(cands, n);
}

/* require "name": a module of the theme's own folder, or of lib/, from the
 * theme path; nothing else (find_module). */
static int l_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!lib_name_ok(name)) {
        return luaL_error(L, _("require: bad module name '%s'"), name);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
    if (lua_getfield(L, -1, name) != LUA_TNIL) {
        return 1;
    }
    lua_pop(L, 1);
    bs_theme *th = lua_touserdata(L, lua_upvalueindex(1));
    char *found = find_module(th, name);
    if (!found) {
        if (th->folder) {
            return luaL_error(L, _("require: no module '%s' in %s/ or lib/ of the theme path"),
                              name, th->folder);
        }
        return luaL_error(L, _("require: no module '%s' in lib/ of the theme path"), name);
    }
    note_chunk(th, found);
    int status = load_file(L, found);
    free(found);
    if (status != LUA_OK) {
        return lua_error(L);
    }
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name); // loaded[name] = module
    return 1;
}

/* setmetatable without __gc: Lua runs finalisers with hooks off, so a
 * finaliser could loop beyond every budget. (A __gc added to a metatable
 * after setmetatable does not mark the object, so checking here suffices.) */
static int l_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, _("setmetatable: __gc finalisers are not allowed in themes"));
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* The message handler of a script's xpcall, its own handler as upvalue: not
 * run once the budget is spent. Lua runs a message handler with hooks off
 * when the error came from a hook, as the budget's own error does, so a
 * handler that loops would never be stopped. */
static int l_xpcall_handler(lua_State *L)
{
    lua_settop(L, 1);
    if (sandbox_of(L)->exceeded) {
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* xpcall(f, handler, …) with the handler wrapped (l_xpcall_handler); the
 * stock xpcall as upvalue. */
static int l_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, l_xpcall_handler, 1);
    lua_replace(L, 2);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Opens the allowed libraries, installs our globals and makes _G strict. */
static void sandbox_setup(lua_State *L, bs_theme *th)
{
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},      {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL},
    };
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    static const char *const removed[] = {"dofile", "loadfile", "load", "print", NULL};
    for (const char *const *r = removed; *r; r++) {
        lua_pushnil(L);
        lua_setglobal(L, *r);
    }
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setglobal(L, "setmetatable");
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, l_xpcall, 1);
    lua_setglobal(L, "xpcall");
    theme_lib_open(L, l_charge); // library calls within the budget

    // os: only the clock and calendar functions.
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    lua_newtable(L);
    static const char *const os_keep[] = {"date", "time", "clock", "difftime", NULL};
    for (const char *const *k = os_keep; *k; k++) {
        lua_getfield(L, -2, *k);
        lua_setfield(L, -2, *k);
    }
    lua_setglobal(L, LUA_OSLIBNAME);
    lua_pop(L, 1);
    // Forget the full os table so nothing can reach it.
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    lua_setfield(L, -2, LUA_OSLIBNAME);
    lua_pop(L, 1);

    lua_newtable(L); // weak-keyed: constructor tables → line
    lua_newtable(L);
    lua_pushstring(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lines_key);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);

    static const char *const ctors[] = {"theme", "step", "item", "worksheet", "document", NULL};
    for (const char *const *c = ctors; *c; c++) {
        lua_pushcfunction(L, l_ctor);
        lua_setglobal(L, *c);
    }
    lua_pushlightuserdata(L, th);
    lua_pushcclosure(L, l_require, 1);
    lua_setglobal(L, "require");

    lua_pushglobaltable(L);
    lua_newtable(L);
    lua_pushcfunction(L, l_strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
}

/* --- Lua → value ------------------------------------------------------- */

/* Where a conversion is: the keys and indexes down to the current value,
 * written out only for a message, and the tables on that path, to find a
 * table that contains itself and, for a message, the nearest one whose
 * constructor recorded its line. */
typedef struct conv_seg {
    const char *key;     /* a map key (on the Lua stack while it is used), or NULL */
    lua_Integer index;   /* a list position when key is NULL */
} conv_seg;

enum { CONV_PATH = MAX_DEPTH + 2 };

typedef struct conv {
    conv_seg segs[CONV_PATH]; /* the path, first segment first */
    int nsegs;
    const void *tables[CONV_PATH]; /* the tables being converted, outermost first */
    int idxs[CONV_PATH]; /* their stack indexes, the first `nidxs` */
    int nidxs;
    int depth;
    int fn;              /* stack index of the function that returned the value, or 0 */
    bool lines;          /* record constructor lines (a theme's model) */
} conv;

static void path_push_key(conv *c, const char *key)
{
    if (c->nsegs < CONV_PATH) {
        c->segs[c->nsegs] = (conv_seg){.key = key};
    }
    c->nsegs++;
}

static void path_push_index(conv *c, lua_Integer i)
{
    if (c->nsegs < CONV_PATH) {
        c->segs[c->nsegs] = (conv_seg){.index = i};
    }
    c->nsegs++;
}

/* The line a constructor recorded for the table at `idx`, or 0. */
static int ctor_line(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        return 0;
    }
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &lines_key);
    lua_pushvalue(L, idx);
    int line = lua_rawget(L, -2) == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : 0;
    lua_pop(L, 2);
    return line;
}

/* Pushes "file:line:" for a value that cannot be converted (the one at
 * `bad`, or 0): the line of the nearest table around it that a constructor
 * made (theme{…}, item{…}…: lines of the theme's own file), else where the
 * function that returned it is defined (the main chunk: its last line, where
 * it returns), else the file alone. Conversion runs after the script
 * returned, so the call stack holds no line of it. */
static void conv_where(lua_State *L, conv *c, int bad)
{
    sandbox *sb = sandbox_of(L);
    int line = bad ? ctor_line(L, bad) : 0;
    for (int i = c->nidxs - 1; i >= 0 && line == 0; i--) {
        line = ctor_line(L, c->idxs[i]);
    }
    if (line > 0) {
        lua_pushfstring(L, "%s:%d:", sb->source + 1, line);
        return;
    }
    lua_Debug ar;
    if (c->fn) {
        lua_pushvalue(L, c->fn);
        lua_getinfo(L, ">SL", &ar); // pushes the table of lines with code
        if (ar.source[0] == '@' && ar.linedefined == 0) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_Integer l = lua_tointeger(L, -2);
                line = l > line && l <= INT_MAX ? (int)l : line;
                lua_pop(L, 1);
            }
        } else {
            line = ar.linedefined;
        }
        lua_pop(L, 1);
        if (ar.source[0] == '@' && line > 0) {
            lua_pushfstring(L, "%s:%d:", ar.source + 1, line);
            return;
        }
    }
    lua_pushfstring(L, "%s:", sb->source + 1);
}

/* Raises "file:line: path: msg" for the value at `bad` (or 0). */
static int conv_error(lua_State *L, conv *c, int bad, const char *msg)
{
    char path[512] = "";
    size_t len = 0;
    for (int i = 0; i < c->nsegs && i < CONV_PATH && len < sizeof path; i++) {
        const conv_seg *g = &c->segs[i];
        int n = g->key ? snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", g->key)
                       : snprintf(path + len, sizeof path - len, "[%lld]", (long long)g->index);
        len += n > 0 ? (size_t)n : 0;
    }
    luaL_checkstack(L, 8, "reporting a conversion error");
    conv_where(L, c, bad ? lua_absindex(L, bad) : 0);
    lua_pushfstring(L, " %s: %s", path[0] ? path : "(result)", msg);
    lua_concat(L, 2);
    return lua_error(L);
}

static void to_value(lua_State *L, int idx, bs_value *node, conv *c);
static void lazy_fill(lua_State *L, int idx);

/* Creates the node for the Lua value at `idx`, attaches it to `parent`
 * (under `key`, or pushed when key is NULL) and fills it. Attaching first
 * keeps every allocation reachable from the caller's tree if we raise. */
static void attach(lua_State *L, int idx, bs_value *parent, const char *key, conv *c)
{
    bs_value *node;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        node = value_null();
        break;
    case LUA_TBOOLEAN:
        node = value_bool(lua_toboolean(L, idx));
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            node = value_int(lua_tointeger(L, idx));
        } else {
            double d = lua_tonumber(L, idx);
            if (d != d || d > 1e308 || d < -1e308) {
                conv_error(L, c, idx, _("not a finite number"));
            }
            node = value_num(d);
        }
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        if (!bs_utf8_valid(s, n)) {
            conv_error(L, c, idx, _("string is not valid UTF-8"));
        }
        node = value_strn(s, n);
        break;
    }
    case LUA_TTABLE:
        // The kind is decided in to_value; start as a map and let it switch.
        node = NULL;
        break;
    default: {
        char msg[64];
        snprintf(msg, sizeof msg, "expected data, got %s", luaL_typename(L, idx));
        conv_error(L, c, idx, msg);
        return;
    }
    }
    if (node) {
        key ? value_add(parent, key, node) : value_push(parent, node);
        return;
    }
    // Tables: list when the keys are exactly 1..n, map when all are strings.
    idx = lua_absindex(L, idx);
    lazy_fill(L, idx); // a part of the argument handed back: every field, not just those read
    lua_Integer n = 0;
    bool all_str = true, all_int = true;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        n++;
        if (lua_type(L, -2) != LUA_TSTRING) {
            all_str = false;
        }
        if (!lua_isinteger(L, -2)) {
            all_int = false;
        }
        lua_pop(L, 1);
    }
    bool is_list = all_int && (lua_Integer)lua_rawlen(L, idx) == n;
    if (!is_list && !all_str) {
        conv_error(L, c, idx, _("table mixes list items and named fields"));
    }
    node = is_list ? value_list() : value_map();
    key ? value_add(parent, key, node) : value_push(parent, node);
    to_value(L, idx, node, c);
}

static void to_value(lua_State *L, int idx, bs_value *node, conv *c)
{
    if (++c->depth > MAX_DEPTH) {
        conv_error(L, c, idx, _("nested too deeply"));
    }
    luaL_checkstack(L, 8, "converting a table");
    const void *self = lua_topointer(L, idx);
    for (int i = 0; i < c->depth - 1; i++) {
        if (c->tables[i] == self) {
            conv_error(L, c, idx, _("table contains itself"));
        }
    }
    c->tables[c->depth - 1] = self;
    c->idxs[c->nidxs++] = idx;

    if (c->lines) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &lines_key);
        lua_pushvalue(L, idx);
        if (lua_rawget(L, -2) == LUA_TNUMBER) {
            value_set_line(node, (int)lua_tointeger(L, -1));
        }
        lua_pop(L, 2);
    }

    if (value_type(node) == BS_VLIST) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
            path_push_index(c, i);
            lua_rawgeti(L, idx, i);
            if (lua_type(L, -1) == LUA_TFUNCTION) {
                conv_error(L, c, 0, "expected data, got function");
            }
            attach(L, -1, node, NULL, c);
            lua_pop(L, 1);
            c->nsegs--;
        }
    } else {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            // Functions in maps are hooks: they stay in Lua (theme_call).
            if (lua_type(L, -1) != LUA_TFUNCTION) {
                const char *key = lua_tostring(L, -2); // a string key: no conversion
                path_push_key(c, key);
                attach(L, -1, node, key, c);
                c->nsegs--;
            }
            lua_pop(L, 1);
        }
        value_sort_keys(node);
    }
    c->nidxs--;
    c->depth--;
}

/* Converts the value at the top of the stack, which the function at `fn`
 * returned, and appends it to `holder`; with `lines`, tables keep the lines
 * their constructors recorded. */
static void top_to_value(lua_State *L, int fn, bs_value *holder, bool lines)
{
    conv c = {.fn = lua_absindex(L, fn), .lines = lines};
    attach(L, -1, holder, NULL, &c);
}

/* --- value → Lua ------------------------------------------------------- */

/* The argument of a call is converted as the script reads it: a map near
 * the top (the context, its records) becomes a table whose fields are made
 * on first access, so that a document's function that reads three fields
 * of the context does not pay for the whole context, records and syllabus
 * included, on every call. To the script it behaves as a plain table: `pairs`
 * sees every field, assignments stick, and a field read once is a plain
 * field. Such a table belongs to its call: the value it is made from is the
 * caller's and lives only as long as the call, so reading a field that was
 * never read after the call ended is an error, not a read of freed memory.
 *
 * Its metatable holds, besides the metamethods: [1] the map (light
 * userdata), [2] the number of the call, [3] a table of the keys already
 * made or assigned, [4] the depth. */
enum {
    LAZY_DEPTH = 2, /* maps at depth 0 and 1 are lazy */
};

static void push_value(lua_State *L, const bs_value *v, int depth);

/* The metatable of the lazy table at `idx` on the stack (pushed), or
 * nothing pushed and false. */
static bool lazy_meta(lua_State *L, int idx)
{
    if (!lua_getmetatable(L, idx)) {
        return false;
    }
    if (lua_rawgetp(L, -1, &lazy_key) != LUA_TNIL) {
        lua_pop(L, 1);
        return true;
    }
    lua_pop(L, 2);
    return false;
}

/* The map behind the lazy table whose metatable is at `mt`; raises when its
 * call has ended. */
static const bs_value *lazy_source(lua_State *L, int mt)
{
    lua_rawgeti(L, mt, 2);
    lua_Integer call = lua_tointeger(L, -1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &call_key);
    lua_Integer now = lua_tointeger(L, -1);
    lua_pop(L, 2);
    if (call != now) {
        luaL_error(L, _("a table the engine passed to an earlier call was kept and read after "
                        "that call ended: copy what is needed instead"));
    }
    lua_rawgeti(L, mt, 1);
    const bs_value *src = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return src;
}

/* Makes field `key` (a string at `k`) of the lazy table at `t` with
 * metatable at `mt`, unless it was made or assigned already; leaves the
 * field's value on the stack. */
/* The deferred fields of the running call when the lazy table with
 * metatable `mt` is its argument itself (depth 0), else NULL. */
static const theme_deferred *lazy_deferred(lua_State *L, int mt)
{
    lua_rawgeti(L, mt, 4);
    bool top = lua_tointeger(L, -1) == 0;
    lua_pop(L, 1);
    if (!top) {
        return NULL;
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &deferred_key);
    const theme_deferred *d = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return d;
}

/* Fetches deferred field `key` into the map `src` when it is one of the
 * call's deferred keys and not there yet; raises on failure. */
static void lazy_fetch(lua_State *L, int mt, const bs_value *src, const char *key)
{
    const theme_deferred *d = lazy_deferred(L, mt);
    for (const char *const *k = d ? d->keys : NULL; k && *k; k++) {
        if (strcmp(*k, key) == 0 && !value_get(src, key)) {
            bs_err e = {0};
            if (d->fetch(d->ud, key, &e) != BS_OK) {
                luaL_error(L, "%s", e.msg); // nothing of ours to free here
            }
            return;
        }
    }
}

static void lazy_make(lua_State *L, int t, int mt, int k)
{
    lua_rawgeti(L, mt, 3); // done
    lua_pushvalue(L, k);
    bool done = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 1);
    if (done) {
        lua_pop(L, 1);
        lua_pushvalue(L, k);
        lua_rawget(L, t);
        return;
    }
    const bs_value *src = lazy_source(L, mt);
    lua_rawgeti(L, mt, 4);
    int depth = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushvalue(L, k);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3); // done[k] = true
    lua_pop(L, 1);
    lazy_fetch(L, mt, src, lua_tostring(L, k));
    const bs_value *child = value_get(src, lua_tostring(L, k));
    if (!child) {
        lua_pushnil(L);
        return;
    }
    push_value(L, child, depth + 1);
    lua_pushvalue(L, k);
    lua_pushvalue(L, -2);
    lua_rawset(L, t);
}

static int l_lazy_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING || !lazy_meta(L, 1)) {
        return 0;
    }
    lazy_make(L, 1, 3, 2);
    return 1;
}

static int l_lazy_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING && lazy_meta(L, 1)) {
        lua_rawgeti(L, 4, 3);
        lua_pushvalue(L, 2);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3); // assigned: never made from the map afterwards
        lua_settop(L, 3);
    }
    lua_rawset(L, 1);
    return 0;
}

/* Makes every field of the lazy table at `idx` not made yet (a no-op on
 * any other table). */
static void lazy_fill(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!lazy_meta(L, idx)) {
        return;
    }
    int mt = lua_gettop(L);
    const bs_value *src = lazy_source(L, mt);
    const theme_deferred *d = lazy_deferred(L, mt);
    for (const char *const *k = d ? d->keys : NULL; k && *k; k++) {
        lazy_fetch(L, mt, src, *k);
    }
    for (size_t i = 0; i < value_len(src); i++) {
        lua_pushstring(L, value_key_at(src, i));
        lazy_make(L, idx, mt, lua_gettop(L));
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
}

static int l_lazy_pairs(lua_State *L)
{
    lazy_fill(L, 1);
    lua_getglobal(L, "next");
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void push_lazy(lua_State *L, const bs_value *v, int depth)
{
    lua_createtable(L, 0, (int)value_len(v));
    lua_createtable(L, 4, 5);
    lua_pushlightuserdata(L, (void *)v);
    lua_rawseti(L, -2, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &call_key);
    lua_rawseti(L, -2, 2);
    lua_newtable(L);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, depth);
    lua_rawseti(L, -2, 4);
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &lazy_key);
    lua_pushcfunction(L, l_lazy_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_lazy_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, l_lazy_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable"); // getmetatable gives false, setmetatable refuses
    lua_setmetatable(L, -2);
}

static void push_value(lua_State *L, const bs_value *v, int depth)
{
    luaL_checkstack(L, 8, "pushing a value");
    if (depth > MAX_DEPTH) {
        luaL_error(L, _("argument nested too deeply"));
    }
    switch (value_type(v)) {
    case BS_VNULL:
        lua_pushnil(L);
        break;
    case BS_VBOOL:
        lua_pushboolean(L, value_as_bool(v));
        break;
    case BS_VINT:
        lua_pushinteger(L, value_as_int(v));
        break;
    case BS_VNUM:
        lua_pushnumber(L, value_as_num(v));
        break;
    case BS_VSTR:
        lua_pushlstring(L, value_as_str(v), value_str_len(v));
        break;
    case BS_VLIST:
        lua_createtable(L, (int)value_len(v), 0);
        for (size_t i = 0; i < value_len(v); i++) {
            push_value(L, value_at(v, i), depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case BS_VMAP:
        if (depth < LAZY_DEPTH && value_len(v) > 0) {
            push_lazy(L, v, depth);
            break;
        }
        lua_createtable(L, 0, (int)value_len(v));
        for (size_t i = 0; i < value_len(v); i++) {
            push_value(L, value_at(v, i), depth + 1);
            lua_setfield(L, -2, value_key_at(v, i));
        }
        break;
    }
}

/* --- loading ----------------------------------------------------------- */

typedef struct load_ctx {
    bs_theme *th;
    bs_value *holder; /* caller-owned list receiving the model */
} load_ctx;

static int p_load(lua_State *L)
{
    load_ctx *ctx = lua_touserdata(L, 1);
    bs_theme *th = ctx->th;
    sandbox_setup(L, th);
    if (load_file(L, th->path) != LUA_OK) {
        return lua_error(L);
    }
    lua_pushvalue(L, -1); // the main chunk, kept for messages: chunk, chunk
    lua_call(L, 0, 1);    // chunk, model
    if (!lua_istable(L, -1)) {
        return luaL_error(L, _("%s: the script must return a table (got %s)"), th->path,
                          luaL_typename(L, -1));
    }
    lua_pushvalue(L, -1);
    th->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    top_to_value(L, -2, ctx->holder, true);
    return 0;
}

/* The theme id of a script at ".../<id>/theme.lua" (owned), and its
 * directory in *dir_out (owned); NULL for any other file. */
static char *theme_folder(const char *path, char **dir_out)
{
    const char *base = strrchr(path, '/');
    *dir_out = NULL;
    if (!base || strcmp(base + 1, THEME_FILE) != 0) {
        return NULL;
    }
    char *dir = xstrndup(path, (size_t)(base - path));
    const char *slash = strrchr(dir, '/');
    char *id = xstrdup(slash ? slash + 1 : dir);
    if (!id_ok(id)) {
        free(id);
        free(dir);
        return NULL;
    }
    *dir_out = dir;
    return id;
}

int theme_load_script(const char *path, const bs_theme_path *tp, const bs_budget *budget,
                      bs_theme **out, bs_err *err)
{
    bs_theme *th = xcalloc(1, sizeof *th);
    th->sb.budget = budget ? *budget : theme_default_budget();
    th->path = xstrdup(path);
    th->source = xasprintf("@%s", path);
    th->sb.source = th->source;
    th->ref = LUA_NOREF;
    note_chunk(th, path);
    for (int i = 0; tp && i < tp->n && i < 4; i++) {
        th->dirs[th->ndirs++] = xstrdup(tp->dirs[i]);
    }
    th->folder = theme_folder(path, &th->own_dir);
    bs_value *holder = value_list();
    int rc = BS_OK;
    th->L = lua_newstate(sb_alloc, &th->sb);
    th->sb.L = th->L;
    if (!th->L) {
        rc = bs_err_set(err, BS_ENOMEM, _("%s: cannot create a Lua state"), path);
        goto fail;
    }
    load_ctx ctx = {.th = th, .holder = holder};
    rc = run(th, p_load, &ctx, err);
    if (rc != BS_OK) {
        goto fail;
    }
    th->model = value_pop(holder);
    value_free(holder);
    *out = th;
    return BS_OK;
fail:
    value_free(holder);
    theme_free(th);
    return rc;
}

void theme_free(bs_theme *th)
{
    if (!th) {
        return;
    }
    lua_close(th->L); // no finalisers of the script's own: see l_setmetatable
    value_free(th->model);
    for (size_t i = 0; i < th->nchunks; i++) {
        free(th->chunks[i]);
    }
    free(th->chunks);
    free(th->path);
    free(th->source);
    free(th->folder);
    free(th->own_dir);
    for (int i = 0; i < th->ndirs; i++) {
        free(th->dirs[i]);
    }
    free(th);
}

const bs_value *theme_model(const bs_theme *th)
{
    return th->model;
}

const char *theme_path(const bs_theme *th)
{
    return th->path;
}

typedef struct call_ctx {
    bs_theme *th;
    const char *fn;
    const bs_value *arg;
    const theme_deferred *deferred; /* or NULL */
    bs_value *holder;
} call_ctx;

static int p_call(lua_State *L)
{
    call_ctx *ctx = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ctx->th->ref);
    // A dotted path: "sme", or "worksheets.2.columns.5.compute".
    const char *p = ctx->fn;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!lua_istable(L, -1)) {
            return luaL_error(L, _("%s: no function '%s'"), ctx->th->path, ctx->fn);
        }
        if (n > 0 && n < 10 && strspn(p, "0123456789") == n) {
            lua_rawgeti(L, -1, strtol(p, NULL, 10));
        } else {
            lua_pushlstring(L, p, n);
            lua_rawget(L, -2);
        }
        lua_remove(L, -2);
        p += n + (dot ? 1 : 0);
    }
    if (!lua_isfunction(L, -1)) {
        return luaL_error(L, _("%s: no function '%s'"), ctx->th->path, ctx->fn);
    }
    // A new call: lazy tables of earlier calls no longer read their maps.
    lua_rawgetp(L, LUA_REGISTRYINDEX, &call_key);
    lua_pushinteger(L, lua_tointeger(L, -1) + 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &call_key);
    lua_pop(L, 1);
    if (ctx->deferred) {
        lua_pushlightuserdata(L, (void *)ctx->deferred);
    } else {
        lua_pushnil(L);
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &deferred_key);
    lua_pushvalue(L, -1); // the function, kept for messages: fn, fn
    push_value(L, ctx->arg, 0);
    lua_call(L, 1, 1); // fn, result
    top_to_value(L, -2, ctx->holder, false);
    return 0;
}

int theme_call(bs_theme *th, const char *fn, const bs_value *arg, bs_value **out, bs_err *err)
{
    return theme_call_deferred(th, fn, arg, NULL, out, err);
}

int theme_call_deferred(bs_theme *th, const char *fn, const bs_value *arg,
                        const theme_deferred *d, bs_value **out, bs_err *err)
{
    call_ctx ctx = {.th = th, .fn = fn, .arg = arg, .deferred = d, .holder = value_list()};
    int rc = run(th, p_call, &ctx, err);
    if (rc == BS_OK) {
        *out = value_pop(ctx.holder);
    } else {
        bs_err_prefix(err, "%s", fn);
    }
    value_free(ctx.holder);
    return rc;
}

typedef struct has_ctx {
    bs_theme *th;
    const char *path;
    bool found;
} has_ctx;

static int p_has(lua_State *L)
{
    has_ctx *ctx = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ctx->th->ref);
    for (const char *p = ctx->path; *p && lua_istable(L, -1);) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n > 0 && n < 10 && strspn(p, "0123456789") == n) {
            lua_rawgeti(L, -1, strtol(p, NULL, 10));
        } else {
            lua_pushlstring(L, p, n);
            lua_rawget(L, -2);
        }
        lua_remove(L, -2);
        p += n + (dot ? 1 : 0);
        if (!dot) {
            ctx->found = lua_isfunction(L, -1);
        }
    }
    return 0;
}

bool theme_has_function(bs_theme *th, const char *path)
{
    has_ctx ctx = {.th = th, .path = path};
    bs_err e = {0};
    return run(th, p_has, &ctx, &e) == BS_OK && ctx.found;
}

/* --- the search path --------------------------------------------------- */

static bool id_ok(const char *id)
{
    if (!(*id >= 'a' && *id <= 'z') || strlen(id) > 64) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) {
            return false;
        }
    }
    return true;
}

char *theme_find(const char *id, const bs_theme_path *tp)
{
    if (!id_ok(id)) {
        return NULL;
    }
    for (int i = 0; i < tp->n; i++) {
        char *p = xasprintf("%s/%s/" THEME_FILE, tp->dirs[i], id);
        if (bs_file_exists(p)) {
            return p;
        }
        free(p);
    }
    return NULL;
}

/* A theme file of the layout before theme folders (<dir>/<id>.lua) in a
 * directory of the path before the one the theme was found in (all of them
 * when `found` is NULL), owned, or NULL. Such a file would once have been
 * the theme, so it is an error, not something to pass over in silence. */
static char *old_layout(const char *id, const bs_theme_path *tp, const char *found)
{
    for (int i = 0; id_ok(id) && i < tp->n; i++) {
        size_t n = strlen(tp->dirs[i]);
        if (found && strncmp(found, tp->dirs[i], n) == 0 && found[n] == '/') {
            return NULL;
        }
        char *p = xasprintf("%s/%s.lua", tp->dirs[i], id);
        if (bs_file_exists(p)) {
            return p;
        }
        free(p);
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bs_value *theme_ids(const bs_theme_path *tp)
{
    char **ids = NULL;
    size_t n = 0;
    for (int i = 0; i < tp->n; i++) {
        DIR *d = opendir(tp->dirs[i]);
        if (!d) {
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!id_ok(e->d_name) || strcmp(e->d_name, "lib") == 0) {
                continue;
            }
            char *file = xasprintf("%s/%s/" THEME_FILE, tp->dirs[i], e->d_name);
            bool is_theme = bs_file_exists(file);
            free(file);
            if (!is_theme) {
                continue;
            }
            char *id = xstrdup(e->d_name);
            bool dup = false;
            for (size_t j = 0; j < n && !dup; j++) {
                dup = strcmp(ids[j], id) == 0;
            }
            if (dup) {
                free(id);
                continue;
            }
            ids = xrealloc(ids, (n + 1) * sizeof *ids);
            ids[n++] = id;
        }
        closedir(d);
    }
    if (n > 1) {
        qsort(ids, n, sizeof *ids, cmp_str);
    }
    bs_value *l = value_list();
    for (size_t i = 0; i < n; i++) {
        value_push(l, value_str(ids[i]));
        free(ids[i]);
    }
    free(ids);
    return l;
}

int theme_load_lib(const char *name, const bs_theme_path *tp, bs_theme **out, bs_err *err)
{
    for (int i = 0; lib_name_ok(name) && i < tp->n; i++) {
        char *p = xasprintf("%s/lib/%s.lua", tp->dirs[i], name);
        if (bs_file_exists(p)) {
            int rc = theme_load_script(p, tp, NULL, out, err);
            free(p);
            return rc;
        }
        free(p);
    }
    return bs_err_set(err, BS_ENOTFOUND, _("no lib/%s.lua on the theme path"), name);
}

/* --- validation -------------------------------------------------------- */

typedef struct checker {
    const char *file;   /* the script, for messages */
    bs_value *problems; /* list of strings */
    bs_value *ids;      /* map: item id → line of its first use */
} checker;

static void problem(checker *k, int line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(checker *k, int line, const char *path, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *s = xasprintf("%s:%d: %s%s%s", k->file, line, path, *path ? ": " : "", msg);
    value_push(k->problems, value_str(s));
    free(s);
}

static bool field_known(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++) {
        if (strcmp(key, *allowed) == 0) {
            return true;
        }
    }
    return false;
}

static void check_unknown(checker *k, const bs_value *map, int line, const char *path,
                          const char *const *allowed)
{
    for (size_t i = 0; i < value_len(map); i++) {
        if (!field_known(value_key_at(map, i), allowed)) {
            problem(k, line, path, _("unknown field '%s'"), value_key_at(map, i));
        }
    }
}

/* A non-empty string under `key`; `required` says whether absence is a problem. */
static void check_text(checker *k, const bs_value *map, const char *key, bool required, int line,
                       const char *path)
{
    const bs_value *v = value_get(map, key);
    char sub[300];
    snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
    if (!v) {
        if (required) {
            problem(k, line, sub, _("missing"));
        }
    } else if (value_type(v) != BS_VSTR) {
        problem(k, line, sub, _("expected string, got %s"), value_type_name(value_type(v)));
    } else if (value_str_len(v) == 0) {
        problem(k, line, sub, _("is empty"));
    }
}

static void check_text_list(checker *k, const bs_value *map, const char *key, int line,
                            const char *path)
{
    const bs_value *v = value_get(map, key);
    if (!v) {
        return;
    }
    char sub[300];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    if (value_type(v) != BS_VLIST) {
        problem(k, line, sub, _("expected a list of strings, got %s"),
                value_type_name(value_type(v)));
        return;
    }
    for (size_t i = 0; i < value_len(v); i++) {
        if (value_type(value_at(v, i)) != BS_VSTR || value_str_len(value_at(v, i)) == 0) {
            problem(k, line, sub, _("item %zu: expected a non-empty string"), i + 1);
        }
    }
}

static bool item_id_ok(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) || strlen(s) > 64) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-')) {
            return false;
        }
    }
    return true;
}

static void check_item(checker *k, const bs_value *it, int line, const char *path)
{
    static const char *const fields[] = {"id", "company", "expert", "provided", "deliverables",
                                         "minutes", "note", NULL};
    if (value_line(it)) {
        line = value_line(it);
    }
    if (value_type(it) != BS_VMAP) {
        problem(k, line, path, _("expected an item table, got %s"),
                value_type_name(value_type(it)));
        return;
    }
    check_unknown(k, it, line, path, fields);
    check_text(k, it, "id", true, line, path);
    const char *id = value_get_str(it, "id");
    if (id && *id) {
        if (!item_id_ok(id)) {
            problem(k, line, path, _("id '%s' must be lower-case letters, digits, '.', '_', '-'"),
                    id);
        }
        const bs_value *first = value_get(k->ids, id);
        if (first) {
            problem(k, line, path, _("duplicate id '%s' (first at line %lld)"), id,
                    (long long)value_as_int(first));
        } else {
            value_set_int(k->ids, id, line);
        }
    }
    check_text(k, it, "company", false, line, path);
    check_text(k, it, "expert", false, line, path);
    if (!value_get(it, "company") && !value_get(it, "expert")) {
        problem(k, line, path, _("needs 'company' or 'expert' (who does what)"));
    }
    check_text_list(k, it, "provided", line, path);
    check_text_list(k, it, "deliverables", line, path);
    check_text(k, it, "note", false, line, path);
    const bs_value *m = value_get(it, "minutes");
    if (m && (value_type(m) != BS_VINT || value_as_int(m) < 1 || value_as_int(m) > 600)) {
        problem(k, line, path, _("minutes: expected an integer from 1 to 600"));
    }
}

static void check_items(checker *k, const bs_value *step, const char *key, bool required,
                        int line, const char *path)
{
    const bs_value *l = value_get(step, key);
    char sub[300];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    if (!l) {
        if (required) {
            problem(k, line, sub, _("missing: a step needs at least one item"));
        }
        return;
    }
    if (value_type(l) != BS_VLIST) {
        problem(k, line, sub, _("expected a list of items, got %s"),
                value_type_name(value_type(l)));
        return;
    }
    if (value_len(l) == 0 && required) {
        problem(k, line, sub, _("a step needs at least one item"));
    }
    for (size_t i = 0; i < value_len(l); i++) {
        char ip[330];
        snprintf(ip, sizeof ip, "%s[%zu]", sub, i + 1);
        check_item(k, value_at(l, i), line, ip);
    }
}

/* variants = { { id = "automotive", title = "…", industries = { "…" }, max_employees = 20 }, … } */
static void check_variants(checker *k, const bs_value *vs, int line)
{
    static const char *const fields[] = {"id", "title", "industries", "max_employees", NULL};
    if (!vs) {
        return;
    }
    if (value_type(vs) != BS_VLIST) {
        problem(k, line, "variants", _("expected a list of variants, got %s"),
                value_type_name(value_type(vs)));
        return;
    }
    for (size_t i = 0; i < value_len(vs); i++) {
        const bs_value *v = value_at(vs, i);
        char path[64];
        snprintf(path, sizeof path, "variants[%zu]", i + 1);
        if (value_type(v) != BS_VMAP) {
            problem(k, line, path, _("expected a table, got %s"), value_type_name(value_type(v)));
            continue;
        }
        check_unknown(k, v, line, path, fields);
        check_text(k, v, "id", true, line, path);
        check_text(k, v, "title", true, line, path);
        check_text_list(k, v, "industries", line, path);
        const char *id = value_get_str(v, "id");
        if (id && (!item_id_ok(id) || strchr(id, '.') || strcmp(id, "auto") == 0 ||
                   strcmp(id, "none") == 0)) {
            problem(k, line, path,
                    _("id '%s' must be lower-case letters, digits, '_', '-' "
                      "(and not 'auto' or 'none')"),
                    id);
        }
        for (size_t j = 0; id && j < i; j++) {
            const char *o = value_get_str(value_at(vs, j), "id");
            if (o && strcmp(o, id) == 0) {
                problem(k, line, path, _("duplicate variant id '%s'"), id);
            }
        }
        const bs_value *max = value_get(v, "max_employees");
        if (max && (value_type(max) != BS_VINT || value_as_int(max) < 0)) {
            problem(k, line, path, _("max_employees: expected a non-negative integer"));
        }
    }
}

/* Each `file` of the worksheets or documents (`key`): a plain name, which
 * the engine puts in the engagement's folder as it is (a name that climbs
 * out of it, or that Windows refuses, would write elsewhere or nowhere).
 * A document's `template` is a path below the template path's folders. */
static void check_files(checker *k, const bs_value *m, const char *key, int line)
{
    static const char *const fields[] = {"file", "template"};
    const bs_value *l = value_get(m, key);
    for (size_t i = 0; value_type(l) == BS_VLIST && i < value_len(l); i++) {
        const bs_value *x = value_at(l, i);
        for (size_t fi = 0; fi < sizeof fields / sizeof *fields; fi++) {
            const bs_value *f = value_type(x) == BS_VMAP ? value_get(x, fields[fi]) : NULL;
            if (!f) {
                continue;
            }
            char path[64];
            snprintf(path, sizeof path, "%s[%zu].%s", key, i + 1, fields[fi]);
            int xl = value_line(x) ? value_line(x) : line;
            if (value_type(f) != BS_VSTR) {
                problem(k, xl, path, _("expected string, got %s"), value_type_name(value_type(f)));
                continue;
            }
            bool plain = fi == 0;
            const char *why = plain ? bs_plain_name_problem(value_as_str(f))
                                    : bs_relative_path_problem(value_as_str(f));
            if (why) {
                char *shown = bs_visible(value_as_str(f));
                problem(k, xl, path, _("'%s' is not a %s: %s"), shown,
                        plain ? _("plain file name") : _("path below the template folder"), why);
                free(shown);
            }
        }
    }
}

static void check_model(checker *k, const bs_value *m, const char *stem)
{
    static const char *const fields[] = {"id",     "number", "title",  "base",       "audience",
                                         "effect", "goals",  "visits", "steps", "worksheets",
                                         "documents", "variants", NULL};
    int line = value_line(m) ? value_line(m) : 1;
    if (value_type(m) != BS_VMAP) {
        problem(k, line, "", _("the script must return theme{…}"));
        return;
    }
    check_unknown(k, m, line, "", fields);
    check_text(k, m, "id", true, line, "");
    const char *id = value_get_str(m, "id");
    if (id && *id && strcmp(id, stem) != 0) {
        if (strcmp(strrchr(k->file, '/') ? strrchr(k->file, '/') + 1 : k->file, THEME_FILE) == 0) {
            problem(k, line, "id", _("'%s' does not match the folder name '%s'"), id, stem);
        } else {
            problem(k, line, "id", _("'%s' does not match the file name '%s.lua'"), id, stem);
        }
    }
    const bs_value *num = value_get(m, "number");
    if (!num) {
        problem(k, line, "number", _("missing"));
    } else if (value_type(num) != BS_VINT || value_as_int(num) < 1 || value_as_int(num) > 99) {
        problem(k, line, "number", _("expected an integer from 1 to 99"));
    }
    check_text(k, m, "title", true, line, "");
    check_text(k, m, "base", false, line, "");
    check_text(k, m, "audience", true, line, "");
    check_text(k, m, "effect", true, line, "");

    const bs_value *steps = value_get(m, "steps");
    size_t nsteps = 0;
    if (!steps) {
        problem(k, line, "steps", _("missing"));
    } else if (value_type(steps) != BS_VLIST || value_len(steps) == 0) {
        problem(k, line, "steps", _("expected a non-empty list of step{…}"));
    } else {
        nsteps = value_len(steps);
    }
    int64_t visits = (int64_t)nsteps;
    const bs_value *vv = value_get(m, "visits");
    if (vv) {
        if (value_type(vv) != BS_VINT || value_as_int(vv) < 1 || value_as_int(vv) > 12) {
            problem(k, line, "visits", _("expected an integer from 1 to 12"));
        } else {
            visits = value_as_int(vv);
            if (nsteps && (size_t)visits != nsteps) {
                problem(k, line, "visits", _("%lld visits but %zu steps"), (long long)visits,
                        nsteps);
            }
        }
    }
    const bs_value *goals = value_get(m, "goals");
    if (!goals) {
        problem(k, line, "goals", _("missing"));
    } else if (value_type(goals) != BS_VLIST) {
        problem(k, line, "goals", _("expected a list of strings, got %s"),
                value_type_name(value_type(goals)));
    } else {
        check_text_list(k, m, "goals", line, "");
        if (visits && value_len(goals) != (size_t)visits) {
            problem(k, line, "goals", _("%zu goals for %lld visits"), value_len(goals),
                    (long long)visits);
        }
    }
    check_variants(k, value_get(m, "variants"), line);
    for (size_t i = 0; i < nsteps; i++) {
        const bs_value *st = value_at(steps, i);
        char sp[64];
        snprintf(sp, sizeof sp, "steps[%zu]", i + 1);
        int sl = value_line(st) ? value_line(st) : line;
        if (value_type(st) != BS_VMAP) {
            problem(k, sl, sp, _("expected step{…}, got %s"), value_type_name(value_type(st)));
            continue;
        }
        static const char *const sfields[] = {"title", "aim", "prep", "onsite", "after", NULL};
        check_unknown(k, st, sl, sp, sfields);
        check_text(k, st, "title", true, sl, sp);
        check_text(k, st, "aim", false, sl, sp);
        check_items(k, st, "prep", true, sl, sp);
        check_items(k, st, "onsite", true, sl, sp);
        check_items(k, st, "after", false, sl, sp);
    }
    check_files(k, m, "worksheets", line);
    check_files(k, m, "documents", line);
}

/* The name a theme's id must match: the folder of <id>/theme.lua, or the
 * file name of any other script without .lua. */
static char *file_stem(const char *path)
{
    char *dir = NULL;
    char *folder = theme_folder(path, &dir);
    free(dir);
    if (folder) {
        return folder;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0) {
        n -= 4;
    }
    return xstrndup(base, n);
}

static bs_value *validate(const char *path, const bs_value *model)
{
    checker k = {.file = path, .problems = value_list(), .ids = value_map()};
    char *stem = file_stem(path);
    check_model(&k, model, stem);
    free(stem);
    value_free(k.ids);
    return k.problems;
}

int theme_check_file(const char *path, const bs_theme_path *tp, bs_value **problems_out,
                     bs_err *err)
{
    (void)err;
    bs_theme *th = NULL;
    bs_err e = {0};
    if (theme_load_script(path, tp, NULL, &th, &e) != BS_OK) {
        bs_value *l = value_list();
        value_push(l, value_str(e.msg));
        *problems_out = l;
        return BS_OK;
    }
    *problems_out = validate(path, th->model);
    theme_free(th);
    return BS_OK;
}

int theme_load(const char *id, const bs_theme_path *tp, bs_theme **out, bs_err *err)
{
    char *path = theme_find(id, tp);
    char *old = old_layout(id, tp, path);
    if (old) {
        free(path);
        char *to = xasprintf("%.*s%s/" THEME_FILE, (int)(strlen(old) - strlen(id) - 4), old, id);
        int rc = bs_err_set(err, BS_ENOTFOUND,
                            _("no theme '%s': %s is in the layout before theme folders; move it to "
                              "%s (see docs/theme-format.md)"),
                            id, old, to);
        free(to);
        free(old);
        return rc;
    }
    if (!path) {
        bs_value *ids = theme_ids(tp);
        bs_buf known = {0};
        for (size_t i = 0; i < value_len(ids); i++) {
            bs_buf_printf(&known, "%s%s", i ? ", " : "", value_as_str(value_at(ids, i)));
        }
        int rc = bs_err_set(err, BS_ENOTFOUND, _("no theme '%s' (known: %s)"), id,
                            known.s ? known.s : _("none"));
        bs_buf_free(&known);
        value_free(ids);
        return rc;
    }
    bs_theme *th = NULL;
    int rc = theme_load_script(path, tp, NULL, &th, err);
    if (rc == BS_OK) {
        bs_value *problems = validate(path, th->model);
        if (value_len(problems) > 0) {
            rc = bs_err_set(err, BS_ESCRIPT, "%s%s", value_as_str(value_at(problems, 0)),
                            value_len(problems) > 1 ? _(" (and more: run 'bansou theme check')")
                                                    : "");
        }
        value_free(problems);
    }
    free(path);
    if (rc != BS_OK) {
        theme_free(th);
        return rc;
    }
    *out = th;
    return BS_OK;
}

/* --- compiling for a build -------------------------------------------- */

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    bs_buf_add(ud, p, sz);
    return 0;
}

int theme_compile(const char *text, size_t len, const char *name, bs_buf *out, bs_err *err)
{
    lua_State *L = luaL_newstate();
    if (!L) {
        return bs_err_set(err, BS_ENOMEM, _("%s: cannot create a Lua state"), name);
    }
    char *chunkname = xasprintf("@%s", name);
    int rc = BS_OK;
    if (luaL_loadbufferx(L, text, len, chunkname, "t") != LUA_OK) {
        rc = bs_err_set(err, BS_ESCRIPT, "%s", lua_tostring(L, -1));
    } else if (lua_dump(L, dump_writer, out, 0) != 0) {
        rc = bs_err_set(err, BS_ESCRIPT, _("%s: cannot be dumped"), name);
    }
    free(chunkname);
    lua_close(L);
    return rc;
}
