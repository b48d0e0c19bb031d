import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/ports-bound-to-interface.js';
import type { PortBindingFacts } from '../../../src/model/facts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function binding(hostIp: string, hostPort: number, containerPort = 8080, protocol = 'tcp'): PortBindingFacts {
  return { containerPort, protocol, hostIp, hostPort };
}

describe('checks/docker/ports-bound-to-interface', () => {
  it.each([
    { case: 'loopback', portBindings: [binding('127.0.0.1', 8080)] },
    { case: 'a specific address', portBindings: [binding('10.0.0.5', 8080)] },
    { case: 'IPv6 loopback', portBindings: [binding('::1', 8080)] },
    { case: 'no published ports', portBindings: [] },
  ])('passes a binding to $case', ({ portBindings }) => {
    const subject = containerSubject({ container: { portBindings } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { port: binding('', 8080), key: ':8080/tcp' },
    { port: binding('0.0.0.0', 8080), key: '0.0.0.0:8080/tcp' },
    { port: binding('::', 8080), key: ':::8080/tcp' },
    { port: binding('0.0.0.0', 5353, 53, 'udp'), key: '0.0.0.0:5353/udp' },
  ])('fails binding $key', ({ port, key }) => {
    const subject = containerSubject({ container: { portBindings: [port] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['all-interfaces']);
    expect(result.violations[0]?.key).toBe(key);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.PortBindings' });
  });

  it('keys engine-picked host ports by container port so they stay distinct', () => {
    const subject = containerSubject({ container: { portBindings: [binding('', 0, 80), binding('', 0, 443)] } });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual([':0->80/tcp', ':0->443/tcp']);
  });

  it('fails publishing all exposed ports with -P', () => {
    const subject = containerSubject({ container: { publishAllPorts: true, portBindings: [] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['publish-all']);
    expect(result.violations[0]?.evidence.path).toBe('HostConfig.PublishAllPorts');
  });
});
