import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { declaredContainer, declaredEngine, declaredPortBindings, DOCKER_MASKED_PATHS } from '../../../src/checkers/compose/declared.js';
import { resolveCompose } from '../../../src/checkers/compose/resolve.js';
import type { ResolvedProject } from '../../../src/checkers/compose/types.js';
import { engineFacts } from '../../helpers/facts.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'check');

function project(name: string): ResolvedProject {
  return resolveCompose({ cwd: path.join(FIXTURES, name), env: {} });
}

function declared(name: string, service: string, engine = declaredEngine()) {
  const p = project(name);
  const s = p.services.find((x) => x.name === service);
  if (s === undefined) throw new Error(`no service ${service}`);
  return declaredContainer(p, s, { engine, file: `${name}/compose.yaml` });
}

describe('src/checkers/compose/declared', () => {
  it('turns a risky service into the facts docker inspect would show (privileged clears masked paths, binds are rprivate)', () => {
    const c = declared('risky', 'web');

    expect(c).toMatchObject({
      name: 'shop-web-1',
      imageRef: 'nginx:latest',
      state: 'declared',
      privileged: true,
      capAdd: ['NET_ADMIN', 'SYS_ADMIN'],
      capDrop: [],
      networkMode: 'shop_default',
      networks: ['shop_default'],
      ipcMode: 'private',
      maskedPaths: [],
      readonlyPaths: [],
      restartPolicy: { name: 'no', maximumRetryCount: 0 },
      declared: { file: 'risky/compose.yaml', project: 'shop', service: 'web' },
    });
    expect(c.mounts).toEqual([
      { type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' },
      { type: 'bind', source: path.join(FIXTURES, 'risky', 'data'), destination: '/data', readOnly: true, propagation: 'rprivate' },
    ]);
    // Compose publishes without host_ip on all interfaces; docker inspect shows HostIp "".
    expect(c.portBindings).toEqual([
      { containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 80 },
      { containerPort: 443, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8443 },
    ]);
  });

  it('keeps environment variable names only, never values', () => {
    const c = declared('risky', 'web');

    expect(c.env).toEqual([
      { name: 'DB_PASSWORD', empty: false },
      { name: 'LOG_LEVEL', empty: false },
    ]);
    expect(JSON.stringify(c)).not.toContain('not-a-real-secret-value');
  });

  it('sets the com.docker.compose.* labels Compose puts on the containers it creates', () => {
    const c = declared('risky', 'web');

    expect(c.labels).toEqual({
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.project.working_dir': path.join(FIXTURES, 'risky'),
      'com.docker.compose.project.config_files': path.join(FIXTURES, 'risky', 'compose.yaml'),
    });
    expect(c.compose).toEqual({
      project: 'shop',
      service: 'web',
      workingDir: path.join(FIXTURES, 'risky'),
      configFiles: [path.join(FIXTURES, 'risky', 'compose.yaml')],
      containerNumber: '1',
    });
  });

  it('parses resources the way the engine stores them: memory in bytes, cpus as NanoCpus, pids', () => {
    const c = declared('hardened', 'api');

    expect(c.resources).toMatchObject({ memory: 256 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 100 });
    expect(c.restartPolicy).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(c.healthcheck).toEqual({ configured: true, disabled: false });
    expect(c.maskedPaths).toEqual(DOCKER_MASKED_PATHS);
    expect(c.networkMode).toBe('shop_backend');
    expect(c.mounts).toEqual([{ type: 'tmpfs', source: '', destination: '/tmp', readOnly: false, propagation: '' }]);
  });

  it('maps host namespaces, long-syntax volumes, devices and security options', () => {
    const c = declared('long-syntax', 'app');

    expect(c).toMatchObject({
      imageRef: 'lab-app',
      networkMode: 'host',
      networks: [],
      pidMode: 'host',
      ipcMode: 'host',
      usernsMode: 'host',
      cgroupnsMode: 'host',
      securityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      appArmorProfile: 'unconfined',
      devices: [{ hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' }],
      sysctls: { 'net.ipv4.ip_forward': '1' },
      restartPolicy: { name: 'always', maximumRetryCount: 0 },
      healthcheck: { configured: false, disabled: true },
      env: [
        { name: 'EMPTY', empty: true },
        { name: 'API_TOKEN', empty: true },
      ],
    });
    expect(c.resources).toMatchObject({ memory: 512 * 1024 * 1024, nanoCpus: 1_500_000_000, pidsLimit: 64 });
    expect(c.mounts).toEqual([
      { type: 'bind', source: '/srv/shared', destination: '/shared', readOnly: false, propagation: 'rshared' },
      { type: 'volume', source: 'lab_cache', destination: '/cache', readOnly: false, propagation: '' },
    ]);
  });

  it.each([
    ['2', 'private'],
    ['1', 'host'],
  ])('takes the cgroup namespace default from a real engine (cgroup v%s -> %s), none from the stand-in', (version, mode) => {
    expect(declared('risky', 'web', engineFacts({ cgroupVersion: version })).cgroupnsMode).toBe(mode);
    expect(declared('risky', 'web').cgroupnsMode).toBe('');
  });

  it('expands port ranges port by port, and leaves an unpublished port to the engine (host port 0)', () => {
    const bindings = declaredPortBindings([
      { target: '8000-8001', published: '9000-9001', protocol: 'tcp', mode: 'ingress' },
      { target: 53, protocol: 'udp', mode: 'ingress', host_ip: '10.0.0.5' },
    ]);

    expect(bindings).toEqual([
      { containerPort: 53, protocol: 'udp', hostIp: '10.0.0.5', hostPort: 0 },
      { containerPort: 8000, protocol: 'tcp', hostIp: '', hostPort: 9000 },
      { containerPort: 8001, protocol: 'tcp', hostIp: '', hostPort: 9001 },
    ]);
  });

  it('marks the stand-in engine as declared, with stock Docker defaults', () => {
    expect(declaredEngine()).toMatchObject({ declared: true, security: { seccomp: true, userns: false, noNewPrivileges: false } });
  });
});
