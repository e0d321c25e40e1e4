#!/usr/bin/env python3
"""The message catalogues are complete:

- every message the sources mark for translation (`_("…")`, `N_("…")`) has
  a translation in po/LANG.po for every language of the Makefile's LINGUAS,
  none of them fuzzy;
- po/LANG.po holds no message the sources no longer use (`make po` drops
  them), so a changed English message cannot keep an old translation;
- every translation keeps the conversions of its format (msgfmt --check);
- no error message is left unmarked: the format of bs_err_set and
  bs_err_prefix in src/*.c is a `_("…")`, or has no words at all ("%s: %s");
- the front ends (src/cli_*.c) write no Japanese of their own: a literal
  with Japanese in it is marked (a help text quoting a Japanese example), or
  is a value rather than a message and says so with a `// value` comment on
  its line (a stored default such as the kind 会社).

Each check also runs on a made-up catalogue or source that breaks it, so that
a check which cannot fail is itself a failure.

  tests/arch/catalogue.py --root DIR --build DIR
Ends with "catalogue: N passed, N failed".
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def languages(root):
    with open(os.path.join(root, "Makefile"), encoding="utf-8") as f:
        m = re.search(r"^LINGUAS\s*=\s*(.*)$", f.read(), re.M)
    return m.group(1).split()


def make_pot(root, tmp):
    """The template of every message, made by the Makefile's own rule."""
    build = os.path.join(tmp, "pot")
    p = run(["make", "-s", "--no-print-directory", "-C", root, "BUILD=" + build,
             build + "/bansou.pot"])
    if p.returncode != 0:
        raise RuntimeError("make bansou.pot: " + p.stderr.strip())
    return build + "/bansou.pot"


def entries(po_text):
    """[(msgid, msgstr, flags, locations)] of a catalogue, header left out."""
    out = []
    for block in re.split(r"\n\s*\n", po_text):
        if block.lstrip().startswith("#~"):
            out.append(("#~", "", set(), []))
            continue
        lines = block.strip().split("\n")
        flags, locs, parts, cur = set(), [], {"msgid": [], "msgstr": []}, None
        for line in lines:
            if line.startswith("#,"):
                flags.update(x.strip() for x in line[2:].split(","))
            elif line.startswith("#:"):
                locs.extend(line[2:].split())
            elif line.startswith("msgctxt"):
                cur = None
            elif line.startswith("msgid_plural"):
                cur = None
            elif line.startswith("msgid "):
                cur = "msgid"
                parts[cur].append(line[6:])
            elif re.match(r"msgstr(\[0\])? ", line):
                cur = "msgstr"
                parts[cur].append(line.split(" ", 1)[1])
            elif line.startswith('"') and cur:
                parts[cur].append(line)
        if not parts["msgid"]:
            continue
        msgid = "".join(eval(s) for s in parts["msgid"])  # noqa: S307 - C string literals
        msgstr = "".join(eval(s) for s in parts["msgstr"])  # noqa: S307
        if msgid:
            out.append((msgid, msgstr, flags, locs))
    return out


def missing_translations(pot, po, tmp):
    """The messages of `pot` that `po` does not translate (or only fuzzily),
    and the messages of `po` that `pot` does not have."""
    merged = os.path.join(tmp, "merged.po")
    p = run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot])
    if p.returncode != 0:
        raise RuntimeError("msgmerge: " + p.stderr.strip())
    with open(merged, encoding="utf-8") as f:
        merged_entries = entries(f.read())
    with open(pot, encoding="utf-8") as f:
        wanted = {e[0] for e in entries(f.read())}
    with open(po, encoding="utf-8") as f:
        have = entries(f.read())
    untranslated = ["%s: %r" % (" ".join(locs) or "?", msgid)
                    for msgid, msgstr, flags, locs in merged_entries
                    if msgid != "#~" and (not msgstr or "fuzzy" in flags)]
    stale = ["%r (obsolete entry)" % m if m == "#~" else repr(m)
             for m, _s, _f, _l in have if m == "#~" or m not in wanted]
    return untranslated, stale


def format_problems(po):
    p = run(["msgfmt", "--check", "-o", os.devnull, po])
    return [] if p.returncode == 0 else [p.stderr.strip()]


# bs_err_set(err, CODE, "…" or bs_err_prefix(err, "…"; the literal's words
# (letters outside conversions) make it a message that needs marking.
UNMARKED = re.compile(r'\b(bs_err_set\s*\([^,]*,[^,]*,|bs_err_prefix\s*\([^,]*,)\s*"((?:[^"\\]|\\.)*)"')


def unmarked_messages(src):
    out = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        for m in UNMARKED.finditer(text):
            words = re.sub(r"%[-+ #0-9.$]*[a-zA-Z]+", "", m.group(2))
            if re.search(r"[A-Za-z]{2,}", words):
                line = text.count("\n", 0, m.start()) + 1
                out.append("%s:%d: %r" % (name, line, m.group(2)))
    return out


