// The Phone interface on JsSIP 3.13: the only module that imports JsSIP.
// Catapult token auth (docs/contracts/catapult-v1.md §10): the UA has a `uri` and no password; every REGISTER,
// INVITE, answer and BYE carries `X-Callsign-Token: <token>`. The token is refreshed before it expires.
import JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent, UA } from 'jssip/lib/UA';
import type { CatapultWebRtcToken, WebRtcTokenView } from '../../../core/api-types';
import { endReasonText } from './end-reason';
import { exposeDebugHandle } from './debug-handle';
import { tokenRefreshDelay } from './token-refresh';
import { PhoneError, type CallInfo, type Phone, type PhoneOptions, type PhoneState } from './phone';

const TOKEN_RETRY_MS = 10_000;
const RE_REGISTER_DELAY_MS = 2_000;
/**
 * JsSIP waits for ICE gathering to finish before sending SDP; cap that wait (docs/contracts/webrtc-testing.md §5.1).
 */
const ICE_GATHERING_CAP_MS = 1_000;
const UNSUPPORTED_PROVIDER = 'This dialpad cannot place calls on the server’s phone provider.';

/** The two JsSIP constructors this module uses: the real ones by default, fakes in unit tests. */
export interface JsSipLibrary {
  UA: typeof JsSIP.UA;
  WebSocketInterface: typeof JsSIP.WebSocketInterface;
}

