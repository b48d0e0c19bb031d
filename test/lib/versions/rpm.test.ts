import { describe, expect, it } from 'vitest';

import { InvalidVersionError } from '../../../src/lib/versions/common.js';
import { compareEvr, parseEvr, rpmvercmp } from '../../../src/lib/versions/rpm.js';

describe('src/lib/versions/rpm', () => {
  describe('rpmvercmp (rpm tests/rpmvercmp.at)', () => {
    it.each([
      ['1.0', '1.0', 0],
      ['1.0', '2.0', -1],
      ['2.0', '1.0', 1],
      ['2.0.1', '2.0.1', 0],
      ['2.0', '2.0.1', -1],
      ['2.0.1', '2.0', 1],
      ['2.0.1a', '2.0.1a', 0],
      ['2.0.1a', '2.0.1', 1],
      ['2.0.1', '2.0.1a', -1],
      ['5.5p1', '5.5p1', 0],
      ['5.5p1', '5.5p2', -1],
      ['5.5p2', '5.5p1', 1],
      ['5.5p10', '5.5p10', 0],
      ['5.5p1', '5.5p10', -1],
      ['5.5p10', '5.5p1', 1],
      ['10xyz', '10.1xyz', -1],
      ['10.1xyz', '10xyz', 1],
      ['xyz10', 'xyz10', 0],
      ['xyz10', 'xyz10.1', -1],
      ['xyz10.1', 'xyz10', 1],
      ['xyz.4', 'xyz.4', 0],
      ['xyz.4', '8', -1],
      ['8', 'xyz.4', 1],
      ['xyz.4', '2', -1],
      ['2', 'xyz.4', 1],
      ['5.5p2', '5.6p1', -1],
      ['5.6p1', '5.5p2', 1],
      ['5.6p1', '6.5p1', -1],
      ['6.5p1', '5.6p1', 1],
      ['6.0.rc1', '6.0', 1],
      ['6.0', '6.0.rc1', -1],
      ['10b2', '10a1', 1],
      ['10a2', '10b2', -1],
      ['1.0aa', '1.0aa', 0],
      ['1.0a', '1.0aa', -1],
      ['1.0aa', '1.0a', 1],
      ['10.0001', '10.0001', 0],
      ['10.0001', '10.1', 0],
      ['10.1', '10.0001', 0],
      ['10.0001', '10.0039', -1],
      ['10.0039', '10.0001', 1],
      ['4.999.9', '5.0', -1],
      ['5.0', '4.999.9', 1],
      ['20101121', '20101121', 0],
      ['20101121', '20101122', -1],
      ['20101122', '20101121', 1],
      ['2_0', '2_0', 0],
      ['2.0', '2_0', 0],
      ['2_0', '2.0', 0],
      // RhBug:178798
      ['a', 'a', 0],
      ['a+', 'a+', 0],
      ['a+', 'a_', 0],
      ['a_', 'a+', 0],
      ['+a', '+a', 0],
      ['+a', '_a', 0],
      ['_a', '+a', 0],
      ['+_', '+_', 0],
      ['_+', '+_', 0],
      ['_+', '_+', 0],
      ['+', '_', 0],
      ['_', '+', 0],
      // Tilde: pre-releases sort first.
      ['1.0~rc1', '1.0~rc1', 0],
      ['1.0~rc1', '1.0', -1],
      ['1.0', '1.0~rc1', 1],
      ['1.0~rc1', '1.0~rc2', -1],
      ['1.0~rc2', '1.0~rc1', 1],
      ['1.0~rc1~git123', '1.0~rc1~git123', 0],
      ['1.0~rc1~git123', '1.0~rc1', -1],
      ['1.0~rc1', '1.0~rc1~git123', 1],
      // Caret: snapshots after the base version, before any further segment.
      ['1.0^', '1.0^', 0],
      ['1.0^', '1.0', 1],
      ['1.0', '1.0^', -1],
      ['1.0^git1', '1.0^git1', 0],
      ['1.0^git1', '1.0', 1],
      ['1.0', '1.0^git1', -1],
      ['1.0^git1', '1.0^git2', -1],
      ['1.0^git2', '1.0^git1', 1],
      ['1.0^git1', '1.01', -1],
      ['1.01', '1.0^git1', 1],
      ['1.0^20160101', '1.0^20160101', 0],
      ['1.0^20160101', '1.0.1', -1],
      ['1.0.1', '1.0^20160101', 1],
      ['1.0^20160101^git1', '1.0^20160101^git1', 0],
      ['1.0^20160102', '1.0^20160101^git1', 1],
      ['1.0^20160101^git1', '1.0^20160102', -1],
      // Tilde and caret together.
      ['1.0~rc1^git1', '1.0~rc1^git1', 0],
      ['1.0~rc1^git1', '1.0~rc1', 1],
      ['1.0~rc1', '1.0~rc1^git1', -1],
      ['1.0^git1~pre', '1.0^git1~pre', 0],
      ['1.0^git1', '1.0^git1~pre', 1],
      ['1.0^git1~pre', '1.0^git1', -1],
      // The "oddities" rpmvercmp.at documents as current behaviour (RhBug:811992).
      ['1b.fc17', '1b.fc17', 0],
      ['1b.fc17', '1.fc17', -1],
      ['1.fc17', '1b.fc17', 1],
      ['1g.fc17', '1g.fc17', 0],
      ['1g.fc17', '1.fc17', 1],
      ['1.fc17', '1g.fc17', -1],
      // Non-ASCII characters are separators, so these all compare equal.
      ['1.1.α', '1.1.α', 0],
      ['1.1.α', '1.1.β', 0],
      ['1.1.β', '1.1.α', 0],
      ['1.1.αα', '1.1.α', 0],
      ['1.1.α', '1.1.ββ', 0],
      ['1.1.ββ', '1.1.αα', 0],
    ] as const)('rpmvercmp(%s, %s) = %i', (a, b, expected) => {
      const result = rpmvercmp(a, b);

      expect(result).toBe(expected);
    });

    it('compares digit runs longer than any integer type', () => {
      const result = rpmvercmp('1.100000000000000000000000000001', '1.99999999999999999999999999999');

      expect(result).toBe(1);
    });
  });

  describe('parseEvr (rpmver.c parseEVR)', () => {
    it.each([
      ['1.0', { version: '1.0' }],
      ['1.0-1.el9', { version: '1.0', release: '1.el9' }],
      ['1:3.0.7-27.el9', { epoch: '1', version: '3.0.7', release: '27.el9' }],
      ['0:8.7p1-38.el9_4.1', { epoch: '0', version: '8.7p1', release: '38.el9_4.1' }],
      [':1.0-1', { epoch: '0', version: '1.0', release: '1' }],
      ['1.0-rc1-2', { version: '1.0-rc1', release: '2' }],
      ['1-2', { version: '1', release: '2' }],
    ])('splits %j', (text, expected) => {
      const evr = parseEvr(text);

      expect(evr).toEqual(expected);
    });

    it('refuses the empty string', () => {
      const parsing = () => parseEvr('');

      expect(parsing).toThrow(InvalidVersionError);
    });
  });

  describe('compareEvr (rpmver.c rpmverCmp)', () => {
    it.each([
      ['1:1.0-1', '2.0-1', 1],
      ['0:1.0-1', '1.0-1', 0],
      [':1.0-1', '0:1.0-1', 0],
      ['01:1.0', '1:1.0', 0],
      ['10:1.0', '9:1.0', 1],
      ['1:3.0.7-27.el9', '3.0.7-27.el9', 1],
      ['1:3.0.7-25.el9_3', '1:3.0.7-27.el9', -1],
      ['1:3.0.7-28.el9', '1:3.0.7-27.el9', 1],
      ['8.7p1-38.el9_4.1', '0:8.7p1-38.el9_4.1', 0],
      ['8.7p1-38.el9', '8.7p1-38.el9_4.1', -1],
      ['8.7p1-38.el9_4.10', '8.7p1-38.el9_4.9', 1],
      ['8.7p1-37.el9_3.4', '8.7p1-38.el9_4.1', -1],
      // A missing release sorts before any release.
      ['1.0', '1.0-1', -1],
      ['1.0~rc1-1', '1.0-1', -1],
      ['1.0^git1-1', '1.0-9', 1],
    ] as const)('%s vs %s is %i', (a, b, expected) => {
      const forward = compareEvr(a, b);
      const backward = compareEvr(b, a);

      expect(forward).toBe(expected);
      expect(backward).toBe(-expected || 0);
    });
  });
});
