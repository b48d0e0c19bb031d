// Risk: a container in the host's cgroup namespace sees the host's whole cgroup
// tree, which leaks host layout and eases escapes through cgroup files.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-cgroupns',
  target: 'container',
  meta: {
    title: "Container does not share the host's cgroup namespace",
    description:
      "In the host's cgroup namespace, /proc/self/cgroup and any cgroupfs mount show the host's full cgroup " +
      'hierarchy: the paths of every other container and host service. That leaks information, and if cgroupfs ' +
      'is mounted writable (privileged or CAP_SYS_ADMIN) the whole host tree is open to tampering. A private ' +
      'cgroup namespace shows the container only its own subtree. On cgroup v2 ' +
      "Docker's default is private; on cgroup v1 hosts the default is host, so containers there share it " +
      'unless `--cgroupns private` or the daemon option `default-cgroupns-mode` says otherwise.',
    layer: 'isolation',
    severity: 'low',
    remediation:
      'Run the container with `--cgroupns private` (Compose: `cgroup: private`) instead of `--cgroupns host` ' +
      '(Compose: `cgroup: host`); on cgroup v1 hosts also set `"default-cgroupns-mode": "private"` in ' +
      'daemon.json.',
    references: [
      'cwe:653',
      'https://docs.docker.com/reference/cli/docker/container/run/#cgroupns',
      'https://docs.docker.com/reference/compose-file/services/#cgroup',
      'https://man7.org/linux/man-pages/man7/cgroup_namespaces.7.html',
    ],
    engineFact: 'the default cgroup namespace mode',
    messages: {
      'host-cgroupns': "Container {{name}} shares the host's cgroup namespace.",
    },
  },
  appliesTo({ container }) {
    if (container.cgroupnsMode === '') return 'the engine does not report the cgroup namespace mode';
    return undefined;
  },
  evaluate({ container, engine }) {
    if (container.cgroupnsMode !== 'host') return [];
    return [
      {
        messageId: 'host-cgroupns',
        data: { name: container.name, cgroupVersion: engine.cgroupVersion ?? 'unknown' },
        evidence: { source: 'container inspect', path: 'HostConfig.CgroupnsMode', observed: 'host', expected: 'private' },
      },
    ];
  },
});
