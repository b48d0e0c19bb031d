// Risk: `--userns=host` opts a container out of the engine's user namespace
// remapping, so root in the container is root on the host again.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/no-host-userns',
  target: 'container',
  meta: {
    title: "Container does not share the host's user namespace",
    description:
      'With user namespace remapping (`userns-remap`), root in a container maps to an unprivileged host user, so a ' +
      'breakout lands without privileges. `--userns=host` turns this off for one container: its UID 0 is the host ' +
      "root again, and files it writes on bind mounts belong to the host's real users.",
    layer: 'isolation',
    severity: 'medium',
    remediation:
      'Remove `--userns=host` (Compose: `userns_mode: host`); give the container the host access it needs through ' +
      'volumes owned by the remapped user instead.',
    references: [
      'cis-docker-1.6.0:5.31',
      'cwe:250',
      'cwe:653',
      'https://docs.docker.com/engine/security/userns-remap/#disable-namespace-remapping-for-a-container',
    ],
    engineFact: 'user namespace remapping',
    messages: {
      'host-userns': "Container {{name}} shares the host's user namespace.",
    },
  },
  appliesTo({ engine }) {
    if (!engine.security.userns) {
      return 'The engine does not remap user namespaces, so no container has one to opt out of; see the engine-level check docker/engine-userns-or-rootless.';
    }
    return undefined;
  },
  evaluate({ container }) {
    if (container.usernsMode !== 'host') return [];
    return [
      {
        messageId: 'host-userns',
        data: { name: container.name },
        evidence: { source: 'container inspect', path: 'HostConfig.UsernsMode', observed: container.usernsMode, expected: 'not host' },
      },
    ];
  },
});
