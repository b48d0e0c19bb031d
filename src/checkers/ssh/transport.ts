// The SSH transport (ssh2): one verified, key-authenticated connection per
// host, through a chain of jump hosts when the inventory names one, and a
// session that runs palisade's fixed probe script and makes TCP probes.
//
// What it guarantees:
// - Every hop's host key is checked (known_hosts, hashed entries too, or a
//   pinned SHA256 fingerprint) during key exchange, before authentication; a
//   refused key ends the connection with nothing run. Trust on first use is an
//   explicit opt-in, for unknown keys only, and it says so loudly.
// - Keys only (files, encrypted ones with a passphrase from an environment
//   variable, or the agent); password and keyboard-interactive are never tried.
// - The only command sent is REMOTE_COMMAND; the script travels on its stdin.
//   probeTcp opens a direct-tcpip channel (the server connects for us) and runs
//   no command at all.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

import ssh2, {
  Client,
  type AgentAuthMethod,
  type ClientChannel,
  type ConnectConfig,
  type ParsedKey,
  type PublicKeyAuthMethod,
  type ServerHostKeyAlgorithm,
} from 'ssh2';

import { CollectError } from '../../errors.js';
import type { FlowProbe } from '../../model/facts.js';
import {
  appendKnownHost,
  entryMatchesHost,
  fingerprint,
  hostLookupName,
  keyTypeOf,
  knownKeyTypes,
  normalizeFingerprint,
  readKnownHosts,
  verifyHostKey,
  type KnownHostEntry,
} from '../../ssh/known-hosts.js';

/** The one command palisade ever asks sshd to run; the script arrives on stdin. */
export const REMOTE_COMMAND = 'sh -s';
/** Output kept from one `run` (stdout and stderr together) before the channel is closed. */
export const DEFAULT_RUN_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;

export interface SshHop {
  /** Inventory name, used in messages. */
  name: string;
  address: string;
  port: number;
  user: string;
  /** Private key file; without one, the agent and then ~/.ssh/id_{ed25519,ecdsa,rsa} are used. */
  identityFile?: string;
  /** Name of the environment variable holding the identity file's passphrase (never the passphrase itself). */
  identityPassphraseEnv?: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it; when set, it alone decides which host key is accepted. */
  hostKeyFingerprint?: string;
}

export interface SshTarget extends SshHop {
  /** known_hosts files for every hop; trust on first use appends to the first. */
  knownHostsFiles: readonly string[];
  /** Jump hosts in order: palisade connects to the first, each forwards to the next, the last to the target. */
  jump: readonly SshHop[];
  /** Per hop: TCP connect, key exchange and authentication together. */
  connectTimeoutMs: number;
  /** Default limit for one `run`. */
  commandTimeoutMs: number;
}

export interface ConnectOptions {
  /** Accept and record an UNKNOWN host key (never a changed one). Off unless the user asked for it. */
  trustOnFirstUse?: boolean;
  /** Where SSH_AUTH_SOCK and passphrase variables are read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home folder for the default identity files; defaults to os.homedir(). */
  homeDir?: string;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

export interface RunOptions {
  /** Bytes of stdout and stderr together kept before the channel is closed; default 16 MiB. */
  maxBytes?: number;
  /** Defaults to the target's commandTimeoutMs. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command was cut short or ended by a signal. */
  code: number | null;
  /** The signal that ended the command, when the server reported one. */
  signal?: string;
  /** Output went past maxBytes: what is kept is the first maxBytes, and the channel was closed. */
  truncated: boolean;
}

export type TcpProbeResult = Pick<FlowProbe, 'result' | 'detail'>;

export interface SshSession {
  /** The target's inventory name. */
  readonly name: string;
  /** Loud notices the user must see (trust on first use); empty normally. */
  readonly warnings: readonly string[];
  /** Runs REMOTE_COMMAND with `script` on stdin. */
  run(script: string, options?: RunOptions): Promise<RunResult>;
  /** Asks the host to open a TCP connection to address:port (a direct-tcpip channel) and reports how it went. */
  probeTcp(address: string, port: number, timeoutMs: number): Promise<TcpProbeResult>;
  /** Closes the connection and every jump connection under it; safe to call twice. */
  close(): void;
}

export type SshFailure =
  | 'config'
  | 'credentials'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'dns'
  | 'closed'
  | 'handshake'
  | 'host-key'
  | 'auth'
  | 'forward'
  | 'command-timeout'
  | 'connection-lost'
  | 'channel'
  | 'other';

/** A CollectError that also says which kind of failure it was, for reporting and tests. */
export class SshTransportError extends CollectError {
  readonly kind: SshFailure;

