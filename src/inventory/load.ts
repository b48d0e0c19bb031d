// Loads an inventory in any accepted form: palisade.yaml (`kind: Inventory`),
// an ssh config, or an Ansible inventory (INI or YAML), telling them apart by
// content and name. Without a file, `palisade.yaml` in the working folder.
import { homedir } from 'node:os';
import path from 'node:path';

import { InputFileError, readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';
import { loadYamlSafe } from '../lib/yaml-safe.js';
import { locateLine } from '../policy/yaml-locate.js';
import { parseAnsibleIni } from './ansible-ini.js';
import { ANSIBLE_YAML_SCHEMA, looksLikeAnsibleYaml, parseAnsibleYaml } from './ansible-yaml.js';
import { defaultKnownHosts, loadYaml, localUserName } from './common.js';
import { InventoryError } from './errors.js';
import { parsePalisadeInventory } from './palisade.js';
import { parseSshConfig } from './ssh-config.js';
import { DEFAULT_INVENTORY_FILE, type Inventory, type InventoryFormat } from './types.js';

export { DEFAULT_INVENTORY_FILE };

export type { Inventory, InventoryEngine, InventoryFormat, InventoryHost, JumpSpec, SourceLocation } from './types.js';
export { InventoryError } from './errors.js';


export interface LoadInventoryOptions {
  /** Folder for a relative `file` and for the default `palisade.yaml`; defaults to process.cwd(). */
  cwd?: string;
  /** For `~` and the default known_hosts files; defaults to os.homedir(). */
  homeDir?: string;
  /** Remote user when the inventory sets none; defaults to the current OS user, as with `ssh`. */
  localUser?: string;
  /** For `${VAR}` in ssh config paths; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SECTION_LINE = /^\s*\[[^\]\s]+\]\s*(?:[#;].*)?$/m;
const SSH_CONFIG_LINE = /^\s*(Host|Match)(\s+|\s*=)\S/im;

/** Which form `text` is in; throws InventoryError when it is none of them. */
export function detectFormat(text: string, file: string): { format: InventoryFormat; parsed?: unknown } {
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file).toLowerCase();
  const yamlByName = ext === '.yaml' || ext === '.yml';

  let parsed: unknown;
  let yamlError: unknown;
  try {
    parsed = loadYamlSafe(text, { schema: ANSIBLE_YAML_SCHEMA, filename: file });
  } catch (error) {
    yamlError = error;
  }
  if (isMapping(parsed)) {
    if (parsed['kind'] === 'Inventory' || parsed['apiVersion'] === 'palisade/v1') {
      if (parsed['kind'] !== 'Inventory') {
        throw new InventoryError(`this is a palisade ${String(parsed['kind'] ?? 'document')}, not an inventory; an inventory has kind: Inventory`, {
          file,
          line: locateLine(text, '/kind'),
          field: 'kind',
        });
      }
      return { format: 'palisade' };
    }
    if (looksLikeAnsibleYaml(parsed)) return { format: 'ansible-yaml', parsed };
  }
  if (yamlByName) {
    // Named YAML: report its syntax error, or say what a YAML inventory must hold.
    if (yamlError !== undefined) loadYaml(text, file, ANSIBLE_YAML_SCHEMA);
    throw new InventoryError(
      'not an inventory: a YAML inventory is either palisade\'s (apiVersion: palisade/v1, kind: Inventory) or Ansible\'s (all: with hosts, vars, children)',
      { file, line: 1 },
    );
  }
  if (base === 'config' || base === 'ssh_config' || SSH_CONFIG_LINE.test(text)) return { format: 'ssh-config' };
  if (ext === '.ini' || ((ext === '' || base === 'hosts' || base === 'inventory') && (SECTION_LINE.test(text) || text.trim() !== ''))) {
    return { format: 'ansible-ini' };
  }
  throw new InventoryError(
    'cannot tell the inventory form: expected palisade.yaml (kind: Inventory), an ssh config (Host entries), or an Ansible inventory (.ini with [group] sections, or YAML with all:)',
    { file, line: 1 },
  );
}

/**
 * Reads an inventory. `file` may be palisade.yaml, an ssh config, or an
 * Ansible inventory (INI or YAML); without it, `palisade.yaml` in `cwd`.
 * Throws InventoryError (a PolicyError) naming file, line and field.
 */
export function loadInventory(file?: string, options: LoadInventoryOptions = {}): Inventory {
  const cwd = options.cwd ?? process.cwd();
  const homeDir = options.homeDir ?? homedir();
  const target = path.resolve(cwd, file ?? DEFAULT_INVENTORY_FILE);
  let text: string;
  try {
    text = readInputFile(target, LIMITS.inventoryFileBytes, 'inventory');
  } catch (cause) {
    const problem = cause instanceof InputFileError ? cause.problem : 'unreadable';
    const why = file === undefined && problem === 'missing'
      ? `no inventory: ${DEFAULT_INVENTORY_FILE} not found in ${cwd}; create one (see docs/inventory.md) or pass --inventory FILE (palisade.yaml, ~/.ssh/config or an Ansible inventory)`
      : problem === 'directory'
        ? 'is a directory; pass the inventory file itself'
        : cause instanceof InputFileError
          ? cause.detail
          : `cannot read the inventory: ${(cause as Error).message}`;
    throw new InventoryError(why, { file: target }, { cause });
  }

  const knownHosts = defaultKnownHosts(homeDir);
  const knownHostsFiles = [...knownHosts.user, ...knownHosts.global];
  // A getter: the OS user is looked up only if some host leaves its user unset.
  const ctx = {
    homeDir,
    cwd,
    get localUser(): string {
      return options.localUser ?? localUserName(target);
    },
  };
  const { format, parsed } = detectFormat(text, target);
  switch (format) {
    case 'palisade':
      return parsePalisadeInventory(text, target, Object.assign(ctx, { knownHostsFiles }));
    case 'ssh-config':
      return parseSshConfig(text, target, Object.assign(ctx, { knownHosts }, options.env ? { env: options.env } : {}));
    case 'ansible-yaml':
      return parseAnsibleYaml(text, target, Object.assign(ctx, { knownHostsFiles }), parsed);
    case 'ansible-ini':
      return parseAnsibleIni(text, target, Object.assign(ctx, { knownHostsFiles }));
  }
}
