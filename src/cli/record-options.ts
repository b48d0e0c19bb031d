// `--record` and the history database options shared by `scan`, `check` and
// `merge`; `recordIfAsked` records a finished scan when --record was given.
// Light on purpose: the store itself is imported only when it is used.
import path from 'node:path';

import { Option, type Command } from 'commander';

import { UsageError } from '../errors.js';
import type { ScanResult } from '../model/report.js';
import type { RecordCommand } from '../history/types.js';
import type { CliIO } from './io.js';
import { stderrLine } from './stderr.js';

export interface DbFlags {
  db?: string;
  dbEnv?: string;
  dbPasswordFile?: string;
}

export interface RecordFlags extends DbFlags {
  record?: boolean;
  keep?: string;
  scope?: string;
  /** Set by `scan --shard`: recorded as a shard of `shardGroup`. */
  shard?: string;
  shardGroup?: string;
  /** Used for the default scope. */
  inventory?: string;
  docker?: string[];
}

const DB_HELP = 'history database: a folder (PGlite, default $PALISADE_DB or ./palisade-data) or postgres://user@host/db (password from --db-password-file)';

/** --db, --db-env, --db-password-file. */
export function addDbOptions(command: Command): Command {
  return command
    .option('--db <folder|url>', DB_HELP)
    .option('--db-env <name>', 'environment variable holding the PostgreSQL URL, password included (default PALISADE_DB_URL)')
    .option('--db-password-file <file>', 'file holding the PostgreSQL password');
}

/** --record, --keep, --scope and the database options. */
export function addRecordOptions(command: Command): Command {
  addDbOptions(command);
  return command
    .option('--record', 'record the scan in the history database (see palisade history, diff)')
    .addOption(new Option('--keep <duration>', 'with --record: delete recorded scans older than this, e.g. 90d, 12h, 2w'))
    .option('--scope <name>', 'with --record: which estate this scan covers, for history and diff (default: policy, inventory and --docker values; $PALISADE_SCOPE)');
}

/** The scope a scan is recorded under when --scope is not given. */
export function defaultScope(result: ScanResult, flags: RecordFlags, io: CliIO): string {
  if (flags.scope !== undefined && flags.scope !== '') return flags.scope;
  const fromEnv = io.env['PALISADE_SCOPE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const parts = [`policy=${result.policy.name}`];
  if (flags.inventory !== undefined) parts.push(`inventory=${path.resolve(io.cwd, flags.inventory)}`);
  for (const d of [...(flags.docker ?? [])].sort()) parts.push(`docker=${d}`);
  return parts.join(' ');
}

export async function openHistoryFromFlags(flags: DbFlags, io: CliIO) {
  const { openHistoryImpl } = await import('../history/backends.js');
  const options: { cwd: string; dbEnv?: string; passwordFile?: string } = { cwd: io.cwd };
  if (flags.dbEnv !== undefined) options.dbEnv = flags.dbEnv;
  if (flags.dbPasswordFile !== undefined) options.passwordFile = flags.dbPasswordFile;
  return openHistoryImpl(flags.db, io.env, options);
}

/** Checks --keep and the shard flags before anything is scanned. */
export async function checkRecordFlags(flags: RecordFlags, io: CliIO): Promise<void> {
  const recordOnly = ['keep', 'scope', 'db', 'dbEnv', 'dbPasswordFile'] as const;
  if (flags.record !== true) {
    const given = recordOnly.filter((k) => flags[k] !== undefined);
    if (given.length > 0) throw new UsageError(`--${given[0]?.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --record`);
    return;
  }
  if (flags.keep !== undefined) {
    const { parseDuration } = await import('../history/duration.js');
    parseDuration(flags.keep, '--keep');
  }
  if (flags.shard !== undefined && (flags.shardGroup ?? io.env['PALISADE_SHARD_GROUP'] ?? '') === '') {
    throw new UsageError('--record with --shard needs --shard-group ID (or $PALISADE_SHARD_GROUP): the id that palisade merge --shard-group joins the shards by');
  }
}

/**
 * Records `result` when --record was given (and prunes with --keep); says so
 * on stderr. For `scan`, `check` and `merge`.
 */
export async function recordIfAsked(
  result: ScanResult,
  flags: RecordFlags,
  io: CliIO,
  command: RecordCommand = 'scan',
): Promise<{ scanId: string } | undefined> {
  if (flags.record !== true) return undefined;
  await checkRecordFlags(flags, io);
  const store = await openHistoryFromFlags(flags, io);
  try {
    const meta: Parameters<typeof store.record>[1] = { scope: defaultScope(result, flags, io), command };
    if (flags.shard !== undefined) {
      const { parseShard } = await import('../scan/shard.js');
      const shard = parseShard(flags.shard, io.env);
      meta.shard = { group: flags.shardGroup ?? io.env['PALISADE_SHARD_GROUP'] ?? '', index: shard.index, count: shard.count };
    }
    const recorded = await store.record(result, meta);
    const shardNote = meta.shard ? ` (shard ${meta.shard.index}/${meta.shard.count} of ${meta.shard.group})` : '';
    io.stderr.write(stderrLine(`recorded scan ${recorded.scanId}${shardNote} in ${store.description} (scope: ${meta.scope})`));
    if (flags.keep !== undefined) {
      const { parseDuration } = await import('../history/duration.js');
      const cutoff = new Date(io.now().getTime() - parseDuration(flags.keep, '--keep'));
      const removed = await store.prune(cutoff);
      if (removed > 0) io.stderr.write(stderrLine(`--keep ${flags.keep}: deleted ${removed} scan(s) started before ${cutoff.toISOString()}`));
    }
    return recorded;
  } finally {
    await store.close();
  }
}

/** `scan`'s history flags: --record and the database, --shard, --shard-group. */
export function addScanHistoryOptions(command: Command): Command {
  return addRecordOptions(command)
    .option('--shard <i/n>', 'scan only shard i of n (1-based: 1/20 .. 20/20; auto/n takes the 0-based JOB_COMPLETION_INDEX), by a stable hash of each target')
    .option('--shard-group <id>', 'with --record --shard: the id shared by the shards of one fleet scan, for palisade merge --shard-group ($PALISADE_SHARD_GROUP)');
}

/** With --shard, keeps only this shard's hosts and engines (an engine stays with its inventory host). */
export async function applyShard<O extends { hosts?: readonly { name: string }[]; targets: readonly { host?: string; display: string }[] }>(
  options: O,
  flags: RecordFlags,
  io: CliIO,
): Promise<O> {
  if (flags.shard === undefined) return options;
  const { parseShard, shardTargets } = await import('../scan/shard.js');
  const shard = parseShard(flags.shard, io.env);
  const picked = shardTargets(options.hosts ?? [], options.targets, shard);
  io.stderr.write(
    stderrLine(`shard ${shard.index}/${shard.count}: ${picked.hosts.length} of ${options.hosts?.length ?? 0} hosts, ${picked.targets.length} of ${options.targets.length} engines`),
  );
  return { ...options, hosts: picked.hosts, targets: picked.targets };
}
