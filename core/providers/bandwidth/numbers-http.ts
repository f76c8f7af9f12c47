// The Numbers API's transport (docs/contracts/bandwidth-v2.md §2): XML both ways under
// `${BANDWIDTH_API_URL}/api/accounts/{accountId}`, a Bearer token from the OAuth cache, retried as api-transport.ts
// says. A 429's wait is X-RateLimit-Reset (epoch SECONDS, §2.4); when it is too far off the error goes up (a sign-up
// answers provider-rate-limited and the person retries). `repeatable` marks reads and writes that set a state rather
// than create something; a POST that creates (an order, a disconnect, an application) is never repeated here — the
// callers look for what a lost answer created instead.
import { fetchText, isTimeout, retryPolicy, sendWithRetries, type TransportOptions } from './api-transport';
import { parseXml, XmlSyntaxError, type XmlElement } from './xml';

export interface NumbersHttpOptions extends TransportOptions {
  apiUrl: string; // BANDWIDTH_API_URL, no trailing slash
  /** Per attempt, default 10 s. */
  timeoutMs?: number;
  now?: () => number;
}

export interface NumbersRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the account, starting with "/", already encoded (see `segment`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** An XML document (xml.ts `xmlDocument`). */
  body?: string;
  /** Safe to repeat after a 5xx or no answer. */
  repeatable: boolean;
  /** What it is for, in logs and errors ("order", "application read"). */
  operation: string;
}

export interface NumbersResponse {
  status: number;
  /** The parsed answer; undefined for an empty body. */
  xml?: XmlElement;
  location?: string;
}

/** A failed Numbers API request. `status` 0: no answer (network error or timeout). */
export class NumbersApiError extends Error {
  readonly api = 'numbers';
  constructor(
    readonly status: number,
    readonly operation: string,
    /** Bandwidth's ErrorCode / Code when the answer had one. */
    readonly code: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NumbersApiError';
  }
}

export type NumbersHttp = (request: NumbersRequest) => Promise<NumbersResponse>;

/** A path segment from a value the app got elsewhere (ids, numbers): encoded, never able to add a segment. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

export function createNumbersHttp(options: NumbersHttpOptions): NumbersHttp {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const policy = retryPolicy(options, 200);
  const base = `${options.apiUrl}/api/accounts/${segment(options.accountId)}`;

  async function attempt(request: NumbersRequest, token: string): Promise<NumbersResponse> {
    const url = new URL(base + request.path);
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await fetchText(
        doFetch,
        url,
        {
          method: request.method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/xml',
            ...(request.body === undefined ? {} : { 'Content-Type': 'application/xml; charset=utf-8' }),
          },
          ...(request.body === undefined ? {} : { body: request.body }),
          redirect: 'error', // never resend the Bearer token to a place we did not choose
        },
        timeoutMs,
      ));
    } catch (error) {
      const reason = isTimeout(error) ? 'timeout' : 'network error';
      throw new NumbersApiError(0, request.operation, undefined, `${request.operation}: ${reason}`, undefined, {
        cause: error,
      });
    }
    let xml: XmlElement | undefined;
    if (text.trim() !== '') {
      try {
        xml = parseXml(text);
      } catch (error) {
        if (!(error instanceof XmlSyntaxError)) throw error;
        // Not the API's XML (a proxy's HTML page, a cut answer): a fault of the provider's side.
        const status = response.ok ? 502 : response.status;
        throw new NumbersApiError(status, request.operation, undefined, `${request.operation}: unreadable answer`);
      }
    }
    if (response.ok) {
      const location = response.headers.get('location');
      return { status: response.status, ...(xml ? { xml } : {}), ...(location ? { location } : {}) };
    }
    const { code, description } = errorOf(xml);
    throw new NumbersApiError(
      response.status,
      request.operation,
      code,
      `${request.operation}: ${response.status}${code ? ` (${code})` : ''}${description ? ` ${description}` : ''}`,
      resetAfterMs(response.headers.get('x-ratelimit-reset'), now()),
    );
  }

  return (request) =>
    sendWithRetries(policy, {
      repeatable: request.repeatable,
      attempt: (token) => attempt(request, token),
      isFailure: (error) => error instanceof NumbersApiError,
      // Logs name the operation and status, never the account path, a body or the token.
      onFailure: (error, attemptNumber, retry) =>
        options.logger.warn('numbers api request failed', {
          operation: request.operation,
          status: error.status,
          code: error.code,
          attempt: attemptNumber,
          retry,
        }),
    });
}

/** Bandwidth's error in any of its shapes: `ResponseStatus/ErrorCode`, `Error/Code`, `ErrorList/Error/Code`. */
function errorOf(xml: XmlElement | undefined): { code?: string; description?: string } {
  const holder = findError(xml);
  if (!holder) return {};
  const text = (name: string) => holder.children.find((c) => c.name === name)?.text.trim();
  const code = text('ErrorCode') ?? text('Code');
  const description = text('Description')?.slice(0, 200);
  return { ...(code ? { code } : {}), ...(description ? { description } : {}) };
}

function findError(element: XmlElement | undefined): XmlElement | undefined {
  if (!element) return undefined;
  if (element.children.some((c) => c.name === 'ErrorCode' || (c.name === 'Code' && element.name === 'Error')))
    return element;
  for (const c of element.children) {
    const found = findError(c);
    if (found) return found;
  }
  return undefined;
}

/** X-RateLimit-Reset: when to try again, in epoch seconds (§2.4). */
function resetAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || !/^\d+(\.\d+)?$/.test(header.trim())) return undefined;
  return Math.max(0, Number(header) * 1000 - nowMs);
}
