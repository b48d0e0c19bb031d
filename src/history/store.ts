// The history store on any SqlRunner: a scan is written in one transaction
// (bulk rows as one JSON parameter each batch, expanded by json_populate_recordset,
// the same SQL on PGlite and PostgreSQL) and read back as the ScanResult it was.
import { createHash, randomUUID } from 'node:crypto';

import { LAYERS, type Layer } from '../model/check.js';
import type { Finding, FindingStatus, RuleInfo, ScanResult, TargetStatus, Workload, WorkloadKind } from '../model/report.js';
import { diffScans } from './diff.js';
import { HistoryError } from './errors.js';
import type { Sql } from './sql.js';
import type { HistoryStore, ListScansQuery, RecordCommand, RecordMeta, ScanSummary, TrendQuery, WorkloadTrendPoint } from './types.js';

/** Rows per INSERT: one JSON parameter each. */
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
  title?: string;
  remediation?: string;
  references?: readonly string[];
}

/** Columns written by the bulk inserts (json_to_recordset column definitions; scan_id is a parameter). */
const COLUMNS = {
  scan_targets: ['ordinal int', 'target text', 'kind text', 'status text', 'error text', 'workloads int', 'duration_ms float8'],
  workloads: [
    'ordinal int', 'workload_id text', 'identity text', 'kind text', 'name text', 'parent text', 'score float8', 'depth_holding int',
    'depth_applicable int', 'effective_score float8', 'effective_holding int', 'effective_applicable int', 'layers json', 'detail json',
  ],
  findings: [
    'ordinal int', 'fingerprint text', 'check_id text', 'workload_id text', 'status text', 'severity text', 'layer text', 'message text',
    'waiver json', 'location text', 'detail json',
  ],
} as const;

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function workloadRow(w: Workload, ordinal: number) {
  const detail: WorkloadDetail = { labels: w.labels, location: w.location };
  if (w.image !== undefined) detail.image = w.image;
  if (w.error !== undefined) detail.error = w.error;
  if (w.warnings !== undefined) detail.warnings = w.warnings;
  if (w.effective) detail.chain = w.effective.chain;
  return {
    ordinal,
    workload_id: w.id,
    identity: w.identity,
    kind: w.kind,
    name: w.name,
    parent: w.parent ?? null,
    score: w.score,
    depth_holding: w.depth.holding,
    depth_applicable: w.depth.applicable,
    effective_score: w.effective ? w.effective.score : null,
    effective_holding: w.effective ? w.effective.depth.holding : null,
    effective_applicable: w.effective ? w.effective.depth.applicable : null,
    layers: w.layers,
    detail,
  };
}

