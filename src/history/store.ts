// The history store on any SqlRunner: a scan is written in one transaction
// (bulk rows by COPY, the same SQL on PGlite and PostgreSQL) and read back as
// the ScanResult it was. Reads of many rows come back as one json_agg document
// each: one value to decode instead of a row of values per finding.
import { randomUUID, createHash } from 'node:crypto';

import { LAYERS, type Layer, type Severity } from '../model/check.js';
import type { Finding, FindingStatus, RuleInfo, ScanResult, TargetStatus, Workload, WorkloadKind } from '../model/report.js';
import type { CopyColumn } from './copy.js';
import { diffScans, type DiffFindingInput, type DiffInput, type DiffWorkload } from './diff.js';
import { HistoryError } from './errors.js';
import { packLayers, unpackLayers, type PackedLayer } from './layers.js';
import type { Sql, SqlRunner } from './sql.js';
import type { HistoryStore, ListScansQuery, RecordCommand, RecordMeta, ScanSummary, TrendQuery, WorkloadTrendPoint } from './types.js';

/** Rows per COPY. */
export const BATCH_ROWS = 5000;

/** Shared by writers (rule sets they reference), exclusive for prune's clean-up of unused rule sets. */
const RULE_SET_LOCK = 7_215_302;

export interface StoreHooks {
  /** Called inside the transaction after each batch of rows (tests pause here to kill the writer). */
  afterBatch?: (table: string, rows: number) => Promise<void> | void;
}

interface ScanRow {
  id: string;
  scope: string;
  command: RecordCommand;
  policy_name: string;
  policy_source: string;
  started_at: Date | string;
  finished_at: Date | string;
  recorded_at: Date | string;
  tool_version: string;
  gate: ScanResult['gate'];
  gate_passed: boolean;
  incomplete: boolean;
  summary: Record<FindingStatus, number>;
  rule_set: string;
  waivers: ScanResult['waivers'];
  extra: { options: ScanResult['options']; baseline?: ScanResult['baseline'] };
  target_count: number;
  target_errors: number;
  workload_count: number;
  mean_score: number | null;
  min_depth: number | null;
  shard_group: string | null;
  shard_index: number | null;
  shard_count: number | null;
}

interface WorkloadDetail {
  labels: Record<string, string>;
  location: Workload['location'];
  image?: string;
  error?: string;
  warnings?: string[];
  chain?: string[];
}

interface FindingDetail {
  evidence?: Finding['evidence'];
  key?: string;
  reason?: string;
  baseline?: Finding['baseline'];
  location?: Finding['location'];
}

/** Columns written by COPY, in the order of the rows built below (scan_id first). */
const COLUMNS = {
  scan_targets: [
    ['scan_id', 'text'], ['ordinal', 'int'], ['target', 'text'], ['kind', 'text'], ['status', 'text'], ['error', 'text'], ['workloads', 'int'],
    ['duration_ms', 'float'],
  ],
  workloads: [
    ['scan_id', 'text'], ['ordinal', 'int'], ['workload_id', 'text'], ['identity', 'text'], ['kind', 'text'], ['name', 'text'], ['parent', 'text'],
    ['score', 'float'], ['depth_holding', 'int'], ['depth_applicable', 'int'], ['effective_score', 'float'], ['effective_holding', 'int'],
    ['effective_applicable', 'int'], ['layers', 'json'], ['detail', 'json'], ['holding', 'text[]'],
  ],
  scan_checks: [
    ['scan_id', 'text'], ['ordinal', 'int'], ['check_id', 'text'], ['severity', 'text'], ['layer', 'text'], ['title', 'text'],
    ['remediation', 'text'], ['refs', 'json'],
  ],
  findings: [
    ['scan_id', 'text'], ['ordinal', 'int'], ['check_ordinal', 'int'], ['workload_ordinal', 'int'], ['workload_id', 'text'], ['status', 'text'],
    ['fingerprint', 'text'], ['message', 'text'], ['waiver', 'json'], ['detail', 'json'],
  ],
} as const satisfies Record<string, readonly CopyColumn[]>;

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function workloadRow(scanId: string, w: Workload, ordinal: number): unknown[] {
  const detail: WorkloadDetail = { labels: w.labels, location: w.location };
  if (w.image !== undefined) detail.image = w.image;
  if (w.error !== undefined) detail.error = w.error;
  if (w.warnings !== undefined) detail.warnings = w.warnings;
  if (w.effective) detail.chain = w.effective.chain;
  const e = w.effective;
  return [
    scanId, ordinal, w.id, w.identity, w.kind, w.name, w.parent ?? null, w.score, w.depth.holding, w.depth.applicable,
    e ? e.score : null, e ? e.depth.holding : null, e ? e.depth.applicable : null, packLayers(w.layers), detail,
    w.layers.filter((l) => l.holds === true).map((l) => l.layer),
  ];
}

