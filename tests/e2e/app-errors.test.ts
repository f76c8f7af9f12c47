// The dialpad's own handling of every API answer that is not a plain success, in headless Chromium
// against a scripted fake API (tests/e2e/support/fake-api.ts): invalid input, username taken, the
// number sold meanwhile, Catapult down, unknown username, and an expired session (401 → log-out).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from './support/chromium';
import { overflowsHorizontally, unlabelledControls } from './support/dialpad-page';
import { useFakeApiDialpad } from './support/fake-api-dialpad';
import { saveScreenshot } from './support/screenshots';

describe('dialpad error handling (fake API)', { timeout: 120_000 }, () => {
  const dialpad = useFakeApiDialpad('dialpad-');

  async function openPage(): Promise<Page> {
    const context = await dialpad.browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(dialpad.web.url);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    return page;
  }

  it('sends an unknown username to sign-up with the name filled in, creating nothing', async () => {
    const page = await openPage();
    await saveScreenshot(page, '01-login');
    await page.getByLabel('Username').fill('ghost');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'ghost');
    assert.match(await page.locator('.notice').innerText(), /no account named “ghost”/);
    assert.ok(!dialpad.api.requests.some((request) => request.startsWith('POST /api/users')), 'log-in never signs up');
    await saveScreenshot(page, '02-signup-unknown-user');
    await page.context().close();
  });

  it('checks search input locally and shows server search errors and Catapult outages', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: 'Create an account' }).click();
    const before = dialpad.api.requests.length;
    await page.getByRole('textbox', { name: 'Area code' }).fill('12');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(await page.locator('#search-error').innerText(), /3-digit area code/);
    // Three digits that no US area code can be, and two letters that are no state, are named as such.
    await page.getByRole('textbox', { name: 'Area code' }).fill('000');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.equal(
      await page.locator('#search-error').innerText(),
      '000 is not an area code: US area codes start with 2 to 9, like 919.',
    );
    await page.getByRole('radio', { name: 'City & state' }).check();
    await page.getByRole('textbox', { name: 'City' }).fill('Cary');
    await page.getByRole('textbox', { name: 'State' }).fill('xx');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.equal(
      await page.locator('#search-error').innerText(),
      'XX is not a US state. Use its 2-letter code, like NC.',
    );
    assert.equal(dialpad.api.requests.length, before, 'malformed input never reaches the API');
    await page.getByRole('radio', { name: 'Area code' }).check();

    await page.getByRole('textbox', { name: 'Area code' }).fill('555');
    await page.getByRole('button', { name: 'Search' }).click();
    await waitFor(async () => /not a real area code/.test(await page.locator('#search-error').innerText()), {
      description: 'invalid-search',
    });

    await page.getByRole('textbox', { name: 'Area code' }).fill('907');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No numbers available there').waitFor();

    await page.getByRole('radio', { name: 'ZIP' }).check();
    await page.getByRole('textbox', { name: 'ZIP code' }).fill('99999');
    await page.getByRole('button', { name: 'Search' }).click();
    await waitFor(async () => /phone network is not answering/.test(await page.locator('#search-error').innerText()), {
      description: 'provider-unavailable message',
    });
    assert.equal(
      await page.getByText('No numbers available there').count(),
      0,
      'no stale results after a failed search',
    );
    await saveScreenshot(page, '03-signup-catapult-down');
    await page.context().close();
  });

  it('handles a taken username and a number sold meanwhile, then signs up', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill('taken');
    await page.getByRole('textbox', { name: 'Area code' }).fill('919');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('(919) 555-0123', { exact: true }).waitFor();
    await saveScreenshot(page, '04-signup-search-results');

    await page.getByRole('button', { name: 'Get (919) 555-0100' }).click();
    await page.locator('#signup-username-error').waitFor();
    assert.match(await page.locator('#signup-username-error').innerText(), /username is taken/);
    assert.equal(
      await page.locator('#signup-username').evaluate((element) => element === element.ownerDocument.activeElement),
      true,
      'focus moves to the field to fix',
    );
    await saveScreenshot(page, '05-signup-username-taken');

    await page.getByLabel('Username').fill('carol');
    await page.getByRole('button', { name: 'Get (919) 555-0100' }).click();
    // The number went to someone else: the dialpad says so and shows fresh numbers at once.
    await page.getByText('Someone else just took that number').waitFor();
    await page.getByText('(919) 555-0177', { exact: true }).waitFor();
    assert.equal(await page.getByText('(919) 555-0100', { exact: true }).count(), 0);
    await saveScreenshot(page, '06-signup-number-taken');

    await page.getByRole('button', { name: 'Get (919) 555-0177' }).click();
    await page.getByText('Ordering the number and setting up calling').waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Ordering your number…' }).isDisabled(),
      true,
      'no double order',
    );
    await saveScreenshot(page, '06-signup-ordering');
    await page.getByTestId('my-number').waitFor();
    assert.equal(await page.getByTestId('my-number').innerText(), '(919) 555-0177');
    // Without a working token endpoint the phone says it is not connected, rather than pretending.
    await waitFor(async () => (await page.getByTestId('registration-status').getAttribute('data-state')) === 'failed', {
      description: 'registration failed state',
    });
    await page.context().close();
  });

  it('shows call history and SIP credentials only on request, with copy buttons', async () => {
    const page = await openPage();
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('tab', { name: 'Recent' }).click();
    await page.getByTestId('call-history').waitFor();
    const items = await page.locator('.history-item').allInnerTexts();
    assert.equal(items.length, 3);
    assert.match(items[0]!, /\(919\) 555-0199[\s\S]*3:15/);
    assert.match(items[1]!, /\(800\) 555-0111[\s\S]*No answer/);
    assert.match(items[2]!, /Missed/);
    await saveScreenshot(page, '11-call-history');

    await page.getByRole('tab', { name: 'Account' }).click();
    assert.ok(!dialpad.api.requests.includes('GET /api/me/sip'), 'credentials are not fetched until asked for');
    assert.equal(await page.getByText('Xq7-secret-Pw4').count(), 0);
    await page.getByRole('button', { name: 'Show SIP credentials' }).click();
    await page.getByText('Xq7-secret-Pw4').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Copy / }).count(), 5);
    await saveScreenshot(page, '12-sip-credentials');
    await page.getByRole('button', { name: 'Hide credentials' }).click();
    assert.equal(await page.getByText('Xq7-secret-Pw4').count(), 0);
    await page.context().close();
  });

  it('fits a 360 px phone and labels every control on every screen', async () => {
    const context = await dialpad.browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(dialpad.web.url);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const check = async (screen: string) => {
      assert.deepEqual(await unlabelledControls(page), [], `${screen}: unlabelled controls`);
      assert.equal(await overflowsHorizontally(page), false, `${screen}: wider than 360 px`);
    };
    await check('log-in');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('radio', { name: 'City & state' }).check();
    await page.getByRole('textbox', { name: 'City' }).fill('Cary');
    await page.getByRole('textbox', { name: 'State' }).fill('NC');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: /^Get / }).waitFor();
    await check('sign-up');
    await saveScreenshot(page, '04-signup-city-360');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('my-number').waitFor();
    await check('dialpad');
    await saveScreenshot(page, '08-dialpad-360');
    for (const tab of ['Recent', 'Account']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Account') await page.getByRole('button', { name: 'Show SIP credentials' }).click();
      await page.waitForTimeout(200);
      await check(tab);
    }
    await context.close();
  });

  it('keeps asking for calling credentials while the token endpoint fails', async () => {
    const context = await dialpad.browser.newContext();
    await context.clock.install();
    const page = await context.newPage();
    let tokenRequests = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/me/webrtc-token')) tokenRequests++;
    });
    await page.goto(dialpad.web.url);
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await waitFor(async () => (await page.getByTestId('registration-status').getAttribute('data-state')) === 'failed', {
      description: 'failed state shown',
    });
    assert.equal(tokenRequests, 1);
    assert.match((await page.getByTestId('registration-status').getAttribute('title')) ?? '', /Retrying/);
    await context.clock.fastForward('00:11');
    await waitFor(() => tokenRequests >= 2, { description: 'second token request after 10 s' });
    await context.close();
  });

  it('is installable: a manifest, and a service worker that serves the shell offline but never the API', async () => {
    const page = await openPage();
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (
      await page.context().request.get(new URL(manifestHref!, dialpad.web.url).href)
    ).json()) as {
      display: string;
    };
    assert.equal(manifest.display, 'standalone');
    const state = await waitFor(
      () =>
        page.evaluate(async () => {
          const workers = (
            globalThis as unknown as {
              navigator: { serviceWorker: { ready: Promise<{ active: { state: string } | null }> } };
            }
          ).navigator.serviceWorker;
          return (await workers.ready).active?.state === 'activated';
        }),
      { description: 'service worker activated' },
    );
    assert.equal(state, true);
    await page.reload(); // now controlled by the worker
    await page.getByRole('heading', { name: 'Log in' }).waitFor();

    await page.context().setOffline(true);
    await page.reload();
    // The shell (HTML, JS, CSS) comes from the cache; config.json is never cached, so the app says so.
    await page.getByRole('heading', { name: 'You are offline' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /needs a connection/);
    await saveScreenshot(page, '19-offline');
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.context().close();
  });

  it('logs out cleanly when the API answers 401, and keeps nothing in storage', async () => {
    const page = await openPage();
    await page.getByLabel('Username').fill('eve');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByTestId('my-number').waitFor();
    assert.ok(await page.evaluate(() => localStorage.getItem('voice-ref.session')));
    await page.getByRole('tab', { name: 'Recent' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.match(await page.locator('.notice').innerText(), /session has ended/);
    assert.ok(dialpad.api.requests.includes('POST /api/token'), 'a refresh was tried before giving up');
    assert.equal(await page.getByLabel('Username').inputValue(), 'eve', 'the name is kept for logging in again');
    assert.equal(await page.evaluate(() => localStorage.getItem('voice-ref.session')), null);
    await saveScreenshot(page, '13-session-expired');
    await page.context().close();
  });
});
