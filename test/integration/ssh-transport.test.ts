import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CollectError } from '../../src/errors.js';
import { connectHost, SshTransportError, type ConnectOptions, type SshSession, type SshTarget } from '../../src/checkers/ssh/transport.js';
import {
  assertSshdAvailable,
  CI_USER,
  freePort,
  knownHostsLine,
  LOOPBACK,
  makeKey,
  makeTempDir,
  NOSUDO_USER,
  skipSshd,
  startSshd,
  stopAllSshd,
  type Sshd,
  type TestKey,
} from './sshd.js';

const PASSPHRASE_ENV = 'PALISADE_IT_KEY_PASSPHRASE';
const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let key: TestKey;
let encryptedKey: TestKey;
let strangerKey: TestKey;
let target: Sshd;
let jump: Sshd;
let noForwarding: Sshd;
let knownHosts: string;
/** A folder the test users may write to, for marker files. */
let markers: string;
const sessions: SshSession[] = [];
const tempDirs: string[] = [];

/** No agent and no default keys unless a test asks for them. */
function isolated(extra: ConnectOptions = {}): ConnectOptions {
  return { env: {}, homeDir: dir, ...extra };
}

function host(sshd: Sshd, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    name: `it-${sshd.port}`,
    address: sshd.address,
    port: sshd.port,
    user: CI_USER,
    identityFile: key.privateFile,
    knownHostsFiles: [knownHosts],
    jump: [],
    connectTimeoutMs: 5_000,
    commandTimeoutMs: 10_000,
    ...overrides,
  };
}

async function connect(t: SshTarget, options: ConnectOptions = isolated()): Promise<SshSession> {
  const session = await connectHost(t, options);
  sessions.push(session);
  return session;
}

async function connectError(t: SshTarget, options: ConnectOptions = isolated()): Promise<SshTransportError> {
  try {
    const session = await connect(t, options);
    session.close();
  } catch (error) {
    expect(error).toBeInstanceOf(CollectError);
    expect(error).toBeInstanceOf(SshTransportError);
    return error as SshTransportError;
  }
  throw new Error(`expected connecting to ${t.name} to fail`);
}

