import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openHistoryImpl } from '../../src/history/backends.js';
import { diffScans } from '../../src/history/diff.js';
import { mergeScans } from '../../src/history/merge.js';
import type { ScanResult } from '../../src/model/report.js';
import { packageRoot } from '../../src/paths.js';
import { reporters } from '../../src/reporters/index.js';
import { runCli } from '../helpers/cli.js';
import { syntheticScan } from '../helpers/scan-result.js';
import { PG_URL, pglite, postgres, postgresReady, type Backend, type TestDb } from '../history/backends.js';

// PostgreSQL tests skip only when no server answers and PALISADE_REQUIRE_INTEGRATION is
// not set (a laptop without scripts/setup-postgres-integration.sh); in CI
// postgresReady() throws instead, so they fail rather than skip.
const pgOk = await postgresReady();
const NOW = new Date('2026-11-10T00:00:00Z');

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'palisade-cli-history-'));
}

function writeReport(dir: string, name: string, r: ScanResult): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

/** B: one workload loses score and depth, and a passing check now fails. */
function worse(a: ScanResult): ScanResult {
  const b = structuredClone(a);
  b.startedAt = '2026-11-02T00:00:00.000Z';
  const w = b.workloads[1];
  if (w) {
    w.score = 1;
    w.depth = { holding: 0, applicable: w.depth.applicable };
    for (const l of w.layers) l.holds = false;
  }
  const f = b.findings.find((x) => x.status === 'pass');
  if (f) f.status = 'fail';
  return b;
}

