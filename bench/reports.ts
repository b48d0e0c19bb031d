// Report rendering benchmark (run by `npm run bench`, or alone:
// `tsx bench/reports.ts [--workloads 1000] [--runs 5]`). A scan of N fake
// containers through the real scan(), policy and checks (built from the test
// fact builders, varied so they fail ~20 checks each), then each reporter:
// as a string (`report(scan)`), and JSON/SARIF also as chunks written to
// /dev/null (the CLI's path). Prints median ms and size. No network.
import { closeSync, openSync, writeSync } from 'node:fs';

import { loadPolicy } from '../src/policy/policy.js';
import { reporters } from '../src/reporters/index.js';
import { jsonReportTo } from '../src/reporters/json.js';
import { sarifReportTo } from '../src/reporters/sarif.js';
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

async function time(fn: () => Promise<number> | number, runs: number): Promise<{ ms: number; size: number }> {
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    size = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), size };
}

async function toDevNull(chunks: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const fd = openSync('/dev/null', 'w');
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return size;
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
  const options = { color: false, width: 100 };
  const rows: [string, () => Promise<number> | number][] = [
    ['table (string)', () => reporters.table(result, options).length],
    ['markdown (string)', () => reporters.markdown(result, options).length],
    ['junit (string)', () => reporters.junit(result, options).length],
    ['json (string)', () => reporters.json(result, options).length],
    ['json (stream to /dev/null)', () => toDevNull(jsonReportTo(result, options))],
    ['sarif (string)', () => reporters.sarif(result, options).length],
    ['sarif (stream to /dev/null)', () => toDevNull(sarifReportTo(result, {}))],
  ];
  console.log(`${'format'.padEnd(30)}${'ms'.padStart(8)}${'MB'.padStart(8)}`);
  for (const [name, fn] of rows) {
    const r = await time(fn, runs);
    console.log(`${name.padEnd(30)}${r.ms.toFixed(0).padStart(8)}${(r.size / 1e6).toFixed(1).padStart(8)}`);
  }
}

if (process.argv[1]?.endsWith('reports.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
