// What the Numbers API and Voice API clients share (docs/contracts/bandwidth-v2.md §1.1, §2, §7): one attempt
// bounded by a timer, and the loop around attempts. A 401 fetches a new Bearer token once and repeats the request
// (a refused token means nothing was done; it does not count as an attempt). Other failures are repeated only
// where that is safe:
// - 429: the API did nothing, so any request is repeated, after the API's own wait when it names one that is soon
//   enough (else the error goes up: the person retries later);
// - 5xx, no answer, timeout: the API may have acted, so only requests marked `repeatable` are repeated.
// Each client keeps its own error type, wire format and log line.
import type { Logger } from '../../log';
import type { AccessTokenSource } from './oauth';

/** What both clients are configured with (each adds its API's base URL and its own default timeout). */
export interface TransportOptions {
  accountId: string;
  accessToken: AccessTokenSource;
  logger: Logger;
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per request including the first, default 3. */
  maxAttempts?: number;
  /** The longest wait between attempts, default 2 s (a longer wait the API asks for fails the request instead). */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A failed request as the loop needs it. `status` 0: no answer (network error or timeout). */
export interface ApiFailure {
  readonly status: number;
  /** How long the API asked the client to wait (Retry-After, X-RateLimit-Reset), when it said. */
  readonly retryAfterMs?: number | undefined;
}

export interface RetryPolicy {
  accessToken: AccessTokenSource;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** The longest wait between attempts; a longer wait the API asks for fails the request instead. */
  maxRetryWaitMs: number;
  /** The wait before the first repeat, doubled for each one after (up to maxRetryWaitMs). */
  firstBackoffMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** The retry policy of a client's options, with the defaults above. */
export function retryPolicy(options: TransportOptions, firstBackoffMs: number): RetryPolicy {
  return {
    accessToken: options.accessToken,
    maxAttempts: options.maxAttempts ?? 3,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 2000,
    firstBackoffMs,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
}

export interface RetriedRequest<T, F extends ApiFailure> {
  /** Safe to repeat after a 5xx or no answer. */
  repeatable: boolean;
  /** One attempt with this token; throws the client's own error (an F) when the API refuses or does not answer. */
  attempt(token: string): Promise<T>;
  /** Whether a thrown value is the client's API error (anything else goes up at once). */
  isFailure(error: unknown): error is F;
  /** Called for each failed attempt but a first 401, before the wait: where the client logs it. */
  onFailure(error: F, attempt: number, retry: boolean): void;
}

export async function sendWithRetries<T, F extends ApiFailure>(
  policy: RetryPolicy,
  request: RetriedRequest<T, F>,
): Promise<T> {
  let token = await policy.accessToken();
  let refreshed = false;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await request.attempt(token);
    } catch (error) {
      if (!request.isFailure(error)) throw error;
      if (error.status === 401 && !refreshed) {
        refreshed = true;
        token = await policy.accessToken({ refresh: true });
        attemptNumber--; // a stale token is not the request's failure
        continue;
      }
      const wait = retryWait(policy, error, request.repeatable, attemptNumber);
      const retry = wait !== undefined && attemptNumber < policy.maxAttempts;
      request.onFailure(error, attemptNumber, retry);
      if (!retry) throw error;
      await policy.sleep(wait);
    }
  }
}

/** How long to wait before repeating after `failure`, or undefined when it must not be repeated. */
export function retryWait(
  policy: Pick<RetryPolicy, 'maxRetryWaitMs' | 'firstBackoffMs'>,
  failure: ApiFailure,
  repeatable: boolean,
  attemptNumber: number,
): number | undefined {
  const backoff = Math.min(policy.maxRetryWaitMs, policy.firstBackoffMs * 2 ** (attemptNumber - 1));
  if (failure.status === 429) {
    if (failure.retryAfterMs === undefined) return backoff;
    return failure.retryAfterMs <= policy.maxRetryWaitMs ? Math.max(failure.retryAfterMs, 50) : undefined;
  }
  if (repeatable && (failure.status === 0 || failure.status >= 500)) return backoff;
  return undefined;
}

/**
 * One request and its whole body within `timeoutMs`; throws what fetch throws (a TimeoutError DOMException when the
 * time ran out). A timer of our own, not AbortSignal.timeout(): that one does not keep the process alive, so a
 * caller with nothing else pending (a script, a test) would exit while the request still hangs.
 */
export async function fetchText(
  doFetch: typeof fetch,
  url: string | URL,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ response: Response; text: string }> {
  const { response, body } = await fetchBody(doFetch, url, init, timeoutMs, (r) => r.text());
  return { response, text: body };
}

/** One request whose answer is read whole (`read`) within the same time limit as the request itself. */
export async function fetchBody<T>(
  doFetch: typeof fetch,
  url: string | URL,
  init: RequestInit,
  timeoutMs: number,
  read: (response: Response) => Promise<T>,
): Promise<{ response: Response; body: T }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  try {
    const response = await doFetch(url, { ...init, signal: controller.signal });
    return { response, body: await read(response) };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether fetchText failed for lack of time (else: the network). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
