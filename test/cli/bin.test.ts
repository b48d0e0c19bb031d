// The shipped entry point: bin/palisade loads the bundle `npm run build`
// makes (dist/cli/, ESM chunks). Built here so the test never runs a stale one.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { checks } from '../../checks/index.js';
import { packageRoot, packageVersion } from '../../src/paths.js';
import { BUILTIN_POLICIES } from '../../src/policy/builtin.js';
import { runCli } from '../helpers/cli.js';

const bin = path.join(packageRoot, 'bin', 'palisade');

function palisade(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/palisade (bundled CLI)', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: packageRoot, stdio: 'ignore' });
  }, 120_000);

  it('prints its version and the whole catalogue', () => {
    expect(palisade(['--version']).stdout.trim()).toBe(packageVersion);
    const catalogue = JSON.parse(palisade(['checks', '--format', 'json']).stdout) as { id: string }[];
    expect(catalogue.map((c) => c.id)).toEqual(checks.map((c) => c.id));
  });

  it.each(['table', 'json', 'markdown'])('lists the catalogue from build-time metadata exactly as from the registry (%s)', async (format) => {
    const fromSource = await runCli(['checks', '--format', format]);

    const built = palisade(['checks', '--format', format]);

    expect(built.status).toBe(0);
    expect(built.stdout).toBe(fromSource.stdout);
  });

  it.each([[['checks']], [['checks', '-f', 'markdown']], [['checks', '--format=json']]])(
    'answers the plain form %j of checks without commander, exactly as commander does',
    async (args) => {
      const throughCommander = await runCli(args);

      const fast = palisade(args);

      expect(fast.status).toBe(0);
      expect(fast.stdout).toBe(throughCommander.stdout);
    },
  );

  it('leaves every other form of checks to commander: help, an invalid format, an unknown flag', () => {
    expect(palisade(['checks', '--help']).stdout).toMatch(/Usage: palisade checks/);
    const bad = palisade(['checks', '--format', 'xml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/argument 'xml' is invalid/);
    expect(palisade(['checks', '--bogus']).status).toBe(2);
  });

  it('answers -V and --version alone without commander, and with it otherwise', () => {
    expect(palisade(['-V']).stdout).toBe(`${packageVersion}\n`);
    expect(palisade(['--help']).stdout).toMatch(/Usage: palisade/);
  });

  it.each(BUILTIN_POLICIES.flatMap((name) => (['container', 'engine', 'host'] as const).map((kind) => [name, kind] as const)))(
    'resolves the built-in policy %s (embedded at build time) exactly as the source parses it, for a %s',
    async (name, kind) => {
      const args = ['policy', 'explain', 'web', '--policy', name, '--kind', kind, '--format', 'json'];
      const fromSource = await runCli(args);

      const built = palisade(args);

      expect(built.status).toBe(0);
      expect(built.stdout).toBe(fromSource.stdout);
    },
  );

  it('validates the built-in policies and refuses a bad one with exit 2', () => {
    expect(palisade(['policy', 'validate', 'default', 'strict', 'cis-docker-1.6.0']).status).toBe(0);
    const bad = palisade(['policy', 'validate', path.join(packageRoot, 'fixtures/policies/invalid/bad-severity.yaml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad-severity\.yaml:7/);
  });

  it('reports an unreachable engine and exits 3', () => {
    const r = palisade(['scan', '--docker', 'tcp://127.0.0.1:1', '--format', 'json', '--timeout', '5']);

    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ incomplete: true, targets: [{ status: 'error' }] });
  });
});