/** One scan_checks row: what the findings of one check share. */
interface CheckRow {
  ordinal: number;
  checkId: string;
  severity: Severity;
  layer: Layer;
  title: string;
  remediation: string;
  references: readonly string[];
}

/** The scan_checks rows of a scan, found by comparing fields (they are nearly always the very same strings). */
class ScanChecks {
  readonly rows: CheckRow[] = [];
  private readonly byId = new Map<string, CheckRow[]>();

  ordinalOf(f: Finding): number {
    let same = this.byId.get(f.checkId);
    if (!same) this.byId.set(f.checkId, (same = []));
    for (const c of same) {
      if (c.severity === f.severity && c.layer === f.layer && c.title === f.title && c.remediation === f.remediation && sameList(c.references, f.references)) {
        return c.ordinal;
      }
    }
    const row: CheckRow = { ordinal: this.rows.length, checkId: f.checkId, severity: f.severity, layer: f.layer, title: f.title, remediation: f.remediation, references: f.references };
    same.push(row);
    this.rows.push(row);
    return row.ordinal;
  }
}

function findingDetail(f: Finding): FindingDetail | null {
  if (f.evidence === undefined && f.key === undefined && f.reason === undefined && f.baseline === undefined && f.location === undefined) return null;
  const detail: FindingDetail = {};
  if (f.evidence !== undefined) detail.evidence = f.evidence;
  if (f.key !== undefined) detail.key = f.key;
  if (f.reason !== undefined) detail.reason = f.reason;
  if (f.baseline !== undefined) detail.baseline = f.baseline;
  if (f.location !== undefined) detail.location = f.location;
  return detail;
}

/** The scan_checks and findings rows of a scan. */
function findingRows(scanId: string, result: ScanResult): { checks: unknown[][]; findings: unknown[][] } {
  const workloadOrdinal = new Map<string, number>();
  result.workloads.forEach((w, i) => {
    if (!workloadOrdinal.has(w.id)) workloadOrdinal.set(w.id, i);
  });
  const checks = new ScanChecks();
  const findings = result.findings.map((f, ordinal) => {
    const check = checks.ordinalOf(f);
    const workload = workloadOrdinal.get(f.workloadId);
    return [
      scanId, ordinal, check, workload ?? null, workload === undefined ? f.workloadId : null, f.status, f.fingerprint,
      f.message === checks.rows[check]?.title ? null : f.message, f.waiver ?? null, findingDetail(f),
    ];
  });
  return {
    checks: checks.rows.map((c) => [scanId, c.ordinal, c.checkId, c.severity, c.layer, c.title, c.remediation, c.references]),
    findings,
  };
}

