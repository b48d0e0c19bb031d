import { describe, expect, it } from 'vitest';

import { compareVersions, InvalidVersionError, isValidVersion } from '../../../src/lib/versions/index.js';

describe('src/lib/versions/index', () => {
  it.each([
    // The same pair of strings orders differently under each package manager.
    ['dpkg', '1.0_rc1', '1.0', 1],
    ['rpm', '1.0_rc1', '1.0', 1],
    ['apk', '1.0_rc1', '1.0', -1],
    ['dpkg', '1.0-r10', '1.0-r9', 1],
    ['apk', '1.0-r10', '1.0-r9', 1],
    ['dpkg', '1:1.0', '2.0', 1],
    ['rpm', '1:1.0-1', '2.0-1', 1],
    ['dpkg', '1.0~rc1', '1.0', -1],
    ['rpm', '1.0~rc1', '1.0', -1],
    ['rpm', '1.0^git1', '1.0', 1],
  ] as const)('compareVersions(%s, %s, %s) is %i', (format, a, b, expected) => {
    const result = compareVersions(format, a, b);

    expect(result).toBe(expected);
  });

  it('throws InvalidVersionError for a version dpkg refuses', () => {
    const comparing = () => compareVersions('dpkg', '1.0-', '1.0');

    expect(comparing).toThrow(InvalidVersionError);
  });

  it.each([
    ['dpkg', '1:9.2p1-2+deb12u3', true],
    ['dpkg', 'abc', false],
    ['rpm', '1:3.0.7-27.el9', true],
    ['rpm', '', false],
    ['apk', '9.7_p1-r4', true],
    ['apk', '9.7p1-4', false],
  ] as const)('isValidVersion(%s, %j) is %s', (format, version, expected) => {
    const valid = isValidVersion(format, version);

    expect(valid).toBe(expected);
  });
});
