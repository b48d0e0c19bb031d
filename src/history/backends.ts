// Which database --db names, where its password comes from, and opening it
// with the schema migrated.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { HistoryError } from './errors.js';
import { migrate } from './migrate.js';
import type { Sql } from './sql.js';
import { createStore, type SqlHistoryStore, type StoreHooks } from './store.js';
import type { OpenHistoryOptions } from './types.js';
import { isPostgresUrl, redactUrl } from './url.js';

export const DEFAULT_DB_FOLDER = './palisade-data';

export type DbLocation = { kind: 'pglite'; folder: string } | { kind: 'postgres'; url: string; password?: string };

/**
 * `--db` (a folder or a URL without a password), else `--db-env NAME` /
 * PALISADE_DB_URL (a URL, password allowed: it is not on the command line),
 * else PALISADE_DB (folder or URL), else ./palisade-data.
 */
export function resolveDb(db: string | undefined, env: NodeJS.ProcessEnv, options: OpenHistoryOptions = {}): DbLocation {
  const cwd = options.cwd ?? process.cwd();
  let value: string;
  let fromCommandLine = false;
  if (db !== undefined && db !== '') {
    value = db;
    fromCommandLine = true;
  } else if (options.dbEnv !== undefined) {
    const v = env[options.dbEnv];
    if (v === undefined || v === '') throw new UsageError(`--db-env ${options.dbEnv}: that environment variable is not set`);
    value = v;
  } else if (env['PALISADE_DB_URL']) {
    value = env['PALISADE_DB_URL'];
  } else {
    value = env['PALISADE_DB'] || DEFAULT_DB_FOLDER;
  }
  if (!isPostgresUrl(value)) {
    if (options.passwordFile !== undefined) throw new UsageError('--db-password-file applies to a PostgreSQL URL, not to a folder');
    return { kind: 'pglite', folder: path.resolve(cwd, value) };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`history database URL ${redactUrl(value)} is not a valid URL`);
  }
  if (fromCommandLine && (url.password !== '' || /[?&][^=]*pass[^=]*=/i.test(url.search))) {
    throw new UsageError(
      `--db ${redactUrl(value)}: do not put the password on the command line (other users can read it); ` +
        'give the URL in PALISADE_DB_URL (or --db-env NAME), or the password in --db-password-file',
    );
  }
  const out: DbLocation = { kind: 'postgres', url: value };
  if (options.passwordFile !== undefined) {
    const file = path.resolve(cwd, options.passwordFile);
    try {
      out.password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      throw new UsageError(`--db-password-file ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'cannot be read'}`, { cause });
    }
  }
  return out;
}

export function describeDb(location: DbLocation): string {
  return location.kind === 'pglite' ? location.folder : redactUrl(location.url);
}

export async function openSql(location: DbLocation, options: OpenHistoryOptions = {}): Promise<Sql> {
  if (location.kind === 'pglite') {
    const { openPglite } = await import('./pglite.js');
    return openPglite(location.folder, options.lockTimeoutMs ?? 30_000);
  }
  const { openPostgres } = await import('./postgres.js');
  return openPostgres(location.url, location.password);
}

export async function openHistoryImpl(
  db: string | undefined,
  env: NodeJS.ProcessEnv,
  options: OpenHistoryOptions & { hooks?: StoreHooks } = {},
): Promise<SqlHistoryStore> {
  const location = resolveDb(db, env, options);
  const sql = await openSql(location, options);
  try {
    await migrate(sql);
  } catch (cause) {
    await sql.close().catch(() => {});
    if (cause instanceof HistoryError) throw cause;
    throw new HistoryError('schema', `cannot prepare the history schema in ${describeDb(location)}: ${(cause as Error).message}`, { cause });
  }
  return createStore(sql, describeDb(location), options.hooks);
}
