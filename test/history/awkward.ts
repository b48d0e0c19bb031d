// Scans with everything the store must keep exactly that a synthetic scan
// does not have: text that COPY must escape, findings of a check the rule set
// does not describe or of no workload, titles of their own, passes whose
// message is the title, repeated fingerprints, a workload that failed to scan.
import type { Finding, ScanResult } from '../../src/model/report.js';
import { syntheticScan } from '../helpers/scan-result.js';

export interface Awkward {
  /** Per-finding source locations (schema 3 keeps them; 1 and 2 did not). */
  locations?: boolean;
  /** Layer objects in a shape other than the scorer's (kept as they came). */
  oddLayers?: boolean;
  seed?: number;
  startedAt?: string;
}

export function awkwardScan(spec: Awkward = {}): ScanResult {
  const scan = syntheticScan({ workloads: 8, findingsPerWorkload: 6, seed: spec.seed ?? 3, ...(spec.startedAt ? { startedAt: spec.startedAt } : {}) });
  const [f0, f1, f2, f3, f4] = scan.findings;
  if (!f0 || !f1 || !f2 || !f3 || !f4) throw new Error('syntheticScan gave too few findings');
  f0.title = 'a title of its own';
  f0.message = 'tab\there, line\nbreak, carriage\rreturn, back\\slash, quote " and \\N, ünïcødé ✓';
  f0.evidence = { path: 'Config.Env', source: 'container inspect', observed: { list: ['A=1', 'B=\t2'], nested: { n: null } }, expected: '\\' };
  f1.remediation = 'a remediation of its own';
  f1.references = ['only:this'];
  f2.status = 'pass';
  f2.message = f2.title;
  f3.workloadId = 'target:ssh://ops@10.0.0.9:22';
  const custom: Finding = {
    checkId: 'custom/not-in-the-rule-set',
    workloadId: scan.workloads[1]?.id ?? '',
    status: 'fail',
    severity: 'critical',
    layer: 'isolation',
    title: 'Custom',
    message: 'Custom',
    remediation: '',
    references: [],
    fingerprint: f4.fingerprint,
  };
  scan.findings.push(custom, { ...f4, status: 'error', message: 'Not evaluated: timeout', reason: 'timeout' });
  const broken = scan.workloads[2];
  if (broken) {
    broken.error = 'inspect failed:\tEOF';
    broken.warnings = ['partial', 'tab\tin a warning'];
  }
  if (spec.locations) f1.location = { uri: 'compose.yaml', startLine: 12, synthetic: false };
  const odd = scan.workloads[3];
  if (spec.oddLayers && odd) {
    odd.layers = odd.layers.map((l) => ({ criticalFailure: l.criticalFailure, layer: l.layer, score: l.score, holds: l.holds, counts: l.counts }));
  }
  scan.options = { includePassed: false };
  return scan;
}
