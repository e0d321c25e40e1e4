#!/usr/bin/python3
"""End-to-end: the year's programme report. The test records a fiscal year
(2025) through the CLI — three consultation sessions, ten bookings (one not
held), five consultations that go on to guidance and four that decline, two
engagements started directly, one engagement that ends after its second
visit, one that withdraws before its first, one still running, the
questionnaires of some of the ended ones and one expert's overall
questionnaire — plus a session and an engagement of the year before. Every
table of `programme stats --json` and every sheet of the workbook is then
compared, cell by cell, with the counts this file makes from what it
recorded; the narrowings, anonymity, a year with one engagement and a year
with nothing, and refused options.

    /usr/bin/python3 tests/e2e/test_report.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch
"""
import json
import os
import re
import sys
import zipfile

import docx
import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, check_eq, check_pdf_conversion, doc_text, run_suite  # noqa: E402
from test_survey import answer_all, fill  # noqa: E402
from test_valid import VALIDATOR, report, validate  # noqa: E402

THEMES = [("policy", "1. 情報セキュリティ規程の整備"), ("assets", "2. 情報資産の洗い出しとリスク分析"),
          ("cloud", "3. クラウドサービスの安全利用"), ("incident", "4. セキュリティインシデント対応"),
          ("training", "5. 従業員向け情報セキュリティ教育")]
LABEL = dict(THEMES)
REGIONS = ["大阪", "名古屋", "埼玉"]
OTHER = "その他の地域"
# The prefectures this file uses, in the programme region the secretariat
# puts them (themes/lib/pool.lua).
REGION_OF = {"大阪府": "大阪", "兵庫県": "大阪", "京都府": "大阪", "愛知県": "名古屋", "岐阜県": "名古屋",
             "三重県": "名古屋", "埼玉県": "埼玉", "東京都": "埼玉"}
# The report's industries in the profile's order, and the divisions it joins.
INDUSTRIES = ["建設業", "製造業", "製造業（自動車産業）", "情報通信業", "運輸業、郵便業", "卸売業、小売業",
              "学術研究、専門・技術サービス業", "医療、福祉"]
DIVISION = {"卸売業": "卸売業、小売業", "小売業": "卸売業、小売業"}

# key: (name, industry, prefecture)
COMPANIES = {
    "c1": ("株式会社一番精工", "製造業", "愛知県"),  # came through 大阪: its region is the session's
    "c2": ("二番オート株式会社", "製造業（自動車産業）", "兵庫県"),
    "c3": ("三番商事株式会社", "卸売業", "大阪府"),
    "c4": ("四番ストア", "小売業", "京都府"),
    "c5": ("五番クリニック", "医療、福祉", "大阪府"),
    "c6": ("六番工業株式会社", "製造業", "愛知県"),
    "c7": ("七番建設", "建設業", "岐阜県"),
    "c8": ("八番部品株式会社", "製造業（自動車産業）", "愛知県"),
    "c9": ("九番システム", "情報通信業", "三重県"),
    "c10": ("十番設計事務所", "学術研究、専門・技術サービス業", "埼玉県"),
    "c11": ("十一番物産", "卸売業", "東京都"),
    "c12": ("十二番運輸", "運輸業、郵便業", "北海道"),
    "c13": ("十三番製作所", "製造業", "大阪府"),
    "c14": ("十四番印刷", "製造業", "大阪府"),
}
EXPERTS = {"x1": ("大阪 一郎", "大阪", "policy,training"), "x2": ("名古屋 二郎", "名古屋", "assets,incident,cloud"),
           "x3": ("埼玉 三子", "埼玉", "policy,cloud")}
EXPERT_ID = {"x1": 1, "x2": 2, "x3": 3}
# key: (day, region, experts of the booths)
SESSIONS = {"s1": ("2025-10-24", "大阪", ["x1", "x3"]), "s2": ("2025-10-30", "名古屋", ["x2", "x1"]),
            "s3": ("2026-02-10", "埼玉", ["x3"]), "s0": ("2025-03-15", "大阪", ["x1"])}
