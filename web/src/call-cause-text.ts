// What to tell a person when the app refused or ended one of their calls: the `cause` of a call-history row
// (docs/api.md "GET /api/me/calls"). Provider hang-up causes are not here; the caller shows them as they are.
import type { CallRecordView } from '../../core/api-types';
import { historyOutcome } from './call-outcome';

const TEXT: Readonly<Record<string, string>> = {
  'invalid-number': 'Not called: this is not a valid phone number.',
  'premium-rate': 'Not called: premium-rate numbers cannot be called from here.',
  'number-type-not-allowed': 'Not called: this kind of number (personal, VoIP, pager…) cannot be called from here.',
  'toll-free-not-allowed': 'Not called: toll-free numbers cannot be called from here.',
  'blocked-country': 'Not called: calls to this country are not allowed.',
  'sip-target': 'Not called: only phone numbers can be dialled.',
  'self-call': 'Not called: that is your own number.',
  'concurrent-call-limit': 'Not called: you already have as many calls going as allowed. End one first.',
  'hourly-call-limit': 'Not called: you have placed as many calls this hour as allowed. Try again next hour.',
  'daily-minutes-limit': 'Not called: your calling minutes for today are used up. Try again tomorrow.',
  'outbound-calls-paused': 'Not called: calls to phone numbers are paused by the operator. Try again later.',
  'call-length-limit': 'Ended: the call reached the longest length allowed.',
};

/** The plain words for an app's cause, or undefined for any other cause. */
export function callCauseText(cause: string | undefined): string | undefined {
  return cause === undefined || !Object.hasOwn(TEXT, cause) ? undefined : TEXT[cause];
}

/**
 * Why the app refused or ended the dialpad's outbound call `call`, from the history (newest first): its row is
 * the newest outbound one started around the same time (the server's clock, so a minute's leeway).
 */
export function appEndText(
  call: { direction: 'inbound' | 'outbound'; startedAt: number },
  history: readonly CallRecordView[],
): string | undefined {
  if (call.direction !== 'outbound') return undefined;
  const row = history.find(
    (record) => record.direction === 'outbound' && Math.abs(Date.parse(record.startedAt) - call.startedAt) < 60_000,
  );
  if (!row) return undefined;
  // Causes the shared outcome words cover (call-outcome.ts) keep those words, live and in the history alike.
  const outcome = historyOutcome(row);
  return outcome === 'failed' || outcome === 'completed' ? callCauseText(row.cause) : undefined;
}