describe('palisade diff and merge on JSON reports (no database)', () => {
  const dir = tmp();
  const a = syntheticScan({ workloads: 8, findingsPerWorkload: 6, seed: 3 });
  const b = worse(a);
  const fa = writeReport(dir, 'a.json', a);
  const fb = writeReport(dir, 'b.json', b);

  it('diffs two report files as diffScans does, in json, table and markdown', async () => {
    const json = await runCli(['diff', fa, fb, '--format', 'json'], { cwd: dir });
    const table = await runCli(['diff', fa, fb], { cwd: dir });
    const md = await runCli(['diff', fa, fb, '--format', 'markdown'], { cwd: dir });

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(diffScans(a, b))));
    expect(table.stdout).toMatch(/^REGRESSION: 1 new, 1 regressed, 1 lost a layer/m);
    expect(table.stdout).toContain('Layers lost (1):');
    expect(md.stdout).toMatch(/^## palisade diff /);
    expect(md.stdout).toContain('### New failing findings (1)');
  });

  it('exits 1 on a regression only with --fail-on-regression', async () => {
    expect((await runCli(['diff', fa, fb, '--fail-on-regression'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['diff', fb, fb, '--fail-on-regression'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a file that is not a report with exit 2 naming it', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');

    const r = await runCli(['diff', bad, fb], { cwd: dir });

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not a palisade JSON report`);
  });

  it('merges shard reports into one report', async () => {
    const s1 = syntheticScan({ workloads: 5, findingsPerWorkload: 3, seed: 1 });
    const s2 = structuredClone(s1);
    for (const w of s2.workloads) {
      w.id = w.id.replace('engine-0', 'engine-x');
      w.identity = w.identity.replace('engine-0', 'engine-x');
      if (w.parent) w.parent = w.parent.replace('engine-0', 'engine-x');
    }
    for (const f of s2.findings) f.workloadId = f.workloadId.replace('engine-0', 'engine-x');

    const r = await runCli(['merge', writeReport(dir, 's1.json', s1), writeReport(dir, 's2.json', s2), '--format', 'json'], { cwd: dir });

    expect([0, 1, 3]).toContain(r.code);
    expect(r.stdout).toBe(reporters.json(mergeScans([s1, s2]), { color: false, width: 100 }));
    expect((JSON.parse(r.stdout) as ScanResult).workloads).toHaveLength(10);
  });
});

describe.each([pglite, postgres])('palisade history, diff, merge, scan --record ($name)', (backend: Backend) => {
  // PGlite always runs; PostgreSQL only when it answers (see pgOk above).
  const skip = backend.name === 'postgres' && !pgOk;
  let t: TestDb;
  let ids: string[] = [];
  const args = () => (backend.name === 'pglite' ? ['--db', t.db] : []);
  const env = () => ({ PATH: process.env['PATH'] ?? '', ...t.env });

  beforeAll(async () => {
    if (skip) return;
    t = await backend.fresh();
    const store = await openHistoryImpl(undefined, t.env);
    try {
      const a = syntheticScan({ workloads: 6, findingsPerWorkload: 4, seed: 5, generation: 1 });
      const b = worse(syntheticScan({ workloads: 6, findingsPerWorkload: 4, seed: 5, generation: 2 }));
      ids = [(await store.record(a, { scope: 'estate', command: 'scan' })).scanId, (await store.record(b, { scope: 'estate', command: 'scan' })).scanId];
      for (const index of [1, 2]) {
        const shard = syntheticScan({ workloads: 3, findingsPerWorkload: 2, seed: index, startedAt: `2026-11-0${index}T06:00:00.000Z` });
        for (const w of shard.workloads) w.id = `${w.id}-s${index}`;
        for (const f of shard.findings) f.workloadId = `${f.workloadId}-s${index}`;
        await store.record(shard, { scope: 'fleet', command: 'scan', shard: { group: 'job-1', index, count: 3 } });
      }
    } finally {
      await store.close();
    }
  }, 300_000);
  afterAll(async () => {
    if (!skip) await t?.drop();
  });

  it.skipIf(skip)('lists scans and each workload\'s trend, as json and as a table', { timeout: 180_000 }, async () => {
    const json = await runCli(['history', ...args(), '--scope', 'estate', '--format', 'json'], { env: env() });
    const table = await runCli(['history', ...args(), '--scope', 'estate'], { env: env() });

    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { scans: { id: string }[]; workloads: { identity: string; points: unknown[] }[] };
    expect(parsed.scans.map((s) => s.id)).toEqual([...ids].reverse());
    expect(parsed.workloads.find((w) => w.identity === 'docker:engine-0/compose/shop/app-1/1')?.points).toHaveLength(2);
    expect(table.stdout).toContain(ids[0]?.slice(0, 8));
    expect(table.stdout).toMatch(/app-1\s+container\s+\S+ → 1 ▼/);
  });

  it.skipIf(skip)('diffs the last two scans of a scope by default, and ids by prefix', { timeout: 180_000 }, async () => {
    const byDefault = await runCli(['diff', ...args(), '--scope', 'estate', '--format', 'json', '--fail-on-regression'], { env: env() });
    const byPrefix = await runCli(['diff', ...args(), ids[0]?.slice(0, 8) ?? '', ids[1] ?? '', '--format', 'json'], { env: env() });

    expect(byDefault.code, byDefault.stderr).toBe(1);
    const d = JSON.parse(byDefault.stdout) as { a: { id: string }; b: { id: string }; regressed: { name: string }[] };
    expect([d.a.id, d.b.id]).toEqual(ids);
    expect(d.regressed.map((r) => r.name)).toEqual(['app-1']);
    expect(byPrefix.code).toBe(0);
    expect(JSON.parse(byPrefix.stdout)).toEqual(d);
  });

  it.skipIf(skip)('merges a shard group only when complete, unless --allow-missing, and records the merge', { timeout: 240_000 }, async () => {
    const partial = await runCli(['merge', ...args(), '--shard-group', 'job-1'], { env: env() });
    const merged = await runCli(['merge', ...args(), '--shard-group', 'job-1', '--allow-missing', '--format', 'json'], { env: env() });
    const listed = await runCli(['history', ...args(), '--scope', 'fleet', '--format', 'json'], { env: env() });

    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('lacks shard(s) 3 of 3');
    expect(merged.code).toBe(3);
    expect((JSON.parse(merged.stdout) as ScanResult).workloads).toHaveLength(6);
    expect(merged.stderr).toMatch(/merged 2\/3 shard scans of job-1 into scan [0-9a-f-]{36}/);
    expect((JSON.parse(listed.stdout) as { scans: { command: string }[] }).scans.map((s) => s.command)).toEqual(['merge']);
  });

  it.skipIf(skip)('records a scan with --record, and --keep prunes older scans', { timeout: 120_000 }, async () => {
    const r = await runCli(
      ['scan', '--docker', 'tcp://127.0.0.1:9', '--timeout', '2', '--no-progress', '--format', 'json', '--record', ...args(), '--scope', 'estate', '--keep', '5d'],
      { env: env(), now: () => NOW },
    );
    const listed = await runCli(['history', ...args(), '--scope', 'estate', '--format', 'json'], { env: env() });

    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/recorded scan [0-9a-f-]{36} in .* \(scope: estate\)/);
    // Retention covers the whole database, whatever the scope: every scan above started before the cut.
    expect(r.stderr).toMatch(/--keep 5d: deleted \d+ scan\(s\) started before 2026-11-05T00:00:00.000Z/);
    const scans = (JSON.parse(listed.stdout) as { scans: { targets: { errors: number } }[] }).scans;
    expect(scans).toHaveLength(1);
    expect(scans[0]?.targets.errors).toBe(1);
  });
});

describe('history database options', () => {
  it('refuses a password on the command line without printing it', async () => {
    const r = await runCli(['history', '--db', 'postgres://palisade:s3cr3t-pw@127.0.0.1:5432/palisade_test']);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('do not put the password on the command line');
    expect(r.stderr).not.toContain('s3cr3t-pw');
  });

  it('asks for --record before --keep or --db on scan', async () => {
    const r = await runCli(['scan', '--docker', 'tcp://127.0.0.1:9', '--keep', '90d']);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--keep needs --record');
  });

  it('refuses a bad --keep before scanning', async () => {
    const r = await runCli(['scan', '--docker', 'tcp://127.0.0.1:9', '--record', '--db', tmp(), '--keep', 'forever']);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--keep "forever": expected a duration');
  });

  it.skipIf(!pgOk)('takes the password from a file or the URL variable, and never prints it when it is wrong', { timeout: 60_000 }, async () => {
    const dir = tmp();
    const pwFile = path.join(dir, 'pw');
    const url = new URL(PG_URL);
    writeFileSync(pwFile, `${decodeURIComponent(url.password)}\n`);
    const wrong = new URL(PG_URL);
    wrong.password = 'Wr0ng-Secret-42';
    url.password = '';

    const fromFile = await runCli(['history', '--db', url.toString(), '--db-password-file', pwFile, '--format', 'json']);
    const viaEnv = await runCli(['history', '--db-env', 'MY_DB', '--format', 'json'], { env: { MY_DB: wrong.toString() } });

    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(viaEnv.code).toBe(5);
    expect(viaEnv.stderr).toMatch(/password authentication failed/);
    expect(viaEnv.stderr).not.toContain('Wr0ng-Secret-42');
  });
});

describe('bin/palisade with the history store (bundled CLI)', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: packageRoot, stdio: 'ignore' });
  }, 180_000);

  it('records a scan in a PGlite folder and lists it: migrations and PGlite load from the bundle', { timeout: 300_000 }, async () => {
    const db = path.join(tmp(), 'data');
    const bin = path.join(packageRoot, 'bin', 'palisade');
    const run = (a: string[]) => spawnSync(process.execPath, [bin, ...a], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, timeout: 280_000 });

    const scan = run(['scan', '--docker', 'tcp://127.0.0.1:9', '--timeout', '2', '--no-progress', '--format', 'json', '--record', '--db', db, '--scope', 'bin']);
    const history = run(['history', '--db', db, '--format', 'json']);

    expect(scan.status, scan.stderr).toBe(3);
    expect(scan.stderr).toMatch(/recorded scan [0-9a-f-]{36}/);
    const listed = JSON.parse(history.stdout) as { scans: { scope: string }[] };
    expect(listed.scans.map((s) => s.scope)).toEqual(['bin']);
  });
});
