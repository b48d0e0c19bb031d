// What the INI and YAML forms of an Ansible inventory share: the group tree,
// variable precedence, host range patterns, and the mapping of Ansible's
// connection variables onto palisade hosts. Group names become tags.
import { compareCodeUnits } from '../lib/order.js';
import {
  fail,
  jumpFromSshArgs,
  parseHopSpec,
  resolveJumps,
  resolvePath,
  sshUrl,
  toPort,
  warning,
  type HostDraft,
  type JumpRef,
  type Where,
} from './common.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PORT, type Inventory, type SourceLocation } from './types.js';

export interface AnsibleContext {
  homeDir: string;
  localUser: string;
  /** Relative key file paths are relative to it, as for `ansible`. */
  cwd: string;
  knownHostsFiles: string[];
}

/** A value encrypted with ansible-vault: palisade cannot read it and keeps nothing of it. */
export const VAULT_VALUE: unique symbol = Symbol('ansible-vault');

export interface AnsibleVar {
  value: unknown;
  where: Where;
}

export interface AnsibleGroup {
  name: string;
  vars: Map<string, AnsibleVar>;
  children: Map<string, Where>;
  hosts: Set<string>;
}

export interface AnsibleHost {
  name: string;
  source: SourceLocation;
  vars: Map<string, AnsibleVar>;
}

/** Groups and hosts as declared, before precedence is applied. */
export class AnsibleModel {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string): AnsibleGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, vars: new Map(), children: new Map(), hosts: new Set() };
      this.groups.set(name, g);
    }
    return g;
  }

  addHost(group: string, name: string, source: SourceLocation, vars: readonly [string, AnsibleVar][]): void {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, source, vars: new Map() };
      this.hosts.set(name, h);
    }
    for (const [k, v] of vars) h.vars.set(k, v);
    this.group(group).hosts.add(name);
  }

  addChild(parent: string, child: string, where: Where): void {
    this.group(child);
    const p = this.group(parent);
    if (!p.children.has(child)) p.children.set(child, where);
  }
}

// Ansible's limit is memory; palisade's is a typo guard.
const MAX_RANGE_HOSTS = 10_000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Expands Ansible host ranges, `web[01:03].example.com`, `db-[a:c]`,
 * `node[0:10:2]`, as Ansible's expand_hostname_range does: leading zeros fix
 * the width, letters count through a-z then A-Z, several ranges multiply.
 */
export function expandHostRange(pattern: string, where: Where): string[] {
  const m = /^([^[]*)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m || !(m[2] ?? '').includes(':')) return [pattern];
  const [, head = '', range = '', tail = ''] = m;
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) fail(`host range [${range}] must be [begin:end] or [begin:end:step]`, where);
  let [beg = '', end = '', stepText = '1'] = bounds;
  if (beg === '') beg = '0';
  if (end === '') fail(`host range [${range}] has no end value`, where);
  if (!/^[1-9]\d*$/.test(stepText)) fail(`host range [${range}] step must be a whole number above 0`, where);
  const step = Number(stepText);
  let items: string[];
  if (/^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)) {
    const from = LETTERS.indexOf(beg);
    const to = LETTERS.indexOf(end);
    if (from > to) fail(`host range [${range}] must have begin <= end`, where);
    items = [];
    for (let i = from; i <= to; i += step) items.push(LETTERS[i] ?? '');
  } else if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const width = beg.startsWith('0') && beg.length > 1 ? beg.length : 0;
    if (width > 0 && width !== end.length) fail(`host range [${range}] must give begin and end with the same number of digits`, where);
    const from = Number(beg);
    const to = Number(end);
    if (from > to) fail(`host range [${range}] must have begin <= end`, where);
    if ((to - from) / step + 1 > MAX_RANGE_HOSTS) fail(`host range [${range}] expands to more than ${MAX_RANGE_HOSTS} hosts`, where);
    items = [];
    for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  } else {
    fail(`host range [${range}] must be numeric ([01:10]) or alphabetic ([a:f])`, where);
  }
  const out = items.flatMap((item) => expandHostRange(`${head}${item}${tail}`, where));
  if (out.length > MAX_RANGE_HOSTS) fail(`host pattern expands to more than ${MAX_RANGE_HOSTS} hosts`, where);
  return out;
}

/** `host:2222` -> host and port, as Ansible reads a host pattern; brackets of a range are not a port. */
export function splitHostPort(pattern: string, where: Where): { name: string; port?: number } {
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern);
  if (v6) return v6[2] === undefined ? { name: v6[1] ?? '' } : { name: v6[1] ?? '', port: portOrFail(v6[2], where) };
  const m = /^(.*[^:]):([^:\]]+)$/.exec(pattern);
  // A colon inside [..] is a range, and several colons outside brackets are a bare IPv6 address.
  if (!m || (m[1] ?? '').includes(':') && !/\[[^\]]*:[^\]]*\]/.test(m[1] ?? '')) return { name: pattern };
  return { name: m[1] ?? '', port: portOrFail(m[2] ?? '', where) };
}

