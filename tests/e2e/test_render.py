#!/usr/bin/python3
"""End-to-end tests of `bansou render`: fill the DOCX fixtures made by
LibreOffice (tests/fixtures/docx, see make-fixtures there) and read the
results back with python-docx.

    /usr/bin/python3 tests/e2e/test_render.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Python 3 standard library plus python-docx (`import docx`, Debian's
python3-docx); the PDF check at the end uses LibreOffice (soffice) if it is
installed.  --tmp is wiped and recreated.  Each test prints `ok - NAME` or
`FAIL - NAME: why`; the last line is `render: N passed, N failed` and the exit
status is 1 when any test failed.
"""
import argparse
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import traceback
import zipfile
import zlib
import xml.etree.ElementTree as ET

from harness import Fail, Result, check, check_eq, check_list, dec

try:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph
except ImportError:  # reported as a failure in main()
    docx = None

TIMEOUT = 60
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS


class Ctx:
    def __init__(self, binary, root, tmp):
        self.bin, self.root, self.tmp = binary, root, tmp
        self.fx = os.path.join(root, "tests", "fixtures", "docx")
        self.rendered = []  # (name, path) of good renders, for the PDF check
        # The messages the tests expect are English ones.
        self.env = dict(os.environ, LANG="C.UTF-8")
        for k in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            self.env.pop(k, None)

    def fixture(self, name):
        return os.path.join(self.fx, name)

    def run(self, args, stdin=None, timeout=TIMEOUT):
        cmd = [self.bin] + list(args)
        t = time.monotonic()
        try:
            p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout, cwd=self.tmp, env=self.env)
        except subprocess.TimeoutExpired as e:
            r = Result(cmd, None, dec(e.stdout), dec(e.stderr), timeout)
            raise Fail("timed out after %ss" % timeout, r)
        r = Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t)
        if p.returncode < 0:
            raise Fail("killed by signal %d (crash)" % -p.returncode, r)
        return r

    def render(self, template, data, out, *extra, stdin=None, timeout=TIMEOUT):
        return self.run(["render", template, data, "-o", out] + list(extra),
                        stdin=stdin, timeout=timeout)

    def workdir(self, name):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        return d


def ptext(p):
    r"""The text of a paragraph (python-docx Paragraph, or a w:p element of
    lxml or ElementTree) as python-docx gives it (w:tab -> \t, w:br/w:cr ->
    \n), but including runs inside w:hyperlink, w:ins, w:smartTag and the
    like, which python-docx 0.8 leaves out.  Field instructions (w:instrText)
    are not text."""
    el = getattr(p, "_p", p)
    s = []
    for r in el.iter(W + "r"):
        for x in r:
            if x.tag == W + "t":
                s.append(x.text or "")
            elif x.tag == W + "tab":
                s.append("\t")
            elif x.tag in (W + "br", W + "cr"):
                s.append("\n")
    return "".join(s)


def cell_value(cell):
    """A cell's text: a string for a one-paragraph cell, else the list of its
    paragraphs' texts (so an empty paragraph left behind shows)."""
    ps = [ptext(p) for p in cell.paragraphs]
    return ps[0] if len(ps) == 1 else ps


def table_value(table):
    return [[cell_value(c) for c in row.cells] for row in table.rows]


def body_items(doc):
    """The body in order: a string per paragraph, a list of rows per table."""
    items = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            items.append(ptext(el))
        elif el.tag == qn("w:tbl"):
            items.append(table_value(Table(el, doc)))
    return items


def body_paragraphs(doc):
    return [Paragraph(el, doc) for el in doc.element.body.iterchildren() if el.tag == qn("w:p")]


def part_texts(path, part, element):
    """Texts of the `element`s (e.g. w:footnote) of an XML part, without the
    separator notes; w:tab -> \\t, w:br -> \\n, paragraphs joined by \\n."""
    with zipfile.ZipFile(path) as z:
        if part not in z.namelist():
            return None
        root = ET.fromstring(z.read(part))
    out = []
    for note in root.iter(W + element):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        out.append("\n".join(ptext(p) for p in note.iter(W + "p")))
    return out


def open_docx(path, result=None):
    check(os.path.isfile(path), "output %s was not written" % path, result)
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            check(bad is None, "corrupt zip entry %s in %s" % (bad, path), result)
            for n in z.namelist():
                if n.endswith(".xml") or n.endswith(".rels"):
                    try:
                        ET.fromstring(z.read(n))
                    except ET.ParseError as e:
                        raise Fail("%s in %s is not well-formed XML: %s" % (n, path, e), result)
        return docx.Document(path)
    except Fail:
        raise
    except Exception as e:
        raise Fail("python-docx cannot open %s: %s: %s" % (path, type(e).__name__, e), result)


