// Risk: without an authorization plugin every client of the Docker API can do
// everything, so API access cannot be narrowed below "root on the host".
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-authorization-plugin',
  target: 'engine',
  meta: {
    title: 'Engine enforces an authorization plugin on API requests',
    description:
      "Docker's API is all or nothing: any client that reaches the socket may run privileged containers. An " +
      'authorization (AuthZ) plugin sees each request and can refuse the dangerous ones (privileged containers, host ' +
      'mounts, exec into other teams\' containers) for users who need only part of the API. Keep the engine patched ' +
      'when relying on one: CVE-2024-41110 let crafted requests bypass AuthZ plugins.',
    layer: 'access',
    severity: 'info',
    remediation:
      'Install an authorization plugin (for example the Open Policy Agent Docker plugin) and enable it with ' +
      '`"authorization-plugins": ["<plugin>"]` in /etc/docker/daemon.json (dockerd flag: `--authorization-plugin`), ' +
      'then reload the daemon. There is no `docker run` flag or Compose key: it is a daemon setting.',
    references: [
      'cis-docker-1.6.0:2.12',
      'cwe:862',
      'https://docs.docker.com/engine/extend/plugins_authorization/',
    ],
    messages: {
      'no-authz-plugin': 'Engine {{name}} has no authorization plugin: every API client has full control.',
    },
  },
  evaluate({ engine }) {
    if (engine.authorizationPlugins.length > 0) return [];
    return [
      {
        messageId: 'no-authz-plugin',
        data: { name: engine.name },
        evidence: { source: 'engine info', path: 'Plugins.Authorization', observed: [], expected: 'at least one plugin' },
      },
    ];
  },
});
