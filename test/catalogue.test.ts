import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { checks } from '../checks/index.js';
import { catalogueMarkdown } from '../src/cli/catalogue.js';
import { LAYERS, SEVERITIES } from '../src/model/check.js';
import { packageRoot, policiesDir } from '../src/paths.js';
import { BUILTIN_POLICIES, loadPolicy } from '../src/policy/policy.js';

function checkFiles(): string[] {
  const root = path.join(packageRoot, 'checks');
  const ids: string[] = [];
  for (const kind of readdirSync(root)) {
    const dir = path.join(root, kind);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) if (file.endsWith('.ts')) ids.push(`${kind}/${file.slice(0, -3)}`);
  }
  return ids.sort();
}

describe('checks/index (catalogue)', () => {
  it('registers exactly the files under checks/, sorted by id', () => {
    const ids = checks.map((c) => c.id);

    expect(ids).toEqual(checkFiles());
    expect(ids).toEqual([...ids].sort());
  });

  it('has unique ids and aliases', () => {
    const names = checks.flatMap((c) => [c.id, ...(c.meta.aliases ?? [])]);

    expect(new Set(names).size).toBe(names.length);
  });

  it.each(checks.map((c) => [c.id, c] as const))('%s has complete metadata', (id, check) => {
    const { meta } = check;

    expect(id).toMatch(/^[a-z0-9]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['container', 'engine', 'host']).toContain(check.target);
    expect(meta.title.length).toBeGreaterThan(5);
    expect(meta.description.length).toBeGreaterThan(30);
    expect(LAYERS).toContain(meta.layer);
    expect(SEVERITIES).toContain(meta.severity);
    expect(meta.remediation.length).toBeGreaterThan(20);
    expect(meta.references.length).toBeGreaterThan(0);
    for (const ref of meta.references) expect(ref).toMatch(/^(cis-docker-1\.6\.0:\d+(\.\d+)+|cwe:\d+|https:\/\/\S+|[a-z0-9-]+:\S+)$/);
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    for (const spec of Object.values(meta.parameters ?? {})) {
      expect(spec.description.length).toBeGreaterThan(0);
      expect(spec.schema).toBeTypeOf('object');
    }
  });

  it.each(checks.map((c) => [c.id] as const))('%s has a header comment and a test with a pass and a fail', (id) => {
    const source = readFileSync(path.join(packageRoot, 'checks', `${id}.ts`), 'utf8');
    const testFile = path.join(packageRoot, 'test', 'checks', `${id}.test.ts`);

    expect(source.startsWith('//')).toBe(true);
    expect(existsSync(testFile)).toBe(true);
    const test = readFileSync(testFile, 'utf8');
    expect(test).toMatch(/violations\)\.toEqual\(\[\]\)|violations: \[\]|toHaveLength\(0\)/);
    expect(test).toMatch(/messageIds\(|messageId/);
  });

  it.each(BUILTIN_POLICIES.map((p) => [p] as const))('ships a valid built-in policy %s naming only existing checks', (name) => {
    const policy = loadPolicy(name);

    expect(policy.name).toBe(name);
    expect(policy.checks.some((c) => c.enabled)).toBe(true);
  });

  it('keeps docs/checks.md generated from the registry', () => {
    const doc = readFileSync(path.join(packageRoot, 'docs', 'checks.md'), 'utf8');

    expect(doc).toBe(catalogueMarkdown(checks));
  });

  it('ships every policy file in policies/ as a built-in', () => {
    const files = readdirSync(policiesDir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();

    expect(files).toEqual([...BUILTIN_POLICIES].sort());
  });
});
