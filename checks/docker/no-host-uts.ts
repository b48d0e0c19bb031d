// Risk: sharing the host's UTS namespace lets a container change the host's
// hostname and NIS domain name, which other host services trust.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-uts',
  target: 'container',
  meta: {
    title: "Container does not share the host's UTS namespace",
    description:
      "With `--uts=host` the container uses the host's hostname and NIS domain name. A process holding " +
      '`CAP_SYS_ADMIN` in it can rename the host, confusing logging, monitoring, TLS name checks and clustering ' +
      'software, and any process can read the real host name for reconnaissance.',
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Remove `--uts=host` (Compose: `uts: host`); set a container host name with `--hostname` (Compose: `hostname`) if the workload needs one.',
    references: [
      'cis-docker-1.6.0:5.21',
      'cwe:653',
      'https://docs.docker.com/reference/cli/docker/container/run/#uts',
    ],
    messages: {
      'host-uts': "Container {{name}} shares the host's UTS namespace.",
    },
  },
  evaluate({ container }) {
    if (container.utsMode !== 'host') return [];
    return [
      {
        messageId: 'host-uts',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.UTSMode', observed: container.utsMode, expected: 'not host' },
      },
    ];
  },
});