# (company, session, expert, outcome, detail): outcome engage THEME (wished,
# proposed), decline REASON [detail], or None (booked, never held).
CONSULTATIONS = [
    ("c1", "s1", "x1", ("engage", "policy", None)),
    ("c2", "s1", "x3", ("engage", "training", "policy")),
    ("c3", "s1", "x1", ("decline", "resolved", None)),
    ("c4", "s1", "x3", ("decline", "other", "経営者の判断による辞退")),
    ("c5", "s1", "x1", None),
    ("c6", "s2", "x2", ("engage", "incident", None)),
    ("c7", "s2", "x2", ("engage", "cloud", None)),
    ("c8", "s2", "x1", ("decline", "schedule", None)),
    ("c9", "s2", "x1", ("decline", "other", "経営者の判断による辞退")),
    ("c10", "s3", "x3", ("engage", "policy", None)),
    ("c14", "s0", "x1", ("decline", "visit", None)),
]
# Engagements in the order they start (ids 1 …): company, theme, expert,
# the days of the visits held, how it ends (("complete", day),
# ("terminate", day, reason) or None), whether it came through its consultation.
ENGAGEMENTS = [
    ("c1", "policy", "x1", ["2025-11-05", "2025-12-03", "2026-01-14"], ("complete", "2026-01-20"), True),
    ("c2", "policy", "x3", ["2025-11-10", "2025-12-08"], ("terminate", "2025-12-20", "繁忙期と退職が重なり中断"),
     True),
    ("c6", "incident", "x2", ["2025-11-12", "2025-12-10", "2026-01-21"], ("complete", "2026-01-25"), True),
    ("c7", "cloud", "x2", [], ("terminate", "2025-11-20", "社内の体制が整わないため開始前に辞退"), True),
    ("c10", "policy", "x3", ["2026-03-05"], None, True),
    ("c11", "training", "x1", ["2025-09-02", "2025-10-07", "2025-11-04"], ("complete", "2025-11-30"), False),
    ("c12", "assets", "x2", ["2025-07-01", "2025-08-01", "2025-09-01"], ("complete", "2025-09-10"), False),
    ("c13", "policy", "x1", ["2024-06-03", "2024-07-01", "2024-08-01"], ("complete", "2024-08-20"), False),
]
YEAR = [e for e in ENGAGEMENTS if e[0] != "c13"]

BASE = {"q0_2": "兼任の担当者がある", "q1_1.1": "○", "q2_2": "試験の回答", "q2_5": "展開しない"}
# What comes back: the company's form and the expert's, per company.
COMPANY_FORMS = {
    "c1": dict(BASE, q2_1="当初の目的を十分達成することができた", q1_3_1="必要だった", q1_3_3="適切",
               q1_3_5="指導時間2時間は適切であった", q5_4_3="10,000 円未満", **{"q5_3.3": "○"}),
    "c6": dict(BASE, q2_1="当初の目的をある程度達成することができた", q1_3_1="必要だった", q1_3_3="少ない",
               q1_3_4="4回", q1_3_5="指導時間2時間は短かった", q1_3_6="3時間",
               q5_4_3="無料(セキュリティ関係機関等の施策として支援をいただきたい)",
               **{"q5_3.3": "○", "q5_3.5": "○"}),
    "c11": dict(BASE, q2_1="当初の目的をあまり達成することができなかった", q1_3_1="不要だった", q1_3_3="適切",
                q1_3_5="指導時間2時間は適切であった", q5_4_3="10,000 円未満"),
}
EXPERT_FORMS = {"c1": "上手かった", "c2": "どちらともいえない", "c11": "大変上手かった"}
OVERALL = {"q2_1": "そう思う", "q2_2": "どちらでもない", "q2_4": "ちょうどよい", "q2_5": "短い",
           "q2_7": "少ない", "q2_8": 30000}
CHOICES = {
    "q1_3_1": ["必要だった", "必要だったが、オンラインでの実施でもよかった", "不要だった", "わからない"],
    "q1_3_3": ["少ない", "適切", "多い"],
    "q1_3_5": ["指導時間2時間は短かった", "指導時間2時間は適切であった", "指導時間2時間は長かった"],
    "q2_1c": ["当初の目的を十分達成することができた", "当初の目的をある程度達成することができた",
              "当初の目的をあまり達成することができなかった", "当初の目的を達成することができなかった", "その他"],
    "q5_3": ["情報セキュリティ規程の整備", "情報資産洗い出しとリスク分析", "クラウドサービスの安全利用",
             "セキュリティインシデント対応", "従業員向けセキュリティ教育", "その他(具体的に: _____)"],
    "q5_4_3": ["無料(セキュリティ関係機関等の施策として支援をいただきたい)", "10,000 円未満",
               "10,000 円以上～20,000 円未満", "20,000 円以上～30,000 円未満", "30,000 円以上～40,000 円未満",
               "40,000 円以上"],
    "q4_1": ["大変上手かった", "上手かった", "どちらともいえない", "やや上手いかなかった", "上手いかなかった"],
    "agree": ["そう思う", "どちらでもない", "そう思わない", "その他(具体的に: _____)"],
    "q2_4": ["多い", "ちょうどよい", "少ない", "その他(具体的に: _____)"],
    "q2_5": ["長い", "ちょうどよい", "短い", "その他(具体的に: _____)"],
}
MARK_X = {"大変上手かった": "◎", "上手かった": "○"}
MARK_C = {"当初の目的を十分達成することができた": "◎", "当初の目的をある程度達成することができた": "○"}


