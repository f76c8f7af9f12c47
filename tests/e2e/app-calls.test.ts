// The product end to end in headless Chromium, against the whole local stack (Azurite, the Catapult
// sandbox with SIP over WebSocket, the API, the dialpad on its own origin): two people sign up through
// the UI, call each other with audio both ways, call an outside number, take an outside call, see their
// history, log out and in. Every screen is saved outside the repository (tests/e2e/support/screenshots.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../dev/stack';
import { launchChromium, newTestContext, waitFor } from './support/chromium';
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
} from './support/dialpad-page';
import { saveScreenshot } from './support/screenshots';

const OUTSIDE_NUMBER = '+19195550199'; // 555 exchanges are never in the sandbox inventory: an outside phone
const OUTSIDE_CALLER = '+12125550143';

interface SandboxCallView {
  id: string;
  from: string;
  to: string;
  state: string;
  farEnd: { address: string; state: string } | null;
  media: { rtpIn: number; rtpOut: number } | null;
}

describe('dialpad end to end (whole stack)', { timeout: 240_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let alicePage: Page;
  let bobPage: Page;
  let alice: SignedUpUser;
  let bob: SignedUpUser;

  async function sandboxCalls(): Promise<SandboxCallView[]> {
    const response = await fetch(`${stack.sandbox!.baseUrl}/sandbox/calls`);
    assert.equal(response.status, 200);
    return (await response.json()) as SandboxCallView[];
  }

  before(async () => {
    stack = await startStack({ web: true, dialpadTestHooks: true }); // window.__dialpad, for getStats()
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
    await saveScreenshot(bobPage, '01-login-phone');
    alice = await signUpThroughUi(alicePage, 'alice', { areaCode: '919' }, (step) =>
      saveScreenshot(alicePage, step === 'form' ? '02-signup' : '04-signup-search-results-sandbox'),
    );
    bob = await signUpThroughUi(bobPage, 'bob', { zip: '27513' }, async (step) => {
      if (step === 'results') await saveScreenshot(bobPage, '04-signup-search-results-phone');
    });
    assert.match(alice.number, /^\+1919\d{7}$/);
    assert.match(bob.number, /^\+1919\d{7}$/);
    assert.notEqual(alice.number, bob.number);
    assert.equal(await alicePage.getByTestId('my-number').innerText(), alice.nationalNumber);
    assert.equal(await bobPage.getByTestId('my-number').innerText(), bob.nationalNumber);
    await Promise.all([waitRegistered(alicePage), waitRegistered(bobPage)]);
    await saveScreenshot(alicePage, '07-dialpad');
    await saveScreenshot(bobPage, '08-dialpad-phone');

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
    await saveScreenshot(alicePage, '09-calling');
    await saveScreenshot(bobPage, '10-incoming-call-phone');

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
    await alicePage.getByRole('button', { name: 'Mute' }).click();
    assert.equal(await alicePage.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed'), 'true');
    const micEnabled = () =>
      alicePage.evaluate(() => {
        const handle = (globalThis as unknown as { __dialpad: { peerConnection: PagePeerConnection } }).__dialpad;
        return handle.peerConnection.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.enabled;
      });
    assert.equal(await micEnabled(), false);
    await alicePage.getByRole('button', { name: 'Unmute' }).click();
    assert.equal(await micEnabled(), true);

    // DTMF goes in-band through the RTCDTMFSender (typed on the keyboard and tapped on the pad).
    await alicePage.getByRole('button', { name: 'Keypad' }).click();
    await alicePage.getByRole('button', { name: '5 JKL' }).click();
    await alicePage.keyboard.press('#');
    assert.equal(await alicePage.getByLabel('Tones sent').innerText(), '5#');
    await saveScreenshot(alicePage, '14-in-call');
    await saveScreenshot(bobPage, '15-in-call-phone');

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
    await saveScreenshot(alicePage, '18-call-ended');
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
      async () =>
        (await sandboxCalls()).find((call) => call.farEnd?.address === OUTSIDE_NUMBER && (call.media?.rtpIn ?? 0) > 0),
      { timeoutMs: 10_000, description: 'far end receiving RTP' },
    );
    assert.equal(farEndCall.from, alice.number, 'the outside phone sees alice’s number as caller id');
    await alicePage.getByRole('button', { name: 'Hang up' }).click();
    await waitFor(async () => (await sandboxCalls()).find((call) => call.id === farEndCall.id)?.state === 'completed', {
      description: 'far end call completed',
    });
    await alicePage.getByTestId('last-call').waitFor();
  });

  it('says in plain words why the app refused a call: a personal number (+1 500), typed as people type it', async () => {
    await alicePage.getByLabel('Phone number').fill('(500) 234-5678');
    await alicePage.getByRole('button', { name: 'Call', exact: true }).click();
    await alicePage.getByTestId('last-call').getByText('this kind of number').waitFor({ timeout: 20_000 });
    assert.equal(
      await alicePage.getByTestId('last-call').innerText(),
      'Not called: this kind of number (personal, VoIP, pager…) cannot be called from here.',
    );
    // The app's transfer would be a call from alice's number to the dialled one: there is none.
    const placed = (await sandboxCalls()).filter((call) => call.to === '+15002345678' && call.from === alice.number);
    assert.deepEqual(placed, [], 'no call to the number was placed');
    await saveScreenshot(alicePage, '18b-call-refused');
  });

  it('rings on a call from outside to the user’s number and answers it with audio', async () => {
    await alicePage.getByRole('tab', { name: 'SIP account' }).click(); // a call must pull the dialpad forward
    const response = await fetch(`${stack.sandbox!.baseUrl}/sandbox/calls/inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: OUTSIDE_CALLER, to: alice.number }),
    });
    assert.equal(response.status, 201);
    await waitCallState(alicePage, 'incoming');
    assert.equal(await alicePage.getByTestId('call-peer').innerText(), '(212) 555-0143');
    await saveScreenshot(alicePage, '16-incoming-outside-call');
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
    await saveScreenshot(alicePage, '17-recent-calls');
    await alicePage.getByRole('tab', { name: 'Dialpad' }).click();
  });

  it('shows the SIP credentials of the user’s endpoint on request', async () => {
    await bobPage.getByRole('tab', { name: 'SIP account' }).click();
    await bobPage.getByRole('button', { name: 'Show SIP credentials' }).click();
    await bobPage.getByTestId('sip-credentials').waitFor();
    const text = await bobPage.getByTestId('sip-credentials').innerText();
    const sipUri = (await storedSession(bobPage))!.user.sipUri!;
    assert.ok(text.includes(sipUri), `${text} should include ${sipUri}`);
    assert.ok(text.includes(stack.sandbox!.websocketUrl), text);
    await saveScreenshot(bobPage, '12-sip-credentials-phone');
    await bobPage.getByRole('button', { name: 'Hide credentials' }).click();
    await bobPage.getByRole('tab', { name: 'Dialpad' }).click();
  });

  it('refreshes the endpoint token before it expires and stays registered', async () => {
    const context = await newTestContext(browser, { viewport: { width: 1024, height: 820 } });
    await context.clock.install(); // page timers under test control: an hour passes in a moment
    const page = await context.newPage();
    // Watch the tokens the API issues and the token each REGISTER carries on the SIP WebSocket.
    const issuedTokens: string[] = [];
    const registerTokens: string[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/api/me/webrtc-token')) {
        void response.json().then(
          (body: { token: string }) => issuedTokens.push(body.token),
          () => undefined,
        );
      }
    });
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        const text = String(frame.payload);
        const token = /^X-Callsign-Token: *(\S+)/im.exec(text)?.[1];
        if (text.startsWith('REGISTER ') && token) registerTokens.push(token);
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

    await context.clock.fastForward('59:30'); // one-hour token: refreshed a minute before expiry
    await waitFor(() => issuedTokens.length >= 2, { description: 'token refresh' });
    assert.notEqual(issuedTokens[1], issuedTokens[0]);
    await waitFor(() => registerTokens.includes(issuedTokens[1]!), { description: 're-REGISTER with the new token' });
    await waitRegistered(page);
    await context.close();
  });

  it('reconnects and registers again after the SIP connection drops', async () => {
    await waitRegistered(bobPage);
    assert.equal(await dropWebSockets(bobPage), 1, 'one SIP WebSocket was open');
    await waitFor(
      async () => (await bobPage.getByTestId('registration-status').getAttribute('data-state')) !== 'registered',
      {
        description: 'lost connection shown',
      },
    );
    await waitRegistered(bobPage);
    // Registered for real: a call to bob's number rings this page again.
    const response = await fetch(`${stack.sandbox!.baseUrl}/sandbox/calls/inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: OUTSIDE_CALLER, to: bob.number }),
    });
    assert.equal(response.status, 201);
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
