#!/usr/bin/python3
"""End-to-end tests of the PDF copies of documents (--pdf, `bansou pdf`):
LibreOffice converts a few documents, pdftotext reads them back; without
LibreOffice, or with one that fails, the error is clear and nothing is
half-written.

    /usr/bin/python3 tests/e2e/test_pdf.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`pdf: N passed, N failed`.
"""
import glob
import json
import os
import stat
import sqlite3
import subprocess
import sys
import time

from harness import check, check_eq, company_folder, run_suite

COMPANY = "株式会社テスト電機"
INSTALL = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"


class Case:
    """One engagement on the policy theme with visit 1 planned."""

    def __init__(self, e):
        self.e = e
        self.ws = os.path.join(e.tmp, "ws")
        self.tmpdir = os.path.join(e.tmp, "tmpdir")
        os.makedirs(self.tmpdir)
        e.env["TMPDIR"] = self.tmpdir
        e.run("init", self.ws)
        self.c = ["-C", self.ws]
        e.run(*self.c, "company", "add", COMPANY, "--industry", "製造業")
        e.run(*self.c, "expert", "add", "専門 花子", "--themes", "policy")
        e.run(*self.c, "engage", "1", "policy", "--expert", "1")
        e.run(*self.c, "visit", "plan", "1", "1", "--date", "2025-09-04")
        self.rel = os.path.join("out", company_folder(1, COMPANY), "policy", "visit-1")
        self.dir = os.path.join(self.ws, self.rel)

    def path(self, name):
        return os.path.join(self.dir, name)

    def documents(self):
        _, out, _ = self.e.run(*self.c, "documents", "1", "--json")
        return {os.path.basename(d["path"]): d for d in json.loads(out)}

    def tables(self):
        """The documents and the event log as rows, to tell any change."""
        db = sqlite3.connect(os.path.join(self.ws, "bansou.db"))
        try:
            return [db.execute("SELECT * FROM document ORDER BY path").fetchall(),
                    db.execute("SELECT * FROM event ORDER BY id").fetchall()]
        finally:
            db.close()

    def leftovers(self):
        """Temporary files or folders of a conversion left anywhere."""
        found = []
        for top in (self.ws, self.tmpdir):
            for root, dirs, files in os.walk(top):
                found += [n for n in dirs + files if ".bansou-pdf" in n or n.endswith(".tmp")
                          or ".tmp." in n]
        return found


def pdf_text(path):
    return subprocess.run(["pdftotext", "-q", path, "-"], capture_output=True,
                          check=True).stdout.decode()


