import { describe, expect, it } from 'vitest';

import type { Finding } from '../../src/model/report.js';
import {
  compareFindings,
  formatCounts,
  formatScore,
  pascalCase,
  referenceLabel,
  referenceUrl,
  severityRank,
  worstFailure,
} from '../../src/reporters/format.js';
import { reporters } from '../../src/reporters/index.js';
import { loadScan } from './fixture.js';

function finding(overrides: Partial<Finding>): Finding {
  return {
    checkId: 'docker/no-privileged',
    workloadId: 'container:host/app',
    status: 'fail',
    severity: 'critical',
    layer: 'isolation',
    title: 't',
    message: 'm',
    remediation: 'r',
    references: [],
    fingerprint: 'f',
    ...overrides,
  };
}

describe('src/reporters/format', () => {
  it.each([
    ['critical', 0],
    ['high', 1],
    ['medium', 2],
    ['low', 3],
    ['info', 4],
  ] as const)('ranks %s as %i', (severity, rank) => {
    expect(severityRank(severity)).toBe(rank);
  });

  it.each([
    ['docker/no-privileged', 'DockerNoPrivileged'],
    ['docker/no-host-pid', 'DockerNoHostPid'],
    ['ssh/password-auth-disabled', 'SshPasswordAuthDisabled'],
  ])('names rule %s %s', (id, name) => {
    expect(pascalCase(id)).toBe(name);
  });

  it.each([
    ['https://docs.docker.com/engine/security/', 'https://docs.docker.com/engine/security/', 'https://docs.docker.com/engine/security/'],
    ['cwe:250', 'https://cwe.mitre.org/data/definitions/250.html', 'CWE-250'],
    ['cis-docker-1.6.0:5.4', undefined, 'CIS Docker Benchmark v1.6.0 5.4'],
  ])('links reference %s to %s and labels it %s', (reference, url, label) => {
    expect(referenceUrl(reference)).toBe(url);
    expect(referenceLabel(reference)).toBe(label);
  });

  it.each([
    [null, '-'],
    [0, '0'],
    [65.3, '65'],
    [75.5, '76'],
    [100, '100'],
  ])('shows score %s as %s', (score, text) => {
    expect(formatScore(score)).toBe(text);
  });

  it('orders findings by workload, severity, check id and key', () => {
    const a = finding({ workloadId: 'container:host/a', severity: 'low' });
    const b = finding({ workloadId: 'container:host/b', severity: 'critical' });
    const c = finding({ workloadId: 'container:host/a', severity: 'critical', checkId: 'docker/z' });
    const d = finding({ workloadId: 'container:host/a', severity: 'critical', checkId: 'docker/a', key: 'y' });
    const e = finding({ workloadId: 'container:host/a', severity: 'critical', checkId: 'docker/a', key: 'x' });

    const sorted = [a, b, c, d, e].sort(compareFindings);

    expect(sorted).toEqual([e, d, c, a, b]);
  });

  it('picks the most severe failing finding, ignoring waived ones', () => {
    const findings = [
      finding({ severity: 'critical', status: 'waived' }),
      finding({ severity: 'medium', checkId: 'docker/memory-limited' }),
      finding({ severity: 'high', checkId: 'docker/no-host-pid' }),
      finding({ severity: 'critical', status: 'error', checkId: 'docker/a' }),
    ];

    const worst = worstFailure(findings);

    expect(worst?.checkId).toBe('docker/no-host-pid');
  });

  it('counts statuses in report order', () => {
    expect(formatCounts({ pass: 5, fail: 1, waived: 2, 'not-applicable': 3, error: 4 })).toBe(
      '1 fail, 4 error, 2 waived, 3 not-applicable, 5 pass',
    );
  });
});

describe('src/reporters/index', () => {
  it.each(['table', 'json', 'sarif', 'markdown', 'junit', 'html'] as const)('registers the %s reporter, which ends its output with a newline', (name) => {
    const scan = loadScan();

    const text = reporters[name](scan, { color: false });

    expect(text.endsWith('\n')).toBe(true);
  });

  it('registers exactly table, json, sarif, markdown, junit and html', () => {
    expect(Object.keys(reporters).sort()).toEqual(['html', 'json', 'junit', 'markdown', 'sarif', 'table']);
  });
});
