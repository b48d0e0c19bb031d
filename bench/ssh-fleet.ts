// The SSH fleet benchmark: palisade's host collection (collectHosts: connect,
// verify the host key, authenticate, run the probe script, parse the facts)
// over N simulated hosts against the floor of one OpenSSH `ssh host true` per
// host at the same concurrency, at N = 10, 100, 500. Prints wall time (median
// of 3), hosts per second, peak RSS and CPU time beside the floor.
//
// The fleet is bench/ssh-server.ts in its own process: one ssh2 server on N
// loopback addresses (127.0.1.1, 127.0.1.2, ...) and one port, one host key,
// one accepted client key, answering the probe with the captured Debian 12
// output (fixtures/ssh/debian-12/probe.txt). Each measured run is a child
// process of its own (palisade: plain node on the built dist/; floor: xargs -P
// running ssh), under GNU time for peak RSS and CPU. Talks only to 127.0.0.0/8.
//
// Usage: tsx bench/ssh-fleet.ts [--sizes 10,100,500] [--runs 3]
//          [--concurrency 16,64] [--dist DIR] [--profile DIR]
// `npm run bench -- --ssh` runs it after the Docker benchmark.
// --profile DIR adds one extra palisade run per size and concurrency under
// node --cpu-prof, writing the .cpuprofile files to DIR (not measured).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildProbeScript } from '../src/checkers/ssh/probe.js';
import type { InventoryHost } from '../src/inventory/types.js';
import type { HostScanOptions } from '../src/scan/hosts.js';
import type { ServerMessage, ServerStats } from './ssh-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(root, 'fixtures', 'ssh', 'debian-12', 'probe.txt');
const USER = 'palisade-bench';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const sizes = arg('sizes', '10,100,500').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const concurrencies = arg('concurrency', '16,64').split(',').map(Number);
const distDir = path.resolve(arg('dist', path.join(root, 'dist')));
const profileArg = arg('profile', '');
const profileDir = profileArg === '' ? undefined : path.resolve(profileArg);

interface Sample {
  /** Wall time of the child process, measured here. */
  ms: number;
  /** Peak RSS in KiB (GNU time %M: for xargs, the largest single process of the tree). */
  rssKb: number;
  /** User + system CPU of the child and everything it waited for. */
  cpuS: number;
  /** Server CPU spent during the run. */
  serverCpuS: number;
  stdout: string;
}

interface PalisadeChildReport {
  ms: number;
  hosts: number;
  failed: number;
  firstError?: string;
  os?: string;
  packages?: number;
}

// Runs in the measured child: plain node importing the built collectHosts, so
// neither tsx nor the bench's own modules count in its RSS.
const PALISADE_CHILD = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [hostsModule, inputFile] = process.argv.slice(1);
const { collectHosts } = await import(pathToFileURL(hostsModule).href);
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const t0 = performance.now();
const results = await collectHosts(input.hosts, input.options);
const ms = performance.now() - t0;
const failed = results.filter((r) => r.error !== undefined || r.facts === undefined);
const facts = results.find((r) => r.facts)?.facts;
process.stdout.write(JSON.stringify({
  ms, hosts: results.length, failed: failed.length, firstError: failed[0]?.error,
  os: facts ? facts.os.id + ' ' + facts.os.versionId : undefined, packages: facts?.packages?.length,
}) + '\\n');
`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join('  ');
}

/** 127.0.1.1 .. 127.0.1.250, 127.0.2.1, ...: one loopback address per simulated host. */
function addressOf(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

function runQuiet(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

class Fleet {
  private pending: ((stats: ServerStats) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'stats') this.pending.shift()?.(message);
    });
  }

  static start(args: string[]): Promise<Fleet> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'ssh-server.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`ssh-server exited ${code} before it was ready`));
      child.once('exit', onExit);
      child.on('message', function ready(message: ServerMessage) {
        if (message.type === 'ready') {
          child.off('message', ready);
          child.off('exit', onExit);
          resolve(new Fleet(child, message.port));
        } else if (message.type === 'error') {
          reject(new Error(`ssh-server: ${message.message}`));
        }
      });
    });
  }

  stats(): Promise<ServerStats> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.child.send({ type: 'stats' });
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
  }
}

/** Runs a command under GNU time (peak RSS %M, CPU %U + %S); wall time measured here; server CPU from its stats. */
async function measure(fleet: Fleet, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Sample> {
  const before = await fleet.stats();
  const t0 = performance.now();
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '@@time %M %U %S', command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(env ? { env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
  const ms = performance.now() - t0;
  const after = await fleet.stats();
  if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr.slice(-800)}`);
  const timeLine = r.stderr.split('\n').find((l) => l.startsWith('@@time '));
  const [rss, user, sys] = (timeLine ?? '').split(' ').slice(1).map(Number);
  const serverCpuMs = after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs);
  return { ms, rssKb: rss ?? NaN, cpuS: (user ?? NaN) + (sys ?? NaN), serverCpuS: serverCpuMs / 1000, stdout: r.stdout };
}

