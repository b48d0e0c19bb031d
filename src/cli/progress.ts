// A one-line progress indicator on stderr, only on a terminal.
import { terminalText } from '../lib/sanitize.js';

export interface Progress {
  update(target: string, done: number, total: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WritableStream, enabled: boolean): Progress {
  if (!enabled) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(target, done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      shown = true;
      // The target's name comes from the command line or an inventory: shown escaped and cut.
      stream.write(`\r\x1b[2Kscanning ${terminalText(target, 80)}: ${done}/${total} containers`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
