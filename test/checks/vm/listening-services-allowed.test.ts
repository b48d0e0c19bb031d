import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/listening-services-allowed.js';
import type { ListeningSocket } from '../../../src/model/facts.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

const SSH: ListeningSocket = { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' };

describe('checks/vm/listening-services-allowed', () => {
  it('passes SSH on all interfaces and a database on loopback', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('passes services bound to a specific address', () => {
    const subject = hostSubject({ listening: [SSH, { protocol: 'tcp', address: '198.18.0.10', port: 8080 }, { protocol: 'udp', address: '127.0.0.53', port: 53 }] });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['0.0.0.0', '::', '*'])('fails a disallowed port bound to %s', (address) => {
    const subject = hostSubject({ listening: [SSH, { protocol: 'tcp', address, port: 5432, process: 'postgres' }] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['not-allowed']);
    expect(result.violations[0]?.key).toBe('tcp/5432');
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'listening sockets', path: 'listening' });
  });

  it('reports the IPv4 and IPv6 wildcard sockets of one service once', () => {
    const subject = hostSubject({
      listening: [SSH, { protocol: 'tcp', address: '0.0.0.0', port: 6379 }, { protocol: 'tcp', address: '::', port: 6379 }, { protocol: 'udp', address: '0.0.0.0', port: 6379 }],
    });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['tcp/6379', 'udp/6379']);
    expect(result.violations[0]?.data).toMatchObject({ addresses: '0.0.0.0, ::' });
  });

  it('allows ports listed for the host segment on top of the * list', () => {
    const subject = hostSubject({ segment: 'dmz', listening: [SSH, { protocol: 'tcp', address: '::', port: 443 }] });

    const result = run(check, subject, { allowedPorts: { '*': [22], dmz: [80, 443] } });

    expect(result.violations).toEqual([]);
  });

  it('does not use another segment list', () => {
    const subject = hostSubject({ segment: 'db', listening: [SSH, { protocol: 'tcp', address: '::', port: 443 }] });

    const result = run(check, subject, { allowedPorts: { '*': [22], dmz: [443] } });

    expect(messageIds(result)).toEqual(['not-allowed']);
    expect(result.violations[0]?.data).toMatchObject({ segment: 'db' });
  });

  it('fails SSH when a policy replaces the default without *', () => {
    const subject = hostSubject({ segment: 'db' });

    const result = run(check, subject, { allowedPorts: { db: [5432] } });

    expect(result.violations.map((v) => v.key)).toEqual(['tcp/22']);
  });

  it('is not evaluated when listening sockets were not collected', () => {
    const subject = hostSubject({
      listening: undefined,
      notCollected: { listening: { reason: 'command-missing', detail: 'listening: neither ss nor netstat is installed' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: listening: neither ss nor netstat is installed');
  });
});
