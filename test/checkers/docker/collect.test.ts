import { createServer } from 'node:net';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { collectEngine } from '../../../src/checkers/docker/collect.js';
import { parseEndpoint } from '../../../src/checkers/docker/endpoint.js';
import { CollectError } from '../../../src/errors.js';
import { loadScenario, type Recording } from './recorded.js';

// A TCP origin, so nock matches on the host name. (nock also sees unix-socket
// requests, but as `localhost:80`, which would mask a wrong endpoint.)
const ORIGIN = 'http://docker.test:2375';
const endpoint = parseEndpoint(ORIGIN, { env: {} });

/**
 * One interceptor per recording, each answering exactly once. `replace` swaps
 * a recording's reply (e.g. to make an inspect 404); returning null drops it.
 */
function replay(
  origin: string,
  recordings: readonly Recording[],
  replace: (r: Recording) => Recording | null = (r) => r,
): nock.Scope {
  const scope = nock(origin);
  for (const original of recordings) {
    const r = replace(original);
    if (r === null) continue;
    scope.get(r.request.path).query(r.request.query).reply(r.status, r.body as nock.Body);
  }
  return scope;
}

const isTop = (r: Recording): boolean => r.file.startsWith('top-');

/** Counts every request nock sees, matched or not. */
function countRequests(scope: nock.Scope): { matched: () => number; unmatched: () => number } {
  let matched = 0;
  let unmatched = 0;
  scope.on('request', () => matched++);
  const onNoMatch = (): void => {
    unmatched++;
  };
  nock.emitter.on('no match', onNoMatch);
  return { matched: () => matched, unmatched: () => unmatched };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('src/checkers/docker/collect', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });

  afterEach(() => {
    nock.emitter.removeAllListeners('no match');
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('collects every container of `all` within the round-trip budget', async () => {
    const recordings = loadScenario('mixed');
    const scope = replay(ORIGIN, recordings);
    const count = countRequests(scope);
    const progress: [number, number][] = [];

    const collection = await collectEngine(endpoint, { all: true, onProgress: (done, total) => progress.push([done, total]) });

    // 2 (/info, /version) + 1 list + 4 inspects + 1 distinct image + 1 bridge + 3 running /top
    expect(count.matched()).toBe(2 + 1 + 4 + 1 + 1 + 3);
    expect(count.unmatched()).toBe(0);
    scope.done();
    expect(collection.containers.map((c) => c.name).sort()).toEqual([
      'palisade-rec-compose',
      'palisade-rec-hardened',
      'palisade-rec-privileged',
      'palisade-rec-risky',
    ]);
    expect(collection.containers.every((c) => c.facts !== undefined && c.image !== undefined && c.error === undefined)).toBe(true);
    expect(collection.containers.find((c) => c.name === 'palisade-rec-privileged')?.facts?.processes).toBeUndefined();
    expect(collection.engine).toMatchObject({ endpoint: ORIGIN, transport: 'tcp', defaultBridge: { iccEnabled: true } });
    expect(progress[0]).toEqual([0, 4]);
    expect(progress.at(-1)).toEqual([4, 4]);
    expect(progress).toHaveLength(5);
  });

  it('lists running containers only by default', async () => {
    const recordings = loadScenario('running');
    const scope = replay(ORIGIN, recordings);
    const count = countRequests(scope);

    const collection = await collectEngine(endpoint);

    expect(recordings.find((r) => r.file === 'containers.json')?.request.query).toEqual({});
    expect(count.matched()).toBe(2 + 1 + 3 + 1 + 1 + 3);
    expect(count.unmatched()).toBe(0);
    scope.done();
    expect(collection.containers.map((c) => c.facts?.state)).toEqual(['running', 'running', 'running']);
  });

  it('skips /top when processes are not wanted', async () => {
    const scope = replay(ORIGIN, loadScenario('mixed'), (r) => (isTop(r) ? null : r));
    const count = countRequests(scope);

    const collection = await collectEngine(endpoint, { all: true, processes: false });

    expect(count.matched()).toBe(2 + 1 + 4 + 1 + 1);
    expect(count.unmatched()).toBe(0);
    scope.done();
    expect(collection.containers.every((c) => c.facts?.processes === undefined)).toBe(true);
  });

  it('records a container removed between list and inspect, and collects the others', async () => {
    const scope = replay(ORIGIN, loadScenario('vanishing'));
    const count = countRequests(scope);

    const collection = await collectEngine(endpoint);

    // The removed container costs its inspect and nothing more.
    expect(count.matched()).toBe(2 + 1 + 2 + 1 + 1 + 1);
    expect(count.unmatched()).toBe(0);
    scope.done();
    const gone = collection.containers.find((c) => c.name === 'palisade-rec-gone');
    const hardened = collection.containers.find((c) => c.name === 'palisade-rec-hardened');
    expect(gone).toMatchObject({ error: expect.stringContaining('removed') as unknown });
    expect(gone?.facts).toBeUndefined();
    expect(hardened?.facts?.name).toBe('palisade-rec-hardened');
    expect(hardened?.image?.repoTags).toEqual(['palisade-test/busybox:1']);
  });

  it('keeps going when one inspect fails with a server error', async () => {
    const scope = replay(ORIGIN, loadScenario('mixed'), (r) => {
      if (r.file === 'container-risky.json') return { ...r, status: 500, body: { message: 'boom' } };
      if (r.file === 'top-risky.json') return null;
      return r;
    });

    const collection = await collectEngine(endpoint, { all: true });

    scope.done();
    const risky = collection.containers.find((c) => c.name === 'palisade-rec-risky');
    expect(risky?.error).toContain('boom');
    expect(collection.containers.filter((c) => c.facts !== undefined)).toHaveLength(3);
  });

  it('keeps the facts and warns when a process list cannot be read', async () => {
    const scope = replay(ORIGIN, loadScenario('hardened'), (r) => (isTop(r) ? { ...r, status: 500, body: { message: 'ps failed' } } : r));

    const collection = await collectEngine(endpoint, { all: true });

    scope.done();
    const [hardened] = collection.containers;
    expect(hardened?.facts?.processes).toBeUndefined();
    expect(hardened?.warnings).toEqual([expect.stringContaining('ps failed')]);
  });

  it('leaves the image out when the engine no longer has it', async () => {
    const scope = replay(ORIGIN, loadScenario('hardened'), (r) => (r.file.startsWith('image-') ? { ...r, status: 404, body: { message: 'No such image' } } : r));

    const collection = await collectEngine(endpoint, { all: true });

    scope.done();
    expect(collection.containers[0]?.facts).toBeDefined();
    expect(collection.containers[0]?.image).toBeUndefined();
    expect(collection.containers[0]?.warnings).toBeUndefined();
  });

  it('warns on every container of an image that cannot be inspected, asking only once', async () => {
    const scope = replay(ORIGIN, loadScenario('mixed'), (r) => (r.file.startsWith('image-') ? { ...r, status: 500, body: { message: 'layer store broken' } } : r));
    const count = countRequests(scope);

    const collection = await collectEngine(endpoint, { all: true });

    scope.done();
    expect(count.matched()).toBe(2 + 1 + 4 + 1 + 1 + 3);
    expect(collection.containers.every((c) => c.facts !== undefined && c.image === undefined)).toBe(true);
    expect(collection.containers.map((c) => c.warnings)).toEqual(Array(4).fill([expect.stringContaining('layer store broken')]));
  });

  it('leaves defaultBridge out when the engine has no bridge network', async () => {
    const scope = replay(ORIGIN, loadScenario('privileged'), (r) =>
      r.file === 'network-bridge.json' ? { ...r, status: 404, body: { message: 'network bridge not found' } } : r,
    );

    const collection = await collectEngine(endpoint, { all: true });

    scope.done();
    expect(collection.engine.defaultBridge).toBeUndefined();
  });

  it('never has more requests in flight than the concurrency bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const scope = nock(ORIGIN);
    for (const r of loadScenario('mixed')) {
      scope
        .get(r.request.path)
        .query(r.request.query)
        .reply((_uri, _body, callback) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          setTimeout(() => {
            inFlight--;
            callback(null, [r.status, r.body as nock.Body]);
          }, 5);
        });
    }

    await collectEngine(endpoint, { all: true, concurrency: 2 });

    scope.done();
    expect(peak).toBe(2);
  });

  /** The four engine-level calls, with `/info` answered by `info`. */
  function engineCalls(info: (scope: nock.Interceptor) => nock.Scope): nock.Scope {
    const scope = info(nock(ORIGIN).get('/info'));
    return scope.get('/version').reply(200, {}).get('/containers/json').reply(200, []).get('/networks/bridge').reply(200, {});
  }

  it('raises CollectError when the engine answers /info with an error', async () => {
    const scope = engineCalls((info) => info.reply(500, { message: 'daemon sad' }));

    const collecting = collectEngine(endpoint);

    await expect(collecting).rejects.toBeInstanceOf(CollectError);
    await expect(collecting).rejects.toMatchObject({ target: ORIGIN, message: expect.stringContaining('daemon sad') as unknown });
    await vi.waitFor(() => scope.done());
  });

  it('raises CollectError when an engine request times out', async () => {
    const scope = engineCalls((info) => info.delay(2_000).reply(200, {}));

    const collecting = collectEngine(endpoint, { timeoutMs: 50 });

    await expect(collecting).rejects.toMatchObject({ name: 'CollectError', message: expect.stringContaining('within 50 ms') as unknown });
    scope.done();
  });

  it('raises CollectError when the caller aborts mid-flight', async () => {
    const controller = new AbortController();
    const scope = engineCalls((info) => info.delay(2_000).reply(200, {}));
    let seen = 0;
    scope.on('request', () => {
      if (++seen === 4) controller.abort();
    });

    const collecting = collectEngine(endpoint, { signal: controller.signal });

    await expect(collecting).rejects.toMatchObject({ name: 'CollectError', message: expect.stringContaining('aborted') as unknown });
    scope.done();
  });

  it('sends nothing when the signal is already aborted', async () => {
    const scope = nock(ORIGIN);
    const count = countRequests(scope);

    const collecting = collectEngine(endpoint, { signal: AbortSignal.abort() });

    await expect(collecting).rejects.toMatchObject({ name: 'CollectError', message: expect.stringContaining('aborted') as unknown });
    expect(count.matched() + count.unmatched()).toBe(0);
  });

  describe('unreachable engine', () => {
    beforeEach(() => {
      // Real connection attempts, to loopback only. nock reports unix-socket
      // requests as `localhost:80`.
      nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host === 'localhost:80');
    });

    it('raises CollectError naming the endpoint and what to check when nothing listens', async () => {
      const port = await freePort();
      const unreachable = parseEndpoint(`tcp://127.0.0.1:${port}`, { env: {} });

      const collecting = collectEngine(unreachable);

      await expect(collecting).rejects.toBeInstanceOf(CollectError);
      await expect(collecting).rejects.toMatchObject({
        target: `tcp://127.0.0.1:${port}`,
        message: expect.stringMatching(/connection refused.*daemon running.*DOCKER_HOST/s) as unknown,
      });
    });

    it('says the socket does not exist when the unix socket is missing', async () => {
      const missing = parseEndpoint('unix:///tmp/palisade-no-such-docker.sock', { env: {} });

      const collecting = collectEngine(missing);

      await expect(collecting).rejects.toMatchObject({
        name: 'CollectError',
        target: 'unix:///tmp/palisade-no-such-docker.sock',
        message: expect.stringMatching(/does not exist.*daemon running/s) as unknown,
      });
    });
  });
});
