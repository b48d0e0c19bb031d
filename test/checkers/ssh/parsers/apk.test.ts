import { describe, expect, it } from 'vitest';

import { parseApkInstalled, parseApkVersion, splitApkPackage } from '../../../../src/checkers/ssh/parsers/apk.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/apk', () => {
  it('reads the installed database, taking the origin as the source', () => {
    const packages = parseApkInstalled(sectionOutput('alpine-3.20', 'packages-apk'));

    expect(packages).toHaveLength(17);
    expect(packages.find((p) => p.name === 'libcrypto3')).toEqual({
      name: 'libcrypto3',
      sourceName: 'openssl',
      version: '3.3.0-r2',
      arch: 'x86_64',
    });
  });

  it('reads a full database record and ignores the fields it does not need', () => {
    const text = 'C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nS:383152\nT:the musl c library\no:musl\nF:lib\nR:libc.musl-x86_64.so.1\n\nP:broken\n\nV:1.0-r0\n';

    const packages = parseApkInstalled(text);

    expect(packages).toEqual([{ name: 'musl', sourceName: 'musl', version: '1.2.5-r0', arch: 'x86_64' }]);
  });

  it.each([
    ['busybox-1.36.1-r29', { name: 'busybox', version: '1.36.1-r29' }],
    ['py3-foo-bar-2.0_rc1-r0', { name: 'py3-foo-bar', version: '2.0_rc1-r0' }],
    ['font-adobe-100dpi-1.0.3-r2', { name: 'font-adobe-100dpi', version: '1.0.3-r2' }],
    ['openssh-server-9.7_p1-r3', { name: 'openssh-server', version: '9.7_p1-r3' }],
    ['noversion', undefined],
  ])('splits %s', (text, expected) => {
    expect(splitApkPackage(text)).toEqual(expected);
  });

  it('reads apk version -l "<"', () => {
    const upgrades = parseApkVersion(`WARNING: opening /var/cache/apk: No such file\n${sectionOutput('alpine-3.20', 'updates-apk')}`);

    expect(upgrades).toContainEqual({ name: 'libssl3', installed: '3.3.0-r2', candidate: '3.3.1-r0' });
    expect(upgrades).toHaveLength(4);
  });
});
