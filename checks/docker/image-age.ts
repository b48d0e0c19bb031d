// Risk: an old image carries every vulnerability fixed in its base and
// packages since it was built.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';
import type { ImageFacts } from '../../src/model/facts.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_AGE_DAYS = 90;

function maxAgeDays(ctx: EvaluationContext): number {
  const value = ctx.params['maxAgeDays'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_MAX_AGE_DAYS;
}

/** Creation time in ms, or a reason it cannot be used. */
function createdAt(image: ImageFacts): number | string {
  if (image.created === undefined || image.created === '') return 'image has no creation time';
  const ms = Date.parse(image.created);
  if (Number.isNaN(ms)) return 'image creation time is not a valid date';
  // Reproducible builds (ko, Bazel, Nix, SOURCE_DATE_EPOCH=0) stamp the Unix
  // epoch, and some tools leave Go's zero time: neither says when it was built.
  if (ms <= 0) return 'image creation time is a placeholder (reproducible build)';
  return ms;
}

export default defineCheck({
  id: 'docker/image-age',
  target: 'container',
  meta: {
    title: 'Container image was built recently',
    description:
      'Base images and packages get security fixes continuously, but a built image never does: it keeps the ' +
      'versions it was built with. An image older than the patch window almost certainly carries known, fixed ' +
      'vulnerabilities, and its age says nobody is rebuilding it. Images whose creation time is the Unix epoch ' +
      '(reproducible builds) cannot be judged and are not applicable.',
    layer: 'patching',
    severity: 'low',
    remediation:
      'Rebuild the image on fresh bases regularly (`docker build --pull --no-cache`, or a scheduled CI job) and ' +
      'recreate the container from it, pulling the new version with `docker run --pull always` (Compose: ' +
      '`pull_policy: always`, or `build:` with `docker compose build --pull`).',
    references: [
      'cis-docker-1.6.0:4.4',
      'cwe:1104',
      'https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often',
      'https://docs.docker.com/reference/compose-file/services/#pull_policy',
    ],
    messages: {
      'image-too-old': 'Image of container {{name}} was built {{ageDays}} days ago, more than the {{maxAgeDays}} allowed.',
    },
    parameters: {
      maxAgeDays: {
        description: 'Largest accepted age of the image in days, counted from its creation time to the scan.',
        schema: { type: 'number', minimum: 0 },
        default: DEFAULT_MAX_AGE_DAYS,
      },
    },
  },
  appliesTo(subject) {
    const { image } = subject;
    if (image === undefined) return imageMissing(subject);
    const created = createdAt(image);
    return typeof created === 'string' ? created : undefined;
  },
  evaluate({ container, image }, ctx) {
    if (image === undefined) return [];
    const created = createdAt(image);
    if (typeof created === 'string') return [];
    const max = maxAgeDays(ctx);
    const ageMs = ctx.now.getTime() - created;
    if (ageMs <= max * DAY_MS) return [];
    const ageDays = Math.floor(ageMs / DAY_MS);
    return [
      {
        messageId: 'image-too-old',
        data: { name: container.name, ageDays, maxAgeDays: max, created: image.created ?? '' },
        evidence: { source: 'image inspect', path: 'Created', observed: image.created, expected: `at most ${max} days before the scan` },
      },
    ];
  },
});
