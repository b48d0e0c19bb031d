// Risk: an image that does not say which source and revision it was built
// from cannot be traced back to code, review or an advisory.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';
import { stringList } from '../../src/lib/params.js';

const DEFAULT_REQUIRED = ['org.opencontainers.image.source', 'org.opencontainers.image.revision'];

export default defineCheck({
  id: 'docker/image-oci-labels',
  target: 'container',
  meta: {
    title: 'Image carries OCI provenance labels',
    description:
      'The OCI annotations org.opencontainers.image.source and org.opencontainers.image.revision record the ' +
      'repository and commit an image was built from. With them, an incident responder can go from a running ' +
      'container to the exact code, its review and its pipeline, and a vulnerability in that code can be mapped ' +
      'to the images that contain it. Without them the image is an opaque blob. Labels with an empty value count ' +
      'as missing.',
    layer: 'provenance',
    severity: 'low',
    remediation:
      'Label the image at build time: `LABEL org.opencontainers.image.source=<repo URL>` and ' +
      '`org.opencontainers.image.revision=<commit>` in the Dockerfile, or `docker buildx build --label ...` ' +
      '(Compose: `build.labels`). `docker run --label` labels only the container, not the image.',
    references: [
      'https://github.com/opencontainers/image-spec/blob/main/annotations.md',
      'https://docs.docker.com/reference/dockerfile/#label',
      'https://docs.docker.com/reference/compose-file/build/#labels',
    ],
    messages: {
      'label-missing': 'Image of container {{name}} lacks the label {{label}}.',
    },
    parameters: {
      requiredLabels: {
        description: 'Image labels that must be present with a non-empty value.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: DEFAULT_REQUIRED,
      },
    },
  },
  appliesTo(subject) {
    const { image } = subject;
    if (image === undefined) return imageMissing(subject);
    return undefined;
  },
  evaluate({ container, image }, ctx) {
    if (image === undefined) return [];
    const violations: Violation[] = [];
    for (const label of new Set(stringList(ctx.params['requiredLabels']))) {
      const value = Object.prototype.hasOwnProperty.call(image.labels, label) ? image.labels[label] : undefined;
      if (value !== undefined && value.trim() !== '') continue;
      violations.push({
        messageId: 'label-missing',
        data: { name: container.name, label },
        evidence: {
          source: 'image inspect',
          path: `Config.Labels[${JSON.stringify(label)}]`,
          observed: value ?? null,
          expected: 'a non-empty value',
        },
        key: label,
      });
    }
    return violations;
  },
});
