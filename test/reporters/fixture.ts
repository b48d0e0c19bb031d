// Scan results for reporter tests: the mixed fixture (an engine and three
// containers, findings of every status) and scenarios derived from it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Finding, FindingStatus, ScanResult } from '../../src/model/report.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh copy of `fixtures/reports/<name>.json`, so tests can bend it. */
export function loadScan(name = 'mixed-scan'): ScanResult {
  return JSON.parse(readFileSync(path.join(repoRoot, 'fixtures/reports', `${name}.json`), 'utf8')) as ScanResult;
}

export function countByStatus(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };
  for (const f of findings) counts[f.status]++;
  return counts;
}

/** The mixed scan with only its passing findings and no unscanned workload: nothing to report. */
export function cleanScan(): ScanResult {
  const scan = loadScan();
  scan.workloads = scan.workloads.filter((w) => w.error === undefined);
  scan.findings = scan.findings.filter((f) => f.status === 'pass');
  scan.summary = countByStatus(scan.findings);
  scan.gate = { ...scan.gate, passed: true, reasons: [] };
  scan.incomplete = false;
  return scan;
}

/** The mixed scan plus a second engine that could not be reached. */
export function scanWithFailedTarget(): ScanResult {
  const scan = loadScan();
  const error = 'connect ECONNREFUSED 127.0.0.1:2376';
  scan.targets.push({ target: 'tcp://127.0.0.1:2376', kind: 'docker', status: 'error', error, workloads: 0, durationMs: 12 });
  scan.workloads.push({
    id: 'engine:tcp-127.0.0.1-2376',
    kind: 'engine',
    name: 'tcp://127.0.0.1:2376',
    labels: {},
    identity: 'docker-engine:tcp://127.0.0.1:2376',
    score: null,
    depth: { holding: 0, applicable: 0 },
    layers: [],
    location: { uri: '.palisade/docker/tcp-127.0.0.1-2376/engine', startLine: 1, synthetic: true },
    error,
  });
  const swarm = scan.findings.find((f) => f.checkId === 'docker/swarm-mode-disabled');
  if (!swarm) throw new Error('fixture has no docker/swarm-mode-disabled finding');
  scan.findings.push({
    checkId: swarm.checkId,
    workloadId: 'engine:tcp-127.0.0.1-2376',
    status: 'error',
    severity: swarm.severity,
    layer: swarm.layer,
    title: swarm.title,
    message: `Not evaluated: ${error}`,
    remediation: swarm.remediation,
    references: swarm.references,
    fingerprint: '0f6f3c1be0d4f6f1a3c2b9e1d7a5c4e2',
    reason: error,
  });
  scan.summary = countByStatus(scan.findings);
  scan.incomplete = true;
  return scan;
}