def all_text(path):
    """Every text of the parts the renderer fills, for 'no tag left' checks."""
    texts = []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", n):
                root = ET.fromstring(z.read(n))
                for p in root.iter(W + "p"):
                    texts.append("".join(t.text or "" for t in p.iter(W + "t")))
            elif n == "docProps/core.xml":
                root = ET.fromstring(z.read(n))
                texts.extend(el.text or "" for el in root)
    return texts


def warnings(err):
    return [l for l in err.splitlines() if l.startswith("bansou: warning:")]


def no_tags_left(path, result):
    for t in all_text(path):
        check("{{" not in t and "}}" not in t, "a tag was left in the output: %r" % t, result)


# --- expected results of the good fixtures ----------------------------------

def exp_basic(company="株式会社さくら精機", pref="大阪府", city="東大阪市", contact="山田 太郎",
              employees="42", rating="3.5", capital="3",
              url="https://sakura-seiki.example.jp/?a=1&b=2"):
    return [
        "情報セキュリティ点検報告書",
        "会社名: %s 様" % company,
        "所在地: %s%s" % (pref, city),
        "担当者: %s（情報システム担当）" % contact,
        "作成日: 2025年4月1日",
        "従業員数: %s名、評点: %s、資本金: %s百万円" % (employees, rating, capital),
        "大きな数: 12345678901、負の数: -7、比率: 2.5",
        "実数: 1000000000 / 0.1",  # the JSON real 1e9 is an integer: no exponent, no .0
        "備考: 一行目\n二行目\tタブの後",
        "特殊文字: <&>\"' A&B <b>太字</b> 🔒",
        "制御文字: 前後終",  # \u0001 \u001f \ufffe dropped
        "真偽:\ttrue / false",
        "書体: 情報セキュリティ点検報告書",
        "分割: %s" % city,
        "Web: %s" % url,  # in a w:hyperlink
        "以上",
    ]


EXP_TABLE_LOOP = [
    "資産台帳: 有限会社みどり物流",
    "以下は有限会社みどり物流の主な情報資産です。",
    [["No", "資産名", "管理者", "重要度"],
     ["1", "ノートPC（営業部）", "佐藤 花子", "高"],
     ["2", "ファイルサーバ", "鈴木 一郎", "高"],
     ["3", "複合機", "高橋 次郎", "中"],
     ["4", "来客用Wi-Fi & ルータ <5GHz>", "田中 美咲", "2"],
     ["合計", "", "", "4件"]],
    "件数: 4",
    "以上",
]


def _sec(title, body, score):
    return [title, body, [["項目", title], ["評価", score]]]


EXP_PARAGRAPH_LOOP = (
    ["株式会社あおば工務店 点検結果の詳細"]
    + _sec("1. 組織的対策", "情報セキュリティ責任者を任命済み。", "A")
    + _sec("2. 人的対策", "年1回の教育を実施。\n新入社員向けは未実施。", "B")
    + _sec("3. 技術的対策", "OSの自動更新を有効化。", "C")
    + ["対策一覧",
       "・パスワード管理", "備考: 共有アカウントの禁止",
       "・バックアップ", "備考: 週1回、外部媒体へ",
       "・ウイルス対策", "備考: 全台導入済み",
       "以上"])

EXP_INLINE_LOOP = [
    "担当: 佐藤 花子（責任者）、鈴木 一郎（システム管理）、高橋 次郎（経理&総務）、以上",
    "番号付き: [1]佐藤 花子[2]鈴木 一郎[3]高橋 次郎。",
    "分類: 「個人情報」「取引先情報」「設計図面」",
    "連絡先: 佐藤 花子@ひかり設計 鈴木 一郎@ひかり設計 高橋 次郎@ひかり設計 / 代表 06-1234-5678",
    "なし: []",
]

EXP_CONDITIONS = [
    "条件（段落内）",
    "A: shown when true.",
    "B: .",
    "C: shown when missing.",
    "D: .",
    "E: no items.",
    "F: 株式会社こだま食品（福岡市）.",
    "G: 偽",
    "H: ゼロ 件数あり",
    "I: 空文字 名前あり",
    "J: null扱い",
    "K: 空マップ",
    "L: 比率2.5",
    "条件（段落単位）",
    "表示される段落（真）",
    "会社: 株式会社こだま食品（福岡市）",
    "真の見出し",
    "真の本文",
    "終わり",
]

