'use strict';
// Shared command line for the JS runners, shaped like bansou's:
//   node js/ENGINE.js render TEMPLATE DATA -o OUT
//   node js/ENGINE.js render TEMPLATE DATA --each LIST -o OUTDIR
// With --each, one document per item of the top-level list LIST, rendered with
// the item's fields on top of the whole data (a shallow merge), written as
// OUTDIR/001.docx, 002.docx …, one after the other in this one process.
const fs = require('fs');
const path = require('path');

function usage(name) {
  process.stderr.write(`usage: node ${name} render TEMPLATE DATA [--each LIST] -o OUT\n`);
  process.exit(2);
}

function parse(name) {
  const a = process.argv.slice(2);
  if (a[0] !== 'render') usage(name);
  const pos = [];
  let out = null;
  let each = null;
  for (let i = 1; i < a.length; i++) {
    if (a[i] === '-o') out = a[++i];
    else if (a[i] === '--each') each = a[++i];
    else pos.push(a[i]);
  }
  if (pos.length !== 2 || !out) usage(name);
  return { template: pos[0], data: pos[1], out, each };
}

// Calls render(data) → Promise<Buffer> for the one document or for each item.
async function run(name, render) {
  const o = parse(name);
  const data = JSON.parse(fs.readFileSync(o.data, 'utf8'));
  if (o.each === null) {
    fs.writeFileSync(o.out, await render(data));
    return;
  }
  const list = data[o.each];
  if (!Array.isArray(list)) {
    process.stderr.write(`${name}: "${o.each}" is not a top-level list\n`);
    process.exit(1);
  }
  fs.mkdirSync(o.out, { recursive: true });
  const width = Math.max(3, String(list.length).length);
  for (let i = 0; i < list.length; i++) {
    const buf = await render(Object.assign({}, data, list[i]));
    fs.writeFileSync(path.join(o.out, String(i + 1).padStart(width, '0') + '.docx'), buf);
  }
}

function main(name, render) {
  run(name, render).catch((err) => {
    process.stderr.write(`${name}: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}

module.exports = { main, parse };
