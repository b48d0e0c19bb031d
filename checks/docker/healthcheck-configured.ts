// Risk: without a healthcheck, a hung or broken container keeps running and
// receiving traffic, and nothing restarts or reports it.
import { defineCheck } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';
import type { HealthcheckFacts } from '../../src/model/facts.js';

/** A container-level healthcheck that neither sets a test nor disables one inherits the image's test. */
function decides(healthcheck: HealthcheckFacts | undefined): healthcheck is HealthcheckFacts {
  return healthcheck !== undefined && (healthcheck.configured || healthcheck.disabled);
}

export default defineCheck({
  id: 'docker/healthcheck-configured',
  target: 'container',
  meta: {
    title: 'Container has a healthcheck',
    description:
      'A healthcheck lets the engine, an orchestrator or monitoring tell a running process from a working service. ' +
      'Without one, a container that has hung, lost its backend or been tampered with into a broken state still ' +
      'reports "running", so it is neither restarted nor taken out of rotation, and availability problems go unseen.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Add a `HEALTHCHECK CMD ...` instruction to the Dockerfile, or run with `--health-cmd` (Compose: ' +
      '`healthcheck.test`); remove `--no-healthcheck` (Compose: `healthcheck.disable: true`).',
    references: [
      'cis-docker-1.6.0:5.27',
      'cwe:754',
      'https://docs.docker.com/reference/dockerfile/#healthcheck',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    messages: {
      'disabled-at-runtime': 'Container {{name}} runs with its healthcheck disabled.',
      none: 'Container {{name}} has no healthcheck, neither its own nor from its image.',
    },
  },
  appliesTo(subject) {
    // A declared service without its image config cannot tell whether the image has a HEALTHCHECK.
    if (subject.container.declared && subject.image === undefined && !decides(subject.container.healthcheck)) return imageMissing(subject);
    return undefined;
  },
  evaluate({ container, image }) {
    const data = { name: container.name };
    if (decides(container.healthcheck)) {
      if (container.healthcheck.disabled) {
        return [
          {
            messageId: 'disabled-at-runtime',
            data,
            evidence: { source: 'container inspect', path: 'Config.Healthcheck.Test', observed: ['NONE'], expected: 'a test command' },
          },
        ];
      }
      return [];
    }
    if (image === undefined) {
      return [
        {
          messageId: 'none',
          data,
          evidence: { source: 'container inspect', path: 'Config.Healthcheck', observed: null, expected: 'a test command' },
        },
      ];
    }
    if (image.healthcheck.configured && !image.healthcheck.disabled) return [];
    return [
      {
        messageId: 'none',
        data,
        evidence: {
          source: 'image inspect',
          path: image.healthcheck.disabled ? 'Config.Healthcheck.Test' : 'Config.Healthcheck',
          observed: image.healthcheck.disabled ? ['NONE'] : null,
          expected: 'a test command',
        },
      },
    ];
  },
});
