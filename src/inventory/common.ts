// Pieces every inventory form shares: paths, ports, durations, jump host
// specs, and the resolution of ProxyJump references into connection chains.
import { userInfo } from 'node:os';
import path from 'node:path';

import yaml from 'js-yaml';

import { loadYamlSafe, YamlLoadError } from '../lib/yaml-safe.js';
import { defaultKnownHostsFiles } from '../ssh/known-hosts.js';
import { InventoryError } from './errors.js';
import type { Duration, InventoryHost, JumpSpec } from './types.js';

/** Where a value is written: file, 1-based line, and the field as users would name it. */
export interface Where {
  file: string;
  line: number;
  field: string;
}

export function fail(message: string, where: Where): never {
  throw new InventoryError(message, where);
}

/** `file:line: message`, the form of every inventory warning. */
export function warning(where: { file: string; line: number }, message: string): string {
  return `${where.file}:${where.line}: ${message}`;
}

/** `~` and `~/x` become the home directory; `~user` is left alone (palisade does not look up other users). */
export function expandHome(p: string, homeDir: string): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/')) return path.join(homeDir, p.slice(2));
  return p;
}

/** Expands `~`, then resolves a relative path against `baseDir`. */
export function resolvePath(p: string, baseDir: string, homeDir: string): string {
  return path.resolve(baseDir, expandHome(p, homeDir));
}

/** The user palisade runs as, the default remote user as with `ssh`; asked only when a host sets no user. */
export function localUserName(inventoryFile: string): string {
  try {
    return userInfo().username;
  } catch (cause) {
    // No passwd entry (some containers): fall back to what the login set.
    const fromEnv = process.env['USER'] ?? process.env['LOGNAME'];
    if (fromEnv) return fromEnv;
    throw new InventoryError('a host has no user and the local user name is unknown (no passwd entry, no $USER); set a user for every host', { file: inventoryFile }, { cause });
  }
}

/** OpenSSH's default user and global known_hosts files, in the order it reads them. */
export function defaultKnownHosts(homeDir: string): { user: string[]; global: string[] } {
  const all = defaultKnownHostsFiles(homeDir);
  const userDir = path.join(homeDir, '.ssh');
  return {
    user: all.filter((f) => path.dirname(f) === userDir),
    global: all.filter((f) => path.dirname(f) !== userDir),
  };
}

/** A TCP port from text or a number; undefined when it is not an integer from 1 to 65535. */
export function toPort(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/** Milliseconds of a validated duration: seconds as a number, or `500ms`, `10s`, `2m`. */
export function durationMs(value: Duration): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!m) throw new TypeError(`not a duration: ${value}`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/** Wraps an IPv6 literal in brackets for URLs and `host:port` text. */
export function bracketHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** `ssh://user@host[:port]`, the docker CLI's form for an engine reached over SSH. */
export function sshUrl(user: string, address: string, port: number): string {
  return `ssh://${user}@${bracketHost(address)}${port === 22 ? '' : `:${port}`}`;
}

export interface HopParts {
  user?: string;
  host: string;
  port?: number;
}

/**
 * Parses one ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr]:port`, or
 * `ssh://[user@]host[:port]`. Returns the reason when the text is not one.
 */
export function parseHopSpec(text: string): HopParts | { error: string } {
  let s = text.trim();
  if (/^ssh:\/\//i.test(s)) s = s.slice('ssh://'.length).replace(/\/$/, '');
  if (s === '' || /\s/.test(s)) return { error: 'expected [user@]host[:port]' };
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
    if (user === '') return { error: 'empty user before "@"' };
  }
  let host = s;
  let portText: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return { error: 'unclosed "[" in address' };
    host = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return { error: `unexpected "${rest}" after the address` };
      portText = rest.slice(1);
    }
  } else {
    const colon = s.indexOf(':');
    // More than one colon is a bare IPv6 address with no port.
    if (colon >= 0 && colon === s.lastIndexOf(':')) {
      host = s.slice(0, colon);
      portText = s.slice(colon + 1);
    }
  }
  if (host === '') return { error: 'missing host' };
  if (portText === undefined) return { host, ...(user !== undefined ? { user } : {}) };
  const port = toPort(portText);
  if (port === undefined) return { error: `"${portText}" is not a port (1-65535)` };
  return { host, port, ...(user !== undefined ? { user } : {}) };
}

