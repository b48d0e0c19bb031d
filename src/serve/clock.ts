// Time for the scheduler, injectable: the real clock in production, a manual
// one in tests (test/helpers/manual-clock.ts) that advances without waiting.
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): Timer;
  /** Resolves after `ms` milliseconds (retry backoff). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
