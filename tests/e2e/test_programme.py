#!/usr/bin/python3
"""End-to-end: a whole programme generated in one run (`generate --all`).

The demo's workspace (scripts/demo: seven engagements, every theme walked
through its visits) is made once; each test works on copies of it. What
`generate --all` writes is compared with what `generate ENG` writes for
each engagement in a process of its own: the same files with the same
parts, and the same rows in the documents table."""
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile

import docx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Fail, check, check_eq, check_list, never_closed_copy, run_suite  # noqa: E402

DATE = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
NAMES = ["株式会社浪速精密工業", "中部オートパーツ株式会社", "さいたま中央商事株式会社", "有限会社みなと建設",
         "医療法人社団 ひだまり会", "みなと会計事務所", "株式会社かなで印刷"]
THEMES = ["policy", "assets", "cloud", "incident", "training", "policy", "assets"]


class Demo:
    def __init__(self, cli):
        self.e = cli
        self.ws = os.path.join(cli.tmp, "demo")
        p = subprocess.run([os.path.join(cli.root, "scripts", "demo"), cli.bin, self.ws],
                           env=cli.env, capture_output=True, timeout=600)
        if p.returncode != 0:
            raise Fail("scripts/demo failed: %s" % p.stderr.decode()[-2000:])

    def copy(self, name):
        """A copy of the demo's workspace with no documents yet: out/ empty and
        the documents table cleared. The six engagements the demo completed
        are active again (every visit held), for a closed engagement takes
        no regeneration; the seventh stays terminated and gets its final
        report only, once."""
        ws = os.path.join(self.e.tmp, name)
        shutil.rmtree(ws, ignore_errors=True)
        shutil.copytree(self.ws, ws, ignore=shutil.ignore_patterns("out"))
        os.makedirs(os.path.join(ws, "out"), mode=0o700)
        db = sqlite3.connect(os.path.join(ws, "bansou.db"))
        db.execute("DELETE FROM document")
        db.execute("UPDATE engagement SET state = 'active' WHERE state = 'completed'")
        db.commit()
        db.close()
        return ws


def parts(top):
    """{relative path: {part: bytes with timestamps masked}} of every file under top."""
    out = {}
    for d, _, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            with zipfile.ZipFile(p) as z:
                out[os.path.relpath(p, top)] = {n: DATE.sub(b"DATE", z.read(n)) for n in z.namelist()}
    return out


def documents(ws):
    """The documents table without times, paths relative to the workspace."""
    db = sqlite3.connect(os.path.join(ws, "bansou.db"))
    rows = db.execute("SELECT engagement_id, path, doc, title, visit, template, sha256 FROM document"
                      " ORDER BY engagement_id, path").fetchall()
    db.close()
    return [(e, os.path.relpath(p, ws), d, t, v, tm, s) for e, p, d, t, v, tm, s in rows]


def test_all_is_each_engagement_alone(e, demo):
    both = demo.copy("all")
    alone = demo.copy("alone")
    rc, out, err = e.run("-C", both, "generate", "--all", "--workers", "2")
    check_eq(err, "", "stderr of generate --all")
    for eng in range(1, 8):
        e.run("-C", alone, "generate", str(eng))
    a, b = parts(os.path.join(both, "out")), parts(os.path.join(alone, "out"))
    check_list(sorted(a), sorted(b), "files written")
    diff = [k for k in a if a[k] != b[k]]
    check(not diff, "files whose parts differ from generate ENG: %r" % diff[:5])
    check(len(a) > 7 * 10, "every engagement has its documents (%d files)" % len(a))
    check_list(documents(both), documents(alone), "documents table")
    # Every file written is recorded, unedited.
    for eng in range(1, 8):
        _, js, _ = e.run("-C", both, "documents", str(eng), "--json")
        rows = json.loads(js)
        check(rows and all(r["status"] == "ok" for r in rows), "documents %d all ok" % eng)


def test_progress_lines_and_summary(e, demo):
    ws = demo.copy("progress")
    rc, out, err = e.run("-C", ws, "generate", "--all")
    lines = out.rstrip("\n").split("\n")
    check_eq(len(lines), 8, "a line per engagement and the summary")
    got = {}
    for k, line in enumerate(lines[:7]):
        m = re.fullmatch(r"\[(\d)/7\] (\d) (.+) \(([a-z]+)\): (\d+) documents?", line)
        check(m, "progress line %r" % line)
        check_eq(int(m.group(1)), k + 1, "lines count up")
        got[int(m.group(2))] = (m.group(3), m.group(4), int(m.group(5)))
    check_eq(sorted(got), list(range(1, 8)), "every engagement once")
    for eng, (name, theme, n) in got.items():
        check_eq((name, theme), (NAMES[eng - 1], THEMES[eng - 1]), "engagement %d" % eng)
        check_eq(n, len([r for r in documents(ws) if r[0] == eng]), "documents of %d" % eng)
    total = sum(n for _, _, n in got.values())
    check(re.fullmatch(r"7 engagements, %d documents, \d+ workers?, \d+\.\d s" % total, lines[7]),
          "summary line %r" % lines[7])
    # --quiet: nothing on success; one worker: the same documents.
    rc, out, err = e.run("-C", ws, "generate", "--all", "--quiet", "--workers", "1")
    check_eq((out, err), ("", ""), "--quiet output")
    check_eq(len(documents(ws)), total, "documents after a second run")


