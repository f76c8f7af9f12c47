// The Voicemail tab in headless Chromium against the whole stack (Catapult sandbox, Azurite Table + Blob): a
// message stored the way the app stores one (VoicemailStore on the app's own table and private container) shows
// as unread with its caller and length; playing it downloads the recording through the API and the page really
// hears a 440 Hz tone from it; played is read; a message left while the dialpad is open appears without a
// reload; delete removes it; another user cannot fetch it.
// Not covered here (not built yet): leaving the message by calling from the outside-phone page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../dev/stack';
import { noopLogger } from '../../core/log';
import { createAzureEntityTable } from '../../core/storage/azure-entity-table';
import { createAzureAudioBlobs, voicemailContainerName } from '../../core/voicemail/azure-audio-blobs';
import { VoicemailStore } from '../../core/voicemail/voicemail-store';
import { callApi } from '../support/api-client';
import { GENEROUS_LIMITS } from '../support/test-limits';
import { launchChromium, waitFor } from './support/chromium';
import { overflowsHorizontally } from './support/dialpad-page';
import { saveScreenshot } from './support/screenshots';
import { inPage, openDialpad, signUp, type Person } from './support/softphone-fixture';

const SAMPLE_RATE = 8000;

/** A mono 16-bit PCM WAV of a sine tone. */
function toneWav(seconds: number, hz: number): Buffer {
  const samples = seconds * SAMPLE_RATE;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE)), 44 + i * 2);
  }
  return wav;
}

/** The loudest frequency the voicemail player sounds with while it plays, and whether it played at all. */
async function playedSignal(page: Page): Promise<{ peakHz: number; loudestDb: number }> {
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

describe('voicemail in the dialpad (whole stack, Catapult)', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let vera: Person;
  let walt: Person;
  let store: VoicemailStore;

  before(async () => {
    stack = await startStack({ env: GENEROUS_LIMITS, web: true, provider: 'catapult' });
    browser = await launchChromium();
    [vera, walt] = [await signUp(stack, 'vera'), await signUp(stack, 'walt')];
    const connectionString = stack.storageConnectionString;
    store = new VoicemailStore(
      createAzureEntityTable({ connectionString, tableName: 'vraVoicemails' }),
      createAzureAudioBlobs({ connectionString, containerName: voicemailContainerName() }),
      noopLogger,
    );
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const leave = (sourceId: string, from: string) =>
    store.save({
      username: vera.username,
      sourceId,
      from,
      receivedAtMs: Date.now(),
      durationSeconds: 3,
      audio: toneWav(3, 440),
      contentType: 'audio/wav',
    });

  it('shows the unread message, plays it with signal, marks it read, shows a new one without a reload, deletes', async () => {
    const { id } = await leave('c-e2e-first', '+19195550100');
    const page = await openDialpad(browser, stack, vera);
    const badge = page.getByTestId('tab-badge-voicemail');
    await waitFor(async () => (await badge.count()) === 1 && /^1\b/.test(await badge.innerText()), {
      description: 'one unread message on the Voicemail tab',
    });

    await page.getByRole('tab', { name: /Voicemail/ }).click();
    const item = page.getByTestId('voicemail-item');
    await waitFor(async () => (await item.count()) === 1, { description: 'the message in the list' });
    const text = await item.innerText();
    assert.match(text, /\(919\) 555-0100/);
    assert.match(text, /0:03/);
    assert.equal(await item.getAttribute('data-unread'), 'true');
    await saveScreenshot(page, '50-voicemail-unread');

    await item.getByRole('button', { name: /^Play/ }).click();
    await page.getByTestId('voicemail-player').waitFor();
    const signal = await playedSignal(page);
    assert.ok(signal.loudestDb > -50, `the played message has signal (${signal.loudestDb.toFixed(1)} dB)`);
    assert.ok(Math.abs(signal.peakHz - 440) < 20, `it sounds at ${signal.peakHz} Hz`);
    await waitFor(async () => (await badge.count()) === 0, { description: 'played = read: no unread badge' });
    assert.equal(await item.getAttribute('data-unread'), null);
    await saveScreenshot(page, '51-voicemail-playing');

    // Another user reaches neither the list entry nor the audio.
    const stolen = await callApi(stack.apiUrl, 'GET', `/api/me/voicemails/${id}/audio`, { token: walt.token });
    assert.deepEqual([stolen.status, stolen.json?.error?.code], [404, 'voicemail-not-found']);

    // A message left while the dialpad is open shows up by itself.
    await leave('c-e2e-second', '+19195550177');
    await waitFor(async () => (await item.count()) === 2, {
      timeoutMs: 30_000, // the dialpad polls every 20 s (web/src/hooks/use-voicemail.ts)
      description: 'the new message without a reload',
    });
    await waitFor(async () => (await badge.count()) === 1, { description: 'one unread again' });

    await item
      .filter({ hasText: '555-0100' })
      .getByRole('button', { name: /^Delete/ })
      .click();
    await waitFor(async () => (await item.count()) === 1, { description: 'the deleted message is gone' });
    assert.match(await item.innerText(), /555-0177/);
    // On a phone, the five tabs (two with counts) and the message fit the width.
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await overflowsHorizontally(page), false, 'wider than 360 px');
    await saveScreenshot(page, '52-voicemail-phone');
    const list = await callApi(stack.apiUrl, 'GET', '/api/me/voicemails', { token: vera.token });
    assert.deepEqual(
      list.json.voicemails.map((v: { from: string }) => v.from),
      ['+19195550177'],
    );
  });
});
