// Validation against the Compose Specification JSON Schema (vendored from
// compose-spec/compose-spec schema/compose-spec.json, Apache-2.0, see
// compose-spec.LICENSE.md). Runs per file after interpolation, as Compose
// validates interpolated values.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as generated } from './compose-spec.validate.js';
import { ComposeError } from './errors.js';
import { getPos, isRecord, OverrideTag, ResetTag } from './yaml.js';

// Compiled ahead of time (scripts/gen-compose-validator.ts): compiling the
// schema with ajv at run time costs about a second per process.
const validator = generated as unknown as ValidateFunction;

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

export function validateComposeFile(file: string, doc: Record<string, unknown>, tagged = true): void {
  // ajv only reads; a copy is needed only to hide Compose tags from the schema.
  if (validator(tagged ? plain(doc) : doc)) return;
  const err = pick(validator.errors ?? []);
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
  throw new ComposeError(field ? describe(err) : `the file ${describe(err)}`, { file, line: pos?.line, column: pos?.column, field: field || undefined });
}