class Case:
    def __init__(self, cli):
        self.cli = cli
        self.ws = os.path.join(cli.tmp, "ws")
        self.answers = {"company": {}, "expert": {}}
        cli.run("init", self.ws)
        for key in sorted(EXPERTS, key=lambda x: EXPERT_ID[x]):
            name, region, themes = EXPERTS[key]
            self.b("expert", "add", name, "--regions", region, "--themes", themes)
        for key in sorted(COMPANIES, key=lambda c: int(c[1:])):
            name, industry, pref = COMPANIES[key]
            self.b("company", "add", name, "--industry", industry, "--prefecture", pref,
                   "--employees", "30")
        for key in ("s1", "s2", "s3", "s0"):
            day, region, experts = SESSIONS[key]
            self.b("session", "add", "--date", day, "--region", region, "--venue", region + "商工会議所",
                   "--experts", ",".join(EXPERTS[x][0] for x in experts))
        session_id = {"s1": 1, "s2": 2, "s3": 3, "s0": 4}
        self.consultation = {}
        for n, (c, s, x, outcome) in enumerate(CONSULTATIONS, 1):
            self.b("session", "book", str(session_id[s]), COMPANIES[c][0], "--expert", EXPERTS[x][0])
            self.consultation[c] = n
            if outcome is None:
                continue
            kind, a, b = outcome
            if kind == "engage":
                extra = ["--propose", b] if b else []
                self.b("consultation", "record", str(n), "--topics", "相談内容", "--advice", "助言",
                       "--wish", "yes", "--theme", a, *extra)
            else:
                self.b("consultation", "record", str(n), "--topics", "相談内容", "--advice", "助言",
                       "--wish", "no")
                self.b("consultation", "decline", str(n), "--reason", a, *(["--detail", b] if b else []))
        for eng, (c, theme, x, days, end, via) in enumerate(ENGAGEMENTS, 1):
            if via:
                _, out, _ = self.b("consultation", "engage", str(self.consultation[c]))
            else:
                _, out, _ = self.b("engage", COMPANIES[c][0], theme, "--expert", EXPERTS[x][0])
            check("engagement %d started" % eng in out, "engagement %d: %r" % (eng, out))
            for v, day in enumerate(days, 1):
                self.b("visit", "plan", str(eng), str(v), "--date", day)
                self.b("visit", "hold", str(eng), str(v), "--date", day, "--findings", "所見")
            if end and end[0] == "complete":
                self.b("engagement", "complete", str(eng), "--date", end[1])
            elif end:
                self.b("engagement", "terminate", str(eng), "--reason", end[2], "--date", end[1])
            if c in COMPANY_FORMS:
                self.answers["company"][c] = self.questionnaire(eng, "survey-company", COMPANY_FORMS[c])
            if c in EXPERT_FORMS:
                self.answers["expert"][c] = self.questionnaire(
                    eng, "survey-expert", {"q4_1": EXPERT_FORMS[c], "q4_1_reason": "理由"})
        form = os.path.join(cli.tmp, "overall.xlsx")
        self.b("survey", "form", "--expert", EXPERTS["x1"][0], "--year", "2025", "-o", form)
        self.overall = answer_all(form, OVERALL)
        fill(form, form, self.overall)
        self.b("survey", "import", form, "--expert", EXPERTS["x1"][0], "--year", "2025")

    def questionnaire(self, eng, sheet, given):
        path = os.path.join(self.cli.tmp, "%s-%d.xlsx" % (sheet, eng))
        self.b("worksheet", str(eng), sheet, "-o", path)
        full = answer_all(path, given)
        fill(path, path, full)
        self.b("import", str(eng), path)
        return full

    def b(self, *args, check=True):
        return self.cli.run("-C", self.ws, *args, check=check)

    def stats(self, *args):
        return json.loads(self.b("programme", "stats", *args, "--json")[1])


# --- The tables, counted from what the test recorded -------------------------------------

def region(c, via):
    if via:
        return SESSIONS[next(s for k, s, _, _ in CONSULTATIONS if k == c)][1]
    return REGION_OF.get(COMPANIES[c][2], OTHER)


def industry(c):
    i = COMPANIES[c][1]
    return DIVISION.get(i, i)


def conducted(e):
    return len(e[3]) > 0 or e[4] is None


def regions_present(engs):
    return REGIONS + ([OTHER] if any(region(e[0], e[5]) == OTHER for e in engs) else [])


def by_theme_rows(key, label, groups, group_of, engs):
    rows = []
    for g in groups:
        row = {key: g, "total": 0}
        for t, _ in THEMES:
            row[t] = sum(1 for e in engs if group_of(e) == g and e[1] == t)
            row["total"] += row[t]
        rows.append(row)
    total = {key: label, "total": len(engs)}
    for t, _ in THEMES:
        total[t] = sum(1 for e in engs if e[1] == t)
    return rows, total


