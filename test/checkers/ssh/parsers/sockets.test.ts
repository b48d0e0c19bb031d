import { describe, expect, it } from 'vitest';

import { parseListening, parseNetstat, parseSs, splitLocalAddress } from '../../../../src/checkers/ssh/parsers/sockets.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/sockets', () => {
  it.each([
    ['0.0.0.0:22', { address: '0.0.0.0', port: 22 }],
    ['[::]:22', { address: '::', port: 22 }],
    ['*:9100', { address: '::', port: 9100 }],
    ['127.0.0.53%lo:53', { address: '127.0.0.53', port: 53 }],
    ['[fe80::1]%eth0:123', { address: 'fe80::1', port: 123 }],
    [':::22', { address: '::', port: 22 }],
    ['::1:323', { address: '::1', port: 323 }],
    ['0.0.0.0:*', undefined],
    ['host.example:22', undefined],
    ['1.2.3.4:70000', undefined],
  ])('splits %s', (text, expected) => {
    expect(splitLocalAddress(text)).toEqual(expected);
  });

  it('reads ss, with and without the header, with process names', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'tcp   LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=1200,fd=6),("nginx",pid=1199,fd=6))',
      'udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*',
      'tcp   LISTEN 0      128        [::]:22            [::]:*    users:(("sshd",pid=901,fd=4))',
      'junk',
    ].join('\n');

    const sockets = parseSs(text);

    expect(sockets).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 80, process: 'nginx' },
      { protocol: 'udp', address: '127.0.0.53', port: 53 },
      { protocol: 'tcp', address: '::', port: 22, process: 'sshd' },
    ]);
  });

  it('reads busybox netstat', () => {
    const sockets = parseListening(sectionOutput('alpine-3.20', 'listening'));

    expect(sockets).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' },
      { protocol: 'tcp', address: '::', port: 22, process: 'sshd' },
      { protocol: 'udp', address: '127.0.0.1', port: 323, process: 'chronyd' },
      { protocol: 'udp', address: '::1', port: 323, process: 'chronyd' },
    ]);
  });

  it('reads net-tools netstat, where a hidden process is `-`', () => {
    const text = [
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      842/sshd: /usr/sbi',
      'tcp6       0      0 :::80                   :::*                    LISTEN      -',
      'tcp        0      0 10.0.0.5:40000          10.0.0.9:22             ESTABLISHED 99/ssh',
    ].join('\n');

    const sockets = parseNetstat(text);

    expect(sockets).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd' },
      { protocol: 'tcp', address: '::', port: 80 },
    ]);
  });

  it('reads the Ubuntu fixture, dual-stack `*` included', () => {
    const sockets = parseListening(sectionOutput('ubuntu-22.04', 'listening'));

    expect(sockets).toHaveLength(7);
    expect(sockets).toContainEqual({ protocol: 'tcp', address: '::', port: 9100, process: 'prometheus-node' });
  });
});
