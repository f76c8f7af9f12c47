// The one place that owns Catapult calls: legs, their states, bridging and events. REST (/calls),
// the control API and the SIP side (through CallNetwork) all drive calls through this class.
//
// Catapult-level state (REST and events) and media signalling are kept apart on purpose: a leg is
// `active` as soon as Catapult would answer it, while the SDP answer reaches the caller only when
// the far end of the bridge really answers (see network.ts).
import type { SandboxContext } from '../context';
import type { EventDispatcher } from '../events/event-dispatcher';
import { buildEventPayload, type CallEventPayload, type CallEventType } from '../events/event-payload';
import { clampTimeout, type EventTarget } from '../events/event-target';
import { newId } from '../model/ids';
import { isEnded, type CallRecord } from './call-record';
import { resolveInboundApplication } from './inbound-application';
import {
  CallRejected,
  type CallNetwork,
  type HangupCause,
  type LegControl,
  type LegSignals,
  type OriginateRequest,
  type Ringer,
} from './network';

export const DEFAULT_CALL_TIMEOUT_S = 60;

export interface OutboundLeg {
  userId: string;
  from: string;
  to: string;
  callTimeout: number;
  eventTarget?: EventTarget;
  callbackUrl?: string;
  callbackHttpMethod?: 'GET' | 'POST';
  callbackTimeout?: number;
  fallbackUrl?: string;
  tag?: string;
  recordingEnabled?: boolean;
  sipHeaders?: Record<string, string>;
  /** SDP offer to pass to the target (a transfer passes the caller's). */
  offer?: string;
  transferredFromCallId?: string;
}

export interface CallModelOptions {
  ctx: SandboxContext;
  dispatcher: EventDispatcher;
  /** Asked after every added ringer: the simulated phone network and simulated endpoints. */
  fallbackRingers: Ringer[];
}

export class CallModel implements CallNetwork {
  private readonly calls = new Map<string, CallRecord>();
  private readonly ringers: Ringer[] = [];
  private readonly endListeners: Array<(call: CallRecord) => void> = [];
  private dtmfListener: ((call: CallRecord, digits: string) => void) | undefined;

  constructor(private readonly options: CallModelOptions) {}

  get(callId: string): CallRecord | undefined {
    return this.calls.get(callId);
  }

  list(): CallRecord[] {
    return [...this.calls.values()];
  }

  addRinger(ringer: Ringer): void {
    this.ringers.push(ringer);
  }

  /** Called after a leg ended (its hangup event is queued): the media side stops recordings there. */
  onEnd(listener: (call: CallRecord) => void): void {
    this.endListeners.push(listener);
  }

  /** Digits a caller's client sent (SIP INFO): the media side turns them into dtmf events. */
  onDtmf(listener: (call: CallRecord, digits: string) => void): void {
    this.dtmfListener = listener;
  }

  /** Queues an event built elsewhere (audio, recording, dtmf) behind the call's earlier events. */
  sendEvent(call: CallRecord, payload: CallEventPayload): void {
    if (!call.eventTarget) return;
    this.options.dispatcher.send(call.id, call.eventTarget, payload, (entry) => call.events.push(entry));
  }

  /** A call enters Catapult from an endpoint or an outside phone (CallNetwork). */
  originate(request: OriginateRequest): { callId: string } & LegControl {
    return this.enter(request, false);
  }

  private enter(request: OriginateRequest, routeByNumber: boolean): { callId: string } & LegControl {
    const { userId, application } = resolveInboundApplication(this.options.ctx.directory, request, routeByNumber);
    const call = this.insert({
      userId,
      direction: 'in',
      from: request.from,
      to: request.to,
      applicationId: application.id,
      eventTarget: {
        url: application.incomingCallUrl!,
        fallbackUrl: application.incomingCallFallbackUrl,
        method: application.callbackHttpMethod,
        timeoutMs: clampTimeout(application.incomingCallUrlCallbackTimeout),
      },
      party: { kind: 'caller', signals: request.signals, offer: request.offer, answeredSent: false },
    });
    this.emit(call, 'incomingcall');
    if (application.autoAnswer) this.markAnswered(call);
    return {
      callId: call.id,
      hangUp: (cause) => this.partyEnded(call.id, cause),
      dtmf: (digits) => this.dtmfListener?.(call, digits),
    };
  }

  /** A new outbound leg (POST /calls, or the new leg of a transfer); rings its target. */
  createOutbound(leg: OutboundLeg): CallRecord {
    const call = this.insertOutbound(leg);
    this.ringTarget(call, leg.offer);
    return call;
  }

