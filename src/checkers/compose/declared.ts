// A Compose service as the container facts `docker inspect` would show once
// `docker compose up` created it: the same ContainerFacts the Docker checker
// builds, with Docker's and Compose's defaults filled in the way the engine
// fills them, so every container check runs unchanged on a declared spec.
// Environment values never leave the resolver: only names are kept.
import { createHash } from 'node:crypto';
import path from 'node:path';

import type { ContainerFacts, EngineFacts, MountFacts, PortBindingFacts } from '../../model/facts.js';
import { normalizeCapability } from '../docker/normalize.js';
import type { ResolvedPort, ResolvedProject, ResolvedService, ResolvedServiceVolume } from './types.js';

/** HostConfig.MaskedPaths Docker (moby oci/defaults.go) sets on an unprivileged container. */
export const DOCKER_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];

/** HostConfig.ReadonlyPaths Docker sets on an unprivileged container. */
export const DOCKER_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * The engine a declared spec is judged against when no engine was read: a
 * stock Docker Engine (what `dockerd` does with no daemon.json). Checks whose
 * verdict depends on its configuration (`engineFact`) are not evaluated on it.
 */
export function declaredEngine(): EngineFacts {
  return {
    id: 'declared',
    name: 'declared',
    endpoint: 'declared',
    transport: 'unix',
    versions: { engine: '', apiVersion: '' },
    os: { operatingSystem: '', osType: 'linux', kernelVersion: '', architecture: '' },
    security: {
      apparmor: false,
      selinux: false,
      seccomp: true,
      seccompProfile: 'builtin',
      userns: false,
      rootless: false,
      noNewPrivileges: false,
      cgroupns: true,
    },
    liveRestore: false,
    experimental: false,
    loggingDriver: 'json-file',
    insecureRegistryCidrs: ['127.0.0.0/8'],
    insecureRegistryHosts: [],
    authorizationPlugins: [],
    swarm: { state: 'inactive', controlAvailable: false },
    defaultBridge: { iccEnabled: true },
    containerCounts: { total: 0, running: 0 },
    declared: true,
  };
}

