// `palisade diff [A] [B]`: what changed between two scans, recorded or JSON reports.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { Option, type Command } from 'commander';

import type { ScanResult } from '../model/report.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './main.js';
import { addDbOptions, openHistoryFromFlags, type DbFlags } from './record-options.js';

interface DiffFlags extends DbFlags {
  scope?: string;
  format: 'table' | 'json' | 'markdown';
  failOnRegression?: boolean;
}

/** A JSON report file rather than a scan id: it exists, or it looks like a file name. */
function isFile(arg: string, io: CliIO): boolean {
  return existsSync(path.resolve(io.cwd, arg)) || /[/\\]|\.json$/i.test(arg);
}

export async function readReport(file: string, io: CliIO): Promise<ScanResult> {
  const { readFileSync } = await import('node:fs');
  const { UsageError } = await import('../errors.js');
  const resolved = path.resolve(io.cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolved, 'utf8'));
  } catch (cause) {
    throw new UsageError(`${resolved}: not a readable JSON report (${(cause as Error).message})`, { cause });
  }
  const r = parsed as Partial<ScanResult>;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.workloads) || !Array.isArray(r.findings) || typeof r.startedAt !== 'string') {
    throw new UsageError(`${resolved}: not a palisade JSON report (needs startedAt, workloads and findings; write one with --format json)`);
  }
  return parsed as ScanResult;
}

export function registerDiffCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('diff')
    .description(
      'What changed between two scans: new and fixed findings, workloads whose score or depth (own or effective) dropped, layers lost, waivers expired. ' +
        'A and B are recorded scan ids (or 4+ leading characters) or JSON report files; default: the last two recorded scans of one scope.',
    )
    .argument('[a]', 'the earlier scan: id or report.json (default: the one before B)')
    .argument('[b]', 'the later scan: id or report.json (default: the newest)');
  addDbOptions(command)
    .option('--scope <name>', 'without ids: the scope whose last two scans to compare (default: that of the newest scan)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('--fail-on-regression', 'exit 1 when B is worse than A (new failing finding, regressed workload, lost layer, expired waiver)')
    .addHelpText('after', '\nExit codes: 0 done (or no regression), 1 regression with --fail-on-regression, 2 usage error, 5 history database unavailable\n')
    .action(async (a: string | undefined, b: string | undefined, flags: DiffFlags) => {
      const { diffScans } = await import('../history/diff.js');
      const { UsageError } = await import('../errors.js');
      const { diffMarkdown, diffTable } = await import('../history/render.js');
      let diff;
      if (a !== undefined && b !== undefined && isFile(a, io) && isFile(b, io)) {
        diff = diffScans(await readReport(a, io), await readReport(b, io));
      } else {
        const store = await openHistoryFromFlags(flags, io);
        try {
          const load = async (arg: string) => (isFile(arg, io) ? { scan: await readReport(arg, io) } : { id: await store.resolveId(arg) });
          let left: { id?: string; scan?: ScanResult };
          let right: { id?: string; scan?: ScanResult };
          if (a === undefined) {
            const scope = flags.scope ?? (await store.listScans({ limit: 1 }))[0]?.scope;
            const last = scope === undefined ? [] : await store.listScans({ scope, limit: 2 });
            if (last.length < 2 || !last[0] || !last[1]) {
              throw new UsageError(`palisade diff needs two recorded scans${scope !== undefined ? ` of scope ${JSON.stringify(scope)}` : ''} in ${store.description}; found ${last.length}`);
            }
            left = { id: last[1].id };
            right = { id: last[0].id };
          } else if (b === undefined) {
            left = await load(a);
            const scope = flags.scope ?? (left.id ? (await store.listScans({ limit: 100_000, shards: true })).find((s) => s.id === left.id)?.scope : undefined);
            const [newest] = await store.listScans(scope !== undefined ? { scope, limit: 1 } : { limit: 1 });
            if (!newest) throw new UsageError(`no recorded scan to compare ${a} with in ${store.description}`);
            right = { id: newest.id };
          } else {
            left = await load(a);
            right = await load(b);
          }
          if (left.id && right.id) diff = await store.diff(left.id, right.id);
          else {
            diff = diffScans(left.scan ?? (await store.getScan(left.id ?? '')), right.scan ?? (await store.getScan(right.id ?? '')));
            if (left.id) diff.a.id = left.id;
            if (right.id) diff.b.id = right.id;
          }
        } finally {
          await store.close();
        }
      }
      const render = { json: (d: typeof diff) => `${JSON.stringify(d, null, 2)}\n`, table: diffTable, markdown: diffMarkdown }[flags.format];
      io.stdout.write(render(diff));
      setExit(flags.failOnRegression === true && diff.regression ? EXIT.gateFailed : EXIT.ok);
    });
}
