// The Voice API's calls: legs enter (an outside phone or the In-App Calling gateway calls a number), are answered
// by the platform as their BXML runs (bxml-runner.ts), ring outside phones (Transfer), are joined (Bridge) and
// end with `disconnect` (docs/contracts/bandwidth-v2.md §9.2, §10). Callbacks of one call are sent one at a time,
// in order.
import { randomUUID } from 'node:crypto';
import {
  CallRejected,
  type CallNetwork,
  type HangupCause,
  type LegControl,
  type OriginateRequest,
  type Ringer,
} from '../../calls/network';
import type { BandwidthSettings } from '../bandwidth-options';
import { LegMedia } from '../../media/leg-media';
import type { NumbersStore } from '../numbers/numbers-store';
import type { Callback, TransferTarget } from './bxml';
import { causeOf, hangupCauseFor, isOver, type AppTarget, type BwCall, type DisconnectCause } from './bw-call';
import { deliverCallback, type CallbackRecord, type DeliveryResult } from './callbacks';
import { callbackPayload, type EventType } from './payloads';
import { BxmlRunner } from './bxml-runner';
import type { CallOps } from './call-ops';
import { RecordingStore } from './recordings';

export interface EngineOptions {
  accountId: string;
  voiceUrl: string;
  store: NumbersStore;
  settings: BandwidthSettings;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Rings outside phones for transfer legs. */
  ringers: Ringer[];
}

export class CallEngine implements CallNetwork, CallOps {
  readonly calls = new Map<string, BwCall>();
  readonly recordings = new RecordingStore();
  private readonly runner: BxmlRunner;

  constructor(readonly options: EngineOptions) {
    this.runner = new BxmlRunner(this);
  }

  clock(): number {
    return this.options.now();
  }

  addRinger(ringer: Ringer): void {
    this.options.ringers.unshift(ringer);
  }

  /** An outside phone calls one of the account's numbers (CallNetwork). */
  originate(request: OriginateRequest): { callId: string } & LegControl {
    const application = this.options.store.applicationOfNumber(request.to);
    if (!application?.callInitiatedCallbackUrl) {
      throw new CallRejected(404, `${request.to} is not a number of the account with a Voice-V2 application`);
    }
    return this.enter(request, 'phone', application.id);
  }

  /** An In-App Calling client calls `to` (the gateway): `from` is the account's In-App number. */
  originateInApp(request: Omit<OriginateRequest, 'from'> & { uui?: string }): { callId: string } & LegControl {
    const applicationId = this.inAppApplicationId();
    if (!applicationId) throw new CallRejected(403, 'No Voice-V2 application takes In-App Calling calls');
    return this.enter(
      { ...request, from: this.options.settings.inAppCallingNumber },
      'in-app',
      applicationId,
      request.uui,
    );
  }

  private inAppApplicationId(): string | undefined {
    const { settings, store } = this.options;
    if (settings.inAppCallingApplicationId) return settings.inAppCallingApplicationId;
    if (settings.inAppCallingPeerId) return store.peers.get(settings.inAppCallingPeerId)?.voiceV2AppId;
    return store.voiceApplications()[0]?.id;
  }

  private enter(request: OriginateRequest, origin: 'phone' | 'in-app', applicationId: string, uui?: string) {
    const application = this.options.store.applications.get(applicationId);
    if (!application?.callInitiatedCallbackUrl)
      throw new CallRejected(404, 'The application has no CallInitiatedCallbackUrl');
    if (this.active().length >= this.options.settings.maxConcurrentCalls) {
      throw new CallRejected(503, 'The account is at its concurrent call limit');
    }
    const media = new LegMedia();
    const answerSdp = request.offer === undefined ? Promise.resolve(undefined) : media.answer(request.offer);
    answerSdp.catch(() => undefined);
    const call = this.insert({
      direction: 'inbound',
      from: request.from,
      to: request.to,
      origin,
      app: appTarget(application),
      party: { kind: 'caller', signals: request.signals, answerSdp },
      media,
      ...(uui === undefined ? {} : { uui }),
    });
    void this.startWith(call, 'initiate', call.app.initiate);
    return {
      callId: call.id,
      hangUp: (cause?: HangupCause) => this.partyEnded(call.id, cause ?? 'NORMAL_CLEARING'),
      dtmf: (digits: string) => {
        for (const digit of digits) call.media.pressDigit(digit);
      },
    };
  }

  /** Sends `eventType` and runs the BXML it answers with; a failed or invalid answer ends the call. */
  async startWith(
    call: BwCall,
    eventType: EventType,
    target: Callback,
    extra: Parameters<typeof callbackPayload>[3] = {},
  ) {
    const generation = ++call.generation;
    const result = await this.send(call, eventType, target, extra);
    if (isOver(call) || call.generation !== generation) return;
    if (!result.ok) {
      this.hangup(call, 'callback-error', `${eventType} callback failed: ${result.error}`);
      return;
    }
    await this.runner.run(call, result.bxml ?? '<Response/>', generation, 'Response', result.url);
  }

