#!/usr/bin/python3
"""End-to-end tests of theme 5 (従業員向け情報セキュリティ教育): a clinic
chooses three topics in its plan; the comprehension test holds only their
questions and its answer key matches it item by item; the same seed gives the
same test and session 2 another; twenty participants' answers filled with
openpyxl are imported and every score and rate is checked against values worked
out here, and against LibreOffice's recalculation; the review flags the weak
topic and the annual plan covers twelve months.

    /usr/bin/python3 tests/e2e/test_training.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`training: N passed, N failed`.
"""
import glob
import os
import re
import sys

import openpyxl

from harness import (Engagement, check, check_eq, check_list, check_pdf_conversion, data_rows, doc_text,
                     run_suite, soffice, strip_formula_results, table, table_rows)

COMPANY = "医療法人社団 テスト会"
CHOSEN = ["標的型メール・フィッシング", "パスワードと多要素認証", "メール・FAXの誤送信の防止"]
LABELS = ["ア", "イ", "ウ", "エ"]
PEOPLE = 20
ABSENT = {7, 15}                 # participants who missed the session


def Case(cli):
    return Engagement(cli, COMPANY, "training", [
        "--industry", "医療、福祉", "--kind", "医療法人", "--employees", "40",
        "--contact", "事務 長子", "--contact-role", "事務長"])


