// The softphone features people expect, in headless Chromium against the whole stack on each provider (fake audio
// devices; notification and microphone permission granted in each browser context): choosing audio devices,
// the ringtone and ringback, who is calling and what was missed, call back in one tap, hold, a second call
// waiting, background-call notifications, the microphone blocked or missing, and the small keyboard and touch
// things of a daily user. The same journeys run on Catapult and on Bandwidth; how the sandbox plays an outside
// phone on each is in support/provider-under-test.ts. Screens are saved for docs/screenshots/ (on Catapult only:
// the dialpad shows them the same on both).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type ProviderName, type Stack } from '../../dev/stack';
import { launchChromium, waitFor } from './support/chromium';
import { inboundAudio, waitCallState, waitForAudio } from './support/dialpad-page';
import { PROVIDERS } from './support/provider-under-test';
import { saveScreenshot } from './support/screenshots';
import {
  countInvites,
  dial,
  inPage,
  openDialpad,
  readTone,
  signUp,
  waitLastCall,
  type Person,
} from './support/softphone-fixture';
import { GENEROUS_LIMITS } from '../support/test-limits';

const OUTSIDE_CALLER = '+12125550143';
const OUTSIDE_NUMBER = '+19195550199';
const PHONE_360 = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

for (const providerName of ['catapult', 'bandwidth'] as const)
  describe(`softphone features (whole stack, ${providerName})`, { timeout: 240_000 }, () =>
    softphoneFeatures(providerName),
  );

