// `palisade scan`: options and help only. Everything that scans (policy
// loader, Docker and SSH checkers, reporters) is loaded inside the action
// from scan-run.ts, so other commands and --help never pay for it.
import { InvalidArgumentError, Option, type Command } from 'commander';

import { REPORTER_NAMES, type ReporterName } from '../reporters/names.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';
import { collect } from './options.js';
import { addScanHistoryOptions } from './record-options.js';
import { addScanSelectionOptions } from './scan-options.js';
import type { FormatTarget, ScanFlags } from './scan-run.js';

export function parseFormat(value: string, previous: FormatTarget[] = []): FormatTarget[] {
  const eq = value.indexOf('=');
  const name = (eq < 0 ? value : value.slice(0, eq)) as ReporterName;
  if (!REPORTER_NAMES.includes(name)) {
    throw new InvalidArgumentError(`unknown format "${name}"; choose from ${REPORTER_NAMES.join(', ')}`);
  }
  const file = eq < 0 ? undefined : value.slice(eq + 1);
  if (file === '') throw new InvalidArgumentError(`format "${name}=" needs a file name after "="`);
  return [...previous, file === undefined ? { format: name } : { format: name, file }];
}

export function registerScanCommand(program: Command, io: CliIO, setExit: SetExit): void {
  addScanHistoryOptions(
    addScanSelectionOptions(
      program.command('scan').description('Scan Docker engines and SSH hosts (VMs); score every container, engine and host.'),
    ),
  )
    .addOption(
      new Option('-f, --format <format[=file]>', `report format (${REPORTER_NAMES.join(', ')}); repeatable with =FILE; default table on a terminal, else json`)
        .argParser(parseFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--baseline <report.json>', 'gate only on findings new since this earlier JSON report; the report lists new, fixed and unchanged')
    .option('--sarif-category <id>', 'SARIF automationDetails.id category (stable; default "palisade")')
    .addOption(new Option('--compose <file>', 'Compose file the containers were deployed from, to report drift (repeatable like -f; default: the files their labels name, when present)').argParser(collect))
    .option('--no-progress', 'no progress indicator on stderr (it is shown only when stderr is a terminal)')
    .option('--no-color', 'no colours in the table (also NO_COLOR)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .action(async (flags: ScanFlags) => {
      const { runScan } = await import('./scan-run.js');
      setExit(await runScan(flags, io));
    });
}
