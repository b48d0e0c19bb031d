// Loads a policy (YAML, safe schema), validates it once against
// policies/policy.schema.json, and resolves it against the check registry:
// which checks run, at what severity, with which parameters, and waivers.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';

import { checks as registry } from '../../checks/index.js';
import { PolicyError } from '../errors.js';
import { isInside, realPath } from '../lib/confine.js';
import { InputFileError, readInputFile } from '../lib/input-file.js';
import { LIMITS } from '../lib/limits.js';
import { loadYamlSafe, YamlLoadError } from '../lib/yaml-safe.js';
import { LAYERS, type Check, type Layer, type Severity } from '../model/check.js';
import { policiesDir } from '../paths.js';
import { paramValidators, policyValidator as generatedPolicyValidator } from '../generated/validators.js';
import { BUILTIN_POLICIES } from './builtin.js';
import { DEFAULT_FAIL_ON, DEFAULT_LAYER_THRESHOLD, DEFAULT_LAYER_WEIGHTS, DEFAULT_SEVERITY_WEIGHTS } from './defaults.js';
import { paramsSchema, POLICY_AJV_OPTIONS } from './schema-options.js';
import { matchesSelector, specificity, type Selector, type WorkloadAttributes } from './selector.js';
import { locateLine } from './yaml-locate.js';
import { builtinPolicyDocument } from './builtin-documents.js';

export { BUILTIN_POLICIES };

export interface CheckSetting {
  enabled?: boolean;
  severity?: Severity;
  params?: Record<string, unknown>;
}

export interface WaiverSpec {
  check: string;
  /** Glob on the workload name; shorthand for `select: { name }`. */
  workload?: string;
  select?: Selector;
  key?: string;
  reason: string;
  owner?: string;
  expires?: string;
}

export interface RuleSpec {
  name?: string;
  select: Selector;
  checks: Record<string, CheckSetting>;
}

export interface SegmentSpec {
  description?: string;
  allowedPorts?: number[];
  mustNotReach?: string[];
}

export interface PolicyDocument {
  apiVersion: 'palisade/v1';
  kind: 'Policy';
  name: string;
  description?: string;
  extends?: string | string[];
  defaultEnabled?: boolean;
  checks?: Record<string, CheckSetting>;
  rules?: RuleSpec[];
  segments?: Record<string, SegmentSpec>;
  severityWeights?: Partial<Record<Severity, number>>;
  layers?: {
    threshold?: number;
    weights?: Partial<Record<Layer, number>>;
    thresholds?: Partial<Record<Layer, number>>;
  };
  gate?: { failOn?: Severity | 'none'; minScore?: number };
  waivers?: WaiverSpec[];
  /** Cron expression for `palisade serve` when it has no --schedule. */
  schedule?: string;
}

export interface ResolvedCheck {
  check: Check;
  enabled: boolean;
  severity: Severity;
  params: Readonly<Record<string, unknown>>;
  /** Which policy entry decided each field (`check default` when none did). */
  decidedBy?: { enabled: string; severity: string; params: Record<string, string> };
}

/** One check setting from a policy file, with where it applies and where it is written. */
export interface SettingEntry {
  checkId: string;
  setting: CheckSetting;
  select?: Selector;
  specificity: number;
  /** Position across the extends chain (base first): later wins among equals. */
  order: number;
  /** `file:line`, plus the rule name when there is one. */
  source: string;
}

export interface ResolvedWaiver extends WaiverSpec {
  /** `file:line` of the waiver. */
  source: string;
}

export interface ResolvedPolicy {
  name: string;
  /** File path, or `builtin:<name>`. */
  source: string;
  /** The policy files read, base first. */
  chain: string[];
  /** Check settings for a workload no rule selects (what `palisade checks`/SARIF rules describe). */
  checks: ResolvedCheck[];
  /** Every setting with its selector, for per-workload resolution. */
  settings: SettingEntry[];
  defaultEnabled: boolean;
  segments: Record<string, SegmentSpec>;
  severityWeights: Record<Severity, number>;
  layerWeights: Record<Layer, number>;
  thresholds: Record<Layer, number>;
  gate: { failOn: Severity | 'none'; minScore: number | null };
  waivers: ResolvedWaiver[];
  /** `schedule` of the last file in the chain that sets one (for `palisade serve`). */
  schedule?: string;
}


