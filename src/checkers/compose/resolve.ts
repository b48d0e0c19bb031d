// Entry point of the Compose resolver: files -> the project model that
// `docker compose config` prints, with the position of every winning value.
// Order per file, as compose-go loads it: parse, interpolate, validate,
// normalise to long syntax, include, extends, then merge onto earlier files.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { isInside, realPath } from '../../lib/confine.js';
import { checkConsistency } from './consistency.js';
import { parseEnvFile } from './envfile.js';
import { ComposeError } from './errors.js';
import { interpolateTree, type Lookup } from './interpolate.js';
import { deepClone, dedupeService, mergeMappings, strip } from './merge.js';
import { normalizeService, normalizeTopLevel, type NormalizeContext } from './normalize.js';
import { validateComposeFile } from './schema.js';
import type { ResolvedProject, ResolvedService, ResolveLimits, ResolveOptions, SourcePosition } from './types.js';
import { DEFAULT_LIMITS, getPos, isRecord, parseComposeYaml, put, readRegularFile, setPos } from './yaml.js';

export { ComposeError } from './errors.js';
export type * from './types.js';

type Obj = Record<string, unknown>;

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_FILES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

interface Session {
  limits: ResolveLimits;
  filesRead: string[];
  home: string | undefined;
  /** Parsed, interpolated, normalised files loaded for `extends`, by real path. */
  extendsCache: Map<string, Obj>;
  /**
   * Folders a file named by another file (`extends.file`, `include`,
   * `env_file`) must resolve into, `..` and symlinks followed: the current
   * folder and those of the files given. A Compose file in a pull request
   * cannot make palisade read the rest of the machine.
   */
  roots: string[];
}

interface Scope {
  /** Interpolation lookup of this (sub-)project. */
  lookup: Lookup;
  /** Base directory for relative paths in this (sub-)project's files. */
  baseDir: string;
  /** Real paths of the files including this one (include cycle detection). */
  includeStack: string[];
}

function read(s: Session, path: string, what: string, from?: { file: string; line?: number; column?: number; field?: string }): { path: string; text: string } {
  if (s.filesRead.length >= s.limits.maxFiles) {
    throw new ComposeError(`more than ${s.limits.maxFiles} files would be read; check include/extends`, from ?? { file: path });
  }
  if (from !== undefined && !s.roots.some((root) => isInside(root, path))) {
    throw new ComposeError(
      `${what} ${path} is outside the project: a file named in a Compose file must be inside the current folder or the folder of a Compose file given (${s.roots.join(', ')})`,
      from,
    );
  }
  const f = readRegularFile(path, s.limits, what, from);
  s.filesRead.push(f.path);
  return f;
}

function whereOf(file: string, container: object, key: string | number, field: string): { file: string; line?: number; column?: number; field: string } {
  const p = getPos(container, key);
  return { file, line: p?.line, column: p?.column, field };
}

/** Reads one Compose file into a merged (multi-document) normalised model. */
function loadFile(s: Session, scope: Scope, path: string, opts: { include: boolean; extends: boolean; from?: { file: string; line?: number; column?: number; field?: string } }): { model: Obj; file: string } {
  const f = read(s, path, 'Compose file', opts.from);
  const file = f.path;
  const parsed = parseComposeYaml(file, f.text, s.limits);
  // The first document is the file's model as written (tags kept, so that
  // `!reset`/`!override` act on earlier -f files); later documents merge onto it.
  let model: Obj | undefined;
  parsed.documents.forEach((doc, di) => {
    if (doc === null) return;
    if (!isRecord(doc)) {
      const r = parsed.roots[di];
      throw new ComposeError('the top level of a Compose file must be a mapping (services:, networks:, ...)', { file, line: r?.line, column: r?.column });
    }
    interpolateTree(doc, scope.lookup, file);
    validateComposeFile(file, doc, parsed.tagged);
    const ctx: NormalizeContext = { file, baseDir: scope.baseDir, home: s.home };
    const services = isRecord(doc.services) ? doc.services : undefined;
    if (services) {
      for (const [name, svc] of Object.entries(services)) {
        if (svc === null) {
          services[name] = {};
          continue;
        }
        if (isRecord(svc)) {
          normalizeService(ctx, name, svc);
          dedupeService(svc);
        }
      }
    }
    normalizeTopLevel(ctx, doc);
    if (opts.include && Array.isArray(doc.include)) applyInclude(s, scope, file, doc);
    delete doc.include;
    if (opts.extends && isRecord(doc.services)) applyExtends(s, scope, file, doc.services);
    model = model ? mergeMappings(model, doc, []) : doc;
  });
  return { model: model ?? {}, file };
}

