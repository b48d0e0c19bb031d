// Compare a scan with a JSON report of an earlier run (`--baseline`), so a
// gate can fail only on what is new. Findings are matched by fingerprint,
// which survives rescans and image rebuilds.

import { UsageError } from '../errors.js';
import { InputFileError, readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';
import { SEVERITIES } from '../model/check.js';
import { FINDING_STATUSES, type Finding, type FindingStatus, type GateResult, type ScanResult } from '../model/report.js';
import { compareFindings } from '../reporters/format.js';
import { JSON_REPORT_SCHEMA_VERSION } from '../reporters/json.js';
import { evaluateGate } from '../scoring/score.js';

/** What a baseline comparison says about one finding. */
export type BaselineStatus = 'new' | 'unchanged' | 'fixed' | 'not-evaluated';

/** The statuses a baseline compares: the ones a team has to act on or has accepted. */
type TrackedStatus = Extract<FindingStatus, 'fail' | 'waived'>;

/** What the baseline needs of a JSON report; other fields are ignored, as the report schema asks. */
export interface BaselineReport {
  /** The file it was read from, for messages. */
  source: string;
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  tool: { name: 'palisade'; version: string };
  finishedAt?: string;
  workloads: { id: string; parent?: string }[];
  findings: Finding[];
}

export interface UnchangedFinding {
  /** The finding as it is now. */
  finding: Finding;
  baselineStatus: TrackedStatus;
  /**
   * `now-waived`: failing in the baseline, waived now. `waiver-lapsed`: waived
   * in the baseline, failing now (the waiver expired or stopped matching).
   */
  change?: 'now-waived' | 'waiver-lapsed';
}

export interface NotEvaluatedFinding {
  /** The finding as the baseline had it. */
  finding: Finding;
  /** Why the current scan cannot say whether it was fixed. */
  reason: 'check-not-run' | 'check-error' | 'workload-error' | 'workload-not-scanned';
}

export interface BaselineDiff {
  source: string;
  /** Failing or waived now, neither in the baseline. */
  newFindings: Finding[];
  /** Failing or waived in the baseline; the current scan evaluated the check and found neither. */
  fixedFindings: Finding[];
  /** Failing or waived in both. */
  unchanged: UnchangedFinding[];
  /** Failing or waived in the baseline, but not evaluated now: neither fixed nor still there. */
  notEvaluated: NotEvaluatedFinding[];
}

const TRACKED: ReadonlySet<FindingStatus> = new Set<FindingStatus>(['fail', 'waived']);

function isTracked(f: Finding): f is Finding & { status: TrackedStatus } {
  return TRACKED.has(f.status);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(source: string, why: string): UsageError {
  return new UsageError(
    `baseline ${source} is not a palisade JSON report: ${why}. Write one with \`palisade scan --format json=${source}\` on the run to compare against.`,
  );
}

function requireString(source: string, record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') throw invalid(source, `${where}.${field} is not a non-empty string`);
  return value;
}

function optionalString(source: string, record: Record<string, unknown>, field: string, where: string): void {
  if (record[field] !== undefined && typeof record[field] !== 'string') throw invalid(source, `${where}.${field} is not a string`);
}

function requireOneOf<T extends string>(source: string, record: Record<string, unknown>, field: string, where: string, allowed: readonly T[]): T {
  const value = record[field];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(source, `${where}.${field} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * Checks that a parsed JSON value is a palisade JSON report of the schema
 * version this build reads, as far as the comparison relies on it.
 */
export function parseBaseline(value: unknown, source: string): BaselineReport {
  if (!isRecord(value)) throw invalid(source, 'the file does not hold a JSON object');
  if (Array.isArray(value['runs']) && typeof value['version'] === 'string') {
    throw invalid(source, 'it is a SARIF log; a baseline is the JSON report (--format json)');
  }
  const version = value['schemaVersion'];
  if (version === undefined) throw invalid(source, 'it has no schemaVersion');
  if (version !== JSON_REPORT_SCHEMA_VERSION) {
    throw new UsageError(
      `baseline ${source} is a palisade JSON report of schema version ${JSON.stringify(version)}; this palisade reads version ${JSON_REPORT_SCHEMA_VERSION}. Write the baseline again with this palisade.`,
    );
  }
  const tool = value['tool'];
  if (!isRecord(tool) || tool['name'] !== 'palisade') throw invalid(source, 'tool.name is not "palisade"');
  const toolVersion = typeof tool['version'] === 'string' ? tool['version'] : 'unknown';
  optionalString(source, value, 'finishedAt', 'report');

  const rawWorkloads = value['workloads'];
  if (!Array.isArray(rawWorkloads)) throw invalid(source, 'workloads is not an array');
  const workloads = rawWorkloads.map((w: unknown, i) => {
    const where = `workloads[${i}]`;
    if (!isRecord(w)) throw invalid(source, `${where} is not an object`);
    const id = requireString(source, w, 'id', where);
    optionalString(source, w, 'parent', where);
    return typeof w['parent'] === 'string' ? { id, parent: w['parent'] } : { id };
  });

  const rawFindings = value['findings'];
  if (!Array.isArray(rawFindings)) throw invalid(source, 'findings is not an array');
  const findings = rawFindings.map((f: unknown, i) => {
    const where = `findings[${i}]`;
    if (!isRecord(f)) throw invalid(source, `${where} is not an object`);
    for (const field of ['checkId', 'workloadId', 'fingerprint', 'title', 'message']) requireString(source, f, field, where);
    requireOneOf(source, f, 'status', where, FINDING_STATUSES);
    requireOneOf(source, f, 'severity', where, SEVERITIES);
    optionalString(source, f, 'key', where);
    // The fields the comparison reads are checked; the rest is carried as the report wrote it.
    return f as unknown as Finding;
  });

  const report: BaselineReport = {
    source,
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    tool: { name: 'palisade', version: toolVersion },
    workloads,
    findings,
  };
  if (typeof value['finishedAt'] === 'string') report.finishedAt = value['finishedAt'];
  return report;
}

/**
 * Reads and validates a baseline file before anything is scanned; every
 * problem is a UsageError naming the file.
 */
export function readBaseline(file: string): BaselineReport {
  let text: string;
  try {
    text = readInputFile(file, LIMITS.baselineFileBytes, 'baseline');
  } catch (cause) {
    if (!(cause instanceof InputFileError)) throw cause;
    const why = cause.problem === 'missing' ? 'no such file' : cause.problem === 'directory' ? 'it is a directory' : cause.detail;
    throw new UsageError(`cannot read baseline ${file}: ${why}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalid(file, `it is not JSON (${(cause as Error).message})`);
  }
  return parseBaseline(value, file);
}

/** Decides, for a tracked baseline finding gone from the current scan, whether it was fixed. */
function fixedJudge(current: ScanResult, baseline: BaselineReport): (b: Finding) => NotEvaluatedFinding['reason'] | undefined {
  const rules = new Set(current.rules.map((r) => r.id));
  const now = new Map(current.workloads.map((w) => [w.id, w]));
  const parents = new Map(baseline.workloads.map((w) => [w.id, w.parent]));
  const errors = new Set(current.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId}\0${f.workloadId}`));
  return (b) => {
    if (!rules.has(b.checkId)) return 'check-not-run';
    // The workload itself, or else the nearest ancestor the current scan reached.
    const seen = new Set<string>();
    let id: string | undefined = b.workloadId;
    while (id !== undefined && !now.has(id) && !seen.has(id)) {
      seen.add(id);
      id = parents.get(id);
    }
    const reached = id === undefined ? undefined : now.get(id);
    if (reached === undefined) return 'workload-not-scanned';
    if (reached.error !== undefined) return 'workload-error';
    // Gone from an engine that was scanned: the container was removed, which fixes it.
    if (reached.id !== b.workloadId) return undefined;
    return errors.has(`${b.checkId}\0${b.workloadId}`) ? 'check-error' : undefined;
  };
}

/**
 * Failing and waived findings of `current` against those of a baseline
 * report, matched by fingerprint. `baseline` is the parsed JSON of the file
 * (or what readBaseline returned); `source` names the file in errors.
 */
export function compareToBaseline(current: ScanResult, baseline: unknown, source = 'baseline'): BaselineDiff {
  const report = parseBaseline(baseline, source);
  const before = new Map<string, Finding & { status: TrackedStatus }>();
  for (const f of report.findings) if (isTracked(f) && !before.has(f.fingerprint)) before.set(f.fingerprint, f);

  const newFindings: Finding[] = [];
  const unchanged: UnchangedFinding[] = [];
  const matched = new Set<string>();
  for (const f of [...current.findings].sort(compareFindings)) {
    if (!isTracked(f)) continue;
    const b = before.get(f.fingerprint);
    if (b === undefined) {
      newFindings.push(f);
      continue;
    }
    matched.add(f.fingerprint);
    const entry: UnchangedFinding = { finding: f, baselineStatus: b.status };
    if (b.status === 'fail' && f.status === 'waived') entry.change = 'now-waived';
    if (b.status === 'waived' && f.status === 'fail') entry.change = 'waiver-lapsed';
    unchanged.push(entry);
  }

  const fixedFindings: Finding[] = [];
  const notEvaluated: NotEvaluatedFinding[] = [];
  const judge = fixedJudge(current, report);
  for (const b of [...before.values()].sort(compareFindings)) {
    if (matched.has(b.fingerprint)) continue;
    const reason = judge(b);
    if (reason === undefined) fixedFindings.push(b);
    else notEvaluated.push({ finding: b, reason });
  }
  return { source: report.source, newFindings, fixedFindings, unchanged, notEvaluated };
}

/**
 * The findings a baseline gate counts: failing now and not failing in the
 * baseline. A finding waived then and failing now counts: the baseline
 * accepted it only while the waiver held.
 */
export function gateFindings(diff: BaselineDiff): Finding[] {
  return [
    ...diff.newFindings.filter((f) => f.status === 'fail'),
    ...diff.unchanged.filter((u) => u.change === 'waiver-lapsed').map((u) => u.finding),
  ].sort(compareFindings);
}

/**
 * The gate of `current` with a baseline: `--fail-on` counts only failing
 * findings that are new since the baseline (see gateFindings);
 * `--min-score` is judged on the current scores as without one.
 */
export function gateWithBaseline(current: ScanResult, diff: BaselineDiff): GateResult {
  const gate = evaluateGate(current.workloads, gateFindings(diff), {
    failOn: current.gate.failOn,
    minScore: current.gate.minScore,
    minDepth: current.gate.minDepth ?? null,
    qualifier: `new since baseline ${diff.source}`,
  });
  return { ...gate, baseline: diff.source };
}

/** Marks the current findings new or unchanged and records what was fixed, in the scan result. */
export function applyBaseline(current: ScanResult, diff: BaselineDiff): void {
  const fresh = new Set(diff.newFindings);
  for (const f of current.findings) {
    if (f.status !== 'fail' && f.status !== 'waived') continue;
    f.baseline = fresh.has(f) ? 'new' : 'unchanged';
  }
  current.baseline = {
    source: diff.source,
    new: diff.newFindings.length,
    unchanged: diff.unchanged.length,
    fixed: diff.fixedFindings,
    notEvaluated: diff.notEvaluated.map((n) => ({ finding: n.finding, reason: n.reason })),
  };
  current.gate = gateWithBaseline(current, diff);
}
