// Resolves Docker Engine endpoints the way the docker CLI does: explicit
// `--docker` values, else DOCKER_HOST, else the local socket. Validation
// happens here, once; the collector trusts what it gets.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

import type Modem from 'docker-modem';
import type { ServerHostKeyAlgorithm } from 'ssh2';

import { UsageError } from '../../errors.js';
import type { EngineTransport } from '../../model/facts.js';
import { createHostVerifier, defaultKnownHostsFiles, knownKeyTypes, readKnownHosts, type HostVerifier } from '../../ssh/known-hosts.js';

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

export interface EngineEndpoint {
  /** The endpoint as users write it, without credentials: `unix:///var/run/docker.sock`, `ssh://deploy@host:2222`. */
  display: string;
  transport: EngineTransport;
  /** Options for `new Modem(...)` (dockerode's transport); may hold key material, never print them. */
  modem: Modem.ConstructorOptions;
  /** For ssh: the host key verifier, whose last refusal explains a failed connection. */
  hostVerifier?: HostVerifier;
}

export interface ResolveOptions {
  /** Environment to read DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, SSH_AUTH_SOCK from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.docker` and `~/.ssh`; defaults to os.homedir(). */
  homeDir?: string;
  /** known_hosts files for ssh endpoints; defaults to OpenSSH's user and global files. */
  knownHostsFiles?: readonly string[];
  /** Private key file for ssh when no agent is available; defaults to the first of ~/.ssh/id_{ed25519,ecdsa,rsa}. */
  identityFile?: string;
}

/** Explicit values (several allowed) win; then DOCKER_HOST; then the local socket. */
export function resolveEndpoints(explicit: readonly string[] | undefined, options: ResolveOptions = {}): EngineEndpoint[] {
  const env = options.env ?? process.env;
  if (explicit && explicit.length > 0) return explicit.map((value) => parseEndpoint(value, options));
  const fromEnv = env.DOCKER_HOST?.trim();
  if (fromEnv) return [parseEndpoint(fromEnv, options, 'DOCKER_HOST')];
  return [parseEndpoint(DEFAULT_SOCKET, options)];
}

// docker-modem merges its own defaults, read from DOCKER_HOST and friends, under
// ours; every connection field is set explicitly (undefined included) so the
// environment can never redirect an endpoint that was resolved here.
const BLANK: Modem.ConstructorOptions & { pathPrefix?: string } = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: undefined,
  username: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  sshOptions: undefined,
  timeout: undefined,
  version: undefined,
  pathPrefix: undefined,
};

type Bad = (why: string, cause?: unknown) => UsageError;

/** Parses one endpoint value; a malformed value throws UsageError naming it. */
export function parseEndpoint(value: string, options: ResolveOptions = {}, origin = '--docker'): EngineEndpoint {
  const raw = value.trim();
  const bad = (why: string, cause?: unknown): UsageError =>
    new UsageError(`invalid Docker endpoint ${JSON.stringify(withoutPassword(value))} (${origin}): ${why}`, { cause });
  if (raw === '') throw bad('empty value; expected unix:///path, tcp://host:port or ssh://user@host');

  const schemeEnd = raw.indexOf('://');
  // The docker CLI reads a bare `host:port` as tcp.
  const scheme = schemeEnd < 0 ? 'tcp' : raw.slice(0, schemeEnd).toLowerCase();
  const rest = schemeEnd < 0 ? raw : raw.slice(schemeEnd + 3);

  switch (scheme) {
    case 'unix': {
      const path = rest === '' ? '/var/run/docker.sock' : rest;
      if (!path.startsWith('/')) throw bad('unix socket path must be absolute, e.g. unix:///var/run/docker.sock');
      return { display: `unix://${path}`, transport: 'unix', modem: { ...BLANK, socketPath: path } };
    }
    case 'npipe': {
      const path = rest === '' ? '//./pipe/docker_engine' : rest;
      return { display: `npipe://${path}`, transport: 'npipe', modem: { ...BLANK, socketPath: path } };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const env = options.env ?? process.env;
      // DOCKER_TLS_VERIFY applies to tcp:// as in the docker CLI; http:// and
      // https:// say what they want explicitly.
      const tls = scheme === 'https' || (scheme === 'tcp' && (env.DOCKER_TLS_VERIFY ?? '') !== '');
      // Parsed under a non-special scheme so WHATWG URL keeps an explicit :80 or :443.
      const url = parseUrl(`tcp://${rest}`, bad);
      if (url.username || url.password) throw bad('credentials in the URL are not supported');
      if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) throw bad('unexpected path or query after host:port');
      if (url.hostname === '') throw bad('missing host');
      const port = url.port === '' ? (tls ? 2376 : 2375) : Number(url.port);
      if (port === 0) throw bad('port 0 is not a valid port');
      const display = `${scheme}://${url.hostname}:${port}`;
      const base = { ...BLANK, host: unbracket(url.hostname), port, pathPrefix: '/' };
      if (!tls) return { display, transport: 'tcp', modem: { ...base, protocol: 'http' } };
      return { display, transport: 'tls', modem: { ...base, protocol: 'https', ...tlsMaterial(options, scheme === 'tcp') } };
    }
    case 'ssh':
      return sshEndpoint(raw, options, bad);
    default:
      throw bad(`unsupported scheme ${JSON.stringify(scheme)}; expected unix, tcp, https or ssh`);
  }
}

