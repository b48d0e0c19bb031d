// Downloads OSV's per-ecosystem advisory archives
// (`<base>/<Ecosystem>/all.zip`, the layout of the osv-vulnerabilities bucket)
// into a cache folder that `loadAdvisories` reads as it is. Downloads are
// revalidated with ETag / Last-Modified, size-limited, verified as ZIP
// archives and written atomically (temporary file, then rename), and a
// manifest records what was fetched, when, and its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CollectError, UsageError } from '../errors.js';
import { ecosystemFamily } from './ecosystems.js';
import { openZip } from './zip.js';

export const OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
/** Hidden, so that `loadAdvisories` does not take it for an advisory. */
export const MANIFEST_FILE = '.palisade-manifest.json';
const MANIFEST_FORMAT = 'palisade-advisories/1';
const ARCHIVE = 'all.zip';

export interface ManifestEntry {
  /** The archive's ecosystem, as OSV names its folder (`Debian`, `Rocky Linux`). */
  ecosystem: string;
  url: string;
  /** When the cached bytes were downloaded (ISO 8601). */
  fetchedAt: string;
  /** When the server was last asked about them, including 304 answers. */
  checkedAt: string;
  sha256: string;
  bytes: number;
  etag?: string;
  lastModified?: string;
}

export interface AdvisoryManifest {
  format: typeof MANIFEST_FORMAT;
  entries: ManifestEntry[];
}

export interface FetchAdvisoriesOptions {
  /**
   * OSV ecosystems to fetch. OSV publishes one archive per base ecosystem and
   * is retiring the per-release folders, so `Debian:12` is fetched as
   * `Debian/all.zip`; duplicates collapse.
   */
  ecosystems: readonly string[];
  cacheDir: string;
  /** Must be https. */
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  now?: () => Date;
  /** Largest archive accepted (default 2 GiB); a bigger one is refused, and the cached copy kept. */
  maxBytes?: number;
  /** Per-archive time limit (default 15 minutes). */
  timeoutMs?: number;
}

export interface FetchOutcome {
  ecosystem: string;
  url: string;
  status: 'downloaded' | 'not-modified' | 'failed';
  /** The manifest entry after this run; for a failure, the entry of the copy still cached, if any. */
  entry?: ManifestEntry;
  error?: CollectError;
}

export interface FetchResult {
  outcomes: FetchOutcome[];
  manifest: AdvisoryManifest;
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;
// Folder names come from the command line: no path separators, no dot-names.
const SAFE_ECOSYSTEM = /^[A-Za-z0-9][A-Za-z0-9 ._+-]*$/;

/** The cache's manifest, or undefined when there is none (or it is not palisade's). */
export async function readManifest(cacheDir: string): Promise<AdvisoryManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(cacheDir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<AdvisoryManifest>;
    if (parsed.format !== MANIFEST_FORMAT || !Array.isArray(parsed.entries)) return undefined;
    return { format: MANIFEST_FORMAT, entries: parsed.entries };
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function sha256File(path: string): Promise<{ sha256: string; bytes: number } | undefined> {
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), bytes };
  } catch {
    return undefined;
  }
}

/** Whether the cached archive is still the one the manifest describes (so a conditional request is safe). */
async function cachedCopyIntact(path: string, entry: ManifestEntry | undefined): Promise<boolean> {
  if (!entry) return false;
  const size = await stat(path).then((s) => s.size).catch(() => -1);
  if (size !== entry.bytes) return false;
  return (await sha256File(path))?.sha256 === entry.sha256;
}

interface Download {
  sha256: string;
  bytes: number;
}

