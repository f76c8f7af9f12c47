// Records the user's voicemail greeting as what both providers can play: a WAV of 8 kHz, 16-bit PCM, mono. The
// AudioContext itself runs at 8 kHz, so the browser resamples the microphone; a ScriptProcessorNode hands the
// samples over (an AudioWorklet would need a module script of its own under the page's strict CSP, for a few
// seconds of audio). The recording stops by itself at `maxSeconds`.

export interface GreetingRecording {
  /** Stops and returns the WAV. */
  stop(): Promise<Blob>;
  /** Stops and throws the audio away. */
  cancel(): void;
}

const SAMPLE_RATE = 8000;

export async function recordGreeting(options: {
  deviceId?: string;
  maxSeconds: number;
  /** Called once when the limit stopped the recording (`stop()` then returns what was recorded). */
  onLimit: () => void;
}): Promise<GreetingRecording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: options.deviceId ? { deviceId: { exact: options.deviceId } } : true,
  });
  const context = new AudioContext({ sampleRate: SAMPLE_RATE });
  const source = context.createMediaStreamSource(stream);
  const processor = context.createScriptProcessor(2048, 1, 1);
  const chunks: Float32Array[] = [];
  let samples = 0;
  let stopped = false;
  const limit = options.maxSeconds * SAMPLE_RATE;
  const release = () => {
    if (stopped) return;
    stopped = true;
    processor.disconnect();
    source.disconnect();
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  processor.onaudioprocess = (event) => {
    if (stopped) return;
    const chunk = event.inputBuffer.getChannelData(0).slice(0, limit - samples);
    chunks.push(chunk);
    samples += chunk.length;
    if (samples >= limit) {
      release();
      options.onLimit();
    }
  };
  source.connect(processor);
  processor.connect(context.destination); // a processor only runs while connected; it outputs silence
  return {
    async stop() {
      release();
      return wavBlob(chunks, samples);
    },
    cancel: release,
  };
}

function wavBlob(chunks: readonly Float32Array[], samples: number): Blob {
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const text = (at: number, value: string) => [...value].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples * 2, true);
  let at = 44;
  for (const chunk of chunks) {
    for (const sample of chunk) {
      view.setInt16(at, Math.round(Math.max(-1, Math.min(1, sample)) * 0x7fff), true);
      at += 2;
    }
  }
  return new Blob([view.buffer], { type: 'audio/wav' });
}
