// Loads a policy (YAML, safe schema), validates it once against
// policies/policy.schema.json, and resolves it against the check registry:
// which checks run, at what severity, with which parameters, and waivers.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';

import { checks as registry } from '../../checks/index.js';
import { PolicyError } from '../errors.js';
import { LAYERS, type Check, type Layer, type Severity } from '../model/check.js';
import { policiesDir } from '../paths.js';
import { DEFAULT_FAIL_ON, DEFAULT_LAYER_THRESHOLD, DEFAULT_LAYER_WEIGHTS, DEFAULT_SEVERITY_WEIGHTS } from './defaults.js';
import { locateLine } from './yaml-locate.js';

export interface CheckSetting {
  enabled?: boolean;
  severity?: Severity;
  params?: Record<string, unknown>;
}

export interface WaiverSpec {
  check: string;
  workload?: string;
  key?: string;
  reason: string;
  owner?: string;
  expires?: string;
}

export interface PolicyDocument {
  apiVersion: 'palisade/v1';
  kind: 'Policy';
  name: string;
  description?: string;
  defaultEnabled?: boolean;
  checks?: Record<string, CheckSetting>;
  severityWeights?: Partial<Record<Severity, number>>;
  layers?: {
    threshold?: number;
    weights?: Partial<Record<Layer, number>>;
    thresholds?: Partial<Record<Layer, number>>;
  };
  gate?: { failOn?: Severity | 'none'; minScore?: number };
  waivers?: WaiverSpec[];
}

export interface ResolvedCheck {
  check: Check;
  enabled: boolean;
  severity: Severity;
  params: Readonly<Record<string, unknown>>;
}

export interface ResolvedWaiver extends WaiverSpec {
  /** `file:line` of the waiver. */
  source: string;
}

export interface ResolvedPolicy {
  name: string;
  /** File path, or `builtin:<name>`. */
  source: string;
  checks: ResolvedCheck[];
  severityWeights: Record<Severity, number>;
  layerWeights: Record<Layer, number>;
  thresholds: Record<Layer, number>;
  gate: { failOn: Severity | 'none'; minScore: number | null };
  waivers: ResolvedWaiver[];
}

export const BUILTIN_POLICIES = ['default', 'strict', 'cis-docker-1.6.0'] as const;

let schemaValidator: ValidateFunction | undefined;
const paramValidators = new Map<string, ValidateFunction>();
// verbose: errors carry parentSchema, so an unknown field can list the allowed ones.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

function policyValidator(): ValidateFunction {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(path.join(policiesDir, 'policy.schema.json'), 'utf8')) as object;
    schemaValidator = ajv.compile(schema);
  }
  return schemaValidator;
}

function paramValidator(check: Check): ValidateFunction {
  let v = paramValidators.get(check.id);
  if (!v) {
    const properties: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(check.meta.parameters ?? {})) properties[name] = spec.schema;
    v = ajv.compile({ type: 'object', additionalProperties: false, properties });
    paramValidators.set(check.id, v);
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
  const file = builtinPolicyPath(ref) ?? ref;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? `no such file (built-in policies: ${BUILTIN_POLICIES.join(', ')})` : String(cause);
    throw new PolicyError(`cannot read policy: ${hint}`, { file }, { cause });
  }
  return { doc: parsePolicyText(text, file), file, text };
}

