// OpenSSH known_hosts: parse the files, and verify a server's host key the way
// `ssh` does with StrictHostKeyChecking=yes. An unknown, changed or revoked key
// is refused. Trust on first use is never implicit: the SSH transport offers it
// as an explicit opt-in for unknown keys only, and records keys with
// `appendKnownHost`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { UsageError } from '../errors.js';
import { InputFileError, readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';

export type KnownHostsMarker = 'cert-authority' | 'revoked';

/** Which hosts a line names: a comma-separated pattern list, or one hashed name. */
export type KnownHostsHosts =
  | { kind: 'patterns'; patterns: string[] }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostEntry {
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  marker?: KnownHostsMarker;
  hosts: KnownHostsHosts;
  /** Key type as written, e.g. `ssh-ed25519`. */
  keyType: string;
  /** The decoded public key blob, as the server sends it during key exchange. */
  key: Buffer;
}

export type HostKeyRejectionReason = 'unknown' | 'changed' | 'revoked';

export interface HostKeyRejection {
  reason: HostKeyRejectionReason;
  /** What happened and what to do; names the host and the files read. */
  message: string;
  /** SHA256 fingerprint of the presented key, as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

export type HostKeyVerdict = { accepted: true; entry: KnownHostEntry } | ({ accepted: false } & HostKeyRejection);

/**
 * A function usable as ssh2's `hostVerifier`: it receives the raw host key and
 * answers synchronously. It remembers why it last refused, so the caller can
 * replace ssh2's terse "Host denied" with a useful message.
 */
export interface HostVerifier {
  (key: Buffer): boolean;
  readonly lastRejection: HostKeyRejection | undefined;
}

/** The files OpenSSH reads by default (UserKnownHostsFile, then GlobalKnownHostsFile). */
export function defaultKnownHostsFiles(homeDir: string): string[] {
  return [
    join(homeDir, '.ssh', 'known_hosts'),
    join(homeDir, '.ssh', 'known_hosts2'),
    '/etc/ssh/ssh_known_hosts',
    '/etc/ssh/ssh_known_hosts2',
  ];
}

/**
 * Parses known_hosts text. Comments, blank lines and lines that are not
 * well-formed are skipped, as OpenSSH does.
 */
export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const entry = parseLine(lines[i] ?? '', file, i + 1);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseLine(raw: string, file: string, line: number): KnownHostEntry | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const fields = text.split(/\s+/);
  let marker: KnownHostsMarker | undefined;
  if (fields[0]?.startsWith('@')) {
    const name = fields.shift();
    if (name === '@cert-authority') marker = 'cert-authority';
    else if (name === '@revoked') marker = 'revoked';
    else return undefined;
  }
  const [hostField, keyType, keyText] = fields;
  if (!hostField || !keyType || !keyText) return undefined;
  const key = Buffer.from(keyText, 'base64');
  // The blob starts with its own type name; a mismatch means a corrupt line.
  if (blobKeyType(key) !== keyType) return undefined;
  const hosts = parseHosts(hostField);
  if (!hosts) return undefined;
  return { file, line, ...(marker ? { marker } : {}), hosts, keyType, key };
}

function parseHosts(field: string): KnownHostsHosts | undefined {
  if (field.startsWith('|')) {
    // `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, written by HashKnownHosts.
    const parts = field.split('|');
    if (parts.length !== 4 || parts[1] !== '1') return undefined;
    const salt = Buffer.from(parts[2] ?? '', 'base64');
    const hash = Buffer.from(parts[3] ?? '', 'base64');
    if (salt.length !== 20 || hash.length !== 20) return undefined;
    return { kind: 'hashed', salt, hash };
  }
  const patterns = field.split(',').filter((p) => p !== '');
  return patterns.length > 0 ? { kind: 'patterns', patterns } : undefined;
}

function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The key type a public key blob names (`ssh-ed25519`, `ecdsa-sha2-nistp256`...), or undefined when malformed. */
export function keyTypeOf(key: Buffer): string | undefined {
  return blobKeyType(key);
}

// A fleet scan connects to every host with the same known_hosts files: each
// file is parsed once and reused while its size and mtime stay the same
// (trust on first use appends to it, which changes both).
const parsedFiles = new Map<string, { size: number; mtimeMs: number; entries: KnownHostEntry[] }>();

/** Reads and parses known_hosts files; files that do not exist are skipped. */
export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let parsed: KnownHostEntry[];
    try {
      const st = statSync(file);
      const cached = parsedFiles.get(file);
      if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) {
        parsed = cached.entries;
      } else {
        parsed = parseKnownHosts(readInputFile(file, LIMITS.knownHostsFileBytes, 'known_hosts'), file);
        parsedFiles.set(file, { size: st.size, mtimeMs: st.mtimeMs, entries: parsed });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if (error instanceof InputFileError && error.problem === 'missing') continue;
      const why = error instanceof InputFileError ? error.detail : (error as Error).message;
      throw new UsageError(`cannot read known_hosts file ${file}: ${why}`, { cause: error });
    }
    entries.push(...parsed);
  }
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise; lower case. */
export function hostLookupName(host: string, port = 22): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

const patternCache = new Map<string, RegExp>();

