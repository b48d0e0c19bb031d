// Risk: an image that never came from a registry was built or loaded on the
// host itself, outside the pipeline that reviews, scans and signs images.
import { defineCheck } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';

export default defineCheck({
  id: 'docker/image-has-registry-digest',
  target: 'container',
  meta: {
    title: 'Container image came from a registry',
    description:
      'The engine records a registry digest (RepoDigests) for every image it pulled or pushed. An image without ' +
      'one was built on the host or imported with `docker load`/`docker import`: nobody can fetch the same bytes ' +
      'again, compare them with what a CI pipeline built, scanned and signed, or tell whether it was tampered ' +
      'with on the way. Production containers should run images that went through a registry.',
    layer: 'provenance',
    severity: 'medium',
    remediation:
      'Build and push the image from CI (`docker push <registry>/<name>:<tag>`), then run it from the registry: ' +
      '`docker run <registry>/<name>:<tag>@sha256:<digest>` (Compose: `image:` naming the registry instead of a ' +
      'local `build:`).',
    references: [
      'cis-docker-1.6.0:4.2',
      'cwe:494',
      'https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Image/operation/ImageInspect',
      'https://docs.docker.com/reference/cli/docker/image/push/',
    ],
    messages: {
      'no-registry-digest': 'Image of container {{name}} has no registry digest: it was built or loaded locally.',
    },
  },
  appliesTo(subject) {
    const { image } = subject;
    if (image === undefined) return imageMissing(subject);
    return undefined;
  },
  evaluate({ container, image }) {
    if (image === undefined || image.repoDigests.length > 0) return [];
    return [
      {
        messageId: 'no-registry-digest',
        data: { name: container.name, image: container.imageRef },
        evidence: { source: 'image inspect', path: 'RepoDigests', observed: [], expected: '<name>@sha256:<digest>' },
      },
    ];
  },
});