def test_one_failing_engagement_does_not_stop_the_others(e, demo):
    ws = demo.copy("failing")
    # The workspace's own incident procedure template, with a section never closed.
    src = os.path.join(e.root, "templates", "incident", "インシデント対応手順書.docx")
    dst = os.path.join(ws, "templates", "incident", "インシデント対応手順書.docx")
    never_closed_copy(src, dst)
    rc, out, err = e.run("-C", ws, "generate", "--all", check=False)
    check_eq(rc, 1, "exit status")
    check(re.search(r"^\[\d/7\] 4 有限会社みなと建設 \(incident\): failed$", out, re.M),
          "the incident engagement's line says failed:\n%s" % out)
    errs = err.rstrip("\n").split("\n")
    check(errs[0].startswith("bansou: engagement 4 (有限会社みなと建設, incident): ")
          and "{{#never}} is not closed" in errs[0], "the failure named: %r" % err)
    check_eq(errs[-1], "bansou: 1 of 7 engagements failed", "the summary error")
    done = {r[0] for r in documents(ws)}
    check_eq(sorted(done), [1, 2, 3, 4, 5, 6, 7], "every engagement wrote what it could")
    check(not os.path.exists(os.path.join(ws, "out", "004_有限会社みなと建設", "incident", "visit-2",
                                          "インシデント対応手順書.docx")), "no broken procedure written")
    check(os.path.exists(os.path.join(ws, "out", "002_中部オートパーツ株式会社", "assets", "visit-1",
                                      "情報資産管理台帳.xlsx")), "the others written")
    check(os.path.exists(os.path.join(ws, "out", "007_株式会社かなで印刷", "assets", "final",
                                      "最終報告書.docx")), "the terminated one's final report")


def test_edited_files_guarded_in_every_engagement(e, demo):
    ws = demo.copy("edited")
    e.run("-C", ws, "generate", "--all", "--quiet")
    today = datetime.date.today().isoformat()
    one = os.path.join("out", "001_株式会社浪速精密工業", "policy", "visit-1")
    two = os.path.join("out", "002_中部オートパーツ株式会社", "assets")
    edited = [os.path.join(one, "第1回_訪問計画書.docx"), os.path.join(one, "ヒアリングシート.docx"),
              os.path.join(two, "visit-2", "第2回_訪問計画書.docx")]
    for rel in edited:
        d = docx.Document(os.path.join(ws, rel))
        d.add_paragraph("社内で追記した段落")
        d.save(os.path.join(ws, rel))
    stamp = 1000000000
    for d, _, files in os.walk(os.path.join(ws, "out")):
        for f in files:
            os.utime(os.path.join(d, f), (stamp, stamp))
    edited_bytes = {rel: open(os.path.join(ws, rel), "rb").read() for rel in edited}
    rc, out, err = e.run("-C", ws, "generate", "--all", "--workers", "2", check=False)
    check_eq(rc, 1, "exit status")
    for eng in (1, 2):
        check(re.search(r"^\[\d/7\] %d .+: failed$" % eng, out, re.M),
              "engagement %d's line says failed:\n%s" % (eng, out))
    errs = sorted(err.rstrip("\n").split("\n"))
    want = sorted([
        "bansou: engagement 1 (株式会社浪速精密工業, policy): %s and %s were edited since they were "
        "written: keep your copies elsewhere, or give --force to keep each under a dated name "
        "(第1回_訪問計画書.edited-%s.docx) and write them anew" % (edited[0], edited[1], today),
        "bansou: engagement 2 (中部オートパーツ株式会社, assets): %s was edited since it was written: "
        "keep your copy elsewhere, or give --force to keep it as 第2回_訪問計画書.edited-%s.docx "
        "and write it anew" % (edited[2], today),
        "bansou: 2 of 7 engagements failed"])
    check_list(errs, want, "stderr lines")
    for rel in edited:
        check(open(os.path.join(ws, rel), "rb").read() == edited_bytes[rel], "%s left as it was" % rel)
    touched = {p.split(os.sep)[1] for p in
               (os.path.relpath(os.path.join(d, f), ws) for d, _, files in os.walk(os.path.join(ws, "out"))
                for f in files) if os.stat(os.path.join(ws, p)).st_mtime != stamp}
    check_eq(sorted(touched), ["003_さいたま中央商事株式会社", "004_有限会社みなと建設",
                               "005_医療法人社団 ひだまり会", "006_みなと会計事務所"],
             "the others written, nothing of the two refused")
    # --force: each edited file kept under a dated name, then every engagement written.
    rc, out, err = e.run("-C", ws, "generate", "--all", "--force", "--quiet")
    check_eq((rc, out, err), (0, "", ""), "generate --all --force")
    for rel in edited:
        kept = os.path.join(ws, rel.replace(".docx", ".edited-%s.docx" % today))
        check(any("社内で追記した段落" in p.text for p in docx.Document(kept).paragraphs),
              "kept: %s" % kept)
        check(not any("社内で追記した段落" in p.text for p in docx.Document(os.path.join(ws, rel)).paragraphs),
              "written anew: %s" % rel)
    for eng, rels in ((1, edited[:2]), (2, edited[2:])):
        _, log, _ = e.run("-C", ws, "log", str(eng))
        for rel in rels:
            line = ("document.keep        %s was edited since it was written: kept as %s"
                    % (rel, rel.replace(".docx", ".edited-%s.docx" % today)))
            check(line in log, "engagement %d logs %s:\n%s" % (eng, line, log[-1500:]))
    _, js, _ = e.run("-C", ws, "documents", "1", "--json")
    check(all(r["status"] == "ok" for r in json.loads(js)), "engagement 1's documents all ok again")


