import { describe, expect, it } from 'vitest';

import { defineCheck, type CheckMeta } from '../../src/model/check.js';
import { evaluateWorkload, fingerprint, waiverStatuses, type WorkloadInput } from '../../src/scan/evaluate.js';
import { containerSubject, NOW } from '../helpers/facts.js';
import { policyOf } from '../helpers/policy.js';

const meta = (over: Partial<CheckMeta> = {}): CheckMeta => ({
  title: 'Test check',
  description: 'A check used by tests.',
  layer: 'isolation',
  severity: 'high',
  remediation: 'Do the right thing.',
  references: ['cwe:1'],
  messages: { bad: 'Container {{name}} has {{thing}}.' },
  ...over,
});

const capCheck = defineCheck({
  id: 'test/no-caps',
  target: 'container',
  meta: meta(),
  evaluate: ({ container }) =>
    container.capAdd.map((cap) => ({
      messageId: 'bad',
      data: { name: container.name, thing: cap },
      evidence: { source: 'container inspect', path: 'HostConfig.CapAdd', observed: cap },
      key: cap,
    })),
});
const naCheck = defineCheck({
  id: 'test/not-here',
  target: 'container',
  meta: meta({ layer: 'confinement' }),
  appliesTo: () => 'no AppArmor on this host',
  evaluate: () => [],
});
const crashCheck = defineCheck({
  id: 'test/crash',
  target: 'container',
  meta: meta({ layer: 'patching' }),
  evaluate: () => {
    throw new Error('boom');
  },
});
const engineCheck = defineCheck({ id: 'test/engine', target: 'engine', meta: meta(), evaluate: () => [] });
const leakyCheck = defineCheck({
  id: 'test/leaky',
  target: 'container',
  meta: meta({ messages: { bad: 'found DB_PASSWORD=hunter2 in {{name}}' } }),
  evaluate: ({ container }) => [
    {
      messageId: 'bad',
      data: { name: container.name },
      evidence: { source: 'container inspect', path: 'Config.Labels', observed: { api_token: 's3cr3t', plain: 'ok' } },
    },
  ],
});

function input(over: Partial<WorkloadInput<'container'>> = {}): WorkloadInput<'container'> {
  return {
    workloadId: 'container:host/web-1',
    identity: 'docker:host/web-1',
    name: 'web-1',
    target: 'container',
    subject: containerSubject({ container: { name: 'web-1', capAdd: ['SYS_ADMIN', 'NET_ADMIN'] } }),
    ...over,
  };
}

describe('src/scan/evaluate', () => {
  it('turns each violation into a failing finding with a stable fingerprint', () => {
    const policy = policyOf([capCheck]);

    const findings = evaluateWorkload(input(), policy, NOW);

    expect(findings.map((f) => [f.status, f.key, f.message])).toEqual([
      ['fail', 'SYS_ADMIN', 'Container web-1 has SYS_ADMIN.'],
      ['fail', 'NET_ADMIN', 'Container web-1 has NET_ADMIN.'],
    ]);
    expect(findings[0]?.fingerprint).toBe(fingerprint('test/no-caps', 'docker:host/web-1', 'SYS_ADMIN'));
    expect(findings[0]?.fingerprint).not.toBe(findings[1]?.fingerprint);
  });

  it('reports pass, not-applicable and a crashing check as findings, never dropping one', () => {
    const policy = policyOf([capCheck, naCheck, crashCheck, engineCheck]);

    const findings = evaluateWorkload(input({ subject: containerSubject({ container: { capAdd: [] } }) }), policy, NOW);

    expect(findings.map((f) => [f.checkId, f.status])).toEqual([
      ['test/no-caps', 'pass'],
      ['test/not-here', 'not-applicable'],
      ['test/crash', 'error'],
    ]);
    expect(findings[1]?.reason).toBe('no AppArmor on this host');
    expect(findings[2]?.reason).toMatch(/check test\/crash failed: boom/);
  });

  it('turns every check into an error finding when facts could not be gathered', () => {
    const policy = policyOf([capCheck, naCheck]);

    const findings = evaluateWorkload(input({ subject: undefined, error: 'inspect: 404 no such container' }), policy, NOW);

    expect(findings.map((f) => f.status)).toEqual(['error', 'error']);
    expect(findings[0]?.reason).toBe('inspect: 404 no such container');
  });

  it('skips checks the policy disables and applies severity overrides', () => {
    const policy = policyOf([capCheck, naCheck], {
      checks: { 'test/not-here': { enabled: false }, 'test/no-caps': { severity: 'low' } },
    });

    const findings = evaluateWorkload(input(), policy, NOW);

    expect(findings.map((f) => [f.checkId, f.severity])).toEqual([
      ['test/no-caps', 'low'],
      ['test/no-caps', 'low'],
    ]);
  });

  it.each([
    ['a matching waiver', { check: 'test/no-caps', workload: 'web-*', key: 'SYS_ADMIN', reason: 'needs mount' }, 'waived'],
    ['a waiver for another workload', { check: 'test/no-caps', workload: 'db-*', reason: 'other' }, 'fail'],
    ['an expired waiver', { check: 'test/no-caps', key: 'SYS_ADMIN', reason: 'old', expires: '2026-11-27' }, 'fail'],
    ['a waiver expiring today', { check: 'test/no-caps', key: 'SYS_ADMIN', reason: 'today', expires: '2026-11-28' }, 'waived'],
  ])('applies %s', (_name, waiver, status) => {
    const policy = policyOf([capCheck], { waivers: [waiver] });

    const findings = evaluateWorkload(input(), policy, NOW);

    expect(findings.find((f) => f.key === 'SYS_ADMIN')?.status).toBe(status);
    expect(findings.find((f) => f.key === 'NET_ADMIN')?.status).toBe('fail');
  });

  it('says when a waiver has expired and keeps the evidence of a waived finding', () => {
    const policy = policyOf([capCheck], {
      waivers: [
        { check: 'test/no-caps', key: 'SYS_ADMIN', reason: 'old', expires: '2026-01-01' },
        { check: 'test/no-caps', key: 'NET_ADMIN', reason: 'vpn sidecar', owner: 'team-net' },
      ],
    });

    const findings = evaluateWorkload(input(), policy, NOW);

    expect(findings[0]?.reason).toMatch(/waiver expired on 2026-01-01/);
    expect(findings[1]?.waiver).toMatchObject({ reason: 'vpn sidecar', owner: 'team-net' });
    expect(findings[1]?.evidence?.observed).toBe('NET_ADMIN');
  });

  it('reports each waiver as active, expired or stale', () => {
    const policy = policyOf([capCheck], {
      waivers: [
        { check: 'test/no-caps', workload: 'nothing-*', reason: 'stale one' },
        { check: 'test/no-caps', key: 'SYS_ADMIN', reason: 'expired one', expires: '2026-01-01' },
        { check: 'test/no-caps', key: 'NET_ADMIN', reason: 'active one', owner: 'team-net' },
      ],
    });

    const findings = evaluateWorkload(input(), policy, NOW);

    expect(waiverStatuses(policy, findings, NOW).map((w) => [w.reason, w.status, w.matched])).toEqual([
      ['stale one', 'stale', 0],
      ['expired one', 'expired', 1],
      ['active one', 'active', 1],
    ]);
  });

  it('redacts secrets in messages and evidence', () => {
    const policy = policyOf([leakyCheck]);

    const findings = evaluateWorkload(input(), policy, NOW);

    const text = JSON.stringify(findings);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(findings[0]?.evidence?.observed).toEqual({ api_token: '[redacted: secret]', plain: 'ok' });
  });
});
