import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { checks } from '../../checks/index.js';
import { catalogueMarkdown } from '../../src/cli/catalogue.js';
import { packageVersion } from '../../src/paths.js';
import { runCli } from '../helpers/cli.js';

const fixtures = path.join(import.meta.dirname, '../../fixtures/policies');

function cli(args: string[]) {
  return runCli(args, { env: {}, now: () => new Date('2026-11-28T12:00:00Z') });
}

describe('src/cli/main', () => {
  it('prints the version and exits 0', async () => {
    const result = await cli(['--version']);

    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion);
  });

  it.each([[['--help']], [['scan', '--help']], [['checks', '--help']], [['policy', 'validate', '--help']], [['policy', 'explain', '--help']]])(
    'prints help for %j with the exit codes and exits 0',
    async (args) => {
      const result = await cli(args);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: palisade/);
    },
  );

  it.each([
    [['scan', '--format', 'pdf'], /unknown format "pdf"/],
    [['scan', '--fail-on', 'urgent'], /Allowed choices are critical, high, medium, low, info, none/],
    [['scan', '--min-score', '120'], /must be a number from 0 to 100/],
    [['scan', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 256/],
    [['scan', '--docker', 'ftp://example'], /invalid Docker endpoint/],
    [['scan', '--format', 'table', '--format', 'json'], /only one format can go to stdout/],
    [['frobnicate'], /unknown command/],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const result = await cli(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('prints the catalogue as docs/checks.md has it', async () => {
    const result = await cli(['checks', '--format', 'markdown']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(catalogueMarkdown(checks));
  });

  it('validates good policies and names file:line:field of a bad one with exit 2', async () => {
    const good = await cli(['policy', 'validate', 'default', 'strict', path.join(fixtures, 'valid/team.yaml')]);
    const bad = await cli(['policy', 'validate', path.join(fixtures, 'invalid/bad-severity.yaml')]);

    expect(good.code).toBe(0);
    expect(good.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-severity\.yaml:7 \(field checks\.docker\/no-privileged\.severity\): must be one of/);
  });

  it('explains which rule decides each check for a workload', async () => {
    const result = await cli([
      'policy', 'explain', 'nightly-1', '--policy', path.join(fixtures, 'extends/team.yaml'), '--label', 'team=batch', '--format', 'json',
    ]);

    expect(result.code).toBe(0);
    const explained = JSON.parse(result.stdout) as { checks: { checkId: string; severity: string; enabled: boolean; decidedBy: { severity: string } }[] };
    const memory = explained.checks.find((c) => c.checkId === 'docker/memory-limited');
    expect(memory?.severity).toBe('medium');
    expect(memory?.decidedBy.severity).toMatch(/rule "batch nightly"/);
    expect(explained.checks.find((c) => c.checkId === 'docker/read-only-rootfs')?.enabled).toBe(false);
    expect(explained.checks.every((c) => c.checkId.startsWith('docker/') && !c.checkId.startsWith('docker/engine-'))).toBe(true);
  });
});
