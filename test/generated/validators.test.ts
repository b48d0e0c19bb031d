// The ahead-of-time validators must be what scripts/build-validators.ts makes
// from the current schemas and checks, and must judge like ajv compiling the
// schemas at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

import { checks } from '../../checks/index.js';
import { GENERATED_FILE, generateValidators } from '../../scripts/build-validators.js';
import { inventoryValidator, paramValidators, policyValidator } from '../../src/generated/validators.js';
import { INVENTORY_AJV_OPTIONS, INVENTORY_KEYWORDS } from '../../src/inventory/schema-options.js';
import inventorySchema from '../../src/inventory/inventory.schema.json' with { type: 'json' };
import { packageRoot } from '../../src/paths.js';
import { paramsSchema, POLICY_AJV_OPTIONS } from '../../src/policy/schema-options.js';

describe('src/generated/validators', () => {
  it('is in step with the schema files and the checks (run `npm run build` after changing them)', () => {
    const committed = readFileSync(GENERATED_FILE, 'utf8');

    const fresh = generateValidators();

    expect(committed === fresh).toBe(true);
  });

  it('has a parameters validator for exactly the checks that declare parameters', () => {
    const withParams = checks.filter((c) => Object.keys(c.meta.parameters ?? {}).length > 0).map((c) => c.id);

    expect(Object.keys(paramValidators).sort()).toEqual(withParams.sort());
    for (const c of checks.filter((x) => withParams.includes(x.id))) {
      expect(paramValidators[c.id]?.schema).toBe(JSON.stringify(paramsSchema(c)));
    }
  });

  it.each([
    ['a minimal policy', { apiVersion: 'palisade/v1', kind: 'Policy' }],
    ['an unknown field', { apiVersion: 'palisade/v1', kind: 'Policy', nonsense: true }],
    ['a bad severity', { apiVersion: 'palisade/v1', kind: 'Policy', checks: { 'docker/no-privileged': { severity: 'urgent' } } }],
    ['a wrong kind', { apiVersion: 'palisade/v1', kind: 'Inventory' }],
  ])('judges %s like ajv compiling policy.schema.json', (_name, doc) => {
    const schema = JSON.parse(readFileSync(path.join(packageRoot, 'policies', 'policy.schema.json'), 'utf8')) as object;
    const runtime = new Ajv(POLICY_AJV_OPTIONS).compile(schema);

    const ok = policyValidator(doc);

    expect(ok).toBe(runtime(doc));
    expect(policyValidator.errors ?? null).toEqual(runtime.errors ?? null);
  });

  it.each([
    ['a minimal inventory', { apiVersion: 'palisade/v1', kind: 'Inventory', hosts: { web1: { address: '10.0.0.1' } } }],
    ['an unknown host field', { apiVersion: 'palisade/v1', kind: 'Inventory', hosts: { web1: { address: '10.0.0.1', colour: 'red' } } }],
  ])('judges %s like ajv compiling inventory.schema.json', (_name, doc) => {
    const ajv = new Ajv(INVENTORY_AJV_OPTIONS);
    for (const k of INVENTORY_KEYWORDS) ajv.addKeyword(k);
    const runtime = ajv.compile(inventorySchema);

    const ok = inventoryValidator(doc);

    expect(ok).toBe(runtime(doc));
    expect(inventoryValidator.errors ?? null).toEqual(runtime.errors ?? null);
  });
});
