#!/usr/bin/env node
// Rewrites checks/index.ts from the check files under checks/<kind>/ (sorted
// by id). The registry stays an explicit list in the repository; this only
// saves typing. test/catalogue.test.ts fails when the two disagree.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'checks');
const ids = [];
for (const kind of readdirSync(root).sort()) {
  const dir = path.join(root, kind);
  if (!statSync(dir).isDirectory()) continue;
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) ids.push(`${kind}/${file.slice(0, -3)}`);
  }
}
ids.sort();
const ident = (id) => id.replace(/[/-](.)/g, (_m, c) => c.toUpperCase());
const lines = [
  '// The check registry: every check, sorted by id. Explicit on purpose (no',
  '// globbing, no self-registration); test/catalogue.test.ts asserts that it',
  '// lists exactly the files under checks/. `node scripts/update-registry.mjs`',
  '// rewrites it after you add a check file.',
  "import type { Check } from '../src/model/check.js';",
  ...ids.map((id) => `import ${ident(id)} from './${id}.js';`),
  '',
  'export const checks: readonly Check[] = [',
  ...ids.map((id) => `  ${ident(id)},`),
  '];',
  '',
];
writeFileSync(path.join(root, 'index.ts'), lines.join('\n'));
console.log(`checks/index.ts: ${ids.length} checks`);
