import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from '../../src/errors.js';
import type { ScanResult } from '../../src/model/report.js';
import {
  artifactUri,
  automationId,
  checkSarifCounts,
  checkSarifSize,
  GITHUB_SARIF_LIMITS,
  sarifReportTo,
  toSarif,
  type SarifLog,
} from '../../src/reporters/sarif.js';
import { reporters } from '../../src/reporters/index.js';
import { cleanScan, loadScan, scanWithFailedTarget } from './fixture.js';
import { sarifSchemaValidator } from '../helpers/sarif-schema.js';
import { prepareMultitool, validateSarif, type Multitool } from './multitool.js';

function render(scan: ScanResult, sarifCategory?: string): SarifLog {
  return JSON.parse(reporters.sarif(scan, { color: false, sarifCategory })) as SarifLog;
}

function run(log: SarifLog): SarifLog['runs'][0] {
  return log.runs[0];
}

describe('src/reporters/sarif', () => {
  let validateSchema: ValidateFunction;
  let multitool: Multitool;
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'palisade-sarif-'));
    validateSchema = sarifSchemaValidator();
    multitool = prepareMultitool(workDir);
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  function multitoolErrors(log: SarifLog | string, name: string): string[] {
    const file = path.join(workDir, `${name}.sarif`);
    writeFileSync(file, typeof log === 'string' ? log : JSON.stringify(log, null, 2));

    return validateSarif(multitool, file).map((i) => `${i.ruleId}: ${i.text}`);
  }

  it.each([
    ['mixed scan', loadScan],
    ['clean scan', cleanScan],
    ['scan with a failed target', scanWithFailedTarget],
  ])('produces a %s that matches the SARIF 2.1.0 schema', (_name, scan) => {
    const log = render(scan());

    const valid = validateSchema(log);

    expect(validateSchema.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ['mixed', loadScan],
    ['clean', cleanScan],
    ['failed-target', scanWithFailedTarget],
  ])('passes the Multitool with the GitHub upload rules (%s scan)', (name, scan) => {
    const text = reporters.sarif(scan(), { color: false });

    const errors = multitoolErrors(text, name);

    expect(errors).toEqual([]);
  });

  it('has a Multitool run that reports GitHub rule violations', () => {
    // A log GitHub rejects: a web URL as location, no region, an absolute file URI.
    const log = render(loadScan());
    const [first, second] = run(log).results;
    if (!first || !second) throw new Error('fixture has fewer than two results');
    first.locations[0]!.physicalLocation.artifactLocation.uri = 'https://example.invalid/compose.yaml';
    delete (second.locations[0]!.physicalLocation as { region?: unknown }).region;

    const errors = multitoolErrors(log, 'broken');

    expect(errors.map((e) => e.split(':')[0])).toEqual(expect.arrayContaining(['GH1003', 'GH1005']));
  });

  it('declares palisade as the driver with every rule that ran', () => {
    const scan = loadScan();

    const driver = run(render(scan)).tool.driver;

    expect(driver).toMatchObject({
      name: 'palisade',
      version: '0.1.0',
      semanticVersion: '0.1.0',
      informationUri: 'https://github.com/palisade-scanner/palisade',
    });
    expect(driver.rules.map((r) => r.id)).toEqual(scan.rules.map((r) => r.id).sort());
  });

  it('describes a rule from the check metadata', () => {
    const rules = run(render(loadScan())).tool.driver.rules;

    const rule = rules.find((r) => r.id === 'docker/no-privileged');

    expect(rule).toMatchObject({
      name: 'DockerNoPrivileged',
      shortDescription: { text: 'Container is not privileged.' },
      helpUri: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', precision: 'high' },
    });
    expect(rule?.properties.tags).toEqual(['security', 'isolation', 'cis-docker-1.6.0', 'external/cwe/cwe-250']);
    expect(rule?.help.markdown).toContain('[CWE-250](https://cwe.mitre.org/data/definitions/250.html)');
    expect(rule?.help.text).toContain('Remove `--privileged`');
  });

  it.each([
    ['docker/no-docker-socket-mount', 'error', '9.5'],
    ['docker/memory-limited', 'warning', '5.5'],
    ['docker/swarm-mode-disabled', 'note', '3.0'],
  ])('maps the severity of %s to level %s and security-severity %s', (id, level, securitySeverity) => {
    const rules = run(render(loadScan())).tool.driver.rules;

    const rule = rules.find((r) => r.id === id);

    expect(rule?.defaultConfiguration.level).toBe(level);
    expect(rule?.properties['security-severity']).toBe(securitySeverity);
  });

  it('keeps every rule to at most 10 tags, starting with security and the layer', () => {
    const scan = loadScan();
    const meta = scan.rules[0]!.meta;
    scan.rules[0] = { id: scan.rules[0]!.id, meta: { ...meta, tags: Array.from({ length: 12 }, (_, i) => `extra-${i}`) } };

    const rules = run(render(scan)).tool.driver.rules;

    for (const rule of rules) {
      expect(rule.properties.tags.length).toBeLessThanOrEqual(10);
      expect(rule.properties.tags.slice(0, 2)).toEqual(['security', expect.any(String)]);
    }
  });

  it('reports one result per failing or waived finding, each pointing at its rule', () => {
    const scan = loadScan();
    const expected = scan.findings.filter((f) => f.status === 'fail' || f.status === 'waived');

    const sarifRun = run(render(scan));

    expect(sarifRun.results).toHaveLength(expected.length);
    expect(sarifRun.results.map((r) => r.partialFingerprints.primaryLocationLineHash).sort()).toEqual(
      expected.map((f) => f.fingerprint).sort(),
    );
    for (const r of sarifRun.results) expect(sarifRun.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('suppresses a waived finding with the waiver as justification', () => {
    const sarifRun = run(render(loadScan()));

    const waived = sarifRun.results.filter((r) => r.suppressions !== undefined);

    expect(waived.map((r) => r.ruleId)).toEqual(['docker/read-only-rootfs']);
    expect(waived[0]?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: expect.stringContaining('owner platform-team, expires 2027-03-31, declared in .palisade/policy.yaml:18'),
      },
    ]);
    expect(sarifRun.results.filter((r) => r.properties['status'] === 'fail').every((r) => r.suppressions === undefined)).toBe(true);
  });

  it('locates a Compose-started container at its service in the Compose file', () => {
    const sarifRun = run(render(loadScan()));

    const result = sarifRun.results.find((r) => r.ruleId === 'docker/no-docker-socket-mount');

    expect(result?.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'deploy/compose.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: 12 } },
        logicalLocations: [{ name: 'shop-web-1', fullyQualifiedName: 'container:docker-host-1/shop-web-1', kind: 'resource' }],
      },
    ]);
    expect(result?.properties).toMatchObject({
      workloadId: 'container:docker-host-1/shop-web-1',
      layer: 'isolation',
      evidence: { source: 'container inspect', path: 'Mounts[].Source' },
    });
    expect(result?.message.text).toContain('Container shop-web-1 mounts runtime socket /var/run/docker.sock');
  });

  it.each([
    ['mixed', loadScan],
    ['failed-target', scanWithFailedTarget],
  ])('gives every %s result a relative artifact uri and a start line >= 1', (_name, scan) => {
    const results = run(render(scan())).results;

    for (const r of results) {
      for (const loc of r.locations) {
        expect(loc.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
        expect(loc.physicalLocation.artifactLocation.uri).not.toMatch(/:/);
        expect(loc.physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
      }
    }
  });

  it('makes a location with a scheme, a drive, dot segments or line 0 safe', () => {
    const scan = loadScan();
    const web = scan.workloads.find((w) => w.name === 'shop-web-1');
    if (!web) throw new Error('fixture has no shop-web-1');
    web.location = { uri: 'file:///C:/src/../deploy/my compose.yaml', startLine: 0, synthetic: false };

    const result = run(render(scan)).results.find((r) => r.properties['workloadId'] === web.id);

    expect(result?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'file%3A/C%3A/deploy/my%20compose.yaml', uriBaseId: 'SRCROOT' },
      region: { startLine: 1 },
    });
  });

  it.each([
    ['deploy/compose.yaml', 'deploy/compose.yaml'],
    ['/abs/compose.yaml', 'abs/compose.yaml'],
    ['C:\\repo\\compose.yaml', 'C%3A/repo/compose.yaml'],
    ['a/./b/../c.yaml', 'a/c.yaml'],
    ['../../outside.yaml', 'outside.yaml'],
    ['', 'fallback'],
  ])('turns location %j into artifact uri %j', (input, expected) => {
    const uri = artifactUri(input, 'fallback');

    expect(uri).toBe(expected);
  });

  it.each([
    [undefined, 'palisade/'],
    ['', 'palisade/'],
    ['prod-hosts', 'prod-hosts/'],
    ['docker/prod/', 'docker/prod/'],
  ])('sets automationDetails.id for category %j to %j', (category, expected) => {
    const id = automationId(category);

    expect(id).toBe(expected);
  });

  it('keeps tags, digests, host names and times out of automationDetails.id', () => {
    const scan = loadScan();

    const id = run(render(scan)).automationDetails.id;

    expect(id).toBe('palisade/');
    for (const volatile of ['docker-host-1', 'sha256', '2026', 'unix', ':']) expect(id).not.toContain(volatile);
  });

  it('uses the category option for automationDetails.id', () => {
    const log = render(loadScan(), 'nightly');

    expect(run(log).automationDetails.id).toBe('nightly/');
  });

  it('reports a clean scan with an empty results array and its rules', () => {
    const log = render(cleanScan());

    expect(run(log).results).toEqual([]);
    expect(run(log).tool.driver.rules.length).toBeGreaterThan(0);
    expect(run(log).invocations[0].executionSuccessful).toBe(true);
    expect(run(log).invocations[0].toolExecutionNotifications).toBeUndefined();
  });

  it('marks an incomplete scan unsuccessful with a notification per target and workload error', () => {
    const log = render(scanWithFailedTarget());

    const invocation = run(log).invocations[0];

    expect(invocation.executionSuccessful).toBe(false);
    const texts = (invocation.toolExecutionNotifications ?? []).map((n) => n.message.text);
    expect(texts).toEqual([
      'Target tcp://127.0.0.1:2376 could not be scanned: connect ECONNREFUSED 127.0.0.1:2376.',
      expect.stringMatching(/^Container cache could not be scanned: container inspect failed/),
      'Engine tcp://127.0.0.1:2376 could not be scanned: connect ECONNREFUSED 127.0.0.1:2376.',
      expect.stringMatching(/^docker\/healthcheck-configured on container:docker-host-1\/shop-web-1: check docker\/healthcheck-configured failed/),
    ]);
    expect((invocation.toolExecutionNotifications ?? []).every((n) => n.level === 'error')).toBe(true);
  });

  it('links a check error notification to its rule', () => {
    const log = render(loadScan());

    const notes = run(log).invocations[0].toolExecutionNotifications ?? [];

    const checkError = notes.find((n) => n.associatedRule !== undefined);
    expect(checkError?.associatedRule).toEqual({
      id: 'docker/healthcheck-configured',
      index: run(log).tool.driver.rules.findIndex((r) => r.id === 'docker/healthcheck-configured'),
    });
  });

  it('is the same for the same scan whatever the order of its findings', () => {
    const scan = loadScan();
    const shuffled = loadScan();
    shuffled.findings.reverse();
    shuffled.rules.reverse();
    shuffled.workloads.reverse();

    const a = reporters.sarif(scan, { color: false });
    const b = reporters.sarif(shuffled, { color: false });

    expect(b).toBe(a);
  });

  it('builds a rule for a finding whose check is not among the scan rules', () => {
    const scan = loadScan();
    scan.rules = scan.rules.filter((r) => r.id !== 'docker/no-privileged');

    const sarifRun = run(render(scan));

    const result = sarifRun.results.find((r) => r.ruleId === 'docker/no-privileged');
    expect(sarifRun.tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe('docker/no-privileged');
  });

  it('returns the same log from toSarif as the reporter prints', () => {
    const scan = loadScan();

    const log = toSarif(scan, {});

    expect(render(scan)).toEqual(log);
  });
});

