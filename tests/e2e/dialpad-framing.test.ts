// The dialpad's Content-Security-Policy and its refusal to run inside another site's frame, in headless Chromium:
// served as Blob Storage's static website serves it (no headers of ours: the page must refuse by itself) and as
// a host that sends frame-ancestors 'none' serves it (the browser refuses to frame it at all). A hostile page on
// another origin frames it; the CSP's connect-src names the API's and the SIP WebSocket's origins only.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStaticServer, type StaticServer } from '../../dev/static-server';
import { buildWeb } from '../../web/build';
import { launchChromium, waitFor } from './support/chromium';
import { startFakeApi, type FakeApi } from './support/fake-api';

const SIP_WEBSOCKET_URL = 'wss://sip.example.test:10443/sip';

/** A page on its own origin that frames `target`. */
async function startHostilePage(target: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Win a prize</title><iframe id="victim" src="${target()}"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('dialpad framing and CSP', { timeout: 120_000 }, () => {
  let outDir: string;
  let api: FakeApi;
  let staticSite: StaticServer; // like Blob Storage's static website: no headers of ours
  let headerHost: StaticServer; // a host that sends frame-ancestors 'none'
  let hostile: { url: string; server: Server };
  let frameTarget = '';
  let browser: Browser;

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'dialpad-framing-'));
    await buildWeb({ outDir });
    api = await startFakeApi(() => staticSite.url);
    const common = {
      root: outDir,
      port: 0,
      urlHost: 'localhost',
      clientConfig: () => ({ apiBaseUrl: api.url }),
      connectUrls: () => [SIP_WEBSOCKET_URL],
    };
    staticSite = await startStaticServer({ ...common, frameHeaders: false });
    headerHost = await startStaticServer(common);
    hostile = await startHostilePage(() => frameTarget);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await staticSite?.close();
    await headerHost?.close();
    await new Promise((resolve) => hostile?.server.close(resolve));
    await api?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    return context.newPage();
  }

  it('names exactly the API and SIP WebSocket origins in connect-src, and the browser enforces it', async () => {
    const page = await newPage();
    await page.goto(staticSite.url);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const connectSrc = /connect-src ([^;]+)/
      .exec(csp ?? '')?.[1]
      ?.trim()
      .split(/\s+/);
    assert.deepEqual(connectSrc, ["'self'", new URL(api.url).origin, 'wss://sip.example.test:10443']);
    // A connection anywhere else is refused by Chromium before it leaves the page.
    // Page code as a string: this file is type-checked without the DOM library.
    const blocked = await page.evaluate<{ outcome: string; directive: string }>(`(async () => {
      const violation = new Promise((resolve) =>
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true }));
      const outcome = await fetch(${JSON.stringify(hostile.url)}).then(() => 'fetched', () => 'refused');
      return { outcome, directive: await violation };
    })()`);
    assert.deepEqual(blocked, { outcome: 'refused', directive: 'connect-src' });
    await page.context().close();
  });

  it('refuses to run framed where the host sends no headers (static website): no API request is made', async () => {
    frameTarget = staticSite.url;
    const before = api.requests.length;
    const page = await newPage();
    await page.goto(hostile.url);
    const frame = await waitFor(() => page.frame({ url: (url) => url.href.startsWith(staticSite.url) }), {
      description: 'the framed dialpad',
    });
    await frame.getByRole('heading', { name: 'The dialpad does not run inside another site' }).waitFor();
    assert.equal(await frame.getByRole('heading', { name: 'Log in' }).count(), 0, 'the app never starts');
    assert.equal(await frame.getByLabel('Username').count(), 0);
    assert.equal(api.requests.length, before, 'the framed dialpad asks the API nothing');
    await page.context().close();
  });

  it('is not framed at all where the host sends frame-ancestors (the header host)', async () => {
    frameTarget = headerHost.url;
    const response = await fetch(headerHost.url);
    assert.equal(response.headers.get('content-security-policy'), "frame-ancestors 'none'");
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    const page = await newPage();
    const blockedFrame = new Promise<string>((resolve) =>
      page.on('console', (message) => {
        if (/frame-ancestors/.test(message.text())) resolve(message.text());
      }),
    );
    await page.goto(hostile.url);
    assert.match(await blockedFrame, /violates .*"frame-ancestors 'none'"\. The request has been blocked/);
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    assert.ok(frame, 'the iframe exists');
    assert.equal(await frame.locator('#app').count(), 0, 'none of the dialpad loaded in it');
    // Opened directly, the same host serves the dialpad normally.
    await page.goto(headerHost.url);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.context().close();
  });
});
