// End to end against the real engine: containers with known postures, the
// CLI's scan in every format, the findings each must and must not get, the
// SARIF validated, and the secret value absent from every output.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, type CliRun } from '../helpers/cli.js';
import type { Finding, ScanResult } from '../../src/model/report.js';
import { prepareMultitool, validateSarif } from '../reporters/multitool.js';
import { docker, removeContainers, requireEngine, SOCKET, TEST_IMAGE, uniqueName } from './engine.js';

// Skipped only when no engine is available and PALISADE_REQUIRE_INTEGRATION is
// not set (a laptop without Docker); in CI requireEngine() throws instead.
const ready = await requireEngine();

const SECRET = `s3cr3t-${Math.random().toString(36).slice(2)}-value`;
const names = {
  hardened: uniqueName('palisade-it-hardened'),
  risky: uniqueName('palisade-it-risky'),
  privileged: uniqueName('palisade-it-privileged'),
};

function cli(args: string[], cwd: string): Promise<CliRun> {
  return runCli(args, { cwd });
}

function findingsOf(result: ScanResult, name: string): Finding[] {
  const workload = result.workloads.find((w) => w.kind === 'container' && w.name === name);
  if (!workload) throw new Error(`workload ${name} not in report`);
  return result.findings.filter((f) => f.workloadId === workload.id);
}

function failing(findings: Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.status === 'fail').map((f) => f.checkId))].sort();
}

// Skipped only without the services and without PALISADE_REQUIRE_INTEGRATION (see above).
describe.skipIf(!ready)('integration: palisade scan against the local engine', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'palisade-it-'));
  let json: ScanResult;
  let run: CliRun;
  let hostSshd: ChildProcess | undefined;

  beforeAll(async () => {
    // A host process named sshd: a container sharing the host PID namespace
    // sees it with `ps`, but it is not the container's own process.
    const fakeSshd = path.join(work, 'sshd');
    copyFileSync('/bin/sleep', fakeSshd);
    hostSshd = spawn(fakeSshd, ['300'], { stdio: 'ignore' });
    const hardened = await docker.createContainer({
      name: names.hardened,
      Image: TEST_IMAGE,
      User: '65534:65534',
      Env: ['APP_MODE=production'],
      Healthcheck: { Test: ['CMD', '/bin/true'], Interval: 30_000_000_000 },
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges:true'],
        Memory: 64 * 1024 * 1024,
        PidsLimit: 64,
        CpuShares: 512,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        NetworkMode: 'none',
      },
    });
    const risky = await docker.createContainer({
      name: names.risky,
      Image: TEST_IMAGE,
      Env: [`DB_PASSWORD=${SECRET}`, 'PLAIN=1'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        CapAdd: ['SYS_ADMIN', 'NET_ADMIN'],
        PidMode: 'host',
        SecurityOpt: ['seccomp=unconfined'],
        Binds: ['/var/run/docker.sock:/var/run/docker.sock'],
        PortBindings: { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] },
      },
    });
    // --privileged containers cannot start on this kernel: created only, scanned with --all.
    await docker.createContainer({ name: names.privileged, Image: TEST_IMAGE, HostConfig: { Privileged: true } });
    await hardened.start();
    await risky.start();

    run = await cli(
      [
        'scan', '--docker', `unix://${SOCKET}`, '--all', '--include-passed', '--processes',
        '--format', `json=${path.join(work, 'report.json')}`,
        '--format', `sarif=${path.join(work, 'report.sarif')}`,
        '--format', 'table', '--no-color',
      ],
      work,
    );
    json = JSON.parse(readFileSync(path.join(work, 'report.json'), 'utf8')) as ScanResult;
  });

  afterAll(async () => {
    hostSshd?.kill();
    await removeContainers(Object.values(names));
  });

  it('scans every container and fails the default gate on the risky ones', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(json.targets).toEqual([expect.objectContaining({ status: 'ok' })]);
    for (const name of Object.values(names)) expect(json.workloads.some((w) => w.name === name)).toBe(true);
  });

  it('gives the risky container the findings its posture earns', () => {
    const findings = findingsOf(json, names.risky);

    expect(failing(findings)).toEqual(
      expect.arrayContaining([
        'docker/no-added-capabilities',
        'docker/no-dangerous-capabilities',
        'docker/no-host-pid',
        'docker/seccomp-enabled',
        'docker/no-docker-socket-mount',
        'docker/no-secrets-in-env',
        'docker/ports-bound-to-interface',
        'docker/read-only-rootfs',
        'docker/memory-limited',
        'docker/non-root-user',
      ]),
    );
    const caps = findings.filter((f) => f.checkId === 'docker/no-dangerous-capabilities' && f.status === 'fail').map((f) => f.key);
    expect(caps.sort()).toEqual(['NET_ADMIN', 'SYS_ADMIN']);
    expect(findings.find((f) => f.checkId === 'docker/no-secrets-in-env')?.key).toBe('DB_PASSWORD');
  });

  it('does not blame the risky container for the host sshd it can see through --pid host', () => {
    const findings = findingsOf(json, names.risky);

    expect(findings.find((f) => f.checkId === 'docker/no-sshd')?.status).toBe('pass');
  });

  it('passes the hardened container on the checks its posture satisfies', () => {
    const findings = findingsOf(json, names.hardened);
    const fails = failing(findings);

    for (const id of [
      'docker/no-privileged', 'docker/no-host-pid', 'docker/no-docker-socket-mount', 'docker/read-only-rootfs',
      'docker/capabilities-dropped', 'docker/no-new-privileges', 'docker/memory-limited', 'docker/pids-limited',
      'docker/non-root-user', 'docker/ports-bound-to-interface', 'docker/no-secrets-in-env', 'docker/seccomp-enabled',
      'docker/healthcheck-configured', 'docker/restart-policy-bounded', 'docker/no-dangerous-capabilities',
    ]) {
      expect(fails, id).not.toContain(id);
    }
    const score = json.workloads.find((w) => w.name === names.hardened)?.score ?? 0;
    const riskyScore = json.workloads.find((w) => w.name === names.risky)?.score ?? 100;
    expect(score).toBeGreaterThan(riskyScore);
  });

  it('reports the created privileged container', () => {
    const findings = findingsOf(json, names.privileged);

    expect(failing(findings)).toEqual(expect.arrayContaining(['docker/no-privileged', 'docker/seccomp-enabled', 'docker/masked-paths-kept']));
    expect(findings.find((f) => f.checkId === 'docker/no-sshd')?.status).toBe('not-applicable');
  });

  it('scores the engine as a workload and the containers as its children', () => {
    const engine = json.workloads.find((w) => w.kind === 'engine');
    const risky = json.workloads.find((w) => w.name === names.risky);

    expect(engine?.score).not.toBeNull();
    expect(risky?.parent).toBe(engine?.id);
    // This machine runs Debian's docker.io: a distribution build is not judged from its version string.
    const version = json.findings.find((f) => f.workloadId === engine?.id && f.checkId === 'docker/engine-version-not-vulnerable');
    expect(version?.status).toBe('not-applicable');
  });

  it('never writes the secret value in any format', () => {
    const outputs = [run.stdout, run.stderr, readFileSync(path.join(work, 'report.json'), 'utf8'), readFileSync(path.join(work, 'report.sarif'), 'utf8')];

    for (const text of outputs) expect(text).not.toContain(SECRET);
    expect(run.stdout).toContain(names.risky);
  });

  it('compares a rescan with the first report as baseline: our containers\' findings are unchanged', async () => {
    const again = await cli(
      ['scan', '--docker', `unix://${SOCKET}`, '--all', '--processes', '--baseline', path.join(work, 'report.json'), '--format', `json=${path.join(work, 'again.json')}`],
      work,
    );
    const report = JSON.parse(readFileSync(path.join(work, 'again.json'), 'utf8')) as ScanResult;

    expect([0, 1]).toContain(again.code);
    expect(report.baseline?.source).toBe(path.join(work, 'report.json'));
    expect(report.gate.baseline).toBe(report.baseline?.source);
    const ours = findingsOf(report, names.risky).filter((f) => f.status === 'fail');
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((f) => f.baseline === 'unchanged')).toBe(true);
  });

  it('writes SARIF that the SARIF Multitool accepts with GitHub rules', () => {
    const tool = prepareMultitool(work);

    const issues = validateSarif(tool, path.join(work, 'report.sarif'));

    expect(issues).toEqual([]);
  });
});

