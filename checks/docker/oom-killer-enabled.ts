// Risk: with the OOM killer disabled a container that runs out of memory hangs
// instead of dying, and without a memory limit it can starve the whole host.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/oom-killer-enabled',
  target: 'container',
  meta: {
    title: 'OOM killer is not disabled for the container',
    description:
      '`--oom-kill-disable` stops the kernel from killing processes of the container when it runs out of memory. ' +
      'With a memory limit, the container then freezes at the limit instead of restarting; without one, the ' +
      'kernel cannot reclaim memory from it and kills host processes or other containers instead, up to ' +
      'leaving the host unresponsive. Docker honours the flag only on cgroup v1.',
    layer: 'resource-limits',
    severity: 'medium',
    remediation:
      'Remove `--oom-kill-disable` (Compose: `oom_kill_disable: true`). If the workload must never be OOM-killed, ' +
      'at least give it a memory limit with `--memory` (Compose: `mem_limit` or `deploy.resources.limits.memory`).',
    references: [
      'cwe:400',
      'cwe:770',
      'https://docs.docker.com/engine/containers/resource_constraints/#--oom-kill-disable',
      'https://docs.docker.com/reference/compose-file/services/#oom_kill_disable',
    ],
    messages: {
      'oom-kill-disabled': 'Container {{name}} runs with the OOM killer disabled.',
      'oom-kill-disabled-unlimited':
        'Container {{name}} runs with the OOM killer disabled and no memory limit, so it can starve the host.',
    },
  },
  evaluate({ container }) {
    if (!container.resources.oomKillDisable) return [];
    const unlimited = container.resources.memory <= 0;
    return [
      {
        messageId: unlimited ? 'oom-kill-disabled-unlimited' : 'oom-kill-disabled',
        data: { name: container.name, memory: container.resources.memory },
        evidence: { source: 'container inspect', path: 'HostConfig.OomKillDisable', observed: true, expected: false },
      },
    ];
  },
});
