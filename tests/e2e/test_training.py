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

from harness import (Engagement, check, company_folder, check_eq, check_list, check_pdf_conversion, data_rows, doc_text,
                     run_suite, soffice, strip_formula_results, table, table_rows)

COMPANY = "医療法人社団 テスト会"
CHOSEN = ["標的型メール・フィッシング", "パスワードと多要素認証", "メール・FAXの誤送信の防止"]
LABELS = ["ア", "イ", "ウ", "エ"]
PEOPLE = 20
ABSENT = {7, 15}                 # participants who missed the session
# Questions the clinic's test draws, in the bank's clinic wording.
WANT_CLINIC = [
    "理事長の名前で「極秘の案件なので、ほかの人には言わずに、今日中にこの新しい口座へ振り込んでほしい」"
    "というメールが届きました。どうしますか。",
    "取引業者の担当者の名前で「請求書を送ります」という添付ファイル付きのメールが届きました。",
    "送ったメールを見直したら、別の取引業者あてに送ってしまったことに気付きました。まず何をしますか？",
    "取引業者A社への発注書を添付しようとしたら、同じフォルダにB社への発注書もあり、ファイル名がよく似ています。どうしますか？",
]


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
    blank = openpyxl.load_workbook(path).worksheets[0]
    guide = "\n".join(str(c.value) for row in blank.iter_rows(max_row=header) for c in row if c.value)
    check("◎と「実施する」は自社診断の結果を取り込んだ後に付くので、自社診断と同時にお渡しするシートにはまだありません。"
          in guide, "the sheet says why a sheet handed out with the self-diagnosis has no ◎: %s" % guide[:300])


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


WRONG_FOR_A_CLINIC = ("取引先", "お客様", "顧客", "社長", "お客", "社員")
OTHER_COMPANIES = ("鉄道会社", "有名な会社", "小さな会社", "小さい会社", "どの会社", "特定の会社", "払う会社",
                   "思われる会社", "病院や会社", "表示された会社名", "名前と会社名", "知らない会社", "別の会社",
                   "大きな会社", "ほかの会社")


def test_clinic_questions_name_patients_and_suppliers(e, k):
    """No drawn question, choice or explanation of a clinic's test, answer
    key or answer workbook speaks of customers, 取引先 or a 社長; the bank's
    clinic wording is there word for word."""
    texts = {"test": "\n".join(doc_text(k.files["test"])),
             "key": "\n".join(doc_text(k.out("visit-2/理解度確認テスト_解答と解説.docx")))}
    ws = openpyxl.load_workbook(k.files["answers"])["問題ごとの正答率"]
    header, cols = table(ws, "問")
    texts["workbook"] = "\n".join(str(ws.cell(r, cols["問題"]).value) for r in data_rows(ws, header))
    check(len(texts["workbook"]) > 200, "the workbook's questions: %s" % texts["workbook"])
    for name, t in texts.items():
        found = [(w, t[max(0, t.find(w) - 30):t.find(w) + 20]) for w in WRONG_FOR_A_CLINIC if w in t]
        check(not found, "the %s of a clinic: %s" % (name, found))
        # 会社 only where it means another company, never the employer.
        rest = t
        for other in OTHER_COMPANIES:
            rest = rest.replace(other, "")
        check("会社" not in rest, "the %s calls the clinic a 会社: %s" % (name, rest[max(0, rest.find("会社") - 30):
                                                                                   rest.find("会社") + 20]))
    check("法人" in texts["test"], "a 医療法人's test speaks of its 法人")
    plan = "\n".join(doc_text(k.out("visit-1/研修計画書.docx")))
    check("取引業者や銀行、社内の人になりすましたメールやSMSを見分け" in plan, "the phishing topic's summary for a clinic")
    for want in WANT_CLINIC:
        check(want in texts["test"] and want in texts["key"], "in the test and the key: %s" % want)


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
    low = [n for n in range(9, 13) if rates[n] < 0.7]
    advice = "、".join("問%d（%d%%）" % (n, int(rates[n] * 100 + 1e-9)) for n in low) + \
        "の解説を使って短い補習を行い、翌年度の計画で最初に取り上げます。"
    check(low and any(r[-1] == advice for r in rows if len(r) == 3), "the weak topic's advice names its questions: %s"
          % [r for r in rows if len(r) == 3 and r[0] == weak])
    check("二段階認証の設定方法" in review, "participants' feedback in the review")
    check("研修の中で、当法人に実際に届いた不審なメールや、身近な事例を増やします。" in review,
          "a 医療法人's review speaks of 当法人, not 自社")
    check("職員40名のうち、今回の研修の対象者は20名です。ほかの職員20名は、年間教育計画に沿って受講します。" in review,
          "the review says whom the session left for the year's plan: %s" % review[:300])
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
    check(any(CHOSEN[2] in a and "復習" in a and m == ["5月"] for a, m in acts.items()),
          "the weak topic again with a review, first in the year: %s" % acts)
    text = "\n".join(doc_text(k.out("visit-3/年間教育計画書.docx")))
    check("令和9年度" in text, "the next fiscal year: %s" % text[:200])