  /** Queues a callback behind the call's earlier ones; resolves with its outcome. */
  send(
    call: BwCall,
    eventType: EventType,
    target: Callback,
    extra: Parameters<typeof callbackPayload>[3] = {},
  ): Promise<DeliveryResult> {
    const payload = callbackPayload(eventType, call, this.payloadContext(), extra);
    const record: CallbackRecord = { eventType, payload, attempts: [], delivered: false };
    call.callbacks.push(record);
    const delivery = call.queue.then(() => deliverCallback(target, call.app.creds, payload, record));
    call.queue = delivery.catch(() => undefined);
    return delivery.catch((error: unknown) => ({ ok: false as const, error: String(error) }));
  }

  /** The platform answers an unanswered inbound call: the caller gets the media answer. */
  async answer(call: BwCall): Promise<void> {
    if (call.state !== 'initiated') return;
    call.state = 'answered';
    call.answerTime = this.options.now();
    if (call.party.kind === 'caller') {
      const party = call.party;
      try {
        const sdp = await party.answerSdp;
        if (!isOver(call)) party.signals.answered(sdp);
      } catch (error) {
        this.hangup(call, 'error', `media could not be set up: ${(error as Error).message}`);
      }
    }
  }

  /** Ends a call on the platform's side (Hangup, end of BXML, API, errors) and tells everyone concerned. */
  hangup(call: BwCall, cause: DisconnectCause, errorMessage?: string): void {
    if (isOver(call)) return;
    const answered = call.answerTime !== undefined;
    call.state = 'disconnected';
    call.endTime = this.options.now();
    call.cause = cause;
    if (errorMessage !== undefined) call.errorMessage = errorMessage;
    this.interrupt(call);
    clearTimeout(call.timer);
    if (call.party.kind === 'caller') call.party.signals.ended(hangupCauseFor(cause, answered));
    else call.party.control?.hangUp(hangupCauseFor(cause, answered));
    this.endBridge(call);
    for (const legId of call.transfer?.legs ?? []) {
      const leg = this.calls.get(legId);
      if (leg && !isOver(leg)) this.hangup(leg, answered ? 'hangup' : 'cancel');
    }
    void call.media.close();
    if (call.parentCallId !== undefined) this.transferLegEnded(call);
    else if (call.app.status) void this.send(call, 'disconnect', call.app.status);
  }

  /** The party outside the platform hung up, or (a rung phone) was busy, rejected or did not answer. */
  partyEnded(callId: string, cause: HangupCause): void {
    const call = this.calls.get(callId);
    if (!call || isOver(call)) return;
    if (call.party.kind === 'caller') call.party.signals = { answered() {}, ended() {} };
    else call.party.control = undefined;
    this.hangup(call, causeOf(cause, call.answerTime !== undefined));
  }

  /** Stops the call's BXML: the running verb returns at its next check. */
  interrupt(call: BwCall): void {
    call.generation += 1;
    for (const wake of [...call.wakers]) wake();
  }

  /** Joins two answered calls' media. */
  bridge(owner: BwCall, target: BwCall): void {
    this.endBridge(owner);
    this.endBridge(target);
    owner.bridgedWith = target.id;
    target.bridgedWith = owner.id;
    owner.bridgeOwner = owner.id;
    target.bridgeOwner = owner.id;
    LegMedia.bridge(owner.media, target.media);
  }

  /** A bridge ends (one leg left or was redirected): the survivor continues per its callbacks, else hangs up. */
  endBridge(call: BwCall): void {
    const other = call.bridgedWith ? this.calls.get(call.bridgedWith) : undefined;
    const ownerId = call.bridgeOwner;
    call.bridgedWith = undefined;
    call.bridgeOwner = undefined;
    call.media.unbridge();
    if (!other || other.bridgedWith !== call.id) return;
    other.bridgedWith = undefined;
    other.bridgeOwner = undefined;
    for (const wake of [...other.wakers]) wake(); // a runner waiting on the bridge moves on
    if (isOver(other) || other.transfer || other.parentCallId !== undefined) return; // transfers handle their own end
    if (ownerId === other.id) return; // the <Bridge> runner of `other` continues its document
    const next = other.bridgeTargetComplete;
    if (next) void this.startWith(other, 'bridgeTargetComplete', next, { cause: call.cause ?? 'hangup' });
    else this.hangup(other, 'hangup');
  }

