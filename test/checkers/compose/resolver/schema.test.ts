import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { generateComposeValidator } from '../../../../src/checkers/compose/schema-compile.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('src/checkers/compose/compose-spec.validate', () => {
  it('is the ajv compilation of the vendored compose-spec.json (run scripts/gen-compose-validator.ts after updating the schema)', () => {
    const committed = readFileSync(path.join(here, '../../../../src/checkers/compose/compose-spec.validate.ts'), 'utf8');

    expect(committed === generateComposeValidator()).toBe(true);
  });
});
