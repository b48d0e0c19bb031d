// `palisade checks`: the check catalogue. Loads the catalogue only when it
// runs (never for --version or another command); see check-catalogue.ts.
import { Option, type Command } from 'commander';

import { EXIT } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';

export function registerChecksCommand(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('checks')
    .description('List the check catalogue.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (flags: { format: 'table' | 'json' | 'markdown' }) => {
      const [{ catalogueEntries }, catalogue] = await Promise.all([import('./check-catalogue.js'), import('./catalogue.js')]);
      const checks = await catalogueEntries();
      const render = { table: catalogue.catalogueTable, json: catalogue.catalogueJson, markdown: catalogue.catalogueMarkdown }[flags.format];
      io.stdout.write(render(checks));
      setExit(EXIT.ok);
    });
}
