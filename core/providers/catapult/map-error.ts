// The ONE place Catapult failures become AppErrors, with the provider-neutral codes every provider uses
// (provider-unavailable, provider-rate-limited, provider-rejected); the message names Catapult. Flows that
// know better (e.g. an order turning a 409 into `number-unavailable`) check `catapultStatus` first.
import type { CatapultErrorShape } from '../../catapult/catapult-api';
import { AppError } from '../../errors';

/** Duck-typed so fakes in tests and the real CatapultError class are treated alike. */
export function asCatapultError(error: unknown): CatapultErrorShape | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Partial<CatapultErrorShape>;
  return typeof e.status === 'number' &&
    typeof e.category === 'string' &&
    typeof e.code === 'string' &&
    typeof e.method === 'string'
    ? (e as CatapultErrorShape)
    : undefined;
}

/** The HTTP status of a Catapult failure (0 = no response), or undefined when it is not one. */
export function catapultStatus(error: unknown): number | undefined {
  return asCatapultError(error)?.status;
}

export function isTransientCatapultError(error: unknown): boolean {
  const e = asCatapultError(error);
  return !!e && (e.status === 0 || e.status >= 500 || e.status === 429 || e.code === 'call-rate-limit');
}

export function mapCatapultError(error: unknown, what = 'Catapult request'): Error {
  const e = asCatapultError(error);
  if (!e) return error instanceof Error ? error : new Error(String(error));
  const options = { cause: error };
  if (e.status === 429 || e.code === 'call-rate-limit') {
    return new AppError(
      'provider-rate-limited',
      `Catapult is rate limiting the app (${what}). Try again in a moment.`,
      undefined,
      options,
    );
  }
  if (e.status === 0 || e.status >= 500) {
    return new AppError(
      'provider-unavailable',
      `Catapult did not answer in time (${what}). Try again shortly.`,
      undefined,
      options,
    );
  }
  return new AppError('provider-rejected', `Catapult refused the ${what} (${e.status} ${e.code}).`, undefined, options);
}

/**
 * Catapult no longer has the application or domain a step was given (deleted, or re-created since): the app
 * is repairing its set-up, and the same request works again after that.
 */
export function setUpGone(cause: unknown): AppError {
  return new AppError(
    'provider-resources-missing',
    'The app is repairing its Catapult set-up. Try again in a minute.',
    undefined,
    { cause },
  );
}