const paramValidatorCache = new Map<Check, ValidateFunction>();
let runtimeAjv: Ajv | undefined;

/**
 * Compiles a schema at run time: only for a check whose parameters differ
 * from the ones the validators were generated from (a check passed in by a
 * test or an embedder). ajv is required here, synchronously and outside the
 * bundle, so a normal run never loads its compiler.
 */
function compileAtRunTime(schema: object): ValidateFunction {
  if (!runtimeAjv) {
    const { Ajv: RuntimeAjv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    runtimeAjv = new RuntimeAjv(POLICY_AJV_OPTIONS);
  }
  return runtimeAjv.compile(schema);
}

function policyValidator(): ValidateFunction {
  // Generated from policies/policy.schema.json (src/generated/validators.ts).
  return generatedPolicyValidator;
}

function paramValidator(check: Check): ValidateFunction {
  let v = paramValidatorCache.get(check);
  if (!v) {
    const schema = paramsSchema(check);
    const generated = paramValidators[check.id];
    v = generated && generated.schema === JSON.stringify(schema) ? generated.validate : compileAtRunTime(schema);
    paramValidatorCache.set(check, v);
  }
  return v;
}

function describeAjvError(err: ErrorObject): { message: string; pointer: string } {
  let pointer = err.instancePath;
  let message = err.message ?? 'is invalid';
  const params = err.params as Record<string, unknown>;
  if (err.keyword === 'additionalProperties') {
    pointer = `${pointer}/${String(params['additionalProperty']).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    message = `unknown field; allowed: ${Object.keys((err.parentSchema?.['properties'] as object | undefined) ?? {}).join(', ')}`;
  } else if (err.keyword === 'enum') {
    message = `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
  } else if (err.keyword === 'const') {
    message = `must be ${JSON.stringify(params['allowedValue'])}`;
  } else if (err.keyword === 'required') {
    message = `missing required field "${String(params['missingProperty'])}"`;
  } else if (err.keyword === 'propertyNames') {
    pointer = `${pointer}/${String(params['propertyName']).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    message = 'is not a valid check id (expected like "docker/no-privileged")';
  }
  return { message, pointer };
}

function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** The path of a built-in policy by name, or undefined when `ref` is not one. */
export function builtinPolicyPath(ref: string): string | undefined {
  return (BUILTIN_POLICIES as readonly string[]).includes(ref) ? path.join(policiesDir, `${ref}.yaml`) : undefined;
}

/** Reads and validates a policy file (or built-in name); throws PolicyError with file:line. */
export function loadPolicyDocument(ref: string): { doc: PolicyDocument; file: string; text: string } {
  const builtin = builtinPolicyPath(ref);
  const embedded = builtin !== undefined ? builtinPolicyDocument(ref) : undefined;
  if (builtin !== undefined && embedded !== undefined) return { doc: embedded.doc, file: builtin, text: embedded.text };
  const file = builtin ?? ref;
  let text: string;
  try {
    text = readInputFile(file, LIMITS.policyFileBytes, 'policy');
  } catch (cause) {
    if (!(cause instanceof InputFileError)) throw cause;
    const hint = cause.problem === 'missing' ? `no such file (built-in policies: ${BUILTIN_POLICIES.join(', ')})` : cause.detail;
    throw new PolicyError(`cannot read policy: ${hint}`, { file }, { cause });
  }
  return { doc: parsePolicyText(text, file), file, text };
}

/** Parses and schema-validates policy text. */
export function parsePolicyText(text: string, file: string): PolicyDocument {
  let data: unknown;
  try {
    data = loadYamlSafe(text, { filename: file, limits: { maxBytes: LIMITS.policyFileBytes } });
  } catch (cause) {
    if (!(cause instanceof YamlLoadError)) throw cause;
    throw new PolicyError(cause.limit ? cause.reason : `invalid YAML: ${cause.reason}`, { file, line: cause.line }, { cause });
  }
  const validate = policyValidator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    // The most specific error is the most useful one.
    const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    if (first) {
      const { message, pointer } = describeAjvError(first);
      throw new PolicyError(message, { file, line: locateLine(text, pointer), field: fieldName(pointer) || '(root)' });
    }
  }
  return data as PolicyDocument;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface LoadedDocument {
  doc: PolicyDocument;
  file: string;
  text: string;
}

/**
 * Where an `extends` entry of `from` may lead: a built-in policy, or a file
 * inside one of `roots` (the folder of the policy named on the command line,
 * and the current directory: the checkout) once `..` and symlinks are
 * resolved. A policy in a pull request must not pull in a file from elsewhere
 * on the machine that runs the scan.
 */
function confineExtends(ref: string, file: string, from: LoadedDocument, roots: readonly string[]): void {
  if (!existsSync(file)) return; // Missing: loadPolicyDocument says so with the file name.
  if (roots.some((root) => isInside(root, file))) return;
  throw new PolicyError(
    `extends "${ref}" resolves to ${realPath(file)}, outside ${roots.join(' and ')}: a policy may extend only built-in policies (${BUILTIN_POLICIES.join(', ')}) and files in its own folder or the current directory`,
    { file: from.file, line: locateLine(from.text, '/extends'), field: 'extends' },
  );
}

/** Reads a policy and everything it extends, base first; cycles are an error naming the chain. */
export function loadPolicyChain(ref: string, from?: LoadedDocument, seen: readonly string[] = [], roots?: readonly string[]): LoadedDocument[] {
  const builtin = builtinPolicyPath(ref);
  const file = builtin ?? (from ? path.resolve(path.dirname(from.file), ref) : ref);
  const key = path.resolve(file);
  if (seen.includes(key)) {
    const chain = [...seen, key].map((f) => path.relative(process.cwd(), f) || f).join(' -> ');
    throw new PolicyError(`policy extends itself: ${chain}`, { file: from?.file ?? file, field: 'extends' });
  }
  if (builtin === undefined && from !== undefined && roots !== undefined) confineExtends(ref, file, from, roots);
  // A built-in goes by name, so its document embedded by the build is used.
  const loaded = loadPolicyDocument(builtin !== undefined ? ref : file);
  // The first file that is not built in bounds everything it extends.
  const bound = roots ?? (builtin === undefined ? [realPath(path.dirname(path.resolve(file))), realPath(process.cwd())] : undefined);
  const parents = loaded.doc.extends === undefined ? [] : Array.isArray(loaded.doc.extends) ? loaded.doc.extends : [loaded.doc.extends];
  const out: LoadedDocument[] = [];
  for (const parent of parents) {
    for (const doc of loadPolicyChain(parent, loaded, [...seen, key], bound)) {
      if (!out.some((d) => path.resolve(d.file) === path.resolve(doc.file))) out.push(doc);
    }
  }
  out.push(loaded);
  return out;
}

function checkIndex(checks: readonly Check[]): Map<string, Check> {
  const byId = new Map<string, Check>();
  for (const check of checks) {
    byId.set(check.id, check);
    for (const alias of check.meta.aliases ?? []) byId.set(alias, check);
  }
  return byId;
}

function validateSetting(check: Check, setting: CheckSetting, pointer: string, file: string, text: string): void {
  if (!setting.params) return;
  const validate = paramValidator(check);
  if (validate(setting.params)) return;
  const err = validate.errors?.[0];
  const detail = err ? describeAjvError(err) : { message: 'is invalid', pointer: '' };
  const allowed = Object.keys(check.meta.parameters ?? {});
  const suffix =
    err?.keyword === 'additionalProperties' ? `; parameters of ${check.id}: ${allowed.length ? allowed.join(', ') : '(none)'}` : '';
  const p = `${pointer}/params${detail.pointer}`;
  throw new PolicyError(`${detail.message.replace(/; allowed: .*/, '')}${suffix}`, {
    file,
    line: locateLine(text, p),
    field: fieldName(p),
  });
}

function settingEntries(
  loaded: LoadedDocument,
  byId: Map<string, Check>,
  counter: { order: number },
): SettingEntry[] {
  const { doc, file, text } = loaded;
  const out: SettingEntry[] = [];
  const add = (checks: Record<string, CheckSetting>, base: string, select: Selector | undefined, label: string) => {
    for (const [id, setting] of Object.entries(checks)) {
      const pointer = `${base}/${escapePointer(id)}`;
      const line = locateLine(text, pointer);
      const check = byId.get(id);
      if (!check) {
        throw new PolicyError(`unknown check id "${id}" (run \`palisade checks\` for the catalogue)`, {
          file,
          line,
          field: fieldName(pointer),
        });
      }
      validateSetting(check, setting, pointer, file, text);
      out.push({
        checkId: check.id,
        setting,
        select,
        specificity: specificity(select),
        order: counter.order++,
        source: `${file}:${line}${label}`,
      });
    }
  };
  add(doc.checks ?? {}, '/checks', undefined, '');
  (doc.rules ?? []).forEach((rule, i) => {
    add(rule.checks, `/rules/${i}/checks`, rule.select, rule.name ? ` (rule "${rule.name}")` : ` (rule ${i + 1})`);
  });
  return out;
}

