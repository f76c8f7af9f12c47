// The boundary between the call model (calls/: Catapult call state, REST /calls, events, the
// simulated outside phones) and whoever signals a leg (sip/: browsers and softphones over WebSocket).
//
// The sandbox is not a media B2BUA: it passes SDP between the two ends of a bridged pair, so audio
// flows end to end. Catapult answers a caller's leg itself (autoAnswer) before transferring; here the
// REST state and events say `active` exactly as Catapult does, while the caller's SIP 200 OK waits for
// the transfer target's answer (documented fidelity gap).

export type HangupCause =
  | 'NORMAL_CLEARING'
  | 'ORIGINATOR_CANCEL'
  | 'USER_BUSY'
  | 'CALL_REJECTED'
  | 'UNALLOCATED_NUMBER'
  | 'NO_ANSWER'
  | 'NORMAL_TEMPORARY_FAILURE';

/** Implemented by the party that sent a leg into the model or was asked to ring; called by the model. */
export interface LegSignals {
  /** The far end is ringing (SIP 180). */
  ringing?(): void;
  /** Answered end to end. `sdp` answers this party's offer, or is the far end's offer when this party sent none. */
  answered(sdp?: string): void;
  /** The leg is over (far end hung up, rejected, timed out, or the API hung it up). */
  ended(cause: HangupCause): void;
}

/** Returned to the party; lets it end its side. */
export interface LegControl {
  hangUp(cause?: HangupCause): void;
  /** The party pressed keys (a SIP client's INFO DTMF); the platform hears them when it carries the leg's media. */
  dtmf?(digits: string): void;
}

export interface OriginateRequest {
  /** E.164 for outside callers; "sip:<name>@<realm>" for an endpoint. */
  from: string;
  /** As dialled: E.164, digits, or a sip: URI. */
  to: string;
  /** SDP offer when the caller has media. */
  offer?: string;
  signals: LegSignals;
  /** Set when a registered endpoint places the call (its application gets the events). */
  endpointId?: string;
}

export interface RingRequest {
  callId: string; // the Catapult leg being rung
  from: string; // caller id shown to the target
  to: string; // E.164 or sip: URI
  offer?: string; // the other side's SDP offer, if any
  signals: LegSignals; // the ringer reports ringing/answered/ended here
}

/** Something that can ring a target: the SIP side rings endpoints; the phone network rings outside numbers. */
export interface Ringer {
  /** Return undefined when this ringer does not handle `to`, so the next ringer is asked. */
  ring(request: RingRequest): LegControl | undefined;
}

export class CallRejected extends Error {
  constructor(
    readonly sipStatus: number, // e.g. 403, 404, 480, 503
    message: string,
  ) {
    super(message);
    this.name = 'CallRejected';
  }
}

export interface CallNetwork {
  /**
   * A call enters Catapult: from a registered endpoint, or from an outside phone to a number.
   * Creates the Catapult call (direction "in"), sends `incomingcall` (and `answer` when the application
   * auto-answers) to the application's incomingCallUrl. Throws CallRejected when nothing takes the call
   * (unknown number, endpoint without application, …).
   */
  originate(request: OriginateRequest): { callId: string } & LegControl;
  /** Ringers are asked in the order added. */
  addRinger(ringer: Ringer): void;
}
