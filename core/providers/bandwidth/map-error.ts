// Bandwidth failures become AppErrors here, with the provider-neutral codes every provider uses
// (provider-unavailable, provider-rate-limited, provider-rejected); the message names Bandwidth.
import { AppError } from '../../errors';

/** What every Bandwidth client error carries (duck-typed, so fakes in tests are treated alike). */
export interface BandwidthErrorShape {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  status: number;
  /** Which API answered. */
  api: string;
}

export function asBandwidthError(error: unknown): BandwidthErrorShape | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Partial<BandwidthErrorShape>;
  return typeof e.status === 'number' && typeof e.api === 'string' ? (e as BandwidthErrorShape) : undefined;
}

/** The HTTP status of a Bandwidth failure (0 = no answer), or undefined when it is not one. */
export function bandwidthStatus(error: unknown): number | undefined {
  return asBandwidthError(error)?.status;
}

export function mapBandwidthError(error: unknown, what = 'Bandwidth request'): Error {
  const e = asBandwidthError(error);
  if (!e) return error instanceof Error ? error : new Error(String(error));
  const options = { cause: error };
  if (e.status === 429)
    return new AppError(
      'provider-rate-limited',
      `Bandwidth is rate limiting the app (${what}). Try again in a moment.`,
      undefined,
      options,
    );
  if (e.status === 0 || e.status >= 500)
    return new AppError(
      'provider-unavailable',
      `Bandwidth did not answer in time (${what}). Try again shortly.`,
      undefined,
      options,
    );
  return new AppError('provider-rejected', `Bandwidth refused the ${what} (${e.status}).`, undefined, options);
}
