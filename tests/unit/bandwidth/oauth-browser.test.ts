// The OAuth2 client-credentials cache (one per credential: reused until a margin before expires_in, one shared
// request for concurrent callers, a new token on `refresh` after a 401, token-endpoint faults as `oauth` errors)
// and the dialpad's Bandwidth token view (the narrow credential's token, the gateway, a caller token the app signed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { verifyCallToken } from '../../../core/auth/call-tokens';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { createBandwidthBrowser, webrtcRefreshMargin } from '../../../core/providers/bandwidth/browser';
import { mapBandwidthError } from '../../../core/providers/bandwidth/map-error';
import { createOAuthClient, OAuthError } from '../../../core/providers/bandwidth/oauth';
import { json } from '../catapult/fake-fetch';
import { fakeNumbersFetch } from './numbers-fake';

const TOKEN_URL = 'https://id.bandwidth.test/api/v1/oauth2/token';

function oauth(answer: () => Response | Promise<Response>, refreshMargin?: (lifetimeMs: number) => number) {
  let clock = 1_000_000;
  const { fetch, sent: requests } = fakeNumbersFetch(() => answer());
  const client = createOAuthClient({
    tokenUrl: TOKEN_URL,
    clientId: 'client id',
    clientSecret: 's3cret:x',
    label: 'account',
    logger: noopLogger,
    fetch,
    now: () => clock,
    ...(refreshMargin ? { refreshMargin } : {}),
  });
  return { client, requests, advance: (ms: number) => (clock += ms) };
}

test('a token is fetched with Basic client credentials and reused until a margin before it expires', async () => {
  let issued = 0;
  const { client, requests, advance } = oauth(() =>
    json(200, { access_token: `t${++issued}`, token_type: 'Bearer', expires_in: 3600 }),
  );
  const [a, b] = await Promise.all([client.accessToken(), client.accessToken()]);
  assert.equal(requests.length, 1, 'concurrent callers share one token request');
  assert.equal(a.token, 't1');
  assert.equal(b.token, 't1');
  const sent = requests[0]!;
  assert.equal(sent.method, 'POST');
  assert.equal(sent.url.toString(), TOKEN_URL);
  assert.equal(sent.body, 'grant_type=client_credentials');
  assert.equal(sent.headers.authorization, `Basic ${Buffer.from('client%20id:s3cret%3Ax').toString('base64')}`);
  assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');

  advance(3600_000 - 61_000); // more than the one-minute margin left: still the cached token
  assert.equal((await client.accessToken()).token, 't1');
  advance(2_000); // inside the margin: a new one, before the old one has expired
  assert.equal((await client.accessToken()).token, 't2');
  assert.equal((await client.accessToken({ refresh: true })).token, 't3', 'a refused token is replaced at once');
  assert.equal(requests.length, 3);
});

test('the In-App Calling cache hands a token out only while half its life is left', async () => {
  let issued = 0;
  const { client, advance } = oauth(
    () => json(200, { access_token: `w${++issued}`, expires_in: 600 }),
    webrtcRefreshMargin,
  );
  assert.equal((await client.accessToken()).token, 'w1');
  advance(299_000);
  assert.equal((await client.accessToken()).token, 'w1');
  advance(2_000);
  assert.equal((await client.accessToken()).token, 'w2');
});

test('token endpoint faults: a refused credential is provider-rejected, 5xx and no answer provider-unavailable', async () => {
  const refused = oauth(() => json(401, { error: 'invalid_client' }));
  const error = await refused.client.accessToken().catch((e: unknown) => e);
  assert.ok(error instanceof OAuthError && error.status === 401 && error.type === 'invalid_client');
  assert.doesNotMatch(error.message, /s3cret|client id/, 'no credential in the message');
  const mapped = mapBandwidthError(error);
  assert.ok(isAppError(mapped) && mapped.code === 'provider-rejected', String(mapped));

  const down = oauth(() => json(503, {}));
  const downError = mapBandwidthError(await down.client.accessToken().catch((e: unknown) => e));
  assert.ok(isAppError(downError) && downError.code === 'provider-unavailable', String(downError));

  const malformed = oauth(() => json(200, { access_token: '', expires_in: 3600 }));
  await assert.rejects(malformed.client.accessToken(), (e: unknown) => e instanceof OAuthError && e.status === 502);
  // A failure is not cached: the next call asks again.
  let ok = false;
  const recovering = oauth(() => (ok ? json(200, { access_token: 'r1', expires_in: 60 }) : json(500, {})));
  await assert.rejects(recovering.client.accessToken());
  ok = true;
  assert.equal((await recovering.client.accessToken()).token, 'r1');
});

test('the dialpad’s view: the narrow credential’s token, the gateway and its SIP domain, a caller token for the user', async () => {
  const keys = deriveKeys('unit-test-app-secret-0123456789abcdef');
  const now = Date.parse('2026-12-05T19:00:00Z');
  const webrtc = { accessToken: async () => ({ token: 'inapp-token', expiresAt: now + 3600_000 }) };
  const browser = createBandwidthBrowser({
    webrtcOAuth: webrtc,
    gatewayUrl: 'wss://gw.webrtc-app.bandwidth.com:10081',
    callTokenKeys: keys,
    now: () => now,
  });
  const view = await browser.token({ username: 'alice', number: '+19195550100' });
  assert.equal(view.provider, 'bandwidth');
  if (view.provider !== 'bandwidth') return;
  assert.equal(view.token, 'inapp-token');
  assert.equal(view.expiresAt, '2026-12-05T20:00:00.000Z');
  assert.equal(view.websocketUrl, 'wss://gw.webrtc-app.bandwidth.com:10081');
  assert.equal(view.sipDomain, 'gw.webrtc-app.bandwidth.com');
  assert.equal(view.authorizationHeader, 'Authorization');
  assert.equal(view.callerTokenExpiresAt, '2026-12-05T19:10:00.000Z');
  const verified = verifyCallToken(keys, `${view.callerToken};encoding=jwt`, now);
  assert.ok(verified.valid && verified.purpose === 'call' && verified.username === 'alice', JSON.stringify(verified));

  const failing = createBandwidthBrowser({
    webrtcOAuth: { accessToken: () => Promise.reject(new OAuthError(0, 'timeout', 'In-App Calling token: timeout')) },
    gatewayUrl: 'wss://gw.webrtc-app.bandwidth.com:10081',
    callTokenKeys: keys,
    now: () => now,
  });
  await assert.rejects(
    failing.token({ username: 'alice', number: '+19195550100' }),
    (e: unknown) => isAppError(e) && e.code === 'provider-unavailable',
  );
});
