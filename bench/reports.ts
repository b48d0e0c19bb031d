// Report rendering benchmark (run by `npm run bench`, or alone:
// `tsx bench/reports.ts [--workloads 1000] [--runs 5]`). A scan of N fake
// containers through the real scan(), policy and checks (built from the test
// fact builders, varied so they fail ~20 checks each), then each format as a
// user pays for it: through the CLI's reporter loader (src/reporters/load.ts),
// so redaction and escaping are included; as the string the reporter returns,
// and JSON/SARIF also as the chunks the CLI writes, here to /dev/null. Prints
// the median wall and CPU time of a render, the first (cold) render's wall
// time, the size, and the load average. No network.
import { closeSync, openSync, writeSync } from 'node:fs';

import { loadPolicy } from '../src/policy/policy.js';
import { loadavg } from 'node:os';

import { loadReporter } from '../src/reporters/load.js';
import type { ReporterName } from '../src/reporters/names.js';
import { scan, type DockerTarget } from '../src/scan/scan.js';
import type { ScanResult } from '../src/model/report.js';
import { containerFacts, engineFacts, imageFacts } from '../test/helpers/facts.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export async function benchScan(workloads: number): Promise<ScanResult> {
  const engine = engineFacts();
  const target: DockerTarget = {
    display: 'unix:///var/run/docker.sock',
    collect: async () => ({
      engine,
      containers: Array.from({ length: workloads - 1 }, (_, i) => {
        const name = `app-${String(i).padStart(4, '0')}`;
        const image = imageFacts({ id: `sha256:${String(i % 50).padStart(64, '0')}` });
        // Deployed the careless way, so each fails about 20 checks (the report's bulk).
        const facts = containerFacts({
          name,
          labels: { app: name, team: `team-${i % 7}` },
          imageRef: `docker.io/library/app-${i % 50}:latest`,
          user: '',
          privileged: i % 10 === 0,
          capDrop: [],
          capAdd: ['NET_ADMIN', 'SYS_PTRACE'],
          readonlyRootfs: false,
          networkMode: 'bridge',
          networks: ['bridge'],
          pidMode: i % 5 === 0 ? 'host' : '',
          ipcMode: 'shareable',
          securityOpt: [],
          appArmorProfile: '',
          mounts: [{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' }, { type: 'bind', source: '/etc', destination: '/host-etc', readOnly: false, propagation: 'shared' }],
          portBindings: [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 80 }],
          resources: { ...containerFacts().resources, memory: 0, memorySwap: 0, cpuShares: 0, nanoCpus: 0, pidsLimit: 0 },
          restartPolicy: { name: 'always', maximumRetryCount: 0 },
          env: [{ name: 'PATH', empty: false }, { name: 'DB_PASSWORD', empty: false }],
          logDriver: 'json-file',
        });
        return { id: `${i}`.padStart(64, 'c'), name, facts, image };
      }),
    }),
  };
  return scan({
    targets: [target],
    policy: loadPolicy('strict'),
    all: false,
    processes: false,
    concurrency: 16,
    timeoutMs: 30_000,
    now: new Date('2026-12-01T00:00:00Z'),
    repoRoot: process.cwd(),
    includePassed: false,
    version: 'bench',
  });
}

interface Timing {
  /** Median wall and CPU (user + system) time of a render. */
  ms: number;
  cpuMs: number;
  /** Wall time of the first render (cold: what one CLI run pays). */
  firstMs: number;
  /** Bytes of the report as UTF-8. */
  bytes: number;
}

async function time(fn: () => Promise<number> | number, runs: number): Promise<Timing> {
  const ms: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    bytes = await fn();
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(ms), cpuMs: median(cpu), firstMs: ms[0] ?? NaN, bytes };
}

async function toDevNull(chunks: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const fd = openSync('/dev/null', 'w');
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += Buffer.byteLength(chunk);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export async function main(): Promise<void> {
  const n = Number(arg('workloads', '1000'));
  const runs = Number(arg('runs', '5'));
  const t0 = performance.now();
  const result = await benchScan(n);
  const scanMs = performance.now() - t0;
  const listed = result.findings.filter((f) => f.status !== 'pass' && f.status !== 'not-applicable').length;
  console.log(`\nreports: ${result.workloads.length} workloads, ${result.findings.length} findings (${listed} listed: fail, error, waived); median of ${runs}`);
  console.log(`  (building the scan itself: evaluate + score ${result.workloads.length} workloads: ${scanMs.toFixed(0)} ms, first run, JIT cold)`);
  console.log(`  load average at start: ${load()}`);
  const options = { color: false, width: 100 };
  const formats: ReporterName[] = ['table', 'markdown', 'junit', 'json', 'sarif', 'html'];
  const loaded = new Map(await Promise.all(formats.map(async (f) => [f, await loadReporter(f)] as const)));
  const rows: [string, () => Promise<number> | number][] = [];
  for (const f of formats) {
    const r = loaded.get(f);
    if (!r) continue;
    // Buffer.byteLength reads the whole string: a reporter cannot hand back unfinished work.
    rows.push([`${f} (string)`, () => Buffer.byteLength(r.report(result, options))]);
    const { reportTo } = r;
    if (reportTo) rows.push([`${f} (stream to /dev/null)`, () => toDevNull(reportTo(result, options))]);
  }
  console.log(`${'format'.padEnd(30)}${'wall ms'.padStart(9)}${'CPU ms'.padStart(9)}${'first ms'.padStart(10)}${'MB'.padStart(7)}`);
  for (const [name, fn] of rows) {
    const r = await time(fn, runs);
    console.log(`${name.padEnd(30)}${r.ms.toFixed(0).padStart(9)}${r.cpuMs.toFixed(0).padStart(9)}${r.firstMs.toFixed(0).padStart(10)}${(r.bytes / 1e6).toFixed(1).padStart(7)}`);
  }
  console.log(`  load average at end: ${load()}`);
}

if (process.argv[1]?.endsWith('reports.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
