// Delivering Voice API callbacks: JSON POST (or GET with the fields in the query), HTTP Basic from the verb's
// username/password or else the application's CallbackCreds, a timeout, one try of the fallback URL. A 2xx answer
// may carry BXML (docs/contracts/bandwidth-v2.md §9.1). Each attempt is recorded on the call for the control API
// (never with credentials).
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

/** `url`: the URL that answered, against which relative URLs in its BXML resolve. */
export type DeliveryResult = { ok: true; bxml?: string; url: string } | { ok: false; error: string };

export const CALLBACK_TIMEOUT_MS = 15_000;

export async function deliverCallback(
  target: Callback,
  defaultCreds: { userId: string; password?: string } | undefined,
  payload: Record<string, unknown>,
  record: CallbackRecord,
  timeoutMs = CALLBACK_TIMEOUT_MS,
): Promise<DeliveryResult> {
  const primary =
    credentialsOf(target.username, target.password) ?? credentialsOf(defaultCreds?.userId, defaultCreds?.password);
  // [undocumented] Without fallbackUsername the fallback URL gets the primary URL's credentials.
  const attempts = [
    { url: target.url, creds: primary },
    ...(target.fallbackUrl
      ? [{ url: target.fallbackUrl, creds: credentialsOf(target.fallbackUsername, target.fallbackPassword) ?? primary }]
      : []),
  ];
  let lastError = 'not sent';
  for (const { url, creds } of attempts) {
    const started = Date.now();
    try {
      const request = new URL(url);
      const headers: Record<string, string> = { 'User-Agent': 'BandwidthAPI/v2' };
      if (creds)
        headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
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
        return text.trim() === '' ? { ok: true, url } : { ok: true, bxml: text, url };
      }
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      record.attempts.push({ url: safeOrigin(url), error: lastError, durationMs: Date.now() - started });
    }
  }
  return { ok: false, error: lastError };
}

function credentialsOf(
  username: string | undefined,
  password: string | undefined,
): { username: string; password: string } | undefined {
  return username === undefined ? undefined : { username, password: password ?? '' };
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return 'invalid-url';
  }
}
