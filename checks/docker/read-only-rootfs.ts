// Risk: a writable root filesystem lets an intruder drop tools, alter binaries
// and persist changes inside the container.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/read-only-rootfs',
  target: 'container',
  meta: {
    title: "Container's root filesystem is read-only",
    description:
      'A read-only root filesystem keeps the container identical to its image: an attacker cannot replace binaries or ' +
      'configuration, install tools or leave persistence behind, and any writes the workload needs are confined to ' +
      'explicit volumes and tmpfs mounts that can be reviewed.',
    layer: 'immutability',
    severity: 'medium',
    remediation:
      'Run with `--read-only` (Compose: `read_only: true`) and give the paths the workload must write a tmpfs ' +
      '(`--tmpfs /tmp`; Compose: `tmpfs`) or a volume (`-v`; Compose: `volumes`).',
    references: [
      'cis-docker-1.6.0:5.13',
      'https://docs.docker.com/reference/cli/docker/container/run/#read-only',
    ],
    messages: {
      'writable-rootfs': 'Container {{name}} has a writable root filesystem.',
    },
  },
  evaluate({ container }) {
    if (container.readonlyRootfs) return [];
    return [
      {
        messageId: 'writable-rootfs',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.ReadonlyRootfs', observed: false, expected: true },
      },
    ];
  },
});
