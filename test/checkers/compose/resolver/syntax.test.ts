import { describe, expect, it } from 'vitest';

import { parsePort, parseVolume } from '../../../../src/checkers/compose/normalize.js';
import { fixture, resolveFixture, service } from './helpers.js';

describe('src/checkers/compose/normalize parsePort (compose-spec 05-services.md "ports" short syntax)', () => {
  it.each([
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['127.0.0.1:8080:80/udp', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'udp' }]],
    ['[::1]:53:53/udp', [{ mode: 'ingress', host_ip: '::1', target: 53, published: '53', protocol: 'udp' }]],
    ['::1:6000:6000', [{ mode: 'ingress', host_ip: '::1', target: 6000, published: '6000', protocol: 'tcp' }]],
    ['127.0.0.1::80', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]],
    ['9090-9091:8080-8081', [
      { mode: 'ingress', target: 8080, published: '9090', protocol: 'tcp' },
      { mode: 'ingress', target: 8081, published: '9091', protocol: 'tcp' },
    ]],
    ['8000-8001', [{ mode: 'ingress', target: 8000, protocol: 'tcp' }, { mode: 'ingress', target: 8001, protocol: 'tcp' }]],
    ['10000-10005:443', [{ mode: 'ingress', target: 443, published: '10000-10005', protocol: 'tcp' }]],
  ])('%s', (spec, expected) => {
    expect(parsePort(spec)).toEqual(expected);
  });

  it.each(['80:x', '1-2:3-5', '70000'])('refuses %s', (spec) => {
    expect(() => parsePort(spec)).toThrow();
  });
});

describe('src/checkers/compose/normalize parseVolume (compose-spec 05-services.md "volumes" short syntax)', () => {
  it.each([
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['./data:/data:ro', { type: 'bind', source: './data', target: '/data', read_only: true, bind: { create_host_path: true } }],
    ['named:/srv', { type: 'volume', source: 'named', target: '/srv', volume: {} }],
    ['named:/srv:nocopy', { type: 'volume', source: 'named', target: '/srv', volume: { nocopy: true } }],
    ['/a:/b:z', { type: 'bind', source: '/a', target: '/b', bind: { selinux: 'z', create_host_path: true } }],
    ['/a:/b:rw,rprivate', { type: 'bind', source: '/a', target: '/b', bind: { propagation: 'rprivate', create_host_path: true } }],
    ['~/x:/x', { type: 'bind', source: '~/x', target: '/x', bind: { create_host_path: true } }],
  ])('%s', (spec, expected) => {
    expect(parseVolume(spec)).toEqual(expected);
  });
});

describe('src/checkers/compose/resolve long syntax of a service', () => {
  const p = resolveFixture('syntax');
  const all = service(p, 'all');

  it('security fields as written, booleans cast (compose-spec 05-services.md)', () => {
    expect(all).toMatchObject({
      user: '1000:1000',
      read_only: true,
      network_mode: 'host',
      pid: 'host',
      ipc: 'shareable',
      userns_mode: 'host',
      cap_add: ['ALL'],
      cap_drop: ['NET_RAW'],
      security_opt: ['seccomp:unconfined', 'apparmor=unconfined'],
    });
  });

  it('ports: every short form and the long form with defaults', () => {
    expect(all.ports).toHaveLength(11);
    expect(all.ports?.[10]).toEqual({ mode: 'host', target: 5000, published: '5001', host_ip: '0.0.0.0', protocol: 'tcp' });
  });

  it('volumes: relative and ~ bind sources absolute, targets cleaned, tmpfs size in bytes', () => {
    const v = all.volumes!;

    expect(v.map((x) => x.type)).toEqual(['volume', 'bind', 'bind', 'volume', 'bind', 'bind', 'tmpfs', 'bind']);
    expect(v[1]!.source).toBe(fixture('syntax', 'rel'));
    expect(v[2]!.source).toBe('/home/u/home');
    expect(v[6]!.tmpfs).toEqual({ size: 64 * 1024 * 1024 });
    expect(v[7]).toEqual({ type: 'bind', source: fixture('syntax', 'long'), target: '/long', read_only: true, bind: { propagation: 'rshared', create_host_path: true } });
  });

  it('tmpfs, devices, sysctls, ulimits, resources and sizes in long form', () => {
    expect(all.tmpfs).toEqual(['/run:size=10m', '/var/run']);
    expect(all.devices).toEqual([
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'rwm' },
      { source: '/dev/kvm', target: '/dev/kvm', permissions: 'rwm' },
    ]);
    expect(all.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(all.ulimits).toEqual({ nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 1024, hard: 2048 } });
    expect(all.deploy?.resources).toEqual({ limits: { cpus: 0.5, memory: 256 * 1024 ** 2, pids: 100 }, reservations: { memory: 128 * 1024 ** 2 } });
    expect(service(p, 'nohealth').mem_limit).toBe(1024 ** 3);
    expect(all.pids_limit).toBe(100);
  });

  it('healthcheck: disable, NONE and CMD (compose-spec 05-services.md "healthcheck")', () => {
    expect(all.healthcheck).toEqual({ disable: true });
    expect(service(p, 'nohealth').healthcheck).toEqual({ test: ['NONE'], disable: true });
    expect(service(p, 'cmdhealth').healthcheck).toEqual({ test: ['CMD', 'true'] });
  });

  it('networks list becomes a map, build string becomes a context, service: namespaces add a dependency', () => {
    expect(service(p, 'nohealth').networks).toEqual({ front: null, back: null });
    expect(service(p, 'nohealth').build).toEqual({ context: fixture('syntax', 'ctx'), dockerfile: 'Dockerfile' });
    expect(service(p, 'cmdhealth').depends_on).toEqual({ all: { condition: 'service_started', restart: true, required: true } });
    expect(p.networks.back).toMatchObject({ external: true, name: 'back' });
    expect(p.networks.front).toMatchObject({ name: 'syntax_front' });
  });

  it('locates keys with dots and items built from short syntax', () => {
    expect(p.locate('services.all.sysctls.net.ipv4.ip_forward')).toMatchObject({ line: 55 });
    expect(p.locate('services.all.ports.3.target')).toMatchObject({ line: 13 });
    expect(p.locate('services.all.volumes.7.bind.propagation')).toMatchObject({ line: 40 });
  });
});