def tally(answers, qid, choices):
    n = len(answers)
    rows = [{"choice": c, "count": sum(1 for a in answers if a.get(qid) == c)} for c in choices]
    for r in rows:
        r["share"] = r["count"] / n if n else 0
    return rows, {"choice": "回答数", "count": n}


def multi_tally(answers, qid, choices):
    answered = [a for a in answers if any(a.get("%s.%d" % (qid, i)) == "○"
                                          for i in range(1, len(choices) + 1))]
    n = len(answered)
    rows = [{"choice": c, "count": sum(1 for a in answered if a.get("%s.%d" % (qid, i)) == "○")}
            for i, c in enumerate(choices, 1)]
    for r in rows:
        r["share"] = r["count"] / n if n else 0
    return rows, {"choice": "回答数", "count": n}


def expected(k):
    """{table id: (rows, total)} of fiscal year 2025, counted by hand."""
    want = {}
    matched = YEAR
    done = [e for e in YEAR if conducted(e)]
    reg = lambda e: region(e[0], e[5])  # noqa: E731
    held = sum(len(e[3]) for e in done)
    kons = [x for x in CONSULTATIONS if x[3] is not None and x[1] != "s0"]
    engaged = [x for x in kons if x[3][0] == "engage"]
    declined = [x for x in kons if x[3][0] == "decline"]
    comp, expt = k.answers["company"], k.answers["expert"]
    want["summary"] = ([{"item": i, "count": n, "unit": u} for i, n, u in [
        ("相談会", 3, "回"), ("個別相談", len(kons), "件"), ("　うちマネジメント指導へ移行", len(engaged), "件"),
        ("　うち移行しなかった", len(declined), "件"), ("マネジメント指導のマッチング", len(matched), "社"),
        ("　うち開始前に辞退", len(matched) - len(done), "社"), ("マネジメント指導の実施", len(done), "社"),
        ("　うち全回の指導を終了", sum(1 for e in YEAR if e[4] and e[4][0] == "complete"), "社"),
        ("　うち途中で終了", sum(1 for e in done if e[4] and e[4][0] == "terminate"), "社"),
        ("　うち実施中", sum(1 for e in YEAR if e[4] is None), "社"), ("総訪問回数", held, "回"),
        ("指導終了後アンケート（企業）の回収", len(comp), "件"),
        ("指導終了後アンケート（指導専門家・指導ごと）の回収", len(expt), "件"),
        ("指導専門家アンケート（全体）の回収", 1, "件")]], None)
    want["t2-53"] = by_theme_rows("region", "総計", regions_present(done), reg, done)
    rows = []
    for r in regions_present(done):
        es = [e for e in done if reg(e) == r]
        rows.append({"region": r, "experts": len({e[2] for e in es}), "companies": len({e[0] for e in es})})
    want["t2-54"] = (rows, {"region": "計", "experts": len({e[2] for e in done}),
                            "companies": len({e[0] for e in done})})
    want["t2-55"] = ([{"theme": l, "count": sum(1 for e in done if e[1] == t)} for t, l in THEMES],
                     {"theme": "計", "count": len(done)})
    rows = []
    for no, x in enumerate(sorted({e[2] for e in done}, key=lambda x: EXPERTS[x][0]), 1):
        es = [e for e in done if e[2] == x]
        rs = [r for r in REGIONS + [OTHER] if any(reg(e) == r for e in es)]
        row = {"no": str(no), "expert": EXPERTS[x][0], "region": "・".join(rs), "total": len(es)}
        for t, _ in THEMES:
            row[t] = sum(1 for e in es if e[1] == t)
        rows.append(row)
    total = {"no": "合計", "total": len(done)}
    for t, _ in THEMES:
        total[t] = sum(1 for e in done if e[1] == t)
    want["t2-56"] = (rows, total)
    rp = regions_present(matched)
    rows = []
    for ind in INDUSTRIES:
        row = {"industry": ind}
        for i, r in enumerate(rp, 1):
            row["r%d" % i] = sum(1 for e in matched if industry(e[0]) == ind and reg(e) == r)
        row["total"] = sum(row["r%d" % i] for i in range(1, len(rp) + 1))
        if row["total"]:
            rows.append(row)
    total = {"industry": "計", "total": len(matched)}
    for i, r in enumerate(rp, 1):
        total["r%d" % i] = sum(1 for e in matched if reg(e) == r)
    want["t2-64"] = (rows, total)
    rows = []
    for ind in INDUSTRIES:
        ks = [x for x in kons if industry(x[0]) == ind]
        if ks:
            m = sum(1 for x in ks if x[3][0] == "engage")
            rows.append({"industry": ind, "consultations": len(ks), "matched": m, "rate": m / len(ks)})
    want["t2-65"] = (rows, {"industry": "計", "consultations": len(kons), "matched": len(engaged),
                            "rate": len(engaged) / len(kons)})
    reasons = [("resolved", "1.相談ごとを、個別相談で解消できた"), ("schedule", "2.社内のスケジュールとの競合"),
               ("visit", "3.現状、訪問支援を求めている"), ("other", "4.その他")]
    want["t2-66"] = ([{"reason": t, "count": sum(1 for x in declined if x[3][1] == r)} for r, t in reasons],
                     {"reason": "計", "count": len(declined)})
    want["t2-66-detail"] = ([{"detail": "経営者の判断による辞退", "count": 2}], None)

    def long_rows(groups, group_of, head_total):
        rows = []
        for g in groups:
            first = True
            for t, l in THEMES:
                n = sum(1 for e in done if group_of(e) == g and e[1] == t)
                if n:
                    rows.append({"group": g if first else "", "theme": l, "count": n})
                    first = False
        return rows, {"group": "計", "theme": "", "count": len(done)}
    want["t2-68"] = long_rows(regions_present(done), reg, "計")
    counts = {i: sum(1 for e in done if industry(e[0]) == i) for i in INDUSTRIES}
    order = sorted([i for i in INDUSTRIES if counts[i]], key=lambda i: (-counts[i], INDUSTRIES.index(i)))
    want["t2-69"] = long_rows(order, lambda e: industry(e[0]), "計")
    rows = []
    total = {"theme": "計", "matched": 0, "withdrew": 0, "early1": 0, "early2": 0, "completed": 0, "open": 0}
    for t, l in THEMES:
        row = {"theme": l, "matched": 0, "withdrew": 0, "early1": 0, "early2": 0, "completed": 0, "open": 0}
        for e in matched:
            if e[1] != t:
                continue
            row["matched"] += 1
            if not conducted(e):
                row["withdrew"] += 1
            elif e[4] is None:
                row["open"] += 1
            elif e[4][0] == "complete":
                row["completed"] += 1
            else:
                row["early%d" % len(e[3])] += 1
        rows.append(row)
        for key in total:
            if key != "theme":
                total[key] += row[key]
    want["t2-70"] = (rows, total)
    want["t2-71"] = ([{"theme": LABEL[e[1]], "when": "%d回目の指導で終了" % len(e[3]) if e[3] else "事前辞退",
                       "reason": e[4][2]} for e in matched if e[4] and e[4][0] == "terminate"], None)
    rows = []
    total = {"theme": "計", "n": 0}
    for key in ("x1", "x2", "x3", "x4", "c1", "c2", "c3", "c4"):
        total[key] = 0
    for t, l in THEMES:
        es = [e for e in done if e[1] == t and e[4] is not None]
        row = {"theme": l, "n": len(es)}
        for who, ans, marks in (("x", expt, MARK_X), ("c", comp, MARK_C)):
            got = [marks.get(ans[e[0]]["q4_1" if who == "x" else "q2_1"], "△") if e[0] in ans else "unknown"
                   for e in es]
            for i, m in enumerate(["◎", "○", "△", "unknown"], 1):
                row["%s%d" % (who, i)] = got.count(m)
        rows.append(row)
        for key in row:
            if key != "theme":
                total[key] += row[key]
    want["t2-72"] = (rows, total)
    for no, (t, l) in enumerate(THEMES, 1):
        es = [e for e in done if e[1] == t and e[0] in comp and e[0] in expt]
        rows = []
        for cc in CHOICES["q2_1c"]:
            row = {"company": cc}
            for j, xc in enumerate(CHOICES["q4_1"], 1):
                row["x%d" % j] = sum(1 for e in es if comp[e[0]]["q2_1"] == cc and expt[e[0]]["q4_1"] == xc)
            rows.append(row)
        want["t2-%d" % (72 + no)] = (rows, None)
    companies, experts = list(comp.values()), list(expt.values())
    want["t2-57"] = tally([k.overall], "q2_1", CHOICES["agree"])
    want["t2-58"] = tally([k.overall], "q2_2", CHOICES["agree"])
    want["t2-59-1"] = tally([k.overall], "q2_4", CHOICES["q2_4"])
    want["t2-59-2"] = tally([k.overall], "q2_5", CHOICES["q2_5"])
    want["t2-59-3"] = tally([k.overall], "q2_7", CHOICES["q2_4"])
    want["t2-60-1"] = tally(companies, "q1_3_3", CHOICES["q1_3_3"])
    want["t2-60-2"] = tally(companies, "q1_3_5", CHOICES["q1_3_5"])
    want["t2-61"] = tally(companies, "q1_3_1", CHOICES["q1_3_1"])
    for fig, ans, qid, choices in (("t2-62", expt, "q4_1", CHOICES["q4_1"]),
                                   ("t2-63", comp, "q2_1", CHOICES["q2_1c"])):
        rows = []
        total = {"theme": "計", "n": 0}
        for t, l in THEMES:
            got = [ans[e[0]][qid] for e in done if e[1] == t and e[0] in ans]
            row = {"theme": l, "n": len(got)}
            for i, c in enumerate(choices, 1):
                row["c%d" % i] = got.count(c)
                total["c%d" % i] = total.get("c%d" % i, 0) + row["c%d" % i]
            total["n"] += len(got)
            rows.append(row)
        want[fig] = (rows, total)
    want["t2-78"] = tally(companies, "q5_4_3", CHOICES["q5_4_3"])
    want["t2-79"] = multi_tally(companies, "q5_3", CHOICES["q5_3"])
    state = {"complete": "完了", "terminate": "途中終了"}
    want["annex"] = ([{"id": n, "company": COMPANIES[e[0]][0], "region": reg(e), "industry": industry(e[0]),
                       "theme": LABEL[e[1]], "expert": EXPERTS[e[2]][0],
                       "visits": "%d／3" % len(e[3]),
                       "state": "事前辞退" if not conducted(e) else state[e[4][0]] if e[4] else "実施中"}
                      for n, e in enumerate(ENGAGEMENTS, 1) if e in YEAR], None)
    return want


