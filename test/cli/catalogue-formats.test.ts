import { describe, expect, it } from 'vitest';

import { simpleChecksInvocation } from '../../src/cli/catalogue-formats.js';

describe('src/cli/catalogue-formats', () => {
  it.each([
    [['checks'], 'table'],
    [['checks', '-f', 'json'], 'json'],
    [['checks', '--format', 'markdown'], 'markdown'],
    [['checks', '--format=table'], 'table'],
  ])('takes %j as the plain checks command (%s)', (argv, format) => {
    expect(simpleChecksInvocation(argv)).toBe(format);
  });

  it.each([
    [[]],
    [['scan']],
    [['checks', '--help']],
    [['checks', '-h']],
    [['checks', '--format', 'xml']],
    [['checks', '--format=']],
    [['checks', '--format']],
    [['checks', '-f', 'json', 'extra']],
    [['checks', '-fjson']],
    [['checks', '--format', 'json', '--format', 'table']],
    [['--no-color', 'checks']],
  ])('leaves %j to commander', (argv) => {
    expect(simpleChecksInvocation(argv)).toBeUndefined();
  });
});
