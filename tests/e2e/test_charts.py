#!/usr/bin/python3
"""End-to-end tests of the schedules, the charts and the print setup of the
workbooks: a policy engagement with visits around today, its schedule, the
programme's schedule and the self-diagnosis summary, read back with openpyxl
and from the chart's XML.

    /usr/bin/python3 tests/e2e/test_charts.py --bin /abs/bansou --root /abs/repo --tmp /abs/scratch

Each test prints `ok - NAME` or `FAIL - NAME: why`; the last line is
`charts: N passed, N failed`.
"""
import datetime
import glob
import json
import os
import re
import sys
import zipfile

import openpyxl

from harness import Engagement, check, company_folder, era, run_suite

COMPANY = "株式会社テスト電機"
RED = "FFE00000"


class Case(Engagement):
    """One policy engagement, its first visits planned around today."""

    def __init__(self, e):
        super().__init__(e, COMPANY, "policy", ["--industry", "製造業", "--employees", "40"])
        self.today = datetime.date.today()
        for n, days in ((1, -12), (2, 16)):
            d = self.today + datetime.timedelta(days=days)
            e.run(*self.c, "visit", "plan", "1", str(n), "--date", d.isoformat())
        _, out, _ = e.run(*self.c, "theme", "show", "policy", "--json")
        self.model = json.loads(out)
        e.run(*self.c, "schedule", "1")
        self.schedule = self.out("スケジュール.xlsx")
        self.wb = openpyxl.load_workbook(self.schedule)
        self.sh = self.wb.active
        self.header = next(r for r in range(1, 10) if self.sh.cell(r, 1).value == "項目")

    def data_rows(self):
        return range(self.header + 1, self.sh.max_row + 1)


def fill(cell):
    return cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None


def bar_colour(sh, r):
    """The fill of the bar in row r (the first day cell that has one)."""
    for c in range(4, sh.max_column + 1):
        f = fill(sh.cell(r, c))
        if f and f not in ("FFF2F2F2", "FFFFFFFF"):
            return f
    return None


def test_legend_is_a_colour_key(e, k):
    sh = k.sh
    texts = [str(c.value) for row in sh.iter_rows() for c in row if c.value is not None]
    check(not [t for t in texts if "■" in t], "no black ■ marks: %s" % [t for t in texts if "■" in t])
    legend = {}
    for row in sh.iter_rows(min_row=1, max_row=k.header - 1):
        for c in row:
            if isinstance(c.value, str) and fill(c):
                legend[c.value] = fill(c)
    want = {}
    for r in k.data_rows():
        label = sh.cell(r, 1).value or ""
        kind = ("訪問" if label.endswith("回訪問") else "事前準備" if "事前準備" in label
                else "成果物の期限" if label.startswith("成果物") else None)
        if kind:
            want.setdefault(kind, set()).add(bar_colour(sh, r))
    check(sorted(want) == ["事前準備", "成果物の期限", "訪問"], "all three kinds of rows: %s" % want)
    for kind, colours in want.items():
        check(len(colours) == 1 and legend.get(kind) in colours,
              "the legend's %s is the colour of its bars: %s, bars %s" % (kind, legend.get(kind), colours))


def column_days(k, c):
    """The first and last day of day column c: its header is the day of the
    month, or M/D of the Monday of a week."""
    v = str(k.sh.cell(k.header, c).value)
    unit = 7 if "/" in v else 1
    m, d = (int(x) for x in v.split("/")) if unit == 7 else (None, int(v))
    # The date nearest to today with that month (any, for days) and day: the
    # chart spans weeks around today.
    first = None
    for y in (k.today.year - 1, k.today.year, k.today.year + 1):
        for mo in ([m] if m else range(1, 13)):
            try:
                cand = datetime.date(y, mo, d)
            except ValueError:
                continue
            if first is None or abs((cand - k.today).days) < abs((first - k.today).days):
                first = cand
    return first, first + datetime.timedelta(days=unit - 1)


def today_column(k):
    sh = k.sh
    cols = [c for c in range(4, sh.max_column + 1) if fill(sh.cell(k.header, c)) == RED]
    check(len(cols) == 1, "one day header is marked red: %s" % cols)
    return cols[0]