/** Splits text as a POSIX shell would (quotes, backslashes); with `comments`, `#` at a word start ends the line. */
export function shellSplit(text: string, comments = false): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    if (comments && text[i] === '#') break;
    let word = '';
    while (i < text.length && !/\s/.test(text[i] ?? '')) {
      const ch = text[i] ?? '';
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        word += text.slice(i + 1, close < 0 ? text.length : close);
        i = close < 0 ? text.length : close + 1;
      } else if (ch === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          word += text[i] ?? '';
          i++;
        }
        i++;
      } else if (ch === '\\' && i + 1 < text.length) {
        word += text[i + 1] ?? '';
        i += 2;
      } else {
        word += ch;
        i++;
      }
    }
    out.push(word);
  }
  return out;
}

// ssh(1) options that take an argument, for reading a ProxyCommand's ssh line.
const SSH_OPTIONS_WITH_ARG = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/** The jump hops an `ssh` argument string asks for: `-J a,b`, `-o ProxyJump=a,b`, or a ProxyCommand of the `ssh -W %h:%p bastion` kind. */
export function jumpFromSshArgs(text: string): { hops: string[] } | { unsupported: string } | undefined {
  const tokens = shellSplit(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    let option: string | undefined;
    if (t === '-J') return { hops: (tokens[i + 1] ?? '').split(',') };
    if (t.startsWith('-J')) return { hops: t.slice(2).split(',') };
    if (t === '-o') option = tokens[++i];
    else if (t.startsWith('-o')) option = t.slice(2);
    if (option === undefined) continue;
    const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(option);
    const key = m?.[1]?.toLowerCase();
    const value = (m?.[2] ?? '').trim();
    if (key === 'proxyjump') return value.toLowerCase() === 'none' ? undefined : { hops: value.split(',') };
    if (key === 'proxycommand') return value.toLowerCase() === 'none' ? undefined : hopsFromProxyCommand(value);
  }
  return undefined;
}

/** `ssh [-p port] [-l user] -W %h:%p [user@]host` as one hop; anything else is not understood. */
export function hopsFromProxyCommand(command: string): { hops: string[] } | { unsupported: string } {
  const tokens = shellSplit(command);
  if (path.basename(tokens[0] ?? '') !== 'ssh') return { unsupported: 'ProxyCommand' };
  let user: string | undefined;
  let port: string | undefined;
  let forward = false;
  let destination: string | undefined;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t.startsWith('-') && t.length >= 2) {
      const flag = t[1] ?? '';
      if (!SSH_OPTIONS_WITH_ARG.has(flag)) continue;
      const arg = t.length > 2 ? t.slice(2) : tokens[++i];
      if (flag === 'W') forward = arg === '%h:%p';
      else if (flag === 'p') port = arg;
      else if (flag === 'l') user = arg;
      else if (flag === 'J') return { unsupported: 'ProxyCommand with -J' };
    } else if (destination === undefined) {
      destination = t;
    } else {
      return { unsupported: 'ProxyCommand running a remote command' };
    }
  }
  if (!forward || destination === undefined) return { unsupported: 'ProxyCommand without `-W %h:%p`' };
  const parts = parseHopSpec(destination);
  if ('error' in parts) return { unsupported: `ProxyCommand destination (${parts.error})` };
  const u = user ?? parts.user;
  const p = port ?? (parts.port !== undefined ? String(parts.port) : undefined);
  const host = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  return { hops: [`${u !== undefined ? `${u}@` : ''}${host}${p !== undefined ? `:${p}` : ''}`] };
}

/** A jump reference as written, with where it is written. */
export interface JumpRef {
  ref: string;
  where: Where;
}

/** What a reference stands for: the hop, and that hop's own jump setting (honoured when it is the first hop, as OpenSSH does). */
export interface Hop {
  spec: JumpSpec;
  jumpRefs: JumpRef[];
}

/** A host before its jump references are resolved. */
export interface HostDraft {
  host: Omit<InventoryHost, 'jump'>;
  jumpRefs: JumpRef[];
}

/** Resolves a reference that is not an inventory host name; throws InventoryError when it cannot be one. */
export type LiteralHopResolver = (ref: JumpRef) => Hop;

