import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { InputFileError, readInputFile } from '../../src/lib/input-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'palisade-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readError(file: string, max = 1024): InputFileError {
  try {
    readInputFile(file, max, 'policy');
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('read without error');
}

describe('src/lib/input-file', () => {
  it('reads a regular file within the limit', () => {
    const file = path.join(dir, 'ok.yaml');
    writeFileSync(file, 'a: 1\n');

    expect(readInputFile(file, 1024, 'policy')).toBe('a: 1\n');
  });

  it.each([
    ['a directory', () => dir, 'directory', /is a directory, not a policy file/],
    ['a missing file', () => path.join(dir, 'none.yaml'), 'missing', /no such policy file/],
    ['a device', () => '/dev/zero', 'not-regular', /is not a regular file \(a FIFO, socket or device\)/],
  ])('refuses %s with a plain message naming the file', (_what, file, problem, message) => {
    const error = readError(file());

    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
    expect(error.file).toBe(file());
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);

    const error = readError(fifo);

    expect(error.problem).toBe('not-regular');
  });

  it('refuses a file over the limit, naming the limit', () => {
    const file = path.join(dir, 'big.yaml');
    writeFileSync(file, 'x'.repeat(2048));

    expect(readError(file).message).toMatch(/larger than the limit of 1 KiB/);
  });
});
