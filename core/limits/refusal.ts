// A refused limit as the AppError the client sees: a stable code, a message a person can act on (when to
// try again), and Retry-After when waiting helps.
import type { ApiErrorCode } from '../api-types';
import { AppError } from '../errors';

export function refusal(code: ApiErrorCode, what: string, retryAfterSeconds: number | undefined): AppError {
  const when = retryAfterSeconds === undefined ? '' : ` Try again ${inAbout(retryAfterSeconds)}.`;
  return new AppError(code, `${what}${when}`, undefined, { retryAfterSeconds });
}

/** "in 1 minute", "in 42 minutes", "in 3 hours", "in a few seconds". */
export function inAbout(seconds: number): string {
  if (seconds < 60) return 'in a few seconds';
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `in ${Math.round(minutes / 60)} hours`;
}
