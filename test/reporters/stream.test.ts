import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { reporters } from '../../src/reporters/index.js';
import { loadReporter } from '../../src/reporters/load.js';
import { jsonChunks, LazyItems } from '../../src/reporters/stream.js';
import { loadScan } from './fixture.js';

async function join(chunks: Iterable<string> | AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const c of chunks) text += c;
  return text;
}

describe('src/reporters/stream', () => {
  it.each([
    ['nested objects and arrays', { a: [1, { b: [], c: {} }, 'x'], d: { e: null, f: undefined, g: [[1, 2], []] } }],
    ['array holes and undefined members', [undefined, () => 1, 2]],
    ['an empty object', {}],
    ['a string', 'line\nbreak "quoted"'],
  ])('writes %s exactly as JSON.stringify(value, null, 2)', async (_name, value) => {
    for (const levels of [0, 1, 2, 5]) expect(await join(jsonChunks(value, levels))).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it.each([
    ['a long array of objects', Array.from({ length: 100 }, (_, i) => ({ i, s: `x\ny${i}`, nested: [i, { deep: [[i]] }], gone: undefined }))],
    ['a long array with holes and undefined', Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? [i] : 'v'))],
    ['long arrays inside objects', { a: { b: Array.from({ length: 65 }, (_, i) => ({ i })), c: [] }, d: Array.from({ length: 33 }, (_, i) => [i, [i]]) }],
  ])('writes %s (items in batches) exactly as JSON.stringify', async (_name, value) => {
    for (const levels of [0, 1, 2, 3, 5]) expect(await join(jsonChunks(value, levels))).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('writes any JSON value at any depth exactly as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 5 }), (value, levels) => {
        expect([...jsonChunks(value, levels)].join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 500 },
    );
  });

  it('makes lazy items a batch at a time as they are written, and all at once for JSON.stringify', () => {
    const made: [number, number][] = [];
    const items = new LazyItems(70, (start, end) => {
      made.push([start, end]);
      return Array.from({ length: end - start }, (_, i) => ({ n: start + i }));
    });
    const expected = JSON.stringify({ items: Array.from({ length: 70 }, (_, n) => ({ n })) }, null, 2);

    expect([...jsonChunks({ items }, 2)].join('')).toBe(`${expected}\n`);
    expect(made).toEqual([
      [0, 32],
      [32, 64],
      [64, 70],
    ]);
    expect(JSON.stringify({ items }, null, 2)).toBe(expected);
  });

  it.each([false, true])('streams the JSON and SARIF reports byte for byte as their string reporters (includePassed %s)', async (includePassed) => {
    const scan = loadScan();
    scan.options.includePassed = includePassed;
    const options = { color: false, sarifCategory: 'ci' };

    const [jsonLoaded, sarifLoaded] = await Promise.all([loadReporter('json'), loadReporter('sarif')]);

    const json = await join(jsonLoaded.reportTo?.(scan, options) ?? []);
    const sarif = await join(sarifLoaded.reportTo?.(scan, options) ?? []);

    // Both paths render the redacted scan (the loader and the registry each redact first).
    expect(json).toBe(reporters.json(scan, options));
    expect(sarif).toBe(reporters.sarif(scan, options));
    expect(json).toBe(jsonLoaded.report(scan, options));
  });
});
