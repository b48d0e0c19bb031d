// Risk: a port published on every host interface is reachable from any network
// the host is on, not only the one the service is meant for.
import { defineCheck, type Violation } from '../../src/model/check.js';
import type { PortBindingFacts } from '../../src/model/facts.js';

// An empty HostIp binds both 0.0.0.0 and :: (the engine's default address).
const ALL_INTERFACES = new Set(['', '0.0.0.0', '::']);

/**
 * `<hostIp>:<hostPort>/<protocol>` as `docker ps` prints it (`0.0.0.0:80/tcp`,
 * `:::80/tcp`). Host port 0 (engine-picked) can repeat across container ports,
 * so those keys name the container port: `:0->8080/tcp`.
 */
function bindingKey(binding: PortBindingFacts): string {
  const port = binding.hostPort === 0 ? `0->${binding.containerPort}` : String(binding.hostPort);
  return `${binding.hostIp}:${port}/${binding.protocol}`;
}

export default defineCheck({
  id: 'docker/ports-bound-to-interface',
  target: 'container',
  meta: {
    title: 'Published ports are bound to a specific host interface',
    description:
      'A port published without a host address listens on every interface of the host, including public and ' +
      'management networks, and Docker inserts its own iptables rules ahead of most host firewalls. Binding to the ' +
      'one address the service should be reached on keeps it off the others.',
    layer: 'segmentation',
    severity: 'medium',
    remediation:
      'Publish on an explicit host address (`-p 127.0.0.1:8080:80` or `-p 10.0.0.5:8080:80`; Compose: ' +
      '`ports: ["127.0.0.1:8080:80"]` or `host_ip` in the long syntax) and do not use `-P`/`--publish-all`, which ' +
      'publishes every exposed port on all interfaces.',
    references: [
      'cis-docker-1.6.0:5.14',
      'cwe:1327',
      'https://docs.docker.com/engine/network/port-publishing/',
    ],
    messages: {
      'all-interfaces': 'Container {{name}} publishes container port {{containerPort}} on all host interfaces ({{binding}}).',
      'publish-all': 'Container {{name}} publishes all exposed ports (-P) on the engine default address.',
    },
  },
  evaluate({ container }) {
    const violations: Violation[] = [];
    // -P cannot name an address: ports land on dockerd's default (`--ip`,
    // 0.0.0.0 unless changed), which the engine does not report.
    if (container.publishAllPorts) {
      violations.push({
        messageId: 'publish-all',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.PublishAllPorts', observed: true, expected: false },
        key: 'publish-all',
      });
    }
    const reported = new Set<string>();
    for (const binding of container.portBindings) {
      if (!ALL_INTERFACES.has(binding.hostIp.trim())) continue;
      const key = bindingKey(binding);
      if (reported.has(key)) continue;
      reported.add(key);
      violations.push({
        messageId: 'all-interfaces',
        data: { name: container.name, binding: key, containerPort: `${binding.containerPort}/${binding.protocol}` },
        evidence: {
          source: 'container inspect',
          path: 'HostConfig.PortBindings',
          observed: { containerPort: binding.containerPort, protocol: binding.protocol, hostIp: binding.hostIp, hostPort: binding.hostPort },
          expected: 'a specific host address',
        },
        key,
      });
    }
    return violations;
  },
});
