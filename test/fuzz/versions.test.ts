// The three version orders stay total orders on generated versions:
// reflexive, antisymmetric, transitive, and "equal" is an equivalence (two
// equal versions compare the same against any third). Arbitrary strings
// either compare or raise InvalidVersionError, nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compareApk, compareDpkg, compareEvr, InvalidVersionError, type Ordering } from '../../src/lib/versions/index.js';
import { apkVersion, dpkgVersion, rpmVersion, RUNS, versionJunk } from './arbitraries.js';

type Compare = (a: string, b: string) => Ordering;

const ORDERS: [string, Compare, fc.Arbitrary<string>][] = [
  ['dpkg', compareDpkg, dpkgVersion],
  ['rpm', compareEvr, rpmVersion],
  ['apk', compareApk, apkVersion],
];

describe.each(ORDERS)('src/lib/versions (%s order)', (_name, compare, version) => {
  it('is reflexive', () => {
    fc.assert(
      fc.property(version, (a) => compare(a, a) === 0),
      RUNS,
    );
  });

  it('is antisymmetric', () => {
    fc.assert(
      fc.property(version, version, (a, b) => compare(a, b) === -compare(b, a) || (compare(a, b) === 0 && compare(b, a) === 0)),
      RUNS,
    );
  });

  it('is transitive, and equal versions compare alike against a third', () => {
    fc.assert(
      fc.property(fc.array(version, { minLength: 3, maxLength: 6 }), (list) => {
        const sorted = [...list].sort(compare);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++) {
            if (compare(sorted[i] as string, sorted[j] as string) > 0) return false;
          }
        }
        const [a, b, c] = list as [string, string, string];
        return compare(a, b) !== 0 || compare(a, c) === compare(b, c);
      }),
      RUNS,
    );
  });

  it('compares or refuses arbitrary strings with InvalidVersionError only', () => {
    fc.assert(
      fc.property(fc.oneof(version, versionJunk), fc.oneof(version, versionJunk), (a, b) => {
        try {
          expect([-1, 0, 1]).toContain(compare(a, b));
        } catch (error) {
          if (!(error instanceof InvalidVersionError)) throw error;
        }
      }),
      RUNS,
    );
  });
});
