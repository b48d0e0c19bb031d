// Risk: bind-mounting host system directories lets a container read host
// secrets or rewrite binaries, devices and kernel settings the host runs on.
import { defineCheck, type Violation } from '../../src/model/check.js';

// CIS 5.6's list. `/` matches only itself (everything is below it); the others
// match themselves and anything under them. The Docker socket (/var/run) is
// the concern of the separate socket-mount check (CIS 5.32).
const SENSITIVE_PATHS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

/** Absolute path segments with `.`, `..`, repeated and trailing slashes resolved. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

function sensitiveRoot(source: string, roots: readonly string[][]): string[] | undefined {
  const path = segments(source);
  return roots.find((root) =>
    root.length === 0 ? path.length === 0 : root.length <= path.length && root.every((part, i) => path[i] === part),
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export default defineCheck({
  id: 'docker/no-sensitive-host-mounts',
  target: 'container',
  meta: {
    title: 'No host system directories are bind-mounted',
    description:
      'A bind mount of `/`, `/etc`, `/usr`, `/lib`, `/boot`, `/dev`, `/proc` or `/sys` (or anything below them) ' +
      'exposes the files the host itself runs on. Read-write, root in the container can plant binaries, edit ' +
      '`/etc/passwd` or cron, or write kernel settings; even read-only it can read `/etc/shadow`, keys and tokens.',
    layer: 'isolation',
    severity: 'high',
    remediation:
      'Remove the bind mount (`-v <host-path>:<path>` or `--mount type=bind,...`; Compose: the entry under `volumes`); ' +
      'copy the files the workload needs into the image or a named volume. If a host path is truly required, mount the ' +
      'narrowest path read-only (`:ro`; Compose: `read_only: true` in the long `volumes` syntax).',
    references: [
      'cis-docker-1.6.0:5.6',
      'cwe:668',
      'https://docs.docker.com/engine/storage/bind-mounts/',
    ],
    messages: {
      'sensitive-mount-rw': 'Container {{name}} mounts host path {{source}} read-write at {{destination}}.',
      'sensitive-mount-ro': 'Container {{name}} mounts host path {{source}} read-only at {{destination}}.',
    },
    parameters: {
      extraSensitivePaths: {
        description: 'More absolute host paths that must not be bind-mounted, themselves or anything below them (e.g. `/var/lib/docker`).',
        schema: { type: 'array', items: { type: 'string', pattern: '^/' }, uniqueItems: true },
        default: [],
      },
    },
  },
  evaluate({ container }, ctx) {
    const roots = [...SENSITIVE_PATHS, ...stringList(ctx.params['extraSensitivePaths'])].map(segments);
    const violations: Violation[] = [];
    for (const mount of container.mounts) {
      if (mount.type !== 'bind') continue;
      const root = sensitiveRoot(mount.source, roots);
      if (root === undefined) continue;
      violations.push({
        messageId: mount.readOnly ? 'sensitive-mount-ro' : 'sensitive-mount-rw',
        data: { name: container.name, source: mount.source, destination: mount.destination },
        evidence: {
          source: 'container inspect',
          path: 'Mounts[].Source',
          observed: { source: mount.source, destination: mount.destination, readOnly: mount.readOnly },
          expected: `not /${root.join('/')} or below it`,
        },
        key: mount.destination,
      });
    }
    return violations;
  },
});
