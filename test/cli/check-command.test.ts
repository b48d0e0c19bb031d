import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { buildTar, imageConfig, sha256 } from '../checkers/image-archive/tar-builder.js';
import { runCli } from '../helpers/cli.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'check');

interface Sarif {
  runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
}

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'palisade-check-cli-'));
  cpSync(FIXTURES, repo, { recursive: true });
});
afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

function sarifAt(file: string, ruleId: string): string[] {
  const log = JSON.parse(readFileSync(file, 'utf8')) as Sarif;
  return (log.runs[0]?.results ?? [])
    .filter((r) => r.ruleId === ruleId)
    .map((r) => `${r.locations[0]?.physicalLocation.artifactLocation.uri}:${r.locations[0]?.physicalLocation.region.startLine}`);
}

describe('src/cli/check-command', () => {
  it('fails the gate (exit 1) on a risky service and writes SARIF located at the key', async () => {
    const run = await runCli(['check', 'risky/compose.yaml', '--format', 'json', '--format', 'sarif=out.sarif'], { cwd: repo });

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).gate.passed).toBe(false);
    expect(sarifAt(path.join(repo, 'out.sarif'), 'docker/no-privileged')).toEqual(['risky/compose.yaml:10']);
    expect(sarifAt(path.join(repo, 'out.sarif'), 'docker/no-docker-socket-mount')).toEqual(['risky/compose.yaml:12']);
    expect(run.stdout).not.toContain('not-a-real-secret-value');
  });

  it('passes (exit 0) a hardened service, finding compose.yaml in the current folder by default', async () => {
    const run = await runCli(['check', '--format', 'json'], { cwd: path.join(repo, 'hardened') });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).workloads.map((w: { name: string }) => w.name)).toEqual(['shop-api-1']);
  });

  it('merges -f files in order and locates the finding in the file that set the key', async () => {
    writeFileSync(path.join(repo, 'hardened', 'debug.yaml'), 'services:\n  api:\n    privileged: true\n');

    const run = await runCli(['check', '-f', 'hardened/compose.yaml', '-f', 'hardened/debug.yaml', '--format', 'sarif'], { cwd: repo });

    expect(run.code).toBe(1);
    writeFileSync(path.join(repo, 'merged.sarif'), run.stdout);
    expect(sarifAt(path.join(repo, 'merged.sarif'), 'docker/no-privileged')).toEqual(['hardened/debug.yaml:3']);
  });

  it('reports the valid projects and exits 2 naming file:line:field when one is invalid', async () => {
    const run = await runCli(['check', 'invalid/compose.yaml', 'risky/compose.yaml', '--format', 'json'], { cwd: repo });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid\/compose\.yaml:4:5 \(field services\.web\.privileged\)/);
    const report = JSON.parse(run.stdout);
    expect(report.workloads.map((w: { name: string }) => w.name)).toEqual(['shop-web-1']);
    expect(report.targets.find((t: { status: string }) => t.status === 'error').target).toBe('invalid/compose.yaml');
  });

  it('gates only on new findings with --baseline', async () => {
    await runCli(['check', 'risky/compose.yaml', '--format', 'json=base.json'], { cwd: repo });

    const run = await runCli(['check', 'risky/compose.yaml', '--baseline', 'base.json', '--format', 'json'], { cwd: repo });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).baseline).toMatchObject({ new: 0 });
  });

  it('honours --fail-on and --min-depth like scan', async () => {
    const lenient = await runCli(['check', 'risky/compose.yaml', '--fail-on', 'none', '--format', 'json'], { cwd: repo });
    const deep = await runCli(['check', 'hardened/compose.yaml', '--min-depth', '9', '--format', 'json'], { cwd: repo });

    expect(lenient.code).toBe(0);
    expect(deep.code).toBe(1);
    expect(JSON.parse(deep.stdout).gate.reasons[0]).toMatch(/holds \d+\/\d+ layers < 9/);
  });

  it('reads image configs offline from --image-archive', async () => {
    const config = imageConfig({ User: '' });
    writeFileSync(
      path.join(repo, 'images.tar'),
      buildTar([
        { name: 'manifest.json', content: JSON.stringify([{ Config: `${sha256(config)}.json`, RepoTags: ['nginx:latest'] }]) },
        { name: `${sha256(config)}.json`, content: config },
      ]),
    );

    const run = await runCli(['check', 'risky/compose.yaml', '--image-archive', 'images.tar', '--format', 'json'], { cwd: repo });

    const root = JSON.parse(run.stdout).findings.find((f: { checkId: string }) => f.checkId === 'docker/non-root-user');
    expect(root).toMatchObject({ status: 'fail', evidence: { source: 'image inspect' }, location: { uri: 'risky/compose.yaml', startLine: 6 } });
  });

  it('refuses an unreadable --image-archive with exit 2', async () => {
    writeFileSync(path.join(repo, 'junk.tar'), 'not a tar at all'.repeat(100));

    const run = await runCli(['check', 'risky/compose.yaml', '--image-archive', 'junk.tar'], { cwd: repo });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/junk\.tar.*image archive/);
  });

  it('documents its options and exit codes in --help', async () => {
    const run = await runCli(['check', '--help']);

    expect(run.code).toBe(0);
    for (const flag of ['--file', '--profile', '--env-file', '--project-name', '--policy', '--format', '--fail-on', '--min-score', '--min-depth', '--baseline', '--include-passed', '--image-archive', '--docker', '--repo-root']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toMatch(/2 +usage or policy error, or a Compose file/);
  });
});