function resolveOne(check: Check, entries: readonly SettingEntry[], defaultEnabled: boolean): ResolvedCheck {
  const params: Record<string, unknown> = {};
  const paramSource: Record<string, string> = {};
  for (const [name, spec] of Object.entries(check.meta.parameters ?? {})) {
    params[name] = spec.default;
    paramSource[name] = 'check default';
  }
  let enabled = defaultEnabled;
  let enabledBy = 'defaultEnabled';
  let severity = check.meta.severity;
  let severityBy = 'check default';
  // Ascending precedence: less specific first, then earlier first; the last word wins.
  const mine = entries.filter((e) => e.checkId === check.id).sort((a, b) => a.specificity - b.specificity || a.order - b.order);
  for (const e of mine) {
    if (e.setting.enabled !== undefined) {
      enabled = e.setting.enabled;
      enabledBy = e.source;
    }
    if (e.setting.severity !== undefined) {
      severity = e.setting.severity;
      severityBy = e.source;
    }
    for (const [name, value] of Object.entries(e.setting.params ?? {})) {
      params[name] = value;
      paramSource[name] = e.source;
    }
  }
  return { check, enabled, severity, params, decidedBy: { enabled: enabledBy, severity: severityBy, params: paramSource } };
}

/** Resolves a policy chain (base first) against the registry; unknown check ids and bad parameters are errors. */
export function resolvePolicyChain(chain: readonly LoadedDocument[], checks: readonly Check[] = registry): ResolvedPolicy {
  const leaf = chain[chain.length - 1];
  if (!leaf) throw new PolicyError('empty policy chain', { file: '(none)' });
  const byId = checkIndex(checks);
  const counter = { order: 0 };
  const settings = chain.flatMap((loaded) => settingEntries(loaded, byId, counter));

  let defaultEnabled = true;
  const severityWeights = { ...DEFAULT_SEVERITY_WEIGHTS };
  const thresholds = {} as Record<Layer, number>;
  const layerWeights = {} as Record<Layer, number>;
  for (const layer of LAYERS) {
    thresholds[layer] = DEFAULT_LAYER_THRESHOLD;
    layerWeights[layer] = DEFAULT_LAYER_WEIGHTS[layer];
  }
  const gate: ResolvedPolicy['gate'] = { failOn: DEFAULT_FAIL_ON, minScore: null };
  const segments: Record<string, SegmentSpec> = {};
  const waivers: ResolvedWaiver[] = [];
  let schedule: string | undefined;
  for (const { doc, file, text } of chain) {
    if (doc.defaultEnabled !== undefined) defaultEnabled = doc.defaultEnabled;
    if (doc.schedule !== undefined) schedule = doc.schedule;
    Object.assign(severityWeights, doc.severityWeights);
    for (const layer of LAYERS) {
      // A file's own `threshold` resets every layer; its `thresholds` then refine.
      if (doc.layers?.threshold !== undefined) thresholds[layer] = doc.layers.threshold;
      const own = doc.layers?.thresholds?.[layer];
      if (own !== undefined) thresholds[layer] = own;
      const weight = doc.layers?.weights?.[layer];
      if (weight !== undefined) layerWeights[layer] = weight;
    }
    if (doc.gate?.failOn !== undefined) gate.failOn = doc.gate.failOn;
    if (doc.gate?.minScore !== undefined) gate.minScore = doc.gate.minScore;
    for (const [name, seg] of Object.entries(doc.segments ?? {})) segments[name] = { ...segments[name], ...seg };
    (doc.waivers ?? []).forEach((w, i) => {
      const line = locateLine(text, `/waivers/${i}`);
      const check = byId.get(w.check);
      if (!check) throw new PolicyError(`unknown check id "${w.check}" in waiver`, { file, line, field: `waivers.${i}.check` });
      if (w.expires !== undefined && Number.isNaN(Date.parse(`${w.expires}T00:00:00Z`))) {
        throw new PolicyError(`"${w.expires}" is not a calendar date`, { file, line, field: `waivers.${i}.expires` });
      }
      waivers.push({ ...w, check: check.id, source: `${file}:${line}` });
    });
  }

  settings.unshift(...segmentEntries(segments, byId, leaf.file));
  const globalEntries = settings.filter((e) => e.select === undefined);
  const resolved = checks
    .filter((c) => !c.meta.deprecated || settings.some((e) => e.checkId === c.id))
    .map((check) => resolveOne(check, globalEntries, defaultEnabled));

  return {
    name: leaf.doc.name,
    source: builtinPolicyPath(leaf.doc.name) === leaf.file ? `builtin:${leaf.doc.name}` : leaf.file,
    chain: chain.map((d) => d.file),
    checks: resolved,
    settings,
    defaultEnabled,
    segments,
    severityWeights,
    layerWeights,
    thresholds,
    gate,
    waivers,
    ...(schedule !== undefined ? { schedule } : {}),
  };
}

