// The dialpad (static website) and the API (Function App) are two origins. The session is a
// bearer token the dialpad keeps and sends in Authorization, never a cookie, so nothing depends on
// third-party cookies. Here: the built dialpad on one port, the local host on another, allowing
// exactly the dialpad's origin, as azuredeploy.json configures the Function App's CORS.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { startLocalHost, type LocalHost } from '../../../dev/local-host';
import { startStaticServer, type StaticServer } from '../../../dev/static-server';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { buildWeb } from '../../../web/build';
import type { NumberSearchResponse, SessionResponse } from '../../../core/api-types';

describe('dialpad and API on two origins', () => {
  let work: string;
  let azurite: RunningAzurite;
  let sandbox: Sandbox;
  let web: StaticServer;
  let api: LocalHost;
  let dialpadOrigin: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'cross-origin-'));
    const built = await buildWeb({ outDir: join(work, 'dialpad'), minify: true });
    azurite = await startAzurite();
    sandbox = await createSandbox();
    web = await startStaticServer({ root: built.outDir, clientConfig: () => ({ apiBaseUrl: api.url }) });
    dialpadOrigin = new URL(web.url).origin;
    api = await startLocalHost({
      port: 0,
      corsOrigins: [dialpadOrigin],
      log: () => undefined,
      env: {
        AzureWebJobsStorage: azurite.connectionString,
        CATAPULT_USER_ID: sandbox.account.userId,
        CATAPULT_API_TOKEN: sandbox.account.apiToken,
        CATAPULT_API_SECRET: sandbox.account.apiSecret,
        CATAPULT_API_URL: sandbox.apiUrl,
        CATAPULT_SIP_WEBSOCKET_URL: sandbox.websocketUrl,
        CATAPULT_DOMAIN_NAME: 'vra-cors',
        APP_SECRET: randomBytes(32).toString('base64url'),
      },
    });
    assert.notEqual(new URL(api.url).origin, dialpadOrigin, 'two origins');
  });
  after(async () => {
    await api?.close();
    await web?.close();
    await sandbox?.close();
    await azurite?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the dialpad learns the API origin from config.json and its CSP lets it connect there and nowhere else', async () => {
    const page = await fetch(`${web.url}/`);
    assert.equal(page.status, 200);
    // The header carries only frame-ancestors (a <meta> policy cannot); the page's policy is in its <meta>.
    assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'");
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(csp, 'the dialpad declares a CSP');
    const connectSrc = /connect-src ([^;]+)/.exec(csp)![1]!.split(' ');
    // Exactly this deployment's API origin: never a whole scheme (https:, wss:) or a wildcard port.
    assert.deepEqual(connectSrc, ["'self'", new URL(api.url).origin]);
    const config = (await (await fetch(`${web.url}/config.json`)).json()) as { apiBaseUrl: string };
    assert.equal(config.apiBaseUrl, api.url);
  });

  it('answers the preflight of an authenticated request from the dialpad origin, without credentials mode', async () => {
    const response = await fetch(`${api.url}/api/me`, {
      method: 'OPTIONS',
      headers: {
        origin: dialpadOrigin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.ok(response.status === 204 || response.status === 200, `status ${response.status}`);
    assert.equal(response.headers.get('access-control-allow-origin'), dialpadOrigin);
    const allowedHeaders = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    assert.ok(allowedHeaders.includes('authorization'), `allow-headers: ${allowedHeaders.join(', ')}`);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null, 'no cookies, so no credentials mode');
  });

  it('answers the preflight of a JSON POST (sign-up, log-in)', async () => {
    const response = await fetch(`${api.url}/api/login`, {
      method: 'OPTIONS',
      headers: {
        origin: dialpadOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), dialpadOrigin);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    assert.match((response.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /content-type/);
  });

  it('gives any other origin no CORS headers, so browsers block it', async () => {
    const other = 'http://127.0.0.1:1';
    const preflight = await fetch(`${api.url}/api/me`, {
      method: 'OPTIONS',
      headers: {
        origin: other,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const actual = await fetch(`${api.url}/api/health`, { headers: { origin: other } });
    assert.equal(actual.headers.get('access-control-allow-origin'), null);
  });

  it('signs up and reads the profile cross-origin with the bearer token alone; no cookie is ever set', async () => {
    const headers = { origin: dialpadOrigin, 'content-type': 'application/json' };
    const search = await fetch(`${api.url}/api/numbers?areaCode=919&quantity=1`, { headers });
    assert.equal(search.status, 200);
    assert.equal(search.headers.get('access-control-allow-origin'), dialpadOrigin);
    const { numbers } = (await search.json()) as NumberSearchResponse;
    const signUp = await fetch(`${api.url}/api/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        username: `cors${Date.now().toString(36)}`,
        number: numbers[0]!.number,
        signature: numbers[0]!.signature,
      }),
    });
    assert.equal(signUp.status, 201, await signUp.clone().text());
    assert.equal(signUp.headers.get('set-cookie'), null);
    assert.equal(signUp.headers.get('access-control-allow-origin'), dialpadOrigin);
    const session = (await signUp.json()) as SessionResponse;

    const me = await fetch(`${api.url}/api/me`, {
      headers: { origin: dialpadOrigin, authorization: `Bearer ${session.token}` },
    });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('access-control-allow-origin'), dialpadOrigin);
    assert.equal(me.headers.get('set-cookie'), null);
    assert.equal(((await me.json()) as { username: string }).username, session.user.username);

    const anonymous = await fetch(`${api.url}/api/me`, { headers: { origin: dialpadOrigin } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('access-control-allow-origin'), dialpadOrigin, 'the dialpad can read the error');
  });
});
