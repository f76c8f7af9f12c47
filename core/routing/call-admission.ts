// The calling limits applied to a routing decision: a call one of our users places (a dial out, or a call to
// another user's number) must be admitted by limits/call-limits.ts before the provider acts. Admitted, the
// decision carries the call's longest length; refused, it becomes a refusal whose reason the caller's history
// records (and the callee never hears of it). When the call ends, what it talked is charged and its slot freed.
import type { CallLimits, LimitedCall } from '../limits/call-limits';
import type { Logger } from '../log';
import type { CallClaim, CallStore } from '../storage/call-store';
import type { RouteDecision } from './route-decision';

/** The call as the limits count it, or undefined when none of our users placed it (those are not limited). */
export function limitedCallOf(callId: string, decision: RouteDecision): LimitedCall | undefined {
  if (decision.action === 'dial') return { callId, username: decision.caller.username, toPhone: true };
  if (decision.action === 'connect' && decision.caller) {
    return { callId, username: decision.caller.username, toPhone: false };
  }
  return undefined;
}

/** The decision as the limits leave it. Throws when the limits cannot be read (the handler then ends the call). */
export async function admitCall(limits: CallLimits, callId: string, decision: RouteDecision): Promise<RouteDecision> {
  const call = limitedCallOf(callId, decision);
  if (!call || decision.action === 'refuse') return decision;
  const admission = await limits.admit(call);
  if (admission.ok) return { ...decision, maxCallSeconds: admission.maxCallSeconds };
  const own = decision.history.filter((h) => h.username === call.username && h.direction === 'outbound');
  return { action: 'refuse', reason: admission.reason, history: own };
}

/** The admitted call a claim stands for, if the limits admitted it. */
export function limitedCallOfClaim(claim: CallClaim): LimitedCall | undefined {
  if (!claim.limitedUser) return undefined;
  return { callId: claim.callId, username: claim.limitedUser, toPhone: claim.toPhone === true };
}

/** Seconds from answer to end (0 if never answered): what the calling limits charge. */
export function talkedSeconds(claim: Pick<CallClaim, 'answeredAt' | 'endedAt'>): number {
  if (!claim.answeredAt || !claim.endedAt) return 0;
  return Math.max(0, (Date.parse(claim.endedAt) - Date.parse(claim.answeredAt)) / 1000);
}

/** The call ended: charge it and free its slot. Best effort: the watchdog settles what fails here. */
export async function finishLimits(limits: CallLimits | undefined, claim: CallClaim, logger: Logger): Promise<void> {
  const call = limitedCallOfClaim(claim);
  if (!limits || !call) return;
  await limits.finish(call, talkedSeconds(claim)).catch((error: unknown) => {
    logger.warn('could not settle the call limits yet', { callId: claim.callId, error: String(error) });
  });
}

/**
 * A repeated call-arrived event was admitted again: when the first one's call is over already, that second
 * admission holds a slot no end will free, so it is given back at once (unused: nothing was talked).
 */
export async function forgetDuplicateAdmission(
  limits: CallLimits | undefined,
  calls: CallStore,
  callId: string,
  decision: RouteDecision,
): Promise<void> {
  const call = limitedCallOf(callId, decision);
  if (!limits || !call) return;
  const existing = await calls.getClaim(callId);
  if (existing?.state === 'ringing' || existing?.state === 'active') return;
  await limits.finish(call, 0);
}
