// The plain words for how a call ended, shared by the live screen and the history so both say the same thing:
// outcomes from the phone (JsSIP's causes, phone/end-reason.ts) and from the app's history (the provider's
// hang-up causes and the app's refusal reasons, the same codes GET /api/me/dial-check answers).
import type { CallRecordView } from '../../core/api-types';
import type { CallInfo, CallOutcome } from './phone/call-state';

export const OUTCOME_TEXT: Record<CallOutcome, string> = {
  completed: 'Call ended',
  'hung-up': 'You hung up',
  'remote-hung-up': 'The other side hung up',
  cancelled: 'Cancelled',
  missed: 'Missed call',
  declined: 'Declined',
  busy: 'Busy',
  'no-answer': 'No answer',
  unreachable: 'Number not reachable',
  'invalid-number': 'Not a valid number',
  'premium-rate': 'Calls to premium-rate numbers are blocked',
  'toll-free-not-allowed': 'Calls to toll-free numbers are not allowed',
  'number-type-not-allowed': 'Calls to this kind of number (personal, VoIP, pager…) are not allowed',
  'blocked-country': 'Calls to that country are not allowed',
  'self-call': 'That is your own number',
  'connection-lost': 'Connection lost',
  'mic-denied': 'Microphone access was denied',
  'audio-failed': 'Audio could not be set up',
  'not-allowed': 'Not allowed to call: log in again',
  failed: 'Call failed',
};

/** History causes: Catapult's (upper case), Bandwidth's (lower case) and the app's own reasons. */
const CAUSE_OUTCOMES: Record<string, CallOutcome> = {
  USER_BUSY: 'busy',
  busy: 'busy',
  CALL_REJECTED: 'declined',
  rejected: 'declined',
  declined: 'declined',
  NO_ANSWER: 'no-answer',
  timeout: 'no-answer',
  'no-answer': 'no-answer',
  UNALLOCATED_NUMBER: 'unreachable',
  'invalid-number': 'invalid-number',
  'sip-target': 'invalid-number',
  'premium-rate': 'premium-rate',
  'toll-free-not-allowed': 'toll-free-not-allowed',
  'number-type-not-allowed': 'number-type-not-allowed',
  'blocked-country': 'blocked-country',
  'self-call': 'self-call',
};
/** Ended before an answer because a side hung up: a missed call in, a cancelled one out. */
const HUNG_UP_CAUSES = new Set(['NORMAL_CLEARING', 'ORIGINATOR_CANCEL', 'hangup', 'cancel']);

/** How a call in the history ended, or undefined while it is still ringing or connected. */
export function historyOutcome(record: CallRecordView): CallOutcome | undefined {
  if (record.state === 'ringing' || record.state === 'active') return undefined;
  if (record.answeredAt) return 'completed';
  const cause = record.cause ?? '';
  if (HUNG_UP_CAUSES.has(cause) || cause === '') return record.direction === 'inbound' ? 'missed' : 'cancelled';
  return CAUSE_OUTCOMES[cause] ?? 'failed';
}

/**
 * Live outcomes of an outbound call that the history may tell better. The network often says no more than "not
 * completed" ('failed'). And where the platform answers the caller's leg itself before it rings the far end
 * (Bandwidth: BXML answers the call), the app's refusal reaches the phone as a decline, and a busy or unanswered
 * far end as the other side hanging up.
 */
const VAGUE_LIVE_OUTCOMES: ReadonlySet<CallOutcome> = new Set(['failed', 'declined', 'remote-hung-up']);

/** Whether the screen should ask the history how this ended call really went. */
export function historyMayTellBetter(call: Pick<CallInfo, 'state' | 'direction' | 'outcome'>): boolean {
  return (
    call.state === 'ended' &&
    call.direction === 'outbound' &&
    call.outcome !== undefined &&
    VAGUE_LIVE_OUTCOMES.has(call.outcome)
  );
}

/**
 * What the history says of such a call: 'settled' with the far end's outcome when the far end never answered
 * (the live words then give way, and no talk time is shown), 'answered' when it did (the live words stand), or
 * undefined while the row is not final yet.
 */
export function historyVerdict(
  record: CallRecordView,
): { kind: 'answered' } | { kind: 'settled'; outcome: CallOutcome } | undefined {
  const outcome = historyOutcome(record);
  if (outcome === undefined) return undefined;
  return outcome === 'completed' ? { kind: 'answered' } : { kind: 'settled', outcome };
}

/** A call to the user that nobody here answered (declining is an answer of sorts: not missed). */
export function isMissed(record: CallRecordView): boolean {
  const outcome = historyOutcome(record);
  return record.direction === 'inbound' && outcome !== undefined && outcome !== 'completed' && outcome !== 'declined';
}

export function outcomeText(outcome: CallOutcome | undefined): string {
  return OUTCOME_TEXT[outcome ?? 'completed'];
}
