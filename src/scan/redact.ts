// Last line of defence before a report: values that look like secrets never
// leave palisade. Facts already omit env values and process arguments; this
// covers labels and any evidence a check builds from them.

const SECRET_NAME =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|private[-_]?key|access[-_]?key|credential|auth|dsn|connection[-_]?string|session|cookie|signature|bearer)/i;

export const REDACTED = '<redacted>';

/** True when a variable, label or parameter name suggests its value is a secret. */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

const INLINE_SECRET = /\b([A-Za-z0-9_.-]*?(?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential)[A-Za-z0-9_.-]*)\s*([=:])\s*([^\s,;'"&]+)/gi;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;

/** Replaces `NAME=value` secrets and URL credentials inside free text. */
export function redactText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
    .replace(INLINE_SECRET, (m, name: string, sep: string, value: string) =>
      value === REDACTED ? m : `${name}${sep}${REDACTED}`,
    );
}

/** Deep copy of `value` with secret-looking keys' values and inline secrets redacted. */
export function redactValue(value: unknown, keyHint?: string): unknown {
  if (typeof value === 'string') {
    if (keyHint !== undefined && looksLikeSecretName(keyHint) && value !== '' && value !== REDACTED) return REDACTED;
    return redactText(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, keyHint));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, k);
    return out;
  }
  return value;
}

/** Labels with secret-looking values redacted. */
export function redactLabels(labels: Record<string, string>): Record<string, string> {
  return redactValue(labels) as Record<string, string>;
}
