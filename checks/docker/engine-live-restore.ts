// Risk: without live-restore, every daemon restart or upgrade stops all
// containers, so engine patches get postponed to avoid downtime.
import { defineCheck } from '../../src/model/check.js';

// The states in which the engine is a swarm member (as in docker/swarm-mode-disabled):
// dockerd refuses live-restore in swarm mode ("--live-restore daemon configuration is
// incompatible with swarm mode"), so the recommendation cannot be followed there.
const SWARM_STATES = new Set(['active', 'pending', 'locked']);

export default defineCheck({
  id: 'docker/engine-live-restore',
  target: 'engine',
  meta: {
    title: 'Engine keeps containers running across daemon restarts (live-restore)',
    description:
      'With live-restore, containers keep running while dockerd is stopped, restarted or upgraded, and the daemon ' +
      'reconnects to them when it comes back. Without it, every engine restart is an outage for every container on ' +
      'the host, which is the usual reason engine security updates are deferred.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Set `"live-restore": true` in /etc/docker/daemon.json (dockerd flag: `--live-restore`) and reload the daemon ' +
      '(`systemctl reload docker`, no container restart needed). There is no `docker run` flag or Compose key: it ' +
      'is a daemon setting.',
    references: ['cis-docker-1.6.0:2.15', 'https://docs.docker.com/engine/daemon/live-restore/'],
    messages: {
      'live-restore-disabled': 'Engine {{name}} stops all containers when the daemon restarts (live-restore is disabled).',
    },
  },
  appliesTo({ engine }) {
    const state = engine.swarm.state.trim().toLowerCase();
    if (!SWARM_STATES.has(state)) return undefined;
    return `The engine is in swarm mode (state ${state}); live-restore is incompatible with swarm mode, so it cannot be enabled here.`;
  },
  evaluate({ engine }) {
    if (engine.liveRestore) return [];
    return [
      {
        messageId: 'live-restore-disabled',
        data: { name: engine.name },
        evidence: { source: 'engine info', path: 'LiveRestoreEnabled', observed: false, expected: true },
      },
    ];
  },
});
