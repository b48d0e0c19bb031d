import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { packageRoot } from '../../src/paths.js';
import { loadPolicy } from '../../src/policy/policy.js';
import { METRIC_NAMES } from '../../src/serve/metrics.js';
import { parseSchedule } from '../../src/serve/scheduler.js';

const doc = readFileSync(path.join(packageRoot, 'docs/serve.md'), 'utf8');

describe('docs/serve.md', () => {
  it('lists exactly the metrics serve exports', () => {
    const table = doc.slice(doc.indexOf('## Metrics'), doc.indexOf('## Regressions'));
    const listed = [...table.matchAll(/^\| `(palisade_[a-z_]+)` \|/gm)].map((m) => m[1]);

    expect(listed).toEqual([...METRIC_NAMES]);
  });

  it('shows a policy schedule that loads and parses', () => {
    const example = /```yaml\n(apiVersion: palisade\/v1[\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'palisade-doc-')), 'prod.yaml');
    writeFileSync(file, example.replace(/\s+#.*$/gm, ''));

    const policy = loadPolicy(file);

    expect(policy.schedule).toBe('0 */6 * * *');
    expect(parseSchedule(policy.schedule ?? '').next(new Date('2026-12-02T01:00:00Z'))?.getUTCHours()).toBe(6);
  });
});
