// The voicemail side of a dialpad page in the browser tests: a tone recording to leave or to speak into the fake
// microphone, and what the Voicemail tab's player really sounds like (Web Audio on the element's stream).
import type { Page } from 'playwright-core';
import { wavFile } from '../../../core/voicemail/wav';
import { inPage } from './softphone-fixture';

const SAMPLE_RATE = 8000;

/** A mono 16-bit PCM WAV of a sine tone. */
export function toneWav(seconds: number, hz: number): Buffer {
  const samples = seconds * SAMPLE_RATE;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE)), i * 2);
  }
  return wavFile(pcm, { sampleRate: SAMPLE_RATE, channels: 1, bitsPerSample: 16, format: 1 });
}

/** The loudest frequency the voicemail player sounds with while it plays, and whether it played at all. */
export async function playedSignal(page: Page): Promise<{ peakHz: number; loudestDb: number }> {
  return inPage(
    page,
    `
    const element = document.querySelector('[data-testid="voicemail-player"]');
    if (!element) return { peakHz: 0, loudestDb: -Infinity };
    if (element.paused) await element.play();
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(element.captureStream()).connect(analyser);
    let peakHz = 0;
    let loudestDb = -Infinity;
    for (let sample = 0; sample < 10; sample++) {
      await new Promise((resolve) => setTimeout(resolve, 80));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      for (let bin = 1; bin < bins.length; bin++) {
        if (bins[bin] > loudestDb) {
          loudestDb = bins[bin];
          peakHz = (bin * context.sampleRate) / analyser.fftSize;
        }
      }
    }
    await context.close();
    return { peakHz, loudestDb };
  `,
  );
}
