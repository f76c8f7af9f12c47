// What a person is told when a call does not go through, and how the call is going while it does, in headless
// Chromium against the whole stack on each provider (the same journeys on Catapult and on Bandwidth). Each
// failed-call cause shows the same plain words live and in the history; a refused dial says why before any call is
// placed. The quality warnings are driven by real impairment: the call's media goes through a loopback relay
// (support/impairing-relay.ts) that drops, jitters and delays its packets, and the dialpad reads the result from its
// own getStats(). The relay is the test's on both providers: the Catapult sandbox proxies media browser ⇄ far end
// directly and has no impairment of its own, and the Bandwidth sandbox's per-leg impairment drops and delays only
// the RTP the platform sends (no jitter, and its RTCP is not delayed, so the round trip would not grow).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type ProviderName, type Stack } from '../../dev/stack';
import { launchChromium, waitFor } from './support/chromium';
import { waitCallState, waitForAudio, waitRegistered } from './support/dialpad-page';
import { rewriteSipBody, startImpairingRelay, type ImpairingRelay } from './support/impairing-relay';
import { PROVIDERS } from './support/provider-under-test';
import { saveScreenshot } from './support/screenshots';
import {
  countInvites,
  dial,
  openDialpad,
  setOutsidePhone,
  signUp,
  waitLastCall,
  type Person,
} from './support/softphone-fixture';
import { GENEROUS_LIMITS } from '../support/test-limits';

