// Risk: an image from a registry outside the organisation's allow-list has not
// gone through its review, scanning and signing, and may be typosquatted.
import { defineCheck, type EvaluationContext } from '../../src/model/check.js';
import type { ContainerSubject } from '../../src/model/facts.js';
import {
  DEFAULT_REGISTRY,
  parseImageReference,
  registryEntryCovers,
  type ImageName,
} from '../../src/lib/image-reference.js';
import { stringList } from '../../src/lib/params.js';

function allowList(ctx: EvaluationContext): string[] {
  return stringList(ctx.params['allowedRegistries']).filter((entry) => entry.trim() !== '');
}

/** Repository names the image is known by, for containers created from an image ID. */
function imageNames(subject: ContainerSubject): ImageName[] {
  const names: ImageName[] = [];
  for (const raw of [...(subject.image?.repoDigests ?? []), ...(subject.image?.repoTags ?? [])]) {
    const ref = parseImageReference(raw);
    if (ref?.kind === 'name') names.push(ref);
  }
  return names;
}

export default defineCheck({
  id: 'docker/image-registry-allowed',
  target: 'container',
  meta: {
    title: 'Container image comes from an allowed registry',
    description:
      'Images are code from whoever controls the repository. An allow-list of registries (and optionally of ' +
      'namespaces in them) keeps workloads to images that went through the organisation\'s own build, scanning ' +
      'and signing, and stops typosquatted or abandoned public images. Docker Hub is implied for names without ' +
      `a registry (\`nginx\` is \`${DEFAULT_REGISTRY}/library/nginx\`), so a locally built \`app:dev\` counts as ` +
      'Docker Hub too. The check judges names, not where the bytes came from: docker/image-has-registry-digest ' +
      'catches images that were never pulled. A container created from an image ID is judged by the names the ' +
      'image is known by.',
    layer: 'provenance',
    severity: 'high',
    remediation:
      'Pull the image through an allowed registry (mirror or re-publish it there) and reference it with that ' +
      'registry in `docker run <registry>/<name>:<tag>` (Compose: `image: <registry>/<name>:<tag>`), or add the ' +
      'registry to the policy parameter `allowedRegistries` after review.',
    references: [
      'cis-docker-1.6.0:4.2',
      'cwe:829',
      'cwe:494',
      'https://docs.docker.com/docker-hub/image-library/mirror/',
      'https://github.com/distribution/reference/blob/main/reference.go',
    ],
    messages: {
      'registry-not-allowed': 'Container {{name}} runs {{image}} from {{repository}}, which no allowed registry covers.',
      'no-repository': 'Container {{name}} runs image {{image}}, which has no repository name to check.',
    },
    parameters: {
      allowedRegistries: {
        description:
          'Registries images may come from: hosts (`registry.example.com`, `localhost:5000`, `docker.io`) or ' +
          'hosts with a path prefix (`ghcr.io/acme`, `docker.io/library`) matched on whole path components. ' +
          'Empty means no allow-list, and the check does not apply.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: [],
      },
    },
  },
  appliesTo({ container, image }, ctx) {
    if (allowList(ctx).length === 0) return 'no registry allow-list in policy';
    const ref = parseImageReference(container.imageRef);
    if (ref === undefined) return 'the image reference is not a valid Docker reference';
    if (ref.kind === 'id' && image === undefined) return 'image no longer present on the engine';
    return undefined;
  },
  evaluate(subject, ctx) {
    const { container } = subject;
    const allowed = allowList(ctx);
    const ref = parseImageReference(container.imageRef);
    if (ref === undefined || allowed.length === 0) return [];
    const covered = (name: ImageName): boolean => allowed.some((entry) => registryEntryCovers(entry, name));

    if (ref.kind === 'name') {
      if (covered(ref)) return [];
      return [
        {
          messageId: 'registry-not-allowed',
          data: { name: container.name, image: container.imageRef, repository: ref.repository },
          evidence: { source: 'container inspect', path: 'Config.Image', observed: ref.repository, expected: allowed },
        },
      ];
    }

    // Created from an image ID: the registry digests and tags say where it came from.
    const names = imageNames(subject);
    if (names.some(covered)) return [];
    const repositories = [...new Set(names.map((n) => n.repository))];
    const first = repositories[0];
    if (first === undefined) {
      return [
        {
          messageId: 'no-repository',
          data: { name: container.name, image: container.imageRef },
          evidence: { source: 'image inspect', path: 'RepoDigests', observed: [], expected: allowed },
        },
      ];
    }
    return [
      {
        messageId: 'registry-not-allowed',
        data: { name: container.name, image: container.imageRef, repository: first },
        evidence: { source: 'image inspect', path: 'RepoDigests', observed: repositories, expected: allowed },
      },
    ];
  },
});
