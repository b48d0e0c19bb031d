import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openHistory } from '../../src/history/open.js';
import { runCli } from '../helpers/cli.js';
import { estateScan } from '../helpers/estate.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-report-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const NOW = new Date('2026-11-28T13:00:00Z');

describe('palisade report (CLI)', () => {
  it('renders a JSON report file as HTML, with no history', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'report.json'), JSON.stringify(estateScan(4, 2)));

    const r = await runCli(['report', '--from', 'report.json'], { cwd: dir, now: () => NOW });

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stdout).toContain('class="no-history"');
    expect(r.stdout.match(/<svg class="layers"/g)).toHaveLength(4);
  });

  it.each([
    ['missing.json', /--from .*missing\.json: no such file/],
    ['notjson.json', /not JSON/],
    ['other.json', /not a palisade JSON report/],
  ])('refuses --from %s with exit 2', async (name, message) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notjson.json'), '{');
    writeFileSync(path.join(dir, 'other.json'), '{"version": "2.1.0"}');

    const r = await runCli(['report', '--from', name], { cwd: dir });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('reports the latest recorded scan with the trend of its scope since --since', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const store = await openHistory(db, {});
    try {
      for (const day of ['2026-10-01', '2026-11-20', '2026-11-25', '2026-11-28']) {
        await store.record(estateScan(5, 1, `${day}T12:00:00.000Z`), { scope: 'prod', command: 'scan' });
      }
      await store.record(estateScan(2, 1, '2026-11-27T12:00:00.000Z'), { scope: 'staging', command: 'scan' });
    } finally {
      await store.close();
    }

    const r = await runCli(['report', '--db', db, '--since', '30d', '-o', 'out.html'], { cwd: dir, now: () => NOW });
    const json = await runCli(['report', '--db', db, '--scope', 'staging', '--format', 'json'], { cwd: dir, now: () => NOW });

    expect(r.code).toBe(0);
    const html = readFileSync(path.join(dir, 'out.html'), 'utf8');
    expect(html).toContain('data-points="3"');
    expect(html).toContain('3 recorded scans since 2026-10-29');
    expect(html.match(/<tr class="workload"/g)).toHaveLength(5);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { workloads: unknown[] }).workloads).toHaveLength(2);
  }, 120_000);

  it('says how to record a scan when the store has none', async () => {
    const dir = tempDir();

    const r = await runCli(['report', '--db', path.join(dir, 'empty')], { cwd: dir });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no scan recorded in .*empty; record one with palisade scan --record, or use --from report\.json/);
  }, 120_000);

  it('scan --format html=FILE writes the same self-contained report, without trend', async () => {
    const dir = tempDir();

    const r = await runCli(['scan', '--docker', 'tcp://127.0.0.1:1', '--timeout', '2', '--format', 'html=out.html', '--no-progress'], { cwd: dir });

    expect(r.code).toBe(3);
    const html = readFileSync(path.join(dir, 'out.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toContain('class="no-history"');
    expect(html).toMatch(/<ul class="errors" id="target-errors"><li><code>tcp:\/\/127\.0\.0\.1:1<\/code>/);
  });

  it('refuses a bad --since with exit 2', async () => {
    const r = await runCli(['report', '--since', 'last tuesday', '--from', 'x.json'], { cwd: tempDir() });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a duration/);
  });
});
