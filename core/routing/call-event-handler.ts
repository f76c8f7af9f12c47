// The webhook: authenticate, then act on `answer` of an original leg (transfer or hang up, exactly once
// thanks to a claim row created first) and record everything that follows in the users' call history.
// Events of a transferred leg come to the same URL with `?parentCallId=<original call>`.
//
// Storage, kept off the transfer's path: before the transfer only the users the event needs (cached,
// see routing-users.ts) and the claim insert; the history rows are written after the transfer request,
// before the webhook answers. The claim also holds the call's state, so a later event reads the claim
// only, writes the new state into the history rows blindly, then moves the claim on with its ETag.
import type { CallEvent, CatapultApi } from '../catapult/catapult-api';
import { checkWebhookAuthorization, buildWebhookUrl } from '../auth/webhook-auth';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { catapultStatus } from '../map-catapult-error';
import {
  historyRecord,
  historyRefs,
  historyRowKey,
  type CallClaim,
  type CallStore,
  type ClaimChanges,
  type HistoryRef,
} from '../storage/call-store';
import { isStorageConflict } from '../storage/entity-table';
import type { UserStore } from '../storage/user-store';
import type { IncomingCatapultEvent } from '../voice-app';
import { isCallId, parseCallEvent } from './parse-call-event';
import { calledNumber, decideRoute, type RouteDecision } from './route-decision';
import { RoutingUsers } from './routing-users';

export const PARENT_CALL_PARAM = 'parentCallId';

export interface CallEventHandlerDeps {
  catapult: CatapultApi;
  users: UserStore;
  calls: CallStore;
  /** Our application id if known (bootstrap state), to reject events for another application. */
  applicationId: () => Promise<string | undefined>;
  webhookPassword: string;
  publicBaseUrl: string;
  allowedCountries: readonly string[];
  logger: Logger;
  now?: () => number;
}

export class CallEventHandler {
  private readonly now: () => number;
  private readonly users: RoutingUsers;

  constructor(private readonly deps: CallEventHandlerDeps) {
    this.now = deps.now ?? Date.now;
    this.users = new RoutingUsers(deps.users, this.now);
  }

  async handle(incoming: IncomingCatapultEvent): Promise<void> {
    checkWebhookAuthorization(incoming.authorization, this.deps.webhookPassword);
    const event = parseCallEvent(incoming.body ?? incoming.query);
    if (event.applicationId) {
      const ours = await this.deps.applicationId();
      if (ours && event.applicationId !== ours) {
        throw new AppError('webhook-unauthorized', 'The Catapult event is for another application.');
      }
    }
    const parent = incoming.query[PARENT_CALL_PARAM];
    if (parent !== undefined) {
      if (!isCallId(parent)) throw new AppError('invalid-json', 'The parent call marker is not a call id.');
      return this.onTransferredLegEvent(parent, event);
    }
    if (event.eventType === 'answer') return this.onAnswer(event);
    if (event.eventType === 'hangup') await this.end(event.callId, event.cause ?? 'NORMAL_CLEARING');
    // incomingcall is followed by answer (autoAnswer); nothing else needs an action.
  }

  private async onAnswer(event: CallEvent): Promise<void> {
    let decision: RouteDecision;
    let claim: CallClaim;
    try {
      decision = decideRoute(await this.facts(event));
      claim = newClaim(event.callId, decision, this.now());
      if (!(await this.deps.calls.claim(claim))) {
        this.deps.logger.info('duplicate answer event ignored', { callId: event.callId });
        return;
      }
    } catch (error) {
      // Without storage the call can be neither routed nor claimed: end it rather than leave the
      // caller in silence on an answered line.
      this.deps.logger.error('cannot route the call; hanging up', {
        callId: event.callId,
        code: (error as { code?: string }).code,
      });
      await this.hangUp(event.callId);
      throw error;
    }
    if (decision.action === 'hangup') {
      await this.writeHistory(claim);
      this.deps.logger.warn('call refused', {
        callId: event.callId,
        reason: decision.reason,
        recordedFor: decision.history.length,
      });
      await this.hangUp(event.callId);
      return;
    }
    try {
      const callbackUrl = buildWebhookUrl(this.deps.publicBaseUrl, this.deps.webhookPassword, {
        [PARENT_CALL_PARAM]: event.callId,
      });
      const leg = await this.deps.catapult.transferCall(event.callId, {
        transferTo: decision.transferTo,
        transferCallerId: decision.callerId,
        callbackUrl,
      });
      this.deps.logger.info('call transferred', { callId: event.callId, newCallId: leg.id });
    } catch (error) {
      this.deps.logger.error('transfer failed; hanging up', {
        callId: event.callId,
        status: catapultStatus(error),
        error: String(error),
      });
      await this.end(event.callId, 'transfer-failed').catch((e) => this.logHistoryError(event.callId, e));
      await this.hangUp(event.callId);
      return;
    }
    // After the transfer request, so routing never waits for it; before the 200, so it is not lost.
    await this.writeHistory(claim);
  }

