import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { collectImages } from '../../../src/checkers/docker/collect.js';
import { parseEndpoint } from '../../../src/checkers/docker/endpoint.js';
import { body } from './recorded.js';

const ORIGIN = 'http://docker.test:2375';
const endpoint = parseEndpoint(ORIGIN, { env: {} });

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('src/checkers/docker/collect collectImages', () => {
  it('reads the engine once and inspects each distinct reference; an image the engine lacks is left out', async () => {
    const scope = nock(ORIGIN)
      .get('/info').reply(200, body('hardened', 'info.json') as nock.Body)
      .get('/version').reply(200, body('hardened', 'version.json') as nock.Body)
      .get('/networks/bridge').reply(200, body('hardened', 'network-bridge.json') as nock.Body)
      .get('/images/palisade-test%2Fbusybox%3A1/json').reply(200, body('hardened', 'image-29b08a2e8bb5.json') as nock.Body)
      .get('/images/missing%3A1/json').reply(404, { message: 'No such image: missing:1' });

    const result = await collectImages(endpoint, ['palisade-test/busybox:1', 'missing:1', 'palisade-test/busybox:1']);

    expect(scope.isDone()).toBe(true);
    expect(result.engine.declared).toBeUndefined();
    expect(result.engine.versions.engine).not.toBe('');
    expect([...result.images.keys()]).toEqual(['palisade-test/busybox:1']);
    expect(result.images.get('palisade-test/busybox:1')?.id).toMatch(/^sha256:/);
    expect(result.warnings).toEqual([]);
  });

  it('keeps going with a warning when an inspect fails for another reason', async () => {
    nock(ORIGIN)
      .get('/info').reply(200, body('hardened', 'info.json') as nock.Body)
      .get('/version').reply(200, body('hardened', 'version.json') as nock.Body)
      .get('/networks/bridge').reply(404, {})
      .get('/images/app%3A1/json').reply(500, { message: 'boom' });

    const result = await collectImages(endpoint, ['app:1']);

    expect(result.images.size).toBe(0);
    expect(result.warnings).toEqual([expect.stringMatching(/^cannot inspect image app:1: /)]);
  });
});
