// `palisade merge`: the shard results of one fleet scan into one scan, from
// JSON report files or from the shard scans recorded in a shared history.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { Option, type Command } from 'commander';

import type { ScanResult } from '../model/report.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './main.js';
import { addRecordOptions, openHistoryFromFlags, recordIfAsked, type RecordFlags } from './record-options.js';

interface MergeFlags extends RecordFlags {
  shardGroup?: string;
  allowMissing?: boolean;
  format: 'json' | 'table' | 'markdown' | 'sarif' | 'junit';
  output?: string;
}

export function registerMergeCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('merge')
    .description(
      'Merge the shard results of a sharded scan (scan --shard i/n) into one scan: JSON report files, ' +
        'or with --shard-group the shard scans recorded in the history database (the merged scan is then recorded too).',
    )
    .argument('[reports...]', 'shard JSON reports (scan --shard i/n --format json)');
  addRecordOptions(command)
    .option('--shard-group <id>', 'merge the recorded shard scans of this group (scan --record --shard i/n --shard-group ID)')
    .option('--allow-missing', 'with --shard-group: merge even when some shards are not recorded (the result is marked incomplete)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['json', 'table', 'markdown', 'sarif', 'junit']).default('json'))
    .option('-o, --output <file>', 'write the merged report to a file instead of stdout')
    .action(async (reports: string[], flags: MergeFlags) => {
      const { UsageError } = await import('../errors.js');
      const { mergeScans } = await import('../history/merge.js');
      let merged: ScanResult;
      let scope = flags.scope;
      if (flags.shardGroup !== undefined) {
        if (reports.length > 0) throw new UsageError('merge: give shard reports or --shard-group, not both');
        const store = await openHistoryFromFlags(flags, io);
        try {
          const shards = await store.shardScans(flags.shardGroup);
          if (shards.length === 0) throw new UsageError(`merge: no shard scans of group ${JSON.stringify(flags.shardGroup)} in ${store.description}`);
          const count = shards[0]?.shard?.count ?? 0;
          // The newest recording of each shard index wins (a shard re-run after a failure).
          const byIndex = new Map<number, (typeof shards)[number]>();
          for (const s of shards) {
            if (s.shard?.count !== count) throw new UsageError(`merge: shard group ${flags.shardGroup} mixes shard counts (${count} and ${s.shard?.count})`);
            const seen = byIndex.get(s.shard.index);
            if (!seen || seen.recordedAt < s.recordedAt) byIndex.set(s.shard.index, s);
          }
          const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
          if (missing.length > 0 && flags.allowMissing !== true) {
            throw new UsageError(`merge: shard group ${flags.shardGroup} lacks shard(s) ${missing.join(', ')} of ${count}; wait for them or use --allow-missing`);
          }
          const picked = [...byIndex.values()].sort((x, y) => (x.shard?.index ?? 0) - (y.shard?.index ?? 0));
          const results = await Promise.all(picked.map((s) => store.getScan(s.id)));
          merged = mergeScans(results, picked.map((s) => `shard ${s.shard?.index}/${count}`));
          if (missing.length > 0) merged.incomplete = true;
          scope ??= picked[0]?.scope;
          const { scanId } = await store.record(merged, { scope: scope ?? 'default', command: 'merge' });
          io.stderr.write(`palisade: merged ${picked.length}/${count} shard scans of ${flags.shardGroup} into scan ${scanId} in ${store.description} (scope: ${scope})\n`);
          if (flags.keep !== undefined) {
            const { parseDuration } = await import('../history/duration.js');
            await store.prune(new Date(io.now().getTime() - parseDuration(flags.keep, '--keep')));
          }
        } finally {
          await store.close();
        }
      } else {
        if (reports.length === 0) throw new UsageError('merge: give shard JSON reports, or --shard-group ID with --db');
        const { readReport } = await import('./diff-command.js');
        const results = await Promise.all(reports.map((r) => readReport(r, io)));
        merged = mergeScans(results, reports);
        await recordIfAsked(merged, { ...flags, scope }, io, 'merge');
      }
      const { reporters } = await import('../reporters/index.js');
      const text = reporters[flags.format](merged, { color: false, width: 100 });
      if (flags.output !== undefined) writeFileSync(path.resolve(io.cwd, flags.output), text);
      else io.stdout.write(text);
      if (merged.incomplete) setExit(EXIT.incomplete);
      else setExit(merged.gate.passed ? EXIT.ok : EXIT.gateFailed);
    });
}
