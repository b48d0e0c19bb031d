// npm run bench:history (and the `history` section of npm run bench): the
// history store on PGlite (a temporary folder) and on PostgreSQL
// (PALISADE_TEST_PG_URL, scripts/setup-postgres-integration.sh; skipped with
// the reason when it does not answer). Median and best of several runs for:
//   record   one scan of 1,000 workloads and 20,000 findings (one transaction)
//   getScan  of that scan
//   diff     store.diff of two such scans
//   history  listScans over 1,000 scans, and one workload's trend over them
//   trend    every workload's trend over 1,000 scans of 50 workloads (50,000 points)
// CPU is this process's (user + system): PGlite's whole work, PostgreSQL's client
// side; for PostgreSQL the server's backends' CPU is added from /proc when it runs
// on this machine. Talks only to 127.0.0.1.
//
// Usage: npm run bench:history [-- --runs 5 --history-scans 1000 --backends pglite,postgres]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { openHistoryImpl } from '../src/history/backends.js';
import type { HistoryStore } from '../src/history/types.js';
import { syntheticScan } from '../test/helpers/scan-result.js';

const PG_URL = process.env['PALISADE_TEST_PG_URL'] ?? 'postgres://palisade:palisade@127.0.0.1:5432/palisade_test';

export interface HistoryBenchOptions {
  runs: number;
  /** Scans in the history test (1,000 by default). */
  historyScans: number;
  backends: readonly ('pglite' | 'postgres')[];
  /** Called with each line as it is measured (default: console.log). */
  print?: (line: string) => void;
}

interface Sample {
  wall: number;
  /** This process's CPU time (user + system). */
  cpu: number;
  /** PostgreSQL's backends' CPU time, when readable. */
  server?: number;
}

export interface HistoryBenchRow {
  name: string;
  samples: Sample[];
}

export interface HistoryBenchResult {
  backend: string;
  /** Set when the backend was not measured. */
  skipped?: string;
  load: number[];
  rows: HistoryBenchRow[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export function formatRow(row: HistoryBenchRow): string {
  const s = row.samples;
  const server = s.every((x) => x.server !== undefined) ? `; server cpu median ${median(s.map((x) => x.server ?? 0)).toFixed(0).padStart(5)} ms` : '';
  return (
    `  ${row.name.padEnd(44)} wall median ${median(s.map((x) => x.wall)).toFixed(0).padStart(5)} ms, best ${Math.min(...s.map((x) => x.wall)).toFixed(0).padStart(5)} ms; ` +
    `cpu median ${median(s.map((x) => x.cpu)).toFixed(0).padStart(5)} ms${server} (${s.length} runs)`
  );
}

/** CPU (ms) of the server processes serving database `db`, when they run here and /proc shows them. */
function serverCpu(admin: pg.Client, db: string): () => Promise<number | undefined> {
  const tick = 10; // USER_HZ = 100 on Linux
  return async () => {
    try {
      const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db]);
      let ms = 0;
      for (const { pid } of rows) {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ms += (Number(fields[11]) + Number(fields[12])) * tick;
      }
      return Number.isFinite(ms) ? ms : undefined;
    } catch {
      return undefined;
    }
  };
}

