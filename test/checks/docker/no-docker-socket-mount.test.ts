import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-docker-socket-mount.js';
import type { MountFacts } from '../../../src/model/facts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function mount(source: string, destination: string, extra: Partial<MountFacts> = {}): MountFacts {
  return { type: 'bind', source, destination, readOnly: false, propagation: 'rprivate', ...extra };
}

describe('checks/docker/no-docker-socket-mount', () => {
  it.each([
    ['an application data bind', mount('/srv/app/data', '/data')],
    ['a named volume', mount('app-data', '/var/lib/app', { type: 'volume' })],
    ['a bind of an unrelated /run subdirectory', mount('/run/app', '/run/app')],
    ['a tmpfs at /run', mount('', '/run', { type: 'tmpfs' })],
    ['a host directory bound at /var/run', mount('/srv/app/run', '/var/run')],
  ])('passes %s', (_name, m) => {
    const subject = containerSubject({ container: { mounts: [m] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    '/var/run/docker.sock',
    '/run/docker.sock',
    '/run/containerd/containerd.sock',
    '/var/run/crio/crio.sock',
    '/run/podman/podman.sock',
    '/var/run/dockershim.sock',
    '/run/user/1000/docker.sock',
    '//var/run/./docker.sock',
  ])('fails a bind of the runtime socket %s', (source) => {
    const subject = containerSubject({ container: { mounts: [mount(source, '/sock')] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['socket-mount']);
    expect(result.violations[0]?.key).toBe('/sock');
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Mounts[].Source' });
  });

  it('fails a read-only socket bind: the API is still reachable', () => {
    const subject = containerSubject({
      container: { mounts: [mount('/var/run/docker.sock', '/var/run/docker.sock', { readOnly: true })] },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['socket-mount']);
  });

  it.each(['/var/run', '/run', '/run/docker', '/var/run/docker', '/run/containerd', '/var/run/', '/', '/run/user/1000'])(
    'fails a bind of %s, which holds a runtime socket',
    (source) => {
      const subject = containerSubject({ container: { mounts: [mount(source, '/host-run')] } });

      const result = run(check, subject);

      expect(messageIds(result)).toEqual(['socket-directory-mount']);
      expect(result.violations[0]?.evidence.path).toBe('Mounts[].Source');
    },
  );

  it('fails a mount whose destination is a socket path although its source is not', () => {
    const subject = containerSubject({
      container: { mounts: [mount('/var/lib/docker/volumes/sock/_data', '/var/run/docker.sock', { type: 'volume' })] },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['socket-destination']);
    expect(result.violations[0]?.evidence.path).toBe('Mounts[].Destination');
    expect(result.violations[0]?.key).toBe('/var/run/docker.sock');
  });

  it("fails a Windows container mounting the engine's named pipe", () => {
    const subject = containerSubject({
      container: { mounts: [mount('\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\docker_engine', { type: 'npipe' })] },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['socket-mount']);
  });

  it('fails a bind of a socket path named in extraSocketPaths', () => {
    const subject = containerSubject({ container: { mounts: [mount('/srv/engine/api', '/api')] } });

    const result = run(check, subject, { extraSocketPaths: ['/srv/engine/api'] });

    expect(messageIds(result)).toEqual(['socket-mount']);
  });

  it('reports each offending mount once, keyed by destination', () => {
    const subject = containerSubject({
      container: {
        mounts: [
          mount('/var/run/docker.sock', '/var/run/docker.sock'),
          mount('/srv/app', '/app'),
          mount('/run/containerd', '/run/containerd'),
        ],
      },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['/var/run/docker.sock', '/run/containerd']);
  });
});
