// Risk: a container without a memory limit can exhaust host memory and get
// other containers or host services killed by the OOM killer.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/memory-limited',
  target: 'container',
  meta: {
    title: 'Container memory is limited',
    description:
      'By default a container may use all the memory of the host. A leak, a load spike or a deliberate ' +
      'denial-of-service in one container then starves the others and the host itself, and the kernel OOM killer ' +
      'may pick a host service or another workload rather than the culprit.',
    layer: 'resource-limits',
    severity: 'medium',
    remediation:
      'Set a memory limit sized for the workload with `--memory` (e.g. `--memory 512m`; Compose: `mem_limit: 512m` ' +
      'or `deploy.resources.limits.memory`).',
    references: [
      'cis-docker-1.6.0:5.11',
      'cwe:770',
      'https://docs.docker.com/engine/containers/resource_constraints/',
    ],
    messages: {
      'no-memory-limit': 'Container {{name}} has no memory limit.',
    },
  },
  evaluate({ container }) {
    if (container.resources.memory > 0) return [];
    return [
      {
        messageId: 'no-memory-limit',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.Memory', observed: container.resources.memory, expected: '> 0' },
      },
    ];
  },
});
