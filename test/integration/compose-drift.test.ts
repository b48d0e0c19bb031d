// End to end against the real engine, for issue 7: `docker compose` is not
// installed, so the containers Compose would create from a Compose file are
// created through the Engine API with Compose's labels. Proves that a declared
// service and the container made from it get identical verdicts on every
// check that decides both, and that `scan` finds and locates drift.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { normalizeImage } from '../../src/checkers/docker/normalize.js';
import { findArchiveImage, readImageArchive } from '../../src/checkers/image-archive/index.js';
import type { Finding, ScanResult } from '../../src/model/report.js';
import { runCli } from '../helpers/cli.js';
import { docker, removeContainers, requireEngine, SOCKET, TEST_IMAGE, uniqueName } from './engine.js';

// Skipped only when no engine is available and PALISADE_REQUIRE_INTEGRATION is
// not set (a laptop without Docker); in CI requireEngine() throws instead.
const ready = await requireEngine();

const project = uniqueName('palisade-it-compose').replace(/[^a-z0-9-]/g, '');
const network = `${project}_default`;
const OWN_LABEL = { 'palisade.test': 'compose-drift' };

const COMPOSE = `name: ${project}
services:
  app:
    image: ${TEST_IMAGE}
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt:
      - no-new-privileges:true
    ports:
      - "127.0.0.1:18080:8080"
    volumes:
      - ./data:/data:ro
    tmpfs:
      - /tmp
    environment:
      APP_MODE: production
    mem_limit: 64m
    pids_limit: 50
    cpus: 0.5
    restart: on-failure:3
    healthcheck:
      test: ["CMD", "/bin/true"]
    labels:
      palisade.test: compose-drift
  drifted:
    image: ${TEST_IMAGE}
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    mem_limit: 64m
    labels:
      palisade.test: compose-drift
`;

function composeLabels(dir: string, service: string): Record<string, string> {
  return {
    ...OWN_LABEL,
    'com.docker.compose.project': project,
    'com.docker.compose.service': service,
    'com.docker.compose.container-number': '1',
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.project.working_dir': dir,
    'com.docker.compose.project.config_files': path.join(dir, 'compose.yaml'),
  };
}

function statuses(result: ScanResult, name: string): Map<string, Finding[]> {
  const w = result.workloads.find((x) => x.kind === 'container' && x.name === name);
  if (!w) throw new Error(`workload ${name} not in report`);
  const out = new Map<string, Finding[]>();
  for (const f of result.findings.filter((x) => x.workloadId === w.id)) out.set(f.checkId, [...(out.get(f.checkId) ?? []), f]);
  return out;
}

function verdict(findings: Finding[] | undefined): string {
  if (!findings) return 'missing';
  return findings.map((f) => `${f.status}${f.key !== undefined ? `:${f.key}` : ''}`).sort().join(',');
}