// ---- include (compose-spec 14-include.md) ----

function applyInclude(s: Session, scope: Scope, file: string, doc: Obj): void {
  const list = doc.include as unknown[];
  list.forEach((entry, i) => {
    const field = `include.${i}`;
    const e: Obj = typeof entry === 'string' ? { path: entry } : (entry as Obj);
    const paths = (Array.isArray(e.path) ? e.path : [e.path]).map(String);
    const at = whereOf(file, list, i, field);
    const abs = paths.map((p) => resolvePath(scope.baseDir, p));
    const first = abs[0]!;
    const projectDir = typeof e.project_directory === 'string' ? resolvePath(scope.baseDir, e.project_directory) : dirname(first);
    // Include env: the including project's lookup wins over the included .env.
    let envFiles: string[];
    if (e.env_file === undefined) {
      const dflt = resolvePath(projectDir, '.env');
      envFiles = existsSync(dflt) && statSync(dflt).isFile() ? [dflt] : [];
    } else {
      envFiles = (Array.isArray(e.env_file) ? e.env_file : [e.env_file]).map((p) => resolvePath(scope.baseDir, String(p))).filter((p) => p !== '/dev/null');
    }
    const fileEnv = readEnvFiles(s, envFiles, scope.lookup, at);
    const lookup: Lookup = (k) => scope.lookup(k) ?? fileEnv.get(k);
    const sub: Scope = { lookup, baseDir: projectDir, includeStack: scope.includeStack };
    const imported: Obj = {};
    abs.forEach((p, j) => {
      let real: string;
      try {
        real = readRegularFile(p, s.limits, 'included file', at).path;
      } catch (err) {
        throw err;
      }
      if (j === 0 && sub.includeStack.includes(real)) {
        const chain = [...sub.includeStack, real].join(' -> ');
        throw new ComposeError(`include cycle: ${chain}; remove one of the includes`, at);
      }
      const { model } = loadFile(s, { ...sub, includeStack: [...sub.includeStack, real] }, p, { include: true, extends: true, from: at });
      mergeMappings(imported, model, []);
      for (const k of Object.keys(model)) if (!getPos(imported, k)) setPos(imported, k, getPos(model, k));
    });
    for (const section of ['services', 'volumes', 'networks', 'secrets', 'configs', 'models']) {
      const from = imported[section];
      if (!isRecord(from)) continue;
      let to = doc[section];
      if (!isRecord(to)) {
        to = {};
        doc[section] = to;
        setPos(doc, section, getPos(imported, section) ?? getPos(list, i));
      }
      const target = to as Obj;
      for (const [name, def] of Object.entries(from)) {
        if (!Object.prototype.hasOwnProperty.call(target, name)) {
          put(target, name, def);
          setPos(target, name, getPos(from, name));
          continue;
        }
        // compose-go merges a local redefinition onto the imported resource.
        const local = target[name];
        const holder: Obj = { [name]: def };
        setPos(holder, name, getPos(from, name));
        const over: Obj = { [name]: local };
        setPos(over, name, getPos(target, name));
        mergeMappings(holder, over, [section]);
        target[name] = holder[name];
        setPos(target, name, getPos(holder, name));
      }
    }
  });
}

// ---- extends (compose-spec 05-services.md "extends") ----

function loadExtendsFile(s: Session, scope: Scope, path: string, at: { file: string; line?: number; column?: number; field: string }): { services: Obj; file: string } {
  let real: string;
  real = readRegularFile(path, s.limits, 'extended file', at).path;
  let cached = s.extendsCache.get(real);
  if (!cached) {
    const sub: Scope = { lookup: scope.lookup, baseDir: dirname(real), includeStack: scope.includeStack };
    cached = loadFile(s, sub, path, { include: false, extends: false, from: at }).model;
    s.extendsCache.set(real, cached);
  }
  const services = cached.services;
  if (!isRecord(services)) throw new ComposeError(`${real} has no services section to extend`, at);
  return { services, file: real };
}

function applyExtends(s: Session, scope: Scope, file: string, services: Obj): void {
  const done = new Set<string>();
  for (const name of Object.keys(services)) extendOne(s, scope, file, services, name, [], done);
}

