// Risk: an SSH daemon inside a container is a second, separately managed way in
// (keys, passwords, patches) that bypasses the engine's access control and audit.
//
// Reads the processes the Engine's process list endpoint (`container top`)
// reports. The Engine lists the processes in the container's own cgroup, so a
// container started with `--pid host` is not blamed for the host's sshd; the
// `docker exec <c> ps` that docker-bench-security runs for 5.7 sees every host
// process in that case and reports the host's sshd against the container.
import { defineCheck, type Violation } from '../../src/model/check.js';

// OpenSSH 9.8 split per-connection work into `sshd-session` (and 10.0 into
// `sshd-auth`); any of them means an SSH server runs in the container.
const SSHD_PROGRAMS = new Set(['sshd', 'sshd-session', 'sshd-auth']);

/**
 * The program behind a process title: sshd rewrites its argv[0] to titles such
 * as `sshd: /usr/sbin/sshd -D [listener]` or `sshd: alice@pts/0`, so the name
 * is what precedes the first colon or space, without a directory.
 */
function programName(command: string): string {
  const head = command.trim().split(/[:\s]/, 1)[0] ?? '';
  return head.slice(head.lastIndexOf('/') + 1);
}

export default defineCheck({
  id: 'docker/no-sshd',
  target: 'container',
  meta: {
    title: 'No SSH daemon runs in the container',
    description:
      'An SSH server in a container brings its own keys, passwords and configuration to manage and patch, and lets ' +
      'people in without going through the engine, so `docker exec` access control and audit no longer see them. It ' +
      'also usually means the container runs a process supervisor as root.',
    layer: 'access',
    severity: 'medium',
    remediation:
      'Remove the SSH server from the image and its start-up (the `command`/`entrypoint` in Compose, or the image ' +
      'CMD/ENTRYPOINT overridden with `docker run --entrypoint`); use `docker exec -it <container> sh` for interactive ' +
      'access and stop publishing port 22 (`-p`; Compose: `ports`).',
    references: [
      'cis-docker-1.6.0:5.7',
      'cwe:1125',
      'https://docs.docker.com/reference/cli/docker/container/exec/',
      'https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerTop',
    ],
    runtimeFact: 'the process list',
    messages: {
      sshd: 'Container {{name}} runs an SSH daemon ({{program}}).',
    },
  },
  appliesTo({ container }) {
    if (container.processes !== undefined) return undefined;
    if (container.state !== 'running') return 'The container is not running, so its processes cannot be listed.';
    return 'Not evaluated: the process list was not collected (run `palisade scan --processes` to read it).';
    return undefined;
  },
  evaluate({ container }) {
    const violations: Violation[] = [];
    const reported = new Set<string>();
    for (const process of container.processes ?? []) {
      const program = programName(process.command);
      if (!SSHD_PROGRAMS.has(program) || reported.has(program)) continue;
      reported.add(program);
      violations.push({
        messageId: 'sshd',
        data: { name: container.name, program },
        evidence: { source: 'container top', path: 'Processes[].CMD', observed: process.command },
        // The program, not the whole title: titles carry user names and ttys
        // that change between scans and would break the fingerprint.
        key: program,
      });
    }
    return violations;
  },
});
