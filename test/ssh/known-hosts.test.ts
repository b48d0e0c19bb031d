import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, Server } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createHostVerifier,
  entryMatchesHost,
  fingerprint,
  hostLookupName,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
  verifyHostKey,
} from '../../src/ssh/known-hosts.js';

interface Key {
  /** `type base64` as in a .pub file, without the comment. */
  pub: string;
  blob: Buffer;
  privateFile: string;
  /** `ssh-keygen -l` fingerprint. */
  fingerprint: string;
}

let dir: string;
let ed25519: Key;
let other: Key;
let ecdsa: Key;

function keygen(name: string, type: string): Key {
  const privateFile = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', privateFile]);
  const [keyType = '', base64 = ''] = readFileSync(`${privateFile}.pub`, 'utf8').trim().split(/\s+/);
  const print = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privateFile}.pub`], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
  return { pub: `${keyType} ${base64}`, blob: Buffer.from(base64, 'base64'), privateFile, fingerprint: print };
}

function knownHosts(text: string): ReturnType<typeof parseKnownHosts> {
  return parseKnownHosts(text, 'kh');
}

describe('src/ssh/known-hosts', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-known-hosts-'));
    ed25519 = keygen('host_ed25519', 'ed25519');
    other = keygen('other_ed25519', 'ed25519');
    ecdsa = keygen('host_ecdsa', 'ecdsa');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('parseKnownHosts', () => {
    it('reads markers, patterns, key types and line numbers, skipping comments and junk', () => {
      const text = [
        '# comment',
        '',
        `web.example.test,10.0.0.5 ${ed25519.pub} a comment`,
        'not a valid line',
        `@revoked * ${other.pub}`,
        `@cert-authority *.example.test ${ecdsa.pub}`,
        `@unknown-marker host ${ed25519.pub}`,
        `host ssh-rsa ${ed25519.pub.split(' ')[1]}`,
      ].join('\n');

      const entries = knownHosts(text);

      expect(entries.map((e) => [e.line, e.marker, e.keyType, e.hosts])).toEqual([
        [3, undefined, 'ssh-ed25519', { kind: 'patterns', patterns: ['web.example.test', '10.0.0.5'] }],
        [5, 'revoked', 'ssh-ed25519', { kind: 'patterns', patterns: ['*'] }],
        [6, 'cert-authority', 'ecdsa-sha2-nistp256', { kind: 'patterns', patterns: ['*.example.test'] }],
      ]);
      expect(entries[0]?.key.equals(ed25519.blob)).toBe(true);
    });
  });

  describe('host matching', () => {
    it.each([
      ['host.example.test', 22, 'host.example.test'],
      ['Host.Example.Test', 22, 'host.example.test'],
      ['host.example.test', 2222, '[host.example.test]:2222'],
    ])('looks up %s port %i as %s', (host, port, expected) => {
      expect(hostLookupName(host, port)).toBe(expected);
    });

    it.each([
      ['host.example.test', 'host.example.test', 22, true],
      ['host.example.test', 'HOST.example.test', 22, true],
      ['host.example.test', 'host.example.test', 2222, false],
      ['[host.example.test]:2222', 'host.example.test', 2222, true],
      ['[host.example.test]:2222', 'host.example.test', 22, false],
      ['*.example.test', 'db.example.test', 22, true],
      ['*.example.test,!db.example.test', 'db.example.test', 22, false],
      ['web?.example.test', 'web1.example.test', 22, true],
      ['web?.example.test', 'web10.example.test', 22, false],
      ['!db.example.test', 'web.example.test', 22, false],
      ['[*.example.test]:*', 'web.example.test', 2200, true],
    ])('pattern %s matches %s:%i -> %s', (patterns, host, port, expected) => {
      const [entry] = knownHosts(`${patterns} ${ed25519.pub}`);

      expect(entry && entryMatchesHost(entry, host, port)).toBe(expected);
    });

    it('matches entries hashed by `ssh-keygen -H`, on port 22 and on another port', () => {
      const file = join(dir, 'hashed_known_hosts');
      writeFileSync(file, `web.example.test ${ed25519.pub}\n[web.example.test]:2222 ${ecdsa.pub}\n`);
      execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });

      const entries = readKnownHosts([file]);

      expect(entries.every((e) => e.hosts.kind === 'hashed')).toBe(true);
      expect(verifyHostKey(entries, 'web.example.test', 22, ed25519.blob)).toMatchObject({ accepted: true });
      expect(verifyHostKey(entries, 'web.example.test', 2222, ecdsa.blob)).toMatchObject({ accepted: true });
      expect(verifyHostKey(entries, 'web.example.test', 2222, ed25519.blob)).toMatchObject({ accepted: false, reason: 'changed' });
      expect(verifyHostKey(entries, 'db.example.test', 22, ed25519.blob)).toMatchObject({ accepted: false, reason: 'unknown' });
    });
  });

  describe('verifyHostKey', () => {
    it('accepts the recorded key', () => {
      const entries = knownHosts(`host.example.test ${ed25519.pub}`);

      const verdict = verifyHostKey(entries, 'host.example.test', 22, ed25519.blob);

      expect(verdict).toMatchObject({ accepted: true, entry: { line: 1 } });
    });

    it('refuses an unknown host, saying how to add it', () => {
      const entries = knownHosts(`host.example.test ${ed25519.pub}`);

      const verdict = verifyHostKey(entries, 'new.example.test', 2222, ed25519.blob);

      expect(verdict).toMatchObject({ accepted: false, reason: 'unknown', fingerprint: ed25519.fingerprint });
      expect(!verdict.accepted && verdict.message).toMatch(/\[new\.example\.test\]:2222.*not in known_hosts.*ssh-keyscan/s);
    });

    it('refuses a changed key, naming the line it contradicts', () => {
      const entries = knownHosts(`# header\nhost.example.test ${ed25519.pub}`);

      const verdict = verifyHostKey(entries, 'host.example.test', 22, other.blob);

      expect(verdict).toMatchObject({ accepted: false, reason: 'changed', fingerprint: other.fingerprint });
      expect(!verdict.accepted && verdict.message).toContain('kh:2');
    });

    it('refuses a revoked key even when a plain line also lists it', () => {
      const entries = knownHosts(`host.example.test ${ed25519.pub}\n@revoked other.example.test ${ed25519.pub}`);

      const verdict = verifyHostKey(entries, 'host.example.test', 22, ed25519.blob);

      expect(verdict).toMatchObject({ accepted: false, reason: 'revoked' });
    });

    it('ignores @cert-authority lines: a plain key they cover is still unknown', () => {
      const entries = knownHosts(`@cert-authority *.example.test ${ed25519.pub}`);

      const verdict = verifyHostKey(entries, 'host.example.test', 22, ed25519.blob);

      expect(verdict).toMatchObject({ accepted: false, reason: 'unknown' });
    });
  });

  it('prints fingerprints the way ssh-keygen does', () => {
    expect(fingerprint(ed25519.blob)).toBe(ed25519.fingerprint);
  });

  it('lists the key types recorded for a host', () => {
    const entries = knownHosts(`host.example.test ${ed25519.pub}\nhost.example.test ${ecdsa.pub}\nother.example.test ${other.pub}`);

    expect(knownKeyTypes(entries, 'host.example.test')).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  });

  it('skips known_hosts files that do not exist', () => {
    expect(readKnownHosts([join(dir, 'missing')])).toEqual([]);
  });

  describe('as the ssh2 hostVerifier of a real handshake', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = new Server({ hostKeys: [readFileSync(ed25519.privateFile)] }, (client) => {
        client.on('authentication', (ctx) => ctx.accept());
        client.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    function connect(knownHostsText: string): Promise<{ ok: boolean; verifier: ReturnType<typeof createHostVerifier>; error?: Error }> {
      const verifier = createHostVerifier(knownHosts(knownHostsText), '127.0.0.1', port);
      const client = new Client();
      return new Promise((resolve) => {
        client
          .on('ready', () => {
            client.end();
            resolve({ ok: true, verifier });
          })
          .on('error', (error) => resolve({ ok: false, verifier, error }))
          .connect({ host: '127.0.0.1', port, username: 'test', hostVerifier: verifier, readyTimeout: 5_000 });
      });
    }

    it('connects when known_hosts holds the server key', async () => {
      const result = await connect(`[127.0.0.1]:${port} ${ed25519.pub}`);

      expect(result.ok).toBe(true);
      expect(result.verifier.lastRejection).toBeUndefined();
    });

    it.each([
      ['changed', () => `[127.0.0.1]:${port} ${other.pub}`],
      ['unknown', () => `[127.0.0.2]:${port} ${ed25519.pub}`],
      ['revoked', () => `[127.0.0.1]:${port} ${ed25519.pub}\n@revoked * ${ed25519.pub}`],
    ])('refuses the handshake when the key is %s', async (reason, text) => {
      const result = await connect(text());

      expect(result.ok).toBe(false);
      expect(result.verifier.lastRejection?.reason).toBe(reason);
    });
  });
});
