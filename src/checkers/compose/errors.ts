// ComposeError: a Compose file (or an env file it names) is unreadable,
// malformed or invalid. It is a PolicyError so the CLI maps it to exit 2.

import { PolicyError } from '../../errors.js';

export interface ComposeErrorWhere {
  /** Absolute path of the file at fault. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Dotted path of the field (`services.web.ports.0`), when known. */
  field?: string;
}

export class ComposeError extends PolicyError {
  readonly column: number | undefined;

  constructor(message: string, where: ComposeErrorWhere, options?: { cause?: unknown }) {
    super(message, where, options);
    this.column = where.column;
    const loc = [where.file, where.line, where.line !== undefined ? where.column : undefined]
      .filter((p) => p !== undefined)
      .join(':');
    const field = where.field ? ` (field ${where.field})` : '';
    this.message = `${loc}${field}: ${message}`;
  }
}