async function download(response: Response, temp: string, url: string, maxBytes: number): Promise<Download> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new CollectError(url, `archive is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  if (!response.body) throw new CollectError(url, 'response has no body');
  const hash = createHash('sha256');
  let bytes = 0;
  const file = await open(temp, 'wx');
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      if (bytes > maxBytes) {
        await reader.cancel();
        throw new CollectError(url, `archive exceeds the ${maxBytes}-byte limit`);
      }
      hash.update(value);
      await file.write(value);
    }
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

const MAX_REDIRECTS = 5;

/**
 * GET `url`, following redirects by hand and only within the origin of the
 * configured base URL: an advisory server (or whoever answers for it) cannot
 * send palisade to another host.
 */
async function fetchWithinOrigin(
  url: string,
  options: Pick<Required<FetchAdvisoriesOptions>, 'baseUrl' | 'fetchImpl' | 'timeoutMs'>,
  headers: Record<string, string>,
): Promise<Response> {
  const origin = new URL(options.baseUrl).origin;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await options.fetchImpl(current, { headers, signal, redirect: 'manual' });
    if (response.status < 300 || response.status > 399 || response.status === 304) return response;
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw new CollectError(url, `server answered HTTP ${response.status} without a Location`);
    const next = new URL(location, current);
    if (next.origin !== origin) {
      throw new CollectError(url, `redirected to ${next.origin}, not the advisory source ${origin}; palisade fetches only from the configured source`);
    }
    if (hop >= MAX_REDIRECTS) throw new CollectError(url, `more than ${MAX_REDIRECTS} redirects`);
    current = next.href;
  }
}

async function fetchOne(
  ecosystem: string,
  previous: ManifestEntry | undefined,
  options: Required<Pick<FetchAdvisoriesOptions, 'cacheDir' | 'baseUrl' | 'fetchImpl' | 'now' | 'maxBytes' | 'timeoutMs'>>,
): Promise<FetchOutcome> {
  const url = `${options.baseUrl}/${encodeURIComponent(ecosystem)}/${ARCHIVE}`;
  const folder = join(options.cacheDir, ecosystem);
  const target = join(folder, ARCHIVE);
  const temp = join(folder, `.${ARCHIVE}.${randomBytes(6).toString('hex')}.part`);
  const failed = (error: unknown): FetchOutcome => {
    const wrapped = error instanceof CollectError ? error : new CollectError(url, (error as Error).message, { cause: error });
    const outcome: FetchOutcome = { ecosystem, url, status: 'failed', error: wrapped };
    if (previous) outcome.entry = previous;
    return outcome;
  };

  try {
    await mkdir(folder, { recursive: true });
    const headers: Record<string, string> = {};
    if (previous?.url === url && (await cachedCopyIntact(target, previous))) {
      if (previous.etag) headers['if-none-match'] = previous.etag;
      if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
    }
    const response = await fetchWithinOrigin(url, options, headers);
    if (response.url && !response.url.startsWith('https://')) {
      throw new CollectError(url, `redirected to a non-HTTPS location (${response.url})`);
    }
    const checkedAt = options.now().toISOString();

    if (response.status === 304 && previous && Object.keys(headers).length > 0) {
      await response.body?.cancel();
      const entry: ManifestEntry = { ...previous, checkedAt };
      const etag = response.headers.get('etag');
      if (etag) entry.etag = etag;
      return { ecosystem, url, status: 'not-modified', entry };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new CollectError(url, `server answered HTTP ${response.status}`);
    }

    const got = await download(response, temp, url, options.maxBytes);
    try {
      // Only the central directory is read: enough to refuse an HTML error page or a truncated file.
      openZip(await readFile(temp));
    } catch (error) {
      throw new CollectError(url, `download is not a usable ZIP archive: ${(error as Error).message}`, { cause: error });
    }
    await rename(temp, target);
    const entry: ManifestEntry = { ecosystem, url, fetchedAt: checkedAt, checkedAt, sha256: got.sha256, bytes: got.bytes };
    const etag = response.headers.get('etag');
    if (etag) entry.etag = etag;
    const lastModified = response.headers.get('last-modified');
    if (lastModified) entry.lastModified = lastModified;
    return { ecosystem, url, status: 'downloaded', entry };
  } catch (error) {
    return failed(error);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Fetches `<baseUrl>/<Ecosystem>/all.zip` for each requested ecosystem into
 * `<cacheDir>/<Ecosystem>/all.zip`, one at a time, and rewrites the manifest.
 * A failed download leaves the previous copy and its manifest entry in place
 * and is reported in `outcomes`; only bad options throw ({@link UsageError}).
 */
export async function fetchAdvisories(options: FetchAdvisoriesOptions): Promise<FetchResult> {
  const baseUrl = (options.baseUrl ?? OSV_BASE_URL).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch (error) {
    throw new UsageError(`advisory source ${baseUrl} is not a URL`, { cause: error });
  }
  if (parsed.protocol !== 'https:') throw new UsageError(`advisory source ${baseUrl} must use https`);
  const ecosystems = [...new Set(options.ecosystems.map((e) => ecosystemFamily(e.trim())))];
  if (ecosystems.length === 0) throw new UsageError('name at least one OSV ecosystem to fetch (e.g. Debian, Alpine, "Rocky Linux")');
  for (const ecosystem of ecosystems) {
    if (!SAFE_ECOSYSTEM.test(ecosystem)) throw new UsageError(`${JSON.stringify(ecosystem)} is not an OSV ecosystem name`);
  }

  const settings = {
    cacheDir: options.cacheDir,
    baseUrl,
    fetchImpl: options.fetchImpl ?? fetch,
    now: options.now ?? (() => new Date()),
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  await mkdir(options.cacheDir, { recursive: true });
  const previous = new Map((await readManifest(options.cacheDir))?.entries.map((e) => [e.ecosystem, e]));

  const outcomes: FetchOutcome[] = [];
  for (const ecosystem of ecosystems) {
    const outcome = await fetchOne(ecosystem, previous.get(ecosystem), settings);
    outcomes.push(outcome);
    if (outcome.entry) previous.set(ecosystem, outcome.entry);
  }

  const manifest: AdvisoryManifest = {
    format: MANIFEST_FORMAT,
    entries: [...previous.values()].sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0)),
  };
  await writeAtomically(join(options.cacheDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outcomes, manifest };
}
