// The OASIS SARIF 2.1.0 schema from the shared folder, compiled with ajv.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv, type ValidateFunction } from 'ajv';

import { sharedDir } from '../reporters/multitool.js';

// RFC 3339 date-time, what SARIF's `format: date-time` means.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The OASIS schema is draft-04 (`id`, not `$id`), which ajv 8 does not load;
 * it uses no other draft-04-only keyword, so renaming the root `id` makes it a
 * valid draft-07 schema. ajv ships no formats; the three SARIF uses are added.
 */
export function sarifSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(sharedDir(), 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  if (schema['$schema'] !== 'http://json-schema.org/draft-04/schema#') throw new Error('SARIF schema is not the draft-04 OASIS schema');
  const { $schema: _draft, id, ...rest } = schema;
  if (typeof id !== 'string') throw new Error('SARIF schema has no root id');
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && URL.canParse(s, 'http://base.invalid/'));
  return ajv.compile({ ...rest, $id: id });
}
