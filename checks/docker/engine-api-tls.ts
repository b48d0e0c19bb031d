// Risk: a Docker API served on plain TCP has no authentication, so anyone who
// can reach the port can start a privileged container and own the host.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-api-tls',
  target: 'engine',
  meta: {
    title: 'Engine API is not exposed on plain TCP',
    description:
      'The Docker API has no authentication of its own. On a TCP socket without TLS client verification, anyone who ' +
      'can reach the port can run `docker run --privileged -v /:/host` and is root on the host; the traffic, ' +
      'registry credentials included, also crosses the network in clear text. The check judges the endpoint palisade ' +
      'connected through: the unix socket, a Windows named pipe, SSH and TCP with TLS pass.',
    layer: 'access',
    severity: 'critical',
    remediation:
      'Stop listening on plain TCP: remove `tcp://` entries from `"hosts"` in /etc/docker/daemon.json (dockerd flag: ' +
      '`-H tcp://...`). Reach remote engines over SSH (`DOCKER_HOST=ssh://user@host`), or serve TCP only with mutual ' +
      'TLS: `"tlsverify": true`, `"tlscacert"`, `"tlscert"`, `"tlskey"` (dockerd flags: `--tlsverify --tlscacert ' +
      '--tlscert --tlskey`) on port 2376. There is no `docker run` flag or Compose key: it is a daemon setting.',
    references: [
      'cis-docker-1.6.0:2.7',
      'cwe:306',
      'cwe:319',
      'https://docs.docker.com/engine/security/protect-access/',
    ],
    messages: {
      'plain-tcp': 'The Docker API of engine {{name}} is served on plain TCP at {{endpoint}}: anyone who can reach it is root on the host.',
    },
  },
  evaluate({ engine }) {
    if (engine.transport !== 'tcp') return [];
    return [
      {
        messageId: 'plain-tcp',
        data: { name: engine.name, endpoint: engine.endpoint },
        evidence: { source: 'connection', path: 'endpoint', observed: engine.endpoint, expected: 'unix, npipe, ssh or TCP with TLS' },
      },
    ];
  },
});