def test_today_line_is_drawn(e, k):
    sh = k.sh
    note = "本日 %s（赤い縦線）" % era(k.today.isoformat())
    check(sh.cell(2, 1).value == note, "the legend names today: %r" % sh.cell(2, 1).value)
    check(column_days(k, today_column(k))[0] <= k.today <= column_days(k, today_column(k))[1],
          "the red header is today's column")
    t = today_column(k)
    for r in k.data_rows():
        cell, before, after = sh.cell(r, t), sh.cell(r, t - 1), sh.cell(r, t + 1)
        for side, b in (("left", cell.border.left), ("right", cell.border.right),
                        ("before's right", before.border.right), ("after's left", after.border.left)):
            check(b.style == "medium" and b.color.rgb == RED,
                  "row %d: the %s edge of today's column is red: %s %s" % (r, side, b.style,
                                                                          b.color and b.color.rgb))


def test_today_outside_the_span_is_said(e, k):
    """A schedule whose dates are all in the past draws no line: its legend
    does not promise one."""
    ws = os.path.join(e.tmp, "past")
    e.run("init", ws)
    c = ["-C", ws]
    e.run(*c, "company", "add", COMPANY, "--industry", "製造業")
    e.run(*c, "expert", "add", "専門 花子", "--themes", "policy")
    e.run(*c, "engage", "1", "policy", "--expert", "1")
    e.run(*c, "visit", "plan", "1", "1", "--date", "2024-09-05")
    e.run(*c, "schedule", "1")
    sh = openpyxl.load_workbook(os.path.join(ws, "out", company_folder(1, COMPANY), "policy",
                                             "スケジュール.xlsx")).active
    note = "本日 %s（この期間より後）" % era(k.today.isoformat())
    check(sh.cell(2, 1).value == note, "the legend says today is after the chart: %r" % sh.cell(2, 1).value)
    header = next(r for r in range(1, 10) if sh.cell(r, 1).value == "項目")
    check(not [c for c in range(4, sh.max_column + 1) if fill(sh.cell(header, c)) == RED],
          "no day is marked red")


def test_month_headers_span_their_days(e, k):
    sh = k.sh
    mr = k.header - 1
    merged = sorted((m.min_col, m.max_col) for m in sh.merged_cells.ranges
                    if m.min_row == mr and m.max_row == mr)
    check(merged and merged[0][0] == 4 and merged[-1][1] == sh.max_column,
          "the month headers cover every day column: %s of %d" % (merged, sh.max_column))
    for (a, b), (c, _) in zip(merged, merged[1:]):
        check(c == b + 1, "months follow each other: %s" % merged)
    letter = openpyxl.utils.get_column_letter
    for a, b in merged:
        lab = sh.cell(mr, a).value
        m = re.fullmatch(r"(\d{4}年)?(\d{1,2})月", lab or "")
        check(m, "a month header reads YYYY年M月 or M月: %r" % lab)
        width = sum(sh.column_dimensions[letter(c)].width for c in range(a, b + 1))
        need = sum(2 if ord(ch) > 0x7f else 1 for ch in lab)
        check(width >= need, "%r fits its %.1f characters" % (lab, width))
        # Its first column is in that month, and the one before it is not.
        first, _ = column_days(k, a)
        check(first.month == int(m.group(2)) or a == 4 and column_days(k, a)[1].month == int(m.group(2)),
              "%r begins in its month (%s)" % (lab, first))
        if a > 4:
            check(column_days(k, a - 1)[0].month != int(m.group(2)),
                  "%r begins at the month's first column" % lab)


def test_item_names_fit(e, k):
    sh = k.sh
    width = sh.column_dimensions["A"].width
    for r in k.data_rows():
        label = sh.cell(r, 1).value or ""
        need = sum(2 if ord(ch) > 0x7f else 1 for ch in label)
        check(need <= width or sh.cell(r, 1).alignment.wrap_text,
              "%r (%d) fits column A (%.1f) or wraps" % (label, need, width))
    check(any((sh.cell(r, 1).value or "").startswith("成果物: 情報セキュリティ関連規程チェックシート")
              for r in k.data_rows()), "the long deliverable row is there")