def fake_soffice(k, name, body):
    p = os.path.join(k.e.tmp, name)
    with open(p, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(p, stat.S_IRWXU)
    return p


def run_env(k, env, *args):
    """Runs bansou with `env` changes for one call."""
    saved = dict(k.e.env)
    k.e.env.update(env)
    for key, v in env.items():
        if v is None:
            k.e.env.pop(key)
    try:
        return k.e.run(*args, check=False)
    finally:
        k.e.env.clear()
        k.e.env.update(saved)


def test_generate_pdf_writes_one_per_document(e, k):
    _, out, err = e.run(*k.c, "generate", "1", "--only", "visit-plan", "--pdf")
    docx = os.path.join(k.ws, k.rel, "第1回_訪問計画書.docx")
    check_eq(out.splitlines(), [docx, docx[:-5] + ".pdf"], "paths printed")
    check_eq(err, "", "stderr")
    text = pdf_text(k.path("第1回_訪問計画書.pdf"))
    check(COMPANY in text, "the PDF names the company: %r" % text[:300])
    check("訪問計画書" in text, "the PDF has the title")
    check_eq(k.leftovers(), [], "temporary files left")


def test_pdf_command_converts_recorded_documents(e, k):
    e.run(*k.c, "generate", "1", "--only", "hearing")
    check(not os.path.exists(k.path("ヒアリングシート.pdf")), "no PDF without --pdf")
    _, out, _ = e.run(*k.c, "pdf", "1", "1")
    names = sorted(os.path.basename(p) for p in out.splitlines())
    check_eq(names, ["ヒアリングシート.pdf", "第1回_訪問計画書.pdf"], "PDFs written")
    check(COMPANY in pdf_text(k.path("ヒアリングシート.pdf")), "the hearing PDF names the company")
    code, _, err = e.run(*k.c, "pdf", "1", "2", check=False)
    check_eq((code, err), (1, "bansou: engagement 1 has no documents of visit 2 to convert\n"),
             "a visit without documents")


def test_documents_lists_pdfs_and_tells_an_edit(e, k):
    docs = k.documents()
    for n in ("第1回_訪問計画書.pdf", "ヒアリングシート.pdf"):
        check(n in docs, "documents lists %s: %s" % (n, sorted(docs)))
        check_eq((docs[n]["kind"], docs[n]["status"], docs[n]["doc"]),
                 ("pdf", "ok", "visit-plan" if "計画" in n else "hearing"), n)
    check_eq(docs["第1回_訪問計画書.docx"]["kind"], None, "the DOCX's kind")
    with open(k.path("ヒアリングシート.pdf"), "ab") as f:
        f.write(b"%% edited\n")
    check_eq(k.documents()["ヒアリングシート.pdf"]["status"], "edited", "an edited PDF")
    os.unlink(k.path("ヒアリングシート.pdf"))
    check_eq(k.documents()["ヒアリングシート.pdf"]["status"], "missing", "a removed PDF")
    _, out, _ = e.run(*k.c, "documents", "1")
    check(any(l.endswith("ヒアリングシート.pdf") and " missing " in l for l in out.splitlines()),
          "the table shows the PDF as missing:\n%s" % out)


PLAN = "第1回_訪問計画書"


def check_refused(k, env, expect_err, expect_pdf_err=None):
    """generate --pdf and then `pdf 1 1` (the hearing sheet first, then the
    plan) with `env`: the error of each, the documents kept, no PDF, no
    temporary file, and `pdf` changes neither the documents nor the log."""
    if os.path.exists(k.path(PLAN + ".pdf")):
        os.unlink(k.path(PLAN + ".pdf"))
    code, out, err = run_env(k, env, *k.c, "generate", "1", "--only", "visit-plan", "--pdf")
    check_eq((code, err), (1, expect_err), "exit status and error")
    check_eq(out, os.path.join(k.ws, k.rel, PLAN + ".docx") + "\n", "the DOCX printed")
    check(os.path.isfile(k.path(PLAN + ".docx")), "the DOCX is kept")
    check(not os.path.exists(k.path(PLAN + ".pdf")), "no PDF")
    check_eq(glob.glob(os.path.join(k.dir, PLAN + "*.pdf*")), [],
             "nothing PDF-like beside the DOCX")
    check_eq(k.leftovers(), [], "temporary files left")
    before = k.tables()
    code, out, err = run_env(k, env, *k.c, "pdf", "1", "1")
    check_eq((code, out, err), (1, "", expect_pdf_err or expect_err), "pdf 1 1")
    check_eq(k.tables(), before, "documents and log after a refused pdf")
    check_eq(sorted(glob.glob(os.path.join(k.dir, "*.pdf*"))), [], "no PDF in the folder")
    check_eq(k.leftovers(), [], "temporary files left by pdf")


def doc(k, name):
    return os.path.join(k.ws, k.rel, name + ".docx")


def test_missing_program_named_by_env(e, k):
    gone = os.path.join(e.tmp, "no-such-soffice")
    check_refused(k, {"BANSOU_SOFFICE": gone},
                  "bansou: cannot write PDF: BANSOU_SOFFICE names '%s', which is not a program"
                  " (install LibreOffice with: %s)\n" % (gone, INSTALL))
    # A folder passes for executable, but is no program.
    check_refused(k, {"BANSOU_SOFFICE": e.tmp},
                  "bansou: cannot write PDF: BANSOU_SOFFICE names '%s', which is not a program"
                  " (install LibreOffice with: %s)\n" % (e.tmp, INSTALL))


def test_no_soffice_on_path(e, k):
    empty = os.path.join(e.tmp, "empty-bin")
    os.makedirs(empty, exist_ok=True)
    check_refused(k, {"PATH": empty, "BANSOU_SOFFICE": None},
                  "bansou: cannot write PDF: LibreOffice (soffice) is not installed or not on PATH"
                  " (install it with: %s, or set BANSOU_SOFFICE)\n" % INSTALL)


def to_outdir(write):
    """A fake soffice body that runs `write` with $out its --outdir."""
    return ('for a; do case "$prev" in --outdir) out=$a;; esac; prev=$a; done\n' + write)


def test_failing_soffice(e, k):
    p = fake_soffice(k, "fail-soffice", "echo broken >&2\nexit 1")
    check_refused(k, {"BANSOU_SOFFICE": p},
                  "bansou: cannot write the PDF of '%s': '%s' failed (status 1)\n"
                  % (doc(k, PLAN), p),
                  "bansou: cannot write the PDFs of '%s' and 1 other document: '%s' failed"
                  " (status 1)\n" % (doc(k, "ヒアリングシート"), p))


def test_soffice_that_writes_nothing(e, k):
    p = fake_soffice(k, "mute-soffice", "exit 0")
    check_refused(k, {"BANSOU_SOFFICE": p},
                  "bansou: cannot write the PDF of '%s': LibreOffice wrote none\n" % doc(k, PLAN),
                  "bansou: cannot write the PDF of '%s': LibreOffice wrote none\n"
                  % doc(k, "ヒアリングシート"))


def test_soffice_that_writes_half_then_fails(e, k):
    # Writes a PDF into its --outdir, then fails: that file must not be placed.
    p = fake_soffice(k, "half-soffice", to_outdir(
        'printf "%%PDF-1.4 half" > "$out/第1回_訪問計画書.pdf"\nexit 3'))
    check_refused(k, {"BANSOU_SOFFICE": p},
                  "bansou: cannot write the PDF of '%s': '%s' failed (status 3)\n"
                  % (doc(k, PLAN), p),
                  "bansou: cannot write the PDFs of '%s' and 1 other document: '%s' failed"
                  " (status 3)\n" % (doc(k, "ヒアリングシート"), p))


def not_whole(k, name):
    return ("bansou: cannot write the PDF of '%s': what LibreOffice wrote is not a whole PDF\n"
            % doc(k, name))


def test_soffice_that_writes_garbage(e, k):
    # Says it succeeded, and wrote something that is no PDF for every file.
    p = fake_soffice(k, "junk-soffice", to_outdir(
        'for f in 第1回_訪問計画書 ヒアリングシート; do echo junk > "$out/$f.pdf"; done'))
    check_refused(k, {"BANSOU_SOFFICE": p}, not_whole(k, PLAN), not_whole(k, "ヒアリングシート"))


def test_soffice_that_stops_half_way(e, k):
    # A PDF's beginning without its trailer, and a success status.
    p = fake_soffice(k, "cut-soffice", to_outdir(
        'for f in 第1回_訪問計画書 ヒアリングシート; do printf "%%PDF-1.4\\n1 0 obj" > "$out/$f.pdf";'
        ' done'))
    check_refused(k, {"BANSOU_SOFFICE": p}, not_whole(k, PLAN), not_whole(k, "ヒアリングシート"))


def test_soffice_that_links_out(e, k):
    # A link to a file elsewhere, or a pipe, in place of a PDF: neither is read.
    secret = os.path.join(e.tmp, "secret.pdf")
    with open(secret, "w") as f:
        f.write("%PDF-1.4 not yours\n%%EOF\n")
    p = fake_soffice(k, "link-soffice", to_outdir(
        'ln -s "%s" "$out/第1回_訪問計画書.pdf"; mkfifo "$out/ヒアリングシート.pdf"' % secret))
    none = "bansou: cannot write the PDF of '%s': LibreOffice wrote none\n"
    check_refused(k, {"BANSOU_SOFFICE": p}, none % doc(k, PLAN), none % doc(k, "ヒアリングシート"))


def test_soffice_that_hangs(e, k):
    # Stopped after BANSOU_PDF_TIMEOUT with the process it started.
    mark = os.path.join(e.tmp, "hang-mark")
    p = fake_soffice(k, "hang-soffice", "sleep 30\ntouch '%s'" % mark)
    t0 = time.monotonic()
    check_refused(k, {"BANSOU_SOFFICE": p, "BANSOU_PDF_TIMEOUT": "1"},
                  "bansou: cannot write the PDF of '%s': '%s' did not finish within 1 s\n"
                  % (doc(k, PLAN), p),
                  "bansou: cannot write the PDFs of '%s' and 1 other document: '%s' did not"
                  " finish within 1 s\n" % (doc(k, "ヒアリングシート"), p))
    check(time.monotonic() - t0 < 20, "stopped in time")
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    check(p not in out, "no hang-soffice left running")
    check(not os.path.exists(mark), "the script did not go on")


def test_soffice_that_writes_elsewhere(e, k):
    # Writes whole PDFs, but outside its --outdir (beside it, in the
    # workspace's out/): none is taken, recorded or left in the folder.
    p = fake_soffice(k, "stray-soffice", to_outdir(
        'printf "%%PDF-1.4\\n%%%%EOF\\n" > "$out/../stray.pdf"\n'
        'printf "%%PDF-1.4\\n%%%%EOF\\n" > "$out/../../stray.pdf"'))
    none = "bansou: cannot write the PDF of '%s': LibreOffice wrote none\n"
    check_refused(k, {"BANSOU_SOFFICE": p}, none % doc(k, PLAN), none % doc(k, "ヒアリングシート"))
    stray = os.path.join(k.ws, "out", "stray.pdf")
    check(os.path.isfile(stray), "the stray PDF is where the script put it")
    check(all(d["path"] != stray for d in k.documents().values()), "the stray PDF is not recorded")
    os.unlink(stray)


def test_edited_pdf_kept_with_force(e, k):
    _, out, _ = e.run(*k.c, "pdf", "1", "1")
    check_eq(sorted(os.path.basename(p) for p in out.splitlines()),
             ["ヒアリングシート.pdf", PLAN + ".pdf"], "PDFs written")
    with open(k.path(PLAN + ".pdf"), "ab") as f:
        f.write(b"% edited\n")
    before = k.tables()
    code, out, err = e.run(*k.c, "pdf", "1", "1", check=False)
    today = time.strftime("%Y-%m-%d")
    shown = os.path.join(k.rel, PLAN + ".pdf")
    check_eq((code, out, err), (1, "", "bansou: %s was edited since it was written: keep your copy"
                                " elsewhere, or give --force to keep it as %s.edited-%s.pdf and"
                                " write it anew\n" % (shown, PLAN, today)), "an edited PDF")
    check_eq(k.tables(), before, "nothing recorded")
    code, out, err = e.run(*k.c, "pdf", "1", "1", "--force", check=False)
    check_eq((code, err), (0, ""), "pdf --force")
    kept = k.path("%s.edited-%s.pdf" % (PLAN, today))
    with open(kept, "rb") as f:
        check(f.read().endswith(b"% edited\n"), "the edited PDF is kept")
    check_eq(k.documents()[PLAN + ".pdf"]["status"], "ok", "the new PDF is on record")
    os.unlink(kept)


def test_hostile_names_stay_in_their_folder(e, k):
    # A file whose name reads as an option, in a folder of its own: its PDF
    # lands beside it and nowhere else.
    d = os.path.join(e.tmp, "hostile")
    os.makedirs(d)
    tpl = os.path.join(e.root, "templates", "common", "訪問計画書.docx")
    data = os.path.join(d, "data.json")
    with open(data, "w") as f:
        json.dump({}, f)
    out = os.path.join(d, "--outdir=..")
    os.makedirs(out)
    target = os.path.join(out, "-env:x.docx")
    code, so, err = e.run("render", tpl, data, "-o", target, "--pdf", cwd=d, check=False)
    check_eq(code, 0, "render --pdf exit status (%s)" % err)
    check_eq(so.splitlines()[-1:], [target[:-5] + ".pdf"], "the PDF printed")
    check_eq(sorted(os.listdir(out)), ["-env:x.docx", "-env:x.pdf"], "files beside the DOCX")
    check_eq(sorted(os.listdir(d)), ["--outdir=..", "data.json"], "nothing in the parent")
    # A company whose name climbs out: its documents and PDFs stay under out/.
    e.run(*k.c, "company", "add", "../../逃げる社", "--industry", "製造業")
    e.run(*k.c, "engage", "2", "policy", "--expert", "1")
    e.run(*k.c, "visit", "plan", "2", "1", "--date", "2025-09-04")
    _, so, _ = e.run(*k.c, "generate", "2", "--only", "visit-plan", "--pdf")
    outdir = os.path.realpath(os.path.join(k.ws, "out")) + os.sep
    for p in so.splitlines():
        check(os.path.realpath(p).startswith(outdir), "%s is under out/" % p)
    check_eq(sorted(os.path.basename(p) for p in so.splitlines()),
             ["第1回_訪問計画書.docx", "第1回_訪問計画書.pdf"], "files written")
    check_eq(k.leftovers(), [], "temporary files left")


def test_usage(e, k):
    code, _, err = e.run(*k.c, "generate", "--all", "--pdf", check=False)
    check_eq((code, err), (2, "bansou: generate --all: --pdf goes with one ENG"
                              " (or run 'bansou pdf ENG' after)\n"), "generate --all --pdf")
    _, out, _ = e.run("pdf", "--help")
    check("apt-get install libreoffice-writer-nogui" in out, "pdf --help says how to install")
    _, out, _ = e.run("generate", "--help")
    check("--pdf" in out, "generate --help lists --pdf")


def test_worksheet_and_schedule_pdf(e, k):
    _, out, err = e.run(*k.c, "worksheet", "1", "policy-commitments", "--pdf", "--json")
    xlsx = os.path.join(k.ws, os.path.dirname(k.rel), "基本方針検討シート.xlsx")
    check_eq((json.loads(out), err), ({"sheet": "policy-commitments", "path": xlsx,
                                       "pdf": xlsx[:-5] + ".pdf"}, ""), "worksheet --pdf --json")
    check("基本方針" in pdf_text(xlsx[:-5] + ".pdf"), "the worksheet's PDF has its title")
    check_eq(k.documents()["基本方針検討シート.pdf"]["kind"], "pdf", "the worksheet's PDF recorded")
    _, out, _ = e.run(*k.c, "schedule", "1", "--pdf")
    xlsx = os.path.join(k.ws, os.path.dirname(k.rel), "スケジュール.xlsx")
    check_eq(out.splitlines(), [xlsx, xlsx[:-5] + ".pdf"], "schedule --pdf")
    check_eq(k.leftovers(), [], "temporary files left")


TESTS = [test_generate_pdf_writes_one_per_document, test_pdf_command_converts_recorded_documents,
         test_documents_lists_pdfs_and_tells_an_edit, test_missing_program_named_by_env,
         test_no_soffice_on_path, test_failing_soffice, test_soffice_that_writes_nothing,
         test_soffice_that_writes_half_then_fails, test_soffice_that_writes_garbage,
         test_soffice_that_stops_half_way, test_soffice_that_links_out, test_soffice_that_hangs,
         test_soffice_that_writes_elsewhere, test_edited_pdf_kept_with_force,
         test_hostile_names_stay_in_their_folder, test_usage, test_worksheet_and_schedule_pdf]


if __name__ == "__main__":
    sys.exit(run_suite("pdf", TESTS, Case))
