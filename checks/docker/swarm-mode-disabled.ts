// Risk: an engine left in swarm mode opens cluster management and gossip ports
// and accepts work from the swarm, widening what can reach the host.
import { defineCheck } from '../../src/model/check.js';

// `pending` (joining) and `locked` (an autolocked manager after a restart) are
// swarm membership as much as `active` is; `inactive` and `error` are not.
const SWARM_STATES = new Set(['active', 'pending', 'locked']);

export default defineCheck({
  id: 'docker/swarm-mode-disabled',
  target: 'engine',
  meta: {
    title: 'Swarm mode is not enabled unless needed',
    description:
      'In swarm mode the engine listens on the cluster management port (2377/tcp) on managers, gossips on 7946 and ' +
      'carries overlay traffic on 4789/udp, and runs whatever services the swarm schedules on it. An engine that is ' +
      'not meant to be part of a swarm should not carry that attack surface.',
    layer: 'segmentation',
    severity: 'low',
    remediation:
      'Run `docker swarm leave` on the engine (`docker swarm leave --force` on a manager). Compose has no key for this: ' +
      'when the engine is meant to be a swarm node, set the check parameter `swarmExpected: true` in the policy instead.',
    references: [
      'cis-docker-1.6.0:5.1',
      'cwe:1125',
      'https://docs.docker.com/engine/swarm/',
      'https://docs.docker.com/reference/cli/docker/swarm/leave/',
    ],
    messages: {
      'swarm-enabled': 'Engine {{name}} is in swarm mode (state {{state}}).',
    },
    parameters: {
      swarmExpected: {
        description: 'The engine is meant to be a swarm node; the check is then not applicable.',
        schema: { type: 'boolean' },
        default: false,
      },
    },
  },
  appliesTo(_subject, ctx) {
    if (ctx.params['swarmExpected'] === true) return 'Swarm mode is expected on this engine (parameter swarmExpected is true).';
    return undefined;
  },
  evaluate({ engine }) {
    const state = engine.swarm.state.trim().toLowerCase();
    if (!SWARM_STATES.has(state)) return [];
    return [
      {
        messageId: 'swarm-enabled',
        data: { name: engine.name, state },
        evidence: { source: 'engine info', path: 'Swarm.LocalNodeState', observed: engine.swarm.state, expected: 'inactive' },
      },
    ];
  },
});
