// Phone context: one Phone per logged-in session, created after log-in and stopped at log-out.
// It owns the <audio autoplay> element the remote party plays through.
import { createContext, h, Fragment, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { routeAudio } from '../audio-tones';
import { createPhone } from '../phone/create-phone';
import type { Phone, PhoneState } from '../phone/phone';
import { useAudioDevices } from './use-audio-devices';
import { useSession } from './use-session';

export interface PhoneContextValue {
  phone: Phone | undefined;
  state: PhoneState;
  /** Counts the messages the phone heard were left this session: the voicemail list reloads on each. */
  voicemailsLeft: number;
}

const OFFLINE: PhoneState = { registration: 'offline' };
const PhoneContext = createContext<PhoneContextValue>({ phone: undefined, state: OFFLINE, voicemailsLeft: 0 });

export function PhoneProvider(props: { iceServers?: RTCIceServer[]; children: ComponentChildren }) {
  const { session, api } = useSession();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [value, setValue] = useState<Omit<PhoneContextValue, 'voicemailsLeft'>>({ phone: undefined, state: OFFLINE });
  const [voicemailsLeft, setVoicemailsLeft] = useState(0);
  // One phone per session, not per access token (that changes every few minutes); none for a session that
  // may only set up a passkey.
  const sessionId = session && session.passkeySetup !== 'required' ? session.sessionId : undefined;
  const username = session?.user.username;
  const number = session?.user.number;
  const { choice, inputs } = useAudioDevices();
  const inputRef = useRef(choice.input);
  // Read when a call starts, so a new choice applies to the next call; a device unplugged since falls back.
  inputRef.current = inputs.some((device) => device.deviceId === choice.input) ? choice.input : undefined;
  useEffect(() => {
    if (audioRef.current) routeAudio(audioRef.current, choice.output);
  }, [choice.output]);

  useEffect(() => {
    if (!sessionId || !username || !number || !audioRef.current) return undefined;
    const phone = createPhone({
      fetchToken: () => api.createWebRtcToken(),
      negotiateNotifications: () => api.negotiateNotifications(),
      declineCall: (callId) => api.declineCall(callId),
      user: { username, number },
      remoteAudio: audioRef.current,
      iceServers: props.iceServers,
      audioInput: () => inputRef.current,
      onVoicemail: () => setVoicemailsLeft((count) => count + 1),
    });
    const unsubscribe = phone.subscribe((state) => setValue({ phone, state }));
    setValue({ phone, state: phone.state });
    void phone.start(); // failures show in phone.state (the status badge); the phone retries by itself
    return () => {
      unsubscribe();
      phone.stop();
      setValue({ phone: undefined, state: OFFLINE });
    };
  }, [sessionId, username, number, api, props.iceServers]);

  return h(
    Fragment,
    null,
    h('audio', { ref: audioRef, autoplay: true, class: 'remote-audio', 'aria-hidden': 'true' }),
    h(PhoneContext.Provider, { value: { ...value, voicemailsLeft } }, props.children),
  );
}

export function usePhone(): PhoneContextValue {
  return useContext(PhoneContext);
}
