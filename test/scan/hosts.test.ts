import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { SshSession } from '../../src/checkers/ssh/transport.js';
import { CollectError } from '../../src/errors.js';
import type { InventoryHost } from '../../src/inventory/types.js';
import { collectHosts } from '../../src/scan/hosts.js';

const PROBE = readFileSync(path.join(import.meta.dirname, '../../fixtures/ssh/debian-12/probe.txt'), 'utf8');

function host(name: string, address: string, segment: string): InventoryHost {
  return {
    name,
    address,
    port: 22,
    user: 'scanner',
    knownHostsFiles: [],
    tags: [],
    segment,
    sudo: false,
    jump: [],
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    source: { file: '/repo/palisade.yaml', line: 3 },
  };
}

describe('src/scan/hosts', () => {
  it('probes only forbidden segment pairs, only reachable ports, and never loopback binds', async () => {
    const probes: string[] = [];
    const session = (name: string): SshSession => ({
      name,
      warnings: [],
      run: async () => ({ stdout: PROBE, stderr: '', code: 0, truncated: false }),
      probeTcp: async (address, port) => {
        probes.push(`${name}->${address}:${port}`);
        return { result: port === 22 ? 'open' : 'closed' };
      },
      close: () => undefined,
    });
    const hosts = [host('web', '198.18.0.2', 'web'), host('db', '198.18.0.3', 'db'), host('down', '198.18.0.9', 'db')];

    const results = await collectHosts(hosts, {
      concurrency: 4,
      trustOnFirstUse: false,
      forbiddenFlows: [{ from: 'web', to: 'db' }],
      flowTimeoutMs: 100,
      connect: async (target) => {
        if (target.name === 'down') throw new CollectError('down', 'connection refused');
        return session(target.name);
      },
    });

    const [web, db, down] = results;
    expect(down?.error).toMatch(/connection refused/);
    expect(db?.facts?.flows).toBeUndefined();
    const listening = (db?.facts?.listening ?? []).filter((s) => s.protocol === 'tcp' && !s.address.startsWith('127.') && s.address !== '::1');
    const expectedPorts = [...new Set(listening.map((s) => s.port))].sort((a, b) => a - b);
    expect(probes.every((p) => p.startsWith('web->198.18.0.3:'))).toBe(true);
    expect(probes.map((p) => Number(p.split(':').at(-1))).sort((a, b) => a - b)).toEqual(expectedPorts);
    expect(web?.facts?.flows?.find((f) => f.toHost === 'down')).toMatchObject({ result: 'error', detail: expect.stringMatching(/destination not scanned: .*refused/) });
  });
});
