/* theme_lib: the string and table functions that the sandbox replaces so
 * that the instruction budget holds inside them (theme_int.h).
 *
 * The pattern functions implement Lua 5.4's patterns (reference manual
 * §6.4.1) as a backtracking matcher, as the stock library does, so results
 * and errors are the same; what differs is that each step of the matcher
 * is counted and charged to the budget, and that a plain search is
 * memmem, whose time is linear where the stock search compares the whole
 * needle at each place its first byte occurs. tests/unit/test_theme.c compares
 * them with the stock functions on many generated patterns. */
#define _GNU_SOURCE // memmem
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "theme_int.h"

enum {
    TICK = 10000,      /* steps between charges */
    MAX_CAPTURES = 32, /* as LUA_MAXCAPTURES */
    MAX_CALLS = 200,   /* matcher calls inside each other: "pattern too complex" */
};

/* The length of a capture while it is open, and of a position capture. */
enum { CAP_OPEN = -1, CAP_POSITION = -2 };

static const char PATTERN_WHY[] = "runaway pattern match?";

/* A match in progress. */
typedef struct pmatch {
    lua_State *L;
    int charge;              /* pseudo-index of the charge function (an upvalue) */
    int left;                /* steps before the next charge */
    const char *src, *src_end; /* the subject (lent: a Lua string on the stack) */
    const char *pat_end;     /* the end of the pattern */
    int calls;               /* nested matcher calls still allowed */
    int level;               /* captures started */
    struct {
        const char *at;      /* where it starts */
        ptrdiff_t len;       /* its length, CAP_OPEN or CAP_POSITION */
    } cap[MAX_CAPTURES];
} pmatch;

/* Calls the charge function (at pseudo-index `fn`) with `steps` and `why`;
 * it raises once the budget is spent. */
static void charge(lua_State *L, int fn, long long steps, const char *why)
{
    luaL_checkstack(L, 3, "charging the budget");
    lua_pushvalue(L, fn);
    lua_pushinteger(L, steps);
    lua_pushstring(L, why);
    lua_call(L, 2, 0);
}

/* One step of the matcher. */
static inline void step(pmatch *m)
{
    if (--m->left == 0) {
        m->left = TICK;
        charge(m->L, m->charge, TICK, PATTERN_WHY);
    }
}

static void pmatch_init(pmatch *m, lua_State *L, int charge_fn, const char *s, size_t ls,
                        const char *p, size_t lp)
{
    m->L = L;
    m->charge = charge_fn;
    m->left = TICK;
    m->src = s;
    m->src_end = s + ls;
    m->pat_end = p + lp;
}

static void pmatch_reset(pmatch *m)
{
    m->level = 0;
    m->calls = MAX_CALLS;
}

/* --- one pattern item ------------------------------------------------------ */

/* The end of the single-character class at `p` ("x", "%a", "[set]"). */
static const char *item_end(const pmatch *m, const char *p)
{
    char c = *p++;
    if (c == '%') {
        if (p == m->pat_end) {
            luaL_error(m->L, "malformed pattern (ends with '%%')");
        }
        return p + 1;
    }
    if (c != '[') {
        return p;
    }
    if (*p == '^') {
        p++;
    }
    // The first character of a set is part of it even when it is ']'. The
    // string ends in a NUL, so reading *p at the end is safe.
    do {
        if (p == m->pat_end) {
            luaL_error(m->L, "malformed pattern (missing ']')");
        }
        if (*p++ == '%' && p < m->pat_end) {
            p++;
        }
    } while (*p != ']');
    return p + 1;
}

/* Whether byte `c` is in class %`cl` (%a, %d…; %A, %D… their complements;
 * any other character stands for itself), by <ctype.h> as the stock
 * library. */
static bool in_class(int c, int cl)
{
    int r;
    switch (tolower(cl)) {
    case 'a':
        r = isalpha(c);
        break;
    case 'c':
        r = iscntrl(c);
        break;
    case 'd':
        r = isdigit(c);
        break;
    case 'g':
        r = isgraph(c);
        break;
    case 'l':
        r = islower(c);
        break;
    case 'p':
        r = ispunct(c);
        break;
    case 's':
        r = isspace(c);
        break;
    case 'u':
        r = isupper(c);
        break;
    case 'w':
        r = isalnum(c);
        break;
    case 'x':
        r = isxdigit(c);
        break;
    case 'z': // the NUL byte: deprecated, but the stock library has it
        r = c == 0;
        break;
    default:
        return cl == c;
    }
    return isupper(cl) ? !r : r != 0;
}