/** Parses and schema-validates policy text. */
export function parsePolicyText(text: string, file: string): PolicyDocument {
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (cause) {
    const mark = (cause as { mark?: { line: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? String(cause);
    // An error at the end of the stream points past the last line; name the last line instead.
    const lastLine = text.replace(/\s+$/, '').split(/\r?\n/).length;
    const line = mark ? Math.min(mark.line + 1, lastLine) : undefined;
    throw new PolicyError(`invalid YAML: ${reason}`, { file, line }, { cause });
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

/** Resolves a validated policy against the registry; unknown check ids and bad parameters are errors. */
export function resolvePolicy(
  loaded: { doc: PolicyDocument; file: string; text: string },
  checks: readonly Check[] = registry,
): ResolvedPolicy {
  const { doc, file, text } = loaded;
  const byId = new Map<string, Check>();
  for (const check of checks) {
    byId.set(check.id, check);
    for (const alias of check.meta.aliases ?? []) byId.set(alias, check);
  }

  const settings = new Map<string, CheckSetting>();
  for (const [id, setting] of Object.entries(doc.checks ?? {})) {
    const check = byId.get(id);
    const pointer = `/checks/${escapePointer(id)}`;
    if (!check) {
      throw new PolicyError(`unknown check id "${id}" (run \`palisade checks\` for the catalogue)`, {
        file,
        line: locateLine(text, pointer),
        field: `checks.${id}`,
      });
    }
    if (setting.params) {
      const validate = paramValidator(check);
      if (!validate(setting.params)) {
        const err = validate.errors?.[0];
        const detail = err ? describeAjvError(err) : { message: 'is invalid', pointer: '' };
        const allowed = Object.keys(check.meta.parameters ?? {});
        const suffix = err?.keyword === 'additionalProperties'
          ? `; parameters of ${check.id}: ${allowed.length ? allowed.join(', ') : '(none)'}`
          : '';
        const p = `${pointer}/params${detail.pointer}`;
        throw new PolicyError(`${detail.message.replace(/; allowed: .*/, '')}${suffix}`, {
          file,
          line: locateLine(text, p),
          field: fieldName(p),
        });
      }
    }
    settings.set(check.id, setting);
  }

  const defaultEnabled = doc.defaultEnabled ?? true;
  const resolved: ResolvedCheck[] = checks
    .filter((c) => !c.meta.deprecated || settings.has(c.id))
    .map((check) => {
      const setting = settings.get(check.id) ?? {};
      const params: Record<string, unknown> = {};
      for (const [name, spec] of Object.entries(check.meta.parameters ?? {})) params[name] = spec.default;
      Object.assign(params, setting.params ?? {});
      return {
        check,
        enabled: setting.enabled ?? defaultEnabled,
        severity: setting.severity ?? check.meta.severity,
        params,
      };
    });

  const waivers: ResolvedWaiver[] = (doc.waivers ?? []).map((w, i) => {
    const line = locateLine(text, `/waivers/${i}`);
    if (!byId.has(w.check)) {
      throw new PolicyError(`unknown check id "${w.check}" in waiver`, { file, line, field: `waivers.${i}.check` });
    }
    if (w.expires !== undefined && Number.isNaN(Date.parse(`${w.expires}T00:00:00Z`))) {
      throw new PolicyError(`"${w.expires}" is not a calendar date`, { file, line, field: `waivers.${i}.expires` });
    }
    return { ...w, check: byId.get(w.check)?.id ?? w.check, source: `${file}:${line}` };
  });

  const thresholds = {} as Record<Layer, number>;
  const layerWeights = {} as Record<Layer, number>;
  for (const layer of LAYERS) {
    thresholds[layer] = doc.layers?.thresholds?.[layer] ?? doc.layers?.threshold ?? DEFAULT_LAYER_THRESHOLD;
    layerWeights[layer] = doc.layers?.weights?.[layer] ?? DEFAULT_LAYER_WEIGHTS[layer];
  }

  return {
    name: doc.name,
    source: builtinPolicyPath(doc.name) === file ? `builtin:${doc.name}` : file,
    checks: resolved,
    severityWeights: { ...DEFAULT_SEVERITY_WEIGHTS, ...doc.severityWeights },
    layerWeights,
    thresholds,
    gate: { failOn: doc.gate?.failOn ?? DEFAULT_FAIL_ON, minScore: doc.gate?.minScore ?? null },
    waivers,
  };
}

/** Loads, validates and resolves a policy by path or built-in name. */
export function loadPolicy(ref: string, checks: readonly Check[] = registry): ResolvedPolicy {
  return resolvePolicy(loadPolicyDocument(ref), checks);
}
