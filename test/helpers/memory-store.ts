// An in-memory HistoryStore for serve tests: records whole scans (or
// nothing, like the real store's one transaction), with hooks to hold or
// fail a write.
import { diffScans } from '../../src/history/diff.js';
import type { HistoryStore, ListScansQuery, RecordMeta, ScanDiff, ScanSummary, TrendQuery, WorkloadTrendPoint } from '../../src/history/types.js';
import type { ScanResult } from '../../src/model/report.js';

interface Row {
  id: string;
  meta: RecordMeta;
  result: ScanResult;
}

export class MemoryStore implements HistoryStore {
  readonly rows: Row[] = [];
  readonly description = 'memory';
  /** Awaited inside record() before the write lands (a slow transaction). */
  gate: Promise<void> | undefined;
  /** Thrown by the next record(). */
  failNext: Error | undefined;
  closed = false;

  async record(result: ScanResult, meta: RecordMeta): Promise<{ scanId: string }> {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    if (this.gate) await this.gate;
    const id = `scan-${this.rows.length + 1}`;
    this.rows.push({ id, meta, result: structuredClone(result) });
    return { scanId: id };
  }

  async listScans(q: ListScansQuery): Promise<ScanSummary[]> {
    return this.rows
      .filter((r) => q.scope === undefined || r.meta.scope === q.scope)
      .reverse()
      .slice(0, q.limit ?? 100)
      .map((r) => ({ id: r.id, scope: r.meta.scope, startedAt: r.result.startedAt }) as ScanSummary);
  }

  async getScan(id: string): Promise<ScanResult> {
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw new Error(`no scan ${id}`);
    return structuredClone(row.result);
  }

  async workloadTrend(q: TrendQuery): Promise<WorkloadTrendPoint[]> {
    return this.rows
      .filter((r) => (q.scope === undefined || r.meta.scope === q.scope) && (q.since === undefined || Date.parse(r.result.startedAt) >= q.since.getTime()))
      .flatMap((r) =>
        r.result.workloads.map((w) => ({
          identity: w.identity,
          kind: w.kind,
          name: w.name,
          scanId: r.id,
          at: r.result.startedAt,
          score: w.score,
          depth: w.depth,
          holdingLayers: w.layers.filter((l) => l.holds === true).map((l) => l.layer),
        })),
      );
  }

  async diff(a: string, b: string): Promise<ScanDiff> {
    return diffScans(await this.getScan(a), await this.getScan(b));
  }

  async shardScans(): Promise<ScanSummary[]> {
    return [];
  }

  async prune(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