describe.skipIf(!ready)('integration: palisade check and drift against the local engine', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-it-compose-'));
  const names = { app: `${project}-app-1`, drifted: `${project}-drifted-1` };
  let checked: ScanResult;
  let scanned: ScanResult;
  let checkCode: number;

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    mkdirSync(path.join(dir, 'data'));
    await docker.createNetwork({ Name: network, Labels: { ...OWN_LABEL, 'com.docker.compose.project': project, 'com.docker.compose.network': 'default' } });
    // What `docker compose create` sends for `app`, field by field.
    await docker.createContainer({
      name: names.app,
      Image: TEST_IMAGE,
      User: '1000:1000',
      Env: ['APP_MODE=production'],
      Labels: composeLabels(dir, 'app'),
      Healthcheck: { Test: ['CMD', '/bin/true'] },
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        CapAdd: ['NET_BIND_SERVICE'],
        SecurityOpt: ['no-new-privileges:true'],
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] },
        Mounts: [{ Type: 'bind', Source: path.join(dir, 'data'), Target: '/data', ReadOnly: true }],
        Tmpfs: { '/tmp': '' },
        Memory: 64 * 1024 * 1024,
        PidsLimit: 50,
        NanoCpus: 500_000_000,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        NetworkMode: network,
      },
    });
    // `drifted`, recreated by hand with flags its Compose file does not have.
    await docker.createContainer({
      name: names.drifted,
      Image: TEST_IMAGE,
      User: '1000:1000',
      Labels: composeLabels(dir, 'drifted'),
      HostConfig: {
        ReadonlyRootfs: true,
        Privileged: true,
        CapAdd: ['SYS_ADMIN'],
        Binds: ['/var/run/docker.sock:/var/run/docker.sock'],
        Memory: 64 * 1024 * 1024,
        NetworkMode: network,
      },
    });
    const check = await runCli(
      ['check', 'compose.yaml', '--docker', `unix://${SOCKET}`, '--include-passed', '--format', 'json', '--format', `sarif=${path.join(dir, 'check.sarif')}`],
      { cwd: dir },
    );
    checkCode = check.code;
    checked = JSON.parse(check.stdout) as ScanResult;
    const scan = await runCli(['scan', '--docker', `unix://${SOCKET}`, '--all', '--include-passed', '--format', 'json', '--repo-root', dir], { cwd: dir });
    scanned = JSON.parse(scan.stdout) as ScanResult;
  }, 120_000);

  afterAll(async () => {
    await removeContainers(Object.values(names));
    await docker.getNetwork(network).remove().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the engine and the image config with --docker', () => {
    // Both services pass the default gate as declared.
    expect(checkCode).toBe(0);
    expect(checked.targets.map((t) => [t.kind, t.status])).toEqual([
      ['compose', 'ok'],
      ['docker', 'ok'],
    ]);
    const app = statuses(checked, names.app);
    expect(verdict(app.get('docker/image-healthcheck'))).not.toMatch(/not-applicable/);
  });

  it('gives the declared service and the container created from it identical verdicts on every check that decides both', () => {
    const declared = statuses(checked, names.app);
    const running = statuses(scanned, names.app);
    const decided = (fs: Finding[] | undefined) => fs !== undefined && fs.every((f) => f.status === 'pass' || f.status === 'fail');
    const compared = [...declared.keys()].filter((id) => decided(declared.get(id)) && decided(running.get(id)));

    const mismatches = compared.filter((id) => verdict(declared.get(id)) !== verdict(running.get(id))).map((id) => `${id}: declared ${verdict(declared.get(id))}, running ${verdict(running.get(id))}`);

    expect(mismatches).toEqual([]);
    expect(compared.length).toBeGreaterThanOrEqual(25);
    // Nothing that needs a run passes on the declared side.
    for (const id of ['docker/no-sshd', 'docker/apparmor-profile', 'docker/no-shared-mount-propagation']) {
      expect(verdict(declared.get(id)), id).toMatch(/^not-applicable/);
    }
  });

  it('finds no drift on the container created as declared', () => {
    expect(verdict(statuses(scanned, names.app).get('docker/matches-declared-spec'))).toBe('pass');
  });

  it('finds the drift of the hand-made container and locates it at the declaring lines', () => {
    const drift = (statuses(scanned, names.drifted).get('docker/matches-declared-spec') ?? []).map((f) => `${f.key} ${f.location?.uri}:${f.location?.startLine}`);

    // Undeclared privileges have no key to point at: the service line; the dropped cap_drop its own line.
    expect(drift.sort()).toEqual([
      'cap-add:SYS_ADMIN compose.yaml:27',
      'cap-drop:ALL compose.yaml:31',
      'mount:/var/run/docker.sock compose.yaml:27',
      'privileged compose.yaml:27',
    ]);
    const w = scanned.workloads.find((x) => x.name === names.drifted);
    expect(w?.location).toEqual({ uri: 'compose.yaml', startLine: 27, synthetic: false });
  });

  it('finds the same drift with --compose FILE', async () => {
    const run = await runCli(['scan', '--docker', `unix://${SOCKET}`, '--all', '--compose', 'compose.yaml', '--format', 'json', '--repo-root', dir], { cwd: dir });

    const result = JSON.parse(run.stdout) as ScanResult;
    expect(verdict(statuses(result, names.drifted).get('docker/matches-declared-spec'))).toBe('fail:cap-add:SYS_ADMIN,fail:cap-drop:ALL,fail:mount:/var/run/docker.sock,fail:privileged');
  });

  it('reads the same image config from a `docker save` tarball as from the engine', async () => {
    const tarball = path.join(dir, 'busybox.tar');
    await pipeline(await docker.getImage(TEST_IMAGE).get(), createWriteStream(tarball));

    const fromArchive = findArchiveImage(readImageArchive(tarball), TEST_IMAGE)?.facts;
    const fromEngine = normalizeImage(await docker.getImage(TEST_IMAGE).inspect());

    expect(fromArchive).toEqual({ ...fromEngine, repoTags: [TEST_IMAGE], repoDigests: [] });
    const offline = await runCli(['check', 'compose.yaml', '--image-archive', tarball, '--include-passed', '--format', 'json'], { cwd: dir });
    const viaArchive = statuses(JSON.parse(offline.stdout) as ScanResult, names.app);
    const viaEngine = statuses(checked, names.app);
    for (const id of ['docker/image-healthcheck', 'docker/image-oci-labels', 'docker/image-age', 'docker/non-root-user', 'docker/image-has-registry-digest']) {
      expect(verdict(viaArchive.get(id)), id).toBe(verdict(viaEngine.get(id)));
    }
  });
});
