import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fetchAdvisories, OSV_BASE_URL } from '../../src/advisories/fetch.js';
import { buildZip } from './zip-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'advisories', 'osv');
const debianZip = buildZip(readdirSync(join(FIXTURES, 'Debian')).map((name) => ({ name, content: readFileSync(join(FIXTURES, 'Debian', name)) })));
const EVIL = 'https://evil.example.test';

let cacheDir: string;

describe('src/advisories/fetch requests only the configured source', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    cacheDir = mkdtempSync(join(tmpdir(), 'palisade-fetch-redirect-'));
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('follows a redirect within the source\'s origin', async () => {
    const scope = nock(OSV_BASE_URL)
      .get('/Debian/all.zip')
      .reply(302, '', { Location: '/mirror/Debian/all.zip' })
      .get('/mirror/Debian/all.zip')
      .reply(200, debianZip);

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });

    scope.done();
    expect(result.outcomes[0]?.status).toBe('downloaded');
  });

  it.each([
    ['another host', `${EVIL}/Debian/all.zip`],
    ['another port of the same host', `${OSV_BASE_URL}:8443/Debian/all.zip`],
    ['plain HTTP on the same host', `${OSV_BASE_URL.replace('https:', 'http:')}/Debian/all.zip`],
  ])('refuses a redirect to %s and never contacts it', async (_name, location) => {
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(301, '', { Location: location });
    const evil = nock(new URL(location).origin).get(/.*/).reply(200, debianZip);

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });

    expect(result.outcomes[0]?.status).toBe('failed');
    expect(result.outcomes[0]?.error?.message).toMatch(/not the advisory source https:\/\/osv-vulnerabilities\.storage\.googleapis\.com/);
    expect(evil.isDone()).toBe(false);
    expect(readdirSync(join(cacheDir, 'Debian'))).toEqual([]);
  });

  it('gives up after five redirects', async () => {
    const scope = nock(OSV_BASE_URL);
    for (let i = 0; i < 6; i++) scope.get(i === 0 ? '/Debian/all.zip' : `/r${i}`).reply(302, '', { Location: `/r${i + 1}` });

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });

    expect(result.outcomes[0]?.error?.message).toMatch(/more than 5 redirects/);
  });
});