/* Whether byte `c` is in the set from `p` ('[') to `last` (its ']'). */
static bool in_set(int c, const char *p, const char *last)
{
    bool yes = true;
    p++;
    if (*p == '^') {
        yes = false;
        p++;
    }
    for (; p < last; p++) {
        if (*p == '%') {
            p++;
            if (in_class(c, (unsigned char)*p)) {
                return yes;
            }
        } else if (p[1] == '-' && p + 2 < last) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) {
                return yes;
            }
            p += 2;
        } else if ((unsigned char)*p == c) {
            return yes;
        }
    }
    return !yes;
}

/* Whether the item from `p` to `end` matches the byte at `s`. */
static bool item_matches(const pmatch *m, const char *s, const char *p, const char *end)
{
    if (s >= m->src_end) {
        return false;
    }
    int c = (unsigned char)*s;
    switch (*p) {
    case '.':
        return true;
    case '%':
        return in_class(c, (unsigned char)p[1]);
    case '[':
        return in_set(c, p, end - 1);
    default:
        return (unsigned char)*p == c;
    }
}

/* --- the matcher ----------------------------------------------------------- */

static const char *match(pmatch *m, const char *s, const char *p);

/* x* and x+: as many as there are, then fewer until the rest matches. */
static const char *longest(pmatch *m, const char *s, const char *p, const char *end)
{
    ptrdiff_t n = 0;
    while (item_matches(m, s + n, p, end)) {
        step(m);
        n++;
    }
    for (; n >= 0; n--) {
        const char *r = match(m, s + n, end + 1);
        if (r) {
            return r;
        }
    }
    return NULL;
}

/* x-: as few as will do. */
static const char *shortest(pmatch *m, const char *s, const char *p, const char *end)
{
    for (;;) {
        const char *r = match(m, s, end + 1);
        if (r) {
            return r;
        }
        if (!item_matches(m, s, p, end)) {
            return NULL;
        }
        s++;
    }
}

static const char *capture_start(pmatch *m, const char *s, const char *p, ptrdiff_t what)
{
    if (m->level >= MAX_CAPTURES) {
        luaL_error(m->L, "too many captures");
    }
    m->cap[m->level].at = s;
    m->cap[m->level].len = what;
    m->level++;
    const char *r = match(m, s, p);
    if (!r) {
        m->level--;
    }
    return r;
}

static const char *capture_end(pmatch *m, const char *s, const char *p)
{
    int l = m->level - 1;
    while (l >= 0 && m->cap[l].len != CAP_OPEN) {
        l--;
    }
    if (l < 0) {
        luaL_error(m->L, "invalid pattern capture");
    }
    m->cap[l].len = s - m->cap[l].at;
    const char *r = match(m, s, p);
    if (!r) {
        m->cap[l].len = CAP_OPEN;
    }
    return r;
}

/* %1…%9: the text of an earlier capture again. A position capture has no
 * text and never matches. */
static const char *back_reference(pmatch *m, const char *s, int digit)
{
    int l = digit - '1';
    if (l < 0 || l >= m->level || m->cap[l].len == CAP_OPEN) {
        luaL_error(m->L, "invalid capture index %%%d", l + 1);
    }
    ptrdiff_t len = m->cap[l].len;
    if (len >= 0 && m->src_end - s >= len && memcmp(m->cap[l].at, s, (size_t)len) == 0) {
        return s + len;
    }
    return NULL;
}

/* %bxy: from an x to its balancing y. */
static const char *balanced(pmatch *m, const char *s, const char *p)
{
    if (p >= m->pat_end - 1) {
        luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    }
    if (s >= m->src_end || *s != p[0]) {
        return NULL;
    }
    int depth = 1;
    while (++s < m->src_end) {
        step(m);
        if (*s == p[1]) {
            if (--depth == 0) {
                return s + 1;
            }
        } else if (*s == p[0]) {
            depth++;
        }
    }
    return NULL;
}

