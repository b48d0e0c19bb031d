// palisade's own inventory format (`kind: Inventory`): validated once against
// inventory.schema.json, then resolved host > groups (in listed order) >
// defaults. Errors name file, line and field.
import path from 'node:path';

import type { ErrorObject, ValidateFunction } from 'ajv';

import { inventoryValidator as generatedInventoryValidator } from '../generated/validators.js';
import { locateLine } from '../policy/yaml-locate.js';
import {
  durationMs,
  escapePointer,
  fail,
  fieldOf,
  loadYaml,
  parseHopSpec,
  resolveJumps,
  resolvePath,
  sshUrl,
  type HostDraft,
  type JumpRef,
  type Where,
} from './common.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PORT,
  type HostEntry,
  type Inventory,
  type InventoryDocument,
  type InventoryEngine,
} from './types.js';

export interface ParseContext {
  homeDir: string;
  /** Remote user when none is set, as with `ssh`. */
  localUser: string;
  /** Default known_hosts files. */
  knownHostsFiles: string[];
}

// Setting keys that would hold a secret. The schema would call them unknown;
// saying why they are refused is more useful.
const SECRET_KEYS: Readonly<Record<string, string>> = {
  password: 'password',
  pass: 'password',
  passwd: 'password',
  passphrase: 'passphrase',
  identitypassphrase: 'passphrase',
};

/** Generated ahead of time from inventory.schema.json (src/generated/validators.ts; options in schema-options.ts). */
function inventoryValidator(): ValidateFunction {
  return generatedInventoryValidator;
}

interface Problem {
  message: string;
  pointer: string;
  /** Where to look for the line when the pointer names something not written (a missing field). */
  linePointer: string;
  preferred: boolean;
}

