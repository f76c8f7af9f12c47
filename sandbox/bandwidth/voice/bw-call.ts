// One Voice API call leg: its Bandwidth-level state, the party outside the platform (the caller that placed it,
// or the phone it rings), its media endpoint, and the callbacks sent about it.
import type { HangupCause, LegControl, LegSignals } from '../../calls/network';
import type { LegMedia } from '../../media/leg-media';
import type { Callback, TransferTarget } from './bxml';
import type { CallbackRecord } from './callbacks';

/** initiated → answered → disconnected (an unanswered call goes straight to disconnected). */
export type CallState = 'initiated' | 'answered' | 'disconnected';

export type DisconnectCause =
  | 'hangup'
  | 'busy'
  | 'timeout'
  | 'cancel'
  | 'rejected'
  | 'callback-error'
  | 'invalid-bxml'
  | 'application-error'
  | 'account-limit'
  | 'error';

export interface AppTarget {
  applicationId: string;
  initiate: Callback;
  status?: Callback;
  creds?: { userId: string; password?: string };
}

export type Party =
  | { kind: 'caller'; signals: LegSignals; answerSdp: Promise<string | undefined> }
  | { kind: 'callee'; control?: LegControl };

export interface BwCall {
  id: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  /** What placed the call: an outside phone, the In-App Calling gateway, or the platform (a transfer leg). */
  origin: 'phone' | 'in-app' | 'transfer' | 'api';
  app: AppTarget;
  state: CallState;
  startTime: number;
  answerTime?: number;
  endTime?: number;
  cause?: DisconnectCause;
  errorMessage?: string;
  uui?: string;
  tag?: string;
  party: Party;
  media: LegMedia;
  /** Bumped whenever the call's BXML is interrupted (redirect, new BXML, bridge, hang-up). */
  generation: number;
  wakers: Set<() => void>;
  bridgedWith?: string;
  /** The call whose <Bridge> joined this one (set on both legs of a bridge). */
  bridgeOwner?: string;
  bridgeComplete?: Callback;
  bridgeTargetComplete?: Callback;
  /** Set on a transfer (B) leg. */
  parentCallId?: string;
  transferTarget?: TransferTarget;
  transferCallerId?: string;
  /** Set on the A-leg while its <Transfer> runs: the B-legs and how it ended. */
  transfer?: { legs: string[]; winner?: string; done: (cause: DisconnectCause) => void };
  callbacks: CallbackRecord[];
  skippedVerbs: string[];
  /** Why a <PlayAudio> played nothing (fetch or format failures). */
  mediaErrors: string[];
  queue: Promise<unknown>;
  timer?: NodeJS.Timeout;
}

export function isOver(call: BwCall): boolean {
  return call.state === 'disconnected';
}

/** What the far side's hang-up reason becomes in `disconnect`/`transferComplete`. */
export function causeOf(cause: HangupCause, answered: boolean): DisconnectCause {
  switch (cause) {
    case 'USER_BUSY':
      return 'busy';
    case 'CALL_REJECTED':
      return 'rejected';
    case 'NO_ANSWER':
      return 'timeout';
    case 'ORIGINATOR_CANCEL':
      return 'cancel';
    case 'NORMAL_CLEARING':
      return answered ? 'hangup' : 'cancel';
    default:
      return 'error';
  }
}

/** What the party outside the platform hears when the platform ends its leg. */
export function hangupCauseFor(cause: DisconnectCause, answered: boolean): HangupCause {
  if (answered) return 'NORMAL_CLEARING';
  switch (cause) {
    case 'busy':
      return 'USER_BUSY';
    case 'rejected':
      return 'CALL_REJECTED';
    case 'timeout':
      return 'NO_ANSWER';
    case 'cancel':
      return 'ORIGINATOR_CANCEL';
    case 'hangup':
      return 'CALL_REJECTED';
    default:
      return 'NORMAL_TEMPORARY_FAILURE';
  }
}

export function callView(call: BwCall, farEnd?: { kind: string; state: string; stats: unknown; audioIn: unknown }) {
  return {
    id: call.id,
    direction: call.direction,
    origin: call.origin,
    from: call.from,
    to: call.to,
    applicationId: call.app.applicationId,
    state: call.state,
    startTime: new Date(call.startTime).toISOString(),
    answerTime: call.answerTime === undefined ? null : new Date(call.answerTime).toISOString(),
    endTime: call.endTime === undefined ? null : new Date(call.endTime).toISOString(),
    cause: call.cause ?? null,
    errorMessage: call.errorMessage ?? null,
    uui: call.uui ?? null,
    parentCallId: call.parentCallId ?? null,
    bridgedWith: call.bridgedWith ?? null,
    transferLegs: call.transfer?.legs ?? [],
    skippedVerbs: call.skippedVerbs,
    mediaErrors: call.mediaErrors,
    media: call.media.stats(),
    farEnd: farEnd ?? null,
    callbacks: call.callbacks,
  };
}
