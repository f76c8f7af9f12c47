// Where a new call goes. Pure: the facts (who owns the called number, who is calling) are looked up first
// by the event handler; this decides WHAT happens, never HOW (a provider connects a user its own way: a
// SIP transfer on Catapult, park + notify + bridge on Bandwidth), so no SIP address appears in a decision.
// Rules, in order (Catapult's reading of direction and caller id: docs/contracts/catapult-v1.md §18.2):
//   1. the caller sent an identity that failed verification → refuse.
//   2. `to` is one of our users' numbers → connect that user; caller id = the caller's `from`, or the
//      calling user's number when the caller is one of our users.
//   3. the caller is one of our users → dial the dialled number (any reasonable format, default region US)
//      with the user's number as caller id, if it passes the toll-fraud rules: valid, a callable type (fixed
//      line, mobile, either; toll-free only when allowed), an allowed country, not a SIP target.
//   4. anything else → refuse, reason recorded.
// A call one of our users places (rules 2 and 3) then still has to pass the user's calling limits
// (routing/call-admission.ts), which may turn it into a refusal and set its longest length.
import type { CallDirection } from '../api-types';
import { checkDialledNumber, toE164, type DialRefusal } from '../users/phone-number';
import { looksLikeSip, normalizeSipUri } from './sip-uri';

/** A user as routing sees them: who, and their number (E.164). */
export interface RoutingUser {
  username: string;
  number: string;
}

export interface RouteFacts {
  from: string;
  to: string;
  calledUser?: RoutingUser; // owner of the number in `to`
  callingUser?: RoutingUser; // the proven caller (our endpoint in `from`, or a verified caller token)
  /** The caller presented an identity that did not verify (forged, expired, wrong purpose). */
  callerRefused?: boolean;
  allowedCountries: readonly string[];
  /** Toll-free numbers may be dialled (DIAL_TOLL_FREE); default false. */
  allowTollFree?: boolean;
}

export interface HistoryEntry {
  username: string;
  direction: CallDirection;
  peer: string;
}

export type RefusalReason =
  | 'unknown-number'
  | 'unknown-endpoint'
  | 'invalid-caller-token'
  | 'self-call'
  | 'sip-target'
  | DialRefusal
  /** The calling user's limits (limits/call-limits.ts). */
  | 'concurrent-call-limit'
  | 'hourly-call-limit'
  | 'daily-minutes-limit'
  /** The operator's circuit breaker on outbound minutes is open. */
  | 'outbound-calls-paused';

/**
 * `history`: the call-history rows the call gets (one per user of the app taking part). `maxCallSeconds`:
 * when one of our users places the call, the longest it may last once answered (their limits decide it). A
 * provider that can cap a call's length sets it on the call; the app ends the call then in any case
 * (routing/overdue-calls.ts), since neither Catapult v1 nor Bandwidth's Voice API v2 takes such a cap.
 */
export type RouteDecision =
  /** Connect user `user` (the called number's owner), showing `callerId`; `caller`: the calling user, if ours. */
  | {
      action: 'connect';
      user: RoutingUser;
      callerId: string;
      caller?: RoutingUser;
      history: HistoryEntry[];
      maxCallSeconds?: number;
    }
  /** Dial `number` (E.164, passed the toll-fraud guard) for `caller`, showing `callerId` (the caller's number). */
  | {
      action: 'dial';
      number: string;
      callerId: string;
      caller: RoutingUser;
      history: HistoryEntry[];
      maxCallSeconds?: number;
    }
  /** Refuse the call; `reason` is recorded. */
  | { action: 'refuse'; reason: RefusalReason; history: HistoryEntry[] };

/** The number a call is addressed to, for the "is it one of ours" look-up: E.164 or undefined. */
export function calledNumber(to: string): string | undefined {
  if (looksLikeSip(to)) {
    const sip = normalizeSipUri(to);
    return sip && /^\+?[\d\-().]+$/.test(sip.user) ? toE164(sip.user) : undefined;
  }
  return toE164(to);
}

export function decideRoute(facts: RouteFacts): RouteDecision {
  const { calledUser, callingUser } = facts;
  if (facts.callerRefused) return { action: 'refuse', reason: 'invalid-caller-token', history: [] };
  if (calledUser) {
    if (callingUser?.username === calledUser.username) {
      return {
        action: 'refuse',
        reason: 'self-call',
        history: [{ username: callingUser.username, direction: 'outbound', peer: calledUser.number }],
      };
    }
    const callerId = callingUser ? callingUser.number : facts.from;
    const history: HistoryEntry[] = [
      { username: calledUser.username, direction: 'inbound', peer: callingUser?.number ?? facts.from },
    ];
    if (callingUser) history.push({ username: callingUser.username, direction: 'outbound', peer: calledUser.number });
    return {
      action: 'connect',
      user: routingUser(calledUser),
      callerId,
      ...(callingUser ? { caller: routingUser(callingUser) } : {}),
      history,
    };
  }
  if (callingUser) {
    let dialled = facts.to;
    if (looksLikeSip(facts.to)) {
      const sip = normalizeSipUri(facts.to);
      if (!sip || !/^\+?[\d\-().]+$/.test(sip.user)) return refused(callingUser, facts.to, 'sip-target');
      dialled = sip.user;
    }
    const check = checkDialledNumber(dialled, {
      allowedCountries: facts.allowedCountries,
      allowTollFree: facts.allowTollFree ?? false,
    });
    if (!check.ok) return refused(callingUser, dialled, check.reason);
    return {
      action: 'dial',
      number: check.e164,
      callerId: callingUser.number,
      caller: routingUser(callingUser),
      history: [{ username: callingUser.username, direction: 'outbound', peer: check.e164 }],
    };
  }
  return { action: 'refuse', reason: looksLikeSip(facts.from) ? 'unknown-endpoint' : 'unknown-number', history: [] };
}

function refused(user: RoutingUser, peer: string, reason: RefusalReason): RouteDecision {
  return { action: 'refuse', reason, history: [{ username: user.username, direction: 'outbound', peer }] };
}

/** Only who and their number: whatever else the facts carried (a provider's identity) stays out of the decision. */
function routingUser(user: RoutingUser): RoutingUser {
  return { username: user.username, number: user.number };
}
