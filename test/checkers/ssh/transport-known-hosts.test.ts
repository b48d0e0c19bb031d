import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  appendKnownHost,
  fingerprint,
  formatKnownHostsLine,
  keyTypeOf,
  normalizeFingerprint,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/ssh/known-hosts.js';

function publicBlob(): { pub: string; blob: Buffer } {
  const [type = '', base64 = ''] = ssh2.utils.generateKeyPairSync('ed25519').public.split(/\s+/);
  return { pub: `${type} ${base64}`, blob: Buffer.from(base64, 'base64') };
}

// The additions the SSH transport makes to the known_hosts module: pinned
// fingerprints and recording a key trusted on first use.
describe('src/ssh/known-hosts (transport additions)', () => {
  const key = publicBlob();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-kh-add-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('keyTypeOf', () => {
    it.each([
      ['a public key blob', key.blob, 'ssh-ed25519'],
      ['an empty buffer', Buffer.alloc(0), undefined],
      ['a length past the end', Buffer.from([0, 0, 0, 9, 0x61]), undefined],
    ])('reads %s', (_, blob, expected) => {
      expect(keyTypeOf(blob)).toBe(expected);
    });
  });

  describe('normalizeFingerprint', () => {
    const print = fingerprint(key.blob);

    it.each([
      [print, print],
      [`${print}=`, print],
      [`  ${print}\n`, print],
      [print.replace('SHA256:', ''), undefined],
      ['MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', undefined],
      ['SHA256:short', undefined],
    ])('normalises %j', (text, expected) => {
      expect(normalizeFingerprint(text)).toBe(expected);
    });
  });

  describe('formatKnownHostsLine', () => {
    it.each([
      ['web.example.test', 22, 'web.example.test'],
      ['10.0.0.5', 2222, '[10.0.0.5]:2222'],
    ])('writes %s port %i the way ssh-keyscan does', (host, port, name) => {
      expect(formatKnownHostsLine(host, port, key.blob)).toBe(`${name} ${key.pub}`);
    });
  });

  describe('appendKnownHost', () => {
    it('creates the file and its folder, private, and the key then verifies', () => {
      const file = join(dir, 'new', '.ssh', 'known_hosts');

      const where = appendKnownHost(file, '127.0.0.1', 2201, key.blob);

      expect(where).toEqual({ file, line: 1 });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'new', '.ssh')).mode & 0o777).toBe(0o700);
      const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
      expect(verifyHostKey(entries, '127.0.0.1', 2201, key.blob)).toMatchObject({ accepted: true });
    });

    it.each([
      ['ends with a newline', 'a ssh-ed25519 x\n# c\n', 3],
      ['lacks a final newline', 'a ssh-ed25519 x\n# c', 3],
      ['is empty', '', 1],
    ])('appends after a file that %s, on its own line', (_, existing, line) => {
      const file = join(dir, `kh-${line}-${existing.length}`);
      writeFileSync(file, existing);

      const where = appendKnownHost(file, 'h', 22, key.blob);

      expect(where.line).toBe(line);
      expect(readFileSync(file, 'utf8').split('\n')[line - 1]).toBe(`h ${key.pub}`);
    });
  });
});
