// The progress indicator of `palisade scan`: one line on stderr, redrawn in
// place, only on a terminal (and not with --no-progress); never on stdout.
//
//   scanning 3/12 targets, 740 workloads, 2 errors, 0:04 elapsed, ETA 0:06 - unix:///var/run/docker.sock 740/1000
//
// The ETA is the elapsed time scaled by the fraction of work left: each
// engine counts by its containers inspected, each SSH host as one unit.
import { terminalText } from '../lib/sanitize.js';
import type { ScanProgress } from '../scan/scan.js';

export interface Progress extends ScanProgress {
  /** Clears the line (call once, after the scan, before anything else is written). */
  done(): void;
}

export interface ProgressOptions {
  enabled: boolean;
  /** Terminal width; the line is cut to fit (default 80). */
  columns?: number;
  /** Clock in milliseconds (tests inject one). */
  now?: () => number;
  /** Redraws at most this often, in ms (default 100); the last update is always drawn. */
  intervalMs?: number;
  /** Redraws the elapsed time this often while nothing happens, in ms (default 1000; 0: never). */
  tickMs?: number;
}

/** A name from the command line, an inventory or an engine, shown escaped and cut. */
export function terminalSafe(text: string): string {
  return terminalText(text, 80);
}

/** m:ss, or h:mm:ss from an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

interface TargetState {
  done: boolean;
  containersDone: number;
  containersTotal: number;
}

const NOOP: Progress = { start: () => undefined, containers: () => undefined, targetDone: () => undefined, done: () => undefined };

export function createProgress(stream: NodeJS.WritableStream, options: ProgressOptions): Progress {
  if (!options.enabled) return NOOP;
  const now = options.now ?? (() => Date.now());
  const intervalMs = options.intervalMs ?? 100;
  const width = Math.max(20, (options.columns ?? 80) - 1);
  const targets = new Map<string, TargetState>();
  let started = now();
  let lastDraw = -Infinity;
  let shown = false;
  let errors = 0;
  let workloads = 0;
  let current = '';
  let timer: NodeJS.Timeout | undefined;

  function line(): string {
    const all = [...targets.values()];
    const finished = all.filter((t) => t.done).length;
    let fraction = 0;
    for (const t of all) fraction += t.done ? 1 : t.containersTotal > 0 ? t.containersDone / (t.containersTotal + 1) : 0;
    fraction = all.length > 0 ? fraction / all.length : 0;
    const elapsed = now() - started;
    const eta = fraction > 0 && fraction < 1 ? `, ETA ${clock((elapsed * (1 - fraction)) / fraction)}` : '';
    const errorText = `${errors} error${errors === 1 ? '' : 's'}`;
    const text =
      `scanning ${finished}/${all.length} targets, ${workloads} workloads, ${errorText}, ${clock(elapsed)} elapsed${eta}` +
      (current === '' ? '' : ` - ${current}`);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }

  function draw(force: boolean): void {
    const t = now();
    if (!force && t - lastDraw < intervalMs) return;
    lastDraw = t;
    shown = true;
    stream.write(`\r\x1b[2K${line()}`);
  }

  function state(target: string): TargetState {
    let s = targets.get(target);
    if (!s) {
      s = { done: false, containersDone: 0, containersTotal: 0 };
      targets.set(target, s);
    }
    return s;
  }

  return {
    start(list) {
      started = now();
      for (const t of list) state(t);
      draw(true);
      const tickMs = options.tickMs ?? 1000;
      if (tickMs > 0) {
        timer = setInterval(() => draw(true), tickMs);
        timer.unref();
      }
    },
    containers(target, done, total, failed) {
      const s = state(target);
      if (done > s.containersDone) workloads += done - s.containersDone;
      s.containersDone = done;
      s.containersTotal = total;
      if (failed) errors++;
      current = `${terminalSafe(target)} ${done}/${total}`;
      draw(false);
    },
    targetDone(target, count, error) {
      const s = state(target);
      s.done = true;
      // An engine's containers were counted as they came; the engine itself and an SSH host count here.
      workloads += Math.max(0, count - s.containersDone);
      if (error !== undefined) errors++;
      current = `${terminalSafe(target)} ${error === undefined ? 'done' : 'failed'}`;
      draw([...targets.values()].every((t) => t.done));
    },
    done() {
      if (timer) clearInterval(timer);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
