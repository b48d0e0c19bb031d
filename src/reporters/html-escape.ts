// Escaping for the HTML report. Every string that comes from a target, an
// inventory or a policy (names, labels, messages, reasons) goes through
// escapeHtml before it reaches the page, in text and in quoted attributes
// alike; nothing from a target ever becomes a URL.

const NEEDS_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069&<>"']/;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in element content and in double- or single-quoted attributes.
 * C0/C1 controls (not allowed in HTML) and bidirectional overrides (which
 * could make a name read as something else) are dropped.
 */
export function escapeHtml(value: string): string {
  // Most names and messages need nothing: one scan instead of three replaces.
  if (!NEEDS_WORK.test(value)) return value;
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/**
 * Text written by palisade's check metadata (a remediation): `code spans`
 * become <code>, everything is escaped.
 */
export function htmlWithCode(value: string): string {
  return value
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}
