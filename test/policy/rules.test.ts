import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { checksFor, loadPolicy } from '../../src/policy/policy.js';
import { matchesSelector, specificity } from '../../src/policy/selector.js';

const dir = path.join(import.meta.dirname, '../../fixtures/policies/extends');

function setting(policyFile: string, workload: Parameters<typeof checksFor>[1], id: string) {
  const policy = loadPolicy(path.join(dir, policyFile));
  const found = checksFor(policy, workload).find((c) => c.check.id === id);
  if (!found) throw new Error(`${id} not resolved`);
  return found;
}

describe('src/policy/policy extends and rules', () => {
  it('merges an extends chain: the child wins, the base fills in, built-ins load by name', () => {
    const policy = loadPolicy(path.join(dir, 'team.yaml'));

    expect(policy.chain.map((f) => path.basename(f))).toEqual(['default.yaml', 'base.yaml', 'team.yaml']);
    expect(policy.gate.failOn).toBe('critical');
    const age = policy.checks.find((c) => c.check.id === 'docker/image-age');
    expect(age?.params['maxAgeDays']).toBe(30);
    expect(age?.decidedBy?.params['maxAgeDays']).toMatch(/team\.yaml:6$/);
  });

  it.each([
    ['a container no rule selects beyond kind', { kind: 'container' as const, name: 'web' }, 'critical', /team\.yaml:33 \(rule "all containers/],
    ['a batch container', { kind: 'container' as const, name: 'etl', labels: { team: 'batch' } }, 'low', /team\.yaml:16 \(rule "batch jobs"\)/],
    ['a nightly batch container (most specific)', { kind: 'container' as const, name: 'nightly-1', labels: { team: 'batch' } }, 'medium', /rule "batch nightly"/],
    ['an engine (no rule)', { kind: 'engine' as const, name: 'host' }, 'high', /base\.yaml:6$/],
  ])('decides severity for %s', (_name, workload, severity, source) => {
    const resolved = setting('team.yaml', workload, 'docker/memory-limited');

    expect(resolved.severity).toBe(severity);
    expect(resolved.decidedBy?.severity).toMatch(source);
  });

  it('disables a check only for the selected workloads', () => {
    const batch = setting('team.yaml', { kind: 'container', name: 'etl', labels: { team: 'batch' } }, 'docker/read-only-rootfs');
    const web = setting('team.yaml', { kind: 'container', name: 'web' }, 'docker/read-only-rootfs');

    expect(batch.enabled).toBe(false);
    expect(web.enabled).toBe(true);
    expect(web.decidedBy?.enabled).toBe('defaultEnabled');
  });

  it('refuses an extends cycle, naming the chain', () => {
    let error: unknown;
    try {
      loadPolicy(path.join(dir, 'cycle-a.yaml'));
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toMatch(/policy extends itself: .*cycle-a\.yaml -> .*cycle-b\.yaml -> .*cycle-a\.yaml/);
    expect((error as PolicyError).field).toBe('extends');
  });
});

describe('src/policy/selector', () => {
  it.each([
    [{ kind: 'container' }, true],
    [{ kind: ['engine', 'host'] }, false],
    [{ name: 'web-*' }, true],
    [{ name: ['db-*', 'web-?'] }, true],
    [{ labels: { team: 'shop', tier: 'fr*' } }, true],
    [{ labels: { team: 'ops' } }, false],
    [{ tags: ['prod'] }, true],
    [{ tags: ['prod', 'pci'] }, false],
    [{ segment: 'dmz' }, true],
    [{ engine: 'docker-*' }, true],
    [{ host: 'vm-*' }, false],
  ] as const)('%j matches a web container: %s', (selector, expected) => {
    const workload = {
      kind: 'container' as const,
      name: 'web-1',
      labels: { team: 'shop', tier: 'frontend' },
      tags: ['prod'],
      segment: 'dmz',
      engine: 'docker-1',
    };

    expect(matchesSelector(selector as never, workload)).toBe(expected);
  });

  it('counts constraints for specificity', () => {
    expect(specificity(undefined)).toBe(0);
    expect(specificity({ kind: 'container', labels: { a: '1', b: '2' }, tags: ['x'] })).toBe(4);
  });
});
