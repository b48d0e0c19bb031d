import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { loadPolicy } from '../../src/policy/policy.js';

function policies(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-schedule-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), `apiVersion: palisade/v1\nkind: Policy\n${body}`);
  return dir;
}

describe('src/policy/policy (schedule)', () => {
  it('has no schedule unless a file sets one', () => {
    expect(loadPolicy('default').schedule).toBeUndefined();
  });

  it('takes the schedule of the last file in the extends chain that sets one', () => {
    const dir = policies({
      'base.yaml': 'name: base\nschedule: "0 */6 * * *"\n',
      'inherits.yaml': 'name: inherits\nextends: base.yaml\n',
      'overrides.yaml': 'name: overrides\nextends: base.yaml\nschedule: "@hourly"\n',
    });

    expect(loadPolicy(path.join(dir, 'inherits.yaml')).schedule).toBe('0 */6 * * *');
    expect(loadPolicy(path.join(dir, 'overrides.yaml')).schedule).toBe('@hourly');
  });

  it.each(['every six hours', '* * *', ''])('refuses schedule %j at its line', (value) => {
    const dir = policies({ 'bad.yaml': `name: bad\nschedule: ${JSON.stringify(value)}\n` });

    expect(() => loadPolicy(path.join(dir, 'bad.yaml'))).toThrow(PolicyError);
    expect(() => loadPolicy(path.join(dir, 'bad.yaml'))).toThrow(/bad\.yaml:4.*schedule/);
  });
});
