// Merging Compose models (compose-spec 13-merge.md): mappings merged key by
// key, sequences appended, command/entrypoint/healthcheck.test replaced,
// ports/volumes/secrets/configs/devices (and other sets) merged by their
// unique key, `!reset` removing and `!override` replacing. Works on the
// canonical long syntax, keeping the position of the winning value.

import { getPos, isRecord, OverrideTag, put, ResetTag, setPos, copyPositions, tagsParsed } from './yaml.js';

type Obj = Record<string, unknown>;
type KeyFn = (item: unknown) => string;

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

const byValue: KeyFn = (v) => {
  const s = str(v);
  const eq = s.indexOf('=');
  return eq >= 0 ? s.slice(0, eq) : s;
};
const byTarget: KeyFn = (v) => (isRecord(v) ? str(v.target) : str(v));
const byMountTarget =
  (dir: string): KeyFn =>
  (v) =>
    isRecord(v) ? (v.target !== undefined ? str(v.target) : `${dir}/${str(v.source)}`) : `${dir}/${str(v)}`;
const byPort: KeyFn = (v) =>
  isRecord(v) ? `${str(v.host_ip ?? '0.0.0.0')}:${str(v.published ?? '')}:${str(v.target)}/${str(v.protocol ?? 'tcp')}` : str(v);
const byPath: KeyFn = (v) => (isRecord(v) ? str(v.path) : str(v));
const exact: KeyFn = (v) => str(v);

/** Sequences with uniqueness (compose-go's EnforceUnicity table), by service key. */
const UNIQUE: Record<string, KeyFn> = {
  cap_add: byValue,
  cap_drop: byValue,
  configs: byMountTarget(''),
  devices: byTarget,
  dns: byValue,
  dns_opt: byValue,
  dns_search: byValue,
  env_file: byPath,
  expose: exact,
  extra_hosts: exact,
  links: byValue,
  ports: byPort,
  profiles: byValue,
  secrets: byMountTarget('/run/secrets'),
  tmpfs: byValue,
  volumes: byTarget,
};

const REPLACED = new Set(['command', 'entrypoint']);

/** Deep copy keeping positions. */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => deepClone(v));
    copyPositions(value, out);
    return out as T;
  }
  if (value instanceof OverrideTag) return new OverrideTag(deepClone(value.value), value.pos) as T;
  if (isRecord(value)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) put(out, k, deepClone(v));
    copyPositions(value, out);
    return out as T;
  }
  return value;
}

/** Removes `!reset`/`!override` tags from a value that has nothing to merge with. */
export function strip(value: unknown): unknown {
  // No tag was ever parsed: nothing to remove (the common case, and a deep walk saved).
  if (tagsParsed === 0) return value;
  if (value instanceof OverrideTag) return strip(value.value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((v, i) => {
      if (v instanceof ResetTag) return;
      out.push(strip(v));
      setPos(out, out.length - 1, getPos(value, i));
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v instanceof ResetTag) delete value[k];
      else value[k] = strip(v);
    }
  }
  return value;
}

function uniqueAppend(base: unknown[], over: unknown[], key: KeyFn): unknown[] {
  const out: unknown[] = [];
  const index = new Map<string, number>();
  const add = (src: unknown[], i: number): void => {
    const item = src[i];
    if (item instanceof ResetTag) return;
    const v = strip(item);
    const k = key(v);
    const at = index.get(k);
    if (at !== undefined) {
      out[at] = v;
      setPos(out, at, getPos(src, i));
    } else {
      index.set(k, out.length);
      setPos(out, out.length, getPos(src, i));
      out.push(v);
    }
  };
  for (let i = 0; i < base.length; i++) add(base, i);
  for (let i = 0; i < over.length; i++) add(over, i);
  return out;
}

function append(base: unknown[], over: unknown[]): unknown[] {
  const out = base.slice();
  copyPositions(base, out);
  over.forEach((v, i) => {
    if (v instanceof ResetTag) return;
    setPos(out, out.length, getPos(over, i));
    out.push(strip(v));
  });
  return out;
}

/**
 * Merges `over` onto `base` at a model path (`services.*.ports` style parts:
 * the service name is replaced by `*`). Returns the merged value; `base` may
 * be reused.
 */
export function mergeValue(base: unknown, over: unknown, path: readonly string[]): unknown {
  if (over instanceof OverrideTag) return strip(over.value);
  if (over === null || over === undefined) return base;
  if (base === undefined || base === null) return strip(over);
  const inService = path[0] === 'services' && path.length >= 2;
  const field = inService ? path.slice(2).join('.') : '';
  if (inService && (REPLACED.has(field) || field === 'healthcheck.test')) return strip(over);
  if (inService && path.length === 3 && field === 'logging' && isRecord(base) && isRecord(over)) {
    if (base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver) return strip(over);
  }
  if (inService && path.length === 4 && path[2] === 'ulimits') return strip(over);
  if (Array.isArray(base) && Array.isArray(over)) {
    const key = inService && path.length === 3 ? UNIQUE[path[2]!] : inService && path.length === 5 && path[2] === 'networks' && path[4] === 'aliases' ? byValue : undefined;
    return key ? uniqueAppend(base, over, key) : append(base, over);
  }
  if (isRecord(base) && isRecord(over)) return mergeMappings(base, over, path);
  return strip(over);
}

export function mergeMappings(base: Obj, over: Obj, path: readonly string[]): Obj {
  for (const [k, v] of Object.entries(over)) {
    if (v instanceof ResetTag) {
      delete base[k];
      continue;
    }
    const had = Object.prototype.hasOwnProperty.call(base, k);
    const prev = had ? base[k] : undefined;
    const merged = mergeValue(prev, v, [...path, path[0] === 'services' && path.length === 1 ? '*' : k]);
    put(base, k, merged);
    // A merged mapping keeps where it was first declared; anything replaced
    // points at the file that replaced it.
    const keepBase = had && isRecord(prev) && isRecord(v) && !(v instanceof OverrideTag) && merged === prev;
    if (!keepBase || getPos(base, k) === undefined) setPos(base, k, getPos(over, k));
  }
  return base;
}

/** Enforces uniqueness inside a single file's sequences (a later duplicate wins). */
export function dedupeService(svc: Obj): void {
  for (const [k, fn] of Object.entries(UNIQUE)) {
    const v = svc[k];
    if (Array.isArray(v)) svc[k] = uniqueAppend([], v, fn);
    else if (v instanceof OverrideTag && Array.isArray(v.value)) svc[k] = new OverrideTag(uniqueAppend([], v.value, fn), v.pos);
  }
}
