'use strict';
// docxtemplater runner (see cli.js). Delimiters are set to {{ }} so its
// template matches bansou's except for the row number ({{no}} for {{@n}}).
const fs = require('fs');
const PizZip = require('pizzip');
const Docxtemplater = require('docxtemplater');
const cli = require('./cli');

const template = fs.readFileSync(cli.parse('docxtemplater.js').template);

cli.main('docxtemplater.js', async (data) => {
  const doc = new Docxtemplater(new PizZip(template), {
    paragraphLoop: true,
    delimiters: { start: '{{', end: '}}' },
  });
  doc.render(data);
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
});