/**
 * The policy's `segments` as parameters of the segmentation checks, at the
 * lowest precedence: explicit check settings and rules still win.
 */
function segmentEntries(segments: Record<string, SegmentSpec>, byId: Map<string, Check>, file: string): SettingEntry[] {
  const out: SettingEntry[] = [];
  const listening = byId.get('vm/listening-services-allowed');
  const ported = Object.entries(segments).filter(([, seg]) => seg.allowedPorts !== undefined);
  if (listening && ported.length > 0) {
    const defaults = (listening.meta.parameters?.['allowedPorts']?.default ?? {}) as Record<string, number[]>;
    const allowedPorts: Record<string, number[]> = { ...defaults };
    for (const [name, seg] of ported) allowedPorts[name] = seg.allowedPorts ?? [];
    out.push({ checkId: listening.id, setting: { params: { allowedPorts } }, specificity: -1, order: -2, source: `${file} (segments)` });
  }
  const flows = byId.get('vm/segment-flows-blocked');
  const forbiddenFlows = Object.entries(segments).flatMap(([from, seg]) => (seg.mustNotReach ?? []).map((to) => ({ from, to })));
  if (flows && forbiddenFlows.length > 0) {
    out.push({ checkId: flows.id, setting: { params: { forbiddenFlows } }, specificity: -1, order: -1, source: `${file} (segments)` });
  }
  return out;
}

