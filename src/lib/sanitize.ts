// Output safety. Every value a target, an inventory or a policy supplies may
// have been written by an attacker; before it is shown it goes through one of
// the helpers here, one per kind of output. Nothing is silently dropped:
// what cannot be shown as it is is shown as a visible escape (`\x1b`,
// `\u202e`), so a reader sees that it was there.

/** What marks a cut value: `…(+123 chars)`. */
export function truncationMarker(hidden: number): string {
  return `…(+${hidden} chars)`;
}

/**
 * `value` cut to at most `max` code points, the marker included, when it is
 * longer. Cuts on code points so a surrogate pair is never split.
 */
export function truncate(value: string, max: number): string {
  if (!Number.isFinite(max) || value.length <= max) return value;
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  // The marker's length depends on the count it shows; two rounds settle it.
  let keep = Math.max(0, max - truncationMarker(chars.length).length);
  keep = Math.max(0, max - truncationMarker(chars.length - keep).length);
  return `${chars.slice(0, keep).join('')}${truncationMarker(chars.length - keep)}`;
}

/**
 * Characters a terminal (or a renderer) acts on instead of showing: C0
 * controls, DEL, C1 controls (U+0080-U+009F, among them the 8-bit CSI, OSC
 * and DCS introducers), line and paragraph separators, lone surrogates, and
 * format characters (general category Cf: bidirectional embeddings,
 * overrides and isolates, zero-width characters, the BOM, Unicode tags) that
 * reorder or hide text.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;

/**
 * Any character but printable ASCII: text without one holds nothing that any
 * helper here escapes (besides markup characters, which each checks for).
 * One scan of the usual report text instead of a replace per rule.
 */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One unsafe character as a visible escape: `\x1b` below U+0100, `\u202e` or `\u{e0041}` above. */
export function visibleEscape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

export interface EscapeOptions {
  /** Keep `\n` as a line break (multi-line text of palisade's own making). */
  newline?: boolean;
  /** Keep `\t` as it is. */
  tab?: boolean;
}

/**
 * Every control and invisible format character as a visible escape. An ESC,
 * CSI, OSC or DCS introducer and every terminator (BEL, ST) are escaped, so
 * no escape sequence survives: its body is shown as plain text.
 */
export function escapeControls(value: string, options: EscapeOptions = {}): string {
  if (!NOT_PRINTABLE_ASCII.test(value)) return value;
  return value.replace(UNSAFE, (c) => {
    if (c === '\n' && options.newline === true) return c;
    if (c === '\t' && options.tab === true) return c;
    return visibleEscape(c);
  });
}

/** True when `value` holds a character `escapeControls` would escape. */
export function hasUnsafeCharacters(value: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(value);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * A value for one line of terminal output (table cells, the progress line,
 * stderr): controls visible, newlines included, cut to `max` with a marker.
 */
export function terminalText(value: string, max = Number.POSITIVE_INFINITY): string {
  return truncate(escapeControls(value), max);
}

/**
 * A message for stderr. Palisade's own line breaks are kept only between
 * `lines`; every value inside them is one line. Use for text built from
 * untrusted names (error and warning messages).
 */
export function stderrText(message: string): string {
  return escapeControls(message);
}

// ---------------------------------------------------------------- Markdown

/**
 * Inline Markdown that renders as the text it was given, one line of a table
 * cell or a list item: controls visible; Markdown and table punctuation
 * backslash-escaped (`$` too, GitHub renders math); `<`, `>` and `&` as
 * entities, so no HTML, autolink or entity gets through; a zero-width space
 * after `@` (no mentions), inside `://` and after `www` (no bare links).
 */
export function markdownText(value: string, max = Number.POSITIVE_INFINITY): string {
  return markdownEscape(truncate(escapeControls(oneLine(value)), max));
}

/** Runs of ordinary white space (newlines included) as one space, trimmed. */
export function oneLine(value: string): string {
  return value.replace(/[ \t\n\r\f\v]+/g, ' ').trim();
}

/** The escaping step of `markdownText`, for text already made one line and cut. */
export function markdownEscape(value: string): string {
  return value
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=[\p{L}\p{N}_-])/gu, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\b(www)\./gi, '$1\u200b.');
}

// ---------------------------------------------------------------- XML

/**
 * Characters XML 1.0 cannot carry, not even as character references: C0
 * controls other than tab, newline and carriage return, U+FFFE, U+FFFF, and
 * unpaired surrogates.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text that xmlText, or (with `"`) xmlAttribute, would change. */
const NOT_PLAIN_XML_TEXT = /[^\t\n\x20-\x7e]|[&<>]/;
const NOT_PLAIN_XML_ATTRIBUTE = /[^\x20-\x7e]|[&<>"]/;

/** `value` with everything XML 1.0 cannot carry, and every terminal control, shown as a visible escape. */
function xmlChars(value: string, options: EscapeOptions): string {
  return escapeControls(value, options).replace(NOT_XML, (c) => visibleEscape(c));
}

/**
 * XML element content, well-formed whatever the input: markup characters as
 * entities (`>` too, so `]]>` never appears); tabs and newlines kept.
 */
export function xmlText(value: string, max = Number.POSITIVE_INFINITY): string {
  const cut = truncate(value, max);
  if (!NOT_PLAIN_XML_TEXT.test(cut)) return cut;
  return xmlChars(cut, { newline: true, tab: true }).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An XML attribute value in double quotes: one line, quotes as entities. */
export function xmlAttribute(value: string, max = Number.POSITIVE_INFINITY): string {
  const cut = truncate(value, max);
  if (!NOT_PLAIN_XML_ATTRIBUTE.test(cut)) return cut;
  return xmlChars(cut, {}).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---------------------------------------------------------------- JSON, SARIF

/**
 * Characters JSON may carry raw but a terminal or an editor would act on
 * (C1 controls, separators, format characters). JSON.stringify already
 * escapes C0 controls and lone surrogates.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/**
 * Serialised JSON with the characters above written as `\uXXXX` escapes: the
 * same data once parsed, but printing the file cannot drive a terminal or
 * hide text. They can only occur inside strings, where the escape is valid.
 */
export function jsonSafe(serialised: string): string {
  // All of JSON_UNSAFE lies above U+007E. Text of ASCII alone (as many UTF-8 bytes as
  // characters, counted natively, and no DEL) needs no replace: the usual case, on megabytes.
  if (Buffer.byteLength(serialised) === serialised.length && !serialised.includes('\u007f')) return serialised;
  return serialised.replace(JSON_UNSAFE, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

/** Text that sarifText would change. */
const NOT_PLAIN_SARIF_TEXT = /[^\x20-\x7e]|[{}[\]]/;

/**
 * A SARIF plain-text message (SARIF 2.1.0 §3.11): `{` and `}` doubled (they
 * open placeholders), `[` and `]` backslash-escaped (GitHub renders
 * `[text](n)` as a link to a related location), and controls visible.
 */
export function sarifText(value: string): string {
  if (!NOT_PLAIN_SARIF_TEXT.test(value)) return value;
  return escapeControls(value).replace(/[{}]/g, '$&$&').replace(/[[\]]/g, '\\$&');
}
