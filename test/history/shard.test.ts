import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { SshSession } from '../../src/checkers/ssh/transport.js';
import { mergeScans } from '../../src/history/merge.js';
import type { InventoryHost } from '../../src/inventory/types.js';
import type { ScanResult } from '../../src/model/report.js';
import { loadPolicy } from '../../src/policy/policy.js';
import { scan } from '../../src/scan/scan.js';
import { parseShard, shardOf, shardTargets, type Shard } from '../../src/scan/shard.js';

const PROBE = readFileSync(path.join(import.meta.dirname, '../../fixtures/ssh/debian-12/probe.txt'), 'utf8');
const NOW = new Date('2026-12-01T00:00:00Z');

function host(i: number): InventoryHost {
  return {
    name: `vm-${String(i).padStart(5, '0')}`,
    address: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    port: 22,
    user: 'scanner',
    knownHostsFiles: [],
    tags: i % 3 === 0 ? ['web'] : [],
    segment: i % 2 === 0 ? 'web' : 'db',
    sudo: false,
    jump: [],
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    source: { file: '/repo/palisade.yaml', line: 3 + i },
  };
}

/** Every host answers with the recorded Debian 12 probe; every 97th is down. */
async function fakeScan(hosts: readonly InventoryHost[]): Promise<ScanResult> {
  return scan({
    targets: [],
    hosts,
    policy: loadPolicy(path.join(import.meta.dirname, 'fleet-policy.yaml')),
    all: false,
    processes: false,
    concurrency: 64,
    timeoutMs: 1000,
    now: NOW,
    repoRoot: '/repo',
    includePassed: false,
    version: '0.0.0-test',
    connect: async (target) => {
      if (Number(target.name.slice(3)) % 97 === 0) throw new Error('connect ECONNREFUSED');
      const session: SshSession = {
        name: target.name,
        warnings: [],
        run: async () => ({ stdout: PROBE, stderr: '', code: 0, truncated: false }),
        probeTcp: async () => ({ result: 'closed' }),
        close: () => undefined,
      };
      return session;
    },
  });
}

/** What must be equal between a merged and an unsharded scan: everything but timings and order. */
function canonical(r: ScanResult) {
  const by = <T>(key: (x: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  return {
    policy: r.policy,
    tool: r.tool,
    targets: r.targets.map((t) => ({ ...t, durationMs: 0 })).sort(by((t) => t.target)),
    workloads: [...r.workloads].sort(by((w) => w.id)),
    findings: [...r.findings].sort(by((f) => `${f.fingerprint}\u0000${f.workloadId}`)),
    summary: r.summary,
    gate: { ...r.gate, reasons: [...r.gate.reasons].sort() },
    incomplete: r.incomplete,
    rules: r.rules,
    waivers: [...r.waivers].sort(by((w) => `${w.check}${w.source}`)),
    options: r.options,
  };
}

describe('src/scan/shard', () => {
  it.each([
    ['3/20', {}, { index: 3, count: 20 }],
    ['20/20', {}, { index: 20, count: 20 }],
    ['auto/20', { JOB_COMPLETION_INDEX: '0' }, { index: 1, count: 20 }],
    ['auto/20', { JOB_COMPLETION_INDEX: '19' }, { index: 20, count: 20 }],
  ])('parses --shard %s', (value, env, expected) => {
    expect(parseShard(value, env)).toEqual(expected);
  });

  it.each([
    ['0/20', {}, /1-based/],
    ['21/20', {}, /numbered 1 to 20/],
    ['auto/20', {}, /JOB_COMPLETION_INDEX/],
    ['auto/20', { JOB_COMPLETION_INDEX: '20' }, /not below 20/],
    ['x', {}, /expected i\/n/],
  ])('refuses --shard %s', (value, env, message) => {
    expect(() => parseShard(value, env)).toThrow(message);
  });

  it('keeps a host and its engine in one shard, and a shard stable when hosts are added', () => {
    const shard: Shard = { index: 2, count: 5 };
    const hosts = [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }];
    const targets = hosts.map((h) => ({ display: `ssh://x@${h.name}`, host: h.name }));

    const picked = shardTargets(hosts, targets, shard);
    const more = shardTargets([...hosts, { name: 'e' }, { name: 'f' }], targets, shard);

    expect(picked.targets.map((t) => t.host)).toEqual(picked.hosts.map((h) => h.name));
    expect(more.hosts.filter((h) => hosts.includes(h))).toEqual(picked.hosts);
  });

  it('splits 10,000 hosts 20 ways: each host in exactly one shard, and the merge equals the unsharded scan', { timeout: 600_000 }, async () => {
    const hosts = Array.from({ length: 10_000 }, (_, i) => host(i));
    const count = 20;

    const shards = Array.from({ length: count }, (_, i) => shardTargets(hosts, [], { index: i + 1, count }).hosts);
    const seen = new Map<string, number>();
    for (const s of shards) for (const h of s) seen.set(h.name, (seen.get(h.name) ?? 0) + 1);
    expect(seen.size).toBe(10_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // A sane spread: no shard more than 30% above or below the mean of 500.
    for (const s of shards) expect(Math.abs(s.length - 500)).toBeLessThan(150);
    expect(hosts.every((h, i) => shards[shardOf(`host:${h.name}`, count) - 1]?.includes(hosts[i] as InventoryHost))).toBe(true);

    const results: ScanResult[] = [];
    for (const s of shards) results.push(await fakeScan(s));
    const merged = mergeScans(results);
    const whole = await fakeScan(hosts);

    expect(merged.workloads).toHaveLength(10_000);
    expect(canonical(merged)).toEqual(canonical(whole));
  });
});