def test_plan_without_trainer_or_date_names_the_lead(e, k):
    """A plan sheet that leaves a session's trainer and date blank gives a
    研修計画書 without 未定: the company's contact as its education lead, the
    second visit as the date, both stated; 管理者・IT担当 stays one audience."""
    ws = os.path.join(e.tmp, "ws-defaults")
    e.run("init", ws)
    b = lambda *a: e.run("-C", ws, *a)
    b("company", "add", COMPANY, "--industry", "医療、福祉", "--kind", "医療法人", "--employees", "40",
      "--contact", "事務 長子", "--contact-role", "事務長")
    b("expert", "add", "専門 花子", "--themes", "training")
    b("engage", COMPANY, "training", "--expert", "1")
    path = os.path.join(e.tmp, "defaults-plan.xlsx")
    b("worksheet", "1", "training-plan", "-o", path)
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    header, cols = table(sheet, "テーマ")
    for r in data_rows(sheet, header):
        t = sheet.cell(r, cols["テーマ"]).value
        sheet.cell(r, cols["実施"]).value = "実施する" if t == CHOSEN[1] else "実施しない"
        if t == CHOSEN[1]:
            sheet.cell(r, cols["対象"]).value = "全従業員・管理者・IT担当"
    wb.save(path)
    b("import", "1", path)
    b("visit", "plan", "1", "1", "--date", "2026-09-15")
    b("visit", "hold", "1", "1", "--date", "2026-09-15", "--findings", "試験の所見")
    b("visit", "report", "1", "1")
    doc = os.path.join(ws, "out", company_folder(1, COMPANY), "training", "visit-1", "研修計画書.docx")
    text = "\n".join(doc_text(doc))
    check("未定" not in text, "no 未定 in the plan: %s" % text[text.find("未定") - 80:text.find("未定") + 20])
    rows = table_rows(doc)
    session = next(r for r in rows if len(r) == 7 and r[0] == "1")
    check_eq(session[4], "第2回訪問の日", "the date of a session the sheet leaves blank")
    check_eq(session[5], "事務長 事務 長子（教育の担当者）", "the trainer of a session the sheet leaves blank")
    check("研修計画シートで実施日を決めていないテーマは第2回訪問の日に、講師を決めていないテーマは"
          "事務長 事務 長子（教育の担当者）が受け持つものとして記載しました。" in text, "the plan says so")
    check("受講者への案内と、会場・機材（プロジェクター、スピーカーなど）の準備は事務長 事務 長子が行います。"
          "研修資料と理解度確認テストは専門 花子が用意し、研修の前に送ります。" in text, "who prepares the sessions")
    audiences = [r[0] for r in rows if len(r) == 3]
    check("管理者・IT担当" in audiences and "IT担当" not in audiences, "管理者・IT担当 is one audience: %s" % audiences)
    check("職員向け情報セキュリティ研修の内容と進め方" in text, "a clinic's plan is for its 職員")


