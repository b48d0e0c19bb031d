// Ansible's INI inventory: `[group]` host lines with key=value variables and
// ranges, `[group:vars]`, `[group:children]`; hosts before any section are
// ungrouped. Parsed as Ansible's ini plugin reads it.
import { fail, shellSplit, type Where } from './common.js';
import { AnsibleModel, buildAnsibleInventory, expandHostRange, splitHostPort, type AnsibleContext, type AnsibleVar } from './ansible.js';
import type { Inventory } from './types.js';

type Section = { kind: 'hosts' | 'vars' | 'children'; group: string };

const GROUP_NAME = /^[^\s:[\]=#;]+$/;

/** Ansible reads values as Python literals: quotes are removed, numbers and booleans stay text here and are converted where used. */
function iniValue(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

export function parseAnsibleIni(text: string, file: string, ctx: AnsibleContext): Inventory {
  const model = new AnsibleModel();
  let section: Section = { kind: 'hosts', group: 'ungrouped' };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const t = (lines[i] ?? '').trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;

    if (t.startsWith('[')) {
      const m = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(t);
      const header = m?.[1] ?? '';
      const [group = '', suffix, extra] = header.split(':');
      const where: Where = { file, line, field: `[${header}]` };
      if (!m || !GROUP_NAME.test(group)) fail('invalid section header; expected [group], [group:vars] or [group:children]', where);
      if (extra !== undefined || (suffix !== undefined && suffix !== 'vars' && suffix !== 'children')) {
        fail('the part after ":" in a section header must be vars or children', where);
      }
      model.group(group);
      section = { kind: suffix === 'vars' ? 'vars' : suffix === 'children' ? 'children' : 'hosts', group };
      continue;
    }

    if (section.kind === 'vars') {
      const eq = t.indexOf('=');
      if (eq <= 0) fail(`expected key=value in [${section.group}:vars]`, { file, line, field: `[${section.group}:vars]` });
      const key = t.slice(0, eq).trim();
      model.group(section.group).vars.set(key, { value: iniValue(t.slice(eq + 1)), where: { file, line, field: key } });
    } else if (section.kind === 'children') {
      const child = /^(\S+)\s*(?:[#;].*)?$/.exec(t)?.[1] ?? '';
      const where = { file, line, field: `[${section.group}:children]` };
      if (!GROUP_NAME.test(child)) fail('expected one group name per line in a :children section', where);
      model.addChild(section.group, child, where);
    } else {
      const [pattern = '', ...assignments] = shellSplit(t, true);
      if (pattern === '') continue;
      const where: Where = { file, line, field: pattern };
      const vars: [string, AnsibleVar][] = assignments.map((a) => {
        const eq = a.indexOf('=');
        // The token is not echoed: it may be a secret written without its key.
        if (eq <= 0) fail('expected key=value host variables after the host name', where);
        const key = a.slice(0, eq);
        return [key, { value: a.slice(eq + 1), where: { file, line, field: key } }];
      });
      const { name, port } = splitHostPort(pattern, where);
      if (port !== undefined) vars.unshift(['ansible_port', { value: String(port), where }]);
      for (const host of expandHostRange(name, where)) model.addHost(section.group, host, { file, line }, vars);
    }
  }
  return buildAnsibleInventory(model, file, 'ansible-ini', ctx);
}