  constructor(target: string, kind: SshFailure, message: string, options?: { cause?: unknown }) {
    super(target, message, options);
    this.kind = kind;
  }
}

type Role = 'target' | 'jump';

/** How messages name a hop: `10.0.0.5:22` for the target, `jump host bastion (10.0.0.1:22)` for a jump. */
export function hopLabel(hop: Pick<SshHop, 'name' | 'address' | 'port'>, role: Role): string {
  const where = `${hop.address}:${hop.port}`;
  return role === 'jump' ? `jump host ${hop.name} (${where})` : where;
}

// ---------------------------------------------------------------------------
// Host keys

export type HostKeyDecision =
  | { action: 'accept'; via: 'known-hosts' | 'pinned' }
  /** Unknown key and trust on first use was asked for: record it, then accept. */
  | { action: 'record'; file: string }
  | { action: 'refuse'; reason: 'unknown' | 'changed' | 'revoked' | 'pin-mismatch' | 'no-file'; message: string };

export interface HostKeyInput {
  hop: Pick<SshHop, 'name' | 'address' | 'port' | 'hostKeyFingerprint'>;
  role: Role;
  key: Buffer;
  entries: readonly KnownHostEntry[];
  files: readonly string[];
  trustOnFirstUse: boolean;
}

/** Decides what to do with the host key a hop offers. Pure: recording is the caller's job. */
export function decideHostKey(input: HostKeyInput): HostKeyDecision {
  const { hop, role, key, entries, files } = input;
  const label = hopLabel(hop, role);
  const type = keyTypeOf(key) ?? 'unknown-type';
  const print = fingerprint(key);
  const offered = `host key refused for ${label}: it offered a ${type} key ${print}`;
  const nothingRun = 'Nothing was run.';
  const verdict = verifyHostKey(entries, hop.address, hop.port, key, files);

  // A revoked key is refused even when a pin names it.
  if (!verdict.accepted && verdict.reason === 'revoked') {
    return { action: 'refuse', reason: 'revoked', message: `${offered}, which known_hosts marks @revoked. ${nothingRun} Ask the host's administrator for the current key.` };
  }

  if (hop.hostKeyFingerprint !== undefined) {
    const pinned = normalizeFingerprint(hop.hostKeyFingerprint);
    if (pinned !== undefined && pinned === print) return { action: 'accept', via: 'pinned' };
    return {
      action: 'refuse',
      reason: 'pin-mismatch',
      message:
        `${offered}, but the inventory pins ${hop.hostKeyFingerprint}. Someone may be intercepting the connection, ` +
        `or the host key was regenerated. ${nothingRun} Verify the key with the host's administrator, then update hostKeyFingerprint.`,
    };
  }

  if (verdict.accepted) return { action: 'accept', via: 'known-hosts' };

  const lookup = hostLookupName(hop.address, hop.port);
  if (verdict.reason === 'changed') {
    const recorded = entries
      .filter((e) => e.marker === undefined && entryMatchesHost(e, hop.address, hop.port))
      .map((e) => `${e.file}:${e.line}`)
      .join(', ');
    return {
      action: 'refuse',
      reason: 'changed',
      message:
        `${offered}, which does not match the key recorded in ${recorded}. Someone may be intercepting the connection, ` +
        `or the host was reinstalled. ${nothingRun} Verify the new key with the host's administrator, then remove the old entry ` +
        `(ssh-keygen -R '${lookup}') and add the new one; --trust-on-first-use never accepts a changed key.`,
    };
  }

  const [firstFile] = files;
  if (input.trustOnFirstUse) {
    if (firstFile !== undefined) return { action: 'record', file: firstFile };
    return {
      action: 'refuse',
      reason: 'no-file',
      message: `${offered}, which is unknown, and there is no known_hosts file to record it in for --trust-on-first-use. ${nothingRun}`,
    };
  }
  const looked = files.length > 0 ? files.join(', ') : 'no known_hosts file configured';
  const scanType = keyscanType(type);
  return {
    action: 'refuse',
    reason: 'unknown',
    message:
      `${offered}, which is not in known_hosts (looked in: ${looked}). ${nothingRun} Verify the fingerprint with the host's ` +
      `administrator, then add the key (ssh-keyscan -p ${hop.port}${scanType ? ` -t ${scanType}` : ''} ${hop.address} >> ${firstFile ?? '~/.ssh/known_hosts'}) ` +
      `or pin it in the inventory (hostKeyFingerprint: ${print}); to accept an unknown key without verifying it, ` +
      'rerun with --trust-on-first-use.',
  };
}

function keyscanType(type: string): string | undefined {
  if (type === 'ssh-ed25519') return 'ed25519';
  if (type.startsWith('ecdsa-sha2-')) return 'ecdsa';
  if (type === 'ssh-rsa') return 'rsa';
  return undefined;
}

/** The loud notice for a key accepted on first use. */
export function trustOnFirstUseWarning(label: string, key: Buffer, recorded: { file: string; line: number }): string {
  return (
    `TRUST ON FIRST USE: accepted the ${keyTypeOf(key) ?? 'unknown-type'} host key ${fingerprint(key)} of ${label} WITHOUT ` +
    `verification and recorded it in ${recorded.file}:${recorded.line}. Check this fingerprint with the host's administrator; ` +
    'until then a man-in-the-middle on this first connection cannot be ruled out.'
  );
}

/** ssh2's hostVerifier for one hop; remembers why it refused and what it accepted. */
interface HopVerifier {
  (key: Buffer): boolean;
  rejection?: string;
}

function createHopVerifier(input: Omit<HostKeyInput, 'key'>, warnings: string[]): HopVerifier {
  let accepted: Buffer | undefined;
  const verifier: HopVerifier = (key: Buffer): boolean => {
    // A re-key presents the key again: only the one accepted first may come back.
    if (accepted) return accepted.equals(key);
    const decision = decideHostKey({ ...input, key });
    if (decision.action === 'refuse') {
      verifier.rejection = decision.message;
      return false;
    }
    if (decision.action === 'record') {
      try {
        const recorded = appendKnownHost(decision.file, input.hop.address, input.hop.port, key);
        warnings.push(trustOnFirstUseWarning(hopLabel(input.hop, input.role), key, recorded));
      } catch (error) {
        verifier.rejection = `host key of ${hopLabel(input.hop, input.role)} not accepted on first use: ${(error as Error).message}. Nothing was run.`;
        return false;
      }
    }
    accepted = key;
    return true;
  };
  return verifier;
}

const SSH2_HOST_KEY_ALGORITHMS: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Asks first for the key types known_hosts holds for the hop, as OpenSSH does,
 * so a host with several keys presents the one on record; other types stay
 * allowed behind them.
 */
export function hostKeyAlgorithms(knownTypes: readonly string[]): ConnectConfig['algorithms'] {
  const preferred = [...new Set(knownTypes.flatMap((t) => SSH2_HOST_KEY_ALGORITHMS[t] ?? []))];
  if (preferred.length === 0) return undefined;
  // ssh2 applies these in key order, and `prepend` skips names already listed:
  // remove them first so prepending moves them to the front.
  return { serverHostKey: { remove: preferred, prepend: preferred, append: [] } };
}

// ---------------------------------------------------------------------------
// Authentication

export interface AuthPlan {
  /** Tried in order; nothing else is (no password, no keyboard-interactive). */
  methods: (PublicKeyAuthMethod | AgentAuthMethod)[];
  /** What will be tried, for the auth failure message: `key file /x`, `ssh agent`. */
  tried: string[];
}

/**
 * Keys to offer, in order: the hop's identity file, the agent, then the
 * default identity files (skipped when they cannot be read or decrypted).
 * Never a password.
 */
export function planAuth(targetName: string, hop: SshHop, role: Role, env: NodeJS.ProcessEnv, homeDir: string): AuthPlan {
  const label = hopLabel(hop, role);
  const fail = (message: string, cause?: unknown): SshTransportError =>
    new SshTransportError(targetName, 'credentials', `${label}: ${message}`, cause === undefined ? undefined : { cause });

  let passphrase: string | undefined;
  if (hop.identityPassphraseEnv !== undefined) {
    passphrase = env[hop.identityPassphraseEnv];
    if (passphrase === undefined || passphrase === '') {
      throw fail(`environment variable ${hop.identityPassphraseEnv} (identityPassphraseEnv) is not set; export the key's passphrase in it`);
    }
  }

  const methods: AuthPlan['methods'] = [];
  const tried: string[] = [];
  const username = hop.user;

  if (hop.identityFile !== undefined) {
    let data: Buffer;
    try {
      data = readFileSync(hop.identityFile);
    } catch (error) {
      throw fail(`cannot read identity file ${hop.identityFile}: ${(error as Error).message}`, error);
    }
    const key = parsePrivateKey(data, passphrase);
    if (key instanceof Error) {
      if (/no passphrase given/i.test(key.message)) {
        throw fail(`identity file ${hop.identityFile} is encrypted; name an environment variable holding its passphrase with identityPassphraseEnv`);
      }
      if (/passphrase/i.test(key.message)) {
        throw fail(`the passphrase in ${hop.identityPassphraseEnv ?? '(none)'} does not decrypt identity file ${hop.identityFile}`);
      }
      throw fail(`cannot use identity file ${hop.identityFile}: ${key.message}`);
    }
    methods.push({ type: 'publickey', username, key });
    tried.push(`key file ${hop.identityFile}`);
  }

  const agent = env['SSH_AUTH_SOCK']?.trim();
  if (agent) {
    methods.push({ type: 'agent', username, agent });
    tried.push(`ssh agent (SSH_AUTH_SOCK=${agent})`);
  }

  if (hop.identityFile === undefined) {
    for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
      const file = join(homeDir, '.ssh', name);
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch {
        continue;
      }
      const key = parsePrivateKey(data, passphrase);
      if (key instanceof Error) continue;
      methods.push({ type: 'publickey', username, key });
      tried.push(`key file ${file}`);
    }
  }