def test_year_gives_each_topic_its_own_month(e, k):
    """Five topics chosen: the annual plan teaches each in a month of its
    own, and a clinic's plan speaks of its 職員."""
    ws = os.path.join(e.tmp, "ws-year")
    e.run("init", ws)
    b = lambda *a: e.run("-C", ws, *a)
    b("company", "add", COMPANY, "--industry", "医療、福祉", "--kind", "医療法人", "--employees", "120",
      "--contact", "事務 長子", "--contact-role", "事務長")
    b("expert", "add", "専門 花子", "--themes", "training")
    b("engage", COMPANY, "training", "--expert", "1")
    path = os.path.join(e.tmp, "year-plan.xlsx")
    b("worksheet", "1", "training-plan", "-o", path)
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    header, cols = table(sheet, "テーマ")
    five = CHOSEN + ["情報の持ち出しと機器の紛失", "職場の物理的なセキュリティ"]
    for r in data_rows(sheet, header):
        t = sheet.cell(r, cols["テーマ"]).value
        sheet.cell(r, cols["実施"]).value = "実施する" if t in five else "実施しない"
    wb.save(path)
    b("import", "1", path)
    for n, date in ((1, "2026-09-15"), (2, "2026-10-20"), (3, "2026-11-24")):
        b("visit", "plan", "1", str(n), "--date", date)
        b("visit", "hold", "1", str(n), "--date", date, "--findings", "試験の所見")
    b("visit", "report", "1", "3")
    out = os.path.join(ws, "out", company_folder(1, COMPANY), "training", "visit-3")
    sheet = openpyxl.load_workbook(os.path.join(out, "年間教育計画.xlsx")).worksheets[0]
    header, cols = table(sheet, "取り組み")
    months = ["%d月" % m for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    taught = {}
    for r in data_rows(sheet, header):
        title = sheet.cell(r, 1).value
        if any(title.startswith(t) for t in five):
            taught[title] = [m for m in months if sheet.cell(r, cols[m]).value == "●"]
    check_eq(len(taught), 5, "five topics in the year: %s" % taught)
    got = [m[0] for m in taught.values()]
    check_eq(len(set(got)), 5, "each topic in its own month: %s" % taught)
    check_eq(got, sorted(got, key=months.index), "the topics listed in the order of the year")
    text = "\n".join(doc_text(os.path.join(out, "年間教育計画書.docx")))
    check("役員・職員の一人ひとりが正しい行動を続けられるようにします" in text, "the year plan's lead names 役員・職員")
    check("・職員の入れ替わりが多いとき" in text, "the year plan's review reasons name 職員")


ADVISOR = "みなと会計事務所"
ADVISOR_TOPICS = ["SNSの使い方", "メール・FAXの誤送信の防止", "職場の物理的なセキュリティ"]
# Questions the office's two tests draw, in the bank's office wording.
WANT_ADVISOR = [
    "初めて担当する顧問先に、申告書の控えをFAXで送ります。番号を手で入力するとき、どうしますか？",
    "所内のチャットで顧問先の電話番号を同僚に伝えようとしたら、そのグループには別の顧問先の担当者も入っていました。",
    "その顧問先も信頼できる相手なので、そのまま送る",
    "事務所に有名人が相談に来ました。うれしいので、SNSで知らせたいと考えています。どうしますか。",
    "顧問先や相談に来た人に関することは、投稿しない",
    "顧問先A社への試算表を添付しようとしたら、同じフォルダにB社の試算表もあり、ファイル名がよく似ています。どうしますか？",
]


def test_accounting_office_questions_name_its_clients(e, k):
    """An accounting office's two tests and their keys speak of 顧問先, never
    of customers, 取引先 or a 社長; the bank's office wording is there word
    for word."""
    ws = os.path.join(e.tmp, "ws-advisor")
    e.run("init", ws)
    b = lambda *a: e.run("-C", ws, *a)
    b("company", "add", ADVISOR, "--industry", "学術研究、専門・技術サービス業", "--kind", "個人事業主",
      "--employees", "8", "--contact", "港 一郎", "--contact-role", "所長", "--notes", "税理士事務所。顧問先の帳簿を預かる")
    b("expert", "add", "専門 花子", "--themes", "training")
    b("engage", ADVISOR, "training", "--expert", "1")
    path = os.path.join(e.tmp, "advisor-plan.xlsx")
    b("worksheet", "1", "training-plan", "-o", path)
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    header, cols = table(sheet, "テーマ")
    for r in data_rows(sheet, header):
        t = sheet.cell(r, cols["テーマ"]).value
        sheet.cell(r, cols["実施"]).value = "実施する" if t in ADVISOR_TOPICS else "実施しない"
    wb.save(path)
    b("import", "1", path)
    for n, date in ((1, "2026-09-15"), (2, "2026-10-20"), (3, "2026-11-24")):
        b("visit", "plan", "1", str(n), "--date", date)
    b("generate", "1", "--visit", "2", "--only", "training-test")
    b("generate", "1", "--visit", "2", "--only", "training-test-key")
    b("generate", "1", "--visit", "3", "--only", "training-test-2")
    b("generate", "1", "--visit", "3", "--only", "training-test-key-2")
    out = os.path.join(ws, "out", company_folder(1, ADVISOR), "training")
    texts = {}
    for f in ("visit-2/理解度確認テスト.docx", "visit-2/理解度確認テスト_解答と解説.docx",
              "visit-3/理解度確認テスト_別問題.docx", "visit-3/理解度確認テスト_別問題_解答と解説.docx"):
        texts[f] = "\n".join(doc_text(os.path.join(out, f)))
    for name, t in texts.items():
        found = [(w, t[max(0, t.find(w) - 30):t.find(w) + 20]) for w in WRONG_FOR_A_CLINIC if w in t]
        check(not found, "%s of an accounting office: %s" % (name, found))
        rest = t
        for other in OTHER_COMPANIES:
            rest = rest.replace(other, "")
        check("会社" not in rest, "%s calls the office a 会社: %s" % (name, rest[max(0, rest.find("会社") - 30):
                                                                          rest.find("会社") + 20]))
    both = "\n".join(texts.values())
    for want in WANT_ADVISOR:
        check(want in both, "in the office's tests: %s" % want)


def test_answer_key_is_not_a_page_per_question(e, k):
    """The answer key's twelve explanations run on from one to the next: no
    chain of kept-together blocks sending each to a page of its own."""
    key = k.out("visit-2/理解度確認テスト_解答と解説.docx")
    outdir = k.path("keypdf/x") and os.path.dirname(k.path("keypdf/x"))
    soffice(e, [key], "pdf", outdir)
    pdf = os.path.join(outdir, "理解度確認テスト_解答と解説.pdf")
    import subprocess
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                               text=True).stdout).group(1))
    check(pages <= 4, "the answer key of twelve questions on %d pages" % pages)


def test_documents_open_in_libreoffice(e, k):
    files = sorted(glob.glob(os.path.join(k.out(), "**", "*.docx"), recursive=True))
    check(len(files) >= 10, "documents: %d" % len(files))
    check_pdf_conversion(e, files, k.path("pdf"), k.ws)


TESTS = [test_plan_sheet_lists_the_catalogue, test_test_holds_only_the_chosen_topics,
         test_answer_key_is_balanced, test_clinic_training_speaks_of_patient_information,
         test_clinic_questions_name_patients_and_suppliers,
         test_same_seed_same_test_and_a_second_session, test_answer_outside_the_choices_is_refused,
         test_results_match_hand_computation, test_formulas_recalculate_in_libreoffice,
         test_annual_plan_covers_twelve_months, test_plan_without_trainer_or_date_names_the_lead,
         test_year_gives_each_topic_its_own_month, test_accounting_office_questions_name_its_clients,
         test_answer_key_is_not_a_page_per_question, test_documents_open_in_libreoffice]

if __name__ == "__main__":
    sys.exit(run_suite("training", TESTS, Case))
