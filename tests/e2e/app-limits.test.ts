// The dialpad facing the cost and fraud limits, in headless Chromium against the scripted fake API: it sends
// the search result's signature with the order (the fake refuses an order without it), says in plain words
// when a limit refused it and when to try again, asks for the invitation code when sign-up needs one, and
// shows fresh numbers when an offer expired.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStaticServer, type StaticServer } from '../../dev/static-server';
import { buildWeb } from '../../web/build';
import { launchChromium } from './support/chromium';
import { startFakeApi, type FakeApi } from './support/fake-api';
import { saveScreenshot } from './support/screenshots';

describe('dialpad and the limits (fake API)', { timeout: 120_000 }, () => {
  let outDir: string;
  let web: StaticServer;
  let api: FakeApi;
  let browser: Browser;

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'dialpad-limits-'));
    await buildWeb({ outDir });
    let webUrl = '';
    api = await startFakeApi(() => webUrl);
    web = await startStaticServer({ root: outDir, port: 0, clientConfig: () => ({ apiBaseUrl: api.url }) });
    webUrl = web.url;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await api?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  async function signupPage(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByRole('textbox', { name: 'Area code' }).fill('919');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('(919) 555-0123', { exact: true }).click(); // not 0100: the fake's race number
    return page;
  }

  it('says when a sign-up limit lifts, in plain words', async () => {
    const page = await signupPage('scripted');
    await page.getByRole('button', { name: 'Get (919) 555-0123' }).click();
    await page.locator('#order-error').getByText('Please try again in 42 minutes.').waitFor();
    assert.equal(
      await page.locator('#order-error').innerText(),
      'Too many accounts were created from your network recently. Please try again in 42 minutes.',
    );
    await saveScreenshot(page, '17-signup-limit-reached');
    await page.context().close();
  });

  it('asks for the invitation code when sign-up needs one, and signs up with it', async () => {
    const page = await signupPage('invited');
    await page.getByRole('button', { name: 'Get (919) 555-0123' }).click();
    const code = page.getByLabel('Invitation code');
    await code.waitFor();
    assert.match(await page.locator('#signup-code-error').innerText(), /invitation/);
    assert.equal(await code.evaluate((element) => element === element.ownerDocument.activeElement), true);
    await code.fill('wrong-code');
    await page.getByRole('button', { name: 'Get (919) 555-0123' }).click();
    await page.locator('#signup-code-error').getByText('not valid').waitFor();
    await saveScreenshot(page, '18-signup-invitation-code');
    await code.fill('let-me-in');
    await page.getByRole('button', { name: 'Get (919) 555-0123' }).click();
    await page.getByTestId('my-number').waitFor();
    assert.equal(await page.getByTestId('my-number').innerText(), '(919) 555-0123');
    const orders = api.requests.filter((request) => request === 'POST /api/users');
    assert.ok(orders.length >= 3);
    await page.context().close();
  });

  it('shows fresh numbers when the offer expired', async () => {
    const page = await signupPage('late');
    await page.getByRole('button', { name: 'Get (919) 555-0123' }).click();
    await page.getByText('offered too long ago').waitFor();
    await page.getByText('(919) 555-0177', { exact: true }).click();
    await page.getByRole('button', { name: 'Get (919) 555-0177' }).click();
    await page.getByTestId('my-number').waitFor();
    await page.context().close();
  });

  it('says when log-in attempts may start again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(web.url);
    await page.getByLabel('Username').fill('hammer');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.locator('#login-error').getByText('Too many log-in attempts. Please try again in a minute.').waitFor();
    await context.close();
  });
});
