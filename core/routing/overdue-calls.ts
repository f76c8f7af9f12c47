// The watchdog of the longest call length (MAX_CALL_SECONDS, or less when the caller's daily minutes run
// short). Neither Catapult v1's transfer nor Bandwidth's <Transfer> takes a cap on how long a call may last once
// answered (their `callTimeout` bounds ringing only), so the app hangs up a call past its cap itself. It also
// settles the limits of calls whose end was not counted (the process stopped between two steps, storage failed).
import { RING_ALLOWANCE_MS, type CallLimits, type OverdueCandidate } from '../limits/call-limits';
import type { Logger } from '../log';
import type { CallStore } from '../storage/call-store';
import { talkedSeconds } from './call-admission';

export interface OverdueCallDeps {
  limits: CallLimits;
  calls: CallStore;
  /** Ends the call's claim with `cause` (the handler's own end: history rows, then the limits). */
  endCall(callId: string, cause: string): Promise<unknown>;
  /** Has the provider hang the call up. */
  hangUp(callId: string): Promise<void>;
  now: () => number;
  logger: Logger;
}

/** The cause a call ended by its cap gets in the history. */
export const CALL_LENGTH_CAUSE = 'call-length-limit';

/** Ends every call past its cap; returns how many it ended. One call's failure does not stop the others. */
export async function endOverdueCalls(deps: OverdueCallDeps): Promise<number> {
  let ended = 0;
  for (const candidate of await deps.limits.overdueCandidates()) {
    try {
      if (await settle(deps, candidate)) ended += 1;
    } catch (error) {
      deps.logger.warn('could not check an overdue call', { callId: candidate.callId, error: String(error) });
    }
  }
  return ended;
}

/** True when the call was hung up. */
async function settle(deps: OverdueCallDeps, candidate: OverdueCandidate): Promise<boolean> {
  const claim = await deps.calls.getClaim(candidate.callId);
  const now = deps.now();
  if (!claim) {
    // Admitted, then nothing was routed (the process stopped before the claim): free it once it cannot be in flight.
    if (now - candidate.admittedAt > RING_ALLOWANCE_MS) await deps.limits.finish(candidate, 0);
    return false;
  }
  if (claim.state === 'completed' || claim.state === 'failed') {
    await deps.limits.finish(candidate, talkedSeconds(claim));
    return false;
  }
  const overdue = claim.answeredAt
    ? Date.parse(claim.answeredAt) + candidate.maxCallSeconds * 1000 <= now
    : now - candidate.admittedAt > RING_ALLOWANCE_MS; // rings longer than any provider lets a call ring
  if (!overdue) return false;
  deps.logger.warn('call past its longest length: hanging up', {
    callId: candidate.callId,
    maxCallSeconds: candidate.maxCallSeconds,
  });
  // The claim first: the provider's own end event that the hang-up causes then finds the call ended with our cause.
  await deps.endCall(candidate.callId, CALL_LENGTH_CAUSE);
  await deps.hangUp(candidate.callId);
  return true;
}
