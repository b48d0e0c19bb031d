// Risk: without Docker's masked /proc and /sys paths a container can read
// kernel memory, keyrings, timers and firmware data of the host.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { parseSecurityOpt } from '../../src/lib/security-opt.js';

/** Paths Docker masks by default whose exposure matters most. */
const REQUIRED_MASKED = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/sys/firmware'];

export default defineCheck({
  id: 'docker/masked-paths-kept',
  target: 'container',
  meta: {
    title: "Docker's masked /proc and /sys paths are kept",
    description:
      'Docker hides sensitive files that procfs and sysfs do not namespace: /proc/kcore (physical memory of the ' +
      'host as an ELF core), /proc/keys (kernel keyrings), /proc/timer_list and /proc/sched_debug (host tasks ' +
      'and addresses useful to defeat KASLR) and /sys/firmware (ACPI tables, EFI variables). `--privileged` and ' +
      '`--security-opt systempaths=unconfined` remove the masking, and a custom list may leave paths out.',
    layer: 'confinement',
    severity: 'high',
    remediation:
      'Remove `--security-opt systempaths=unconfined` (Compose: `security_opt: [systempaths=unconfined]`) and ' +
      '`--privileged` (Compose: `privileged: true`), and do not override the engine\'s masked paths; recreate ' +
      'the container so the default masking applies.',
    references: [
      'cwe:200',
      'cwe:668',
      'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
      'https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerInspect',
    ],
    messages: {
      'masking-removed': 'Container {{name}} has no masked paths ({{cause}}): host /proc and /sys files are exposed.',
      'path-not-masked': 'Container {{name}} does not mask {{path}}.',
    },
  },
  evaluate({ container }) {
    const evidence = { source: 'container inspect', path: 'HostConfig.MaskedPaths' };
    if (container.privileged || container.maskedPaths.length === 0) {
      const cause = container.privileged
        ? 'privileged'
        : parseSecurityOpt(container.securityOpt).systempaths === 'unconfined'
          ? 'systempaths=unconfined'
          : 'masked paths cleared';
      return [
        {
          messageId: 'masking-removed',
          data: { name: container.name, cause },
          evidence: { ...evidence, observed: container.maskedPaths, expected: REQUIRED_MASKED },
        },
      ];
    }
    const masked = new Set(container.maskedPaths);
    const violations: Violation[] = [];
    for (const path of REQUIRED_MASKED) {
      if (masked.has(path)) continue;
      violations.push({
        messageId: 'path-not-masked',
        data: { name: container.name, path },
        evidence: { ...evidence, observed: container.maskedPaths, expected: path },
        key: path,
      });
    }
    return violations;
  },
});
