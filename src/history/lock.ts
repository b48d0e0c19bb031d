// A PGlite folder is used by one process at a time: a lock file in the folder
// holds the owner's pid. Another process waits for it (up to a timeout) and
// then gives a clear error; a lock left by a dead process is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

import { HistoryError } from './errors.js';

export interface FolderLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = readFileSync(file, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

export async function lockFolder(file: string, folder: string, timeoutMs: number): Promise<FolderLock> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${hostname()}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new HistoryError('unavailable', `cannot lock the history folder ${folder}: ${(err as Error).message}`, { cause: err });
      }
    }
    const owner = holder(file);
    // A lock of a process that no longer exists on this machine is stale (the writer was killed).
    if (owner && owner.host === hostname() && !alive(owner.pid)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}` : 'another process';
      throw new HistoryError(
        'unavailable',
        `the history folder ${folder} is in use by ${who} (waited ${Math.round(timeoutMs / 1000)} s; an embedded database serves one process at a time: ` +
          'for several scanners at once use PostgreSQL, --db postgres://...)',
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}