  /** A Transfer B-leg: rings `target` with the platform's offer; the runner of the A-leg waits on `a.transfer`. */
  async ringTransferLeg(a: BwCall, target: TransferTarget, callerId: string, timeoutS: number): Promise<BwCall> {
    const media = new LegMedia();
    const leg = this.insert({
      direction: 'outbound',
      from: callerId,
      to: target.address,
      origin: 'transfer',
      app: a.app,
      party: { kind: 'callee' },
      media,
      parentCallId: a.id,
      transferTarget: target,
      ...(target.tag === undefined ? {} : { tag: target.tag }),
    });
    leg.timer = setTimeout(() => this.hangup(leg, 'timeout'), timeoutS * 1000);
    leg.timer.unref();
    let offer: string;
    try {
      offer = await media.offer();
    } catch (error) {
      this.hangup(leg, 'error', `media could not be set up: ${(error as Error).message}`);
      return leg;
    }
    if (isOver(leg)) return leg;
    const signals = {
      answered: (sdp?: string) => void this.transferLegAnswered(leg, sdp),
      ended: (cause: HangupCause) => this.partyEnded(leg.id, cause),
    };
    for (const ringer of this.options.ringers) {
      const control = ringer.ring({ callId: leg.id, from: callerId, to: target.address, offer, signals });
      if (control) {
        if (!isOver(leg) && leg.party.kind === 'callee') leg.party.control = control;
        return leg;
      }
    }
    this.hangup(leg, 'error', `Nothing answers ${target.address} in the sandbox's phone network`);
    return leg;
  }

  private async transferLegAnswered(leg: BwCall, sdp: string | undefined): Promise<void> {
    const a = leg.parentCallId ? this.calls.get(leg.parentCallId) : undefined;
    if (isOver(leg)) return;
    if (!a || isOver(a) || !a.transfer || a.transfer.winner) {
      this.hangup(leg, 'cancel');
      return;
    }
    clearTimeout(leg.timer);
    a.transfer.winner = leg.id;
    for (const other of a.transfer.legs) if (other !== leg.id) this.hangup(this.calls.get(other)!, 'cancel');
    leg.state = 'answered';
    leg.answerTime = this.options.now();
    if (sdp !== undefined) await leg.media.acceptAnswer(sdp).catch(() => undefined);
    const answerCallback = leg.transferTarget?.transferAnswer;
    if (answerCallback) {
      const result = await this.send(leg, 'transferAnswer', answerCallback);
      if (result.ok && result.bxml) await this.runner.runOnLeg(leg, result.bxml, result.url);
    }
    if (isOver(leg) || isOver(a)) return;
    this.bridge(a, leg);
  }

  private transferLegEnded(leg: BwCall): void {
    const a = this.calls.get(leg.parentCallId!);
    if (leg.transferTarget?.transferDisconnect)
      void this.send(leg, 'transferDisconnect', leg.transferTarget.transferDisconnect);
    if (!a?.transfer) return;
    const legs = a.transfer.legs.map((id) => this.calls.get(id)!);
    const winner = a.transfer.winner;
    if (winner === leg.id || (winner === undefined && legs.every(isOver))) a.transfer.done(leg.cause ?? 'hangup');
  }

  /** Calls not yet disconnected (the concurrent-call limit counts these). */
  active(): BwCall[] {
    return [...this.calls.values()].filter((call) => !isOver(call));
  }

  payloadContext() {
    return { accountId: this.options.accountId, voiceUrl: this.options.voiceUrl, now: this.options.now() };
  }

  runBxml(call: BwCall, bxml: string, root: 'Response' | 'Bxml' = 'Response'): Promise<void> {
    const generation = call.generation;
    return this.runner.run(call, bxml, generation, root);
  }

  close(): void {
    for (const call of this.calls.values()) {
      clearTimeout(call.timer);
      this.interrupt(call);
      if (!isOver(call) && call.party.kind === 'callee') call.party.control?.hangUp('NORMAL_CLEARING');
      void call.media.close();
    }
  }

  insert(
    fields: Omit<
      BwCall,
      'id' | 'state' | 'startTime' | 'generation' | 'wakers' | 'callbacks' | 'skippedVerbs' | 'mediaErrors' | 'queue'
    >,
  ): BwCall {
    const call: BwCall = {
      ...fields,
      id: `c-${randomUUID()}`,
      state: 'initiated',
      startTime: this.options.now(),
      generation: 0,
      wakers: new Set(),
      callbacks: [],
      skippedVerbs: [],
      mediaErrors: [],
      queue: Promise.resolve(),
    };
    this.calls.set(call.id, call);
    return call;
  }
}

function appTarget(application: NonNullable<ReturnType<NumbersStore['applications']['get']>>): AppTarget {
  return {
    applicationId: application.id,
    initiate: { url: application.callInitiatedCallbackUrl!, method: application.callInitiatedMethod },
    ...(application.callStatusCallbackUrl
      ? { status: { url: application.callStatusCallbackUrl, method: application.callStatusMethod } }
      : {}),
    ...(application.callbackCreds ? { creds: application.callbackCreds } : {}),
  };
}