const BUSY_NUMBER = '+19195550131';
const NO_ANSWER_NUMBER = '+19195550132';
const QUALITY_NUMBER = '+19195550133';
/** What each refused dial is called, as typed, and the words for it (live, and in the history). */
const REFUSED: Array<[string, string]> = [
  ['1-900-200-0000', 'Calls to premium-rate numbers are blocked'],
  ['+44 20 7946 0958', 'Calls to that country are not allowed'],
  ['12345', 'Not a valid number'],
  // A personal number (+1 500) as people type it: valid, but not a kind of number people call.
  ['(500) 234-5678', 'Calls to this kind of number (personal, VoIP, pager…) are not allowed'],
];
const exactly = (words: string) => new RegExp(`^${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

for (const providerName of ['catapult', 'bandwidth'] as const)
  describe(`call outcomes and call quality (whole stack, ${providerName})`, { timeout: 240_000 }, () =>
    callOutcomesAndQuality(providerName),
  );

function callOutcomesAndQuality(providerName: ProviderName): void {
  const provider = PROVIDERS[providerName];
  const shot = (page: Page, name: string) =>
    providerName === 'catapult' ? saveScreenshot(page, name) : Promise.resolve();
  let stack: Stack;
  let browser: Browser;
  let frank: Person;
  let gina: Person;
  let frankPage: Page;
  let ginaPage: Page;
  let hankPage: Page;
  let invites: () => number;
  let relay: ImpairingRelay;
  let noAnswerStarted = 0;

  before(async () => {
    stack = await startStack({ env: GENEROUS_LIMITS, web: true, dialpadTestHooks: true, provider: providerName });
    browser = await launchChromium();
    relay = await startImpairingRelay();
    const [hank, ivy] = [await signUp(stack, 'hank'), await signUp(stack, 'ivy')];
    [frank, gina] = [await signUp(stack, 'frank'), await signUp(stack, 'gina')];
    await setOutsidePhone(stack, BUSY_NUMBER, 'busy');
    await setOutsidePhone(stack, NO_ANSWER_NUMBER, 'no-answer');
    // Nobody answers for the app's 60 s: that call starts first and is looked at last.
    hankPage = await openDialpad(browser, stack, hank);
    await dial(hankPage, NO_ANSWER_NUMBER);
    noAnswerStarted = Date.now();
    [frankPage, ginaPage] = await Promise.all([
      openDialpad(browser, stack, frank, { beforeLoad: async (page) => void (invites = countInvites(page)) }),
      openDialpad(browser, stack, gina),
    ]);
    ivyPage = await openDialpad(browser, stack, ivy, { beforeLoad: routeThroughRelay });
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await stack?.stop();
  });
  let ivyPage: Page;

  /** The call to QUALITY_NUMBER goes through the relay: its INVITE's and 200 OK's SDP point each side at it. */
  async function routeThroughRelay(page: Page): Promise<void> {
    await page.routeWebSocket(provider.sipWebSocket, (ws) => {
      const server = ws.connectToServer();
      let callId: string | undefined;
      ws.onMessage((message) => {
        let text = String(message);
        if (text.startsWith(`INVITE sip:${QUALITY_NUMBER}@`) && !/^To:.*;tag=/im.test(text)) {
          callId = /^Call-ID: *(\S+)/im.exec(text)?.[1];
          text = rewriteSipBody(text, relay.rewriteOffer);
        }
        server.send(text);
      });
      server.onMessage((message) => {
        let text = String(message);
        if (callId && text.startsWith('SIP/2.0 200') && text.includes(callId) && /^CSeq: *\d+ INVITE/im.test(text))
          text = rewriteSipBody(text, relay.rewriteAnswer);
        ws.send(text);
      });
    });
  }

  const dialError = () => frankPage.locator('#dial-error').innerText();
  /** The refused dials the history knows (`12345` stops at Bandwidth's gateway: sipRefusesNonNumbers). */
  const reachingApp = REFUSED.filter(([typed]) => !(provider.sipRefusesNonNumbers && typed === '12345'));

  it('says why a dial is refused before any call is placed', async () => {
    for (const [typed, words] of [...REFUSED, [frank.nationalNumber, 'That is your own number']]) {
      await dial(frankPage, typed!);
      await waitFor(async () => (await dialError().catch(() => '')) === words, { description: `${typed}: ${words}` });
      if (typed === REFUSED[0]![0]) await shot(frankPage, '31-dial-refused-premium');
    }
    await frankPage.waitForTimeout(300);
    assert.equal(invites(), 0, 'no INVITE left the page');
  });

  it('shows the same words live and in the history for each refused call that reached the app', async () => {
    // A dial check that cannot be had does not stop the call: the app refuses it, and the history says why.
    // The dialpad keeps the verdicts it had: a fresh load forgets them, so each dial asks (and fails to).
    await frankPage.route('**/api/me/dial-check**', (route) => route.abort());
    await frankPage.reload();
    await waitRegistered(frankPage);
    for (const [typed, words] of [...REFUSED, [frank.nationalNumber, 'That is your own number']]) {
      const before = invites();
      await dial(frankPage, typed!);
      await waitFor(() => invites() > before, { description: `${typed} placed` });
      assert.equal(await waitLastCall(frankPage, exactly(words!)), words);
    }
    await frankPage.unroute('**/api/me/dial-check**');
  });

  it('says Busy and Declined, live and in the history, and a declined call is not a missed one', async () => {
    await dial(frankPage, BUSY_NUMBER);
    await waitLastCall(frankPage, /^Busy$/);
    await dial(frankPage, gina.nationalNumber);
    await waitCallState(ginaPage, 'incoming');
    await ginaPage.getByRole('button', { name: 'Decline' }).click();
    await waitLastCall(ginaPage, /^Declined$/);
    await shot(ginaPage, '32-call-declined');
    // Declined, frank goes on to gina's voicemail: the greeting answers his call; he hangs up without a message.
    await waitCallState(frankPage, 'active', 30_000);
    await frankPage.getByRole('button', { name: 'Hang up' }).click();
    await waitLastCall(frankPage, /^You hung up/);

    await ginaPage.getByRole('tab', { name: /Recent/ }).click();
    const row = ginaPage.locator('.history-item').first();
    await waitFor(async () => /Declined/.test(await row.innerText()), { description: 'gina’s history' });
    assert.match(await row.innerText(), /frank/);
    assert.equal(await row.getAttribute('data-missed'), null, 'declined, not missed');
    assert.equal(await ginaPage.getByTestId('tab-badge-history').count(), 0);
  });

  it('says No answer after the app’s 60 s, live and in the history; the history has every cause in the same words', async () => {
    await waitLastCall(hankPage, /^No answer$/, Math.max(5_000, noAnswerStarted + 75_000 - Date.now()));
    await hankPage.getByRole('tab', { name: /Recent/ }).click();
    await waitFor(async () => /No answer/.test(await hankPage.locator('.history-item').first().innerText()), {
      description: 'hank’s history says No answer',
    });

    await frankPage.getByRole('tab', { name: /Recent/ }).click();
    const history = await waitFor(
      async () => {
        const text = (await frankPage.locator('.history-item').allInnerTexts()).join('\n');
        return text.includes('Declined') ? text : undefined;
      },
      { description: 'frank’s history' },
    );
    for (const words of [...reachingApp.map(([, w]) => w), 'That is your own number', 'Busy', 'Declined'])
      assert.ok(history.includes(words), `${words} in\n${history}`);
    assert.doesNotMatch(history, /Failed|_|normal clearing/i, 'no telco jargon');
    await shot(frankPage, '33-recent-plain-words');
    await frankPage.getByRole('tab', { name: 'Dialpad' }).click();
  });

  it('warns of loss, jitter and delay under real impairment, and says when the connection drops and recovers', async () => {
    const notice = async () =>
      ivyPage
        .getByTestId('call-quality')
        .innerText({ timeout: 200 })
        .catch(() => '');
    let lastNotice = '';
    const waitNotice = (pattern: RegExp, timeoutMs = 15_000) =>
      waitFor(async () => pattern.test((lastNotice = await notice())), { timeoutMs, intervalMs: 200 }).catch(
        (error: unknown) => {
          throw new Error(`no notice ${pattern} in ${timeoutMs} ms; it said ${JSON.stringify(lastNotice)}`, {
            cause: error,
          });
        },
      );
    await dial(ivyPage, QUALITY_NUMBER);
    await waitCallState(ivyPage, 'active', 20_000);
    await waitForAudio(ivyPage, 'audio through the relay');
    assert.ok(relay.counts.toBrowser > 0 && relay.counts.toFarEnd > 0, 'the media goes through the relay');

    relay.impair({ lossRate: 0.2 });
    await waitNotice(/some of the audio is being lost/);
    await shot(ivyPage, '34-poor-connection');
    relay.impair({ lossRate: 0 });
    await waitNotice(/^$/);

    relay.impair({ lossRate: 1 });
    await waitNotice(/^Connection lost/, 10_000);
    await shot(ivyPage, '35-connection-lost');
    relay.impair({ lossRate: 0 });
    await waitNotice(/^Connection recovered/, 10_000);

    relay.impair({ jitterMs: 300 });
    await waitNotice(/audio is uneven/, 25_000);
    relay.impair({ jitterMs: 0 });
    await waitNotice(/^$/);

    relay.impair({ delayMs: 350 }); // each way: a 700 ms round trip
    await waitNotice(/audio is delayed/, 25_000);
    relay.impair({ delayMs: 0 });
    await ivyPage.getByRole('button', { name: 'Hang up' }).click();
    await waitLastCall(ivyPage, /You hung up/);
  });
}
