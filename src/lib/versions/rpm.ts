// RPM version ordering as rpm implements it: rpmvercmp (rpmio/rpmvercmp.c)
// for one version or release string, and rpmverCmp over parsed
// `[epoch:]version[-release]` (rpmio/rpmver.c).
//
// rpmvercmp splits both strings into maximal runs of ASCII digits or ASCII
// letters; every other character only separates runs. `~` sorts before
// everything, even the end of the string (pre-releases: `1.0~rc1` < `1.0`);
// `^` sorts after the end of the string but before any further run
// (snapshots: `1.0` < `1.0^git1` < `1.0.1`). A numeric run beats an alphabetic
// one; numeric runs compare as numbers (leading zeros dropped, then longer
// wins, then bytewise); alphabetic runs bytewise. When every run matched, the
// string with characters left over is newer.
import { InvalidVersionError, sign } from './common.js';
import type { Ordering } from './common.js';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

function isSeparator(c: string | undefined): boolean {
  return c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** rpmvercmp(3): orders two version (or two release) strings. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;

    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }

    if (a[i] === '^' || b[j] === '^') {
      if (i === a.length) return -1;
      if (j === b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }

    if (i === a.length || j === b.length) break;

    const numeric = isDigit(a[i]);
    const inRun = numeric ? isDigit : isAlpha;
    let endA = i;
    while (inRun(a[endA])) endA++;
    let endB = j;
    while (inRun(b[endB])) endB++;
    // A numeric run against an alphabetic one: the numeric one is newer.
    if (endB === j) return numeric ? 1 : -1;

    let runA = a.slice(i, endA);
    let runB = b.slice(j, endB);
    if (numeric) {
      runA = runA.replace(/^0+/, '');
      runB = runB.replace(/^0+/, '');
      if (runA.length !== runB.length) return runA.length > runB.length ? 1 : -1;
    }
    const cmp = bytewise(runA, runB);
    if (cmp !== 0) return sign(cmp);
    i = endA;
    j = endB;
  }
  if (i === a.length && j === b.length) return 0;
  return i === a.length ? -1 : 1;
}

export interface RpmEvr {
  /** Absent when the string has no `epoch:` prefix; compared as `0`. */
  epoch?: string;
  version: string;
  /** Absent when the string has no hyphen; a missing release sorts before any release. */
  release?: string;
}

/**
 * Splits `[epoch:]version[-release]` as rpm's parseEVR does: the epoch is a
 * leading run of digits ended by a colon (`:1.0` has the empty epoch, read as
 * `0`), the release everything after the last hyphen.
 */
export function parseEvr(text: string): RpmEvr {
  if (text === '') throw new InvalidVersionError('rpm', text, 'version string is empty');
  let s = 0;
  while (isDigit(text[s])) s++;
  const hyphen = text.lastIndexOf('-');
  const se = hyphen >= s ? hyphen : -1;
  let epoch: string | undefined;
  let versionStart = 0;
  if (text[s] === ':') {
    epoch = s === 0 ? '0' : text.slice(0, s);
    versionStart = s + 1;
  }
  const version = se >= 0 ? text.slice(versionStart, se) : text.slice(versionStart);
  const evr: RpmEvr = { version };
  if (epoch !== undefined) evr.epoch = epoch;
  if (se >= 0) evr.release = text.slice(se + 1);
  return evr;
}

function compareValues(a: string | undefined, b: string | undefined): Ordering {
  if (a === undefined && b === undefined) return 0;
  if (b === undefined) return 1;
  if (a === undefined) return -1;
  return rpmvercmp(a, b);
}

/** rpmverCmp: epoch (missing = `0`), then version, then release, each with {@link rpmvercmp}. */
export function compareEvrParsed(a: RpmEvr, b: RpmEvr): Ordering {
  return (
    compareValues(a.epoch ?? '0', b.epoch ?? '0') ||
    compareValues(a.version, b.version) ||
    compareValues(a.release, b.release)
  );
}

/** Orders two `[epoch:]version[-release]` strings as rpm does. */
export function compareEvr(a: string, b: string): Ordering {
  return compareEvrParsed(parseEvr(a), parseEvr(b));
}