function extendOne(s: Session, scope: Scope, file: string, services: Obj, name: string, chain: string[], done: Set<string>): Obj | undefined {
  const svc = services[name];
  if (!isRecord(svc)) return undefined;
  const ext = svc.extends;
  if (!isRecord(ext)) return svc;
  const key = `${file}#${name}`;
  if (done.has(key)) return svc;
  const field = `services.${name}.extends`;
  const at = whereOf(file, svc, 'extends', field);
  if (chain.includes(key)) {
    const names = [...chain, key].map((k) => k.slice(k.lastIndexOf('#') + 1)).join(' -> ');
    throw new ComposeError(`extends cycle: ${names}; remove one of the extends`, at);
  }
  const ref = String(ext.service);
  let baseServices = services;
  let baseFile = file;
  if (typeof ext.file === 'string') {
    const loaded = loadExtendsFile(s, scope, ext.file, at);
    baseServices = loaded.services;
    baseFile = loaded.file;
  }
  if (!Object.prototype.hasOwnProperty.call(baseServices, ref)) {
    const known = Object.keys(baseServices).sort().join(', ') || 'none';
    throw new ComposeError(`service ${JSON.stringify(name)} extends unknown service ${JSON.stringify(ref)}${baseFile !== file ? ` in ${baseFile}` : ''}; services there: ${known}`, { ...at, field: `${field}.service` });
  }
  const base = extendOne(s, { ...scope, baseDir: baseFile === file ? scope.baseDir : dirname(baseFile) }, baseFile, baseServices, ref, [...chain, key], done);
  const merged = mergeMappings(strip(deepClone(base ?? {})) as Obj, svc, ['services', '*']);
  delete merged.extends;
  services[name] = merged;
  done.add(key);
  return merged;
}

// ---- environment ----

function readEnvFiles(s: Session, files: string[], outer: Lookup, from?: { file: string; line?: number; column?: number; field?: string }): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const r = read(s, f, 'env file', from);
    const lookup: Lookup = (k) => outer(k) ?? out.get(k);
    for (const [k, v] of parseEnvFile(r.path, r.text, lookup)) out.set(k, v);
  }
  return out;
}

