import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-privileged-ports.js';
import type { PortBindingFacts } from '../../../src/model/facts.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function binding(hostIp: string, hostPort: number, containerPort = 80, protocol = 'tcp'): PortBindingFacts {
  return { containerPort, protocol, hostIp, hostPort };
}

describe('checks/docker/no-privileged-ports', () => {
  it.each([
    { case: 'port 1024', portBindings: [binding('127.0.0.1', 1024)] },
    { case: 'an engine-picked port', portBindings: [binding('', 0)] },
    { case: 'no published ports', portBindings: [] },
  ])('passes $case', ({ portBindings }) => {
    const subject = containerSubject({ container: { portBindings } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    { port: binding('0.0.0.0', 80), key: '0.0.0.0:80/tcp' },
    { port: binding('', 443, 8443), key: ':443/tcp' },
    { port: binding('::', 1023), key: ':::1023/tcp' },
    { port: binding('127.0.0.1', 1, 53, 'udp'), key: '127.0.0.1:1/udp' },
  ])('fails host port binding $key', ({ port, key }) => {
    const subject = containerSubject({ container: { portBindings: [port] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['privileged-port']);
    expect(result.violations[0]?.key).toBe(key);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'HostConfig.PortBindings' });
  });

  it('fails each privileged binding and only those', () => {
    const subject = containerSubject({
      container: { portBindings: [binding('0.0.0.0', 80), binding('::', 80), binding('0.0.0.0', 8080, 8080), binding('0.0.0.0', 53, 53, 'udp')] },
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['0.0.0.0:80/tcp', ':::80/tcp', '0.0.0.0:53/udp']);
  });
});
