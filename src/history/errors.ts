// Errors of the history store. The CLI maps them to exit codes (usage: 2, else 4).
import { PalisadeError } from '../errors.js';

export type HistoryErrorCode =
  /** Bad --db / --keep / scan id given by the user. */
  | 'usage'
  /** The database cannot be opened or reached (server down, bad credentials, locked folder). */
  | 'unavailable'
  /** The PGlite folder is not a palisade database or is damaged; nothing was written. */
  | 'corrupt'
  /** The database's schema is newer than this palisade. */
  | 'schema'
  /** No such scan. */
  | 'not-found';

export class HistoryError extends PalisadeError {
  readonly code: HistoryErrorCode;

  constructor(code: HistoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
