// Runs the CLI in-process with captured stdout and stderr.
import { PassThrough } from 'node:stream';

import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; now?: () => Date } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(args, {
    stdout,
    stderr,
    env: options.env ?? { PATH: process.env['PATH'] ?? '' },
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => new Date()),
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
