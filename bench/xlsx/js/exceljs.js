// exceljs side of bench/xlsx: node js/exceljs.js write OUT.xlsx | read IN.xlsx
//   write: the ledger (header + 10,000 rows × 12) with exceljs's Workbook API;
//   read:  every cell of the sheet 台帳 converted to values; prints a JSON
//          summary on stdout (rows and the sample rows) for the harness to check.
'use strict';
const ExcelJS = require('exceljs');
const { HEADERS, SHEET, ROWS, row } = require('./ledger');

const SAMPLE = [1, 2, 3, 4, 999, 5000, 9999, 10000];

async function write(out) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ws.addRow(HEADERS);
  for (let i = 1; i <= ROWS; i++) {
    ws.addRow(row(i));
  }
  ws.getColumn(8).numFmt = 'yyyy/mm/dd';
  ws.getColumn(9).numFmt = 'yyyy/mm/dd';
  await wb.xlsx.writeFile(out);
}

function plain(v) {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return plain(v.result);
  return v;
}

async function read(inp) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(inp);
  const ws = wb.getWorksheet(SHEET);
  if (!ws) throw new Error(`no sheet ${SHEET}`);
  const rows = [];
  let header = 0;
  ws.eachRow((r, n) => {
    const vals = [];
    for (let c = 1; c <= 12; c++) vals.push(plain(r.getCell(c).value));
    if (!header) {
      if (vals[0] === HEADERS[0]) header = n;
      return;
    }
    rows.push(vals);
  });
  const sample = {};
  for (const i of SAMPLE) if (rows[i - 1]) sample[i] = rows[i - 1];
  process.stdout.write(JSON.stringify({ rows: rows.length, sample }) + '\n');
}

const [mode, file] = process.argv.slice(2);
(mode === 'write' ? write(file) : mode === 'read' ? read(file) : Promise.reject(new Error('usage: exceljs.js write|read FILE')))
  .catch((e) => { process.stderr.write(`exceljs.js: ${e.stack || e}\n`); process.exit(1); });
