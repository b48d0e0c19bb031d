// Versioned migrations: src/history/migrations/NNN_name.sql, applied in order,
// each recorded in schema_migrations, all under one advisory lock so that two
// processes opening an empty database at once do not both migrate it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { packageRoot } from '../paths.js';
import { HistoryError } from './errors.js';
import type { Sql } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The shipped migrations, read from the package (works from src/, dist/ and the bundle). */
export const migrationsDir = path.join(packageRoot, 'src', 'history', 'migrations');

export function loadMigrations(dir: string = migrationsDir): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (cause) {
    throw new HistoryError('schema', `history schema migrations not found in ${dir} (broken installation?)`, { cause });
  }
  const out: Migration[] = [];
  for (const file of files.sort()) {
    const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m?.[1] || !m[2]) continue;
    out.push({ version: Number(m[1]), name: m[2], sql: readFileSync(path.join(dir, file), 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new HistoryError('schema', `history migrations in ${dir}: expected version ${i + 1}, found ${m.version}`);
  });
  return out;
}

/** Any fixed number shared by every palisade: the migration lock. */
const MIGRATION_LOCK = 7_215_301;

/** Brings the schema up to the last of `migrations`; returns the versions applied now. */
export async function migrate(sql: Sql, migrations: readonly Migration[] = loadMigrations()): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const mine = known.get(row.version);
      if (!mine) {
        const newest = migrations.at(-1)?.version ?? 0;
        throw new HistoryError(
          'schema',
          `the history database is at schema version ${Math.max(...rows.map((r) => r.version))}, newer than this palisade knows (${newest}); upgrade palisade`,
        );
      }
      if (mine.name !== row.name) {
        throw new HistoryError('schema', `history schema version ${row.version} is "${row.name}" in the database but "${mine.name}" here; not a palisade history database?`);
      }
    }
    const applied = new Set(rows.map((r) => r.version));
    const now: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      now.push(m.version);
    }
    return now;
  });
}
