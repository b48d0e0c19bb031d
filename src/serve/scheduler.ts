// Fires a job at the times of a cron expression. croner parses the expression
// and computes the next run; the firing loop is ours, on an injected Clock, so
// tests move time without waiting. A tick that comes while the job still runs
// is skipped and logged: scans never overlap.
import { Cron } from 'croner';

import { UsageError } from '../errors.js';
import type { Clock, Timer } from './clock.js';

/** Longest single timer: long waits are re-armed, so a clock jump is noticed within this. */
const MAX_TIMER_MS = 60_000;

export interface Schedule {
  expression: string;
  /** Next run strictly after `from`, or null when the expression has no further run. */
  next(from: Date): Date | null;
}

/** Parses a cron expression (5 fields, or 6 with seconds; @hourly and the like). Throws UsageError. */
export function parseSchedule(expression: string, options: { timezone?: string; what?: string } = {}): Schedule {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, ...(options.timezone ? { timezone: options.timezone } : {}) });
  } catch (cause) {
    const what = options.what ?? '--schedule';
    throw new UsageError(`${what} ${JSON.stringify(expression)} is not a valid cron expression: ${(cause as Error).message}`, { cause });
  }
  return { expression, next: (from) => cron.nextRun(from) };
}

export interface SchedulerEvents {
  /** A tick fired and the job started. */
  started?(at: Date): void;
  /** A tick fired while the job was still running. */
  skipped?(at: Date): void;
  /** The job threw (it should not: the serve job catches its own errors). */
  failed?(at: Date, error: unknown): void;
}

export class Scheduler {
  private timer: Timer | undefined;
  private nextAt: Date | null = null;
  private current: Promise<void> | undefined;
  private stopped = true;
  ticks = 0;
  skipped = 0;

  constructor(
    private readonly schedule: Schedule,
    private readonly clock: Clock,
    private readonly job: (at: Date) => Promise<void>,
    private readonly events: SchedulerEvents = {},
  ) {}

  /** Starts the loop; the first tick is the schedule's next time after now. */
  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** When the next tick fires (null when stopped or none is left). */
  get next(): Date | null {
    return this.stopped ? null : this.nextAt;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Runs the job now unless it is already running (then logs a skip). Resolves when this run ends. */
  trigger(at: Date = this.clock.now()): Promise<void> {
    this.ticks++;
    if (this.current) {
      this.skipped++;
      this.events.skipped?.(at);
      return Promise.resolve();
    }
    this.events.started?.(at);
    const run = (async () => {
      try {
        await this.job(at);
      } catch (error) {
        this.events.failed?.(at, error);
      } finally {
        this.current = undefined;
      }
    })();
    this.current = run;
    return run;
  }

  /** No further ticks. Resolves at once; `idle()` waits for a running job. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Resolves when no job is running. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    this.nextAt = this.schedule.next(now);
    if (this.nextAt === null) return;
    this.wait(this.nextAt);
  }

  private wait(target: Date): void {
    const delay = Math.max(0, target.getTime() - this.clock.now().getTime());
    this.timer = this.clock.setTimer(Math.min(delay, MAX_TIMER_MS), () => {
      this.timer = undefined;
      if (this.stopped) return;
      if (this.clock.now().getTime() < target.getTime()) {
        this.wait(target);
        return;
      }
      void this.trigger(target);
      this.arm();
    });
  }
}
