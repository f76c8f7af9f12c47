// The webhook: authenticate, then act on `answer` of an original leg (transfer or hang up, exactly once
// thanks to a claim row created first) and record everything that follows in the users' call history.
// Events of a transferred leg come to the same URL with `?parentCallId=<original call>`.
import type { CallEvent, CatapultApi } from '../catapult/catapult-api';
import { checkWebhookAuthorization, buildWebhookUrl } from '../auth/webhook-auth';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { catapultStatus } from '../map-catapult-error';
import { historyRowKey, type CallRecord, type CallStore, type HistoryRef } from '../storage/call-store';
import type { UserStore } from '../storage/user-store';
import { normalizeUsername } from '../users/username';
import type { IncomingCatapultEvent } from '../voice-app';
import { isCallId, parseCallEvent } from './parse-call-event';
import { calledNumber, decideRoute, type RouteDecision, type RoutingUser } from './route-decision';
import { looksLikeSip, normalizeSipUri } from './sip-uri';

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

  constructor(private readonly deps: CallEventHandlerDeps) {
    this.now = deps.now ?? Date.now;
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
    if (event.eventType === 'hangup') await this.finishRecords(event.callId, event.cause ?? 'NORMAL_CLEARING');
    // incomingcall is followed by answer (autoAnswer); nothing else needs an action.
  }

  private async onAnswer(event: CallEvent): Promise<void> {
    let decision: RouteDecision;
    let refs: HistoryRef[];
    const startedAt = this.now();
    try {
      decision = decideRoute(await this.facts(event));
      refs = decision.history.map((h) => ({ username: h.username, rowKey: historyRowKey(event.callId, startedAt) }));
      const claimed = await this.deps.calls.claim({
        callId: event.callId,
        action: decision.action,
        reason: decision.action === 'hangup' ? decision.reason : undefined,
        refs: JSON.stringify(refs),
        claimedAt: new Date(startedAt).toISOString(),
      });
      if (!claimed) {
        this.deps.logger.info('duplicate answer event ignored', { callId: event.callId });
        return;
      }
    } catch (error) {
      // Without storage the call can be neither routed nor claimed: end it rather than leave the
      // caller in silence on an answered line.
      this.deps.logger.error('cannot route the call; hanging up', { callId: event.callId, code: (error as { code?: string }).code });
      await this.hangUp(event.callId);
      throw error;
    }
    // History is best effort: routing the call matters more than recording it.
    await this.writeHistory(event.callId, decision, refs, startedAt).catch((error) =>
      this.deps.logger.error('could not record the call', { callId: event.callId, code: (error as { code?: string }).code }),
    );
    if (decision.action === 'hangup') {
      this.deps.logger.warn('call refused', { callId: event.callId, reason: decision.reason, recordedFor: decision.history.length });
      await this.hangUp(event.callId);
      return;
    }
    try {
      const callbackUrl = buildWebhookUrl(this.deps.publicBaseUrl, this.deps.webhookPassword, { [PARENT_CALL_PARAM]: event.callId });
      const leg = await this.deps.catapult.transferCall(event.callId, { transferTo: decision.transferTo, transferCallerId: decision.callerId, callbackUrl });
      this.deps.logger.info('call transferred', { callId: event.callId, newCallId: leg.id });
      const claim = await this.deps.calls.getClaim(event.callId);
      if (claim) await this.deps.calls.setTransferCallId(claim, leg.id).catch(() => undefined);
    } catch (error) {
      this.deps.logger.error('transfer failed; hanging up', { callId: event.callId, status: catapultStatus(error), error: String(error) });
      await this.updateRecords(refs, () => ({ state: 'failed', endedAt: new Date(this.now()).toISOString(), cause: 'transfer-failed' }));
      await this.hangUp(event.callId);
    }
  }

  private async onTransferredLegEvent(parentCallId: string, event: CallEvent): Promise<void> {
    if (event.eventType === 'answer') {
      const claim = await this.deps.calls.getClaim(parentCallId);
      if (!claim) return;
      const answeredAt = new Date(this.now()).toISOString();
      await this.updateRecords(JSON.parse(claim.refs), (record) => (record.state === 'ringing' ? { state: 'active', answeredAt } : undefined));
      return;
    }
    if (event.eventType === 'hangup' || event.eventType === 'timeout') {
      const unanswered = await this.finishRecords(parentCallId, event.cause ?? (event.eventType === 'timeout' ? 'NO_ANSWER' : 'NORMAL_CLEARING'));
      // Nobody picked up the transferred leg: end the caller's leg too instead of leaving it hanging.
      if (unanswered) await this.hangUp(parentCallId);
    }
  }

  /** Marks the call's records ended. Returns true when any of them had never been answered. */
  private async finishRecords(callId: string, cause: string): Promise<boolean> {
    const claim = await this.deps.calls.getClaim(callId);
    if (!claim) return false;
    let unanswered = false;
    const endedAt = new Date(this.now()).toISOString();
    await this.updateRecords(JSON.parse(claim.refs), (record) => {
      if (record.state === 'completed' || record.state === 'failed') return undefined;
      if (!record.answeredAt) unanswered = true;
      return record.answeredAt ? { state: 'completed', endedAt, cause } : { state: 'failed', endedAt, cause };
    });
    return unanswered;
  }

  private async writeHistory(callId: string, decision: RouteDecision, refs: HistoryRef[], startedAtMs: number): Promise<void> {
    const startedAt = new Date(startedAtMs).toISOString();
    await Promise.all(
      decision.history.map((entry, i) => {
        const record: CallRecord =
          decision.action === 'transfer'
            ? { callId, direction: entry.direction, peer: entry.peer, state: 'ringing', startedAt }
            : { callId, direction: entry.direction, peer: entry.peer, state: 'failed', startedAt, endedAt: startedAt, cause: decision.reason };
        return this.deps.calls.addRecord(refs[i], record);
      }),
    );
  }

  private async updateRecords(refs: HistoryRef[], change: (record: CallRecord) => Partial<CallRecord> | undefined): Promise<void> {
    await Promise.all(refs.map((ref) => this.deps.calls.updateRecord(ref, change)));
  }

  /** Best effort: the call may already be gone (404) or ending (403 call-invalid-state). */
  private async hangUp(callId: string): Promise<void> {
    try {
      await this.deps.catapult.hangUpCall(callId);
    } catch (error) {
      const status = catapultStatus(error);
      if (status !== 404 && status !== 403) this.deps.logger.error('hang-up failed', { callId, status, error: String(error) });
    }
  }

  private async facts(event: CallEvent) {
    const number = calledNumber(event.to);
    const [calledUser, callingUser] = await Promise.all([
      number ? this.deps.users.getByNumber(number) : undefined,
      this.userBySipUri(event.from),
    ]);
    return { from: event.from, to: event.to, calledUser: routing(calledUser), callingUser: routing(callingUser), allowedCountries: this.deps.allowedCountries };
  }

  /** The user whose endpoint `from` is: endpoint name = username, and the whole normalised URI must match. */
  private async userBySipUri(from: string) {
    if (!looksLikeSip(from)) return undefined;
    const sip = normalizeSipUri(from);
    if (!sip) return undefined;
    let username: string;
    try {
      username = normalizeUsername(sip.user);
    } catch {
      return undefined;
    }
    const user = await this.deps.users.get(username);
    return user && normalizeSipUri(user.sipUri)?.uri === sip.uri ? user : undefined;
  }
}

function routing(user: RoutingUser | undefined): RoutingUser | undefined {
  return user ? { username: user.username, number: user.number, sipUri: user.sipUri } : undefined;
}
