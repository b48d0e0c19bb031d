// `palisade scan`: options and help only. Everything that scans (policy
// loader, Docker and SSH checkers, reporters) is loaded inside the action
// from scan-run.ts, so other commands and --help never pay for it.
import { InvalidArgumentError, Option, type Command } from 'commander';

import { SEVERITIES } from '../model/check.js';
import { BUILTIN_POLICIES } from '../policy/builtin.js';
import { REPORTER_NAMES, type ReporterName } from '../reporters/names.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { CliIO, SetExit } from './io.js';
import { collect, parseIntOption, parseScore } from './options.js';
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
  program
    .command('scan')
    .description('Scan Docker engines and SSH hosts (VMs); score every container, engine and host.')
    .addOption(
      new Option('--docker <endpoint>', 'engine to scan: unix:///path, tcp://host:port, ssh://user@host (repeatable; default $DOCKER_HOST, else the local socket)')
        .argParser(collect),
    )
    .option('-a, --all', 'include created and stopped containers (created ones are deployment candidates)')
    .option('-p, --policy <file|name>', `policy file, or a built-in policy: ${BUILTIN_POLICIES.join(', ')}`, 'default')
    .addOption(
      new Option('-f, --format <format[=file]>', `report format (${REPORTER_NAMES.join(', ')}); repeatable with =FILE; default table on a terminal, else json`)
        .argParser(parseFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--include-passed', 'list passing and not-applicable findings too (they are always counted)')
    .addOption(new Option('--fail-on <severity>', 'gate: fail on a finding of this severity or worse (overrides the policy)').choices([...SEVERITIES, 'none']))
    .addOption(new Option('--min-score <n>', 'gate: fail when a workload scores below n (0-100)').argParser(parseScore))
    .addOption(new Option('--min-depth <n>', 'gate: fail when a workload holds fewer than n layers').argParser(parseIntOption('--min-depth', 0, 9)))
    .option('--baseline <report.json>', 'gate only on findings new since this earlier JSON report; the report lists new, fixed and unchanged')
    .option('-i, --inventory <file>', 'hosts and engines to scan: palisade.yaml, ~/.ssh/config or an Ansible inventory (default ./palisade.yaml when present)')
    .option('--advisories <dir>', 'offline OSV advisory folder (see `palisade advisories fetch`) to match host packages against')
    .option('--trust-on-first-use', 'DANGEROUS: accept and record the SSH host key of a host seen for the first time (never a changed key)')
    .option('--sarif-category <id>', 'SARIF automationDetails.id category (stable; default "palisade")')
    .addOption(new Option('--concurrency <n>', 'parallel Engine API requests per engine, and SSH hosts scanned at once').default(16).argParser(parseIntOption('--concurrency', 1, 256)))
    .addOption(new Option('--timeout <seconds>', 'time limit for each Engine API request').default(30).argParser(parseIntOption('--timeout', 1, 3600)))
    .option(
      '--processes',
      'read each running container\'s process list, for docker/no-sshd (CIS 5.7); costs ~40-60 ms per container, serialised in dockerd',
    )
    .option('--repo-root <dir>', 'repository root for SARIF locations (default: the current folder)')
    .addOption(new Option('--compose <file>', 'Compose file the containers were deployed from, to report drift (repeatable like -f; default: the files their labels name, when present)').argParser(collect))
    .option('--no-progress', 'no progress indicator on stderr (it is shown only when stderr is a terminal)')
    .option('--no-color', 'no colours in the table (also NO_COLOR)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .action(async (flags: ScanFlags) => {
      const { runScan } = await import('./scan-run.js');
      setExit(await runScan(flags, io));
    });
}
