// Risk: capabilities added to a container (SYS_ADMIN, NET_ADMIN, ...) hand its
// root user kernel powers that are the usual stepping stones to the host.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { stringList } from '../../src/lib/params.js';

/** `cap_net_admin`, `CAP_NET_ADMIN` and `NET_ADMIN` name the same capability. */
function normalise(capability: string): string {
  const upper = capability.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice('CAP_'.length) : upper;
}

export default defineCheck({
  id: 'docker/no-added-capabilities',
  target: 'container',
  meta: {
    title: 'Container adds no Linux capabilities beyond those allowed',
    description:
      'Every capability added with `--cap-add` widens what root in the container may ask of the kernel: SYS_ADMIN ' +
      'allows mounts and most of what privileged mode does, SYS_PTRACE reads other processes, NET_ADMIN rewrites ' +
      'networking. `ALL` grants every capability. Only capabilities the workload demonstrably needs should be added.',
    layer: 'least-privilege',
    severity: 'medium',
    remediation:
      'Remove `--cap-add` (Compose: `cap_add`) entries the workload does not need, start from `--cap-drop ALL` ' +
      '(Compose: `cap_drop: [ALL]`), and list the capabilities that are genuinely required in the check parameter ' +
      '`allowedCapabilities`. Never use `--cap-add ALL`.',
    references: [
      'cis-docker-1.6.0:5.4',
      'cwe:250',
      'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    ],
    messages: {
      'added-capability': 'Container {{name}} adds capability {{capability}}.',
      'all-capabilities': 'Container {{name}} adds ALL capabilities.',
    },
    parameters: {
      allowedCapabilities: {
        description:
          'Capabilities a container may add, e.g. `NET_BIND_SERVICE` (case and a `CAP_` prefix are ignored). `ALL` is never allowed.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: [],
      },
    },
  },
  evaluate({ container }, ctx) {
    const allowed = new Set(stringList(ctx.params['allowedCapabilities']).map(normalise));
    allowed.delete('ALL');
    const reported = new Set<string>();
    const violations: Violation[] = [];
    for (const raw of container.capAdd) {
      const capability = normalise(raw);
      if (capability === '' || allowed.has(capability) || reported.has(capability)) continue;
      reported.add(capability);
      violations.push({
        messageId: capability === 'ALL' ? 'all-capabilities' : 'added-capability',
        data: { name: container.name, capability },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.CapAdd',
          observed: raw,
          expected: allowed.size > 0 ? [...allowed].sort() : [],
        },
        key: capability,
      });
    }
    return violations;
  },
});