function specOf(host: Omit<InventoryHost, 'jump'>): JumpSpec {
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    ...(host.identityFile !== undefined ? { identityFile: host.identityFile } : {}),
    ...(host.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: host.hostKeyFingerprint } : {}),
  };
}

/**
 * Turns jump references into chains of hops, first hop first. As with
 * OpenSSH's `ProxyJump a,b`, the first hop is reached with its own jump
 * setting, and each later hop through the one before it. A chain that comes
 * back to a host on it is a cycle, reported at the jump setting that starts it.
 */
export function resolveJumps(drafts: readonly HostDraft[], literal: LiteralHopResolver): InventoryHost[] {
  const byName = new Map(drafts.map((d) => [d.host.name, d]));

  function hopOf(ref: JumpRef): { key: string; hop: Hop } {
    const draft = byName.get(ref.ref);
    if (draft) return { key: `host:${ref.ref}`, hop: { spec: specOf(draft.host), jumpRefs: draft.jumpRefs } };
    return { key: `ref:${ref.ref}`, hop: literal(ref) };
  }

  function chain(refs: readonly JumpRef[], trail: { key: string; label: string }[], origin: Where | undefined): { key: string; spec: JumpSpec }[] {
    const out: { key: string; spec: JumpSpec }[] = [];
    refs.forEach((ref, i) => {
      const { key, hop } = hopOf(ref);
      const seen = trail.findIndex((t) => t.key === key);
      if (seen >= 0) {
        const loop = [...trail.slice(seen).map((t) => t.label), ...out.map((h) => h.spec.name), hop.spec.name];
        // At the top level the reference itself closes the loop; deeper, the setting that led there is the one to fix.
        fail(`jump cycle: ${loop.join(' -> ')}`, origin ?? ref.where);
      }
      if (i === 0) out.push(...chain(hop.jumpRefs, [...trail, { key, label: hop.spec.name }], origin ?? ref.where));
      out.push({ key, spec: hop.spec });
    });
    return out;
  }

  return drafts.map((draft) => {
    if (draft.jumpRefs.length === 0) return { ...draft.host, jump: [] };
    // The host itself heads the trail, so every hop at every depth is checked against it.
    const hops = chain(draft.jumpRefs, [{ key: `host:${draft.host.name}`, label: draft.host.name }], undefined);
    return { ...draft.host, jump: hops.map((h) => h.spec) };
  });
}

/** Dotted path of the YAML key on 0-based `lineIndex` (`hosts.web1`), read from indentation; for errors js-yaml reports by line only. */
export function yamlPathAtLine(text: string, lineIndex: number): string {
  const lines = text.split(/\r?\n/);
  const keys: string[] = [];
  let indent = Infinity;
  for (let i = Math.min(lineIndex, lines.length - 1); i >= 0; i--) {
    const line = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#][^:#]*?)\s*:(\s|$)/.exec(line);
    if (!m) continue;
    const ind = (m[1] ?? '').length;
    if (ind >= indent) continue;
    indent = ind;
    keys.unshift((m[2] ?? '').replace(/^["']|["']$/g, ''));
    if (ind === 0) break;
  }
  return keys.join('.');
}

/**
 * Parses YAML with a safe schema and palisade's YAML limits (src/lib/yaml-safe.ts);
 * a syntax error or a limit becomes InventoryError naming the line (and the key, for a duplicate).
 */
export function loadYaml(text: string, file: string, schema: yaml.Schema = yaml.CORE_SCHEMA): unknown {
  try {
    return loadYamlSafe(text, { schema, filename: file });
  } catch (cause) {
    if (!(cause instanceof YamlLoadError)) throw cause;
    const line = cause.line ?? 1;
    if (cause.line !== undefined && /duplicated mapping key/.test(cause.reason)) {
      const field = yamlPathAtLine(text, cause.line - 1);
      throw new InventoryError(`duplicate name "${field.split('.').pop() ?? ''}": each name may appear only once`, { file, line, field }, { cause });
    }
    throw new InventoryError(cause.limit ? cause.reason : `invalid YAML: ${cause.reason}`, { file, line }, { cause });
  }
}

/** JSON-pointer segment escaping (RFC 6901). */
export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/hosts/web1/port` -> `hosts.web1.port`, the field as errors name it. */
export function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}
