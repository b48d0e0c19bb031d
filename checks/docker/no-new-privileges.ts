// Risk: without no_new_privs, a process can gain privileges through setuid and
// setgid binaries or file capabilities, turning a foothold into root.
import { defineCheck } from '../../src/model/check.js';
import type { ContainerSubject } from '../../src/model/facts.js';
import { parseSecurityOpt } from '../../src/lib/security-opt.js';

function evidence({ container, engine }: ContainerSubject, expected: string) {
  return {
    source: 'container inspect, engine info',
    path: 'HostConfig.SecurityOpt',
    observed: {
      'HostConfig.SecurityOpt': container.securityOpt,
      'SecurityOptions name=no-new-privileges': engine.security.noNewPrivileges,
    },
    expected,
  };
}

export default defineCheck({
  id: 'docker/no-new-privileges',
  target: 'container',
  meta: {
    title: 'Container processes cannot gain new privileges',
    description:
      "The `no_new_privs` flag stops `execve` from granting privileges the caller did not have: setuid and setgid " +
      'binaries and file capabilities no longer elevate, and the flag cannot be cleared. Without it, a process ' +
      'running as an unprivileged user in the container can become root through any setuid binary in the image ' +
      '(`su`, `sudo`, `passwd`, or one an attacker drops on a writable filesystem).',
    layer: 'least-privilege',
    severity: 'medium',
    remediation:
      'Run with `--security-opt no-new-privileges=true` (Compose: `security_opt: ["no-new-privileges:true"]`), or ' +
      'enforce it for every container with `"no-new-privileges": true` in daemon.json (`dockerd --no-new-privileges`); ' +
      'remove any `no-new-privileges=false` that overrides the engine default.',
    references: [
      'cis-docker-1.6.0:5.26',
      'cwe:269',
      'https://docs.docker.com/reference/cli/docker/container/run/#security-opt',
      'https://docs.kernel.org/userspace-api/no_new_privs.html',
    ],
    messages: {
      'not-set': 'Container {{name}} does not set no-new-privileges and the engine does not enforce it.',
      'opted-out': "Container {{name}} sets no-new-privileges=false, overriding the engine's default.",
    },
  },
  evaluate(subject) {
    const { container, engine } = subject;
    const data = { name: container.name };
    // The engine applies its default first and the container's last entry overrides it.
    const own = parseSecurityOpt(container.securityOpt).noNewPrivileges;
    if (own === false && engine.security.noNewPrivileges) {
      return [{ messageId: 'opted-out', data, evidence: evidence(subject, 'no no-new-privileges=false in HostConfig.SecurityOpt') }];
    }
    if (own ?? engine.security.noNewPrivileges) return [];
    return [
      {
        messageId: 'not-set',
        data,
        evidence: evidence(
          subject,
          'no-new-privileges=true in HostConfig.SecurityOpt, or name=no-new-privileges in the engine SecurityOptions',
        ),
      },
    ];
  },
});
