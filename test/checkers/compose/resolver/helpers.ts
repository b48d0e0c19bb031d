import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { resolveCompose } from '../../../../src/checkers/compose/resolve.js';
import type { ResolvedProject, ResolveOptions } from '../../../../src/checkers/compose/types.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/compose');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** Resolves a fixture project with a small fixed environment. */
export function resolveFixture(dir: string, opts: Partial<ResolveOptions> = {}): ResolvedProject {
  return resolveCompose({ cwd: fixture(dir), env: { HOME: '/home/u' }, ...opts });
}

export function service(p: ResolvedProject, name: string) {
  const s = p.allServices.find((x) => x.name === name);
  if (!s) throw new Error(`no service ${name}`);
  return s;
}

/** Catches the error a resolve throws. */
export function errorOf(fn: () => unknown): Error & { file?: string; line?: number; column?: number; field?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
