// The webhook, for every provider: the provider's webhook part authenticates and reads the callback into
// one of the app's events; this decides (route-decision.ts), claims the call ONCE (a claim row created
// first, so duplicates and late events never act twice), has the provider carry the decision out, and
// records everything that follows in the users' call history.
//
// Storage, kept off the routing path: before the provider acts only the users the event needs (cached,
// see routing-users.ts) and the claim insert; the history rows are written after the action, before the
// webhook answers. The claim also holds the call's state, so a later event reads the claim only, writes
// the new state into the history rows blindly, then moves the claim on with its ETag.
import { AppError } from '../errors';
import type { CallLimits } from '../limits/call-limits';
import type { Logger } from '../log';
import type { AppEvent, CallAction, CarriedOut, IncomingWebhook, WebhookReply } from '../provider/app-events';
import type { ProviderUser, VoiceProvider } from '../provider/voice-provider';
import { historyRecord, historyRefs, type CallClaim, type CallStore, type ClaimChanges } from '../storage/call-store';
import { isStorageConflict } from '../storage/entity-table';
import type { UserStore } from '../storage/user-store';
import { keepRecording, type RecordingKeeperDeps } from '../voicemail/recording-keeper';
import { admitCall, finishLimits, forgetDuplicateAdmission } from './call-admission';
import { callee, calleeOf, newClaim } from './call-claims';
import { isCallId } from './call-id';
import { endOverdueCalls } from './overdue-calls';
import { calledNumber, decideRoute, type RouteDecision } from './route-decision';
import { RoutingUsers } from './routing-users';

export interface CallEventHandlerDeps {
  provider: Pick<VoiceProvider, 'webhooks' | 'calls'>;
  users: UserStore;
  calls: CallStore;
  allowedCountries: readonly string[];
  /** Toll-free numbers may be dialled (DIAL_TOLL_FREE); default false. */
  allowTollFree?: boolean;
  /** The calling limits every call one of our users places must pass; without them calls are not limited. */
  callLimits?: CallLimits;
  logger: Logger;
  now?: () => number;
  /** How long a parked call rings before it is ended as unanswered, default 25 s. */
  ringTimeoutMs?: number;
  /**
   * Where a call that its user does not answer (ring timeout, declined, no dialpad) leaves a message. Without it
   * such a call is ended.
   */
  voicemail?: Omit<RecordingKeeperDeps, 'fetch' | 'logger'> & {
    /** A link to the user's own greeting for the provider, undefined for the default spoken one. */
    greetingLink?: (username: string) => Promise<string | undefined>;
  };
}

type Arrived = Extract<AppEvent, { kind: 'call-arrived' }>;

export class CallEventHandler {
  private readonly now: () => number;
  private readonly users: RoutingUsers;
  private readonly ringTimeoutMs: number;

  constructor(private readonly deps: CallEventHandlerDeps) {
    this.now = deps.now ?? Date.now;
    this.users = new RoutingUsers(deps.users, this.now);
    this.ringTimeoutMs = deps.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS;
  }

