// Keeps inventory.schema.json and the document types in src/inventory/types.ts
// in step: the field lists below are checked against the types by tsc
// (nothing missing, nothing extra) and against the schema by this test.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

import schema from '../../src/inventory/inventory.schema.json' with { type: 'json' };
import type { DefaultsEntry, GroupEntry, HostEntry, InventoryDocument } from '../../src/inventory/types.js';

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** `true` only when the list names every key of T. */
type Covers<T, L extends readonly PropertyKey[]> = [Exclude<keyof T, L[number]>] extends [never] ? true : false;

const documentFields = ['apiVersion', 'kind', 'defaults', 'groups', 'hosts', 'engines'] as const satisfies readonly (keyof InventoryDocument)[];
const documentRequired = ['apiVersion', 'kind'] as const satisfies readonly RequiredKeys<InventoryDocument>[];
const defaultsFields = [
  'user',
  'port',
  'identity',
  'identityPassphraseEnv',
  'sudo',
  'connectTimeout',
  'commandTimeout',
  'knownHosts',
] as const satisfies readonly (keyof DefaultsEntry)[];
const groupFields = [...defaultsFields, 'tags', 'segment', 'jump'] as const satisfies readonly (keyof GroupEntry)[];
const hostFields = [...groupFields, 'address', 'hostKey', 'groups', 'docker'] as const satisfies readonly (keyof HostEntry)[];

// A compile error here means a type gained a field the list (and so the schema check) does not name.
const covered: [
  Covers<InventoryDocument, typeof documentFields>,
  Covers<Pick<InventoryDocument, RequiredKeys<InventoryDocument>>, typeof documentRequired>,
  Covers<DefaultsEntry, typeof defaultsFields>,
  Covers<GroupEntry, typeof groupFields>,
  Covers<HostEntry, typeof hostFields>,
] = [true, true, true, true, true];

interface ObjectSchema {
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: unknown;
}

const definitions = schema.definitions as unknown as Record<string, ObjectSchema>;
const keys = (s: ObjectSchema | undefined): string[] => Object.keys(s?.properties ?? {}).sort();

describe('src/inventory/inventory.schema.json', () => {
  it('has every type checked against its field list', () => {
    expect(covered.every(Boolean)).toBe(true);
  });

  it.each([
    ['the document', schema as unknown as ObjectSchema, documentFields],
    ['defaults', definitions['defaults'], defaultsFields],
    ['a group', definitions['group'], groupFields],
    ['a host', definitions['host'], hostFields],
  ])('names the same fields as the types for %s, and no others', (_, objectSchema, fields) => {
    const names = keys(objectSchema);

    expect(names).toEqual([...fields].sort());
    expect(objectSchema?.additionalProperties).toBe(false);
  });

  it('requires exactly the fields the document type requires', () => {
    const required = [...(schema.required ?? [])].sort();

    expect(required).toEqual([...documentRequired].sort());
  });

  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv({ strict: true });
    ajv.addKeyword('x-expected');

    const compile = (): unknown => ajv.compile(schema);

    expect(compile).not.toThrow();
  });
});
