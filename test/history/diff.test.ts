import { describe, expect, it } from 'vitest';

import { diffScans } from '../../src/history/diff.js';
import type { Finding, LayerScore, ScanResult, Workload } from '../../src/model/report.js';

const counts = { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };

function layer(name: LayerScore['layer'], holds: boolean | null, score: number | null = holds ? 100 : 0): LayerScore {
  return { layer: name, score, holds, counts, criticalFailure: false };
}

function workload(id: string, identity: string, over: Partial<Workload> = {}): Workload {
  return {
    id,
    kind: 'container',
    name: id.split('/').at(-1) ?? id,
    labels: {},
    identity,
    score: 80,
    depth: { holding: 2, applicable: 3 },
    layers: [layer('isolation', true), layer('least-privilege', true), layer('confinement', false)],
    location: { uri: 'compose.yaml', startLine: 1, synthetic: false },
    ...over,
  };
}

function finding(fingerprint: string, workloadId: string, status: Finding['status'], over: Partial<Finding> = {}): Finding {
  return {
    checkId: fingerprint.split('|')[0] ?? 'docker/x',
    workloadId,
    status,
    severity: 'high',
    layer: 'isolation',
    title: 't',
    message: `${fingerprint} is ${status}`,
    remediation: 'r',
    references: [],
    fingerprint,
    ...over,
  };
}

function scan(workloads: Workload[], findings: Finding[], over: Partial<ScanResult> = {}): ScanResult {
  return {
    tool: { name: 'palisade', version: '0.1.0' },
    startedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: '2026-11-01T00:00:01.000Z',
    policy: { name: 'default', source: 'builtin:default' },
    targets: [],
    workloads,
    findings,
    summary: counts,
    gate: { passed: true, failOn: 'high', minScore: null, reasons: [] },
    incomplete: false,
    rules: [],
    waivers: [],
    options: { includePassed: true },
    ...over,
  };
}

