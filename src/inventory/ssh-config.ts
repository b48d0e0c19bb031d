// `~/.ssh/config` as an inventory: every concrete `Host` alias is a host, with
// the settings OpenSSH would use for it (first obtained value wins, blocks in
// file order, `Include` read in place). `Match` blocks are skipped with a
// warning: their conditions (exec, canonical, localnetwork...) cannot be
// evaluated faithfully without running ssh.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname as localHostName } from 'node:os';
import path from 'node:path';

import picomatch from 'picomatch';

import { isInside, realPath } from '../lib/confine.js';
import { InputFileError, readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';
import { hasUnsafeCharacters, terminalText } from '../lib/sanitize.js';

import {
  expandHome,
  fail,
  hopsFromProxyCommand,
  parseHopSpec,
  resolveJumps,
  toPort,
  warning,
  type HostDraft,
  type Hop,
  type JumpRef,
  type Where,
} from './common.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PORT, type Inventory } from './types.js';

export interface SshConfigContext {
  homeDir: string;
  localUser: string;
  /** Relative IdentityFile and UserKnownHostsFile paths are relative to it, as for `ssh`. */
  cwd: string;
  /** OpenSSH's default known_hosts files, split as UserKnownHostsFile and GlobalKnownHostsFile replace them. */
  knownHosts: { user: string[]; global: string[] };
  /** For `${VAR}` in paths; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

interface Directive {
  /** Lower case, as OpenSSH compares keywords. */
  keyword: string;
  /** As written, for error messages. */
  name: string;
  args: string[];
  /** The arguments as written, for ProxyCommand, which ssh hands to a shell. */
  rest: string;
  file: string;
  line: number;
}

interface Block {
  /** Pattern lists that must all match: the block's own `Host` line and those of any `Include` it sits under. */
  conditions: string[][];
  directives: Directive[];
}

interface Alias {
  name: string;
  file: string;
  line: number;
  /** Conditions of the Host line that names it (an Include under another Host adds that one's). */
  conditions: string[][];
}

// OpenSSH's limit on nested Include.
const MAX_INCLUDE_DEPTH = 16;

/** A value as it can be shown in a message: controls as visible escapes, cut at 60 characters. */
function visible(text: string): string {
  return JSON.stringify(terminalText(text, 60));
}

// ssh_config(5) keywords of OpenSSH 9.x (readconf.c), including the deprecated
// and unsupported ones ssh still accepts with a message. Lower case.
const SSH_KEYWORDS = new Set(
  (
    'host match include ignoreunknown hostname user port identityfile identitiesonly identityagent certificatefile ' +
    'proxycommand proxyjump proxyusefdpass localcommand permitlocalcommand remotecommand localforward remoteforward ' +
    'dynamicforward clearallforwardings exitonforwardfailure gatewayports permitremoteopen forwardagent forwardx11 ' +
    'forwardx11timeout forwardx11trusted xauthlocation addkeystoagent addressfamily batchmode bindaddress bindinterface ' +
    'canonicaldomains canonicalizefallbacklocal canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames ' +
    'casignaturealgorithms checkhostip ciphers cipher compression compressionlevel connectionattempts connecttimeout ' +
    'controlmaster controlpath controlpersist enableescapecommandline enablesshkeysign escapechar fingerprinthash ' +
    'forkafterauthentication globalknownhostsfile userknownhostsfile gssapiauthentication gssapidelegatecredentials ' +
    'gssapikexalgorithms gssapikeyexchange gssapirenewalforcesrekey gssapitrustdns gssapiclientidentity gssapiserveridentity ' +
    'hashknownhosts hostbasedacceptedalgorithms hostbasedkeytypes hostbasedauthentication hostkeyalgorithms hostkeyalias ' +
    'ipqos kbdinteractiveauthentication kbdinteractivedevices challengeresponseauthentication kexalgorithms knownhostscommand ' +
    'loglevel logverbose macs nohostauthenticationforlocalhost numberofpasswordprompts passwordauthentication ' +
    'pkcs11provider smartcarddevice preferredauthentications pubkeyacceptedalgorithms pubkeyacceptedkeytypes ' +
    'pubkeyauthentication rekeylimit requesttty requiredrsasize revokedhostkeys securitykeyprovider sendenv setenv ' +
    'serveralivecountmax serveraliveinterval sessiontype stdinnull streamlocalbindmask streamlocalbindunlink ' +
    'stricthostkeychecking syslogfacility tcpkeepalive keepalive tunnel tunneldevice updatehostkeys verifyhostkeydns ' +
    'visualhostkey obscurekeystroketiming channeltimeout tag protocol rsaauthentication rhostsrsaauthentication ' +
    'rhostsauthentication dsaauthentication useprivilegedport useroaming fallbacktorsh usersh useblacklistedkeys ' +
    'gssapiauthentication kerberosauthentication kerberostgtpassing afstokenpassing skeyauthentication tisauthentication ' +
    'pubkeyacceptedkeytypes refuseconnection versionaddendum warnweakcrypto'
  ).split(' '),
);

// Keywords that take exactly one value; OpenSSH refuses more ("extra arguments at end of line").
const SINGLE_VALUE = new Set(['hostname', 'user', 'port', 'connecttimeout', 'stricthostkeychecking', 'identitiesonly', 'batchmode']);

/** Splits one config line into keyword and arguments, as OpenSSH's argv_split does (quotes, `#` comments, `Key=Value`). */
function splitLine(raw: string, file: string, line: number): { name: string; args: string[]; rest: string } | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^([^\s=]+)(?:\s*=\s*|\s+|$)/.exec(text);
  if (!m) fail('expected a keyword and its arguments', { file, line, field: text });
  const name = m[1] ?? '';
  const rest = text.slice(m[0].length);
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i] ?? '')) i++;
    if (i >= rest.length || rest[i] === '#') break;
    let token = '';
    while (i < rest.length && !/\s/.test(rest[i] ?? '')) {
      const ch = rest[i] ?? '';
      if (ch === '"' || ch === "'") {
        const close = rest.indexOf(ch, i + 1);
        if (close < 0) fail('unterminated quote', { file, line, field: name });
        token += rest.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '\\' && i + 1 < rest.length) {
        token += rest[i + 1];
        i += 2;
      } else {
        token += ch;
        i++;
      }
    }
    args.push(token);
  }
  return { name, args, rest };
}

