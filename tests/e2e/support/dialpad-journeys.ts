// The product end to end in headless Chromium, against the whole local stack (Azurite, the sandbox playing the
// provider, the API, the dialpad on its own origin; on Bandwidth also the Web PubSub stand-in): two people sign
// up through the UI, call each other with audio both ways, call an outside number, take an outside call,
// decline one, see their history, reload, log out and in. The same journeys run on each provider
// (app-calls-<provider>.test.ts); what differs is in provider-under-test.ts. Screens are saved outside the
// repository (support/screenshots.ts; on Bandwidth, only the ones that differ, prefixed `bandwidth-`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ProviderName, Stack } from '../../../dev/stack';
import { startStack } from '../../../dev/stack';
import { launchChromium, newTestContext, waitFor } from './chromium';
import {
  dominantFrequency,
  dropWebSockets,
  inboundAudio,
  logInThroughUi,
  signUpThroughUi,
  storedSession,
  TRACK_WEBSOCKETS_SCRIPT,
  waitCallState,
  waitForAudio,
  waitRegistered,
  type PagePeerConnection,
  type SignedUpUser,
} from './dialpad-page';
import { PROVIDERS } from './provider-under-test';
import { saveScreenshot } from './screenshots';
import { GENEROUS_LIMITS } from '../../support/test-limits';

const OUTSIDE_NUMBER = '+19195550199'; // 555 exchanges are never in the sandbox inventory: an outside phone
const OUTSIDE_CALLER = '+12125550143';

/** Screens that look different on Bandwidth; the others are the same as on Catapult and taken there only. */
const BANDWIDTH_SCREENS = new Set([
  '10-incoming-call-phone',
  '12-sip-account-unavailable-phone',
  '16-incoming-outside-call',
]);

