// JUnit XML for CI systems that read test reports: a test suite per workload
// and a test case per finding. Every finding is a test case, passes included
// whatever --include-passed says: a test report that left out the passing
// tests would misstate what ran.
import { xmlAttribute, xmlText } from '../lib/sanitize.js';
import type { Finding, FindingStatus, ScanResult, Workload } from '../model/report.js';
import { compareFindings, compareWorkloads, formatScore } from './format.js';
import type { Reporter } from './index.js';
import { TextBuilder } from './text-builder.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Longest attribute value and longest element text, in characters, before a cut with a marker. */
const ATTRIBUTE_CAP = 1_000;
const TEXT_CAP = 20_000;

function text(value: string): string {
  return xmlText(value, TEXT_CAP);
}

function attr(value: string): string {
  return xmlAttribute(value, ATTRIBUTE_CAP);
}

function attrs(record: Readonly<Record<string, string | number | undefined>>): string {
  let out = '';
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== undefined) out += ` ${name}="${attr(String(value))}"`;
  }
  return out;
}

function count(findings: readonly Finding[]): Counts {
  const by = (...statuses: FindingStatus[]): number => findings.filter((f) => statuses.includes(f.status)).length;
  return { tests: findings.length, failures: by('fail'), errors: by('error'), skipped: by('waived', 'not-applicable') };
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function caseName(f: Finding): string {
  return f.key === undefined ? f.checkId : `${f.checkId} [${f.key}]`;
}

function failureBody(f: Finding): string {
  const lines = [f.message];
  if (f.evidence) {
    const e = f.evidence;
    lines.push('', `Evidence: ${e.path} from ${e.source}`, `  observed: ${json(e.observed)}`);
    if (e.expected !== undefined) lines.push(`  expected: ${json(e.expected)}`);
  }
  lines.push('', `Remediation: ${f.remediation}`);
  if (f.references.length > 0) lines.push(`References: ${f.references.join(', ')}`);
  lines.push(`Severity: ${f.severity}; layer: ${f.layer}; fingerprint: ${f.fingerprint}`);
  return lines.join('\n');
}

function waiverText(f: Finding): string {
  const w = f.waiver;
  if (!w) return 'Waived by policy';
  const details = [w.owner !== undefined ? `owner ${w.owner}` : '', w.expires !== undefined ? `expires ${w.expires}` : '', `declared in ${w.source}`]
    .filter((s) => s !== '')
    .join(', ');
  return `Waived: ${w.reason} (${details})`;
}

function testcase(f: Finding, indent: string): string[] {
  // file/line: where the finding is declared (a Compose key), as JUnit consumers (GitLab, Jenkins) read them.
  const at = f.location && !f.location.synthetic ? { file: f.location.uri, line: String(f.location.startLine) } : {};
  const open = `${indent}<testcase${attrs({ classname: f.checkId, name: caseName(f), ...at })}`;
  const inner = `${indent}  `;
  switch (f.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      return [
        `${open}>`,
        `${inner}<failure${attrs({ message: f.message, type: f.severity })}>${text(failureBody(f))}</failure>`,
        `${indent}</testcase>`,
      ];
    case 'error': {
      const reason = f.reason ?? f.message;
      return [`${open}>`, `${inner}<error${attrs({ message: reason, type: 'error' })}>${text(f.message)}</error>`, `${indent}</testcase>`];
    }
    case 'waived':
      return [`${open}>`, `${inner}<skipped${attrs({ message: waiverText(f) })}/>`, `${indent}</testcase>`];
    case 'not-applicable':
      return [`${open}>`, `${inner}<skipped${attrs({ message: `Not applicable: ${f.reason ?? f.message}` })}/>`, `${indent}</testcase>`];
  }
}

function properties(w: Workload | undefined, workloadId: string, indent: string): string[] {
  const props: [string, string | undefined][] = [
    ['workload.id', workloadId],
    ['workload.kind', w?.kind],
    ['workload.parent', w?.parent],
    ['workload.image', w?.image],
    ['workload.score', w ? formatScore(w.score) : undefined],
    ['workload.depth', w ? `${w.depth.holding}/${w.depth.applicable}` : undefined],
    ['workload.location', w && !w.location.synthetic ? `${w.location.uri}:${w.location.startLine}` : undefined],
  ];
  return [
    `${indent}<properties>`,
    ...props.filter((p): p is [string, string] => p[1] !== undefined).map(([name, value]) => `${indent}  <property${attrs({ name, value })}/>`),
    `${indent}</properties>`,
  ];
}

/** The JUnit schema's timestamp has no zone; palisade's times are UTC. */
function timestamp(iso: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m?.[1];
}

function durationSeconds(scan: ScanResult): string | undefined {
  const ms = Date.parse(scan.finishedAt) - Date.parse(scan.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : undefined;
}

export const junitReporter: Reporter = (scan) => {
  const byWorkload = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    const list = byWorkload.get(f.workloadId) ?? [];
    list.push(f);
    byWorkload.set(f.workloadId, list);
  }
  const workloads = new Map(scan.workloads.map((w) => [w.id, w]));
  // Every workload, even one without findings; then findings of workloads missing from the report.
  const suiteIds = [
    ...new Set([
      ...[...scan.workloads].sort(compareWorkloads).map((w) => w.id),
      ...[...byWorkload.keys()].filter((id) => !workloads.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    ]),
  ];

  const label = (id: string): string => {
    const w = workloads.get(id);
    return w ? `${w.kind} ${w.name}` : id;
  };
  const labels = suiteIds.map(label);
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  // Containers of the same name on two engines: the workload id tells them apart.
  const names = suiteIds.map((id, i) => {
    const l = labels[i] as string;
    return (seen.get(l) ?? 0) > 1 ? `${l} (${id})` : l;
  });

  const suites = suiteIds.map((id) => {
    const findings = [...(byWorkload.get(id) ?? [])].sort(compareFindings);
    return { id, findings, counts: count(findings) };
  });
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const { counts: c } of suites) {
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
  }

  const out = new TextBuilder('\n');
  out.add('<?xml version="1.0" encoding="UTF-8"?>');
  out.add(`<testsuites${attrs({ name: 'palisade', ...total, time: durationSeconds(scan), timestamp: timestamp(scan.startedAt) })}>`);
  suites.forEach(({ id, findings, counts }, i) => {
    const w = workloads.get(id);
    out.add(`  <testsuite${attrs({ name: names[i], id: i, ...counts, time: '0', timestamp: timestamp(scan.startedAt) })}>`);
    out.addAll(properties(w, id, '    '));
    for (const f of findings) out.addAll(testcase(f, '    '));
    const problems = [...(w?.error !== undefined ? [`not scanned: ${w.error}`] : []), ...(w?.warnings ?? [])];
    if (problems.length > 0) out.add(`    <system-err>${text(problems.join('\n'))}</system-err>`);
    out.add('  </testsuite>');
  });
  out.add('</testsuites>');
  // The last, empty, line ends the text with a line break.
  out.add('');
  return out.toString();
};