function portOrFail(text: string, where: Where): number {
  const port = toPort(text);
  if (port === undefined) fail('the port after ":" must be a TCP port, an integer from 1 to 65535', where);
  return port;
}

const PASSWORD_VARS = new Set([
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
  'ansible_become_pass',
  'ansible_become_password',
  'ansible_sudo_pass',
  'ansible_sudo_password',
]);

const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh', 'ansible.legacy.ssh']);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const DOCKER = /^(ssh|(ssh|tcp|https?|unix):\/\/\S+)$/;

function parentsOf(model: AnsibleModel): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of model.groups.values()) {
    for (const child of g.children.keys()) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  }
  return parents;
}

/** Each group's depth below `all` (its longest path from `all`), as Ansible orders variable precedence; a cycle is an error. */
function byDepth(model: AnsibleModel, parents: Map<string, string[]>): Map<string, number> {
  const depth = new Map<string, number>([['all', 0]]);
  const visiting: string[] = [];
  function visit(name: string): number {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.includes(name)) {
      const child = visiting[visiting.length - 1] ?? name;
      const where = model.group(name).children.get(child) ?? { file: '', line: 1, field: name };
      const loop = [...visiting.slice(visiting.indexOf(name)), name].reverse();
      fail(`group cycle: ${loop.join(' -> ')} (each lists the next among its children)`, where);
    }
    visiting.push(name);
    // Every group but `all` is at least a child of `all`.
    const d = 1 + Math.max(0, ...(parents.get(name) ?? []).map(visit));
    visiting.pop();
    depth.set(name, d);
    return d;
  }
  for (const name of model.groups.keys()) visit(name);
  return depth;
}

/** Groups a host belongs to: those that list it, and their ancestors. */
function groupsOf(model: AnsibleModel, parents: Map<string, string[]>, host: string): Set<string> {
  const out = new Set<string>();
  const direct = [...model.groups.values()].filter((g) => g.hosts.has(host)).map((g) => g.name);
  const queue = direct.length > 0 && !(direct.length === 1 && direct[0] === 'all') ? direct : ['ungrouped'];
  while (queue.length > 0) {
    const g = queue.shift() ?? '';
    if (out.has(g)) continue;
    out.add(g);
    queue.push(...(parents.get(g) ?? []));
  }
  out.add('all');
  return out;
}

