// The phone's observable state: registration and the current call. DOM-free, so Node tests can use it.

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
 *   any state ──cancel / reject / failure──▶ ended (endReason says why)
 * `answering` lasts from the Answer click until the call is connected: a moment when the answer is a SIP 200
 * (Catapult), a call back through the network when it is an In-App Calling pickup (Bandwidth).
 */
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'answering' | 'active' | 'ended';

export interface CallInfo {
  id: string;
  direction: 'inbound' | 'outbound';
  /** The other party: E.164 number or SIP URI. */
  peer: string;
  state: CallState;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  /** Why it ended, readable: "Busy", "No answer", "Call declined", … */
  endReason?: string;
  muted: boolean;
}

export interface PhoneState {
  registration: RegistrationState;
  registrationError?: string;
  /** The current call, or the last one (state `ended`) until the next begins. */
  call?: CallInfo;
}
