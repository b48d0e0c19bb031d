// The command line. The only place that catches errors and maps them to
// exit codes; stdout carries only reports, everything else goes to stderr.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { checks as registry } from '../../checks/index.js';
import { CollectError, PalisadeError, PolicyError, UsageError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/check.js';
import type { ScanResult } from '../model/report.js';
import { packageVersion } from '../paths.js';
import { BUILTIN_POLICIES, loadPolicy } from '../policy/policy.js';
import { reporters, type Reporter } from '../reporters/index.js';
import { createDockerTargets, scan } from '../scan/scan.js';
import { catalogueJson, catalogueMarkdown, catalogueTable } from './catalogue.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { createProgress } from './progress.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The scan's clock (tests inject one). */
  now: () => Date;
}

type FormatName = keyof typeof reporters;
const FORMATS = Object.keys(reporters) as FormatName[];

interface FormatTarget {
  format: FormatName;
  file?: string;
}

function parseFormat(value: string, previous: FormatTarget[] = []): FormatTarget[] {
  const eq = value.indexOf('=');
  const name = (eq < 0 ? value : value.slice(0, eq)) as FormatName;
  if (!FORMATS.includes(name)) {
    throw new InvalidArgumentError(`unknown format "${name}"; choose from ${FORMATS.join(', ')}`);
  }
  const file = eq < 0 ? undefined : value.slice(eq + 1);
  if (file === '') throw new InvalidArgumentError(`format "${name}=" needs a file name after "="`);
  return [...previous, file === undefined ? { format: name } : { format: name, file }];
}

function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('must be a number from 0 to 100');
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

interface ScanFlags {
  docker?: string[];
  all?: boolean;
  policy: string;
  format?: FormatTarget[];
  output?: string;
  includePassed?: boolean;
  failOn?: Severity | 'none';
  minScore?: number;
  sarifCategory?: string;
  concurrency: number;
  timeout: number;
  processes?: boolean;
  repoRoot?: string;
  progress: boolean;
  color?: boolean;
}

function writeReports(result: ScanResult, flags: ScanFlags, io: CliIO): void {
  const defaultFormat: FormatName = io.stdout.isTTY ? 'table' : 'json';
  let targets = flags.format ?? [{ format: defaultFormat }];
  if (flags.output !== undefined) {
    const toStdout = targets.filter((t) => t.file === undefined);
    if (toStdout.length > 1) throw new UsageError('--output names one file but several formats have none; use --format NAME=FILE');
    targets = targets.map((t) => (t.file === undefined ? { ...t, file: flags.output } : t));
  }
  const stdoutTargets = targets.filter((t) => t.file === undefined);
  if (stdoutTargets.length > 1) {
    throw new UsageError('only one format can go to stdout; give the others a file: --format sarif=out.sarif');
  }
  for (const t of targets) {
    const reporter: Reporter = reporters[t.format];
    const color = t.file === undefined && t.format === 'table' && useColor(io.stdout, io.env, flags.color);
    const text = reporter(result, { color, sarifCategory: flags.sarifCategory, width: 100 });
    if (t.file === undefined) io.stdout.write(text);
    else writeFileSync(path.resolve(io.cwd, t.file), text);
  }
}