describe('src/history/diff', () => {
  it('matches findings by fingerprint and workloads by identity across re-created containers', () => {
    const a = scan([workload('container:e/web-1', 'docker:e/compose/shop/web/1')], [
      finding('docker/a|web', 'container:e/web-1', 'fail'),
      finding('docker/b|web', 'container:e/web-1', 'fail'),
      finding('docker/c|web', 'container:e/web-1', 'pass'),
      finding('docker/d|web', 'container:e/web-1', 'fail'),
      finding('docker/e|web', 'container:e/web-1', 'fail'),
    ]);
    // Re-created: a new container id, the same identity.
    const b = scan([workload('container:e/web-2', 'docker:e/compose/shop/web/1')], [
      finding('docker/a|web', 'container:e/web-2', 'fail'),
      finding('docker/b|web', 'container:e/web-2', 'pass'),
      finding('docker/c|web', 'container:e/web-2', 'fail'),
      finding('docker/d|web', 'container:e/web-2', 'waived'),
      finding('docker/e|web', 'container:e/web-2', 'error'),
    ], { startedAt: '2026-11-02T00:00:00.000Z' });

    const d = diffScans(a, b);

    expect(d.new.map((f) => [f.fingerprint, f.previousStatus])).toEqual([['docker/c|web', 'pass']]);
    expect(d.fixed.map((f) => f.fingerprint)).toEqual(['docker/b|web']);
    expect(d.unchanged.map((f) => f.fingerprint)).toEqual(['docker/a|web']);
    expect(d.newlyWaived.map((f) => f.fingerprint)).toEqual(['docker/d|web']);
    expect(d.notEvaluated.map((f) => f.fingerprint)).toEqual(['docker/e|web']);
    expect(d.new[0]?.workload).toEqual({ identity: 'docker:e/compose/shop/web/1', kind: 'container', name: 'web-2' });
    expect(d.appeared).toEqual([]);
    expect(d.disappeared).toEqual([]);
    expect(d.regression).toBe(true);
  });

  it('counts a failing finding absent from a scan that listed no passes as fixed', () => {
    const w = workload('container:e/web', 'docker:e/web');
    const a = scan([w], [finding('docker/a|web', w.id, 'fail')]);
    const b = scan([w], [], { options: { includePassed: false } });

    expect(diffScans(a, b).fixed.map((f) => [f.fingerprint, f.status])).toEqual([['docker/a|web', 'pass']]);
  });

  it('reports own and effective score and depth regressions, improvements and lost layers', () => {
    const eff = (score: number, holding: number) => ({ score, depth: { holding, applicable: 5 }, chain: ['engine:e'] });
    const a = scan([
      workload('container:e/web', 'docker:e/web', { effective: eff(70, 4) }),
      workload('container:e/db', 'docker:e/db', { score: 50, depth: { holding: 1, applicable: 3 }, layers: [layer('isolation', true), layer('least-privilege', false), layer('confinement', false)] }),
    ], []);
    const b = scan([
      workload('container:e/web', 'docker:e/web', {
        score: 60,
        depth: { holding: 1, applicable: 3 },
        layers: [layer('isolation', true), layer('least-privilege', false), layer('confinement', false)],
        effective: eff(55, 3),
      }),
      workload('container:e/db', 'docker:e/db', { score: 90, depth: { holding: 3, applicable: 3 }, layers: [layer('isolation', true), layer('least-privilege', true), layer('confinement', true)] }),
    ], []);

    const d = diffScans(a, b);

    expect(d.regressed).toEqual([
      {
        identity: 'docker:e/web', kind: 'container', name: 'web',
        score: { from: 80, to: 60 }, depth: { from: 2, to: 1 },
        effectiveScore: { from: 70, to: 55 }, effectiveDepth: { from: 4, to: 3 },
      },
    ]);
    expect(d.improved).toEqual([{ identity: 'docker:e/db', kind: 'container', name: 'db', score: { from: 50, to: 90 }, depth: { from: 1, to: 3 } }]);
    expect(d.layersLost).toEqual([{ identity: 'docker:e/web', kind: 'container', name: 'web', lost: ['least-privilege'] }]);
    expect(d.regression).toBe(true);
  });

  it('counts a layer as lost when it stops holding because it could not be evaluated', () => {
    const a = scan([workload('host:vm', 'host:vm', { kind: 'host' })], []);
    const b = scan([workload('host:vm', 'host:vm', { kind: 'host', layers: [layer('isolation', null, null), layer('least-privilege', true), layer('confinement', false)] })], []);

    expect(diffScans(a, b).layersLost.map((l) => l.lost)).toEqual([['isolation']]);
  });

  it('lists appeared and disappeared workloads, and waivers that expired since A', () => {
    const waiver = { check: 'docker/a', source: 'policy.yaml:9', reason: 'vendor fix pending', owner: 'ops', expires: '2026-11-01', matched: 2 };
    const a = scan([workload('container:e/old', 'docker:e/old')], [], {
      waivers: [{ ...waiver, status: 'active' }, { ...waiver, check: 'docker/b', status: 'expired' }],
    });
    const b = scan([workload('container:e/new', 'docker:e/new')], [], {
      // The policy file was edited above the waiver: its line moved, it is the same waiver.
      waivers: [{ ...waiver, source: 'policy.yaml:12', status: 'expired' }, { ...waiver, check: 'docker/b', status: 'expired' }],
    });

    const d = diffScans(a, b);

    expect(d.appeared).toEqual([{ identity: 'docker:e/new', kind: 'container', name: 'new' }]);
    expect(d.disappeared).toEqual([{ identity: 'docker:e/old', kind: 'container', name: 'old' }]);
    expect(d.waiversExpired).toEqual([{ check: 'docker/a', source: 'policy.yaml:12', reason: 'vendor fix pending', owner: 'ops', expires: '2026-11-01', matched: 2 }]);
    expect(d.regression).toBe(true);
  });

  it('finds no regression between a scan and itself', () => {
    const w = workload('container:e/web', 'docker:e/web');
    const a = scan([w], [finding('docker/a|web', w.id, 'fail')]);

    const d = diffScans(a, a);

    expect(d).toMatchObject({ new: [], fixed: [], regressed: [], improved: [], layersLost: [], waiversExpired: [], regression: false });
    expect(d.unchanged).toHaveLength(1);
  });
});
