import { describe, expect, it } from 'vitest';

import { InvalidVersionError } from '../../../src/lib/versions/common.js';
import {
  compareDpkg,
  compareDpkgVersions,
  isValidDpkg,
  parseDpkg,
} from '../../../src/lib/versions/dpkg.js';
import type { DpkgVersion } from '../../../src/lib/versions/dpkg.js';

function v(epoch: number, upstream: string, revision: string): DpkgVersion {
  return { epoch, upstream, revision };
}

// dpkg_version_blank: epoch 0, no version, no revision.
const BLANK = v(0, '', '');

describe('src/lib/versions/dpkg', () => {
  describe('compareDpkgVersions (lib/dpkg/t/t-version.c test_version_compare)', () => {
    it.each([
      [BLANK, BLANK, 0],
      [{ ...BLANK, epoch: 1 }, { ...BLANK, epoch: 2 }, -1],
      [v(0, '1', '1'), v(0, '2', '1'), -1],
      [v(0, '1', '1'), v(0, '1', '2'), -1],
      [v(0, '0', '0'), v(0, '0', '0'), 0],
      [v(0, '0', '00'), v(0, '00', '0'), 0],
      [v(1, '2', '3'), v(1, '2', '3'), 0],
      [v(0, '0', '0'), v(1, '0', '0'), -1],
      [v(1, '0', '0'), v(0, '0', '0'), 1],
      [v(0, 'a', '0'), v(0, 'b', '0'), -1],
      [v(0, 'b', '0'), v(0, 'a', '0'), 1],
      [v(0, '0', 'a'), v(0, '0', 'b'), -1],
      [v(0, '0', 'b'), v(0, '0', 'a'), 1],
    ] as const)('%o vs %o is %i', (a, b, expected) => {
      const result = compareDpkgVersions(a, b);

      expect(result).toBe(expected);
    });
  });

  describe('parseDpkg (lib/dpkg/t/t-version.c test_version_parse)', () => {
    it.each([
      ['0', v(0, '0', '')],
      ['0:0', v(0, '0', '')],
      ['0:0-0', v(0, '0', '0')],
      ['0:0.0-0.0', v(0, '0.0', '0.0')],
      ['1:0', v(1, '0', '')],
      ['5:1', v(5, '1', '')],
      // The revision starts after the LAST hyphen; the epoch ends at the FIRST colon.
      ['0:0-0-0', v(0, '0-0', '0')],
      ['0:0-0-0-0', v(0, '0-0-0', '0')],
      ['0:0:0-0', v(0, '0:0', '0')],
      ['0:0:0:0-0', v(0, '0:0:0', '0')],
      ['0:0:0-0-0', v(0, '0:0-0', '0')],
      ['0:0-0:0-0', v(0, '0-0:0', '0')],
      ['0:09azAZ.-+~:-0', v(0, '09azAZ.-+~:', '0')],
      ['0:0-azAZ09.+~', v(0, '0', 'azAZ09.+~')],
      ['  \t0:0-1', v(0, '0', '1')],
      ['0:0-1\t  ', v(0, '0', '1')],
      ['\t  0:0-1  \t', v(0, '0', '1')],
      ['2147483647:1', v(2147483647, '1', '')],
      ['-0:1', v(0, '1', '')],
    ])('parses %j', (text, expected) => {
      const parsed = parseDpkg(text);

      expect(parsed).toEqual(expected);
    });

    it.each([
      ['', 'version string is empty'],
      ['  ', 'version string is empty'],
      ['0:', 'nothing after colon in version number'],
      [':1.0', 'epoch in version is empty'],
      ['1.0-', 'revision number is empty'],
      ['0:0 0-1', 'version string has embedded spaces'],
      ['-1:0-1', 'epoch in version is negative'],
      ['999999999999999999999999:0-1', 'epoch in version is too big'],
      ['2147483648:1', 'epoch in version is too big'],
      ['a:0-0', 'epoch in version is empty'],
      ['A:0-0', 'epoch in version is empty'],
      ['1a:0-0', 'epoch in version is not number'],
      ['-0', 'version number is empty'],
      ['0:-0', 'version number is empty'],
    ])('refuses %j even when not strict (%s)', (text, reason) => {
      const parsing = () => parseDpkg(text, { strict: false });

      expect(parsing).toThrow(InvalidVersionError);
      expect(parsing).toThrow(expect.objectContaining({ format: 'dpkg', version: text, reason }) as Error);
    });

    const upstreamChars = [...'!#@$%&/|\\<>()[]{};,_=*^\''].map((c) => [`0:0${c}-0`, 'invalid character in version number']);
    const revisionChars = [...'!#@$%&/|\\<>()[]{}:;,_=*^\''].map((c) => [`0:0-0${c}`, 'invalid character in revision number']);
    it.each([['0:abc3-0', 'version number does not start with digit'], ...upstreamChars, ...revisionChars])(
      'refuses %j when strict, accepts it otherwise (%s)',
      (text, reason) => {
        const strict = () => parseDpkg(text as string);
        const lenient = () => parseDpkg(text as string, { strict: false });

        expect(strict).toThrow(expect.objectContaining({ reason }) as Error);
        expect(lenient).not.toThrow();
        expect(isValidDpkg(text as string)).toBe(false);
      },
    );
  });

  describe('compareDpkg (scripts/t/Dpkg_Version.t data, checked against dpkg --compare-versions)', () => {
    it.each([
      ['1.0-1', '2.0-2', -1],
      ['2.2~rc-4', '2.2-1', -1],
      ['2.2-1', '2.2~rc-4', 1],
      ['1.0000-1', '1.0-1', 0],
      ['1', '0:1', 0],
      ['0', '0:0-0', 0],
      ['2:2.5', '1:7.5', 1],
      ['1:0foo', '0foo', 1],
      ['0:0foo', '0foo', 0],
      ['0foo', '0foo', 0],
      ['0foo', '0fo', 1],
      ['0foo~1', '0foo', -1],
      ['0foo~foo+Bar', '0foo~foo+bar', -1],
      ['0foo~~', '0foo~', -1],
      ['1~', '1', -1],
      ['12345+that-really-is-some-ver-0', '12345+that-really-is-some-ver-10', -1],
      ['0foo-0', '0foo-01', -1],
      ['0foo.bar', '0foobar', 1],
      ['0foo.bar', '0foo1bar', 1],
      ['0foo.bar', '0foo0bar', 1],
      ['0foo1bar-1', '0foobar-1', -1],
      ['0foo2.0', '0foo2', 1],
      ['0foo2.0.0', '0foo2.10.0', -1],
      ['0foo2.0', '0foo2.0.0', -1],
      ['0foo2.0', '0foo2.10', -1],
      ['0foo2.1', '0foo2.10', -1],
      ['1.09', '1.9', 0],
      ['1.0.8+nmu1', '1.0.8', 1],
      ['3.11', '3.10+nmu1', 1],
      ['0.9j-20080306-4', '0.9i-20070324-2', 1],
      ['1.2.0~b7-1', '1.2.0~b6-1', 1],
      ['1.011-1', '1.06-2', 1],
      ['0.0.9+dfsg1-1', '0.0.8+dfsg1-3', 1],
      ['4.6.99+svn6582-1', '4.6.99+svn6496-1', 1],
      ['53', '52', 1],
      ['0.9.9~pre122-1', '0.9.9~pre111-1', 1],
      ['2:2.3.2-2+lenny2', '2:2.3.2-2', 1],
      ['1:3.8.1-1', '3.8.GA-1', 1],
      ['1.0.1+gpl-1', '1.0.1-2', 1],
      ['1a', '1000a', -1],
    ] as const)('%s vs %s is %i (and the reverse is its opposite)', (a, b, expected) => {
      const forward = compareDpkg(a, b);
      const backward = compareDpkg(b, a);

      expect(forward).toBe(expected);
      expect(backward).toBe(-expected || 0);
    });

    // Dpkg_Version.t also lists these, for the Perl module; dpkg itself refuses them.
    it.each([
      ['0foo-', '0foo'],
      ['0foo-', '0foo+'],
      ['-0.6.5', '0.9.1'],
    ])('refuses %s vs %s as dpkg --compare-versions does', (a, b) => {
      const comparing = () => compareDpkg(a, b);

      expect(comparing).toThrow(InvalidVersionError);
    });
  });

  describe('compareDpkg (deb-version(7) ordering rules)', () => {
    it.each([
      // `~` sorts before everything, even the end of a part.
      ['1.0~rc1', '1.0', -1],
      ['1.0~rc1', '1.0~rc2', -1],
      ['1.0~~', '1.0~', -1],
      ['1.0~~', '1.0~~a', -1],
      ['1.0~~a', '1.0~', -1],
      ['1.0~', '1.0', -1],
      ['1.0', '1.0a', -1],
      ['1.0-1~bpo12+1', '1.0-1', -1],
      // Letters sort before every other non-digit; `+` before `.`.
      ['1.0a', '1.0+', -1],
      ['1.0+1', '1.0.1', -1],
      ['1.0+dfsg-1', '1.0-1', 1],
      // Epochs dominate and default to 0.
      ['1:0.1', '0:9.9', 1],
      ['2:1.0', '1:9.9', 1],
      ['0:1.0', '1.0', 0],
      ['10:1', '9:1', 1],
      // Revisions: split at the last hyphen, compared like upstream versions.
      ['1.0-1', '1.0-1.1', -1],
      ['1.2.3-4+deb12u1', '1.2.3-4', 1],
      ['1.2.3-4+deb12u10', '1.2.3-4+deb12u9', 1],
      ['2.36-9+deb12u10', '2.36-9+deb12u3', 1],
      ['1.0-1', '1.0', 1],
      // Digit parts compare numerically; leading zeros do not count.
      ['1.001', '1.1', 0],
      ['1.010', '1.9', 1],
      ['1.18446744073709551616', '1.18446744073709551615', 1],
    ] as const)('%s vs %s is %i', (a, b, expected) => {
      const forward = compareDpkg(a, b);
      const backward = compareDpkg(b, a);

      expect(forward).toBe(expected);
      expect(backward).toBe(-expected || 0);
    });

    it('tolerates what dpkg only warns about, as dpkg --compare-versions does', () => {
      const result = compareDpkg('1_0', '1.0');

      expect(result).toBe(1);
    });
  });
});
