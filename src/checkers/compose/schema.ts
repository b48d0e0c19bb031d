// Validation against the Compose Specification JSON Schema (vendored from
// compose-spec/compose-spec schema/compose-spec.json, Apache-2.0, see
// compose-spec.LICENSE.md), compiled once on first use. Runs per file after
// interpolation, as Compose validates interpolated values.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import composeSpec from './compose-spec.json' with { type: 'json' };
import { ComposeError } from './errors.js';
import { getPos, isRecord, OverrideTag, ResetTag } from './yaml.js';

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (validator) return validator;
  // Compiled on first use only: a command that never reads a Compose file pays nothing.
  const schema: Record<string, unknown> = { ...(composeSpec as Record<string, unknown>) };
  // The vendored copy names the draft-07 meta-schema by an https URL ajv does not know.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
  validator = ajv.compile(schema);
  return validator;
}

/** A copy without Compose tags, as the schema sees the file. */
function plain(v: unknown): unknown {
  if (v instanceof OverrideTag) return plain(v.value);
  if (v instanceof ResetTag) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x instanceof ResetTag) continue;
      Object.defineProperty(out, k, { value: plain(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function describe(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown field ${JSON.stringify(p.additionalProperty)}; remove it or check its spelling (the Compose Specification does not define it here)`;
    case 'type':
      return `must be ${String(p.type).replace(',', ' or ')}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'required':
      return `is missing required field ${JSON.stringify(p.missingProperty)}`;
    case 'pattern':
      return `does not match the pattern the Compose Specification requires (${String(p.pattern)})`;
    case 'uniqueItems':
      return 'has duplicate items; list each item once';
    default:
      return err.message ?? 'is invalid';
  }
}

/** Picks the most specific error: the deepest instance path, then a concrete keyword. */
function pick(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject): number => (e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 0 : e.keyword === 'additionalProperties' ? 3 : e.keyword === 'type' ? 1 : 2);
  let best = errors[0]!;
  for (const e of errors) {
    const d = e.instancePath.split('/').length;
    const bd = best.instancePath.split('/').length;
    if (d > bd || (d === bd && rank(e) > rank(best))) best = e;
  }
  return best;
}

export function validateComposeFile(file: string, doc: Record<string, unknown>): void {
  const validate = compile();
  if (validate(plain(doc))) return;
  const err = pick(validate.errors ?? []);
  const parts = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (err.keyword === 'additionalProperties') parts.push(String((err.params as Record<string, unknown>).additionalProperty));
  // Position: the deepest key or item that exists.
  let node: unknown = doc;
  let pos: { line: number; column: number } | undefined;
  for (const part of parts) {
    if (node instanceof OverrideTag) node = node.value;
    if (!node || typeof node !== 'object') break;
    const p = getPos(node, part);
    if (!p) break;
    pos = p;
    node = (node as Record<string, unknown>)[part];
  }
  const field = parts.join('.');
  throw new ComposeError(`${field || 'the file'} ${describe(err)}`, { file, line: pos?.line, column: pos?.column, field: field || undefined });
}
