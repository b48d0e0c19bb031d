// Risk: a container with no CPU limit or weight can monopolise the host's CPUs
// and starve other containers and host services.
import { defineCheck } from '../../src/model/check.js';

// The kernel's default cgroup weight: `--cpu-shares 1024` is the same as not
// setting it, as docker-bench-security also treats it.
const DEFAULT_CPU_SHARES = 1024;

export default defineCheck({
  id: 'docker/cpu-limited',
  target: 'container',
  meta: {
    title: 'Container CPU is limited or weighted',
    description:
      'Without a CPU quota, a CPU set or a CPU weight, every container competes equally for all host CPUs, so one ' +
      'busy or compromised container can slow everything else on the host to a crawl.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Cap CPU time with `--cpus` (e.g. `--cpus 1.5`; Compose: `cpus: 1.5` or `deploy.resources.limits.cpus`), or set a ' +
      'relative weight with `--cpu-shares` (Compose: `cpu_shares`) or pin CPUs with `--cpuset-cpus` (Compose: `cpuset`).',
    references: [
      'cis-docker-1.6.0:5.12',
      'cwe:770',
      'https://docs.docker.com/engine/containers/resource_constraints/#cpu',
    ],
    messages: {
      'no-cpu-limit': 'Container {{name}} has no CPU limit, CPU set or CPU weight.',
    },
  },
  evaluate({ container }) {
    const { cpuShares, nanoCpus, cpuQuota, cpusetCpus } = container.resources;
    const weighted = cpuShares > 0 && cpuShares !== DEFAULT_CPU_SHARES;
    // CpuQuota -1 means unlimited, like 0.
    if (weighted || nanoCpus > 0 || cpuQuota > 0 || cpusetCpus.trim() !== '') return [];
    return [
      {
        messageId: 'no-cpu-limit',
        data: { name: container.name },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig',
          observed: { CpuShares: cpuShares, NanoCpus: nanoCpus, CpuQuota: cpuQuota, CpusetCpus: cpusetCpus },
          expected: 'NanoCpus, CpuQuota or CpusetCpus set, or CpuShares other than 0 and 1024',
        },
      },
    ];
  },
});
