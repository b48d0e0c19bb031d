// `palisade report`: the latest recorded scan as a report (HTML by default)
// with its score and depth trend from the history store; or, with no store,
// a JSON report file (`--from report.json`) without a trend.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import type { ScanResult } from '../model/report.js';
import { parseSince } from '../history/duration.js';
import type { CliIO } from './main.js';
import { addDbOptions, openHistoryFromFlags, type DbFlags } from './record-options.js';
import { parseIntOption } from './options.js';

const REPORT_FORMATS = ['html', 'json', 'markdown', 'table', 'sarif', 'junit'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportFlags extends DbFlags {
  since: Date;
  format: ReportFormat;
  output?: string;
  from?: string;
  scope?: string;
  scan?: string;
  expiryDays: number;
}

export type ReportIO = CliIO;

/** A JSON report written by `palisade scan --format json`, checked enough to render. */
export function readReportFile(file: string): ScanResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(`--from ${file}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`--from ${file}: not JSON (${(cause as Error).message})`, { cause });
  }
  const r = value as Partial<ScanResult> | null;
  if (r === null || typeof r !== 'object' || r.tool?.name !== 'palisade') {
    throw new UsageError(`--from ${file}: not a palisade JSON report (write one with: palisade scan --format json=${path.basename(file)})`);
  }
  for (const field of ['workloads', 'findings', 'targets', 'waivers'] as const) {
    if (!Array.isArray(r[field])) throw new UsageError(`--from ${file}: field "${field}" must be a list`);
  }
  for (const field of ['startedAt', 'finishedAt'] as const) {
    if (typeof r[field] !== 'string') throw new UsageError(`--from ${file}: field "${field}" must be a date string`);
  }
  if (typeof r.summary !== 'object' || typeof r.gate !== 'object' || typeof r.policy !== 'object') {
    throw new UsageError(`--from ${file}: fields "summary", "gate" and "policy" are required`);
  }
  return r as ScanResult;
}

async function report(flags: ReportFlags, io: ReportIO): Promise<number> {
  const { renderHtmlReport } = await import('../reporters/html.js');
  let scan: ScanResult;
  let trend: import('../history/types.js').WorkloadTrendPoint[] | undefined;
  if (flags.from !== undefined) {
    if (flags.db !== undefined || flags.scan !== undefined) throw new UsageError('--from reads a report file: it takes no --db or --scan');
    scan = readReportFile(path.resolve(io.cwd, flags.from));
  } else {
    const store = await openHistoryFromFlags(flags, io);
    try {
      let id = flags.scan;
      let scope = flags.scope;
      if (id === undefined) {
        const [latest] = await store.listScans({ scope, limit: 1 });
        if (!latest) {
          const where = scope !== undefined ? ` in scope ${JSON.stringify(scope)}` : '';
          throw new UsageError(`no scan recorded${where} in ${store.description}; record one with palisade scan --record, or use --from report.json`);
        }
        id = latest.id;
        scope ??= latest.scope;
      } else if (scope === undefined) {
        scope = (await store.listScans({ limit: 1000 })).find((s) => s.id === id)?.scope;
      }
      scan = await store.getScan(id);
      trend = await store.workloadTrend({ scope, since: flags.since });
    } finally {
      await store.close();
    }
  }
  let text: string;
  if (flags.format === 'html') {
    text = renderHtmlReport(scan, { trend, since: flags.from === undefined ? flags.since : undefined, expiryDays: flags.expiryDays, now: io.now() });
  } else {
    const { reporters } = await import('../reporters/index.js');
    text = reporters[flags.format](scan, { color: false });
  }
  if (flags.output !== undefined) writeFileSync(path.resolve(io.cwd, flags.output), text);
  else io.stdout.write(text);
  return 0;
}

export function registerReportCommand(program: Command, io: ReportIO, setExit: (code: number) => void): void {
  addDbOptions(
    program
      .command('report')
      .description('Report the latest recorded scan with its score and depth trend (HTML: one self-contained file), or a JSON report file with --from.'),
  )
    .addOption(
      new Option('--since <duration|date>', 'trend window: 30d, 12h, 2w, or a date')
        .default(parseSince('30d', io.now()), '30d')
        .argParser((v) => parseSince(v, io.now())),
    )
    .addOption(new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('html'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--from <report.json>', 'render this JSON report instead of the history (no trend)')
    .option('--scope <name>', 'the history scope (default: that of the latest scan)')
    .option('--scan <id>', 'this recorded scan instead of the latest')
    .addOption(new Option('--expiry-days <n>', 'list waivers expiring within n days').default(14).argParser(parseIntOption('--expiry-days', 0, 3650)))
    .action(async (flags: ReportFlags) => {
      setExit(await report(flags, io));
    });
}
