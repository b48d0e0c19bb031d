// The history database flags, the same on every command that opens the store.
import type { Command } from 'commander';

export interface DbFlags {
  db?: string;
  dbEnv?: string;
  dbPasswordFile?: string;
}

export function addDbOptions(command: Command): Command {
  return command
    .option('--db <folder|url>', 'history database: a folder (embedded PGlite) or postgres://user@host/db without a password (default $PALISADE_DB, else ./palisade-data)')
    .option('--db-env <name>', 'environment variable holding the PostgreSQL URL, password allowed (default PALISADE_DB_URL)')
    .option('--db-password-file <file>', 'file holding the PostgreSQL password');
}
