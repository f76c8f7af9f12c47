// The dialpad's SIP/WebRTC layer as a small interface, so the JsSIP implementation can be swapped
// (docs/contracts/catapult-v1.md §16: Catapult's browser gateway is withdrawn; a replacement would sit behind this).
import type { WebRtcTokenView } from '../../../core/api-types';
import type { PhoneState } from './call-state';

export type { CallInfo, CallState, PhoneState, RegistrationState } from './call-state';

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
  /** Connects and registers; while no token can be fetched it retries every 10 s until stop(). */
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
