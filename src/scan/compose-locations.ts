// Where in a Compose file a finding comes from: the evidence path a container
// check reports (`HostConfig.Privileged`, `Mounts[].Source`...) mapped to the
// canonical Compose key that set that fact (`privileged`, `volumes.2`), then
// to the file and line the resolver recorded for it. One table, so every
// check on a declared (or drifted) container lands on the line to change.
import type { Evidence } from '../model/check.js';
import type { ResolvedService } from '../checkers/compose/types.js';
import { normalizeCapability } from '../checkers/docker/normalize.js';

/** What the mapping needs of a finding. */
export interface LocatableFinding {
  checkId: string;
  key?: string;
  evidence?: Evidence;
}

type Rule = (service: ResolvedService, finding: LocatableFinding) => string | undefined;

function has(service: ResolvedService, key: string): boolean {
  return service.raw[key] !== undefined;
}

/** The first Compose key the service sets, else undefined (the service itself). */
function first(service: ResolvedService, ...keys: string[]): string | undefined {
  return keys.find((k) => {
    const [head = '', ...rest] = k.split('.');
    let value: unknown = service.raw[head];
    for (const part of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    return value !== undefined;
  });
}

function indexWhere<T>(list: readonly T[] | undefined, match: (item: T) => boolean): number {
  return (list ?? []).findIndex(match);
}

function item(key: string, index: number): string | undefined {
  return index >= 0 ? `${key}.${index}` : undefined;
}

function observedField(finding: LocatableFinding, field: string): unknown {
  const observed = finding.evidence?.observed;
  return observed !== null && typeof observed === 'object' ? (observed as Record<string, unknown>)[field] : undefined;
}

/** A security_opt entry by its option name (`seccomp`, `apparmor`, `label`, `no-new-privileges`, `systempaths`). */
function securityOpt(service: ResolvedService, name: string): string | undefined {
  const i = indexWhere(service.security_opt, (o) => o.trim().split(/[=:]/, 1)[0] === name);
  return item('security_opt', i) ?? first(service, 'security_opt');
}

const CHECK_SECURITY_OPT: Readonly<Record<string, string>> = {
  'docker/seccomp-enabled': 'seccomp',
  'docker/apparmor-profile': 'apparmor',
  'docker/selinux-options': 'label',
  'docker/no-new-privileges': 'no-new-privileges',
  'docker/masked-paths-kept': 'systempaths',
};

/** The long-syntax field of a volume an evidence path is about; `locate` falls back to the item for short syntax. */
const MOUNT_FIELD: Readonly<Record<string, string>> = {
  'Mounts[].Source': 'source',
  'Mounts[].Propagation': 'bind.propagation',
  'Mounts[].RW': 'read_only',
};

function mountPath(service: ResolvedService, finding: LocatableFinding): string | undefined {
  const observed = observedField(finding, 'destination');
  const destination = typeof observed === 'string' ? observed : finding.key;
  if (destination === undefined) return first(service, 'volumes');
  const v = indexWhere(service.volumes, (m) => m.target === destination);
  const field = MOUNT_FIELD[finding.evidence?.path ?? ''];
  if (v >= 0) return field !== undefined ? `volumes.${v}.${field}` : `volumes.${v}`;
  const t = indexWhere(service.tmpfs, (e) => e.split(':')[0] === destination);
  if (t >= 0) return `tmpfs.${t}`;
  return first(service, 'volumes', 'secrets', 'configs');
}

function portPath(service: ResolvedService, finding: LocatableFinding): string | undefined {
  const containerPort = observedField(finding, 'containerPort');
  const protocol = observedField(finding, 'protocol') ?? 'tcp';
  const i = indexWhere(service.ports, (p) => {
    const [start = NaN, end = start] = String(p.target).split('-').map(Number);
    return typeof containerPort === 'number' && containerPort >= start && containerPort <= end && (p.protocol || 'tcp') === protocol;
  });
  return item('ports', i) ?? first(service, 'ports');
}

/** Evidence path (as checks report it) -> Compose key under `services.<name>`. */
const RULES: Readonly<Record<string, Rule>> = {
  'HostConfig.Privileged': (s) => first(s, 'privileged'),
  'HostConfig.CapAdd': (s, f) => {
    const cap = f.key ?? '';
    const i = indexWhere(s.cap_add, (c) => normalizeCapability(c) === cap);
    return item('cap_add', i) ?? first(s, 'cap_add');
  },
  'HostConfig.CapDrop': (s) => first(s, 'cap_drop', 'cap_add'),
  'HostConfig.CgroupParent': (s) => first(s, 'cgroup_parent'),
  'HostConfig.CgroupnsMode': (s) => first(s, 'cgroup'),
  HostConfig: (s) => first(s, 'deploy.resources.limits.cpus', 'cpus', 'cpu_quota', 'cpu_shares', 'cpuset'),
  'HostConfig.Memory': (s) => first(s, 'deploy.resources.limits.memory', 'mem_limit'),
  'HostConfig.PidsLimit': (s) => first(s, 'deploy.resources.limits.pids', 'pids_limit'),
  'HostConfig.OomKillDisable': (s) => first(s, 'oom_kill_disable'),
  'HostConfig.MaskedPaths': (s) => (s.privileged === true ? first(s, 'privileged') : securityOpt(s, 'systempaths')),
  'HostConfig.NetworkMode': (s) => first(s, 'network_mode', 'networks'),
  'NetworkSettings.Networks': (s) => first(s, 'networks', 'network_mode'),
  'HostConfig.IpcMode': (s) => first(s, 'ipc'),
  'HostConfig.PidMode': (s) => first(s, 'pid'),
  'HostConfig.UsernsMode': (s) => first(s, 'userns_mode'),
  'HostConfig.UTSMode': (s) => first(s, 'uts'),
  'HostConfig.SecurityOpt': (s, f) => securityOpt(s, CHECK_SECURITY_OPT[f.checkId] ?? (f.key ?? '').trim().split(/[=:]/, 1)[0] ?? ''),
  AppArmorProfile: (s) => (s.privileged === true ? first(s, 'privileged') : securityOpt(s, 'apparmor')),
  'HostConfig.Devices[].PathOnHost': (s, f) => item('devices', indexWhere(s.devices, (d) => d.target === f.key)) ?? first(s, 'devices'),
  'HostConfig.DeviceCgroupRules[]': (s, f) =>
    item('device_cgroup_rules', indexWhere(s.device_cgroup_rules, (r) => r === f.key)) ?? first(s, 'device_cgroup_rules'),
  'HostConfig.PortBindings': portPath,
  'HostConfig.PublishAllPorts': (s) => first(s, 'ports'),
  'HostConfig.Sysctls': (s, f) => (f.key !== undefined && s.sysctls?.[f.key] !== undefined ? `sysctls.${f.key}` : first(s, 'sysctls')),
  'HostConfig.ReadonlyRootfs': (s) => first(s, 'read_only'),
  'HostConfig.RestartPolicy.Name': (s) => first(s, 'restart', 'deploy.restart_policy'),
  'HostConfig.RestartPolicy.MaximumRetryCount': (s) => first(s, 'restart', 'deploy.restart_policy.max_attempts', 'deploy.restart_policy'),
  'Config.User': (s, f) => (f.evidence?.source === 'image inspect' ? first(s, 'image', 'build') : first(s, 'user')),
  'Config.Env': (s, f) => (f.key !== undefined && s.environment?.[f.key] !== undefined && has(s, 'environment') ? `environment.${f.key}` : first(s, 'environment', 'env_file')),
  'Config.Healthcheck': (s, f) => (f.evidence?.source === 'image inspect' ? first(s, 'healthcheck', 'image', 'build') : first(s, 'healthcheck')),
  'Config.Healthcheck.Test': (s) => first(s, 'healthcheck.disable', 'healthcheck.test', 'healthcheck', 'image'),
  'Config.Image': (s) => first(s, 'image', 'build'),
  RepoDigests: (s) => first(s, 'image', 'build'),
  Created: (s) => first(s, 'image', 'build'),
  'Mounts[].Source': mountPath,
  'Mounts[].Destination': mountPath,
  'Mounts[].Propagation': mountPath,
  'Mounts[].RW': mountPath,
  'Mounts[].Type': mountPath,
};

/**
 * The Compose key (relative to `services.<name>`) that declares what a finding
 * is about; undefined means the service as a whole (`services.<name>`).
 */
export function composeKeyFor(service: ResolvedService, finding: LocatableFinding): string | undefined {
  const evidencePath = finding.evidence?.path;
  if (evidencePath === undefined) return undefined;
  const rule = RULES[evidencePath] ?? (evidencePath.startsWith('Config.Labels[') ? (s: ResolvedService) => first(s, 'image', 'build') : undefined);
  // Drift keys name their kind (`cap-add:NET_ADMIN`, `mount:/data`); the rules want the bare item.
  const key = finding.key?.replace(/^(?:cap-add|cap-drop|mount|port|device|security-opt|namespace|limit):/, '');
  return rule?.(service, key === undefined ? finding : { ...finding, key });
}

/** `services.<name>[.<key>]`, the dotted path `ResolvedProject.locate()` takes. */
export function composePathFor(service: ResolvedService, finding: LocatableFinding): string {
  const key = composeKeyFor(service, finding);
  return key === undefined ? `services.${service.name}` : `services.${service.name}.${key}`;
}
