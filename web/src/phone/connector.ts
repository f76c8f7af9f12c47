// What each provider's connector does behind the Phone facade (create-phone.ts): connect, keep its
// credentials fresh, and place, answer and decline calls its own way. Mute, DTMF and the call's media are
// the same for both (jssip-calls.ts).
import type JsSIP from 'jssip';
import type { UA } from 'jssip/lib/UA';
import type { CallControl } from './jssip-calls';
import type { PhoneOptions, PhoneRuntime } from './phone';
import type { PhoneStore } from './phone-store';

export interface Connector {
  call(target: string): void;
  answer(): void;
  decline(): void;
  hangUp(): void;
  setHeld(held: boolean): void;
  /** The second incoming call: decline it, or end the current call and answer it. */
  declineWaiting(): void;
  answerWaiting(): void;
  stop(): void;
}

export interface ConnectorContext {
  options: PhoneOptions;
  store: PhoneStore;
  calls: CallControl;
  runtime: PhoneRuntime;
}

/** When a refresh or a start fails, try again after this long. */
export const TOKEN_RETRY_MS = 10_000;
/** What the dialpad says when the server names a provider it has no connector for (a newer server, say). */
export const UNSUPPORTED_PROVIDER = 'This dialpad cannot place calls on the server’s phone provider.';
const RE_REGISTER_DELAY_MS = 2_000;

/** A UA with the settings both gateways take; the caller adds its own listeners and starts it. */
export function createUa(runtime: PhoneRuntime, websocketUrl: string, uri: string): UA {
  return new runtime.JsSIP.UA({
    sockets: [new runtime.JsSIP.WebSocketInterface(websocketUrl)],
    uri,
    register: false, // registered on 'connected', after the credential header is set
    session_timers: false,
    // After a network loss JsSIP reconnects by itself (then 'connected' re-registers); cap its back-off
    // at 10 s instead of 30 s so a phone coming back online is reachable again quickly.
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 10,
    user_agent: 'VoiceReferenceDialpad',
  } satisfies ConstructorParameters<typeof JsSIP.UA>[0]);
}

/**
 * Registers again with new credential headers. JsSIP ignores register() while its own refresh REGISTER is
 * in flight (Registrator._registering), which would leave the old credential registered: repeat once, after
 * any such REGISTER has finished. Returns a cancel function.
 */
export function reRegister(ua: UA, headers: string[], isStopped: () => boolean): () => void {
  ua.registrator().setExtraHeaders(headers);
  if (!ua.isConnected()) return () => undefined; // 'connected' registers with the new headers anyway
  ua.register();
  const timer = setTimeout(() => {
    if (!isStopped() && ua.isConnected()) ua.register();
  }, RE_REGISTER_DELAY_MS);
  return () => clearTimeout(timer);
}
