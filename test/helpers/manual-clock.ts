// A Clock for tests: time moves only when the test calls advance(), which
// fires due timers in order and lets the promise chains they start run.
import type { Clock, Timer } from '../../src/serve/clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets queued promise reactions and immediate callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];
  /** Every sleep() asked for, in ms. */
  readonly sleeps: number[] = [];

  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimer(ms: number, fn: () => void): Timer {
    const p = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(p);
    return { cancel: () => (this.pending = this.pending.filter((x) => x !== p)) };
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  /** Timers waiting to fire. */
  get timers(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
    await settle();
  }

  /** Moves time to `iso`. */
  advanceTo(iso: string): Promise<void> {
    return this.advance(Date.parse(iso) - this.t);
  }
}
