import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { checksFor, loadPolicy } from '../../src/policy/policy.js';

describe('docs/policy.md', () => {
  it('shows an example policy that validates and resolves as the page says', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '../../docs/policy.md'), 'utf8');
    const example = /## A complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'palisade-doc-')), 'shop.yaml');
    writeFileSync(file, example ?? '');

    const policy = loadPolicy(file);

    const payments = checksFor(policy, { kind: 'container', name: 'payments-api' });
    expect(payments.find((c) => c.check.id === 'docker/no-new-privileges')?.severity).toBe('high');
    const batch = checksFor(policy, { kind: 'container', name: 'etl', labels: { team: 'batch' } });
    expect(batch.find((c) => c.check.id === 'docker/read-only-rootfs')?.enabled).toBe(false);
    expect(policy.thresholds.isolation).toBe(80);
    expect(policy.checks.find((c) => c.check.id === 'vm/segment-flows-blocked')?.params['forbiddenFlows']).toEqual([{ from: 'dmz', to: 'db' }]);
  });
});
