// Debian package versions as dpkg parses and orders them (deb-version(7);
// dpkg's lib/dpkg/parsehelp.c parseversion and lib/dpkg/version.c verrevcmp).
//
// `[epoch:]upstream[-revision]`: the epoch is everything before the first
// colon, the revision everything after the last hyphen. Upstream version and
// revision are compared alike: alternating non-digit and digit parts; in a
// non-digit part letters sort before every other character and `~` before
// everything, even the end of the part (so `1.0~rc1` < `1.0`); digit parts
// compare as numbers (leading zeros ignored). Comparison works on the UTF-8
// bytes, as dpkg does on the raw string.
import { InvalidVersionError, sign } from './common.js';
import type { Ordering } from './common.js';

export interface DpkgVersion {
  epoch: number;
  upstream: string;
  /** Empty when the version has no hyphen. */
  revision: string;
}

export interface ParseDpkgOptions {
  /**
   * Also reject what dpkg only warns about: an upstream version not starting
   * with a digit and characters outside deb-version(7)'s sets. Default true.
   * `dpkg --compare-versions` tolerates these (it warns and compares), so
   * {@link compareDpkg} parses with `strict: false`.
   */
  strict?: boolean;
}

const INT_MAX = 2147483647n;
// strtol(3) as dpkg calls it on the epoch: leading white space, an optional
// sign, then digits, which must run exactly up to the first colon.
const STRTOL = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/;
const UPSTREAM_CHARS = /^[0-9A-Za-z.+~:-]*$/;
const REVISION_CHARS = /^[0-9A-Za-z.+~]*$/;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/**
 * Parses a Debian version. Throws {@link InvalidVersionError} with dpkg's own
 * wording for the errors dpkg refuses outright (empty, embedded blanks, bad
 * epoch, nothing after the colon, empty revision, empty upstream version) and,
 * unless `strict` is false, for the ones dpkg warns about.
 */
export function parseDpkg(text: string, options: ParseDpkgOptions = {}): DpkgVersion {
  const strict = options.strict ?? true;
  const fail = (reason: string): never => {
    throw new InvalidVersionError('dpkg', text, reason);
  };

  let start = 0;
  while (start < text.length && isBlank(text[start])) start++;
  if (start === text.length) fail('version string is empty');
  let end = start;
  while (end < text.length && !isBlank(text[end])) end++;
  let after = end;
  while (after < text.length && isBlank(text[after])) after++;
  if (after < text.length) fail('version string has embedded spaces');

  let body = text.slice(start, end);
  let epoch = 0;
  const colon = body.indexOf(':');
  if (colon >= 0) {
    const parsed = STRTOL.exec(body);
    if (!parsed) fail('epoch in version is empty');
    const [whole, minus, digits] = parsed as RegExpExecArray & [string, string, string];
    if (whole.length !== colon) fail('epoch in version is not number');
    const value = BigInt(digits);
    // strtol saturates at LONG_MIN for a huge negative number, which dpkg then
    // reports as negative; "-0" converts to 0 and is accepted.
    if (minus === '-' && value !== 0n) fail('epoch in version is negative');
    if (value > INT_MAX) fail('epoch in version is too big');
    if (colon + 1 === body.length) fail('nothing after colon in version number');
    epoch = Number(value);
    body = body.slice(colon + 1);
  }

  let upstream = body;
  let revision = '';
  const hyphen = body.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = body.slice(0, hyphen);
    revision = body.slice(hyphen + 1);
    if (revision === '') fail('revision number is empty');
  }
  if (upstream === '') fail('version number is empty');

  if (strict) {
    if (!/^[0-9]/.test(upstream)) fail('version number does not start with digit');
    if (!UPSTREAM_CHARS.test(upstream)) fail('invalid character in version number');
    if (!REVISION_CHARS.test(revision)) fail('invalid character in revision number');
  }
  return { epoch, upstream, revision };
}

/** Whether dpkg accepts `text` without error or warning. */
export function isValidDpkg(text: string): boolean {
  try {
    parseDpkg(text);
    return true;
  } catch (error) {
    if (error instanceof InvalidVersionError) return false;
    throw error;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** The weight of one byte in a non-digit part; 0 stands for the end of the string. */
function order(c: number): number {
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 0x7e) return -1;
  if (c !== 0) return c + 256;
  return 0;
}

function verrevcmp(left: string, right: string): number {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  const at = (s: Buffer, k: number): number => (k < s.length ? (s[k] as number) : 0);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 0x30) i++;
    while (at(b, j) === 0x30) j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (firstDiff === 0) firstDiff = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** dpkg_version_compare: epochs numerically, then upstream versions, then revisions. */
export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): Ordering {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  const upstream = verrevcmp(a.upstream, b.upstream);
  if (upstream !== 0) return sign(upstream);
  return sign(verrevcmp(a.revision, b.revision));
}

/**
 * Orders two Debian version strings as `dpkg --compare-versions` does: what
 * dpkg only warns about is tolerated, what it refuses throws
 * {@link InvalidVersionError}.
 */
export function compareDpkg(a: string, b: string): Ordering {
  return compareDpkgVersions(parseDpkg(a, { strict: false }), parseDpkg(b, { strict: false }));
}
