import { describe, expect, it } from 'vitest';

import {
  classifySudoRefusal,
  parseId,
  parseSudoAttempt,
  parseUname,
  parseVirtualization,
} from '../../../../src/checkers/ssh/parsers/identity.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/identity', () => {
  it.each([
    ['0\nroot\n', { uid: 0, user: 'root' }],
    ['1000\nec2-user\n', { uid: 1000, user: 'ec2-user' }],
    ['1000\n', { uid: 1000 }],
    ['root\n', undefined],
    ['', undefined],
  ])('parses id output %j', (text, expected) => {
    expect(parseId(text)).toEqual(expected);
  });

  it.each([
    ['sudo root\n', 'root'],
    ['junk\nsudo tried\n', 'tried'],
    ['sudo maybe\n', undefined],
  ])('reads the sudo attempt from %j', (text, expected) => {
    expect(parseSudoAttempt(text)).toBe(expected);
  });

  it.each([
    ['sudo: a password is required', 'password-required'],
    ['sudo: sorry, you must have a tty to run sudo', 'requiretty'],
    ['Sorry, user deploy may not run sudo on web1.', 'denied'],
    ['deploy is not in the sudoers file.  This incident will be reported.', 'denied'],
    ["Sorry, user deploy is not allowed to execute '/usr/sbin/nft -j list ruleset' as root on web1.", 'denied'],
    ['nft: command failed', undefined],
  ])('classifies %j', (stderr, expected) => {
    expect(classifySudoRefusal(stderr)).toBe(expected);
  });

  it('reads uname', () => {
    expect(parseUname(sectionOutput('rocky-9', 'uname'))).toEqual({ release: '5.14.0-427.13.1.el9_4.x86_64', architecture: 'x86_64' });
    expect(parseUname('\x00\xff junk\n')).toBeUndefined();
  });

  it.each([
    ['systemd-detect-virt kvm\nsys_vendor QEMU\n', 'kvm'],
    ['systemd-detect-virt none\nsys_vendor Dell Inc.\n', 'none'],
    ['systemd-detect-virt \nsys_vendor VMware, Inc.\nproduct_name VMware Virtual Platform\n', 'vmware'],
    ['sys_vendor QEMU\nproduct_name Standard PC (Q35 + ICH9, 2009)\n', 'kvm'],
    ['sys_vendor Amazon EC2\nproduct_name t3.micro\n', 'amazon'],
    ['sys_vendor Microsoft Corporation\nproduct_name Virtual Machine\n', 'microsoft'],
    ['sys_vendor Dell Inc.\nproduct_name PowerEdge R640\n', undefined],
  ])('reads virtualization from %j', (text, expected) => {
    expect(parseVirtualization(text)).toBe(expected);
  });
});
