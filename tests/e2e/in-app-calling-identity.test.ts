// What a dialpad on Bandwidth In-App Calling cannot do, tried from a real browser: In-App Calling tokens are
// account-wide, so the only proof of WHO is calling is the app-signed caller token in the INVITE's
// User-to-User header. Here the page's own SIP traffic is rewritten in flight (as a user who controls their
// browser could) to forge that proof, and no forged call may reach the phone network, let alone with another
// user's number. And no token of the credential that orders numbers may ever reach the browser: every string
// the page receives that looks like a token is tried against the Numbers API.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../dev/stack';
import type { SessionResponse } from '../../core/api-types';
import { callApi } from '../support/api-client';
import { launchChromium, newTestContext, waitFor } from './support/chromium';
import { waitCallEnded, waitCallState, waitRegistered } from './support/dialpad-page';
import { PROVIDERS } from './support/provider-under-test';
import { GENEROUS_LIMITS } from '../support/test-limits';

const OUTSIDE_NUMBER = '+19195550142';
const bandwidth = PROVIDERS.bandwidth;

interface SignedUp {
  username: string;
  number: string;
  session: SessionResponse;
}

type Forgery = (invite: string, victim: SignedUp) => string;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const uuiOf = (invite: string) => /^User-to-User: *([^;\r\n]+)/im.exec(invite)?.[1];
const withUui = (invite: string, token: string | undefined) => {
  const without = invite.replace(/^User-to-User:[^\r\n]*\r\n/im, '');
  return token === undefined ? without : without.replace('\r\n', `\r\nUser-to-User: ${token};encoding=jwt\r\n`);
};

