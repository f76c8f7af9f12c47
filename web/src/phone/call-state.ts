// The phone's observable state: registration, the current call and a second call waiting. DOM-free, so Node
// tests can use it.

/**
 * Registration:
 *   offline ──start()──▶ connecting ──REGISTER 200──▶ registered
 *      ▲                    │  ▲                          │
 *      └──────stop()────────┘  └──socket lost / refresh───┘
 *   connecting ──REGISTER rejected──▶ failed (retried on the next token refresh or reconnect)
 */
export type RegistrationState = 'offline' | 'connecting' | 'registered' | 'failed';

/**
 * One call:
 *   outbound: dialing ──180──▶ ringing ──200──▶ active ──BYE──▶ ended
 *   inbound:  incoming ──answer()──▶ answering ──media up──▶ active ──BYE──▶ ended
 *   any state ──cancel / reject / failure──▶ ended (`outcome` says why)
 * `answering` lasts from the Answer click until the call is connected: a moment when the answer is a SIP 200
 * (Catapult), a call back through the network when it is an In-App Calling pickup (Bandwidth).
 * Hold (`held`, `remoteHeld`) and quality are properties of an active call, not states of their own.
 */
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'answering' | 'active' | 'ended';

/**
 * How a call ended, as a code; web/src/call-outcome.ts has the words, which the history uses too.
 * `failed` is the vague one: the network only said "not completed", and the app's history may know why.
 */
export type CallOutcome =
  | 'completed'
  | 'hung-up'
  | 'remote-hung-up'
  | 'cancelled'
  | 'missed'
  | 'declined'
  | 'busy'
  | 'no-answer'
  | 'unreachable'
  | 'invalid-number'
  | 'premium-rate'
  | 'toll-free-not-allowed'
  | 'number-type-not-allowed'
  | 'blocked-country'
  | 'self-call'
  | 'connection-lost'
  | 'mic-denied'
  | 'audio-failed'
  | 'not-allowed'
  | 'failed';

/** Twilio's thresholds: round-trip time over 400 ms, jitter over 30 ms, packet loss over 3 %, sustained. */
export type QualityWarning = 'latency' | 'jitter' | 'loss';

export interface CallQuality {
  warning?: QualityWarning;
  /** `lost`: no audio or ICE disconnected for a few seconds; `recovered`: back after a loss, for a moment. */
  connection: 'ok' | 'lost' | 'recovered';
}

export interface CallInfo {
  id: string;
  direction: 'inbound' | 'outbound';
  /** The other party: E.164 number or SIP URI. */
  peer: string;
  /** The other party's username, when the provider says who it is (a call from another user). */
  peerName?: string;
  state: CallState;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  /** Why it ended. */
  outcome?: CallOutcome;
  muted: boolean;
  /** This side put the call on hold / the other side did. */
  held: boolean;
  remoteHeld: boolean;
  quality?: CallQuality;
}

export interface PhoneState {
  registration: RegistrationState;
  registrationError?: string;
  /** The current call, or the last one (state `ended`) until the next begins. */
  call?: CallInfo;
  /** A second incoming call during the current one: decline it, or end the current call and answer it. */
  waiting?: CallInfo;
}
