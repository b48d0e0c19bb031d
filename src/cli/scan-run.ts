// The `scan` action, loaded by scan-command.ts only when a scan runs. The
// inventory loader, the SSH stack (through src/scan/scan.ts), advisories and
// each reporter are loaded only when the flags ask for them.
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import type { ScanResult } from '../model/report.js';
import { loadReporter } from '../reporters/load.js';
import type { ReporterName } from '../reporters/names.js';
import { scan } from '../scan/scan.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { createProgress } from './progress.js';
import { applyShard, checkRecordFlags, recordIfAsked, type RecordFlags } from './record-options.js';
import type { ScanSelectionFlags } from './scan-options.js';
import { policyFor, prepareScan } from './scan-setup.js';
import { stderrLine } from './stderr.js';

export interface FormatTarget {
  format: ReporterName;
  file?: string;
}

export interface ScanFlags extends ScanSelectionFlags, RecordFlags {
  format?: FormatTarget[];
  output?: string;
  baseline?: string;
  sarifCategory?: string;
  compose?: string[];
  progress: boolean;
  color?: boolean;
}

function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

/** Writes chunks to a stream, waiting for 'drain' when it asks to. */
async function writeChunks(stream: NodeJS.WritableStream, first: string, rest: AsyncIterator<string> | Iterator<string>): Promise<void> {
  const write = async (chunk: string): Promise<void> => {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  await write(first);
  for (let r = await rest.next(); r.done !== true; r = await rest.next()) await write(r.value);
}

async function writeChunksToFile(file: string, first: string, rest: AsyncIterator<string> | Iterator<string>): Promise<void> {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, first);
    for (let r = await rest.next(); r.done !== true; r = await rest.next()) writeSync(fd, r.value);
  } finally {
    closeSync(fd);
  }
}

interface Prepared {
  file?: string;
  first: string;
  rest: AsyncIterator<string> | Iterator<string>;
}

export async function writeReports(
  result: ScanResult,
  flags: Pick<ScanFlags, 'format' | 'output' | 'sarifCategory' | 'color'>,
  io: CliIO,
): Promise<void> {
  const defaultFormat: ReporterName = io.stdout.isTTY ? 'table' : 'json';
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
  // Every format is started before anything is written: a format that refuses
  // (SARIF limits) does so before its first chunk and must not leave the others half written.
  const prepared: Prepared[] = [];
  for (const t of targets) {
    const reporter = await loadReporter(t.format);
    const color = t.file === undefined && t.format === 'table' && useColor(io.stdout, io.env, flags.color);
    const options = { color, sarifCategory: flags.sarifCategory, width: 100 };
    const file = t.file === undefined ? undefined : path.resolve(io.cwd, t.file);
    if (reporter.reportTo) {
      const chunks = reporter.reportTo(result, options);
      const rest = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
      const first = await rest.next();
      prepared.push({ file, first: first.done === true ? '' : first.value, rest });
    } else {
      const text = reporter.report(result, options);
      prepared.push({ file, first: text, rest: [][Symbol.iterator]() });
    }
  }
  for (const p of prepared) {
    if (p.file === undefined) await writeChunks(io.stdout, p.first, p.rest);
    else await writeChunksToFile(p.file, p.first, p.rest);
  }
}

export async function runScan(flags: ScanFlags, io: CliIO): Promise<number> {
  const policy = policyFor(flags);
  // Everything that can be wrong with the input is checked before anything is scanned.
  let baseline: Awaited<ReturnType<typeof import('../scan/baseline.js').readBaseline>> | undefined;
  let baselineModule: typeof import('../scan/baseline.js') | undefined;
  if (flags.baseline !== undefined) {
    baselineModule = await import('../scan/baseline.js');
    baseline = baselineModule.readBaseline(path.resolve(io.cwd, flags.baseline));
  }
  await checkRecordFlags(flags, io);
  const options = await applyShard(await prepareScan(flags, io, policy), flags, io);
  const progress = createProgress(io.stderr, { enabled: flags.progress && io.stderr.isTTY === true, columns: io.stderr.columns });
  let result: ScanResult;
  try {
    result = await scan({ ...options, now: io.now(), progress, compose: flags.compose, cwd: io.cwd });
  } finally {
    progress.done();
  }
  if (baseline && baselineModule) baselineModule.applyBaseline(result, baselineModule.compareToBaseline(result, baseline, baseline.source));
  for (const w of result.workloads) {
    for (const warning of w.warnings ?? []) {
      if (warning.startsWith('TRUST ON FIRST USE')) io.stderr.write(stderrLine(`${w.name}: ${warning}`));
    }
  }
  await writeReports(result, flags, io);
  await recordIfAsked(result, flags, io);
  for (const t of result.targets) {
    if (t.status === 'error') io.stderr.write(stderrLine(`could not scan ${t.target}: ${t.error}`));
  }
  if (result.incomplete) return EXIT.incomplete;
  return result.gate.passed ? EXIT.ok : EXIT.gateFailed;
}
