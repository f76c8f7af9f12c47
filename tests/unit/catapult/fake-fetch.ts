// An injected fetch that records every request and answers from a script, so unit tests assert the exact
// wire format (method, path, query, headers, body) without any network, like GO's catapult_test.go.
import assert from 'node:assert/strict';
import { createCatapultClient, type CatapultClientOptions } from '../../../core/catapult/client';
import type { LogFields, Logger } from '../../../core/log';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string; // pathname + raw query, exactly as sent
  headers: Record<string, string>;
  bodyText: string | undefined;
  body: unknown;
}

export type FakeHandler = (request: RecordedRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

export const BASE_URL = 'https://api.catapult.test/v1';
export const ACCOUNT = { userId: 'u-abc123', apiToken: 't-token', apiSecret: 's3cret-value' };
export const BASIC_AUTH = `Basic ${Buffer.from('t-token:s3cret-value').toString('base64')}`;

export function createFakeFetch(handler: FakeHandler): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const bodyText = typeof init.body === 'string' ? init.body : undefined;
    const recorded: RecordedRequest = {
      method: init.method ?? 'GET',
      url: url.toString(),
      path: `${url.pathname}${url.search}`,
      headers,
      bodyText,
      body: bodyText === undefined ? undefined : JSON.parse(bodyText),
    };
    requests.push(recorded);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const answer = Promise.resolve(handler(recorded, signal));
    if (!signal) return answer;
    return Promise.race([
      answer,
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      ),
    ]);
  };
  return { fetch: fakeFetch, requests };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

export function created(location: string): Response {
  return empty(201, { location });
}

export function catapultError(
  status: number,
  category: string,
  code: string,
  message?: string,
  headers = {},
): Response {
  return json(status, { category, code, ...(message ? { message } : {}), details: [] }, headers);
}

/**
 * A never-answering fetch step (the per-attempt timeout must end it). A real hung socket keeps Node's
 * event loop alive while AbortSignal.timeout's timer does not, so a ref'd timer stands in for the socket.
 */
export function hang(signal: AbortSignal | undefined): Promise<Response> {
  const keepAlive = setInterval(() => undefined, 1000);
  if (signal?.aborted) clearInterval(keepAlive);
  else signal?.addEventListener('abort', () => clearInterval(keepAlive), { once: true });
  return new Promise<Response>(() => undefined);
}

export interface RecordingLogger extends Logger {
  entries: Array<{ level: string; message: string; fields?: LogFields }>;
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger['entries'] = [];
  return {
    entries,
    info: (message, fields) => entries.push({ level: 'info', message, fields }),
    warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
    error: (message, fields) => entries.push({ level: 'error', message, fields }),
  };
}

/** Options with a recorded sleep and a fixed clock, so retry tests never wait for real. */
export function testOptions(fetchImpl: typeof fetch, extra: Partial<CatapultClientOptions> = {}) {
  const sleeps: number[] = [];
  const options: CatapultClientOptions = {
    baseUrl: BASE_URL,
    ...ACCOUNT,
    fetch: fetchImpl,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => 1_700_000_000_000,
    random: () => 0.5,
    ...extra,
  };
  return { options, sleeps };
}

/** A client on the fake fetch, and the requests it records. */
export function clientWith(handler: FakeHandler) {
  const fake = createFakeFetch(handler);
  return { client: createCatapultClient(testOptions(fake.fetch).options), requests: fake.requests };
}

/** The one item of a list that must hold exactly one. */
export function only<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected exactly one request, got ${items.length}`);
  return items[0] as T;
}
