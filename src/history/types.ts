// The history store's contract: what `scan --record`, `check --record`,
// `palisade serve`, `history`, `diff`, `merge` and `report --since` code against.
// Implementations: src/history/store.ts (one SQL schema on PGlite and PostgreSQL).
import type { Layer, Severity } from '../model/check.js';
import type { FindingStatus, ScanResult, WorkloadKind } from '../model/report.js';

export type RecordCommand = 'scan' | 'check' | 'serve' | 'merge';

export interface RecordMeta {
  /**
   * Which estate the scan covers; `diff` with no arguments compares the last
   * two scans of one scope. Default (CLI): the policy name plus the sorted
   * target list, or `--scope NAME`.
   */
  scope: string;
  command: RecordCommand;
  /** Shard runs of one fleet scan share a group id; `merge --db` joins them. */
  shard?: { group: string; index: number; count: number };
}

export interface ScanSummary {
  id: string;
  scope: string;
  command: RecordCommand;
  startedAt: string;
  finishedAt: string;
  /** When the scan was written to the store. */
  recordedAt: string;
  toolVersion: string;
  policy: { name: string; source: string };
  targets: { total: number; errors: number };
  workloads: number;
  /** Findings by status (passes counted even when the report did not list them). */
  summary: Record<FindingStatus, number>;
  gatePassed: boolean;
  incomplete: boolean;
  /** Mean own score of the workloads that have one; null when none. */
  meanScore: number | null;
  /** Lowest own depth (layers holding) of any workload; null when no workloads. */
  minDepth: number | null;
  shard?: { group: string; index: number; count: number };
}

/** One workload (by stable identity) in one scan. */
export interface WorkloadTrendPoint {
  identity: string;
  kind: WorkloadKind;
  name: string;
  scanId: string;
  /** The scan's startedAt. */
  at: string;
  score: number | null;
  depth: { holding: number; applicable: number };
  effective?: { score: number | null; depth: { holding: number; applicable: number } };
  /** Layers holding in this scan, in LAYERS order. */
  holdingLayers: Layer[];
}

export interface WorkloadRef {
  identity: string;
  kind: WorkloadKind;
  name: string;
}

export interface ScoreChange {
  from: number | null;
  to: number | null;
}

export interface DepthChange {
  from: number;
  to: number;
}

export interface WorkloadRegression extends WorkloadRef {
  /** Present when the own score went down (or became null from a number). */
  score?: ScoreChange;
  /** Present when the own depth (layers holding) went down. */
  depth?: DepthChange;
  effectiveScore?: ScoreChange;
  effectiveDepth?: DepthChange;
}

export interface LayerLoss extends WorkloadRef {
  /** Layers that held in A and do not hold in B. */
  lost: Layer[];
}

/** A finding as the diff reports it (identity instead of a per-scan workload id). */
export interface DiffFinding {
  fingerprint: string;
  checkId: string;
  workload: WorkloadRef;
  status: FindingStatus;
  severity: Severity;
  layer: Layer;
  message: string;
  /** Status in A, for unchanged and fixed findings. */
  previousStatus?: FindingStatus;
}

export interface ExpiredWaiver {
  check: string;
  source: string;
  reason: string;
  owner?: string;
  expires?: string;
  /** Findings it would have waived in B. */
  matched: number;
}

export interface ScanDiff {
  a: { id?: string; startedAt: string; scope?: string };
  b: { id?: string; startedAt: string; scope?: string };
  /** Failing in B and not failing in A (absent, passing, waived, error), by fingerprint. */
  new: DiffFinding[];
  /**
   * Failing in A; passing or not applicable in B (or absent from B while B
   * scanned that workload without error and listed no passes).
   */
  fixed: DiffFinding[];
  /** Failing in both. */
  unchanged: DiffFinding[];
  /** Failing in A, waived in B (accepted rather than fixed). */
  newlyWaived: DiffFinding[];
  /** Failing in A, not evaluated in B (check error, workload not scanned). */
  notEvaluated: DiffFinding[];
  regressed: WorkloadRegression[];
  /** Workloads whose own score or depth went up. */
  improved: WorkloadRegression[];
  layersLost: LayerLoss[];
  appeared: WorkloadRef[];
  disappeared: WorkloadRef[];
  /** Waivers active (or absent) in A and expired in B. */
  waiversExpired: ExpiredWaiver[];
  /** True when B is worse than A: anything new, regressed, layer lost, or waiver expired. */
  regression: boolean;
}

export interface ListScansQuery {
  scope?: string;
  since?: Date;
  /** Newest first; default 100. */
  limit?: number;
  /** Include the shard scans of fleet scans (default: only whole scans, merged ones included). */
  shards?: boolean;
}

export interface TrendQuery {
  since?: Date;
  scope?: string;
  /** Only these identities. */
  identities?: string[];
  /** Include shard scans (default: no). */
  shards?: boolean;
}

export interface HistoryStore {
  /** Writes the whole scan in one transaction; returns its id. */
  record(result: ScanResult, meta: RecordMeta): Promise<{ scanId: string }>;
  /** Newest first. */
  listScans(q: ListScansQuery): Promise<ScanSummary[]>;
  /** The recorded ScanResult as it was recorded. Throws HistoryError (notFound) for an unknown id. */
  getScan(id: string): Promise<ScanResult>;
  /** Per workload identity, oldest first: scan time, score, depth, effective. */
  workloadTrend(q: TrendQuery): Promise<WorkloadTrendPoint[]>;
  /** diffScans(getScan(a), getScan(b)) with ids filled in. */
  diff(a: string, b: string): Promise<ScanDiff>;
  /** Shard scans of one group (ordered by shard index). */
  shardScans(group: string): Promise<ScanSummary[]>;
  /** Deletes scans started before `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
  close(): Promise<void>;
  /** For messages: `pglite:<folder>` or the URL without its password. */
  readonly description: string;
}



/**
 * `openHistory(db, env)` (src/history/open.ts): `db` (or env PALISADE_DB,
 * default `./palisade-data`) is a folder -> PGlite, or a `postgres://` /
 * `postgresql://` URL -> PostgreSQL, whose password comes only from the
 * environment (`PALISADE_DB_URL`, `--db-env NAME`) or `passwordFile`.
 */
export interface OpenHistoryOptions {
  /** Resolve relative folders against this (default process.cwd()). */
  cwd?: string;
  /** A file holding the PostgreSQL password (trailing newline ignored). */
  passwordFile?: string;
  /** PGlite: how long to wait for another process's lock on the folder (ms, default 30000). */
  lockTimeoutMs?: number;
  /** `--db-env NAME`: the environment variable holding the PostgreSQL URL (default PALISADE_DB_URL). */
  dbEnv?: string;
}
export type OpenHistory = (db: string | undefined, env: NodeJS.ProcessEnv, options?: OpenHistoryOptions) => Promise<HistoryStore>;