  if (methods.length === 0) {
    throw fail(
      'no key to log in with: set identityFile in the inventory, start an ssh agent (SSH_AUTH_SOCK), ' +
        `or create ${join(homeDir, '.ssh', 'id_ed25519')}; palisade never uses passwords`,
    );
  }
  return { methods, tried };
}

function parsePrivateKey(data: Buffer, passphrase: string | undefined): ParsedKey | Error {
  // `utils` is not a named export ESM can see in ssh2's CommonJS build.
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (key === undefined) return new Error('no key in file');
  if (!key.isPrivateKey()) return new Error('it holds a public key; give the private key file');
  return key;
}

// ---------------------------------------------------------------------------
// Connection options and error mapping

export interface Timing {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

/** ssh2 client options for one hop. Password and keyboard-interactive stay off: authHandler lists keys only. */
export function buildClientConfig(
  hop: SshHop,
  auth: AuthPlan,
  hostVerifier: (key: Buffer) => boolean,
  timing: Timing,
  knownTypes: readonly string[],
  sock?: Duplex,
): ConnectConfig {
  const algorithms = hop.hostKeyFingerprint === undefined ? hostKeyAlgorithms(knownTypes) : undefined;
  return {
    host: hop.address,
    port: hop.port,
    username: hop.user,
    ...(sock ? { sock } : {}),
    readyTimeout: timing.connectTimeoutMs,
    keepaliveInterval: timing.keepaliveIntervalMs,
    keepaliveCountMax: timing.keepaliveCountMax,
    hostVerifier,
    authHandler: auth.methods,
    tryKeyboard: false,
    ...(algorithms ? { algorithms } : {}),
  };
}

interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

/** Turns an ssh2 or socket error met while connecting to a hop into a typed error saying what to check. */
export function describeConnectError(
  targetName: string,
  hop: Pick<SshHop, 'name' | 'address' | 'port' | 'user'>,
  role: Role,
  error: unknown,
  context: { connectTimeoutMs: number; tried?: readonly string[]; hostKeyRejection?: string },
): SshTransportError {
  const label = hopLabel(hop, role);
  const make = (kind: SshFailure, message: string): SshTransportError =>
    new SshTransportError(targetName, kind, message, { cause: error });
  if (context.hostKeyRejection !== undefined) return make('host-key', context.hostKeyRejection);

  const err = (error instanceof Error ? error : new Error(String(error))) as Ssh2Error;
  const seconds = formatSeconds(context.connectTimeoutMs);
  if (err.level === 'client-authentication') {
    const tried = context.tried && context.tried.length > 0 ? context.tried.join(', ') : 'no key';
    return make(
      'auth',
      `authentication as ${hop.user} on ${label} failed (offered: ${tried}). Check the user name, that the public key is in ` +
        `~${hop.user}/.ssh/authorized_keys on the host, and that the agent holds the key; palisade never uses passwords.`,
    );
  }
  if (err.level === 'client-timeout') {
    return make(
      'timeout',
      `no SSH answer from ${label} within ${seconds} (connect timeout). Check that the host is up, that a firewall lets ` +
        'its SSH port through and that an SSH server (not something else) listens there; raise the connect timeout for slow links.',
    );
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return make('refused', `connection refused by ${label}. Check that sshd runs there and listens on port ${hop.port}, and the address and port in the inventory.`);
    case 'ETIMEDOUT':
      return make('timeout', `TCP connection to ${label} timed out. Check that the host is up and that a firewall lets port ${hop.port} through.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return make('unreachable', `no route to ${label} (${err.code}). Check the address in the inventory and this machine's network path to it.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('dns', `cannot resolve ${hop.address} for ${label} (${err.code}). Check the name in the inventory and DNS.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return make('closed', `${label} reset the connection during the SSH handshake. Check sshd's log there (MaxStartups, AllowUsers, tcp wrappers, fail2ban).`);
    default:
      break;
  }
  if (/Connection lost before handshake|closed before/i.test(err.message)) {
    return make(
      'closed',
      `${label} closed the connection before the SSH handshake finished. Check that port ${hop.port} runs an SSH server, ` +
        "and sshd's log there (MaxStartups, AllowUsers, tcp wrappers, fail2ban).",
    );
  }
  if (err.level === 'handshake' || err.level === 'protocol') {
    return make('handshake', `SSH handshake with ${label} failed: ${err.message}. The server may only offer algorithms palisade does not support.`);
  }
  return make('other', `cannot connect to ${label}: ${err.message}`);
}

/** ssh2's channel open failure (`err.reason`: RFC 4254 reason code) for a direct-tcpip probe. */
export function mapChannelOpenFailure(error: unknown): TcpProbeResult {
  const err = (error instanceof Error ? error : new Error(String(error))) as Error & { reason?: number | string };
  const description = err.message.replace(/^\(SSH\) Channel open failure: ?/, '').trim();
  switch (err.reason) {
    case 1: // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED: AllowTcpForwarding no, PermitOpen, DisableForwarding
      return { result: 'error', detail: 'forwarding disabled on this host' };
    case 2: // SSH_OPEN_CONNECT_FAILED: the description is the host's strerror(), when it gives one
      if (/refused/i.test(description)) return { result: 'closed', detail: 'connection refused' };
      if (/timed out/i.test(description)) return { result: 'filtered', detail: 'connection timed out' };
      if (/unreachable|no route/i.test(description)) return { result: 'filtered', detail: description.toLowerCase() };
      return { result: 'error', detail: `connect failed: ${description || 'no reason given'}` };
    case 3:
      return { result: 'error', detail: 'the SSH server does not support direct-tcpip channels' };
    case 4:
      return { result: 'error', detail: `the SSH server is short of resources: ${description || 'no reason given'}` };
    default:
      return { result: 'error', detail: description || 'channel open failed' };
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

// ---------------------------------------------------------------------------
// Connecting

interface HopContext {
  targetName: string;
  entries: readonly KnownHostEntry[];
  files: readonly string[];
  trustOnFirstUse: boolean;
  timing: Timing;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  warnings: string[];
}

function openHop(hop: SshHop, role: Role, ctx: HopContext, sock?: ClientChannel): Promise<Client> {
  const label = hopLabel(hop, role);
  if (hop.hostKeyFingerprint !== undefined && normalizeFingerprint(hop.hostKeyFingerprint) === undefined) {
    return Promise.reject(
      new SshTransportError(
        ctx.targetName,
        'config',
        `hostKeyFingerprint ${JSON.stringify(hop.hostKeyFingerprint)} for ${label} is not a SHA256 fingerprint; ` +
          'write it as ssh-keygen -lf prints it (SHA256:...)',
      ),
    );
  }
  let auth: AuthPlan;
  try {
    auth = planAuth(ctx.targetName, hop, role, ctx.env, ctx.homeDir);
  } catch (error) {
    return Promise.reject(error);
  }
  const verifier = createHopVerifier(
    { hop, role, entries: ctx.entries, files: ctx.files, trustOnFirstUse: ctx.trustOnFirstUse },
    ctx.warnings,
  );
  const config = buildClientConfig(hop, auth, verifier, ctx.timing, knownKeyTypes(ctx.entries, hop.address, hop.port), sock);

  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      // destroy, not end: a silent server would keep a half-closed socket open.
      client.destroy();
      sock?.close();
      reject(
        error instanceof SshTransportError
          ? error
          : describeConnectError(ctx.targetName, hop, role, error, {
              connectTimeoutMs: ctx.timing.connectTimeoutMs,
              tried: auth.tried,
              ...(verifier.rejection !== undefined ? { hostKeyRejection: verifier.rejection } : {}),
            }),
      );
    };
    // ssh2's readyTimeout covers the whole handshake; this guard only catches a
    // connection that neither succeeds nor fails (it must never hang a scan).
    const guard = setTimeout(() => {
      const err: Ssh2Error = new Error('Timed out while waiting for handshake');
      err.level = 'client-timeout';
      fail(err);
    }, ctx.timing.connectTimeoutMs + 2_000);
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve(client);
    });
    // Stays attached after `ready`: ssh2 emits late errors (keepalive timeout)
    // that would otherwise be unhandled; the session listens for those itself.
    client.on('error', fail);
    client.once('close', () => fail(new Error('Connection lost before handshake')));
    try {
      client.connect(config);
    } catch (error) {
      fail(error);
    }
  });
}

/** Asks `via` (a connected jump host) for a channel to the next hop. */
function forwardTo(targetName: string, via: Client, viaHop: SshHop, next: SshHop, nextRole: Role, timeoutMs: number): Promise<ClientChannel> {
  const viaLabel = hopLabel(viaHop, 'jump');
  const nextLabel = hopLabel(next, nextRole);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(
        new SshTransportError(
          targetName,
          'timeout',
          `${viaLabel} could not reach ${nextLabel} within ${formatSeconds(timeoutMs)}. Check that ${nextLabel} is up and ` +
            `that the jump host's network lets port ${next.port} through.`,
        ),
      );
    }, timeoutMs);
    const done = (error: Error | undefined, channel?: ClientChannel): void => {
      if (settled) {
        channel?.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (channel && !error) {
        resolve(channel);
        return;
      }
      const probe = mapChannelOpenFailure(error);
      const kind: SshFailure = probe.result === 'closed' ? 'refused' : probe.result === 'filtered' ? 'timeout' : 'forward';
      const hint =
        probe.detail === 'forwarding disabled on this host'
          ? `the jump host does not allow TCP forwarding (AllowTcpForwarding, PermitOpen or DisableForwarding in its sshd_config)`
          : `${probe.detail ?? 'no reason given'}`;
      reject(new SshTransportError(targetName, kind, `${viaLabel} could not open a channel to ${nextLabel}: ${hint}.`, { cause: error }));
    };
    try {
      via.forwardOut('127.0.0.1', 0, next.address, next.port, done);
    } catch (error) {
      done(error as Error);
    }
  });
}

