// Risk: a container in the host's PID namespace sees, signals and (with
// ptrace) reads the memory of every host process.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-pid',
  target: 'container',
  meta: {
    title: "Container does not share the host's process namespace",
    description:
      "With `--pid host` every host process is visible in the container: command lines and environments leak through " +
      '/proc, root in the container can kill host processes, and with SYS_PTRACE it can enter them (`nsenter -t 1`), ' +
      'which is a direct path to the host.',
    layer: 'isolation',
    severity: 'high',
    remediation: 'Remove `--pid host` (Compose: `pid: host`); run host debugging tools on the host, not in long-lived containers.',
    references: [
      'cis-docker-1.6.0:5.16',
      'cwe:653',
      'https://docs.docker.com/reference/cli/docker/container/run/',
      'https://docs.docker.com/reference/compose-file/services/#pid',
    ],
    messages: {
      'host-pid': "Container {{name}} shares the host's process namespace.",
    },
  },
  evaluate({ container }) {
    if (container.pidMode !== 'host') return [];
    return [
      {
        messageId: 'host-pid',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.PidMode', observed: container.pidMode, expected: 'not host' },
      },
    ];
  },
});
