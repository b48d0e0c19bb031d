// Host firewall on the input path, from `nft list ruleset` (JSON or text) and
// `iptables -S`. Each input base chain is reduced to its effective default: its
// policy, or the verdict of a final rule that matches everything (firewalld
// ends `filter_INPUT` with `reject with icmpx admin-prohibited` under an
// `accept` policy). Only the IPv4 path is judged: `ip` and `inet` tables.
import { lines } from './lines.js';

export type Verdict = 'accept' | 'drop' | 'reject';

export interface InputChain {
  /** `inet firewalld filter_INPUT`, `ip filter INPUT`, `iptables INPUT`. */
  chain: string;
  policy: Verdict;
  /** The chain's policy, or the verdict of a trailing catch-all rule. */
  effective: Verdict;
  rules: number;
}

function verdictOf(text: string | undefined): Verdict | undefined {
  const v = text?.toLowerCase();
  return v === 'accept' || v === 'drop' || v === 'reject' ? v : undefined;
}

const IPV4_FAMILIES = new Set(['ip', 'inet']);

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

// A rule of only counters/logging and a final verdict matches every packet.
function jsonCatchAll(expr: unknown): Verdict | undefined {
  if (!Array.isArray(expr) || expr.length === 0) return undefined;
  let verdict: Verdict | undefined;
  for (const [index, statement] of expr.entries()) {
    const keys = Object.keys(obj(statement) ?? {});
    if (keys.length !== 1) return undefined;
    const key = keys[0] as string;
    if (key === 'counter' || key === 'log') continue;
    if ((key === 'accept' || key === 'drop' || key === 'reject') && index === expr.length - 1) verdict = key;
    else return undefined;
  }
  return verdict;
}

/** `nft -j list ruleset`; undefined when the text holds no nftables JSON document. */
export function parseNftJson(text: string): InputChain[] | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const items = obj(doc)?.['nftables'];
  if (!Array.isArray(items)) return undefined;

  const chains = new Map<string, InputChain>();
  const lastRule = new Map<string, unknown>();
  const key = (c: Json): string => `${String(c['family'])} ${String(c['table'])} ${String(c['chain'] ?? c['name'])}`;
  for (const item of items) {
    const chain = obj(obj(item)?.['chain']);
    if (chain && chain['hook'] === 'input' && chain['type'] === 'filter' && IPV4_FAMILIES.has(String(chain['family']))) {
      const policy = verdictOf(String(chain['policy'] ?? 'accept')) ?? 'accept';
      chains.set(key(chain), { chain: key(chain), policy, effective: policy, rules: 0 });
    }
  }
  for (const item of items) {
    const rule = obj(obj(item)?.['rule']);
    if (!rule) continue;
    const chain = chains.get(key(rule));
    if (!chain) continue;
    chain.rules++;
    lastRule.set(chain.chain, rule['expr']);
  }
  for (const chain of chains.values()) {
    chain.effective = jsonCatchAll(lastRule.get(chain.chain)) ?? chain.policy;
  }
  return [...chains.values()];
}

