// The shared backend: a PostgreSQL server through `pg`. The password never
// comes from the command line and never appears in a message.
import { HistoryError } from './errors.js';
import type { Sql, SqlRunner } from './sql.js';
import { redactUrl, scrub } from './url.js';

interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

function runner(client: Queryable, fail: (err: unknown) => never): SqlRunner {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      try {
        return (await client.query(text, [...params])).rows as T[];
      } catch (err) {
        return fail(err);
      }
    },
    async exec(text: string) {
      try {
        await client.query(text);
      } catch (err) {
        fail(err);
      }
    },
  };
}

export async function openPostgres(url: string, password: string | undefined): Promise<Sql> {
  const shown = redactUrl(url);
  const parsed = new URL(url);
  const secret = password ?? (parsed.password !== '' ? decodeURIComponent(parsed.password) : undefined);
  const clean = (err: unknown): string => scrub(err instanceof Error ? err.message : String(err), secret);
  const fail = (err: unknown): never => {
    if (err instanceof HistoryError) throw err;
    throw new HistoryError('unavailable', `${shown}: ${clean(err)}`);
  };
  const { default: pg } = await import('pg');
  // pg lets the connection string override a separate `password`, so the password from a file goes into the (never shown) string.
  const withPassword = new URL(url);
  if (password !== undefined) withPassword.password = encodeURIComponent(password);
  const config: import('pg').PoolConfig = { connectionString: withPassword.toString(), max: 4, connectionTimeoutMillis: 10_000, application_name: 'palisade' };
  const pool = new pg.Pool(config);
  // An idle connection that the server closes must not crash the process.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new HistoryError('unavailable', `cannot connect to the history database ${shown}: ${clean(err)}`);
  }
  return {
    ...runner(pool, fail),
    async transaction(fn) {
      let client: import('pg').PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        return fail(err);
      }
      const tx = runner(client, fail);
      try {
        await tx.exec('BEGIN');
        const out = await fn(tx);
        await tx.exec('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
