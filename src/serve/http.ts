// The HTTP side of `palisade serve` (node:http, GET only): /metrics in the
// Prometheus text format, /healthz, and the latest HTML report at / and
// /report. Binds 127.0.0.1 unless told otherwise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { UsageError } from '../errors.js';
import { HTML_CSP } from '../reporters/html.js';
import type { ServeService } from './service.js';

export const DEFAULT_LISTEN = '127.0.0.1:9464';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` or `:port` (127.0.0.1). Port 0 picks a free one. */
export function parseListen(value: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--listen ${JSON.stringify(value)}: expected HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function healthBody(service: ServeService): { status: number; body: string } {
  const h = service.health;
  const lines = [h.ok ? 'ok' : 'failing', `last scan: ${h.last}`];
  if (h.lastScanId) lines.push(`last recorded scan: ${h.lastScanId} (finished ${h.lastFinishedAt ?? '?'})`);
  if (h.lastError) lines.push(`last error: ${h.lastError}`);
  return { status: h.ok ? 200 : 503, body: `${lines.join('\n')}\n` };
}

export function createServeServer(service: ServeService, log: (message: string) => void): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/metrics') {
      service.metrics.text().then(
        (text) => send(200, service.metrics.contentType, text),
        (error: unknown) => {
          log(`/metrics: ${String(error)}`);
          send(500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
        },
      );
      return;
    }
    if (path === '/healthz') {
      const { status, body } = healthBody(service);
      send(status, 'text/plain; charset=utf-8', body);
      return;
    }
    if (path === '/' || path === '/report') {
      if (service.report === undefined) {
        send(503, 'text/plain; charset=utf-8', 'no scan recorded yet; the report appears after the first scheduled scan\n', { 'retry-after': '60' });
        return;
      }
      send(200, 'text/html; charset=utf-8', service.report, { 'content-security-policy': HTML_CSP });
      return;
    }
    send(404, 'text/plain; charset=utf-8', 'not found: try /metrics, /healthz or /report\n');
  });
}

export function listen(server: Server, address: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ host: a.address, port: a.port });
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