const TEXT_CATCH_ALL = /^(?:counter(?: packets \d+ bytes \d+)?\s+)?(?:log(?: prefix "[^"]*")?(?: [a-z]+ \S+)*\s+)?(accept|drop|reject)(?: with .*)?$/;

/** `nft list ruleset`; undefined when no `table` block is found. */
export function parseNftText(text: string): InputChain[] | undefined {
  const chains: InputChain[] = [];
  let depth = 0;
  let table: string | undefined;
  let tableDepth = -1;
  let chain: { name: string; depth: number; hook?: string; type?: string; policy?: Verdict; rules: number; last?: string } | undefined;
  let sawTable = false;

  const finishChain = (): void => {
    if (chain && table && chain.hook === 'input' && chain.type === 'filter' && IPV4_FAMILIES.has(table.split(' ')[0] as string)) {
      const policy = chain.policy ?? 'accept';
      const catchAll = chain.last ? verdictOf(TEXT_CATCH_ALL.exec(chain.last)?.[1]) : undefined;
      chains.push({ chain: `${table} ${chain.name}`, policy, effective: catchAll ?? policy, rules: chain.rules });
    }
    chain = undefined;
  };

  for (const raw of lines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const unquoted = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const opens = (unquoted.match(/\{/g) ?? []).length;
    const closes = (unquoted.match(/\}/g) ?? []).length;

    const tableMatch = /^table (\w+) (\S+) \{$/.exec(line);
    if (tableMatch) {
      finishChain();
      table = `${tableMatch[1] as string} ${tableMatch[2] as string}`;
      tableDepth = depth;
      sawTable = true;
      depth += 1;
      continue;
    }
    const chainMatch = /^chain (\S+) \{$/.exec(line);
    if (chainMatch && table && depth === tableDepth + 1) {
      chain = { name: chainMatch[1] as string, depth: depth + 1, rules: 0 };
      depth += 1;
      continue;
    }
    if (chain && depth === chain.depth) {
      const hook = /^type (\w+) hook (\w+)\b.*?(?:policy (\w+);)?\s*$/.exec(line);
      if (hook) {
        chain.type = hook[1] as string;
        chain.hook = hook[2] as string;
        chain.policy = verdictOf(hook[3]) ?? 'accept';
      } else if (line !== '}' && !/^(comment|devices)\s/.test(line)) {
        chain.rules++;
        chain.last = line;
      }
    }
    depth += opens - closes;
    if (chain && depth < chain.depth) finishChain();
    if (table && depth <= tableDepth) {
      table = undefined;
      tableDepth = -1;
    }
    if (depth < 0) depth = 0;
  }
  finishChain();
  return sawTable ? chains : text.trim() === '' ? [] : undefined;
}

/** JSON when the output is JSON, the text form otherwise. An empty ruleset is `[]`. */
export function parseNftRuleset(text: string): InputChain[] | undefined {
  if (text.trim() === '') return [];
  return text.trimStart().startsWith('{') ? (parseNftJson(text) ?? parseNftText(text)) : parseNftText(text);
}

export interface IptablesInput {
  /** From `iptables -V`: `nf_tables` rules are also in the nft ruleset; `legacy` ones are not. */
  backend: 'nf_tables' | 'legacy' | 'unknown';
  input?: InputChain;
}

const IPT_CATCH_ALL = /^-A INPUT(?: -m comment --comment (?:"[^"]*"|\S+))? -j (ACCEPT|DROP|REJECT)(?: --reject-with \S+)?$/;

/** `version iptables v1.8.9 (nf_tables)` then `iptables -S`. */
export function parseIptables(text: string): IptablesInput {
  let backend: IptablesInput['backend'] = 'unknown';
  let policy: Verdict | undefined;
  let rules = 0;
  let last: string | undefined;
  for (const line of lines(text)) {
    const version = /^version iptables v([\d.]+)(?: \((\w+)\))?/.exec(line);
    if (version) {
      backend = version[2] === 'nf_tables' ? 'nf_tables' : version[2] === 'legacy' || version[2] === undefined ? 'legacy' : 'unknown';
      continue;
    }
    const p = /^-P INPUT (\w+)$/.exec(line.trim());
    if (p) {
      policy = verdictOf(p[1]) ?? policy;
      continue;
    }
    if (line.startsWith('-A INPUT ')) {
      rules++;
      last = line.trim();
    }
  }
  if (policy === undefined) return { backend };
  const catchAll = last ? verdictOf(IPT_CATCH_ALL.exec(last)?.[1]) : undefined;
  return { backend, input: { chain: 'iptables INPUT', policy, effective: catchAll ?? policy, rules } };
}

export interface FirewallSummary {
  backend: 'nftables' | 'iptables' | 'none';
  inputPolicy: Verdict;
  inputRules: number;
}

/**
 * Every input base chain must let a packet through, so the strictest effective
 * default wins. iptables rules count separately only when they live outside
 * nftables (legacy), or when nft itself could not be asked.
 */
export function summariseFirewall(nft: InputChain[] | undefined, iptables: IptablesInput | undefined): FirewallSummary {
  const layers: InputChain[] = [...(nft ?? [])];
  const nftLayers = layers.length;
  const ipt = iptables?.input;
  if (ipt && (iptables?.backend !== 'nf_tables' || nft === undefined)) {
    if (ipt.rules > 0 || ipt.effective !== 'accept') layers.push(ipt);
  }
  if (layers.length === 0) return { backend: 'none', inputPolicy: 'accept', inputRules: 0 };
  const effective = layers.map((l) => l.effective);
  const inputPolicy: Verdict = effective.includes('drop') ? 'drop' : effective.includes('reject') ? 'reject' : 'accept';
  return {
    backend: nftLayers > 0 ? 'nftables' : 'iptables',
    inputPolicy,
    inputRules: layers.reduce((sum, l) => sum + l.rules, 0),
  };
}
