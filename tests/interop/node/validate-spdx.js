// Validates an SPDX 2.3 JSON document against the published schema with ajv, independently of abt:
// node validate-spdx.js DOCUMENT.json. Exit 0 when valid; otherwise prints every schema error and exits 1.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'spdx-2.3-schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const document = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (!validate(document)) {
  for (const error of validate.errors) console.error(`${error.instancePath || '/'} ${error.message}`);
  process.exit(1);
}
console.log(`valid: ${document.spdxVersion}`);
