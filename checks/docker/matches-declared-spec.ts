// Risk: a running container that drifted from its reviewed Compose file
// (privileges, capabilities, mounts or ports added by hand, security options
// dropped) carries risk nobody reviewed, and the next `docker compose up`
// hides the evidence.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { formatImageReference, parseImageReference } from '../../src/lib/image-reference.js';
import type { ContainerFacts, PortBindingFacts } from '../../src/model/facts.js';

const SOURCE = 'container inspect vs Compose file';

const NAMESPACES = [
  ['pid', 'pidMode', 'HostConfig.PidMode'],
  ['ipc', 'ipcMode', 'HostConfig.IpcMode'],
  ['uts', 'utsMode', 'HostConfig.UTSMode'],
  ['userns', 'usernsMode', 'HostConfig.UsernsMode'],
  ['cgroup', 'cgroupnsMode', 'HostConfig.CgroupnsMode'],
  ['network', 'networkMode', 'HostConfig.NetworkMode'],
] as const;

/** `no-new-privileges` and `no-new-privileges:true` (or `=true`) are the same option. */
function normalizeOpt(opt: string): string {
  const trimmed = opt.trim().replace(/^([a-z-]+):/, '$1=');
  return trimmed === 'no-new-privileges' ? 'no-new-privileges=true' : trimmed;
}

function canonicalImage(ref: string): string {
  const parsed = parseImageReference(ref);
  if (parsed === undefined) return ref.trim();
  if (parsed.kind === 'id') return parsed.id;
  return formatImageReference({ ...parsed, tag: parsed.tag ?? (parsed.digest === undefined ? 'latest' : undefined) });
}

/** The engine writes "all interfaces" as "" or 0.0.0.0. */
function hostIp(ip: string): string {
  return ip === '0.0.0.0' ? '' : ip;
}

function declaredPort(spec: readonly PortBindingFacts[], b: PortBindingFacts): boolean {
  return spec.some(
    (d) =>
      d.containerPort === b.containerPort &&
      d.protocol === b.protocol &&
      hostIp(d.hostIp) === hostIp(b.hostIp) &&
      (d.hostPort === 0 || d.hostPort === b.hostPort),
  );
}

function isHostNamespace(mode: string): boolean {
  return mode === 'host' || mode.startsWith('container:');
}

function drift(container: ContainerFacts, spec: ContainerFacts): Violation[] {
  const name = container.name;
  const out: Violation[] = [];
  const push = (messageId: string, key: string, path: string, observed: unknown, expected: unknown, data: Record<string, string | number> = {}) =>
    out.push({ messageId, key, data: { name, ...data }, evidence: { source: SOURCE, path, observed, expected } });

  if (container.privileged && !spec.privileged) push('privileged-added', 'privileged', 'HostConfig.Privileged', true, false);

  const declaredCaps = new Set(spec.capAdd);
  for (const cap of container.capAdd) {
    if (!declaredCaps.has(cap) && !declaredCaps.has('ALL')) push('capability-added', `cap-add:${cap}`, 'HostConfig.CapAdd', cap, spec.capAdd, { capability: cap });
  }
  const dropped = new Set(container.capDrop);
  for (const cap of spec.capDrop) {
    if (!dropped.has(cap)) push('capability-kept', `cap-drop:${cap}`, 'HostConfig.CapDrop', container.capDrop, cap, { capability: cap });
  }

  const declaredMounts = new Map(spec.mounts.map((m) => [m.destination, m]));
  for (const m of container.mounts) {
    if (m.type === 'tmpfs') continue;
    const observed = { type: m.type, source: m.source, destination: m.destination, readOnly: m.readOnly };
    const declared = declaredMounts.get(m.destination);
    if (declared === undefined) {
      push('mount-added', `mount:${m.destination}`, 'Mounts[].Destination', observed, 'not mounted', { destination: m.destination, source: m.source || m.type });
    } else if (m.type === 'bind' && declared.type === 'bind' && m.source !== declared.source) {
      push('mount-source-changed', `mount:${m.destination}`, 'Mounts[].Source', observed, declared.source, { destination: m.destination, source: m.source });
    } else if (declared.readOnly && !m.readOnly) {
      push('mount-writable', `mount:${m.destination}`, 'Mounts[].RW', observed, 'read-only', { destination: m.destination });
    }
  }

  for (const b of container.portBindings) {
    if (declaredPort(spec.portBindings, b)) continue;
    const binding = `${b.hostIp || '*'}:${b.hostPort}->${b.containerPort}/${b.protocol}`;
    push('port-added', `port:${binding}`, 'HostConfig.PortBindings', b, spec.portBindings, { binding });
  }
  if (container.publishAllPorts && !spec.publishAllPorts) push('publish-all-added', 'publish-all', 'HostConfig.PublishAllPorts', true, false);

  if (container.user.trim() !== spec.user.trim()) {
    push('user-changed', 'user', 'Config.User', container.user, spec.user, { user: container.user || '(image default)', declared: spec.user || '(image default)' });
  }

  if (spec.imageRef !== '' && canonicalImage(container.imageRef) !== canonicalImage(spec.imageRef)) {
    push('image-changed', 'image', 'Config.Image', container.imageRef, spec.imageRef, { image: container.imageRef, declared: spec.imageRef });
  }

  if (spec.readonlyRootfs && !container.readonlyRootfs) push('read-only-removed', 'read-only', 'HostConfig.ReadonlyRootfs', false, true);

  const running = new Set(container.securityOpt.map(normalizeOpt));
  for (const opt of spec.securityOpt) {
    if (!running.has(normalizeOpt(opt))) push('security-opt-dropped', `security-opt:${opt}`, 'HostConfig.SecurityOpt', container.securityOpt, opt, { option: opt });
  }

  for (const [ns, field, path] of NAMESPACES) {
    const mode = container[field];
    if (isHostNamespace(mode) && mode !== spec[field]) push('namespace-shared', `namespace:${ns}`, path, mode, spec[field] || 'private', { namespace: ns, mode });
  }

  const declaredDevices = new Set(spec.devices.map((d) => d.containerPath));
  for (const d of container.devices) {
    if (!declaredDevices.has(d.containerPath)) push('device-added', `device:${d.containerPath}`, 'HostConfig.Devices[].PathOnHost', d, 'not mapped', { device: d.hostPath });
  }

  if (spec.resources.memory > 0 && (container.resources.memory <= 0 || container.resources.memory > spec.resources.memory)) {
    push('limit-raised', 'limit:memory', 'HostConfig.Memory', container.resources.memory, spec.resources.memory, { limit: 'memory' });
  }
  const pids = container.resources.pidsLimit;
  const declaredPids = spec.resources.pidsLimit;
  if (declaredPids !== null && declaredPids > 0 && (pids === null || pids <= 0 || pids > declaredPids)) {
    push('limit-raised', 'limit:pids', 'HostConfig.PidsLimit', pids, declaredPids, { limit: 'pids' });
  }
  return out;
}