function summaryOf(row: ScanRow): ScanSummary {
  const out: ScanSummary = {
    id: row.id,
    scope: row.scope,
    command: row.command,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    recordedAt: iso(row.recorded_at),
    toolVersion: row.tool_version,
    policy: { name: row.policy_name, source: row.policy_source },
    targets: { total: row.target_count, errors: row.target_errors },
    workloads: row.workload_count,
    summary: row.summary,
    gatePassed: row.gate_passed,
    incomplete: row.incomplete,
    meanScore: row.mean_score,
    minDepth: row.min_depth,
  };
  if (row.shard_group !== null && row.shard_index !== null && row.shard_count !== null) {
    out.shard = { group: row.shard_group, index: row.shard_index, count: row.shard_count };
  }
  return out;
}

const SUMMARY_COLUMNS = `id, scope, command, policy_name, policy_source, started_at, finished_at, recorded_at, tool_version,
  gate_passed, incomplete, summary, target_count, target_errors, workload_count, mean_score, min_depth,
  shard_group, shard_index, shard_count`;

/** The SQL store: the HistoryStore contract plus what the CLI needs. */
export interface SqlHistoryStore extends HistoryStore {
  /** A full scan id for an id or a unique prefix of one (at least 4 characters). */
  resolveId(idOrPrefix: string): Promise<string>;
}

/**
 * The scans row of a recorded scan (json_populate_record(NULL::scans, ...)) and its rule set;
 * the scans table is the same in every schema version so far.
 */
export function scanRecord(id: string, result: ScanResult, meta: RecordMeta) {
  const rulesJson = JSON.stringify(result.rules);
  const ruleSet = createHash('sha256').update(rulesJson).digest('hex');
  const scored = result.workloads.filter((w) => w.score !== null);
  const scan = {
    id,
    scope: meta.scope,
    command: meta.command,
    policy_name: result.policy.name,
    policy_source: result.policy.source,
    started_at: result.startedAt,
    finished_at: result.finishedAt,
    recorded_at: new Date().toISOString(),
    tool_version: result.tool.version,
    gate: result.gate,
    gate_passed: result.gate.passed,
    incomplete: result.incomplete,
    summary: result.summary,
    rule_set: ruleSet,
    waivers: result.waivers,
    extra: result.baseline ? { options: result.options, baseline: result.baseline } : { options: result.options },
    target_count: result.targets.length,
    target_errors: result.targets.filter((t) => t.status === 'error').length,
    workload_count: result.workloads.length,
    mean_score: scored.length > 0 ? scored.reduce((s, w) => s + (w.score ?? 0), 0) / scored.length : null,
    min_depth: result.workloads.length > 0 ? Math.min(...result.workloads.map((w) => w.depth.holding)) : null,
    shard_group: meta.shard?.group ?? null,
    shard_index: meta.shard?.index ?? null,
    shard_count: meta.shard?.count ?? null,
  };
  return { scan, ruleSet, rulesJson };
}

/**
 * One json_agg document of positional rows, in ordinal order (the first element of each row).
 * Ordinals run 0..n-1 within a scan, so a row's index is its ordinal (workload_ordinal looks up by index).
 */
async function rowsOf<T extends readonly unknown[]>(runner: Pick<SqlRunner, 'query'>, text: string, params: readonly unknown[]): Promise<T[]> {
  const [row] = await runner.query<{ rows: T[] | null }>(text, params);
  return (row?.rows ?? []).sort((x, y) => (x[0] as number) - (y[0] as number));
}

