import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openHistoryImpl, resolveDb, openSql } from '../../src/history/backends.js';
import { diffScans } from '../../src/history/diff.js';
import { HistoryError } from '../../src/history/errors.js';
import { loadMigrations, migrate } from '../../src/history/migrate.js';
import type { HistoryStore } from '../../src/history/types.js';
import type { ScanResult } from '../../src/model/report.js';
import { syntheticScan } from '../helpers/scan-result.js';
import { awkwardScan } from './awkward.js';
import { freshFolder, pglite, postgres, postgresReady, type Backend, type TestDb } from './backends.js';
import { recordV2 } from './v2-writer.js';

// PostgreSQL tests skip only when no server answers and PALISADE_REQUIRE_INTEGRATION is
// not set (a laptop without scripts/setup-postgres-integration.sh); in CI
// postgresReady() throws instead, so they fail rather than skip.
const pgOk = await postgresReady();
const root = path.join(import.meta.dirname, '..', '..');

function json<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function open(t: TestDb, extra: Parameters<typeof openHistoryImpl>[2] = {}): Promise<HistoryStore> {
  return openHistoryImpl(undefined, t.env, extra);
}

function child(args: string[], env: NodeJS.ProcessEnv): { done: Promise<number | null>; pid: number; kill: () => void; stderr: () => string } {
  const p = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/history/writer.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  p.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return {
    pid: p.pid ?? 0,
    done: new Promise((resolve) => p.on('exit', (code) => resolve(code))),
    kill: () => p.kill('SIGKILL'),
    stderr: () => err,
  };
}