  private insertOutbound(leg: Omit<OutboundLeg, 'offer'>): CallRecord {
    const call = this.insert({
      userId: leg.userId,
      direction: 'out',
      from: leg.from,
      to: leg.to,
      callTimeout: leg.callTimeout,
      callbackUrl: leg.callbackUrl,
      callbackHttpMethod: leg.callbackHttpMethod,
      callbackTimeout: leg.callbackTimeout,
      fallbackUrl: leg.fallbackUrl,
      tag: leg.tag,
      recordingEnabled: leg.recordingEnabled ?? false,
      sipHeaders: leg.sipHeaders,
      eventTarget: leg.eventTarget,
      transferredFromCallId: leg.transferredFromCallId,
      party: { kind: 'target' },
    });
    call.timer = setTimeout(() => this.timeOut(call.id), leg.callTimeout * 1000);
    call.timer.unref();
    return call;
  }

  /**
   * REST transfer of an active leg: a new outbound leg rings the target with the caller's SDP offer;
   * the original leg is `transferring` until the target answers, then the two are bridged.
   */
  transfer(call: CallRecord, leg: Omit<OutboundLeg, 'userId' | 'offer' | 'transferredFromCallId'>): CallRecord {
    call.state = 'transferring';
    // A caller whose offer Catapult's own media already answered cannot offer it again to the target.
    const offer = call.party.kind === 'caller' && !call.platformMedia ? call.party.offer : undefined;
    const created = this.insertOutbound({ ...leg, userId: call.userId, transferredFromCallId: call.id });
    // Linked before ringing: a target can answer synchronously (a sandbox number that auto-answers).
    call.transferredToCallId = created.id;
    this.ringTarget(created, offer);
    return created;
  }

  /** REST {state:"active"} on a ringing inbound call (autoAnswer false). */
  answer(call: CallRecord): void {
    if (call.state === 'started' && call.direction === 'in') this.markAnswered(call);
  }

  /** Ends a leg as Catapult would on `{state:"completed"|"rejected"}` or on timeout. */
  end(call: CallRecord, cause: HangupCause, finalState: 'completed' | 'rejected' = 'completed'): void {
    if (isEnded(call)) return;
    const wasAnswered = call.activeTime !== undefined;
    call.state = finalState;
    call.endTime = this.options.ctx.now();
    call.cause = cause;
    clearTimeout(call.timer);
    this.emit(call, 'hangup', cause);
    // Tell the far side outside Catapult.
    if (call.party.kind === 'caller') {
      call.party.signals.ended(cause);
    } else {
      call.party.control?.hangUp(wasAnswered ? cause : cause === 'NORMAL_CLEARING' ? 'ORIGINATOR_CANCEL' : cause);
    }
    // A bridged pair ends together (docs/contracts/catapult-v1.md §14.4).
    const bridged = call.bridgedCallId ? this.calls.get(call.bridgedCallId) : undefined;
    if (bridged) this.end(bridged, 'NORMAL_CLEARING');
    // The caller left while its transfer target was still ringing: cancel the target.
    const pending = call.transferredToCallId ? this.calls.get(call.transferredToCallId) : undefined;
    if (pending && pending.bridgedCallId === undefined) this.end(pending, 'ORIGINATOR_CANCEL');
    // A transfer leg that never got bridged: the original leg stays up, back to `active`, and the
    // app decides what happens next (transfer again, or hang up).
    const origin = call.transferredFromCallId ? this.calls.get(call.transferredFromCallId) : undefined;
    if (origin && origin.state === 'transferring' && origin.transferredToCallId === call.id) origin.state = 'active';
    for (const listener of this.endListeners) listener(call);
  }

  /** The party outside Catapult hung up (caller left, or the target hung up / rejected / was busy). */
  partyEnded(callId: string, cause: HangupCause = 'NORMAL_CLEARING'): void {
    const call = this.calls.get(callId);
    if (!call || isEnded(call)) return;
    // Do not echo `ended` back to the party that just ended.
    if (call.party.kind === 'caller') call.party.signals = { answered() {}, ended() {} };
    else call.party.control = undefined;
    // A caller leaving an inbound leg is a plain hang-up, or a cancel before Catapult answered;
    // a target's cause (busy, rejected, …) is kept.
    const answered = call.activeTime !== undefined;
    const effective: HangupCause =
      call.direction === 'in' ? (answered ? 'NORMAL_CLEARING' : 'ORIGINATOR_CANCEL') : cause;
    this.end(call, effective);
  }

  /** Timers and far ends go away with the sandbox. */
  close(): void {
    for (const call of this.calls.values()) {
      clearTimeout(call.timer);
      if (!isEnded(call) && call.party.kind === 'target') call.party.control?.hangUp('NORMAL_CLEARING');
      void call.platformMedia?.close();
    }
  }

