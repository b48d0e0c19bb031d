import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

import { LAYERS, SEVERITIES, type Evidence } from '../../src/model/check.js';
import {
  FINDING_STATUSES,
  type Finding,
  type FindingStatus,
  type GateResult,
  type LayerScore,
  type SourceLocation,
  type TargetStatus,
  type Waiver,
  type Workload,
} from '../../src/model/report.js';
import { reporters } from '../../src/reporters/index.js';
import type { JsonReport } from '../../src/reporters/json.js';
import { loadScan, repoRoot } from './fixture.js';

interface SchemaNode {
  $ref?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  definitions?: Record<string, SchemaNode>;
}

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'docs/report.schema.json'), 'utf8')) as SchemaNode & Record<string, unknown>;

function definition(name: string): SchemaNode {
  const node = schema.definitions?.[name];
  if (!node) throw new Error(`docs/report.schema.json has no definition ${name}`);
  return node;
}

function compileSchema(): ReturnType<Ajv['compile']> {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
  return ajv.compile(schema);
}

function render(includePassed = false): JsonReport {
  const scan = loadScan();
  scan.options.includePassed = includePassed;
  return JSON.parse(reporters.json(scan, { color: false })) as JsonReport;
}

// `Required<T>` makes TypeScript demand every field of the model here, optional
// ones included, and refuse unknown ones: a field added to the model fails the
// typecheck until it is added below, and then this test until the schema has it.
const location: Required<SourceLocation> = { uri: 'deploy/compose.yaml', startLine: 3, synthetic: false };
const counts: Record<FindingStatus, number> = { pass: 1, fail: 0, waived: 0, 'not-applicable': 0, error: 0 };
const layerScore: Required<LayerScore> = { layer: 'isolation', score: 100, holds: true, counts, criticalFailure: false };
const fullWorkload: Required<Workload> = {
  id: 'container:host/app',
  kind: 'container',
  name: 'app',
  labels: { team: 'shop' },
  parent: 'engine:host',
  identity: 'docker:host/app',
  score: 100,
  depth: { holding: 1, applicable: 1 },
  layers: [layerScore],
  effective: { score: 80, depth: { holding: 5, applicable: 9 }, chain: ['container:host/app', 'engine:host'] },
  location,
  image: 'app:1.0',
  error: 'inspect failed',
  warnings: ['process list unavailable'],
};
const evidence: Required<Evidence> = { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false };
const waiver: Required<Waiver> = {
  reason: 'accepted',
  owner: 'team',
  expires: '2027-01-01',
  source: 'policy.yaml:3',
  location: { uri: 'policy.yaml', startLine: 3, synthetic: false },
};
const fullFinding: Required<Finding> = {
  checkId: 'docker/no-privileged',
  workloadId: 'container:host/app',
  status: 'waived',
  severity: 'critical',
  layer: 'isolation',
  title: 'Container is not privileged',
  message: 'Container app runs privileged.',
  evidence,
  remediation: 'Remove `--privileged`.',
  references: ['cwe:250'],
  fingerprint: '0123456789abcdef0123456789abcdef',
  key: 'k',
  waiver,
  reason: 'r',
  baseline: 'new',
  location: { uri: 'compose.yaml', startLine: 14, synthetic: false },
};
const target: Required<TargetStatus> = { target: 'unix:///var/run/docker.sock', kind: 'docker', status: 'error', error: 'refused', workloads: 0, durationMs: 3 };
const gate: Required<GateResult> = { passed: false, failOn: 'high', minScore: 60, minDepth: 3, baseline: 'previous.json', reasons: ['x'] };
const fullReport: Required<JsonReport> = {
  schemaVersion: 1,
  tool: { name: 'palisade', version: '0.1.0' },
  startedAt: '2026-11-28T12:00:00.000Z',
  finishedAt: '2026-11-28T12:00:01.000Z',
  policy: { name: 'default', source: 'builtin:default' },
  targets: [target],
  gate,
  incomplete: true,
  summary: counts,
  workloads: [fullWorkload],
  findings: [fullFinding],
  baseline: { source: 'previous.json', new: 1, unchanged: 0, fixed: [fullFinding], notEvaluated: [{ finding: fullFinding, reason: 'check-error' }] },
  waivers: [{ check: 'docker/no-privileged', source: 'policy.yaml:3', reason: 'accepted', owner: 'team', expires: '2027-01-01', status: 'active', matched: 1, location: { uri: 'policy.yaml', startLine: 3, synthetic: false } }],
};

