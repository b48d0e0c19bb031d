import { describe, expect, it } from 'vitest';

import { assertValidApk, compareApk, isValidApk } from '../../../src/lib/versions/apk.js';
import { InvalidVersionError } from '../../../src/lib/versions/common.js';

const OP = { '<': -1, '=': 0, '>': 1 } as const;

// Rows from apk-tools' version test data (test/version.data, now
// test/unit/version.data), one per rule they exercise.
const ROWS = `
2.34 > 0.1.0_alpha
23_foo > 4_beta
1.0 < 1.0bc
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
1.0.4-r3 < 1.0.4-r4
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.3_alpha < 1.3_alpha2
0.8_beta1 < 0.8_beta2
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
0.12.3 > 0.12
1.2.11 < 1.2.12.1
3.1_p16 < 3.1_p17
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
2.01.01_alpha10 > 0.94
1.0 > 0.99.3.20040818
1.39 > 1.00_beta2
4.2.52_p2-r1 < 4.2.52_p4-r2
2.18.3-r10 > 1.05-r18
1.05-r18 < 1.05-r19
2.8 < 2.20.1
1.0.0 < 10-r1
20060720 > 3.0.20060720
2.5.1-r8 < 2.5.1a-r1
1.3.5-r10 > 1.3.5-r8
20040401 > 2.0.0_rc3-r1
3.0.0-r2 < 021109-r3
0.9.16-r1 < 3.9_pre20060124
1.1.7 < 6b-r7
0.10.0 < 0.10.1_rc1
1.1a < 1.3a
0.15.1b-r2 > 0.15.1b
22.7.3-r1 > 22.7
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
1.2.07.8 < 1.2.12.04
1.2.12.04 < 1.2.12.05
1.07.5 > 1.07
0.59s-r11 < 0.65
0.20070118 < 0.20070207_rc1
4.5_p1-r1 > 4.5_p1
0.9.8c-r1 < 0.9.8d
2.2.3-r2 < 013
013 < 014-r1
1.7 < 1.7b
1.8.5 < 1.8.5_p2
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
1.6.8_p12-r1 > 1.6.8_p9-r2
0.9.28.1 < 087-r1
104-r11 > 104-r9
2.12r-r4 < 2.12r-r5
7.0.17 < 7.0.174
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
6.0_pre1 < 6.0
6.0_p1 > 6.0
8.2.0 < 8.2.001
8.2.0015 < 8.2.002
1.0~1234 < 1.0~2345
1.0~1234-r1 < 1.0~2345-r0
1.0~1234-r1 > 1.0~1234-r0
`
  .trim()
  .split('\n')
  .map((line) => {
    const [a, op, b] = line.split(' ') as [string, keyof typeof OP, string];
    return [a, op, b] as const;
  });

describe('src/lib/versions/apk', () => {
  describe('compareApk (apk-tools version.data)', () => {
    it.each(ROWS)('%s %s %s', (a, op, b) => {
      const forward = compareApk(a, b);
      const backward = compareApk(b, a);

      expect(forward).toBe(OP[op]);
      expect(backward).toBe(-OP[op] || 0);
    });
  });

  describe('compareApk (the rules palisade relies on)', () => {
    it.each([
      // Every pre-release suffix sorts before the release, every post-release one after.
      ['1.2.3_alpha', '1.2.3_beta', -1],
      ['1.2.3_beta', '1.2.3_pre', -1],
      ['1.2.3_pre', '1.2.3_rc', -1],
      ['1.2.3_rc1', '1.2.3', -1],
      ['1.2.3', '1.2.3_cvs', -1],
      ['1.2.3_cvs', '1.2.3_svn', -1],
      ['1.2.3_svn', '1.2.3_git', -1],
      ['1.2.3_git', '1.2.3_hg', -1],
      ['1.2.3_hg', '1.2.3_p', -1],
      ['1.2.3_rc1-r0', '1.2.3-r0', -1],
      // Revisions compare as numbers.
      ['9.7_p1-r4', '9.7_p1-r10', -1],
      ['9.7_p1-r3', '9.7_p1-r4', -1],
      ['9.7_p1', '9.7_p1-r0', -1],
      // A letter after the digits is a later version.
      ['1.2a', '1.2', 1],
      ['1.2a', '1.2b', -1],
      ['1.2a', '1.2.1', -1],
      // Digits after a dot with a leading zero compare as strings.
      ['1.02', '1.1', -1],
      ['1.010', '1.09', -1],
      // The first digit run always compares as a number.
      ['010', '9', 1],
      // A commit hash compares as a string and sits between the suffixes and the revision.
      ['1.0_git20240101~abc-r0', '1.0_git20240101~abd-r0', -1],
      ['1.0~abc-r1', '1.0~abc-r2', -1],
    ] as const)('%s vs %s is %i', (a, b, expected) => {
      const forward = compareApk(a, b);
      const backward = compareApk(b, a);

      expect(forward).toBe(expected);
      expect(backward).toBe(-expected || 0);
    });
  });

  describe('isValidApk (apk-tools version.data validity rows)', () => {
    it.each(['1.2', '0.1_pre2', '0.1_pre2~1234abcd', '0.1_p1_pre2', '0.1_alpha1_pre2', '0.1_git20240101_pre1', '9.7_p1-r4'])(
      'accepts %j',
      (version) => {
        const valid = isValidApk(version);

        expect(valid).toBe(true);
      },
    );

    it.each([
      '',
      '0.1bc',
      '0.1bc1',
      '0.1a1',
      '0.1a.1',
      '0.1_pre2~',
      '0.1_pre2~1234xbcd',
      '0.1_pre2~1234abcd_pre1',
      '0.1_pre2-r1~1234xbcd',
      '0.1_foobar',
      '0.1_foobar1',
      '0.1-pre1.1',
      '0.1-r',
      '0.1-r2_pre1',
      '0.1-r2_p3_pre1',
      '0.1-r2-r3',
      '0.1-r2.1',
      '.1',
      'a',
      '_pre1',
      '-r1',
      '0.1_',
      '0.1_-r0',
      '0.1__alpha',
      '0.1_1_alpha',
    ])('refuses %j', (version) => {
      const valid = isValidApk(version);
      const asserting = () => assertValidApk(version);

      expect(valid).toBe(false);
      expect(asserting).toThrow(InvalidVersionError);
    });
  });
});