export interface DeclareOptions {
  /** The engine the container will run on (declaredEngine() when none was read). */
  engine: EngineFacts;
  /** Image ID when the image config was found (engine or archive). */
  imageId?: string;
  /** Where the declaring file is reported (repository-relative when inside the repository). */
  file: string;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** `8080`, `8080-8081` -> [8080] / [8080, 8081]; NaN parts give []. */
function portRange(value: number | string | undefined): number[] {
  if (value === undefined || value === '') return [];
  const [a = '', b] = String(value).split('-');
  const start = Number(a);
  const end = b === undefined ? start : Number(b);
  if (!Number.isInteger(start) || !Number.isInteger(end) || end < start || end - start > 65535) return [];
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

/** Compose publishes a container range onto a host range port by port (the daemon expands it). */
export function declaredPortBindings(ports: readonly ResolvedPort[]): PortBindingFacts[] {
  const out: PortBindingFacts[] = [];
  for (const p of ports) {
    const targets = portRange(p.target);
    const published = portRange(p.published);
    targets.forEach((containerPort, i) => {
      // A single host port for a container range, or a host range Docker picks from: the first, or 0 (any).
      const hostPort = published.length === targets.length ? (published[i] ?? 0) : i === 0 && published.length === 1 ? (published[0] ?? 0) : 0;
      out.push({ containerPort, protocol: p.protocol || 'tcp', hostIp: p.host_ip ?? '', hostPort });
    });
  }
  return out.sort((a, b) => a.containerPort - b.containerPort || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/** The engine's name for a project volume: top-level `name:`, else `<project>_<key>`; external volumes keep their name. */
function volumeName(project: ResolvedProject, key: string): string {
  const declared = project.volumes[key];
  if (declared === undefined) return key;
  if (typeof declared['name'] === 'string' && declared['name'] !== '') return declared['name'];
  if (declared['external'] === true) return key;
  return `${project.name}_${key}`;
}

function networkName(project: ResolvedProject, key: string): string {
  const declared = project.networks[key];
  if (declared !== undefined && typeof declared['name'] === 'string' && declared['name'] !== '') return declared['name'];
  if (declared?.['external'] === true) return key;
  return `${project.name}_${key}`;
}

function mount(project: ResolvedProject, v: ResolvedServiceVolume): MountFacts {
  const propagation = v.bind?.propagation ?? (v.type === 'bind' ? 'rprivate' : '');
  const source = v.type === 'volume' && v.source !== undefined ? volumeName(project, v.source) : (v.source ?? '');
  return { type: v.type, source, destination: v.target, readOnly: v.read_only === true, propagation };
}

/** File-based secrets and configs are bind mounts Compose adds (read-only, `/run/secrets/<name>`, `/<name>`). */
function fileMounts(project: ResolvedProject, service: ResolvedService): MountFacts[] {
  const out: MountFacts[] = [];
  const add = (kind: 'secrets' | 'configs', items: ResolvedService['secrets']) => {
    for (const item of items ?? []) {
      const file = project[kind][item.source]?.['file'];
      if (typeof file !== 'string') continue;
      const target = item.target ?? (kind === 'secrets' ? `/run/secrets/${item.source}` : `/${item.source}`);
      const destination = kind === 'secrets' && !target.startsWith('/') ? `/run/secrets/${target}` : target;
      out.push({ type: 'bind', source: path.resolve(project.workingDir, file), destination, readOnly: true, propagation: 'rprivate' });
    }
  };
  add('secrets', service.secrets);
  add('configs', service.configs);
  return out;
}

/** `tmpfs: [/run:size=64m]` entries: HostConfig.Tmpfs, shown here as tmpfs mounts. */
function tmpfsMounts(entries: readonly string[] | undefined): MountFacts[] {
  return (entries ?? []).map((entry) => {
    const destination = entry.split(':')[0] ?? entry;
    return { type: 'tmpfs', source: '', destination, readOnly: false, propagation: '' };
  });
}

/** `restart:` (or `deploy.restart_policy`) as HostConfig.RestartPolicy. */
function restartPolicy(service: ResolvedService): ContainerFacts['restartPolicy'] {
  const restart = service.restart?.trim();
  if (restart !== undefined && restart !== '') {
    const [name = 'no', count] = restart.split(':');
    return { name, maximumRetryCount: count !== undefined && /^\d+$/.test(count) ? Number(count) : 0 };
  }
  const policy = service.deploy?.restart_policy;
  if (policy?.condition !== undefined) {
    const name = { any: 'always', 'on-failure': 'on-failure', none: 'no' }[policy.condition] ?? policy.condition;
    return { name, maximumRetryCount: name === 'on-failure' ? num(policy.max_attempts) : 0 };
  }
  return { name: 'no', maximumRetryCount: 0 };
}

function securityOpt(options: readonly string[], key: string): string | undefined {
  for (const o of options) {
    const m = /^([a-z-]+)[=:](.*)$/.exec(o.trim());
    if (m?.[1] === key) return m[2];
  }
  return undefined;
}

/** NetworkMode and attached networks as Compose creates them (`<project>_default` when none is named). */
function networking(project: ResolvedProject, service: ResolvedService): { networkMode: string; networks: string[] } {
  const mode = service.network_mode?.trim();
  if (mode !== undefined && mode !== '') {
    const m = /^service:(.+)$/.exec(mode);
    const networkMode = m?.[1] !== undefined ? `container:${project.name}-${m[1]}-1` : mode;
    return { networkMode, networks: mode === 'host' || mode === 'none' || m ? [] : [mode] };
  }
  const keys = Object.keys(service.networks ?? {});
  const names = (keys.length > 0 ? keys : ['default']).map((k) => networkName(project, k));
  return { networkMode: names[0] ?? `${project.name}_default`, networks: names };
}

/** Compose's labels on the containers it creates (com.docker.compose.*), without the config hash it alone computes. */
export function composeLabels(project: ResolvedProject, service: ResolvedService): Record<string, string> {
  return {
    'com.docker.compose.project': project.name,
    'com.docker.compose.service': service.name,
    'com.docker.compose.container-number': '1',
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.project.working_dir': project.workingDir,
    'com.docker.compose.project.config_files': project.files.join(','),
  };
}

/** A stable ID for the declared container (no engine gives one). */
function declaredId(project: ResolvedProject, service: ResolvedService): string {
  return createHash('sha256').update(`declared\0${project.name}\0${service.name}`).digest('hex');
}

/** The container `docker compose up` would create for this service, as facts. */
export function declaredContainer(project: ResolvedProject, service: ResolvedService, options: DeclareOptions): ContainerFacts {
  const { engine } = options;
  const limits = service.deploy?.resources?.limits ?? {};
  const reservations = service.deploy?.resources?.reservations ?? {};
  const securityOpts = service.security_opt ?? [];
  const privileged = service.privileged === true;
  const unmasked = privileged || securityOpt(securityOpts, 'systempaths') === 'unconfined';
  const { networkMode, networks } = networking(project, service);
  const cpus = limits.cpus ?? service.cpus ?? 0;
  const pids = limits.pids ?? service.pids_limit;
  const labels = { ...(service.labels ?? {}), ...composeLabels(project, service) };
  // Docker's default on cgroup v2 is a private cgroup namespace, on v1 the host's; unknown on the stand-in engine.
  const cgroupns = service.cgroup ?? (engine.declared ? '' : engine.cgroupVersion === '2' ? 'private' : engine.cgroupVersion === '1' ? 'host' : '');

  const facts: ContainerFacts = {
    id: declaredId(project, service),
    name: service.container_name ?? `${project.name}-${service.name}-1`,
    imageRef: service.image ?? (service.build !== undefined ? `${project.name}-${service.name}` : ''),
    imageId: options.imageId ?? '',
    state: 'declared',
    labels,
    compose: {
      project: project.name,
      service: service.name,
      workingDir: project.workingDir,
      configFiles: [...project.files],
      containerNumber: '1',
    },
    user: service.user ?? '',
    privileged,
    capAdd: [...new Set((service.cap_add ?? []).map(normalizeCapability).filter((c) => c !== ''))],
    capDrop: [...new Set((service.cap_drop ?? []).map(normalizeCapability).filter((c) => c !== ''))],
    readonlyRootfs: service.read_only === true,
    networkMode,
    networks,
    pidMode: service.pid ?? '',
    // dockerd's default-ipc-mode is `private` since 20.10.
    ipcMode: service.ipc ?? 'private',
    utsMode: service.uts ?? '',
    usernsMode: service.userns_mode ?? '',
    cgroupnsMode: cgroupns,
    cgroupParent: service.cgroup_parent ?? '',
    securityOpt: [...securityOpts],
    // Applied by the engine at run time; checks on it never pass on a declared container (runtimeFact).
    appArmorProfile: securityOpt(securityOpts, 'apparmor') ?? (privileged ? 'unconfined' : 'docker-default'),
    mounts: [...(service.volumes ?? []).map((v) => mount(project, v)), ...fileMounts(project, service), ...tmpfsMounts(service.tmpfs)],
    devices: (service.devices ?? []).map((d) => ({ hostPath: d.source, containerPath: d.target, permissions: d.permissions })),
    deviceCgroupRules: [...(service.device_cgroup_rules ?? [])],
    portBindings: declaredPortBindings(service.ports ?? []),
    publishAllPorts: false,
    resources: {
      memory: num(limits.memory ?? service.mem_limit),
      memoryReservation: num(reservations.memory ?? service.mem_reservation),
      memorySwap: num(service.memswap_limit),
      cpuShares: num(service.cpu_shares),
      nanoCpus: Math.round(num(cpus) * 1e9),
      cpuQuota: num(service.cpu_quota),
      cpuPeriod: num(service.cpu_period),
      cpusetCpus: service.cpuset ?? '',
      pidsLimit: typeof pids === 'number' ? pids : null,
      oomKillDisable: service.oom_kill_disable === true,
      ulimits: Object.entries(service.ulimits ?? {})
        .map(([name, u]) => ({ name, soft: num(u.soft), hard: num(u.hard) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    },
    restartPolicy: restartPolicy(service),
    maskedPaths: unmasked ? [] : [...DOCKER_MASKED_PATHS],
    readonlyPaths: unmasked ? [] : [...DOCKER_READONLY_PATHS],
    sysctls: { ...(service.sysctls ?? {}) },
    // Names only: a value is never read beyond whether it is empty.
    env: Object.entries(service.environment ?? {}).map(([name, value]) => ({ name, empty: value === null || value === '' })),
    logDriver: service.logging?.driver ?? engine.loggingDriver,
    createdAt: '',
    declared: { file: options.file, project: project.name, service: service.name },
  };
  const hc = service.healthcheck;
  if (hc !== undefined) {
    if (hc.disable === true || hc.test?.[0] === 'NONE') facts.healthcheck = { configured: false, disabled: true };
    else if (hc.test !== undefined && hc.test.length > 0) facts.healthcheck = { configured: true, disabled: false };
  }
  return facts;
}