function findDefaultFiles(cwd: string): string[] {
  let dir = cwd;
  for (;;) {
    const found = DEFAULT_FILES.map((n) => resolvePath(dir, n)).find((p) => existsSync(p));
    if (found) {
      const override = OVERRIDE_FILES.map((n) => resolvePath(dir, n)).find((p) => existsSync(p));
      return override ? [found, override] : [found];
    }
    const parent = dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
}

/** Compose's project-name normalisation: lower case, [a-z0-9_-] only, no leading _ or -. */
export function normalizeProjectName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** Resolves Compose files as `docker compose config` does. Throws ComposeError on bad input. */
export function resolveCompose(opts: ResolveOptions, limitOverrides: Partial<ResolveLimits> = {}): ResolvedProject {
  const limits: ResolveLimits = { ...DEFAULT_LIMITS, ...limitOverrides };
  const env = opts.env;
  const s: Session = { limits, filesRead: [], home: env.HOME, extendsCache: new Map(), roots: [realPath(opts.cwd)] };
  let files = opts.files?.length ? opts.files.map((f) => resolvePath(opts.cwd, f)) : undefined;
  if (!files && env.COMPOSE_FILE) {
    const sep = env.COMPOSE_PATH_SEPARATOR || ':';
    files = env.COMPOSE_FILE.split(sep).filter(Boolean).map((f) => resolvePath(opts.cwd, f));
  }
  files ??= findDefaultFiles(opts.cwd);
  if (!files.length) {
    throw new ComposeError(`no Compose file found (looked for ${DEFAULT_FILES.join(', ')} in ${opts.cwd} and its parents); name one with -f`, { file: opts.cwd });
  }
  const workingDir = opts.projectDirectory ? resolvePath(opts.cwd, opts.projectDirectory) : dirname(files[0]!);
  // The operator named these files and this folder: what they name may come from there.
  s.roots = [...new Set([...s.roots, ...[workingDir, ...files.map((f) => dirname(f))].map(realPath)])];

  // Interpolation environment: the process environment wins over .env / --env-file.
  // The default .env is used when it is a file (a folder named .env is ignored, as Compose does).
  const dotenvPath = resolvePath(workingDir, '.env');
  const envFiles = opts.envFiles?.length ? opts.envFiles.map((f) => resolvePath(opts.cwd, f)) : existsSync(dotenvPath) && statSync(dotenvPath).isFile() ? [dotenvPath] : [];
  const procLookup: Lookup = (k) => (Object.prototype.hasOwnProperty.call(env, k) ? env[k] : undefined);
  const dotenv = readEnvFiles(s, envFiles, procLookup);
  const lookup: Lookup = (k) => procLookup(k) ?? dotenv.get(k);

  const scope: Scope = { lookup, baseDir: workingDir, includeStack: [] };
  const model: Obj = {};
  const realFiles: string[] = [];
  for (const f of files) {
    const { model: m, file } = loadFile(s, { ...scope, includeStack: [] }, f, { include: true, extends: true });
    realFiles.push(file);
    mergeMappings(model, m, []);
    for (const k of Object.keys(m)) if (!getPos(model, k)) setPos(model, k, getPos(m, k));
  }
  strip(model);

  // Project name: --project-name, COMPOSE_PROJECT_NAME, `name:`, folder name.
  let name: string;
  if (opts.projectName !== undefined) {
    name = opts.projectName;
    if (normalizeProjectName(name) !== name || !name) {
      throw new ComposeError(`invalid project name ${JSON.stringify(name)}: use lower-case letters, digits, "-" and "_", starting with a letter or digit`, { file: realFiles[0]! });
    }
  } else {
    const fromEnv = lookup('COMPOSE_PROJECT_NAME');
    const fromFile = typeof model.name === 'string' ? model.name : undefined;
    name = normalizeProjectName(fromEnv || fromFile || basename(workingDir));
    if (!name) throw new ComposeError('the project name is empty after normalisation; set name: or --project-name', { file: realFiles[0]!, field: 'name' });
  }
  model.name = name;

  const services = isRecord(model.services) ? model.services : {};
  finishServices(s, model, services, lookup, workingDir);

  // Profiles (compose-spec 15-profiles.md).
  const profiles = opts.profiles ?? (lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const active = (svc: Obj): boolean => {
    const p = Array.isArray(svc.profiles) ? (svc.profiles as unknown[]).map(String) : [];
    return p.length === 0 || profiles.includes('*') || p.some((x) => profiles.includes(x));
  };
  const all: ResolvedService[] = [];
  const enabled: ResolvedService[] = [];
  const names = Object.keys(services).sort();
  for (const n of names) {
    const raw = services[n] as Obj;
    const view = { ...raw, name: n, raw } as ResolvedService;
    all.push(view);
    if (active(raw)) enabled.push(view);
  }
  const enabledNames = new Set(enabled.map((e) => e.name));
  for (const svc of enabled) {
    for (const [dep, d] of Object.entries(svc.depends_on ?? {})) {
      if (d.required === false) continue;
      if (!Object.prototype.hasOwnProperty.call(services, dep)) {
        const pos = getPos(svc.raw.depends_on as object, dep);
        throw new ComposeError(`service ${JSON.stringify(svc.name)} depends on undefined service ${JSON.stringify(dep)}; define it or remove the dependency`, { file: pos?.file ?? realFiles[0]!, line: pos?.line, column: pos?.column, field: `services.${svc.name}.depends_on.${dep}` });
      }
      if (!enabledNames.has(dep)) {
        const pos = getPos(svc.raw.depends_on as object, dep);
        throw new ComposeError(`service ${JSON.stringify(svc.name)} depends on ${JSON.stringify(dep)}, which no active profile enables; add its profile with --profile or share a profile`, { file: pos?.file ?? realFiles[0]!, line: pos?.line, column: pos?.column, field: `services.${svc.name}.depends_on.${dep}` });
      }
    }
  }

  const section = (k: string): Record<string, Obj> => (isRecord(model[k]) ? (model[k] as Record<string, Obj>) : {});
  const where = (path: string): SourcePosition | undefined => locate(model, path);
  checkConsistency(enabled, new Set(names), { networks: section('networks'), volumes: section('volumes'), secrets: section('secrets'), configs: section('configs') }, where, realFiles[0]!);
  return {
    name,
    workingDir,
    files: files.map((f) => (isAbsolute(f) ? f : resolvePath(opts.cwd, f))),
    filesRead: s.filesRead,
    services: enabled,
    allServices: all,
    networks: section('networks'),
    volumes: section('volumes'),
    secrets: section('secrets'),
    configs: section('configs'),
    profiles,
    locate: where,
  };
}

/** Normalisation after merging (compose-go loader/normalize.go) and env_file resolution. */
function finishServices(s: Session, model: Obj, services: Obj, lookup: Lookup, workingDir: string): void {
  let usesDefault = false;
  for (const [name, v] of Object.entries(services)) {
    const svc = v as Obj;
    if (svc.pull_policy === 'if_not_present') svc.pull_policy = 'missing';
    if (isRecord(svc.build)) {
      if (svc.build.context === undefined) svc.build.context = workingDir;
      if (svc.build.dockerfile === undefined && svc.build.dockerfile_inline === undefined) svc.build.dockerfile = 'Dockerfile';
      if (isRecord(svc.build.args)) for (const [k, a] of Object.entries(svc.build.args)) if (a === null && lookup(k) !== undefined) svc.build.args[k] = lookup(k)!;
    }
    if (svc.network_mode === undefined && svc.provider === undefined) {
      if (!isRecord(svc.networks) || Object.keys(svc.networks).length === 0) {
        svc.networks = { default: null };
        setPos(svc.networks as object, 'default', getPos(services, name));
        usesDefault = true;
      } else if (Object.prototype.hasOwnProperty.call(svc.networks, 'default')) usesDefault = true;
    }
    // Environment: env_file values first, `environment` wins; bare names from the environment.
    const envOut: Obj = {};
    const envPos = (svc.environment && isRecord(svc.environment)) ? svc.environment : undefined;
    if (Array.isArray(svc.env_file)) {
      for (const ef of svc.env_file as Obj[]) {
        const path = String(ef.path);
        const pos = getPos(svc.env_file as object, (svc.env_file as Obj[]).indexOf(ef));
        if (ef.required === false && !existsSync(path)) continue;
        const at = { file: pos?.file ?? path, line: pos?.line, column: pos?.column, field: `services.${name}.env_file` };
        const vars = readEnvFiles(s, [path], lookup, at);
        for (const [k, val] of vars) {
          put(envOut, k, val);
          setPos(envOut, k, pos);
        }
      }
    }
    if (envPos) {
      for (const [k, val] of Object.entries(envPos)) {
        put(envOut, k, val === null ? (lookup(k) ?? null) : val);
        setPos(envOut, k, getPos(envPos, k));
      }
    }
    if (Object.keys(envOut).length || envPos) {
      const hadPos = getPos(svc, 'environment') ?? getPos(svc, 'env_file');
      svc.environment = envOut;
      setPos(svc, 'environment', hadPos);
    }
    // Implicit dependencies (links, service: namespaces, volumes_from), as compose-go adds them.
    const deps: Obj = isRecord(svc.depends_on) ? svc.depends_on : {};
    const implicit = (dep: string, restart: boolean, pos: SourcePosition | undefined): void => {
      if (Object.prototype.hasOwnProperty.call(deps, dep)) return;
      put(deps, dep, { condition: 'service_started', restart, required: true });
      setPos(deps, dep, pos);
    };
    if (Array.isArray(svc.links)) (svc.links as unknown[]).forEach((l, i) => implicit(String(l).split(':')[0]!, true, getPos(svc.links as object, i)));
    for (const ns of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
      const v2 = svc[ns];
      if (typeof v2 === 'string' && v2.startsWith('service:')) implicit(v2.slice(8), true, getPos(svc, ns));
    }
    if (Array.isArray(svc.volumes_from)) {
      (svc.volumes_from as unknown[]).forEach((vf, i) => {
        const sv = String(vf);
        if (!sv.startsWith('container:')) implicit(sv.split(':')[0]!, false, getPos(svc.volumes_from as object, i));
      });
    }
    if (Object.keys(deps).length) {
      if (!svc.depends_on) setPos(svc, 'depends_on', getPos(services, name));
      svc.depends_on = deps;
    }
  }
  // Networks and volumes get their engine names (project_key) unless external or named.
  const nets = isRecord(model.networks) ? model.networks : {};
  if (usesDefault && !Object.prototype.hasOwnProperty.call(nets, 'default')) {
    nets.default = {};
    model.networks = nets;
  }
  for (const sec of ['networks', 'volumes']) {
    const m = model[sec];
    if (!isRecord(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      const def = (isRecord(v) ? v : (m[k] = {})) as Obj;
      if (def.name === undefined) def.name = def.external === true ? k : `${String(model.name)}_${k}`;
    }
  }
}

/**
 * Position of a canonical dotted path. Keys may contain dots (labels,
 * sysctls), so each step takes the longest run of parts that is a key.
 */
function locate(model: Obj, path: string): SourcePosition | undefined {
  const parts = path.split('.');
  let node: unknown = model;
  let best: SourcePosition | undefined;
  let i = 0;
  while (i < parts.length && node && typeof node === 'object') {
    let found = false;
    for (let j = parts.length; j > i; j--) {
      const key = parts.slice(i, j).join('.');
      if (Object.prototype.hasOwnProperty.call(node, key)) {
        const p = getPos(node, key);
        if (p) best = p;
        node = (node as Obj)[key];
        i = j;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return best;
}