/* The end of the subject's match with pattern `p` from `s`, or NULL. */
static const char *match(pmatch *m, const char *s, const char *p)
{
    if (m->calls-- == 0) {
        luaL_error(m->L, "pattern too complex");
    }
    while (s && p != m->pat_end) {
        step(m);
        if (*p == '(') {
            s = p[1] == ')' ? capture_start(m, s, p + 2, CAP_POSITION)
                            : capture_start(m, s, p + 1, CAP_OPEN);
            break;
        }
        if (*p == ')') {
            s = capture_end(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pat_end) {
            s = s == m->src_end ? s : NULL;
            break;
        }
        if (*p == '%' && p[1] == 'b') {
            s = balanced(m, s, p + 2);
            p += 4;
            continue;
        }
        if (*p == '%' && p[1] == 'f') {
            p += 2;
            if (*p != '[') {
                luaL_error(m->L, "missing '[' after '%%f' in pattern");
            }
            const char *end = item_end(m, p);
            int before = s == m->src ? 0 : (unsigned char)s[-1];
            int here = s < m->src_end ? (unsigned char)*s : 0;
            if (in_set(before, p, end - 1) || !in_set(here, p, end - 1)) {
                s = NULL;
            }
            p = end;
            continue;
        }
        if (*p == '%' && p[1] >= '0' && p[1] <= '9') {
            s = back_reference(m, s, (unsigned char)p[1]);
            p += 2;
            continue;
        }
        const char *end = item_end(m, p);
        if (!item_matches(m, s, p, end)) {
            if (*end == '*' || *end == '?' || *end == '-') {
                p = end + 1; // none of it here: the rest from here
                continue;
            }
            s = NULL;
            break;
        }
        switch (*end) {
        case '?': {
            const char *r = match(m, s + 1, end + 1);
            if (r) {
                s = r;
                goto done;
            }
            p = end + 1;
            continue;
        }
        case '+':
            s = longest(m, s + 1, p, end);
            goto done;
        case '*':
            s = longest(m, s, p, end);
            goto done;
        case '-':
            s = shortest(m, s, p, end);
            goto done;
        default:
            s++;
            p = end;
            continue;
        }
    }
done:
    m->calls++;
    return s;
}

/* --- captures -------------------------------------------------------------- */

/* Capture `i` of a match from `s` to `e` (capture 0 of a pattern without
 * any is the whole match): its text in *at and its length, or for a
 * position capture CAP_POSITION with the position pushed. */
static ptrdiff_t capture(pmatch *m, int i, const char *s, const char *e, const char **at)
{
    if (i >= m->level) {
        if (i != 0) {
            luaL_error(m->L, "invalid capture index %%%d", i + 1);
        }
        *at = s;
        return e - s;
    }
    ptrdiff_t len = m->cap[i].len;
    *at = m->cap[i].at;
    if (len == CAP_OPEN) {
        luaL_error(m->L, "unfinished capture");
    } else if (len == CAP_POSITION) {
        lua_pushinteger(m->L, (m->cap[i].at - m->src) + 1);
    }
    return len;
}

static void push_capture(pmatch *m, int i, const char *s, const char *e)
{
    const char *at;
    ptrdiff_t len = capture(m, i, s, e, &at);
    if (len != CAP_POSITION) {
        lua_pushlstring(m->L, at, (size_t)len);
    }
}

/* Pushes the captures (the whole match when there are none and `s` is
 * given); returns how many. */
static int push_captures(pmatch *m, const char *s, const char *e)
{
    int n = m->level == 0 && s ? 1 : m->level;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++) {
        push_capture(m, i, s, e);
    }
    return n;
}

/* --- find, match, gmatch, gsub --------------------------------------------- */

/* The 0-based start of a search from the 1-based, possibly negative `pos`. */
static size_t start_at(lua_Integer pos, size_t len)
{
    if (pos > 0) {
        return (size_t)pos - 1;
    }
    if (pos == 0 || pos < -(lua_Integer)len) {
        return 0;
    }
    return len + (size_t)pos;
}

