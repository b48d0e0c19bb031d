import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openSql, resolveDb } from '../../src/history/backends.js';
import { copyText, type CopyColumn } from '../../src/history/copy.js';
import { HistoryError } from '../../src/history/errors.js';
import { packLayers, unpackLayers } from '../../src/history/layers.js';
import type { Sql } from '../../src/history/sql.js';
import type { LayerScore } from '../../src/model/report.js';
import { pglite, postgres, postgresReady, type Backend, type TestDb } from './backends.js';

// See store.test.ts: PostgreSQL skips only outside CI when no server answers.
const pgOk = await postgresReady();

describe('src/history/copy', () => {
  it.each([
    ['text', 'plain', 'plain'],
    ['text', 'a\tb\nc\rd\\e', 'a\\tb\\nc\\rd\\\\e'],
    ['text', '\\N', '\\\\N'],
    ['int', 42, '42'],
    ['float', -0.5, '-0.5'],
    ['bool', false, 'f'],
    ['json', { a: 'x\ty', b: '\\' }, '{"a":"x\\\\ty","b":"\\\\\\\\"}'],
    ['text[]', ['a', 'b"c', 'd\\e'], '{"a","b\\\\"c","d\\\\\\\\e"}'],
    ['text', null, '\\N'],
    ['json', undefined, '\\N'],
  ] as const)('writes a %s value %j as %s', (type, value, expected) => {
    expect(copyText([['c', type]], [[value]])).toBe(`${expected}\n`);
  });

  it('writes nothing for no rows', () => {
    expect(copyText([['c', 'int']], [])).toBe('');
  });
});

describe('src/history/layers', () => {
  const layer = (over: Partial<LayerScore> = {}): LayerScore => ({
    layer: 'isolation',
    score: 55.5,
    holds: true,
    counts: { pass: 1, fail: 2, waived: 3, 'not-applicable': 4, error: 5 },
    criticalFailure: false,
    ...over,
  });

  it('packs the scorer\'s layer objects into arrays and back, keys in the same order', () => {
    const layers = [layer(), layer({ layer: 'patching', score: null, holds: null, criticalFailure: true })];

    const packed = packLayers(layers);

    expect(packed[0]).toEqual(['isolation', 55.5, true, false, 1, 2, 3, 4, 5]);
    expect(JSON.stringify(unpackLayers(JSON.parse(JSON.stringify(packed))))).toBe(JSON.stringify(layers));
  });

  it.each([
    ['keys in another order', { criticalFailure: false, layer: 'isolation', score: 1, holds: false, counts: layer().counts }],
    ['an extra key', { ...layer(), note: 'x' }],
    ['counts in another order', { ...layer(), counts: { fail: 0, pass: 0, waived: 0, 'not-applicable': 0, error: 0 } }],
    ['a score that is not a number', { ...layer(), score: '5' }],
  ])('keeps layers with %s as they came', (_name, odd) => {
    const layers = [layer(), odd as unknown as LayerScore];

    expect(packLayers(layers)).toBe(layers);
    expect(unpackLayers(layers)).toEqual(layers);
  });
});

describe.each([pglite, postgres])('src/history copyFrom ($name)', (backend: Backend) => {
  const skip = backend.name === 'postgres' && !pgOk;
  let t: TestDb;
  let sql: Sql;

  beforeAll(async () => {
    if (skip) return;
    t = await backend.fresh();
    sql = await openSql(resolveDb(undefined, t.env));
    await sql.exec('CREATE TABLE copied (n int, x float8, b bool, s text, j json, a text[])');
  });
  afterAll(async () => {
    if (skip) return;
    await sql?.close();
    await t?.drop();
  });

  const columns: CopyColumn[] = [['n', 'int'], ['x', 'float'], ['b', 'bool'], ['s', 'text'], ['j', 'json'], ['a', 'text[]']];

  // Skips only for PostgreSQL with no server outside CI (pgOk above); PGlite always runs.
  it.skipIf(skip)('loads every kind of value as given, in and outside a transaction', async () => {
    const rows = [
      [1, 0.1, true, 'tab\t, newline\n, backslash\\, \\N, ünïcødé', { k: ['v\t', null, 1.5] }, ['x', 'y "z"', 'back\\slash']],
      [2, null, null, null, null, null],
    ];

    await sql.copyFrom('copied', columns, rows.slice(0, 1));
    await sql.transaction((tx) => tx.copyFrom('copied', columns, rows.slice(1)));

    expect(await sql.query('SELECT n, x, b, s, j, a FROM copied ORDER BY n')).toEqual(rows.map(([n, x, b, s, j, a]) => ({ n, x, b, s, j, a })));
  });

  // Skips only for PostgreSQL with no server outside CI (pgOk above); PGlite always runs.
  it.skipIf(skip)('fails with a HistoryError on bad rows, loads none of them, and the connection goes on', async () => {
    const err = await sql.transaction((tx) => tx.copyFrom('copied', columns, [[3, 1, true, 'ok', {}, []], ['not a number', 1, true, 'x', {}, []]])).catch((e: unknown) => e);

    if (backend.name === 'postgres') expect(err).toBeInstanceOf(HistoryError);
    expect(String(err)).toMatch(/integer/);
    expect(await sql.query('SELECT n FROM copied WHERE n = 3')).toEqual([]);
    expect(await sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
