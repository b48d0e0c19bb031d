// Throw-away OpenSSH servers for the SSH integration tests: each one is a
// `/usr/sbin/sshd -D -e` on 127.0.0.1 with a free port, its own generated host
// key, config, pid file and authorized_keys in a temp folder, and nothing of
// the system sshd's configuration. scripts/setup-ssh-integration.sh provides
// the binary and the test users; keys are generated here, per run.
//
// When PALISADE_REQUIRE_INTEGRATION=1 (CI) a missing sshd or test user fails
// the tests; otherwise they are skipped, so `npm test` works on a laptop.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REQUIRED = process.env['PALISADE_REQUIRE_INTEGRATION'] === '1';
export const SSHD = '/usr/sbin/sshd';
export const LOOPBACK = '127.0.0.1';
/** May run anything with `sudo -n`. */
export const CI_USER = 'palisade-ci';
/** Has no sudo rights. */
export const NOSUDO_USER = 'palisade-nosudo';

/** Why these tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  const setup = 'run scripts/setup-ssh-integration.sh as root';
  if (process.platform !== 'linux') return `sshd integration tests need Linux (this is ${process.platform})`;
  // sshd must start as root to log in as the test users.
  if (process.getuid?.() !== 0) return 'the tests must run as root so sshd can log in as the test users';
  if (!existsSync(SSHD)) return `${SSHD} is missing; ${setup}`;
  for (const tool of ['ssh-keygen', 'ssh-keyscan']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing; ${setup}`;
  }
  for (const user of [CI_USER, NOSUDO_USER]) {
    if (spawnSync('id', ['-u', user]).status !== 0) return `test user ${user} does not exist; ${setup}`;
  }
  return undefined;
}

/**
 * Whether the suite must be skipped. With PALISADE_REQUIRE_INTEGRATION=1 it
 * never is: the caller's beforeAll calls `assertSshdAvailable` and fails.
 */
export function skipSshd(): boolean {
  return !REQUIRED && sshdUnavailable() !== undefined;
}

export function assertSshdAvailable(): void {
  const why = sshdUnavailable();
  if (why !== undefined) throw new Error(`PALISADE_REQUIRE_INTEGRATION=1 but ${why}`);
}

export interface TestKey {
  /** Private key file (0600). */
  privateFile: string;
  /** `type base64 comment`, as in the .pub file and authorized_keys. */
  publicLine: string;
  /** e.g. `ssh-ed25519`. */
  type: string;
  /** The public key blob. */
  blob: Buffer;
  /** `ssh-keygen -l -E sha256`: `SHA256:...`. */
  fingerprint: string;
}

/** A fresh temp folder readable by the test users (sshd reads authorized_keys as them). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `palisade-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Generates a key pair with ssh-keygen; a non-empty passphrase encrypts the private key. */
export function makeKey(dir: string, name: string, options: { type?: 'ed25519' | 'ecdsa' | 'rsa'; passphrase?: string } = {}): TestKey {
  const privateFile = join(dir, name);
  const type = options.type ?? 'ed25519';
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', options.passphrase ?? '', '-C', name, '-f', privateFile]);
  const publicLine = readFileSync(`${privateFile}.pub`, 'utf8').trim();
  const [keyType = '', base64 = ''] = publicLine.split(/\s+/);
  const print = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privateFile}.pub`], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
  return { privateFile, publicLine, type: keyType, blob: Buffer.from(base64, 'base64'), fingerprint: print };
}

/** A known_hosts line for `address:port` with `key`, as ssh-keyscan would print it. */
export function knownHostsLine(address: string, port: number, key: Pick<TestKey, 'publicLine'>): string {
  const [type, base64] = key.publicLine.split(/\s+/);
  const name = port === 22 ? address : `[${address}]:${port}`;
  return `${name} ${type} ${base64}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface SshdOptions {
  /** authorized_keys lines, shared by every user this sshd lets in. */
  authorizedKeys: readonly string[];
  /** Users allowed to log in; defaults to the two test users (never root unless listed). */
  allowUsers?: readonly string[];
  /** Extra or overriding sshd_config keywords, e.g. `{ AllowTcpForwarding: 'no', LogLevel: 'DEBUG1' }`. */
  config?: Readonly<Record<string, string>>;
}

