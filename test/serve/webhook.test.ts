import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { diffScans } from '../../src/history/diff.js';
import { findRegression, regressionPayload } from '../../src/serve/regression.js';
import { describeWebhook, postWebhook, webhookUrlProblem } from '../../src/serve/webhook.js';
import type { Clock } from '../../src/serve/clock.js';
import { estateScan, finding, HOSTILE_NAME, workload } from '../helpers/estate.js';

interface Received {
  body: unknown;
  headers: IncomingMessage['headers'];
  url: string;
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A local webhook receiver answering with the given statuses in turn (`hang`: never answers). */
async function receiver(answers: (number | 'hang')[]): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, url: req.url ?? '' });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server?.address() as AddressInfo).port, received };
}

/** Real time for request timeouts, no wait for backoff (the waits are recorded). */
function instantSleeps(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { now: () => new Date(), setTimer: () => ({ cancel: () => undefined }), sleep: async (ms) => void sleeps.push(ms), sleeps };
}

function regressionBody(): Record<string, unknown> {
  const a = estateScan(2, 1);
  const b = estateScan(2, 1);
  const w = b.workloads[0];
  if (!w) throw new Error('fixture');
  w.name = HOSTILE_NAME;
  b.findings.push({ ...finding(w, 21), severity: 'critical', fingerprint: 'new', message: '<!channel> look' });
  b.workloads[1] = workload(1, 0);
  const r = findRegression(diffScans(a, b), 'high');
  if (!r) throw new Error('expected a regression');
  return regressionPayload(r, { scope: 'default:prod', scanId: 'b', previousScanId: 'a', startedAt: b.startedAt, previousStartedAt: a.startedAt });
}

describe('src/serve/webhook', () => {
  it('retries a receiver that fails twice, with doubling backoff, and delivers on the third attempt', async () => {
    const { port, received } = await receiver([500, 503, 200]);
    const clock = instantSleeps();
    const log: string[] = [];

    const result = await postWebhook(regressionBody(), { url: `http://127.0.0.1:${port}/hook`, clock, log: (m) => log.push(m), backoffMs: 1000 });

    expect(result).toEqual({ delivered: true, attempts: 3 });
    expect(received).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(log).toEqual([
      `webhook http://127.0.0.1:${port}/\u2026: attempt 1 of 4 failed (HTTP 500); retrying in 1000 ms`,
      `webhook http://127.0.0.1:${port}/\u2026: attempt 2 of 4 failed (HTTP 503); retrying in 2000 ms`,
      `webhook http://127.0.0.1:${port}/\u2026: delivered (attempt 3, HTTP 200)`,
    ]);
    expect(received[0]?.headers['content-type']).toBe('application/json');
  });

  it('posts a Slack-compatible text plus structured fields, with Slack markup escaped', async () => {
    const { port, received } = await receiver([200]);

    await postWebhook(regressionBody(), { url: `http://127.0.0.1:${port}/`, clock: instantSleeps(), log: () => undefined });

    const body = received[0]?.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['event', 'layersLost', 'newFindings', 'previous', 'scan', 'scope', 'text', 'threshold', 'truncated']);
    expect(body).toMatchObject({
      event: 'palisade.regression',
      scope: 'default:prod',
      scan: { id: 'b' },
      previous: { id: 'a' },
      threshold: 'high',
      truncated: false,
      newFindings: [{ check: 'docker/check-21', severity: 'critical', fingerprint: 'new', workload: { name: HOSTILE_NAME, kind: 'container' } }],
      layersLost: [{ workload: { name: 'app-1' }, lost: ['isolation'] }],
    });
    const text = body['text'] as string;
    expect(text.split('\n')[0]).toBe('*palisade: regression in default:prod*: 1 new finding(s) at or above high, 1 workload(s) lost a layer (scan 2026-11-28T12:00:00.000Z, compared with 2026-11-28T12:00:00.000Z)');
    expect(text).toContain('&lt;!channel&gt; look');
    expect(text).toContain('&lt;script&gt;');
    expect(text).not.toMatch(/<[!@#]/);
  });

  it('gives up each attempt after the timeout and reports the failure', async () => {
    const { port, received } = await receiver(['hang', 'hang']);
    const log: string[] = [];
    const t0 = performance.now();

    const result = await postWebhook({ text: 'x' }, { url: `http://127.0.0.1:${port}/`, clock: instantSleeps(), log: (m) => log.push(m), timeoutMs: 300, attempts: 2 });

    expect(result).toEqual({ delivered: false, attempts: 2, error: 'no answer within 300 ms' });
    expect(received).toHaveLength(2);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(log.at(-1)).toBe(`webhook http://127.0.0.1:${port}/\u2026: not delivered after 2 attempts (no answer within 300 ms)`);
  });

  it('reports a refused connection by its code and never logs the secret parts of the URL', async () => {
    const { port } = await receiver([]);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const log: string[] = [];

    const result = await postWebhook({ text: 'x' }, { url: `http://user:hunter2@127.0.0.1:${port}/services/T0/B0/SECRETTOKEN?key=abc`, clock: instantSleeps(), log: (m) => log.push(m), attempts: 2 });

    expect(result.error).toBe('ECONNREFUSED');
    expect(log.join('\n')).not.toMatch(/hunter2|user|SECRETTOKEN|services|key=abc/);
  });

  it('sends user:password of the URL as Basic authorization', async () => {
    const { port, received } = await receiver([200]);

    await postWebhook({ text: 'x' }, { url: `http://bot:s%3Acret@127.0.0.1:${port}/h`, clock: instantSleeps(), log: () => undefined });

    expect(received[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('bot:s:cret').toString('base64')}`);
    expect(received[0]?.url).toBe('/h');
  });

  it.each([
    ['https://hooks.slack.com/services/T/B/X', undefined],
    ['ftp://example.com/x', 'must be http or https, not ftp:'],
    ['not a url', 'is not a URL'],
  ])('webhookUrlProblem(%j)', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  it('describes a URL by scheme and host only', () => {
    expect(describeWebhook('https://u:p@hooks.slack.com/services/T/B/X?y=1')).toBe('https://hooks.slack.com/\u2026');
  });
});
