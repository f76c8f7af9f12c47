// Leaving a voicemail and hearing it, in real Chromium against the whole stack, on each provider: the outside-phone
// page (its fake microphone plays a 440 Hz tone) calls a user whose dialpad is closed; after 25 s of ringing the
// app answers with the greeting and the tone, the page talks for a few seconds and presses #. The user then opens
// the dialpad: one unread message from that number on the Voicemail tab; playing it sounds at 440 Hz; deleting it
// empties the list; another user cannot fetch it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { CallRecordView, VoicemailListResponse } from '../../core/api-types';
import { DEFAULT_GREETING } from '../../core/voicemail/greeting';
import { startStack, type Stack } from '../../dev/stack';
import { callApi } from '../support/api-client';
import { GENEROUS_LIMITS } from '../support/test-limits';
import { launchChromium, newTestContext, waitFor } from './support/chromium';
import { saveScreenshot } from './support/screenshots';
import { openDialpad, signUp, type Person } from './support/softphone-fixture';
import { fakeMicrophoneFile, openVoicemailTab, playedSignal } from './support/voicemail-page';

const CALLER = '+12125550177';
/** The default greeting (the sandbox speaks ~60 ms a character, 1–10 s), the half-second tone, and a margin. */
const GREETING_AND_TONE_MS = Math.min(10_000, Math.max(1000, DEFAULT_GREETING.length * 60)) + 500 + 500;
const TALK_MS = 3_500;

for (const provider of ['catapult', 'bandwidth'] as const) {
  describe(`voicemail left by calling (whole stack, ${provider})`, { timeout: 180_000 }, () => {
    let stack: Stack;
    let browser: Browser;
    let olive: Person;
    let pete: Person;

    before(async () => {
      stack = await startStack({ env: GENEROUS_LIMITS, web: true, provider });
      browser = await launchChromium({ extraArgs: [`--use-file-for-fake-audio-capture=${fakeMicrophoneFile(440)}`] });
      [olive, pete] = [await signUp(stack, `olive${provider}`), await signUp(stack, `pete${provider}`)];
    });
    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('an outside phone leaves a message for a closed dialpad; the user sees it unread, hears it, deletes it', async () => {
      const phone = await (await newTestContext(browser)).newPage();
      await phone.goto(`${stack.sandbox!.baseUrl}/sandbox/phone`);
      await phone.getByLabel('My phone number (E.164)').fill(CALLER);
      await phone.getByRole('button', { name: 'Connect', exact: true }).click();
      await phone
        .getByRole('status')
        .filter({ hasText: `Registered as ${CALLER}` })
        .waitFor();
      await phone.getByLabel('Number to call').fill(olive.number);
      await phone.getByLabel('Number to call').press('Enter');

      // Nobody answers: after the ring time the call goes to voicemail (the history says it was missed).
      const history = async () =>
        (await callApi(stack.apiUrl, 'GET', '/api/me/calls', { token: olive.token })).json.calls as CallRecordView[];
      await waitFor(async () => (await history()).find((c) => c.peer === CALLER && c.state === 'failed'), {
        timeoutMs: 40_000,
        description: 'the unanswered call gone to voicemail',
      });
      await phone.getByRole('status').filter({ hasText: 'In call with' }).waitFor({ timeout: 10_000 });
      await phone.waitForTimeout(GREETING_AND_TONE_MS + TALK_MS); // the greeting, the tone, then the page talks
      await phone.getByRole('button', { name: 'Pound' }).click();
      await phone.getByRole('status').filter({ hasText: 'Call ended' }).waitFor({ timeout: 15_000 });
      await phone.context().close();

      const left = await waitFor(
        async () => {
          const list = (await callApi(stack.apiUrl, 'GET', '/api/me/voicemails', { token: olive.token }))
            .json as VoicemailListResponse;
          return list.voicemails[0];
        },
        { timeoutMs: 20_000, description: 'the message stored' },
      );
      assert.ok(left.durationSeconds >= 2 && left.durationSeconds <= 7, `${left.durationSeconds} s`);

      const page = await openDialpad(browser, stack, olive);
      const { item } = await openVoicemailTab(page);
      assert.match(await item.innerText(), /\(212\) 555-0177/);
      assert.equal(await item.getAttribute('data-unread'), 'true');
      if (provider === 'catapult') await saveScreenshot(page, '54-voicemail-left-by-call');

      await item.getByRole('button', { name: /^Play/ }).click();
      await page.getByTestId('voicemail-player').waitFor();
      const signal = await playedSignal(page);
      assert.ok(signal.loudestDb > -50, `the played message has signal (${signal.loudestDb.toFixed(1)} dB)`);
      assert.ok(Math.abs(signal.peakHz - 440) < 20, `it sounds at ${signal.peakHz} Hz, the caller's 440 Hz`);

      const stolen = await callApi(stack.apiUrl, 'GET', `/api/me/voicemails/${left.id}/audio`, { token: pete.token });
      assert.deepEqual([stolen.status, stolen.json?.error?.code], [404, 'voicemail-not-found']);

      await item.getByRole('button', { name: /^Delete/ }).click();
      await waitFor(async () => (await item.count()) === 0, { description: 'the deleted message is gone' });
      const gone = await callApi(stack.apiUrl, 'GET', `/api/me/voicemails/${left.id}/audio`, { token: olive.token });
      assert.equal(gone.status, 404);
    });
  });
}