_C = "株式会社つばさ電機"
_HEAD = ["No", "資産", "分類", "部門/会社"]
EXP_NESTED = [
    _C + " 部門別資産一覧",
    "1. 総務部（GA）",
    [_HEAD,
     ["1", "人事データベース", "[個人情報][機密]", "GA/" + _C],
     ["2", "経理PC", "[機密]", "GA/" + _C],
     ["3", "入館カード", "[物理][社外秘][貸与]", "GA/" + _C]],
    "メンバー: 伊藤、渡辺、山本、計3名",
    "2. 営業部（SL）",
    [_HEAD,
     ["1", "顧客名簿", "[個人情報]", "SL/" + _C],
     ["2", "見積書フォルダ", "[社外秘]", "SL/" + _C],
     ["3", "営業用スマートフォン", "[貸与][紛失注意]", "SL/" + _C]],
    "メンバー: 中村、小林、加藤、吉田、計4名",
    "3. 製造部（MF）",
    [_HEAD,
     ["1", "生産管理サーバ", "[停止不可]", "MF/" + _C],
     ["2", "図面データ", "[機密][取引先]", "MF/" + _C],
     ["3", "検査装置", "", "MF/" + _C]],
    "メンバー: 山田、佐々木、松本、計3名",
    "キーワード: 〈機密〉〈社外秘〉〈公開〉",
    [[["1. 総務部", "2. 営業部", "3. 製造部"], [_C, "・機密", "・社外秘", "・公開"]]],
    "以上",
]

# name -> (expected body, expected title, no warnings expected)
GOOD = {
    "basic": (exp_basic(), "株式会社さくら精機 セキュリティ報告", True),
    "table-loop": (EXP_TABLE_LOOP, "有限会社みどり物流 資産台帳", True),
    "paragraph-loop": (EXP_PARAGRAPH_LOOP, "株式会社あおば工務店 点検結果", True),
    "inline-loop": (EXP_INLINE_LOOP, "合同会社ひかり設計 体制表", True),
    # {{^missing}} and {{^nothing}} are sections, not values: a warning is
    # neither required nor forbidden there.
    "conditions": (EXP_CONDITIONS, "株式会社こだま食品 条件表示", False),
    "nested": (EXP_NESTED, "株式会社つばさ電機 部門別資産", True),
}


def render_good(ctx, name):
    d = ctx.workdir("good-" + name)
    out = os.path.join(d, name + ".docx")
    r = ctx.render(ctx.fixture(name + ".docx"), ctx.fixture(name + ".json"), out)
    check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
    doc = open_docx(out, r)
    check_eq(sorted(os.listdir(d)), [name + ".docx"], "files in the output directory", r)
    return r, out, doc


def test_good(ctx, name):
    expected, title, quiet = GOOD[name]
    r, out, doc = render_good(ctx, name)
    if quiet:
        check(r.err.strip() == "", "stderr should be empty when every value is present", r)
    check_list(body_items(doc), expected, "body paragraphs and tables", r)
    check_eq(doc.core_properties.title, title, "core_properties.title", r)
    no_tags_left(out, r)
    # The template's parts are all still there.
    with zipfile.ZipFile(ctx.fixture(name + ".docx")) as a, zipfile.ZipFile(out) as b:
        missing = set(a.namelist()) - set(b.namelist())
        check(not missing, "parts dropped from the package: %s" % sorted(missing), r)
    ctx.rendered.append((name, out))
    return r, out, doc


