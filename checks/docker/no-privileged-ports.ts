// Risk: publishing a container on a host port below 1024 puts it where clients
// expect trusted system services, and needs the engine's root to bind it.
import { defineCheck, type Violation } from '../../src/model/check.js';
import type { PortBindingFacts } from '../../src/model/facts.js';

/** `<hostIp>:<hostPort>/<protocol>` as `docker ps` prints it (`0.0.0.0:80/tcp`, `:::80/tcp`). */
function bindingKey(binding: PortBindingFacts): string {
  return `${binding.hostIp}:${binding.hostPort}/${binding.protocol}`;
}

export default defineCheck({
  id: 'docker/no-privileged-ports',
  target: 'container',
  meta: {
    title: 'No privileged host ports are published',
    description:
      'Ports 1-1023 are reserved for system services: clients and firewall rules often trust them more, and only ' +
      'root may bind them. Publishing a container there lets the workload impersonate or shadow a host service, and ' +
      'hides the fact that an ordinary container sits behind a well-known port.',
    layer: 'segmentation',
    severity: 'low',
    remediation:
      'Publish the container on a host port of 1024 or above (`-p 8080:80`; Compose: `ports: ["8080:80"]`) and put a ' +
      'reverse proxy or load balancer in front where a well-known port is required.',
    references: [
      'cis-docker-1.6.0:5.8',
      'https://docs.docker.com/engine/network/port-publishing/',
    ],
    messages: {
      'privileged-port': 'Container {{name}} publishes container port {{containerPort}} on privileged host port {{binding}}.',
    },
  },
  evaluate({ container }) {
    const violations: Violation[] = [];
    const reported = new Set<string>();
    for (const binding of container.portBindings) {
      // 0 means the engine picks an ephemeral port, which is never privileged.
      if (binding.hostPort < 1 || binding.hostPort > 1023) continue;
      const key = bindingKey(binding);
      if (reported.has(key)) continue;
      reported.add(key);
      violations.push({
        messageId: 'privileged-port',
        data: { name: container.name, binding: key, containerPort: `${binding.containerPort}/${binding.protocol}` },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.PortBindings',
          observed: { containerPort: binding.containerPort, protocol: binding.protocol, hostIp: binding.hostIp, hostPort: binding.hostPort },
          expected: 'host port 0 or >= 1024',
        },
        key,
      });
    }
    return violations;
  },
});
