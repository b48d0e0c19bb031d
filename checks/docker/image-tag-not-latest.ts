// Risk: `latest` (written or implied) says nothing about the version, moves on
// every push and makes rollbacks and vulnerability tracking guesswork.
import { defineCheck } from '../../src/model/check.js';
import { parseImageReference } from '../../src/lib/image-reference.js';

export default defineCheck({
  id: 'docker/image-tag-not-latest',
  target: 'container',
  meta: {
    title: 'Container image is not referenced as latest',
    description:
      '`latest` is just the default tag: it does not mean newest, it moves whenever anyone pushes without a tag, ' +
      'and a reference without a tag means `latest`. Containers started from it on different days or hosts run ' +
      'different code, nobody can tell from the reference which version runs or whether it is affected by an ' +
      'advisory, and rolling back has no target. A digest in the reference pins the content, so a digest-pinned ' +
      'reference passes whatever its tag.',
    layer: 'provenance',
    severity: 'medium',
    remediation:
      'Reference a specific version tag, ideally with its digest: `docker run <name>:1.4.2@sha256:<digest>` ' +
      '(Compose: `image: <name>:1.4.2@sha256:<digest>`); never omit the tag or use `:latest`.',
    references: [
      'cwe:1357',
      'https://docs.docker.com/reference/cli/docker/image/tag/',
      'https://docs.docker.com/reference/compose-file/services/#image',
    ],
    messages: {
      latest: 'Container {{name}} runs {{image}}, tagged latest.',
      'implicit-latest': 'Container {{name}} runs {{image}} without a tag, which means latest.',
    },
  },
  appliesTo({ container }) {
    if (parseImageReference(container.imageRef) === undefined) return 'the image reference is not a valid Docker reference';
    return undefined;
  },
  evaluate({ container }) {
    const ref = parseImageReference(container.imageRef);
    // The engine ignores the tag when a digest is given, so the content is fixed.
    if (ref === undefined || ref.kind === 'id' || ref.digest !== undefined) return [];
    if (ref.tag !== undefined && ref.tag !== 'latest') return [];
    return [
      {
        messageId: ref.tag === undefined ? 'implicit-latest' : 'latest',
        data: { name: container.name, image: container.imageRef },
        evidence: { source: 'container inspect', path: 'Config.Image', observed: container.imageRef, expected: '<name>:<version>' },
      },
    ];
  },
});
