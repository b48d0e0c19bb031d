// Throw-away test networks for the segmentation integration test: one network
// namespace per test host, all joined by a bridge that lives in a namespace of
// its own, plus one veth from the root namespace to that bridge so palisade
// (running here) can reach each namespace's sshd. Addresses come from
// 198.18.0.0/15 (RFC 2544, set aside for benchmarking): a /24 picked at random
// and checked against every local address and route. No namespace gets a
// default route, so nothing inside can reach anything but its neighbours and
// the root-side veth; before anything connects, `assertRoutedThrough` proves
// the root namespace reaches each test address through that veth and nowhere
// else.
//
// Every namespace, process and folder made here is torn down by `destroy`,
// and by a synchronous exit handler should the worker die before afterAll.
//
// Needs root, iproute2 (`ip netns`) and nftables; scripts/setup-netns-integration.sh
// provides them. When PALISADE_REQUIRE_INTEGRATION=1 (CI) their absence fails
// the tests; otherwise they are skipped.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CI_USER, knownHostsLine, makeKey, makeTempDir, NOSUDO_USER, REQUIRED, SSHD, sshdUnavailable, writeSshdConfig, type TestKey } from './sshd.js';

/** The benchmarking block the test networks are carved from. */
const POOL = { base: ipToInt('198.18.0.0'), prefix: 15 };
const SSH_PORT = 22;

/** Why these tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  const sshd = sshdUnavailable();
  if (sshd !== undefined) return sshd;
  const setup = 'run scripts/setup-netns-integration.sh as root';
  for (const tool of ['ip', 'nft']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing; ${setup}`;
  }
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return `\`ip netns\` does not work here; ${setup}`;
  return undefined;
}

/** Whether the suite must be skipped; with PALISADE_REQUIRE_INTEGRATION=1 never (beforeAll fails instead). */
export function skipNetns(): boolean {
  return !REQUIRED && netnsUnavailable() !== undefined;
}

export function assertNetnsAvailable(): void {
  const why = netnsUnavailable();
  if (why !== undefined) throw new Error(`PALISADE_REQUIRE_INTEGRATION=1 but ${why}`);
}

function ipToInt(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Whether two IPv4 prefixes share any address. */
function overlaps(a: { base: number; prefix: number }, b: { base: number; prefix: number }): boolean {
  const size = 2 ** (32 - Math.min(a.prefix, b.prefix));
  return Math.floor(a.base / size) === Math.floor(b.base / size);
}

function parsePrefix(text: string): { base: number; prefix: number } | undefined {
  const [address = '', bits] = text.split('/');
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return undefined;
  return { base: ipToInt(address), prefix: bits === undefined ? 32 : Number(bits) };
}

/** Every IPv4 prefix the root namespace already has an address or a route for (the default route aside). */
function prefixesInUse(): { base: number; prefix: number }[] {
  const routes = JSON.parse(execFileSync('ip', ['-4', '-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8' })) as { dst?: string }[];
  const addrs = JSON.parse(execFileSync('ip', ['-4', '-j', 'addr', 'show'], { encoding: 'utf8' })) as {
    addr_info?: { local?: string; prefixlen?: number }[];
  }[];
  const out: { base: number; prefix: number }[] = [];
  for (const r of routes) {
    const p = r.dst !== undefined && r.dst !== 'default' ? parsePrefix(r.dst) : undefined;
    if (p) out.push(p);
  }
  for (const a of addrs.flatMap((link) => link.addr_info ?? [])) {
    const p = a.local !== undefined ? parsePrefix(`${a.local}/${a.prefixlen ?? 32}`) : undefined;
    if (p) out.push(p);
  }
  return out;
}

/** A random /24 inside 198.18.0.0/15 that nothing on this machine uses. */
function pickSubnet(): number {
  const used = prefixesInUse();
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = POOL.base + (randomBytes(2).readUInt16BE(0) % 2 ** (24 - POOL.prefix)) * 256;
    if (!used.some((p) => overlaps(p, { base, prefix: 24 }))) return base;
  }
  throw new Error('no free /24 in 198.18.0.0/15 on this machine');
}

