// The dialpad's SIP/WebRTC layer as a small interface. Two implementations sit behind it, picked by the
// provider `POST /api/me/webrtc-token` names: Catapult's endpoint token over its SIP WebSocket, and
// Bandwidth's In-App Calling (JsSIP to its gateway, incoming calls announced on a notification channel).
// Nothing above this folder knows which one runs.
import type JsSIP from 'jssip';
import type { NotificationsAccess, WebRtcTokenView } from '../../../core/api-types';
import type { PhoneState } from './call-state';

export type {
  CallInfo,
  CallOutcome,
  CallQuality,
  CallState,
  PhoneState,
  QualityWarning,
  RegistrationState,
} from './call-state';

export interface PhoneOptions {
  /** Fetches fresh calling credentials (POST /api/me/webrtc-token); called at start and before expiry. */
  fetchToken(): Promise<WebRtcTokenView>;
  /** Where incoming calls are announced (POST /api/me/notifications/negotiate); used on Bandwidth only. */
  negotiateNotifications(): Promise<NotificationsAccess>;
  /** Declines a ringing call (POST /api/me/calls/{callId}/decline); used on Bandwidth only. */
  declineCall(callId: string): Promise<void>;
  /** The logged-in user: the username names the phone on the network, an answer calls the number back. */
  user: { username: string; number: string };
  /** Where remote audio plays; an `<audio autoplay>` element. */
  remoteAudio: HTMLAudioElement;
  /** STUN/TURN servers; [] on loopback/dev so ICE gathering never waits on the network. */
  iceServers?: RTCIceServer[];
  /**
   * The microphone chosen for calls (a deviceId), read when a call starts; the default one when undefined. Only a
   * device that is there now: it is insisted on (browsers ignore a merely preferred one), so a gone one would fail.
   */
  audioInput?(): string | undefined;
  /** A message was just left for the user (Bandwidth's channel says so; elsewhere the voicemail list polls). */
  onVoicemail?(): void;
}

/** The two JsSIP constructors the phone uses: the real ones by default, fakes in unit tests. */
export interface JsSipLibrary {
  UA: typeof JsSIP.UA;
  WebSocketInterface: typeof JsSIP.WebSocketInterface;
}

/** What the phone takes from its surroundings; the browser's by default, fakes in unit tests. */
export interface PhoneRuntime {
  JsSIP: JsSipLibrary;
  WebSocket: new (url: string) => WebSocket;
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
  /** Hold (a re-INVITE with a=sendonly) and resume the connected call. */
  setHeld(held: boolean): void;
  /** The second incoming call (`state.waiting`): decline it, or end the current call and answer it. */
  declineWaiting(): void;
  answerWaiting(): void;
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
