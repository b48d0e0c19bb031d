// Everything palisade writes to stderr goes through here. Messages repeat
// names from policies, inventories and targets; none of them may drive the
// terminal (clear it, retitle it), forge a line, or show a secret.
import { escapeControls } from '../lib/sanitize.js';
import { redactText } from '../scan/redact.js';

/** One `palisade: ...` line: secrets redacted, controls and newlines inside the message shown as escapes. */
export function stderrLine(message: string): string {
  return `palisade: ${escapeControls(redactText(message))}\n`;
}

/**
 * An unexpected error for a bug report: its message as one safe line, then
 * its stack frames (palisade's own code paths), each escaped.
 */
export function internalErrorLines(err: unknown): string {
  if (!(err instanceof Error)) return stderrLine(`internal error (please report it): ${String(err)}`);
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `${escapeControls(redactText(line))}\n`)
    .join('');
  return `${stderrLine(`internal error (please report it): ${err.name}: ${err.message}`)}${frames}`;
}

/** Text commander writes (usage, help): its own line breaks kept, anything else escaped. */
export function commanderText(text: string): string {
  return escapeControls(text, { newline: true, tab: true });
}
