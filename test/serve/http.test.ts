import type { Server } from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import { UsageError } from '../../src/errors.js';
import { METRIC_NAMES } from '../../src/serve/metrics.js';
import { closeServer, createServeServer, listen, parseListen } from '../../src/serve/http.js';
import { ServeService } from '../../src/serve/service.js';
import { estateScan, HOSTILE_NAME, smallEstate } from '../helpers/estate.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { MemoryStore } from '../helpers/memory-store.js';
import { parsePrometheus, type Family } from '../helpers/prometheus.js';

let server: Server | undefined;

afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function serving(results: ReturnType<typeof estateScan>[]): Promise<{ base: string; service: ServeService }> {
  const queue = [...results];
  const service = new ServeService({
    prepare: async () => ({}) as never,
    scan: async () => structuredClone(queue.shift() ?? estateScan(0, 0)),
    store: new MemoryStore(),
    scope: () => 'test',
    clock: new ManualClock('2026-11-28T12:00:00Z'),
    log: () => undefined,
    threshold: 'high',
  });
  server = createServeServer(service, () => undefined);
  const { port } = await listen(server, { host: '127.0.0.1', port: 0 });
  return { base: `http://127.0.0.1:${port}`, service };
}

function family(families: Map<string, Family>, name: string): Family {
  const f = families.get(name);
  if (!f) throw new Error(`no family ${name}`);
  return f;
}

describe('src/serve/http', () => {
  it('serves /metrics in the Prometheus text format: HELP and TYPE for every family, values per workload and layer', async () => {
    const { base, service } = await serving([smallEstate()]);
    await service.runOnce(new Date());

    const res = await fetch(`${base}/metrics`);
    const families = parsePrometheus(await res.text());

    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect([...families.keys()].sort()).toEqual([...METRIC_NAMES].sort());
    for (const f of families.values()) {
      expect(f.help, f.name).toMatch(/\w/);
      expect(f.type, f.name).toMatch(/^(gauge|counter)$/);
    }
    const depth = family(families, 'palisade_workload_depth').samples;
    expect(depth.map((s) => [s.labels['workload'], s.value])).toEqual([
      [HOSTILE_NAME, 3],
      ['web', 5],
      ['db', 1],
    ]);
    const holds = family(families, 'palisade_layer_holds').samples.filter((s) => s.labels['workload'] === 'web');
    expect(holds.map((s) => [s.labels['layer'], s.value])).toEqual([
      ['isolation', 1],
      ['least-privilege', 1],
      ['confinement', 1],
      ['immutability', 1],
      ['provenance', 1],
      ['resource-limits', 0],
    ]);
    expect(family(families, 'palisade_layer_score').samples.find((s) => s.labels['workload'] === 'web' && s.labels['layer'] === 'resource-limits')?.value).toBe(40);
    const findings = family(families, 'palisade_findings').samples;
    expect(findings.find((s) => s.labels['check'] === 'docker/check-7')).toEqual({
      name: 'palisade_findings',
      labels: { severity: 'medium', check: 'docker/check-7', status: 'waived' },
      value: 1,
    });
    expect(family(families, 'palisade_target_up').samples.map((s) => [s.labels['target'], s.value])).toEqual([
      ['unix:///var/run/docker.sock', 1],
      ['tcp://127.0.0.1:2376', 0],
    ]);
    expect(family(families, 'palisade_last_successful_scan_timestamp_seconds').samples[0]?.value).toBe(Date.parse('2026-11-28T12:01:00Z') / 1000);
    expect(family(families, 'palisade_scan_duration_seconds').samples[0]?.value).toBe(60);
  });

  it('escapes hostile label values so the exposition still parses and round-trips', async () => {
    const scan = smallEstate();
    const w = scan.workloads[1];
    if (!w) throw new Error('fixture');
    w.name = 'evil"} 1\npalisade_fake{x="y\\';
    const { base, service } = await serving([scan]);
    await service.runOnce(new Date());

    const text = await (await fetch(`${base}/metrics`)).text();
    const families = parsePrometheus(text);

    expect(text).not.toMatch(/^palisade_fake/m);
    expect(family(families, 'palisade_workload_depth').samples.map((s) => s.labels['workload'])).toContain('evil"} 1\npalisade_fake{x="y\\');
  });

  it('/healthz: 200 before any scan and after a good one, 503 after a failed one', async () => {
    const { base, service } = await serving([]);

    const before = await fetch(`${base}/healthz`);
    service.health = { ok: false, last: 'failed', lastError: 'scan failed: boom' };
    const after = await fetch(`${base}/healthz`);

    expect(before.status).toBe(200);
    expect(await before.text()).toBe('ok\nlast scan: none\n');
    expect(after.status).toBe(503);
    expect(await after.text()).toContain('last error: scan failed: boom');
  });

  it('serves the latest HTML report at / and /report with its CSP, 503 before the first scan', async () => {
    const { base, service } = await serving([smallEstate()]);

    const none = await fetch(`${base}/report`);
    await service.runOnce(new Date());
    const root = await fetch(`${base}/`);

    expect(none.status).toBe(503);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(await root.text()).toContain('<svg class="layers"');
  });

  it('answers 404 elsewhere and 405 to anything but GET and HEAD', async () => {
    const { base } = await serving([]);

    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it.each([
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    [':9464', { host: '127.0.0.1', port: 9464 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
  ])('parseListen(%j)', (value, expected) => {
    expect(parseListen(value)).toEqual(expected);
  });

  it.each(['9464', 'localhost', '1.2.3.4:70000', '[::1]'])('parseListen(%j) is a usage error', (value) => {
    expect(() => parseListen(value)).toThrow(UsageError);
  });
});
