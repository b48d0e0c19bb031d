import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import type { ScanOptions } from '../../src/scan/scan.js';
import { ServeService, type ServeServiceOptions } from '../../src/serve/service.js';
import { estateScan, finding, workload } from '../helpers/estate.js';
import { ManualClock, settle } from '../helpers/manual-clock.js';
import { MemoryStore } from '../helpers/memory-store.js';

const START = '2026-12-02T06:00:00.000Z';

function baseScan(): ScanResult {
  const scan = estateScan(3, 2, START);
  // Only low and info findings to start with.
  for (const f of scan.findings) f.severity = 'low';
  return scan;
}

interface Harness {
  service: ServeService;
  store: MemoryStore;
  clock: ManualClock;
  log: string[];
  /** What the next scans return (or throw), in order; the last one repeats. */
  results: (ScanResult | Error | Promise<ScanResult>)[];
  scanned: ScanOptions[];
}

function harness(extra: Partial<ServeServiceOptions> = {}): Harness {
  const store = new MemoryStore();
  const clock = new ManualClock(START);
  const log: string[] = [];
  const results: Harness['results'] = [];
  const scanned: ScanOptions[] = [];
  const service = new ServeService({
    prepare: async () => ({ targets: [], policy: {} as ScanOptions['policy'] }) as unknown as Omit<ScanOptions, 'now'>,
    scan: async (options) => {
      scanned.push(options);
      const next = results.length > 1 ? results.shift() : results[0];
      if (next instanceof Error) throw next;
      if (!next) throw new Error('no result queued');
      return structuredClone(await next);
    },
    store,
    scope: () => 'default:test',
    clock,
    log: (m) => log.push(m),
    threshold: 'high',
    ...extra,
  });
  return { service, store, clock, log, results, scanned };
}

