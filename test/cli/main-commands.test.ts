// buildProgram registers only the command a run names (start-up); the help
// and the parsing of each command must be the same as with every command.
import { PassThrough } from 'node:stream';

import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';

import { buildProgram, COMMAND_MODULES } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

async function help(args: string[], command?: string): Promise<string> {
  const stdout = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  const io = { stdout, stderr: new PassThrough(), env: {}, cwd: '/', now: () => new Date() };
  const program = buildProgram(io, () => undefined, command);
  await expect(program.parseAsync(args, { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
  return Buffer.concat(out).toString('utf8');
}

const names = COMMAND_MODULES.flatMap((m) => m.names);

describe('src/cli/main buildProgram', () => {
  it('lists every command of the program in COMMAND_MODULES', () => {
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/', now: () => new Date() };

    const registered = buildProgram(io, () => undefined).commands.map((c) => c.name());

    expect(names).toEqual(registered);
  });

  it.each(names)('gives %s the same help when it is the only command registered', async (name) => {
    const full = await help([name, '--help']);

    const narrow = await help([name, '--help'], name);

    expect(narrow).toBe(full);
    expect(narrow).toMatch(new RegExp(`Usage: palisade ${name}`));
  });

  it('still answers a mistyped command with the commands it could mean', async () => {
    const result = await runCli(['scna']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean scan\?/);
  });
});
