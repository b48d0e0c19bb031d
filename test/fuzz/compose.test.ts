// The Compose resolver and the declared-container conversion, fed fixture
// Compose lines cut, mixed and mutated: each either returns or throws
// palisade's own typed error (a ComposeError naming the file, exit code 2),
// never a TypeError or RangeError.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';

import { declaredContainer, declaredEngine } from '../../src/checkers/compose/declared.js';
import { resolveCompose } from '../../src/checkers/compose/resolve.js';
import { PalisadeError } from '../../src/errors.js';
import { RUNS } from './arbitraries.js';

const ROOT = path.join(import.meta.dirname, '../..');

function composeLines(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) && statSync(p).size < 200_000) out.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  for (const dir of ['fixtures/compose', 'fixtures/check']) walk(path.join(ROOT, dir));
  return [...new Set(out)];
}

const LINES = composeLines();
const insert = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\u001b[2J', '\u0000', '\r', '\t', ' ', ':', '- ', '[', ']', '{', '}', '&a ', '*a', '!reset ', '!override ', '<<: ', '"', "'", '#', '${X:?boom}', '${X:-d}', '$$', '${', '~', '..', '0', '-1', '1e99', 'null', 'true'),
);
const composeText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...LINES) },
      {
        weight: 3,
        arbitrary: fc.tuple(fc.constantFrom(...LINES), fc.nat(), insert).map(([l, at, ins]) => {
          const i = at % (l.length + 1);
          return l.slice(0, i) + ins + l.slice(i);
        }),
      },
      { weight: 1, arbitrary: insert },
    ),
    { maxLength: 30 },
  )
  .map((ls) => `services:\n${ls.join('\n')}`);

const work = mkdtempSync(path.join(tmpdir(), 'palisade-fuzz-compose-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('test/fuzz: the Compose resolver throws only typed errors', () => {
  it('resolves or refuses mutated Compose files, and every resolved service converts to container facts', () => {
    const file = path.join(work, 'compose.yaml');
    fc.assert(
      fc.property(composeText, (text) => {
        writeFileSync(file, text);
        try {
          const project = resolveCompose({ cwd: work, files: [file], env: { X: 'x' } });
          for (const service of project.services) declaredContainer(project, service, { engine: declaredEngine(), file: 'compose.yaml' });
        } catch (error) {
          if (!(error instanceof PalisadeError)) throw error;
        }
      }),
      RUNS,
    );
  });
});
