// The result of a scan: workloads with scores, and findings. Reporters read
// only this; the JSON report is this shape (schema: docs/report.schema.json).
import type { CheckMeta, Evidence, Layer, Severity } from './check.js';

export type FindingStatus = 'pass' | 'fail' | 'waived' | 'not-applicable' | 'error';
export const FINDING_STATUSES: readonly FindingStatus[] = ['fail', 'error', 'waived', 'not-applicable', 'pass'];

export type WorkloadKind = 'container' | 'engine' | 'host';

/** A place in a file of the repository that explains a workload or finding. */
export interface SourceLocation {
  /** Repository-relative path with forward slashes, no scheme. */
  uri: string;
  startLine: number;
  /** True when no real file backs it (a stable synthetic path). */
  synthetic: boolean;
}

export interface Waiver {
  reason: string;
  owner?: string;
  expires?: string;
  /** Where the waiver is declared. */
  source: string;
  /** The waiver's policy line, when the policy file is inside the repository. */
  location?: SourceLocation;
}

export interface Finding {
  checkId: string;
  workloadId: string;
  status: FindingStatus;
  severity: Severity;
  layer: Layer;
  title: string;
  message: string;
  evidence?: Evidence;
  remediation: string;
  references: readonly string[];
  /** Stable across rescans and image rebuilds: check id, workload identity, violation key. */
  fingerprint: string;
  /** Distinguishes violations of one check on one workload. */
  key?: string;
  waiver?: Waiver;
  /** For not-applicable and error: why. */
  reason?: string;
  /** With `--baseline`: whether this failing or waived finding is new since the baseline. */
  baseline?: 'new' | 'unchanged';
  /**
   * The line that declares what the finding is about (`privileged: true` in a
   * Compose file), when palisade knows it; reporters prefer it to the
   * workload's location.
   */
  location?: SourceLocation;
}

export interface LayerScore {
  layer: Layer;
  /** 0..100; null when no check of this layer applied. */
  score: number | null;
  /** null when not applicable. */
  holds: boolean | null;
  counts: Record<FindingStatus, number>;
  /** A critical check failed in this layer, so it cannot hold whatever its score. */
  criticalFailure: boolean;
}

export interface Workload {
  /** Unique within a report, e.g. `engine:<engine>` or `container:<engine>/<name>`. */
  id: string;
  kind: WorkloadKind;
  name: string;
  labels: Record<string, string>;
  /** The workload this one runs on (a container's engine). */
  parent?: string;
  /** Survives container re-creation: engine + compose service, or engine + name. */
  identity: string;
  /** 0..100 layer-weighted mean; null when nothing applied. */
  score: number | null;
  depth: { holding: number; applicable: number };
  layers: LayerScore[];
  /**
   * Own layers plus those of everything this workload runs on (container ->
   * engine -> VM); absent when it runs on nothing palisade scanned.
   */
  effective?: { score: number | null; depth: { holding: number; applicable: number }; chain: string[] };
  /** Where the workload is declared (compose service), or a synthetic path. */
  location: SourceLocation;
  /** Container workloads: the image reference. */
  image?: string;
  /** The collector could not gather facts: all its checks are errors. */
  error?: string;
  /** Partial collection problems that left the facts usable. */
  warnings?: string[];
}

export interface BaselineSummary {
  /** The baseline report file. */
  source: string;
  new: number;
  unchanged: number;
  /** Failing or waived in the baseline and evaluated clean now. */
  fixed: Finding[];
  /** Failing or waived in the baseline but not evaluated now (check error, workload not scanned...). */
  notEvaluated: { finding: Finding; reason: string }[];
}

/** What became of a policy waiver in this scan. */
export interface WaiverStatus {
  check: string;
  /** `file:line` of the waiver. */
  source: string;
  reason: string;
  owner?: string;
  expires?: string;
  /** active: applied to at least one finding; expired: past its date (no longer applies); stale: matched nothing. */
  status: 'active' | 'expired' | 'stale';
  /** Findings it waived (active) or would have waived (expired). */
  matched: number;
  /** The waiver's policy line, when the policy file is inside the repository. */
  location?: SourceLocation;
}

export interface TargetStatus {
  /** Endpoint as given (credentials removed). */
  target: string;
  kind: 'docker' | 'ssh' | 'compose';
  status: 'ok' | 'error';
  error?: string;
  workloads: number;
  durationMs: number;
}

export interface RuleInfo {
  id: string;
  meta: CheckMeta;
}

export interface GateResult {
  passed: boolean;
  failOn: Severity | 'none';
  minScore: number | null;
  /** Minimum own depth (layers holding) every workload must reach. */
  minDepth?: number;
  /** The baseline file when the gate counted only findings new since it. */
  baseline?: string;
  /** Why the gate failed (empty when it passed). */
  reasons: string[];
}

export interface ScanResult {
  tool: { name: 'palisade'; version: string };
  startedAt: string;
  finishedAt: string;
  policy: { name: string; source: string };
  targets: TargetStatus[];
  workloads: Workload[];
  findings: Finding[];
  /** Findings by status, passes included even when not listed. */
  summary: Record<FindingStatus, number>;
  gate: GateResult;
  /** True when a target or workload could not be scanned completely. */
  incomplete: boolean;
  /** Every check that ran, for reporters that describe rules (SARIF). */
  rules: RuleInfo[];
  /** Every waiver of the policy and what became of it. */
  waivers: WaiverStatus[];
  /** With `--baseline`: what changed since the previous report. */
  baseline?: BaselineSummary;
  /** Options the report was produced with. */
  options: { includePassed: boolean };
}
