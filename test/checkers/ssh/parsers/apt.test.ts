import { describe, expect, it } from 'vitest';

import { isSecurityOrigin, parseAptSimulation } from '../../../../src/checkers/ssh/parsers/apt.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/apt', () => {
  it.each([
    ['Debian-Security:12/stable-security', true],
    ['Debian-Security:12/oldstable-security', true],
    ['Ubuntu:22.04/jammy-security', true],
    ['UbuntuESMApps:22.04/jammy-apps-security', true],
    ['Debian:12.5/stable', false],
    ['Ubuntu:22.04/jammy-updates', false],
    ['', false],
  ])('classifies origin %j', (origin, security) => {
    expect(isSecurityOrigin(origin)).toBe(security);
  });

  it('reads Inst lines with installed and candidate versions and the security origin', () => {
    const text = [
      'NOTE: This is only a simulation!',
      'Inst libssl3 [3.0.11-1~deb12u2] (3.0.13-1~deb12u1 Debian:12.5/stable, Debian-Security:12/stable-security [amd64]) []',
      'Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable [all])',
      'Inst libc6:i386 [2.36-9+deb12u4] (2.36-9+deb12u7 Debian:12.5/stable [i386])',
      'Inst linux-image-6.1.0-21-amd64 (6.1.90-1 Debian-Security:12/stable-security [amd64])',
      'Conf libssl3 (3.0.13-1~deb12u1 Debian:12.5/stable [amd64])',
      'Inst broken [',
    ].join('\n');

    const updates = parseAptSimulation(text);

    expect(updates).toEqual([
      { name: 'libssl3', installed: '3.0.11-1~deb12u2', candidate: '3.0.13-1~deb12u1', security: true, origin: 'Debian-Security:12/stable-security' },
      { name: 'tzdata', installed: '2024a-0+deb12u1', candidate: '2025b-0+deb12u1', security: false, origin: 'Debian:12.11/stable' },
      { name: 'libc6', installed: '2.36-9+deb12u4', candidate: '2.36-9+deb12u7', security: false, origin: 'Debian:12.5/stable' },
    ]);
  });

  it('reads the Ubuntu fixture, Ubuntu Pro pockets included', () => {
    const updates = parseAptSimulation(sectionOutput('ubuntu-22.04', 'updates-apt'));

    expect(updates).toHaveLength(10);
    expect(updates.filter((u) => u.security).map((u) => u.name)).toEqual([
      'libc6',
      'libc-bin',
      'libssl3',
      'openssl',
      'curl',
      'libcurl4',
      'nginx-common',
      'nginx',
    ]);
  });

  it('reads the captured Debian 12 simulation', () => {
    const updates = parseAptSimulation(sectionOutput('debian-12', 'updates-apt'));

    expect(updates.length).toBeGreaterThan(0);
    expect(updates.some((u) => u.security && u.origin?.startsWith('Debian-Security:12/'))).toBe(true);
  });
});