/** The mixed scan plus `n` failing findings spread over 300 containers, each with `evidence(i)` as observed value. */
function syntheticScan(n: number, evidence: (i: number) => unknown = (i) => i): ScanResult {
  const scan = loadScan();
  const web = scan.workloads.find((w) => w.name === 'shop-web-1');
  const template = scan.findings.find((f) => f.status === 'fail' && f.workloadId === web?.id);
  if (!web || !template?.evidence) throw new Error('fixture changed');
  const workloads = Array.from({ length: 300 }, (_, i) => ({
    ...web,
    id: `container:docker-host-1/worker-${i}`,
    name: `worker-${i}`,
    identity: `docker:docker-host-1/worker-${i}`,
  }));
  scan.workloads.push(...workloads);
  for (let i = 0; i < n; i++) {
    const workload = workloads[i % workloads.length]!;
    scan.findings.push({
      ...template,
      workloadId: workload.id,
      key: `/data/${i}`,
      message: `Container ${workload.name} mounts /data/${i}.`,
      evidence: { ...template.evidence, observed: evidence(i) },
      fingerprint: createHash('sha256').update(`synthetic\0${i}`).digest('hex').slice(0, 32),
    });
  }
  return scan;
}

/** About `length` hex characters that gzip cannot shrink much, the same on every run. */
function noise(seed: number, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}:${i}`).digest('hex');
  return out.slice(0, length);
}

function thrown(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('src/reporters/sarif GitHub limits', () => {
  it('refuses a scan of 30,000 results with what to do, before writing the log', () => {
    const scan = syntheticScan(30_000 - 7);

    const error = thrown(() => reporters.sarif(scan, { color: false, sarifCategory: 'prod' }));

    expect(error.message).toMatch(/^SARIF: 30000 results \(failing and waived findings\) in category prod\/; GitHub code scanning rejects a run with more than 25,000/);
    expect(error.message).toContain('give each run its own --sarif-category');
  });

  it('writes 25,000 results in one run, warning that GitHub keeps 5,000', () => {
    const scan = syntheticScan(25_000 - 7);

    const log = JSON.parse(reporters.sarif(scan, { color: false })) as SarifLog;

    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results).toHaveLength(25_000);
    const warnings = (log.runs[0].invocations[0].toolExecutionNotifications ?? []).filter((n) => n.level === 'warning');
    expect(warnings.map((n) => n.message.text)).toEqual([expect.stringMatching(/^This run has 25000 results; GitHub code scanning keeps only the 5000 most severe of a run\./)]);
  });

  it('does not warn about GitHub keeping 5,000 results for a run of 5,000', () => {
    const scan = syntheticScan(5_000 - 7);

    const log = toSarif(scan, {});

    expect(log.runs[0].results).toHaveLength(5_000);
    expect((log.runs[0].invocations[0].toolExecutionNotifications ?? []).some((n) => n.level === 'warning')).toBe(false);
  });

  it('refuses a log over 10 MB gzipped', () => {
    const scan = syntheticScan(12_000, (i) => noise(i, 2_000));

    const error = thrown(() => reporters.sarif(scan, { color: false }));

    expect(error.message).toMatch(/^SARIF: the log is \d+\.\d MB gzipped; GitHub code scanning rejects uploads over 10\.0 MB gzipped\. Scan fewer targets/);
  });

  it('measures the gzipped size, not the size on disk', () => {
    const text = reporters.sarif(loadScan(), { color: false });

    const check = (): void => checkSarifSize(text, { ...GITHUB_SARIF_LIMITS, gzippedBytes: gzipSync(text).length });

    expect(text.length).toBeGreaterThan(gzipSync(text).length);
    expect(check).not.toThrow();
    expect(() => checkSarifSize(text, { ...GITHUB_SARIF_LIMITS, gzippedBytes: gzipSync(text).length - 1 })).toThrow(UsageError);
  });

  it.each([
    ['cheap to compress', (i: number): unknown => ({ path: `/srv/app/${i % 10}` })],
    ['hard to compress', (i: number): unknown => noise(i, 300)],
  ])('streams a log that needs its gzipped size known (%s) as the string reporter writes it, or refuses it first', async (_name, evidence) => {
    const scan = syntheticScan(2_000, evidence);
    const text = reporters.sarif(scan, { color: false });
    const gzipped = gzipSync(text).length;
    const stream = async (gzippedBytes: number): Promise<string[]> => {
      const chunks: string[] = [];
      for await (const c of sarifReportTo(scan, {}, { ...GITHUB_SARIF_LIMITS, gzippedBytes })) chunks.push(c);
      return chunks;
    };

    const within = await stream(gzipped);
    const over = stream(gzipped - 1);

    expect(text.length).toBeGreaterThan(gzipped * 2);
    expect(within.length).toBeGreaterThan(10);
    expect(within.join('')).toBe(text);
    await expect(over).rejects.toThrow(/^SARIF: the log is \d+\.\d MB gzipped/);
  });

  it('refuses more than 20 runs in a file', () => {
    const log = toSarif(loadScan(), {});
    const many = { ...log, runs: Array.from({ length: 21 }, () => log.runs[0]) } as unknown as SarifLog;

    const error = thrown(() => checkSarifCounts(many));

    expect(error.message).toBe('SARIF: 21 runs in one file; GitHub code scanning accepts at most 20.');
  });
});

describe('src/reporters/sarif waivers', () => {
  it('points a waived result at its policy line and reports stale and expired waivers on theirs', () => {
    const scan = loadScan();
    scan.waivers = [
      ...scan.waivers.filter((w) => w.status === 'active'),
      { check: 'docker/no-host-network', source: '.palisade/policy.yaml:25', reason: 'agent removed', status: 'stale', matched: 0, location: { uri: '.palisade/policy.yaml', startLine: 25, synthetic: false } },
      { check: 'docker/memory-limited', source: '.palisade/policy.yaml:31', reason: 'batch', expires: '2026-01-01', status: 'expired', matched: 2, location: { uri: '.palisade/policy.yaml', startLine: 31, synthetic: false } },
    ];

    const log = JSON.parse(reporters.sarif(scan, { color: false })) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations?: { physicalLocation: { region: { startLine: number } } }[]; suppressions?: unknown[] }[] }[];
    };

    const run = log.runs[0];
    const waived = run?.results.find((r) => r.suppressions !== undefined);
    expect(waived?.relatedLocations?.[0]?.physicalLocation.region.startLine).toBe(18);
    const policyResults = run?.results.filter((r) => r.ruleId.startsWith('policy/')).map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine]);
    expect(policyResults).toEqual([
      ['policy/waiver-stale', 'note', 25],
      ['policy/waiver-expired', 'warning', 31],
    ]);
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['policy/waiver-expired', 'policy/waiver-stale']));
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-sarif-waivers-'));
    const file = path.join(dir, 'waivers.sarif');
    writeFileSync(file, JSON.stringify(log));
    expect(validateSarif(prepareMultitool(dir), file)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});
