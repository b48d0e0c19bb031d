// npm run bench: every ratio of issue 9 measured in one run, paired (the
// commands of a round run back to back), median of several rounds:
//
//   1. start-up: `palisade --version` and `palisade checks` against `node -e 0`;
//   2. scans: `palisade scan` of N running containers (whole process) against
//      one `docker inspect` of all of them, at N = 10, 100, 1,000, with peak
//      RSS (the memory curve);
//   3. `scan --all` of 1,000 created containers against `docker inspect`;
//   4. report rendering for 1,000 workloads (bench/reports.ts);
//   5. the pre-deployment gate: `palisade check` over 1,000 services across
//      50 Compose files (bench/compose-check.ts; no engine needed);
//   6. the history store on PGlite and PostgreSQL: recording and diffing scans
//      of 20,000 findings, trends over 1,000 scans (bench/history.ts).
//
// Containers live on a private dockerd (bench/private-dockerd.sh: its own data
// root, exec root, socket under /tmp/palisade-bench, no bridge, no iptables),
// never on the shared /var/run/docker.sock that other integration tests scan
// with --all; it is started, filled through the Engine API, emptied and
// stopped here. Needs root and the test image (scripts/setup-integration.sh).
// The SSH fleet benchmark is `npm run bench:ssh` (bench/ssh-fleet.ts), or
// `--ssh` here to run it after this one.
//
// Usage: npm run bench -- [--sizes 10,100,1000] [--created 1000] [--runs 5]
//          [--startup-runs 11] [--only startup,scan,created,reports,compose,history] [--keep-engine]
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Docker from 'dockerode';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGE = 'palisade-test/busybox:1';
const LABEL = 'palisade.bench';
const PRIVATE_DOCKERD = path.join(root, 'bench', 'private-dockerd.sh');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const sizes = arg('sizes', '10,100,1000').split(',').filter(Boolean).map(Number);
const created = Number(arg('created', '1000'));
const runs = Number(arg('runs', '5'));
const startupRuns = Number(arg('startup-runs', '11'));
const only = new Set(arg('only', 'startup,scan,created,reports,compose,history').split(','));
const cli = path.join(root, 'bin', 'palisade');

interface Sample {
  ms: number;
  cpuMs: number;
  rssKb: number;
}

/** Runs a command under GNU time: wall time measured here; CPU (%U + %S) and peak RSS (%M) from time. */
function measure(command: string, args: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@time ')) ?? '';
  const [user, sys, rss] = line.split(' ').slice(1).map(Number);
  return { ms, cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000, rssKb: rss ?? NaN };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Paired rounds: each round runs every command once, in order; medians per command. */
function paired(commands: [string, string[]][], rounds: number): Sample[] {
  const samples: Sample[][] = commands.map(() => []);
  for (let i = 0; i < rounds; i++) commands.forEach(([c, a], j) => samples[j]?.push(measure(c, a)));
  return samples.map((s) => ({ ms: median(s.map((x) => x.ms)), cpuMs: median(s.map((x) => x.cpuMs)), rssKb: median(s.map((x) => x.rssKb)) }));
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join('  ');
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

function startup(): void {
  console.log(`\n1. start-up: ${startupRuns} paired rounds, median; ratio to \`node -e 0\` (wall, and CPU user+sys)`);
  const widths = [28, 8, 7, 8, 7, 8];
  console.log(row(['command', 'wall ms', 'x', 'CPU ms', 'x', 'RSS MB'], widths));
  const commands: [string, string[]][] = [
    ['node', ['-e', '0']],
    ['node', [cli, '--version']],
    ['node', [cli, 'checks']],
  ];
  measure('node', [cli, 'checks']); // warm the page cache
  const [base, ...rest] = paired(commands, startupRuns);
  const names = ['node -e 0', 'palisade --version', 'palisade checks'];
  [base, ...rest].forEach((s, i) => {
    if (!s || !base) return;
    console.log(row([names[i] ?? '', s.ms.toFixed(0), (s.ms / base.ms).toFixed(2), s.cpuMs.toFixed(0), (s.cpuMs / base.cpuMs).toFixed(2), (s.rssKb / 1024).toFixed(1)], widths));
  });
}

class PrivateEngine {
  readonly socket: string;
  readonly docker: Docker;

  constructor() {
    const r = spawnSync(PRIVATE_DOCKERD, ['start'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench/private-dockerd.sh start failed: ${r.stderr}`);
    this.socket = r.stdout.trim().replace(/^unix:\/\//, '');
    this.docker = new Docker({ socketPath: this.socket });
  }

  get endpoint(): string {
    return `unix://${this.socket}`;
  }

  async removeAll(): Promise<void> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [LABEL] } });
    await pool(list, 8, async (c) => {
      // A busy engine may drop a connection (EPIPE); `clean` removes what is left with the data root.
      await this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    });
  }

  /** Brings the engine to `n` bench containers, running (`sleep`) or only created. */
  async ensure(n: number, running: boolean): Promise<number> {
    const have = (await this.docker.listContainers({ all: true, filters: { label: [LABEL] } })).length;
    const todo = Array.from({ length: Math.max(0, n - have) }, (_, i) => `palisade-bench-${have + i}`);
    const t0 = performance.now();
    let failed = 0;
    await pool(todo, 8, async (name) => {
      const c = await this.docker.createContainer({
        name,
        Image: IMAGE,
        Cmd: ['sleep', '86400'],
        Labels: { [LABEL]: '1' },
        HostConfig: { NetworkMode: 'none', Memory: 16 * 1024 * 1024 },
      });
      if (running) await c.start().catch(() => void failed++);
    });
    if (todo.length > 0) console.log(`      (${running ? 'started' : 'created'} ${todo.length} containers in ${((performance.now() - t0) / 1000).toFixed(0)} s${failed ? `, ${failed} failed to start` : ''})`);
    return (await this.docker.listContainers({ all: !running })).length;
  }

  async ids(all: boolean): Promise<string[]> {
    return (await this.docker.listContainers({ all })).map((c) => c.Id);
  }

  stop(): void {
    spawnSync(PRIVATE_DOCKERD, [process.argv.includes('--keep-engine') ? 'stop' : 'clean'], { stdio: 'inherit' });
  }
}

