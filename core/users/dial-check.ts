// Whether the app would put a call from this user through to what they dialled, decided by the same rules the
// router applies when the call arrives (checkDialledNumber: valid, a callable number type, an allowed country; and
// never the caller's own number), so the dialpad can say why BEFORE it places a call that would be refused.
// The router still decides on every call: this is advice for the person, never a permission.
import type { DialCheckResponse, DialRefusal } from '../api-types';
import { AppError } from '../errors';
import { checkDialledNumber, formatNational, toE164, type DialRules } from './phone-number';

const MAX_DIALLED_LENGTH = 40;

export const DIAL_REFUSAL_MESSAGES: Record<DialRefusal, string> = {
  'invalid-number': 'Not a valid number.',
  'premium-rate': 'Calls to premium-rate numbers are blocked.',
  'toll-free-not-allowed': 'Calls to toll-free numbers are not allowed.',
  'number-type-not-allowed': 'Calls to this kind of number (personal, VoIP, pager…) are not allowed.',
  'blocked-country': 'Calls to that country are not allowed.',
  'self-call': 'That is your own number.',
};

export function checkDial(dialled: unknown, caller: { number: string }, rules: DialRules): DialCheckResponse {
  if (typeof dialled !== 'string' || dialled.trim() === '' || dialled.length > MAX_DIALLED_LENGTH)
    throw new AppError('invalid-number', 'Give the number to check, as dialled.', 'number');
  // A call to a user's number goes to that user whatever the country rules say; only the caller's own is refused.
  if (toE164(dialled) === caller.number) return refused('self-call');
  const check = checkDialledNumber(dialled, rules);
  if (!check.ok) return refused(check.reason);
  return { allowed: true, number: check.e164, nationalNumber: formatNational(check.e164) };
}

function refused(reason: DialRefusal): DialCheckResponse {
  return { allowed: false, reason, message: DIAL_REFUSAL_MESSAGES[reason] };
}