async function measure(store: HistoryStore, o: HistoryBenchOptions, print: (line: string) => void, server?: () => Promise<number | undefined>): Promise<HistoryBenchRow[]> {
  const rows: HistoryBenchRow[] = [];
  async function time(name: string | (() => string), fn: (i: number) => Promise<unknown>): Promise<void> {
    const samples: Sample[] = [];
    for (let i = 0; i < o.runs; i++) {
      const s0 = await server?.();
      const c = process.cpuUsage();
      const t = performance.now();
      await fn(i);
      const wall = performance.now() - t;
      const used = process.cpuUsage(c);
      const s1 = await server?.();
      const sample: Sample = { wall, cpu: (used.user + used.system) / 1000 };
      if (s0 !== undefined && s1 !== undefined) sample.server = s1 - s0;
      samples.push(sample);
    }
    const row = { name: typeof name === 'string' ? name : name(), samples };
    rows.push(row);
    print(formatRow(row));
  }

  const big = [1, 2].map((seed) => syntheticScan({ workloads: 1000, findingsPerWorkload: 20, seed, startedAt: `2026-11-0${seed}T00:00:00.000Z` }));
  const ids: string[] = [];
  await time('record 1,000 workloads / 20,000 findings', async (i) => {
    ids.push((await store.record(big[i % 2] ?? syntheticScan({ workloads: 1, findingsPerWorkload: 1 }), { scope: 'bench-big', command: 'scan' })).scanId);
  });
  await time('getScan of it', () => store.getScan(ids[0] ?? ''));
  await time('diff of two such scans', () => store.diff(ids[0] ?? '', ids[1] ?? ids[0] ?? ''));

  const n = o.historyScans.toLocaleString('en-US');
  const t0 = performance.now();
  for (let i = 0; i < o.historyScans; i++) {
    const scan = syntheticScan({ workloads: 50, findingsPerWorkload: 5, seed: i + 1, startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() });
    await store.record(scan, { scope: 'bench-history', command: 'scan' });
  }
  print(`  (recorded ${n} scans of 50 workloads in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await time(`listScans of ${n} scans`, () => store.listScans({ scope: 'bench-history', limit: o.historyScans }));
  await time(`one workload's trend over ${n} scans`, () => store.workloadTrend({ scope: 'bench-history', identities: ['docker:engine-0/compose/shop/app-7/1'] }));
  let points = 0;
  await time(
    () => `every workload's trend (${points.toLocaleString('en-US')} points)`,
    async () => (points = (await store.workloadTrend({ scope: 'bench-history' })).length),
  );
  return rows;
}

async function pglite(o: HistoryBenchOptions, print: (line: string) => void): Promise<HistoryBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-bench-history-'));
  const load = loadavg();
  print(`\nPGlite (${dir})   (load average ${load.map((l) => l.toFixed(1)).join(' ')}, ${cpus().length} CPUs)`);
  const store = await openHistoryImpl(dir, {});
  try {
    return { backend: 'PGlite', load, rows: await measure(store, o, print) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(o: HistoryBenchOptions, print: (line: string) => void): Promise<HistoryBenchResult> {
  const name = `palisade_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    const skipped = `${String(err)}; run scripts/setup-postgres-integration.sh or set PALISADE_TEST_PG_URL`;
    print(`\nPostgreSQL: skipped (${skipped})`);
    await admin.end().catch(() => {});
    return { backend: 'PostgreSQL', skipped, load: loadavg(), rows: [] };
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
    const load = loadavg();
    print(`\nPostgreSQL (${url.host}, server ${version})   (load average ${load.map((l) => l.toFixed(1)).join(' ')}, ${cpus().length} CPUs)`);
    const store = await openHistoryImpl(undefined, { PALISADE_DB_URL: url.toString() });
    try {
      const cpu = serverCpu(admin, name);
      return { backend: 'PostgreSQL', load, rows: await measure(store, o, print, (await cpu()) === undefined ? undefined : cpu) };
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch((err: unknown) => print(`(could not drop ${name}: ${String(err)})`));
    await admin.end().catch(() => {});
  }
}

export async function runHistoryBench(o: HistoryBenchOptions): Promise<HistoryBenchResult[]> {
  const print = o.print ?? ((line: string) => console.log(line));
  const out: HistoryBenchResult[] = [];
  if (o.backends.includes('pglite')) out.push(await pglite(o, print));
  if (o.backends.includes('postgres')) out.push(await postgres(o, print));
  return out;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
  };
  await runHistoryBench({
    runs: Number(arg('runs', '5')),
    historyScans: Number(arg('history-scans', '1000')),
    backends: arg('backends', 'pglite,postgres').split(',') as HistoryBenchOptions['backends'],
  });
}
