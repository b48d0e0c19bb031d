// The command line. The only place that catches errors and maps them to
// exit codes; stdout carries only reports, everything else goes to stderr.
//
// Convention for commands (start-up is measured: docs/benchmarks.md):
// - each command lives in its own module under src/cli/ exporting
//   `registerXCommand(program, io, setExit)`, imported and listed in
//   COMMAND_MODULES below with the command names it registers (one import +
//   one entry per module; nothing else in this file changes; a run registers
//   only the module of the command it names);
// - a command module imports only light things at its top (commander, option
//   parsers, constants such as src/reporters/names.ts, src/policy/builtin.ts);
// - everything heavy (policy loader and schema validators, the check
//   registry, Docker/SSH checkers, ssh2, reporters, advisories, pg/PGlite) is
//   loaded inside the action with `await import(...)`, so `--version`,
//   `--help` and the other commands never load it. The build (scripts/bundle.mjs)
//   splits every dynamic import into its own chunk.
import { Command, CommanderError } from 'commander';

import { CollectError, PalisadeError, PolicyError, UsageError } from '../errors.js';
import { HistoryError } from '../history/errors.js';
import { packageVersion } from '../paths.js';
import { registerAdvisoriesCommand } from './advisories-command.js';
import { registerCheckCommand } from './check-command.js';
import { registerChecksCommand } from './checks-command.js';
import { registerHistoryCommands } from './history-commands.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import type { CliIO } from './io.js';
import { registerPolicyCommands } from './policy-command.js';
import { registerReportCommand } from './report-command.js';
import { registerScanCommand } from './scan-command.js';
import { registerServeCommand } from './serve-command.js';
import { commanderText, internalErrorLines, stderrLine } from './stderr.js';

export type { CliIO } from './io.js';

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/** Each module's top-level commands, in help order. */
export const COMMAND_MODULES: readonly { names: readonly string[]; register: Register }[] = [
  { names: ['scan'], register: registerScanCommand },
  { names: ['check'], register: registerCheckCommand },
  { names: ['checks'], register: registerChecksCommand },
  { names: ['policy'], register: registerPolicyCommands },
  { names: ['advisories'], register: registerAdvisoriesCommand },
  { names: ['serve'], register: registerServeCommand },
  { names: ['report'], register: registerReportCommand },
  { names: ['history', 'diff', 'merge'], register: registerHistoryCommands },
];

/**
 * The program. With `command` (the first argument) naming a known command,
 * only that command's module registers: a run needs no other command's
 * options, and registering them all costs start-up on every run. Anything
 * else (no command, `help`, a flag, a typo commander should answer with
 * "did you mean") gets every command.
 */
export function buildProgram(io: CliIO, setExit: (code: number) => void, command?: string): Command {
  const program = new Command('palisade')
    .description('Defense-in-depth posture scanner: how many layers of defence hold for each container, Docker engine and VM.')
    .version(packageVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(commanderText(s)),
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride();

  const only = COMMAND_MODULES.find((m) => command !== undefined && m.names.includes(command));
  for (const m of only ? [only] : COMMAND_MODULES) m.register(program, io, setExit);
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    argv[0],
  );
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof PolicyError) {
      io.stderr.write(stderrLine(err.message));
      return EXIT.usage;
    }
    if (err instanceof HistoryError) {
      io.stderr.write(stderrLine(err.message));
      return err.code === 'usage' || err.code === 'not-found' ? EXIT.usage : EXIT.history;
    }
    if (err instanceof CollectError) {
      io.stderr.write(stderrLine(err.message));
      return EXIT.incomplete;
    }
    if (err instanceof PalisadeError) {
      io.stderr.write(stderrLine(err.message));
      return EXIT.internal;
    }
    io.stderr.write(internalErrorLines(err));
    return EXIT.internal;
  }
}
