// Risk: without a daemon-wide no-new-privileges default, setuid and file-capability
// binaries in any image can raise a container process's privileges.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-no-new-privileges',
  target: 'engine',
  meta: {
    title: 'Engine sets no-new-privileges for every container by default',
    description:
      'The no_new_privs bit stops a process and its children from gaining privileges through setuid/setgid or ' +
      'file-capability binaries. Setting it on the daemon makes it the default for every container, so a container ' +
      'that forgets `--security-opt no-new-privileges` is still covered.',
    layer: 'least-privilege',
    severity: 'low',
    remediation:
      'Set `"no-new-privileges": true` in /etc/docker/daemon.json (dockerd flag: `--no-new-privileges`) and restart the ' +
      'daemon. Per container the same is `docker run --security-opt no-new-privileges:true` (Compose: ' +
      '`security_opt: ["no-new-privileges:true"]`).',
    references: [
      'cis-docker-1.6.0:2.14',
      'cwe:250',
      'https://docs.docker.com/reference/cli/dockerd/',
      'https://docs.kernel.org/userspace-api/no_new_privs.html',
    ],
    messages: {
      'no-new-privileges-off': 'Engine {{name}} does not set no-new-privileges for containers by default.',
    },
  },
  evaluate({ engine }) {
    if (engine.security.noNewPrivileges) return [];
    return [
      {
        messageId: 'no-new-privileges-off',
        data: { name: engine.name },
        evidence: {
          source: 'engine info',
          path: 'SecurityOptions',
          observed: 'no name=no-new-privileges entry',
          expected: 'name=no-new-privileges',
        },
      },
    ];
  },
});
