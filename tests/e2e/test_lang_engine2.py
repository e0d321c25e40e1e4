#!/usr/bin/python3
"""End-to-end tests of the engine's messages in Japanese, second part: the
errors of the office files (a workbook that is not a zip, a declared
document type, a wrong answer in a sheet, a bad template tag), of the JSON
data and of the theme scripts read in Japanese with LANG=ja_JP.UTF-8 and
stay the same English with LANG=C.UTF-8. The place a message names
(file!part, sheet!cell, file:line:column) leads it unchanged in both;
what libraries and Lua say (jansson's parse error, a Lua syntax error)
stays as they say it.

    /usr/bin/python3 tests/e2e/test_lang_engine2.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import os
import sys
import zipfile

from harness import check, check_eq, in_lang, refused, run_suite

COMPANY = "株式会社言語精工"
SHEET = "自社診断"
CHOICES = "実施している, 一部実施している, 実施していない, わからない"
DTD = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


class Case:
    """One engagement on the policy theme (engagement 1) and its blank
    self-diagnosis."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", COMPANY, "--industry", "製造業", "--employees", "25")
        e.run(*self.c, "expert", "add", "専門 太郎", "--themes", "policy")
        e.run(*self.c, "engage", "1", "policy", "--expert", "1")
        self.blank = self.path("blank.xlsx")
        e.run(*self.c, "worksheet", "1", "self-diagnosis", "--blank", "-o", self.blank)
        self.template = os.path.join(e.root, "templates", "common", "訪問計画書.docx")
        self.data = self.path("data.json")
        with open(self.data, "w") as f:
            f.write("{}")

    def path(self, name):
        return os.path.join(self.e.tmp, name)


def rezip(src, dst, change):
    """A copy of the zip `src` with each member's bytes passed through change(name, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


def with_dtd(xml, dtd):
    """The document with `dtd` after its XML declaration (or first)."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + dtd + xml[end:]
    return dtd + xml


def test_import_not_a_zip(e, k):
    f = k.path("not-a-zip.xlsx")
    with open(f, "w") as out:
        out.write("a text file named .xlsx\n")
    refused(e, k.c + ["import", "1", f],
            "%s: zip アーカイブではありません（.docx や .xlsx は zip です）" % f,
            "%s: not a zip archive (a .docx or .xlsx is one)" % f)


def test_import_doctype(e, k):
    f = k.path("xxe.xlsx")
    rezip(k.blank, f, lambda n, d: with_dtd(d, DTD) if n == "xl/worksheets/sheet1.xml" else d)
    refused(e, k.c + ["import", "1", f],
            "%s!xl/worksheets/sheet1.xml: 文書型宣言（DOCTYPE）は使えません" % f,
            "%s!xl/worksheets/sheet1.xml: a document type declaration is not allowed" % f)


def test_import_wrong_answer(e, k):
    import openpyxl
    wb = openpyxl.load_workbook(k.blank)
    ws = wb[SHEET]
    where = [(r, c) for r in range(1, 40) for c in range(1, ws.max_column + 1)
             if ws.cell(r, c).value == "回答"]
    check(len(where) == 1, "one 回答 header in the blank: %r" % where)
    row, col = where[0][0] + 1, where[0][1]
    for r in range(row, row + 25):
        ws.cell(r, col).value = "実施している"
    ws.cell(row, col).value = "高い"
    f = k.path("wrong.xlsx")
    wb.save(f)
    ref = "%s!%s%d" % (SHEET, openpyxl.utils.get_column_letter(col), row)
    refused(e, k.c + ["import", "1", f],
            ["%s: '高い' は %s のいずれでもありません" % (ref, CHOICES),
             "%s に 1 件の問題があります: 何も取り込んでいません" % f],
            ["%s: '高い' is not one of %s" % (ref, CHOICES),
             "1 problem in %s: nothing imported" % f])


def test_render_bad_tag(e, k):
    t = k.path("bad-tag.docx")

    def bad(name, data):
        if name != "word/document.xml":
            return data
        i = data.index(b"{{")
        return data[:i] + b"{{?x}}" + data[i:]
    rezip(k.template, t, bad)
    refused(e, ["render", t, k.data, "-o", k.path("out.docx")],
            "%s: word/document.xml: 段落 '作成日\u3000{{?x}}{{today_both}}': 不明なタグの形式 '{{?x}}'" % t,
            "%s: word/document.xml: paragraph '作成日\u3000{{?x}}{{today_both}}': unknown tag form "
            "'{{?x}}'" % t)
    check(not os.path.exists(k.path("out.docx")), "a refused render wrote its output")


def test_render_json_errors(e, k):
    bad = k.path("bad.json")
    with open(bad, "w") as f:
        f.write('{\n  "a": 1,\n  "b" 2\n}\n')
    # The position is ours, the words are jansson's: the same in both.
    refused(e, ["render", k.template, bad, "-o", k.path("out.docx")],
            "%s:3:7: ':' expected near '2'" % bad, "%s:3:7: ':' expected near '2'" % bad)
    lst = k.path("list.json")
    with open(lst, "w") as f:
        f.write("[1, 2]")
    refused(e, ["render", k.template, lst, "-o", k.path("out.docx")],
            "%s: データは JSON オブジェクトでなければなりません（list ではなく）" % lst,
            "%s: the data must be a JSON object, not a list" % lst)
    refused(e, ["render", k.template, k.data, "-o", k.path("out.docx"), "--each", "rows"],
            "%s: --each: データの 'rows' はリストではありません" % k.template,
            "%s: --each: 'rows' is not a list in the data" % k.template)


def theme_file(k, tid, text):
    d = os.path.join(k.ws, "themes", tid)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "theme.lua")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_theme_bad_field(e, k):
    path = theme_file(k, "bad", 'return theme {\n  id = "bad",\n  colour = "red",\n}\n')
    refused(e, k.c + ["theme", "show", "bad"],
            "%s:1: 'colour' は不明な項目です（ほかにもあります: 'bansou theme check' を実行してください）"
            % path,
            "%s:1: unknown field 'colour' (and more: run 'bansou theme check')" % path)
    path = theme_file(k, "wrong-id", 'return theme {\n  id = "other",\n}\n')
    refused(e, k.c + ["theme", "show", "wrong-id"],
            "%s:1: id: 'other' がフォルダ名 'wrong-id' と一致しません（ほかにもあります: "
            "'bansou theme check' を実行してください）" % path,
            "%s:1: id: 'other' does not match the folder name 'wrong-id' (and more: run "
            "'bansou theme check')" % path)


def test_theme_syntax_error(e, k):
    path = theme_file(k, "syntax", 'return theme {\n  id = "syntax"\n  name = 1\n}\n')
    # Lua's own words, after the place: the same in both.
    msg = "%s:3: '}' expected (to close '{' at line 1) near 'name'" % path
    refused(e, k.c + ["theme", "show", "syntax"], msg, msg)


def test_theme_unknown(e, k):
    # Outside the workspace: only the installed themes are known.
    refused(e, ["theme", "show", "nosuch"],
            "テーマ 'nosuch' がありません（あるもの: assets, cloud, incident, policy, training）",
            "no theme 'nosuch' (known: assets, cloud, incident, policy, training)")


TESTS = [test_import_not_a_zip, test_import_doctype, test_import_wrong_answer,
         test_render_bad_tag, test_render_json_errors, test_theme_bad_field,
         test_theme_syntax_error, test_theme_unknown]


if __name__ == "__main__":
    sys.exit(run_suite("lang_engine2", TESTS, Case))
