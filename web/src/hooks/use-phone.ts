// Phone context: one Phone per logged-in session, created after log-in and stopped at log-out.
// It owns the <audio autoplay> element the remote party plays through.
import { createContext, h, Fragment, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { createJsSipPhone } from '../phone/jssip-phone';
import type { Phone, PhoneState } from '../phone/phone';
import { useSession } from './use-session';

export interface PhoneContextValue {
  phone: Phone | undefined;
  state: PhoneState;
}

const OFFLINE: PhoneState = { registration: 'offline' };
const PhoneContext = createContext<PhoneContextValue>({ phone: undefined, state: OFFLINE });

export function PhoneProvider(props: { iceServers?: RTCIceServer[]; children: ComponentChildren }) {
  const { session, api } = useSession();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [value, setValue] = useState<PhoneContextValue>({ phone: undefined, state: OFFLINE });
  // One phone per session, not per access token (that changes every few minutes); none for a session that
  // may only set up a passkey.
  const sessionId = session && session.passkeySetup !== 'required' ? session.sessionId : undefined;

  useEffect(() => {
    if (!sessionId || !audioRef.current) return undefined;
    const phone = createJsSipPhone({
      fetchToken: () => api.createWebRtcToken(),
      remoteAudio: audioRef.current,
      iceServers: props.iceServers,
    });
    const unsubscribe = phone.subscribe((state) => setValue({ phone, state }));
    setValue({ phone, state: phone.state });
    void phone.start(); // failures show in phone.state (the status badge); the phone retries by itself
    return () => {
      unsubscribe();
      phone.stop();
      setValue({ phone: undefined, state: OFFLINE });
    };
  }, [sessionId, api, props.iceServers]);

  return h(
    Fragment,
    null,
    h('audio', { ref: audioRef, autoplay: true, class: 'remote-audio', 'aria-hidden': 'true' }),
    h(PhoneContext.Provider, { value }, props.children),
  );
}

export function usePhone(): PhoneContextValue {
  return useContext(PhoneContext);
}
