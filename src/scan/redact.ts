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

interface Shape {
  kind: SecretKind;
  pattern: RegExp;
}

/**
 * Secrets recognised by their shape wherever they appear, most specific
 * first. A PEM block is cut from its BEGIN line to its END line, or to the
 * end of the text when the END line is missing (a truncated label).
 */
const SHAPES: readonly Shape[] = [
  {
    kind: 'private-key',
    pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?(?:-----)?[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g },
  { kind: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'stripe-key', pattern: /\b[sr]k_(?:live|test)_[0-9A-Za-z]{10,}/g },
  // DER in base64 (`MII...`): the body of a key whose BEGIN line was cut off.
  { kind: 'key-material', pattern: /\bMII[A-Za-z0-9+/]{60,}(?:\s+[A-Za-z0-9+/]{20,})*={0,2}/g },
];

// Names and schemes are bounded so that no pattern is quadratic on a long value.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^/\s:@]{1,256}):([^/\s@]{1,1024})@/gi;
/** A 40-character AWS secret access key after a name that says so. */
const AWS_SECRET_IN_CONTEXT = /(aws[A-Za-z0-9_.-]{0,64}?(?:secret|key)[A-Za-z0-9_.-]{0,64}["']?\s*[=:]\s*["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;
const BEARER = /\b(Bearer\s+)(?!\[redacted: )[A-Za-z0-9._~+/-]{8,}=*/g;
const INLINE_SECRET =
  /\b([A-Za-z0-9_.-]{0,64}?(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential)[A-Za-z0-9_.-]{0,64})(\s*[=:]\s*)(?!\[redacted: )([^\s,;'"&]+)/gi;

// Messages repeat across workloads (the same reason or title for a thousand
// services): the answers for short texts are kept, bounded (at most about
// 10 MB), since redaction is a pure function of the text.
const TEXT_CACHE = new Map<string, string>();
const TEXT_CACHE_ENTRIES = 5_000;
const TEXT_CACHE_MAX_CHARS = 2_048;

/** Free text with every secret of a known shape, URL password and `NAME=secret` assignment replaced by a marker. */
export function redactText(text: string): string {
  if (text.length > TEXT_CACHE_MAX_CHARS) return redactUncached(text);
  let out = TEXT_CACHE.get(text);
  if (out === undefined) {
    out = redactUncached(text);
    if (TEXT_CACHE.size >= TEXT_CACHE_ENTRIES) TEXT_CACHE.clear();
    TEXT_CACHE.set(text, out);
  }
  return out;
}

function redactUncached(text: string): string {
  let out = text;
  for (const shape of SHAPES) out = out.replace(shape.pattern, redactedMarker(shape.kind));
  return out
    .replace(URL_CREDENTIALS, (m, scheme: string, user: string, pass: string) =>
      isRedacted(pass) ? m : `${scheme}${user}:${redactedMarker('url-password')}@`,
    )
    .replace(AWS_SECRET_IN_CONTEXT, (_m, lead: string) => `${lead}${redactedMarker('aws-secret-key')}`)
    .replace(BEARER, (_m, lead: string) => `${lead}${redactedMarker('bearer-token')}`)
    .replace(INLINE_SECRET, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
}

/** A value under a name: all of it redacted when the name says secret, else as free text. */
export function redactNamed(name: string, value: string): string {
  if (value === '' || isRedacted(value)) return value;
  if (looksLikeSecretName(name)) return REDACTED;
  if (/aws/i.test(name) && AWS_SECRET_VALUE.test(value)) return redactedMarker('aws-secret-key');
  return redactText(value);
}

/** Deep copy of `value` with secret-looking keys' values and inline secrets redacted; keys are redacted as text. */
export function redactValue(value: unknown, keyHint?: string): unknown {
  if (typeof value === 'string') return keyHint !== undefined ? redactNamed(keyHint, value) : redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, keyHint));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[uniqueKey(out, redactText(k))] = redactValue(v, k);
    return out;
  }
  return value;
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

function redactFindingLike(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return redactValue(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (OWN_FINDING_FIELDS.has(k)) out[k] = v;
    else if (k === 'evidence' || k === 'labels') out[k] = redactValue(v);
    else out[k] = redactStructural(v);
  }
  return out;
}

/** Strings redacted as text; field names of palisade's own model never hint at a secret. */
function redactStructural(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactStructural);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = k === 'labels' || k === 'evidence' ? redactValue(v) : redactStructural(v);
    return out;
  }
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
