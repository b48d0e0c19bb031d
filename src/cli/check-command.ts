// `palisade check [FILES...]`: the pre-deployment gate. Judges Compose files
// (and the images they name) with the same checks, policy, scores and gate
// as `scan`, before anything runs. Heavy modules load inside the action.
import path from 'node:path';

import { Option, type Command } from 'commander';

import type { Severity } from '../model/check.js';
import type { ImageFacts } from '../model/facts.js';
import type { TargetStatus } from '../model/report.js';
import { EXIT } from './exit-codes.js';
import { REPORTER_NAMES } from '../reporters/names.js';
import type { CliIO } from './io.js';
import { collect, parseIntOption } from './options.js';
import { addRecordOptions, recordIfAsked, type RecordFlags } from './record-options.js';
import { addGateOptions } from './scan-options.js';
import { parseFormat } from './scan-command.js';
import { stderrLine } from './stderr.js';
import type { FormatTarget } from './scan-run.js';

export interface CheckFlags extends Omit<RecordFlags, 'docker' | 'inventory' | 'shard' | 'shardGroup'> {
  file?: string[];
  profile?: string[];
  envFile?: string[];
  projectName?: string;
  projectDirectory?: string;
  policy: string;
  format?: FormatTarget[];
  output?: string;
  includePassed?: boolean;
  failOn?: Severity | 'none';
  minScore?: number;
  minDepth?: number;
  baseline?: string;
  imageArchive?: string[];
  docker?: string | true;
  repoRoot?: string;
  sarifCategory?: string;
  timeout: number;
  color?: boolean;
}

export const CHECK_EXIT_CODES_HELP = `Exit codes:
  0  every project checked, gate passed
  1  gate failed (a finding at or above --fail-on, new since --baseline if given, or a service under --min-score or --min-depth)
  2  usage or policy error, or a Compose file (or image archive) is invalid: the error names file:line:field;
     the report still covers every other project given (positional files are separate projects)
  3  the engine given with --docker could not be read (checked against a stock engine instead; reported)
  4  internal error`;

async function imageLookup(flags: CheckFlags, io: CliIO, references: string[]) {
  const { findArchiveImage, readImageArchive } = await import('../checkers/image-archive/index.js');
  // Archives are input: an unreadable one is an error (exit 2) before anything is judged.
  const archived = (flags.imageArchive ?? []).flatMap((a) => readImageArchive(path.resolve(io.cwd, a)));
  const images = new Map<string, ImageFacts>();
  for (const ref of references) {
    const hit = findArchiveImage(archived, ref);
    if (hit) images.set(ref, hit.facts);
  }
  const warnings: string[] = [];
  const targets: TargetStatus[] = [];
  if (flags.docker === undefined) return { images, warnings, targets };
  const { collectImages, resolveEndpoints } = await import('../checkers/docker/index.js');
  const [endpoint] = resolveEndpoints(flags.docker === true ? [] : [flags.docker], { env: io.env });
  if (endpoint === undefined) return { images, warnings, targets };
  const t0 = performance.now();
  try {
    const missing = references.filter((r) => !images.has(r));
    const read = await collectImages(endpoint, missing, { timeoutMs: flags.timeout * 1000 });
    for (const [ref, facts] of read.images) images.set(ref, facts);
    warnings.push(...read.warnings);
    targets.push({ target: endpoint.display, kind: 'docker', status: 'ok', workloads: 0, durationMs: Math.round(performance.now() - t0) });
    return { images, engine: read.engine, warnings, targets };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    targets.push({ target: endpoint.display, kind: 'docker', status: 'error', error: message, workloads: 0, durationMs: Math.round(performance.now() - t0) });
    return { images, warnings, targets };
  }
}

