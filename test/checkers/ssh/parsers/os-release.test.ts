import { describe, expect, it } from 'vitest';

import { osFamily, osIdentity, parseOsRelease } from '../../../../src/checkers/ssh/parsers/os-release.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/os-release', () => {
  it('unquotes values with shell escapes and skips comments and junk', () => {
    const text = [
      '# comment',
      'NAME="Example \\"Linux\\""',
      "VERSION='1 (one)'",
      'ID=example',
      'junk line',
      'lower=ignored',
      'ID=second',
      'EMPTY=',
      'PRICE="\\$5 \\\\ \\`x\\`"',
    ].join('\n');

    const fields = parseOsRelease(text);

    expect(fields).toEqual({ NAME: 'Example "Linux"', VERSION: '1 (one)', ID: 'example', EMPTY: '', PRICE: '$5 \\ `x`' });
  });

  it.each([
    ['debian-12', { id: 'debian', versionId: '12', codename: 'bookworm', family: 'debian' }],
    ['ubuntu-22.04', { id: 'ubuntu', idLike: ['debian'], versionId: '22.04', codename: 'jammy', family: 'debian' }],
    ['rocky-9', { id: 'rocky', idLike: ['rhel', 'centos', 'fedora'], versionId: '9.4', family: 'rhel' }],
    ['fedora-40', { id: 'fedora', versionId: '40', family: 'rhel' }],
    ['amazon-linux-2023', { id: 'amzn', idLike: ['fedora'], versionId: '2023', family: 'rhel' }],
    ['alpine-3.20', { id: 'alpine', versionId: '3.20.1', prettyName: 'Alpine Linux v3.20', family: 'alpine' }],
    ['opensuse-leap-15.6', { id: 'opensuse-leap', idLike: ['suse', 'opensuse'], versionId: '15.6', family: 'suse' }],
  ])('identifies %s', (fixture, expected) => {
    const identity = osIdentity(parseOsRelease(sectionOutput(fixture, 'os-release')));

    expect(identity).toMatchObject(expected);
  });

  it('leaves out an empty codename', () => {
    const identity = osIdentity(parseOsRelease(sectionOutput('fedora-40', 'os-release')));

    expect(identity).not.toHaveProperty('codename');
  });

  it.each([
    ['sles', [], 'suse'],
    ['linuxmint', ['ubuntu', 'debian'], 'debian'],
    ['mydistro', ['rhel', 'fedora'], 'rhel'],
    ['arch', [], 'unknown'],
    ['', [], 'unknown'],
  ] as const)('maps ID %s with ID_LIKE %j to %s', (id, idLike, family) => {
    expect(osFamily(id, idLike)).toBe(family);
  });
});