def cells(t, row):
    return {c["key"]: row.get(c["key"]) for c in t["columns"]}


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 1e-9
    return a == b


def check_table(t, rows, total, where):
    got = [cells(t, r) for r in t["rows"]]
    check_eq(len(got), len(rows), "%s: rows" % where)
    for i, (g, w) in enumerate(zip(got, rows), 1):
        for key, v in w.items():
            check(same(g.get(key), v), "%s: row %d %s: %r, counted %r" % (where, i, key, g.get(key), v))
    if total is None:
        check(t.get("total") is None, "%s: no total" % where)
    else:
        for key, v in total.items():
            g = t["total"].get(key)
            check(same(g, v), "%s: total %s: %r, counted %r" % (where, key, g, v))


def test_every_table_as_counted_by_hand(e, k):
    r = k.stats("--year", "2025")
    check_eq((r["year"], r["year_text"], r["empty"]), (2025, "令和7年度（2025年度）", False), "the year")
    want = expected(k)
    ids = [t["id"] for t in r["tables"]]
    check_eq(sorted(ids), sorted(want), "one table per figure, and the annex")
    check_eq(ids[:3] + ids[-1:], ["summary", "t2-53", "t2-54", "annex"], "in the report's order")
    for t in r["tables"]:
        rows, total = want[t["id"]]
        check_table(t, rows, total, t["title"])
    t53 = next(t for t in r["tables"] if t["id"] == "t2-53")
    check_eq(t53["lead"], "マネジメント指導を実施した企業は 6 社、総訪問回数は (4社×3回) + (1社×2回) + "
             "(1社×1回) = 15 回。", "2-53's visits, as the programme's report writes them")
    check_eq([c["header"] for c in t53["columns"]], ["地域"] + [l for _, l in THEMES] + ["総計"], "2-53's columns")


