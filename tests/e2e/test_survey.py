#!/usr/bin/python3
"""End-to-end: the post-guidance questionnaires as workbooks. The company's
form (指導先企業アンケート) and the expert's form for the engagement are
written with what bansou knows filled in, read with openpyxl as the company
sees them (drop-downs, ○ rows, follow-ups marked 該当なし by a live
formula), filled and imported; each kind of mistake is refused at its cell
with nothing stored; one form goes through LibreOffice; the final report
says the evaluations are pending, then gives them once the forms are back.

    /usr/bin/python3 tests/e2e/test_survey.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import shutil
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Engagement, check, check_eq, doc_text, run_suite, soffice  # noqa: E402

COMPANY = "株式会社回答工業"
CLOUD = "クラウドサービスの安全利用"


class Case(Engagement):
    def __init__(self, cli):
        super().__init__(cli, COMPANY, "cloud", ["--industry", "製造業", "--employees", "40"])
        self.forms = {}
        for sheet in ("survey-company", "survey-expert"):
            path = os.path.join(cli.tmp, sheet + ".xlsx")
            self.b("worksheet", "1", sheet, "-o", path)
            self.forms[sheet] = path


def rows(path):
    """{id: (sheet row, number, question, choice, answer, 記入)} of a form,
    each cell as a spreadsheet shows it (a formula's result as written)."""
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    head = next(r for r in range(1, 40) if ws.cell(r, 1).value == "ID")
    check_eq([ws.cell(head, c).value for c in range(1, 7)],
             ["ID", "番号", "設問", "選択肢", "回答", "記入"], "the form's header")
    out = {}
    for r in range(head + 1, ws.max_row + 1):
        v = ws.cell(r, 1).value
        if v and not str(v).startswith("■"):
            out[v] = (r,) + tuple(ws.cell(r, c).value for c in range(2, 7))
    return out


def fill(src, dst, answers):
    """A copy of the form `src` with `answers` ({id: value}) in 回答."""
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    at = {k: v[0] for k, v in rows(src).items()}
    for k, v in answers.items():
        ws.cell(at[k], 5).value = v
    wb.save(dst)
    return dst


# A whole company form, answered as the seed's choices read (required ones,
# the follow-ups that then apply, details of その他).
COMPANY_ANSWERS = {
    "q0_2": "兼任の担当者がある", "q1_1.1": "○", "q1_1.6": "○", "q1_1.8": "○",
    "q1_1.other": "取引先からの要請に応えるため", "q1_3_1": "必要だった",
    "q1_3_2": "自社の課題を先に整理できた", "q1_3_3": "少ない", "q1_3_4": "4回",
    "q1_3_5": "指導時間2時間は適切であった", "q2_1": "当初の目的をある程度達成することができた",
    "q2_2": "規程はできたが周知はこれから", "q2_5": "展開しない",
}


def answer_all(path, given):
    """`given` completed with a first choice for every other required
    question that applies, as a person answering the rest would."""
    out = dict(given)
    form = rows(path)
    for k, (_, no, question, choice, answer, need) in form.items():
        if k in out or need != "必須" or answer:
            continue  # answered, optional, not applying, or filled in by bansou
        if choice == "▼ 一覧から選択":
            out[k] = None  # chosen below from the drop-down's list
        elif choice == "自由記述" or (choice or "").startswith("数字"):
            out[k] = "記入例"
        elif "." in k and k.endswith(".1"):
            out[k] = "○"
    lists = drop_downs(path)
    for k, v in list(out.items()):
        if v is None:
            out[k] = lists["E%d" % form[k][0]][0]
    return out


def drop_downs(path):
    """{cell: its drop-down's choices} of a form's sheet: a list written in
    the rule, or a range of the hidden sheet of long lists."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for dv in wb.worksheets[0].data_validations.dataValidation:
        f = dv.formula1
        if f.startswith('"'):
            items = f.strip('"').split(",")
        else:
            sheet, rng = f.lstrip("=").split("!")
            cells = wb[sheet][rng.replace("$", "")]
            items = [c[0].value for c in cells]
        for cell in str(dv.sqref).split():
            out[cell] = items
    return out


def test_the_company_form_as_the_company_sees_it(e, k):
    form = rows(k.forms["survey-company"])
    check_eq(form["q0_1"][4], COMPANY, "①貴社名 filled in")
    check_eq(form["q1_2"][4], CLOUD, "Q1-2 the theme received, filled in")
    check_eq(form["q1_3_4"][5], "該当なし", "Q1-3-4 does not apply on a blank form")
    check_eq([form["q1_1.%d" % i][3] for i in range(1, 9)][:2],
             ["情報セキュリティに関する規程を整備するため",
              "取引先や顧客から安全・安心・信頼を獲得するため"], "Q1-1's choices, a row each")
    wb = openpyxl.load_workbook(k.forms["survey-company"])
    ws = wb.worksheets[0]
    f = ws.cell(form["q1_3_4"][0], 6).value
    a = "$E$%d" % form["q1_3_3"][0]
    check_eq(f, '=IF(OR(%s="少ない",%s="多い"),"回答してください","該当なし")' % (a, a),
             "Q1-3-4's 記入 follows Q1-3-3's answer")
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    check_eq(lists.get("E%d" % form["q0_2"][0]),
             '"専任の担当者がある,兼任の担当者がある,担当者はいない"', "②'s drop-down")
    check_eq(lists.get("E%d" % form["q1_1.1"][0]), '"○"', "a multi-select row takes ○")
    check(ws.protection.sheet, "the sheet is protected but for the answers")
    check(not ws.cell(form["q0_2"][0], 5).protection.locked, "answers are unlocked")


def test_mistakes_are_refused_at_their_cell(e, k):
    src = k.forms["survey-company"]
    form = rows(src)
    full = answer_all(src, COMPANY_ANSWERS)
    cell = lambda q: "企業アンケート!E%d" % form[q][0]  # noqa: E731
    cases = [
        ({"q1_3_3": "適切"},
         "%s: Q1-3-4: Q1-3-3で「少ない」「多い」を選んだときだけ回答します（Q1-3-3の回答: 「適切」）"
         % cell("q1_3_4")),
        ({"q0_2": "いない"}, "%s: ②: 「いない」は選択肢にありません（専任の担当者がある／"
                            "兼任の担当者がある／担当者はいない）" % cell("q0_2")),
        ({"q1_1.2": "はい"}, "%s: Q1-1「取引先や顧客から安全・安心・信頼を獲得するため」: 選ぶときは"
                            "「○」を記入してください（「はい」）" % cell("q1_1.2")),
        ({"q2_1": None}, "%s: Q2-1: 回答がありません（必須）" % cell("q2_1")),
        ({"q1_1.8": None}, "%s: Q1-1: 「その他(具体的に:)」を選んでいないのに内容が書かれています"
                          % cell("q1_1.other")),
    ]
    for change, want in cases:
        bad = fill(src, os.path.join(e.tmp, "bad.xlsx"), dict(full, **change))
        rc, out, err = k.b("import", "1", bad, check=False)
        check_eq((rc, out), (1, ""), "import with %s" % change)
        check_eq(err, "bansou: %s\nbansou: 1 problem in %s: nothing imported\n" % (want, bad),
                 "the message for %s" % change)
    rc, _, _ = k.b("records", "1", "survey-company", check=False)
    check_eq(rc, 1, "nothing stored")


def test_a_whole_form_is_stored_as_answered(e, k):
    src = k.forms["survey-company"]
    full = answer_all(src, COMPANY_ANSWERS)
    done = fill(src, os.path.join(e.tmp, "company-filled.xlsx"), full)
    k.b("import", "1", done)
    got = {r["id"]: r.get("answer") for r in json.loads(k.b("records", "1", "survey-company",
                                                            "--json")[1])}
    check_eq(len(got), len(rows(src)), "one stored row per row of the form")
    for q, v in full.items():
        check_eq(got[q], v, "the stored answer of %s" % q)
    check_eq(got["q1_2"], CLOUD, "the prefilled theme stays")
    k.files["company"] = done


def test_the_experts_form_through_libreoffice(e, k):
    src = k.forms["survey-expert"]
    full = answer_all(src, {"q4_1": "上手かった", "q4_1_reason": "目標の規程を作り終えた"})
    filled = fill(src, os.path.join(e.tmp, "expert-filled.xlsx"), full)
    out = os.path.join(e.tmp, "lo")
    os.makedirs(os.path.join(out, "in"), exist_ok=True)
    shutil.copy(filled, os.path.join(out, "in", "expert.xlsx"))
    soffice(e, [os.path.join(out, "in", "expert.xlsx")], "xlsx", out)
    saved = os.path.join(out, "expert.xlsx")
    check(os.path.isfile(saved), "LibreOffice saved the form")
    k.b("import", "1", saved)
    got = {r["id"]: r.get("answer") for r in json.loads(k.b("records", "1", "survey-expert",
                                                            "--json")[1])}
    for q, v in full.items():
        check_eq(got[q], v, "the stored answer of %s after LibreOffice" % q)


def test_the_final_report_gives_the_evaluations(e, k):
    # A second engagement whose forms never came back, and the first with both.
    k.b("company", "add", "株式会社未回答", "--industry", "製造業", "--employees", "10")
    k.b("engage", "2", "cloud", "--expert", "1")
    for eng in ("1", "2"):
        k.b("engagement", "terminate", eng, "--reason", "試験のため終了", "--date", "2025-07-01")
        k.b("engagement", "final-report", eng, "--findings", "試験の所見")
    got = {}
    for eng, folder in (("1", "001_" + COMPANY), ("2", "002_株式会社未回答")):
        path = os.path.join(k.ws, "out", folder, "cloud", "final", "最終報告書.docx")
        got[eng] = doc_text(path)
    check("上手かった\n理由：目標の規程を作り終えた" in got["1"], "the expert's evaluation")
    check("当初の目的をある程度達成することができた\n理由：規程はできたが周知はこれから" in got["1"],
          "the company's evaluation")
    early = os.path.join(k.ws, "out", "002_株式会社未回答", "cloud", "final", "指導先企業アンケート.xlsx")
    ws = openpyxl.load_workbook(early).worksheets[0]
    status = [ws.cell(r, 2).value for r in range(1, 12) if ws.cell(r, 1).value == "指導の状況"]
    check_eq(status, ["予定の訪問を終える前に終了しました（理由：試験のため終了）"],
             "an engagement ended early gets the company's form with its final report, and why")
    pending = [t for t in got["2"] if t.startswith("未回答\n")]
    check_eq(pending, ["未回答\n「指導専門家アンケート（企業別）」の提出待ちです。提出され次第、この欄に記載されます。",
                       "未回答\n「指導先企業アンケート」の提出待ちです。提出され次第、この欄に記載されます。"],
             "pending evaluations")
    st = {r["id"]: r.get("awaiting") for r in json.loads(k.b("status", "--json")[1])}
    check_eq(st, {1: [], 2: [{"id": "survey-company", "sheet": "企業アンケート"},
                             {"id": "survey-expert", "sheet": "専門家アンケート"}]},
             "the questionnaires still to come back, per ended engagement")
    # The company's form comes back after the end: it is imported, other
    # worksheets are not, and the final report is due once more.
    late = os.path.join(e.tmp, "late.xlsx")
    k.b("worksheet", "2", "survey-company", "-o", late)
    rc, _, err = k.b("worksheet", "2", "self-diagnosis", "-o", os.path.join(e.tmp, "x.xlsx"),
                     check=False)
    check(rc != 0 and "terminated" in err, "other worksheets stay closed: %r" % err)
    k.b("import", "2", fill(late, late, answer_all(late, dict(COMPANY_ANSWERS,
                                                              q2_1="当初の目的を達成することができなかった",
                                                              q2_2="途中で終了したため"))))
    k.b("engagement", "final-report", "2")
    path = os.path.join(k.ws, "out", "002_株式会社未回答", "cloud", "final", "最終報告書.docx")
    check("当初の目的を達成することができなかった\n理由：途中で終了したため" in doc_text(path),
          "the final report written again gives the company's answer")
    rc, _, err = k.b("engagement", "final-report", "2", check=False)
    check(rc != 0 and "terminated" in err, "and then not again: %r" % err)
    line = [l for l in k.b("status")[1].splitlines() if l.startswith("2 ")]
    check(line and line[0].endswith("awaiting 専門家アンケート"), "status: %r" % line)


def test_results_add_up_as_counted_by_hand(e, k):
    """After the tests above: two ended cloud engagements. 1: the company
    answered Q2-1 「ある程度」 (○), the expert Q4-1 「上手かった」 (○); 2: the
    company 「達成することができなかった」 (△), the expert's form not back
    (不明). Both companies: ② 兼任, Q1-3-4 「4回」, Q5-4-3 its first choice
    (無料…), Q5-3 its first choice, Q2-2 one reason each."""
    r = json.loads(k.b("survey", "results", "--json")[1])
    check_eq((r["engagements"], r["returned"]), (2, {"company": 2, "expert": 1, "overall": 0}),
             "counts")
    check_eq(r["summary"], [{"theme": "cloud", "title": CLOUD, "engagements": 2,
                             "expert": {"◎": 0, "○": 1, "△": 0, "unknown": 1},
                             "company": {"◎": 0, "○": 1, "△": 1, "unknown": 0}}], "図表 2-72")
    cross = r["cross"][0]
    check_eq((cross["theme"], len(cross["companies"]), len(cross["experts"])), ("cloud", 5, 5),
             "the cross table's size")
    check_eq(cross["counts"], [[0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0],
                               [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]], "図表 2-75 as counted")
    q = {x["id"]: x for x in r["company"]}
    check_eq((q["q0_2"]["n"], [c["count"] for c in q["q0_2"]["choices"]]), (2, [0, 2, 0]), "②")
    check_eq([c["share"] for c in q["q0_2"]["choices"]], [0, 1, 0], "②'s shares")
    check_eq([c["count"] for c in q["q1_3_4"]["choices"]], [0, 0, 2, 0], "Q1-3-4")
    check_eq([c["count"] for c in q["q2_1"]["choices"]], [0, 1, 0, 1, 0], "Q2-1")
    check_eq([c["share"] for c in q["q2_1"]["choices"]], [0, 0.5, 0, 0.5, 0], "Q2-1's shares")
    check_eq(sorted(q["q2_2"]["answers"]), ["規程はできたが周知はこれから", "途中で終了したため"],
             "Q2-2's written answers")
    check_eq(q["q1_1"]["other_texts"], ["取引先からの要請に応えるため"] * 2, "Q1-1's details")
    check_eq((r["fees"]["n"], r["fees"]["choices"][0]["count"], r["fees"]["choices"][0]["share"]),
             (2, 2, 1), "図表 2-78: both wish for 無料")
    check_eq([c["count"] for c in r["desired_themes"]["choices"]][0], 2, "図表 2-79")
    x = {x["id"]: x for x in r["expert"]}
    check_eq((x["q4_1"]["n"], [c["count"] for c in x["q4_1"]["choices"]]), (1, [0, 1, 0, 0, 0]),
             "the expert's Q4-1")
    check_eq(json.loads(k.b("survey", "results", "--theme", "policy", "--json")[1])["engagements"],
             0, "--theme policy")
    check_eq(json.loads(k.b("survey", "results", "--year", "2025", "--json")[1])["engagements"],
             2, "--year 2025: ended 2025-07-01")
    check_eq(json.loads(k.b("survey", "results", "--year", "2024", "--json")[1])["engagements"],
             0, "--year 2024")
    rc, _, err = k.b("survey", "results", "--year", "令和7", check=False)
    check_eq((rc, err), (1, "bansou: --year: '令和7' is not a fiscal year (e.g. 2025)\n"), "bad year")
    _, out, _ = k.b("survey", "results")
    check(out.splitlines()[0] == "ended engagements: 2; questionnaires back: 2 from companies, "
          "1 from experts", "the text output's first line: %r" % out.splitlines()[0])


def test_the_experts_overall_form_once_a_year(e, k):
    form = os.path.join(e.tmp, "overall.xlsx")
    _, out, _ = k.b("survey", "form", "--expert", "1", "--year", "2025", "-o", form)
    check_eq(out, form + "\n", "survey form says where")
    rows_ = rows(form)
    names = [v[4] for v in rows_.values() if v[4] == "専門 花子"]
    check(names, "the expert's name filled in")
    full = answer_all(form, {})
    at = "専門家アンケート_全体!E%d" % rows_["q2_8"][0]
    bad = fill(form, os.path.join(e.tmp, "overall-bad.xlsx"), dict(full, q2_8="三万円"))
    rc, out, err = k.b("survey", "import", bad, "--expert", "1", "--year", "2025", check=False)
    check_eq((rc, out), (1, ""), "a fee that is not a number")
    check_eq(err, "bansou: %s: 8.: 「三万円」は数字ではありません\nbansou: 1 problem in %s: nothing "
             "imported\n" % (at, bad), "its message")
    check_eq(json.loads(k.b("survey", "results", "--json")[1])["returned"]["overall"], 0,
             "nothing stored")
    good = fill(form, os.path.join(e.tmp, "overall-good.xlsx"), dict(full, q2_8=30000))
    _, out, _ = k.b("survey", "import", good, "--expert", "1", "--year", "2025")
    check_eq(out, "imported the overall questionnaire of 2025: %d rows\n" % len(rows_), "import")
    r = json.loads(k.b("survey", "results", "--year", "2025", "--json")[1])
    check_eq(r["returned"]["overall"], 1, "one overall questionnaire back for 2025")
    fee = {q["id"]: q for q in r["overall"]}["q2_8"]
    check_eq((fee["n"], fee["answers"]), (1, ["30000"]), "the fee as answered")
    # Every stored answer, as the results count it: the choice given has 1.
    for q in r["overall"]:
        for i, c in enumerate(q.get("choices") or [], 1):
            given = full.get(q["id"]) == c["choice"] or full.get("%s.%d" % (q["id"], i)) == "○"
            check_eq(c["count"], 1 if given else 0, "%s %s" % (q["id"], c["choice"]))
        if q["type"] == "text":
            want = full.get(q["id"]) or (rows_[q["id"]][4] if q["id"] in rows_ else None)
            check_eq(q["answers"], [want] if want else [], q["id"])
    check_eq(json.loads(k.b("survey", "results", "--year", "2024", "--json")[1])["returned"]
             ["overall"], 0, "not in 2024")
    rc, _, err = k.b("survey", "import", good, "--expert", "1", check=False)
    check_eq((rc, err), (2, "bansou: survey import: --expert and --year are required\n"),
             "--year missing")


def test_a_limit_a_tool_author_sets_is_kept(e, k):
    """The programme's forms set no limit on a multi-select; a tool author
    who sets one in the data (Q1-1 at most two) gets it checked, with no
    change to bansou."""
    themes = os.path.join(e.tmp, "themes")
    shutil.copytree(os.path.join(e.root, "themes"), themes)
    path = os.path.join(themes, "lib", "survey_company.lua")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    marker = '{ id = "q1_1", label = "Q1-1",'
    check(marker in text, "Q1-1 in the data")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(marker, marker + " max = 2,"))
    env = dict(e.env)
    e.env["BANSOU_THEMES"] = themes
    try:
        form = os.path.join(e.tmp, "limited.xlsx")
        k.b("company", "add", "株式会社上限", "--industry", "製造業")
        _, out, _ = k.b("engage", "株式会社上限", "cloud", "--expert", "1")
        eng = out.split()[1]
        k.b("worksheet", eng, "survey-company", "-o", form)
        full = answer_all(form, dict(COMPANY_ANSWERS, **{"q1_1.2": "○"}))
        bad = fill(form, os.path.join(e.tmp, "limited-bad.xlsx"), full)
        rc, out, err = k.b("import", eng, bad, check=False)
        at = "企業アンケート!E%d" % rows(form)["q1_1.1"][0]
        check_eq((rc, err), (1, "bansou: %s: Q1-1: 選べるのは2個までです（4個に○）\nbansou: 1 problem "
                                "in %s: nothing imported\n" % (at, bad)), "over the limit")
    finally:
        e.env.clear()
        e.env.update(env)


TESTS = [test_the_company_form_as_the_company_sees_it, test_mistakes_are_refused_at_their_cell,
         test_a_whole_form_is_stored_as_answered, test_the_experts_form_through_libreoffice,
         test_the_final_report_gives_the_evaluations, test_results_add_up_as_counted_by_hand,
         test_the_experts_overall_form_once_a_year, test_a_limit_a_tool_author_sets_is_kept]


if __name__ == "__main__":
    sys.exit(run_suite("survey", TESTS, Case))