/** OpenSSH `match_pattern`: `*` is any run of characters, `?` exactly one. */
function matchPattern(name: string, pattern: string): boolean {
  const lower = pattern.toLowerCase();
  // Most entries are plain names: no regular expression needed.
  if (!lower.includes('*') && !lower.includes('?')) return name === lower;
  let re = patternCache.get(lower);
  if (!re) {
    let source = '';
    for (const ch of lower) {
      if (ch === '*') source += '.*';
      else if (ch === '?') source += '.';
      else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, 's');
    patternCache.set(lower, re);
  }
  return re.test(name);
}

/** Whether a line names the host. A matching negated pattern (`!host`) excludes it. */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port = 22): boolean {
  const name = hostLookupName(host, port);
  if (entry.hosts.kind === 'hashed') {
    const digest = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return timingSafeEqual(digest, entry.hosts.hash);
  }
  let matched = false;
  for (const pattern of entry.hosts.patterns) {
    if (pattern.startsWith('!')) {
      if (matchPattern(name, pattern.slice(1))) return false;
    } else if (matchPattern(name, pattern)) {
      matched = true;
    }
  }
  return matched;
}

/** SHA256 fingerprint in OpenSSH's format (`SHA256:` + unpadded base64). */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * A pinned fingerprint in the form `ssh-keygen -l -E sha256` prints it
 * (`SHA256:` + base64, padding optional), normalised to that form without
 * padding; undefined when the text is not one (MD5 fingerprints included).
 */
export function normalizeFingerprint(text: string): string | undefined {
  const match = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(text.trim());
  return match ? `SHA256:${match[1]}` : undefined;
}

/** A known_hosts line for `host:port` and `key`, as `ssh-keyscan` prints it (unhashed). */
export function formatKnownHostsLine(host: string, port: number, key: Buffer): string {
  const type = blobKeyType(key);
  if (type === undefined) throw new UsageError('cannot record a malformed host key');
  return `${hostLookupName(host, port)} ${type} ${key.toString('base64')}`;
}

/**
 * Appends `host:port key` to a known_hosts file, creating it (0600) and its
 * folder (0700) when missing. Returns where the key now is.
 */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer): { file: string; line: number } {
  const text = formatKnownHostsLine(host, port, key);
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`cannot read known_hosts file ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const lines = existing === '' ? 0 : existing.split(/\r?\n/).length - (separator === '' ? 1 : 0);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${separator}${text}\n`, { mode: 0o600 });
  } catch (error) {
    throw new UsageError(`cannot write known_hosts file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { file, line: lines + 1 };
}

/** Host key types recorded for the host (plain entries only), for ordering key exchange. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port = 22): string[] {
  const types = new Set<string>();
  for (const entry of entries) {
    if (entry.marker === undefined && entryMatchesHost(entry, host, port)) types.add(entry.keyType);
  }
  return [...types];
}

/** Decides whether `key` is the right host key for `host:port`. */
export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: Buffer,
  files: readonly string[] = [...new Set(entries.map((e) => e.file))],
): HostKeyVerdict {
  const name = hostLookupName(host, port);
  const print = fingerprint(key);
  const where = files.length > 0 ? files.join(', ') : 'no known_hosts file';

  // `@revoked` keys "must not ever be accepted": refused for every host, not
  // only the hosts the line names, which is stricter than OpenSSH and safe.
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) {
    return {
      accepted: false,
      reason: 'revoked',
      fingerprint: print,
      message:
        `the host key of ${name} (${print}) is marked @revoked in ${revoked.file}:${revoked.line}; ` +
        'refusing to connect. Ask the host administrator for the current key.',
    };
  }

  // `@cert-authority` lines vouch for host certificates, which this client does
  // not use; they neither accept nor refuse a plain key.
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port));
  const match = forHost.find((e) => e.key.equals(key));
  if (match) return { accepted: true, entry: match };

  if (forHost.length > 0) {
    const lines = forHost.map((e) => `${e.file}:${e.line}`).join(', ');
    return {
      accepted: false,
      reason: 'changed',
      fingerprint: print,
      message:
        `the host key of ${name} has changed: it offered ${print}, which does not match ${lines}. ` +
        'Someone may be intercepting the connection, or the host was reinstalled. Verify the new key out of band, ' +
        `then update the entry (ssh-keygen -R '${name}').`,
    };
  }
  return {
    accepted: false,
    reason: 'unknown',
    fingerprint: print,
    message:
      `the host key of ${name} (${print}) is not in known_hosts (looked in: ${where}). ` +
      `Verify the fingerprint out of band, then add it, e.g. ssh-keyscan -p ${port} ${host} >> ~/.ssh/known_hosts.`,
  };
}

/** Builds an ssh2 `hostVerifier` that accepts only a key recorded for `host:port`. */
export function createHostVerifier(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  files?: readonly string[],
): HostVerifier {
  let lastRejection: HostKeyRejection | undefined;
  const verify = (key: Buffer): boolean => {
    const verdict = verifyHostKey(entries, host, port, key, files);
    if (verdict.accepted) return true;
    lastRejection = { reason: verdict.reason, message: verdict.message, fingerprint: verdict.fingerprint };
    return false;
  };
  return Object.defineProperty(verify, 'lastRejection', { get: () => lastRejection, enumerable: true }) as HostVerifier;
}
