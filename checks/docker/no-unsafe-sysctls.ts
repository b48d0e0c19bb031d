// Risk: a sysctl that is not namespaced, or set in a namespace shared with the
// host, changes kernel settings for the whole host from one container.
import { defineCheck, type Violation } from '../../src/model/check.js';

type Namespace = 'IPC' | 'network';

/** Sysctls the kernel namespaces per IPC namespace, as runc and Docker allow them. */
const IPC_PREFIXES = ['kernel.shm', 'kernel.msg', 'fs.mqueue.'];
const IPC_EXACT = new Set(['kernel.sem']);

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The kernel accepts `net/ipv4/ip_forward` as well as `net.ipv4.ip_forward`. */
function normalise(sysctl: string): string {
  return sysctl.trim().replace(/\//g, '.');
}

function namespaceOf(sysctl: string): Namespace | undefined {
  if (IPC_EXACT.has(sysctl) || IPC_PREFIXES.some((p) => sysctl.startsWith(p))) return 'IPC';
  if (sysctl.startsWith('net.')) return 'network';
  return undefined;
}

function isAllowed(sysctl: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) =>
    pattern.endsWith('*') ? sysctl.startsWith(pattern.slice(0, -1)) : sysctl === pattern,
  );
}

export default defineCheck({
  id: 'docker/no-unsafe-sysctls',
  target: 'container',
  meta: {
    title: 'Container sets only namespaced sysctls',
    description:
      'Only some kernel parameters are scoped to a container: the IPC ones (kernel.shm*, kernel.msg*, kernel.sem, ' +
      "fs.mqueue.*) in the container's IPC namespace and net.* in its network namespace. Any other sysctl (vm.*, " +
      "kernel.*) is host-wide, and a namespaced one becomes host-wide too when the container shares the host's " +
      'IPC or network namespace (`--ipc host`, `--network host`). Such settings weaken or destabilise the host ' +
      'for every workload on it (e.g. kernel.core_pattern runs a host command, net.ipv4.ip_forward routes host ' +
      'traffic).',
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Remove the sysctl from `--sysctl` (Compose: `sysctls`); set host-wide kernel parameters on the host ' +
      "through its configuration management instead. Do not combine `--sysctl net.*` with `--network host` " +
      '(Compose: `network_mode: host`) or IPC sysctls with `--ipc host` (Compose: `ipc: host`).',
    references: [
      'cwe:653',
      'https://docs.docker.com/reference/cli/docker/container/run/#sysctl',
      'https://docs.docker.com/reference/compose-file/services/#sysctls',
    ],
    messages: {
      'not-namespaced': 'Container {{name}} sets the host-wide sysctl {{sysctl}}.',
      'host-namespace': "Container {{name}} sets {{sysctl}} in the host's {{namespace}} namespace, changing it for the host.",
    },
    parameters: {
      allowedSysctls: {
        description:
          'Sysctls accepted whatever their scope: exact names or prefixes ending in `*` (e.g. `vm.overcommit_memory`, ' +
          '`net.core.*`).',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: [],
      },
    },
  },
  evaluate({ container }, ctx) {
    const allowed = stringList(ctx.params['allowedSysctls']).map(normalise);
    const violations: Violation[] = [];
    for (const sysctl of Object.keys(container.sysctls).sort()) {
      const normalised = normalise(sysctl);
      if (isAllowed(normalised, allowed)) continue;
      const namespace = namespaceOf(normalised);
      const sharedWithHost =
        (namespace === 'IPC' && container.ipcMode === 'host') ||
        (namespace === 'network' && container.networkMode === 'host');
      if (namespace !== undefined && !sharedWithHost) continue;
      // Values are left out on purpose: the name is what is judged, and values may be sensitive.
      violations.push({
        messageId: namespace === undefined ? 'not-namespaced' : 'host-namespace',
        data: { name: container.name, sysctl, ...(namespace !== undefined && { namespace }) },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.Sysctls',
          observed: sysctl,
          expected: namespace === undefined ? 'a namespaced sysctl or one in allowedSysctls' : `a private ${namespace} namespace`,
        },
        key: sysctl,
      });
    }
    return violations;
  },
});