function softphoneFeatures(providerName: ProviderName): void {
  const provider = PROVIDERS[providerName];
  const shot = (page: Page, name: string) =>
    providerName === 'catapult' ? saveScreenshot(page, name) : Promise.resolve();
  let stack: Stack;
  let browser: Browser;
  let carol: Person;
  let dave: Person;
  let carolPage: Page;
  let davePage: Page;
  let devices: Record<string, string>; // label → deviceId, as carol's browser names them

  before(async () => {
    stack = await startStack({ env: GENEROUS_LIMITS, web: true, dialpadTestHooks: true, provider: providerName });
    browser = await launchChromium();
    [carol, dave] = [await signUp(stack, 'carol'), await signUp(stack, 'dave')];
    [carolPage, davePage] = await Promise.all([
      openDialpad(browser, stack, carol),
      openDialpad(browser, stack, dave, PHONE_360),
    ]);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const status = (page: Page) => page.getByTestId('call-status').innerText();
  const tabBadge = (page: Page) =>
    page
      .getByTestId('tab-badge-history')
      .textContent({ timeout: 200 })
      .catch(() => null);

  it('chooses the microphone, the speaker and the ringtone output, and keeps them on this device', async () => {
    await carolPage.getByRole('tab', { name: 'Audio' }).click();
    devices = Object.fromEntries(
      await inPage<Array<[string, string]>>(
        carolPage,
        'return (await navigator.mediaDevices.enumerateDevices()).map((d) => [d.label, d.deviceId]);',
      ),
    );
    await carolPage.getByLabel('Microphone').selectOption({ label: 'Fake Audio Input 2' });
    await carolPage.getByLabel('Speaker (calls)').selectOption({ label: 'Fake Audio Output 1' });
    await carolPage.getByLabel('Ringtone').selectOption({ label: 'Fake Audio Output 2' });
    await carolPage.getByRole('button', { name: 'Play the ringtone' }).click();
    const test = await waitFor(() => readTone(carolPage, 'ring'), { description: 'test ringtone' });
    assert.equal(test.sinkId, devices['Fake Audio Output 2'], 'the ringtone plays on its own output');
    await shot(carolPage, '20-audio-settings');
    await carolPage.getByRole('button', { name: 'Stop the ringtone' }).click();

    await carolPage.reload();
    await carolPage.getByRole('tab', { name: 'Audio' }).click();
    assert.equal(await carolPage.getByLabel('Microphone').inputValue(), devices['Fake Audio Input 2']);
    assert.equal(await carolPage.getByLabel('Speaker (calls)').inputValue(), devices['Fake Audio Output 1']);
    assert.equal(await carolPage.getByLabel('Ringtone').inputValue(), devices['Fake Audio Output 2']);
    await carolPage.getByRole('tab', { name: 'Dialpad' }).click();
  });

  it('names the calling user, rings on the ringtone output, rings back at the caller, and counts the missed call', async () => {
    await dial(davePage, carol.nationalNumber);
    await waitCallState(carolPage, 'incoming');
    await waitFor(async () => (await carolPage.getByTestId('call-name').innerText()) === 'dave', {
      description: 'the caller named on the incoming screen',
    });
    assert.equal(await carolPage.getByTestId('call-peer').innerText(), dave.nationalNumber);
    assert.equal(
      await carolPage.getByTestId('call-announcement').innerText(),
      `Incoming call from dave · ${dave.nationalNumber}`,
      'a screen reader hears who is calling',
    );
    const ring = await waitFor(() => readTone(carolPage, 'ring'), { description: 'ringtone' });
    assert.equal(ring.sinkId, devices['Fake Audio Output 2']);
    assert.ok(ring.playing && ring.peakHz > 430 && ring.peakHz < 490, `ringtone 440/480 Hz: ${JSON.stringify(ring)}`);
    // Catapult only: see ProviderUnderTest.callerSeesUserCallRing.
    if (provider.callerSeesUserCallRing) {
      const ringback = await waitFor(() => readTone(davePage, 'ringback'), { description: 'ringback' });
      assert.ok(ringback.playing && ringback.peakHz > 430 && ringback.peakHz < 490, JSON.stringify(ringback));
    }
    await shot(carolPage, '21-incoming-call-named');

    await davePage.getByRole('button', { name: 'Hang up' }).click();
    await waitLastCall(carolPage, /^Missed call$/);
    assert.equal(await readTone(carolPage, 'ring'), undefined, 'the ringtone stops');
    assert.equal(await readTone(davePage, 'ringback'), undefined, 'the ringback stops');
    await waitFor(async () => (await tabBadge(carolPage))?.startsWith('1'), { description: 'one missed call counted' });
    await shot(carolPage, '22-missed-call-badge');

    await carolPage.getByRole('tab', { name: /Recent/ }).click();
    const missed = carolPage.locator('.history-item[data-missed="true"]');
    await missed.waitFor();
    assert.match(await missed.innerText(), /dave[\s\S]*Missed call/);
    await waitFor(async () => (await tabBadge(carolPage)) === null, { description: 'seen: the count goes away' });
    await shot(carolPage, '23-recent-missed-and-names');
    await carolPage.reload();
    await carolPage.getByTestId('registration-status').waitFor();
    await carolPage.waitForTimeout(500); // the history loads at start
    assert.equal(await tabBadge(carolPage), null, 'still seen after a reload');
  });

  it('calls back from the history in one tap, on the chosen microphone and speaker', async () => {
    await carolPage.getByRole('tab', { name: /Recent/ }).click();
    await carolPage.getByRole('button', { name: 'Call back dave' }).click();
    await waitCallState(davePage, 'incoming');
    await waitFor(async () => (await davePage.getByTestId('call-name').innerText()) === 'carol', {
      description: 'dave sees carol named',
    });
    await davePage.getByRole('button', { name: 'Answer' }).click();
    await Promise.all([waitCallState(carolPage, 'active'), waitCallState(davePage, 'active')]);
    await Promise.all([waitForAudio(carolPage, 'audio at carol'), waitForAudio(davePage, 'audio at dave')]);
    const used = await inPage<{ mic: string; speaker: string }>(
      carolPage,
      `const sender = __dialpad.peerConnection.getSenders().find((s) => s.track && s.track.kind === 'audio');
       return { mic: sender.track.getSettings().deviceId, speaker: document.querySelector('audio.remote-audio:not([data-tone])').sinkId };`,
    );
    assert.deepEqual(used, { mic: devices['Fake Audio Input 2'], speaker: devices['Fake Audio Output 1'] });
  });

  it('holds and resumes the call; the other side sees it held and sends nothing meanwhile', async () => {
    const packets = async () => (await inboundAudio(carolPage))?.packetsReceived ?? 0;
    await carolPage.getByRole('button', { name: 'Hold', exact: true }).click();
    await waitFor(async () => (await status(carolPage)).startsWith('On hold'), { description: 'carol on hold' });
    /** Whether carol's speaker plays the call's audio (the dialpad silences a far end that goes on sending). */
    const playing = () =>
      inPage<boolean>(carolPage, `return !document.querySelector('audio.remote-audio:not([data-tone])').muted;`);
    // Catapult only: on Bandwidth the hold ends at the platform (ProviderUnderTest.holdReachesFarEnd).
    if (provider.holdReachesFarEnd)
      await waitFor(async () => (await status(davePage)).startsWith('Held by the other side'), {
        description: 'dave sees it held',
      });
    assert.equal(
      await carolPage.getByRole('button', { name: 'Hold', exact: true }).getAttribute('aria-pressed'),
      'true',
    );
    if (provider.holdReachesFarEnd) {
      await carolPage.waitForTimeout(300);
      const held = await packets();
      await carolPage.waitForTimeout(1_000);
      assert.ok((await packets()) - held < 5, 'no audio from the held side');
    } else {
      // Bandwidth's platform answers the re-INVITE itself and goes on sending: carol must hear none of it.
      assert.equal(await playing(), false, 'no audio from the held side is played');
    }
    await shot(carolPage, '24-on-hold');

    // At 360×740 with the keypad open, Hang up stays on screen.
    await davePage.getByRole('button', { name: 'Keypad' }).click();
    const hangUp = await davePage.getByRole('button', { name: 'Hang up' }).boundingBox();
    assert.ok(hangUp && hangUp.y >= 0 && hangUp.y + hangUp.height <= 740, `Hang up at ${JSON.stringify(hangUp)}`);
    await shot(davePage, '25-in-call-keypad-360');
    await davePage.getByRole('button', { name: 'Keypad' }).click();

    await carolPage.getByRole('button', { name: 'Hold', exact: true }).click();
    await waitFor(async () => (await status(carolPage)).startsWith('Connected'), { description: 'resumed' });
    assert.equal(await playing(), true, 'the call is heard again');
    const resumed = await packets();
    await waitFor(async () => (await packets()) > resumed + 10, { description: 'audio flows again' });
  });

  it('offers a second call during a call: decline it, or end the current call and answer it', async () => {
    await provider.callFromOutside(stack, OUTSIDE_CALLER, carol.number);
    const waiting = carolPage.getByTestId('waiting-call');
    await waiting.waitFor();
    assert.match(await waiting.innerText(), /Also calling: \(212\) 555-0143/);
    assert.equal(await carolPage.getByTestId('call-panel').getAttribute('data-state'), 'active', 'the call goes on');
    assert.ok((await waitFor(() => readTone(carolPage, 'waiting'), { description: 'waiting beep' })).playing);
    await shot(carolPage, '26-call-waiting');
    await waiting.getByRole('button', { name: 'Decline' }).click();
    await waitFor(async () => (await waiting.count()) === 0, { description: 'the waiting call gone' });
    // Declined, the caller went on to carol's voicemail; it hangs up there.
    await provider.hangUpFromOutside(stack, OUTSIDE_CALLER, carol.number);
    await waitFor(() => provider.callFromOutsideEnded(stack, OUTSIDE_CALLER, carol.number), {
      description: 'the declined caller’s call ended',
    });

    await provider.callFromOutside(stack, OUTSIDE_CALLER, carol.number);
    await waiting.waitFor();
    await waiting.getByRole('button', { name: 'End call & answer' }).click();
    await waitLastCall(davePage, /other side hung up/);
    await waitFor(async () => (await carolPage.getByTestId('call-peer').innerText()) === '(212) 555-0143', {
      description: 'carol now talks to the second caller',
    });
    await waitCallState(carolPage, 'active');
    await waitForAudio(carolPage, 'the second caller’s audio');
    await carolPage.getByRole('button', { name: 'Hang up' }).click();
    await waitLastCall(carolPage, /You hung up/);
  });

  it('raises a notification for a call while the tab is hidden, which brings the dialpad to the front', async () => {
    // Headless Chromium shows every page: the page is told it is hidden, as a background tab is.
    const setHidden = (hidden: boolean) =>
      inPage(
        davePage,
        `Object.defineProperty(document, 'visibilityState', { value: '${hidden ? 'hidden' : 'visible'}', configurable: true });
         document.dispatchEvent(new Event('visibilitychange'));`,
      );
    const notifications = () =>
      inPage<Array<{ title: string; body: string }>>(
        davePage,
        `const registration = await navigator.serviceWorker.ready;
         return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body }));`,
      );
    await setHidden(true);
    await provider.callFromOutside(stack, OUTSIDE_CALLER, dave.number);
    await waitCallState(davePage, 'incoming');
    const shown = await waitFor(async () => (await notifications())[0], { description: 'a system notification' });
    assert.deepEqual(shown, { title: 'Incoming call', body: '(212) 555-0143' });

    await davePage.getByRole('tab', { name: /Recent/ }).click(); // the person is elsewhere in the app
    const worker = davePage.context().serviceWorkers()[0];
    assert.ok(worker, 'the dialpad’s service worker runs');
    await worker.evaluate(`(async () => {
      const [notification] = await self.registration.getNotifications();
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
    })()`);
    await waitFor(
      async () => (await davePage.getByRole('tab', { name: 'Dialpad' }).getAttribute('aria-selected')) === 'true',
      { description: 'the click brings the dialpad forward' },
    );
    await waitFor(async () => (await notifications()).length === 0, { description: 'the notification closes' });
    await setHidden(false);
    await davePage.getByRole('button', { name: 'Decline' }).click();
    await waitLastCall(davePage, /^Declined$/);
  });

  it('asks for notification permission only when the person chooses to', async () => {
    const page = await openDialpad(browser, stack, carol, { grant: null });
    const prompt = page.getByTestId('notification-prompt');
    await prompt.waitFor();
    await shot(page, '27-notification-prompt');
    await page.context().grantPermissions(['notifications'], { origin: stack.webUrl! }); // what the prompt's "Allow" does
    await prompt.getByRole('button', { name: 'Turn on call notifications' }).click();
    await prompt.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('Notification.permission'), 'granted');
    await page.context().close();
  });

  it('takes + and Enter typed outside the number field, gives + for a held 0, and notes the ws:// SIP server', async () => {
    await carolPage.getByLabel('Phone number').fill('');
    await carolPage.locator('body').click({ position: { x: 5, y: 500 } });
    await carolPage.keyboard.type(`+${OUTSIDE_NUMBER.slice(1)}`);
    assert.equal(await carolPage.getByLabel('Phone number').inputValue(), OUTSIDE_NUMBER);
    await carolPage.keyboard.press('Enter');
    await waitCallState(carolPage, 'active', 20_000);
    await carolPage.getByRole('button', { name: 'Hang up' }).click();
    await waitLastCall(carolPage, /You hung up/);

    await davePage.getByLabel('Phone number').fill('');
    const zero = davePage.getByRole('button', { name: '0 +' });
    const box = (await zero.boundingBox())!;
    await davePage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await davePage.mouse.down();
    await davePage.waitForTimeout(700);
    await davePage.mouse.up();
    assert.equal(await davePage.getByLabel('Phone number').inputValue(), '+', 'held: +');
    await zero.click();
    assert.equal(await davePage.getByLabel('Phone number').inputValue(), '+0', 'tapped: 0');

    await davePage.getByRole('tab', { name: 'Account' }).click();
    await davePage.getByRole('button', { name: 'Show SIP credentials' }).click();
    if (providerName === 'catapult') {
      assert.match(
        await davePage.getByTestId('sip-ws-note').innerText(),
        /softphones generally need a TLS server \(wss:/,
      );
      await shot(davePage, '28-sip-credentials-ws-note-phone');
    } else {
      // In-App Calling has no SIP account a desktop softphone could use, so there is no SIP server to note.
      await davePage.getByTestId('sip-account-unavailable').waitFor();
      assert.equal(await davePage.getByTestId('sip-ws-note').count(), 0);
    }
    await davePage.getByRole('tab', { name: 'Dialpad' }).click();
  });

  it('says the microphone is blocked, and how to fix it, before any call; and that none is there', async () => {
    const blocked = await openDialpad(browser, stack, carol, {
      beforeLoad: async (page) => {
        const cdp = await page.context().newCDPSession(page);
        const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { browserContextId: string } };
        await cdp.send('Browser.setPermission', {
          permission: { name: 'microphone' },
          setting: 'denied',
          origin: stack.webUrl!,
          browserContextId: targetInfo.browserContextId,
        });
      },
    });
    const invites = countInvites(blocked);
    const notice = blocked.getByTestId('mic-notice');
    assert.equal(await notice.getAttribute('data-status'), 'denied');
    assert.match(await notice.innerText(), /Microphone blocked.*set Microphone to Allow, then reload/s);
    await dial(blocked, OUTSIDE_NUMBER);
    assert.match(await blocked.locator('#dial-error').innerText(), /Microphone blocked/);
    await blocked.waitForTimeout(300);
    assert.equal(invites(), 0, 'no call is placed');
    await shot(blocked, '29-microphone-blocked');
    await blocked.context().close();

    const noDevices = await launchChromium({ withoutFlags: ['--use-fake-device-for-media-stream'] });
    try {
      const page = await openDialpad(noDevices, stack, carol);
      assert.match(await page.getByTestId('mic-notice').innerText(), /No microphone found/);
      await shot(page, '30-microphone-missing');
    } finally {
      await noDevices.close();
    }
  });
}