def test_dry_run_says_what_can_be_written(e, demo):
    ws = demo.copy("dry")
    _, js, _ = e.run("-C", ws, "generate", "1", "--dry-run", "--json")
    plan = json.loads(js)
    check(len(plan) > 15 and all(d["ready"] and d["why"] is None for d in plan),
          "every document of an engagement whose visits were all held can be written")
    # The terminated engagement: its final report, once, with the company's
    # questionnaire of an engagement ended early; nothing else.
    _, js, _ = e.run("-C", ws, "generate", "7", "--dry-run", "--json")
    plan = json.loads(js)
    check_eq([d["id"] for d in plan if d["ready"]], ["final-report", "survey-company-early"],
             "what engagement 7 may write")
    check_eq({d["why"] for d in plan if not d["ready"]},
             {"engagement 7 is terminated: no further changes"}, "why the others may not")
    check_eq(sorted({d["visit"] for d in plan if d["visit"] is not None}), [1, 2, 3], "visits")
    check_eq(documents(ws), [], "a dry run writes nothing")
    check_eq(os.listdir(os.path.join(ws, "out")), [], "nothing in out/")
    # A new engagement: visit 1 not planned yet, so its pack waits, and says why.
    e.run("-C", ws, "engage", "株式会社かなで印刷", "policy", "--expert", "1")
    _, js, _ = e.run("-C", ws, "generate", "8", "--dry-run", "--visit", "1", "--json")
    plan = json.loads(js)
    plan_doc = [d for d in plan if d["id"] == "visit-plan"]
    check(plan_doc and not plan_doc[0]["ready"] and "visit 1 has no date yet: plan it first"
          in plan_doc[0]["why"], "the visit plan waits for a date: %r" % plan_doc)
    check(all(d["visit"] == 1 for d in plan), "only visit 1's documents")
    rc, out, _ = e.run("-C", ws, "generate", "8", "--dry-run", "--visit", "1")
    check(out.startswith("Visit  Document ") and "visit 1 has no date yet" in out,
          "the table:\n%s" % out)


def test_generate_usage(e, demo):
    ws = demo.copy("usage")
    for args, msg in [
        ([], "generate: give ENG, or --all"),
        (["1", "--all"], "generate --all: give no ENG, --visit, --only or --dry-run"),
        (["--all", "--dry-run"], "generate --all: give no ENG, --visit, --only or --dry-run"),
        (["1", "--quiet"], "generate: --workers and --quiet go with --all"),
        (["1", "--json"], "generate: --json goes with --dry-run"),
    ]:
        rc, out, err = e.run("-C", ws, "generate", *args, check=False)
        check_eq((rc, out, err), (2, "", "bansou: %s\n" % msg), "generate %s" % " ".join(args))
    rc, out, err = e.run("-C", ws, "generate", "--all", "--workers", "0", check=False)
    check_eq((rc, err), (1, "bansou: --workers: '0' is not a positive number\n"), "--workers 0")
    check_eq(documents(ws), [], "nothing written by a usage error")


TESTS = [test_all_is_each_engagement_alone, test_progress_lines_and_summary,
         test_one_failing_engagement_does_not_stop_the_others,
         test_edited_files_guarded_in_every_engagement, test_dry_run_says_what_can_be_written, test_generate_usage]

if __name__ == "__main__":
    sys.exit(run_suite("programme", TESTS, Demo))
