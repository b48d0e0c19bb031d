// Gathers facts from one Docker Engine over its API, GET requests only, with
// the fewest round trips: /info and /version once, one container list, one
// inspect per container, one inspect per distinct image, the default bridge
// once, and /top per running container when processes are wanted.
// The requests go out through src/checkers/docker/dial.ts (Node's http and
// https; docker-modem only for ssh://): dockerode's Dockerode class adds gRPC
// (BuildKit sessions) and tar modules a GET-only scanner never uses.
import type { IncomingMessage } from 'node:http';

import { CollectError } from '../../errors.js';
import { LIMITS, formatBytes } from '../../lib/limits.js';
import type { ContainerFacts, EngineFacts, ImageFacts } from '../../model/facts.js';
import { dialFor } from './dial.js';
import type { EngineEndpoint } from './endpoint.js';
import { containerName, normalizeContainer, normalizeEngine, normalizeImage } from './normalize.js';
import { createLimiter, type Limiter } from './pool.js';

export interface CollectOptions {
  /** Include created and stopped containers (`docker ps -a`); default running only. */
  all?: boolean;
  /** Read each running container's process list (/top); default true. */
  processes?: boolean;
  /** Requests in flight at once; default 16. */
  concurrency?: number;
  /** Per-request timeout in milliseconds; default 30 000. */
  timeoutMs?: number;
  /** Bytes one Engine API response may have; default LIMITS.engineResponseBytes. */
  maxBodyBytes?: number;
  /** Bytes all responses of this engine may have together; default LIMITS.engineTotalBytes. */
  maxTotalBytes?: number;
  signal?: AbortSignal;
  /** Called with containers finished so far and the total, after the list is known. */
  /** After each container: how many are done of how many, and whether this one failed. */
  onProgress?: (done: number, total: number, failed?: boolean) => void;
}

export interface ContainerCollection {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  facts?: ContainerFacts;
  image?: ImageFacts;
  /** Why this container's facts could not be gathered (e.g. removed between list and inspect). */
  error?: string;
  /** Partial failures that left facts usable, e.g. the process list could not be read. */
  warnings?: string[];
}

export interface EngineCollection {
  engine: EngineFacts;
  containers: ContainerCollection[];
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 30_000;

type Query = Record<string, string>;

/** One GET through dockerode's modem, with a status check, a timeout and the caller's signal. */
type Get = (path: string, query?: Query) => Promise<unknown>;

interface HttpError extends Error {
  statusCode?: number;
  code?: string;
}

export async function collectEngine(endpoint: EngineEndpoint, options: CollectOptions = {}): Promise<EngineCollection> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wantProcesses = options.processes ?? true;
  const limit = createLimiter(concurrency);
  const get = makeGet(endpoint, limit, timeoutMs, options.signal, bodyLimits(options));

  // The containers are inspected as soon as the list is in: /info can take
  // the engine longer to answer than the list and every inspect together.
  const enginePromise = readEngine(get, endpoint);
  enginePromise.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  const list = await get('/containers/json', options.all ? { all: 'true' } : {}).catch((error: unknown) => {
    throw engineError(endpoint, error, timeoutMs, options.signal);
  });
  const summaries = (Array.isArray(list) ? list : []).map(summary);

  // Memoised per image ID: containers sharing an image share one request.
  const images = new Map<string, Promise<ImageLookup>>();
  const imageFor = (id: string): Promise<ImageLookup> => {
    let pending = images.get(id);
    if (!pending) {
      pending = get(`/images/${encodeURIComponent(id)}/json`).then(
        (body): ImageLookup => ({ image: normalizeImage(body) }),
        (error: unknown): ImageLookup => {
          rethrowIfAborted(options.signal, endpoint, error);
          // The image was removed (`docker rmi -f`) while a container still uses it.
          if (statusOf(error) === 404) return {};
          return { warning: `cannot inspect image ${id}: ${describe(error)}` };
        },
      );
      images.set(id, pending);
    }
    return pending;
  };

  let done = 0;
  options.onProgress?.(0, summaries.length);
  const containers = Promise.all(
    summaries.map(async (s): Promise<ContainerCollection> => {
      const entry = await collectContainer(s, get, imageFor, wantProcesses, options.signal, endpoint);
      options.onProgress?.(++done, summaries.length, entry.error !== undefined);
      return entry;
    }),
  );
  containers.catch(() => undefined); // an abort rejects it; awaited below unless the engine failed first
  const engine = await enginePromise.catch((error: unknown) => {
    throw engineError(endpoint, error, timeoutMs, options.signal);
  });
  return { engine, containers: await containers };
}

/** /info, /version and the default bridge (absent on engines without one) as EngineFacts. */
async function readEngine(get: Get, endpoint: EngineEndpoint): Promise<EngineFacts> {
  const [info, version, bridge] = await Promise.all([
    get('/info'),
    get('/version'),
    get('/networks/bridge').catch((error: unknown) => {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }),
  ]);
  return normalizeEngine(info, version, bridge, { display: endpoint.display, transport: endpoint.transport });
}

