// Risk: a shared mount propagates mounts made inside the container back to the
// host (and the host's into the container), breaking mount namespace isolation.
import { defineCheck, type Violation } from '../../src/model/check.js';

const SHARED = new Set(['shared', 'rshared']);

export default defineCheck({
  id: 'docker/no-shared-mount-propagation',
  target: 'container',
  meta: {
    title: 'No mount uses shared propagation',
    description:
      'With `shared` or `rshared` propagation, a mount created under that path inside the container appears on the ' +
      'host, and host mounts appear in the container. A container with `CAP_SYS_ADMIN` can then mount over host ' +
      'paths or pin host filesystems, and the host loses control of what its mount table holds.',
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Drop the `shared`/`rshared` option from the bind mount (`-v /src:/dst:rshared` or `--mount ' +
      'type=bind,...,bind-propagation=rshared`; Compose: `bind: { propagation: rshared }` or the `:rshared` suffix in ' +
      '`volumes`) so it uses the default `rprivate`; use `rslave` if the container must see host mounts.',
    references: [
      'cis-docker-1.6.0:5.20',
      'cwe:653',
      'https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation',
    ],
    runtimeFact: 'the propagation of each mount',
    messages: {
      'shared-propagation': 'Container {{name}} mounts {{destination}} with {{propagation}} propagation.',
    },
  },
  evaluate({ container }) {
    const violations: Violation[] = [];
    for (const mount of container.mounts) {
      const propagation = mount.propagation.trim().toLowerCase();
      if (!SHARED.has(propagation)) continue;
      violations.push({
        messageId: 'shared-propagation',
        data: { name: container.name, destination: mount.destination, propagation },
        evidence: {
          source: 'container inspect',
          path: 'Mounts[].Propagation',
          observed: { source: mount.source, destination: mount.destination, propagation: mount.propagation },
          expected: 'rprivate, private, rslave or slave',
        },
        key: mount.destination,
      });
    }
    return violations;
  },
});
