#!/usr/bin/python3
"""openpyxl side of bench/xlsx (needs python3-openpyxl):

    xlsx_openpyxl.py write OUT.xlsx   the ledger, header + 10,000 rows × 12
    xlsx_openpyxl.py read IN.xlsx     every cell of the sheet 台帳 as values;
                                      prints a JSON summary (rows, sample rows)

`write` also makes the file every engine reads (bench/xlsx/out/ledger10000.xlsx)."""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ledger  # noqa: E402
import openpyxl  # noqa: E402


def write(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ledger.SHEET
    ws.append(ledger.HEADERS)
    for i in range(1, ledger.ROWS + 1):
        ws.append(ledger.row(i))
    for col in "HI":
        for c in ws[col][1:]:
            c.number_format = "yyyy/mm/dd"
    wb.save(out)


def plain(v):
    if v is None:
        return ""
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()[:10]
    return v


def read(inp):
    wb = openpyxl.load_workbook(inp)
    ws = wb[ledger.SHEET]
    rows, header = [], False
    for vals in ws.iter_rows(max_col=12, values_only=True):
        vals = [plain(v) for v in vals]
        if not header:
            header = vals[0] == ledger.HEADERS[0]
            continue
        rows.append(vals)
    sample = {i: rows[i - 1] for i in ledger.SAMPLE if i <= len(rows)}
    print(json.dumps({"rows": len(rows), "sample": sample}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "read"):
        sys.exit("usage: xlsx_openpyxl.py write|read FILE")
    (write if sys.argv[1] == "write" else read)(sys.argv[2])
