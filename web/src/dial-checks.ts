// Asks the API whether a dial would be put through before the dialpad places the call, so a refused dial says
// why (GET /api/me/dial-check runs the router's own rules; the full numbering metadata those need would weigh
// twice the dialpad's whole budget). Asked as soon as a number looks complete, so pressing Call rarely waits.
// When the check itself fails (network, server) the call goes ahead: the app refuses it anyway if it must.
import type { DialCheckResponse } from '../../core/api-types';

export interface DialChecks {
  /** Starts a check of what is typed, if it looks like a whole number; the answer is kept for check(). */
  prefetch(typed: string): void;
  /** The verdict, or undefined when it could not be had (then the call goes ahead). */
  check(typed: string): Promise<DialCheckResponse | undefined>;
}

const MAX_KEPT = 20;

export function createDialChecks(ask: (typed: string) => Promise<DialCheckResponse>): DialChecks {
  const kept = new Map<string, Promise<DialCheckResponse | undefined>>();
  const key = (typed: string) => typed.replace(/[^\d+*#]/g, '');
  const check = (typed: string) => {
    const found = kept.get(key(typed));
    if (found) return found;
    const verdict = ask(typed).catch(() => {
      kept.delete(key(typed)); // ask again next time: the failure may have been a moment's
      return undefined;
    });
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(key(typed), verdict);
    return verdict;
  };
  return {
    prefetch(typed) {
      if (key(typed).replace(/\D/g, '').length >= 10) void check(typed);
    },
    check,
  };
}
