#!/usr/bin/env python3
"""The boundaries of DESIGN.md that the build can check:

- the front end (src/cli*.c, src/cli_int.h) includes no renderer, worksheet
  or theme header and calls no theme function: it parses, calls the engine
  API and prints;
- no object file of the front end refers to a symbol defined by the
  renderers, the worksheet machinery or the theme module (what the linker
  sees, so a declaration copied by hand does not get past);
- the modules call each other without a circle: the graph of object files
  (who refers to a symbol defined by whom) has no cycle;
- only the SQLite implementation of the database layer (src/db_sqlite.c)
  includes sqlite3.h or calls SQLite, and only the PostgreSQL one
  (src/db_pg.c) includes libpq-fe.h or calls libpq: the store speaks
  through db.h, so that a backend needs no change above that layer.

Each check also runs on a made-up tree that breaks it, so that a check which
cannot fail is itself a failure.

  tests/arch/layers.py --root DIR --build DIR
Ends with "layers: N passed, N failed".
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

FORBIDDEN_HEADERS = ["docx.h", "docx_int.h", "xlsxw.h", "xlsxr.h", "worksheet.h", "theme.h",
                     "theme_int.h", "zipio.h", "xmlu.h"]
FORBIDDEN_CALLS = ["theme_call", "theme_load", "theme_model", "lua_"]
# Objects whose symbols the front end must not reach.
ENGINE_INSIDES = ["docx", "docx_run", "docx_text", "xlsxw", "xlsxr", "worksheet", "theme",
                  "theme_lib", "zipio", "xmlu"]
# The engine libraries kept to one file each: (name, header, the file that
# may include it and call it, what the library's symbols begin with).
DB_ENGINES = [("SQLite", "sqlite3.h", "db_sqlite.c", ("sqlite3_",)),
              ("libpq", "libpq-fe.h", "db_pg.c",
               ("PQ", "lo_", "pg_char_to_encoding", "pg_encoding_to_char",
                "pg_valid_server_encoding"))]


def front_end_files(src):
    return sorted(os.path.join(src, f) for f in os.listdir(src)
                  if f.startswith("cli") and (f.endswith(".c") or f.endswith(".h")))


def source_problems(src):
    """Lines of the front end that include a forbidden header or call Lua."""
    out = []
    inc = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]')
    for path in front_end_files(src):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = inc.match(line)
                if m and os.path.basename(m.group(1)) in FORBIDDEN_HEADERS:
                    out.append("%s:%d: includes %s" % (os.path.basename(path), n, m.group(1)))
                code = line.split("//")[0]
                for call in FORBIDDEN_CALLS:
                    if re.search(r"\b%s\w*\s*\(" % re.escape(call), code):
                        out.append("%s:%d: calls %s" % (os.path.basename(path), n, call))
    return out


def engine_source_problems(src, header="sqlite3.h", allowed="db_sqlite.c"):
    """Lines of src/ outside `allowed` that include `header`."""
    out = []
    inc = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]')
    for f in sorted(os.listdir(src)):
        if not (f.endswith(".c") or f.endswith(".h")) or f == allowed:
            continue
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = inc.match(line)
                if m and os.path.basename(m.group(1)) == header:
                    out.append("%s:%d: includes %s" % (f, n, m.group(1)))
    return out


def engine_link_problems(table, prefixes=("sqlite3_",), allowed="db_sqlite.c"):
    """Objects other than `allowed`'s that refer to a symbol with one of
    `prefixes`."""
    out = []
    for obj, (_, undef) in sorted(table.items()):
        if obj + ".c" == allowed:
            continue
        used = sorted(s for s in undef if s.startswith(prefixes))
        if used:
            out.append("%s.o uses %s" % (obj, used[0]))
    return out


def sqlite_source_problems(src):
    return engine_source_problems(src, DB_ENGINES[0][1], DB_ENGINES[0][2])


def sqlite_link_problems(table):
    return engine_link_problems(table, DB_ENGINES[0][3], DB_ENGINES[0][2])


def symbols(build):
    """{object: (defined symbols, undefined symbols)} from nm."""
    table = {}
    for f in sorted(os.listdir(build)):
        if not f.endswith(".o"):
            continue
        text = subprocess.run(["nm", os.path.join(build, f)], capture_output=True, text=True,
                              check=True).stdout
        defs, undef = set(), set()
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBRC":
                defs.add(parts[2])
            elif len(parts) == 2 and parts[0] == "U":
                undef.add(parts[1])
        table[f[:-2]] = (defs, undef)
    return table


def graph(table):
    owner = {}
    for obj, (defs, _) in table.items():
        for s in defs:
            owner[s] = obj
    g = {obj: {} for obj in table}
    for obj, (_, undef) in table.items():
        for s in sorted(undef):
            o = owner.get(s)
            if o and o != obj:
                g[obj].setdefault(o, s)  # one symbol to name the edge by
    return g


def link_problems(g):
    out = []
    for obj in sorted(g):
        if not obj.startswith("cli"):
            continue
        for dep, sym in sorted(g[obj].items()):
            if dep in ENGINE_INSIDES:
                out.append("%s.o uses %s from %s.o" % (obj, sym, dep))
    return out


def cycle(g):
    """One cycle of the graph as a list of objects, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(g[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    args = ap.parse_args()
    src = os.path.join(args.root, "src")
    build = args.build if os.path.isabs(args.build) else os.path.join(args.root, args.build)
    passed = failed = 0

    def result(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("  " + p)
        else:
            passed += 1
            print("ok   %s" % name)

    # The checks on a made-up tree: each must find what was planted.
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "cli_bad.c"), "w") as f:
            f.write('#include "theme.h"\nint f(void) { return theme_call(0, 0, 0, 0, 0); }\n')
        planted = source_problems(tmp)
        with open(os.path.join(tmp, "store.c"), "w") as f:
            f.write('#include <sqlite3.h>\n')
        with open(os.path.join(tmp, "db_sqlite.c"), "w") as f:
            f.write('#include <sqlite3.h>\n')
        planted_sqlite = sqlite_source_problems(tmp)
    result("the source check finds a planted include and call",
           [] if len(planted) == 2 else ["found %r" % planted])
    result("the SQLite source check finds a planted include",
           [] if planted_sqlite == ["store.c:1: includes sqlite3.h"]
           else ["found %r" % planted_sqlite])
    fake_objs = {"store": (set(), {"sqlite3_step", "value_map"}),
                 "db_sqlite": (set(), {"sqlite3_step"})}
    result("the SQLite link check finds a planted reference",
           [] if sqlite_link_problems(fake_objs) == ["store.o uses sqlite3_step"] else ["missed"])
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("store.c", "db_pg.c"):
            with open(os.path.join(tmp, name), "w") as f:
                f.write('#include <libpq-fe.h>\n')
        planted_pq = engine_source_problems(tmp, "libpq-fe.h", "db_pg.c")
    result("the libpq source check finds a planted include",
           [] if planted_pq == ["store.c:1: includes libpq-fe.h"] else ["found %r" % planted_pq])
    fake_pq = {"store": (set(), {"PQexec", "value_map"}), "db_pg": (set(), {"PQexec"})}
    result("the libpq link check finds a planted reference",
           [] if engine_link_problems(fake_pq, DB_ENGINES[1][3], "db_pg.c")
           == ["store.o uses PQexec"] else ["missed"])
    fake = {"cli_x": {"theme": "theme_call"}, "theme": {}, "a": {"b": "b_f"}, "b": {"a": "a_f"}}
    result("the link check finds a planted reference",
           [] if link_problems(fake) == ["cli_x.o uses theme_call from theme.o"] else ["missed"])
    result("the cycle check finds a planted circle",
           [] if cycle(fake) == ["a", "b", "a"] else ["found %r" % cycle(fake)])

    result("front end includes no renderer, worksheet or theme header, calls no theme function",
           source_problems(src))
    result("only the SQLite database layer includes sqlite3.h", sqlite_source_problems(src))
    result("only the PostgreSQL database layer includes libpq-fe.h",
           engine_source_problems(src, DB_ENGINES[1][1], DB_ENGINES[1][2]))
    table = symbols(build)
    if "cli" not in table or "produce" not in table:
        result("object files present", ["no objects in %s: build first" % build])
    else:
        g = graph(table)
        result("front end objects use no renderer, worksheet or theme symbol", link_problems(g))
        result("only the SQLite database layer calls SQLite", sqlite_link_problems(table))
        result("only the PostgreSQL database layer calls libpq",
               engine_link_problems(table, DB_ENGINES[1][3], DB_ENGINES[1][2]))
        c = cycle(g)
        result("modules call each other without a circle",
               ["circle: " + " -> ".join(c)] if c else [])
    print("layers: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