describe('src/reporters/json', () => {
  it('matches the golden report for the mixed scan', async () => {
    const scan = loadScan();

    const text = reporters.json(scan, { color: false });

    await expect(text).toMatchFileSnapshot('__snapshots__/mixed-scan.json');
  });

  it.each([false, true])('validates against docs/report.schema.json (includePassed %s)', (includePassed) => {
    const validate = compileSchema();
    const report = render(includePassed);

    const valid = validate(report);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('validates a report with every optional field set', () => {
    const validate = compileSchema();

    const valid = validate(fullReport);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ['an unknown finding field', (r: JsonReport) => Object.assign(r.findings[0]!, { extra: 1 }), '/findings/0'],
    ['a location with a scheme', (r: JsonReport) => Object.assign(r.workloads[0]!.location, { uri: 'file:///srv/compose.yaml' }), '/workloads/0/location/uri'],
    ['line 0', (r: JsonReport) => Object.assign(r.workloads[0]!.location, { startLine: 0 }), '/workloads/0/location/startLine'],
    ['an unknown status', (r: JsonReport) => Object.assign(r.findings[0]!, { status: 'skipped' }), '/findings/0/status'],
  ])('rejects a report with %s', (_name, bend, pointer) => {
    const validate = compileSchema();
    const report = structuredClone(fullReport);
    bend(report);

    const valid = validate(report);

    expect(valid).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(pointer);
  });

  it.each([
    ['report', schema as SchemaNode, fullReport],
    ['workload', definition('workload'), fullWorkload],
    ['finding', definition('finding'), fullFinding],
    ['location', definition('location'), location],
    ['layerScore', definition('layerScore'), layerScore],
    ['evidence', definition('evidence'), evidence],
    ['waiver', definition('waiver'), waiver],
    ['target', definition('target'), target],
    ['gate', definition('gate'), gate],
    ['counts', definition('counts'), counts],
  ])('keeps the schema of %s in step with the TypeScript type', (_name, node, value) => {
    const keys = Object.keys(value).sort();

    const schemaKeys = Object.keys(node.properties ?? {}).sort();

    expect(schemaKeys).toEqual(keys);
    expect(node.additionalProperties).toBe(false);
  });

  it.each([
    ['severity', SEVERITIES],
    ['layer', LAYERS],
    ['status', FINDING_STATUSES],
  ])('lists the same %s values as the model', (name, values) => {
    const node = definition(name);

    expect([...(node.enum ?? [])].sort()).toEqual([...values].sort());
  });

  it('lists failing, error and waived findings but counts every finding', () => {
    const scan = loadScan();

    const report = render(false);

    expect(new Set(report.findings.map((f) => f.status))).toEqual(new Set(['fail', 'error', 'waived']));
    expect(report.findings).toHaveLength(scan.summary.fail + scan.summary.error + scan.summary.waived);
    expect(report.summary).toEqual(scan.summary);
  });

  it('lists passed and not-applicable findings with includePassed', () => {
    const scan = loadScan();

    const report = render(true);

    expect(report.findings).toHaveLength(scan.findings.length);
    expect(report.summary).toEqual(scan.summary);
  });

  it('sorts findings by workload, severity, check id and key', () => {
    const report = render(true);

    const order = report.findings.map((f) => [f.workloadId, SEVERITIES.indexOf(f.severity), f.checkId, f.key ?? ''] as const);

    const sorted = [...order].sort((a, b) =>
      a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? a[1] - b[1] : a[2] !== b[2] ? (a[2] < b[2] ? -1 : 1) : a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0,
    );
    expect(order).toEqual(sorted);
  });

  it('is the same for the same scan whatever the order it was collected in', () => {
    const scan = loadScan();
    const shuffled = loadScan();
    shuffled.findings.reverse();
    shuffled.workloads.reverse();
    for (const w of shuffled.workloads) w.labels = Object.fromEntries(Object.entries(w.labels).reverse());

    const a = reporters.json(scan, { color: false });
    const b = reporters.json(shuffled, { color: false });

    expect(b).toBe(a);
  });

  it('carries waiver, evidence and fingerprint through', () => {
    const report = render();

    const waived = report.findings.find((f) => f.status === 'waived');

    expect(waived?.waiver).toEqual({
      reason: 'Legacy image writes its PID file under /var/run; fix tracked in SHOP-412',
      owner: 'platform-team',
      expires: '2027-03-31',
      source: '.palisade/policy.yaml:18',
      location: { uri: '.palisade/policy.yaml', startLine: 18, synthetic: false },
    });
    expect(waived?.evidence?.path).toBe('HostConfig.ReadonlyRootfs');
    expect(waived?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaves out the rules and options the scan carries for other reporters', () => {
    const report = render() as unknown as Record<string, unknown>;

    expect(report).not.toHaveProperty('rules');
    expect(report).not.toHaveProperty('options');
    expect(report['schemaVersion']).toBe(1);
  });
});