/**
 * Connects to a target, through its jump hosts, verifying every host key and
 * authenticating with keys only. Throws SshTransportError (a CollectError)
 * naming the target and what to check; nothing runs on a refused host.
 */
export async function connectHost(target: SshTarget, options: ConnectOptions = {}): Promise<SshSession> {
  const files = [...target.knownHostsFiles];
  let entries: KnownHostEntry[];
  try {
    entries = readKnownHosts(files);
  } catch (error) {
    throw new SshTransportError(target.name, 'config', (error as Error).message, { cause: error });
  }
  const warnings: string[] = [];
  const ctx: HopContext = {
    targetName: target.name,
    entries,
    files,
    trustOnFirstUse: options.trustOnFirstUse === true,
    timing: {
      connectTimeoutMs: target.connectTimeoutMs,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: options.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
    },
    env: options.env ?? process.env,
    homeDir: options.homeDir ?? homedir(),
    warnings,
  };

  const hops: { hop: SshHop; role: Role }[] = [...target.jump.map((hop) => ({ hop, role: 'jump' as const })), { hop: target, role: 'target' }];
  const clients: Client[] = [];
  try {
    for (const [i, { hop, role }] of hops.entries()) {
      const previous = hops[i - 1];
      const via = clients[i - 1];
      const sock = previous && via ? await forwardTo(target.name, via, previous.hop, hop, role, target.connectTimeoutMs) : undefined;
      clients.push(await openHop(hop, role, ctx, sock));
    }
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error;
  }
  const client = clients[clients.length - 1];
  if (!client) throw new SshTransportError(target.name, 'other', 'no connection was made');
  return new Session(target, client, clients, warnings);
}

