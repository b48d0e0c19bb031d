import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from '../../src/errors.js';
import type { Finding } from '../../src/model/report.js';
import {
  compareToBaseline,
  gateFindings,
  gateWithBaseline,
  parseBaseline,
  readBaseline,
  type BaselineDiff,
} from '../../src/scan/baseline.js';
import { loadScan, repoRoot, scanWithFailedTarget } from '../reporters/fixture.js';

const WEB = 'container:docker-host-1/shop-web-1';
const LEGACY = 'container:docker-host-1/legacy-admin';

function fixturePath(name: string): string {
  return path.join('fixtures/reports', name);
}

function loadBaseline(name: string): unknown {
  return JSON.parse(readFileSync(path.join(repoRoot, fixturePath(name)), 'utf8')) as unknown;
}

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.checkId} ${f.workloadId}`);
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('src/scan/baseline', () => {
  describe('compareToBaseline', () => {
    it('finds nothing new or fixed against a baseline of the same findings', () => {
      const current = loadScan();
      const baseline = loadBaseline('baseline-unchanged.json');

      const diff = compareToBaseline(current, baseline, 'baseline-unchanged.json');

      expect(diff.newFindings).toEqual([]);
      expect(diff.fixedFindings).toEqual([]);
      expect(diff.notEvaluated).toEqual([]);
      expect(diff.unchanged).toHaveLength(current.findings.filter((f) => f.status === 'fail' || f.status === 'waived').length);
      expect(diff.unchanged.every((u) => u.change === undefined)).toBe(true);
    });

    it('lists findings new since the baseline', () => {
      const diff = compareToBaseline(loadScan(), loadBaseline('baseline-previous.json'));

      expect(ids(diff.newFindings)).toEqual([`docker/pids-limited ${LEGACY}`, `docker/no-docker-socket-mount ${WEB}`]);
    });

    it('lists findings fixed since the baseline, a removed container among them', () => {
      const diff = compareToBaseline(loadScan(), loadBaseline('baseline-previous.json'));

      expect(ids(diff.fixedFindings)).toEqual([
        'docker/no-privileged container:docker-host-1/old-worker',
        `docker/no-new-privileges ${WEB}`,
      ]);
    });

    it('notes an unchanged finding that is waived now, or whose waiver lapsed', () => {
      const diff = compareToBaseline(loadScan(), loadBaseline('baseline-previous.json'));

      const changes = diff.unchanged.map((u) => [u.finding.checkId, u.finding.workloadId, u.baselineStatus, u.finding.status, u.change ?? '-']);

      expect(changes).toEqual([
        ['docker/no-privileged', LEGACY, 'fail', 'fail', '-'],
        ['docker/capabilities-dropped', LEGACY, 'waived', 'fail', 'waiver-lapsed'],
        ['docker/memory-limited', WEB, 'fail', 'fail', '-'],
        ['docker/read-only-rootfs', WEB, 'fail', 'waived', 'now-waived'],
        ['docker/swarm-mode-disabled', 'engine:docker-host-1', 'fail', 'fail', '-'],
      ]);
    });

    it('does not call fixed what the current scan could not evaluate', () => {
      const diff = compareToBaseline(loadScan(), loadBaseline('baseline-previous.json'));

      const notEvaluated = diff.notEvaluated.map((n) => [n.finding.checkId, n.finding.workloadId, n.reason]);

      expect(notEvaluated).toEqual([
        ['docker/memory-limited', 'container:docker-host-1/cache', 'workload-error'],
        ['docker/healthcheck-configured', WEB, 'check-error'],
        ['docker/no-privileged', 'container:tcp-127.0.0.1-2376/api', 'workload-not-scanned'],
      ]);
    });

    it('blames an engine that could not be reached for its containers', () => {
      const diff = compareToBaseline(scanWithFailedTarget(), loadBaseline('baseline-previous.json'));

      const api = diff.notEvaluated.find((n) => n.finding.workloadId === 'container:tcp-127.0.0.1-2376/api');

      expect(api?.reason).toBe('workload-error');
    });

    it('does not call fixed a finding of a check the current policy no longer runs', () => {
      const current = loadScan();
      current.rules = current.rules.filter((r) => r.id !== 'docker/no-new-privileges');

      const diff = compareToBaseline(current, loadBaseline('baseline-previous.json'));

      expect(ids(diff.fixedFindings)).toEqual(['docker/no-privileged container:docker-host-1/old-worker']);
      expect(diff.notEvaluated.find((n) => n.finding.checkId === 'docker/no-new-privileges')?.reason).toBe('check-not-run');
    });

    it.each([
      ['error', 'not-applicable'],
      ['pass', 'error'],
    ] as const)('ignores %s and %s findings on either side', (before, now) => {
      const current = loadScan();
      const baseline = loadBaseline('baseline-unchanged.json') as { findings: Finding[] };
      const target = current.findings.find((f) => f.checkId === 'docker/pids-limited' && f.workloadId === LEGACY);
      const old = baseline.findings.find((f) => f.fingerprint === target?.fingerprint);
      if (!target || !old) throw new Error('fixture changed');
      target.status = now;
      old.status = before;

      const diff = compareToBaseline(current, baseline);

      expect(ids(diff.newFindings)).toEqual([]);
      expect(ids(diff.fixedFindings)).toEqual([]);
      expect(diff.unchanged.map((u) => u.finding.fingerprint)).not.toContain(target.fingerprint);
    });

    it('matches on the fingerprint, not on names or messages', () => {
      const current = loadScan();
      const baseline = loadBaseline('baseline-unchanged.json') as { findings: Finding[] };
      for (const f of baseline.findings) f.message = `${f.message} (old wording)`;

      const diff = compareToBaseline(current, baseline);

      expect(diff.newFindings).toEqual([]);
      expect(diff.fixedFindings).toEqual([]);
    });

    it('accepts what readBaseline returned', () => {
      const report = readBaseline(path.join(repoRoot, fixturePath('baseline-previous.json')));

      const diff = compareToBaseline(loadScan(), report, report.source);

      expect(diff.source).toBe(report.source);
      expect(diff.newFindings).toHaveLength(2);
    });
  });

  describe('gateWithBaseline', () => {
    function diffWith(name: string, failOn: 'critical' | 'high' | 'low' | 'none', minScore: number | null): [ReturnType<typeof loadScan>, BaselineDiff] {
      const current = loadScan();
      current.gate = { ...current.gate, failOn, minScore };
      return [current, compareToBaseline(current, loadBaseline(name), name)];
    }

    it('fails only on new failing findings at or above fail-on', () => {
      const [current, diff] = diffWith('baseline-previous.json', 'high', null);

      const gate = gateWithBaseline(current, diff);

      expect(gate).toEqual({
        passed: false,
        failOn: 'high',
        minScore: null,
        reasons: ['1 failing finding(s) at or above high new since baseline baseline-previous.json (1 critical)'],
        baseline: 'baseline-previous.json',
      });
    });

    it('passes when every failing finding was in the baseline', () => {
      const [current, diff] = diffWith('baseline-unchanged.json', 'low', null);

      const gate = gateWithBaseline(current, diff);

      expect(current.gate.passed).toBe(false);
      expect(gate).toEqual({ passed: true, failOn: 'low', minScore: null, reasons: [], baseline: 'baseline-unchanged.json' });
    });

    it('counts a finding whose waiver lapsed since the baseline', () => {
      const [current, diff] = diffWith('baseline-previous.json', 'low', null);

      const gate = gateWithBaseline(current, diff);

      expect(ids(gateFindings(diff))).toEqual([
        `docker/pids-limited ${LEGACY}`,
        `docker/capabilities-dropped ${LEGACY}`,
        `docker/no-docker-socket-mount ${WEB}`,
      ]);
      expect(gate.reasons).toEqual([
        '3 failing finding(s) at or above low new since baseline baseline-previous.json (1 critical, 1 medium, 1 low)',
      ]);
    });

    it('does not count a new finding that is waived', () => {
      const current = loadScan();
      current.gate = { ...current.gate, failOn: 'critical', minScore: null };
      const socket = current.findings.find((f) => f.checkId === 'docker/no-docker-socket-mount' && f.workloadId === WEB);
      if (!socket) throw new Error('fixture changed');
      socket.status = 'waived';
      const diff = compareToBaseline(current, loadBaseline('baseline-previous.json'));

      const gate = gateWithBaseline(current, diff);

      expect(ids(diff.newFindings)).toContain(`docker/no-docker-socket-mount ${WEB}`);
      expect(gate.passed).toBe(true);
    });

    it('judges --min-score on the current scores as without a baseline', () => {
      const [current, diff] = diffWith('baseline-unchanged.json', 'high', 60);

      const gate = gateWithBaseline(current, diff);

      expect(gate).toEqual({
        passed: false,
        failOn: 'high',
        minScore: 60,
        reasons: ['engine docker-host-1 scores 0 < 60'],
        baseline: 'baseline-unchanged.json',
      });
    });

    it('passes with fail-on none whatever is new', () => {
      const [current, diff] = diffWith('baseline-previous.json', 'none', null);

      const gate = gateWithBaseline(current, diff);

      expect(gate.passed).toBe(true);
    });
  });

  describe('validation', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'palisade-baseline-'));
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function bent(change: (report: Record<string, unknown> & { findings: Record<string, unknown>[] }) => void): unknown {
      const report = loadBaseline('baseline-previous.json') as Record<string, unknown> & { findings: Record<string, unknown>[] };
      change(report);
      return report;
    }

    it.each([
      ['a SARIF log', { version: '2.1.0', runs: [] }, 'it is a SARIF log'],
      ['an array', [], 'does not hold a JSON object'],
      ['a scan result without schemaVersion', loadScan(), 'it has no schemaVersion'],
      ['another tool', bent((r) => (r['tool'] = { name: 'trivy', version: '1' })), 'tool.name is not "palisade"'],
      ['findings that are not a list', bent((r) => ((r as Record<string, unknown>)['findings'] = 'none')), 'findings is not an array'],
      ['a finding without fingerprint', bent((r) => delete r.findings[2]!['fingerprint']), 'findings[2].fingerprint is not a non-empty string'],
      ['an unknown status', bent((r) => (r.findings[0]!['status'] = 'broken')), 'findings[0].status is "broken", not one of fail, error, waived, not-applicable, pass'],
      ['an unknown severity', bent((r) => (r.findings[1]!['severity'] = 'urgent')), 'findings[1].severity is "urgent"'],
      ['a workload without id', bent((r) => ((r['workloads'] as Record<string, unknown>[])[0] = {})), 'workloads[0].id is not a non-empty string'],
    ])('rejects %s, naming the file', (_name, value, why) => {
      const error = usageError(() => parseBaseline(value, 'ci/previous.json'));

      expect(error.message).toContain('baseline ci/previous.json is not a palisade JSON report');
      expect(error.message).toContain(why);
      expect(error.message).toContain('--format json=ci/previous.json');
    });

    it('rejects another schema version, naming the file and the version it reads', () => {
      const value = bent((r) => (r['schemaVersion'] = 2));

      const error = usageError(() => compareToBaseline(loadScan(), value, 'ci/previous.json'));

      expect(error.message).toBe(
        'baseline ci/previous.json is a palisade JSON report of schema version 2; this palisade reads version 1. Write the baseline again with this palisade.',
      );
    });

    it('accepts a report with fields this version does not know', () => {
      const value = bent((r) => {
        r['baseline'] = { new: 3 };
        r.findings[0]!['future'] = true;
      });

      const report = parseBaseline(value, 'ci/previous.json');

      expect(report.findings).toHaveLength(10);
    });

    it('reads a report file', () => {
      const file = path.join(repoRoot, fixturePath('baseline-previous.json'));

      const report = readBaseline(file);

      expect(report).toMatchObject({ source: file, schemaVersion: 1, tool: { name: 'palisade', version: '0.1.0' }, finishedAt: '2026-11-21T12:00:02.377Z' });
      expect(report.workloads).toContainEqual({ id: 'container:tcp-127.0.0.1-2376/api', parent: 'engine:tcp-127.0.0.1-2376' });
    });

    it.each([
      ['missing.json', undefined, 'cannot read baseline {file}: no such file'],
      ['truncated.json', '{"schemaVersion": 1, "findings": [', 'baseline {file} is not a palisade JSON report: it is not JSON'],
      ['table.txt', 'WORKLOAD  SCORE\n', 'baseline {file} is not a palisade JSON report: it is not JSON'],
    ])('rejects %s with an error naming it', (name, content, message) => {
      const file = path.join(dir, name);
      if (content !== undefined) writeFileSync(file, content);

      const error = usageError(() => readBaseline(file));

      expect(error.message).toContain(message.replace('{file}', file));
    });
  });
});