def test_basic(ctx):
    r, out, doc = test_good(ctx, "basic")
    sec = doc.sections[0]
    check_list([ptext(p) for p in sec.header.paragraphs], ["株式会社さくら精機 御中"], "header", r)
    # the footer's page number field (cached text "1") is kept
    check_list([ptext(p) for p in sec.footer.paragraphs], ["作成日: 2025年4月1日 ページ 1"],
               "footer", r)
    check(any(el.get(qn("w:fldCharType")) == "begin" for p in sec.footer.paragraphs
              for el in p._p.iter(qn("w:fldChar"))), "the footer lost its PAGE field", r)
    check_list(part_texts(out, "word/footnotes.xml", "footnote") or [],
               ["出典: 株式会社さくら精機の自己申告"], "footnotes", r)
    check_list(part_texts(out, "word/endnotes.xml", "endnote") or [],
               ["巻末注: 情報セキュリティ点検報告書はさくら精機向け"], "endnotes", r)
    check_eq(doc.core_properties.subject, "情報セキュリティ点検報告書（2025年4月1日）",
             "core_properties.subject", r)
    check_eq(doc.core_properties.keywords, "bansou", "core_properties.keywords (no tag)", r)

    paras = body_paragraphs(doc)
    # \n -> <w:br/>, \t -> <w:tab/>, never raw control characters in w:t.
    multi = paras[8]._p
    check(multi.find(".//" + qn("w:br")) is not None, "no <w:br/> for \\n in the 備考 paragraph", r)
    check(multi.find(".//" + qn("w:tab")) is not None, "no <w:tab/> for \\t in the 備考 paragraph", r)
    for t in multi.iter(qn("w:t")):
        check("\n" not in (t.text or "") and "\t" not in (t.text or ""),
              "raw newline/tab inside <w:t>: %r" % t.text, r)
    with zipfile.ZipFile(out) as z:
        raw = z.read("word/document.xml")
    check(b"\x01" not in raw and b"\x1f" not in raw and "\ufffe".encode() not in raw
          and not re.search(rb"&#(x0*1f?|0*1|0*31|x0*fffe|0*65534);", raw, re.I),
          "a character not allowed in XML 1.0 was written to document.xml", r)
    check("&lt;&amp;&gt;" in raw.decode("utf-8"), "<&> not escaped as &lt;&amp;&gt; in document.xml", r)

    # Formatting of the run where the tag starts is kept for the inserted text:
    # {{comp<b>any.na</b>me}} starts plain, <b>{{report.da</b>te}} starts bold,
    # {{con<red>tact}}</red> starts plain.
    bold = "".join(r_.text for r_ in paras[1].runs if r_.bold)
    check_eq(bold, "", "bold text in 会社名 paragraph (tag started in a plain run)", r)
    bold = "".join(r_.text for r_ in paras[4].runs if r_.bold)
    check("2025年4月1日" in bold, "the date should be bold (tag started in a bold run); "
          "bold text is %r" % bold, r)
    red = "".join(r_.text for r_ in paras[3].runs
                  if r_.font.color is not None and r_.font.color.rgb is not None
                  and str(r_.font.color.rgb).upper() == "C00000")
    check_eq(red, "", "red text in 担当者 paragraph (tag started in a plain run)", r)


def test_table_loop(ctx):
    r, out, doc = test_good(ctx, "table-loop")
    tbl = doc.tables[0]._tbl
    rows = tbl.findall(qn("w:tr"))
    check_eq(len(rows), 6, "number of <w:tr>", r)
    check(rows[0].find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None,
          "the header row lost its tblHeader", r)
    for i, tr in enumerate(rows):
        tcs = tr.findall(qn("w:tc"))
        check_eq(len(tcs), 4, "cells in row %d" % (i + 1), r)
        for tc in tcs:
            check(tc.find(qn("w:tcPr") + "/" + qn("w:tcBorders")) is not None,
                  "a cell of row %d lost its borders" % (i + 1), r)


def test_paragraph_loop(ctx):
    r, out, doc = test_good(ctx, "paragraph-loop")
    heads = [ptext(p) for p in body_paragraphs(doc) if p.style is not None and p.style.name == "Heading 2"]
    check_list(heads, ["1. 組織的対策", "2. 人的対策", "3. 技術的対策", "対策一覧"],
               "Heading 2 paragraphs (the repeated heading keeps its style)", r)
    body2 = body_paragraphs(doc)[4]  # the body of the second section
    check(body2._p.find(".//" + qn("w:br")) is not None, "\\n in a loop item is not a <w:br/>", r)


def test_inline_loop(ctx):
    r, out, doc = test_good(ctx, "inline-loop")
    p = body_paragraphs(doc)[2]
    italic = "".join(r_.text for r_ in p.runs if r_.italic)
    check_eq(italic, "個人情報取引先情報設計図面",
             "italic text of 分類 (each {{.}} sits in an italic run)", r)


def test_conditions(ctx):
    test_good(ctx, "conditions")


def test_nested(ctx):
    test_good(ctx, "nested")


# --- broken templates -------------------------------------------------------

