// Risk: a container created from a tag runs whatever the tag pointed to at
// pull time; the same reference can yield different, unreviewed content.
import { defineCheck } from '../../src/model/check.js';
import { parseImageReference } from '../../src/lib/image-reference.js';

export default defineCheck({
  id: 'docker/image-pinned-by-digest',
  target: 'container',
  meta: {
    title: 'Container image is pinned by digest',
    description:
      'Tags are mutable: whoever controls the repository (or a compromised registry account) can move them, and ' +
      'the next pull, restart on a new host or scale-out silently runs different content. A reference with ' +
      '`@sha256:<digest>` names exactly one image, so what was reviewed and scanned is what runs. A reference that ' +
      'is an image ID is content-addressed too.',
    layer: 'provenance',
    severity: 'low',
    remediation:
      'Run the image by digest: `docker run <name>:<tag>@sha256:<digest>` (Compose: `image: <name>:<tag>@sha256:<digest>`); ' +
      'get the digest with `docker buildx imagetools inspect <name>:<tag>` and let a dependency bot keep it current.',
    references: [
      'cwe:494',
      'https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier',
      'https://docs.docker.com/reference/compose-file/services/#image',
    ],
    messages: {
      'not-pinned': 'Container {{name}} runs {{image}}, which is not pinned by digest.',
    },
  },
  appliesTo({ container }) {
    if (parseImageReference(container.imageRef) === undefined) return 'the image reference is not a valid Docker reference';
    return undefined;
  },
  evaluate({ container }) {
    const ref = parseImageReference(container.imageRef);
    if (ref === undefined || ref.kind === 'id' || ref.digest !== undefined) return [];
    return [
      {
        messageId: 'not-pinned',
        data: { name: container.name, image: container.imageRef },
        evidence: { source: 'container inspect', path: 'Config.Image', observed: container.imageRef, expected: '<name>@sha256:<digest>' },
      },
    ];
  },
});