/** The ways a browser might try to call as someone else. */
const FORGERIES: Record<string, Forgery> = {
  'its own caller token with the subject changed to the victim (signature kept)': (invite, victim) => {
    const [header, payload, signature] = uuiOf(invite)!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    return withUui(invite, `${header}.${base64url({ ...claims, sub: victim.username })}.${signature}`);
  },
  'a caller token for the victim signed with a key of its own': (invite, victim) => {
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({
      sub: victim.username,
      purpose: 'call',
      exp: Math.floor(Date.now() / 1000) + 300,
    })}`;
    const signature = createHmac('sha256', randomBytes(32)).update(unsigned).digest('base64url');
    return withUui(invite, `${unsigned}.${signature}`);
  },
  'an unsigned caller token for the victim (alg none)': (invite, victim) =>
    withUui(
      invite,
      `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: victim.username, purpose: 'call', exp: 9e9 })}.`,
    ),
  'no caller token at all': (invite) => withUui(invite, undefined),
};

describe(
  'In-App Calling: a dialpad cannot call as another user or see the ordering credential',
  { timeout: 180_000 },
  () => {
    let stack: Stack;
    let browser: Browser;
    let page: Page;
    let alice: SignedUp;
    let bob: SignedUp;
    let forge: Forgery | undefined;
    const received: string[] = [];
    let invitesSent = 0;

    async function signUp(username: string): Promise<SignedUp> {
      const search = await callApi(stack.apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=5');
      assert.equal(search.status, 200, JSON.stringify(search.json));
      const taken = new Set([alice?.number, bob?.number]);
      const offers = search.json.numbers as Array<{ number: string; signature: string }>;
      const { number, signature } = offers.find((n) => !taken.has(n.number))!;
      const created = await callApi(stack.apiUrl, 'POST', '/api/users', { body: { username, number, signature } });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      return { username, number, session: created.json as SessionResponse };
    }

    before(async () => {
      stack = await startStack({ env: GENEROUS_LIMITS, provider: 'bandwidth', web: true });
      alice = await signUp('alice');
      bob = await signUp('bob');
      browser = await launchChromium();
      const context = await newTestContext(browser, { viewport: { width: 1024, height: 820 } });
      // Alice has already declined the passkey offer a fresh sign-up shows: the dialpad is up at once.
      const session = { ...alice.session, passkeySetup: 'none' };
      await context.addInitScript(
        `localStorage.setItem('voice-ref.session', ${JSON.stringify(JSON.stringify(session))});`,
      );
      page = await context.newPage();
      // Everything the page receives: API answers and WebSocket frames (SIP, notifications).
      page.on('response', (response) => {
        void response.text().then(
          (text) => received.push(text, JSON.stringify(response.headers())),
          () => undefined,
        );
      });
      page.on('websocket', (socket) => socket.on('framereceived', (frame) => received.push(String(frame.payload))));
      // Alice's browser, under her control: each INVITE she sends may be rewritten before it leaves.
      await page.routeWebSocket(/\/bandwidth\/webrtc/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          const text = String(message);
          if (text.startsWith('INVITE ')) invitesSent += 1;
          server.send(forge && text.startsWith('INVITE ') ? forge(text, bob) : text);
        });
      });
      await page.goto(stack.webUrl!);
      await waitRegistered(page);
    });
    after(async () => {
      await browser?.close();
      await stack?.stop();
    });

    async function transferLegsTo(number: string) {
      const response = await fetch(`${stack.sandbox!.baseUrl}/sandbox/bandwidth/calls`);
      const calls = (await response.json()) as Array<{ origin: string; to: string; from: string }>;
      return calls.filter((call) => call.origin === 'transfer' && call.to === number);
    }

    async function dial(number: string): Promise<void> {
      await page.getByLabel('Phone number').fill(number);
      await page.getByRole('button', { name: 'Call', exact: true }).click();
    }

    for (const [name, forgery] of Object.entries(FORGERIES)) {
      it(`refuses a call made with ${name}`, async () => {
        const before = (await transferLegsTo(OUTSIDE_NUMBER)).length;
        const invitesBefore = invitesSent;
        forge = forgery;
        try {
          await dial(OUTSIDE_NUMBER);
          await waitFor(() => invitesSent > invitesBefore, { description: 'the forged INVITE sent' });
          await waitCallEnded(page);
        } finally {
          forge = undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, 300)); // a late transfer would show by now
        assert.equal((await transferLegsTo(OUTSIDE_NUMBER)).length, before, 'nothing reached the phone network');
      });
    }

    it('calls as alice with her genuine caller token, even with a From header claiming bob’s number', async () => {
      // The SIP From is the browser's to write; the app never takes the caller from it. (The tag stays: it is
      // the dialog's.)
      forge = (invite, victim) =>
        invite.replace(
          /^(From: *)[^<\r\n]*<[^>]*>/im,
          `$1"${victim.username}" <sip:${victim.number}@gw.webrtc.invalid>`,
        );
      try {
        await dial(OUTSIDE_NUMBER);
        await waitCallState(page, 'active', 20_000);
      } finally {
        forge = undefined;
      }
      const legs = await transferLegsTo(OUTSIDE_NUMBER);
      assert.equal(legs.at(-1)?.from, alice.number, 'the outside phone sees alice’s number');
      assert.ok(
        legs.every((leg) => leg.from !== bob.number),
        'no call ever carried bob’s number',
      );
      await page.getByRole('button', { name: 'Hang up' }).click();
      await page.getByTestId('last-call').waitFor();
    });

    it('never hands the browser a token of the credential that orders numbers', async () => {
      const { accountId, clientId, clientSecret, oauthUrl, apiUrl } = stack.sandbox!.bandwidth!;
      const numbersApi = `${apiUrl}/api/accounts/${accountId}/availableNumbers?areaCode=919&quantity=1`;
      const tryToken = async (token: string) =>
        (await fetch(numbersApi, { headers: { Authorization: `Bearer ${token}` } })).status;

      // The check can fail: a token of the ordering credential opens the Numbers API.
      const grant = await fetch(oauthUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const ordering = ((await grant.json()) as { access_token: string }).access_token;
      assert.equal(await tryToken(ordering), 200);

      // What the browser holds: its In-App Calling token works on the gateway (it registered) but not on Numbers.
      const issued = await callApi(stack.apiUrl, 'POST', '/api/me/webrtc-token', {
        token: (alice.session as { token: string }).token,
      });
      assert.equal(issued.status, 200);
      assert.equal(bandwidth.issuedCredential(issued.json), issued.json.token);
      assert.equal(await tryToken(String(issued.json.token)), 403, 'the browser’s token is the narrow credential’s');

      const candidates = new Set(received.join('\n').match(/[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*/g) ?? []);
      assert.ok(candidates.size > 5, `the page received tokens to check (${candidates.size})`);
      for (const candidate of candidates) {
        assert.notEqual(await tryToken(candidate), 200, `the browser received a token that opens the Numbers API`);
      }
    });
  },
);
