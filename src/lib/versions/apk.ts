// Alpine package versions as apk-tools parses and orders them (src/version.c
// of apk-tools 2.14 and 3.x, with its token_first/token_next/token_cmp state
// machine).
//
// Grammar: `digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-rN}`.
// Versions are compared token by token while both sides have the same kind of
// token. Digit runs compare as numbers, except that a run after a dot with a
// leading zero (`1.02`) compares as a string, like Gentoo's rule. Suffixes
// `_alpha` < `_beta` < `_pre` < `_rc` sort before the release and `_cvs` <
// `_svn` < `_git` < `_hg` < `_p` after it; `~hash` (a commit) compares as a
// string; `-rN` is the package revision. When one side runs out first, it is
// older, unless the other continues with a pre-release suffix.
import { InvalidVersionError } from './common.js';
import type { Ordering } from './common.js';

// Token kinds, in the order apk's grammar allows them to follow each other.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

// Suffix values; NONE is the pivot between pre- and post-release suffixes.
const SUFFIX_INVALID = 0;
const SUFFIX_NONE = 5;
const SUFFIXES: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};

interface TokenState {
  token: number;
  suffix: number;
  /** Digit runs as apk reads them: an unsigned 64-bit integer that wraps. */
  number: bigint;
  value: string;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  /** Consumes the longest run of characters matching `test`. */
  span(test: (c: string) => boolean): string {
    const start = this.pos;
    while (!this.done && test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f');

function parseDigits(t: TokenState, b: Cursor): void {
  t.value = b.span(isDigit);
  t.number = t.value === '' ? 0n : BigInt.asUintN(64, BigInt(t.value));
  if (t.value === '') t.token = INVALID;
}

function first(b: Cursor): TokenState {
  const t: TokenState = { token: INITIAL_DIGIT, suffix: SUFFIX_INVALID, number: 0n, value: '' };
  parseDigits(t, b);
  return t;
}

function next(t: TokenState, b: Cursor): void {
  if (b.done) {
    t.token = END;
    return;
  }
  const c = b.peek() as string;
  if (isLower(c)) {
    if (t.token > DIGIT) {
      t.token = INVALID;
      return;
    }
    t.value = c;
    t.token = LETTER;
    b.pos++;
    return;
  }
  if (c === '.' || isDigit(c)) {
    if (c === '.') {
      if (t.token > DIGIT) {
        t.token = INVALID;
        return;
      }
      b.pos++;
    }
    if (t.token === INITIAL_DIGIT || t.token === DIGIT) t.token = DIGIT;
    else if (t.token === SUFFIX) t.token = SUFFIX_NO;
    else {
      t.token = INVALID;
      return;
    }
    parseDigits(t, b);
    return;
  }
  if (c === '_') {
    if (t.token > SUFFIX_NO) {
      t.token = INVALID;
      return;
    }
    b.pos++;
    t.value = b.span(isLower);
    t.suffix = SUFFIXES[t.value] ?? SUFFIX_INVALID;
    t.token = t.suffix === SUFFIX_INVALID ? INVALID : SUFFIX;
    return;
  }
  if (c === '~') {
    if (t.token >= COMMIT_HASH) {
      t.token = INVALID;
      return;
    }
    b.pos++;
    t.value = b.span(isHex);
    t.token = t.value === '' ? INVALID : COMMIT_HASH;
    return;
  }
  if (c === '-') {
    if (t.token >= REVISION_NO || b.peek(1) !== 'r') {
      t.token = INVALID;
      return;
    }
    b.pos += 2;
    t.token = REVISION_NO;
    parseDigits(t, b);
    return;
  }
  t.token = INVALID;
}

/** apk_blob_sort: bytewise over the common length, then the shorter first. */
function stringSort(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenCompare(ta: TokenState, tb: TokenState): Ordering {
  switch (ta.token) {
    case DIGIT:
      if (ta.value.startsWith('0') || tb.value.startsWith('0')) return stringSort(ta.value, tb.value);
      return ta.number < tb.number ? -1 : ta.number > tb.number ? 1 : 0;
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return ta.number < tb.number ? -1 : ta.number > tb.number ? 1 : 0;
    case LETTER:
      return stringSort(ta.value, tb.value);
    case SUFFIX:
      return ta.suffix < tb.suffix ? -1 : ta.suffix > tb.suffix ? 1 : 0;
    default:
      return stringSort(ta.value, tb.value);
  }
}

/**
 * Orders two Alpine versions exactly as `apk version -t` does. Like apk, it
 * never throws: a version apk would call invalid is compared up to the point
 * where it stops parsing (see {@link isValidApk}).
 */
export function compareApk(a: string, b: string): Ordering {
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  const ta = first(ca);
  const tb = first(cb);
  while (ta.token === tb.token && ta.token < END) {
    const r = tokenCompare(ta, tb);
    if (r !== 0) return r;
    next(ta, ca);
    next(tb, cb);
  }
  if (ta.token === tb.token) return 0;
  if (ta.token === SUFFIX && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.token === SUFFIX && tb.suffix < SUFFIX_NONE) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}

/** apk_version_validate: whether apk accepts `text` as a version. */
export function isValidApk(text: string): boolean {
  const cursor = new Cursor(text);
  const t = first(cursor);
  while (t.token < END) next(t, cursor);
  return t.token === END;
}

/** Throws {@link InvalidVersionError} unless apk accepts `text` as a version. */
export function assertValidApk(text: string): void {
  if (!isValidApk(text)) throw new InvalidVersionError('apk', text, 'not a valid apk version');
}
