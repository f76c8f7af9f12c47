// Bandwidth's connector: In-App Calling. JsSIP registers on Bandwidth's WebRTC gateway with
// `Authorization: Bearer <token>` on REGISTER and on every INVITE (as Bandwidth's own SDK does), and each call
// the dialpad places carries the app-signed caller token in `User-to-User`, which is how the app knows who is
// calling. Calls to the user's number do not arrive over SIP: the app parks them and announces them on the
// notification channel; Answer places an In-App call to the user's own number with the pickup token, and the
// app bridges it to the parked caller. Decline asks the API to end the parked call. One announced during a call
// waits: declined the same way, or answered after the current call ends.
import type { RTCSessionEvent, UA } from 'jssip/lib/UA';
import type { BandwidthWebRtcToken, CallNotification } from '../../../core/api-types';
import { createUa, reRegister, TOKEN_RETRY_MS, type Connector, type ConnectorContext } from './connector';
import { createNotificationChannel } from './notification-channel';
import { earliestExpiry, tokenRefreshDelay } from './token-refresh';
import { bearerHeader, userToUserHeader } from './user-to-user';

type IncomingCall = Extract<CallNotification, { type: 'incoming-call' }>;
type SipRegistration = 'connecting' | 'registered' | 'failed';

export function createInAppCallingConnector(first: BandwidthWebRtcToken, context: ConnectorContext): Connector {
  const { options, store, calls } = context;
  let token = first;
  let sip: SipRegistration = 'connecting';
  let sipError: string | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let cancelReRegister = () => undefined as void;
  /** Announced calls still ringing, by call id: the current incoming call and at most one waiting. */
  const announced = new Map<string, { call: IncomingCall; ringTimer: ReturnType<typeof setTimeout> }>();
  let stopped = false;
  const uri = (user: string) => `sip:${user}@${token.sipDomain}`;

  /** Ready means both: the gateway took our REGISTER and the channel that announces incoming calls is open. */
  function report(): void {
    if (stopped) return;
    if (sip === 'failed') store.update({ registration: 'failed', registrationError: sipError });
    else if (sip === 'registered' && channel.open)
      store.update({ registration: 'registered', registrationError: undefined });
    else
      store.update({
        registration: 'connecting',
        registrationError: sip === 'registered' ? 'Connecting to incoming calls…' : sipError,
      });
  }
  function setSip(next: SipRegistration, error?: string): void {
    sip = next;
    sipError = error;
    report();
  }

  function scheduleRefresh(delay: number): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshToken(), delay);
  }
  const refreshDelay = () => tokenRefreshDelay(earliestExpiry(token.expiresAt, token.callerTokenExpiresAt), Date.now());

  async function refreshToken(): Promise<void> {
    if (stopped) return;
    try {
      const next = await options.fetchToken();
      if (next.provider !== 'bandwidth') throw new Error('the deployment changed provider');
      token = next;
    } catch {
      scheduleRefresh(TOKEN_RETRY_MS); // a 401 logs the user out (and stops us) through the API client
      return;
    }
    if (stopped) return;
    cancelReRegister();
    cancelReRegister = reRegister(ua, [bearerHeader(token.token)], () => stopped);
    scheduleRefresh(refreshDelay());
  }

  function onNotification(notification: CallNotification): void {
    if (notification.type === 'voicemail') {
      options.onVoicemail?.();
      return;
    }
    if (notification.type === 'call-ended') {
      if (!announced.has(notification.callId)) return;
      forget(notification.callId);
      if (store.state.waiting?.id === notification.callId) calls.showWaiting(undefined);
      else if (store.state.call?.id === notification.callId && store.state.call.state === 'incoming')
        calls.endShown('missed');
      return;
    }
    // During a call one more waits (the person decides); beyond that, leave it ringing on the user's other dialpads.
    if (calls.inCall && store.state.waiting) return;
    const left = Date.parse(notification.expiresAt) - Date.now();
    if (!(left > 0)) return; // announced too late to answer
    const { callId } = notification;
    if (announced.has(callId)) return; // announced again: it rings already
    const shown = {
      id: callId,
      direction: 'inbound' as const,
      peer: notification.from,
      state: 'incoming' as const,
      ...(notification.fromUsername ? { peerName: notification.fromUsername } : {}),
    };
    const ringTimer = setTimeout(() => {
      forget(callId);
      if (store.state.waiting?.id === callId) calls.showWaiting(undefined);
      else if (store.state.call?.id === callId && store.state.call.state === 'incoming') calls.endShown('missed');
    }, left);
    announced.set(callId, { call: notification, ringTimer });
    if (calls.inCall) calls.showWaiting(shown);
    else calls.show(shown);
  }
  function forget(callId: string): IncomingCall | undefined {
    const entry = announced.get(callId);
    if (entry) clearTimeout(entry.ringTimer);
    announced.delete(callId);
    return entry?.call;
  }
  /** The pickup: a call to our own number that the app bridges to the parked caller; it becomes this call. */
  function pickUp(): void {
    const shown = store.state.call;
    if (shown?.state !== 'incoming') return;
    const call = forget(shown.id);
    if (!call) return;
    const headers = [bearerHeader(token.token), userToUserHeader(call.pickupToken)];
    calls.place(ua, uri(options.user.number), headers, {
      id: shown.id,
      direction: 'inbound',
      peer: shown.peer,
      state: 'answering',
    });
  }
  /** Declines by asking the API to end the parked call. */
  function refuse(callId: string): void {
    forget(callId);
    // If this fails the caller keeps hearing ringing until the app's 30 s limit ends the call: nothing to undo.
    options.declineCall(callId).catch(() => undefined);
  }

  const channel = createNotificationChannel({
    negotiate: () => options.negotiateNotifications(),
    onNotification,
    onOpenChange: () => report(),
    WebSocket: context.runtime.WebSocket,
  });

  const ua: UA = createUa(context.runtime, token.websocketUrl, uri(options.user.username));
  ua.registrator().setExtraHeaders([bearerHeader(token.token)]);
  ua.on('connecting', () => {
    if (sip !== 'registered') setSip('connecting', sipError);
  });
  ua.on('connected', () => ua.register());
  ua.on('disconnected', () => setSip('connecting', 'Reconnecting…'));
  ua.on('registered', () => setSip('registered'));
  ua.on('unregistered', () => {
    if (!stopped) setSip('connecting');
  });
  ua.on('registrationFailed', (event) => {
    setSip('failed', `Registration failed: ${event.cause ?? 'unknown reason'}`);
    scheduleRefresh(TOKEN_RETRY_MS); // a rejected token is the usual cause: fetch a fresh one and try again
  });
  ua.on('newRTCSession', (event: RTCSessionEvent) => {
    // The gateway delivers no calls to browsers (the app announces them instead): refuse anything that comes.
    if (event.originator === ('remote' as typeof event.originator))
      event.session.terminate({ status_code: 480, reason_phrase: 'Temporarily Unavailable' });
  });
  ua.start();
  channel.start();
  scheduleRefresh(refreshDelay());

  return {
    call(target) {
      const headers = [bearerHeader(token.token), userToUserHeader(token.callerToken)];
      calls.place(ua, uri(target), headers, { direction: 'outbound', peer: target, state: 'dialing' });
    },
    answer: pickUp,
    decline() {
      const shown = store.state.call;
      if (shown?.state !== 'incoming' || !announced.has(shown.id)) return;
      refuse(shown.id);
      calls.endShown('declined');
    },
    hangUp: () => calls.hangUp([]),
    setHeld: (held) => calls.setHeld(held, [bearerHeader(token.token)]),
    declineWaiting() {
      const waiting = store.state.waiting;
      if (!waiting || !announced.has(waiting.id)) return;
      calls.showWaiting(undefined);
      refuse(waiting.id);
    },
    answerWaiting() {
      const waiting = store.state.waiting;
      if (!waiting || !announced.has(waiting.id)) return;
      calls.hangUp([]); // the current call ends, and the waiting one becomes the incoming call (jssip-calls.ts)
      if (store.state.call?.id === waiting.id) pickUp();
    },
    stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      for (const callId of [...announced.keys()]) forget(callId);
      cancelReRegister();
      channel.stop();
      calls.hangUp([]);
      ua.stop();
    },
  };
}
