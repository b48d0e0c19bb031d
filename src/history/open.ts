// Opens the history store named by --db / PALISADE_DB: a folder -> PGlite, a
// postgres:// URL -> PostgreSQL. Backends are loaded lazily.
import type { HistoryStore, OpenHistoryOptions } from './types.js';

export async function openHistory(db: string | undefined, env: NodeJS.ProcessEnv, options: OpenHistoryOptions = {}): Promise<HistoryStore> {
  const { openHistoryImpl } = await import('./backends.js');
  return openHistoryImpl(db, env, options);
}
