// Generators for the fuzz tests: text shaped like what targets print (real
// probe lines from the fixtures, cut, mixed and mutated, plus arbitrary and
// control characters), and realistic package versions.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/ssh');

/** Every probe.txt line of the recorded hosts, markers included. */
export const PROBE_LINES: readonly string[] = [
  ...new Set(
    readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => {
        try {
          return readFileSync(path.join(FIXTURES, d.name, 'probe.txt'), 'utf8').split('\n');
        } catch {
          return [];
        }
      }),
  ),
];

/** Strings with the characters hostile output favours: controls, separators, quotes, markers. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'\u0000\u001b\u0007\b\r\t\u202e\ufeff :=,;#"\'\\[]{}()<>/-_.*~^+@%$!?0123456789abcXYZ\n'), maxLength: 40 }),
  fc.constantFrom('@@palisade:', '@@palisade:err:', '@@palisade:end:x:1', '@@palisade:begin:sshd:root', '@@palisade:done', '{', '}', '[', ']', '"', 'null', '-1', '99999999999999999999', 'NaN'),
);

/** One line like a real one: a fixture line as is, cut, with a nasty insert, or nasty alone. */
export const probeLikeLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROBE_LINES) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...PROBE_LINES), fc.nat(), fc.nat(), nasty)
      .map(([line, a, b, insert]) => {
        const i = line.length === 0 ? 0 : a % (line.length + 1);
        const j = line.length === 0 ? 0 : b % (line.length + 1);
        return line.slice(0, Math.min(i, j)) + insert + line.slice(Math.max(i, j));
      }),
  },
  { weight: 2, arbitrary: nasty },
);

/** Multi-line target output. */
export const probeLikeText: fc.Arbitrary<string> = fc
  .tuple(fc.array(probeLikeLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, eol]) => lines.join(eol));

const digits = fc.integer({ min: 0, max: 2000 }).map(String);
const word = fc.stringMatching(/^[a-z]{1,4}$/);

/** Debian versions: [epoch:]upstream[-revision] with ~, +, letters and dots. */
export const dpkgVersion: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    digits,
    fc.array(fc.tuple(fc.constantFrom('.', '+', '~', '.', ''), fc.oneof(digits, word)), { maxLength: 4 }),
    fc.option(fc.array(fc.oneof(digits, word, fc.constantFrom('.', '+', '~', 'ubuntu', 'deb12u')), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  )
  .map(([epoch, head, tail, revision]) => {
    let v = head + tail.map(([sep, part]) => sep + part).join('');
    if (revision) v += `-${revision.join('') || '1'}`;
    return epoch === undefined ? v : `${epoch}:${v}`;
  });

/** RPM versions: [epoch:]version[-release] with ~, ^, letters and dots. */
export const rpmVersion: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('.', '~', '^', '_', '+', ''), fc.oneof(digits, word)), { minLength: 1, maxLength: 5 }),
    fc.option(fc.array(fc.oneof(digits, word, fc.constantFrom('.', 'el9', 'fc40', '_', '~')), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  )
  .map(([epoch, parts, release]) => {
    let v = parts.map(([sep, part], i) => (i === 0 ? part : sep + part)).join('');
    if (release) v += `-${release.join('')}`;
    return epoch === undefined ? v : `${epoch}:${v}`;
  });

/** Alpine versions: digits(.digits)*[letter](_suffix[N])*[~hash][-rN]. */
export const apkVersion: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(digits, { minLength: 1, maxLength: 4 }),
    fc.option(fc.constantFrom(...'abcxyz'), { nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'), fc.option(digits, { nil: undefined })), { maxLength: 2 }),
    fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  )
  .map(([nums, letter, suffixes, revision]) => {
    let v = nums.join('.') + (letter ?? '') + suffixes.map(([s, n]) => `_${s}${n ?? ''}`).join('');
    if (revision !== undefined) v += `-r${revision}`;
    return v;
  });

/** Version-ish strings that need not be valid for anyone. */
export const versionJunk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789.:-~^+_abzAZ '), maxLength: 16 }),
  fc.string({ maxLength: 16 }),
);

/** Runs per property: modest by default; PALISADE_FUZZ_RUNS=20000 for a deep local run. fast-check prints the seed on failure. */
export const RUNS = { numRuns: Number(process.env['PALISADE_FUZZ_RUNS'] ?? 500) } as const;