function findingRow(f: Finding, ordinal: number, rules: Map<string, RuleInfo['meta']>) {
  const meta = rules.get(f.checkId);
  const detail: FindingDetail = {};
  if (f.evidence !== undefined) detail.evidence = f.evidence;
  if (f.key !== undefined) detail.key = f.key;
  if (f.reason !== undefined) detail.reason = f.reason;
  if (f.baseline !== undefined) detail.baseline = f.baseline;
  // Title, remediation and references are the rule's in nearly every finding: stored once, in the rule set.
  if (meta?.title !== f.title) detail.title = f.title;
  if (meta?.remediation !== f.remediation) detail.remediation = f.remediation;
  if (!meta || !sameList(meta.references, f.references)) detail.references = f.references;
  return {
    ordinal,
    fingerprint: f.fingerprint,
    check_id: f.checkId,
    workload_id: f.workloadId,
    status: f.status,
    severity: f.severity,
    layer: f.layer,
    message: f.message,
    waiver: f.waiver ?? null,
    location: f.evidence ? `${f.evidence.source}: ${f.evidence.path}` : null,
    detail,
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

export function createStore(sql: Sql, description: string, hooks: StoreHooks = {}): SqlHistoryStore {
  async function insertBatches(tx: Pick<Sql, 'query'>, table: keyof typeof COLUMNS, scanId: string, rows: readonly object[]): Promise<void> {
    const columns = COLUMNS[table];
    const names = columns.map((c) => c.split(' ')[0]).join(', ');
    const text = `INSERT INTO ${table} (scan_id, ${names}) SELECT $1::uuid, r.* FROM json_to_recordset($2::json) AS r(${columns.join(', ')})`;
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const batch = rows.slice(i, i + BATCH_ROWS);
      await tx.query(text, [scanId, JSON.stringify(batch)]);
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

  const store: SqlHistoryStore = {
    description,

    async record(result, meta: RecordMeta) {
      const id = randomUUID();
      const rulesJson = JSON.stringify(result.rules);
      const ruleSet = createHash('sha256').update(rulesJson).digest('hex');
      const rules = new Map(result.rules.map((r) => [r.id, r.meta]));
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
      const targets = result.targets.map((t, ordinal) => ({
        ordinal,
        target: t.target,
        kind: t.kind,
        status: t.status,
        error: t.error ?? null,
        workloads: t.workloads,
        duration_ms: t.durationMs,
      }));
      const workloads = result.workloads.map((w, i) => workloadRow(w, i));
      const findings = result.findings.map((f, i) => findingRow(f, i, rules));
      await sql.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [RULE_SET_LOCK]);
        await tx.query('INSERT INTO rule_sets (hash, rules) VALUES ($1, $2::json) ON CONFLICT (hash) DO NOTHING', [ruleSet, rulesJson]);
        await tx.query('INSERT INTO scans SELECT * FROM json_populate_record(NULL::scans, $1::json)', [JSON.stringify(scan)]);
        await insertBatches(tx, 'scan_targets', id, targets);
        await insertBatches(tx, 'workloads', id, workloads);
        await insertBatches(tx, 'findings', id, findings);
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
      const [ruleRows, targetRows, workloadRows, findingRows] = await Promise.all([
        sql.query<{ rules: RuleInfo[] }>('SELECT rules FROM rule_sets WHERE hash = $1', [row.rule_set]),
        sql.query<Record<string, unknown>>('SELECT * FROM scan_targets WHERE scan_id = $1::uuid ORDER BY ordinal', [id]),
        sql.query<ReturnType<typeof workloadRow>>('SELECT * FROM workloads WHERE scan_id = $1::uuid ORDER BY ordinal', [id]),
        sql.query<ReturnType<typeof findingRow>>('SELECT * FROM findings WHERE scan_id = $1::uuid ORDER BY ordinal', [id]),
      ]);
      const rules = ruleRows[0]?.rules ?? [];
      const metas = new Map(rules.map((r) => [r.id, r.meta]));
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
      const workloads: Workload[] = workloadRows.map((w) => {
        const d = w.detail as WorkloadDetail;
        const out: Workload = {
          id: w.workload_id,
          kind: w.kind as WorkloadKind,
          name: w.name,
          labels: d.labels,
          identity: w.identity,
          score: w.score,
          depth: { holding: w.depth_holding, applicable: w.depth_applicable },
          layers: w.layers,
          location: d.location,
        };
        if (w.parent !== null) out.parent = w.parent;
        if (w.effective_holding !== null && w.effective_applicable !== null) {
          out.effective = { score: w.effective_score, depth: { holding: w.effective_holding, applicable: w.effective_applicable }, chain: d.chain ?? [] };
        }
        if (d.image !== undefined) out.image = d.image;
        if (d.error !== undefined) out.error = d.error;
        if (d.warnings !== undefined) out.warnings = d.warnings;
        return out;
      });
      const findings: Finding[] = findingRows.map((f) => {
        const d = f.detail as FindingDetail;
        const meta = metas.get(f.check_id);
        const out: Finding = {
          checkId: f.check_id,
          workloadId: f.workload_id,
          status: f.status as FindingStatus,
          severity: f.severity as Finding['severity'],
          layer: f.layer as Layer,
          title: d.title ?? meta?.title ?? f.check_id,
          message: f.message,
          remediation: d.remediation ?? meta?.remediation ?? '',
          references: d.references ?? meta?.references ?? [],
          fingerprint: f.fingerprint,
        };
        if (d.evidence !== undefined) out.evidence = d.evidence;
        if (d.key !== undefined) out.key = d.key;
        if (f.waiver !== null) out.waiver = f.waiver as Finding['waiver'] & object;
        if (d.reason !== undefined) out.reason = d.reason;
        if (d.baseline !== undefined) out.baseline = d.baseline;
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
        rules,
        waivers: row.waivers,
        options: row.extra.options,
      };
      if (row.extra.baseline !== undefined) result.baseline = row.extra.baseline;
      return result;
    },

    async workloadTrend(q: TrendQuery) {
      const rows = await sql.query<{
        identity: string;
        kind: WorkloadKind;
        name: string;
        scan_id: string;
        started_at: Date | string;
        score: number | null;
        depth_holding: number;
        depth_applicable: number;
        effective_score: number | null;
        effective_holding: number | null;
        effective_applicable: number | null;
        holding: string[] | null;
      }>(
        `SELECT w.identity, w.kind, w.name, w.scan_id::text AS scan_id, s.started_at, w.score, w.depth_holding, w.depth_applicable,
                w.effective_score, w.effective_holding, w.effective_applicable,
                ARRAY(SELECT l->>'layer' FROM json_array_elements(w.layers) AS l WHERE l->>'holds' = 'true') AS holding
         FROM workloads w JOIN scans s ON s.id = w.scan_id
         WHERE ($1::text IS NULL OR s.scope = $1) AND ($2::timestamptz IS NULL OR s.started_at >= $2)
           AND ($3::jsonb IS NULL OR w.identity IN (SELECT jsonb_array_elements_text($3::jsonb)))
           AND ($4::boolean OR s.shard_group IS NULL)
         ORDER BY w.identity, s.started_at, s.recorded_at`,
        [q.scope ?? null, q.since?.toISOString() ?? null, q.identities ? JSON.stringify(q.identities) : null, q.shards === true],
      );
      return rows.map((r) => {
        const holding = new Set(r.holding ?? []);
        const point: WorkloadTrendPoint = {
          identity: r.identity,
          kind: r.kind,
          name: r.name,
          scanId: r.scan_id,
          at: iso(r.started_at),
          score: r.score,
          depth: { holding: r.depth_holding, applicable: r.depth_applicable },
          holdingLayers: LAYERS.filter((l) => holding.has(l)),
        };
        if (r.effective_holding !== null && r.effective_applicable !== null) {
          point.effective = { score: r.effective_score, depth: { holding: r.effective_holding, applicable: r.effective_applicable } };
        }
        return point;
      });
    },

    async diff(a, b) {
      const [sa, sb] = await Promise.all([store.getScan(a), store.getScan(b)]);
      const [ra, rb] = await Promise.all([scanRow(a), scanRow(b)]);
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
        const [row] = await tx.query<{ n: number }>(
          'WITH gone AS (DELETE FROM scans WHERE started_at < $1::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone',
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
