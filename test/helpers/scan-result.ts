// Synthetic ScanResults of any size for the history store's tests and benchmarks:
// engines with containers, realistic findings (the real rule catalogue), waivers.
import { checks } from '../../checks/index.js';
import { LAYERS } from '../../src/model/check.js';
import type { Finding, FindingStatus, LayerScore, ScanResult, Workload } from '../../src/model/report.js';

export interface SyntheticScan {
  workloads: number;
  findingsPerWorkload: number;
  /** Varies statuses and scores between scans. */
  seed?: number;
  startedAt?: string;
  /** Containers per engine (default 20). */
  containersPerEngine?: number;
  /** Container-id suffix: changes the per-scan workload id (as re-creation does), never the identity. */
  generation?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const counts = (): Record<FindingStatus, number> => ({ pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 });

export function syntheticScan(spec: SyntheticScan): ScanResult {
  const random = rng(spec.seed ?? 1);
  const perEngine = spec.containersPerEngine ?? 20;
  const gen = spec.generation ?? 0;
  const rules = checks.slice(0, Math.max(1, Math.min(checks.length, spec.findingsPerWorkload))).map((c) => ({ id: c.id, meta: c.meta }));
  const workloads: Workload[] = [];
  const findings: Finding[] = [];
  const summary = counts();
  let engine = '';
  let engineId = '';
  for (let i = 0; i < spec.workloads; i++) {
    const isEngine = i % (perEngine + 1) === 0;
    if (isEngine) {
      engine = `engine-${i / (perEngine + 1)}`;
      engineId = `engine:${engine}`;
    }
    const name = isEngine ? engine : `app-${i}`;
    const id = isEngine ? engineId : `container:${engine}/${name}${gen > 0 ? `-${gen}` : ''}`;
    const identity = isEngine ? `docker-engine:${engine}` : `docker:${engine}/compose/shop/${name}/1`;
    const layers: LayerScore[] = LAYERS.map((layer) => {
      const score = Math.round(random() * 100);
      return { layer, score, holds: score >= 50, counts: counts(), criticalFailure: false };
    });
    const holding = layers.filter((l) => l.holds).length;
    const score = Math.round(layers.reduce((s, l) => s + (l.score ?? 0), 0) / layers.length);
    const w: Workload = {
      id,
      kind: isEngine ? 'engine' : 'container',
      name,
      labels: isEngine ? {} : { 'com.docker.compose.service': name },
      identity,
      score,
      depth: { holding, applicable: LAYERS.length },
      layers,
      location: { uri: `compose/${name}.yaml`, startLine: 1 + (i % 40), synthetic: isEngine },
    };
    if (!isEngine) {
      w.parent = engineId;
      w.image = `registry.example/shop/${name}:1.${i % 7}`;
      w.effective = { score: Math.max(0, score - 5), depth: { holding: Math.max(0, holding - 1), applicable: LAYERS.length }, chain: [engineId] };
    }
    workloads.push(w);
    for (let k = 0; k < spec.findingsPerWorkload; k++) {
      const rule = rules[k % rules.length];
      if (!rule) continue;
      const r = random();
      const status: FindingStatus = r < 0.3 ? 'fail' : r < 0.35 ? 'waived' : r < 0.45 ? 'not-applicable' : 'pass';
      summary[status]++;
      const f: Finding = {
        checkId: rule.id,
        workloadId: id,
        status,
        severity: rule.meta.severity,
        layer: rule.meta.layer,
        title: rule.meta.title,
        message: `${rule.meta.title} (${name}, violation ${k})`,
        remediation: rule.meta.remediation,
        references: rule.meta.references,
        fingerprint: `${rule.id}/${identity}/${k}`,
        key: String(k),
        evidence: { source: 'container inspect', path: `HostConfig.Field${k}`, observed: r < 0.5, expected: true },
      };
      if (status === 'waived') f.waiver = { reason: 'accepted until the rebuild', owner: 'team-shop', expires: '2027-01-31', source: 'policy.yaml:12' };
      if (status === 'not-applicable') f.reason = 'not a container with a user namespace';
      findings.push(f);
    }
  }
  const startedAt = spec.startedAt ?? '2026-11-01T00:00:00.000Z';
  return {
    tool: { name: 'palisade', version: '0.1.0' },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 4321).toISOString(),
    policy: { name: 'default', source: 'builtin:default' },
    targets: [
      { target: 'unix:///var/run/docker.sock', kind: 'docker', status: 'ok', workloads: spec.workloads, durationMs: 812 },
      { target: 'ssh://ops@10.0.0.9:22', kind: 'ssh', status: 'error', error: 'connect ETIMEDOUT', workloads: 0, durationMs: 3000.5 },
    ],
    workloads,
    findings,
    summary,
    gate: { passed: summary.fail === 0, failOn: 'high', minScore: null, reasons: summary.fail === 0 ? [] : [`${summary.fail} failing finding(s)`] },
    incomplete: true,
    rules,
    waivers: [{ check: rules[0]?.id ?? 'x', source: 'policy.yaml:12', reason: 'accepted until the rebuild', owner: 'team-shop', expires: '2027-01-31', status: 'active', matched: summary.waived }],
    options: { includePassed: true },
  };
}