type WorkloadTuple = [
  ordinal: number, id: string, identity: string, kind: WorkloadKind, name: string, parent: string | null, score: number | null,
  holding: number, applicable: number, effectiveScore: number | null, effectiveHolding: number | null, effectiveApplicable: number | null,
  layers: PackedLayer[] | Workload['layers'], detail: WorkloadDetail,
];
type FindingTuple = [
  ordinal: number, check: number, workload: number | null, workloadId: string | null, status: FindingStatus, fingerprint: string,
  message: string | null, waiver: Finding['waiver'] | null, detail: FindingDetail | null,
];
type DiffWorkloadTuple = [
  ordinal: number, id: string, identity: string, kind: WorkloadKind, name: string, score: number | null, holding: number,
  effectiveScore: number | null, effectiveHolding: number | null, effectiveApplicable: number | null, holdingLayers: Layer[], error: string | null,
];
type DiffFindingTuple = [
  ordinal: number, fingerprint: string, checkId: string, workload: number | null, workloadId: string | null, status: FindingStatus,
  severity: Severity, layer: Layer, message: string,
];
type TrendTuple = [
  kind: WorkloadKind, name: string, scan: number, score: number | null, holding: number, applicable: number,
  effectiveScore: number | null, effectiveHolding: number | null, effectiveApplicable: number | null, holdingLayers: string,
];

const WORKLOADS_SQL = `SELECT json_agg(json_build_array(ordinal, workload_id, identity, kind, name, parent, score, depth_holding, depth_applicable,
  effective_score, effective_holding, effective_applicable, layers, detail)) AS rows FROM workloads WHERE scan_id = $1::uuid`;
const FINDINGS_SQL = `SELECT json_agg(json_build_array(ordinal, check_ordinal, workload_ordinal, workload_id, status, fingerprint, message, waiver, detail)) AS rows
  FROM findings WHERE scan_id = $1::uuid`;
const DIFF_WORKLOADS_SQL = `SELECT json_agg(json_build_array(ordinal, workload_id, identity, kind, name, score, depth_holding,
  effective_score, effective_holding, effective_applicable, holding, detail->'error')) AS rows FROM workloads WHERE scan_id = $1::uuid`;
/**
 * The findings of scan $1 that diffScans can look at: those with a status in
 * $3, and those whose fingerprint has a status in $4 in scan $2 (every row of
 * such a fingerprint, so that duplicates resolve as they do in a full read).
 */
const DIFF_FINDINGS_SQL = `SELECT json_agg(json_build_array(f.ordinal, f.fingerprint, c.check_id, f.workload_ordinal, f.workload_id, f.status,
    c.severity, c.layer, COALESCE(f.message, c.title))) AS rows
  FROM findings f JOIN scan_checks c ON c.scan_id = f.scan_id AND c.ordinal = f.check_ordinal
  WHERE f.scan_id = $1::uuid
    AND (f.status = ANY ($3::text[]) OR f.fingerprint IN (SELECT o.fingerprint FROM findings o WHERE o.scan_id = $2::uuid AND o.status = ANY ($4::text[])))`;