// ---------------------------------------------------------------------------
// The session

class Session implements SshSession {
  readonly name: string;
  readonly warnings: readonly string[];
  private closed = false;
  private lost: string | undefined;

  constructor(
    private readonly target: SshTarget,
    private readonly client: Client,
    private readonly chain: readonly Client[],
    warnings: string[],
  ) {
    this.name = target.name;
    this.warnings = warnings;
    for (const [i, hop] of chain.entries()) {
      const onLoss = (error?: Error): void => {
        this.lost ??= error ? error.message : i === chain.length - 1 ? 'the host closed the connection' : 'a jump host closed the connection';
      };
      hop.on('error', onLoss);
      hop.on('close', () => onLoss());
    }
  }

  private unusable(): SshTransportError | undefined {
    if (this.closed) return new SshTransportError(this.name, 'connection-lost', 'the SSH session was already closed');
    if (this.lost !== undefined) {
      return new SshTransportError(this.name, 'connection-lost', `the SSH connection was lost (${this.lost}); the host or the network may have gone away.`);
    }
    return undefined;
  }

  run(script: string, options: RunOptions = {}): Promise<RunResult> {
    const maxBytes = options.maxBytes ?? DEFAULT_RUN_MAX_BYTES;
    const timeoutMs = options.timeoutMs ?? this.target.commandTimeoutMs;
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
      return Promise.reject(new SshTransportError(this.name, 'config', `maxBytes must be a positive integer, not ${maxBytes}`));
    }
    const broken = this.unusable();
    if (broken) return Promise.reject(broken);

