import { describe, expect, it } from 'vitest';

import { reporters } from '../../src/reporters/index.js';
import { loadReporter } from '../../src/reporters/load.js';
import { jsonChunks } from '../../src/reporters/stream.js';
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
