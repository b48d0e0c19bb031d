// Regenerates src/checkers/compose/compose-spec.validate.ts, the Compose
// Specification JSON Schema compiled ahead of time by ajv: compiling the
// 75 kB schema at run time costs about a second, loading this module a tenth.
// Run after updating compose-spec.json:  npx tsx scripts/gen-compose-validator.ts
// test/checkers/compose/resolver/schema.test.ts fails when the two drift apart.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateComposeValidator } from '../src/checkers/compose/schema-compile.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'checkers', 'compose', 'compose-spec.validate.ts');
writeFileSync(out, generateComposeValidator());
process.stderr.write(`wrote ${out}\n`);
