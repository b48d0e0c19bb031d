// Pure functions from raw Docker Engine API bodies to typed facts. No I/O and
// no security judgement. Every field is read defensively: older API versions
// omit fields or send null, and a missing field must never throw.
import type {
  ComposeOrigin,
  ContainerFacts,
  EngineFacts,
  EngineTransport,
  EnvVarFacts,
  HealthcheckFacts,
  ImageFacts,
  MountFacts,
  PortBindingFacts,
  ProcessFacts,
} from '../../model/facts.js';
import { compareCodeUnits } from '../../lib/order.js';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function num(value: unknown, fallback = 0): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fallback;
}

function bool(value: unknown): boolean {
  return value === true;
}

function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Docker names carry a leading slash (`/web`); facts do not. */
export function containerName(raw: string): string {
  return raw.startsWith('/') ? raw.slice(1) : raw;
}

/** `cap_net_admin`, `CAP_NET_ADMIN` and `net_admin` all become `NET_ADMIN`; `ALL` stays. */
export function normalizeCapability(raw: string): string {
  const upper = raw.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

function capabilities(value: unknown): string[] {
  return [...new Set(strings(value).map(normalizeCapability).filter((c) => c !== ''))];
}

/** Names only: a value is never read beyond whether it is empty. */
export function envNames(value: unknown): EnvVarFacts[] {
  return strings(value).map((entry) => {
    const eq = entry.indexOf('=');
    return eq < 0 ? { name: entry, empty: true } : { name: entry.slice(0, eq), empty: eq === entry.length - 1 };
  });
}

/**
 * Config.Healthcheck. `Test: ["NONE"]` disables the image's check; a missing or
 * empty Test means "inherit", which is `undefined` here.
 */
export function healthcheck(value: unknown): HealthcheckFacts | undefined {
  const test = strings(obj(value).Test);
  if (test.length === 0) return undefined;
  if (test[0] === 'NONE') return { configured: false, disabled: true };
  return { configured: true, disabled: false };
}

/** Compose labels; undefined unless the project label is present. */
export function composeOrigin(labels: Record<string, string>): ComposeOrigin | undefined {
  const project = labels['com.docker.compose.project'];
  if (!project) return undefined;
  const origin: ComposeOrigin = {
    project,
    service: labels['com.docker.compose.service'] ?? '',
    configFiles: (labels['com.docker.compose.project.config_files'] ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== ''),
  };
  const workingDir = optional(labels['com.docker.compose.project.working_dir']);
  if (workingDir !== undefined) origin.workingDir = workingDir;
  const containerNumber = optional(labels['com.docker.compose.container-number']);
  if (containerNumber !== undefined) origin.containerNumber = containerNumber;
  return origin;
}

/** HostConfig.PortBindings: `{"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}`. */
export function portBindings(value: unknown): PortBindingFacts[] {
  const out: PortBindingFacts[] = [];
  for (const [key, bindings] of Object.entries(obj(value))) {
    const [port = '', protocol = 'tcp'] = key.split('/');
    // A range request (`8000-8010/tcp`) is expanded by the daemon; keep its first port.
    const containerPort = num(port.split('-')[0]);
    for (const binding of arr(bindings)) {
      const b = obj(binding);
      out.push({ containerPort, protocol, hostIp: str(b.HostIp), hostPort: num(b.HostPort) });
    }
  }
  return out.sort((a, b) => a.containerPort - b.containerPort || compareCodeUnits(a.protocol, b.protocol) || compareCodeUnits(a.hostIp, b.hostIp));
}

/** Top-level `Mounts` (what the engine actually mounted). */
export function mounts(value: unknown): MountFacts[] {
  return arr(value).map((raw) => {
    const m = obj(raw);
    const name = str(m.Name);
    // Before API 1.25 there is no Type: a named mount is a volume.
    const type = str(m.Type) || (name ? 'volume' : 'bind');
    return {
      type,
      source: type === 'volume' && name ? name : str(m.Source),
      destination: str(m.Destination),
      readOnly: m.RW === false,
      propagation: str(m.Propagation),
    };
  });
}

/**
 * The executable's base name from a `ps` command line, never its arguments:
 * `/usr/sbin/sshd -D` -> `sshd`, `-bash` (login shell) -> `bash`, a retitled
 * `sshd: root@pts/0` or `postgres: checkpointer` -> `sshd`, `postgres`, and
 * `[sh]` (no command line: a zombie; the name is the kernel's, kept whole).
 */
export function commandName(commandLine: string): string {
  const token = commandLine.trim().split(/\s+/)[0] ?? '';
  const bracketed = /^\[(.*)\]$/.exec(token);
  if (bracketed) return bracketed[1] ?? '';
  const path = token.replace(/^-+/, '');
  return path.slice(path.lastIndexOf('/') + 1).replace(/:+$/, '');
}

/** /containers/{id}/top: `{Titles: [...], Processes: [[...], ...]}`, any ps_args. */
export function processes(top: unknown): ProcessFacts[] {
  const body = obj(top);
  const titles = strings(body.Titles).map((t) => t.toUpperCase());
  const commandAt = ['CMD', 'COMMAND', 'ARGS', 'NAME'].map((t) => titles.indexOf(t)).find((i) => i >= 0);
  if (commandAt === undefined) return [];
  const userAt = ['UID', 'USER', 'EUSER', 'RUSER'].map((t) => titles.indexOf(t)).find((i) => i >= 0);
  return arr(body.Processes).map((row) => {
    const cells = strings(row);
    return { command: commandName(cells[commandAt] ?? ''), user: userAt === undefined ? '' : (cells[userAt] ?? '') };
  });
}

function containerState(state: Json): string {
  const status = str(state.Status);
  if (status) return status;
  // API < 1.21 has only booleans.
  if (state.Dead === true) return 'dead';
  if (state.Restarting === true) return 'restarting';
  if (state.Paused === true) return 'paused';
  if (state.Running === true) return 'running';
  return 'exited';
}

/** /containers/{id}/json (+ /top when it was read) to ContainerFacts. */
export function normalizeContainer(inspect: unknown, top?: unknown): ContainerFacts {
  const c = obj(inspect);
  const config = obj(c.Config);
  const host = obj(c.HostConfig);
  const state = obj(c.State);
  const labels = stringMap(config.Labels);
  const pidsLimit = host.PidsLimit;

  const facts: ContainerFacts = {
    id: str(c.Id),
    name: containerName(str(c.Name)),
    imageRef: str(config.Image),
    imageId: str(c.Image),
    state: containerState(state),
    labels,
    user: str(config.User),
    privileged: bool(host.Privileged),
    capAdd: capabilities(host.CapAdd),
    capDrop: capabilities(host.CapDrop),
    readonlyRootfs: bool(host.ReadonlyRootfs),
    networkMode: str(host.NetworkMode),
    networks: Object.keys(obj(obj(c.NetworkSettings).Networks)),
    pidMode: str(host.PidMode),
    ipcMode: str(host.IpcMode),
    utsMode: str(host.UTSMode),
    usernsMode: str(host.UsernsMode),
    cgroupnsMode: str(host.CgroupnsMode),
    cgroupParent: str(host.CgroupParent),
    securityOpt: strings(host.SecurityOpt),
    appArmorProfile: str(c.AppArmorProfile),
    mounts: mounts(c.Mounts),
    devices: arr(host.Devices).map((raw) => {
      const d = obj(raw);
      return { hostPath: str(d.PathOnHost), containerPath: str(d.PathInContainer), permissions: str(d.CgroupPermissions) };
    }),
    deviceCgroupRules: strings(host.DeviceCgroupRules),
    portBindings: portBindings(host.PortBindings),
    publishAllPorts: bool(host.PublishAllPorts),
    resources: {
      memory: num(host.Memory),
      memoryReservation: num(host.MemoryReservation),
      memorySwap: num(host.MemorySwap),
      cpuShares: num(host.CpuShares),
      nanoCpus: num(host.NanoCpus),
      cpuQuota: num(host.CpuQuota),
      cpuPeriod: num(host.CpuPeriod),
      cpusetCpus: str(host.CpusetCpus),
      pidsLimit: typeof pidsLimit === 'number' ? pidsLimit : null,
      oomKillDisable: bool(host.OomKillDisable),
      ulimits: arr(host.Ulimits).map((raw) => {
        const u = obj(raw);
        return { name: str(u.Name), soft: num(u.Soft), hard: num(u.Hard) };
      }),
    },
    restartPolicy: {
      name: str(obj(host.RestartPolicy).Name),
      maximumRetryCount: num(obj(host.RestartPolicy).MaximumRetryCount),
    },
    maskedPaths: strings(host.MaskedPaths),
    readonlyPaths: strings(host.ReadonlyPaths),
    sysctls: stringMap(host.Sysctls),
    env: envNames(config.Env),
    healthcheck: healthcheck(config.Healthcheck),
    logDriver: str(obj(host.LogConfig).Type),
    createdAt: str(c.Created),
  };
  const compose = composeOrigin(labels);
  if (compose) facts.compose = compose;
  if (top !== undefined) facts.processes = processes(top);
  return facts;
}

/** /images/{id}/json to ImageFacts. */
export function normalizeImage(inspect: unknown): ImageFacts {
  const i = obj(inspect);
  // Images built by old builders kept their config only in ContainerConfig.
  const config = obj(i.Config ?? i.ContainerConfig);
  const facts: ImageFacts = {
    id: str(i.Id),
    repoTags: strings(i.RepoTags).filter((t) => t !== '<none>:<none>'),
    repoDigests: strings(i.RepoDigests).filter((d) => d !== '<none>@<none>'),
    user: str(config.User),
    healthcheck: healthcheck(config.Healthcheck) ?? { configured: false, disabled: false },
    labels: stringMap(config.Labels),
    os: str(i.Os),
    architecture: str(i.Architecture),
  };
  // Go's zero time marks "not set" (images made with some importers).
  const created = optional(i.Created);
  if (created !== undefined && !created.startsWith('0001-01-01')) facts.created = created;
  return facts;
}

/**
 * /info SecurityOptions: `name=seccomp,profile=builtin`, `name=apparmor`, ...;
 * before API 1.26 the entries were bare names (`apparmor`, `seccomp`).
 */
export function engineSecurity(securityOptions: unknown): EngineFacts['security'] {
  const security: EngineFacts['security'] = {
    apparmor: false,
    selinux: false,
    seccomp: false,
    userns: false,
    rootless: false,
    noNewPrivileges: false,
    cgroupns: false,
  };
  for (const entry of strings(securityOptions)) {
    const fields = new Map<string, string>();
    for (const part of entry.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) fields.set('name', part.trim());
      else fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    switch (fields.get('name')) {
      case 'apparmor':
        security.apparmor = true;
        break;
      case 'selinux':
        security.selinux = true;
        break;
      case 'seccomp': {
        security.seccomp = true;
        const profile = fields.get('profile');
        if (profile) security.seccompProfile = profile;
        break;
      }
      case 'userns':
        security.userns = true;
        break;
      case 'rootless':
        security.rootless = true;
        break;
      case 'no-new-privileges':
        security.noNewPrivileges = true;
        break;
      case 'cgroupns':
        security.cgroupns = true;
        break;
      default:
        break;
    }
  }
  return security;
}

/** Version of a /version Components entry (`containerd`, `runc`, `docker-init`). */
function componentVersion(version: Json, name: string): string | undefined {
  const found = arr(version.Components)
    .map(obj)
    .find((c) => str(c.Name).toLowerCase() === name);
  return found ? optional(found.Version) : undefined;
}

export interface EngineSource {
  /** Display form of the endpoint. */
  display: string;
  transport: EngineTransport;
}

/**
 * /info, /version and the default bridge network (`undefined` when the engine
 * has none) to EngineFacts.
 */
export function normalizeEngine(info: unknown, version: unknown, bridge: unknown, source: EngineSource): EngineFacts {
  const i = obj(info);
  const v = obj(version);
  const registry = obj(i.RegistryConfig);
  const swarm = obj(i.Swarm);

  const versions: EngineFacts['versions'] = {
    engine: str(v.Version) || str(i.ServerVersion),
    apiVersion: str(v.ApiVersion),
  };
  const containerd = componentVersion(v, 'containerd');
  if (containerd !== undefined) versions.containerd = containerd;
  const runc = componentVersion(v, 'runc');
  if (runc !== undefined) versions.runc = runc;
  const init = componentVersion(v, 'docker-init');
  if (init !== undefined) versions.init = init;

  const facts: EngineFacts = {
    id: str(i.ID) || source.display,
    name: str(i.Name),
    endpoint: source.display,
    transport: source.transport,
    versions,
    os: {
      operatingSystem: str(i.OperatingSystem),
      osType: str(i.OSType) || str(v.Os),
      kernelVersion: str(i.KernelVersion) || str(v.KernelVersion),
      architecture: str(i.Architecture),
    },
    security: engineSecurity(i.SecurityOptions),
    liveRestore: bool(i.LiveRestoreEnabled),
    experimental: bool(i.ExperimentalBuild),
    loggingDriver: str(i.LoggingDriver),
    insecureRegistryCidrs: strings(registry.InsecureRegistryCIDRs),
    insecureRegistryHosts: Object.entries(obj(registry.IndexConfigs))
      .filter(([, index]) => obj(index).Secure === false)
      .map(([key, index]) => str(obj(index).Name) || key),
    authorizationPlugins: strings(obj(i.Plugins).Authorization),
    swarm: {
      state: str(swarm.LocalNodeState) || 'inactive',
      controlAvailable: bool(swarm.ControlAvailable),
    },
    containerCounts: { total: num(i.Containers), running: num(i.ContainersRunning) },
  };
  const cgroupVersion = optional(i.CgroupVersion);
  if (cgroupVersion !== undefined) facts.cgroupVersion = cgroupVersion;
  const cgroupDriver = optional(i.CgroupDriver);
  if (cgroupDriver !== undefined) facts.cgroupDriver = cgroupDriver;
  if (bridge !== undefined && bridge !== null) {
    // Absent means enabled: Docker's default for the default bridge.
    const icc = obj(obj(bridge).Options)['com.docker.network.bridge.enable_icc'];
    // The daemon parses it with Go's strconv.ParseBool.
    facts.defaultBridge = { iccEnabled: typeof icc === 'string' ? !['false', '0', 'f'].includes(icc.trim().toLowerCase()) : true };
  }
  return facts;
}
