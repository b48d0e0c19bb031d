// Risk: on the default bridge every container can reach every other one on any
// port, so one compromised container can attack all its neighbours.
import { defineCheck } from '../../src/model/check.js';

export default defineCheck({
  id: 'docker/engine-icc-disabled',
  target: 'engine',
  meta: {
    title: 'Engine blocks inter-container traffic on the default bridge',
    description:
      'Containers attached to the default `bridge` network can talk to each other freely unless the daemon runs with ' +
      'inter-container communication (icc) disabled. Unrelated workloads then share one flat network, and a ' +
      'compromised container can probe and attack the others. With icc off, containers that need to talk are put on ' +
      'a user-defined network together, and only they can reach each other.',
    layer: 'segmentation',
    severity: 'medium',
    remediation:
      'Set `"icc": false` in /etc/docker/daemon.json (dockerd flag: `--icc=false`) and restart the daemon; connect ' +
      'containers that must talk through a user-defined network (`docker run --network <net>`, Compose: `networks:`).',
    references: ['cis-docker-1.6.0:2.2', 'cwe:923', 'https://docs.docker.com/engine/network/drivers/bridge/'],
    messages: {
      'icc-enabled': 'Engine {{name}} lets containers on the default bridge reach each other (icc enabled).',
    },
  },
  appliesTo({ engine }) {
    if (engine.defaultBridge !== undefined) return undefined;
    return 'The engine has no default bridge network (dockerd --bridge=none), so no traffic crosses it.';
  },
  evaluate({ engine }) {
    if (!engine.defaultBridge?.iccEnabled) return [];
    return [
      {
        messageId: 'icc-enabled',
        data: { name: engine.name },
        evidence: {
          source: 'network inspect bridge',
          path: 'Options["com.docker.network.bridge.enable_icc"]',
          observed: 'true',
          expected: 'false',
        },
      },
    ];
  },
});