BROKEN = {
    # name: (part, [(paragraph text, tag), ...] any one of which must be
    # quoted: the paragraph text and, besides it, the tag)
    "broken-unclosed": ("word/document.xml", [("開始 {{#a}} 閉じ忘れ", "{{#a}}")]),
    "broken-mismatch": ("word/document.xml", [("不一致 {{#a}}本文{{/b}}", "{{/b}}")]),
    "broken-cells": ("word/document.xml", [("{{#a}}行1", "{{#a}}"), ("行2{{/a}}", "{{/a}}")]),
    "broken-partial": ("word/document.xml", [("部分テンプレート {{>partial}} は未対応", "{{>partial}}")]),
    # where an unclosed tag ends is unknown: quoting its "{{" is enough
    "broken-unclosed-tag": ("word/document.xml", [("宛名 {{name 様", "{{")]),
    "broken-header": ("word/header1.xml", [("ヘッダー {{#a}}{{company.name}}", "{{#a}}")]),
}


def test_broken(ctx, name):
    part, quotes = BROKEN[name]
    d = ctx.workdir(name)
    out = os.path.join(d, "out.docx")
    tpl, data = ctx.fixture(name + ".docx"), ctx.fixture(name + ".json")
    r = ctx.render(tpl, data, out)
    check(r.rc == 1, "exit status %s, expected 1" % r.rc, r)
    lines = r.err.strip("\n").split("\n")
    check(len(lines) == 1 and lines[0], "stderr should be exactly one line", r)
    line = lines[0]
    # `bansou: PART: …`, or `bansou: TEMPLATE: PART: …` (the file named first)
    prefix = "bansou: %s: " % part
    check(line.startswith(prefix) or line.startswith("bansou: %s: %s: " % (tpl, part)),
          "stderr should start with %r (optionally with the template's name before the part)"
          % prefix, r)
    check(any(p in line and t in line.replace(p, "", 1) for p, t in quotes),
          "stderr should quote the paragraph text and, besides it, the tag: one of %r" % quotes, r)
    check(not os.path.exists(out), "the output was written for a broken template", r)
    check_eq(os.listdir(d), [], "files left in the output directory", r)
    # An existing output file is left as it was.
    sentinel = b"previous document, not to be touched\n"
    with open(out, "wb") as f:
        f.write(sentinel)
    r = ctx.render(tpl, data, out)
    check(r.rc == 1, "exit status %s with an existing output, expected 1" % r.rc, r)
    with open(out, "rb") as f:
        check(f.read() == sentinel, "an existing output file was changed", r)
    check_eq(os.listdir(d), ["out.docx"], "files in the output directory", r)


# --- values: missing, strict, stdin -----------------------------------------

