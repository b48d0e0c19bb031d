// Last line of defence before a report: values that look like secrets never
// leave palisade. Facts already omit env values and process arguments; this
// covers labels, evidence, messages, errors and everything else a target or
// an input file can put into a report or an error message. A redacted value
// says what was there and where, never what it was: `[redacted: github-token]`.
import type { ScanResult } from '../model/report.js';

export type SecretKind =
  | 'secret'
  | 'url-password'
  | 'private-key'
  | 'key-material'
  | 'github-token'
  | 'aws-access-key-id'
  | 'aws-secret-key'
  | 'slack-token'
  | 'jwt'
  | 'google-api-key'
  | 'stripe-key'
  | 'bearer-token';

/** What stands in for a secret of `kind`. */
export function redactedMarker(kind: SecretKind): string {
  return `[redacted: ${kind}]`;
}

/** The marker for a value redacted because of its name. */
export const REDACTED = redactedMarker('secret');

const MARKER = /^\[redacted: [a-z-]+\]$/;

/** True for a value that is already a redaction marker. */
export function isRedacted(value: string): boolean {
  return MARKER.test(value);
}

const SECRET_NAME =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|private[-_]?key|access[-_]?key|credential|auth(?!ors?\b)|dsn|connection[-_]?string|session|cookie|signature|bearer)/i;

/** True when a variable, label or parameter name suggests its value is a secret. */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

interface Pattern {
  pattern: RegExp;
  /**
   * Text that every match of `pattern` contains (case aside). A text with no
   * pattern's hint is left as it is without running the patterns, so a
   * pattern's hint must never be narrower than the pattern.
   */
  hint: RegExp;
  replacement: string | ((match: string, ...groups: string[]) => string);
}

function shape(kind: SecretKind, pattern: RegExp, hint: RegExp): Pattern {
  return { pattern, hint, replacement: redactedMarker(kind) };
}

const AWS_KEY_ID_PREFIX = '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)';
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;

/**
 * Applied in this order. First the secrets recognised by their shape wherever
 * they appear, most specific first (a PEM block is cut from its BEGIN line to
 * its END line, or to the end of the text when the END line is missing: a
 * truncated label); then secrets recognised by what precedes them. Names and
 * schemes are bounded so that no pattern is quadratic on a long value.
 */
