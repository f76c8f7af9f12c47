// Catapult's connector: token auth on Catapult's SIP WebSocket. The UA has a `uri` and no password; every
// REGISTER, INVITE, answer and BYE carries `X-Callsign-Token: <token>`, refreshed before it expires. Calls to
// the user's number arrive as SIP INVITEs on this UA; one arriving during a call waits (see jssip-calls.ts).
import type { RTCSessionEvent, UA } from 'jssip/lib/UA';
import type { CatapultWebRtcToken } from '../../../core/api-types';
import {
  createUa,
  reRegister,
  TOKEN_RETRY_MS,
  UNSUPPORTED_PROVIDER,
  type Connector,
  type ConnectorContext,
} from './connector';
import { tokenRefreshDelay } from './token-refresh';

export function createCatapultConnector(first: CatapultWebRtcToken, context: ConnectorContext): Connector {
  const { options, store, calls } = context;
  let token = first;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let cancelReRegister = () => undefined as void;
  let stopped = false;
  const authHeaders = (): string[] => [`${token.headerName}: ${token.token}`];

  function scheduleRefresh(delay: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshToken(), delay);
  }

  async function refreshToken(): Promise<void> {
    if (stopped) return;
    try {
      const next = await options.fetchToken();
      // This connector speaks Catapult's endpoint-token registration only; a deployment does not change
      // provider under a running dialpad, so treat such an answer as a failed refresh.
      if (next.provider !== 'catapult') throw new Error(UNSUPPORTED_PROVIDER);
      token = next;
    } catch {
      // Keep the current registration; a 401 logs the user out (and stops us) through the API client.
      scheduleRefresh(TOKEN_RETRY_MS);
      return;
    }
    if (stopped) return;
    cancelReRegister();
    cancelReRegister = reRegister(ua, authHeaders(), () => stopped);
    scheduleRefresh(tokenRefreshDelay(token.expiresAt, Date.now()));
  }

  function onNewSession(event: RTCSessionEvent): void {
    if (event.originator !== ('remote' as typeof event.originator)) return; // outgoing ones are set up in call()
    const incoming = event.session;
    const peer = incoming.remote_identity.uri.user ?? incoming.remote_identity.uri.toString();
    if (!calls.inCall) return calls.ringIncoming(incoming, peer);
    // One call waits while the current one goes on (the person decides); a third is busy.
    if (store.state.waiting)
      incoming.terminate({ status_code: 486, reason_phrase: 'Busy Here', extraHeaders: authHeaders() });
    else calls.waitIncoming(incoming, peer);
  }

  const ua: UA = createUa(context.runtime, token.websocketUrl, token.sipUri);
  ua.registrator().setExtraHeaders(authHeaders());
  ua.on('connecting', () => {
    if (store.state.registration !== 'registered') store.update({ registration: 'connecting' });
  });
  ua.on('connected', () => ua.register());
  ua.on('disconnected', () => store.update({ registration: 'connecting', registrationError: 'Reconnecting…' }));
  ua.on('registered', () => store.update({ registration: 'registered', registrationError: undefined }));
  ua.on('unregistered', () => {
    if (!stopped) store.update({ registration: 'connecting' });
  });
  ua.on('registrationFailed', (event) => {
    store.update({
      registration: 'failed',
      registrationError: `Registration failed: ${event.cause ?? 'unknown reason'}`,
    });
    // A rejected token is the usual cause: fetch a fresh one and try again.
    scheduleRefresh(TOKEN_RETRY_MS);
  });
  ua.on('newRTCSession', onNewSession);
  ua.start();
  scheduleRefresh(tokenRefreshDelay(token.expiresAt, Date.now()));

  return {
    call(target) {
      calls.place(ua, target, authHeaders(), { direction: 'outbound', peer: target, state: 'dialing' });
    },
    answer: () => calls.answerIncoming(authHeaders()),
    decline: () => calls.rejectIncoming(603, 'Decline', authHeaders()),
    hangUp: () => calls.hangUp(authHeaders()),
    setHeld: (held) => calls.setHeld(held, authHeaders()),
    declineWaiting: () => calls.rejectWaiting(603, 'Decline', authHeaders()),
    answerWaiting: () => calls.takeWaiting(authHeaders()),
    stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      cancelReRegister();
      calls.hangUp(authHeaders());
      ua.stop();
    },
  };
}
