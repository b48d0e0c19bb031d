// Risk: an engine without seccomp, or with an unconfined default profile, lets
// every container call every syscall, the surface most kernel escapes need.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-seccomp-default',
  target: 'engine',
  meta: {
    title: 'Engine applies a seccomp profile to containers by default',
    description:
      "Docker's default seccomp profile blocks syscalls containers rarely need (`keyctl`, `bpf`, `unshare`, `mount`, " +
      '`kexec_load`...), cutting the kernel attack surface a compromised container can reach. When the kernel or ' +
      'dockerd lacks seccomp support, or the daemon default profile is `unconfined`, every container that does not ' +
      'bring its own profile runs unfiltered. A custom daemon-wide profile passes.',
    layer: 'confinement',
    severity: 'high',
    remediation:
      'Remove `"seccomp-profile": "unconfined"` from /etc/docker/daemon.json (dockerd flag: `--seccomp-profile`) so the ' +
      'built-in profile applies, or point it at a custom profile; when seccomp is missing, run a kernel built with ' +
      '`CONFIG_SECCOMP_FILTER` and a dockerd built with seccomp. Per container the profile is set with ' +
      '`docker run --security-opt seccomp=<profile.json>` (Compose: `security_opt: ["seccomp=<profile.json>"]`).',
    references: ['cis-docker-1.6.0:2.17', 'cwe:693', 'https://docs.docker.com/engine/security/seccomp/'],
    messages: {
      'seccomp-unavailable': 'Engine {{name}} has no seccomp support: containers run without syscall filtering.',
      'seccomp-unconfined': 'Engine {{name}} default seccomp profile is unconfined: containers run without syscall filtering.',
    },
  },
  evaluate({ engine }) {
    const data = { name: engine.name };
    if (!engine.security.seccomp) {
      return [
        {
          messageId: 'seccomp-unavailable',
          data,
          evidence: { source: 'engine info', path: 'SecurityOptions', observed: 'no name=seccomp entry', expected: 'name=seccomp,profile=builtin' },
        },
      ];
    }
    if (engine.security.seccompProfile?.trim().toLowerCase() !== 'unconfined') return [];
    return [
      {
        messageId: 'seccomp-unconfined',
        data,
        evidence: {
          source: 'engine info',
          path: 'SecurityOptions',
          observed: `name=seccomp,profile=${engine.security.seccompProfile}`,
          expected: 'name=seccomp,profile=builtin',
        },
      },
    ];
  },
});
