// Risk: a process running as root in the container is root on the host if it
// escapes, and holds every capability the container was granted.
import { defineCheck, type Evidence } from '../../src/model/check.js';
import { imageMissing } from '../../src/lib/not-collected.js';

/** `root`, UID 0 and `0:<group>`/`root:<group>` all run the process as UID 0. */
function isRoot(user: string): boolean {
  const name = user.trim().split(':')[0] ?? '';
  return name === '' || name === 'root' || /^0+$/.test(name);
}

export default defineCheck({
  id: 'docker/non-root-user',
  target: 'container',
  meta: {
    title: 'Container runs as a non-root user',
    description:
      'Unless a user is set, the container process runs as root (UID 0). Root in a container is root on the host ' +
      'kernel: any escape (a kernel bug, a mounted socket, an added capability) starts with full privileges, and ' +
      'files written to bind mounts are owned by root. Running as a dedicated unprivileged user removes that ' +
      'head start. User namespace remapping softens the consequence but does not replace this control.',
    layer: 'least-privilege',
    severity: 'high',
    remediation:
      'Create an unprivileged user in the image and set `USER <uid>` in the Dockerfile, or run the container with ' +
      '`--user <uid>:<gid>` (Compose: `user: "<uid>:<gid>"`), using a UID other than 0.',
    references: [
      'cis-docker-1.6.0:4.1',
      'cwe:250',
      'https://docs.docker.com/reference/dockerfile/#user',
      'https://docs.docker.com/reference/cli/docker/container/run/#user',
    ],
    messages: {
      'image-default-root': 'Container {{name}} runs as root: neither the container nor its image sets a user.',
      'runs-as-root': 'Container {{name}} runs explicitly as root ({{user}}).',
    },
  },
  appliesTo(subject) {
    if (subject.image === undefined && subject.container.user.trim() === '') {
      return `${imageMissing(subject)}, and the container sets no user`;
    }
    return undefined;
  },
  evaluate({ container, image }) {
    // Config.User of the container overrides the image's USER when set.
    const fromContainer = container.user.trim() !== '';
    const user = fromContainer ? container.user : (image?.user ?? '');
    if (!isRoot(user)) return [];
    const evidence: Evidence = fromContainer
      ? { source: 'container inspect', path: 'Config.User', observed: user, expected: 'a non-root user' }
      : { source: 'image inspect', path: 'Config.User', observed: user, expected: 'a non-root user' };
    const implicit = user.trim() === '';
    return [
      {
        messageId: implicit ? 'image-default-root' : 'runs-as-root',
        data: { name: container.name, user },
        evidence,
      },
    ];
  },
});
