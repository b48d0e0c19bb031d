// Risk: without a seccomp filter a container can call every kernel syscall,
// including the rarely used ones most container escapes and kernel exploits need.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { parseSecurityOpt } from '../../src/lib/security-opt.js';

export default defineCheck({
  id: 'docker/seccomp-enabled',
  target: 'container',
  meta: {
    title: 'Container runs under a seccomp profile',
    description:
      "Docker's default seccomp profile blocks about 50 syscalls that containers rarely need (`keyctl`, `bpf`, " +
      '`unshare`, `mount`, `kexec_load`, `open_by_handle_at`...), cutting the kernel attack surface a compromised ' +
      'process can reach. The filter is gone when the container asks for `seccomp=unconfined`, when it runs ' +
      '`--privileged` (the engine skips seccomp for privileged containers, whatever profile is requested), when the ' +
      'engine was built or runs without seccomp support, or when the engine default profile is `unconfined`.',
    layer: 'confinement',
    severity: 'high',
    remediation:
      'Remove `--security-opt seccomp=unconfined` (Compose: `security_opt: ["seccomp=unconfined"]`) and ' +
      '`--privileged` (Compose: `privileged: true`); if a syscall is missing, run with a custom profile ' +
      '(`--security-opt seccomp=/path/profile.json`) that adds only it. On the engine, use a kernel and dockerd with ' +
      'seccomp support and remove `"seccomp-profile": "unconfined"` from daemon.json (`--seccomp-profile`).',
    references: [
      'cis-docker-1.6.0:5.22',
      'cwe:693',
      'https://docs.docker.com/engine/security/seccomp/',
      'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
    ],
    engineFact: 'seccomp support and the default seccomp profile',
    messages: {
      unconfined: 'Container {{name}} runs with seccomp=unconfined.',
      privileged: 'Container {{name}} runs privileged, so the engine applies no seccomp profile.',
      'engine-unsupported': 'The engine running container {{name}} has no seccomp support, so no profile is applied.',
      'engine-default-unconfined':
        'Container {{name}} requests no seccomp profile and the engine default profile is unconfined.',
    },
  },
  evaluate({ container, engine }) {
    const data = { name: container.name };
    const requested = parseSecurityOpt(container.securityOpt).seccomp;
    const violations: Violation[] = [];
    if (!engine.security.seccomp) {
      violations.push({
        messageId: 'engine-unsupported',
        data,
        evidence: { source: 'engine info', path: 'SecurityOptions', observed: 'no name=seccomp entry', expected: 'name=seccomp,profile=builtin' },
        key: 'engine',
      });
    } else if (requested === undefined && engine.security.seccompProfile === 'unconfined') {
      // dockerd --seccomp-profile=unconfined makes every container without its own profile unconfined.
      violations.push({
        messageId: 'engine-default-unconfined',
        data,
        evidence: {
          source: 'engine info',
          path: 'SecurityOptions',
          observed: 'name=seccomp,profile=unconfined',
          expected: 'name=seccomp,profile=builtin',
        },
        key: 'engine',
      });
    }
    if (container.privileged) {
      violations.push({
        messageId: 'privileged',
        data,
        evidence: { source: 'container inspect', path: 'HostConfig.Privileged', observed: true, expected: false },
        key: 'privileged',
      });
    }
    if (requested === 'unconfined') {
      violations.push({
        messageId: 'unconfined',
        data,
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.SecurityOpt',
          observed: container.securityOpt,
          expected: 'no seccomp=unconfined',
        },
        key: 'security-opt',
      });
    }
    return violations;
  },
});
