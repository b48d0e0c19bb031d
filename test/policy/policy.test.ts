import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError } from '../../src/errors.js';
import { DEFAULT_LAYER_THRESHOLD, DEFAULT_LAYER_WEIGHTS, DEFAULT_SEVERITY_WEIGHTS } from '../../src/policy/defaults.js';
import { loadPolicy, loadPolicyDocument } from '../../src/policy/policy.js';

const dir = path.join(import.meta.dirname, '../../fixtures/policies');

function policyError(file: string): PolicyError {
  try {
    loadPolicy(path.join(dir, file));
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

describe('src/policy/policy', () => {
  it('applies severities, parameters, enablement, gate and waivers from a policy file', () => {
    const file = path.join(dir, 'valid/team.yaml');

    const policy = loadPolicy(file);

    const byId = new Map(policy.checks.map((c) => [c.check.id, c]));
    expect(byId.get('docker/no-privileged')?.severity).toBe('high');
    expect(byId.get('docker/no-added-capabilities')?.params).toEqual({ allowedCapabilities: ['NET_BIND_SERVICE'] });
    expect(byId.get('docker/cpu-limited')?.enabled).toBe(false);
    expect(byId.get('docker/memory-limited')?.enabled).toBe(true);
    expect(policy.gate).toEqual({ failOn: 'critical', minScore: 50 });
    expect(policy.waivers).toEqual([
      expect.objectContaining({ check: 'docker/no-host-network', expires: '2027-03-01', source: `${file}:16` }),
    ]);
  });

  it('keeps the code defaults and policies/default.yaml in step', () => {
    const { doc } = loadPolicyDocument('default');

    expect(doc.severityWeights).toEqual(DEFAULT_SEVERITY_WEIGHTS);
    expect(doc.layers?.weights).toEqual(DEFAULT_LAYER_WEIGHTS);
    expect(doc.layers?.threshold).toBe(DEFAULT_LAYER_THRESHOLD);
  });

  it.each([
    ['invalid/bad-yaml.yaml', 6, undefined, /invalid YAML/],
    ['invalid/bad-severity.yaml', 7, 'checks.docker/no-privileged.severity', /must be one of: critical, high, medium, low, info/],
    ['invalid/unknown-check.yaml', 7, 'checks.docker/no-such-check', /unknown check id "docker\/no-such-check"/],
    ['invalid/unknown-field.yaml', 6, 'gate.minimumScore', /unknown field; allowed: failOn, minScore/],
    ['invalid/bad-param.yaml', 7, 'checks.docker/restart-policy-bounded.params.maxRetries', /must be integer/],
    ['invalid/unknown-param.yaml', 7, 'checks.docker/memory-limited.params.limit', /parameters of docker\/memory-limited: \(none\)/],
    ['invalid/waiver-no-reason.yaml', 5, 'waivers.0', /missing required field "reason"/],
  ])('rejects %s naming line %i and field %s', (file, line, field, message) => {
    const err = policyError(file);

    expect(err.file).toBe(path.join(dir, file));
    expect(err.line).toBe(line);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${path.join(dir, file)}:${line}`)).toBe(true);
  });

  it('explains a missing policy file and lists the built-in names', () => {
    const err = policyError('does-not-exist.yaml');

    expect(err.message).toMatch(/no such file \(built-in policies: default, strict, cis-docker-1\.6\.0\)/);
  });
});
