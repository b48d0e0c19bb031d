// Typed errors. Only the CLI catches them and maps them to exit codes.
import { escapeControls } from './lib/sanitize.js';

export class PalisadeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line use: unknown option, missing argument, bad value. */
export class UsageError extends PalisadeError {}

/** A policy (or other configuration file) is malformed or invalid. */
export class PolicyError extends PalisadeError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(
    message: string,
    where: { file: string; line?: number; field?: string },
    options?: { cause?: unknown },
  ) {
    // File names and field paths (parameter keys, host names) come from the file itself: shown escaped.
    const file = escapeControls(where.file);
    const loc = where.line !== undefined ? `${file}:${where.line}` : file;
    const field = where.field ? ` (field ${escapeControls(where.field)})` : '';
    super(`${loc}${field}: ${message}`, options);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** Facts could not be gathered from a target. */
export class CollectError extends PalisadeError {
  readonly target: string;

  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super(`${escapeControls(target)}: ${message}`, options);
    this.target = target;
  }
}

/** A bug in palisade. */
export class InternalError extends PalisadeError {}
