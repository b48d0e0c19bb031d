// The little SQL surface the store needs, implemented by PGlite and pg alike:
// the same SQL text runs on both; only where COPY reads its rows from differs.
import type { CopyColumn } from './copy.js';

export interface SqlRunner {
  /** One statement with $n parameters. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Bulk insert: `rows` (values in `columns` order) into `table` with one COPY. */
  copyFrom(table: string, columns: readonly CopyColumn[], rows: readonly (readonly unknown[])[]): Promise<void>;
}

export interface Sql extends SqlRunner {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<R>(fn: (tx: SqlRunner) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}