export interface Sshd {
  address: typeof LOOPBACK;
  port: number;
  hostKey: TestKey;
  dir: string;
  /** sshd's log so far (it logs to stderr with -e). */
  log(): string;
  /** The known_hosts line for this server's real host key. */
  knownHostsLine(): string;
  stop(): Promise<void>;
}

/**
 * Writes `<dir>/sshd_config` for a throw-away, key-only test sshd (no PAM,
 * forwarding on for direct-tcpip probes) with `settings` on top, and checks it
 * with `sshd -t` for a readable failure. Returns the file.
 */
export function writeSshdConfig(dir: string, settings: Readonly<Record<string, string>>): string {
  const all: Record<string, string> = {
    PidFile: join(dir, 'sshd.pid'),
    AuthenticationMethods: 'publickey',
    PubkeyAuthentication: 'yes',
    PasswordAuthentication: 'no',
    KbdInteractiveAuthentication: 'no',
    PermitRootLogin: 'no',
    UsePAM: 'no',
    StrictModes: 'no',
    AllowTcpForwarding: 'yes',
    X11Forwarding: 'no',
    PrintMotd: 'no',
    UseDNS: 'no',
    LoginGraceTime: '30',
    MaxStartups: '100',
    MaxSessions: '50',
    LogLevel: 'VERBOSE',
    ...settings,
  };
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, Object.entries(all).map(([key, value]) => `${key} ${value}\n`).join(''), { mode: 0o644 });
  execFileSync(SSHD, ['-t', '-f', configFile]);
  return configFile;
}

const running = new Set<Sshd>();

/** Starts a throw-away sshd on 127.0.0.1 and waits until it listens. */
export async function startSshd(options: SshdOptions): Promise<Sshd> {
  const dir = makeTempDir('sshd');
  const hostKey = makeKey(dir, 'ssh_host_ed25519_key');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, options.authorizedKeys.map((line) => `${line}\n`).join(''), { mode: 0o644 });

  let lastError: unknown;
  // A free port can be taken between freePort() and sshd's bind; try again then.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configFile = writeSshdConfig(dir, {
      ListenAddress: `${LOOPBACK}:${port}`,
      HostKey: hostKey.privateFile,
      AuthorizedKeysFile: authorizedKeys,
      AllowUsers: (options.allowUsers ?? [CI_USER, NOSUDO_USER]).join(' '),
      PermitRootLogin: 'prohibit-password',
      ...options.config,
    });

    const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
    });
    try {
      await waitForListening(child, () => log);
    } catch (error) {
      lastError = error;
      child.kill('SIGTERM');
      if (/Address already in use/.test(log)) continue;
      break;
    }
    const sshd: Sshd = {
      address: LOOPBACK,
      port,
      hostKey,
      dir,
      log: () => log,
      knownHostsLine: () => knownHostsLine(LOOPBACK, port, hostKey),
      stop: async () => {
        running.delete(sshd);
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    running.add(sshd);
    return sshd;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${String(lastError)}`);
}

/** Stops every sshd this process started; for afterAll. */
export async function stopAllSshd(): Promise<void> {
  await Promise.all([...running].map((sshd) => sshd.stop()));
}

function waitForListening(child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`sshd not listening after 10 s:\n${log()}`)), 10_000);
    const onData = (): void => {
      if (/Server listening on /.test(log())) done();
    };
    const onExit = (code: number | null): void => done(new Error(`sshd exited with ${code}:\n${log()}`));
    function done(error?: Error): void {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
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