function fileWith(name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

// Skipped only on machines without sshd or the test users (a laptop running
// `npm test`); with PALISADE_REQUIRE_INTEGRATION=1 (CI) beforeAll fails instead.
describe.skipIf(skipSshd())('src/checkers/ssh/transport against a real sshd', () => {
  beforeAll(async () => {
    assertSshdAvailable();
    dir = makeTempDir('ssh-transport');
    markers = makeTempDir('ssh-markers');
    tempDirs.push(dir, markers);
    chmodSync(markers, 0o1777);
    key = makeKey(dir, 'client_ed25519');
    encryptedKey = makeKey(dir, 'client_encrypted', { type: 'ecdsa', passphrase: PASSPHRASE });
    strangerKey = makeKey(dir, 'stranger_ed25519');
    const authorizedKeys = [key.publicLine, encryptedKey.publicLine];
    [target, jump, noForwarding] = await Promise.all([
      startSshd({ authorizedKeys }),
      // DEBUG1 logs each direct-tcpip channel: the proof that a chain went through it.
      startSshd({ authorizedKeys, config: { LogLevel: 'DEBUG1' } }),
      startSshd({ authorizedKeys, config: { AllowTcpForwarding: 'no' } }),
    ]);
    knownHosts = fileWith('known_hosts', [target.knownHostsLine(), jump.knownHostsLine(), noForwarding.knownHostsLine()]);
  });

  afterAll(async () => {
    for (const session of sessions) session.close();
    await stopAllSshd();
    for (const path of tempDirs) rmSync(path, { recursive: true, force: true });
  });

  describe('key authentication', () => {
    it('logs in as palisade-ci with a key file and runs the script with sh', async () => {
      const session = await connect(host(target));

      const result = await session.run('id -un; echo to-stderr >&2; exit 3');

      expect(result).toEqual({ stdout: `${CI_USER}\n`, stderr: 'to-stderr\n', code: 3, truncated: false });
      expect(session.warnings).toEqual([]);
    });

    it('decrypts an encrypted key with the passphrase from the named environment variable', async () => {
      const t = host(target, { identityFile: encryptedKey.privateFile, identityPassphraseEnv: PASSPHRASE_ENV });

      const session = await connect(t, isolated({ env: { [PASSPHRASE_ENV]: PASSPHRASE } }));

      expect((await session.run('id -un')).stdout).toBe(`${CI_USER}\n`);
    });

    it.each([
      ['is missing', {}],
      ['is wrong', { [PASSPHRASE_ENV]: 'not the passphrase' }],
    ])('refuses an encrypted key whose passphrase variable %s, before connecting', async (_, env) => {
      const t = host(target, { identityFile: encryptedKey.privateFile, identityPassphraseEnv: PASSPHRASE_ENV });

      const error = await connectError(t, isolated({ env }));

      expect(error.kind).toBe('credentials');
      expect(error.message).toContain(PASSPHRASE_ENV);
      expect(error.message).not.toContain(PASSPHRASE);
    });

    it('logs in with a key held by an ssh agent (SSH_AUTH_SOCK)', async () => {
      const socket = join(dir, 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        await waitFor(() => existsSync(socket));
        execFileSync('ssh-add', ['-q', key.privateFile], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });

        const session = await connect(host(target, { identityFile: undefined }), isolated({ env: { SSH_AUTH_SOCK: socket } }));

        expect((await session.run('id -un')).stdout).toBe(`${CI_USER}\n`);
      } finally {
        await stop(agent);
      }
    });

    it('fails with an auth error naming the user when the key is not authorized', async () => {
      const error = await connectError(host(target, { identityFile: strangerKey.privateFile, user: NOSUDO_USER }));

      expect(error.kind).toBe('auth');
      expect(error.target).toBe(`it-${target.port}`);
      expect(error.message).toContain(NOSUDO_USER);
      expect(error.message).toContain(strangerKey.privateFile);
    });

    it('reports a refused connection on a port where nothing listens', async () => {
      const port = await freePort();

      const error = await connectError(host(target, { name: 'nobody-home', port }));

      expect(error.kind).toBe('refused');
      expect(error.message).toMatch(/^nobody-home: connection refused/);
    });
  });

  describe('host key verification', () => {
    it('refuses a host whose known_hosts key is wrong, and runs nothing', async () => {
      const marker = join(markers, 'wrong-key-ran');
      const control = join(markers, 'right-key-ran');
      const wrong = fileWith('known_hosts_wrong', [knownHostsLine(LOOPBACK, target.port, strangerKey)]);
      const loginsBefore = countLogins(target);

      const error = await connectAndRun(host(target, { knownHostsFiles: [wrong] }), `touch '${marker}'`);
      const loginsAfterRefusal = countLogins(target);
      // Control: the same steps with the right key do leave the marker.
      await connectAndRun(host(target), `touch '${control}'`);

      expect(error).toBeInstanceOf(SshTransportError);
      const refusal = error as SshTransportError;
      expect(refusal.kind).toBe('host-key');
      expect(refusal.target).toBe(`it-${target.port}`);
      expect(refusal.message).toContain(target.hostKey.type);
      expect(refusal.message).toContain(target.hostKey.fingerprint);
      expect(refusal.message).toContain(`${wrong}:1`);
      expect(existsSync(marker)).toBe(false);
      expect(loginsAfterRefusal).toBe(loginsBefore);
      expect(existsSync(control)).toBe(true);
    });

    it('refuses an unknown host and says how to add it', async () => {
      const empty = fileWith('known_hosts_empty', []);

      const error = await connectError(host(target, { knownHostsFiles: [empty] }));

      expect(error.kind).toBe('host-key');
      expect(error.message).toContain(target.hostKey.fingerprint);
      expect(error.message).toContain('ssh-keyscan');
      expect(error.message).toContain('--trust-on-first-use');
    });

    it('accepts a host recorded under a hashed name', async () => {
      const hashed = fileWith('known_hosts_hashed', [target.knownHostsLine()]);
      execFileSync('ssh-keygen', ['-q', '-H', '-f', hashed], { stdio: 'ignore' });
      expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);

      const session = await connect(host(target, { knownHostsFiles: [hashed] }));

      expect((await session.run('echo ok')).stdout).toBe('ok\n');
    });

    it('accepts a pinned fingerprint without any known_hosts entry', async () => {
      const t = host(target, { knownHostsFiles: [join(dir, 'absent_known_hosts')], hostKeyFingerprint: target.hostKey.fingerprint });

      const session = await connect(t);

      expect((await session.run('echo ok')).stdout).toBe('ok\n');
    });

    it('refuses a host whose key does not match the pinned fingerprint, even when known_hosts has it', async () => {
      const error = await connectError(host(target, { hostKeyFingerprint: strangerKey.fingerprint }));

      expect(error.kind).toBe('host-key');
      expect(error.message).toContain(strangerKey.fingerprint);
      expect(error.message).toContain(target.hostKey.fingerprint);
    });

    it('trusts an unknown key on first use only when asked, records it, and warns loudly', async () => {
      const home = makeTempDir('tofu');
      tempDirs.push(home);
      const file = join(home, '.ssh', 'known_hosts');
      const t = host(target, { knownHostsFiles: [file] });

      const first = await connect(t, isolated({ trustOnFirstUse: true }));
      const again = await connect(t);

      expect(first.warnings).toHaveLength(1);
      expect(first.warnings[0]).toMatch(/^TRUST ON FIRST USE/);
      expect(first.warnings[0]).toContain(target.hostKey.fingerprint);
      expect(readFileSync(file, 'utf8')).toBe(`${target.knownHostsLine()}\n`);
      expect(again.warnings).toEqual([]);
      expect((await again.run('echo ok')).stdout).toBe('ok\n');
    });

    it('never trusts a changed key on first use, and leaves known_hosts alone', async () => {
      const wrong = fileWith('known_hosts_changed', [knownHostsLine(LOOPBACK, target.port, strangerKey)]);
      const before = readFileSync(wrong, 'utf8');

      const error = await connectError(host(target, { knownHostsFiles: [wrong] }), isolated({ trustOnFirstUse: true }));

      expect(error.kind).toBe('host-key');
      expect(readFileSync(wrong, 'utf8')).toBe(before);
    });
  });

  describe('jump hosts', () => {
    it('reaches the target through a jump host, over a forwarded channel', async () => {
      const via = { name: 'bastion', address: jump.address, port: jump.port, user: NOSUDO_USER, identityFile: key.privateFile };
      const channelsBefore = countDirectTcpip(jump);

      const session = await connect(host(target, { jump: [via] }));
      const result = await session.run('id -un');

      expect(result.stdout).toBe(`${CI_USER}\n`);
      await waitFor(() => countDirectTcpip(jump) > channelsBefore);
      expect(countDirectTcpip(jump)).toBe(channelsBefore + 1);
    });

    it('goes through a chain of two jump hosts', async () => {
      const outer = { name: 'outer', address: jump.address, port: jump.port, user: NOSUDO_USER, identityFile: key.privateFile };
      // The target's sshd serves as the second hop here, and the jump's as the destination.
      const inner = { name: 'inner', address: target.address, port: target.port, user: NOSUDO_USER, identityFile: key.privateFile };

      const session = await connect(host(jump, { name: 'end', jump: [outer, inner] }));

      expect((await session.run('id -un')).stdout).toBe(`${CI_USER}\n`);
    });

    it('stops at a jump host that forbids forwarding, and names it', async () => {
      const outer = { name: 'outer', address: jump.address, port: jump.port, user: NOSUDO_USER, identityFile: key.privateFile };
      const closedDoor = { name: 'closed-door', address: noForwarding.address, port: noForwarding.port, user: NOSUDO_USER, identityFile: key.privateFile };

      const error = await connectError(host(target, { jump: [outer, closedDoor] }));

      expect(error.kind).toBe('forward');
      expect(error.message).toContain('jump host closed-door');
      expect(error.message).toContain('AllowTcpForwarding');
    });

    it('verifies the jump host key too, and stops there when it is wrong', async () => {
      const wrong = fileWith('known_hosts_bad_jump', [knownHostsLine(LOOPBACK, jump.port, strangerKey), target.knownHostsLine()]);
      const via = { name: 'bastion', address: jump.address, port: jump.port, user: NOSUDO_USER, identityFile: key.privateFile };

      const error = await connectError(host(target, { knownHostsFiles: [wrong], jump: [via] }));

      expect(error.kind).toBe('host-key');
      expect(error.message).toContain('jump host bastion');
      expect(error.message).toContain(jump.hostKey.fingerprint);
    });
  });

  describe('timeouts', () => {
    let silent: Server;
    const held: Socket[] = [];

    beforeAll(async () => {
      // Accepts TCP and never says a word, like a wedged sshd.
      silent = createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, LOOPBACK, resolve));
    });

    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('times out on a host that accepts TCP but never answers, while a good host still works', async () => {
      const port = (silent.address() as { port: number }).port;
      const mute = host(target, { name: 'mute', port, connectTimeoutMs: 1_500 });
      const started = Date.now();

      const [bad, good] = await Promise.allSettled([connect(mute), connect(host(target, { name: 'good' }))]);

      expect(bad.status).toBe('rejected');
      const error = (bad as PromiseRejectedResult).reason as SshTransportError;
      expect(error).toBeInstanceOf(CollectError);
      expect(error.kind).toBe('timeout');
      expect(error.target).toBe('mute');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(good.status).toBe('fulfilled');
      expect((await (good as PromiseFulfilledResult<SshSession>).value.run('echo ok')).stdout).toBe('ok\n');
    });

    it('stops a command that outlives the command timeout', async () => {
      const session = await connect(host(target));

      const error = await session.run('sleep 30', { timeoutMs: 500 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SshTransportError);
      expect((error as SshTransportError).kind).toBe('command-timeout');
      expect((await session.run('echo still usable')).stdout).toBe('still usable\n');
    });
  });

  describe('run', () => {
    it('keeps the first maxBytes of a flood, closes the channel and marks it truncated', async () => {
      const session = await connect(host(target));

      const result = await session.run('yes | head -c 50000000', { maxBytes: 1_000_000 });

      expect(result.truncated).toBe(true);
      expect(result.code).toBeNull();
      expect(result.stdout).toHaveLength(1_000_000);
      expect(result.stdout.startsWith('y\ny\n')).toBe(true);
      expect((await session.run('echo still usable')).stdout).toBe('still usable\n');
    });

    it('does not truncate output that fits', async () => {
      const session = await connect(host(target));

      const result = await session.run('head -c 100000 /dev/zero | tr "\\0" x');

      expect(result.truncated).toBe(false);
      expect(result.code).toBe(0);
      expect(result.stdout).toHaveLength(100_000);
    });
  });

  describe('probeTcp', () => {
    it.each([
      ['open', 'a listening port', async () => target.port],
      ['closed', 'a port nothing listens on', freePort],
    ])('reports %s for %s, through a direct-tcpip channel', async (expected, _, port) => {
      const session = await connect(host(target));

      const probe = await session.probeTcp(LOOPBACK, await port(), 2_000);

      expect(probe.result).toBe(expected);
    });

    it('reports an error when the host forbids forwarding', async () => {
      const session = await connect(host(noForwarding));

      const probe = await session.probeTcp(LOOPBACK, target.port, 2_000);

      expect(probe).toEqual({ result: 'error', detail: 'forwarding disabled on this host' });
    });
  });
});

/** Connects and runs `script`; returns the error instead when either step fails. */
async function connectAndRun(t: SshTarget, script: string): Promise<unknown> {
  try {
    const session = await connect(t);
    await session.run(script);
    return undefined;
  } catch (error) {
    return error;
  }
}

function countLogins(sshd: Sshd): number {
  return sshd.log().match(/Accepted publickey for /g)?.length ?? 0;
}

function countDirectTcpip(sshd: Sshd): number {
  return sshd.log().match(/server_input_channel_open: ctype direct-tcpip/g)?.length ?? 0;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
