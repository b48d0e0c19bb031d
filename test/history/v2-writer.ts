// Writes a scan the way palisade wrote it at schema versions 1 and 2 (before
// migration 003), so that migration tests start from real old rows. Frozen:
// change it only if those versions' layout was described wrongly here.
import { randomUUID } from 'node:crypto';

import type { Finding, ScanResult } from '../../src/model/report.js';
import type { Sql } from '../../src/history/sql.js';
import { scanRecord } from '../../src/history/store.js';
import type { RecordMeta } from '../../src/history/types.js';

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function findingV2(f: Finding, ordinal: number, result: ScanResult) {
  const meta = new Map(result.rules.map((r) => [r.id, r.meta])).get(f.checkId);
  const detail: Record<string, unknown> = {};
  if (f.evidence !== undefined) detail['evidence'] = f.evidence;
  if (f.key !== undefined) detail['key'] = f.key;
  if (f.reason !== undefined) detail['reason'] = f.reason;
  if (f.baseline !== undefined) detail['baseline'] = f.baseline;
  if (meta?.title !== f.title) detail['title'] = f.title;
  if (meta?.remediation !== f.remediation) detail['remediation'] = f.remediation;
  if (!meta || !same(meta.references, f.references)) detail['references'] = f.references;
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

export async function recordV2(sql: Sql, result: ScanResult, meta: RecordMeta): Promise<string> {
  const id = randomUUID();
  const { scan, ruleSet, rulesJson } = scanRecord(id, result, meta);
  const targets = result.targets.map((t, ordinal) => ({ ordinal, target: t.target, kind: t.kind, status: t.status, error: t.error ?? null, workloads: t.workloads, duration_ms: t.durationMs }));
  const workloads = result.workloads.map((w, ordinal) => {
    const detail: Record<string, unknown> = { labels: w.labels, location: w.location };
    if (w.image !== undefined) detail['image'] = w.image;
    if (w.error !== undefined) detail['error'] = w.error;
    if (w.warnings !== undefined) detail['warnings'] = w.warnings;
    if (w.effective) detail['chain'] = w.effective.chain;
    const e = w.effective;
    return {
      ordinal, workload_id: w.id, identity: w.identity, kind: w.kind, name: w.name, parent: w.parent ?? null, score: w.score,
      depth_holding: w.depth.holding, depth_applicable: w.depth.applicable, effective_score: e ? e.score : null,
      effective_holding: e ? e.depth.holding : null, effective_applicable: e ? e.depth.applicable : null, layers: w.layers, detail,
    };
  });
  const findings = result.findings.map((f, i) => findingV2(f, i, result));
  const insert = (table: string, columns: string) =>
    `INSERT INTO ${table} SELECT $1::uuid, r.* FROM json_to_recordset($2::json) AS r(${columns})`;
  await sql.transaction(async (tx) => {
    await tx.query('INSERT INTO rule_sets (hash, rules) VALUES ($1, $2::json) ON CONFLICT (hash) DO NOTHING', [ruleSet, rulesJson]);
    // json_populate_record ignores the shard columns at version 1, which has none.
    await tx.query('INSERT INTO scans SELECT * FROM json_populate_record(NULL::scans, $1::json)', [JSON.stringify(scan)]);
    await tx.query(insert('scan_targets', 'ordinal int, target text, kind text, status text, error text, workloads int, duration_ms float8'), [id, JSON.stringify(targets)]);
    await tx.query(
      insert(
        'workloads',
        'ordinal int, workload_id text, identity text, kind text, name text, parent text, score float8, depth_holding int, depth_applicable int, effective_score float8, effective_holding int, effective_applicable int, layers json, detail json',
      ),
      [id, JSON.stringify(workloads)],
    );
    await tx.query(
      insert('findings', 'ordinal int, fingerprint text, check_id text, workload_id text, status text, severity text, layer text, message text, waiver json, location text, detail json'),
      [id, JSON.stringify(findings)],
    );
  });
  return id;
}