function ip(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** Runs without throwing; for teardown, where some of the pieces may already be gone. */
function quietly(file: string, args: readonly string[]): string {
  const r = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout : '';
}

export interface NetnsHost {
  /** The test's name for it: `web`, `db`... */
  name: string;
  /** Network namespace, `pal-<name>-<suffix>`. */
  netns: string;
  /** Its address on the test network. */
  address: string;
}

export interface NetnsProcess {
  pid: number;
  /** What it wrote to stdout and stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface NetnsSshd extends NetnsProcess {
  address: string;
  port: number;
  hostKey: TestKey;
  knownHostsLine(): string;
}

export type ConnectResult = 'open' | 'closed' | 'filtered';

/**
 * Namespaces `pal-<host>-<suffix>` for each host and `pal-br-<suffix>` for the
 * bridge; the root namespace's end of its veth is `pal-<suffix>`. Host i gets
 * `.<i + 2>` of the /24, the root namespace `.1`.
 */
export class TestNetwork {
  readonly suffix = randomBytes(3).toString('hex');
  readonly bridgeNetns = `pal-br-${this.suffix}`;
  readonly rootDevice = `pal-${this.suffix}`;
  readonly subnet: string;
  readonly rootAddress: string;
  readonly hosts: Readonly<Record<string, NetnsHost>>;
  private readonly namespaces: string[] = [];
  private readonly processes = new Set<ChildProcess>();
  private readonly dirs: string[] = [];
  private readonly onExit = (): void => this.teardownSync();
  private destroyed = false;

  constructor(names: readonly string[]) {
    if (names.length > 200) throw new Error('at most 200 hosts fit in a /24 here');
    const base = pickSubnet();
    this.subnet = `${intToIp(base)}/24`;
    this.rootAddress = intToIp(base + 1);
    this.hosts = Object.fromEntries(
      names.map((name, i) => [name, { name, netns: `pal-${name}-${this.suffix}`, address: intToIp(base + 2 + i) }]),
    );
    process.once('exit', this.onExit);
  }

  /** Creates the namespaces, the bridge, the veths and the addresses; no process is started. */
  up(): void {
    const br = this.bridgeNetns;
    this.addNetns(br);
    ip(['-n', br, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', br, 'link', 'set', 'br0', 'up']);
    for (const host of Object.values(this.hosts)) {
      this.addNetns(host.netns);
      // Made inside the host namespace, its peer straight into the bridge's: it never exists here.
      ip(['-n', host.netns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `v-${host.name}`, 'netns', br]);
      ip(['-n', br, 'link', 'set', `v-${host.name}`, 'master', 'br0', 'up']);
      ip(['-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
      ip(['-n', host.netns, 'link', 'set', 'eth0', 'up']);
    }
    ip(['link', 'add', this.rootDevice, 'type', 'veth', 'peer', 'name', 'v-root', 'netns', br]);
    ip(['-n', br, 'link', 'set', 'v-root', 'master', 'br0', 'up']);
    // No IPv6 on the root namespace's end either.
    const noIpv6 = `/proc/sys/net/ipv6/conf/${this.rootDevice}/disable_ipv6`;
    if (existsSync(noIpv6)) writeFileSync(noIpv6, '1');
    ip(['addr', 'add', `${this.rootAddress}/24`, 'dev', this.rootDevice]);
    ip(['link', 'set', this.rootDevice, 'up']);
    for (const host of Object.values(this.hosts)) this.assertRoutedThrough(host.address);
  }

  private addNetns(name: string): void {
    ip(['netns', 'add', name]);
    this.namespaces.push(name);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    // No IPv6 inside (not even link-local chatter); /proc/sys/net shows the writer's namespace.
    const noIpv6 = 'for f in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do [ ! -e "$f" ] || echo 1 >"$f"; done';
    ip(['netns', 'exec', name, 'sh', '-c', noIpv6]);
    const routes = ip(['-n', name, '-4', 'route', 'show', 'default']).trim();
    if (routes !== '') throw new Error(`namespace ${name} has a default route: ${routes}`);
  }

  /** Throws unless the root namespace reaches `address` directly through this network's veth. */
  assertRoutedThrough(address: string): void {
    const [route] = JSON.parse(ip(['-4', '-j', 'route', 'get', address])) as { dev?: string; gateway?: string; prefsrc?: string }[];
    if (route?.dev !== this.rootDevice || route.gateway !== undefined || route.prefsrc !== this.rootAddress) {
      throw new Error(`${address} is not reached through ${this.rootDevice} (route: ${JSON.stringify(route)}); refusing to send anything to it`);
    }
  }

  /** Loads an nftables ruleset (`nft -f` syntax) into the host's namespace. */
  nft(host: NetnsHost, ruleset: string): void {
    const r = spawnSync('ip', ['netns', 'exec', host.netns, 'nft', '-f', '-'], { input: ruleset, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nft -f in ${host.netns} failed: ${r.stderr.trim()}`);
  }

  /** A temp folder removed with the network. */
  tempDir(prefix: string): string {
    const dir = makeTempDir(prefix);
    this.dirs.push(dir);
    return dir;
  }

  /** Starts `file args` inside the host's namespace (`ip netns exec` execs it: same pid) and waits for `ready` in its output. */
  async spawn(host: NetnsHost, file: string, args: readonly string[], ready: RegExp, env?: NodeJS.ProcessEnv): Promise<NetnsProcess> {
    const child = spawn('ip', ['netns', 'exec', host.netns, file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    if (child.pid === undefined) throw new Error(`could not start ${file} in ${host.netns}`);
    this.processes.add(child);
    let log = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        log += chunk;
      });
    }
    const pid = child.pid;
    const proc: NetnsProcess = {
      pid,
      log: () => log,
      stop: async () => {
        await stopChild(child);
        this.processes.delete(child);
      },
    };
    try {
      await waitFor(child, ready, () => log, `${file} in ${host.netns}`);
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return proc;
  }

  /** A throw-away sshd listening on the host's address, port 22, inside its namespace. */
  async startSshd(host: NetnsHost, options: { authorizedKeys: readonly string[]; config?: Readonly<Record<string, string>> }): Promise<NetnsSshd> {
    const dir = this.tempDir(`sshd-${host.name}`);
    const hostKey = makeKey(dir, 'ssh_host_ed25519_key');
    const authorizedKeys = join(dir, 'authorized_keys');
    writeFileSync(authorizedKeys, options.authorizedKeys.map((line) => `${line}\n`).join(''), { mode: 0o644 });
    // The reachability probes are direct-tcpip channels opened by this sshd (forwarding is on).
    const configFile = writeSshdConfig(dir, {
      ListenAddress: `${host.address}:${SSH_PORT}`,
      HostKey: hostKey.privateFile,
      AuthorizedKeysFile: authorizedKeys,
      AllowUsers: [CI_USER, NOSUDO_USER].join(' '),
      ...options.config,
    });
    const proc = await this.spawn(host, SSHD, ['-D', '-e', '-f', configFile], /Server listening on /);
    return {
      ...proc,
      address: host.address,
      port: SSH_PORT,
      hostKey,
      knownHostsLine: () => knownHostsLine(host.address, SSH_PORT, hostKey),
    };
  }

  /** A TCP server in the host's namespace that accepts and closes every connection, on each address and port given. */
  async startTcpListener(host: NetnsHost, sockets: readonly { address: string; port: number }[]): Promise<NetnsProcess> {
    const script = [
      "const net = require('node:net');",
      'const sockets = JSON.parse(process.env.PALISADE_IT_LISTEN);',
      'let ready = 0;',
      'for (const { address, port } of sockets) {',
      "  const server = net.createServer((c) => { c.on('error', () => {}); c.end(); });",
      "  server.on('error', (e) => { console.error(String(e)); process.exit(1); });",
      "  server.listen(port, address, () => { if (++ready === sockets.length) console.log('listening'); });",
      '}',
    ].join('\n');
    return this.spawn(host, process.execPath, ['--input-type=commonjs', '-e', script], /^listening$/m, {
      PALISADE_IT_LISTEN: JSON.stringify(sockets),
    });
  }

  /** Tries one TCP connection from inside `from`'s namespace, as the fixture's ground truth. */
  connectFrom(from: NetnsHost, address: string, port: number, timeoutMs = 1500): Promise<ConnectResult> {
    if (!Object.values(this.hosts).some((h) => h.address === address)) throw new Error(`${address} is not on the test network`);
    const script = [
      "const net = require('node:net');",
      'const { address, port, timeoutMs } = JSON.parse(process.env.PALISADE_IT_CONNECT);',
      'const s = net.connect({ host: address, port, timeout: timeoutMs });',
      "s.on('connect', () => { console.log('open'); s.destroy(); });",
      "s.on('timeout', () => { console.log('filtered'); s.destroy(); });",
      "s.on('error', (e) => { console.log(e.code === 'ECONNREFUSED' ? 'closed' : 'error ' + e.code); });",
    ].join('\n');
    return new Promise((resolve, reject) => {
      execFile(
        'ip',
        ['netns', 'exec', from.netns, process.execPath, '--input-type=commonjs', '-e', script],
        { env: { ...process.env, PALISADE_IT_CONNECT: JSON.stringify({ address, port, timeoutMs }) }, timeout: timeoutMs + 10_000 },
        (error, stdout) => {
          const out = stdout.trim();
          if (error) reject(error);
          else if (out === 'open' || out === 'closed' || out === 'filtered') resolve(out);
          else reject(new Error(`connect ${from.name} -> ${address}:${port}: ${out}`));
        },
      );
    });
  }

  /** Stops every process (politely first), then removes namespaces, veth and folders. Safe to call twice. */
  async destroy(): Promise<void> {
    await Promise.all([...this.processes].map((child) => stopChild(child)));
    this.processes.clear();
    this.teardownSync();
  }

  private teardownSync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.off('exit', this.onExit);
    for (const child of this.processes) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    for (const ns of this.namespaces) {
      // Whatever still runs inside (sshd's per-connection children, sudo) is ours: kill it by pid so the namespace can go.
      for (const pid of quietly('ip', ['netns', 'pids', ns]).split(/\s+/).filter((p) => /^\d+$/.test(p))) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      quietly('ip', ['netns', 'delete', ns]);
    }
    // Deleting the bridge namespace deletes the veth's peer and with it this end; make sure.
    if (quietly('ip', ['link', 'show', this.rootDevice]) !== '') quietly('ip', ['link', 'delete', this.rootDevice]);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function waitFor(child: ChildProcess, ready: RegExp, log: () => string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what} not ready after 10 s:\n${log()}`)), 10_000);
    const onData = (): void => {
      if (ready.test(log())) done();
    };
    const onExit = (code: number | null): void => done(new Error(`${what} exited with ${code}:\n${log()}`));
    function done(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