function describe(err: ErrorObject): Problem {
  const params = err.params as Record<string, unknown>;
  const expected = (err.parentSchema as Record<string, unknown> | undefined)?.['x-expected'];
  const pointer = err.instancePath;
  const base = { pointer, linePointer: pointer, preferred: false };
  switch (err.keyword) {
    case 'additionalProperties': {
      const p = `${pointer}/${escapePointer(String(params['additionalProperty']))}`;
      const allowed = Object.keys((err.parentSchema?.['properties'] as object | undefined) ?? {}).join(', ');
      return { ...base, pointer: p, linePointer: p, message: `unknown field; allowed: ${allowed}` };
    }
    case 'required': {
      const p = `${pointer}/${escapePointer(String(params['missingProperty']))}`;
      return { ...base, pointer: p, message: `missing required field "${String(params['missingProperty'])}"` };
    }
    case 'const':
      return { ...base, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    case 'enum':
      return { ...base, message: `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}` };
    case 'propertyNames': {
      const p = `${pointer}/${escapePointer(String(params['propertyName']))}`;
      return { ...base, pointer: p, linePointer: p, message: 'is not a valid name (letters, digits, ".", "_" and "-", starting with a letter or digit)' };
    }
    case 'uniqueItems':
      return { ...base, message: `lists the same value twice (items ${String(params['j'])} and ${String(params['i'])})` };
    case 'anyOf':
      return { ...base, preferred: true, message: typeof expected === 'string' ? `must be ${expected}` : (err.message ?? 'is invalid') };
    default:
      return { ...base, message: typeof expected === 'string' ? `must be ${expected}` : (err.message ?? 'is invalid') };
  }
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length - 1;
}

/** Rejects passwords and passphrases before anything else, naming where they are (never their value). */
function refuseSecrets(data: unknown, text: string, file: string): void {
  if (!isMapping(data)) return;
  const places: [string, unknown][] = [['', data], ['/defaults', data['defaults']]];
  for (const section of ['groups', 'hosts'] as const) {
    const entries = data[section];
    if (isMapping(entries)) for (const [name, value] of Object.entries(entries)) places.push([`/${section}/${escapePointer(name)}`, value]);
  }
  for (const [pointer, value] of places) {
    if (!isMapping(value)) continue;
    for (const key of Object.keys(value)) {
      const kind = SECRET_KEYS[key.toLowerCase()];
      if (!kind) continue;
      const p = `${pointer}/${escapePointer(key)}`;
      const message = kind === 'password'
        ? 'passwords are not accepted in an inventory: palisade authenticates with an ssh agent (SSH_AUTH_SOCK) or a key file (identity); remove this field'
        : 'passphrases are not accepted in an inventory: put it in an environment variable and name that variable in identityPassphraseEnv; remove this field';
      fail(message, { file, line: locateLine(text, p), field: fieldOf(p) });
    }
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates a `kind: Inventory` document. */
export function parsePalisadeDocument(text: string, file: string): InventoryDocument {
  const data = loadYaml(text, file);
  if (isMapping(data)) {
    // `web1:` with nothing under it is a host with no settings of its own.
    for (const section of ['groups', 'hosts'] as const) {
      const entries = data[section];
      if (isMapping(entries)) for (const [name, value] of Object.entries(entries)) if (value === null) entries[name] = {};
    }
  }
  refuseSecrets(data, text, file);
  const validate = inventoryValidator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map(describe);
    // The most specific error is the most useful; among equals, the one that says what is expected.
    problems.sort((a, b) => depth(b.pointer) - depth(a.pointer) || Number(b.preferred) - Number(a.preferred));
    const first = problems[0];
    if (first) fail(first.message, { file, line: locateLine(text, first.linePointer), field: fieldOf(first.pointer) || '(root)' });
  }
  return data as InventoryDocument;
}

interface Picked<T> {
  value: T;
  pointer: string;
}

/** Parses a palisade inventory into hosts (jump chains resolved) and engines. */
export function parsePalisadeInventory(text: string, file: string, ctx: ParseContext): Inventory {
  const doc = parsePalisadeDocument(text, file);
  const dir = path.dirname(file);
  const where = (pointer: string): Where => ({ file, line: locateLine(text, pointer), field: fieldOf(pointer) });
  const defaults = doc.defaults ?? {};
  const groups = doc.groups ?? {};
  const hostEntries = Object.entries(doc.hosts ?? {});
  const engineEntries = Object.entries(doc.engines ?? {});

  if (hostEntries.length === 0 && engineEntries.length === 0) {
    fail('the inventory lists no hosts and no engines; add them under `hosts:` or `engines:`', { ...where('/hosts'), field: 'hosts' });
  }

  const engines: InventoryEngine[] = engineEntries.map(([name, endpoint]) => {
    const pointer = `/engines/${escapePointer(name)}`;
    if (doc.hosts?.[name] !== undefined) {
      fail(`engine "${name}" has the name of a host; names must be unique across hosts and engines`, where(pointer));
    }
    return { name, endpoint, source: { file, line: locateLine(text, pointer) } };
  });

  const drafts: HostDraft[] = hostEntries.map(([name, entry]) => {
    const hostPointer = `/hosts/${escapePointer(name)}`;
    const memberOf = entry.groups ?? [];
    memberOf.forEach((group, i) => {
      if (groups[group] === undefined) {
        const known = Object.keys(groups);
        fail(`unknown group "${group}"; groups: ${known.length > 0 ? known.join(', ') : '(none defined under `groups:`)'}`, where(`${hostPointer}/groups/${i}`));
      }
    });
    const layers: { entry: HostEntry; pointer: string }[] = [
      { entry, pointer: hostPointer },
      ...memberOf.map((g) => ({ entry: groups[g] ?? {}, pointer: `/groups/${escapePointer(g)}` })),
      { entry: defaults, pointer: '/defaults' },
    ];
    function pick<K extends keyof HostEntry>(key: K): Picked<NonNullable<HostEntry[K]>> | undefined {
      for (const layer of layers) {
        const value = layer.entry[key];
        if (value !== undefined && value !== null) return { value, pointer: `${layer.pointer}/${key}` };
      }
      return undefined;
    }

    const address = (entry.address ?? name).replace(/^\[(.*)\]$/, '$1');
    const user = pick('user')?.value ?? ctx.localUser;
    const port = pick('port')?.value ?? DEFAULT_PORT;
    const identity = pick('identity')?.value;
    const passphraseEnv = pick('identityPassphraseEnv')?.value;
    const knownHosts = pick('knownHosts')?.value;
    const segment = pick('segment')?.value;
    const connectTimeout = pick('connectTimeout')?.value;
    const commandTimeout = pick('commandTimeout')?.value;
    const tags = new Set(entry.tags ?? []);
    for (const g of memberOf) {
      tags.add(g);
      for (const t of groups[g]?.tags ?? []) tags.add(t);
    }

    const jump = pick('jump');
    const jumpRefs: JumpRef[] = jump === undefined
      ? []
      : typeof jump.value === 'string'
        ? [{ ref: jump.value, where: where(jump.pointer) }]
        : jump.value.map((ref, i) => ({ ref, where: where(`${jump.pointer}/${i}`) }));

    return {
      host: {
        name,
        address,
        port,
        user,
        ...(identity !== undefined ? { identityFile: resolvePath(identity, dir, ctx.homeDir) } : {}),
        ...(passphraseEnv !== undefined ? { identityPassphraseEnv: passphraseEnv } : {}),
        ...(entry.hostKey !== undefined ? { hostKeyFingerprint: entry.hostKey } : {}),
        knownHostsFiles: knownHosts === undefined
          ? [...ctx.knownHostsFiles]
          : (typeof knownHosts === 'string' ? [knownHosts] : knownHosts).map((f) => resolvePath(f, dir, ctx.homeDir)),
        tags: [...tags],
        ...(segment !== undefined ? { segment } : {}),
        sudo: pick('sudo')?.value ?? false,
        ...(entry.docker !== undefined ? { docker: entry.docker === 'ssh' ? sshUrl(user, address, port) : entry.docker } : {}),
        connectTimeoutMs: connectTimeout === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : durationMs(connectTimeout),
        commandTimeoutMs: commandTimeout === undefined ? DEFAULT_COMMAND_TIMEOUT_MS : durationMs(commandTimeout),
        source: { file, line: locateLine(text, hostPointer) },
      },
      jumpRefs,
    };
  });

  const hostNames = hostEntries.map(([name]) => name);
  const hosts = resolveJumps(drafts, (ref) => {
    // A bare word is meant as an inventory name; a host outside the inventory is written user@host[:port].
    if (!/[@:]/.test(ref.ref)) {
      fail(`unknown jump host "${ref.ref}": not a host in this inventory (hosts: ${hostNames.join(', ')}); write user@host[:port] for a host outside it`, ref.where);
    }
    const parts = parseHopSpec(ref.ref);
    if ('error' in parts) fail(`invalid jump host "${ref.ref}": ${parts.error}`, ref.where);
    return {
      spec: {
        name: ref.ref,
        address: parts.host,
        port: parts.port ?? defaults.port ?? DEFAULT_PORT,
        user: parts.user ?? defaults.user ?? ctx.localUser,
        ...(defaults.identity !== undefined ? { identityFile: resolvePath(defaults.identity, dir, ctx.homeDir) } : {}),
      },
      jumpRefs: [],
    };
  });

  return { file, format: 'palisade', hosts, engines, warnings: [] };
}