def sheet_table(ws, t):
    """The rows under the header of table `t` in its sheet, as values."""
    heads = [c["header"] for c in t["columns"]]
    top = next(r for r in range(1, 30) if [ws.cell(r, i + 1).value for i in range(len(heads))] == heads)
    out = []
    r = top + 1
    while any(ws.cell(r, i + 1).value is not None for i in range(len(heads))):
        out.append({c["key"]: ws.cell(r, i + 1).value for i, c in enumerate(t["columns"])})
        r += 1
    return out


def test_the_workbook_holds_every_table_and_its_chart(e, k):
    out = os.path.join(e.tmp, "report")
    _, printed, _ = k.b("programme", "report", "--year", "2025", "-o", out)
    book = os.path.join(out, "事業実施結果データ_2025年度.xlsx")
    check(book in printed.split("\n"), "the workbook's path printed: %r" % printed)
    r = k.stats("--year", "2025")
    want = expected(k)
    wb = openpyxl.load_workbook(book)
    check_eq(wb.sheetnames, [t["sheet"] for t in r["tables"]], "a sheet per table, in order")
    charts = 0
    for t in r["tables"]:
        ws = wb[t["sheet"]]
        check_eq(ws.cell(1, 1).value, t["title"], "%s: its title" % t["sheet"])
        rows, total = want[t["id"]]
        got = sheet_table(ws, t)
        check_eq(len(got), len(rows) + (total is not None), "%s: rows" % t["sheet"])
        for i, w in enumerate(rows + ([total] if total else []), 1):
            for key, v in w.items():
                g = got[i - 1].get(key)
                g = "" if g is None and v == "" else g
                check(same(g, v), "%s: row %d %s: %r, counted %r" % (t["sheet"], i, key, g, v))
        check_eq(len(ws._charts), len(t.get("charts") or []), "%s: its charts" % t["sheet"])
        charts += len(ws._charts)
    check(charts >= 15, "charts in the workbook: %d" % charts)
    ws = wb["図表2-53"]
    fields = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 6)}
    check_eq(fields["年度"], "令和7年度（2025年度）", "the year above the table")


