import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fetchAdvisories, MANIFEST_FILE, OSV_BASE_URL, readManifest } from '../../src/advisories/fetch.js';
import { loadAdvisories, matchAdvisories } from '../../src/advisories/osv.js';
import { CollectError, UsageError } from '../../src/errors.js';
import { buildZip } from './zip-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'advisories', 'osv');
const ETAG = '"1719842400000000"';
const LAST_MODIFIED = 'Mon, 01 Jul 2024 14:00:00 GMT';

function archiveOf(family: string): Buffer {
  const folder = join(FIXTURES, family);
  return buildZip(readdirSync(folder).map((name) => ({ name, content: readFileSync(join(folder, name)) })));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const debianZip = archiveOf('Debian');
const rockyZip = archiveOf('Rocky Linux');
const at = (iso: string) => () => new Date(iso);

let cacheDir: string;

describe('src/advisories/fetch', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    cacheDir = mkdtempSync(join(tmpdir(), 'palisade-fetch-'));
  });

  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(cacheDir, { recursive: true, force: true });
    expect(pending).toEqual([]);
  });

  it('downloads <Ecosystem>/all.zip from OSV into the cache and records it in the manifest', async () => {
    const scope = nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip, { ETag: ETAG, 'Last-Modified': LAST_MODIFIED });

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir, now: at('2024-07-02T08:00:00.000Z') });

    scope.done();
    const entry = {
      ecosystem: 'Debian',
      url: `${OSV_BASE_URL}/Debian/all.zip`,
      fetchedAt: '2024-07-02T08:00:00.000Z',
      checkedAt: '2024-07-02T08:00:00.000Z',
      sha256: sha256(debianZip),
      bytes: debianZip.length,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
    };
    expect(result.outcomes).toEqual([{ ecosystem: 'Debian', url: entry.url, status: 'downloaded', entry }]);
    expect(readFileSync(join(cacheDir, 'Debian', 'all.zip')).equals(debianZip)).toBe(true);
    expect(await readManifest(cacheDir)).toEqual({ format: 'palisade-advisories/1', entries: [entry] });
    expect(readdirSync(join(cacheDir, 'Debian'))).toEqual(['all.zip']);
  });

  it('URL-encodes the ecosystem and fetches each base ecosystem once', async () => {
    const scope = nock('https://mirror.example.test').get('/osv/Rocky%20Linux/all.zip').reply(200, rockyZip);

    const result = await fetchAdvisories({
      ecosystems: ['Rocky Linux:9', 'Rocky Linux:8', 'Rocky Linux'],
      cacheDir,
      baseUrl: 'https://mirror.example.test/osv/',
    });

    scope.done();
    expect(result.outcomes.map((o) => [o.ecosystem, o.status])).toEqual([['Rocky Linux', 'downloaded']]);
    expect(readFileSync(join(cacheDir, 'Rocky Linux', 'all.zip')).equals(rockyZip)).toBe(true);
  });

  it('leaves a cache that loadAdvisories reads as it is', async () => {
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip).get('/Rocky%20Linux/all.zip').reply(200, rockyZip);
    await fetchAdvisories({ ecosystems: ['Debian:12', 'Rocky Linux:9'], cacheDir });

    const db = await loadAdvisories(cacheDir, { ecosystems: ['Debian:12'] });
    const result = matchAdvisories(db, { ecosystem: 'Debian:12', format: 'dpkg', packages: [{ name: 'libc6', sourceName: 'glibc', version: '2.36-9+deb12u1' }] });

    expect(db.problems).toEqual([]);
    expect(db.files).toEqual([join('Debian', 'all.zip'), join('Rocky Linux', 'all.zip')]);
    expect(result.matches.map((m) => m.advisoryId)).toEqual(['DSA-5514-1']);
  });

  it('revalidates with ETag and Last-Modified and keeps the cached copy on 304', async () => {
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip, { ETag: ETAG, 'Last-Modified': LAST_MODIFIED });
    await fetchAdvisories({ ecosystems: ['Debian'], cacheDir, now: at('2024-07-02T08:00:00.000Z') });
    const scope = nock(OSV_BASE_URL, { reqheaders: { 'if-none-match': ETAG, 'if-modified-since': LAST_MODIFIED } })
      .get('/Debian/all.zip')
      .reply(304);

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir, now: at('2024-07-03T08:00:00.000Z') });

    scope.done();
    expect(result.outcomes[0]?.status).toBe('not-modified');
    expect(result.outcomes[0]?.entry).toMatchObject({ fetchedAt: '2024-07-02T08:00:00.000Z', checkedAt: '2024-07-03T08:00:00.000Z', sha256: sha256(debianZip) });
    expect(readFileSync(join(cacheDir, 'Debian', 'all.zip')).equals(debianZip)).toBe(true);
  });

  it('downloads afresh, without conditions, when the cached copy no longer matches the manifest', async () => {
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip, { ETag: ETAG });
    await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });
    writeFileSync(join(cacheDir, 'Debian', 'all.zip'), 'tampered');
    const scope = nock(OSV_BASE_URL, { badheaders: ['if-none-match', 'if-modified-since'] }).get('/Debian/all.zip').reply(200, debianZip);

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });

    scope.done();
    expect(result.outcomes[0]?.status).toBe('downloaded');
    expect(readFileSync(join(cacheDir, 'Debian', 'all.zip')).equals(debianZip)).toBe(true);
  });

  it.each([
    ['an error status', () => nock(OSV_BASE_URL).get('/Debian/all.zip').reply(503, 'Service Unavailable'), /HTTP 503/],
    ['a body that is not a ZIP archive', () => nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, '<html>captive portal</html>'), /not a usable ZIP archive/],
    ['a declared size over the limit', () => nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip, { 'Content-Length': String(debianZip.length) }), /over the 64-byte limit/],
    ['a body over the limit', () => nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, () => debianZip), /exceeds the 64-byte limit/],
    ['a network failure', () => nock(OSV_BASE_URL).get('/Debian/all.zip').replyWithError('connection reset'), /connection reset/],
  ])('reports %s as a failure and keeps the previous copy', async (_what, mock, message) => {
    const old = buildZip([{ name: 'old.json', content: '{}' }]);
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, old);
    const first = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });
    const scope = mock();

    const result = await fetchAdvisories({ ecosystems: ['Debian'], cacheDir, maxBytes: 64 });

    scope.done();
    const [outcome] = result.outcomes;
    expect(outcome?.status).toBe('failed');
    expect(outcome?.error).toBeInstanceOf(CollectError);
    expect(outcome?.error?.message).toMatch(message);
    expect(outcome?.entry).toEqual(first.outcomes[0]?.entry);
    expect(readFileSync(join(cacheDir, 'Debian', 'all.zip')).equals(old)).toBe(true);
    expect(readdirSync(join(cacheDir, 'Debian'))).toEqual(['all.zip']);
    expect(result.manifest.entries).toEqual([first.outcomes[0]?.entry]);
  });

  it('goes on with the other ecosystems after a failure', async () => {
    const scope = nock(OSV_BASE_URL).get('/Alpine/all.zip').reply(404).get('/Debian/all.zip').reply(200, debianZip);

    const result = await fetchAdvisories({ ecosystems: ['Alpine:v3.20', 'Debian:12'], cacheDir });

    scope.done();
    expect(result.outcomes.map((o) => [o.ecosystem, o.status])).toEqual([
      ['Alpine', 'failed'],
      ['Debian', 'downloaded'],
    ]);
    expect(result.manifest.entries.map((e) => e.ecosystem)).toEqual(['Debian']);
  });

  it.each([
    [{ baseUrl: 'http://osv-vulnerabilities.storage.googleapis.com' }, /must use https/],
    [{ baseUrl: 'not a url' }, /is not a URL/],
    [{ ecosystems: ['../../etc'] }, /is not an OSV ecosystem name/],
    [{ ecosystems: ['.hidden'] }, /is not an OSV ecosystem name/],
    [{ ecosystems: [] }, /at least one OSV ecosystem/],
  ])('refuses bad options %o before any request', async (override, message) => {
    const fetching = fetchAdvisories({ ecosystems: ['Debian'], cacheDir, ...override });

    await expect(fetching).rejects.toThrow(UsageError);
    await expect(fetching).rejects.toThrow(message);
  });

  it('keeps the manifest hidden from the advisory loader', async () => {
    nock(OSV_BASE_URL).get('/Debian/all.zip').reply(200, debianZip);
    await fetchAdvisories({ ecosystems: ['Debian'], cacheDir });

    const db = await loadAdvisories(cacheDir);

    expect(readdirSync(cacheDir).sort()).toEqual([MANIFEST_FILE, 'Debian']);
    expect(db.files).toEqual([join('Debian', 'all.zip')]);
  });
});
