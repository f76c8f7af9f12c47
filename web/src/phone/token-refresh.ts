// When to fetch a new endpoint token: a minute before expiry, or for a token living under five
// minutes, when a fifth of its life is left; never sooner than 5 s (so a clock skew or an already-expired token cannot cause a request storm).
const MIN_REFRESH_DELAY_MS = 5_000;
const REFRESH_MARGIN_MS = 60_000;

export function tokenRefreshDelay(expiresAt: string, now: number): number {
  const lifetime = Date.parse(expiresAt) - now;
  if (!Number.isFinite(lifetime)) return MIN_REFRESH_DELAY_MS;
  return Math.max(MIN_REFRESH_DELAY_MS, Math.max(lifetime - REFRESH_MARGIN_MS, lifetime * 0.8));
}

/** The earlier of several ISO 8601 expiries (unparsable ones count as already expired). */
export function earliestExpiry(...expiries: string[]): string {
  const times = expiries.map((expiry) => {
    const time = Date.parse(expiry);
    return Number.isFinite(time) ? time : 0;
  });
  return new Date(Math.min(...times)).toISOString();
}