function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** OpenSSH `match_pattern`: `*` any run, `?` one character; case-insensitive as host names are. */
function matchPattern(name: string, pattern: string): boolean {
  let source = '';
  for (const ch of pattern.toLowerCase()) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(name.toLowerCase());
}

/** OpenSSH `match_hostname` over a pattern list: a matching negation excludes, otherwise any positive match includes. */
function matchesList(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) {
      matched = true;
    }
  }
  return matched;
}

/** Files a glob names, sorted as glob(3) returns them; only existing files. */
function expandGlob(pattern: string): string[] {
  const segments = path.resolve(pattern).split(path.sep).filter((s) => s !== '');
  let bases = [path.parse(path.resolve(pattern)).root];
  for (const segment of segments) {
    if (!/[*?[]/.test(segment)) {
      bases = bases.map((b) => path.join(b, segment));
      continue;
    }
    const isMatch = picomatch(segment, { dot: false });
    const next: string[] = [];
    for (const base of bases) {
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      for (const n of names.filter((n) => isMatch(n)).sort()) next.push(path.join(base, n));
    }
    bases = next;
  }
  // Not only regular files: a FIFO or device named here is refused when read, not skipped in silence.
  return bases.filter((f) => existsSync(f) && !statSync(f).isDirectory());
}

class ConfigReader {
  readonly blocks: Block[] = [];
  readonly aliases = new Map<string, Alias>();
  readonly warnings: string[] = [];
  private readonly stack: string[] = [];
  /** Files read through Include so far, against LIMITS.sshConfigIncludeFiles. */
  private included = 0;
  /** IgnoreUnknown patterns seen so far: unknown keywords they match are not warned about. */
  private ignoreUnknown: string[] = [];

  constructor(
    private readonly ctx: SshConfigContext,
    private readonly includeBase: string,
  ) {}

  read(text: string, file: string, inherited: string[][]): void {
    this.stack.push(file);
    let current: Block | undefined = { conditions: inherited, directives: [] };
    this.blocks.push(current);
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = i + 1;
      const parsed = splitLine(lines[i] ?? '', file, line);
      if (!parsed) continue;
      const keyword = parsed.name.toLowerCase();
      const where: Where = { file, line, field: parsed.name };
      this.checkKeyword(lines[i] ?? '', parsed, where);
      if (keyword === 'host') {
        if (parsed.args.length === 0) fail('Host needs at least one pattern', where);
        current = { conditions: [...inherited, parsed.args], directives: [] };
        this.blocks.push(current);
        for (const p of parsed.args) {
          if (p.startsWith('!') || hasWildcard(p)) continue;
          const key = p.toLowerCase();
          if (!this.aliases.has(key)) this.aliases.set(key, { name: p, file, line, conditions: current.conditions });
        }
      } else if (keyword === 'match' && parsed.args.length === 1 && parsed.args[0]?.toLowerCase() === 'all') {
        // `Match all` is `Host *`, often written to close a block.
        current = { conditions: inherited, directives: [] };
        this.blocks.push(current);
      } else if (keyword === 'match') {
        current = undefined;
        this.warnings.push(warning(where, 'Match block skipped: palisade does not evaluate Match conditions, so the settings under it are not applied'));
      } else if (keyword === 'include') {
        if (!current) continue;
        if (parsed.args.length === 0) fail('Include needs a file name', where);
        for (const arg of parsed.args) this.include(arg, where, current.conditions);
        // Settings after the Include belong to the block it sits in, whatever Host lines the included file had.
        current = { conditions: current.conditions, directives: [] };
        this.blocks.push(current);
      } else if (current) {
        const directive = { keyword, name: parsed.name, args: parsed.args, rest: parsed.rest, file, line };
        this.validate(directive);
        current.directives.push(directive);
      }
    }
    this.stack.pop();
  }

  /**
   * As OpenSSH's readconf.c: a line with control characters or a keyword no
   * OpenSSH has is a "Bad configuration option" and ssh refuses the whole file,
   * so palisade does too. A well-formed keyword missing from palisade's list
   * (a newer OpenSSH may have it) is only a warning, unless IgnoreUnknown names it.
   */
  private checkKeyword(raw: string, parsed: { name: string; args: string[] }, where: Where): void {
    // Tabs separate words in ssh config; every other control or invisible format character is junk.
    if (hasUnsafeCharacters(raw.replace(/\t/g, ' '))) {
      fail(`control characters in the line (${visible(raw.trim())}); ssh refuses such a file ("Bad configuration option")`, { ...where, field: visible(parsed.name) });
    }
    const keyword = parsed.name.toLowerCase();
    if (!/^[a-z][a-z0-9]*$/.test(keyword)) {
      fail(`Bad configuration option: ${visible(parsed.name)}; ssh refuses this file`, { ...where, field: visible(parsed.name) });
    }
    if (keyword === 'ignoreunknown') {
      this.ignoreUnknown = parsed.args.flatMap((a) => a.split(',')).map((p) => p.toLowerCase());
      return;
    }
    if (!SSH_KEYWORDS.has(keyword) && !matchesList(keyword, this.ignoreUnknown)) {
      this.warnings.push(warning(where, `unknown option ${parsed.name}: ssh refuses it ("Bad configuration option") unless IgnoreUnknown names it`));
    }
    if (SINGLE_VALUE.has(keyword) && parsed.args.length > 1) {
      fail(`keyword ${parsed.name} extra arguments at end of line; it takes one value`, where);
    }
  }

  private include(arg: string, where: Where, conditions: string[][]): void {
    const expanded = expandEnv(expandHome(arg, this.ctx.homeDir), this.ctx.env ?? process.env, where);
    // As ssh does: relative to ~/.ssh in a user's config, to /etc/ssh in the system-wide ssh_config.
    const pattern = path.isAbsolute(expanded) ? expanded : path.join(this.includeBase, expanded);
    const files = expandGlob(pattern);
    if (files.length === 0 && !/[*?[]/.test(pattern)) {
      this.warnings.push(warning(where, `Include ${arg}: no such file (${pattern}); ssh ignores it too`));
    }
    // A config from elsewhere (a repository, a pull request) includes only inside its own folder and ssh's:
    // it must not read /etc/shadow into warnings that quote its lines. The operator's own config
    // (~/.ssh, /etc/ssh) includes what ssh would.
    const top = this.stack[0] ?? this.includeBase;
    const own = [path.join(this.ctx.homeDir, '.ssh'), '/etc/ssh'].some((dir) => isInside(realPath(dir), top));
    const roots = [realPath(path.dirname(path.resolve(top))), realPath(this.includeBase)];
    for (const file of files) {
      if (!own && !roots.some((root) => isInside(root, file))) {
        this.warnings.push(warning(where, `Include ${arg}: ${realPath(file)} is outside ${roots.join(' and ')}; skipped (palisade follows Include only inside those folders)`));
        continue;
      }
      if (this.stack.includes(file)) fail(`Include cycle: ${[...this.stack, file].join(' -> ')}`, where);
      if (this.stack.length >= MAX_INCLUDE_DEPTH) fail(`Include nested deeper than ${MAX_INCLUDE_DEPTH} files`, where);
      if (++this.included > LIMITS.sshConfigIncludeFiles) {
        fail(`Include pulls in more than ${LIMITS.sshConfigIncludeFiles} files in total`, where);
      }
      let text: string;
      try {
        text = readInputFile(file, LIMITS.inventoryFileBytes, 'included ssh config');
      } catch (cause) {
        fail(`cannot read included file ${file}: ${cause instanceof InputFileError ? cause.detail : (cause as Error).message}`, where);
      }
      this.read(text, file, conditions);
    }
  }

  private validate(d: Directive): void {
    const where = { file: d.file, line: d.line, field: d.name };
    const first = d.args[0];
    switch (d.keyword) {
      case 'hostname':
      case 'user':
      case 'identityfile':
      case 'proxyjump':
      case 'proxycommand':
      case 'userknownhostsfile':
      case 'globalknownhostsfile':
      case 'stricthostkeychecking':
        if (first === undefined) fail(`${d.name} needs a value`, where);
        break;
      case 'port':
        if (toPort(first) === undefined) fail(`${d.name} must be a TCP port, an integer from 1 to 65535`, where);
        break;
      case 'connecttimeout':
        if (first === undefined || !/^\d+$/.test(first) || Number(first) === 0) fail(`${d.name} must be a whole number of seconds above 0`, where);
        break;
      default:
        break;
    }
    if (d.keyword === 'proxyjump' && first !== undefined && first.toLowerCase() !== 'none') {
      if (d.args.length > 1) fail('ProxyJump takes one comma-separated list of hops, without spaces', where);
      for (const hop of first.split(',')) {
        const parts = parseHopSpec(hop);
        if ('error' in parts) fail(`invalid hop "${hop}": ${parts.error}`, where);
      }
    }
  }

  /** The first value obtained for each keyword, over the blocks that apply to `name`, in order. */
  settingsFor(name: string): Map<string, Directive> {
    const found = new Map<string, Directive>();
    for (const block of this.blocks) {
      if (!block.conditions.every((c) => matchesList(name, c))) continue;
      for (const d of block.directives) if (!found.has(d.keyword)) found.set(d.keyword, d);
    }
    return found;
  }
}

function expandEnv(value: string, env: NodeJS.ProcessEnv, where: Where): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) fail(`environment variable ${name} is not set`, where);
    return v;
  });
}

