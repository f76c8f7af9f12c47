// Where an answered call goes. Pure: the facts (who owns the called number, which endpoint is calling)
// are looked up first by the event handler; this decides. Rules, in order (docs/contracts/catapult-v1.md §18.2):
//   1. `to` is one of our users' numbers → transfer to that user's SIP URI; caller id = the caller's
//      `from`, or the calling user's number when `from` is one of our endpoints.
//   2. `from` is one of our endpoints (normalised SIP URI on our domain) → transfer to the dialled number
//      (any reasonable format, default region US) with the user's number as caller id, if it passes the
//      toll-fraud rules: valid, not premium-rate, an allowed country, not a SIP target.
//   3. anything else → hang up, reason recorded.
import type { CallDirection } from '../api-types';
import { checkDialledNumber, toE164 } from '../users/phone-number';
import { looksLikeSip, normalizeSipUri } from './sip-uri';

export interface RoutingUser {
  username: string;
  number: string;
  sipUri: string;
}

export interface RouteFacts {
  from: string;
  to: string;
  calledUser?: RoutingUser; // owner of the number in `to`
  callingUser?: RoutingUser; // owner of the endpoint in `from`
  allowedCountries: readonly string[];
}

export interface HistoryEntry {
  username: string;
  direction: CallDirection;
  peer: string;
}

export type HangupReason =
  | 'unknown-number'
  | 'unknown-endpoint'
  | 'self-call'
  | 'sip-target'
  | 'invalid-number'
  | 'premium-rate'
  | 'blocked-country';

export type RouteDecision =
  | { action: 'transfer'; transferTo: string; callerId: string; history: HistoryEntry[] }
  | { action: 'hangup'; reason: HangupReason; history: HistoryEntry[] };

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
  if (calledUser) {
    if (callingUser?.username === calledUser.username) {
      return {
        action: 'hangup',
        reason: 'self-call',
        history: [{ username: callingUser.username, direction: 'outbound', peer: calledUser.number }],
      };
    }
    const callerId = callingUser ? callingUser.number : facts.from;
    const history: HistoryEntry[] = [
      { username: calledUser.username, direction: 'inbound', peer: callingUser?.number ?? facts.from },
    ];
    if (callingUser) history.push({ username: callingUser.username, direction: 'outbound', peer: calledUser.number });
    return { action: 'transfer', transferTo: calledUser.sipUri, callerId, history };
  }
  if (callingUser) {
    let dialled = facts.to;
    if (looksLikeSip(facts.to)) {
      const sip = normalizeSipUri(facts.to);
      if (!sip || !/^\+?[\d\-().]+$/.test(sip.user)) return blocked(callingUser, facts.to, 'sip-target');
      dialled = sip.user;
    }
    const check = checkDialledNumber(dialled, facts.allowedCountries);
    if (!check.ok) return blocked(callingUser, dialled, check.reason);
    return {
      action: 'transfer',
      transferTo: check.e164,
      callerId: callingUser.number,
      history: [{ username: callingUser.username, direction: 'outbound', peer: check.e164 }],
    };
  }
  return { action: 'hangup', reason: looksLikeSip(facts.from) ? 'unknown-endpoint' : 'unknown-number', history: [] };
}

function blocked(user: RoutingUser, peer: string, reason: HangupReason): RouteDecision {
  return { action: 'hangup', reason, history: [{ username: user.username, direction: 'outbound', peer }] };
}
