// Ansible's YAML inventory: `all:` (or top-level groups) with `hosts`,
// `vars` and nested `children`. Host keys may be range patterns.
import yaml from 'js-yaml';

import { locateLine } from '../policy/yaml-locate.js';
import { escapePointer, fail, fieldOf, loadYaml, warning, type Where } from './common.js';
import { AnsibleModel, buildAnsibleInventory, expandHostRange, splitHostPort, VAULT_VALUE, type AnsibleContext, type AnsibleVar } from './ansible.js';
import type { Inventory } from './types.js';

// Ansible loads YAML with PyYAML's safe loader (merge keys and timestamps
// included), which js-yaml's default schema matches, plus its own tags:
// `!vault` values cannot be read without the vault password and are kept as an
// opaque marker (never their text); `!unsafe` marks text not to template.
const VAULT = new yaml.Type('!vault', { kind: 'scalar', construct: () => VAULT_VALUE });
const UNSAFE = new yaml.Type('!unsafe', { kind: 'scalar', construct: (data: unknown) => String(data ?? '') });
export const ANSIBLE_YAML_SCHEMA = yaml.DEFAULT_SCHEMA.extend([VAULT, UNSAFE]);

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

// Host keys often hold a colon (`www.example.com:8022`, `web[1:3]`), which
// locateLine does not read as part of a key; it gets a stand-in, the same in
// the text and in the pointer, so lines can still be found.
const COLON_STAND_IN = '\u0001';
const KEY_LINE = /^(\s*(?:-\s+)?)([^\s#'"][^#]*?)(:(?:\s|$).*)$/;

function colonFreeKeys(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = KEY_LINE.exec(line);
      return m ? `${m[1] ?? ''}${(m[2] ?? '').replaceAll(':', COLON_STAND_IN)}${m[3] ?? ''}` : line;
    })
    .join('\n');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether parsed YAML looks like an Ansible inventory: `all:`, or top-level groups holding hosts, children or vars. */
export function looksLikeAnsibleYaml(data: unknown): boolean {
  if (!isMapping(data)) return false;
  if (isMapping(data['all']) || data['all'] === null) return true;
  const groups = Object.values(data);
  return groups.length > 0 && groups.every((g) => g === null || (isMapping(g) && Object.keys(g).some((k) => GROUP_KEYS.has(k))));
}

export function parseAnsibleYaml(text: string, file: string, ctx: AnsibleContext, parsed?: unknown): Inventory {
  const data = parsed ?? loadYaml(text, file, ANSIBLE_YAML_SCHEMA);
  const locatable = colonFreeKeys(text);
  const where = (pointer: string): Where => ({
    file,
    line: locateLine(locatable, pointer.replaceAll(':', COLON_STAND_IN)),
    field: fieldOf(pointer),
  });
  if (!isMapping(data)) fail('an Ansible YAML inventory is a mapping of groups (all: with hosts, vars and children)', where(''));
  const model = new AnsibleModel();
  const warnings: string[] = [];

  function mapping(value: unknown, pointer: string, what: string): Record<string, unknown> {
    if (value === null || value === undefined) return {};
    if (!isMapping(value)) fail(`${what} must be a mapping${Array.isArray(value) ? ', not a list' : ''}`, where(pointer));
    return value;
  }

  function visitGroup(name: string, node: unknown, pointer: string, parent: string | undefined): void {
    model.group(name);
    if (parent !== undefined) model.addChild(parent, name, where(pointer));
    const group = mapping(node, pointer, `group "${name}"`);
    for (const key of Object.keys(group)) {
      if (!GROUP_KEYS.has(key)) {
        const p = `${pointer}/${escapePointer(key)}`;
        warnings.push(warning(where(p), `unexpected key "${key}" in group "${name}" ignored (a group holds hosts, vars and children)`));
      }
    }
    const hostsPointer = `${pointer}/hosts`;
    for (const [pattern, hostVars] of Object.entries(mapping(group['hosts'], hostsPointer, `hosts of group "${name}"`))) {
      const hostPointer = `${hostsPointer}/${escapePointer(pattern)}`;
      const vars = Object.entries(mapping(hostVars, hostPointer, `variables of host "${pattern}"`)).map(
        ([k, value]): [string, AnsibleVar] => [k, { value, where: where(`${hostPointer}/${escapePointer(k)}`) }],
      );
      const at = where(hostPointer);
      const { name: hostPattern, port } = splitHostPort(pattern, at);
      if (port !== undefined) vars.unshift(['ansible_port', { value: port, where: at }]);
      for (const host of expandHostRange(hostPattern, at)) model.addHost(name, host, { file, line: at.line }, vars);
    }
    const varsPointer = `${pointer}/vars`;
    for (const [k, value] of Object.entries(mapping(group['vars'], varsPointer, `vars of group "${name}"`))) {
      model.group(name).vars.set(k, { value, where: where(`${varsPointer}/${escapePointer(k)}`) });
    }
    const childrenPointer = `${pointer}/children`;
    for (const [child, childNode] of Object.entries(mapping(group['children'], childrenPointer, `children of group "${name}"`))) {
      visitGroup(child, childNode, `${childrenPointer}/${escapePointer(child)}`, name);
    }
  }

  for (const [name, node] of Object.entries(data)) visitGroup(name, node, `/${escapePointer(name)}`, name === 'all' ? undefined : 'all');
  const inventory = buildAnsibleInventory(model, file, 'ansible-yaml', ctx);
  return { ...inventory, warnings: [...warnings, ...inventory.warnings] };
}
