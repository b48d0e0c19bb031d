// Synthetic scans for the HTML report, serve and their benchmark: an estate
// of N workloads with M findings each, a hostile workload whose every string
// tries to break out of HTML, and a trend over several recorded scans.
import type { WorkloadTrendPoint } from '../../src/history/types.js';
import { LAYERS, SEVERITIES, type Layer } from '../../src/model/check.js';
import type { Finding, FindingStatus, LayerScore, ScanResult, Workload } from '../../src/model/report.js';

export const HOSTILE_NAME = `<script>alert("x")</script>' onmouseover="alert(1)" javascript:alert(2) &amp; <img src=x>`;

function counts(partial: Partial<Record<FindingStatus, number>> = {}): Record<FindingStatus, number> {
  return { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0, ...partial };
}

/** Layers of workload `i`: the first `holding` hold, one fails, the rest are not applicable. */
function layers(holding: number): LayerScore[] {
  return LAYERS.map((layer, n): LayerScore => {
    if (n < holding) return { layer, score: 100, holds: true, counts: counts({ pass: 2 }), criticalFailure: false };
    if (n === holding) return { layer, score: 40, holds: false, counts: counts({ fail: 1, pass: 1 }), criticalFailure: false };
    return { layer, score: null, holds: null, counts: counts({ 'not-applicable': 1 }), criticalFailure: false };
  });
}

export function workload(i: number, holding: number, name = `app-${i}`): Workload {
  const ls = layers(holding);
  return {
    id: `container:engine-1/${name}`,
    kind: 'container',
    name,
    labels: { 'com.example.team': `team-${i % 7}` },
    parent: 'engine:engine-1',
    identity: `docker:engine-1/${name}`,
    score: 50 + (i % 50),
    depth: { holding, applicable: ls.filter((l) => l.holds !== null).length },
    layers: ls,
    location: { uri: `.palisade/docker/engine-1/containers/${name}`, startLine: 1, synthetic: true },
    image: `registry.example/${name}:1`,
  };
}

export function finding(w: Workload, n: number, status: FindingStatus = 'fail'): Finding {
  const layer = LAYERS[n % LAYERS.length] as Layer;
  return {
    checkId: `docker/check-${n % 40}`,
    workloadId: w.id,
    status,
    severity: SEVERITIES[n % SEVERITIES.length] ?? 'low',
    layer,
    title: `Check ${n % 40} holds`,
    message: `Container ${w.name} violates check ${n} (key ${n}).`,
    remediation: 'Run the container with `--read-only` and mount a `--tmpfs /tmp`; in Compose set `read_only: true`.',
    references: ['cis-docker-1.6.0:5.12', 'cwe:732'],
    fingerprint: `${w.identity}#${n}`,
    key: String(n),
  };
}

/** An estate of `size` workloads with `perWorkload` failing findings each. */
export function estateScan(size: number, perWorkload: number, startedAt = '2026-11-28T12:00:00.000Z'): ScanResult {
  const workloads = Array.from({ length: size }, (_, i) => workload(i, i % 6));
  const findings = workloads.flatMap((w) => Array.from({ length: perWorkload }, (_, n) => finding(w, n)));
  return {
    tool: { name: 'palisade', version: '0.1.0' },
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    policy: { name: 'default', source: 'builtin:default' },
    targets: [{ target: 'unix:///var/run/docker.sock', kind: 'docker', status: 'ok', workloads: size, durationMs: 2300 }],
    workloads,
    findings,
    summary: counts({ fail: findings.length }),
    gate: { passed: false, failOn: 'high', minScore: null, reasons: [`${findings.length} failing finding(s) at or above high`] },
    incomplete: false,
    rules: [],
    waivers: [],
    options: { includePassed: false },
  };
}

/**
 * Three workloads (one hostile, holding 3 layers; one holding 5; one with
 * a waived finding), a target in error and waivers expiring in 3, 13 and
 * 40 days after the scan.
 */
export function smallEstate(): ScanResult {
  const scan = estateScan(0, 0);
  const hostile = workload(0, 3, HOSTILE_NAME);
  const web = workload(1, 5, 'web');
  const db = workload(2, 1, 'db');
  scan.workloads = [hostile, web, db];
  const waived: Finding = {
    ...finding(db, 7, 'waived'),
    waiver: { reason: 'Legacy <b>image</b>', owner: 'platform-team', expires: '2026-12-01', source: 'policy.yaml:18' },
  };
  scan.findings = [finding(hostile, 0), finding(hostile, 1), finding(web, 2), waived];
  scan.findings[0] = { ...(scan.findings[0] as Finding), message: `Name ${HOSTILE_NAME} is bad`, title: HOSTILE_NAME };
  scan.summary = counts({ fail: 3, waived: 1 });
  scan.targets.push({ target: 'tcp://127.0.0.1:2376', kind: 'docker', status: 'error', error: `refused <${HOSTILE_NAME}>`, workloads: 0, durationMs: 5 });
  scan.incomplete = true;
  const waiver = (check: string, expires: string) =>
    ({ check, source: 'policy.yaml:18', reason: `reason for ${check}`, owner: 'platform-team', expires, status: 'active', matched: 1 }) as const;
  scan.waivers = [waiver('docker/check-7', '2026-12-01'), waiver('docker/check-8', '2026-12-11'), waiver('docker/check-9', '2027-01-07')];
  return scan;
}

/** `scans` recorded scans of the estate, a day apart, ending at the scan; each workload one point per scan. */
export function trendFor(scan: ScanResult, scans: number): WorkloadTrendPoint[] {
  const end = Date.parse(scan.startedAt);
  const out: WorkloadTrendPoint[] = [];
  for (let s = 0; s < scans; s++) {
    const at = new Date(end - (scans - 1 - s) * 86_400_000).toISOString();
    for (const w of scan.workloads) {
      const drift = scans - 1 - s;
      const holding = Math.max(0, w.depth.holding - (drift % 2));
      out.push({
        identity: w.identity,
        kind: w.kind,
        name: w.name,
        scanId: `scan-${s + 1}`,
        at,
        score: w.score === null ? null : Math.max(0, w.score - drift * 3),
        depth: { holding, applicable: w.depth.applicable },
        holdingLayers: LAYERS.slice(0, holding),
      });
    }
  }
  return out;
}
