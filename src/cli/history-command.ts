// `palisade history`: recorded scans, and each workload's score and depth over them.
import { Option, type Command } from 'commander';

import { compareCodeUnits } from '../lib/order.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './main.js';
import { addDbOptions, openHistoryFromFlags, type DbFlags } from './record-options.js';

interface HistoryFlags extends DbFlags {
  scope?: string;
  since?: string;
  limit: string;
  workload?: string;
  top: string;
  shards?: boolean;
  format: 'table' | 'json';
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`${flag} must be a whole number from 1 to 100000`);
  return n;
}

export function registerHistoryCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('history')
    .description('List recorded scans, and the score and depth trend of each workload (followed by identity, not container id).');
  addDbOptions(command)
    .option('--scope <name>', 'only scans of this scope (default: the scope of the newest scan for the trend)')
    .option('--since <duration|date>', 'only scans since then: 30d, 12h, 2026-11-01')
    .option('--limit <n>', 'at most this many scans, newest first', '30')
    .option('--workload <text>', 'trend only for workloads whose name or identity contains this')
    .option('--top <n>', 'table: at most this many workloads, biggest drop in score first', '50')
    .option('--shards', 'include the shard scans of sharded fleet scans')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: HistoryFlags) => {
      const { UsageError } = await import('../errors.js');
      let limit: number;
      let top: number;
      try {
        limit = positive('--limit', flags.limit);
        top = positive('--top', flags.top);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { parseSince } = await import('../history/duration.js');
      const { groupTrend, historyTable } = await import('../history/render.js');
      const since = flags.since !== undefined ? parseSince(flags.since, io.now()) : undefined;
      const store = await openHistoryFromFlags(flags, io);
      try {
        const query: Parameters<typeof store.listScans>[0] = { limit, shards: flags.shards === true };
        if (flags.scope !== undefined) query.scope = flags.scope;
        if (since) query.since = since;
        const scans = await store.listScans(query);
        const scope = flags.scope ?? scans[0]?.scope;
        const oldest = scans.filter((s) => s.scope === scope).at(-1);
        let trend = groupTrend(
          oldest && scope !== undefined ? await store.workloadTrend({ scope, since: new Date(oldest.startedAt), shards: flags.shards === true }) : [],
        );
        if (flags.workload !== undefined) {
          const needle = flags.workload.toLowerCase();
          trend = trend.filter((t) => t.name.toLowerCase().includes(needle) || t.identity.toLowerCase().includes(needle));
        }
        if (flags.format === 'json') {
          io.stdout.write(`${JSON.stringify({ database: store.description, scope: scope ?? null, scans, workloads: trend }, null, 2)}\n`);
        } else {
          const drop = (t: (typeof trend)[number]) => (t.points[0]?.score ?? 0) - (t.points.at(-1)?.score ?? 0);
          const shown = [...trend].sort((a, b) => drop(b) - drop(a) || compareCodeUnits(a.name, b.name)).slice(0, top);
          io.stdout.write(historyTable(store.description, scans, shown, scope));
          if (trend.length > shown.length) io.stdout.write(`\n(${trend.length - shown.length} more workloads: --top N, --workload TEXT or --format json)\n`);
        }
      } finally {
        await store.close();
      }
      setExit(EXIT.ok);
    });
}