  private async onTransferredLegEvent(parentCallId: string, event: CallEvent): Promise<void> {
    const leg: ClaimChanges = { transferCallId: event.callId };
    if (event.eventType === 'answer') {
      const answeredAt = new Date(this.now()).toISOString();
      await this.advance(parentCallId, (claim) =>
        claim.state === 'ringing' ? { ...leg, state: 'active', answeredAt } : undefined,
      );
      return;
    }
    if (event.eventType === 'hangup' || event.eventType === 'timeout') {
      const unanswered = await this.end(
        parentCallId,
        event.cause ?? (event.eventType === 'timeout' ? 'NO_ANSWER' : 'NORMAL_CLEARING'),
        leg,
      );
      // Nobody picked up the transferred leg: end the caller's leg too instead of leaving it hanging.
      if (unanswered) await this.hangUp(parentCallId);
    }
  }

  /** Ends the call once (duplicates and late events find it ended). True when it was never answered. */
  private async end(callId: string, cause: string, extra: ClaimChanges = {}): Promise<boolean> {
    const endedAt = new Date(this.now()).toISOString();
    const from = await this.advance(callId, (claim) =>
      claim.state === 'ringing' || claim.state === 'active'
        ? { ...extra, state: claim.answeredAt ? 'completed' : 'failed', endedAt, cause }
        : undefined,
    );
    return from !== undefined && !from.answeredAt;
  }

  /**
   * Moves the claim on (`next` says how, or undefined when there is nothing to do) and the history rows
   * with it. Rows first, then the claim with its ETag: an event that finds the new state in the claim
   * writes its rows after ours. When another event moved the claim on meanwhile, the ETag fails, and
   * after reading it again the rows are given the claim's state (ours may have overwritten it).
   * Returns the claim as it was before this event's change, or undefined when nothing changed.
   */
  private async advance(
    callId: string,
    next: (claim: CallClaim) => ClaimChanges | undefined,
  ): Promise<CallClaim | undefined> {
    let wroteRows = false;
    for (let attempt = 0; attempt < 5; attempt++) {
      const claim = await this.deps.calls.getClaim(callId);
      if (!claim) return undefined;
      const changes = next(claim);
      if (!changes) {
        if (wroteRows) await this.putRows(claim);
        return undefined;
      }
      await this.putRows({ ...claim, ...changes });
      wroteRows = true;
      try {
        await this.deps.calls.updateClaim(claim, changes);
        return claim;
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
      }
    }
    return undefined;
  }

  private async putRows(claim: CallClaim): Promise<void> {
    await Promise.all(historyRefs(claim).map((ref) => this.deps.calls.putRecord(ref, historyRecord(claim, ref))));
  }

  /** The rows' first write. Best effort: routing the call matters more than recording it. */
  private async writeHistory(claim: CallClaim): Promise<void> {
    await Promise.all(historyRefs(claim).map((ref) => this.deps.calls.addRecord(ref, historyRecord(claim, ref)))).catch(
      (error) => this.logHistoryError(claim.callId, error),
    );
  }

  private logHistoryError(callId: string, error: unknown): void {
    this.deps.logger.error('could not record the call', { callId, code: (error as { code?: string }).code });
  }

  /** Best effort: the call may already be gone (404) or ending (403 call-invalid-state). */
  private async hangUp(callId: string): Promise<void> {
    try {
      await this.deps.catapult.hangUpCall(callId);
    } catch (error) {
      const status = catapultStatus(error);
      if (status !== 404 && status !== 403)
        this.deps.logger.error('hang-up failed', { callId, status, error: String(error) });
    }
  }

  /** Only the users this event needs: the called number's owner, and the caller only when `from` is SIP. */
  private async facts(event: CallEvent) {
    const number = calledNumber(event.to);
    const [calledUser, callingUser] = await Promise.all([
      number ? this.users.byNumber(number) : undefined,
      this.users.bySipUri(event.from),
    ]);
    return { from: event.from, to: event.to, calledUser, callingUser, allowedCountries: this.deps.allowedCountries };
  }
}

/** The claim as the answer creates it: a refused call is over at once, a transferred one rings. */
function newClaim(callId: string, decision: RouteDecision, startedAtMs: number): CallClaim {
  const claimedAt = new Date(startedAtMs).toISOString();
  const rowKey = historyRowKey(callId, startedAtMs);
  const refs: HistoryRef[] = decision.history.map((h) => ({
    username: h.username,
    rowKey,
    direction: h.direction,
    peer: h.peer,
  }));
  const common = { callId, action: decision.action, refs: JSON.stringify(refs), claimedAt };
  return decision.action === 'hangup'
    ? { ...common, reason: decision.reason, state: 'failed', endedAt: claimedAt, cause: decision.reason }
    : { ...common, state: 'ringing' };
}
