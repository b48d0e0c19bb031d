import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { RunResult, SshSession } from '../../src/checkers/ssh/transport.js';
import type { InventoryHost } from '../../src/inventory/types.js';
import { collectHosts } from '../../src/scan/hosts.js';

const PROBE = readFileSync(path.join(import.meta.dirname, '../../fixtures/ssh/debian-12/probe.txt'), 'utf8');

function host(name: string): InventoryHost {
  return {
    name,
    address: '198.18.0.2',
    port: 22,
    user: 'scanner',
    knownHostsFiles: [],
    tags: [],
    sudo: false,
    jump: [],
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    source: { file: '/repo/palisade.yaml', line: 3 },
  };
}

async function scan(outputs: Record<string, RunResult>) {
  return collectHosts(Object.keys(outputs).map(host), {
    concurrency: 4,
    trustOnFirstUse: false,
    forbiddenFlows: [],
    flowTimeoutMs: 100,
    connect: async (target): Promise<SshSession> => ({
      name: target.name,
      warnings: [],
      run: async () => outputs[target.name] as RunResult,
      probeTcp: async () => ({ result: 'closed' }),
      close: () => undefined,
    }),
  });
}

describe('src/scan/hosts (output that is not a probe answer)', () => {
  it('makes a host whose output has no probe header an error, and still scans the good one', async () => {
    const [good, hostile] = await scan({
      good: { stdout: PROBE, stderr: '', code: 0, truncated: false },
      garbage: { stdout: '\u0000\u00ff\u001b[2J binary', stderr: '', code: 0, truncated: false },
    });

    expect(good?.error).toBeUndefined();
    expect(good?.facts?.os.id).toBe('debian');
    expect(hostile?.error).toMatch(/did not run palisade's probe: no probe header in its output\./);
  });

  it('names the output limit when a flood was cut before the probe ended', async () => {
    const cut = PROBE.slice(0, PROBE.indexOf('@@palisade:done'));
    const [flood, garbageFlood] = await scan({
      flood: { stdout: cut, stderr: '', code: null, truncated: true },
      garbageFlood: { stdout: 'y\n'.repeat(1000), stderr: '', code: null, truncated: true },
    });

    expect(flood?.error).toMatch(/the probe's output exceeded the limit of 64 MiB and was cut/);
    expect(garbageFlood?.error).toMatch(/no probe header in its output, and its output exceeded the limit of 64 MiB/);
  });
});
