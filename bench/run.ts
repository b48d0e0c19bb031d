// npm run bench: palisade's Docker scan against the floor (one `docker
// inspect` CLI call over the same containers), at N = 10, 100, 500 running
// containers on the local engine. Prints wall time (median of 5), peak RSS
// and the ratio. Talks only to the local engine's unix socket.
//
// Then the pre-deployment case (bench/compose-check.ts): `palisade check`
// over 1,000 services across 50 Compose files.
//
// Usage: npm run bench [-- --sizes 10,100 --runs 5 | --only compose]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Docker from 'dockerode';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGE = 'palisade-test/busybox:1';
const LABEL = 'palisade.bench';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const sizes = arg('sizes', '10,100,500').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const docker = new Docker({ socketPath: '/var/run/docker.sock' });

interface Sample {
  ms: number;
  rssKb: number;
}

/** Milliseconds palisade spent scanning (collect, evaluate, score), from its JSON report. */
function inProcessMs(report: string): number {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { startedAt: string; finishedAt: string };
  return Date.parse(r.finishedAt) - Date.parse(r.startedAt);
}

/** Runs a command under GNU time; wall time measured here, peak RSS from time's %M. */
function measure(command: string, args: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const lines = r.stderr.trim().split('\n');
  return { ms, rssKb: Number(lines[lines.length - 1]) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function removeBenchContainers(): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  await pool(list, 16, async (c) => {
    await docker.getContainer(c.Id).remove({ force: true });
  });
}

async function ensureContainers(n: number): Promise<void> {
  const have = (await docker.listContainers({ filters: { label: [LABEL] } })).length;
  const run = randomBytes(3).toString('hex');
  const todo = Array.from({ length: Math.max(0, n - have) }, (_, i) => `palisade-bench-${run}-${i}`);
  await pool(todo, 16, async (name) => {
    const c = await docker.createContainer({
      name,
      Image: IMAGE,
      Labels: { [LABEL]: '1' },
      HostConfig: { NetworkMode: 'none', Memory: 16 * 1024 * 1024 },
    });
    await c.start();
  });
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join('  ');
}

async function main(): Promise<void> {
  await docker.getImage(IMAGE).inspect().catch(() => {
    throw new Error(`${IMAGE} missing: run scripts/setup-integration.sh first`);
  });
  const cli = path.join(root, 'bin', 'palisade');
  const report = path.join(tmpdir(), `palisade-bench-${process.pid}.json`);
  const scanArgs = ['scan', '--docker', 'unix:///var/run/docker.sock', '--format', 'json', '--output', report, '--fail-on', 'none', '--no-progress'];
  console.log(`palisade bench: ${runs} runs each, median wall time; peak RSS of the process (GNU time %M)`);
  console.log(`engine: ${(await docker.version()).Version}, ${(await import('node:os')).cpus().length} CPUs`);
  const widths = [6, 11, 11, 11, 11, 8, 8, 12, 12, 11];
  console.log(row(['N', 'palisade', 'in-process', '+processes', 'floor', 'ratio', '+proc', 'palisade', 'floor', 'per sec'], widths));
  console.log(row(['', 'ms', 'scan ms', 'ms', 'ms', 'x', 'x', 'RSS MB', 'RSS MB', 'containers'], widths));
  const results = [];
  try {
    await removeBenchContainers();
    for (const n of sizes) {
      await ensureContainers(n);
      const ids = (await docker.listContainers()).map((c) => c.Id);
      const full: Sample[] = [];
      const inside: number[] = [];
      const withTop: Sample[] = [];
      const floor: Sample[] = [];
      measure('node', [cli, ...scanArgs]); // warm the page cache and the engine
      for (let i = 0; i < runs; i++) {
        full.push(measure('node', [cli, ...scanArgs]));
        inside.push(inProcessMs(report));
        withTop.push(measure('node', [cli, ...scanArgs, '--processes']));
        floor.push(measure('docker', ['inspect', ...ids]));
      }
      const r = {
        n: ids.length,
        palisadeMs: median(full.map((s) => s.ms)),
        insideMs: median(inside),
        withTopMs: median(withTop.map((s) => s.ms)),
        floorMs: median(floor.map((s) => s.ms)),
        palisadeRssMb: median(full.map((s) => s.rssKb)) / 1024,
        floorRssMb: median(floor.map((s) => s.rssKb)) / 1024,
      };
      results.push(r);
      console.log(
        row(
          [
            r.n,
            r.palisadeMs.toFixed(0),
            r.insideMs.toFixed(0),
            r.withTopMs.toFixed(0),
            r.floorMs.toFixed(0),
            (r.palisadeMs / r.floorMs).toFixed(2),
            (r.withTopMs / r.floorMs).toFixed(2),
            r.palisadeRssMb.toFixed(1),
            r.floorRssMb.toFixed(1),
            ((r.n / r.palisadeMs) * 1000).toFixed(0),
          ],
          widths,
        ),
      );
    }
  } finally {
    await removeBenchContainers();
  }
  console.log('\nN counts every running container on the engine (bench containers plus any others).');
  console.log('in-process: the scan itself (collect, evaluate, score) from the report, without Node start-up, module loading and policy validation.');
  console.log('palisade: default scan; +processes: with --processes (one /top per container, for docker/no-sshd); floor: one `docker inspect` of all.');
}

async function all(): Promise<void> {
  // `--only compose` runs just the pre-deployment case (no engine needed).
  if (arg('only', '') !== 'compose') await main();
  const { printComposeBench, runComposeBench } = await import('./compose-check.js');
  printComposeBench(await runComposeBench(runs), runs);
}

all().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
if (process.argv.includes('--ssh')) process.once('beforeExit', () => void import('./ssh-fleet.js'));