  async handle(incoming: IncomingWebhook): Promise<WebhookReply> {
    const event = await this.deps.provider.webhooks.read(incoming);
    switch (event.kind) {
      case 'call-arrived':
        return this.onArrived(event);
      case 'pickup':
        return this.onPickup(event.callId, event.parkedCallId, event.username);
      case 'leg-answered': {
        const answeredAt = this.iso();
        const leg: ClaimChanges = event.legId ? { transferCallId: event.legId } : {};
        await this.advance(event.callId, (claim) =>
          claim.state === 'ringing' ? { ...leg, state: 'active', answeredAt } : undefined,
        );
        return this.carryOut({ kind: 'nothing', callId: event.callId });
      }
      case 'leg-ended': {
        const leg: ClaimChanges = event.legId ? { transferCallId: event.legId } : {};
        const { before, seen } = await this.end(event.callId, event.cause, leg, true);
        if (before === undefined || before.answeredAt) return this.carryOut({ kind: 'nothing', callId: event.callId });
        // Nobody picked up the leg: a message for the user it rang for, else end the caller's call too.
        return this.missed(event.callId, seen);
      }
      case 'call-ended': {
        const { seen } = await this.end(event.callId, event.cause);
        return this.carryOut({ kind: 'ended', callId: event.callId, ...callee(seen) });
      }
      case 'ringing-tick':
        return this.onRingingTick(event.callId);
      case 'voicemail-progress': {
        const claim = await this.deps.calls.getClaim(event.callId);
        const username = claim?.voicemailAt ? calleeOf(claim) : undefined;
        if (!username) return this.carryOut({ kind: 'nothing', callId: event.callId });
        return this.carryOut({ kind: 'voicemail', callId: event.callId, callee: username, step: event.step });
      }
      case 'recording-ready':
        return this.onRecordingReady(event.callId, event.recordingRef);
      case 'ignored':
        return this.carryOut({ kind: 'nothing', callId: event.callId });
    }
  }

  /**
   * A user declines a call ringing for them: it ends as "declined" for them and the caller is sent to their
   * voicemail (or hung up on without it). AppError('call-not-found') otherwise.
   */
  async decline(username: string, callId: string): Promise<void> {
    if (!isCallId(callId)) throw notFound();
    const endedAt = this.iso();
    const toVoicemail = this.deps.voicemail ? { voicemailAt: endedAt } : {};
    const { before, seen } = await this.advance(callId, (claim) =>
      claim.state === 'ringing' && calleeOf(claim) === username
        ? { state: 'failed', endedAt, cause: 'declined', ...toVoicemail }
        : undefined,
    );
    if (!before) throw notFound();
    // The caller's call ended here, not through a provider event: its limits are given back now.
    if (seen) await finishLimits(this.deps.callLimits, seen, this.deps.logger);
    this.deps.logger.info('call declined', { callId, voicemail: this.deps.voicemail !== undefined });
    if (this.deps.voicemail) {
      const greetingUrl = await this.greetingUrl(username);
      if (await this.deps.provider.calls.divertToVoicemail(callId, username, greetingUrl)) return;
    }
    await this.deps.provider.calls.end(callId);
  }

  private async onArrived(event: Arrived): Promise<WebhookReply> {
    let decision: RouteDecision;
    let calledUser: ProviderUser | undefined;
    let claim: CallClaim;
    let first: boolean;
    try {
      const facts = await this.facts(event);
      calledUser = facts.calledUser;
      decision = decideRoute(facts);
      if (this.deps.callLimits) decision = await admitCall(this.deps.callLimits, event.callId, decision);
      claim = newClaim(event.callId, decision, this.now());
      first = await this.deps.calls.claim(claim);
    } catch (error) {
      // Without storage the call can be neither routed nor claimed: end it rather than leave the
      // caller in silence on an answered line.
      this.deps.logger.error('cannot route the call; hanging up', {
        callId: event.callId,
        code: (error as { code?: string }).code,
      });
      await this.deps.provider.calls.end(event.callId);
      throw error;
    }
    const route: CallAction = {
      kind: 'route',
      callId: event.callId,
      decision,
      ...(decision.action === 'connect' && calledUser ? { callee: calledUser } : {}),
      first,
    };
    if (!first) {
      this.deps.logger.info('duplicate call event: acted on already', { callId: event.callId });
      await forgetDuplicateAdmission(this.deps.callLimits, this.deps.calls, event.callId, decision);
      return (await this.deps.provider.calls.carryOut(route)).reply;
    }
    if (decision.action === 'refuse') {
      await this.writeHistory(claim);
      this.deps.logger.warn('call refused', {
        callId: event.callId,
        reason: decision.reason,
        recordedFor: decision.history.length,
      });
      return (await this.deps.provider.calls.carryOut(route)).reply;
    }
    const done = await this.deps.provider.calls.carryOut(route);
    if (done.failed) {
      await this.end(event.callId, done.failed).catch((e) => this.logHistoryError(event.callId, e));
      await this.deps.provider.calls.end(event.callId);
      return done.reply;
    }
    // After the provider acted, so routing never waits for it; before the answer, so it is not lost.
    await Promise.all([this.writeHistory(claim), done.settle]);
    return done.reply;
  }

