#!/usr/bin/python3
"""The README's "Using it" block runs as written: its first ```sh block,
typed top to bottom with `bash -e` in a fresh folder laid out as the build
tree (./bansou the binary under test, scripts/ the repository's), finishes
with exit status 0 and leaves the documents it says it writes, each of which
opens as a Word document or a workbook.

    /usr/bin/python3 tests/e2e/test_readme.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import re
import subprocess
import sys

from harness import Fail, check, check_eq, check_list, doc_text, run_suite

COMPANY = "株式会社例"

# Every file the block writes under WS/out/, relative to the engagement's folder.
DOCUMENTS = [
    "expert/指導専門家アンケート_企業別.xlsx",
    "expert/第3回_机上演習シナリオ_進行役用.docx",
    "final/最終報告書.docx",
    "visit-1/5分でできる情報セキュリティ自社診断.xlsx",
    "visit-1/ヒアリングシート.docx",
    "visit-1/体制・連絡先シート.xlsx",
    "visit-1/第1回_事前依頼事項.docx",
    "visit-1/第1回_実施報告書.docx",
    "visit-1/第1回_訪問計画書.docx",
    "visit-2/インシデント報告書_記入例.docx",
    "visit-2/インシデント報告書_様式.docx",
    "visit-2/インシデント対応手順書.docx",
    "visit-2/第2回_事前依頼事項.docx",
    "visit-2/第2回_実施報告書.docx",
    "visit-2/第2回_訪問計画書.docx",
    "visit-3/指導先企業アンケート.xlsx",
    "visit-3/机上演習シナリオ_参加者用.docx",
    "visit-3/机上演習振り返り報告書.docx",
    "visit-3/机上演習記録.xlsx",
    "visit-3/第3回_事前依頼事項.docx",
    "visit-3/第3回_実施報告書.docx",
    "visit-3/第3回_訪問計画書.docx",
    "スケジュール.xlsx",
    "自社診断結果.xlsx",
]


def readme_block(root):
    """The first ```sh block after the heading "## Using it"."""
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    at = text.find("\n## Using it\n")
    check(at >= 0, "README.md has no heading '## Using it'")
    m = re.compile(r"^```sh\n(.*?)^```$", re.S | re.M).search(text, at)
    check(m is not None, "README.md has no ```sh block under '## Using it'")
    nxt = text.find("\n## ", at + 1)
    check(nxt < 0 or m.start() < nxt, "the first ```sh block after '## Using it' is under another heading")
    return m.group(1)


class Case:
    """The block run once in a fresh folder; the tests look at what it left."""

    def __init__(self, e):
        self.dir = os.path.join(e.tmp, "tree")
        os.makedirs(self.dir)
        os.symlink(os.path.abspath(e.bin), os.path.join(self.dir, "bansou"))
        os.symlink(os.path.join(os.path.abspath(e.root), "scripts"), os.path.join(self.dir, "scripts"))
        script = os.path.join(e.tmp, "using-it.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(readme_block(e.root))
        p = subprocess.run(["bash", "-e", "-x", script], cwd=self.dir, env=e.env,
                           capture_output=True, timeout=600)
        self.rc, self.out, self.err = p.returncode, p.stdout.decode(), p.stderr.decode()
        self.ws = os.path.join(self.dir, "WS")
        self.eng = os.path.join(self.ws, "out", "001_" + COMPANY, "incident")


def test_block_runs(e, k):
    if k.rc != 0:
        traced = [line for line in k.err.splitlines() if line.startswith("+ ")]
        raise Fail("the block stopped with exit %d at: %s\n    stderr (last lines): %s"
                   % (k.rc, traced[-1] if traced else "(no command)",
                      "\n      | ".join(k.err.splitlines()[-6:])))
    check("bansou:" not in k.err, "the block printed an error: %s" % k.err)


def test_every_document_written(e, k):
    found = sorted(os.path.relpath(os.path.join(d, f), k.eng)
                   for d, _, files in os.walk(k.eng) for f in files)
    check_list(found, sorted(DOCUMENTS), "files under %s" % os.path.relpath(k.eng, k.dir))


def test_documents_open(e, k):
    import openpyxl
    for rel in DOCUMENTS:
        path = os.path.join(k.eng, rel)
        if rel.endswith(".docx"):
            texts = doc_text(path)
            check(any(COMPANY in t for t in texts), "%s does not name %s" % (rel, COMPANY))
        else:
            wb = openpyxl.load_workbook(path)
            check(len(wb.sheetnames) > 0, "%s has no sheet" % rel)


def test_engagement_completed(e, k):
    _, out, _ = e.run("-C", k.ws, "engagement", "show", "1", "--json")
    j = json.loads(out)
    check_eq(j["state"], "completed", "the engagement's state")
    check_eq([v["state"] for v in j["visits"]], ["reported"] * 3, "the visits' states")


def test_imported_sheets(e, k):
    for sheet, rows in (("self-diagnosis", 25), ("incident-team", 7), ("incident-exercise", 7)):
        _, out, _ = e.run("-C", k.ws, "records", "1", sheet, "--json")
        check_eq(len(json.loads(out)), rows, "rows of %s" % sheet)


TESTS = [test_block_runs, test_every_document_written, test_documents_open,
         test_engagement_completed, test_imported_sheets]


if __name__ == "__main__":
    sys.exit(run_suite("readme", TESTS, Case))
