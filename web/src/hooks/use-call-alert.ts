// Makes a call noticeable: the ringtone (incoming, on the ringtone output), the ringback (outgoing while the far
// end rings, on the speaker), a short beep for a second call waiting; and the call state in the tab title for
// when the dialpad is in a background tab. The sounds themselves are in audio-tones.ts.
import { useEffect } from 'preact/hooks';
import { playTone } from '../audio-tones';
import type { PhoneState } from '../phone/phone';
import { useAudioDevices } from './use-audio-devices';

const TITLES: Partial<Record<string, string>> = {
  incoming: 'Incoming call',
  dialing: 'Calling…',
  ringing: 'Calling…',
  answering: 'Answering…',
  active: 'In call',
};

export function useCallAlert(state: PhoneState): void {
  const { choice } = useAudioDevices();
  const callState = state.call?.state;
  const waiting = state.waiting !== undefined;
  useEffect(() => {
    if (callState === 'incoming') return playTone('ring', choice.ringtone);
    if (callState === 'ringing') return playTone('ringback', choice.output);
    if (callState === 'active' && waiting) return playTone('waiting', choice.output);
    return undefined;
  }, [callState, waiting, choice.ringtone, choice.output]);

  useEffect(() => {
    const base = 'Dialpad · Voice Reference App';
    const prefix = TITLES[waiting ? 'incoming' : (callState ?? '')];
    document.title = prefix ? `${prefix} · ${base}` : base;
  }, [callState, waiting]);
}