def shown(col, v):
    """A cell as the report prints it: a share in its column's format, a
    count in digits."""
    if v is None:
        return ""
    if col.get("format") == "0.0%":
        return "%.1f%%" % (100 * v)
    return str(v)


def chart_values(xml, tag):
    """The cached points of every <c:TAG> of a chart part, a list per series."""
    out = []
    for m in re.finditer(r"<c:%s>(.*?)</c:%s>" % (tag, tag), xml, re.S):
        pts = {}
        for p in re.finditer(r'<c:pt idx="(\d+)"><c:v>(.*?)</c:v></c:pt>', m.group(1)):
            pts[int(p.group(1))] = p.group(2)
        n = int(re.search(r'<c:ptCount val="(\d+)"/>', m.group(1)).group(1))
        out.append([pts.get(i) for i in range(n)])
    return out


def test_the_word_report_has_every_table_and_chart(e, k):
    out = os.path.join(e.tmp, "report")
    path = os.path.join(out, "事業実施結果報告_2025年度.docx")
    check(os.path.isfile(path), "the report was written with the workbook")
    r = k.stats("--year", "2025")
    want = expected(k)
    d = docx.Document(path)
    check_eq(len(d.tables), len(r["tables"]), "a table per table of the stats")
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading 2")]
    check_eq(heads, [t["title"] for t in r["tables"]], "a heading per table, in order")
    for t, dt in zip(r["tables"], d.tables):
        rows, total = want[t["id"]]
        cols = t["columns"]
        got = [[c.text for c in row.cells] for row in dt.rows]
        check_eq(got[0], [c["header"] for c in cols], "%s: the header" % t["sheet"])
        body = [[shown(c, w.get(c["key"])) for c in cols] for w in rows + ([total] if total else [])]
        if not body:
            check_eq(got[1:], [[t["empty"]] * len(cols)], "%s: says it is empty" % t["sheet"])
            continue
        check_eq(got[1:], body, "%s: every cell as counted" % t["sheet"])
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        charted = [t for t in r["tables"] if t.get("charts")]
        parts = sorted((n for n in names if re.fullmatch(r"word/charts/bansou-chart\d+\.xml", n)),
                       key=lambda n: int(re.search(r"(\d+)", n).group(1)))
        check_eq(len(parts), len(charted), "a chart per table that has one")
        for i, (t, part) in enumerate(zip(charted, parts), 1):
            xml = z.read(part).decode()
            c = t["charts"][0]
            rows = want[t["id"]][0][:c["rows"]]
            cats = chart_values(xml, "cat")
            check(cats and all(x == [str(w[c["categories"]]) for w in rows] for x in cats),
                  "%s: the chart's categories: %r" % (t["sheet"], cats[:1]))
            vals = [[float(v) if v is not None else None for v in s] for s in chart_values(xml, "val")]
            keys = c["values"] if isinstance(c["values"], list) else [c["values"]]
            check_eq(vals[:len(keys)] if c["type"] != "pie" else vals[:1],
                     [[float(w[key]) for w in rows] for key in keys][:len(vals)],
                     "%s: the chart's values" % t["sheet"])
            check("word/embeddings/bansou-chart%d.xlsx" % i in names, "%s: its workbook" % t["sheet"])
        check('Target="charts/bansou-chart1.xml"' in z.read("word/_rels/document.xml.rels").decode(),
              "the document refers to its charts")
    verdict = validate(os.path.join(e.root, VALIDATOR), path)
    check(verdict["ok"], "Word's validator: %s" % "\n".join(report(verdict["errors"])))
    check_pdf_conversion(e, [path], os.path.join(e.tmp, "pdf"), out)