  private insert(
    fields: Omit<CallRecord, 'id' | 'state' | 'startTime' | 'events' | 'recordingEnabled'> & {
      recordingEnabled?: boolean;
    },
  ): CallRecord {
    const call: CallRecord = {
      recordingEnabled: false,
      ...fields,
      id: newId('c'),
      state: 'started',
      startTime: this.options.ctx.now(),
      events: [],
    };
    this.calls.set(call.id, call);
    return call;
  }

  private ringTarget(call: CallRecord, offer: string | undefined): void {
    const signals = this.targetSignals(call.id);
    const owner = this.options.ctx.directory.findNumber(call.to);
    if (owner) {
      // A sandbox-owned number: the call comes back in as a NEW inbound call to that number's
      // application (e.g. one user calling another user's number), bridged to this leg.
      try {
        const inbound = this.enter({ from: call.from, to: call.to, offer, signals }, true);
        const inner = this.calls.get(inbound.callId)!;
        inner.ringingForCallId = call.id;
        if (call.party.kind === 'target') call.party.control = inbound;
        if (inner.state === 'active') this.markAnswered(call);
      } catch (error) {
        const cause: HangupCause =
          error instanceof CallRejected && error.sipStatus === 404 ? 'UNALLOCATED_NUMBER' : 'NORMAL_TEMPORARY_FAILURE';
        queueMicrotask(() => this.end(call, cause));
      }
      return;
    }
    for (const ringer of [...this.ringers, ...this.options.fallbackRingers]) {
      const control = ringer.ring({ callId: call.id, from: call.from, to: call.to, offer, signals });
      if (control) {
        // A ringer may already have ended the leg synchronously (e.g. busy); then there is nothing to keep.
        if (call.party.kind === 'target' && !isEnded(call)) call.party.control = control;
        return;
      }
    }
    queueMicrotask(() => this.end(call, 'UNALLOCATED_NUMBER'));
  }

  /** What a ringer reports to, for the outbound leg `callId`. */
  private targetSignals(callId: string): LegSignals {
    return {
      // The caller of a transfer hears the target ring (SIP 180), through any chain of legs.
      ringing: () => {
        const call = this.calls.get(callId);
        const origin = call?.transferredFromCallId ? this.calls.get(call.transferredFromCallId) : undefined;
        if (call && !isEnded(call) && origin && !isEnded(origin) && origin.party.kind === 'caller')
          origin.party.signals.ringing?.();
      },
      answered: (sdp) => {
        const call = this.calls.get(callId);
        if (!call || isEnded(call)) return;
        if (call.party.kind === 'target' && sdp !== undefined) call.party.mediaAnswer = sdp;
        this.markAnswered(call);
        this.forwardMedia(call);
      },
      ended: (cause) => this.partyEnded(callId, cause),
    };
  }

  /** Catapult answers the leg: state, `answer` event, and bridging for transfer legs. */
  private markAnswered(call: CallRecord): void {
    if (call.state !== 'started') return;
    call.state = 'active';
    call.activeTime = this.options.ctx.now();
    clearTimeout(call.timer);
    this.emit(call, 'answer');
    const origin = call.transferredFromCallId ? this.calls.get(call.transferredFromCallId) : undefined;
    if (origin && !isEnded(origin) && origin.transferredToCallId === call.id) {
      origin.bridgedCallId = call.id;
      call.bridgedCallId = origin.id;
      origin.state = 'active';
    }
    // This inbound leg exists because another leg rang its number: that leg is answered too.
    const ringing = call.ringingForCallId ? this.calls.get(call.ringingForCallId) : undefined;
    if (ringing) this.markAnswered(ringing);
  }

  /** Passes the target's SDP answer to the caller on the other side of the bridge, once. */
  private forwardMedia(call: CallRecord): void {
    const origin = call.bridgedCallId ? this.calls.get(call.bridgedCallId) : undefined;
    if (!origin || origin.party.kind !== 'caller' || origin.party.answeredSent || isEnded(origin)) return;
    origin.party.answeredSent = true;
    origin.party.signals.answered(call.party.kind === 'target' ? call.party.mediaAnswer : undefined);
  }

  private timeOut(callId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.state !== 'started') return;
    this.emit(call, 'timeout');
    this.end(call, 'NO_ANSWER');
  }

  private emit(call: CallRecord, eventType: CallEventType, cause?: HangupCause): void {
    if (!call.eventTarget) return;
    const payload = buildEventPayload(
      eventType,
      {
        callId: call.id,
        userId: call.userId,
        from: call.from,
        to: call.to,
        applicationId: call.applicationId,
        tag: call.tag,
      },
      { baseUrl: this.options.ctx.baseUrl, time: this.options.ctx.now(), cause },
    );
    this.options.dispatcher.send(call.id, call.eventTarget, payload, (entry) => call.events.push(entry));
  }
}
