// The phone's own sounds, synthesised with Web Audio so no audio file ships: the ringtone of an incoming call,
// the ringback while the far end rings (both the US cadence, 440 + 480 Hz, 2 s on / 4 s off) and a short beep
// for a call waiting during another. They play through an <audio> element fed by the Web Audio graph, because
// an element can be sent to a chosen output (setSinkId) in more browsers than an AudioContext can.
export type ToneKind = 'ring' | 'ringback' | 'waiting';

const TONES: Record<ToneKind, { frequencies: number[]; on: number; period: number; volume: number }> = {
  ring: { frequencies: [440, 480], on: 2, period: 6, volume: 0.12 },
  ringback: { frequencies: [440, 480], on: 2, period: 6, volume: 0.05 },
  waiting: { frequencies: [440], on: 0.3, period: 5, volume: 0.08 },
};

/** Where setSinkId exists (Chromium, Firefox 116+, Safari 18.4+): audio can go to a chosen output. */
export function canChooseOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Sends an element's sound to an output device; a device that is gone leaves it on the default one. */
export function routeAudio(element: HTMLMediaElement, deviceId: string | undefined): void {
  if (!canChooseOutput()) return;
  void element.setSinkId(deviceId ?? '').catch(() => element.setSinkId('').catch(() => undefined));
}

/** Starts a tone on `deviceId` (the default output when undefined); returns how to stop it. */
export function playTone(kind: ToneKind, deviceId?: string): () => void {
  const tone = TONES[kind];
  let context: AudioContext;
  try {
    context = new AudioContext();
  } catch {
    return () => undefined; // no Web Audio: the screen still shows the call
  }
  const gain = context.createGain();
  gain.gain.value = 0;
  const oscillators = tone.frequencies.map((frequency) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    return oscillator;
  });
  // Schedule a minute of cadence up front; a call rings for far less before it is answered or ends.
  const start = context.currentTime + 0.05;
  for (let at = start; at < start + 60; at += tone.period) {
    gain.gain.setValueAtTime(tone.volume, at);
    gain.gain.setValueAtTime(0, at + tone.on);
  }
  const element = document.createElement('audio');
  element.className = 'remote-audio';
  element.dataset.tone = kind;
  const sink = context.createMediaStreamDestination();
  gain.connect(sink);
  element.srcObject = sink.stream;
  routeAudio(element, deviceId);
  document.body.append(element);
  void context.resume().catch(() => undefined);
  void element.play().catch(() => undefined); // autoplay may need a gesture; the screen still shows the call
  return () => {
    for (const oscillator of oscillators) oscillator.stop();
    element.pause();
    element.srcObject = null;
    element.remove();
    void context.close().catch(() => undefined);
  };
}
