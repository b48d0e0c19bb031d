// How policy and check-parameter schemas are compiled: shared by the policy
// loader (run-time fallback) and scripts/build-validators.ts (ahead of time).
import type { Options } from 'ajv';

import type { Check } from '../model/check.js';

// verbose: errors carry parentSchema, so an unknown field can list the allowed ones.
export const POLICY_AJV_OPTIONS: Options = { allErrors: true, strict: false, verbose: true, code: { optimize: false } };

/** The schema a check's `params` must satisfy: its declared parameters and nothing else. */
export function paramsSchema(check: Pick<Check, 'meta'>): object {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(check.meta.parameters ?? {})) properties[name] = spec.schema;
  return { type: 'object', additionalProperties: false, properties };
}