export function describeDialpadJourneys(providerName: ProviderName): void {
  const provider = PROVIDERS[providerName];
  const onCatapult = providerName === 'catapult';
  const shot = async (page: Page, name: string) => {
    if (onCatapult) await saveScreenshot(page, name);
    else if (BANDWIDTH_SCREENS.has(name)) await saveScreenshot(page, `bandwidth-${name}`);
  };

  describe(`dialpad end to end on ${providerName} (whole stack)`, { timeout: 240_000 }, () => {
    let stack: Stack;
    let browser: Browser;
    let alicePage: Page;
    let bobPage: Page;
    let alice: SignedUpUser;
    let bob: SignedUpUser;

    before(async () => {
      stack = await startStack({ env: GENEROUS_LIMITS, web: true, dialpadTestHooks: true, provider: providerName }); // __dialpad: getStats()
      browser = await launchChromium();
      const desktop = await newTestContext(browser, { viewport: { width: 1024, height: 820 } });
      // Bob uses a phone: the dialpad must work at 390×844 with touch.
      const phone = await newTestContext(browser, {
        viewport: { width: 390, height: 844 },
        hasTouch: true,
        isMobile: true,
        deviceScaleFactor: 2,
      });
      await phone.addInitScript(TRACK_WEBSOCKETS_SCRIPT);
      alicePage = await desktop.newPage();
      bobPage = await phone.newPage();
      await Promise.all([alicePage.goto(stack.webUrl!), bobPage.goto(stack.webUrl!)]);
    });
    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it('signs two people up through the UI; each sees their own number and registers', async () => {
      await shot(bobPage, '01-login-phone');
      alice = await signUpThroughUi(alicePage, 'alice', { areaCode: '919' }, (step) =>
        saveScreenshot(alicePage, step === 'form' ? '02-signup' : '04-signup-search-results-sandbox'),
      );
      bob = await signUpThroughUi(bobPage, 'bob', { zip: '27513' }, async (step) => {
        if (step === 'results') await shot(bobPage, '04-signup-search-results-phone');
      });
      assert.match(alice.number, /^\+1919\d{7}$/);
      assert.match(bob.number, /^\+1919\d{7}$/);
      assert.notEqual(alice.number, bob.number);
      assert.equal(await alicePage.getByTestId('my-number').innerText(), alice.nationalNumber);
      assert.equal(await bobPage.getByTestId('my-number').innerText(), bob.nationalNumber);
      await Promise.all([waitRegistered(alicePage), waitRegistered(bobPage)]);
      await shot(alicePage, '07-dialpad');
      await shot(bobPage, '08-dialpad-phone');

      // A refresh keeps the session and creates nothing new.
      await alicePage.reload();
      await waitRegistered(alicePage);
      assert.equal((await storedSession(alicePage))?.user.number, alice.number);
    });

    it('calls the other user by their number in national format, with audio both ways', async () => {
      await alicePage.getByLabel('Phone number').fill(bob.nationalNumber); // e.g. "(919) 380-0123"
      await alicePage.getByRole('button', { name: 'Call', exact: true }).click();
      await waitCallState(bobPage, 'incoming');
      assert.equal(
        await bobPage.getByTestId('call-peer').innerText(),
        alice.nationalNumber,
        'caller id is the caller’s number',
      );
      assert.match(await bobPage.title(), /^Incoming call/, 'a background tab shows the call in its title');
      await shot(alicePage, '09-calling');
      await shot(bobPage, '10-incoming-call-phone');

      await bobPage.getByRole('button', { name: 'Answer' }).click();
      await Promise.all([waitCallState(alicePage, 'active'), waitCallState(bobPage, 'active')]);
      const [aliceHears, bobHears] = await Promise.all([
        waitForAudio(alicePage, 'audio at alice from bob'),
        waitForAudio(bobPage, 'audio at bob from alice'),
      ]);
      assert.ok(aliceHears.packetsReceived > 0 && aliceHears.totalAudioEnergy > 0);
      assert.ok(bobHears.packetsReceived > 0 && bobHears.totalAudioEnergy > 0);
      assert.match(await alicePage.getByTestId('call-status').innerText(), /^Connected/);
      assert.match(await alicePage.title(), /^In call/);

      // Mute really stops sending the microphone; unmute restores it.
      // The button keeps its name ("Mute"), and says whether it is pressed: "Mute, pressed" to a screen reader.
      const mute = alicePage.getByRole('button', { name: 'Mute', exact: true });
      await mute.click();
      assert.equal(await mute.getAttribute('aria-pressed'), 'true');
      const micEnabled = () =>
        alicePage.evaluate(() => {
          const handle = (globalThis as unknown as { __dialpad: { peerConnection: PagePeerConnection } }).__dialpad;
          return handle.peerConnection.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.enabled;
        });
      assert.equal(await micEnabled(), false);
      await mute.click();
      assert.equal(await mute.getAttribute('aria-pressed'), 'false');
      assert.equal(await micEnabled(), true);

      // DTMF goes in-band through the RTCDTMFSender (typed on the keyboard and tapped on the pad).
      await alicePage.getByRole('button', { name: 'Keypad' }).click();
      await alicePage.getByRole('button', { name: '5 JKL' }).click();
      await alicePage.keyboard.press('#');
      assert.equal(
        (await alicePage.getByLabel('Tones sent').innerText()).trim(),
        // Where the far end takes no telephone-event, no tone is claimed as sent (and nothing throws).
        provider.inBandDtmfBetweenDialpads ? '5#' : '',
      );
      await shot(alicePage, '14-in-call');
      await shot(bobPage, '15-in-call-phone');

      await bobPage.getByRole('button', { name: 'Hang up' }).click();
      await waitFor(
        async () =>
          /other side hung up/.test(
            await alicePage
              .getByTestId('last-call')
              .innerText()
              .catch(() => ''),
          ),
        {
          description: 'alice sees the call end',
        },
      );
      assert.match(await bobPage.getByTestId('last-call').innerText(), /You hung up/);
      await shot(alicePage, '18-call-ended');
      assert.equal(await inboundAudio(alicePage), undefined, 'no peer connection left after hang-up');
    });

    it('calls an outside number (keyboard, then typed with dashes) and hears the far end; the far end hears the browser', async () => {
      // Keypad digits typed anywhere on the page (not in a field) go into the number.
      await alicePage.getByLabel('Phone number').fill(''); // the last number stays for redial; start afresh
      await alicePage.locator('body').click({ position: { x: 5, y: 400 } });
      await alicePage.keyboard.type('919555019');
      await alicePage.keyboard.press('Backspace');
      assert.equal(await alicePage.getByLabel('Phone number').inputValue(), '91955501');
      await alicePage.getByLabel('Phone number').fill('919-555-0199');
      await alicePage.getByRole('button', { name: 'Call', exact: true }).click();
      await waitCallState(alicePage, 'active', 20_000);
      await waitForAudio(alicePage, 'outside tone at alice');
      const tone = await dominantFrequency(alicePage);
      assert.ok(tone > 420 && tone < 460, `alice hears the far end's 440 Hz tone (measured ${tone.toFixed(0)} Hz)`);
      const farEndCall = await waitFor(
        async () => {
          const call = await provider.outsideCall(stack, OUTSIDE_NUMBER);
          return call && call.rtpIn > 0 ? call : undefined;
        },
        { timeoutMs: 10_000, description: 'far end receiving RTP' },
      );
      assert.equal(farEndCall.from, alice.number, 'the outside phone sees alice’s number as caller id');
      await alicePage.getByRole('button', { name: 'Hang up' }).click();
      await waitFor(async () => (await provider.outsideCall(stack, OUTSIDE_NUMBER))?.ended, {
        description: 'far end call completed',
      });
      await alicePage.getByTestId('last-call').waitFor();
    });

    it('rings on a call from outside to the user’s number and answers it with audio', async () => {
      await alicePage.getByRole('tab', { name: 'Account' }).click(); // a call must pull the dialpad forward
      await provider.callFromOutside(stack, OUTSIDE_CALLER, alice.number);
      await waitCallState(alicePage, 'incoming');
      assert.equal(await alicePage.getByTestId('call-peer').innerText(), '(212) 555-0143');
      await shot(alicePage, '16-incoming-outside-call');
      await alicePage.getByRole('button', { name: 'Answer' }).click();
      await waitCallState(alicePage, 'active');
      await waitForAudio(alicePage, 'outside caller audio at alice');
      await alicePage.getByRole('button', { name: 'Hang up' }).click();
      await alicePage.getByTestId('last-call').waitFor();
    });

    it('lists the calls in Recent', async () => {
      await alicePage.getByRole('tab', { name: 'Recent' }).click();
      await alicePage.getByTestId('call-history').waitFor();
      const entries = await waitFor(
        async () => {
          const texts = await alicePage.locator('.history-item').allInnerTexts();
          return texts.length >= 3 ? texts : undefined;
        },
        { description: 'three calls in history' },
      );
      assert.ok(
        entries.some((text) => text.includes('(212) 555-0143')),
        entries.join(' | '),
      );
      assert.ok(
        entries.some((text) => text.includes('(919) 555-0199')),
        entries.join(' | '),
      );
      assert.ok(
        entries.some((text) => text.includes(bob.nationalNumber)),
        entries.join(' | '),
      );
      await shot(alicePage, '17-recent-calls');
      await alicePage.getByRole('tab', { name: 'Dialpad' }).click();
    });

    it('shows the SIP credentials of the user’s endpoint on request, or says plainly there is no SIP account', async () => {
      await bobPage.getByRole('tab', { name: 'Account' }).click();
      await bobPage.getByRole('button', { name: 'Show SIP credentials' }).click();
      if (onCatapult) {
        await bobPage.getByTestId('sip-credentials').waitFor();
        const text = await bobPage.getByTestId('sip-credentials').innerText();
        const sipUri = (await storedSession(bobPage))?.user.sipUri;
        assert.ok(sipUri, 'a Catapult user has a SIP URI');
        assert.ok(text.includes(sipUri), `${text} should include ${sipUri}`);
        assert.ok(text.includes(stack.sandbox!.websocketUrl), text);
        await shot(bobPage, '12-sip-credentials-phone');
        await bobPage.getByRole('button', { name: 'Hide credentials' }).click();
      } else {
        await bobPage.getByTestId('sip-account-unavailable').waitFor();
        assert.match(await bobPage.getByTestId('sip-account-unavailable').innerText(), /no SIP credentials/);
        assert.equal(await bobPage.getByTestId('sip-credentials').count(), 0);
        await shot(bobPage, '12-sip-account-unavailable-phone');
      }
      await bobPage.getByRole('tab', { name: 'Dialpad' }).click();
    });

    it('refreshes its calling credentials before they expire and stays registered', async () => {
      const context = await newTestContext(browser, { viewport: { width: 1024, height: 820 } });
      await context.clock.install(); // page timers under test control: an hour passes in a moment
      const page = await context.newPage();
      // Watch the tokens the API issues and the token each REGISTER carries on the SIP WebSocket.
      const issuedTokens: string[] = [];
      const issued: Array<Record<string, unknown>> = [];
      const registerTokens: string[] = [];
      page.on('response', (response) => {
        if (response.request().method() === 'POST' && response.url().endsWith('/api/me/webrtc-token')) {
          void response.json().then(
            (body: Record<string, unknown>) => {
              issued.push(body);
              issuedTokens.push(provider.issuedCredential(body));
            },
            () => undefined,
          );
        }
      });
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => {
          const token = provider.registerCredential(String(frame.payload));
          if (token) registerTokens.push(token);
        }),
      );
      await page.goto(stack.webUrl!);
      await logInThroughUi(page, 'bob');
      await waitRegistered(page);
      await waitFor(() => issuedTokens.length === 1, { description: 'first token issued' });
      assert.ok(
        registerTokens.length > 0 && registerTokens.every((token) => token === issuedTokens[0]),
        'REGISTER carries the token',
      );

      // Catapult: a one-hour token, refreshed a minute before expiry; Bandwidth: before the caller token's 10 minutes.
      const issuedAt = await page.evaluate(() => Date.now());
      const registersBefore = registerTokens.length;
      await context.clock.fastForward(provider.refreshDueMs(issued[0]!, issuedAt));
      await waitFor(() => issuedTokens.length >= 2, { description: 'token refresh' });
      if (provider.newCredentialOnEveryRefresh) assert.notEqual(issuedTokens[1], issuedTokens[0]);
      await waitFor(() => registerTokens.slice(registersBefore).includes(issuedTokens[1]!), {
        description: 're-REGISTER with the refreshed token',
      });
      await waitRegistered(page);
      await context.close();
    });

    it('reconnects and registers again after the SIP connection drops', async () => {
      await waitRegistered(bobPage);
      assert.equal(await dropWebSockets(bobPage), provider.openSockets, 'every WebSocket of the dialpad dropped');
      await waitFor(
        async () => (await bobPage.getByTestId('registration-status').getAttribute('data-state')) !== 'registered',
        {
          description: 'lost connection shown',
        },
      );
      await waitRegistered(bobPage);
      // Registered for real: a call to bob's number rings this page again.
      await provider.callFromOutside(stack, OUTSIDE_CALLER, bob.number);
      await waitCallState(bobPage, 'incoming');
      await bobPage.getByRole('button', { name: 'Decline' }).click();
      await waitFor(
        async () =>
          /declined/i.test(
            await bobPage
              .getByTestId('last-call')
              .innerText()
              .catch(() => ''),
          ),
        {
          description: 'declined call shown as ended',
        },
      );
      // Declined, the caller went on to bob's voicemail (voicemail-calls.test.ts leaves a message); it hangs up.
      await provider.hangUpFromOutside(stack, OUTSIDE_CALLER, bob.number);
      await waitFor(() => provider.callFromOutsideEnded(stack, OUTSIDE_CALLER, bob.number), {
        description: 'the caller’s call ended',
      });
    });

    it('logs out, logs back in by username to the same account, and sends unknown names to sign-up', async () => {
      await alicePage.getByRole('button', { name: 'Log out' }).click();
      await alicePage.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.equal(await storedSession(alicePage), undefined);

      await logInThroughUi(alicePage, 'alice');
      await alicePage.getByTestId('my-number').waitFor();
      assert.equal(await alicePage.getByTestId('my-number').innerText(), alice.nationalNumber);
      await waitRegistered(alicePage);

      await alicePage.getByRole('button', { name: 'Log out' }).click();
      await logInThroughUi(alicePage, 'nobody-here');
      await alicePage.getByRole('heading', { name: 'Create your account' }).waitFor();
      assert.equal(await alicePage.getByLabel('Username').inputValue(), 'nobody-here');
    });
  });
}
