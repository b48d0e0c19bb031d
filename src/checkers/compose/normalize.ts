// Short syntax -> the canonical long syntax `docker compose config` prints
// (compose-spec 05-services.md: ports, volumes, devices, environment,
// labels, sysctls, tmpfs, healthcheck, ulimits, depends_on, networks...), and
// relative paths made absolute against the file's base directory.

import { homedir } from 'node:os';
import { isAbsolute, posix, resolve as resolvePath } from 'node:path';
import { ComposeError } from './errors.js';
import { copyPositions, getPos, isRecord, OverrideTag, put, ResetTag, setPos } from './yaml.js';
import type { SourcePosition } from './types.js';

export interface NormalizeContext {
  file: string;
  /** Directory relative paths are resolved against. */
  baseDir: string;
  home: string | undefined;
}

type Obj = Record<string, unknown>;

/** Gives every key of a value built from one short-syntax item the item's position. */
function stamp(value: unknown, pos: SourcePosition | undefined): unknown {
  if (!pos) return value;
  if (Array.isArray(value)) value.forEach((v, i) => {
    setPos(value, i, pos);
    stamp(v, pos);
  });
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) {
    setPos(value, k, pos);
    stamp(v, pos);
  }
  return value;
}

function fail(ctx: NormalizeContext, msg: string, container: object, key: string | number, field: string): never {
  const pos = getPos(container, key);
  throw new ComposeError(msg, { file: ctx.file, line: pos?.line, column: pos?.column, field });
}

const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** "512m" -> bytes, as Compose's units.RAMInBytes. Numbers stay numbers. */
export function toBytes(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([kmgt]?b?)?\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase() || 'b';
  const mult = UNITS[unit];
  if (mult === undefined) return undefined;
  return Math.floor(Number(m[1]) * mult);
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
}

/** Turns `["K=V", "K"]` or `{K: V}` into `{K: "V" | null}`. */
function toMap(value: unknown, nullable: boolean): Obj | unknown {
  if (Array.isArray(value)) {
    const out: Obj = {};
    value.forEach((item, i) => {
      const s = str(item);
      const eq = s.indexOf('=');
      const k = eq >= 0 ? s.slice(0, eq) : s;
      put(out, k, eq >= 0 ? s.slice(eq + 1) : nullable ? null : '');
      setPos(out, k, getPos(value, i));
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v instanceof ResetTag || v instanceof OverrideTag) continue;
      value[k] = v === null ? (nullable ? null : '') : str(v);
    }
  }
  return value;
}

function toList(value: unknown, container: object, key: string): unknown {
  if (typeof value === 'string') {
    const out = [value];
    setPos(out, 0, getPos(container, key));
    return out;
  }
  return value;
}

function absPath(ctx: NormalizeContext, p: string): string {
  if (p.startsWith('~')) {
    const home = ctx.home ?? homedir();
    if (p === '~' || p.startsWith('~/')) return resolvePath(home, `.${p.slice(1)}`);
  }
  return isAbsolute(p) ? p : resolvePath(ctx.baseDir, p);
}

function isRemoteContext(p: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|github\.com\/|ssh:\/\/)/.test(p) || /\.git(#|$)/.test(p) || p.startsWith('docker-image://') || p.startsWith('service:') || p.startsWith('oci-layout://');
}

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

/** Parses the volume short syntax as compose-go's format.ParseVolume. */
export function parseVolume(spec: string): Obj {
  const vol: Obj = {};
  if (spec.length === 0) throw new Error('invalid empty volume spec');
  if (spec.length <= 2) return { type: 'volume', target: spec, volume: {} };
  const parts: string[] = [];
  let buf = '';
  let inVar = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === '$' && spec[i + 1] === '{') {
      inVar++;
      buf += c;
      continue;
    }
    if (c === '}' && inVar > 0) {
      inVar--;
      buf += c;
      continue;
    }
    if (c === ':' && buf.length === 1 && /[a-zA-Z]/.test(buf) && parts.length === 0) {
      buf += c; // Windows drive letter
      continue;
    }
    if (c === ':' && inVar === 0) {
      parts.push(buf);
      buf = '';
      continue;
    }
    buf += c;
  }
  parts.push(buf);
  if (parts.some((p) => p === '')) throw new Error('empty section between colons');
  if (parts.length > 3) throw new Error('too many colons');
  let mode: string | undefined;
  if (parts.length === 1) vol.target = parts[0];
  else {
    vol.source = parts[0];
    vol.target = parts[1];
    mode = parts[2];
  }
  const source = typeof vol.source === 'string' ? vol.source : '';
  const isBind = /^[./~]/.test(source) || source.startsWith('\\\\') || /^[a-zA-Z]:/.test(source);
  const out: Obj = { type: isBind ? 'bind' : 'volume' };
  if (vol.source !== undefined) out.source = vol.source;
  out.target = vol.target;
  const bind: Obj = {};
  const volume: Obj = {};
  for (const opt of mode ? mode.split(',') : []) {
    if (opt === 'ro') out.read_only = true;
    else if (opt === 'rw') delete out.read_only;
    else if (opt === 'nocopy') volume.nocopy = true;
    else if (PROPAGATIONS.has(opt)) bind.propagation = opt;
    else if (opt === 'z' || opt === 'Z') bind.selinux = opt;
  }
  if (isBind) {
    bind.create_host_path = true;
    out.bind = bind;
  } else {
    // Bind options on a named volume are dropped, as Compose does.
    out.volume = volume;
  }
  return out;
}

