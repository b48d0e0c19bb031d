// The shared backend: a PostgreSQL server through `pg`. The password never
// comes from the command line and never appears in a message.
import type { Connection, PoolClient } from 'pg';

import { copyTarget, copyText } from './copy.js';
import { HistoryError } from './errors.js';
import type { Sql, SqlRunner } from './sql.js';
import { redactUrl, scrub } from './url.js';

interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** CopyData messages of at most this many bytes. */
const COPY_CHUNK = 1 << 20;

/**
 * `COPY ... FROM STDIN` through pg's Submittable interface (the one
 * pg-copy-streams and pg-cursor use): pg calls these handlers as the
 * server's messages arrive, and `callback` once, when the statement is done.
 */
class CopyIn {
  callback?: (err: Error | null) => void;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {}

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection & { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }): void {
    for (let at = 0; at < this.data.length; at += COPY_CHUNK) connection.sendCopyFromChunk(this.data.subarray(at, at + COPY_CHUNK));
    connection.endCopyFrom();
  }

  handleError(err: Error): void {
    this.done(err);
  }

  handleReadyForQuery(): void {
    this.done(null);
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private done(err: Error | null): void {
    const cb = this.callback;
    this.callback = undefined;
    cb?.(err);
  }
}

function copyIn(client: PoolClient, text: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const q = new CopyIn(text, Buffer.from(data));
    q.callback = (err) => (err ? reject(err) : resolve());
    client.query(q);
  });
}

function runner(client: Queryable, fail: (err: unknown) => never, copy: (text: string, data: string) => Promise<void>): SqlRunner {
  return {
    async copyFrom(table, columns, rows) {
      try {
        await copy(`COPY ${copyTarget(table, columns)} FROM STDIN`, copyText(columns, rows));
      } catch (err) {
        fail(err);
      }
    },
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
  const pooled = async (text: string, data: string) => {
    const client = await pool.connect();
    try {
      await copyIn(client, text, data);
    } finally {
      client.release();
    }
  };
  return {
    ...runner(pool, fail, pooled),
    async transaction(fn) {
      let client: import('pg').PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        return fail(err);
      }
      const tx = runner(client, fail, (text, data) => copyIn(client, text, data));
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