/** Segment pairs that must not talk, from `segments` and the segmentation check's own parameter. */
export function forbiddenFlows(policy: ResolvedPolicy): { from: string; to: string }[] {
  const rc = policy.checks.find((c) => c.check.id === 'vm/segment-flows-blocked');
  if (!rc || !rc.enabled) return [];
  const flows = rc.params['forbiddenFlows'];
  return Array.isArray(flows) ? (flows as { from: string; to: string }[]) : [];
}

/** Resolves a single validated document (no extends) against the registry. */
export function resolvePolicy(loaded: LoadedDocument, checks: readonly Check[] = registry): ResolvedPolicy {
  return resolvePolicyChain([loaded], checks);
}

/** The check settings that apply to one workload, with what decided each. */
export function checksFor(policy: ResolvedPolicy, workload: WorkloadAttributes): ResolvedCheck[] {
  if (!policy.settings.some((e) => e.select !== undefined)) return policy.checks;
  const entries = policy.settings.filter((e) => matchesSelector(e.select, workload));
  return policy.checks.map((rc) => resolveOne(rc.check, entries, policy.defaultEnabled));
}

/** Loads, validates and resolves a policy (and what it extends) by path or built-in name. */
export function loadPolicy(ref: string, checks: readonly Check[] = registry): ResolvedPolicy {
  return resolvePolicyChain(loadPolicyChain(ref), checks);
}
