import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { resolveCompose } from '../../src/checkers/compose/resolve.js';
import { DECLARED_SPEC } from '../../src/lib/not-collected.js';
import type { Finding } from '../../src/model/report.js';
import { loadPolicy } from '../../src/policy/policy.js';
import { checkDeclared, type CheckOptions } from '../../src/scan/check.js';
import { imageFacts, NOW } from '../helpers/facts.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'check');

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'palisade-check-'));
  cpSync(FIXTURES, repo, { recursive: true });
});
afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

function options(files: string[][], overrides: Partial<CheckOptions> = {}): CheckOptions {
  return {
    sources: files.map((f) => ({ files: f })),
    resolve: resolveCompose,
    cwd: repo,
    env: {},
    policy: loadPolicy('default'),
    now: NOW,
    repoRoot: repo,
    includePassed: true,
    version: '0.0.0-test',
    ...overrides,
  };
}

function failing(findings: readonly Finding[], checkId: string): Finding[] {
  return findings.filter((f) => f.checkId === checkId && f.status === 'fail');
}

function at(f: Finding | undefined): string {
  return f?.location ? `${f.location.uri}:${f.location.startLine}` : 'none';
}

describe('src/scan/check', () => {
  it('locates every finding at the Compose key that caused it', async () => {
    const { result } = await checkDeclared(options([['risky/compose.yaml']]));
    const f = result.findings;

    expect(at(failing(f, 'docker/no-privileged')[0])).toBe('risky/compose.yaml:10');
    expect(at(failing(f, 'docker/no-docker-socket-mount')[0])).toBe('risky/compose.yaml:12');
    expect(failing(f, 'docker/no-added-capabilities').map((x) => `${x.key} ${at(x)}`)).toEqual([
      'NET_ADMIN risky/compose.yaml:15',
      'SYS_ADMIN risky/compose.yaml:16',
    ]);
    expect(at(failing(f, 'docker/no-secrets-in-env')[0])).toBe('risky/compose.yaml:18');
    expect(at(failing(f, 'docker/ports-bound-to-interface')[0])).toBe('risky/compose.yaml:8');
    expect(at(failing(f, 'docker/image-tag-not-latest')[0])).toBe('risky/compose.yaml:6');
    // Nothing in the spec sets a memory limit: the service line.
    expect(at(failing(f, 'docker/memory-limited')[0])).toBe('risky/compose.yaml:5');
    expect(result.workloads.map((w) => [w.name, `${w.location.uri}:${w.location.startLine}`, w.kind])).toEqual([
      ['shop-web-1', 'risky/compose.yaml:5', 'container'],
    ]);
  });

  it('never passes a check that needs a running container or the real engine', async () => {
    const { result } = await checkDeclared(options([['hardened/compose.yaml']]));

    const byCheck = new Map(result.findings.map((f) => [f.checkId, f]));
    for (const id of ['docker/no-sshd', 'docker/apparmor-profile', 'docker/no-shared-mount-propagation', 'docker/seccomp-enabled', 'docker/no-host-userns']) {
      expect(byCheck.get(id)?.status, id).toBe('not-applicable');
      expect(byCheck.get(id)?.reason, id).toMatch(new RegExp(`^${DECLARED_SPEC.replace(/[()]/g, '\\$&')}: `));
    }
    expect(byCheck.get('docker/image-age')?.reason).toMatch(/^not evaluated \(declared spec\): the config of image .* is not available/);
    expect(byCheck.get('docker/no-privileged')?.status).toBe('pass');
    expect(byCheck.get('docker/read-only-rootfs')?.status).toBe('pass');
    expect(result.gate.passed).toBe(true);
  });

  it('still fails a runtime check on what the spec declares (rshared, apparmor=unconfined)', async () => {
    const { result } = await checkDeclared(options([['long-syntax/compose.yaml']]));

    expect(failing(result.findings, 'docker/no-shared-mount-propagation').map(at)).toEqual(['long-syntax/compose.yaml:22']);
    expect(failing(result.findings, 'docker/apparmor-profile').map(at)).toEqual(['long-syntax/compose.yaml:28']);
    expect(failing(result.findings, 'docker/seccomp-enabled').map(at)).toEqual(['long-syntax/compose.yaml:27']);
    expect(failing(result.findings, 'docker/no-host-network').map(at)).toEqual(['long-syntax/compose.yaml:5']);
  });

  it('keeps fingerprints when unrelated lines move', async () => {
    const before = await checkDeclared(options([['risky/compose.yaml']]));
    const file = path.join(repo, 'risky', 'compose.yaml');
    writeFileSync(file, `# a new comment\n# and another\n${readFileSync(file, 'utf8')}`);

    const after = await checkDeclared(options([['risky/compose.yaml']]));

    const key = (f: Finding) => `${f.checkId} ${f.key ?? ''} ${f.status}`;
    const fp = (r: typeof before) => new Map(r.result.findings.map((f) => [key(f), f.fingerprint]));
    expect(fp(after)).toEqual(fp(before));
    expect(at(failing(after.result.findings, 'docker/no-privileged')[0])).toBe('risky/compose.yaml:12');
  });

  it('checks the other projects when one is invalid, and names the bad one at file:line:field', async () => {
    const { result, invalid } = await checkDeclared(options([['invalid/compose.yaml'], ['risky/compose.yaml']]));

    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.error.message).toMatch(/invalid\/compose\.yaml:4:5 \(field services\.web\.privileged\)/);
    expect(result.workloads.map((w) => w.name)).toEqual(['shop-web-1']);
    expect(result.targets.map((t) => [t.target, t.kind, t.status])).toEqual([
      ['invalid/compose.yaml', 'compose', 'error'],
      ['risky/compose.yaml', 'compose', 'ok'],
    ]);
    expect(result.incomplete).toBe(true);
  });

  it('applies policy waivers and gate as scan does', async () => {
    const policyFile = path.join(repo, 'policy.yaml');
    writeFileSync(
      policyFile,
      [
        'apiVersion: palisade/v1',
        'kind: Policy',
        'name: shop',
        'extends: default',
        'waivers:',
        '  - check: docker/no-privileged',
        '    select: { name: "shop-web-*" }',
        '    reason: legacy network tool',
        '',
      ].join('\n'),
    );

    const { result } = await checkDeclared(options([['risky/compose.yaml']], { policy: loadPolicy(policyFile) }));

    expect(result.findings.find((f) => f.checkId === 'docker/no-privileged')?.status).toBe('waived');
    expect(result.waivers.map((w) => w.status)).toEqual(['active']);
    expect(result.gate.passed).toBe(false);
  });

  it('reads the image config when one is found, so image checks run', async () => {
    const image = imageFacts({ user: '' });

    const { result } = await checkDeclared(
      options([['risky/compose.yaml']], { images: async (refs) => ({ images: new Map(refs.map((r) => [r, image])), warnings: [] }) }),
    );

    expect(failing(result.findings, 'docker/non-root-user').map((f) => [f.evidence?.source, at(f)])).toEqual([['image inspect', 'risky/compose.yaml:6']]);
    expect(result.findings.find((f) => f.checkId === 'docker/image-age')?.status).toBe('pass');
  });
});
