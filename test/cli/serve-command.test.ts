import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openHistory } from '../../src/history/open.js';
import { packageRoot } from '../../src/paths.js';
import { runCli } from '../helpers/cli.js';
import { parsePrometheus } from '../helpers/prometheus.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-serve-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  stderr: () => string;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function startServe(args: string[]): Daemon {
  // One node process (not the tsx wrapper, which relays signals itself), so SIGTERM reaches palisade.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(packageRoot, 'test/helpers/cli-entry.ts'), 'serve', ...args], {
    cwd: packageRoot,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString('utf8');
    for (const w of [...waiters]) {
      const m = err.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const m = err.match(pattern);
        if (m) return resolve(m);
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`serve exited (${code}) before ${pattern}:\n${err}`)));
      }),
  };
}

describe('palisade serve (CLI)', () => {
  it.each([
    [['serve'], /needs a schedule: --schedule "0 \*\/6 \* \* \*", or `schedule:` in the policy/],
    [['serve', '--schedule', '61 * * * *'], /--schedule "61 \* \* \* \*" is not a valid cron expression/],
    [['serve', '--schedule', '@daily', '--listen', 'everywhere'], /--listen "everywhere": expected HOST:PORT/],
    [['serve', '--schedule', '@daily', '--webhook', 'ftp://u:p@example.com/x'], /--webhook ftp:\/\/example\.com\/… must be http or https/],
  ])('refuses %j with exit 2 before opening anything', async (args, message) => {
    const r = await runCli(args, { cwd: tempDir() });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('u:p');
  });

  it('takes the schedule from the policy, and a malformed one is a policy error with its line', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: palisade/v1\nkind: Policy\nname: bad\nschedule: "every six hours"\n');
    writeFileSync(path.join(dir, 'odd.yaml'), 'apiVersion: palisade/v1\nkind: Policy\nname: odd\nschedule: "0 */6 * * 9"\n');

    const bad = await runCli(['serve', '--policy', path.join(dir, 'bad.yaml')], { cwd: dir });
    const odd = await runCli(['serve', '--policy', path.join(dir, 'odd.yaml')], { cwd: dir });

    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:4.*schedule/);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/schedule in policy .*odd\.yaml "0 \*\/6 \* \* 9" is not a valid cron expression/);
  });

  it('scans at start, records in PGlite, serves /metrics /healthz /report, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const d = startServe(['--docker', 'tcp://127.0.0.1:1', '--timeout', '2', '--db', db, '--listen', '127.0.0.1:0', '--schedule', '0 0 1 1 *']);
    try {
      const [, port] = await d.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      await d.waitFor(/scan \S+ recorded: 1 workload\(s\), 0 failing, 1 target\(s\) in error/);
      const base = `http://127.0.0.1:${port}`;

      const families = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
      const health = await fetch(`${base}/healthz`);
      const report = await fetch(`${base}/report`);

      expect(families.get('palisade_target_up')?.samples).toEqual([{ name: 'palisade_target_up', labels: { target: 'tcp://127.0.0.1:1', kind: 'docker' }, value: 0 }]);
      expect(families.get('palisade_scans_total')?.samples.find((s) => s.labels['outcome'] === 'incomplete')?.value).toBe(1);
      expect(health.status).toBe(200);
      expect(await health.text()).toMatch(/^ok\nlast scan: incomplete\n/);
      expect(report.status).toBe(200);
      expect(await report.text()).toContain('tcp://127.0.0.1:1');
      expect(d.stderr()).toMatch(/could not scan tcp:\/\/127\.0\.0\.1:1: .*connection refused.*\(recorded as a target in error\)/);
    } finally {
      d.child.kill('SIGTERM');
    }
    expect(await d.exited).toBe(0);
    expect(d.stderr()).toMatch(/SIGTERM: stopping[\s\S]*stopped\n$/);
    const store = await openHistory(db, {});
    try {
      const scans = await store.listScans({});
      expect(scans.map((s) => [s.command, s.targets])).toEqual([['serve', { total: 1, errors: 1 }]]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('SIGTERM during a scan of a silent engine abandons it: nothing is recorded', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const enginePort = (silent.address() as { port: number }).port;
    const db = path.join(tempDir(), 'db');
    const d = startServe(['--docker', `tcp://127.0.0.1:${enginePort}`, '--timeout', '120', '--db', db, '--listen', '127.0.0.1:0', '--schedule', '0 0 1 1 *']);
    try {
      await d.waitFor(/scan started/);
      await new Promise((r) => setTimeout(r, 500));
      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(0);
    } finally {
      d.child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      silent.close();
    }

    expect(d.stderr()).toContain('the scan in progress was abandoned: nothing of it was recorded');
    const store = await openHistory(db, {});
    try {
      expect(await store.listScans({})).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
