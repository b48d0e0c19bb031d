import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildClientConfig,
  decideHostKey,
  describeConnectError,
  hopLabel,
  hostKeyAlgorithms,
  mapChannelOpenFailure,
  planAuth,
  SshTransportError,
  trustOnFirstUseWarning,
  type HostKeyInput,
  type SshHop,
} from '../../../src/checkers/ssh/transport.js';
import { CollectError } from '../../../src/errors.js';
import { fingerprint, parseKnownHosts } from '../../../src/ssh/known-hosts.js';

interface Pair {
  privateText: string;
  /** `type base64`. */
  pub: string;
  blob: Buffer;
}

function pair(passphrase?: string): Pair {
  const keys = passphrase
    ? ssh2.utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 2 })
    : ssh2.utils.generateKeyPairSync('ed25519');
  const [type = '', base64 = ''] = keys.public.split(/\s+/);
  return { privateText: keys.private, pub: `${type} ${base64}`, blob: Buffer.from(base64, 'base64') };
}

const hostKey = pair();
const otherKey = pair();
const HOP: SshHop = { name: 'web1', address: '10.0.0.5', port: 2222, user: 'audit' };

function input(knownHosts: readonly string[], overrides: Partial<HostKeyInput> = {}): HostKeyInput {
  return {
    hop: HOP,
    role: 'target',
    key: hostKey.blob,
    entries: parseKnownHosts(knownHosts.join('\n'), '/home/u/.ssh/known_hosts'),
    files: ['/home/u/.ssh/known_hosts', '/etc/ssh/ssh_known_hosts'],
    trustOnFirstUse: false,
    ...overrides,
  };
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('src/checkers/ssh/transport', () => {
  describe('decideHostKey', () => {
    const known = `[10.0.0.5]:2222 ${hostKey.pub}`;
    const changed = `[10.0.0.5]:2222 ${otherKey.pub}`;
    const revoked = `@revoked * ${hostKey.pub}`;
    const print = fingerprint(hostKey.blob);

    it.each([
      ['a key recorded for host:port', [known], {}, { action: 'accept', via: 'known-hosts' }],
      ['a matching pinned fingerprint, whatever known_hosts says', [changed], { hop: { ...HOP, hostKeyFingerprint: print } }, { action: 'accept', via: 'pinned' }],
      ['a pinned fingerprint written with base64 padding', [], { hop: { ...HOP, hostKeyFingerprint: `${print}=` } }, { action: 'accept', via: 'pinned' }],
      ['an unknown key with trust on first use', [], { trustOnFirstUse: true }, { action: 'record', file: '/home/u/.ssh/known_hosts' }],
    ])('accepts %s', (_, lines, overrides, expected) => {
      const decision = decideHostKey(input(lines, overrides));

      expect(decision).toEqual(expected);
    });

    it.each([
      ['an unknown key', [], {}, 'unknown'],
      ['a changed key', [changed], {}, 'changed'],
      ['a changed key even with trust on first use', [changed], { trustOnFirstUse: true }, 'changed'],
      ['a revoked key even when pinned', [revoked], { hop: { ...HOP, hostKeyFingerprint: print } }, 'revoked'],
      ['a key that differs from the pin', [known], { hop: { ...HOP, hostKeyFingerprint: fingerprint(otherKey.blob) } }, 'pin-mismatch'],
      ['a pin that is not a SHA256 fingerprint', [known], { hop: { ...HOP, hostKeyFingerprint: 'MD5:00:11' } }, 'pin-mismatch'],
      ['an unknown key on first use with no file to record it in', [], { trustOnFirstUse: true, files: [] }, 'no-file'],
    ])('refuses %s', (_, lines, overrides, reason) => {
      const decision = decideHostKey(input(lines, overrides));

      expect(decision).toMatchObject({ action: 'refuse', reason });
    });

    it('names the host, the key type and fingerprint, and both ways forward for an unknown key', () => {
      const decision = decideHostKey(input([]));

      expect(decision.action).toBe('refuse');
      const message = decision.action === 'refuse' ? decision.message : '';
      expect(message).toContain('10.0.0.5:2222');
      expect(message).toContain('ssh-ed25519');
      expect(message).toContain(print);
      expect(message).toContain('ssh-keyscan -p 2222 -t ed25519 10.0.0.5');
      expect(message).toContain('--trust-on-first-use');
      expect(message).toContain('Nothing was run');
    });

    it('points at the recorded line and does not offer trust on first use for a changed key', () => {
      const decision = decideHostKey(input(['# comment', changed]));

      const message = decision.action === 'refuse' ? decision.message : '';
      expect(message).toContain('/home/u/.ssh/known_hosts:2');
      expect(message).toContain("ssh-keygen -R '[10.0.0.5]:2222'");
      expect(message).toContain('never accepts a changed key');
    });

    it('names a jump host as such', () => {
      const decision = decideHostKey(input([], { role: 'jump', hop: { ...HOP, name: 'bastion' } }));

      expect(decision.action === 'refuse' && decision.message).toContain('jump host bastion (10.0.0.5:2222)');
    });
  });

  describe('trustOnFirstUseWarning', () => {
    it('is loud and says where the key went', () => {
      const warning = trustOnFirstUseWarning('10.0.0.5:2222', hostKey.blob, { file: '/k', line: 7 });

      expect(warning).toMatch(/^TRUST ON FIRST USE: /);
      expect(warning).toContain(fingerprint(hostKey.blob));
      expect(warning).toContain('/k:7');
      expect(warning).toContain('WITHOUT verification');
    });
  });

  describe('hopLabel', () => {
    it.each([
      ['target', '10.0.0.5:2222'],
      ['jump', 'jump host web1 (10.0.0.5:2222)'],
    ] as const)('labels a %s hop', (role, expected) => {
      expect(hopLabel(HOP, role)).toBe(expected);
    });
  });

  describe('hostKeyAlgorithms', () => {
    it.each([
      [[], undefined],
      [['ssh-dss'], undefined],
      [['ssh-ed25519'], ['ssh-ed25519']],
      [['ssh-rsa', 'ssh-ed25519'], ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']],
    ])('moves the known types %j to the front', (types, preferred) => {
      const algorithms = hostKeyAlgorithms(types);

      expect(algorithms).toEqual(preferred && { serverHostKey: { remove: preferred, prepend: preferred, append: [] } });
      // ssh2 applies the operations in key order: remove, then prepend.
      if (algorithms?.serverHostKey) expect(Object.keys(algorithms.serverHostKey)).toEqual(['remove', 'prepend', 'append']);
    });
  });

  describe('planAuth', () => {
    let dir: string;
    let plainFile: string;
    let encryptedFile: string;
    let publicFile: string;
    const encrypted = pair('s3cret-passphrase');

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'palisade-transport-'));
      plainFile = join(dir, 'plain');
      encryptedFile = join(dir, 'encrypted');
      publicFile = join(dir, 'plain.pub');
      writeFileSync(plainFile, hostKey.privateText, { mode: 0o600 });
      writeFileSync(encryptedFile, encrypted.privateText, { mode: 0o600 });
      writeFileSync(publicFile, `${hostKey.pub}\n`);
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('offers the identity file, then the agent, and nothing else', () => {
      const plan = planAuth('web1', { ...HOP, identityFile: plainFile }, 'target', { SSH_AUTH_SOCK: '/run/agent.sock' }, dir);

      expect(plan.methods.map((m) => m.type)).toEqual(['publickey', 'agent']);
      expect(plan.methods.every((m) => m.username === 'audit')).toBe(true);
      expect(plan.tried).toEqual([`key file ${plainFile}`, 'ssh agent (SSH_AUTH_SOCK=/run/agent.sock)']);
    });

    it('decrypts an encrypted identity file with the passphrase from the named variable', () => {
      const hop = { ...HOP, identityFile: encryptedFile, identityPassphraseEnv: 'WEB1_KEY_PASS' };

      const plan = planAuth('web1', hop, 'target', { WEB1_KEY_PASS: 's3cret-passphrase' }, dir);

      expect(plan.methods).toHaveLength(1);
      expect(plan.methods[0]).toMatchObject({ type: 'publickey' });
    });

    it('falls back to the default identity files, skipping ones it cannot decrypt', () => {
      const home = join(dir, 'home');
      mkdirSync(join(home, '.ssh'), { recursive: true });
      writeFileSync(join(home, '.ssh', 'id_ed25519'), encrypted.privateText);
      writeFileSync(join(home, '.ssh', 'id_rsa'), hostKey.privateText);

      const plan = planAuth('web1', HOP, 'target', {}, home);

      expect(plan.tried).toEqual([`key file ${join(home, '.ssh', 'id_rsa')}`]);
    });

    it.each([
      ['no key at all', () => ({ hop: HOP, env: {} }), /no key to log in with.*never uses passwords/],
      ['an encrypted file without a passphrase variable', () => ({ hop: { ...HOP, identityFile: encryptedFile }, env: {} }), /is encrypted; .*identityPassphraseEnv/],
      ['an unset passphrase variable', () => ({ hop: { ...HOP, identityFile: encryptedFile, identityPassphraseEnv: 'NOPE' }, env: {} }), /environment variable NOPE .* is not set/],
      ['a wrong passphrase', () => ({ hop: { ...HOP, identityFile: encryptedFile, identityPassphraseEnv: 'P' }, env: { P: 'wrong-guess' } }), /the passphrase in P does not decrypt/],
      ['a public key file', () => ({ hop: { ...HOP, identityFile: publicFile }, env: {} }), /public key/],
      ['a missing file', () => ({ hop: { ...HOP, identityFile: join(dir, 'absent') }, env: {} }), /cannot read identity file/],
    ])('refuses %s with a credentials error', (_, arrange, message) => {
      const { hop, env } = arrange();

      const error = thrownBy(() => planAuth('web1', hop, 'target', env, join(dir, 'empty-home')));

      expect(error).toBeInstanceOf(SshTransportError);
      expect((error as SshTransportError).kind).toBe('credentials');
      expect((error as SshTransportError).target).toBe('web1');
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('wrong-guess');
    });
  });

  describe('buildClientConfig', () => {
    const plan = { methods: [{ type: 'agent' as const, username: 'audit', agent: '/run/agent.sock' }], tried: ['ssh agent'] };
    const timing = { connectTimeoutMs: 7_000, keepaliveIntervalMs: 15_000, keepaliveCountMax: 3 };
    const verifier = (): boolean => false;

    it('uses keys only, the connect timeout as readyTimeout, keepalive and the verifier', () => {
      const config = buildClientConfig(HOP, plan, verifier, timing, ['ssh-ed25519']);

      expect(config).toEqual({
        host: '10.0.0.5',
        port: 2222,
        username: 'audit',
        readyTimeout: 7_000,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 3,
        hostVerifier: verifier,
        authHandler: plan.methods,
        tryKeyboard: false,
        algorithms: { serverHostKey: { remove: ['ssh-ed25519'], prepend: ['ssh-ed25519'], append: [] } },
      });
      expect(config).not.toHaveProperty('password');
      expect(config).not.toHaveProperty('privateKey');
    });

    it('passes a forwarded channel as the socket and leaves host key order alone when a fingerprint is pinned', () => {
      const sock = new PassThrough();

      const config = buildClientConfig({ ...HOP, hostKeyFingerprint: fingerprint(hostKey.blob) }, plan, verifier, timing, ['ssh-ed25519'], sock);

      expect(config.sock).toBe(sock);
      expect(config).not.toHaveProperty('algorithms');
    });
  });

  describe('describeConnectError', () => {
    const context = { connectTimeoutMs: 5_000, tried: ['key file /k'] };

    function ssh2Error(message: string, fields: { level?: string; code?: string }): Error {
      return Object.assign(new Error(message), fields);
    }

    it.each([
      ['auth', ssh2Error('All configured authentication methods failed', { level: 'client-authentication' }), /authentication as audit on 10\.0\.0\.5:2222 failed \(offered: key file \/k\)/],
      ['timeout', ssh2Error('Timed out while waiting for handshake', { level: 'client-timeout' }), /no SSH answer from 10\.0\.0\.5:2222 within 5 s/],
      ['refused', ssh2Error('connect ECONNREFUSED', { level: 'client-socket', code: 'ECONNREFUSED' }), /connection refused by 10\.0\.0\.5:2222/],
      ['timeout', ssh2Error('connect ETIMEDOUT', { level: 'client-socket', code: 'ETIMEDOUT' }), /timed out/],
      ['unreachable', ssh2Error('connect EHOSTUNREACH', { level: 'client-socket', code: 'EHOSTUNREACH' }), /no route/],
      ['dns', ssh2Error('getaddrinfo ENOTFOUND', { level: 'client-socket', code: 'ENOTFOUND' }), /cannot resolve 10\.0\.0\.5/],
      ['closed', ssh2Error('read ECONNRESET', { level: 'client-socket', code: 'ECONNRESET' }), /reset the connection/],
      ['closed', ssh2Error('Connection lost before handshake', { level: 'protocol' }), /closed the connection before the SSH handshake/],
      ['handshake', ssh2Error('Handshake failed: no matching host key format', { level: 'handshake' }), /handshake with 10\.0\.0\.5:2222 failed/],
      ['other', new Error('something odd'), /cannot connect to 10\.0\.0\.5:2222: something odd/],
    ])('maps to %s: %s', (kind, error, message) => {
      const mapped = describeConnectError('web1', HOP, 'target', error, context);

      expect(mapped).toBeInstanceOf(CollectError);
      expect(mapped.kind).toBe(kind);
      expect(mapped.target).toBe('web1');
      expect(mapped.message).toMatch(/^web1: /);
      expect(mapped.message).toMatch(message);
      expect(mapped.cause).toBe(error);
    });

    it('prefers the recorded host key refusal over ssh2\'s terse "Host denied"', () => {
      const error = ssh2Error('Host denied (verification failed)', { level: 'handshake' });

      const mapped = describeConnectError('web1', HOP, 'target', error, { ...context, hostKeyRejection: 'host key refused for ...' });

      expect(mapped.kind).toBe('host-key');
      expect(mapped.message).toBe('web1: host key refused for ...');
    });
  });

  describe('mapChannelOpenFailure', () => {
    function openFailure(reason: number | string, description: string): Error {
      return Object.assign(new Error(`(SSH) Channel open failure: ${description}`), { reason });
    }

    it.each([
      [openFailure(1, 'administratively prohibited: open failed'), { result: 'error', detail: 'forwarding disabled on this host' }],
      [openFailure(2, 'Connection refused'), { result: 'closed', detail: 'connection refused' }],
      [openFailure(2, 'Connection timed out'), { result: 'filtered', detail: 'connection timed out' }],
      [openFailure(2, 'No route to host'), { result: 'filtered', detail: 'no route to host' }],
      [openFailure(2, 'Network is unreachable'), { result: 'filtered', detail: 'network is unreachable' }],
      [openFailure(2, 'open failed'), { result: 'error', detail: 'connect failed: open failed' }],
      [openFailure(3, 'unknown channel type'), { result: 'error', detail: 'the SSH server does not support direct-tcpip channels' }],
      [openFailure(4, ''), { result: 'error', detail: 'the SSH server is short of resources: no reason given' }],
      [openFailure('', 'server closed channel unexpectedly'), { result: 'error', detail: 'server closed channel unexpectedly' }],
      [new Error('No response from server'), { result: 'error', detail: 'No response from server' }],
    ])('maps %s', (error, expected) => {
      expect(mapChannelOpenFailure(error)).toEqual(expected);
    });
  });
});
