import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-sensitive-host-mounts.js';
import type { MountFacts } from '../../../src/model/facts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function bind(source: string, destination = '/mnt/host', readOnly = false): MountFacts {
  return { type: 'bind', source, destination, readOnly, propagation: 'rprivate' };
}

describe('checks/docker/no-sensitive-host-mounts', () => {
  it.each([
    { case: 'an application data directory', mount: bind('/srv/app/data', '/data') },
    { case: 'a path that only starts like /etc', mount: bind('/etcd-data', '/var/lib/etcd') },
    { case: 'a path that only starts like /usr', mount: bind('/usrdata/app', '/data') },
    { case: 'the Docker socket (another check)', mount: bind('/var/run/docker.sock', '/var/run/docker.sock') },
    { case: 'a named volume called etc', mount: { type: 'volume', source: 'etc', destination: '/etc', readOnly: false, propagation: '' } },
    { case: 'a path that climbs out of /etc', mount: bind('/etc/../srv/app', '/data') },
  ])('passes $case', ({ mount }) => {
    const subject = containerSubject({ container: { mounts: [mount] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { source: '/' },
    { source: '/etc' },
    { source: '/etc/' },
    { source: '/etc/shadow' },
    { source: '/boot' },
    { source: '/dev' },
    { source: '/lib/modules' },
    { source: '/proc' },
    { source: '/sys/fs/cgroup' },
    { source: '/usr/bin' },
    { source: '//etc//ssl/' },
    { source: '/srv/../etc/passwd' },
    { source: '/srv/..' },
  ])('fails a read-write bind of $source', ({ source }) => {
    const subject = containerSubject({ container: { mounts: [bind(source, '/mnt/host')] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['sensitive-mount-rw']);
    expect(result.violations[0]?.key).toBe('/mnt/host');
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Mounts[].Source' });
  });

  it('tells a read-only bind from a read-write one', () => {
    const subject = containerSubject({
      container: { mounts: [bind('/etc/ssl/certs', '/etc/ssl/certs', true), bind('/proc', '/host/proc', false)] },
    });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['sensitive-mount-ro', 'sensitive-mount-rw']);
    expect(result.violations.map((v) => v.key)).toEqual(['/etc/ssl/certs', '/host/proc']);
  });

  it.each([
    { extra: ['/var/lib/docker'], source: '/var/lib/docker/volumes', fails: true },
    { extra: ['/var/lib/docker/'], source: '/var/lib/docker', fails: true },
    { extra: ['/var/lib/docker'], source: '/var/lib/docker-data', fails: false },
    { extra: [], source: '/var/lib/docker', fails: false },
  ])('with extraSensitivePaths $extra, $source fails: $fails', ({ extra, source, fails }) => {
    const subject = containerSubject({ container: { mounts: [bind(source)] } });

    const result = run(check, subject, { extraSensitivePaths: extra });

    expect(result.violations).toHaveLength(fails ? 1 : 0);
  });
});
