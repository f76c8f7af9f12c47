// Where a call's events go, resolved once when the call is created (docs/contracts/catapult-v1.md §12.1):
// inbound calls → the application's incomingCallUrl, outbound calls → their callbackUrl,
// transferred legs → the transfer's callbackUrl.

export interface EventTarget {
  url: string; // may carry userinfo; delivery turns it into Basic auth
  fallbackUrl?: string;
  method: 'GET' | 'POST';
  /** Per attempt, ms; Catapult's default and maximum is 10 s. */
  timeoutMs: number;
}

export const MAX_CALLBACK_TIMEOUT_MS = 10_000;

export function clampTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return MAX_CALLBACK_TIMEOUT_MS;
  return Math.min(timeoutMs, MAX_CALLBACK_TIMEOUT_MS);
}

/** `url` without its userinfo, safe to log and to show in the control API. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