def test_programme_schedule_names_themes(e, k):
    e.run(*k.c, "company", "add", "株式会社二番目", "--industry", "卸売業", "--employees", "12")
    e.run(*k.c, "expert", "add", "浅野 隆", "--themes", "cloud")
    e.run(*k.c, "engage", "2", "cloud", "--expert", "2")
    d = (k.today + datetime.timedelta(days=3)).isoformat()
    e.run(*k.c, "visit", "plan", "2", "1", "--date", d)
    _, out, _ = e.run(*k.c, "theme", "show", "cloud", "--json")
    cloud = json.loads(out)["title"]
    e.run(*k.c, "schedule", "--all")
    sh = openpyxl.load_workbook(os.path.join(k.ws, "out", "全体スケジュール.xlsx")).active
    groups = [sh.cell(r, 1).value for r in range(1, sh.max_row + 1)
              if sh.cell(r, 1).font.b and sh.cell(r, 2).value is None and r > 4]
    want = ["%s（%s・専門 花子）" % (COMPANY, k.model["title"]), "株式会社二番目（%s・浅野 隆）" % cloud]
    check(groups == want, "the groups are named by the themes' titles: %s" % groups)
    check(sh.oddHeader.left.text == "マネジメント指導 全体スケジュール",
          "the programme's header: %r" % sh.oddHeader.left.text)


def test_radar_axis_is_fixed(e, k):
    e.run(*k.c, "worksheet", "1", "self-diagnosis-summary")
    with zipfile.ZipFile(k.out("自社診断結果.xlsx")) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        check(charts == ["xl/charts/chart1.xml"], "one chart: %s" % charts)
        x = z.read(charts[0]).decode()
    check("<c:radarChart>" in x, "the chart is a radar")
    val = re.search(r"<c:valAx>.*?</c:valAx>", x, re.S)
    check(val, "the chart has a value axis")
    val = val.group(0)
    check('<c:max val="1"/>' in val and '<c:min val="0"/>' in val,
          "the value axis runs from 0 to 100 %%: %s" % val[:200])
    check('formatCode="0%"' in val, "the axis is in per cent")


def test_workbooks_print_with_headers_and_page_numbers(e, k):
    e.run(*k.c, "visit", "prepare", "1", "1")
    files = sorted(glob.glob(os.path.join(k.out(), "**", "*.xlsx"), recursive=True))
    check(len(files) >= 3, "workbooks to look at: %s" % files)
    for f in files:
        wb = openpyxl.load_workbook(f)
        for sh in wb.worksheets:
            if sh.sheet_state != "visible":
                continue
            name = "%s!%s" % (os.path.relpath(f, k.out()), sh.title)
            title = sh.cell(1, 1).value
            check(sh.oddHeader.left.text == title, "%s: the header names %r: %r"
                  % (name, title, sh.oddHeader.left.text))
            check(sh.oddHeader.right.text == COMPANY, "%s: the header names the company: %r"
                  % (name, sh.oddHeader.right.text))
            check(sh.oddFooter.center.text == "&P / &N ページ", "%s: the footer numbers pages: %r"
                  % (name, sh.oddFooter.center.text))
            check(str(sh.page_setup.paperSize) == "9", "%s: A4" % name)
            check(sh.sheet_properties.pageSetUpPr.fitToPage and str(sh.page_setup.fitToWidth) in ("1", "None"),
                  "%s: fits the page's width" % name)
            check(sh.print_title_rows, "%s: repeats its header rows" % name)


TESTS = [test_legend_is_a_colour_key, test_today_line_is_drawn, test_today_outside_the_span_is_said,
         test_month_headers_span_their_days,
         test_item_names_fit, test_radar_axis_is_fixed,
         test_workbooks_print_with_headers_and_page_numbers, test_programme_schedule_names_themes]


if __name__ == "__main__":
    sys.exit(run_suite("charts", TESTS, Case))
