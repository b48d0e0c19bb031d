// The build embeds the built-in policies (src/policy/builtin-documents.ts);
// the loader must use the embedded document instead of reading the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/policy/builtin-documents.js', () => ({
  builtinPolicyDocument: (name: string) =>
    name === 'strict'
      ? {
          doc: { apiVersion: 'palisade/v1', kind: 'Policy', name: 'strict', description: 'embedded', layers: { threshold: 42 } },
          text: 'apiVersion: palisade/v1\nkind: Policy\nname: strict\ndescription: embedded\nlayers:\n  threshold: 42\n',
        }
      : undefined,
}));

const { loadPolicy } = await import('../../src/policy/policy.js');

describe('src/policy/builtin-documents', () => {
  it('is what a built-in policy resolves from, by name', () => {
    expect(loadPolicy('strict').thresholds.isolation).toBe(42);
  });

  it('is what a policy extending the built-in inherits', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-embedded-'));
    try {
      const file = path.join(dir, 'mine.yaml');
      writeFileSync(file, 'apiVersion: palisade/v1\nkind: Policy\nname: mine\nextends: strict\n');

      expect(loadPolicy(file).thresholds.isolation).toBe(42);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves a built-in the build did not embed to the file', () => {
    expect(loadPolicy('default').thresholds.isolation).toBe(75);
  });
});