# A C string literal, or a run of them joined by white space only.
LITERALS = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*')
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def strip_comments(text):
    """`text` with its comments blanked (lines kept), literals left alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text[i] == '"':
            m = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j])
            i = j
        elif text[i] == "'":
            m = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def unmarked_japanese(src):
    """Literals with Japanese in the front ends that are neither marked nor
    said to be values."""
    out = []
    for name in sorted(os.listdir(src)):
        if not (name.startswith("cli") and name.endswith(".c")):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            raw = f.read()
        lines = raw.split("\n")
        code = strip_comments(raw)
        for m in LITERALS.finditer(code):
            if not JAPANESE.search(m.group(0)):
                continue
            before = code[:m.start()].rstrip()
            if re.search(r"\bN?_\($", before):
                continue
            line = code.count("\n", 0, m.start()) + 1
            last = code.count("\n", 0, m.end()) + 1
            if any("// value" in lines[k - 1] for k in range(line, last + 1)):
                continue
            out.append("%s:%d: %s" % (name, line, m.group(0)[:60]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    passed = failed = 0

    def report(name, problems, expect_problems=False):
        nonlocal passed, failed
        ok = bool(problems) if expect_problems else not problems
        if ok:
            print("ok - %s" % name)
            passed += 1
        else:
            shown = "\n    ".join(problems[:40]) if problems else "(the check found nothing)"
            more = "\n    … %d more" % (len(problems) - 40) if len(problems) > 40 else ""
            print("FAIL - %s:\n    %s%s" % (name, shown, more))
            failed += 1

    with tempfile.TemporaryDirectory() as tmp:
        try:
            pot = make_pot(root, tmp)
        except RuntimeError as x:
            report("template_of_messages", [str(x)])
            print("catalogue: %d passed, %d failed" % (passed, failed))
            return 1
        for lang in languages(root):
            po = os.path.join(root, "po", lang + ".po")
            if not os.path.exists(po):
                report("%s_exists" % lang, ["po/%s.po is missing" % lang])
                continue
            untranslated, stale = missing_translations(pot, po, tmp)
            report("%s_translates_every_message" % lang, untranslated)
            report("%s_has_no_stale_messages" % lang, stale)
            report("%s_keeps_every_format" % lang, format_problems(po))

            # The same checks on a catalogue that breaks each of them.
            with open(po, encoding="utf-8") as f:
                text = f.read()
            broken = os.path.join(tmp, "broken.po")
            first = re.search(r'\nmsgid "[^"]+"\nmsgstr "(?:[^"\\]|\\.)+"', text)
            if first:
                emptied = text[:first.start()] + re.sub(r'msgstr ".*"', 'msgstr ""',
                                                        first.group(0)) + text[first.end():]
                with open(broken, "w", encoding="utf-8") as f:
                    f.write(emptied)
                report("%s_check_sees_an_untranslated_message" % lang,
                       missing_translations(pot, broken, tmp)[0], expect_problems=True)
            with open(broken, "w", encoding="utf-8") as f:
                f.write(text + '\nmsgid "a message no source has"\nmsgstr "どこにもない"\n')
            report("%s_check_sees_a_stale_message" % lang,
                   missing_translations(pot, broken, tmp)[1], expect_problems=True)
            with open(broken, "w", encoding="utf-8") as f:
                f.write(text + '\n#, c-format\nmsgid "%s and %d"\nmsgstr "%d と"\n')
            report("%s_check_sees_a_lost_conversion" % lang, format_problems(broken),
                   expect_problems=True)

        report("every_error_message_is_marked", unmarked_messages(os.path.join(root, "src")))
        fake = os.path.join(tmp, "fake-src")
        os.makedirs(fake)
        with open(os.path.join(fake, "x.c"), "w", encoding="utf-8") as f:
            f.write('int f(bs_err *err)\n{\n    return bs_err_set(err, BS_EINPUT,\n'
                    '                      "visit %d is not planned", 1);\n}\n'
                    'void g(bs_err *err) { bs_err_prefix(err, "%s: %s", "a", "b"); }\n')
        found = unmarked_messages(fake)
        report("unmarked_check_sees_a_bare_message",
               found if found == ["x.c:3: 'visit %d is not planned'"] else [],
               expect_problems=True)
        shutil.rmtree(fake)

        report("front_ends_write_no_japanese_of_their_own",
               unmarked_japanese(os.path.join(root, "src")))
        os.makedirs(fake)
        with open(os.path.join(fake, "cli_x.c"), "w", encoding="utf-8") as f:
            f.write('/* 「会社」 in a comment */\n'
                    'static const char *const h[] = {"ID", "会社名", NULL};\n'
                    'static const char *k = "会社"; // value: the default kind\n'
                    'static const char *m = N_("where, e.g. \\"本社\\" "\n'
                    '                       "or 支店");\n'
                    'void f(void) { cli_line("テーマ%d", 1); }\n')
        found = unmarked_japanese(fake)
        report("japanese_check_sees_a_bare_label",
               found if found == ['cli_x.c:2: "会社名"', 'cli_x.c:6: "テーマ%d"'] else [],
               expect_problems=True)
        shutil.rmtree(fake)

    print("catalogue: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
