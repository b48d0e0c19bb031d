// Placeholder until the store lands (this commit only fixes the interface).
import { HistoryError } from './errors.js';
import type { HistoryStore, OpenHistoryOptions } from './types.js';

export async function openHistoryImpl(_db: string | undefined, _env: NodeJS.ProcessEnv, _options: OpenHistoryOptions): Promise<HistoryStore> {
  throw new HistoryError('unavailable', 'the history store is not built yet');
}
