// The JSON report: the scan's data for machines, in a documented, versioned
// shape (docs/report.schema.json) with a deterministic order.
import type {
  Finding,
  FindingStatus,
  GateResult,
  ScanResult,
  TargetStatus,
  WaiverStatus,
  Workload,
  BaselineSummary,
} from '../model/report.js';
import { compareWorkloads, listedFindings, sortedRecord } from './format.js';
import type { Reporter } from './index.js';
import { jsonChunks, LazyItems, type StreamingReporter } from './stream.js';

/** Bump when a field is removed or changes meaning; adding optional fields does not. */
export const JSON_REPORT_SCHEMA_VERSION = 1;

export interface JsonReport {
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  tool: ScanResult['tool'];
  startedAt: string;
  finishedAt: string;
  policy: ScanResult['policy'];
  targets: TargetStatus[];
  gate: GateResult;
  incomplete: boolean;
  /** Every finding of the scan by status, passes included even when not listed. */
  summary: Record<FindingStatus, number>;
  workloads: Workload[];
  /** Failing, error and waived findings; passed and not-applicable too with `includePassed`. */
  findings: Finding[];
  /** Every policy waiver: active, expired or stale (matched nothing). */
  waivers: WaiverStatus[];
  /** With --baseline: counts, and the findings fixed or no longer evaluated since. */
  baseline?: BaselineSummary;
}

function workload(w: Workload): Workload {
  // Rebuilt field by field: the report's key order is fixed and nothing outside the model leaks in.
  const out: Workload = {
    id: w.id,
    kind: w.kind,
    name: w.name,
    labels: sortedRecord(w.labels),
    parent: w.parent,
    identity: w.identity,
    image: w.image,
    score: w.score,
    depth: { holding: w.depth.holding, applicable: w.depth.applicable },
    layers: w.layers.map((l) => ({
      layer: l.layer,
      score: l.score,
      holds: l.holds,
      counts: { ...l.counts },
      criticalFailure: l.criticalFailure,
    })),
    effective: w.effective
      ? { score: w.effective.score, depth: { ...w.effective.depth }, chain: [...w.effective.chain] }
      : undefined,
    location: { uri: w.location.uri, startLine: w.location.startLine, synthetic: w.location.synthetic },
    error: w.error,
    warnings: w.warnings ? [...w.warnings] : undefined,
  };
  return out;
}

function finding(f: Finding): Finding {
  const out: Finding = {
    checkId: f.checkId,
    workloadId: f.workloadId,
    status: f.status,
    severity: f.severity,
    layer: f.layer,
    title: f.title,
    message: f.message,
    evidence: f.evidence
      ? { source: f.evidence.source, path: f.evidence.path, observed: f.evidence.observed, expected: f.evidence.expected }
      : undefined,
    remediation: f.remediation,
    references: [...f.references],
    fingerprint: f.fingerprint,
    key: f.key,
    waiver: f.waiver
      ? {
          reason: f.waiver.reason,
          owner: f.waiver.owner,
          expires: f.waiver.expires,
          source: f.waiver.source,
          location: f.waiver.location ? { ...f.waiver.location } : undefined,
        }
      : undefined,
    reason: f.reason,
    baseline: f.baseline,
    location: f.location ? { ...f.location } : undefined,
  };
  return out;
}

type Head = Omit<JsonReport, 'workloads' | 'findings' | 'baseline' | 'waivers'>;
type Tail = Pick<JsonReport, 'baseline' | 'waivers'>;

/** The fields before the workloads (key order is the report's). */
function head(scan: ScanResult): Head {
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    tool: { name: scan.tool.name, version: scan.tool.version },
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    policy: { name: scan.policy.name, source: scan.policy.source },
    targets: scan.targets.map((t) => ({ ...t })),
    gate: {
      passed: scan.gate.passed,
      failOn: scan.gate.failOn,
      minScore: scan.gate.minScore,
      minDepth: scan.gate.minDepth,
      baseline: scan.gate.baseline,
      reasons: [...scan.gate.reasons],
    },
    incomplete: scan.incomplete,
    summary: {
      fail: scan.summary.fail,
      error: scan.summary.error,
      waived: scan.summary.waived,
      'not-applicable': scan.summary['not-applicable'],
      pass: scan.summary.pass,
    },
  };
}

/** The fields after the findings. */
function tail(scan: ScanResult): Tail {
  return {
    baseline: scan.baseline
      ? {
          source: scan.baseline.source,
          new: scan.baseline.new,
          unchanged: scan.baseline.unchanged,
          fixed: scan.baseline.fixed.map(finding),
          notEvaluated: scan.baseline.notEvaluated.map((n) => ({ finding: finding(n.finding), reason: n.reason })),
        }
      : undefined,
    waivers: scan.waivers.map((w) => ({
      check: w.check,
      source: w.source,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      status: w.status,
      matched: w.matched,
      location: w.location ? { ...w.location } : undefined,
    })),
  };
}

export function toJsonReport(scan: ScanResult): JsonReport {
  return { ...head(scan), workloads: [...scan.workloads].sort(compareWorkloads).map(workload), findings: listedFindings(scan).map(finding), ...tail(scan) };
}

/** `items` mapped by `f` a batch at a time, as they are written. */
function lazyMap<T, U>(items: readonly T[], f: (item: T) => U): LazyItems<U> {
  return new LazyItems(items.length, (start, end) => items.slice(start, end).map(f));
}

/** Workloads and findings are written one by one: the root, then each member. */
const JSON_LEVELS = 2;

/** What is written: toJsonReport with its workloads and findings made as they are written. */
function jsonDocument(scan: ScanResult): unknown {
  return {
    ...head(scan),
    workloads: lazyMap([...scan.workloads].sort(compareWorkloads), workload),
    findings: lazyMap(listedFindings(scan), finding),
    ...tail(scan),
  };
}

/**
 * Undefined fields are dropped by JSON.stringify, so optional fields are
 * absent rather than null. Nothing is cut; characters a terminal would act on
 * are written as `\\uXXXX` escapes (`jsonSafe`, in jsonChunks).
 */
export const jsonReporter: Reporter = (scan) => [...jsonChunks(jsonDocument(scan), JSON_LEVELS)].join('');

/** The JSON report in chunks (the CLI's path for files and stdout): the same text as jsonReporter. */
export const jsonReportTo: StreamingReporter = (scan) => jsonChunks(jsonDocument(scan), JSON_LEVELS);
