// End to end over SSH: an inventory of this machine reached through a
// throw-away sshd on 127.0.0.1 (with and without sudo), a host that accepts
// TCP but never answers, and the local Docker engine reached through the
// same sshd, so a container's effective depth includes its VM's layers.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, type CliRun } from '../helpers/cli.js';
import type { Finding, ScanResult } from '../../src/model/report.js';
import { prepareMultitool, validateSarif } from '../reporters/multitool.js';
import { docker, removeContainers, requireEngine, TEST_IMAGE, uniqueName } from './engine.js';
import { assertSshdAvailable, CI_USER, makeKey, makeTempDir, NOSUDO_USER, skipSshd, startSshd, stopAllSshd, type Sshd } from './sshd.js';

// Skipped only without sshd/docker and without PALISADE_REQUIRE_INTEGRATION
// (a laptop); in CI both helpers throw instead.
const engineReady = await requireEngine();
if (!skipSshd()) assertSshdAvailable();
const ready = engineReady && !skipSshd();

const containerName = uniqueName('palisade-it-vm-child');

function cli(args: string[], cwd: string): Promise<CliRun> {
  return runCli(args, { cwd });
}

function status(result: ScanResult, workload: string, checkId: string): Finding | undefined {
  const w = result.workloads.find((x) => x.name === workload);
  return result.findings.find((f) => f.workloadId === w?.id && f.checkId === checkId);
}

// Skipped only without the services and without PALISADE_REQUIRE_INTEGRATION (see above).
describe.skipIf(!ready)('integration: palisade scan --inventory over SSH', () => {
  let dir: string;
  let sshd: Sshd;
  let silent: Server;
  const sockets: Socket[] = [];
  let result: ScanResult;
  let run: CliRun;

  beforeAll(async () => {
    dir = makeTempDir('palisade-it-hosts');
    const key = makeKey(dir, 'id_ed25519');
    sshd = await startSshd({ authorizedKeys: [key.publicLine] });
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    writeFileSync(path.join(dir, 'known_hosts'), `${sshd.knownHostsLine()}\n`);
    await docker.createContainer({ name: containerName, Image: TEST_IMAGE, HostConfig: { NetworkMode: 'none' } }).then((c) => c.start());

    mkdirSync(path.join(dir, 'repo'), { recursive: true });
    const inventory = [
      'apiVersion: palisade/v1',
      'kind: Inventory',
      'defaults:',
      `  identity: ${key.privateFile}`,
      `  knownHosts: [${path.join(dir, 'known_hosts')}]`,
      '  connectTimeout: 3s',
      'hosts:',
      '  vm-root:',
      '    address: 127.0.0.1',
      `    port: ${sshd.port}`,
      `    user: ${CI_USER}`,
      '    sudo: true',
      '    segment: app',
      '    docker: ssh',
      '  vm-user:',
      '    address: 127.0.0.1',
      `    port: ${sshd.port}`,
      `    user: ${NOSUDO_USER}`,
      '    sudo: true',
      '    segment: app',
      '  vm-silent:',
      '    address: 127.0.0.1',
      `    port: ${silentPort}`,
      `    user: ${CI_USER}`,
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'repo', 'palisade.yaml'), inventory);

    run = await cli(
      ['scan', '--include-passed', '--format', `json=${path.join(dir, 'report.json')}`, '--format', `sarif=${path.join(dir, 'report.sarif')}`, '--fail-on', 'none'],
      path.join(dir, 'repo'),
    );
    result = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as ScanResult;
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    silent?.close();
    await stopAllSshd();
    await removeContainers([containerName]);
  });

  it('scans the reachable hosts and reports the silent one as not scanned (exit 3)', () => {
    expect(run.code).toBe(3);
    expect(result.workloads.find((w) => w.name === 'vm-root')?.error).toBeUndefined();
    expect(result.workloads.find((w) => w.name === 'vm-user')?.error).toBeUndefined();
    expect(result.workloads.find((w) => w.name === 'vm-silent')?.error).toMatch(/time|timed out/i);
    expect(run.stderr).toMatch(/could not scan ssh:\/\/palisade-ci@127\.0\.0\.1:\d+: .*vm-silent/);
  });

  it('evaluates root-only facts through sudo, and says "needs root" without it', () => {
    expect(status(result, 'vm-root', 'vm/ssh-empty-passwords-disabled')?.status).toBe('pass');
    expect(status(result, 'vm-root', 'vm/no-empty-passwords')?.status).toBe('pass');
    const noRoot = status(result, 'vm-user', 'vm/ssh-empty-passwords-disabled');
    expect(noRoot?.status).toBe('not-applicable');
    expect(noRoot?.reason).toMatch(/needs root/);
  });

  it('reports this Debian guest\'s pending security updates as apt does', () => {
    const apt = execFileSync('apt', ['list', '--upgradable'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const expected = apt
      .split('\n')
      .filter((l) => /-security/.test(l))
      .map((l) => l.split('/')[0])
      .sort();
    const w = result.workloads.find((x) => x.name === 'vm-root');

    const found = result.findings
      .filter((f) => f.workloadId === w?.id && f.checkId === 'vm/security-updates-applied' && f.status === 'fail')
      .map((f) => f.key)
      .sort();

    expect(found).toEqual(expected);
  });

  it('puts the engine reached through the VM under it, and counts the VM in the container\'s effective depth', () => {
    const host = result.workloads.find((w) => w.name === 'vm-root');
    const engine = result.workloads.find((w) => w.kind === 'engine' && w.parent === host?.id);
    const container = result.workloads.find((w) => w.name === containerName);

    expect(engine).toBeDefined();
    expect(container?.parent).toBe(engine?.id);
    expect(container?.effective?.chain).toEqual([container?.id, engine?.id, host?.id]);
    const own = container?.depth.applicable ?? 0;
    const total = (container?.depth.applicable ?? 0) + (engine?.depth.applicable ?? 0) + (host?.depth.applicable ?? 0);
    expect(container?.effective?.depth.applicable).toBe(total);
    expect(total).toBeGreaterThan(own);
  });

  it('judges the Debian docker.io build from the VM\'s package state instead of calling it unjudgeable', () => {
    const host = result.workloads.find((w) => w.name === 'vm-root');
    const engine = result.workloads.find((w) => w.kind === 'engine' && w.parent === host?.id);
    const version = result.findings.find((f) => f.workloadId === engine?.id && f.checkId === 'docker/engine-version-not-vulnerable');

    expect(['pass', 'fail']).toContain(version?.status);
  });

  it('locates each host on its inventory line in SARIF, and the SARIF passes GitHub\'s rules', () => {
    const sarif = JSON.parse(readFileSync(path.join(dir, 'report.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const uris = sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri) ?? [];

    expect(uris).toContain('palisade.yaml');
    expect(result.workloads.find((w) => w.name === 'vm-root')?.location).toEqual({ uri: 'palisade.yaml', startLine: 8, synthetic: false });
    expect(validateSarif(prepareMultitool(dir), path.join(dir, 'report.sarif'))).toEqual([]);
  });
});
