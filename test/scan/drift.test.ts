import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { declaredContainer } from '../../src/checkers/compose/declared.js';
import { resolveCompose } from '../../src/checkers/compose/resolve.js';
import { PolicyError } from '../../src/errors.js';
import type { ContainerFacts } from '../../src/model/facts.js';
import type { Finding } from '../../src/model/report.js';
import { loadPolicy } from '../../src/policy/policy.js';
import { scan, type DockerTarget, type ScanOptions } from '../../src/scan/scan.js';
import { engineFacts, imageFacts, NOW } from '../helpers/facts.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'check');

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'palisade-drift-'));
  cpSync(FIXTURES, repo, { recursive: true });
});
afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

const engine = engineFacts({ name: 'prod-1' });

/** The container `docker compose up` made from hardened/compose.yaml, bent by `change`. */
function running(change: (c: ContainerFacts) => void, configFiles = ['/elsewhere/compose.yaml']): ContainerFacts {
  const project = resolveCompose({ cwd: path.join(repo, 'hardened'), env: {} });
  const service = project.services[0];
  if (!service) throw new Error('fixture has no service');
  const c = declaredContainer(project, service, { engine, file: 'x' });
  delete c.declared;
  c.state = 'running';
  c.labels['com.docker.compose.project.config_files'] = configFiles.join(',');
  if (c.compose) c.compose.configFiles = configFiles;
  change(c);
  return c;
}

function target(container: ContainerFacts): DockerTarget {
  return {
    display: 'unix:///var/run/docker.sock',
    collect: async () => ({ engine, containers: [{ id: container.id, name: container.name, facts: container, image: imageFacts() }] }),
  };
}

function options(container: ContainerFacts, overrides: Partial<ScanOptions> = {}): ScanOptions {
  return {
    targets: [target(container)],
    policy: loadPolicy('default'),
    all: true,
    processes: false,
    concurrency: 4,
    timeoutMs: 1000,
    now: NOW,
    repoRoot: repo,
    includePassed: true,
    version: '0.0.0-test',
    env: {},
    ...overrides,
  };
}

function drift(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.checkId === 'docker/matches-declared-spec' && f.status === 'fail')
    .map((f) => `${f.key} ${f.location?.uri}:${f.location?.startLine}`);
}

describe('src/scan/drift', () => {
  it('links a container to its service with --compose and locates each drift at the declaring line', async () => {
    const container = running((c) => {
      c.privileged = true;
      c.capDrop = [];
      c.readonlyRootfs = false;
      c.securityOpt = [];
      c.mounts.push({ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' });
      c.portBindings.push({ containerPort: 22, protocol: 'tcp', hostIp: '', hostPort: 2222 });
    });

    const result = await scan(options(container, { compose: ['hardened/compose.yaml'], cwd: repo }));

    expect(drift(result.findings)).toEqual([
      'privileged hardened/compose.yaml:3',
      'cap-drop:ALL hardened/compose.yaml:7',
      // No `volumes` key: the service line; an undeclared port: the `ports` key.
      'mount:/var/run/docker.sock hardened/compose.yaml:3',
      'port:*:2222->22/tcp hardened/compose.yaml:11',
      'read-only hardened/compose.yaml:6',
      'security-opt:no-new-privileges:true hardened/compose.yaml:9',
    ]);
    const workload = result.workloads.find((w) => w.kind === 'container');
    expect(workload?.location).toEqual({ uri: 'hardened/compose.yaml', startLine: 3, synthetic: false });
    // Other checks on a linked container land on the key too.
    expect(result.findings.find((f) => f.checkId === 'docker/no-privileged')?.location?.startLine).toBe(3);
  });

  it('passes a container that runs as declared', async () => {
    const result = await scan(options(running(() => {}), { compose: ['hardened/compose.yaml'], cwd: repo }));

    expect(result.findings.find((f) => f.checkId === 'docker/matches-declared-spec')?.status).toBe('pass');
  });

  it('finds the Compose files at the path the labels name', async () => {
    const file = path.join(repo, 'hardened', 'compose.yaml');
    const container = running((c) => {
      c.user = 'root';
    }, [file]);

    const result = await scan(options(container));

    expect(drift(result.findings)).toEqual(['user hardened/compose.yaml:5']);
  });

  it('does not apply when the Compose files are neither given nor present', async () => {
    const result = await scan(options(running((c) => (c.privileged = true))));

    const f = result.findings.find((x) => x.checkId === 'docker/matches-declared-spec');
    expect(f?.status).toBe('not-applicable');
  });

  it('refuses an invalid --compose file before contacting any engine', async () => {
    let contacted = false;
    const t: DockerTarget = { display: 'x', collect: async () => ((contacted = true), { engine, containers: [] }) };

    await expect(scan(options(running(() => {}), { targets: [t], compose: ['invalid/compose.yaml'], cwd: repo }))).rejects.toThrow(PolicyError);
    expect(contacted).toBe(false);
  });
});
