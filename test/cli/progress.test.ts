import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { clock, createProgress, terminalSafe } from '../../src/cli/progress.js';
import { runCli } from '../helpers/cli.js';

/** A stderr stand-in that says it is a terminal and records what is written. */
function fakeTty(): { stream: PassThrough & { isTTY: boolean; columns: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  const chunks: string[] = [];
  stream.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('src/cli/progress', () => {
  it('shows targets done/total, workloads, errors, elapsed and ETA, then clears its line', async () => {
    const tty = fakeTty();
    let t = 0;
    const progress = createProgress(tty.stream, { enabled: true, columns: 200, now: () => t, intervalMs: 0, tickMs: 0 });

    progress.start(['unix:///var/run/docker.sock', 'web1']);
    t = 2000;
    progress.containers('unix:///var/run/docker.sock', 50, 100, false);
    progress.containers('unix:///var/run/docker.sock', 51, 100, true);
    t = 4000;
    progress.targetDone('web1', 0, 'connect ECONNREFUSED');
    progress.done();
    await new Promise((resolve) => setImmediate(resolve));

    const lines = tty.text().split('\r\x1b[2K').filter(Boolean);
    expect(lines[0]).toBe('scanning 0/2 targets, 0 workloads, 0 errors, 0:00 elapsed');
    expect(lines[1]).toBe('scanning 0/2 targets, 50 workloads, 0 errors, 0:02 elapsed, ETA 0:06 - unix:///var/run/docker.sock 50/100');
    expect(lines[2]).toMatch(/^scanning 0\/2 targets, 51 workloads, 1 error, 0:02 elapsed, ETA 0:06 - /);
    expect(lines[3]).toMatch(/^scanning 1\/2 targets, 51 workloads, 2 errors, 0:04 elapsed, ETA 0:01 - web1 failed$/);
    expect(tty.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when disabled', async () => {
    const tty = fakeTty();
    const progress = createProgress(tty.stream, { enabled: false });

    progress.start(['a']);
    progress.containers('a', 1, 1, false);
    progress.targetDone('a', 2);
    progress.done();
    await new Promise((resolve) => setImmediate(resolve));

    expect(tty.text()).toBe('');
  });

  it('neutralises control characters in names and cuts the line to the terminal width', async () => {
    const tty = fakeTty();
    const progress = createProgress(tty.stream, { enabled: true, columns: 60, now: () => 0, intervalMs: 0, tickMs: 0 });

    progress.start(['evil']);
    progress.containers('evil\x1b[2J\x07\u202e', 1, 2, false);
    progress.done();
    await new Promise((resolve) => setImmediate(resolve));

    const drawn = tty.text().split('\r\x1b[2K').filter(Boolean);
    expect(drawn.every((l) => l.length <= 59)).toBe(true);
    expect(terminalSafe('evil\x1b[2J\x07\u202e\u0085')).toBe('evil\\x1b[2J\\x07\\u202e\\x85');
    expect(tty.text().replace(/\r\x1b\[2K/g, '')).not.toMatch(/[\x00-\x1f\x7f\u202e]/);
  });

  it.each([
    [0, '0:00'],
    [61_000, '1:01'],
    [3_725_000, '1:02:05'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(clock(ms)).toBe(text);
  });

  it('is off when stderr is not a terminal, and with --no-progress: nothing but the report on stdout, no progress on stderr', async () => {
    const r = await runCli(['scan', '--docker', 'tcp://127.0.0.1:1', '--format', 'json', '--timeout', '1', '--no-progress']);

    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/scanning/);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  }, 120_000);
});
