// Hostile or broken engines: huge, endless and trickling answers cost at most
// the body limits or the request timeout, and a container whose answer is too
// big becomes that container's error while the rest of the engine is read.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { collectEngine } from '../../../src/checkers/docker/collect.js';
import { parseEndpoint } from '../../../src/checkers/docker/endpoint.js';
import { CollectError } from '../../../src/errors.js';
import { loadScenario, type Recording } from './recorded.js';

const ORIGIN = 'http://docker.test:2375';
const endpoint = parseEndpoint(ORIGIN, { env: {} });

/** A body that never ends: 64 KiB chunks for as long as it is read. */
function endless(): Readable {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Readable({
    read() {
      this.push(chunk);
    },
  });
}

function replay(replace: (r: Recording) => nock.Body | undefined): nock.Scope {
  const scope = nock(ORIGIN);
  for (const r of loadScenario('mixed')) {
    const body = replace(r) ?? (r.body as nock.Body);
    scope.get(r.request.path).query(r.request.query).optionally().reply(r.status, body as nock.Body);
  }
  return scope;
}

async function engineError(promise: Promise<unknown>): Promise<CollectError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CollectError) return error;
    throw error;
  }
  throw new Error('collected without error');
}

describe('src/checkers/docker/collect (body limits and timeouts)', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('makes a container whose inspect answer is over the limit that container\'s error, naming the limit', async () => {
    replay((r) => (r.file === 'container-risky.json' ? JSON.stringify({ Id: 'x', Pad: 'y'.repeat(2 * 1024 * 1024) }) : undefined));

    const collection = await collectEngine(endpoint, { all: true, maxBodyBytes: 1024 * 1024 });

    const risky = collection.containers.find((c) => c.name === 'palisade-rec-risky');
    expect(risky?.error).toMatch(/exceeded the limit of 1 MiB per response/);
    expect(collection.containers.filter((c) => c.facts !== undefined)).toHaveLength(3);
  });

  it('caps what all answers of one engine add up to', async () => {
    replay(() => undefined);

    const error = await engineError(collectEngine(endpoint, { all: true, maxTotalBytes: 4096 }));

    expect(error.message).toMatch(/exceeded the limit of 4 KiB in total/);
  });

  it('keeps an error status an HTTP error the collector maps (404 inspect = removed container)', async () => {
    const scope = nock(ORIGIN);
    for (const r of loadScenario('mixed')) {
      const gone = r.file === 'container-risky.json';
      scope.get(r.request.path).query(r.request.query).optionally().reply(gone ? 404 : r.status, (gone ? { message: 'No such container' } : r.body) as nock.Body);
    }

    const collection = await collectEngine(endpoint, { all: true });

    expect(collection.containers.find((c) => c.name === 'palisade-rec-risky')?.error).toMatch(/was removed before it could be inspected/);
  });
});

// nock buffers a streamed reply before answering, so endless and trickling
// bodies come from a real HTTP server on 127.0.0.1.
describe('src/checkers/docker/collect (a hostile engine on 127.0.0.1)', () => {
  let server: Server | undefined;
  const timers: NodeJS.Timeout[] = [];

  /** Serves the recorded answers, but `/info` through `info`. */
  async function engine(info: (res: ServerResponse) => void): Promise<string> {
    const recorded = new Map(loadScenario('mixed').map((r) => [r.request.path, r]));
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path === '/info') return info(res);
      const r = recorded.get(path);
      res.writeHead(r?.status ?? 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r?.body ?? { message: 'not found' }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    timers.splice(0).forEach(clearInterval);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('stops reading an endless /info at the limit and fails the engine with the limit named', async () => {
    const url = await engine((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      endless().pipe(res);
    });

    const error = await engineError(collectEngine(parseEndpoint(url, { env: {} }), { maxBodyBytes: 1024 * 1024 }));

    expect(error.message).toMatch(/GET \/info exceeded the limit of 1 MiB per response; the engine may be hostile or broken/);
  });

  it('gives up on an engine that trickles one byte at a time after the request timeout', async () => {
    const url = await engine((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 20);
      timers.push(timer);
      res.on('close', () => clearInterval(timer));
    });

    const error = await engineError(collectEngine(parseEndpoint(url, { env: {} }), { timeoutMs: 500 }));

    expect(error.message).toMatch(/did not answer within 500 ms/);
  });

  it('gives up on an engine that sends headers and then nothing', async () => {
    const url = await engine((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    });

    const error = await engineError(collectEngine(parseEndpoint(url, { env: {} }), { timeoutMs: 500 }));

    expect(error.message).toMatch(/did not answer within 500 ms/);
  });
});