  /** A dialpad answers a parked call: only its callee, only while it rings, only once (a duplicate re-bridges). */
  private async onPickup(callId: string, parkedCallId: string, username: string): Promise<WebhookReply> {
    const answeredAt = this.iso();
    const { before, seen } = await this.advance(parkedCallId, (claim) =>
      claim.state === 'ringing' && calleeOf(claim) === username
        ? { state: 'active', answeredAt, transferCallId: callId }
        : undefined,
    );
    if (before || (seen?.state === 'active' && seen.transferCallId === callId)) {
      return this.carryOut({ kind: 'bridge', callId, parkedCallId, callee: username });
    }
    this.deps.logger.info('pickup refused: the call is no longer ringing for this user', { callId, parkedCallId });
    return this.carryOut({ kind: 'end-call', callId });
  }

  private async onRingingTick(callId: string): Promise<WebhookReply> {
    const claim = await this.deps.calls.getClaim(callId);
    if (claim?.state === 'ringing') {
      if (this.now() - Date.parse(claim.claimedAt) < this.ringTimeoutMs) {
        return this.carryOut({ kind: 'keep-ringing', callId });
      }
      const { seen } = await this.end(callId, 'no-answer', {}, true);
      return this.missed(callId, seen ?? claim);
    }
    // Picked up meanwhile: the bridge owns the call now. Declined into voicemail (the decline redirected the
    // call here): the message. Anything else (ended, unknown): end it.
    if (claim?.state === 'active') return this.carryOut({ kind: 'nothing', callId });
    if (claim?.voicemailAt) return this.missed(callId, claim);
    return this.carryOut({ kind: 'end-call', callId, ...callee(claim) });
  }

  /** A call its user did not take: their voicemail when the claim went there, else the call ends. */
  private async missed(callId: string, claim: CallClaim | undefined): Promise<WebhookReply> {
    const username = claim?.voicemailAt ? calleeOf(claim) : undefined;
    if (!username) return this.carryOut({ kind: 'end-call', callId, ...callee(claim) });
    const greetingUrl = await this.greetingUrl(username);
    return this.carryOut({
      kind: 'voicemail',
      callId,
      callee: username,
      step: 'start',
      ...(greetingUrl ? { greetingUrl } : {}),
    });
  }

  /** The user's own greeting, if any; a storage fault only costs them the default greeting, never the message. */
  private async greetingUrl(username: string): Promise<string | undefined> {
    return this.deps.voicemail?.greetingLink?.(username).catch(() => undefined);
  }

  /** Keeps a recording only of a call that went to voicemail, for the user it rang for; anything else is ignored. */
  private async onRecordingReady(callId: string, recordingRef: string): Promise<WebhookReply> {
    const claim = await this.deps.calls.getClaim(callId);
    const username = claim?.voicemailAt ? calleeOf(claim) : undefined;
    if (!claim?.voicemailAt || !username || !this.deps.voicemail) {
      this.deps.logger.warn('a recording of a call that did not go to voicemail: not kept', { callId });
      return this.carryOut({ kind: 'nothing', callId });
    }
    const calls = this.deps.provider.calls;
    await keepRecording(
      { ...this.deps.voicemail, fetch: (id, ref) => calls.fetchRecording(id, ref), logger: this.deps.logger },
      { ...claim, voicemailAt: claim.voicemailAt },
      username,
      recordingRef,
    );
    return this.carryOut({ kind: 'nothing', callId });
  }

  private async carryOut(action: CallAction): Promise<WebhookReply> {
    const done: CarriedOut = await this.deps.provider.calls.carryOut(action);
    await done.settle;
    return done.reply;
  }

