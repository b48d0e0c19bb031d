// Risk: without user-namespace remapping or rootless mode, root in a container
// is root on the host, so any container escape hands over the whole host.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-userns-or-rootless',
  target: 'engine',
  meta: {
    title: 'Engine remaps container root (userns-remap) or runs rootless',
    description:
      'By default UID 0 inside a container is UID 0 on the host. With `userns-remap` the engine maps container users ' +
      'to an unprivileged range of host UIDs; in rootless mode the daemon itself runs as an ordinary user. Either way ' +
      'a process that breaks out of its container (runc escapes such as CVE-2024-21626 or CVE-2025-31133) lands as ' +
      'an unprivileged host user instead of root, and the kernel applies the extra restrictions of user namespaces.',
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Set `"userns-remap": "default"` in /etc/docker/daemon.json (dockerd flag: `--userns-remap=default`) and restart ' +
      'the daemon, or install Docker in rootless mode (`dockerd-rootless-setuptool.sh install`). Containers that truly ' +
      'need host user IDs can opt out one by one with `docker run --userns=host` (Compose: `userns_mode: host`).',
    references: [
      'cis-docker-1.6.0:2.9',
      'cwe:250',
      'https://docs.docker.com/engine/security/userns-remap/',
      'https://docs.docker.com/engine/security/rootless/',
    ],
    messages: {
      'no-user-namespaces': 'Engine {{name}} runs containers without user-namespace remapping and is not rootless: container root is host root.',
    },
  },
  evaluate({ engine }) {
    if (engine.security.userns || engine.security.rootless) return [];
    return [
      {
        messageId: 'no-user-namespaces',
        data: { name: engine.name },
        evidence: {
          source: 'engine info',
          path: 'SecurityOptions',
          observed: 'no name=userns or name=rootless entry',
          expected: 'name=userns or name=rootless',
        },
      },
    ];
  },
});
