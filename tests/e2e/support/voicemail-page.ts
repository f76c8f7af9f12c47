// The voicemail side of a dialpad page in the browser tests: a tone recording to leave or to speak into the fake
// microphone, and what the Voicemail tab's player really sounds like (Web Audio on the element's stream).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { wavFile, wavFormat } from '../../../core/voicemail/wav';
import { waitFor } from './chromium';
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

/** Writes a tone WAV for Chromium's fake microphone (`--use-file-for-fake-audio-capture`, which loops it). */
export function fakeMicrophoneFile(hz: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vra-mic-')), `tone-${hz}.wav`);
  writeFileSync(path, toneWav(2, hz));
  return path;
}

/**
 * How much of a 16-bit PCM WAV's energy is at `hz` (Goertzel), 0–1: a recording of the fake microphone's tone
 * scores near 1, silence or another tone near 0.
 */
export function toneShare(wav: Buffer, hz: number): number {
  const format = wavFormat(wav);
  if (!format || format.bitsPerSample !== 16) return 0;
  const data = wav.subarray(wav.length - Math.round(format.durationSeconds * format.sampleRate) * 2);
  const samples = data.length / 2;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / format.sampleRate);
  let [s1, s2, total] = [0, 0, 0];
  for (let i = 0; i < samples; i++) {
    const x = data.readInt16LE(i * 2) / 32768;
    const s0 = x + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return total === 0 ? 0 : Math.min(1, (2 * power) / (samples * total));
}

/** Waits for one unread message counted on the Voicemail tab, opens the tab, and returns its one list item. */
export async function openVoicemailTab(page: Page) {
  const badge = page.getByTestId('tab-badge-voicemail');
  await waitFor(async () => (await badge.count()) === 1 && /^1\b/.test(await badge.innerText()), {
    description: 'one unread message on the Voicemail tab',
  });
  await page.getByRole('tab', { name: /Voicemail/ }).click();
  const item = page.getByTestId('voicemail-item');
  await waitFor(async () => (await item.count()) === 1, { description: 'the message in the list' });
  return { badge, item };
}