def test_missing_warning(ctx):
    data = json.load(open(ctx.fixture("basic.json"), encoding="utf-8"))
    del data["contact"]
    data["negative"] = None
    d = ctx.workdir("missing")
    dpath = os.path.join(d, "data.json")
    with open(dpath, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    out = os.path.join(d, "out.docx")
    r = ctx.render(ctx.fixture("basic.docx"), dpath, out)
    check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
    doc = open_docx(out, r)
    exp = exp_basic(contact="")
    exp[6] = "大きな数: 12345678901、負の数: 、比率: 2.5"
    check(exp[6].startswith("大きな数"), "test bug: paragraph index")
    check_list(body_items(doc), exp, "body paragraphs", r)
    w = warnings(r.err)
    check(any("contact" in l for l in w), "no `bansou: warning:` line naming contact", r)
    check(any("negative" in l for l in w), "no `bansou: warning:` line naming negative (null)", r)
    check(all(l.startswith("bansou: warning:") for l in r.err.splitlines() if l),
          "stderr has lines other than warnings", r)

    check_list(w, ["bansou: warning: word/document.xml: {{contact}} has no value",
                   "bansou: warning: word/document.xml: {{negative}} has no value"], "warnings", r)

    # --strict: the same data is an error naming every tag without a value
    # (each a line with its paragraph first), and nothing is written.
    out2 = os.path.join(d, "strict.docx")
    r = ctx.render(ctx.fixture("basic.docx"), dpath, out2, "--strict")
    check(r.rc == 1, "--strict: exit status %s, expected 1" % r.rc, r)
    check(not os.path.exists(out2), "--strict: the output was written", r)
    check_list(r.err.splitlines(), [
        "bansou: warning: word/document.xml: paragraph '担当者: {{contact}}（情報システム担当）': "
        "{{contact}} has no value",
        "bansou: warning: word/document.xml: paragraph '大きな数: {{big}}、負の数: {{negative}}、"
        "比率: {{ratio}}': {{negative}} has no value",
        "bansou: %s: 2 tags have no value: {{contact}}, {{negative}}" % ctx.fixture("basic.docx"),
    ], "--strict: stderr", r)


def test_number_format(ctx):
    """Numbers in JSON: integral values print as integers, without exponent
    or .0, however large; others in their shortest usual form."""
    base = json.load(open(ctx.fixture("basic.json"), encoding="utf-8"))
    d = ctx.workdir("numbers")
    cases = [  # (big_real, small) -> expected text of the 実数 paragraph
        ((1e15, 0.25), "実数: 1000000000000000 / 0.25"),
        ((1234567890123456.0, 100.5), "実数: 1234567890123456 / 100.5"),
        ((-2.0, 0.0025), "実数: -2 / 0.0025"),
    ]
    bad = []
    for i, ((big, small), exp) in enumerate(cases):
        base["big_real"], base["small"] = big, small
        dpath = os.path.join(d, "data%d.json" % i)
        with open(dpath, "w", encoding="utf-8") as f:
            json.dump(base, f, ensure_ascii=False)
        out = os.path.join(d, "out%d.docx" % i)
        r = ctx.render(ctx.fixture("basic.docx"), dpath, out)
        check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
        got = body_items(open_docx(out, r))[7]
        if got != exp:
            bad.append("%r / %r: expected %r, got %r (render %s with %s)"
                       % (big, small, exp, got, ctx.fixture("basic.docx"), dpath))
    check(not bad, "; ".join(bad))


def test_stdin(ctx):
    d = ctx.workdir("stdin")
    out = os.path.join(d, "out.docx")
    with open(ctx.fixture("basic.json"), "rb") as f:
        data = f.read()
    r = ctx.render(ctx.fixture("basic.docx"), "-", out, stdin=data)
    check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
    doc = open_docx(out, r)
    check_list(body_items(doc), exp_basic(), "body paragraphs", r)
    check_eq(doc.core_properties.title, "株式会社さくら精機 セキュリティ報告", "title", r)


# --- hostile or broken input files ------------------------------------------

def _zip_raw(entries):
    """A zip built by hand from (name, method, payload, crc, size): lets a
    deflate stream be put in without compressing a gigabyte first."""
    buf, central = io.BytesIO(), []
    for name, method, payload, crc, size in entries:
        n = name.encode()
        off = buf.tell()
        buf.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, method, 0, 0x21,
                              crc, len(payload), size, len(n), 0) + n + payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, method, 0,
                                   0x21, crc, len(payload), size, len(n), 0, 0, 0, 0, 0,
                                   off) + n)
    cd = buf.tell()
    for c in central:
        buf.write(c)
    buf.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(central), len(central),
                          buf.tell() - cd, cd, 0))
    return buf.getvalue()


