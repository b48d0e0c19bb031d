// How one GET reaches the engine. Local sockets, TCP and TCP+TLS use Node's
// own http and https, with the connection fields endpoint.ts resolved (and
// nothing from the environment); only ssh:// engines go through docker-modem,
// which tunnels the HTTP request over an SSH channel and is loaded for them
// alone. docker-modem for every engine cost start-up (its streams polyfill
// and debug) and a URL build per request (docs/benchmarks.md).
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

import type Modem from 'docker-modem';

import { CollectError } from '../../errors.js';
import type { EngineEndpoint } from './endpoint.js';

/** Sends `GET path?query` and gives the response, whatever its status (the caller reads and judges it). */
export type Dial = (path: string, query: Record<string, string>, signal: AbortSignal) => Promise<IncomingMessage>;

function withQuery(path: string, query: Record<string, string>): string {
  const qs = new URLSearchParams(query).toString();
  return qs === '' ? path : `${path}?${qs}`;
}

function hostHeader(host: string, port: number | string | undefined): string {
  const name = host.includes(':') ? `[${host}]` : host;
  return port === undefined ? name : `${name}:${port}`;
}

/** The TLS server name (SNI) for a host: none for an IP address, which SNI does not carry. */
export function serverNameFor(host: string): string {
  return host.includes(':') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) ? '' : host;
}

function directDial(options: Modem.ConstructorOptions): Dial {
  const tls = options.protocol === 'https';
  const request = tls ? https.request : http.request;
  const name = String(options.host ?? 'localhost');
  // The Host header and the TLS server name are given here: Node's own
  // derivation tests whether the host is an IP address on every request, and
  // the first test compiles its IPv6 address pattern (about 10 ms of a scan).
  const base: https.RequestOptions = options.socketPath !== undefined
    ? { socketPath: options.socketPath, servername: '' }
    : {
        host: options.host,
        port: options.port,
        servername: tls ? serverNameFor(name) : '',
        ...(tls ? { ca: options.ca, cert: options.cert, key: options.key } : {}),
      };
  const host = options.socketPath !== undefined ? 'localhost' : hostHeader(name, options.port);
  return (path, query, signal) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      // One connection per request (agent: false): the limiter bounds how many are open, and none outlives the scan.
      const req = request({ ...base, method: 'GET', path: withQuery(path, query), headers: { Host: host }, agent: false, signal }, resolve);
      req.on('error', reject);
      req.end();
    });
}

function modemDial(endpoint: EngineEndpoint): Dial {
  let modem: Promise<Modem> | undefined;
  const setUp = async (): Promise<Modem> => {
    const { default: ModemClass } = await import('docker-modem');
    try {
      return new ModemClass(endpoint.modem);
    } catch (error) {
      // docker-modem reads DOCKER_HOST/DOCKER_CERT_PATH itself and throws on bad values.
      throw new CollectError(endpoint.display, `cannot set up a Docker client: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  return async (path, query, signal) => {
    modem ??= setUp();
    const m = await modem;
    return new Promise<IncomingMessage>((resolve, reject) => {
      m.dial(
        {
          // A trailing `?` makes the modem append the query (and nothing else).
          path: `${path}?`,
          method: 'GET',
          options: { ...query },
          abortSignal: signal,
          isStream: true,
          statusCodes: ANY_STATUS,
        },
        (error, response) => (error ? reject(error) : resolve(response as IncomingMessage)),
      );
    });
  };
}

// Every status goes to readBody: docker-modem would otherwise buffer an error
// body without bound before calling back.
const ANY_STATUS: Record<number, true> = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [i + 100, true]));

export function dialFor(endpoint: EngineEndpoint): Dial {
  return endpoint.transport === 'ssh' ? modemDial(endpoint) : directDial(endpoint.modem);
}
