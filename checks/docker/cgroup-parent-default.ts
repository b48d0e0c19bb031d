// Risk: a container placed under a custom parent cgroup can escape the
// resource limits and accounting the engine applies to its containers.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/cgroup-parent-default',
  target: 'container',
  meta: {
    title: 'Container runs under the default parent cgroup',
    description:
      'By default the engine puts every container under its own parent cgroup (`/docker` or `system.slice`), where ' +
      'host-wide limits and monitoring apply. `--cgroup-parent` moves the container elsewhere in the hierarchy: into a ' +
      'cgroup without limits, or one shared with host services, so it can starve them or dodge accounting. Any such ' +
      'placement should be deliberate and reviewed.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Remove `--cgroup-parent` (Compose: `cgroup_parent`) unless the target cgroup is intended and carries limits; ' +
      'set per-container limits with `--memory`, `--cpus` and `--pids-limit` instead.',
    references: [
      'cis-docker-1.6.0:5.25',
      'cwe:770',
      'https://docs.docker.com/reference/cli/docker/container/run/#cgroup-parent',
    ],
    messages: {
      'custom-cgroup-parent': 'Container {{name}} runs under the custom parent cgroup {{cgroupParent}}.',
    },
  },
  evaluate({ container }) {
    const cgroupParent = container.cgroupParent.trim();
    if (cgroupParent === '') return [];
    return [
      {
        messageId: 'custom-cgroup-parent',
        data: { name: container.name, cgroupParent },
        evidence: { source: 'container inspect', path: 'HostConfig.CgroupParent', observed: container.cgroupParent, expected: '' },
      },
    ];
  },
});
