// Makes a call noticeable: rings (incoming) or plays ringback (outgoing, far end ringing) with the
// US cadence of 440 + 480 Hz, 2 s on / 4 s off, synthesised with WebAudio so no audio asset ships;
// and puts the call state in the tab title for when the dialpad is in a background tab.
import { useEffect } from 'preact/hooks';
import type { CallState } from '../phone/call-state';

const RING_ON_S = 2;
const RING_PERIOD_S = 6;
const RING_FREQUENCIES = [440, 480];

function startRinging(volume: number): () => void {
  let context: AudioContext;
  try {
    context = new AudioContext();
  } catch {
    return () => undefined; // no WebAudio: the visual alert still shows
  }
  const gain = context.createGain();
  gain.gain.value = 0;
  gain.connect(context.destination);
  const oscillators = RING_FREQUENCIES.map((frequency) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    return oscillator;
  });
  // Schedule a minute of cadence up front; a call rings for far less before it is answered or ends.
  const start = context.currentTime + 0.05;
  for (let at = start; at < start + 60; at += RING_PERIOD_S) {
    gain.gain.setValueAtTime(volume, at);
    gain.gain.setValueAtTime(0, at + RING_ON_S);
  }
  void context.resume().catch(() => undefined);
  return () => {
    for (const oscillator of oscillators) oscillator.stop();
    void context.close().catch(() => undefined);
  };
}

export function useCallAlert(state: CallState | undefined): void {
  useEffect(() => {
    if (state === 'incoming') return startRinging(0.12);
    if (state === 'ringing') return startRinging(0.05);
    return undefined;
  }, [state]);

  useEffect(() => {
    const base = 'Dialpad · Voice Reference App';
    const prefix =
      state === 'incoming'
        ? 'Incoming call'
        : state === 'ringing' || state === 'dialing'
          ? 'Calling…'
          : state === 'answering'
            ? 'Answering…'
            : state === 'active'
              ? 'In call'
              : '';
    document.title = prefix ? `${prefix} · ${base}` : base;
  }, [state]);
}