export default defineCheck({
  id: 'docker/matches-declared-spec',
  target: 'container',
  meta: {
    title: 'Running container matches its Compose file',
    description:
      'A container started by Compose should run as its reviewed Compose file declares. One that was recreated by ' +
      'hand, patched with `docker run` flags or deployed from an unreviewed copy can hold privileges, capabilities, ' +
      'host mounts, published ports, host namespaces or a different image that no review saw, or have lost the ' +
      'security options and limits the file sets. palisade links the container to its service through the labels ' +
      'Compose sets (`com.docker.compose.project`, `.service`, `.project.config_files`, `.project.working_dir`) and ' +
      'compares them in security terms only.',
    layer: 'immutability',
    severity: 'high',
    remediation:
      'Recreate the container from the reviewed file (`docker compose up -d --force-recreate <service>`), or, if ' +
      'the change is wanted, make it in the Compose file and have it reviewed; never patch production containers ' +
      'with ad hoc `docker run`/`docker update` flags.',
    references: ['cwe:284', 'nist-800-53:CM-3', 'https://docs.docker.com/reference/cli/docker/compose/up/'],
    messages: {
      'privileged-added': 'Container {{name}} runs privileged; its Compose file does not declare it.',
      'capability-added': 'Container {{name}} adds capability {{capability}}, which its Compose file does not declare.',
      'capability-kept': 'Container {{name}} keeps capability {{capability}}, which its Compose file drops.',
      'mount-added': 'Container {{name}} mounts {{source}} at {{destination}}, which its Compose file does not declare.',
      'mount-source-changed': 'Container {{name}} mounts {{source}} at {{destination}} instead of the declared source.',
      'mount-writable': 'Container {{name}} mounts {{destination}} writable; its Compose file declares it read-only.',
      'port-added': 'Container {{name}} publishes {{binding}}, which its Compose file does not declare.',
      'publish-all-added': 'Container {{name}} publishes every exposed port (-P); its Compose file does not.',
      'user-changed': 'Container {{name}} runs as {{user}}; its Compose file declares {{declared}}.',
      'image-changed': 'Container {{name}} runs image {{image}}; its Compose file declares {{declared}}.',
      'read-only-removed': 'Container {{name}} has a writable root filesystem; its Compose file declares read_only.',
      'security-opt-dropped': 'Container {{name}} lacks security option {{option}} that its Compose file declares.',
      'namespace-shared': 'Container {{name}} shares the {{namespace}} namespace ({{mode}}); its Compose file does not.',
      'device-added': 'Container {{name}} maps host device {{device}}, which its Compose file does not declare.',
      'limit-raised': 'Container {{name}} runs with a higher or no {{limit}} limit than its Compose file declares.',
    },
  },
  appliesTo({ spec }) {
    if (spec === undefined) {
      return 'not linked to a declared Compose service (scan --compose FILE, or keep the Compose files at the path its labels name)';
    }
    return undefined;
  },
  evaluate({ container, spec }) {
    return spec === undefined ? [] : drift(container, spec);
  },
});
