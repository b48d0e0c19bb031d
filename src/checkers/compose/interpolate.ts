// Variable interpolation as the Compose Specification (12-interpolation.md)
// defines it: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e},
// ${VAR:+a}, ${VAR+a}, nesting in the default, and $$ for a literal $.
// Applied to values only (never keys), per file, before merging, with the
// typed fields Compose casts (booleans, numbers) cast afterwards.

import { ComposeError } from './errors.js';
import { getPos, OverrideTag, ResetTag } from './yaml.js';

export type Lookup = (name: string) => string | undefined;

export class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(reason ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
  }
}

export class InvalidTemplateError extends Error {}

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;

/** Substitutes variables in one string. */
export function substitute(template: string, lookup: Lookup): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < n && NAME_CHAR.test(template[j]!)) j++;
      out += lookup(template.slice(i + 1, j)) ?? '';
      i = j;
      continue;
    }
    if (next === '{') {
      // Find the matching brace, counting nested ${...}.
      let depth = 0;
      let j = i + 1;
      for (; j < n; j++) {
        const ch = template[j];
        if (ch === '{') depth++;
        else if (ch === '}') {
          depth--;
          if (depth === 0) break;
        }
      }
      if (j >= n) throw new InvalidTemplateError(template);
      out += braced(template.slice(i + 2, j), lookup, template);
      i = j + 1;
      continue;
    }
    // A $ not followed by a name or a brace stays as written.
    out += '$';
    i++;
  }
  return out;
}

function braced(body: string, lookup: Lookup, template: string): string {
  let k = 0;
  if (!body.length || !NAME_START.test(body[0]!)) throw new InvalidTemplateError(template);
  while (k < body.length && NAME_CHAR.test(body[k]!)) k++;
  const name = body.slice(0, k);
  const rest = body.slice(k);
  if (rest === '') return lookup(name) ?? '';
  const colon = rest.startsWith(':');
  const op = colon ? rest[1] : rest[0];
  const arg = rest.slice(colon ? 2 : 1);
  if (op !== '-' && op !== '?' && op !== '+') throw new InvalidTemplateError(template);
  const value = lookup(name);
  const present = value !== undefined && (!colon || value !== '');
  switch (op) {
    case '-':
      return present ? value! : substitute(arg, lookup);
    case '+':
      return present ? substitute(arg, lookup) : (value ?? '');
    default:
      if (!present) throw new MissingVariableError(name, substitute(arg, lookup));
      return value!;
  }
}

type Cast = (v: string) => unknown;

function toBool(v: string): boolean {
  switch (v.toLowerCase()) {
    case 'true':
    case 'y':
    case 'yes':
    case 'on':
      return true;
    case 'false':
    case 'n':
    case 'no':
    case 'off':
      return false;
    default:
      throw new Error("is not a boolean; use true or false");
  }
}

function toInt(v: string): number {
  if (!/^[+-]?\d+$/.test(v.trim())) throw new Error("is not a whole number");
  return Number.parseInt(v, 10);
}

function toFloat(v: string): number {
  const f = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(f)) throw new Error("is not a number");
  return f;
}

