// Parses an AsyncAPI document with @asyncapi/parser (installed by asyncapi-validate.sh into TP_ASYNCAPI_TOOLS) and
// exits non-zero, printing the diagnostics, when any of them is of error severity.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const tools = process.env.TP_ASYNCAPI_TOOLS;
if (!tools) {
  console.error('TP_ASYNCAPI_TOOLS is not set: run scripts/asyncapi-validate.sh');
  process.exit(2);
}
const require = createRequire(join(resolve(tools), 'package.json'));
const { Parser, DiagnosticSeverity } = require('@asyncapi/parser');

const file = resolve(process.argv[2] ?? 'docs/asyncapi.yaml');
const { document, diagnostics } = await new Parser().parse(await readFile(file, 'utf8'), { source: file });

const severity = ['error', 'warning', 'information', 'hint'];
const errors = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error);
for (const d of diagnostics) {
  const where = d.path?.length ? d.path.join('.') : '(document)';
  const line = d.range ? `:${d.range.start.line + 1}` : '';
  (d.severity === DiagnosticSeverity.Error ? console.error : console.log)(
    `${severity[d.severity] ?? d.severity} ${d.code} at ${where}${line}: ${d.message}`);
}
if (errors.length > 0 || !document) {
  console.error(`${file}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()} (${document.channels().length} channels, ${document.operations().length} operations)`);
