// The regression webhook: one JSON POST with a Slack-compatible `text` and
// structured fields, retried with exponential backoff, each attempt under a
// timeout. The URL is never logged whole: webhook URLs carry their secret in
// the path or the query (Slack's do), so only the scheme and host are shown.
import type { Clock } from './clock.js';

export interface WebhookOptions {
  url: string;
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** Per-attempt time limit (default 10 s). */
  timeoutMs?: number;
  /** Wait before the second attempt; doubles each time (default 1 s). */
  backoffMs?: number;
  clock: Clock;
  log: (message: string) => void;
}

export interface WebhookResult {
  delivered: boolean;
  attempts: number;
  /** The last failure, when not delivered. */
  error?: string;
}

/** `https://hooks.example.com/…`: scheme and host only, never user, password, path or query. */
export function describeWebhook(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/\u2026`;
  } catch {
    return '(invalid URL)';
  }
}

/** Checks a webhook URL once, at start-up. Returns an error message or undefined. */
export function webhookUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be http or https, not ${u.protocol}`;
  return undefined;
}

export async function postWebhook(payload: unknown, options: WebhookOptions): Promise<WebhookResult> {
  const attempts = options.attempts ?? 4;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let wait = options.backoffMs ?? 1_000;
  const where = describeWebhook(options.url);
  const body = JSON.stringify(payload);
  const { url, authorization } = splitCredentials(options.url);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'palisade-serve' };
  if (authorization) headers['authorization'] = authorization;
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Drain the body so the connection can be reused or closed.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        options.log(`webhook ${where}: delivered (attempt ${attempt}, HTTP ${response.status})`);
        return { delivered: true, attempts: attempt };
      }
      error = `HTTP ${response.status}`;
    } catch (cause) {
      const name = (cause as Error).name;
      error = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : describeFetchError(cause);
    }
    if (attempt < attempts) {
      options.log(`webhook ${where}: attempt ${attempt} of ${attempts} failed (${error}); retrying in ${wait} ms`);
      await options.clock.sleep(wait);
      wait *= 2;
    }
  }
  options.log(`webhook ${where}: not delivered after ${attempts} attempts (${error})`);
  return { delivered: false, attempts, error };
}

/** fetch refuses URLs with user:password; they become a Basic authorization header. */
function splitCredentials(raw: string): { url: string; authorization?: string } {
  const u = new URL(raw);
  if (u.username === '' && u.password === '') return { url: raw };
  const token = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), authorization: `Basic ${token}` };
}

function describeFetchError(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  // undici puts the socket error (ECONNREFUSED...) in cause; its message may quote the URL, the code never does.
  return inner?.code ?? (cause as Error).name ?? 'request failed';
}
