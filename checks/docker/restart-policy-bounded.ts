// Risk: an unbounded restart policy keeps a crashing or compromised container
// coming back forever, masking the fault and hammering the host.
import { defineCheck } from '../../src/model/check.js';

const UNBOUNDED_POLICIES = new Set(['always', 'unless-stopped']);
const DEFAULT_MAX_RETRIES = 5;

function maxRetries(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_MAX_RETRIES;
}

export default defineCheck({
  id: 'docker/restart-policy-bounded',
  target: 'container',
  meta: {
    title: 'Container restart policy is bounded',
    description:
      'A container that restarts without limit after every failure can loop forever: an exploit or crash can be ' +
      'retried endlessly, logs and resources are churned, and the failure never surfaces. `on-failure` with a small ' +
      'retry count restarts transient failures and then stops so that someone looks.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Use `--restart on-failure:5` (Compose: `restart: on-failure:5`; in swarm stacks ' +
      '`deploy.restart_policy.condition: on-failure` with `max_attempts: 5`) instead of `always` or `unless-stopped`, ' +
      'with a retry count no higher than the `maxRetries` parameter.',
    references: [
      'cis-docker-1.6.0:5.15',
      'cwe:770',
      'https://docs.docker.com/engine/containers/start-containers-automatically/',
    ],
    messages: {
      'unbounded-policy': 'Container {{name}} restarts with policy {{policy}}, which never gives up.',
      'unlimited-retries': 'Container {{name}} restarts on failure without a retry limit.',
      'too-many-retries': 'Container {{name}} restarts on failure up to {{retries}} times (at most {{maxRetries}} allowed).',
    },
    parameters: {
      maxRetries: {
        description: 'Highest `on-failure` retry count allowed.',
        schema: { type: 'integer', minimum: 1 },
        default: DEFAULT_MAX_RETRIES,
      },
    },
  },
  evaluate({ container }, ctx) {
    const policy = container.restartPolicy.name.trim();
    const retries = container.restartPolicy.maximumRetryCount;
    const data = { name: container.name, policy };
    if (UNBOUNDED_POLICIES.has(policy)) {
      return [
        {
          messageId: 'unbounded-policy',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.RestartPolicy.Name', observed: policy, expected: 'on-failure' },
        },
      ];
    }
    if (policy !== 'on-failure') return [];
    const limit = maxRetries(ctx.params['maxRetries']);
    if (retries <= 0) {
      return [
        {
          messageId: 'unlimited-retries',
          data,
          evidence: { source: 'container inspect', path: 'HostConfig.RestartPolicy.MaximumRetryCount', observed: retries, expected: `1..${limit}` },
        },
      ];
    }
    if (retries > limit) {
      return [
        {
          messageId: 'too-many-retries',
          data: { ...data, retries, maxRetries: limit },
          evidence: { source: 'container inspect', path: 'HostConfig.RestartPolicy.MaximumRetryCount', observed: retries, expected: `1..${limit}` },
        },
      ];
    }
    return [];
  },
});