/** Parses ssh config text (reading its Include files) into an inventory. */
export function parseSshConfig(text: string, file: string, ctx: SshConfigContext): Inventory {
  const systemWide = path.basename(file) === 'ssh_config';
  const reader = new ConfigReader(ctx, systemWide ? path.dirname(file) : path.join(ctx.homeDir, '.ssh'));
  reader.read(text, file, []);
  const warned = new Set<string>();
  const warnOnce = (d: Directive, message: string): void => {
    const key = `${d.file}:${d.line}`;
    if (warned.has(key)) return;
    warned.add(key);
    reader.warnings.push(warning(d, message));
  };
  const env = ctx.env ?? process.env;
  const localHost = localHostName().split('.')[0] ?? '';

  /** What ssh would use to reach `name`, with the user and port of a `user@host:port` hop taking precedence. */
  function settle(name: string, override: { user?: string; port?: number }) {
    const s = reader.settingsFor(name);
    const arg = (k: string): string | undefined => s.get(k)?.args[0];
    const hostNameDirective = s.get('hostname');
    const address = hostNameDirective ? expandTokens(hostNameDirective, hostNameDirective.args[0] ?? '', { h: name }) : name;
    const user = override.user ?? arg('user') ?? ctx.localUser;
    const port = override.port ?? toPort(arg('port')) ?? DEFAULT_PORT;
    const tokens = {
      d: ctx.homeDir,
      get u(): string {
        return ctx.localUser;
      },
      l: localHost,
      h: address,
      n: name,
      k: name,
      r: user,
      p: String(port),
    };
    const pathOf = (d: Directive, value: string): string =>
      path.resolve(ctx.cwd, expandHome(expandEnv(expandTokens(d, value, tokens), env, { file: d.file, line: d.line, field: d.name }), ctx.homeDir));

    const identityDirective = s.get('identityfile');
    const identity = identityDirective && identityDirective.args[0]?.toLowerCase() !== 'none'
      ? pathOf(identityDirective, identityDirective.args[0] ?? '')
      : undefined;
    const filesOf = (k: string, fallback: string[]): string[] => {
      const d = s.get(k);
      if (!d) return fallback;
      if (d.args[0]?.toLowerCase() === 'none') return [];
      return d.args.map((a) => pathOf(d, a));
    };

    let jumpRefs: JumpRef[] = [];
    const proxyJump = s.get('proxyjump');
    const proxyCommand = s.get('proxycommand');
    // Whichever of ProxyJump and ProxyCommand is obtained first wins, as in OpenSSH.
    const proxy = [proxyJump, proxyCommand]
      .filter((d): d is Directive => d !== undefined)
      .sort((a, b) => orderOf(reader, a) - orderOf(reader, b))[0];
    if (proxy?.keyword === 'proxyjump' && proxy.args[0]?.toLowerCase() !== 'none') {
      const where = { file: proxy.file, line: proxy.line, field: proxy.name };
      jumpRefs = (proxy.args[0] ?? '').split(',').map((ref) => ({ ref, where }));
    } else if (proxy?.keyword === 'proxycommand' && proxy.args[0]?.toLowerCase() !== 'none') {
      // `ssh -W %h:%p bastion` is ProxyJump written the old way; anything else cannot be followed.
      const found = hopsFromProxyCommand(proxy.rest);
      if ('hops' in found) {
        const where = { file: proxy.file, line: proxy.line, field: proxy.name };
        jumpRefs = found.hops.map((ref) => ({ ref, where }));
      } else {
        warnOnce(proxy, `${found.unsupported} is not supported (palisade connects itself, through ProxyJump chains); hosts using it are dialled directly. Use ProxyJump instead`);
      }
    }

    const strict = s.get('stricthostkeychecking');
    const strictValue = strict?.args[0]?.toLowerCase();
    if (strict && strictValue !== undefined && !['yes', 'true'].includes(strictValue)) {
      warnOnce(strict, `StrictHostKeyChecking ${strict.args[0] ?? ''} is recorded but not followed: palisade refuses unknown and changed host keys`);
    }
    const timeout = arg('connecttimeout');
    return {
      address,
      user,
      port,
      identity,
      knownHostsFiles: [...filesOf('userknownhostsfile', ctx.knownHosts.user), ...filesOf('globalknownhostsfile', ctx.knownHosts.global)],
      strictHostKeyChecking: strictValue,
      connectTimeoutMs: timeout === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : Number(timeout) * 1000,
      jumpRefs,
    };
  }

  const aliases = [...reader.aliases.values()].filter((alias) => {
    if (alias.conditions.every((c) => matchesList(alias.name, c))) return true;
    // `Host x` in a file included under another Host block only applies to hosts both match.
    reader.warnings.push(warning(alias, `Host ${alias.name} skipped: it sits in an Include under a Host block that does not match it, so ssh never applies it`));
    return false;
  });
  const drafts: HostDraft[] = aliases.map((alias) => {
    const s = settle(alias.name, {});
    return {
      host: {
        name: alias.name,
        address: s.address,
        port: s.port,
        user: s.user,
        ...(s.identity !== undefined ? { identityFile: s.identity } : {}),
        knownHostsFiles: s.knownHostsFiles,
        tags: [],
        sudo: false,
        connectTimeoutMs: s.connectTimeoutMs,
        commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
        ...(s.strictHostKeyChecking !== undefined ? { strictHostKeyChecking: s.strictHostKeyChecking } : {}),
        source: { file: alias.file, line: alias.line },
      },
      jumpRefs: s.jumpRefs,
    };
  });

  const hosts = resolveJumps(drafts, (ref): Hop => {
    const parts = parseHopSpec(ref.ref);
    if ('error' in parts) fail(`invalid hop "${ref.ref}": ${parts.error}`, ref.where);
    const s = settle(parts.host, { ...(parts.user !== undefined ? { user: parts.user } : {}), ...(parts.port !== undefined ? { port: parts.port } : {}) });
    return {
      spec: { name: ref.ref, address: s.address, port: s.port, user: s.user, ...(s.identity !== undefined ? { identityFile: s.identity } : {}) },
      jumpRefs: s.jumpRefs,
    };
  });

  if (hosts.length === 0) reader.warnings.push(warning({ file, line: 1 }, 'no Host entry names a concrete host (only wildcard patterns); nothing to scan'));
  return { file, format: 'ssh-config', hosts, engines: [], warnings: reader.warnings };
}

/** Position of a directive in evaluation order, to tell which of two competing keywords came first. */
function orderOf(reader: ConfigReader, d: Directive): number {
  let n = 0;
  for (const block of reader.blocks) {
    for (const x of block.directives) {
      if (x === d) return n;
      n++;
    }
  }
  return n;
}

/** OpenSSH `%` tokens; an unknown one is an error there, and here. */
function expandTokens(d: Directive, value: string, tokens: Readonly<Record<string, string>>): string {
  return value.replace(/%(.)/g, (_, c: string) => {
    if (c === '%') return '%';
    const v = tokens[c];
    if (v === undefined) fail(`unsupported token %${c} (palisade expands ${Object.keys(tokens).map((t) => `%${t}`).join(' ')} and %%)`, { file: d.file, line: d.line, field: d.name });
    return v;
  });
}