/** Parses one port short-syntax item into one or more long-syntax ports (ranges expand). */
export function parsePort(spec: string | number): Obj[] {
  if (typeof spec === 'number') return [{ mode: 'ingress', target: spec, protocol: 'tcp' }];
  let rest = spec.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  let published: string | undefined;
  let target: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error(`invalid IPv6 address in ${spec}`);
    hostIp = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (!after.startsWith(':')) throw new Error(`invalid port ${spec}`);
    const p = after.slice(1).split(':');
    if (p.length !== 2) throw new Error(`invalid port ${spec}`);
    published = p[0];
    target = p[1]!;
  } else {
    const p = rest.split(':');
    if (p.length === 1) target = p[0]!;
    else if (p.length === 2) {
      published = p[0];
      target = p[1]!;
    } else if (p.length === 3) {
      hostIp = p[0];
      published = p[1];
      target = p[2]!;
    } else {
      // Unbracketed IPv6: the last two parts are published and target.
      target = p.pop()!;
      published = p.pop();
      hostIp = p.join(':');
    }
  }
  if (published === '') published = undefined;
  if (hostIp === '') hostIp = undefined;
  const range = (r: string): [number, number] => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(r);
    if (!m) throw new Error(`invalid port ${JSON.stringify(r)} in ${spec}`);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || a > 65535 || b > 65535) throw new Error(`invalid port range ${r} in ${spec}`);
    return [a, b];
  };
  const [t0, t1] = range(target);
  const pub = published !== undefined ? range(published) : undefined;
  const base = (t: number, p?: string): Obj => {
    const o: Obj = { mode: 'ingress' };
    if (hostIp !== undefined) o.host_ip = hostIp;
    o.target = t;
    if (p !== undefined) o.published = p;
    o.protocol = protocol;
    return o;
  };
  const n = t1 - t0 + 1;
  if (!pub) return Array.from({ length: n }, (_, i) => base(t0 + i));
  const pn = pub[1] - pub[0] + 1;
  if (n === 1) return [base(t0, pub[0] === pub[1] ? String(pub[0]) : `${pub[0]}-${pub[1]}`)];
  if (pn !== n) throw new Error(`invalid ranges in ${spec}: the host range and the container range differ in size`);
  return Array.from({ length: n }, (_, i) => base(t0 + i, String(pub[0] + i)));
}

