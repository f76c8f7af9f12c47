// The Phone the dialpad uses. start() fetches the calling credentials and lets their `provider` pick the
// connector (Catapult's endpoint token, or Bandwidth's In-App Calling); everything else is the same for both:
// the state, the checks before a call, mute, DTMF and the read-only test handle.
import JsSIP from 'jssip';
import { createCatapultConnector } from './catapult-phone';
import type { WebRtcTokenView } from '../../../core/api-types';
import { TOKEN_RETRY_MS, UNSUPPORTED_PROVIDER, type Connector, type ConnectorContext } from './connector';
import { exposeDebugHandle } from './debug-handle';
import { createInAppCallingConnector } from './in-app-calling-phone';
import { createCallControl } from './jssip-calls';
import { PhoneError, type Phone, type PhoneOptions, type PhoneRuntime } from './phone';
import { createPhoneStore } from './phone-store';

export function browserRuntime(): PhoneRuntime {
  return { JsSIP, WebSocket: globalThis.WebSocket };
}

export function createPhone(options: PhoneOptions, runtime: PhoneRuntime = browserRuntime()): Phone {
  const store = createPhoneStore();
  const calls = createCallControl(store, options);
  const context: ConnectorContext = { options, store, calls, runtime };
  let connector: Connector | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const phone: Phone = {
    get state() {
      return store.state;
    },
    subscribe: (listener) => store.subscribe(listener),
    async start() {
      if (connector || stopped) return;
      store.update({ registration: 'connecting' });
      let token;
      try {
        token = await options.fetchToken();
      } catch {
        // The provider or the API may be down for a moment: keep trying until it answers or we are stopped.
        store.update({ registration: 'failed', registrationError: 'Could not get calling credentials. Retrying…' });
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void phone.start(), TOKEN_RETRY_MS);
        return;
      }
      if (stopped || connector) return;
      connector = connectorFor(token, context);
      // A provider this dialpad has no connector for: retrying would not change that, so say so and stop.
      if (!connector) store.update({ registration: 'failed', registrationError: UNSUPPORTED_PROVIDER });
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      connector?.stop();
      store.update({ registration: 'offline', registrationError: undefined });
    },
    call(target) {
      if (!connector || store.state.registration !== 'registered')
        throw new PhoneError('not-registered', 'The phone is not connected yet.');
      if (calls.inCall) throw new PhoneError('busy', 'Hang up the current call first.');
      if (!/^\+?[0-9*#]+$/.test(target)) throw new PhoneError('invalid-target', 'That is not a number we can dial.');
      connector.call(target);
    },
    answer: () => connector?.answer(),
    decline: () => connector?.decline(),
    hangUp: () => connector?.hangUp(),
    setMuted: (muted) => calls.setMuted(muted),
    setHeld: (held) => connector?.setHeld(held),
    declineWaiting: () => connector?.declineWaiting(),
    answerWaiting: () => connector?.answerWaiting(),
    sendDtmf: (tones) => calls.sendDtmf(tones),
  };
  exposeDebugHandle({
    get peerConnection() {
      return calls.peerConnection;
    },
    get state() {
      return store.state;
    },
  });
  return phone;
}

/** The connector for the provider the server names, or none when this dialpad does not know it. */
function connectorFor(token: WebRtcTokenView, context: ConnectorContext): Connector | undefined {
  switch (token.provider) {
    case 'catapult':
      return createCatapultConnector(token, context);
    case 'bandwidth':
      return createInAppCallingConnector(token, context);
    default:
      return undefined; // the answer comes over the network: a newer server may name a provider this build lacks
  }
}
