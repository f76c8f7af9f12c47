// Delivering Voice API callbacks: JSON POST (or GET with the fields in the query), HTTP Basic from the verb's
// username/password or else the application's CallbackCreds, a timeout, one try of the fallback URL. A 2xx answer
// may carry BXML. Each attempt is recorded on the call for the control API (never with credentials).
import type { Callback } from './bxml';

export interface CallbackAttempt {
  url: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface CallbackRecord {
  eventType: string;
  payload: Record<string, unknown>;
  attempts: CallbackAttempt[];
  delivered: boolean;
  /** The BXML the app answered with, when any. */
  bxml?: string;
}

export type DeliveryResult = { ok: true; bxml?: string } | { ok: false; error: string };

export const CALLBACK_TIMEOUT_MS = 15_000;

export async function deliverCallback(
  target: Callback,
  defaultCreds: { userId: string; password?: string } | undefined,
  payload: Record<string, unknown>,
  record: CallbackRecord,
  timeoutMs = CALLBACK_TIMEOUT_MS,
): Promise<DeliveryResult> {
  const username = target.username ?? defaultCreds?.userId;
  const password = target.username !== undefined ? (target.password ?? '') : (defaultCreds?.password ?? '');
  const urls = [target.url, ...(target.fallbackUrl ? [target.fallbackUrl] : [])];
  let lastError = 'not sent';
  for (const url of urls) {
    const started = Date.now();
    try {
      const request = new URL(url);
      const headers: Record<string, string> = { 'User-Agent': 'BandwidthAPI/v2' };
      if (username !== undefined)
        headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      let body: string | undefined;
      if (target.method === 'GET') {
        for (const [name, value] of Object.entries(payload)) {
          if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            request.searchParams.set(name, String(value));
        }
      } else {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(payload);
      }
      const response = await fetch(request, {
        method: target.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      record.attempts.push({
        url: request.origin + request.pathname,
        status: response.status,
        durationMs: Date.now() - started,
      });
      if (response.status >= 200 && response.status < 300) {
        record.delivered = true;
        if (text.trim() !== '') record.bxml = text;
        return text.trim() === '' ? { ok: true } : { ok: true, bxml: text };
      }
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      record.attempts.push({ url: safeOrigin(url), error: lastError, durationMs: Date.now() - started });
    }
  }
  return { ok: false, error: lastError };
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return 'invalid-url';
  }
}