/** Applies Ansible's precedence (all, then groups by depth, priority and name, then the host) and maps the variables onto a palisade host. */
export function buildAnsibleInventory(model: AnsibleModel, file: string, format: 'ansible-ini' | 'ansible-yaml', ctx: AnsibleContext): Inventory {
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warnAt = (where: Where, message: string): void => {
    const key = `${where.file}:${where.line}:${where.field}`;
    if (warned.has(key)) return;
    warned.add(key);
    warnings.push(warning(where, message));
  };
  const parents = parentsOf(model);
  const depth = byDepth(model, parents);
  const priority = (g: AnsibleGroup): number => {
    const v = g.vars.get('ansible_group_priority');
    if (v === undefined) return 1;
    const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^-?\d+$/.test(v.value) ? Number(v.value) : NaN;
    if (!Number.isInteger(n)) fail('ansible_group_priority must be an integer', v.where);
    return n;
  };

  const drafts: HostDraft[] = [];
  for (const host of model.hosts.values()) {
    const member = [...groupsOf(model, parents, host.name)].map((n) => model.group(n));
    // Ansible orders groups by depth, priority, then name as Python compares strings (code points).
    member.sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0) || priority(a) - priority(b) || compareCodeUnits(a.name, b.name));
    const vars = new Map<string, AnsibleVar>();
    for (const g of member) for (const [k, v] of g.vars) vars.set(k, v);
    for (const [k, v] of host.vars) vars.set(k, v);

    for (const [k, v] of vars) {
      if (PASSWORD_VARS.has(k)) {
        warnAt(v.where, `${k} ignored: palisade does not use passwords; authenticate with an ssh agent or a key file (ansible_ssh_private_key_file), and give sudo rights that need no password (palisade runs sudo -n)`);
      }
    }

    /** A variable as text; templates and vaulted values cannot be read here and are ignored with a warning. */
    const text = (...names: string[]): { name: string; value: string; where: Where } | undefined => {
      for (const name of names) {
        const v = vars.get(name);
        if (v === undefined || v.value === null || v.value === undefined) continue;
        if (v.value === VAULT_VALUE) {
          warnAt(v.where, `${name} is encrypted with ansible-vault, which palisade does not decrypt; ignored`);
          return undefined;
        }
        if (typeof v.value === 'object') fail(`${name} must be a single value, not a list or mapping`, v.where);
        const s = String(v.value).trim();
        if (s.includes('{{') || s.includes('{%')) {
          warnAt(v.where, `${name} uses a Jinja2 template, which palisade does not evaluate; ignored`);
          return undefined;
        }
        return { name, value: s, where: v.where };
      }
      return undefined;
    };

    const connection = text('ansible_connection');
    if (connection && !SSH_CONNECTIONS.has(connection.value.toLowerCase())) {
      warnings.push(warning(host.source, `host ${host.name} skipped: ansible_connection=${connection.value} is not SSH, and palisade scans hosts over SSH`));
      continue;
    }

    const address = (text('ansible_host', 'ansible_ssh_host')?.value ?? host.name).replace(/^\[(.*)\]$/, '$1');
    const portVar = text('ansible_port', 'ansible_ssh_port');
    const port = portVar === undefined ? DEFAULT_PORT : toPort(portVar.value);
    if (port === undefined) fail(`${portVar?.name ?? 'ansible_port'} must be a TCP port, an integer from 1 to 65535`, portVar?.where ?? { file, line: host.source.line, field: 'ansible_port' });
    const user = text('ansible_user', 'ansible_ssh_user', 'ansible_remote_user')?.value ?? ctx.localUser;
    const key = text('ansible_ssh_private_key_file', 'ansible_private_key_file');
    const become = text('ansible_become');
    const sudo = become === undefined ? false : toBool(become);
    const segment = text('palisade_segment', 'segment');
    if (segment && !NAME.test(segment.value)) fail('the segment must be a name of letters, digits, ".", "_" and "-"', segment.where);
    const hostKey = text('palisade_host_key');
    if (hostKey && !FINGERPRINT.test(hostKey.value)) fail('palisade_host_key must be a fingerprint as `ssh-keygen -lf` prints it: SHA256: followed by 43 base64 characters', hostKey.where);
    const passphraseEnv = text('palisade_identity_passphrase_env');
    if (passphraseEnv && !ENV_NAME.test(passphraseEnv.value)) fail('palisade_identity_passphrase_env must be the NAME of an environment variable', passphraseEnv.where);
    const docker = text('palisade_docker');
    if (docker && !DOCKER.test(docker.value)) fail('palisade_docker must be ssh, or an ssh://, tcp://, https:// or unix:// URL', docker.where);
    const timeout = text('ansible_ssh_timeout', 'ansible_timeout');
    if (timeout && !/^[1-9]\d*$/.test(timeout.value)) fail(`${timeout.name} must be a whole number of seconds above 0`, timeout.where);

    let jumpRefs: JumpRef[] = [];
    for (const name of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
      const args = text(name);
      if (!args) continue;
      const found = jumpFromSshArgs(args.value);
      if (found === undefined) continue;
      if ('unsupported' in found) {
        warnAt(args.where, `${found.unsupported} in ${name} is not supported; the host is dialled directly. Use -o ProxyJump=... or -J`);
      } else {
        jumpRefs = found.hops.map((ref) => ({ ref, where: args.where }));
      }
      break;
    }

    const tags = member.filter((g) => g.name !== 'all' && g.name !== 'ungrouped').map((g) => g.name);
    drafts.push({
      host: {
        name: host.name,
        address,
        port,
        user,
        ...(key ? { identityFile: resolvePath(key.value, ctx.cwd, ctx.homeDir) } : {}),
        ...(passphraseEnv ? { identityPassphraseEnv: passphraseEnv.value } : {}),
        ...(hostKey ? { hostKeyFingerprint: hostKey.value } : {}),
        knownHostsFiles: [...ctx.knownHostsFiles],
        tags,
        ...(segment ? { segment: segment.value } : {}),
        sudo,
        ...(docker ? { docker: docker.value === 'ssh' ? sshUrl(user, address, port) : docker.value } : {}),
        connectTimeoutMs: timeout ? Number(timeout.value) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
        commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
        source: host.source,
      },
      jumpRefs,
    });
  }

  const hosts = resolveJumps(drafts, (ref) => {
    const parts = parseHopSpec(ref.ref);
    if ('error' in parts) fail(`invalid jump host "${ref.ref}": ${parts.error}`, ref.where);
    // ssh resolves a hop outside the inventory with its own defaults: port 22, the local user.
    return { spec: { name: ref.ref, address: parts.host, port: parts.port ?? DEFAULT_PORT, user: parts.user ?? ctx.localUser }, jumpRefs: [] };
  });
  if (hosts.length === 0) warnings.push(warning({ file, line: 1 }, 'the inventory names no hosts reachable over SSH; nothing to scan'));
  return { file, format, hosts, engines: [], warnings };
}

/** Ansible's boolean spellings. */
function toBool({ name, value, where }: { name: string; value: string; where: Where }): boolean {
  const v = value.toLowerCase();
  if (['true', 'yes', 'y', 'on', '1', 't'].includes(v)) return true;
  if (['false', 'no', 'n', 'off', '0', 'f'].includes(v)) return false;
  return fail(`${name} must be true or false (yes/no, on/off, 1/0)`, where);
}
