// When a failed attempt is worth repeating, and after how long (docs/contracts/catapult-v1.md §4).
//
// Two kinds of failure:
// - "Not processed": 429 rate-limit-reached and 403 call-rate-limit. Catapult refused the request before
//   doing anything, so repeating it is safe for EVERY request, creates included.
// - "Maybe processed": 5xx, a network error or a timeout. Catapult may have acted before the answer was
//   lost. Repeating is only safe when doing the request twice has the same effect as once: GET, DELETE and
//   the idempotent update POSTs (set fields, set call state). Creates (number order/allocate, application,
//   domain, endpoint, call, transfer, token) are NOT repeated: a second attempt could order a second billed
//   number or place a second call. The caller gets the error and decides (e.g. looks the resource up).
import type { CatapultError } from './catapult-error';

export interface RetryTiming {
  now: () => number;
  random: () => number;
  maxRetryWaitMs: number;
  baseDelayMs: number;
}

/** Floor for a 429 wait, so a reset time already in the past (clock skew) still spaces attempts out. */
export const MIN_RATE_LIMIT_WAIT_MS = 100;

/** True when Catapult may have carried out the request even though it failed (5xx or no answer). */
export function mayHaveBeenProcessed(error: CatapultError): boolean {
  return error.status === 0 ? error.category !== 'aborted' : error.status >= 500;
}

/** Exponential backoff (base · 2^(attempt−1), capped) with jitter over its upper half, so clients desynchronise. */
export function backoffDelayMs(attempt: number, timing: RetryTiming): number {
  const ceiling = Math.min(timing.maxRetryWaitMs, timing.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + timing.random() * (ceiling / 2));
}

/** The wait before the next attempt, or undefined when the failure must not be retried. */
export function retryDelayMs(
  error: CatapultError,
  attempt: number,
  repeatable: boolean,
  timing: RetryTiming,
): number | undefined {
  if (error.status === 429) {
    if (error.rateLimitResetMs === undefined) return backoffDelayMs(attempt, timing);
    const untilReset = error.rateLimitResetMs - timing.now();
    return Math.min(timing.maxRetryWaitMs, Math.max(MIN_RATE_LIMIT_WAIT_MS, untilReset));
  }
  if (error.status === 403 && error.code === 'call-rate-limit') return backoffDelayMs(attempt, timing);
  if (repeatable && mayHaveBeenProcessed(error)) return backoffDelayMs(attempt, timing);
  return undefined;
}