function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      const s = statSync(p);
      h.update(path.relative(dir, p));
      if (s.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

async function waitFor(file: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([pglite, postgres])('src/history/store ($name)', (backend: Backend) => {
  // PGlite always runs; PostgreSQL only when it answers (see pgOk above).
  const skip = backend.name === 'postgres' && !pgOk;
  let t: TestDb;
  let store: HistoryStore;

  beforeAll(async () => {
    if (skip) return;
    t = await backend.fresh();
    store = await open(t);
  });
  afterAll(async () => {
    if (skip) return;
    await store?.close();
    await t?.drop();
  });

  it.skipIf(skip)('reads back a recorded scan equal to the ScanResult', async () => {
    const scan = syntheticScan({ workloads: 42, findingsPerWorkload: 12, seed: 7 });
    scan.baseline = { source: 'old.json', new: 3, unchanged: 1, fixed: [], notEvaluated: [] };
    const first = scan.findings[0];
    if (first) first.title = 'a title of its own';

    const { scanId } = await store.record(scan, { scope: 'round-trip', command: 'scan' });
    const back = await store.getScan(scanId);

    expect(back).toEqual(json(scan));
  });

  it.skipIf(skip)('lists scans newest first by scope, since and limit, without shard scans', async () => {
    for (const [i, scope] of ['list-a', 'list-b', 'list-a'].entries()) {
      await store.record(syntheticScan({ workloads: 3, findingsPerWorkload: 2, startedAt: `2026-10-0${i + 1}T00:00:00.000Z` }), { scope, command: 'scan' });
    }
    await store.record(syntheticScan({ workloads: 3, findingsPerWorkload: 2, startedAt: '2026-10-09T00:00:00.000Z' }), {
      scope: 'list-a',
      command: 'scan',
      shard: { group: 'g1', index: 1, count: 2 },
    });

    const all = await store.listScans({ scope: 'list-a' });
    const since = await store.listScans({ scope: 'list-a', since: new Date('2026-10-02T00:00:00Z') });
    const withShards = await store.listScans({ scope: 'list-a', shards: true });

    expect(all.map((s) => s.startedAt)).toEqual(['2026-10-03T00:00:00.000Z', '2026-10-01T00:00:00.000Z']);
    expect(all[0]).toMatchObject({ scope: 'list-a', command: 'scan', workloads: 3, targets: { total: 2, errors: 1 }, policy: { name: 'default' } });
    expect(since).toHaveLength(1);
    expect(withShards[0]?.shard).toEqual({ group: 'g1', index: 1, count: 2 });
    expect((await store.shardScans('g1')).map((s) => s.shard?.index)).toEqual([1]);
    expect(await store.listScans({ scope: 'list-a', limit: 1 })).toHaveLength(1);
  });

  it.skipIf(skip)('follows a workload by identity across re-created containers', async () => {
    for (let gen = 1; gen <= 3; gen++) {
      const scan = syntheticScan({ workloads: 5, findingsPerWorkload: 3, seed: gen, generation: gen, startedAt: `2026-09-0${gen}T00:00:00.000Z` });
      await store.record(scan, { scope: 'trend', command: 'scan' });
    }
    const identity = 'docker:engine-0/compose/shop/app-1/1';

    const points = await store.workloadTrend({ scope: 'trend', identities: [identity] });

    expect(points.map((p) => p.at)).toEqual(['2026-09-01T00:00:00.000Z', '2026-09-02T00:00:00.000Z', '2026-09-03T00:00:00.000Z']);
    const scans = await Promise.all(points.map((p) => store.getScan(p.scanId)));
    const ids = scans.map((s) => s.workloads.find((w) => w.identity === identity)?.id);
    expect(new Set(ids).size).toBe(3);
    const third = scans[2]?.workloads.find((w) => w.identity === identity);
    expect(points[2]).toMatchObject({ score: third?.score, depth: third?.depth, effective: { score: third?.effective?.score, depth: third?.effective?.depth } });
    expect(points[2]?.holdingLayers).toEqual(third?.layers.filter((l) => l.holds).map((l) => l.layer));
  });

  it.skipIf(skip)('diffs two recorded scans as diffScans does', async () => {
    const a = syntheticScan({ workloads: 10, findingsPerWorkload: 5, seed: 1 });
    const b = syntheticScan({ workloads: 10, findingsPerWorkload: 5, seed: 2, startedAt: '2026-11-02T00:00:00.000Z' });
    const ra = await store.record(a, { scope: 'diff', command: 'scan' });
    const rb = await store.record(b, { scope: 'diff', command: 'scan' });

    const d = await store.diff(ra.scanId, rb.scanId);

    expect(d).toEqual({ ...json(diffScans(a, b)), a: { startedAt: a.startedAt, id: ra.scanId, scope: 'diff' }, b: { startedAt: b.startedAt, id: rb.scanId, scope: 'diff' } });
  });

  it.skipIf(skip)('says clearly when a scan id is unknown', async () => {
    await expect(store.getScan('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'not-found' });
    await expect(store.getScan('nonsense')).rejects.toBeInstanceOf(HistoryError);
  });

  it.skipIf(skip)('prunes scans older than the retention and keeps the rest', { timeout: 180_000 }, async () => {
    const fresh = await backend.fresh();
    const s = await open(fresh);
    try {
      for (const day of ['01', '15', '28']) {
        await s.record(syntheticScan({ workloads: 4, findingsPerWorkload: 3, startedAt: `2026-08-${day}T00:00:00.000Z` }), { scope: 'p', command: 'scan' });
      }

      const removed = await s.prune(new Date('2026-08-20T00:00:00Z'));

      expect(removed).toBe(2);
      expect((await s.listScans({})).map((x) => x.startedAt)).toEqual(['2026-08-28T00:00:00.000Z']);
      expect(await s.prune(new Date('2026-08-20T00:00:00Z'))).toBe(0);
    } finally {
      await s.close();
      await fresh.drop();
    }
  });

  it.skipIf(skip)('loses nothing when two processes write at once', { timeout: 240_000 }, async () => {
    const fresh = await backend.fresh();
    const env = { ...fresh.env, PALISADE_TEST_WRITER_DB: '' };
    try {
      const writers = [child(['record', 'w1', '6'], env), child(['record', 'w2', '6'], env)];
      const codes = await Promise.all(writers.map((w) => w.done));
      expect(codes, writers.map((w) => w.stderr()).join('\n')).toEqual([0, 0]);

      const s = await open(fresh);
      try {
        expect(await s.listScans({ scope: 'w1' })).toHaveLength(6);
        expect(await s.listScans({ scope: 'w2' })).toHaveLength(6);
        const [one] = await s.listScans({ scope: 'w2', limit: 1 });
        expect((await s.getScan(one?.id ?? '')).findings).toHaveLength(400);
      } finally {
        await s.close();
      }
    } finally {
      await fresh.drop();
    }
  });

  it.skipIf(skip)('leaves no partial scan when the writer is killed inside the transaction', { timeout: 240_000 }, async () => {
    const fresh = await backend.fresh();
    const marker = path.join(await freshTmp(), 'paused');
    try {
      const w = child(['pause', 'killed', marker], { ...fresh.env, PALISADE_TEST_WRITER_DB: '' });
      await Promise.race([waitFor(marker, 200_000), w.done.then((c) => Promise.reject(new Error(`writer exited ${c}: ${w.stderr()}`)))]);
      w.kill();
      await w.done;

      const s = await open(fresh);
      try {
        expect(await s.listScans({ scope: 'killed', shards: true })).toEqual([]);
        const { scanId } = await s.record(syntheticScan({ workloads: 3, findingsPerWorkload: 2 }), { scope: 'after', command: 'scan' });
        expect((await s.getScan(scanId)).workloads).toHaveLength(3);
      } finally {
        await s.close();
      }
    } finally {
      await fresh.drop();
    }
  });

  // Skips only for PostgreSQL with no server outside CI (pgOk above); PGlite always runs.
  it.skipIf(skip)('reads back awkward scans exactly: escapes, findings of no rule or workload, own titles, other layer shapes', async () => {
    const scan = awkwardScan({ locations: true, oddLayers: true });

    const { scanId } = await store.record(scan, { scope: 'awkward', command: 'scan' });
    const back = await store.getScan(scanId);

    expect(back).toEqual(json(scan));
    // Key order is kept where the store keeps documents whole (a JSON report of a recorded scan is the same bytes).
    expect(JSON.stringify(back.workloads[3]?.layers)).toBe(JSON.stringify(scan.workloads[3]?.layers));
    expect(JSON.stringify(back.findings[0]?.evidence)).toBe(JSON.stringify(scan.findings[0]?.evidence));
  });

  // Skips only for PostgreSQL with no server outside CI (pgOk above); PGlite always runs.
  it.skipIf(skip)('diffs as diffScans does with repeated fingerprints, a workload that failed to scan and passes not listed', async () => {
    const a = awkwardScan({ seed: 4 });
    const b = awkwardScan({ seed: 5, startedAt: '2026-11-02T00:00:00.000Z' });
    b.findings = b.findings.filter((f) => f.status !== 'pass');
    b.workloads.pop();
    const ra = await store.record(a, { scope: 'diff-awkward', command: 'scan' });
    const rb = await store.record(b, { scope: 'diff-awkward', command: 'scan' });

    const forward = await store.diff(ra.scanId, rb.scanId);
    const backward = await store.diff(rb.scanId, ra.scanId);

    const ids = (x: { scanId: string }, y: { scanId: string }, sx: ScanResult, sy: ScanResult) => ({
      a: { startedAt: sx.startedAt, id: x.scanId, scope: 'diff-awkward' },
      b: { startedAt: sy.startedAt, id: y.scanId, scope: 'diff-awkward' },
    });
    expect(forward).toEqual({ ...json(diffScans(a, b)), ...ids(ra, rb, a, b) });
    expect(backward).toEqual({ ...json(diffScans(b, a)), ...ids(rb, ra, b, a) });
    expect(forward.fixed.length + forward.new.length + forward.notEvaluated.length).toBeGreaterThan(0);
  });

  // Skips only for PostgreSQL with no server outside CI (pgOk above); PGlite always runs.
  it.skipIf(skip)('migrates an empty database, and databases at schema versions 1 and 2 with their scans', { timeout: 240_000 }, async () => {
    const fresh = await backend.fresh();
    try {
      const location = resolveDb(undefined, fresh.env);
      const migrations = loadMigrations();
      expect(migrations.map((m) => m.version)).toEqual([1, 2, 3]);
      const scans = [awkwardScan({ seed: 6 }), syntheticScan({ workloads: 30, findingsPerWorkload: 8, seed: 9, startedAt: '2026-11-03T00:00:00.000Z' })];
      const sql = await openSql(location);
      const ids: string[] = [];
      try {
        expect(await migrate(sql, migrations.slice(0, 1))).toEqual([1]);
        ids.push(await recordV2(sql, scans[0] as ScanResult, { scope: 'old', command: 'scan' }));
        expect(await migrate(sql, migrations.slice(0, 2))).toEqual([2]);
        ids.push(await recordV2(sql, scans[1] as ScanResult, { scope: 'old', command: 'scan', shard: { group: 'g2', index: 1, count: 1 } }));
      } finally {
        await sql.close();
      }

      const s = await open(fresh);
      try {
        expect(await Promise.all(ids.map((id) => s.getScan(id)))).toEqual(json(scans));
        expect(await s.diff(ids[0] ?? '', ids[1] ?? '')).toEqual({
          ...json(diffScans(scans[0] as ScanResult, scans[1] as ScanResult)),
          a: { startedAt: scans[0]?.startedAt, id: ids[0], scope: 'old' },
          b: { startedAt: scans[1]?.startedAt, id: ids[1], scope: 'old' },
        });
        const identity = scans[1]?.workloads[4]?.identity ?? '';
        const [point] = await s.workloadTrend({ scope: 'old', identities: [identity], shards: true, since: new Date('2026-11-02T00:00:00Z') });
        const w = scans[1]?.workloads[4];
        expect(point).toMatchObject({ scanId: ids[1], score: w?.score, holdingLayers: w?.layers.filter((l) => l.holds).map((l) => l.layer) });
        expect((await s.shardScans('g2')).map((x) => x.id)).toEqual([ids[1]]);
        // New scans go into the new layout next to the migrated ones.
        const { scanId } = await s.record(scans[0] as ScanResult, { scope: 'new', command: 'scan' });
        expect(await s.getScan(scanId)).toEqual(json(scans[0]));
        expect(await s.prune(new Date('2026-11-02T12:00:00Z'))).toBe(2);
        expect((await s.listScans({ shards: true })).map((x) => x.id)).toEqual([ids[1]]);
      } finally {
        await s.close();
      }
      const again = await openSql(location);
      try {
        expect(await migrate(again)).toEqual([]);
        expect((await again.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY 1')).map((r) => r.version)).toEqual([1, 2, 3]);
        expect(await again.query('SELECT 1 FROM findings WHERE scan_id NOT IN (SELECT id FROM scans)')).toEqual([]);
        await again.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')");
      } finally {
        await again.close();
      }
      await expect(open(fresh)).rejects.toMatchObject({ code: 'schema', message: expect.stringContaining('upgrade palisade') });
    } finally {
      await fresh.drop();
    }
  });
});

async function freshTmp(): Promise<string> {
  const dir = path.join(await freshFolderParent(), `t-${process.pid}-${Math.random().toString(16).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function freshFolderParent(): Promise<string> {
  return path.join((await import('node:os')).tmpdir(), 'palisade-history-markers');
}

describe('src/history/pglite', () => {
  it('refuses a folder that is not a palisade database and changes nothing', { timeout: 60_000 }, async () => {
    const dir = await freshTmp();
    writeFileSync(path.join(dir, 'notes.txt'), 'my files');
    const before = hashTree(dir);

    const err = await openHistoryImpl(dir, {}).catch((e: unknown) => e);

    expect(err).toMatchObject({ code: 'corrupt', message: expect.stringContaining('not a palisade history folder') });
    expect(hashTree(dir)).toBe(before);
  });

  it.each([
    ['PG_VERSION garbage', (d: string) => writeFileSync(path.join(d, 'pgdata', 'PG_VERSION'), 'garbage\n')],
    ['pg_control zeroed', (d: string) => writeFileSync(path.join(d, 'pgdata', 'global', 'pg_control'), Buffer.alloc(8192))],
  ])('gives a clear error for a damaged folder (%s) and changes nothing', { timeout: 120_000 }, async (_name, damage) => {
    const dir = await freshFolder();
    const s = await openHistoryImpl(dir, {});
    await s.record(syntheticScan({ workloads: 2, findingsPerWorkload: 2 }), { scope: 'c', command: 'scan' });
    await s.close();
    damage(dir);
    const before = hashTree(dir);

    const err = await openHistoryImpl(dir, {}).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HistoryError);
    expect(err).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/damaged.*nothing was changed|damaged/) });
    expect(hashTree(dir)).toBe(before);
  });

  it('lets one process at a time use a folder: the next waits, then says who holds it', { timeout: 120_000 }, async () => {
    const dir = await freshFolder();
    const first = await openHistoryImpl(dir, {});
    try {
      const err = await openHistoryImpl(dir, {}, { lockTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'unavailable', message: expect.stringContaining(`in use by process ${process.pid}`) });
    } finally {
      await first.close();
    }
    const second = await openHistoryImpl(dir, {}, { lockTimeoutMs: 300 });
    await second.close();
  });
});
