// The dialpad facing the cost and fraud limits, in headless Chromium against the scripted fake API: it sends
// the search result's signature with the order (the fake refuses an order without it), says in plain words
// when a limit refused it and when to try again, asks for the invitation code when sign-up needs one, and
// shows fresh numbers when an offer expired.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useFakeApiDialpad } from './support/fake-api-dialpad';
import { saveScreenshot } from './support/screenshots';

describe('dialpad and the limits (fake API)', { timeout: 120_000 }, () => {
  const dialpad = useFakeApiDialpad('dialpad-limits-');

  async function signupPage(username: string): Promise<Page> {
    const context = await dialpad.browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(dialpad.web.url);
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
    const orders = dialpad.api.requests.filter((request) => request === 'POST /api/users');
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
    const context = await dialpad.browser.newContext();
    const page = await context.newPage();
    await page.goto(dialpad.web.url);
    await page.getByLabel('Username').fill('hammer');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.locator('#login-error').getByText('Too many log-in attempts. Please try again in a minute.').waitFor();
    await context.close();
  });
});
