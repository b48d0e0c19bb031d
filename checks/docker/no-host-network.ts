// Risk: a container on the host's network namespace can reach every host
// interface and loopback-only service, and sniff or spoof host traffic.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-network',
  target: 'container',
  meta: {
    title: "Container does not share the host's network namespace",
    description:
      "With `--network host` the container uses the host's interfaces directly: it can bind any host port, reach " +
      'services listening only on 127.0.0.1 (the Docker API over TCP, databases, metadata proxies) and, with ' +
      'NET_RAW or NET_ADMIN, capture or reshape host traffic. Network isolation between container and host is gone.',
    layer: 'isolation',
    severity: 'high',
    remediation:
      'Remove `--network host` (Compose: `network_mode: host`); attach the container to a user-defined bridge network ' +
      '(`--network <name>`; Compose: `networks`) and publish only the ports it serves (`-p`; Compose: `ports`).',
    references: [
      'cis-docker-1.6.0:5.10',
      'cwe:653',
      'https://docs.docker.com/engine/network/drivers/host/',
    ],
    messages: {
      'host-network': "Container {{name}} shares the host's network namespace.",
    },
  },
  evaluate({ container }) {
    if (container.networkMode !== 'host') return [];
    return [
      {
        messageId: 'host-network',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.NetworkMode', observed: container.networkMode, expected: 'not host' },
      },
    ];
  },
});