export function createStore(sql: Sql, description: string, hooks: StoreHooks = {}): SqlHistoryStore {
  async function copyBatches(tx: SqlRunner, table: keyof typeof COLUMNS, rows: readonly (readonly unknown[])[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const batch = rows.slice(i, i + BATCH_ROWS);
      await tx.copyFrom(table, COLUMNS[table], batch);
      await hooks.afterBatch?.(table, batch.length);
    }
  }

  async function scanRow(id: string): Promise<ScanRow> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new HistoryError('not-found', `no recorded scan ${JSON.stringify(id)} in ${description} (scan ids are UUIDs; see palisade history)`);
    const rows = await sql.query<ScanRow>('SELECT * FROM scans WHERE id = $1::uuid', [id]);
    const row = rows[0];
    if (!row) throw new HistoryError('not-found', `no recorded scan ${id} in ${description}`);
    return row;
  }

  /** What diffScans reads of scan `id`, given the other scan of the diff. */
  async function diffSide(id: string, other: string, row: ScanRow, own: FindingStatus[], others: FindingStatus[]): Promise<DiffInput> {
    const [workloadRows, findingRows] = await Promise.all([
      rowsOf<DiffWorkloadTuple>(sql, DIFF_WORKLOADS_SQL, [id]),
      rowsOf<DiffFindingTuple>(sql, DIFF_FINDINGS_SQL, [id, other, own, others]),
    ]);
    const workloads = workloadRows.map(([, wid, identity, kind, name, score, holding, es, eh, ea, layers, error]): DiffWorkload => {
      const w: DiffWorkload = { id: wid, identity, kind, name, score, depth: { holding }, layers: layers.map((layer) => ({ layer, holds: true })) };
      if (eh !== null && ea !== null) w.effective = { score: es, depth: { holding: eh } };
      if (error !== null) w.error = error;
      return w;
    });
    const findings = findingRows.map(
      ([, fingerprint, checkId, workload, workloadId, status, severity, layer, message]): DiffFindingInput => ({
        fingerprint,
        checkId,
        workloadId: workloadId ?? workloads[workload ?? -1]?.id ?? '',
        status,
        severity,
        layer,
        message,
      }),
    );
    return { startedAt: iso(row.started_at), options: row.extra.options, waivers: row.waivers, workloads, findings };
  }

  const store: SqlHistoryStore = {
    description,

    async record(result, meta: RecordMeta) {
      const id = randomUUID();
      const { scan, ruleSet, rulesJson } = scanRecord(id, result, meta);
      const targets = result.targets.map((t, ordinal) => [id, ordinal, t.target, t.kind, t.status, t.error ?? null, t.workloads, t.durationMs]);
      const workloads = result.workloads.map((w, i) => workloadRow(id, w, i));
      const { checks, findings } = findingRows(id, result);
      await sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [RULE_SET_LOCK]);
        await tx.query('INSERT INTO rule_sets (hash, rules) VALUES ($1, $2::json) ON CONFLICT (hash) DO NOTHING', [ruleSet, rulesJson]);
        await tx.query('INSERT INTO scans SELECT * FROM json_populate_record(NULL::scans, $1::json)', [JSON.stringify(scan)]);
        await copyBatches(tx, 'scan_targets', targets);
        await copyBatches(tx, 'workloads', workloads);
        await copyBatches(tx, 'scan_checks', checks);
        await copyBatches(tx, 'findings', findings);
      });
      return { scanId: id };
    },

    async listScans(q: ListScansQuery) {
      const rows = await sql.query<ScanRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM scans
         WHERE ($1::text IS NULL OR scope = $1) AND ($2::timestamptz IS NULL OR started_at >= $2)
           AND ($3::boolean OR shard_group IS NULL)
         ORDER BY started_at DESC, recorded_at DESC LIMIT $4`,
        [q.scope ?? null, q.since?.toISOString() ?? null, q.shards === true, q.limit ?? 100],
      );
      return rows.map(summaryOf);
    },

    async shardScans(group) {
      const rows = await sql.query<ScanRow>(`SELECT ${SUMMARY_COLUMNS} FROM scans WHERE shard_group = $1 ORDER BY shard_index, started_at`, [group]);
      return rows.map(summaryOf);
    },

    async getScan(id) {
      const row = await scanRow(id);
      const [ruleRows, targetRows, workloadRows, checkRows, findingRows] = await Promise.all([
        sql.query<{ rules: RuleInfo[] }>('SELECT rules FROM rule_sets WHERE hash = $1', [row.rule_set]),
        sql.query<Record<string, unknown>>('SELECT * FROM scan_targets WHERE scan_id = $1::uuid ORDER BY ordinal', [id]),
        rowsOf<WorkloadTuple>(sql, WORKLOADS_SQL, [id]),
        sql.query<{ ordinal: number; check_id: string; severity: Severity; layer: Layer; title: string; remediation: string; refs: string[] }>(
          'SELECT ordinal, check_id, severity, layer, title, remediation, refs FROM scan_checks WHERE scan_id = $1::uuid',
          [id],
        ),
        rowsOf<FindingTuple>(sql, FINDINGS_SQL, [id]),
      ]);
      const checks = new Map(checkRows.map((c) => [c.ordinal, c]));
      const targets: TargetStatus[] = targetRows.map((t) => {
        const out: TargetStatus = {
          target: t['target'] as string,
          kind: t['kind'] as TargetStatus['kind'],
          status: t['status'] as TargetStatus['status'],
          workloads: t['workloads'] as number,
          durationMs: t['duration_ms'] as number,
        };
        if (t['error'] !== null) out.error = t['error'] as string;
        return out;
      });
      const workloads: Workload[] = workloadRows.map(([, wid, identity, kind, name, parent, score, holding, applicable, es, eh, ea, layers, d]) => {
        const out: Workload = { id: wid, kind, name, labels: d.labels, identity, score, depth: { holding, applicable }, layers: unpackLayers(layers), location: d.location };
        if (parent !== null) out.parent = parent;
        if (eh !== null && ea !== null) out.effective = { score: es, depth: { holding: eh, applicable: ea }, chain: d.chain ?? [] };
        if (d.image !== undefined) out.image = d.image;
        if (d.error !== undefined) out.error = d.error;
        if (d.warnings !== undefined) out.warnings = d.warnings;
        return out;
      });
      const findings: Finding[] = findingRows.map(([, check, workload, workloadId, status, fingerprint, message, waiver, d]) => {
        const c = checks.get(check);
        if (!c) throw new HistoryError('corrupt', `scan ${id} in ${description}: a finding names check ${check}, which the scan does not have`);
        const out: Finding = {
          checkId: c.check_id,
          workloadId: workloadId ?? workloads[workload ?? -1]?.id ?? '',
          status,
          severity: c.severity,
          layer: c.layer,
          title: c.title,
          message: message ?? c.title,
          remediation: c.remediation,
          references: c.refs,
          fingerprint,
        };
        if (d?.evidence !== undefined) out.evidence = d.evidence;
        if (d?.key !== undefined) out.key = d.key;
        if (waiver) out.waiver = waiver;
        if (d?.reason !== undefined) out.reason = d.reason;
        if (d?.baseline !== undefined) out.baseline = d.baseline;
        if (d?.location !== undefined) out.location = d.location;
        return out;
      });
      const result: ScanResult = {
        tool: { name: 'palisade', version: row.tool_version },
        startedAt: iso(row.started_at),
        finishedAt: iso(row.finished_at),
        policy: { name: row.policy_name, source: row.policy_source },
        targets,
        workloads,
        findings,
        summary: row.summary,
        gate: row.gate,
        incomplete: row.incomplete,
        rules: ruleRows[0]?.rules ?? [],
        waivers: row.waivers,
        options: row.extra.options,
      };
      if (row.extra.baseline !== undefined) result.baseline = row.extra.baseline;
      return result;
    },

    async workloadTrend(q: TrendQuery) {
      // Scans numbered oldest first; each point names its scan by that number. Points come
      // as one row per identity (one document each: fewer, smaller values to render and
      // decode than one document of everything). One snapshot, so that both reads number alike.
      const scansOf = `WITH s AS (
          SELECT id, started_at, row_number() OVER (ORDER BY started_at, recorded_at) - 1 AS n FROM scans
          WHERE ($1::text IS NULL OR scope = $1) AND ($2::timestamptz IS NULL OR started_at >= $2) AND ($3::boolean OR shard_group IS NULL)
        )`;
      const params = [q.scope ?? null, q.since?.toISOString() ?? null, q.shards === true];
      const [row, rows] = await sql.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const [scanList] = await tx.query<{ scans: [string, string][] | null }>(
          `${scansOf} SELECT json_agg(json_build_array(id, started_at) ORDER BY n) AS scans FROM s`,
          params,
        );
        const identities = await tx.query<{ identity: string; points: TrendTuple[] }>(
          `${scansOf}
           SELECT w.identity,
                  json_agg(json_build_array(w.kind, w.name, s.n, w.score, w.depth_holding, w.depth_applicable, w.effective_score,
                                            w.effective_holding, w.effective_applicable, array_to_string(w.holding, ' '))
                           ORDER BY s.n, w.ordinal) AS points
           FROM workloads w JOIN s ON s.id = w.scan_id
           WHERE $4::jsonb IS NULL OR w.identity IN (SELECT jsonb_array_elements_text($4::jsonb))
           GROUP BY w.identity ORDER BY w.identity`,
          [...params, q.identities ? JSON.stringify(q.identities) : null],
        );
        return [scanList, identities] as const;
      });
      const scans = (row?.scans ?? []).map(([scanId, at]) => ({ scanId, at: iso(at) }));
      // Most points share one of a few sets of holding layers (array_to_string: text arrays are slow to render as JSON).
      const holdingLayers = new Map<string, Layer[]>();
      const layersOf = (names: string): Layer[] => {
        let out = holdingLayers.get(names);
        if (!out) {
          const held = new Set(names.split(' '));
          holdingLayers.set(names, (out = LAYERS.filter((l) => held.has(l))));
        }
        return [...out];
      };
      const out: WorkloadTrendPoint[] = [];
      for (const { identity, points } of rows) {
        for (const [kind, name, n, score, holding, applicable, es, eh, ea, layers] of points) {
          const scan = scans[n];
          const point: WorkloadTrendPoint = {
            identity,
            kind,
            name,
            scanId: scan?.scanId ?? '',
            at: scan?.at ?? '',
            score,
            depth: { holding, applicable },
            holdingLayers: layersOf(layers),
          };
          if (eh !== null && ea !== null) point.effective = { score: es, depth: { holding: eh, applicable: ea } };
          out.push(point);
        }
      }
      return out;
    },

    async diff(a, b) {
      const [ra, rb] = await Promise.all([scanRow(a), scanRow(b)]);
      // diffScans walks B's failing and waived findings and A's failing ones, and looks each up in the other scan.
      const [sa, sb] = await Promise.all([diffSide(a, b, ra, ['fail'], ['fail', 'waived']), diffSide(b, a, rb, ['fail', 'waived'], ['fail'])]);
      const d = diffScans(sa, sb);
      d.a = { ...d.a, id: a, scope: ra.scope };
      d.b = { ...d.b, id: b, scope: rb.scope };
      return d;
    },

    async resolveId(idOrPrefix) {
      const wanted = idOrPrefix.trim().toLowerCase();
      if (!/^[0-9a-f-]{4,36}$/.test(wanted)) {
        throw new HistoryError('not-found', `${JSON.stringify(idOrPrefix)} is not a scan id (give an id or its first 4+ characters from palisade history)`);
      }
      const rows = await sql.query<{ id: string }>("SELECT id::text AS id FROM scans WHERE id::text LIKE $1 || '%' ORDER BY id LIMIT 2", [wanted]);
      if (rows.length === 0) throw new HistoryError('not-found', `no recorded scan ${wanted} in ${description}`);
      if (rows.length > 1) throw new HistoryError('not-found', `scan id ${wanted} is ambiguous in ${description}; give more characters`);
      return rows[0]?.id ?? wanted;
    },

    async prune(olderThan) {
      return sql.transaction(async (tx) => {
        // Findings have no foreign key to cascade along (see migration 003).
        const [row] = await tx.query<{ n: number }>(
          `WITH gone AS (DELETE FROM scans WHERE started_at < $1::timestamptz RETURNING id),
                findings_gone AS (DELETE FROM findings WHERE scan_id IN (SELECT id FROM gone))
           SELECT count(*)::int AS n FROM gone`,
          [olderThan.toISOString()],
        );
        await tx.query('SELECT pg_advisory_xact_lock($1)', [RULE_SET_LOCK]);
        await tx.query('DELETE FROM rule_sets r WHERE NOT EXISTS (SELECT 1 FROM scans s WHERE s.rule_set = r.hash)');
        return row?.n ?? 0;
      });
    },

    async close() {
      await sql.close();
    },
  };
  return store;
}