/* Whether the pattern has none of the characters that make it a pattern. */
static bool plain(const char *p, size_t lp)
{
    for (size_t i = 0; i < lp; i++) {
        if (p[i] && strchr("^$*+?.([%-", p[i])) {
            return false;
        }
    }
    return true;
}

static int find_or_match(lua_State *L, bool find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_at(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || plain(p, lp))) {
        // memmem's time is linear in the subject (glibc: Two-Way for long
        // needles; at most 256 compares a byte for short ones): no budget.
        const char *at = memmem(s + init, ls - init, p, lp);
        if (at) {
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, (lua_Integer)((size_t)(at - s) + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    bool anchor = *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    pmatch m;
    pmatch_init(&m, L, lua_upvalueindex(1), s, ls, p, lp);
    const char *from = s + init;
    do {
        pmatch_reset(&m);
        const char *e = match(&m, from, p);
        if (e) {
            if (find) {
                lua_pushinteger(L, (from - s) + 1);
                lua_pushinteger(L, e - s);
                return push_captures(&m, NULL, NULL) + 2;
            }
            return push_captures(&m, from, e);
        }
    } while (from++ < m.src_end && !anchor);
    luaL_pushfail(L);
    return 1;
}

static int l_find(lua_State *L)
{
    return find_or_match(L, true);
}

static int l_match(lua_State *L)
{
    return find_or_match(L, false);
}

/* The state of a gmatch iterator: upvalues are the subject, the pattern,
 * this, and the charge function. */
typedef struct gmatch_state {
    size_t next;          /* where the next search starts (0-based; len + 1: done) */
    const char *last;     /* where the last match ended, or NULL */
    const char *p;        /* the pattern */
    pmatch m;
} gmatch_state;

static int gmatch_next(lua_State *L)
{
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    g->m.L = L;
    g->m.charge = lua_upvalueindex(4);
    size_t len = (size_t)(g->m.src_end - g->m.src);
    for (size_t i = g->next; i <= len; i++) {
        pmatch_reset(&g->m);
        const char *from = g->m.src + i;
        const char *e = match(&g->m, from, g->p);
        if (e && e != g->last) {
            g->next = (size_t)(e - g->m.src);
            g->last = e;
            return push_captures(&g->m, from, e);
        }
    }
    g->next = len + 1;
    return 0;
}

static int l_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_at(luaL_optinteger(L, 3, 1), ls);
    lua_settop(L, 2); // the subject and the pattern live on as upvalues
    gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->next = init > ls ? ls + 1 : init;
    g->last = NULL;
    g->p = p;
    pmatch_init(&g->m, L, 0, s, ls, p, lp);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, gmatch_next, 4);
    return 1;
}

/* Appends the replacement string (argument 3) for a match from `s` to `e`:
 * %0 the match, %1…%9 a capture, %% a percent sign. */
static void add_replacement(pmatch *m, luaL_Buffer *b, const char *s, const char *e)
{
    size_t l;
    const char *r = lua_tolstring(m->L, 3, &l);
    const char *pct;
    while ((pct = memchr(r, '%', l)) != NULL) {
        luaL_addlstring(b, r, (size_t)(pct - r));
        char c = pct[1]; // a NUL when '%' ends the string
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)c)) {
            const char *at;
            ptrdiff_t len = capture(m, c - '1', s, e, &at);
            if (len == CAP_POSITION) {
                luaL_addvalue(b); // the position capture() pushed
            } else {
                luaL_addlstring(b, at, (size_t)len);
            }
        } else {
            luaL_error(m->L, "invalid use of '%c' in replacement string", '%');
        }
        l -= (size_t)(pct + 2 - r);
        r = pct + 2;
    }
    luaL_addlstring(b, r, l);
}

/* Appends what replaces a match from `s` to `e`; false when the
 * replacement was false or nil, and the match is kept. */
static bool add_value(pmatch *m, luaL_Buffer *b, const char *s, const char *e, int kind)
{
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement(m, b, s, e);
        return true;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return false;
    }
    if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b);
    return true;
}

