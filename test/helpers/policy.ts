// Builds resolved policies over hand-made checks, for evaluator and scoring tests.
import yaml from 'js-yaml';

import type { Check } from '../../src/model/check.js';
import { resolvePolicy, type PolicyDocument, type ResolvedPolicy } from '../../src/policy/policy.js';

export function policyOf(checks: readonly Check[], doc: Partial<PolicyDocument> = {}): ResolvedPolicy {
  const full: PolicyDocument = { apiVersion: 'palisade/v1', kind: 'Policy', name: 'test', ...doc };
  return resolvePolicy({ doc: full, file: 'test-policy.yaml', text: yaml.dump(full) }, checks);
}