def make_zip_bomb(path, template, declared=1 << 30):
    """The template's package with word/document.xml replaced by 1 GiB of
    zeros, deflated (about 1 MB on disk).  `declared` is the uncompressed size
    written in the zip headers: a smaller one hides the bomb from a size
    check that trusts them."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)  # resets history
    stream = piece * 1024 + b"\x03\x00"  # + an empty final block
    crc, zeros = 0, bytes(1 << 20)
    for _ in range(1024):
        crc = zlib.crc32(zeros, crc)
    entries = []
    with zipfile.ZipFile(template) as z:
        for n in z.namelist():
            if n == "word/document.xml":
                entries.append((n, 8, stream, crc, declared))
            else:
                b = z.read(n)
                entries.append((n, 0, b, zlib.crc32(b), len(b)))
    with open(path, "wb") as f:
        f.write(_zip_raw(entries))


BILLION_LAUGHS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<!DOCTYPE w:document [\n <!ENTITY lol "lol">\n'
                  + "".join(' <!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
                            for i in range(1, 10))
                  + ']>\n<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>&lol9; {{company.name}}'
                    '</w:t></w:r></w:p></w:body></w:document>\n' % W_NS)


def replace_part(src, dst, part, data):
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info.filename, data if info.filename == part else a.read(info.filename))


def make_bad(ctx, kind, path):
    basic = ctx.fixture("basic.docx")
    if kind == "truncated":
        with open(basic, "rb") as f:
            head = f.read(1000)
        with open(path, "wb") as f:
            f.write(head)
    elif kind == "random":
        with open(path, "wb") as f:
            f.write(bytes(random.Random(20250401).getrandbits(8) for _ in range(4096)))
    elif kind == "not-docx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("hello.txt", "これは docx ではありません\n")
            z.writestr("word/other.xml", "<a/>")
    elif kind == "zip-bomb":
        make_zip_bomb(path, basic)
    elif kind == "zip-bomb-lying-size":
        make_zip_bomb(path, basic, declared=4000)
    elif kind == "billion-laughs":
        replace_part(basic, path, "word/document.xml", BILLION_LAUGHS.encode("utf-8"))


def test_bad_input(ctx, kind):
    d = ctx.workdir("bad-" + kind)
    tpl = os.path.join(d, "bad-%s.docx" % kind)
    make_bad(ctx, kind, tpl)
    out = os.path.join(d, "out.docx")
    r = ctx.render(tpl, ctx.fixture("basic.json"), out, timeout=30)
    check(r.rc == 1, "exit status %s, expected 1" % r.rc, r)
    lines = [l for l in r.err.splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].startswith("bansou: "),
          "stderr should be one `bansou: …` line", r)
    check(os.path.basename(tpl) in lines[0], "stderr should name the file %s" % os.path.basename(tpl), r)
    check(not os.path.exists(out), "an output was written", r)
    check_eq(sorted(os.listdir(d)), [os.path.basename(tpl)], "files in the directory", r)
    check("lollollol" not in r.err, "entities were expanded", r)


# --- batch mode ---------------------------------------------------------------

def test_each(ctx):
    data = json.load(open(ctx.fixture("basic-each.json"), encoding="utf-8"))
    clients = data["clients"]
    check(len(clients) == 5, "basic-each.json should hold 5 clients")
    outdir = ctx.workdir("each")
    r = ctx.run(["render", ctx.fixture("basic.docx"), ctx.fixture("basic-each.json"),
                 "--each", "clients", "-o", outdir])
    check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
    names = ["%03d.docx" % i for i in range(1, 6)]
    check_eq(sorted(os.listdir(outdir)), names, "files written", r)
    for i, (c, n) in enumerate(zip(clients, names)):
        path = os.path.join(outdir, n)
        doc = open_docx(path, r)
        co = c["company"]
        exp = exp_basic(company=co["name"], pref=co["address"]["pref"], city=co["address"]["city"],
                        contact=c["contact"], employees=str(co["employees"]),
                        rating=_num(co["rating"]), capital=_num(co["capital"]), url=co["url"])
        check_list(body_items(doc), exp, "%s body paragraphs" % n, r)
        check_eq(doc.core_properties.title, co["name"] + " セキュリティ報告", "%s title" % n, r)
        check_list([ptext(p) for p in doc.sections[0].header.paragraphs], [co["name"] + " 御中"],
                   "%s header" % n, r)
        check_list(part_texts(path, "word/footnotes.xml", "footnote") or [],
                   ["出典: %sの自己申告" % co["name"]], "%s footnotes" % n, r)
        check_list(part_texts(path, "word/endnotes.xml", "endnote") or [],
                   ["巻末注: 情報セキュリティ点検報告書は%s向け" % co["short"]], "%s endnotes" % n, r)


def test_each_missing(ctx):
    """With --each, every warning names the file it is about; with --strict
    every item is checked first: the error names each failing item and its
    tags, and no file is written."""
    data = json.load(open(ctx.fixture("basic-each.json"), encoding="utf-8"))
    del data["clients"][1]["company"]["url"]
    del data["clients"][3]["company"]["url"]
    data["clients"][3]["contact"] = ["a list"]
    d = ctx.workdir("each-missing")
    dpath = os.path.join(d, "data.json")
    with open(dpath, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    outdir = os.path.join(d, "out")
    r = ctx.run(["render", ctx.fixture("basic.docx"), dpath, "--each", "clients", "-o", outdir])
    check(r.rc == 0, "exit status %s, expected 0" % r.rc, r)
    check_eq(r.out, "rendered 5 documents into %s\n" % outdir, "stdout", r)
    check_list(r.err.splitlines(), [
        "bansou: warning: %s/002.docx: word/document.xml: {{company.url}} has no value" % outdir,
        "bansou: warning: %s/004.docx: word/document.xml: {{contact}} is a list, not text" % outdir,
        "bansou: warning: %s/004.docx: word/document.xml: {{company.url}} has no value" % outdir,
    ], "warnings of --each", r)

    strict = os.path.join(d, "strict")
    r = ctx.run(["render", ctx.fixture("basic.docx"), dpath, "--each", "clients", "-o", strict,
                 "--strict"])
    check(r.rc == 1, "--strict: exit status %s, expected 1" % r.rc, r)
    check_eq(r.out, "", "--strict: stdout", r)
    check(not os.path.exists(strict), "--strict: %s was made" % strict, r)
    check_list(r.err.splitlines(), [
        "bansou: warning: %s/002.docx: word/document.xml: paragraph 'Web: {{company.url}}': "
        "{{company.url}} has no value" % strict,
        "bansou: warning: %s/004.docx: word/document.xml: paragraph '担当者: {{contact}}"
        "（情報システム担当）': {{contact}} is a list, not text" % strict,
        "bansou: warning: %s/004.docx: word/document.xml: paragraph 'Web: {{company.url}}': "
        "{{company.url}} has no value" % strict,
        "bansou: %s: clients[2]: 1 tag has no value: {{company.url}}; clients[4]: 2 tags have "
        "no value: {{contact}}, {{company.url}}" % ctx.fixture("basic.docx"),
    ], "--strict --each: stderr", r)


def _num(x):
    return str(int(x)) if float(x).is_integer() else repr(x)


# --- LibreOffice opens every result -------------------------------------------

def test_pdf(ctx, report):
    soffice = shutil.which("soffice") or ("/usr/bin/soffice" if os.path.exists("/usr/bin/soffice") else None)
    if not soffice:
        report("pdf-conversion", None, skip="soffice not installed")
        return
    if not ctx.rendered:
        report("pdf-conversion", Fail("nothing was rendered"))
        return
    src = ctx.workdir("pdf-src")
    outdir = ctx.workdir("pdf")
    files = []
    for name, path in ctx.rendered:
        dst = os.path.join(src, name + ".docx")
        shutil.copyfile(path, dst)
        files.append(dst)
    profile = "file://" + ctx.workdir("lo-profile")
    cmd = [soffice, "-env:UserInstallation=" + profile, "--headless",
           "--convert-to", "pdf", "--outdir", outdir] + files
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        r = Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr), time.monotonic() - t)
    except subprocess.TimeoutExpired as e:
        r = Result(cmd, None, dec(e.stdout), dec(e.stderr), 120)
    for name, _ in ctx.rendered:
        pdf = os.path.join(outdir, name + ".pdf")
        try:
            check(os.path.isfile(pdf) and os.path.getsize(pdf) > 0,
                  "LibreOffice made no PDF (or an empty one) of %s.docx" % name, r)
            with open(pdf, "rb") as f:
                check(f.read(5) == b"%PDF-", "%s.pdf is not a PDF" % name, r)
            report("pdf-" + name, None)
        except Fail as e:
            report("pdf-" + name, e)


# --- driver ---------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--only", help="run the tests whose name contains this")
    a = ap.parse_args()
    binary, root, tmp = (os.path.abspath(x) for x in (a.bin, a.root, a.tmp))
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    counts = [0, 0]

    def report(name, err, skip=None):
        if err is None:
            counts[0] += 1
            print("ok - %s%s" % (name, " # SKIP " + skip if skip else ""))
        else:
            counts[1] += 1
            msg = str(err).replace("\n", "\n    ")
            print("FAIL - %s: %s" % (name, msg))
            if getattr(err, "result", None) is not None:
                print(err.result.describe())
        sys.stdout.flush()

    if docx is None:
        report("python-docx", Fail("cannot import docx (install python3-docx)"))
        print("render: %d passed, %d failed" % tuple(counts))
        return 1

    ctx = Ctx(binary, root, tmp)
    tests = [
        ("basic", test_basic),
        ("table-loop", test_table_loop),
        ("paragraph-loop", test_paragraph_loop),
        ("inline-loop", test_inline_loop),
        ("conditions", test_conditions),
        ("nested", test_nested),
    ]
    tests += [(n, (lambda c, n=n: test_broken(c, n))) for n in BROKEN]
    tests += [
        ("missing-value-warning-and-strict", test_missing_warning),
        ("number-format", test_number_format),
        ("data-from-stdin", test_stdin),
    ]
    tests += [("bad-" + k, (lambda c, k=k: test_bad_input(c, k)))
              for k in ("truncated", "random", "not-docx", "zip-bomb",
                        "zip-bomb-lying-size", "billion-laughs")]
    tests += [("each-batch", test_each), ("each-missing-and-strict", test_each_missing)]

    for name, fn in tests:
        if a.only and a.only not in name:
            continue
        try:
            fn(ctx)
            report(name, None)
        except Fail as e:
            report(name, e)
        except Exception:
            report(name, Fail("test error:\n" + traceback.format_exc()))
    if not a.only or ctx.rendered:
        test_pdf(ctx, report)
    print("render: %d passed, %d failed" % tuple(counts))
    return 1 if counts[1] else 0


if __name__ == "__main__":
    sys.exit(main())
