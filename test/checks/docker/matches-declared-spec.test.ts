import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/matches-declared-spec.js';
import type { ContainerFacts } from '../../../src/model/facts.js';
import { containerFacts, containerSubject, messageIds, run } from '../../helpers/facts.js';

function linked(running: Partial<ContainerFacts>, declared: Partial<ContainerFacts> = {}) {
  const subject = containerSubject({ container: running });
  subject.spec = containerFacts(declared);
  return subject;
}

describe('checks/docker/matches-declared-spec', () => {
  it('passes a container that runs as declared', () => {
    const result = run(check, linked({}));

    expect(result.violations).toEqual([]);
  });

  it('does not apply to a container not linked to a Compose service', () => {
    const result = run(check, containerSubject());

    expect(result.notApplicable).toMatch(/^not linked to a declared Compose service/);
  });

  it('treats equivalent spellings as no drift (no-new-privileges, 0.0.0.0, implicit latest)', () => {
    const subject = linked(
      { securityOpt: ['no-new-privileges=true'], imageRef: 'docker.io/library/nginx:latest', portBindings: [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 }] },
      { securityOpt: ['no-new-privileges:true'], imageRef: 'nginx', portBindings: [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 0 }] },
    );

    expect(run(check, subject).violations).toEqual([]);
  });

  it.each([
    ['privileged-added', { privileged: true }, {}, 'privileged', 'HostConfig.Privileged'],
    ['capability-added', { capAdd: ['SYS_ADMIN'] }, {}, 'cap-add:SYS_ADMIN', 'HostConfig.CapAdd'],
    ['capability-kept', { capDrop: [] }, { capDrop: ['ALL'] }, 'cap-drop:ALL', 'HostConfig.CapDrop'],
    [
      'mount-added',
      { mounts: [{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, propagation: 'rprivate' }] },
      { mounts: [] },
      'mount:/var/run/docker.sock',
      'Mounts[].Destination',
    ],
    [
      'mount-writable',
      { mounts: [{ type: 'bind', source: '/srv', destination: '/data', readOnly: false, propagation: 'rprivate' }] },
      { mounts: [{ type: 'bind', source: '/srv', destination: '/data', readOnly: true, propagation: 'rprivate' }] },
      'mount:/data',
      'Mounts[].RW',
    ],
    [
      'mount-source-changed',
      { mounts: [{ type: 'bind', source: '/', destination: '/data', readOnly: true, propagation: 'rprivate' }] },
      { mounts: [{ type: 'bind', source: '/srv', destination: '/data', readOnly: true, propagation: 'rprivate' }] },
      'mount:/data',
      'Mounts[].Source',
    ],
    ['port-added', { portBindings: [{ containerPort: 22, protocol: 'tcp', hostIp: '', hostPort: 2222 }] }, { portBindings: [] }, 'port:*:2222->22/tcp', 'HostConfig.PortBindings'],
    ['user-changed', { user: 'root' }, { user: '10001' }, 'user', 'Config.User'],
    ['image-changed', { imageRef: 'nginx:1.27@sha256:' + 'b'.repeat(64) }, { imageRef: 'nginx:1.27@sha256:' + 'a'.repeat(64) }, 'image', 'Config.Image'],
    ['read-only-removed', { readonlyRootfs: false }, { readonlyRootfs: true }, 'read-only', 'HostConfig.ReadonlyRootfs'],
    ['security-opt-dropped', { securityOpt: [] }, { securityOpt: ['no-new-privileges:true'] }, 'security-opt:no-new-privileges:true', 'HostConfig.SecurityOpt'],
    ['namespace-shared', { pidMode: 'host' }, { pidMode: '' }, 'namespace:pid', 'HostConfig.PidMode'],
    ['device-added', { devices: [{ hostPath: '/dev/mem', containerPath: '/dev/mem', permissions: 'rwm' }] }, { devices: [] }, 'device:/dev/mem', 'HostConfig.Devices[].PathOnHost'],
  ] as const)('fails on %s', (messageId, running, declared, key, path) => {
    const result = run(check, linked(running as Partial<ContainerFacts>, declared as Partial<ContainerFacts>));

    expect(messageIds(result)).toEqual([messageId]);
    expect(result.violations[0]?.key).toBe(key);
    expect(result.violations[0]?.evidence.path).toBe(path);
  });

  it('fails when a declared memory or pids limit was removed', () => {
    const running = containerFacts();
    const result = run(
      check,
      linked({ resources: { ...running.resources, memory: 0, pidsLimit: null } }, { resources: { ...running.resources, memory: 256 * 1024 * 1024, pidsLimit: 100 } }),
    );

    expect(result.violations.map((v) => v.key)).toEqual(['limit:memory', 'limit:pids']);
  });
});
