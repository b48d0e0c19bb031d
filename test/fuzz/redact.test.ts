// Redaction is a security property and redactText skips its patterns for a
// text that holds none of their hints. These properties prove the skip never
// changes an answer: for text built from pieces of every secret shape, cut,
// case-flipped and mixed with separators and noise, redactText gives what
// running every pattern gives, and no known secret survives either.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { redactEveryPattern, redactScan, redactText } from '../../src/scan/redact.js';
import { SECRET, SECRET_VALUES, PEM } from '../helpers/hostile.js';
import { loadScan } from '../reporters/fixture.js';
import { RUNS } from './arbitraries.js';

/** Secrets, their prefixes and the names and separators the context patterns look for. */
const FRAGMENTS: readonly string[] = [
  ...SECRET_VALUES,
  PEM,
  '-----BEGIN',
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  'PRIVATE KEY',
  'ghp_',
  'gho_',
  'github_pat_',
  'AKIA',
  'ASIA',
  'AROA',
  'xoxb-',
  'xoxp-',
  'eyJ',
  'AIza',
  'sk_live_',
  'rk_test_',
  'MII',
  '://',
  'postgres://',
  'u:p@',
  '@',
  'aws',
  'AWS_SECRET_ACCESS_KEY',
  'Bearer ',
  'password',
  'PASSWD',
  'pwd',
  'Secret',
  'TOKEN',
  'api_key',
  'apikey',
  'private-key',
  'access_key',
  'credential',
  '=',
  ': ',
  '"',
  "'",
  '[redacted: secret]',
  'A'.repeat(40),
  'abcDEF0123456789+/'.repeat(4),
];

const noise = fc.string({ unit: fc.constantFrom(...' \t\n=:,;"\'&/@._-+aAzZ09xX\u00e9\u2028\u202e'), maxLength: 12 });

/** A fragment, perhaps cut or with its case flipped (the context patterns ignore case, the shapes do not). */
const fragment = fc
  .tuple(fc.constantFrom(...FRAGMENTS), fc.nat(), fc.nat(), fc.constantFrom('as is', 'upper', 'lower'))
  .map(([text, a, b, kase]) => {
    const cut = a % 4 === 0 ? text.slice(a % (text.length + 1), (a % (text.length + 1)) + 1 + (b % (text.length + 1))) : text;
    return kase === 'upper' ? cut.toUpperCase() : kase === 'lower' ? cut.toLowerCase() : cut;
  });

const secretLike = fc.array(fc.oneof(fragment, noise, fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));

/** Secrets recognised by their shape wherever they stand between separators. */
const SHAPED = [SECRET.github, SECRET.aws, SECRET.slack, SECRET.jwt, SECRET.google, SECRET.stripe, SECRET.pemBody];

describe('test/fuzz: redactText with its pre-test', () => {
  it('gives what running every pattern gives, for text built from secret-shaped pieces', () => {
    fc.assert(
      fc.property(secretLike, (text) => {
        expect(redactText(text)).toBe(redactEveryPattern(text));
      }),
      RUNS,
    );
  });

  it('gives what running every pattern gives, for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(redactText(text)).toBe(redactEveryPattern(text));
      }),
      RUNS,
    );
  });

  it('leaves no secret of a known shape in text that holds one between separators', () => {
    fc.assert(
      fc.property(noise, fc.constantFrom(...SHAPED), noise, (before, secret, after) => {
        // A separator on each side, as a secret in a label or a message has.
        expect(redactText(`${before} ${secret} ${after}`)).not.toContain(secret);
      }),
      RUNS,
    );
  });

  it('gives the same answer from its cache as the first time', () => {
    fc.assert(
      fc.property(secretLike, (text) => {
        const first = redactText(text);

        expect(redactText(text)).toBe(first);
      }),
      RUNS,
    );
  });
});

describe('test/fuzz: redactScan, which shares what it does not change', () => {
  it('never changes its input and leaves no shaped secret in messages, evidence or labels', () => {
    const edit = fc.tuple(fc.nat(), noise, fc.constantFrom(...SHAPED), noise);
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const scan = loadScan();
        for (const [i, before, secret, after] of edits) {
          const text = `${before} ${secret} ${after}`;
          const f = scan.findings[i % scan.findings.length];
          const w = scan.workloads[i % scan.workloads.length];
          if (i % 3 === 0 && f) f.message = text;
          else if (i % 3 === 1 && f) f.evidence = { source: 'inspect', path: 'Config.Env', observed: [text, { [text]: text }], expected: { note: text } };
          else if (w) w.labels = { ...w.labels, [text]: text };
        }
        const input = JSON.stringify(scan);

        const out = JSON.stringify(redactScan(scan));

        expect(JSON.stringify(scan)).toBe(input);
        for (const secret of SHAPED) expect(out).not.toContain(secret);
      }),
      { numRuns: Math.min(RUNS.numRuns, 200) },
    );
  });
});
