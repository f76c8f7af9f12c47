// Bandwidth's connector: In-App Calling. JsSIP registers on Bandwidth's WebRTC gateway with
// `Authorization: Bearer <token>` on REGISTER and on every INVITE (as Bandwidth's own SDK does), and each call
// the dialpad places carries the app-signed caller token in `User-to-User`, which is how the app knows who is
// calling. Calls to the user's number do not arrive over SIP: the app parks them and announces them on the
// notification channel; Answer places an In-App call to the user's own number with the pickup token, and the
// app bridges it to the parked caller. Decline asks the API to end the parked call.
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
  let ringTimer: ReturnType<typeof setTimeout> | undefined;
  let cancelReRegister = () => undefined as void;
  let announced: IncomingCall | undefined;
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
    const shown = store.state.call;
    if (notification.type === 'call-ended') {
      if (shown?.id === notification.callId && shown.state === 'incoming') endAnnounced('Missed call');
      return;
    }
    // Busy here: leave it ringing for the user's other dialpads; the app ends it when nobody answers.
    if (calls.inCall) return;
    const left = Date.parse(notification.expiresAt) - Date.now();
    if (!(left > 0)) return; // announced too late to answer
    announced = notification;
    calls.show({ id: notification.callId, direction: 'inbound', peer: notification.from, state: 'incoming' });
    clearTimeout(ringTimer);
    ringTimer = setTimeout(() => {
      if (store.state.call?.id === notification.callId && store.state.call.state === 'incoming')
        endAnnounced('Missed call');
    }, left);
  }
  function endAnnounced(reason: string): void {
    clearTimeout(ringTimer);
    announced = undefined;
    calls.endShown(reason);
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
    answer() {
      const shown = store.state.call;
      if (!announced || shown?.state !== 'incoming' || shown.id !== announced.callId) return;
      clearTimeout(ringTimer);
      const headers = [bearerHeader(token.token), userToUserHeader(announced.pickupToken)];
      announced = undefined;
      // The pickup: a call to our own number that the app bridges to the parked caller; it becomes this call.
      calls.place(ua, uri(options.user.number), headers, {
        id: shown.id,
        direction: 'inbound',
        peer: shown.peer,
        state: 'answering',
      });
    },
    decline() {
      const shown = store.state.call;
      if (!announced || shown?.state !== 'incoming' || shown.id !== announced.callId) return;
      endAnnounced('Call declined');
      // If this fails the caller keeps hearing ringing until the app's 30 s limit ends the call: nothing to undo.
      options.declineCall(shown.id).catch(() => undefined);
    },
    hangUp: () => calls.hangUp([]),
    stop() {
      stopped = true;
      clearTimeout(refreshTimer);
      clearTimeout(ringTimer);
      cancelReRegister();
      channel.stop();
      calls.hangUp([]);
      ua.stop();
    },
  };
}