static int l_gsub(lua_State *L)
{
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *last = NULL;
    int kind = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION ||
                            kind == LUA_TTABLE,
                     3, "string/function/table");
    bool anchor = *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    pmatch m;
    pmatch_init(&m, L, lua_upvalueindex(1), src, ls, p, lp);
    lua_Integer n = 0;
    bool changed = false;
    while (n < max) {
        pmatch_reset(&m);
        const char *e = match(&m, src, p);
        if (e && e != last) {
            n++;
            changed = add_value(&m, &b, src, e, kind) || changed;
            src = last = e;
        } else if (src < m.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor) {
            break;
        }
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(m.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* --- the other functions: a check, then the stock function ------------------ */

/* string.rep(s, n [, sep]): nothing repeated any number of times is
 * nothing, at once (the stock function copies zero bytes n times). Upvalues:
 * the charge function, the stock function. */
static int l_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0 && l == 0 && lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    return lua_tocfunction(L, lua_upvalueindex(2))(L);
}

/* table.move(a1, f, e, t [, a2]): e - f + 1 elements, charged first. */
static int l_move(lua_State *L)
{
    int okf, oke;
    lua_Integer f = lua_tointegerx(L, 2, &okf), e = lua_tointegerx(L, 3, &oke);
    if (okf && oke && e >= f) {
        lua_Unsigned n = (lua_Unsigned)e - (lua_Unsigned)f + 1u;
        char why[64];
        snprintf(why, sizeof why, "table.move of %llu elements", (unsigned long long)n);
        charge(L, lua_upvalueindex(1), n > LLONG_MAX ? LLONG_MAX : (long long)n, why);
    }
    return lua_tocfunction(L, lua_upvalueindex(2))(L);
}

/* table.insert, remove and sort: on a table whose __len gives its length,
 * that length is charged first (for sort, n log n): the stock functions
 * move or compare that many elements in one C call. Upvalues: the charge
 * function, the stock function, its name. */
static int l_length_guard(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE && luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
        lua_pop(L, 1);
        lua_Integer n = luaL_len(L, 1);
        if (n > 0) {
            const char *name = lua_tostring(L, lua_upvalueindex(3));
            long long cost = n;
            if (strcmp(name, "table.sort") == 0) {
                for (lua_Integer k = n; k > 1 && cost < LLONG_MAX / 2; k >>= 1) {
                    cost += n < LLONG_MAX - cost ? n : 0;
                }
            }
            char why[96];
            snprintf(why, sizeof why, "%s on a table of length %lld", name, (long long)n);
            charge(L, lua_upvalueindex(1), cost, why);
        }
    }
    return lua_tocfunction(L, lua_upvalueindex(2))(L);
}

/* Replaces lib[name] by `f` with upvalues: the charge function (at
 * `charge_idx`), the stock function, and `label`. */
static void wrap(lua_State *L, int lib, int charge_idx, const char *name, lua_CFunction f,
                 const char *label)
{
    lua_pushvalue(L, charge_idx);
    lua_getfield(L, lib, name);
    lua_pushstring(L, label);
    lua_pushcclosure(L, f, 3);
    lua_setfield(L, lib, name);
}

void theme_lib_open(lua_State *L, lua_CFunction charge_fn)
{
    lua_pushcfunction(L, charge_fn);
    int fn = lua_gettop(L);
    lua_getglobal(L, LUA_STRLIBNAME);
    int str = lua_gettop(L);
    static const luaL_Reg patterns[] = {
        {"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}, {NULL, NULL}};
    for (const luaL_Reg *r = patterns; r->name; r++) {
        lua_pushvalue(L, fn);
        lua_pushcclosure(L, r->func, 1);
        lua_setfield(L, str, r->name);
    }
    wrap(L, str, fn, "rep", l_rep, "string.rep");
    lua_getglobal(L, LUA_TABLIBNAME);
    int tab = lua_gettop(L);
    wrap(L, tab, fn, "move", l_move, "table.move");
    wrap(L, tab, fn, "insert", l_length_guard, "table.insert");
    wrap(L, tab, fn, "remove", l_length_guard, "table.remove");
    wrap(L, tab, fn, "sort", l_length_guard, "table.sort");
    lua_settop(L, fn - 1);
}
