// Risk: the default capability set (NET_RAW, MKNOD, SYS_CHROOT, ...) is more
// than most workloads need and widens what an attacker in the container can do.
import { defineCheck } from '../../src/model/check.js';

/** Default Docker capabilities most often abused (ARP/DNS spoofing, device nodes, chroot tricks, file caps). */
const RISKY_DEFAULTS = ['NET_RAW', 'MKNOD', 'SYS_CHROOT', 'SETFCAP', 'AUDIT_WRITE'];

/** `cap_net_raw`, `CAP_NET_RAW` and `NET_RAW` name the same capability. */
function normalise(capability: string): string {
  const upper = capability.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice('CAP_'.length) : upper;
}

export default defineCheck({
  id: 'docker/capabilities-dropped',
  target: 'container',
  meta: {
    title: 'Container drops Linux capabilities it does not need',
    description:
      'Docker starts every container with a default set of capabilities, including NET_RAW (raw sockets for ARP ' +
      'and DNS spoofing on the bridge), MKNOD (device nodes), SYS_CHROOT, SETFCAP and AUDIT_WRITE. Most services ' +
      'need none or one of them. Dropping all and adding back only what is needed leaves an attacker who gains ' +
      'code execution with far less to work with.',
    layer: 'least-privilege',
    severity: 'low',
    remediation:
      'Run with `--cap-drop ALL` (Compose: `cap_drop: [ALL]`) and add back only the capabilities the workload ' +
      'needs with `--cap-add` (Compose: `cap_add`). Do not combine it with `--cap-add ALL` or `--privileged` ' +
      '(Compose: `privileged: true`), which undo it.',
    references: [
      'cis-docker-1.6.0:5.4',
      'cwe:250',
      'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
      'https://docs.docker.com/engine/security/#linux-kernel-capabilities',
    ],
    messages: {
      'not-dropped-all': 'Container {{name}} does not drop all capabilities.',
      'no-risky-dropped': 'Container {{name}} keeps every risky default capability ({{capabilities}}).',
      'drop-all-overridden': 'Container {{name}} drops ALL capabilities but adds ALL back.',
      privileged: 'Container {{name}} runs privileged, so it keeps every capability.',
    },
    parameters: {
      requireDropAll: {
        description:
          'Require `--cap-drop ALL`. When false, it is enough to drop at least one of ' +
          `${RISKY_DEFAULTS.join(', ')}.`,
        schema: { type: 'boolean' },
        default: true,
      },
    },
  },
  evaluate({ container }, ctx) {
    const data = { name: container.name };
    if (container.privileged) {
      return [
        {
          messageId: 'privileged',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false },
        },
      ];
    }
    const dropped = new Set(container.capDrop.map(normalise));
    // Docker applies `--cap-add ALL` before drops, so it beats `--cap-drop ALL`.
    if (container.capAdd.some((c) => normalise(c) === 'ALL')) {
      return [
        {
          messageId: 'drop-all-overridden',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.CapAdd', observed: container.capAdd, expected: 'no ALL' },
        },
      ];
    }
    if (dropped.has('ALL')) return [];
    if (ctx.params['requireDropAll'] !== false) {
      return [
        {
          messageId: 'not-dropped-all',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.CapDrop', observed: container.capDrop, expected: ['ALL'] },
        },
      ];
    }
    if (RISKY_DEFAULTS.some((c) => dropped.has(c))) return [];
    return [
      {
        messageId: 'no-risky-dropped',
        data: { ...data, capabilities: RISKY_DEFAULTS.join(', ') },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.CapDrop',
          observed: container.capDrop,
          expected: `one of ${RISKY_DEFAULTS.join(', ')}`,
        },
      },
    ];
  },
});