const PATTERNS: readonly Pattern[] = [
  shape('private-key', /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?(?:-----)?[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g, /-----BEGIN/),
  shape('github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, /gh[pousr]_|github_pat_/),
  shape('aws-access-key-id', new RegExp(`\\b${AWS_KEY_ID_PREFIX}[A-Z0-9]{16}\\b`, 'g'), new RegExp(AWS_KEY_ID_PREFIX)),
  shape('slack-token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, /xox[abprs]-/),
  shape('jwt', /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, /eyJ/),
  shape('google-api-key', /\bAIza[0-9A-Za-z_-]{35}/g, /AIza/),
  shape('stripe-key', /\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,}/g, /[sr]k_(?:live|test)_/),
  // DER in base64 (`MII...`): the body of a key whose BEGIN line was cut off.
  shape('key-material', /\bMII[A-Za-z0-9+/]{60,}(?:\s+[A-Za-z0-9+/]{20,})*={0,2}/g, /MII/),
  {
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^/\s:@]{1,256}):([^/\s@]{1,1024})@/gi,
    hint: /:\/\//,
    replacement: (m, scheme, user, pass) => (isRedacted(pass) ? m : `${scheme}${user}:${redactedMarker('url-password')}@`),
  },
  {
    // A 40-character AWS secret access key after a name that says so.
    pattern: /(aws[A-Za-z0-9_.-]{0,64}?(?:secret|key)[A-Za-z0-9_.-]{0,64}["']?\s*[=:]\s*["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    hint: /aws/,
    replacement: (_m, lead) => `${lead}${redactedMarker('aws-secret-key')}`,
  },
  {
    pattern: /\b(Bearer\s+)(?!\[redacted: )[A-Za-z0-9._~+/-]{8,}=*/g,
    hint: /Bearer/,
    replacement: (_m, lead) => `${lead}${redactedMarker('bearer-token')}`,
  },
  {
    pattern:
      /\b([A-Za-z0-9_.-]{0,64}?(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential)[A-Za-z0-9_.-]{0,64})(\s*[=:]\s*)(?!\[redacted: )([^\s,;'"&]+)/gi,
    // The name's word, the rest of the name (`pass` + `word` is 68 of these at most), then the separator.
    hint: /(?:pass|pwd|secret|token|key|credential)[A-Za-z0-9_.-]{0,68}\s*[=:]/,
    replacement: (_m, name, sep) => `${name}${sep}${REDACTED}`,
  },
];

/**
 * Matches every text in which some pattern could match: any pattern's hint,
 * case ignored (wider than the hints, never narrower). Most report text
 * (names, ids, messages) has none and is left as it is after one scan
 * instead of twelve.
 */
const MAY_HOLD_SECRET = new RegExp(PATTERNS.map((p) => p.hint.source).join('|'), 'i');

// Messages repeat across workloads (the same reason or title for a thousand
// services): the answers for short texts are kept, bounded (at most about
// 10 MB), since redaction is a pure function of the text.
const TEXT_CACHE = new Map<string, string>();
const TEXT_CACHE_ENTRIES = 5_000;
const TEXT_CACHE_MAX_CHARS = 2_048;

/** Free text with every secret of a known shape, URL password and `NAME=secret` assignment replaced by a marker. */
export function redactText(text: string): string {
  // No pattern can match: every replacement below would leave the text as it is.
  if (!MAY_HOLD_SECRET.test(text)) return text;
  if (text.length > TEXT_CACHE_MAX_CHARS) return redactEveryPattern(text);
  let out = TEXT_CACHE.get(text);
  if (out === undefined) {
    out = redactEveryPattern(text);
    if (TEXT_CACHE.size >= TEXT_CACHE_ENTRIES) TEXT_CACHE.clear();
    TEXT_CACHE.set(text, out);
  }
  return out;
}

/** redactText without the pre-test and the cache: every pattern run over the text (the tests compare the two). */
export function redactEveryPattern(text: string): string {
  let out = text;
  for (const { pattern, replacement } of PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

/** A value under a name: all of it redacted when the name says secret, else as free text. */
export function redactNamed(name: string, value: string): string {
  if (value === '' || isRedacted(value)) return value;
  if (looksLikeSecretName(name)) return REDACTED;
  if (/aws/i.test(name) && AWS_SECRET_VALUE.test(value)) return redactedMarker('aws-secret-key');
  return redactText(value);
}

/**
 * `value` with secret-looking keys' values and inline secrets redacted; keys
 * are redacted as text. What needs no change is shared, not copied (`value`
 * itself when nothing in it changes): a report of a thousand workloads holds
 * few secrets but hundreds of thousands of values.
 */
export function redactValue(value: unknown, keyHint?: string): unknown {
  if (typeof value === 'string') return keyHint !== undefined ? redactNamed(keyHint, value) : redactText(value);
  if (Array.isArray(value)) return redactList(value, (v) => redactValue(v, keyHint));
  if (value !== null && typeof value === 'object') return redactRecord(value, redactText, (k, v) => redactValue(v, k));
  return value;
}

/** `list` itself when `redact` changes no item, else a new array. */
function redactList(list: readonly unknown[], redact: (item: unknown) => unknown): unknown[] {
  return list.every((v) => redact(v) === v) ? (list as unknown[]) : list.map(redact);
}

function isPlainRecord(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `record` itself when no key or value changes (unless `copy`), else a plain
 * object of the redacted entries in the same order. Any other object (a class
 * instance) is always copied into a plain one, and a `__proto__` key always
 * takes the copying path, so the result is what copying every record gives.
 */
function redactRecord(
  record: object,
  redactKey: (key: string) => string,
  redactEntry: (key: string, value: unknown) => unknown,
  copy = false,
): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  const keys = Object.keys(source);
  let out: Record<string, unknown> | undefined = copy || !isPlainRecord(record) ? {} : undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = source[k];
    const key = redactKey(k);
    const redacted = redactEntry(k, v);
    if (out === undefined) {
      if (key === k && redacted === v && k !== '__proto__') continue;
      // The keys so far are unchanged and distinct: copied as they are.
      out = {};
      for (let j = 0; j < i; j++) out[keys[j] as string] = source[keys[j] as string];
    }
    // Kept keys stay distinct; redacted ones may meet another.
    out[redactKey === keep ? key : uniqueKey(out, key)] = redacted;
  }
  return out ?? source;
}

/** Two keys that redact to the same text both stay: the second gets ` #2`. */
function uniqueKey(record: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(record, key)) return key;
  let n = 2;
  while (Object.hasOwn(record, `${key} #${n}`)) n++;
  return `${key} #${n}`;
}

/** Labels with secret-looking values (and names) redacted. */
export function redactLabels(labels: Record<string, string>): Record<string, string> {
  return redactValue(labels) as Record<string, string>;
}

/** Finding fields written by palisade's own check metadata: never target data, left as they are. */
const OWN_FINDING_FIELDS: ReadonlySet<string> = new Set(['checkId', 'status', 'severity', 'layer', 'title', 'remediation', 'references', 'fingerprint']);

// Records of palisade's own model (findings, workloads, evidence, waivers) are
// always copied, the values inside them only when they change. A fresh copy
// is also a faster one to read: findings made by forty checks come with some
// fifty object shapes, which make every property read of a reporter a slow
// (megamorphic) one; their copies have one shape per set of fields.

function redactFindingLike(value: unknown): unknown {
  if (!isRecord(value)) return redactValue(value);
  return redactRecord(value, keep, (k, v) => (OWN_FINDING_FIELDS.has(k) ? v : k === 'evidence' || k === 'labels' ? redactTargetRecord(v) : redactStructural(v)), true);
}

function isRecord(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keep(key: string): string {
  return key;
}

/** redactValue, with the record itself always copied (what is inside it only when it changes). */
function redactTargetRecord(value: unknown): unknown {
  return isRecord(value) ? redactRecord(value, redactText, (k, v) => redactValue(v, k), true) : redactValue(value);
}

/** Strings redacted as text; field names of palisade's own model never hint at a secret. */
function redactStructural(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return redactList(value, redactStructural);
  if (isRecord(value)) return redactRecord(value, keep, (k, v) => (k === 'labels' || k === 'evidence' ? redactTargetRecord(v) : redactStructural(v)), true);
  return value;
}

/**
 * The scan as every reporter sees it: every string that can hold target or
 * input-file data redacted (names, images, labels, evidence, messages,
 * reasons, errors, warnings, waivers, baseline findings). The check catalogue
 * (`rules`) and the check metadata copied into findings are palisade's own
 * text and stay as they are.
 */
export function redactScan(scan: ScanResult): ScanResult {
  const findings = (list: ScanResult['findings']): ScanResult['findings'] => list.map((f) => redactFindingLike(f) as ScanResult['findings'][number]);
  const out: ScanResult = {
    ...(redactStructural({ ...scan, rules: [], findings: [], baseline: undefined }) as ScanResult),
    rules: scan.rules,
    findings: findings(scan.findings),
  };
  if (scan.baseline) {
    out.baseline = {
      source: redactText(scan.baseline.source),
      new: scan.baseline.new,
      unchanged: scan.baseline.unchanged,
      fixed: findings(scan.baseline.fixed),
      notEvaluated: scan.baseline.notEvaluated.map((n) => ({ finding: redactFindingLike(n.finding) as ScanResult['findings'][number], reason: redactText(n.reason) })),
    };
  } else delete out.baseline;
  return out;
}