function normalizePorts(ctx: NormalizeContext, list: unknown[], field: string): unknown[] {
  const out: unknown[] = [];
  list.forEach((item, i) => {
    const pos = getPos(list, i);
    if (isRecord(item)) {
      const o: Obj = { mode: 'ingress' };
      copyPositions(item, o);
      setPos(o, 'mode', pos);
      for (const [k, v] of Object.entries(item)) o[k] = v;
      if (o.mode === undefined || o.mode === null) o.mode = 'ingress';
      if (o.protocol === undefined) {
        o.protocol = 'tcp';
        setPos(o, 'protocol', pos);
      }
      if (typeof o.target === 'string' && /^\d+$/.test(o.target)) o.target = Number(o.target);
      if (typeof o.published === 'number') o.published = String(o.published);
      out.push(o);
      setPos(out, out.length - 1, pos);
      return;
    }
    let ports: Obj[];
    try {
      ports = parsePort(item as string | number);
    } catch (err) {
      fail(ctx, `${(err as Error).message}; write ports as [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, list, i, `${field}.${i}`);
    }
    for (const p of ports) {
      out.push(stamp(p, pos));
      setPos(out, out.length - 1, pos);
    }
  });
  return out;
}

function normalizeVolumes(ctx: NormalizeContext, list: unknown[], field: string): unknown[] {
  return mapItems(list, (item, i) => {
    let v: Obj;
    if (typeof item === 'string') {
      try {
        v = stamp(parseVolume(item), getPos(list, i)) as Obj;
      } catch (err) {
        fail(ctx, `${(err as Error).message}; write volumes as [SOURCE:]TARGET[:MODE]`, list, i, `${field}.${i}`);
      }
    } else if (isRecord(item)) {
      v = item;
      if (v.type === 'bind') {
        const b = isRecord(v.bind) ? v.bind : (v.bind = {});
        if (b.create_host_path === undefined) b.create_host_path = true;
      }
    } else return item;
    if (v.type === 'bind' && typeof v.source === 'string') v.source = absPath(ctx, v.source);
    if (typeof v.target === 'string' && v.target !== '') v.target = posix.normalize(v.target).replace(/(.)\/$/, '$1');
    if (isRecord(v.tmpfs) && v.tmpfs.size !== undefined) v.tmpfs.size = toBytes(v.tmpfs.size) ?? v.tmpfs.size;
    return v;
  });
}

function mapItems(list: unknown[], fn: (item: unknown, i: number) => unknown): unknown[] {
  list.forEach((item, i) => {
    list[i] = fn(item, i);
  });
  return list;
}

function normalizeDevices(list: unknown[]): unknown[] {
  return mapItems(list, (item, i) => {
    if (typeof item !== 'string') {
      if (isRecord(item) && item.permissions === undefined) item.permissions = 'rwm';
      return item;
    }
    const parts = item.split(':');
    let source = parts[0]!;
    let target = source;
    let permissions = 'rwm';
    if (parts.length === 2) {
      if (/^[rwm]+$/.test(parts[1]!)) permissions = parts[1]!;
      else target = parts[1]!;
    } else if (parts.length >= 3) {
      target = parts[1]!;
      permissions = parts[2]!;
    }
    if (source === '') source = target;
    return stamp({ source, target, permissions }, getPos(list, i));
  });
}

function normalizeMounts(list: unknown[]): unknown[] {
  return mapItems(list, (item, i) => (typeof item === 'string' ? stamp({ source: item }, getPos(list, i)) : item));
}

function normalizeDependsOn(value: unknown): unknown {
  const def = (): Obj => ({ condition: 'service_started', required: true });
  if (Array.isArray(value)) {
    const out: Obj = {};
    value.forEach((s, i) => {
      put(out, str(s), stamp(def(), getPos(value, i)));
      setPos(out, str(s), getPos(value, i));
    });
    return out;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!isRecord(v)) continue;
      if (v.condition === undefined) v.condition = 'service_started';
      if (v.required === undefined) v.required = true;
    }
  }
  return value;
}

function normalizeNetworks(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Obj = {};
  value.forEach((s, i) => {
    put(out, str(s), null);
    setPos(out, str(s), getPos(value, i));
  });
  return out;
}

function normalizeEnvFile(ctx: NormalizeContext, value: unknown, svc: Obj): unknown {
  const list = toList(value, svc, 'env_file');
  if (!Array.isArray(list)) return list;
  return mapItems(list, (item, i) => {
    const o: Obj = typeof item === 'string' ? (stamp({ path: item, required: true }, getPos(list, i)) as Obj) : (item as Obj);
    if (isRecord(o)) {
      if (typeof o.path === 'string') o.path = absPath(ctx, o.path);
      if (o.required === undefined) o.required = true;
    }
    return o;
  });
}

function normalizeHealthcheck(hc: Obj): void {
  const t = hc.test;
  if (typeof t === 'string') {
    hc.test = ['CMD-SHELL', t];
    setPos(hc.test as object, 0, getPos(hc, 'test'));
    setPos(hc.test as object, 1, getPos(hc, 'test'));
  }
  if (Array.isArray(hc.test) && hc.test[0] === 'NONE') hc.disable = true;
}

function normalizeBuild(ctx: NormalizeContext, svc: Obj): void {
  if (typeof svc.build === 'string') {
    svc.build = stamp({ context: svc.build }, getPos(svc, 'build'));
  }
  const b = svc.build;
  if (!isRecord(b)) return;
  if (typeof b.context === 'string' && !isRemoteContext(b.context)) b.context = absPath(ctx, b.context);
  if (b.args !== undefined) b.args = toMap(b.args, true);
  if (b.labels !== undefined) b.labels = toMap(b.labels, false);
  if (isRecord(b.additional_contexts)) {
    for (const [k, v] of Object.entries(b.additional_contexts)) {
      if (typeof v === 'string' && !isRemoteContext(v)) b.additional_contexts[k] = absPath(ctx, v);
    }
  } else if (b.additional_contexts !== undefined) b.additional_contexts = toMap(b.additional_contexts, false);
}

const STRING_OR_LIST = ['dns', 'dns_search', 'tmpfs', 'label_file'] as const;

/** Normalises one service in place (positions of written keys are kept). */
export function normalizeService(ctx: NormalizeContext, name: string, svc: Obj): Obj {
  const field = `services.${name}`;
  const each = (key: string, fn: (v: unknown) => unknown): void => {
    const v = svc[key];
    if (v === undefined || v instanceof ResetTag) return;
    if (v instanceof OverrideTag) {
      svc[key] = new OverrideTag(fn(v.value), v.pos);
      return;
    }
    svc[key] = fn(v);
  };
  for (const key of STRING_OR_LIST) each(key, (v) => toList(v, svc, key));
  each('ports', (v) => (Array.isArray(v) ? normalizePorts(ctx, v, `${field}.ports`) : v));
  each('volumes', (v) => (Array.isArray(v) ? normalizeVolumes(ctx, v, `${field}.volumes`) : v));
  each('devices', (v) => (Array.isArray(v) ? normalizeDevices(v) : v));
  each('secrets', (v) => (Array.isArray(v) ? normalizeMounts(v) : v));
  each('configs', (v) => (Array.isArray(v) ? normalizeMounts(v) : v));
  each('environment', (v) => toMap(v, true));
  each('labels', (v) => toMap(v, false));
  each('annotations', (v) => toMap(v, false));
  each('sysctls', (v) => toMap(v, false));
  each('depends_on', normalizeDependsOn);
  each('networks', normalizeNetworks);
  each('env_file', (v) => normalizeEnvFile(ctx, v, svc));
  each('expose', (v) => (Array.isArray(v) ? v.map((e) => str(e)) : v));
  each('extra_hosts', (v) => {
    if (!isRecord(v)) return v;
    const out: unknown[] = [];
    for (const [k, ip] of Object.entries(v)) {
      for (const one of Array.isArray(ip) ? ip : [ip]) {
        out.push(`${k}=${str(one)}`);
        setPos(out, out.length - 1, getPos(v, k));
      }
    }
    return out;
  });
  each('ulimits', (v) => {
    if (!isRecord(v)) return v;
    for (const [k, u] of Object.entries(v)) {
      if (typeof u === 'number') v[k] = stamp({ soft: u, hard: u }, getPos(v, k));
    }
    return v;
  });
  each('healthcheck', (v) => {
    if (isRecord(v)) normalizeHealthcheck(v);
    return v;
  });
  each('extends', (v) => {
    const o = typeof v === 'string' ? (stamp({ service: v }, getPos(svc, 'extends')) as Obj) : v;
    if (isRecord(o) && typeof o.file === 'string') o.file = absPath(ctx, o.file);
    return o;
  });
  if (svc.build !== undefined && !(svc.build instanceof ResetTag)) {
    if (svc.build instanceof OverrideTag) {
      const inner: Obj = { build: svc.build.value };
      copyPositions(svc, inner);
      normalizeBuild(ctx, inner);
      svc.build = new OverrideTag(inner.build, svc.build.pos);
    } else normalizeBuild(ctx, svc);
  }
  for (const key of ['mem_limit', 'memswap_limit', 'mem_reservation', 'shm_size']) {
    each(key, (v) => toBytes(v) ?? v);
  }
  each('cpus', (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
  each('deploy', (v) => {
    if (!isRecord(v)) return v;
    const r = v.resources;
    if (isRecord(r)) {
      for (const set of [r.limits, r.reservations]) {
        if (!isRecord(set)) continue;
        if (set.memory !== undefined) set.memory = toBytes(set.memory) ?? set.memory;
        if (typeof set.cpus === 'string' && Number.isFinite(Number(set.cpus))) set.cpus = Number(set.cpus);
      }
    }
    if (v.labels !== undefined) v.labels = toMap(v.labels, false);
    return v;
  });
  each('logging', (v) => {
    if (isRecord(v) && isRecord(v.options)) toMap(v.options, true);
    return v;
  });
  return svc;
}

/** Top-level volumes/networks/secrets/configs: null entries become {}, paths absolute. */
export function normalizeTopLevel(ctx: NormalizeContext, model: Obj): void {
  for (const section of ['volumes', 'networks', 'secrets', 'configs']) {
    const m = model[section];
    if (!isRecord(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      if (v === null) {
        m[k] = {};
        continue;
      }
      if (!isRecord(v)) continue;
      if ((section === 'secrets' || section === 'configs') && typeof v.file === 'string') v.file = absPath(ctx, v.file);
      if (v.labels !== undefined) v.labels = toMap(v.labels, false);
      if (section === 'volumes' && v.driver === 'local' && isRecord(v.driver_opts) && v.driver_opts.o === 'bind' && typeof v.driver_opts.device === 'string') {
        v.driver_opts.device = absPath(ctx, v.driver_opts.device);
      }
    }
  }
}