export interface ImageCollection {
  engine: EngineFacts;
  /** By the reference asked for; absent when the engine does not have the image. */
  images: Map<string, ImageFacts>;
  /** References that could not be inspected for another reason than "not present". */
  warnings: string[];
}

/**
 * The engine's facts and `GET /images/{name}/json` for each reference, for
 * judging declared services (`palisade check --docker`) against the engine and
 * images they will run with. An image the engine does not have is left out.
 */
export async function collectImages(endpoint: EngineEndpoint, references: readonly string[], options: CollectOptions = {}): Promise<ImageCollection> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const get = makeGet(endpoint, createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY), timeoutMs, options.signal, bodyLimits(options));
  const engine = await readEngine(get, endpoint).catch((error: unknown) => {
    throw engineError(endpoint, error, timeoutMs, options.signal);
  });
  const images = new Map<string, ImageFacts>();
  const warnings: string[] = [];
  await Promise.all(
    [...new Set(references)].map(async (ref) => {
      try {
        images.set(ref, normalizeImage(await get(`/images/${encodeURIComponent(ref)}/json`)));
      } catch (error) {
        rethrowIfAborted(options.signal, endpoint, error);
        if (statusOf(error) !== 404) warnings.push(`cannot inspect image ${ref}: ${describe(error)}`);
      }
    }),
  );
  return { engine, images, warnings };
}

/** An image inspect's outcome; neither field when the engine no longer has the image. */
interface ImageLookup {
  image?: ImageFacts;
  warning?: string;
}

interface Summary {
  id: string;
  name: string;
}

function summary(raw: unknown): Summary {
  const s = (raw ?? {}) as { Id?: unknown; Names?: unknown };
  const id = typeof s.Id === 'string' ? s.Id : '';
  const first = Array.isArray(s.Names) && typeof s.Names[0] === 'string' ? s.Names[0] : '';
  return { id, name: containerName(first) || id.slice(0, 12) };
}

async function collectContainer(
  s: Summary,
  get: Get,
  imageFor: (id: string) => Promise<ImageLookup>,
  wantProcesses: boolean,
  signal: AbortSignal | undefined,
  endpoint: EngineEndpoint,
): Promise<ContainerCollection> {
  const entry: ContainerCollection = { id: s.id, name: s.name };
  let inspect: unknown;
  try {
    inspect = await get(`/containers/${encodeURIComponent(s.id)}/json`);
  } catch (error) {
    rethrowIfAborted(signal, endpoint, error);
    entry.error =
      statusOf(error) === 404
        ? `container ${s.name} (${s.id.slice(0, 12)}) was removed before it could be inspected`
        : `cannot inspect container ${s.name} (${s.id.slice(0, 12)}): ${describe(error)}`;
    return entry;
  }

  const warnings: string[] = [];
  const running = (inspect as { State?: { Running?: unknown } } | null)?.State?.Running === true;
  const imageId = (inspect as { Image?: unknown } | null)?.Image;
  const [lookup, top] = await Promise.all([
    typeof imageId === 'string' && imageId !== '' ? imageFor(imageId) : Promise.resolve<ImageLookup>({}),
    wantProcesses && running
      ? get(`/containers/${encodeURIComponent(s.id)}/top`).catch((error: unknown) => {
          rethrowIfAborted(signal, endpoint, error);
          warnings.push(`cannot list processes of ${s.name}: ${describe(error)}`);
          return undefined;
        })
      : Promise.resolve(undefined),
  ]);

  entry.facts = normalizeContainer(inspect, top);
  if (lookup.image) entry.image = lookup.image;
  if (lookup.warning) warnings.push(lookup.warning);
  if (warnings.length > 0) entry.warnings = warnings;
  return entry;
}

const STATUS_TEXT: Record<number, string> = { 400: 'bad parameter', 404: 'not found', 409: 'conflict', 500: 'server error' };

/** Bytes read from one engine, against the total limit. */
interface Budget {
  used: number;
}

/** A response body over a limit: one big answer fails one container (or, for the engine-wide requests, the engine), not the scan. */
export class BodyLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyLimitError';
  }
}

function bodyLimits(options: CollectOptions): BodyLimits {
  return {
    maxBodyBytes: options.maxBodyBytes ?? LIMITS.engineResponseBytes,
    maxTotalBytes: options.maxTotalBytes ?? LIMITS.engineTotalBytes,
  };
}

function makeGet(endpoint: EngineEndpoint, limit: Limiter, timeoutMs: number, signal: AbortSignal | undefined, limits: BodyLimits): Get {
  const dial = dialFor(endpoint);
  const budget: Budget = { used: 0 };
  return (path, query = {}) =>
    limit(async () => {
      signal?.throwIfAborted();
      const requestSignal = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const fail = (error: unknown): never => {
        throw requestSignal.aborted ? abortReason(requestSignal, error) : error;
      };
      const response = await dial(path, query, requestSignal).catch(fail);
      return readBody(response, path, requestSignal, limits, budget).catch(fail);
    });
}