async function runScan(flags: ScanFlags, io: CliIO): Promise<number> {
  const policy = loadPolicy(flags.policy);
  if (flags.failOn !== undefined) policy.gate.failOn = flags.failOn;
  if (flags.minScore !== undefined) policy.gate.minScore = flags.minScore;
  const targets = createDockerTargets(flags.docker ?? [], io.env);
  const progress = createProgress(io.stderr, flags.progress && io.stderr.isTTY === true);
  let result: ScanResult;
  try {
    result = await scan({
      targets,
      policy,
      all: flags.all === true,
      processes: flags.processes === true,
      concurrency: flags.concurrency,
      timeoutMs: flags.timeout * 1000,
      now: io.now(),
      repoRoot: path.resolve(io.cwd, flags.repoRoot ?? '.'),
      includePassed: flags.includePassed === true,
      version: packageVersion,
      onProgress: progress.update,
    });
  } finally {
    progress.done();
  }
  writeReports(result, flags, io);
  for (const t of result.targets) {
    if (t.status === 'error') io.stderr.write(`palisade: could not scan ${t.target}: ${t.error}\n`);
  }
  if (result.incomplete) return EXIT.incomplete;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('palisade')
    .description('Defense-in-depth posture scanner: how many layers of defence hold for each container and engine.')
    .version(packageVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride();

  program
    .command('scan')
    .description('Scan Docker engines and score every container and engine.')
    .addOption(
      new Option('--docker <endpoint>', 'engine to scan: unix:///path, tcp://host:port, ssh://user@host (repeatable; default $DOCKER_HOST, else the local socket)')
        .argParser(collect),
    )
    .option('-a, --all', 'include created and stopped containers (created ones are deployment candidates)')
    .option('-p, --policy <file|name>', `policy file, or a built-in policy: ${BUILTIN_POLICIES.join(', ')}`, 'default')
    .addOption(
      new Option('-f, --format <format[=file]>', `report format (${FORMATS.join(', ')}); repeatable with =FILE; default table on a terminal, else json`)
        .argParser(parseFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--include-passed', 'list passing and not-applicable findings too (they are always counted)')
    .addOption(new Option('--fail-on <severity>', 'gate: fail on a finding of this severity or worse (overrides the policy)').choices([...SEVERITIES, 'none']))
    .addOption(new Option('--min-score <n>', 'gate: fail when a workload scores below n (0-100)').argParser(parseScore))
    .option('--sarif-category <id>', 'SARIF automationDetails.id category (stable; default "palisade")')
    .addOption(new Option('--concurrency <n>', 'parallel Engine API requests per engine').default(16).argParser(parseIntOption('--concurrency', 1, 256)))
    .addOption(new Option('--timeout <seconds>', 'time limit for each Engine API request').default(30).argParser(parseIntOption('--timeout', 1, 3600)))
    .option(
      '--processes',
      'read each running container\'s process list, for docker/no-sshd (CIS 5.7); costs ~30-50 ms per container, serialised in dockerd',
    )
    .option('--repo-root <dir>', 'repository root for SARIF locations (default: the current folder)')
    .option('--no-progress', 'no progress indicator on stderr')
    .option('--no-color', 'no colours in the table (also NO_COLOR)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .action(async (flags: ScanFlags) => {
      setExit(await runScan(flags, io));
    });

  program
    .command('checks')
    .description('List the check catalogue.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action((flags: { format: 'table' | 'json' | 'markdown' }) => {
      const render = { table: catalogueTable, json: catalogueJson, markdown: catalogueMarkdown }[flags.format];
      io.stdout.write(render(registry));
      setExit(EXIT.ok);
    });

  const policy = program.command('policy').description('Work with policies.');
  policy
    .command('validate')
    .description('Validate policy files against the schema and the check catalogue.')
    .argument('<files...>', 'policy files (or built-in names)')
    .action((files: string[]) => {
      for (const file of files) {
        const resolved = loadPolicy(file);
        const enabled = resolved.checks.filter((c) => c.enabled).length;
        io.stdout.write(`${file}: valid (policy ${resolved.name}: ${enabled} checks enabled, ${resolved.waivers.length} waivers)\n`);
      }
      setExit(EXIT.ok);
    });

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof PolicyError) {
      io.stderr.write(`palisade: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof CollectError) {
      io.stderr.write(`palisade: ${err.message}\n`);
      return EXIT.incomplete;
    }
    if (err instanceof PalisadeError) {
      io.stderr.write(`palisade: ${err.message}\n`);
      return EXIT.internal;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr.write(`palisade: internal error (please report it): ${detail}\n`);
    return EXIT.internal;
  }
}
