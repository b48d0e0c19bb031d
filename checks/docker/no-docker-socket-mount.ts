// Risk: a container that can reach the Docker (or another runtime's) API socket
// can start a privileged container and take over the host.
import { defineCheck, type Violation } from '../../src/model/check.js';
import type { MountFacts } from '../../src/model/facts.js';
import { stringList } from '../../src/lib/params.js';

// Base names of container-runtime API endpoints: Docker, containerd, CRI-O,
// Podman, the kubelet's dockershim, and Docker's named pipe on Windows.
const SOCKET_NAMES = new Set(['docker.sock', 'containerd.sock', 'crio.sock', 'podman.sock', 'dockershim.sock', 'docker_engine']);

// Host directories that hold a runtime socket: binding one exposes the socket
// inside it. `/` holds all of them; /run/user/<uid> holds a rootless engine's.
const SOCKET_DIRS: readonly (readonly (string | RegExp)[])[] = [
  [],
  ['run'],
  ['var', 'run'],
  ['run', 'docker'],
  ['var', 'run', 'docker'],
  ['run', 'containerd'],
  ['var', 'run', 'containerd'],
  ['run', 'user', /^\d+$/],
  ['var', 'run', 'user', /^\d+$/],
];

/** Path segments with `.`, `..`, repeated and trailing separators resolved; `\` counts as a separator (npipe). */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

function sameSegments(path: readonly string[], pattern: readonly (string | RegExp)[]): boolean {
  return (
    path.length === pattern.length &&
    pattern.every((want, i) => (typeof want === 'string' ? path[i] === want : want.test(path[i] ?? '')))
  );
}

function isSocketPath(path: string, extra: readonly string[][]): boolean {
  const parts = segments(path);
  const base = parts[parts.length - 1];
  return (base !== undefined && SOCKET_NAMES.has(base)) || extra.some((want) => sameSegments(parts, want));
}

/** Which field of the mount exposes a socket, if any. */
function exposure(mount: MountFacts, extra: readonly string[][]): 'source' | 'directory' | 'destination' | undefined {
  // Volume sources are names, not host paths; a volume's host path is checked through its destination only.
  const hostPath = mount.type === 'bind' || mount.type === 'npipe';
  if (hostPath && isSocketPath(mount.source, extra)) return 'source';
  if (mount.type === 'bind' && SOCKET_DIRS.some((dir) => sameSegments(segments(mount.source), dir))) return 'directory';
  // A socket can arrive under another host path (a symlink, a volume with
  // `o=bind`); the usual in-container paths still give it away.
  if (mount.type !== 'tmpfs' && isSocketPath(mount.destination, [])) return 'destination';
  return undefined;
}

export default defineCheck({
  id: 'docker/no-docker-socket-mount',
  target: 'container',
  meta: {
    title: 'No container-runtime socket is mounted into the container',
    description:
      'Whoever can talk to the Docker API socket (`/var/run/docker.sock`) controls the engine: it can start a ' +
      '`--privileged` container with the host root bind-mounted and so become root on the host. The same holds for ' +
      "containerd, CRI-O and Podman sockets, and for a bind of a directory holding one (`/run`, `/var/run`). " +
      'Mounting it read-only does not help: `:ro` only stops changes to the socket file, while connecting to it and ' +
      'sending API requests still works.',
    layer: 'isolation',
    severity: 'critical',
    remediation:
      'Remove the socket mount (`-v /var/run/docker.sock:/var/run/docker.sock`, `--mount ' +
      'type=bind,src=/var/run/docker.sock,...` or `--use-api-socket`; Compose: the entry under `volumes`, or ' +
      '`use_api_socket: true`) and any bind of `/run` or `/var/run`. If a tool truly needs the API, give it a proxy ' +
      'that allows only the endpoints it uses, or a separate rootless engine.',
    references: [
      'cis-docker-1.6.0:5.32',
      'cwe:250',
      'cwe:668',
      'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
      'https://docs.docker.com/engine/security/protect-access/',
    ],
    messages: {
      'socket-mount': 'Container {{name}} mounts runtime socket {{source}} at {{destination}}.',
      'socket-directory-mount': 'Container {{name}} mounts host directory {{source}}, which holds a runtime socket, at {{destination}}.',
      'socket-destination': 'Container {{name}} has a mount at {{destination}}, a runtime socket path (source {{source}}).',
    },
    parameters: {
      extraSocketPaths: {
        description: 'More host paths, matched exactly, that are container-runtime API sockets (an engine started with `-H unix:///srv/docker.sock`, say).',
        schema: { type: 'array', items: { type: 'string', pattern: '^/' }, uniqueItems: true },
        default: [],
      },
    },
  },
  evaluate({ container }, ctx) {
    const extra = stringList(ctx.params['extraSocketPaths']).map(segments);
    const violations: Violation[] = [];
    for (const mount of container.mounts) {
      const found = exposure(mount, extra);
      if (found === undefined) continue;
      violations.push({
        messageId: found === 'source' ? 'socket-mount' : found === 'directory' ? 'socket-directory-mount' : 'socket-destination',
        data: { name: container.name, source: mount.source, destination: mount.destination },
        evidence: {
          source: 'container inspect',
          path: found === 'destination' ? 'Mounts[].Destination' : 'Mounts[].Source',
          observed: { type: mount.type, source: mount.source, destination: mount.destination, readOnly: mount.readOnly },
          expected: 'no container-runtime socket',
        },
        key: mount.destination,
      });
    }
    return violations;
  },
});
