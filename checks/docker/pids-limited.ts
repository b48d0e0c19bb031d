// Risk: without a PIDs limit, a fork bomb or runaway process in one container
// exhausts the host's process table and takes down every workload on it.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/pids-limited',
  target: 'container',
  meta: {
    title: 'Container has a PIDs limit',
    description:
      'The kernel has one process table per host. A container without a `pids` cgroup limit can fork until the ' +
      "host's PID space (`kernel.pid_max`) or thread limit is exhausted, after which no container and no host service " +
      'can start a process. Memory and CPU limits do not stop this: sleeping processes cost almost nothing.',
    layer: 'resource-limits',
    severity: 'medium',
    remediation:
      'Run with `--pids-limit <n>` sized to the workload (Compose: `pids_limit: <n>`, or `deploy.resources.limits.pids`).',
    references: [
      'cis-docker-1.6.0:5.29',
      'cwe:770',
      'https://docs.docker.com/reference/cli/docker/container/run/',
      'https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerCreate',
    ],
    messages: {
      unlimited: 'Container {{name}} has no PIDs limit.',
    },
  },
  evaluate({ container }) {
    const limit = container.resources.pidsLimit;
    // The Engine API treats null (unset), 0 and -1 alike: no limit.
    if (limit !== null && limit > 0) return [];
    return [
      {
        messageId: 'unlimited',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.PidsLimit', observed: limit, expected: '> 0' },
      },
    ];
  },
});