function hostsFor(n: number, port: number, key: string, knownHosts: string): InventoryHost[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `vm-${String(i + 1).padStart(3, '0')}`,
    address: addressOf(i),
    port,
    user: USER,
    identityFile: key,
    knownHostsFiles: [knownHosts],
    tags: [],
    segment: 'bench',
    sudo: false,
    jump: [],
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 120_000,
    source: { file: path.join(root, 'palisade.yaml'), line: i + 1 },
  }));
}

async function main(): Promise<void> {
  const hostsModule = path.join(distDir, 'src', 'scan', 'hosts.js');
  if (!existsSync(hostsModule)) throw new Error(`${hostsModule} missing: run npm run build first (or pass --dist)`);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 250 * 254)) throw new Error('--sizes: whole numbers from 1 to 63500');

  const work = mkdtempSync(path.join(os.tmpdir(), 'palisade-ssh-bench-'));
  const fleetSize = Math.max(...sizes);
  let fleet: Fleet | undefined;
  try {
    const hostKey = path.join(work, 'host_ed25519');
    const clientKey = path.join(work, 'id_ed25519');
    for (const [file, comment] of [[hostKey, 'palisade-bench-host'], [clientKey, 'palisade-bench-client']] as const) {
      const r = await runQuiet('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
      if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
    }
    const addressesFile = path.join(work, 'addresses');
    writeFileSync(addressesFile, Array.from({ length: fleetSize }, (_, i) => addressOf(i)).join('\n') + '\n');

    fleet = await Fleet.start([
      '--host-key', hostKey,
      '--authorized-key', `${clientKey}.pub`,
      '--user', USER,
      '--probe', FIXTURE,
      '--addresses', addressesFile,
    ]);
    const port = fleet.port;
    const [keyType, keyBlob] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
    // A known_hosts file per fleet size holding exactly that fleet's N hosts, as a user's would.
    const knownHostsFor = (n: number): string => {
      const file = path.join(work, `known_hosts-${n}`);
      writeFileSync(file, Array.from({ length: n }, (_, i) => `[${addressOf(i)}]:${port} ${keyType} ${keyBlob}\n`).join(''));
      return file;
    };
    const script = path.join(work, 'probe.sh');
    writeFileSync(script, buildProbeScript({ sudo: false }));

    // The floor: OpenSSH's own client, one process per host, same key, same known_hosts, no config files, no agent.
    const sshArgs = (knownHosts: string): string[] => [
      '-F', '/dev/null',
      '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'IdentitiesOnly=yes',
      '-o', 'IdentityAgent=none',
      '-i', clientKey,
      '-p', String(port),
      '-l', USER,
    ];
    const cpus = os.cpus().length;
    console.log(`\npalisade SSH fleet bench: ${runs} runs each, median; simulated hosts on 127.0.x.y:${port} (ssh2 server, own process)`);
    console.log(`${cpus} CPUs, node ${process.version}, ${(await runQuiet('ssh', ['-V'])).stderr.trim()}`);
    if (cpus <= 2) {
      console.log(`note: on ${cpus} CPUs the simulated fleet's server competes with the client for CPU; its CPU time is shown (srv s)`);
    }
    const widths = [5, 5, 9, 9, 9, 6, 9, 6, 8, 8, 7, 7, 7, 7, 7];
    console.log(row(['N', 'conc', 'palisade', '+start', 'floor', 'ratio', 'floor sh', 'ratio', 'per sec', 'palisade', 'ssh', 'CPU s', 'CPU s', 'srv s', 'srv s'], widths));
    console.log(row(['', '', 'ms', 'ms', 'true ms', 'x', '-s ms', 'x', 'hosts', 'RSS MB', 'RSS MB', 'pal.', 'floor', 'pal.', 'floor'], widths));

    const warmSize = Math.min(10, fleetSize);
    const warm = hostsFor(warmSize, port, clientKey, knownHostsFor(warmSize));
    const warmInput = path.join(work, 'warm.json');
    writeFileSync(warmInput, JSON.stringify({ hosts: warm, options: scanOptions(16) }));
    await measure(fleet, process.execPath, ['--input-type=module', '-e', PALISADE_CHILD, hostsModule, warmInput]);

    for (const n of sizes) {
      const knownHosts = knownHostsFor(n);
      const hosts = hostsFor(n, port, clientKey, knownHosts);
      const hostList = path.join(work, `hosts-${n}`);
      writeFileSync(hostList, hosts.map((h) => h.address).join('\n') + '\n');
      for (const conc of concurrencies) {
        const input = path.join(work, `input-${n}-${conc}.json`);
        writeFileSync(input, JSON.stringify({ hosts, options: scanOptions(conc) }));
        const palisadeArgs = ['--input-type=module', '-e', PALISADE_CHILD, hostsModule, input];
        const floorArgs = ['-a', hostList, '-P', String(conc), '-I{}', 'ssh', ...sshArgs(knownHosts), '{}', 'true'];
        // Same as the floor, but sending the probe script and reading the 80 KB answer, discarded.
        const dataArgs = ['-a', hostList, '-P', String(conc), '-I{}', 'sh', '-c', 'exec ssh "$@" "sh -s" <"$PALISADE_BENCH_SCRIPT" >/dev/null', 'floor', ...sshArgs(knownHosts), '{}'];
        const pal: Sample[] = [];
        const inner: number[] = [];
        const floor: Sample[] = [];
        const data: Sample[] = [];
        let report: PalisadeChildReport | undefined;
        for (let i = 0; i < runs; i++) {
          const s = await measure(fleet, process.execPath, palisadeArgs);
          report = JSON.parse(s.stdout.trim().split('\n').pop() ?? '{}') as PalisadeChildReport;
          if (report.failed > 0 || report.hosts !== n) throw new Error(`palisade: ${report.failed} of ${n} hosts failed: ${report.firstError ?? '?'}`);
          pal.push(s);
          inner.push(report.ms);
          floor.push(await measure(fleet, 'xargs', floorArgs));
          data.push(await measure(fleet, 'xargs', dataArgs, { ...process.env, PALISADE_BENCH_SCRIPT: script }));
        }
        if (profileDir) {
          mkdirSync(profileDir, { recursive: true });
          await measure(fleet, process.execPath, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `palisade-${n}-${conc}.cpuprofile`, ...palisadeArgs]);
        }
        const palMs = median(inner);
        const floorMs = median(floor.map((s) => s.ms));
        const dataMs = median(data.map((s) => s.ms));
        console.log(
          row(
            [
              n,
              conc,
              palMs.toFixed(0),
              median(pal.map((s) => s.ms)).toFixed(0),
              floorMs.toFixed(0),
              (palMs / floorMs).toFixed(2),
              dataMs.toFixed(0),
              (palMs / dataMs).toFixed(2),
              ((n / palMs) * 1000).toFixed(0),
              (median(pal.map((s) => s.rssKb)) / 1024).toFixed(1),
              (median(floor.map((s) => s.rssKb)) / 1024).toFixed(1),
              median(pal.map((s) => s.cpuS)).toFixed(2),
              median(floor.map((s) => s.cpuS)).toFixed(2),
              median(pal.map((s) => s.serverCpuS)).toFixed(2),
              median(floor.map((s) => s.serverCpuS)).toFixed(2),
            ],
            widths,
          ),
        );
        if (n === sizes[0] && conc === concurrencies[0] && report) {
          console.log(`      (each host: ${report.os ?? '?'}, ${report.packages ?? '?'} packages parsed from the captured probe output)`);
        }
      }
    }
    console.log('\npalisade ms: collectHosts wall time inside the child (connect, verify host key, authenticate, run the probe,');
    console.log('  parse the facts); +start adds node start-up and module loading (the child process wall time).');
    console.log('floor true: `ssh host true` per host through xargs -P conc (OpenSSH client); ratio = palisade / floor.');
    console.log('floor sh -s: the same, sending the probe script on stdin and discarding the 80 KB answer.');
    console.log('known_hosts: one file per N listing exactly those N hosts (unhashed), read by both palisade and ssh.');
    console.log('per sec: hosts per second for palisade. RSS: GNU time %M; for the floor, the largest single ssh process');
    console.log('  (conc of them run at once). CPU s: user + system of the client side; srv s: the simulated fleet\'s CPU.');
  } finally {
    fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function scanOptions(concurrency: number): Omit<HostScanOptions, 'onProgress' | 'connect' | 'advisories'> {
  // No agent (env without SSH_AUTH_SOCK): the key file alone, as the floor's IdentityAgent=none.
  return { concurrency, trustOnFirstUse: false, forbiddenFlows: [], flowTimeoutMs: 2_000, env: {} };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