export function createJsSipPhone(options: PhoneOptions, jssip: JsSipLibrary = JsSIP): Phone {
  const listeners = new Set<(state: PhoneState) => void>();
  let state: PhoneState = { registration: 'offline' };
  let token: CatapultWebRtcToken | undefined;
  let ua: UA | undefined;
  let session: RTCSession | undefined;
  let peerConnection: RTCPeerConnection | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let reRegisterTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const mediaConstraints = { audio: true, video: false };
  const pcConfig = (): RTCConfiguration => ({ iceServers: options.iceServers ?? [] });
  const authHeaders = (): string[] => (token ? [`${token.headerName}: ${token.token}`] : []);

  function update(change: Partial<PhoneState>): void {
    state = { ...state, ...change };
    for (const listener of listeners) listener(state);
  }
  function updateCall(change: Partial<CallInfo>): void {
    if (state.call) update({ call: { ...state.call, ...change } });
  }

  function scheduleRefresh(delay: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshToken(), delay);
  }

  async function refreshToken(): Promise<void> {
    if (stopped) return;
    try {
      token = catapultToken(await options.fetchToken());
    } catch {
      // Keep the current registration; a 401 logs the user out (and stops us) through the API client.
      scheduleRefresh(TOKEN_RETRY_MS);
      return;
    }
    if (stopped || !ua) return;
    ua.registrator().setExtraHeaders(authHeaders());
    if (ua.isConnected()) {
      ua.register(); // when disconnected, 'connected' registers with the new header anyway
      // JsSIP ignores register() while its own refresh REGISTER is in flight (Registrator._registering),
      // which would leave the old token registered: repeat once, after any such REGISTER has finished.
      clearTimeout(reRegisterTimer);
      reRegisterTimer = setTimeout(() => {
        if (!stopped && ua?.isConnected()) ua.register();
      }, RE_REGISTER_DELAY_MS);
    }
    scheduleRefresh(tokenRefreshDelay(token.expiresAt, Date.now()));
  }

  function attachPeerConnection(connection: RTCPeerConnection): void {
    peerConnection = connection;
    connection.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      options.remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      void options.remoteAudio.play().catch(() => undefined); // autoplay may need a gesture; the call still works
    });
  }

  function watchSession(current: RTCSession): void {
    current.on('peerconnection', (event) => attachPeerConnection(event.peerconnection));
    current.on('icecandidate', (event) => {
      setTimeout(() => event.ready(), ICE_GATHERING_CAP_MS);
    });
    current.on('progress', () => {
      if (current === session && state.call?.state === 'dialing') updateCall({ state: 'ringing' });
    });
    current.on('confirmed', () => {
      if (current === session) updateCall({ state: 'active', answeredAt: Date.now() });
    });
    const finish = (cause: string | undefined, originator: string) => {
      if (current !== session) return;
      session = undefined;
      peerConnection = undefined;
      options.remoteAudio.srcObject = null;
      const call = state.call;
      updateCall({ state: 'ended', endedAt: Date.now(), endReason: endReasonText(cause, originator, call) });
    };
    current.on('ended', (event) => finish(event.cause, event.originator));
    current.on('failed', (event) => finish(event.cause, event.originator));
  }

  function onNewSession(event: RTCSessionEvent): void {
    if (!isRemote(event.originator)) return; // outgoing sessions are set up in call()
    const incoming = event.session;
    if (session) {
      incoming.terminate({ status_code: 486, reason_phrase: 'Busy Here', extraHeaders: authHeaders() });
      return;
    }
    session = incoming;
    watchSession(incoming);
    update({
      call: {
        id: incoming.id,
        direction: 'inbound',
        peer: incoming.remote_identity.uri.user ?? incoming.remote_identity.uri.toString(),
        state: 'incoming',
        startedAt: Date.now(),
        muted: false,
      },
    });
  }

  function createUa(current: CatapultWebRtcToken): UA {
    const agent = new jssip.UA({
      sockets: [new jssip.WebSocketInterface(current.websocketUrl)],
      uri: current.sipUri,
      register: false, // registered on 'connected', after the token header is set
      session_timers: false,
      // After a network loss JsSIP reconnects by itself (then 'connected' re-registers); cap its back-off
      // at 10 s instead of 30 s so a phone coming back online is reachable again quickly.
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 10,
      user_agent: 'VoiceReferenceDialpad',
    });
    agent.registrator().setExtraHeaders(authHeaders());
    agent.on('connecting', () => {
      if (state.registration !== 'registered') update({ registration: 'connecting' });
    });
    agent.on('connected', () => agent.register());
    agent.on('disconnected', () => update({ registration: 'connecting', registrationError: 'Reconnecting…' }));
    agent.on('registered', () => update({ registration: 'registered', registrationError: undefined }));
    agent.on('unregistered', () => {
      if (!stopped) update({ registration: 'connecting' });
    });
    agent.on('registrationFailed', (event) => {
      update({ registration: 'failed', registrationError: `Registration failed: ${event.cause ?? 'unknown reason'}` });
      // A rejected token is the usual cause: fetch a fresh one and try again.
      scheduleRefresh(TOKEN_RETRY_MS);
    });
    agent.on('newRTCSession', onNewSession);
    return agent;
  }

  const phone: Phone = {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (ua || stopped) return;
      update({ registration: 'connecting' });
      let fetched: WebRtcTokenView;
      try {
        fetched = await options.fetchToken();
      } catch {
        // Catapult or the API may be down for a moment: keep trying until it answers or we are stopped.
        update({ registration: 'failed', registrationError: 'Could not get calling credentials. Retrying…' });
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void phone.start(), TOKEN_RETRY_MS);
        return;
      }
      if (stopped) return;
      if (fetched.provider !== 'catapult') {
        // The server runs on a provider this connector does not speak: retrying would not change that.
        update({ registration: 'failed', registrationError: UNSUPPORTED_PROVIDER });
        return;
      }
      token = fetched;
      ua = createUa(token);
      ua.start();
      scheduleRefresh(tokenRefreshDelay(token.expiresAt, Date.now()));
    },
    stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      clearTimeout(reRegisterTimer);
      session?.terminate({ extraHeaders: authHeaders() });
      session = undefined;
      ua?.stop();
      update({ registration: 'offline', registrationError: undefined });
    },
    call(target) {
      if (!ua || state.registration !== 'registered')
        throw new PhoneError('not-registered', 'The phone is not connected yet.');
      if (session) throw new PhoneError('busy', 'Hang up the current call first.');
      if (!/^\+?[0-9*#]+$/.test(target)) throw new PhoneError('invalid-target', 'That is not a number we can dial.');
      const outgoing = ua.call(target, {
        extraHeaders: authHeaders(),
        mediaConstraints,
        pcConfig: pcConfig(),
        // Set here, not in newRTCSession: for outgoing calls it fires before that event (JsSIP #521).
        eventHandlers: { peerconnection: (event) => attachPeerConnection(event.peerconnection) },
      });
      session = outgoing;
      watchSession(outgoing);
      update({
        call: {
          id: outgoing.id,
          direction: 'outbound',
          peer: target,
          state: 'dialing',
          startedAt: Date.now(),
          muted: false,
        },
      });
    },
    answer() {
      if (session && state.call?.state === 'incoming') {
        session.answer({ extraHeaders: authHeaders(), mediaConstraints, pcConfig: pcConfig() });
      }
    },
    decline() {
      if (session && state.call?.state === 'incoming') {
        session.terminate({ status_code: 603, reason_phrase: 'Decline', extraHeaders: authHeaders() });
      }
    },
    hangUp() {
      session?.terminate({ extraHeaders: authHeaders() });
    },
    setMuted(muted) {
      if (!session || state.call?.state !== 'active') return;
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
      updateCall({ muted });
    },
    sendDtmf(tones) {
      // SIP INFO DTMF does not work with Catapult (docs/contracts/catapult-v1.md §10): send RFC 4733 tones in-band.
      const sender = peerConnection?.getSenders().find((candidate) => candidate.track?.kind === 'audio');
      if (!sender?.dtmf || state.call?.state !== 'active') return false;
      sender.dtmf.insertDTMF(tones, 120, 70);
      return true;
    },
  };
  exposeDebugHandle({
    get peerConnection() {
      return peerConnection;
    },
    get state() {
      return state;
    },
  });
  return phone;
}

/** JsSIP declares `Originator` as a type-only enum: at run time it is the string 'local', 'remote' or 'system'. */
function isRemote(originator: string): boolean {
  return originator === 'remote';
}

/** This connector speaks Catapult's endpoint-token registration only (a refresh never changes the provider). */
function catapultToken(token: WebRtcTokenView): CatapultWebRtcToken {
  if (token.provider !== 'catapult') throw new Error(UNSUPPORTED_PROVIDER);
  return token;
}