export interface BodyLimits {
  /** Bytes one response body may have. */
  maxBodyBytes: number;
  /** Bytes all response bodies of one engine may have together. */
  maxTotalBytes: number;
}

/** Reads one response within the limits, then parses it as docker-modem would (JSON, else the text), mapping error statuses. */
function readBody(res: IncomingMessage, path: string, signal: AbortSignal, limits: BodyLimits, budget: Budget): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: unknown, value?: unknown): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        res.destroy();
        reject(error);
      } else resolve(value);
    };
    const onAbort = (): void => finish(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    res.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      budget.used += chunk.length;
      if (size > limits.maxBodyBytes) {
        finish(new BodyLimitError(`the answer to GET ${path} exceeded the limit of ${formatBytes(limits.maxBodyBytes)} per response`));
      } else if (budget.used > limits.maxTotalBytes) {
        finish(new BodyLimitError(`the engine's answers exceeded the limit of ${formatBytes(limits.maxTotalBytes)} in total`));
      } else chunks.push(chunk);
    });
    res.on('error', (error) => finish(error));
    res.on('close', () => {
      if (!res.complete) finish(new Error(`the connection closed before the answer to GET ${path} was complete`));
    });
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const status = res.statusCode ?? 0;
      if (status === 200 || status === 304) return finish(undefined, json ?? text);
      const cause = (json as { message?: unknown } | undefined)?.message;
      const error = new Error(`(HTTP code ${status}) ${STATUS_TEXT[status] ?? 'unexpected'} - ${typeof cause === 'string' ? cause : text.slice(0, 200)} `) as HttpError;
      error.statusCode = status;
      finish(error);
    });
  });
}

/** The signal's reason (our timeout, or the caller's abort), keeping the transport error as cause. */
function abortReason(signal: AbortSignal, error: unknown): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.cause === undefined) {
    try {
      Object.defineProperty(reason, 'cause', { value: error, configurable: true });
    } catch {
      // A frozen reason keeps its own cause.
    }
  }
  return reason ?? error;
}

function rethrowIfAborted(signal: AbortSignal | undefined, endpoint: EngineEndpoint, error: unknown): void {
  if (signal?.aborted) throw new CollectError(endpoint.display, 'collection aborted', { cause: signal.reason ?? error });
}

function statusOf(error: unknown): number | undefined {
  const status = (error as HttpError | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if ((error as HttpError).name === 'TimeoutError') return 'request timed out';
    return error.message.trim();
  }
  return String(error);
}

/** Maps a failure of the engine-level requests to a CollectError that says what to check. */
function engineError(endpoint: EngineEndpoint, error: unknown, timeoutMs: number, signal: AbortSignal | undefined): CollectError {
  if (error instanceof CollectError) return error;
  const where = endpoint.display;
  const cause = { cause: error };
  if (signal?.aborted) return new CollectError(where, 'collection aborted', cause);
  const err = error as HttpError | null;
  if (err?.name === 'TimeoutError') {
    return new CollectError(where, `the Docker Engine did not answer within ${timeoutMs} ms; check that the daemon is healthy and reachable, or raise the timeout`, cause);
  }
  if (error instanceof BodyLimitError) return new CollectError(where, `${error.message}; the engine may be hostile or broken`, cause);
  const rejection = endpoint.hostVerifier?.lastRejection;
  if (rejection) return new CollectError(where, `ssh host key verification failed: ${rejection.message}`, cause);

  const status = statusOf(error);
  if (status !== undefined) {
    return new CollectError(where, `the Docker Engine answered with an error: ${describe(error)}`, cause);
  }
  const code = err?.code;
  const socket = endpoint.modem.socketPath;
  const detail = describe(error);
  switch (code) {
    case 'ENOENT':
      return new CollectError(where, `cannot reach the Docker Engine: socket ${socket ?? ''} does not exist (${detail}). Is the Docker daemon running? If it listens elsewhere, set DOCKER_HOST or pass --docker.`, cause);
    case 'EACCES':
    case 'EPERM':
      return new CollectError(where, `permission denied on ${socket ?? where} (${detail}). Run as a user in the docker group (or root), or point DOCKER_HOST / --docker at an endpoint you may use.`, cause);
    case 'ECONNREFUSED':
      return new CollectError(where, `connection refused (${detail}). Is the Docker daemon running and listening there? Check DOCKER_HOST or --docker.`, cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CollectError(where, `cannot resolve the host (${detail}). Check the host name in DOCKER_HOST or --docker.`, cause);
    default:
      return new CollectError(
        where,
        `cannot reach the Docker Engine (${detail}). Check that the daemon is running, that DOCKER_HOST or --docker names the right endpoint, ` +
          'and that you have permission to use it (socket permissions, TLS certificates, ssh keys).',
        cause,
      );
  }
}
