// The embedded backend: PGlite (PostgreSQL compiled to WebAssembly) in a data folder.
// Layout: <folder>/pgdata is PGlite's data directory; <folder>/palisade.lock while open.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { copyTarget, copyText } from './copy.js';
import { HistoryError } from './errors.js';
import { lockFolder } from './lock.js';
import type { Sql, SqlRunner } from './sql.js';

interface Queryable {
  query<T>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
  exec(text: string): Promise<unknown>;
}

interface PGliteLike extends Queryable {
  transaction<R>(fn: (tx: Queryable) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

function runner(db: Queryable): SqlRunner {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await db.query<T>(text, [...params])).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async copyFrom(table, columns, rows) {
      // PGlite's COPY reads a file: /dev/blob is the Blob given with the query
      // (made from a Buffer: Blob's own encoding of a string is several times slower).
      await db.query(`COPY ${copyTarget(table, columns)} FROM '/dev/blob'`, [], { blob: new Blob([Buffer.from(copyText(columns, rows))]) });
    },
  };
}

/** Refuses a folder that holds something other than a palisade database, before anything is written. */
function checkFolder(folder: string, dataDir: string): 'new' | 'existing' {
  if (!existsSync(folder)) return 'new';
  const entries = readdirSync(folder).filter((e) => e !== 'palisade.lock');
  if (entries.length === 0) return 'new';
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new HistoryError(
      'corrupt',
      `${folder} is not a palisade history folder (no pgdata/PG_VERSION) and is not empty; nothing was changed. Give --db an empty or new folder`,
    );
  }
  const version = readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
  if (!/^\d+$/.test(version) || !existsSync(path.join(dataDir, 'global', 'pg_control'))) {
    throw new HistoryError('corrupt', `the history folder ${folder} is damaged (PG_VERSION "${version.slice(0, 20)}", global/pg_control ${existsSync(path.join(dataDir, 'global', 'pg_control')) ? 'present' : 'missing'}); nothing was changed. Restore it from a backup or move it away`);
  }
  return 'existing';
}

export async function openPglite(folder: string, lockTimeoutMs: number): Promise<Sql> {
  const dataDir = path.join(folder, 'pgdata');
  const state = checkFolder(folder, dataDir);
  mkdirSync(folder, { recursive: true });
  const lock = await lockFolder(path.join(folder, 'palisade.lock'), folder, lockTimeoutMs);
  let db: PGliteLike;
  try {
    // Checked again under the lock: another process may have created it meanwhile.
    checkFolder(folder, dataDir);
    const { PGlite } = await import('@electric-sql/pglite');
    db = (await PGlite.create(dataDir)) as unknown as PGliteLike;
    await db.query('SELECT 1');
  } catch (cause) {
    lock.release();
    if (cause instanceof HistoryError) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new HistoryError(
      state === 'new' ? 'unavailable' : 'corrupt',
      state === 'new'
        ? `cannot create the history database in ${folder}: ${detail}`
        : `the history folder ${folder} cannot be opened, it looks damaged (${detail}); restore it from a backup or move it away`,
      { cause },
    );
  }
  let closed = false;
  return {
    ...runner(db),
    transaction: (fn) => db.transaction((tx) => fn(runner(tx))),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