const scanWidths = [6, 9, 9, 6, 8, 8, 6, 9, 8, 10];
function scanHeader(): void {
  console.log(row(['N', 'palisade', 'floor', 'ratio', 'pal. CPU', 'flr CPU', 'ratio', 'palisade', 'floor', 'palisade'], scanWidths));
  console.log(row(['', 'ms', 'ms', 'x', 'ms', 'ms', 'x', 'RSS MB', 'RSS MB', 'cont./s'], scanWidths));
}

async function scanRow(engine: PrivateEngine, all: boolean): Promise<void> {
  const ids = await engine.ids(all);
  const report = path.join(tmpdir(), `palisade-bench-${process.pid}.json`);
  const scanArgs = [cli, 'scan', '--docker', engine.endpoint, '--format', 'json', '--output', report, '--fail-on', 'none', '--no-progress', ...(all ? ['--all'] : [])];
  const floorArgs = ['-H', engine.endpoint, 'inspect', ...ids];
  measure('node', scanArgs); // warm the page cache and the engine
  const [pal, floor] = paired([['node', scanArgs], ['docker', floorArgs]], runs);
  if (!pal || !floor) return;
  console.log(
    row(
      [
        ids.length,
        pal.ms.toFixed(0),
        floor.ms.toFixed(0),
        (pal.ms / floor.ms).toFixed(2),
        pal.cpuMs.toFixed(0),
        floor.cpuMs.toFixed(0),
        (pal.cpuMs / floor.cpuMs).toFixed(2),
        (pal.rssKb / 1024).toFixed(1),
        (floor.rssKb / 1024).toFixed(1),
        ((ids.length / pal.ms) * 1000).toFixed(0),
      ],
      scanWidths,
    ),
  );
}

async function scans(): Promise<void> {
  const engine = new PrivateEngine();
  try {
    const version = await engine.docker.version();
    await engine.removeAll();
    if (only.has('scan')) {
      console.log(`\n2. scan of N running containers (private dockerd ${version.Version}), ${runs} paired rounds, median; floor: one \`docker inspect\` of all`);
      scanHeader();
      for (const n of sizes) {
        const have = await engine.ensure(n, true);
        if (have < n) console.log(`      (only ${have} of ${n} containers are running)`);
        await scanRow(engine, false);
      }
    }
    if (only.has('created') && created > 0) {
      console.log(`\n3. scan --all of ${created} created (never started) containers, ${runs} paired rounds, median`);
      await engine.removeAll();
      await engine.ensure(created, false);
      scanHeader();
      await scanRow(engine, true);
    }
    await engine.removeAll();
  } finally {
    engine.stop();
  }
}

async function main(): Promise<void> {
  console.log(`palisade bench: node ${process.version}, ${cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (only.has('startup')) startup();
  if (only.has('scan') || only.has('created')) await scans();
  if (only.has('reports')) await (await import('./reports.js')).main();
  if (only.has('compose')) {
    const { printComposeBench, runComposeBench } = await import('./compose-check.js');
    printComposeBench(await runComposeBench(runs), runs);
  }
  if (only.has('history')) {
    console.log(`\n6. history store (bench/history.ts): ${runs} runs each, in-process; PostgreSQL at PALISADE_TEST_PG_URL`);
    await (await import('./history.js')).runHistoryBench({ runs, historyScans: 1000, backends: ['pglite', 'postgres'] });
  }
  console.log('\nwall ms: whole process, measured here; CPU ms: user + system (GNU time), steadier than wall time on a busy machine.');
  console.log('RSS: peak resident set (GNU time %M). N: containers listed on the private engine.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
if (process.argv.includes('--ssh')) process.once('beforeExit', () => void import('./ssh-fleet.js'));