  /**
   * Ends calls past their longest length (and settles the limits of calls whose end was not counted). Called
   * now and then (create-voice-app.ts): neither provider takes a cap on a call's length, so the app hangs up.
   */
  async endOverdueCalls(): Promise<number> {
    const limits = this.deps.callLimits;
    if (!limits) return 0;
    return endOverdueCalls({
      limits,
      calls: this.deps.calls,
      endCall: (callId, cause) => this.end(callId, cause),
      hangUp: (callId) => this.deps.provider.calls.end(callId),
      now: this.now,
      logger: this.deps.logger,
    });
  }

  /**
   * Ends the call once (duplicates and late events find it ended), and gives its limits back. `orVoicemail`: a
   * call still unanswered that rang for a user goes to their voicemail (`voicemailAt`) when the app takes messages.
   */
  private async end(callId: string, cause: string, extra: ClaimChanges = {}, orVoicemail = false) {
    const endedAt = this.iso();
    const takesMessage = (claim: CallClaim) =>
      orVoicemail && this.deps.voicemail !== undefined && !claim.answeredAt && calleeOf(claim) !== undefined;
    const result = await this.advance(callId, (claim) =>
      claim.state === 'ringing' || claim.state === 'active'
        ? {
            ...extra,
            state: claim.answeredAt ? 'completed' : 'failed',
            endedAt,
            cause,
            ...(takesMessage(claim) ? { voicemailAt: endedAt } : {}),
          }
        : undefined,
    );
    if (result.before && result.seen) await finishLimits(this.deps.callLimits, result.seen, this.deps.logger);
    return result;
  }

  /**
   * Moves the claim on (`next` says how, or undefined when there is nothing to do) and the history rows
   * with it. Rows first, then the claim with its ETag: an event that finds the new state in the claim
   * writes its rows after ours. When another event moved the claim on meanwhile, the ETag fails, and
   * after reading it again the rows are given the claim's state (ours may have overwritten it).
   * `before`: the claim as it was before this event's change (undefined when nothing changed);
   * `seen`: the claim as last read, with this event's change applied when there was one.
   */
  private async advance(
    callId: string,
    next: (claim: CallClaim) => ClaimChanges | undefined,
  ): Promise<{ before?: CallClaim; seen?: CallClaim }> {
    let wroteRows = false;
    let seen: CallClaim | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const claim = await this.deps.calls.getClaim(callId);
      if (!claim) return {};
      seen = claim;
      const changes = next(claim);
      if (!changes) {
        if (wroteRows) await this.putRows(claim);
        return { seen };
      }
      await this.putRows({ ...claim, ...changes });
      wroteRows = true;
      try {
        await this.deps.calls.updateClaim(claim, changes);
        return { before: claim, seen: { ...claim, ...changes } };
      } catch (error) {
        if (!isStorageConflict(error)) throw error;
      }
    }
    return { seen };
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

  /** Only the users this event needs: the called number's owner, and the caller only when it says who it is. */
  private async facts(event: Arrived) {
    const number = calledNumber(event.to);
    const caller = event.caller;
    const [calledUser, callingUser] = await Promise.all([
      number ? this.users.byNumber(number) : undefined,
      caller?.kind === 'sip'
        ? this.users.bySipUri(caller.sipUri)
        : caller?.kind === 'user'
          ? this.users.byUsername(caller.username)
          : undefined,
    ]);
    return {
      from: event.from,
      to: event.to,
      calledUser,
      callingUser,
      callerRefused: caller?.kind === 'invalid',
      allowedCountries: this.deps.allowedCountries,
      allowTollFree: this.deps.allowTollFree ?? false,
    };
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** How long a call rings for its user before it goes to voicemail (or ends). */
export const DEFAULT_RING_TIMEOUT_MS = 25_000;

function notFound(): AppError {
  return new AppError('call-not-found', 'No call is ringing for you with this id. It may have ended already.');
}
