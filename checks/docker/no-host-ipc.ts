// Risk: sharing the host's IPC namespace lets a container read and tamper with
// host shared memory, semaphores and message queues of every host process.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-ipc',
  target: 'container',
  meta: {
    title: "Container does not share the host's IPC namespace",
    description:
      "With `--ipc=host` the container sees the host's System V IPC objects and POSIX shared memory (`/dev/shm`). " +
      'A process in it can read or corrupt shared memory segments of host services (databases, caches, X servers) ' +
      'and signal their semaphores, crossing the isolation boundary without any exploit.',
    layer: 'isolation',
    severity: 'high',
    remediation:
      'Remove `--ipc=host` (Compose: `ipc: host`). To share IPC between two containers, use ' +
      '`--ipc=shareable` on one and `--ipc=container:<name>` on the other (Compose: `ipc: shareable` / `ipc: "service:<name>"`).',
    references: [
      'cis-docker-1.6.0:5.17',
      'cwe:653',
      'https://docs.docker.com/reference/cli/docker/container/run/#ipc',
    ],
    messages: {
      'host-ipc': "Container {{name}} shares the host's IPC namespace.",
    },
  },
  evaluate({ container }) {
    if (container.ipcMode !== 'host') return [];
    return [
      {
        messageId: 'host-ipc',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.IpcMode', observed: container.ipcMode, expected: 'not host' },
      },
    ];
  },
});