    return new Promise((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let kept = 0;
      let truncated = false;
      let code: number | null = null;
      let signal: string | undefined;
      let settled = false;
      let channel: ClientChannel | undefined;

      const finish = (error?: SshTransportError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.client.off('close', onClientClose);
        if (error) {
          channel?.close();
          reject(error);
          return;
        }
        resolve({
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          code: truncated ? null : code,
          ...(signal !== undefined && !truncated ? { signal } : {}),
          truncated,
        });
      };
      const timer = setTimeout(() => {
        finish(
          new SshTransportError(
            this.name,
            'command-timeout',
            `the probe did not finish within ${formatSeconds(timeoutMs)} (command timeout); its channel was closed. ` +
              'Check the host for a hung command or a very slow package database, or raise the command timeout.',
          ),
        );
      }, timeoutMs);
      const onClientClose = (): void => {
        finish(this.unusable() ?? new SshTransportError(this.name, 'connection-lost', 'the SSH connection was lost during the probe'));
      };
      this.client.once('close', onClientClose);

      const take = (into: Buffer[]) => (chunk: Buffer): void => {
        if (truncated || settled) return;
        const room = maxBytes - kept;
        if (chunk.length > room) {
          if (room > 0) into.push(chunk.subarray(0, room));
          kept = maxBytes;
          truncated = true;
          // Stop reading: closing the channel makes sshd close the command's
          // pipes, so it ends on SIGPIPE instead of streaming on.
          channel?.close();
          return;
        }
        into.push(chunk);
        kept += chunk.length;
      };

      try {
        this.client.exec(REMOTE_COMMAND, (error, stream) => {
          if (settled) {
            stream?.close();
            return;
          }
          if (error) {
            finish(new SshTransportError(this.name, 'channel', `the host refused to run the probe: ${error.message}. Check sshd's MaxSessions and ForceCommand there.`, { cause: error }));
            return;
          }
          channel = stream;
          stream.on('data', take(stdout));
          stream.stderr.on('data', take(stderr));
          stream.on('exit', (exitCode: number | null, exitSignal?: string) => {
            code = typeof exitCode === 'number' ? exitCode : null;
            if (exitSignal) signal = exitSignal;
          });
          stream.on('close', () => finish());
          stream.on('error', (streamError: Error) => {
            finish(new SshTransportError(this.name, 'channel', `the probe channel failed: ${streamError.message}`, { cause: streamError }));
          });
          stream.end(script);
        });
      } catch (error) {
        finish(this.unusable() ?? new SshTransportError(this.name, 'connection-lost', `cannot run the probe: ${(error as Error).message}`, { cause: error }));
      }
    });
  }

  probeTcp(address: string, port: number, timeoutMs: number): Promise<TcpProbeResult> {
    if (address === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return Promise.resolve({ result: 'error', detail: `invalid destination ${address}:${port}` });
    }
    const broken = this.unusable();
    if (broken) return Promise.resolve({ result: 'error', detail: broken.message });

    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: TcpProbeResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      // sshd's own connect waits for the kernel's timeout (minutes); a silent
      // destination is what a dropping firewall looks like.
      const timer = setTimeout(() => finish({ result: 'filtered', detail: `no answer within ${formatSeconds(timeoutMs)}` }), timeoutMs);
      try {
        this.client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
          if (settled || !error) channel?.close();
          if (error) finish(mapChannelOpenFailure(error));
          else finish({ result: 'open' });
        });
      } catch (error) {
        finish({ result: 'error', detail: `not connected: ${(error as Error).message}` });
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const client of [...this.chain].reverse()) client.end();
  }
}
