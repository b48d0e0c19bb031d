import { describe, expect, it } from 'vitest';

import { parseSysctl, sysctlFlag } from '../../../../src/checkers/ssh/parsers/sysctl.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/sysctl', () => {
  it('reads key = value lines, first one wins', () => {
    const values = parseSysctl('net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 0\njunk\nkernel.hostname=web1\n');

    expect(values).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.hostname': 'web1' });
  });

  it('reads the forwarding switches the probe prints', () => {
    const values = parseSysctl(sectionOutput('debian-12', 'ip-forwarding'));

    expect(Object.keys(values)).toEqual(['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding']);
  });

  it.each([
    ['1', true],
    ['2', true],
    ['0', false],
    ['yes', undefined],
    [undefined, undefined],
  ])('reads flag %j', (value, expected) => {
    expect(sysctlFlag(value)).toBe(expected);
  });
});
