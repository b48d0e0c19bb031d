// Reads a file the user named (policy, inventory, baseline, known_hosts):
// regular files only, never blocking on a FIFO or a device, and never more
// than a stated number of bytes.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

import { PolicyError } from '../errors.js';
import { formatBytes } from './limits.js';

export type InputFileProblem = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';

/** A file could not be read as input; a PolicyError, so exit code 2. */
export class InputFileError extends PolicyError {
  readonly problem: InputFileProblem;
  /** The message without the file name in front, for callers that re-wrap it. */
  readonly detail: string;

  constructor(file: string, problem: InputFileProblem, detail: string, options?: { cause?: unknown }) {
    super(detail, { file }, options);
    this.problem = problem;
    this.detail = detail;
  }
}

/**
 * The file's text (UTF-8). `what` names the file's role in messages
 * ("policy", "inventory"). Opens non-blocking so a FIFO without a writer is
 * refused at once instead of hanging the scan.
 */
export function readInputFile(file: string, maxBytes: number, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(file, 'missing', `no such ${what} file`, { cause });
    if (code === 'EISDIR') throw new InputFileError(file, 'directory', `is a directory, not a ${what} file`, { cause });
    throw new InputFileError(file, 'unreadable', `cannot read the ${what} file: ${(cause as Error).message}`, { cause });
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputFileError(file, 'directory', `is a directory, not a ${what} file; pass the file itself`);
    if (!st.isFile()) {
      throw new InputFileError(file, 'not-regular', `is not a regular file (a FIFO, socket or device); pass the ${what} file itself`);
    }
    const tooLarge = (): InputFileError =>
      new InputFileError(file, 'too-large', `the ${what} file is larger than the limit of ${formatBytes(maxBytes)}`);
    if (st.size > maxBytes) throw tooLarge();
    // Read to the end, not to st.size: the file may grow (or be a /proc file that reports 0).
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge();
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    chunks = [];
    return text;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(file, 'unreadable', `cannot read the ${what} file: ${(error as Error).message}`, { cause: error });
  } finally {
    closeSync(fd);
  }
}
