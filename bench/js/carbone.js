'use strict';
// Carbone runner (see cli.js). docx → docx: no convertTo, so no LibreOffice.
// carbone.render reads and unzips the template file itself on every call;
// that is its API, so it is what is measured.
const path = require('path');
const carbone = require('carbone');
const cli = require('./cli');

const template = path.resolve(cli.parse('carbone.js').template);

cli.main('carbone.js', (data) => new Promise((resolve, reject) => {
  carbone.render(template, data, {}, (err, result) => {
    if (err) reject(err instanceof Error ? err : new Error(String(err)));
    else resolve(result);
  });
}));
