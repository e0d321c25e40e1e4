/* theme_int: what theme.c (the sandbox) and theme_lib.c (the library
 * functions it replaces) share. Not for other modules. */
#ifndef BS_THEME_INT_H
#define BS_THEME_INT_H

#include <lua.h>

/* Replaces the functions of the string and table libraries (opened in `L`
 * already) that can loop in C for a long time: the count hook never fires
 * inside one C call, so a single string.find with a pattern that backtracks,
 * or a table.move of 10^15 elements, would outlast every budget.
 *
 * - string.find, match, gmatch and gsub: Lua 5.4's patterns, with every
 *   step of the matcher counted; a plain search takes linear time;
 * - string.rep of nothing returns at once, however many times;
 * - table.move, and table.insert, remove and sort on a table with __len,
 *   count the elements they will touch before they start.
 *
 * Counted work is passed to `charge`, called as charge(steps, why) every
 * few thousand steps; it raises (naming the Lua line of the call and
 * `why`) once the budget is spent. Everything else behaves as the stock
 * functions do: results, errors and their messages. */
void theme_lib_open(lua_State *L, lua_CFunction charge);

#endif
