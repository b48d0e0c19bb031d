// `palisade checks`: the check catalogue. Loads the catalogue only when it
// runs (never for --version or another command); see check-catalogue.ts.
import { Option, type Command } from 'commander';

import { CATALOGUE_FORMATS, type CatalogueFormat } from './catalogue-formats.js';
import { EXIT } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';

export function registerChecksCommand(program: Command, io: CliIO, setExit: SetExit): void {
  program
    .command('checks')
    .description('List the check catalogue.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(CATALOGUE_FORMATS).default('table'))
    .action(async (flags: { format: CatalogueFormat }) => {
      const { printCatalogue } = await import('./catalogue.js');
      await printCatalogue(io.stdout, flags.format);
      setExit(EXIT.ok);
    });
}
