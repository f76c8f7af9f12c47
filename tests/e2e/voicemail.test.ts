// The Voicemail tab in headless Chromium against the whole stack (Catapult sandbox, Azurite Table + Blob): a
// message stored the way the app stores one (VoicemailStore on the app's own table and private container) shows
// as unread with its caller and length; playing it downloads the recording through the API and the page really
// hears a 440 Hz tone from it; played is read; a message left while the dialpad is open appears without a
// reload; delete removes it; another user cannot fetch it.
// Leaving a message by calling: voicemail-calls.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../../dev/stack';
import { noopLogger } from '../../core/log';
import { createAzureEntityTable } from '../../core/storage/azure-entity-table';
import { createAzureAudioBlobs, voicemailContainerName } from '../../core/voicemail/azure-audio-blobs';
import { VoicemailStore } from '../../core/voicemail/voicemail-store';
import { wavFormat } from '../../core/voicemail/wav';
import { callApi } from '../support/api-client';
import { GENEROUS_LIMITS } from '../support/test-limits';
import { launchChromium, waitFor } from './support/chromium';
import { overflowsHorizontally } from './support/dialpad-page';
import { saveScreenshot } from './support/screenshots';
import { openDialpad, signUp, type Person } from './support/softphone-fixture';
import { fakeMicrophoneFile, openVoicemailTab, playedSignal, toneShare, toneWav } from './support/voicemail-page';

describe('voicemail in the dialpad (whole stack, Catapult)', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let vera: Person;
  let walt: Person;
  let store: VoicemailStore;

  before(async () => {
    stack = await startStack({ env: GENEROUS_LIMITS, web: true, provider: 'catapult' });
    // The fake microphone plays a 440 Hz tone: a greeting recorded with it is that tone.
    browser = await launchChromium({ extraArgs: [`--use-file-for-fake-audio-capture=${fakeMicrophoneFile(440)}`] });
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
    const { badge, item } = await openVoicemailTab(page);
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

  it('records the user’s own greeting with the microphone, saves it, and goes back to the default', async () => {
    const page = await openDialpad(browser, stack, walt);
    await page.getByRole('tab', { name: /Voicemail/ }).click();
    const greeting = page.getByTestId('voicemail-greeting');
    await greeting.getByText('Callers hear the default greeting').waitFor();
    await greeting.getByRole('button', { name: 'Record greeting' }).click();
    await greeting
      .getByRole('status')
      .filter({ hasText: /Recording… 0:0[2-9]/ })
      .waitFor({ timeout: 15_000 });
    await greeting.getByRole('button', { name: 'Stop' }).click();
    await greeting.getByTestId('greeting-preview').waitFor();
    await greeting.getByRole('button', { name: 'Save greeting' }).click();
    await greeting.getByText('Saved: callers now hear your greeting.').waitFor();
    await greeting.getByTestId('greeting-player').waitFor();
    await saveScreenshot(page, '53-voicemail-greeting');

    // What was stored is the microphone's 440 Hz tone, 8 kHz 16-bit mono, as the providers play it.
    const stored = await fetch(`${stack.apiUrl}/api/me/voicemail/greeting`, {
      headers: { Authorization: `Bearer ${walt.token}` },
    });
    assert.equal(stored.status, 200);
    const wav = Buffer.from(await stored.arrayBuffer());
    const format = wavFormat(wav);
    assert.deepEqual([format?.sampleRate, format?.bitsPerSample, format?.channels], [8000, 16, 1]);
    assert.ok(format && format.durationSeconds >= 2 && format.durationSeconds <= 30, `${format?.durationSeconds} s`);
    assert.ok(toneShare(wav, 440) > 0.5, `the greeting is the microphone's tone (${toneShare(wav, 440).toFixed(2)})`);
    const theirs = await callApi(stack.apiUrl, 'GET', '/api/me/voicemail/greeting', { token: vera.token });
    assert.deepEqual([theirs.status, theirs.json?.error?.code], [404, 'greeting-not-found'], 'vera has none');

    await greeting.getByRole('button', { name: 'Use the default greeting' }).click();
    await greeting.getByText('Callers now hear the default greeting.').waitFor();
    const gone = await callApi(stack.apiUrl, 'GET', '/api/me/voicemail/greeting', { token: walt.token });
    assert.equal(gone.status, 404);
  });
});