def test_narrowed_to_a_region_and_a_theme(e, k):
    r = k.stats("--year", "2025", "--region", "名古屋")
    t = {x["id"]: x for x in r["tables"]}
    check_eq(r["filters"], "名古屋地域", "what it is narrowed to")
    check_eq([x["region"] for x in t["t2-53"]["rows"]], ["名古屋"], "2-53: the region only")
    check_eq(t["t2-53"]["total"]["total"], 1, "2-53: 六番工業 only (七番建設 withdrew)")
    check_eq((t["t2-65"]["total"]["consultations"], t["t2-65"]["total"]["matched"]), (4, 2),
             "2-65: the consultations of the 名古屋 session")
    r = k.stats("--year", "2025", "--theme", "policy")
    t = {x["id"]: x for x in r["tables"]}
    check_eq([(x["theme"], x["count"]) for x in t["t2-55"]["rows"]], [(LABEL["policy"], 3)], "2-55")
    check_eq(t["t2-70"]["total"], {"theme": "計", "matched": 3, "withdrew": 0, "early1": 0, "early2": 1,
                                   "completed": 1, "open": 1}, "2-70 of policy")
    check_eq([x["id"] for x in r["tables"] if x["id"] in ("t2-73", "t2-74", "t2-75", "t2-76", "t2-77")],
             ["t2-73"], "the cross table of policy only")


def test_anonymous_has_numbers_and_no_annex(e, k):
    r = k.stats("--year", "2025", "--anonymous")
    t = {x["id"]: x for x in r["tables"]}
    check("annex" not in t, "no list of engagements")
    check_eq([x["expert"] for x in t["t2-56"]["rows"]], ["指導専門家 1", "指導専門家 2", "指導専門家 3"],
             "experts by number, in the order of their ids")
    check_eq([x["policy"] for x in t["t2-56"]["rows"]], [1, 0, 2], "the counts stay with them")
    text = json.dumps(r, ensure_ascii=False)
    for name, _, _ in COMPANIES.values():
        check(name not in text, "no company name: %s" % name)
    for name, _, _ in EXPERTS.values():
        check(name not in text, "no expert name: %s" % name)
    out = os.path.join(e.tmp, "public")
    _, printed, _ = k.b("programme", "report", "--year", "2025", "--anonymous", "-o", out)
    check(printed.strip().endswith("事業実施結果データ_2025年度_公開用.xlsx"), "its own file: %r" % printed)


def test_a_year_with_one_engagement_and_a_year_with_none(e, k):
    r = k.stats("--year", "2024")
    t = {x["id"]: x for x in r["tables"]}
    check_eq(t["t2-53"]["total"]["total"], 1, "2024: 十三番製作所")
    check_eq(t["t2-53"]["lead"], "マネジメント指導を実施した企業は 1 社、総訪問回数は (1社×3回) = 3 回。", "its lead")
    check_eq(t["t2-66"]["total"]["count"], 1, "the decline of the 2024 session")
    check_eq([x["company"] for x in t["annex"]["rows"]], ["十三番製作所"], "the annex")
    r = k.stats("--year", "2023")
    check_eq(r["empty"], True, "2023 recorded nothing")
    check_eq(r["summary"], ["令和5年度（2023年度）には、記録された相談会・個別相談・マネジメント指導がありません。"],
             "and says so")
    check_eq([x["id"] for x in r["tables"]], ["summary"], "the overview only")
    out = os.path.join(e.tmp, "empty")
    k.b("programme", "report", "--year", "2023", "-o", out)
    wb = openpyxl.load_workbook(os.path.join(out, "事業実施結果データ_2023年度.xlsx"))
    check_eq(wb.sheetnames, ["概要"], "the workbook of an empty year")
    text = doc_text(os.path.join(out, "事業実施結果報告_2023年度.docx"))
    check("・令和5年度（2023年度）には、記録された相談会・個別相談・マネジメント指導がありません。" in text,
          "the report of an empty year says so: %r" % text[:6])
    _, text, _ = k.b("programme", "stats", "--year", "2023")
    check("記録された相談会・個別相談・マネジメント指導がありません" in text, "the text output says so")


def test_bad_options_are_refused(e, k):
    before = sorted(os.listdir(os.path.join(k.ws, "out")))
    for args, msg in [
        (["--year", "令和7"], "bansou: --year: '令和7' is not a fiscal year (e.g. 2025)\n"),
        (["--region", "札幌"], "bansou: --region: 「札幌」は事業の地域（大阪、名古屋、埼玉、その他の地域）のいずれでも"
                              "ありません\n"),
        (["--theme", "nope"], "bansou: --theme: no theme 'nope' (see 'bansou themes')\n"),
    ]:
        for cmd in ("stats", "report"):
            rc, out, err = k.b("programme", cmd, *args, check=False)
            check_eq((rc, out, err), (1, "", msg), "programme %s %s" % (cmd, " ".join(args)))
    check_eq(sorted(os.listdir(os.path.join(k.ws, "out"))), before, "nothing written")


TESTS = [test_every_table_as_counted_by_hand, test_the_workbook_holds_every_table_and_its_chart,
         test_the_word_report_has_every_table_and_chart,
         test_narrowed_to_a_region_and_a_theme, test_anonymous_has_numbers_and_no_annex,
         test_a_year_with_one_engagement_and_a_year_with_none, test_bad_options_are_refused]


if __name__ == "__main__":
    sys.exit(run_suite("report", TESTS, Case))
