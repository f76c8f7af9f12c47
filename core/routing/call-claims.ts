// The claim row of a call as the handler creates it, and who it rings for. The stored `action` keeps its
// historical values ('transfer' = routed to someone, whatever the provider does; 'hangup' = refused), so rows
// already in a deployment's table read the same.
import { historyRefs, historyRowKey, type CallClaim, type HistoryRef } from '../storage/call-store';
import { limitedCallOf } from './call-admission';
import type { RouteDecision } from './route-decision';

/** The user a connected call rings for (the one inbound history row), if any. */
export function calleeOf(claim: Pick<CallClaim, 'action' | 'refs'>): string | undefined {
  if (claim.action !== 'transfer') return undefined;
  return historyRefs(claim).find((ref) => ref.direction === 'inbound')?.username;
}

/** The `callee` field of an end-call or ended action, when the claim rang for a user. */
export function callee(claim: CallClaim | undefined): { callee?: string } {
  const username = claim && calleeOf(claim);
  return username ? { callee: username } : {};
}

/** The claim as the first event creates it: a refused call is over at once, a routed one rings. */
export function newClaim(callId: string, decision: RouteDecision, startedAtMs: number): CallClaim {
  const claimedAt = new Date(startedAtMs).toISOString();
  const rowKey = historyRowKey(callId, startedAtMs);
  const refs: HistoryRef[] = decision.history.map((h) => ({
    username: h.username,
    rowKey,
    direction: h.direction,
    peer: h.peer,
  }));
  const common = { callId, refs: JSON.stringify(refs), claimedAt };
  return decision.action === 'refuse'
    ? {
        ...common,
        action: 'hangup',
        reason: decision.reason,
        state: 'failed',
        endedAt: claimedAt,
        cause: decision.reason,
      }
    : { ...common, action: 'transfer', state: 'ringing', ...limitsOf(callId, decision) };
}

/** What the calling limits need when the call ends: whose allowance, to a phone number or not, its cap. */
function limitsOf(callId: string, decision: RouteDecision): Partial<CallClaim> {
  const limited = limitedCallOf(callId, decision);
  if (!limited || decision.action === 'refuse' || decision.maxCallSeconds === undefined) return {};
  return { limitedUser: limited.username, toPhone: limited.toPhone, maxCallSeconds: decision.maxCallSeconds };
}
