import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { loadPolicy } from '../../src/policy/policy.js';

// A repository folder with a policy tree, and a file outside it that a
// hostile pull request would like to pull in.
const top = mkdtempSync(path.join(tmpdir(), 'palisade-extends-'));
const repo = path.join(top, 'repo');
const outside = path.join(top, 'elsewhere');
mkdirSync(path.join(repo, 'policies', 'teams'), { recursive: true });
mkdirSync(outside);
afterAll(() => rmSync(top, { recursive: true, force: true }));

function policy(file: string, extendsRef?: string): string {
  const text = `apiVersion: palisade/v1\nkind: Policy\nname: ${path.basename(file, '.yaml')}\n${extendsRef !== undefined ? `extends: ${JSON.stringify(extendsRef)}\n` : ''}`;
  writeFileSync(file, text);
  return file;
}

policy(path.join(outside, 'secret.yaml'));
policy(path.join(repo, 'policies', 'base.yaml'), 'default');
policy(path.join(repo, 'policies', 'teams', 'team.yaml'), '../base.yaml');
symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'policies', 'link.yaml'));

function thrown(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('src/policy/policy extends stays inside the policy folder', () => {
  it('follows built-in names and files in the folder tree of the policy named', () => {
    const resolved = loadPolicy(path.join(repo, 'policies', 'base.yaml'));

    expect(resolved.chain.map((f) => path.basename(f))).toEqual(['default.yaml', 'base.yaml']);
  });

  it('allows `..` that stays inside the tree of the policy named', () => {
    policy(path.join(repo, 'policies', 'root.yaml'), 'teams/team.yaml');

    const resolved = loadPolicy(path.join(repo, 'policies', 'root.yaml'));

    expect(resolved.chain.map((f) => path.basename(f))).toEqual(['default.yaml', 'base.yaml', 'team.yaml', 'root.yaml']);
  });

  it.each([
    ['a `..` path out of the folder', '../../elsewhere/secret.yaml'],
    ['an absolute path', path.join(outside, 'secret.yaml')],
    ['a symlink to a file outside', 'link.yaml'],
    ['a system file', '/etc/passwd'],
  ])('refuses %s, naming the file, line and field', (_name, ref) => {
    const file = policy(path.join(repo, 'policies', 'hostile.yaml'), ref);

    const error = thrown(() => loadPolicy(file));

    expect(error.file).toBe(file);
    expect(error.line).toBe(4);
    expect(error.field).toBe('extends');
    expect(error.message).toMatch(/outside .* and .*: a policy may extend only built-in policies/);
  });

  it('bounds a child\'s extends by the folder of the policy named (outside the current directory), not the child\'s', () => {
    policy(path.join(repo, 'policies', 'teams', 'only-team.yaml'), '../base.yaml');

    const error = thrown(() => loadPolicy(path.join(repo, 'policies', 'teams', 'only-team.yaml')));

    expect(error.field).toBe('extends');
    expect(error.message).toContain('resolves to');
  });
});
