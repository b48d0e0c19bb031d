// Risk: capabilities such as SYS_ADMIN, SYS_MODULE or SYS_PTRACE give root in a
// container kernel powers that are known, direct routes to the host.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { stringList } from '../../src/lib/params.js';

const DEFAULT_DANGEROUS = [
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYSLOG',
  'ALL',
];

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` name the same capability. */
function normalise(capability: string): string {
  const upper = capability.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice('CAP_'.length) : upper;
}

export default defineCheck({
  id: 'docker/no-dangerous-capabilities',
  target: 'container',
  meta: {
    title: 'Container adds no dangerous Linux capabilities',
    description:
      'Some capabilities are escapes in all but name. SYS_ADMIN allows mounts, namespaces and BPF and is most of ' +
      'privileged mode; SYS_MODULE loads kernel modules; SYS_PTRACE reads and injects into other processes; ' +
      'SYS_RAWIO and DAC_READ_SEARCH reach raw devices and host files by handle (the "shocker" escape); NET_ADMIN ' +
      'rewrites firewall and routing; BPF and PERFMON load kernel programs and read kernel memory; MAC_ADMIN and ' +
      'MAC_OVERRIDE switch off AppArmor or SELinux; SYS_BOOT, SYS_TIME and SYSLOG act on the whole host. `ALL` ' +
      'grants every one of them, and a privileged container holds them all.',
    layer: 'least-privilege',
    severity: 'high',
    remediation:
      'Remove the capability from `--cap-add` (Compose: `cap_add`), and never use `--cap-add ALL` or `--privileged` ' +
      '(Compose: `privileged: true`). If the workload truly needs one, run it on a dedicated host and record a ' +
      'waiver; prefer a narrower capability (e.g. NET_BIND_SERVICE instead of NET_ADMIN).',
    references: [
      'cis-docker-1.6.0:5.4',
      'cwe:250',
      'cwe:269',
      'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    ],
    messages: {
      'dangerous-capability': 'Container {{name}} adds the dangerous capability {{capability}}.',
      'all-capabilities': 'Container {{name}} adds ALL capabilities, dangerous ones included.',
      privileged: 'Container {{name}} runs privileged and so holds every dangerous capability.',
    },
    parameters: {
      dangerousCapabilities: {
        description:
          'Capabilities that must not be added (case and a `CAP_` prefix are ignored). `ALL` is reported when it ' +
          'is listed or when it would grant any listed capability.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: DEFAULT_DANGEROUS,
      },
    },
  },
  evaluate({ container }, ctx) {
    if (container.privileged) {
      return [
        {
          messageId: 'privileged',
          data: { name: container.name },
          evidence: { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false },
        },
      ];
    }
    const dangerous = new Set(stringList(ctx.params['dangerousCapabilities']).map(normalise));
    const dropped = new Set(container.capDrop.map(normalise));
    const reported = new Set<string>();
    const violations: Violation[] = [];
    for (const raw of container.capAdd) {
      const capability = normalise(raw);
      if (reported.has(capability)) continue;
      // With `--cap-add ALL` Docker grants every capability except those in
      // `--cap-drop`; otherwise an added capability wins over a drop.
      const isDangerous =
        capability === 'ALL'
          ? dangerous.has('ALL') || [...dangerous].some((c) => c !== 'ALL' && !dropped.has(c))
          : dangerous.has(capability);
      if (!isDangerous) continue;
      reported.add(capability);
      violations.push({
        messageId: capability === 'ALL' ? 'all-capabilities' : 'dangerous-capability',
        data: { name: container.name, capability },
        evidence: { source: 'container inspect', path: 'HostConfig.CapAdd', observed: raw, expected: 'not added' },
        key: capability,
      });
    }
    return violations;
  },
});
