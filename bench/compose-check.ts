// The pre-deployment case of `npm run bench`: `palisade check` over 1,000
// services across 50 Compose files (20 services each, a mix of hardened and
// risky ones, short and long syntax). Prints the in-process check time
// (resolve, declared facts, evaluate, score, gate; no Node start-up or module
// loading) and the whole process (`node bin/palisade check ...`), medians.
// Files only: no engine, no network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const FILES = 50;
export const SERVICES_PER_FILE = 20;

function service(file: number, i: number): string {
  const name = `svc${i}`;
  if (i % 2 === 0) {
    return [
      `  ${name}:`,
      `    image: registry.example.com/team/app${file}-${i}:1.${i}.0@sha256:${'a'.repeat(64)}`,
      '    user: "10001:10001"',
      '    read_only: true',
      '    cap_drop: [ALL]',
      '    security_opt: ["no-new-privileges:true"]',
      '    ports:',
      `      - "127.0.0.1:${10000 + i}:8080"`,
      '    tmpfs: [/tmp]',
      '    deploy:',
      '      resources:',
      '        limits: { memory: 256m, cpus: "0.5", pids: 100 }',
      '    healthcheck:',
      '      test: ["CMD", "/healthz"]',
      '    restart: on-failure:3',
      '    environment:',
      '      LOG_LEVEL: ${LOG_LEVEL:-info}',
    ].join('\n');
  }
  return [
    `  ${name}:`,
    `    image: nginx:latest`,
    '    privileged: true',
    '    cap_add: [NET_ADMIN, SYS_ADMIN]',
    '    ports:',
    `      - "${20000 + i}:80"`,
    '      - target: 443',
    `        published: "${30000 + i}"`,
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock',
    '      - type: bind',
    '        source: ./data',
    '        target: /data',
    '        read_only: true',
    '    environment:',
    '      - DB_PASSWORD=${DB_PASSWORD:-changeme}',
    '    restart: always',
  ].join('\n');
}

/** Writes the 50 files; returns their paths, relative to `dir`. */
export function writeProjects(dir: string): string[] {
  const files: string[] = [];
  for (let f = 0; f < FILES; f++) {
    const sub = path.join(dir, `project-${f}`);
    mkdirSync(sub, { recursive: true });
    const body = [`name: project-${f}`, 'services:', ...Array.from({ length: SERVICES_PER_FILE }, (_, i) => service(f, i)), ''].join('\n');
    writeFileSync(path.join(sub, 'compose.yaml'), body);
    files.push(path.join(`project-${f}`, 'compose.yaml'));
  }
  return files;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface ComposeBenchResult {
  services: number;
  files: number;
  inProcessMs: number;
  /** CPU (user + system) of the in-process check: less sensitive to a busy machine than wall time. */
  inProcessCpuMs: number;
  reportScanMs: number;
  wholeProcessMs: number;
}

export async function runComposeBench(runs: number): Promise<ComposeBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-bench-compose-'));
  try {
    const files = writeProjects(dir);
    const [{ checkDeclared }, { resolveCompose }, { loadPolicy }] = await Promise.all([
      import('../src/scan/check.js'),
      import('../src/checkers/compose/resolve.js'),
      import('../src/policy/policy.js'),
    ]);
    const policy = loadPolicy('default');
    const once = async (): Promise<{ ms: number; cpuMs: number; services: number }> => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { result, invalid } = await checkDeclared({
        sources: files.map((f) => ({ files: [f] })),
        resolve: resolveCompose,
        cwd: dir,
        env: {},
        policy,
        now: new Date(),
        repoRoot: dir,
        includePassed: false,
        version: 'bench',
      });
      if (invalid.length > 0) throw new Error(`bench projects invalid: ${invalid[0]?.error.message}`);
      const cpu = process.cpuUsage(c0);
      return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, services: result.workloads.length };
    };
    const warm = await once(); // compiles the schemas, warms the JIT
    const inProcess: number[] = [];
    const inProcessCpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await once();
      inProcess.push(r.ms);
      inProcessCpu.push(r.cpuMs);
    }

    const report = path.join(dir, 'report.json');
    const args = [path.join(root, 'bin', 'palisade'), 'check', ...files, '--format', 'json', '--output', report, '--fail-on', 'none'];
    const whole: number[] = [];
    const fromReport: number[] = [];
    spawnSync('node', args, { cwd: dir }); // page cache
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = spawnSync('node', args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
      whole.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`palisade check exited ${r.status}: ${r.stderr.slice(-500)}`);
      const parsed = JSON.parse(readFileSync(report, 'utf8')) as { startedAt: string; finishedAt: string };
      fromReport.push(Date.parse(parsed.finishedAt) - Date.parse(parsed.startedAt));
    }
    return { services: warm.services, files: files.length, inProcessMs: median(inProcess), inProcessCpuMs: median(inProcessCpu), reportScanMs: median(fromReport), wholeProcessMs: median(whole) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printComposeBench(r: ComposeBenchResult, runs: number): void {
  console.log(`\npalisade check: ${r.services} services across ${r.files} Compose files, median of ${runs} runs`);
  console.log(`  in-process (resolve + declared facts + evaluate + score + gate, warm): ${r.inProcessMs.toFixed(0)} ms (CPU ${r.inProcessCpuMs.toFixed(0)} ms)`);
  console.log(`  whole process, check time from the report (cold, same steps):       ${r.reportScanMs.toFixed(0)} ms`);
  console.log(`  whole process (node bin/palisade check ..., start-up included):      ${r.wholeProcessMs.toFixed(0)} ms`);
  console.log(`  load average ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} CPUs: wall times grow with load; compare CPU`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
  runComposeBench(runs).then(
    (r) => printComposeBench(r, runs),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
