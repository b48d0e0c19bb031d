import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/errors.js';
import { parseSchedule, Scheduler } from '../../src/serve/scheduler.js';
import { ManualClock, settle } from '../helpers/manual-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A job whose runs the test finishes by hand. */
function controlledJob() {
  const started: string[] = [];
  const finishers: (() => void)[] = [];
  const job = (at: Date) =>
    new Promise<void>((resolve) => {
      started.push(at.toISOString());
      finishers.push(resolve);
    });
  return { job, started, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

describe('src/serve/scheduler', () => {
  it('fires at the cron times, in UTC, without waiting for real time', async () => {
    const clock = new ManualClock('2026-12-02T01:30:00Z');
    const { job, started, finishAll } = controlledJob();
    const scheduler = new Scheduler(parseSchedule('0 */6 * * *', { timezone: 'UTC' }), clock, async (at) => {
      await job(at);
    });

    scheduler.start();
    expect(scheduler.next?.toISOString()).toBe('2026-12-02T06:00:00.000Z');
    for (let h = 0; h < 24; h++) {
      await clock.advance(HOUR);
      finishAll();
    }
    scheduler.stop();

    expect(started).toEqual([
      '2026-12-02T06:00:00.000Z',
      '2026-12-02T12:00:00.000Z',
      '2026-12-02T18:00:00.000Z',
      '2026-12-03T00:00:00.000Z',
    ]);
    expect(scheduler.ticks).toBe(4);
  });

  it('runs a slow scan that spans two ticks once, and logs the skipped tick', async () => {
    const clock = new ManualClock('2026-12-02T00:00:30Z');
    const { job, started, finishAll } = controlledJob();
    const skipped: string[] = [];
    const scheduler = new Scheduler(parseSchedule('* * * * *'), clock, job, { skipped: (at) => skipped.push(at.toISOString()) });

    scheduler.start();
    await clock.advanceTo('2026-12-02T00:01:00Z');
    await clock.advanceTo('2026-12-02T00:02:00Z');
    await clock.advanceTo('2026-12-02T00:02:59Z');
    expect(scheduler.running).toBe(true);
    finishAll();
    await settle();
    await clock.advanceTo('2026-12-02T00:03:00Z');
    scheduler.stop();
    finishAll();

    expect(started).toEqual(['2026-12-02T00:01:00.000Z', '2026-12-02T00:03:00.000Z']);
    expect(skipped).toEqual(['2026-12-02T00:02:00.000Z']);
    expect(scheduler.skipped).toBe(1);
  });

  it('goes on after a job that throws', async () => {
    const clock = new ManualClock('2026-12-02T00:00:00Z');
    const runs: string[] = [];
    const failures: string[] = [];
    const scheduler = new Scheduler(
      parseSchedule('*/5 * * * *'),
      clock,
      async (at) => {
        runs.push(at.toISOString());
        if (runs.length === 1) throw new Error('target down');
      },
      { failed: (_at, e) => failures.push(String(e)) },
    );

    scheduler.start();
    await clock.advance(10 * MINUTE);
    scheduler.stop();

    expect(runs).toEqual(['2026-12-02T00:05:00.000Z', '2026-12-02T00:10:00.000Z']);
    expect(failures).toEqual(['Error: target down']);
  });

  it('re-arms long waits in short timers, and stop() cancels the pending one', async () => {
    const clock = new ManualClock('2026-12-02T00:00:00Z');
    const runs: string[] = [];
    const scheduler = new Scheduler(parseSchedule('0 0 1 1 *'), clock, async (at) => {
      runs.push(at.toISOString());
    });

    scheduler.start();
    await clock.advance(5 * MINUTE);
    expect(clock.timers).toBe(1);
    scheduler.stop();

    expect(clock.timers).toBe(0);
    expect(runs).toEqual([]);
    expect(scheduler.next).toBeNull();
  });

  it('trigger() runs now unless a run is in progress', async () => {
    const clock = new ManualClock('2026-12-02T00:00:00Z');
    const { job, started, finishAll } = controlledJob();
    const scheduler = new Scheduler(parseSchedule('@daily'), clock, job);

    const first = scheduler.trigger();
    await scheduler.trigger();
    finishAll();
    await first;
    await scheduler.idle();

    expect(started).toEqual(['2026-12-02T00:00:00.000Z']);
    expect(scheduler.skipped).toBe(1);
  });

  it.each(['not cron', '61 * * * *', '* * * *'])('refuses %j with a usage error naming where it came from', (expr) => {
    expect(() => parseSchedule(expr, { what: 'schedule in policy p.yaml' })).toThrow(UsageError);
    expect(() => parseSchedule(expr, { what: 'schedule in policy p.yaml' })).toThrow(/^schedule in policy p\.yaml ".*" is not a valid cron expression/);
  });
});