// Skipped only without the services and without PALISADE_REQUIRE_INTEGRATION (see above).
describe.skipIf(!ready)('integration: bad input', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'palisade-it-bad-'));
  const running = uniqueName('palisade-it-running');

  beforeAll(async () => {
    const c = await docker.createContainer({ name: running, Image: TEST_IMAGE, HostConfig: { NetworkMode: 'none' } });
    await c.start();
  });

  afterAll(async () => {
    await removeContainers([running]);
  });

  it('scans the reachable engine and exits 3 when another is unreachable', async () => {
    const result = await cli(
      ['scan', '--docker', 'tcp://127.0.0.1:1', '--docker', `unix://${SOCKET}`, '--format', `json=${path.join(work, 'r.json')}`, '--fail-on', 'none'],
      work,
    );

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/could not scan tcp:\/\/127\.0\.0\.1:1/);
    const report = JSON.parse(readFileSync(path.join(work, 'r.json'), 'utf8')) as ScanResult;
    expect(report.targets.map((t) => t.status).sort()).toEqual(['error', 'ok']);
    expect(report.workloads.some((w) => w.kind === 'container' && w.name === running)).toBe(true);
    expect(report.incomplete).toBe(true);
  });

  it.each([
    ['malformed', 'apiVersion: palisade/v1\nkind: Policy\nname: x\ngate:\n  failOn: [high\n', /bad\.yaml:5: invalid YAML/],
    ['unknown check', 'apiVersion: palisade/v1\nkind: Policy\nname: x\nchecks:\n  docker/nope:\n    enabled: false\n', /bad\.yaml:5 \(field checks\.docker\/nope\): unknown check id/],
  ])('exits 2 on a %s policy before scanning', async (_name, text, message) => {
    const file = path.join(work, 'bad.yaml');
    writeFileSync(file, text);

    const result = await cli(['scan', '--docker', `unix://${SOCKET}`, '--policy', file, '--format', 'json'], work);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