describe('src/serve/service', () => {
  it('records a scan, refreshes health, metrics and the report', async () => {
    const h = harness();
    h.results.push(baseScan());

    await h.service.runOnce(h.clock.now());

    expect(h.store.rows).toHaveLength(1);
    expect(h.store.rows[0]?.meta).toEqual({ scope: 'default:test', command: 'serve' });
    expect(h.scanned[0]?.now.toISOString()).toBe(START);
    expect(h.service.health).toMatchObject({ ok: true, last: 'ok', lastScanId: 'scan-1' });
    expect(await h.service.metrics.text()).toMatch(/^palisade_scans_total\{outcome="ok"\} 1$/m);
    expect(h.service.report).toContain('data-points="1"');
  });

  it('records a target that is down as a target in error, and the next run goes on', async () => {
    const h = harness();
    const down = baseScan();
    down.targets.push({ target: 'tcp://127.0.0.1:1', kind: 'docker', status: 'error', error: 'connection refused', workloads: 0, durationMs: 3 });
    down.incomplete = true;
    h.results.push(down, baseScan());

    await h.service.runOnce(h.clock.now());
    await h.service.runOnce(h.clock.now());

    expect(h.store.rows.map((r) => r.result.targets.map((t) => t.status))).toEqual([['ok', 'error'], ['ok']]);
    expect(h.log.some((l) => l.startsWith('could not scan tcp://127.0.0.1:1: connection refused'))).toBe(true);
    const metrics = await h.service.metrics.text();
    expect(metrics).toMatch(/^palisade_scans_total\{outcome="incomplete"\} 1$/m);
    expect(metrics).toMatch(/^palisade_target_errors_total\{target="tcp:\/\/127\.0\.0\.1:1",kind="docker"\} 1$/m);
  });

  it('logs a scan that throws, reports unhealthy, records nothing, and the next run goes on', async () => {
    const h = harness();
    h.results.push(new Error('inventory palisade.yaml:3: bad host'), baseScan());

    await h.service.runOnce(h.clock.now());
    const failing = { ...h.service.health };
    await h.service.runOnce(h.clock.now());

    expect(failing).toMatchObject({ ok: false, last: 'failed', lastError: 'scan failed: inventory palisade.yaml:3: bad host' });
    expect(h.store.rows).toHaveLength(1);
    expect(h.service.health.ok).toBe(true);
    expect(h.log[0]).toMatch(/scan failed: inventory palisade\.yaml:3: bad host \(the next scheduled scan goes on\)$/);
  });

  it('reports unhealthy when the store refuses the write', async () => {
    const h = harness();
    h.results.push(baseScan());
    h.store.failNext = new Error('connection terminated');

    await h.service.runOnce(h.clock.now());

    expect(h.service.health).toMatchObject({ ok: false, lastError: 'could not record the scan in memory: connection terminated' });
    expect(await h.service.metrics.text()).toMatch(/^palisade_scans_total\{outcome="failed"\} 1$/m);
  });

  it('logs a regression: a new high finding and a lost layer', async () => {
    const h = harness();
    const before = baseScan();
    const after = baseScan();
    const w = after.workloads[1];
    if (!w) throw new Error('fixture');
    after.findings.push({ ...finding(w, 11), severity: 'high', fingerprint: 'new-high' });
    after.findings.push({ ...finding(w, 12), severity: 'medium', fingerprint: 'new-medium' });
    const lost = workload(2, 0);
    after.workloads[2] = lost;
    h.results.push(before, after);

    await h.service.runOnce(h.clock.now());
    await h.service.runOnce(h.clock.now());

    expect(h.log.find((l) => l.startsWith('REGRESSION'))).toBe('REGRESSION in default:test: 1 new finding(s) at or above high, 1 workload(s) lost a layer since scan scan-1');
    expect(h.log.some((l) => l.includes('new high docker/check-11 on container app-1'))).toBe(true);
    expect(h.log).toContain('  container app-2 lost isolation, least-privilege');
    expect(await h.service.metrics.text()).toMatch(/^palisade_regressions_total 1$/m);
  });

  it('compares the first run with the newest scan already in the store', async () => {
    const h = harness();
    await h.store.record(baseScan(), { scope: 'default:test', command: 'scan' });
    const after = baseScan();
    after.findings.push({ ...finding(after.workloads[0] as never, 13), severity: 'critical', fingerprint: 'new-critical' });
    h.results.push(after);

    await h.service.init('default:test');
    expect(h.service.report).toContain('<!DOCTYPE html>');
    await h.service.runOnce(h.clock.now());

    expect(h.log.some((l) => l.startsWith('REGRESSION in default:test: 1 new finding(s)'))).toBe(true);
  });

  it('SIGTERM while scanning abandons the scan: nothing is recorded, even when it finishes later', async () => {
    const h = harness();
    let finish: (r: ScanResult) => void = () => undefined;
    h.results.push(new Promise<ScanResult>((resolve) => (finish = resolve)));

    const run = h.service.runOnce(h.clock.now());
    await settle();
    expect(h.service.currentPhase).toBe('scanning');
    const outcome = await h.service.shutdown();
    finish(baseScan());
    await run;

    expect(outcome).toBe('abandoned');
    expect(h.store.rows).toHaveLength(0);
    expect(h.log).toContain(`scan of ${START} abandoned (shutting down): nothing recorded`);
  });

  it('SIGTERM while recording waits for the write to complete', async () => {
    const h = harness();
    h.results.push(baseScan());
    let release: () => void = () => undefined;
    h.store.gate = new Promise((resolve) => (release = resolve));

    const run = h.service.runOnce(h.clock.now());
    await settle();
    expect(h.service.currentPhase).toBe('recording');
    const stopping = h.service.shutdown();
    await settle();
    expect(h.store.rows).toHaveLength(0);
    release();
    const outcome = await stopping;
    await run;

    expect(outcome).toBe('completed');
    expect(h.store.rows).toHaveLength(1);
  });

  it('shutdown with nothing running is immediate', async () => {
    expect(await harness().service.shutdown()).toBe('idle');
  });
});
