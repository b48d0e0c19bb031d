import { describe, expect, it } from 'vitest';

import type { Layer, Severity } from '../../src/model/check.js';
import type { Finding, FindingStatus, Workload } from '../../src/model/report.js';
import { evaluateGate, scoreWorkload } from '../../src/scoring/score.js';
import { policyOf } from '../helpers/policy.js';

function finding(checkId: string, layer: Layer, severity: Severity, status: FindingStatus): Finding {
  return {
    checkId,
    workloadId: 'w',
    status,
    severity,
    layer,
    title: checkId,
    message: checkId,
    remediation: 'fix',
    references: [],
    fingerprint: checkId,
  };
}

const policy = policyOf([]);

describe('src/scoring/score', () => {
  it('scores a layer as the severity-weighted share of passing checks', () => {
    const findings = [
      finding('a', 'isolation', 'high', 'pass'), // 6
      finding('b', 'isolation', 'medium', 'fail'), // 3
      finding('c', 'isolation', 'low', 'pass'), // 1
    ];

    const result = scoreWorkload(findings, policy);

    const isolation = result.layers.find((l) => l.layer === 'isolation');
    expect(isolation?.score).toBe(70);
    expect(isolation?.holds).toBe(false);
    expect(isolation?.counts).toMatchObject({ pass: 2, fail: 1 });
  });

  it('leaves waived, not-applicable and error checks out of the score but counts them', () => {
    const findings = [
      finding('a', 'access', 'high', 'pass'),
      finding('b', 'access', 'critical', 'waived'),
      finding('c', 'access', 'high', 'not-applicable'),
      finding('d', 'access', 'high', 'error'),
    ];

    const result = scoreWorkload(findings, policy);

    const access = result.layers.find((l) => l.layer === 'access');
    expect(access).toMatchObject({ score: 100, holds: true, counts: { pass: 1, waived: 1, 'not-applicable': 1, error: 1 } });
  });

  it('does not let a layer with a critical failure hold, whatever its score', () => {
    const findings = [
      ...Array.from({ length: 20 }, (_, i) => finding(`p${i}`, 'isolation', 'critical', 'pass')),
      finding('x', 'isolation', 'critical', 'fail'),
    ];

    const result = scoreWorkload(findings, policy);

    expect(result.layers.find((l) => l.layer === 'isolation')).toMatchObject({ score: 95.2, holds: false, criticalFailure: true });
  });

  it('counts a check once, failing if any of its findings fails', () => {
    const findings = [finding('caps', 'least-privilege', 'high', 'fail'), finding('caps', 'least-privilege', 'high', 'waived')];

    const result = scoreWorkload(findings, policy);

    expect(result.layers.find((l) => l.layer === 'least-privilege')).toMatchObject({ score: 0, counts: { fail: 1, waived: 0 } });
  });

  it('computes the overall score as the layer-weighted mean and depth as holding/applicable', () => {
    const findings = [
      finding('a', 'isolation', 'high', 'pass'), // isolation 100, weight 3
      finding('b', 'patching', 'high', 'fail'), // patching 0, weight 3
      finding('c', 'immutability', 'medium', 'pass'), // immutability 100, weight 1
      finding('d', 'confinement', 'high', 'not-applicable'), // not applicable
    ];

    const result = scoreWorkload(findings, policy);

    expect(result.score).toBe(57.1);
    expect(result.depth).toEqual({ holding: 2, applicable: 3 });
    expect(result.layers.find((l) => l.layer === 'confinement')).toMatchObject({ score: null, holds: null });
  });

  it('gives no score to a workload where nothing applied', () => {
    const result = scoreWorkload([finding('a', 'isolation', 'high', 'error')], policy);

    expect(result.score).toBeNull();
    expect(result.depth).toEqual({ holding: 0, applicable: 0 });
  });

  it('respects per-layer thresholds from the policy', () => {
    const lenient = policyOf([], { layers: { thresholds: { isolation: 60 } } });
    const findings = [finding('a', 'isolation', 'high', 'pass'), finding('b', 'isolation', 'medium', 'fail'), finding('c', 'isolation', 'low', 'pass')];

    const result = scoreWorkload(findings, lenient);

    expect(result.layers.find((l) => l.layer === 'isolation')?.holds).toBe(true);
  });
});

describe('src/scoring/score evaluateGate', () => {
  const workload = (name: string, score: number | null): Workload => ({
    id: name,
    kind: 'container',
    name,
    labels: {},
    identity: name,
    score,
    depth: { holding: 0, applicable: 0 },
    layers: [],
    location: { uri: 'x', startLine: 1, synthetic: true },
  });

  it.each([
    ['high', [finding('a', 'isolation', 'medium', 'fail')], true],
    ['medium', [finding('a', 'isolation', 'medium', 'fail')], false],
    ['critical', [finding('a', 'isolation', 'critical', 'waived')], true],
    ['none', [finding('a', 'isolation', 'critical', 'fail')], true],
  ] as const)('with failOn %s decides %j -> passed=%s', (failOn, findings, passed) => {
    const gate = evaluateGate([], findings, { failOn, minScore: null });

    expect(gate.passed).toBe(passed);
  });

  it('fails on a workload under the minimum score and says which', () => {
    const gate = evaluateGate([workload('web', 42), workload('db', 90), workload('idle', null)], [], { failOn: 'none', minScore: 50 });

    expect(gate).toMatchObject({ passed: false, reasons: ['container web scores 42 < 50'] });
  });
});

describe('docs/scoring.md worked example', () => {
  it('gives 73.3 and depth 3/5', () => {
    const findings = [
      finding('i1', 'isolation', 'high', 'pass'),
      finding('i2', 'isolation', 'high', 'pass'),
      finding('i3', 'isolation', 'critical', 'pass'),
      finding('i4', 'isolation', 'medium', 'pass'),
      finding('l1', 'least-privilege', 'high', 'fail'),
      finding('l2', 'least-privilege', 'medium', 'pass'),
      finding('l3', 'least-privilege', 'low', 'fail'),
      finding('c1', 'confinement', 'high', 'pass'),
      finding('c2', 'confinement', 'medium', 'not-applicable'),
      finding('m1', 'immutability', 'medium', 'fail'),
      finding('r1', 'resource-limits', 'medium', 'pass'),
      finding('r2', 'resource-limits', 'low', 'pass'),
      finding('r3', 'resource-limits', 'medium', 'waived'),
    ];

    const result = scoreWorkload(findings, policy);

    expect(result.layers.find((l) => l.layer === 'least-privilege')?.score).toBe(30);
    expect(result.score).toBe(73.3);
    expect(result.depth).toEqual({ holding: 3, applicable: 5 });
  });
});
