// The commands on the scan history: history, diff, merge (one module each).
import type { Command } from 'commander';

import { registerDiffCommand } from './diff-command.js';
import { registerHistoryCommand } from './history-command.js';
import type { CliIO } from './main.js';
import { registerMergeCommand } from './merge-command.js';

export function registerHistoryCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  registerHistoryCommand(program, io, setExit);
  registerDiffCommand(program, io, setExit);
  registerMergeCommand(program, io, setExit);
}
