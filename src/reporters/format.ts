// Helpers shared by the reporters (and the CLI): ordering, which findings a
// report lists, and small formatting rules. No I/O.
import { SEVERITIES, type Severity } from '../model/check.js';
import { FINDING_STATUSES, type Finding, type FindingStatus, type ScanResult, type Workload } from '../model/report.js';

/** 0 for critical up to 4 for info: lower is more severe. */
export function severityRank(severity: Severity): number {
  const rank = SEVERITIES.indexOf(severity);
  return rank === -1 ? SEVERITIES.length : rank;
}

/** 0 for fail, then error, waived, not-applicable, pass. */
export function statusRank(status: FindingStatus): number {
  const rank = FINDING_STATUSES.indexOf(status);
  return rank === -1 ? FINDING_STATUSES.length : rank;
}

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare: the same on every machine and locale. Equal
  // first: findings of one workload share its id string, so that is one pointer comparison.
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Workload id, then severity (most severe first), check id, key, and fingerprint as a last resort. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.workloadId, b.workloadId) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.key ?? '', b.key ?? '') ||
    statusRank(a.status) - statusRank(b.status) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

export function compareWorkloads(a: Workload, b: Workload): number {
  return compareText(a.id, b.id);
}

/** Statuses every report lists; pass and not-applicable only with `includePassed`. */
const ALWAYS_LISTED: ReadonlySet<FindingStatus> = new Set<FindingStatus>(['fail', 'error', 'waived']);

export function isListed(finding: Finding, scan: ScanResult): boolean {
  return ALWAYS_LISTED.has(finding.status) || scan.options.includePassed;
}

/** The findings a report lists, in report order. */
export function listedFindings(scan: ScanResult): Finding[] {
  return scan.findings.filter((f) => isListed(f, scan)).sort(compareFindings);
}

/** The most severe failing finding, or undefined when nothing failed. */
export function worstFailure(findings: readonly Finding[]): Finding | undefined {
  let worst: Finding | undefined;
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    if (!worst || compareFindings(f, worst) < 0) worst = f;
  }
  return worst;
}

/** A score as an integer, or `-` when nothing applied. */
export function formatScore(score: number | null): string {
  return score === null ? '-' : String(Math.round(score));
}

/** `docker/no-privileged` -> `DockerNoPrivileged`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Sorted shallow copy of a string record, so output does not depend on collection order. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort(compareText)) out[key] = record[key] as string;
  return out;
}

/** A reference as a link target when it has one: URLs as they are, `cwe:NNN` to MITRE. */
export function referenceUrl(reference: string): string | undefined {
  if (/^https?:\/\//i.test(reference)) return reference;
  const cwe = /^cwe:(\d+)$/i.exec(reference);
  if (cwe) return `https://cwe.mitre.org/data/definitions/${cwe[1]}.html`;
  return undefined;
}

/** A reference as people read it: `cis-docker-1.6.0:5.5` -> `CIS Docker Benchmark v1.6.0 5.5`. */
export function referenceLabel(reference: string): string {
  const cwe = /^cwe:(\d+)$/i.exec(reference);
  if (cwe) return `CWE-${cwe[1]}`;
  const cis = /^cis-docker-(\d+(?:\.\d+)*):(.+)$/i.exec(reference);
  if (cis) return `CIS Docker Benchmark v${cis[1]} ${cis[2]}`;
  return reference;
}

/** Counts in status order, e.g. `6 fail, 10 error, 1 waived, 1 not-applicable, 10 pass`. */
export function formatCounts(counts: Readonly<Record<FindingStatus, number>>): string {
  return FINDING_STATUSES.map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
}
