// One event to one target: POST JSON (or GET with query parameters), userinfo sent as Basic auth,
// a per-attempt timeout, then the fallback URL once. Any 2xx counts as delivered; the body is ignored.
import type { CallEventPayload } from './event-payload';
import { redactUrl, type EventTarget } from './event-target';

export interface DeliveryAttempt {
  url: string; // without credentials
  status?: number;
  error?: string;
  durationMs: number;
}

export interface DeliveryResult {
  delivered: boolean;
  url: string; // the last URL tried, without credentials
  status?: number;
  error?: string;
  attempts: DeliveryAttempt[];
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export const EVENT_USER_AGENT = 'BandwidthAPI/v1';

export async function deliverEvent(
  target: EventTarget,
  payload: CallEventPayload,
  options: { fetch?: FetchLike; signal?: AbortSignal; now?: () => number } = {},
): Promise<DeliveryResult> {
  const attempts: DeliveryAttempt[] = [];
  const urls = [target.url, ...(target.fallbackUrl ? [target.fallbackUrl] : [])];
  for (const url of urls) {
    const attempt = await attemptDelivery(url, target, payload, options);
    attempts.push(attempt);
    const delivered = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
    if (delivered || options.signal?.aborted) {
      return { delivered, url: attempt.url, status: attempt.status, error: attempt.error, attempts };
    }
  }
  const last = attempts[attempts.length - 1]!;
  return { delivered: false, url: last.url, status: last.status, error: last.error, attempts };
}

/** Node's fetch refuses URLs with credentials, so userinfo becomes an Authorization header. */
export function prepareRequest(
  url: string,
  method: 'GET' | 'POST',
  payload: CallEventPayload,
): { url: string; init: RequestInit } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`unsupported scheme ${parsed.protocol}`);
  const headers: Record<string, string> = { 'User-Agent': EVENT_USER_AGENT };
  if (parsed.username || parsed.password) {
    const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  if (method === 'GET') {
    for (const [name, value] of Object.entries(payload)) parsed.searchParams.append(name, value);
    return { url: parsed.toString(), init: { method: 'GET', headers } };
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return { url: parsed.toString(), init: { method: 'POST', headers, body: JSON.stringify(payload) } };
}

async function attemptDelivery(
  url: string,
  target: EventTarget,
  payload: CallEventPayload,
  options: { fetch?: FetchLike; signal?: AbortSignal; now?: () => number },
): Promise<DeliveryAttempt> {
  const now = options.now ?? Date.now;
  const started = now();
  const shownUrl = redactUrl(url);
  let request: { url: string; init: RequestInit };
  try {
    request = prepareRequest(url, target.method, payload);
  } catch (error) {
    return { url: shownUrl, error: `invalid callback URL: ${(error as Error).message}`, durationMs: 0 };
  }
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await (options.fetch ?? fetch)(request.url, { ...request.init, signal, redirect: 'manual' });
    // Drain the body so the connection can be reused; its content is ignored.
    await response.arrayBuffer().catch(() => undefined);
    return { url: shownUrl, status: response.status, durationMs: now() - started };
  } catch (error) {
    const reason = timeout.aborted ? `timed out after ${target.timeoutMs} ms` : describeError(error);
    return { url: shownUrl, error: reason, durationMs: now() - started };
  }
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