async function runCheck(files: string[], flags: CheckFlags, io: CliIO): Promise<number> {
  const [{ policyFor }, { checkDeclared }, { resolveCompose }, baselineModule, { packageVersion }] = await Promise.all([
    import('./scan-setup.js'),
    import('../scan/check.js'),
    import('../checkers/compose/resolve.js'),
    import('../scan/baseline.js'),
    import('../paths.js'),
  ]);
  const policy = policyFor(flags);
  const baseline = flags.baseline !== undefined ? baselineModule.readBaseline(path.resolve(io.cwd, flags.baseline)) : undefined;

  // -f files make one project, merged in order (as `docker compose -f a -f b`); each positional file is its own project.
  const sources = [
    ...(flags.file !== undefined && flags.file.length > 0 ? [{ files: flags.file }] : []),
    ...files.map((f) => ({ files: [f] })),
  ];
  const outcome = await checkDeclared({
    sources: sources.length > 0 ? sources : [{}],
    resolve: resolveCompose,
    cwd: io.cwd,
    env: io.env,
    envFiles: flags.envFile,
    profiles: flags.profile,
    projectName: flags.projectName,
    projectDirectory: flags.projectDirectory,
    policy,
    now: io.now(),
    repoRoot: path.resolve(io.cwd, flags.repoRoot ?? '.'),
    includePassed: flags.includePassed === true,
    version: packageVersion,
    minDepth: flags.minDepth,
    images: (refs) => imageLookup(flags, io, refs),
  });
  const { result } = outcome;
  if (baseline) baselineModule.applyBaseline(result, baselineModule.compareToBaseline(result, baseline, baseline.source));
  const { writeReports } = await import('./scan-run.js');
  await writeReports(result, flags, io);
  // Recorded under the Compose files checked unless --scope says otherwise, so history and diff follow one project.
  const scope = flags.scope ?? `check ${sources.flatMap((src) => src.files).map((f) => path.resolve(io.cwd, f)).join(' ') || io.cwd}`;
  await recordIfAsked(result, { ...flags, docker: undefined, scope }, io, 'check');
  for (const w of outcome.warnings) io.stderr.write(stderrLine(w));
  for (const t of result.targets) {
    if (t.status === 'error' && t.kind === 'docker') io.stderr.write(stderrLine(`could not read ${t.target}: ${t.error}`));
  }
  for (const bad of outcome.invalid) io.stderr.write(stderrLine(bad.error.message));
  if (outcome.invalid.length > 0) return EXIT.usage;
  if (result.incomplete) return EXIT.incomplete;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

export function registerCheckCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .description(
      'Judge Compose files before deployment: each service as the container it would create, with the same checks, ' +
        'policy, scores and gate as `scan`; findings located at the Compose key that caused them.',
    )
    .argument('[files...]', 'Compose files, each checked as its own project (default: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml here, with its override file)')
    .addOption(new Option('-f, --file <file>', 'Compose file of one project, merged in order like `docker compose -f` (repeatable)').argParser(collect))
    .addOption(new Option('--profile <name>', 'enable a Compose profile (repeatable; default $COMPOSE_PROFILES)').argParser(collect))
    .addOption(new Option('--env-file <file>', 'interpolation variables instead of <project>/.env (repeatable)').argParser(collect))
    .option('--project-name <name>', 'Compose project name (default $COMPOSE_PROJECT_NAME, `name:`, else the folder name)')
    .option('--project-directory <dir>', 'Compose project directory (default: the folder of the first file)')
    .option('-p, --policy <file|name>', 'policy file, or a built-in policy name', 'default')
    .addOption(
      new Option('--format <format[=file]>', `report format (${REPORTER_NAMES.join(', ')}); repeatable with =FILE, e.g. --format sarif=palisade.sarif; default table on a terminal, else json`)
        .argParser(parseFormat),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--baseline <report.json>', 'gate only on findings new since this earlier JSON report of `palisade check`')
    .addOption(
      new Option('--image-archive <file|dir>', 'image configs offline: a `docker save` tarball or an OCI image layout (folder or tar); repeatable').argParser(collect),
    )
    .option('--docker [endpoint]', 'read the engine (and the configs of images it has) the services will run on; default $DOCKER_HOST, else the local socket')
    .option('--repo-root <dir>', 'repository root for report locations (default: the current folder)')
    .option('--sarif-category <id>', 'SARIF automationDetails.id category (stable; default "palisade")')
    .addOption(new Option('--timeout <seconds>', 'time limit for each Engine API request with --docker').default(30).argParser(parseIntOption('--timeout', 1, 3600)))
    .option('--no-color', 'no colours in the table (also NO_COLOR)')
    .addHelpText('after', `\n${CHECK_EXIT_CODES_HELP}\n`)
    .action(async (files: string[], flags: CheckFlags) => {
      setExit(await runCheck(files, flags, io));
    });
  addGateOptions(command, 'service');
  addRecordOptions(command);
}
