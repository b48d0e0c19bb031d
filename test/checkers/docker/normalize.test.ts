import { describe, expect, it } from 'vitest';

import {
  commandName,
  composeOrigin,
  engineSecurity,
  envNames,
  healthcheck,
  mounts,
  normalizeCapability,
  normalizeContainer,
  normalizeEngine,
  normalizeImage,
  portBindings,
  processes,
} from '../../../src/checkers/docker/normalize.js';
import { body } from './recorded.js';

const SOURCE = { display: 'unix:///var/run/docker.sock', transport: 'unix' } as const;
const IMAGE_ID = 'sha256:29b08a2e8bb5df41c3eb027d953e0d0dd7f651a8d530cb2c5d359e14405e9acd';

function recordedContainer(scenario: string, name: string, withTop = true) {
  return normalizeContainer(body(scenario, `container-${name}.json`), withTop ? body(scenario, `top-${name}.json`) : undefined);
}

describe('src/checkers/docker/normalize', () => {
  describe('normalizeEngine', () => {
    it('reads versions, OS, security and registries from the recorded engine', () => {
      const info = body('hardened', 'info.json');
      const version = body('hardened', 'version.json');
      const bridge = body('hardened', 'network-bridge.json');

      const engine = normalizeEngine(info, version, bridge, SOURCE);

      expect(engine).toMatchObject({
        id: '25N7:A6Z3:AGQB:FOUH:AJ4Z:PYS4:WV2Q:IMKR:YJKU:QFAB:2RKX:IYNE',
        name: 'vm',
        endpoint: 'unix:///var/run/docker.sock',
        transport: 'unix',
        versions: { engine: '20.10.24+dfsg1', apiVersion: '1.41', containerd: '1.6.20~ds1', runc: '1.1.5+ds1', init: '0.19.0' },
        os: { operatingSystem: 'Debian GNU/Linux 12 (bookworm)', osType: 'linux', architecture: 'x86_64' },
        security: { seccomp: true, seccompProfile: 'default', apparmor: false, userns: false, rootless: false },
        cgroupVersion: '1',
        cgroupDriver: 'cgroupfs',
        liveRestore: false,
        experimental: false,
        loggingDriver: 'json-file',
        insecureRegistryCidrs: ['127.0.0.0/8'],
        insecureRegistryHosts: [],
        authorizationPlugins: [],
        swarm: { state: 'inactive', controlAvailable: false },
        defaultBridge: { iccEnabled: true },
      });
      expect(engine.containerCounts.total).toBeGreaterThanOrEqual(engine.containerCounts.running);
    });

    it.each([
      ['false', false],
      ['0', false],
      ['true', true],
      [undefined, true],
    ])('reads enable_icc=%s on the default bridge as iccEnabled=%s', (value, expected) => {
      const bridge = { Name: 'bridge', Options: value === undefined ? {} : { 'com.docker.network.bridge.enable_icc': value } };

      const engine = normalizeEngine({}, {}, bridge, SOURCE);

      expect(engine.defaultBridge).toEqual({ iccEnabled: expected });
    });

    it('leaves defaultBridge absent when the engine has no bridge network', () => {
      const engine = normalizeEngine({}, {}, undefined, SOURCE);

      expect(engine.defaultBridge).toBeUndefined();
    });

    it('lists registries marked insecure, swarm state and authorization plugins', () => {
      const info = {
        RegistryConfig: {
          InsecureRegistryCIDRs: ['127.0.0.0/8', '10.0.0.0/8'],
          IndexConfigs: {
            'docker.io': { Name: 'docker.io', Secure: true, Official: true },
            'registry.local:5000': { Name: 'registry.local:5000', Secure: false, Official: false },
          },
        },
        Swarm: { LocalNodeState: 'active', ControlAvailable: true },
        Plugins: { Authorization: ['opa-docker-authz'] },
      };

      const engine = normalizeEngine(info, {}, undefined, SOURCE);

      expect(engine.insecureRegistryCidrs).toEqual(['127.0.0.0/8', '10.0.0.0/8']);
      expect(engine.insecureRegistryHosts).toEqual(['registry.local:5000']);
      expect(engine.swarm).toEqual({ state: 'active', controlAvailable: true });
      expect(engine.authorizationPlugins).toEqual(['opa-docker-authz']);
    });

    it('survives an old API that sends almost nothing, using the endpoint as identity', () => {
      const info = { Name: 'old', SecurityOptions: null, RegistryConfig: null, Swarm: null, Plugins: null };
      const version = { Version: '1.13.1', ApiVersion: '1.26', Components: null };

      const engine = normalizeEngine(info, version, null, SOURCE);

      expect(engine).toMatchObject({
        id: 'unix:///var/run/docker.sock',
        name: 'old',
        versions: { engine: '1.13.1', apiVersion: '1.26' },
        insecureRegistryCidrs: [],
        insecureRegistryHosts: [],
        swarm: { state: 'inactive', controlAvailable: false },
        containerCounts: { total: 0, running: 0 },
      });
      expect(engine.versions.containerd).toBeUndefined();
      expect(engine.cgroupVersion).toBeUndefined();
    });
  });

  describe('engineSecurity', () => {
    it.each([
      [['name=seccomp,profile=builtin'], { seccomp: true, seccompProfile: 'builtin' }],
      [['name=seccomp,profile=unconfined'], { seccomp: true, seccompProfile: 'unconfined' }],
      [['name=apparmor'], { apparmor: true }],
      [['name=selinux'], { selinux: true }],
      [['name=userns'], { userns: true }],
      [['name=rootless'], { rootless: true }],
      [['name=cgroupns'], { cgroupns: true }],
      [['name=no-new-privileges'], { noNewPrivileges: true }],
      [['apparmor', 'seccomp'], { apparmor: true, seccomp: true }],
    ])('parses %j', (entries, expected) => {
      const security = engineSecurity(entries);

      expect(security).toMatchObject(expected);
    });

    it('reports nothing enabled when SecurityOptions is missing', () => {
      const security = engineSecurity(undefined);

      expect(Object.values(security).every((v) => v === false)).toBe(true);
    });
  });

  describe('normalizeContainer', () => {
    it('reads the hardened posture', () => {
      const facts = recordedContainer('hardened', 'hardened');

      expect(facts).toMatchObject({
        name: 'palisade-rec-hardened',
        imageRef: 'palisade-test/busybox:1',
        imageId: IMAGE_ID,
        state: 'running',
        user: '65534:65534',
        privileged: false,
        capAdd: [],
        capDrop: ['ALL'],
        readonlyRootfs: true,
        securityOpt: ['no-new-privileges'],
        portBindings: [{ containerPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 48080 }],
        resources: { memory: 67108864, pidsLimit: 64, nanoCpus: 500000000 },
        restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
        healthcheck: { configured: true, disabled: false },
        env: [{ name: 'APP_MODE', empty: false }],
        processes: [{ command: 'sleep', user: 'nobody' }],
        logDriver: 'json-file',
      });
      expect(facts.mounts).toEqual([
        { type: 'tmpfs', source: '', destination: '/tmp', readOnly: false, propagation: '' },
        { type: 'volume', source: 'palisade-rec-data', destination: '/data', readOnly: true, propagation: '' },
      ]);
      expect(facts.compose).toBeUndefined();
    });

    it('reads the risky posture', () => {
      const facts = recordedContainer('risky', 'risky');

      expect(facts).toMatchObject({
        name: 'palisade-rec-risky',
        capAdd: ['NET_ADMIN', 'SYS_ADMIN'],
        capDrop: [],
        pidMode: 'host',
        securityOpt: ['seccomp=unconfined', 'label=disable'],
        readonlyRootfs: false,
        portBindings: [{ containerPort: 8080, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 48081 }],
        resources: { memory: 0, pidsLimit: null },
        healthcheck: { configured: false, disabled: true },
        processes: [{ command: 'sleep', user: 'root' }],
      });
      // The docker CLI does not keep -e order.
      expect([...facts.env].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([
        { name: 'DB_PASSWORD', empty: false },
        { name: 'EMPTY_SETTING', empty: true },
      ]);
      expect(facts.mounts).toEqual([
        { type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' },
      ]);
    });

    it('never keeps environment values or process arguments', () => {
      const facts = recordedContainer('risky', 'risky');

      const text = JSON.stringify(facts);

      expect(text).not.toContain('<redacted>');
      expect(text).not.toContain('3600');
    });

    it('reads a created privileged container, whose masked paths the engine leaves null', () => {
      const facts = recordedContainer('privileged', 'privileged', false);

      expect(facts).toMatchObject({ name: 'palisade-rec-privileged', privileged: true, state: 'created', maskedPaths: [], readonlyPaths: [] });
      expect(facts.processes).toBeUndefined();
    });

    it('reads the compose origin and both processes', () => {
      const facts = recordedContainer('compose', 'compose');

      expect(facts.compose).toEqual({
        project: 'palisade-rec',
        service: 'web',
        workingDir: '/srv/palisade-rec',
        configFiles: ['/srv/palisade-rec/compose.yaml', '/srv/palisade-rec/compose.override.yaml'],
        containerNumber: '1',
      });
      expect(facts.processes).toEqual([
        { command: 'sleep', user: 'root' },
        { command: 'sleep', user: 'root' },
      ]);
    });

    it('survives an empty or null-filled inspect body', () => {
      const raw = { Name: '/old', Config: null, HostConfig: null, State: { Running: true }, Mounts: null, NetworkSettings: null };

      const facts = normalizeContainer(raw);

      expect(facts).toMatchObject({ name: 'old', state: 'running', capAdd: [], mounts: [], portBindings: [], env: [], networks: [] });
      expect(facts.resources.pidsLimit).toBeNull();
      expect(normalizeContainer(undefined).name).toBe('');
    });
  });

  describe('normalizeImage', () => {
    it('reads the recorded image', () => {
      const raw = body('hardened', 'image-29b08a2e8bb5.json');

      const image = normalizeImage(raw);

      expect(image).toEqual({
        id: IMAGE_ID,
        repoTags: ['palisade-test/busybox:1'],
        repoDigests: [],
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        user: '',
        healthcheck: { configured: false, disabled: false },
        labels: {},
        os: 'linux',
        architecture: 'amd64',
      });
    });

    it('falls back to ContainerConfig and drops placeholder tags and zero times', () => {
      const raw = {
        Id: 'sha256:abc',
        RepoTags: ['<none>:<none>'],
        RepoDigests: null,
        Created: '0001-01-01T00:00:00Z',
        Config: null,
        ContainerConfig: { User: 'app', Healthcheck: { Test: ['NONE'] }, Labels: { a: 'b' } },
      };

      const image = normalizeImage(raw);

      expect(image).toMatchObject({ repoTags: [], repoDigests: [], user: 'app', healthcheck: { configured: false, disabled: true }, labels: { a: 'b' } });
      expect(image.created).toBeUndefined();
    });
  });

  describe('commandName', () => {
    it.each([
      ['/bin/sleep 3600', 'sleep'],
      ['/usr/sbin/sshd -D -e', 'sshd'],
      ['sshd: root@pts/0', 'sshd'],
      ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', 'sshd'],
      ['postgres: checkpointer', 'postgres'],
      ['nginx: master process nginx -g daemon off;', 'nginx'],
      ['-bash', 'bash'],
      ['-/bin/sh', 'sh'],
      ['[kworker/0:1]', 'kworker/0:1'],
      ['[sh] <defunct>', 'sh'],
      ['python3 app.py --token=s3cret', 'python3'],
      ['', ''],
    ])('%j -> %j', (line, expected) => {
      expect(commandName(line)).toBe(expected);
    });
  });

  describe('processes', () => {
    it('finds the user and command columns whatever ps_args produced', () => {
      const top = { Titles: ['PID', 'USER', 'TIME', 'COMMAND'], Processes: [['1', 'www-data', '0:00', '/usr/sbin/apache2 -k start']] };

      const list = processes(top);

      expect(list).toEqual([{ command: 'apache2', user: 'www-data' }]);
    });

    it('returns nothing when there is no command column', () => {
      expect(processes({ Titles: ['PID'], Processes: [['1']] })).toEqual([]);
      expect(processes(null)).toEqual([]);
    });
  });

  describe('field helpers', () => {
    it.each([
      ['CAP_SYS_ADMIN', 'SYS_ADMIN'],
      ['cap_net_raw', 'NET_RAW'],
      ['net_admin', 'NET_ADMIN'],
      ['ALL', 'ALL'],
      ['all', 'ALL'],
    ])('normalizes capability %s to %s', (raw, expected) => {
      expect(normalizeCapability(raw)).toBe(expected);
    });

    it('keeps env names only, flagging empty values', () => {
      const env = envNames(['A=1', 'B=', 'C', 'D==x']);

      expect(env).toEqual([
        { name: 'A', empty: false },
        { name: 'B', empty: true },
        { name: 'C', empty: true },
        { name: 'D', empty: false },
      ]);
    });

    it.each([
      [{ Test: ['NONE'] }, { configured: false, disabled: true }],
      [{ Test: ['CMD', 'true'] }, { configured: true, disabled: false }],
      [{ Test: ['CMD-SHELL', 'curl -f localhost'] }, { configured: true, disabled: false }],
      [{ Test: [] }, undefined],
      [null, undefined],
    ])('reads healthcheck %j', (raw, expected) => {
      expect(healthcheck(raw)).toEqual(expected);
    });

    it('reads port bindings, with Docker-chosen ports as 0 and exposed-only ports skipped', () => {
      const raw = { '53/udp': [{ HostIp: '', HostPort: '' }], '80/tcp': [{ HostIp: '::', HostPort: '8080' }, { HostIp: '0.0.0.0', HostPort: '8080' }], '9000/tcp': null };

      const ports = portBindings(raw);

      expect(ports).toEqual([
        { containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 0 },
        { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 },
        { containerPort: 80, protocol: 'tcp', hostIp: '::', hostPort: 8080 },
      ]);
    });

    it('infers the mount type on API versions before Type existed', () => {
      const raw = [
        { Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', RW: true },
        { Source: '/etc', Destination: '/host-etc', RW: false, Propagation: 'rslave' },
      ];

      const list = mounts(raw);

      expect(list).toEqual([
        { type: 'volume', source: 'data', destination: '/data', readOnly: false, propagation: '' },
        { type: 'bind', source: '/etc', destination: '/host-etc', readOnly: true, propagation: 'rslave' },
      ]);
    });

    it('needs the project label to call a container part of Compose', () => {
      expect(composeOrigin({ 'com.docker.compose.service': 'web' })).toBeUndefined();
      expect(composeOrigin({ 'com.docker.compose.project': 'p' })).toEqual({ project: 'p', service: '', configFiles: [] });
    });
  });
});
