// The dialpad's SIP/WebRTC layer as a small interface, so the JsSIP implementation can be swapped
// (catapult-v1.md §16: Catapult's browser gateway is withdrawn; a replacement would sit behind this).
import type { WebRtcTokenView } from '../../../core/api-types';

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
 *   inbound:  incoming ──answer()──▶ active ──BYE──▶ ended
 *   any state ──cancel / reject / failure──▶ ended (endReason says why)
 */
export type CallState = 'dialing' | 'ringing' | 'incoming' | 'active' | 'ended';

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

export interface PhoneOptions {
  /** Fetches a fresh endpoint token (POST /api/me/webrtc-token); called at start and before expiry. */
  fetchToken(): Promise<WebRtcTokenView>;
  /** Where remote audio plays; an `<audio autoplay>` element. */
  remoteAudio: HTMLAudioElement;
  /** STUN/TURN servers; [] on loopback/dev so ICE gathering never waits on the network. */
  iceServers?: RTCIceServer[];
}

export interface Phone {
  readonly state: PhoneState;
  subscribe(listener: (state: PhoneState) => void): () => void;
  /** Connects and registers. Rejects when the first token cannot be fetched. */
  start(): Promise<void>;
  /** Hangs up, unregisters and disconnects. The phone cannot be started again. */
  stop(): void;
  /** Places a call to an E.164 number (or SIP user). Throws when not registered or already in a call. */
  call(target: string): void;
  answer(): void;
  decline(): void;
  hangUp(): void;
  setMuted(muted: boolean): void;
  /** In-band DTMF through the peer connection (RTCDTMFSender); false when no call can take it. */
  sendDtmf(tones: string): boolean;
}

/** Read-only handle for browser tests: `window.__dialpad.peerConnection` for getStats(). */
export interface DialpadDebugHandle {
  readonly peerConnection: RTCPeerConnection | undefined;
  readonly state: PhoneState;
}

export class PhoneError extends Error {
  constructor(
    readonly code: 'not-registered' | 'busy' | 'invalid-target',
    message: string,
  ) {
    super(message);
    this.name = 'PhoneError';
  }
}
