// One Catapult HTTP exchange with auth, per-attempt timeout, retries and logging. Resource groups build
// on `send`; nothing else in the app talks to Catapult directly.
import { CatapultError, catapultErrorFromResponse } from './catapult-error';
import type { Logger } from '../log';
import { mayHaveBeenProcessed, retryDelayMs, type RetryTiming } from './retry-policy';

export interface TransportOptions {
  apiToken: string;
  apiSecret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  timing: RetryTiming;
  logger: Logger;
  /** Aborts every request and retry wait (e.g. on shutdown). */
  signal?: AbortSignal;
}

export interface CatapultRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Absolute URL. */
  url: string;
  /** Sent as JSON; omitted means no body at all (search-and-order and default token create send none). */
  body?: unknown;
  /** Safe to repeat after a 5xx, network error or timeout (see retry-policy.ts). */
  repeatable: boolean;
  /** Path for logs and errors when the real one holds a secret (a token in the path). */
  logPath?: string;
  /** The answer is a file (a recording's media): read as bytes into `bytes`, asked for as any type. */
  binary?: boolean;
}

export interface CatapultResponse {
  status: number;
  headers: Headers;
  text: string;
  /** A binary request's body ('' in `text`). */
  bytes?: Buffer;
  /** The pathname used in logs and errors. */
  path: string;
}

export interface Transport {
  send(request: CatapultRequest): Promise<CatapultResponse>;
}

function logPathOf(request: CatapultRequest): string {
  // Only the pathname: never the query string or any userinfo the URL might carry.
  return request.logPath ?? new URL(request.url).pathname;
}

export function createTransport(options: TransportOptions): Transport {
  // Built once: the Authorization value is never logged or put into an error.
  const authorization = `Basic ${Buffer.from(`${options.apiToken}:${options.apiSecret}`).toString('base64')}`;

  function abortedError(request: CatapultRequest, path: string, cause: unknown): CatapultError {
    return new CatapultError({
      status: 0,
      category: 'aborted',
      code: 'aborted',
      message: `${request.method} ${path} was aborted by the caller`,
      method: request.method,
      path,
      cause,
    });
  }

  async function attempt(request: CatapultRequest, path: string): Promise<CatapultResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: request.binary ? '*/*' : 'application/json',
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await options.fetch(request.url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        redirect: 'error', // a redirect would resend the credentials somewhere we did not choose
      });
      const ok = response.status >= 200 && response.status < 300;
      if (ok && request.binary) {
        const bytes = Buffer.from(await response.arrayBuffer()); // still under the same timeout
        return { status: response.status, headers: response.headers, text: '', bytes, path };
      }
      const text = await response.text();
      if (ok) return { status: response.status, headers: response.headers, text, path };
      throw catapultErrorFromResponse({
        status: response.status,
        statusText: response.statusText,
        contentType: response.headers.get('content-type'),
        rateLimitReset: response.headers.get('x-ratelimit-reset'),
        bodyText: text,
        method: request.method,
        path,
      });
    } catch (error) {
      if (error instanceof CatapultError) throw error;
      if (options.signal?.aborted) throw abortedError(request, path, error);
      const timedOut = timeout.aborted;
      const reason =
        error instanceof Error
          ? ((error.cause as { code?: string } | undefined)?.code ?? error.message)
          : String(error);
      throw new CatapultError({
        status: 0,
        category: timedOut ? 'timeout' : 'network',
        code: timedOut ? 'timeout' : 'network-error',
        message: timedOut
          ? `${request.method} ${path} got no answer within ${options.timeoutMs} ms`
          : `${request.method} ${path} failed before any answer: ${reason}`,
        method: request.method,
        path,
        cause: error,
      });
    }
  }

  async function waitBeforeRetry(ms: number, request: CatapultRequest, path: string): Promise<void> {
    const signal = options.signal;
    if (!signal) return options.sleep(ms);
    if (signal.aborted) throw abortedError(request, path, signal.reason);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortedError(request, path, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([options.sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function send(request: CatapultRequest): Promise<CatapultResponse> {
    const path = logPathOf(request);
    let maybeProcessedBefore = false;
    for (let attemptNumber = 1; ; attemptNumber += 1) {
      if (options.signal?.aborted) throw abortedError(request, path, options.signal.reason);
      const started = options.timing.now();
      const fields = { method: request.method, path, attempt: attemptNumber };
      let error: CatapultError;
      try {
        const response = await attempt(request, path);
        options.logger.info('catapult request', {
          ...fields,
          status: response.status,
          durationMs: options.timing.now() - started,
        });
        return response;
      } catch (caught) {
        if (!(caught instanceof CatapultError)) throw caught; // e.g. a throwing logger: not Catapult's failure
        error = caught;
      }
      const logFields = {
        ...fields,
        status: error.status,
        code: error.code,
        durationMs: options.timing.now() - started,
      };
      // A DELETE repeated after an attempt Catapult may have carried out finds the resource gone:
      // that is the outcome the caller asked for, not a failure.
      if (request.method === 'DELETE' && error.status === 404 && maybeProcessedBefore) {
        options.logger.info('catapult delete already done by an earlier attempt', logFields);
        return { status: 200, headers: new Headers(), text: '', path };
      }
      maybeProcessedBefore ||= mayHaveBeenProcessed(error);
      const delay =
        attemptNumber < options.maxAttempts
          ? retryDelayMs(error, attemptNumber, request.repeatable, options.timing)
          : undefined;
      if (delay === undefined) {
        const level = error.status === 0 || error.status >= 500 ? 'error' : 'warn';
        options.logger[level]('catapult request failed', logFields);
        throw error;
      }
      options.logger.warn('catapult request will be retried', { ...logFields, retryInMs: delay });
      await waitBeforeRetry(delay, request, path);
    }
  }

  return { send };
}
