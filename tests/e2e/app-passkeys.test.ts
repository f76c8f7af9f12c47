// Passkeys and sessions in the dialpad, in headless Chromium with its virtual authenticator (DevTools WebAuthn
// domain) against the whole local stack: the offer after sign-up, what a passkey changes for someone who only
// knows the username (their log-in and the session they already had), passkey log-in with and without the
// username, the account tab's lists, the SIP password (shown, then replaced), ending another session, "log out
// everywhere", and REQUIRE_PASSKEY.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SessionResponse } from '../../core/api-types';
import { startStack, type Stack } from '../../dev/stack';
import { callApi } from '../support/api-client';
import { launchChromium, newTestContext, waitFor } from './support/chromium';
import { logInThroughUi, signUpThroughUi, storedSession, waitRegistered } from './support/dialpad-page';
import { saveScreenshot } from './support/screenshots';
import { addVirtualAuthenticator, type VirtualAuthenticator } from './support/virtual-authenticator';

async function openDialpad(browser: Browser, stack: Stack): Promise<Page> {
  const context = await newTestContext(browser, { viewport: { width: 1024, height: 860 } });
  const page = await context.newPage();
  await page.goto(stack.webUrl!);
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  return page;
}

describe('passkeys in the dialpad (virtual authenticator)', { timeout: 240_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let owner: Page;
  let ownerKey: VirtualAuthenticator;
  let intruder: Page;
  let username: string;

  before(async () => {
    stack = await startStack({ web: true });
    browser = await launchChromium();
    owner = await openDialpad(browser, stack);
    ownerKey = await addVirtualAuthenticator(owner);
    intruder = await openDialpad(browser, stack);
    // A browser with an authenticator that holds nothing for this site: the passkey prompt fails at once.
    await addVirtualAuthenticator(intruder);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const api = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    callApi(stack.apiUrl, method, path, options);

  it('offers a passkey after sign-up; once made, only it opens the account', async () => {
    username = `pk${Date.now().toString(36).slice(-6)}`;
    await signUpThroughUi(owner, username, { areaCode: '919' }, undefined, 'leave');
    await saveScreenshot(owner, '20-passkey-offer');

    // Someone who knows (or guessed) the username logs in with it before the owner makes a passkey.
    await logInThroughUi(intruder, username);
    await intruder.getByTestId('my-number').waitFor();
    const intruderSession = (await storedSession(intruder))!;

    await owner.getByRole('button', { name: 'Create a passkey' }).click();
    await owner.getByRole('tab', { name: 'Dialpad' }).waitFor();
    await waitRegistered(owner);
    const [credential, ...more] = await ownerKey.credentials();
    assert.ok(credential && more.length === 0, 'one passkey on the owner’s authenticator');
    assert.equal(credential.rpId, 'localhost');
    assert.equal(credential.isResidentCredential, true);

    // The intruder's session ended with the first passkey: its tokens answer 401 on every route…
    assert.equal((await api('GET', '/api/me/sip', { token: intruderSession.token })).status, 401);
    assert.equal((await api('POST', '/api/me/webrtc-token', { token: intruderSession.token })).status, 401);
    const refresh = await api('POST', '/api/token', { body: { refreshToken: intruderSession.refreshToken } });
    assert.equal(refresh.status, 401);
    // …and the intruder's dialpad says so the next time it asks for anything.
    await intruder.getByRole('tab', { name: 'Account' }).click();
    await intruder.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.match(await intruder.locator('.notice').innerText(), /session has ended/);
    assert.equal(await storedSession(intruder), undefined);

    // Username-only log-in is refused: the dialpad asks for the passkey, which this browser does not have.
    assert.equal((await api('POST', '/api/login', { body: { username } })).json.error.code, 'passkey-required');
    await logInThroughUi(intruder, username);
    await waitFor(async () => /cancelled or timed out/.test(await intruder.locator('#login-error').innerText()), {
      description: 'the failed passkey prompt explained',
    });
    assert.equal(await storedSession(intruder), undefined);
    await saveScreenshot(intruder, '21-passkey-required-elsewhere');
  });

  it('logs out on the server, then back in with the passkey: by username, or with no username at all', async () => {
    const before = (await storedSession(owner))!;
    await owner.getByRole('button', { name: 'Log out' }).click();
    await owner.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal((await api('GET', '/api/me', { token: before.token })).status, 401, 'log-out ended it on the server');

    await logInThroughUi(owner, username); // the browser's prompt is answered by the virtual authenticator
    await owner.getByTestId('my-number').waitFor();
    const byName = (await storedSession(owner))!;
    assert.notEqual(byName.sessionId, before.sessionId);
    await waitRegistered(owner);

    await owner.getByRole('button', { name: 'Log out' }).click();
    await owner.getByRole('button', { name: 'Log in with a passkey' }).click();
    await owner.getByTestId('my-number').waitFor();
    assert.equal((await storedSession(owner))!.user.username, username);
  });

  it('lists passkeys and sessions; ends another device’s session, then every session', async () => {
    // The same passkey on a second browser profile (as a synced passkey would be).
    const second = await openDialpad(browser, stack);
    const secondKey = await addVirtualAuthenticator(second);
    await secondKey.addCredential((await ownerKey.credentials())[0]!);
    await second.getByRole('button', { name: 'Log in with a passkey' }).click();
    await second.getByTestId('my-number').waitFor();
    const secondSession: SessionResponse = (await storedSession(second))!;

    await owner.getByRole('tab', { name: 'Account' }).click();
    await owner.getByTestId('passkey-list').waitFor();
    assert.equal(await owner.getByTestId('passkey-list').locator('li').count(), 1);
    const sessions = owner.getByTestId('session-list').locator('li');
    await waitFor(async () => (await sessions.count()) === 2, { description: 'two sessions listed' });
    assert.match(await owner.locator('li[data-current="true"]').innerText(), /This device/);
    await saveScreenshot(owner, '22-account-passkeys-sessions');

    await owner
      .locator('li:not([data-current])')
      .getByRole('button', { name: /^Log out / })
      .click();
    await waitFor(async () => (await sessions.count()) === 1, { description: 'the other session ended' });
    assert.equal((await api('GET', '/api/me', { token: secondSession.token })).status, 401);
    await second.getByRole('tab', { name: 'Recent' }).click();
    await second.getByRole('heading', { name: 'Log in' }).waitFor();

    // The SIP password: this passkey session is fresh, so it shows at once; "New password" replaces it.
    await owner.getByRole('button', { name: 'Show SIP credentials' }).click();
    const password = owner
      .getByTestId('sip-credentials')
      .locator('.credential', { hasText: 'Password' })
      .locator('code');
    const shown = await waitFor(async () => (await password.count()) && (await password.innerText()), {
      description: 'the SIP password shown',
    });
    await owner.getByRole('button', { name: 'New password' }).click();
    const rotated = await waitFor(
      async () => {
        const text = await password.innerText();
        return text !== shown ? text : undefined;
      },
      { description: 'the new SIP password shown' },
    );
    assert.ok(rotated.length >= 16);
    await saveScreenshot(owner, '24-sip-password-rotated');

    const current = (await storedSession(owner))!;
    await owner.getByRole('button', { name: 'Log out everywhere' }).click();
    await owner.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.match(await owner.locator('.notice').innerText(), /logged out everywhere/);
    assert.equal((await api('POST', '/api/token', { body: { refreshToken: current.refreshToken } })).status, 401);
    await second.context().close();
  });

  it('without a passkey the journey is unchanged: "Not now", then log in by username', async () => {
    const page = await openDialpad(browser, stack);
    const name = `np${Date.now().toString(36).slice(-6)}`;
    await signUpThroughUi(page, name, { areaCode: '919' }); // declines the offer
    await waitRegistered(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await logInThroughUi(page, name);
    await page.getByTestId('my-number').waitFor();
    await waitRegistered(page);
    await page.context().close();
  });
});

describe('REQUIRE_PASSKEY in the dialpad', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ web: true, env: { REQUIRE_PASSKEY: 'true' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sign-up asks for a passkey before anything else; the phone starts only after', async () => {
    const page = await openDialpad(browser, stack);
    await addVirtualAuthenticator(page);
    const name = `rq${Date.now().toString(36).slice(-6)}`;
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(name);
    await page.getByRole('textbox', { name: 'Area code' }).fill('919');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: /^Get / }).click();
    await page.getByRole('heading', { name: 'Add a passkey to continue' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('button', { name: 'Not now' }).count(), 0);
    assert.equal(await page.getByTestId('registration-status').getAttribute('data-state'), 'offline');
    const setupOnly = (await storedSession(page))!;
    const refused = await callApi(stack.apiUrl, 'GET', '/api/me/sip', { token: setupOnly.token });
    assert.equal(refused.json.error.code, 'passkey-setup-required');
    await saveScreenshot(page, '23-passkey-required');

    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.getByRole('tab', { name: 'Dialpad' }).waitFor();
    await waitRegistered(page);
    await page.context().close();
  });
});
