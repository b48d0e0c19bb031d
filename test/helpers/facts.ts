// Builders for plain facts: a hardened container on a hardened engine, which
// each test bends in one place to make a check fail.
import type { ContainerFacts, ContainerSubject, EngineFacts, EngineSubject, HostFacts, HostSubject, ImageFacts } from '../../src/model/facts.js';
import type { Check, CheckTarget, EvaluationContext, SubjectByTarget, Violation } from '../../src/model/check.js';

export const NOW = new Date('2026-11-28T12:00:00Z');

export function engineFacts(overrides: Partial<EngineFacts> = {}): EngineFacts {
  return {
    id: 'ENGINE-ID',
    name: 'docker-host-1',
    endpoint: 'unix:///var/run/docker.sock',
    transport: 'unix',
    versions: { engine: '27.3.1', apiVersion: '1.47', containerd: '1.7.29', runc: '1.3.3', init: '0.19.0' },
    os: { operatingSystem: 'Debian GNU/Linux 12 (bookworm)', osType: 'linux', kernelVersion: '6.1.0-26-amd64', architecture: 'x86_64' },
    security: {
      apparmor: true,
      selinux: false,
      seccomp: true,
      seccompProfile: 'builtin',
      userns: true,
      rootless: false,
      noNewPrivileges: true,
      cgroupns: true,
    },
    cgroupVersion: '2',
    cgroupDriver: 'systemd',
    liveRestore: true,
    experimental: false,
    loggingDriver: 'journald',
    insecureRegistryCidrs: ['127.0.0.0/8', '::1/128'],
    insecureRegistryHosts: [],
    authorizationPlugins: [],
    swarm: { state: 'inactive', controlAvailable: false },
    defaultBridge: { iccEnabled: false },
    containerCounts: { total: 1, running: 1 },
    ...overrides,
  };
}

export function imageFacts(overrides: Partial<ImageFacts> = {}): ImageFacts {
  return {
    id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    repoTags: ['registry.example.com/team/app:1.4.2'],
    repoDigests: ['registry.example.com/team/app@sha256:2222222222222222222222222222222222222222222222222222222222222222'],
    created: '2026-11-01T00:00:00Z',
    user: '10001',
    healthcheck: { configured: true, disabled: false },
    labels: {
      'org.opencontainers.image.source': 'https://github.com/example/app',
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
    },
    os: 'linux',
    architecture: 'amd64',
    ...overrides,
  };
}

export function containerFacts(overrides: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id: 'c0ffee0000000000000000000000000000000000000000000000000000000000',
    name: 'app',
    imageRef: 'registry.example.com/team/app:1.4.2@sha256:2222222222222222222222222222222222222222222222222222222222222222',
    imageId: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    state: 'running',
    labels: {},
    user: '10001:10001',
    privileged: false,
    capAdd: [],
    capDrop: ['ALL'],
    readonlyRootfs: true,
    networkMode: 'app-net',
    networks: ['app-net'],
    pidMode: '',
    ipcMode: 'private',
    utsMode: '',
    usernsMode: '',
    cgroupnsMode: 'private',
    cgroupParent: '',
    securityOpt: ['no-new-privileges:true'],
    appArmorProfile: 'docker-default',
    mounts: [],
    devices: [],
    deviceCgroupRules: [],
    portBindings: [{ containerPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }],
    publishAllPorts: false,
    resources: {
      memory: 268435456,
      memoryReservation: 0,
      memorySwap: 268435456,
      cpuShares: 512,
      nanoCpus: 500000000,
      cpuQuota: 0,
      cpuPeriod: 0,
      cpusetCpus: '',
      pidsLimit: 100,
      oomKillDisable: false,
      ulimits: [],
    },
    restartPolicy: { name: 'on-failure', maximumRetryCount: 5 },
    maskedPaths: [
      '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
      '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
    ],
    readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    sysctls: {},
    env: [{ name: 'PATH', empty: false }],
    healthcheck: undefined,
    processes: [{ command: 'app', user: '10001' }],
    logDriver: 'journald',
    createdAt: '2026-11-20T00:00:00Z',
    ...overrides,
  };
}

export interface SubjectOverrides {
  container?: Partial<ContainerFacts>;
  image?: Partial<ImageFacts> | null;
  engine?: Partial<EngineFacts>;
}

export function containerSubject(o: SubjectOverrides = {}): ContainerSubject {
  return {
    container: containerFacts(o.container),
    image: o.image === null ? undefined : imageFacts(o.image ?? {}),
    engine: engineFacts(o.engine),
  };
}

export function engineSubject(overrides: Partial<EngineFacts> = {}): EngineSubject {
  return { engine: engineFacts(overrides) };
}

/** Parameters from the check's own defaults, overridden by `params`. */
export function context(check: Check, params: Record<string, unknown> = {}, now: Date = NOW): EvaluationContext {
  const defaults: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(check.meta.parameters ?? {})) defaults[name] = spec.default;
  return { params: { ...defaults, ...params }, now };
}

/** Runs a check the way the engine does: not-applicable first, then evaluate. */
export function run<T extends CheckTarget>(
  check: Check<T>,
  subject: SubjectByTarget[T],
  params: Record<string, unknown> = {},
  now: Date = NOW,
): { notApplicable?: string; violations: Violation[] } {
  const ctx = context(check as Check, params, now);
  const reason = check.appliesTo?.(subject, ctx);
  if (reason !== undefined) return { notApplicable: reason, violations: [] };
  return { violations: check.evaluate(subject, ctx) };
}

/** Message ids of a run, for terse assertions. */
export function messageIds(result: { violations: Violation[] }): string[] {
  return result.violations.map((v) => v.messageId);
}

/** A patched, firewalled Debian 12 VM with hardened sshd, gathered as root. */
export function hostFacts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    name: 'web-1',
    address: '198.18.0.10',
    port: 22,
    segment: 'dmz',
    tags: ['web'],
    os: { id: 'debian', idLike: [], versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', codename: 'bookworm', family: 'debian' },
    kernel: { release: '6.1.0-28-amd64', architecture: 'x86_64', newestInstalled: '6.1.0-28-amd64' },
    virtualization: 'kvm',
    privilege: { root: true, sudo: 'not-configured' },
    packageFormat: 'dpkg',
    packages: [
      { name: 'openssl', sourceName: 'openssl', version: '3.0.15-1~deb12u1', arch: 'amd64' },
      { name: 'openssh-server', sourceName: 'openssh', version: '1:9.2p1-2+deb12u3', arch: 'amd64' },
    ],
    updates: { pending: [], metadataAgeSeconds: 3600 },
    rebootRequired: { required: false, packages: [] },
    autoUpdates: { mechanism: 'unattended-upgrades', enabled: true, detail: 'APT::Periodic::Unattended-Upgrade "1"' },
    firewall: { backend: 'nftables', inputPolicy: 'drop', inputRules: 4 },
    listening: [
      { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' },
      { protocol: 'tcp', address: '127.0.0.1', port: 5432, process: 'postgres' },
    ],
    ipForwarding: { ipv4: false, ipv6: false },
    sshd: {
      permitrootlogin: 'no',
      passwordauthentication: 'no',
      permitemptypasswords: 'no',
      x11forwarding: 'no',
      maxauthtries: '3',
      ciphers: 'chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr',
      macs: 'hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com',
      kexalgorithms: 'sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org',
    },
    worldWritable: [],
    emptyPasswordAccounts: [],
    notCollected: {},
    ...overrides,
  };
}

export function hostSubject(overrides: Partial<HostFacts> = {}): HostSubject {
  return { host: hostFacts(overrides) };
}
