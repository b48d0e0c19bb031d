// Risk: without a health check, a hung or broken container keeps running and
// receiving traffic, and nothing restarts or replaces it.
import { defineCheck } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';

export default defineCheck({
  id: 'docker/image-healthcheck',
  target: 'container',
  meta: {
    title: 'Image defines a health check',
    description:
      'A HEALTHCHECK lets the engine, Swarm and Compose tell a running container from a working one. Without it a ' +
      'deadlocked or degraded service stays "running": it is not restarted, load balancers and `depends_on: ' +
      'condition: service_healthy` cannot react, and an attack that disables the service goes unnoticed. A ' +
      'health check set on the container (`--health-cmd`) stands in for a missing one in the image; ' +
      '`--no-healthcheck` removes the image\'s.',
    layer: 'resource-limits',
    severity: 'low',
    remediation:
      'Add a `HEALTHCHECK CMD ...` instruction to the Dockerfile, or set one at run time with `--health-cmd` ' +
      '(Compose: `healthcheck.test`); do not use `--no-healthcheck` (Compose: `healthcheck.disable: true`).',
    references: [
      'cis-docker-1.6.0:4.6',
      'https://docs.docker.com/reference/dockerfile/#healthcheck',
      'https://docs.docker.com/reference/compose-file/services/#healthcheck',
    ],
    messages: {
      'no-healthcheck': 'Image of container {{name}} defines no health check, and the container sets none.',
      'healthcheck-disabled': 'Container {{name}} disables the health check of its image.',
    },
  },
  appliesTo(subject) {
    const { image } = subject;
    if (image === undefined) return imageMissing(subject);
    return undefined;
  },
  evaluate({ container, image }) {
    if (image === undefined) return [];
    // Config.Healthcheck of the container overrides the image's.
    const own = container.healthcheck;
    if (own?.configured) return [];
    if (own?.disabled && image.healthcheck.configured) {
      return [
        {
          messageId: 'healthcheck-disabled',
          data: { name: container.name },
          evidence: { source: 'container inspect', path: 'Config.Healthcheck', observed: 'NONE', expected: 'a health check' },
        },
      ];
    }
    if (image.healthcheck.configured) return [];
    return [
      {
        messageId: 'no-healthcheck',
        data: { name: container.name },
        evidence: {
          source: 'image inspect',
          path: 'Config.Healthcheck',
          observed: image.healthcheck.disabled ? 'NONE' : null,
          expected: 'a health check',
        },
      },
    ];
  },
});
