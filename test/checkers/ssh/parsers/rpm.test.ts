import { describe, expect, it } from 'vitest';

import { parseNevra, parseRpmQa, parseSourceRpm, rpmVersion } from '../../../../src/checkers/ssh/parsers/rpm.js';
import { sectionOutput } from '../fixtures.js';

describe('src/checkers/ssh/parsers/rpm', () => {
  it('reads rpm -qa with epochs and source rpms, skipping gpg-pubkey', () => {
    const packages = parseRpmQa(sectionOutput('rocky-9', 'packages-rpm'));

    expect(packages.find((p) => p.name === 'gpg-pubkey')).toBeUndefined();
    expect(packages.find((p) => p.name === 'openssl-libs')).toEqual({
      name: 'openssl-libs',
      sourceName: 'openssl',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
    });
    expect(packages.filter((p) => p.name === 'kernel-core').map((p) => p.version)).toEqual([
      '5.14.0-362.24.1.el9_3',
      '5.14.0-427.13.1.el9_4',
    ]);
  });

  it('takes the source name from a nosrc rpm', () => {
    const packages = parseRpmQa('(none)\tkernel-default\t6.4.0\t150600.23.7.3\tx86_64\tkernel-default-6.4.0-150600.23.7.3.nosrc.rpm\n');

    expect(packages).toEqual([{ name: 'kernel-default', sourceName: 'kernel-default', version: '6.4.0-150600.23.7.3', arch: 'x86_64' }]);
  });

  it.each([
    ['openssl-3.0.7-27.el9.src.rpm', { name: 'openssl', version: '3.0.7-27.el9' }],
    ['python3.9-3.9.16-1.amzn2023.0.7.src.rpm', { name: 'python3.9', version: '3.9.16-1.amzn2023.0.7' }],
    ['(none)', undefined],
  ])('parses source rpm %s', (text, expected) => {
    expect(parseSourceRpm(text)).toEqual(expected);
  });

  it.each([
    ['(none)', '1.0', '1', '1.0-1'],
    ['0', '1.0', '1', '1.0-1'],
    ['2', '9.1.393', '1.fc40', '2:9.1.393-1.fc40'],
  ])('writes epoch %s, version %s, release %s as %s', (epoch, version, release, expected) => {
    expect(rpmVersion(epoch, version, release)).toBe(expected);
  });

  it.each([
    ['openssl-libs-1:3.0.7-28.el9_4.x86_64', { name: 'openssl-libs', version: '1:3.0.7-28.el9_4', arch: 'x86_64' }],
    ['kernel-core-5.14.0-427.18.1.el9_4.x86_64', { name: 'kernel-core', version: '5.14.0-427.18.1.el9_4', arch: 'x86_64' }],
    ['tzdata-2024a-2.el9.noarch', { name: 'tzdata', version: '2024a-2.el9', arch: 'noarch' }],
    ['not-a-nevra', undefined],
    ['x-1.0-1.weird', undefined],
  ])('parses NEVRA %s', (text, expected) => {
    expect(parseNevra(text)).toEqual(expected);
  });
});
