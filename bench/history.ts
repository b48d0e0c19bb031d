// npm run bench:history: the history store on PGlite (a temporary folder) and on
// PostgreSQL (PALISADE_TEST_PG_URL, scripts/setup-postgres-integration.sh; skipped
// when it does not answer). Prints median and best of several runs for:
//   record   one scan of 1,000 workloads and 20,000 findings (one transaction)
//   read     getScan of that scan
//   diff     store.diff of two such scans (reads both, diffScans)
//   history  listScans over 1,000 scans, and one workload's trend over them
//   trend    every workload's trend over 1,000 scans of 50 workloads (50,000 points)
// Talks only to 127.0.0.1.
//
// Usage: npm run bench:history [-- --runs 5 --backends pglite,postgres]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { openHistoryImpl } from '../src/history/backends.js';
import type { HistoryStore } from '../src/history/types.js';
import { syntheticScan } from '../test/helpers/scan-result.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const runs = Number(arg('runs', '5'));
/** Scans in the history test (1,000 by default). */
const historyScans = Number(arg('history-scans', '1000'));
const wanted = arg('backends', 'pglite,postgres').split(',');
const PG_URL = process.env['PALISADE_TEST_PG_URL'] ?? 'postgres://palisade:palisade@127.0.0.1:5432/palisade_test';

interface Sample {
  wall: number;
  /** This process's CPU time (user + system): PGlite's whole work; for PostgreSQL, the client side only. */
  cpu: number;
}

async function time(fn: () => Promise<unknown>): Promise<Sample> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

function stats(samples: Sample[]): string {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const best = Math.min(...samples.map((s) => s.wall));
  return `wall median ${med(samples.map((s) => s.wall)).toFixed(0).padStart(5)} ms, best ${best.toFixed(0).padStart(5)} ms; cpu median ${med(samples.map((s) => s.cpu)).toFixed(0).padStart(5)} ms (${samples.length} runs)`;
}

async function bench(name: string, open: () => Promise<HistoryStore>): Promise<void> {
  console.log(`\n${name}   (load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}, ${(await import('node:os')).cpus().length} CPUs)`);
  const store = await open();
  try {
    const big = [1, 2].map((seed) => syntheticScan({ workloads: 1000, findingsPerWorkload: 20, seed, startedAt: `2026-11-0${seed}T00:00:00.000Z` }));
    const ids: string[] = [];
    const record: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const scan = big[i % 2] ?? big[0];
      if (!scan) break;
      record.push(await time(async () => ids.push((await store.record(scan, { scope: 'bench-big', command: 'scan' })).scanId)));
    }
    console.log(`  record 1,000 workloads / 20,000 findings   ${stats(record)}`);
    const read: Sample[] = [];
    for (let i = 0; i < runs; i++) read.push(await time(() => store.getScan(ids[0] ?? '')));
    console.log(`  getScan of it                               ${stats(read)}`);
    const diff: Sample[] = [];
    for (let i = 0; i < runs; i++) diff.push(await time(() => store.diff(ids[0] ?? '', ids[1] ?? '')));
    console.log(`  diff of two such scans                      ${stats(diff)}`);

    const t0 = performance.now();
    for (let i = 0; i < historyScans; i++) {
      const scan = syntheticScan({ workloads: 50, findingsPerWorkload: 5, seed: i + 1, startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() });
      await store.record(scan, { scope: 'bench-history', command: 'scan' });
    }
    console.log(`  (recorded ${historyScans} scans of 50 workloads in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const list: Sample[] = [];
    for (let i = 0; i < runs; i++) list.push(await time(() => store.listScans({ scope: 'bench-history', limit: historyScans })));
    console.log(`  listScans of 1,000 scans                    ${stats(list)}`);
    const one: Sample[] = [];
    for (let i = 0; i < runs; i++) one.push(await time(() => store.workloadTrend({ scope: 'bench-history', identities: ['docker:engine-0/compose/shop/app-7/1'] })));
    console.log(`  one workload's trend over 1,000 scans       ${stats(one)}`);
    const all: Sample[] = [];
    let points = 0;
    for (let i = 0; i < runs; i++) all.push(await time(async () => (points = (await store.workloadTrend({ scope: 'bench-history' })).length)));
    console.log(`  every workload's trend (${points} points)     ${stats(all)}`);
  } finally {
    await store.close();
  }
}

if (wanted.includes('pglite')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-bench-history-'));
  try {
    await bench(`PGlite (${dir})`, () => openHistoryImpl(dir, {}));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (wanted.includes('postgres')) {
  const name = `palisade_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let ok = false;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    ok = true;
  } catch (err) {
    console.log(`\nPostgreSQL: skipped (${String(err)}; run scripts/setup-postgres-integration.sh)`);
  }
  if (ok) {
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    try {
      await bench(`PostgreSQL (${url.host}, server ${(await admin.query('SHOW server_version')).rows[0]?.server_version})`, () =>
        openHistoryImpl(undefined, { PALISADE_DB_URL: url.toString() }),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch((err: unknown) => console.log(`(could not drop ${name}: ${String(err)})`));
    }
  }
  await admin.end().catch(() => {});
}