/** `[::1]` -> `::1`: URLs bracket IPv6 literals, sockets and known_hosts do not. */
function unbracket(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The value as given, with any `user:password@` password masked, for error messages. */
function withoutPassword(value: string): string {
  return value.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^/@:]*):[^/@]*@/i, '$1:***@');
}

function parseUrl(text: string, bad: Bad): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw bad('not a valid URL', error);
  }
}

/**
 * ca.pem, cert.pem and key.pem from DOCKER_CERT_PATH or ~/.docker. Like the
 * docker CLI, a missing CA means the system roots and a missing pair means no
 * client certificate; a lone cert or key is an error.
 */
function tlsMaterial(options: ResolveOptions, fromVerifyEnv: boolean): Pick<Modem.ConstructorOptions, 'ca' | 'cert' | 'key'> {
  const env = options.env ?? process.env;
  const explicitDir = env.DOCKER_CERT_PATH?.trim();
  const dir = explicitDir || join(options.homeDir ?? homedir(), '.docker');
  if (explicitDir && !isDirectory(explicitDir)) {
    throw new UsageError(`DOCKER_CERT_PATH ${JSON.stringify(explicitDir)} is not a directory; it must hold ca.pem, cert.pem and key.pem`);
  }
  const read = (name: string): Buffer | undefined => {
    const file = join(dir, name);
    if (!existsSync(file)) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UsageError(`cannot read TLS file ${file}: ${(error as Error).message}`, { cause: error });
    }
  };
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError(`TLS client certificate incomplete in ${dir}: cert.pem and key.pem must both exist`);
  }
  // With DOCKER_TLS_VERIFY the CLI expects a CA next to the client pair; do not
  // silently fall back to the public roots when the pair is there but the CA is not.
  if (fromVerifyEnv && cert !== undefined && ca === undefined) {
    throw new UsageError(`TLS verification is on (DOCKER_TLS_VERIFY) but ${join(dir, 'ca.pem')} is missing`);
  }
  return { ca, cert, key };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function sshEndpoint(raw: string, options: ResolveOptions, bad: Bad): EngineEndpoint {
  const url = parseUrl(raw, bad);
  if (url.password) throw bad('passwords in ssh URLs are not supported; use an ssh agent or a key file');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) throw bad('unexpected path or query after ssh://user@host[:port]');
  if (url.hostname === '') throw bad('missing host');
  const host = unbracket(url.hostname);
  const port = url.port === '' ? 22 : Number(url.port);
  if (port === 0) throw bad('port 0 is not a valid port');
  const username = url.username ? decodeURIComponent(url.username) : userInfo().username;

  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const files = options.knownHostsFiles ?? defaultKnownHostsFiles(homeDir);
  const entries = readKnownHosts(files);
  const hostVerifier = createHostVerifier(entries, host, port, files);

  const sshOptions: NonNullable<Modem.ConstructorOptions['sshOptions']> = {
    hostVerifier,
    // ssh2 offers its own host key preference; ask first for the types known_hosts
    // holds for this host, as OpenSSH does, so a known host is not mistaken for a
    // changed one just because it also has a key of another type.
    ...serverHostKeyOrder(knownKeyTypes(entries, host, port)),
  };
  const agent = env.SSH_AUTH_SOCK?.trim();
  if (agent) sshOptions.agent = agent;
  const identity = options.identityFile ?? (agent ? undefined : defaultIdentity(homeDir));
  if (identity) {
    try {
      sshOptions.privateKey = readFileSync(identity);
    } catch (error) {
      throw new UsageError(`cannot read ssh identity file ${identity}: ${(error as Error).message}`, { cause: error });
    }
  }

  const userPart = url.username ? `${url.username}@` : '';
  const display = `ssh://${userPart}${url.hostname}${port === 22 ? '' : `:${port}`}`;
  return {
    display,
    transport: 'ssh',
    modem: { ...BLANK, protocol: 'ssh', host, port, username, sshOptions },
    hostVerifier,
  };
}

const SSH2_HOST_KEY_ALGORITHMS: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

function serverHostKeyOrder(types: readonly string[]): { algorithms?: { serverHostKey: ServerHostKeyAlgorithm[] } } {
  const algorithms = types.flatMap((t) => SSH2_HOST_KEY_ALGORITHMS[t] ?? []);
  return algorithms.length > 0 ? { algorithms: { serverHostKey: [...new Set(algorithms)] } } : {};
}

function defaultIdentity(homeDir: string): string | undefined {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(homeDir, '.ssh', name)).find((file) => existsSync(file));
}