def test_plan_sheet_lists_the_catalogue(e, k):
    path = k.path("plan-blank.xlsx")
    k.b("worksheet", "1", "training-plan", "-o", path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    header, cols = table(ws, "テーマ")
    topics = [ws.cell(r, cols["テーマ"]).value for r in data_rows(ws, header)]
    check(len(topics) >= 10 and all(t in topics for t in CHOSEN), "catalogue: %s" % topics)
    filled = k.path("plan.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for i, r in enumerate(data_rows(ws, header)):
        t = ws.cell(r, cols["テーマ"]).value
        ws.cell(r, cols["実施"]).value = "実施する" if t in CHOSEN else "実施しない"
        if t in CHOSEN:
            ws.cell(r, cols["実施日"]).value = "2026-10-%02d" % (10 + i)
            ws.cell(r, cols["講師"]).value = "専門 花子"
            ws.cell(r, cols["対象"]).value = "全従業員・新入社員" if t == CHOSEN[0] else "全従業員"
    wb.save(filled)
    rc, out, err = k.b("import", "1", filled)
    check_eq(out, "imported training-plan: %d rows\n" % len(topics), "import output")
    k.hold(1, "2026-09-15")
    k.b("visit", "report", "1", "1")
    text = "\n".join(doc_text(k.out("visit-1/研修計画書.docx")))
    audiences = {r[0]: r[1] for r in table_rows(k.out("visit-1/研修計画書.docx")) if len(r) == 3}
    check_eq(audiences.get("新入社員"), CHOSEN[0], "audiences split at ・: %s" % audiences)
    for t in topics:
        check((t in text) == (t in CHOSEN), "%s %s in the plan" % (t, "is" if t in CHOSEN else "is not"))


def _blocks(path):
    """The document's text split into blocks, one per "問N（topic）" heading:
    [(no, topic, [lines after the heading])]."""
    lines = [l.strip() for t in doc_text(path) for l in t.split("\n") if l.strip()]
    out = []
    for line in lines:
        m = re.match(r"^問(\d+)（(.+)）$", line)
        if m:
            out.append((int(m.group(1)), m.group(2), []))
        elif out:
            out[-1][2].append(line)
    return out


def test_questions(path):
    """The test's questions: [(no, topic, question, [choice texts])]."""
    out = []
    for no, topic, lines in _blocks(path):
        body = [l for l in lines if l != "解答"]
        choices = [c.group(2).strip() for c in (re.match(r"^([アイウエ])[\s　]+(.+)$", l) for l in body) if c]
        out.append((no, topic, body[0], choices[:4]))
    return out


def key_answers(path):
    """The answer key: [(no, topic, question, label, answer text)]."""
    out = []
    for no, topic, lines in _blocks(path):
        for l in lines:
            a = re.match(r"^正解[：:]\s*([アイウエ])[\s　]+(.+)$", l)
            if a:
                out.append((no, topic, lines[0], a.group(1), a.group(2).strip()))
                break
    return out


def test_test_holds_only_the_chosen_topics(e, k):
    k.b("visit", "plan", "1", "2", "--date", "2026-10-20")
    k.b("visit", "prepare", "1", "2")
    test = k.out("visit-2/理解度確認テスト.docx")
    key = k.out("visit-2/理解度確認テスト_解答と解説.docx")
    qs = test_questions(test)
    check_eq([q[0] for q in qs], list(range(1, 13)), "twelve questions numbered in order")
    check(all(q[1] in CHOSEN for q in qs), "only the chosen topics: %s" % sorted({q[1] for q in qs}))
    check_eq(sorted({q[1]: sum(1 for x in qs if x[1] == q[1]) for q in qs}.values()), [4, 4, 4],
             "four questions per topic")
    check(all(len(q[3]) == 4 for q in qs), "four choices each")
    ans = key_answers(key)
    check_eq([(a[0], a[1], a[2]) for a in ans], [(q[0], q[1], q[2]) for q in qs], "the key follows the test")
    for q, a in zip(qs, ans):
        check_eq(a[4], q[3][LABELS.index(a[3])], "answer %s of question %d is its choice %s" % (a[4], q[0], a[3]))
    wb = openpyxl.load_workbook(k.out("visit-2/理解度確認テスト_解答用紙.xlsx"))
    check_list(wb.sheetnames, ["解答用紙", "正答", "問題ごとの正答率", "テーマごとの正答率"], "sheets")
    ws = wb["正答"]
    header, cols = table(ws, "区分")
    row = next(r for r in data_rows(ws, header) if ws.cell(r, 1).value == "正答")
    check_eq([ws.cell(row, cols["問%d" % n]).value for n in range(1, 13)], [a[3] for a in ans],
             "the answer sheet's key equals the answer key")
    k.files.update(test=test, questions=qs, key=[a[3] for a in ans],
                   answers=k.out("visit-2/理解度確認テスト_解答用紙.xlsx"))


def test_answer_key_is_balanced(e, k):
    """Every label is the right answer equally often: 12 questions, ア, イ, ウ
    and エ three times each, in the first session's test and in the second's."""
    key = k.files["key"]
    check_eq({l: key.count(l) for l in LABELS}, {l: 3 for l in LABELS}, "labels in the key %s" % "".join(key))
    check(key != sorted(key), "the right answers are not in label order: %s" % "".join(key))


def test_clinic_training_speaks_of_patient_information(e, k):
    """A clinic's plan and questions speak of 患者情報, not of customers."""
    text = "\n".join(doc_text(k.out("visit-1/研修計画書.docx")))
    want = "医療法人社団 テスト会の役員・職員が、患者情報をはじめとする情報を扱う日々の仕事の中で"
    check(want in text, "the plan's purpose names 患者情報: %s" % text[:400])
    key = "\n".join(doc_text(k.out("visit-2/理解度確認テスト_解答と解説.docx")))
    test = "\n".join(doc_text(k.files["test"]))
    for name, t in (("test", test), ("key", key)):
        check("お客様の個人情報" not in t and "顧客名簿" not in t and "顧客リスト" not in t,
              "the %s speaks of patients, not customers" % name)


def test_same_seed_same_test_and_a_second_session(e, k):
    before = test_questions(k.files["test"])
    k.b("generate", "1", "--visit", "2", "--only", "training-test")
    check_eq(test_questions(k.files["test"]), before, "the same test when written again")
    k.b("visit", "plan", "1", "3", "--date", "2026-11-24")
    k.b("generate", "1", "--visit", "3", "--only", "training-test-2")
    second = test_questions(k.out("visit-3/理解度確認テスト_別問題.docx"))
    check_eq(len(second), 12, "the second session's test has twelve questions")
    check(all(q[1] in CHOSEN for q in second), "still the chosen topics")
    check(len({q[2] for q in second} - {q[2] for q in before}) >= 6,
          "mostly other questions: %d new" % len({q[2] for q in second} - {q[2] for q in before}))


def answer_of(i, n, key):
    """Participant i's answer to question n: right unless (i + n) % 4 == 0 or,
    for questions 9-12, i is odd (a weak topic); the last participant also
    misses question 1 (8 of 12)."""
    right = key[n - 1]
    wrong = LABELS[(LABELS.index(right) + 1) % 4]
    if (i + n) % 4 == 0 or (n >= 9 and i % 2 == 1) or (i == PEOPLE and n == 1):
        return wrong
    return right


def fill_answers(src, dst, key, spoil=None):
    wb = openpyxl.load_workbook(src)
    ws = wb["解答用紙"]
    header, cols = table(ws, "No.")
    for i in range(1, PEOPLE + 1):
        r = header + i
        ws.cell(r, cols["No."]).value = i
        ws.cell(r, cols["氏名"]).value = "受講者 %02d" % i
        ws.cell(r, cols["所属"]).value = "看護部" if i % 2 else "事務部"
        ws.cell(r, cols["区分"]).value = "全従業員"
        ws.cell(r, cols["出欠"]).value = "欠席" if i in ABSENT else "出席"
        if i not in ABSENT:
            for n in range(1, 13):
                ws.cell(r, cols["問%d" % n]).value = answer_of(i, n, key)
        if i == 3:
            ws.cell(r, cols["感想・質問"]).value = "二段階認証の設定方法をもう少し詳しく知りたい"
    if spoil:
        spoil(ws, header, cols)
    wb.save(dst)


def expected(key):
    """Scores by participant, rates by question and by topic, by hand."""
    present = [i for i in range(1, PEOPLE + 1) if i not in ABSENT]
    scores = {i: sum(1 for n in range(1, 13) if answer_of(i, n, key) == key[n - 1]) for i in present}
    rates = {n: sum(1 for i in present if answer_of(i, n, key) == key[n - 1]) / len(present) for n in range(1, 13)}
    return scores, rates


def test_answer_outside_the_choices_is_refused(e, k):
    bad = k.path("answers-bad.xlsx")
    where = {}

    def spoil(ws, header, cols):
        ws.cell(header + 4, cols["問5"]).value = "オ"
        where["cell"] = "%s%d" % (openpyxl.utils.get_column_letter(cols["問5"]), header + 4)
    fill_answers(k.files["answers"], bad, k.files["key"], spoil)
    rc, out, err = k.b("import", "1", bad, check=False)
    want = "解答用紙!%s: 'オ' is not one of ア, イ, ウ, エ" % where["cell"]
    check(rc != 0 and want in err, "stderr names %r:\n%s" % (want, err))
    check(k.b("records", "1", "training-answers", "--json", check=False)[0] != 0, "nothing stored")


def test_results_match_hand_computation(e, k):
    filled = k.path("answers.xlsx")
    key = k.files["key"]
    fill_answers(k.files["answers"], filled, key)
    rc, out, err = k.b("import", "1", filled)
    check_eq(out, "imported training-answers: %d rows\n" % PEOPLE, "import output")
    scores, rates = expected(key)
    # Worked out by hand from the rule in answer_of: participant 1 misses
    # question 3, 7, 11 ((1 + n) % 4 == 0) and, being odd, 9-12 too: 12 - 6 = 6.
    check_eq(scores[1], 6, "participant 1 by hand")
    check_eq(scores[2], 9, "participant 2 (misses 2, 6, 10) by hand")
    k.b("visit", "prepare", "1", "3")
    book = k.out("visit-3/理解度確認テスト_結果.xlsx")
    wb = openpyxl.load_workbook(book, data_only=True)
    ws = wb["解答用紙"]
    header, cols = table(ws, "No.")
    got = {ws.cell(r, cols["No."]).value: ws.cell(r, cols["得点"]).value for r in data_rows(ws, header)}
    check_eq({i: got[i] for i in scores}, scores, "scores in the result workbook")
    ws = wb["問題ごとの正答率"]
    header, cols = table(ws, "問")
    got = {ws.cell(r, 1).value: ws.cell(r, cols["正答率"]).value for r in data_rows(ws, header)}
    for n, rate in rates.items():
        check(abs(got[n] - rate) < 1e-9, "rate of question %d: %r, want %r" % (n, got[n], rate))
    review = "\n".join(doc_text(k.out("visit-3/教育実施結果レビュー.docx")))
    rows = table_rows(k.out("visit-3/教育実施結果レビュー.docx"))
    people = {r[1]: r[5] for r in rows if len(r) == 7 and r[1].startswith("受講者")}
    check_eq({i: int(people["受講者 %02d" % i]) for i in scores}, scores, "scores in the review")
    rates_shown = {r[1]: r[6] for r in rows if len(r) == 7 and r[1].startswith("受講者")}
    check_eq({i: rates_shown["受講者 %02d" % i] for i in scores},
             {i: "%d%%" % int(s * 100 / 12 + 0.5) for i, s in scores.items()}, "rates rounded in the review")
    eight = [i for i, s in scores.items() if s == 8]
    check(eight and all(rates_shown["受講者 %02d" % i] == "67%" for i in eight), "8 of 12 is 67%%: %s" % eight)
    failed = [i for i in sorted(scores) if scores[i] < 9]
    want = ("得点が合格ライン（12問中9問）に届かなかった%d名（%s）には、事務長 事務 長子が令和8年12月24日（2026年12月24日）までに、"
            "別問題の理解度確認テストとその解説を使った補講を行い、結果を解答用紙に記録します。"
            % (len(failed), "、".join("受講者 %02d" % i for i in failed)))
    check(want in review, "the follow-up of who failed, by whom and when:\n%s\n%s" % (want, review[-800:]))
    check(all(people["受講者 %02d" % i] == "—" for i in ABSENT), "absentees have no score")
    weak = CHOSEN[2]   # questions 9-12 are the third topic's
    flagged = [r[0] for r in rows if len(r) == 3 and r[2] == "要復習"]
    check_eq(flagged, [weak], "the weak topic flagged in the review")
    check("二段階認証の設定方法" in review, "participants' feedback in the review")
    k.files["book"], k.files["rates"], k.files["scores"] = book, rates, scores


def test_formulas_recalculate_in_libreoffice(e, k):
    bare = k.path("recalc/results.xlsx")
    n = strip_formula_results(k.files["book"], bare)
    check(n >= PEOPLE + 12, "formula results removed: %d" % n)
    soffice(e, [bare], "xlsx:Calc MS Excel 2007 XML", k.path("recalc/out"))
    wb = openpyxl.load_workbook(k.path("recalc/out/results.xlsx"), data_only=True)
    ws = wb["解答用紙"]
    header, cols = table(ws, "No.")
    got = {ws.cell(r, cols["No."]).value: ws.cell(r, cols["得点"]).value for r in data_rows(ws, header)}
    check_eq({i: got[i] for i in k.files["scores"]}, k.files["scores"], "LibreOffice's scores")
    ws = wb["問題ごとの正答率"]
    header, cols = table(ws, "問")
    for r in data_rows(ws, header):
        n = ws.cell(r, 1).value
        check(abs(ws.cell(r, cols["正答率"]).value - k.files["rates"][n]) < 1e-9, "LibreOffice's rate of %d" % n)
    ws = wb["テーマごとの正答率"]
    header, cols = table(ws, "テーマ")
    flags = {ws.cell(r, 1).value: ws.cell(r, cols["判定"]).value for r in data_rows(ws, header)}
    check_eq(flags, {CHOSEN[0]: None, CHOSEN[1]: None, CHOSEN[2]: "要復習"} if None in flags.values()
             else {CHOSEN[0]: "", CHOSEN[1]: "", CHOSEN[2]: "要復習"}, "topics flagged by LibreOffice")


def test_annual_plan_covers_twelve_months(e, k):
    k.b("visit", "hold", "1", "2", "--findings", "試験の所見", "--date", "2026-10-20")
    k.b("visit", "hold", "1", "3", "--findings", "試験の所見", "--date", "2026-11-24")
    k.b("visit", "report", "1", "3")
    ws = openpyxl.load_workbook(k.out("visit-3/年間教育計画.xlsx")).worksheets[0]
    header, cols = table(ws, "取り組み")
    months = ["%d月" % m for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    check_list([h for h in cols if h in months], months, "twelve month columns, April first")
    acts = {ws.cell(r, 1).value: [m for m in months if ws.cell(r, cols[m]).value == "●"]
            for r in data_rows(ws, header)}
    check(any("新入社員" in a and m == ["4月"] for a, m in acts.items()), "new hires in April: %s" % acts)
    check(any("標的型メール訓練" in a and len(m) == 2 for a, m in acts.items()), "a phishing drill twice")
    check(any("見直し" in a for a in acts), "the review")
    check(any(CHOSEN[2] in a and "復習" in a for a in acts), "the weak topic again with a review")
    text = "\n".join(doc_text(k.out("visit-3/年間教育計画書.docx")))
    check("令和9年度" in text, "the next fiscal year: %s" % text[:200])


def test_documents_open_in_libreoffice(e, k):
    files = sorted(glob.glob(os.path.join(k.out(), "**", "*.docx"), recursive=True))
    check(len(files) >= 10, "documents: %d" % len(files))
    check_pdf_conversion(e, files, k.path("pdf"), k.ws)


TESTS = [test_plan_sheet_lists_the_catalogue, test_test_holds_only_the_chosen_topics,
         test_answer_key_is_balanced, test_clinic_training_speaks_of_patient_information,
         test_same_seed_same_test_and_a_second_session, test_answer_outside_the_choices_is_refused,
         test_results_match_hand_computation, test_formulas_recalculate_in_libreoffice,
         test_annual_plan_covers_twelve_months, test_documents_open_in_libreoffice]

if __name__ == "__main__":
    sys.exit(run_suite("training", TESTS, Case))
