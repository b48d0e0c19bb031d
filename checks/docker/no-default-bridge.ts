// Risk: on the default bridge every container can reach every other container
// on the host, so one compromised container can attack all the others.
import { defineCheck } from '../../src/model/check.js';

const DEFAULT_BRIDGE_MODES = new Set(['', 'default', 'bridge']);

export default defineCheck({
  id: 'docker/no-default-bridge',
  target: 'container',
  meta: {
    title: 'Container is not on the default bridge network',
    description:
      'Every container started without `--network` joins the default bridge (`docker0`). Unless the engine runs ' +
      'with `--icc=false`, all containers on it can reach each other on every port, so unrelated workloads share one ' +
      'flat network and a compromised container can probe and attack the rest. User-defined networks isolate ' +
      'workloads from each other and give name resolution without legacy `--link`.',
    layer: 'segmentation',
    severity: 'low',
    remediation:
      'Create a network per application (`docker network create <net>`) and run with `--network <net>` (Compose: ' +
      'the project network it creates by default, or `networks:`; remove `network_mode: bridge`); detach the ' +
      'container from the default bridge with `docker network disconnect bridge <container>`.',
    references: [
      'cis-docker-1.6.0:5.30',
      'cwe:923',
      'https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge',
    ],
    messages: {
      'default-bridge': 'Container {{name}} runs on the default bridge network (network mode {{networkMode}}).',
      'attached-to-default-bridge': 'Container {{name}} is also attached to the default bridge network.',
    },
  },
  appliesTo({ container }) {
    const mode = container.networkMode;
    if (mode === 'none') return 'The container has networking disabled (network mode none).';
    if (mode === 'host') {
      return "The container uses the host's network stack (network mode host); docker/no-host-network covers it.";
    }
    if (mode.startsWith('container:')) {
      return "The container shares another container's network stack (network mode container:<id>); that container's own finding covers it.";
    }
    return undefined;
  },
  evaluate({ container }) {
    const data = { name: container.name, networkMode: container.networkMode || 'default' };
    if (DEFAULT_BRIDGE_MODES.has(container.networkMode)) {
      return [
        {
          messageId: 'default-bridge',
          data,
          evidence: {
            source: 'container inspect',
            path: 'HostConfig.NetworkMode',
            observed: container.networkMode,
            expected: 'a user-defined network',
          },
        },
      ];
    }
    // `bridge` is a reserved name: no user-defined network can take it.
    if (container.networks.includes('bridge')) {
      return [
        {
          messageId: 'attached-to-default-bridge',
          data,
          evidence: {
            source: 'container inspect',
            path: 'NetworkSettings.Networks',
            observed: container.networks,
            expected: 'no bridge',
          },
        },
      ];
    }
    return [];
  },
});
