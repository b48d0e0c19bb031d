// The command line. The only place that catches errors and maps them to
// exit codes; stdout carries only reports, everything else goes to stderr.
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { checks as registry } from '../../checks/index.js';
import { CollectError, PalisadeError, PolicyError, UsageError } from '../errors.js';
import type { ScanResult } from '../model/report.js';
import { packageVersion } from '../paths.js';
import { checksFor, loadPolicy } from '../policy/policy.js';
import type { WorkloadAttributes } from '../policy/selector.js';
import { reporters, type Reporter } from '../reporters/index.js';
import { fetchAdvisories } from '../advisories/fetch.js';
import { applyBaseline, compareToBaseline, readBaseline } from '../scan/baseline.js';
import { scan } from '../scan/scan.js';
import { catalogueJson, catalogueMarkdown, catalogueTable } from './catalogue.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { explainJson, explainText } from './explain.js';
import { createProgress } from './progress.js';
import { registerReportCommand } from './report-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerHistoryCommands } from './history-commands.js';
import { addScanHistoryOptions, applyShard, checkRecordFlags, recordIfAsked, type RecordFlags } from './record-options.js';
import { HistoryError } from '../history/errors.js';
import { addScanSelectionOptions, collect, policyFor, prepareScan, type ScanSelectionFlags } from './scan-setup.js';

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

function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

interface ScanFlags extends ScanSelectionFlags, RecordFlags {
  format?: FormatTarget[];
  output?: string;
  baseline?: string;
  sarifCategory?: string;
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
  // Render everything first: a format that refuses (SARIF limits) must not leave the others half written.
  const rendered = targets.map((t) => {
    const reporter: Reporter = reporters[t.format];
    const color = t.file === undefined && t.format === 'table' && useColor(io.stdout, io.env, flags.color);
    return { ...t, text: reporter(result, { color, sarifCategory: flags.sarifCategory, width: 100 }) };
  });
  for (const t of rendered) {
    if (t.file === undefined) io.stdout.write(t.text);
    else writeFileSync(path.resolve(io.cwd, t.file), t.text);
  }
}

async function runScan(flags: ScanFlags, io: CliIO): Promise<number> {
  const policy = policyFor(flags);
  // Everything that can be wrong with the input is checked before anything is scanned.
  const baseline = flags.baseline !== undefined ? readBaseline(path.resolve(io.cwd, flags.baseline)) : undefined;
  await checkRecordFlags(flags, io);
  const options = await applyShard(await prepareScan(flags, io, policy), flags, io);
  const progress = createProgress(io.stderr, flags.progress && io.stderr.isTTY === true);
  let result: ScanResult;
  try {
    result = await scan({ ...options, now: io.now(), onProgress: progress.update });
  } finally {
    progress.done();
  }
  if (baseline) applyBaseline(result, compareToBaseline(result, baseline, baseline.source));
  for (const w of result.workloads) {
    for (const warning of w.warnings ?? []) {
      if (warning.startsWith('TRUST ON FIRST USE')) io.stderr.write(`palisade: ${w.name}: ${warning}\n`);
    }
  }
  writeReports(result, flags, io);
  await recordIfAsked(result, flags, io);
  for (const t of result.targets) {
    if (t.status === 'error') io.stderr.write(`palisade: could not scan ${t.target}: ${t.error}\n`);
  }
  if (result.incomplete) return EXIT.incomplete;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('palisade')
    .description('Defense-in-depth posture scanner: how many layers of defence hold for each container, Docker engine and VM.')
    .version(packageVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
    .exitOverride();

  addScanHistoryOptions(addScanSelectionOptions(
    program
      .command('scan')
      .description('Scan Docker engines and SSH hosts (VMs); score every container, engine and host.'),
  ))
    .addOption(
      new Option('-f, --format <format[=file]>', `report format (${FORMATS.join(', ')}); repeatable with =FILE; default table on a terminal, else json`)
        .argParser(parseFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--baseline <report.json>', 'gate only on findings new since this earlier JSON report; the report lists new, fixed and unchanged')
    .option('--sarif-category <id>', 'SARIF automationDetails.id category (stable; default "palisade")')
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

  const advisories = program.command('advisories').description('Offline OSV advisories for host package matching.');
  advisories
    .command('fetch')
    .description('Download OSV ecosystem archives over HTTPS into a cache folder for `scan --advisories`.')
    .argument('<ecosystems...>', 'OSV ecosystems, e.g. Debian Ubuntu Alpine "Rocky Linux" AlmaLinux')
    .option('--cache <dir>', 'cache folder', path.join(homedir(), '.cache', 'palisade', 'advisories'))
    .action(async (ecosystems: string[], flags: { cache: string }) => {
      const result = await fetchAdvisories({ ecosystems, cacheDir: path.resolve(io.cwd, flags.cache) });
      let failed = 0;
      for (const o of result.outcomes) {
        if (o.status === 'failed') {
          failed++;
          io.stderr.write(`palisade: ${o.ecosystem}: ${o.error?.message ?? 'failed'}\n`);
        } else io.stdout.write(`${o.ecosystem}: ${o.status}\n`);
      }
      io.stdout.write(`cache: ${path.resolve(io.cwd, flags.cache)} (use with: palisade scan --advisories ${flags.cache})\n`);
      setExit(failed > 0 ? EXIT.incomplete : EXIT.ok);
    });

  policy
    .command('explain')
    .description('Show which policy entry decides each check (enabled, severity, parameters) for a workload.')
    .argument('<workload>', 'workload name (container, engine or host)')
    .option('-p, --policy <file|name>', 'policy file or built-in name', 'default')
    .addOption(new Option('--kind <kind>', 'workload kind').choices(['container', 'engine', 'host']).default('container'))
    .addOption(new Option('--label <key=value>', 'a container label (repeatable)').argParser(collect))
    .addOption(new Option('--tag <tag>', 'an inventory tag (repeatable)').argParser(collect))
    .option('--segment <segment>', 'the host\'s network segment')
    .option('--engine <name>', 'the engine the container runs on')
    .option('--host <name>', 'the inventory host the workload is or runs on')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((name: string, flags: ExplainFlags) => {
      const resolved = loadPolicy(flags.policy);
      const workload: WorkloadAttributes = { kind: flags.kind, name, labels: parseLabels(flags.label ?? []), tags: flags.tag ?? [] };
      if (flags.segment !== undefined) workload.segment = flags.segment;
      if (flags.engine !== undefined) workload.engine = flags.engine;
      if (flags.host !== undefined) workload.host = flags.host;
      const checks = checksFor(resolved, workload);
      io.stdout.write(flags.format === 'json' ? explainJson(resolved.name, checks, workload) : explainText(resolved.name, checks, workload));
      setExit(EXIT.ok);
    });

  registerServeCommand(program, io, setExit);
  registerReportCommand(program, io, setExit);
  registerHistoryCommands(program, io, setExit);

  return program;
}

interface ExplainFlags {
  policy: string;
  kind: WorkloadAttributes['kind'];
  label?: string[];
  tag?: string[];
  segment?: string;
  engine?: string;
  host?: string;
  format: 'table' | 'json';
}

function parseLabels(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label ${JSON.stringify(v)}: expected key=value`);
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
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
    if (err instanceof HistoryError) {
      io.stderr.write(`palisade: ${err.message}\n`);
      return err.code === 'usage' || err.code === 'not-found' ? EXIT.usage : EXIT.history;
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
