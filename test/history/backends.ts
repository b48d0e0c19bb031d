// The two history backends for tests: PGlite always (fresh folders copied from
// an initdb'd template made once per machine and schema), and the PostgreSQL
// server of scripts/setup-postgres-integration.sh (a fresh database per call).
// With PALISADE_REQUIRE_INTEGRATION=1 a missing server fails the tests.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

export const REQUIRE = process.env['PALISADE_REQUIRE_INTEGRATION'] === '1';
export const PG_URL = process.env['PALISADE_TEST_PG_URL'] ?? 'postgres://palisade:palisade@127.0.0.1:5432/palisade_test';

export interface TestDb {
  /** What to pass as --db / PALISADE_DB (folder) or PALISADE_DB_URL (URL). */
  db: string;
  /** Environment for openHistory / the CLI. */
  env: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  fresh(): Promise<TestDb>;
}

/** A PGlite data folder with nothing but initdb done, copied for each fresh database. */
async function template(): Promise<string> {
  const dir = path.join(tmpdir(), `palisade-pglite-template-${process.getuid?.() ?? 0}`);
  if (existsSync(path.join(dir, 'pgdata', 'PG_VERSION'))) return dir;
  const build = mkdtempSync(path.join(tmpdir(), 'palisade-pglite-build-'));
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(path.join(build, 'pgdata'));
  await db.close();
  try {
    renameSync(build, dir);
  } catch {
    // Another test file made it first.
    rmSync(build, { recursive: true, force: true });
  }
  return dir;
}

export async function freshFolder(): Promise<string> {
  const from = await template();
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-history-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

const pglite: Backend = {
  name: 'pglite',
  async fresh() {
    const dir = await freshFolder();
    return {
      db: dir,
      env: { PALISADE_DB: dir },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const postgres: Backend = {
  name: 'postgres',
  async fresh() {
    const name = `palisade_t_${randomBytes(5).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    return {
      db: url.toString(),
      env: { PALISADE_DB_URL: url.toString() },
      async drop() {
        // The test role may not terminate sessions (no pg_signal_backend): wait for closed pools to go away.
        for (let i = 0; ; i++) {
          try {
            await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
            return;
          } catch (err) {
            if (i >= 20) throw err;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      },
    };
  },
};

/** Whether the PostgreSQL server answers; throws when it must (CI) and does not. */
export async function postgresReady(): Promise<boolean> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return true;
  } catch (err) {
    if (REQUIRE) {
      throw new Error(`PALISADE_REQUIRE_INTEGRATION=1 but PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, '@')} does not answer (${String(err)}); run scripts/setup-postgres-integration.sh`);
    }
    return false;
  }
}

/** PGlite, plus PostgreSQL when it answers (or always, failing, in CI). */
export async function backends(): Promise<Backend[]> {
  return (await postgresReady()) ? [pglite, postgres] : [pglite];
}

export { pglite, postgres };