/** Paths (with * for any key or index) whose string values Compose casts after interpolation. */
const CASTS: [string[], Cast][] = (
  [
    ['services.*.cpu_count', toInt],
    ['services.*.cpu_percent', toFloat],
    ['services.*.cpu_period', toInt],
    ['services.*.cpu_quota', toInt],
    ['services.*.cpu_rt_period', toInt],
    ['services.*.cpu_rt_runtime', toInt],
    ['services.*.cpus', toFloat],
    ['services.*.cpu_shares', toInt],
    ['services.*.init', toBool],
    ['services.*.depends_on.*.required', toBool],
    ['services.*.depends_on.*.restart', toBool],
    ['services.*.deploy.replicas', toInt],
    ['services.*.deploy.update_config.parallelism', toInt],
    ['services.*.deploy.update_config.max_failure_ratio', toFloat],
    ['services.*.deploy.rollback_config.parallelism', toInt],
    ['services.*.deploy.rollback_config.max_failure_ratio', toFloat],
    ['services.*.deploy.restart_policy.max_attempts', toInt],
    ['services.*.deploy.placement.max_replicas_per_node', toInt],
    ['services.*.healthcheck.retries', toInt],
    ['services.*.healthcheck.disable', toBool],
    ['services.*.oom_kill_disable', toBool],
    ['services.*.oom_score_adj', toInt],
    ['services.*.pids_limit', toInt],
    ['services.*.ports.*.target', toInt],
    ['services.*.privileged', toBool],
    ['services.*.read_only', toBool],
    ['services.*.scale', toInt],
    ['services.*.stdin_open', toBool],
    ['services.*.tty', toBool],
    ['services.*.ulimits.*', toInt],
    ['services.*.ulimits.*.hard', toInt],
    ['services.*.ulimits.*.soft', toInt],
    ['services.*.volumes.*.read_only', toBool],
    ['services.*.volumes.*.volume.nocopy', toBool],
    ['networks.*.external', toBool],
    ['networks.*.internal', toBool],
    ['networks.*.attachable', toBool],
    ['networks.*.enable_ipv4', toBool],
    ['networks.*.enable_ipv6', toBool],
    ['volumes.*.external', toBool],
    ['secrets.*.external', toBool],
    ['configs.*.external', toBool],
  ] as [string, Cast][]
).map(([p, c]) => [p.split('.'), c]);

const CAST_LAST = new Set(CASTS.map(([p]) => p[p.length - 1]!));

function castFor(path: string[]): Cast | undefined {
  const last = path[path.length - 1];
  if (last === undefined || (!CAST_LAST.has(last) && !(path.length === 4 && path[2] === 'ulimits'))) return undefined;
  for (const [pattern, cast] of CASTS) {
    if (pattern.length !== path.length) continue;
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      if (pattern[i] !== '*' && pattern[i] !== path[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return cast;
  }
  return undefined;
}

/**
 * Interpolates every string value of a parsed file in place. Errors name the
 * file, line and field, and the variable, never a value.
 */
export function interpolateTree(root: Record<string, unknown>, lookup: Lookup, file: string): void {
  const path: string[] = [];
  const visit = (c: Record<string | number, unknown>, key: string | number, container: object): void => {
    const v = c[key];
    if (typeof v === 'string') {
      if (v.includes('$') || castFor(path)) c[key] = one(v, container, key);
    } else if (v instanceof OverrideTag) {
      const inner = v.value;
      if (typeof inner === 'string') c[key] = new OverrideTag(one(inner, container, key), v.pos);
      else if (inner && typeof inner === 'object') walk(inner as Record<string, unknown>);
    } else if (v !== null && typeof v === 'object' && !(v instanceof ResetTag)) {
      walk(v as Record<string, unknown>);
    }
  };
  const walk = (container: Record<string, unknown> | unknown[]): void => {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        path.push(String(i));
        visit(container as unknown as Record<number, unknown>, i, container);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(container)) {
      path.push(key);
      visit(container, key, container);
      path.pop();
    }
  };
  const one = (v: string, container: object, key: string | number): unknown => {
    const where = (): { file: string; line?: number; column?: number; field: string } => {
      const pos = getPos(container, key);
      return { file, line: pos?.line, column: pos?.column, field: path.join('.') };
    };
    let s: string;
    try {
      s = substitute(v, lookup);
    } catch (err) {
      if (err instanceof MissingVariableError) {
        const reason = err.reason ? `: ${err.reason}` : '';
        throw new ComposeError(`required variable ${err.variable} is missing a value${reason}; set ${err.variable} in the environment or the .env file`, where(), { cause: err });
      }
      throw new ComposeError('invalid interpolation format; a literal $ must be written $$', where(), { cause: err });
    }
    const cast = castFor(path);
    if (!cast) return s;
    try {
      return cast(s);
    } catch (err) {
      throw new ComposeError(`${(err as Error).message}`, where(), { cause: err });
    }
  };
  walk(root);
}
