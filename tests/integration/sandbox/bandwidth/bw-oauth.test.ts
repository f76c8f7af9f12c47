// The Bandwidth sandbox's OAuth2 client-credentials endpoint and the Bearer check on every API request: roles
// per credential, expiry on the sandbox's (fake) clock, Bandwidth-shaped 401/403 answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBandwidth, type BwHarness } from './bw-harness';
import { DEFAULT_IN_APP_NUMBER } from '../../../../sandbox/bandwidth/bandwidth-options';

let h: BwHarness;
let clock = Date.parse('2026-01-01T00:00:00Z');

before(async () => {
  h = await startBandwidth({ now: () => clock, bandwidth: { tokenTtlSeconds: 600 } });
});
after(() => h.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenRequest(
  authorization: string | undefined,
  body = 'grant_type=client_credentials',
  contentType = 'application/x-www-form-urlencoded',
) {
  const response = await fetch(h.sandbox.bandwidth.oauthUrl, {
    method: 'POST',
    headers: { ...(authorization ? { Authorization: authorization } : {}), 'Content-Type': contentType },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

test('client credentials → {access_token, token_type, expires_in} for both credentials', async () => {
  const { clientId, clientSecret, webrtcClientId, webrtcClientSecret } = h.sandbox.bandwidth;
  for (const [id, secret] of [
    [clientId, clientSecret],
    [webrtcClientId, webrtcClientSecret],
  ] as const) {
    const reply = await tokenRequest(basic(id, secret));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.token_type, 'Bearer');
    assert.equal(reply.json.expires_in, 600);
    assert.match(String(reply.json.access_token), /^[\w-]{20,}$/);
    assert.equal(reply.headers.get('cache-control'), 'no-store');
  }
});

test('the env the app reads names this sandbox only, with a token URL for each credential', async () => {
  const surface = h.sandbox.bandwidth;
  assert.deepEqual(surface.env, {
    BANDWIDTH_ACCOUNT_ID: surface.accountId,
    BANDWIDTH_CLIENT_ID: surface.clientId,
    BANDWIDTH_CLIENT_SECRET: surface.clientSecret,
    BANDWIDTH_WEBRTC_CLIENT_ID: surface.webrtcClientId,
    BANDWIDTH_WEBRTC_CLIENT_SECRET: surface.webrtcClientSecret,
    BANDWIDTH_API_URL: h.sandbox.baseUrl,
    BANDWIDTH_VOICE_URL: h.sandbox.baseUrl,
    BANDWIDTH_OAUTH_URL: `${h.sandbox.baseUrl}/api/v1/oauth2/token`,
    BANDWIDTH_WEBRTC_OAUTH_URL: `${h.sandbox.baseUrl}/api/v1/oauth2/token`,
    BANDWIDTH_WEBRTC_GATEWAY_URL: `${h.sandbox.baseUrl.replace('http://', 'ws://')}/bandwidth/webrtc`,
    // The `from` of every In-App call, so the app can tell a dialpad's calls from outside callers.
    BANDWIDTH_IN_APP_NUMBERS: DEFAULT_IN_APP_NUMBER,
  });
  assert.equal(surface.webrtcOauthUrl, surface.env.BANDWIDTH_WEBRTC_OAUTH_URL);
  const minted = await fetch(surface.webrtcOauthUrl, {
    method: 'POST',
    headers: {
      Authorization: basic(surface.webrtcClientId, surface.webrtcClientSecret),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  assert.equal(minted.status, 200);
  const { access_token: token } = (await minted.json()) as { access_token: string };
  assert.equal((await h.numbers('GET', '/sites', undefined, token)).status, 403, 'a WebRTC token stays narrow');
});

test('wrong or missing client credentials → 401 invalid_client; bad grant or body → 400', async () => {
  const { clientId } = h.sandbox.bandwidth;
  const wrong = await tokenRequest(basic(clientId, 'not-the-secret'));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error, 'invalid_client');
  assert.equal((await tokenRequest(undefined)).status, 401);
  const { clientSecret } = h.sandbox.bandwidth;
  const grant = await tokenRequest(basic(clientId, clientSecret), 'grant_type=password');
  assert.equal(grant.status, 400);
  assert.equal(grant.json.error, 'unsupported_grant_type');
  assert.equal((await tokenRequest(basic(clientId, clientSecret), '')).json.error, 'invalid_request');
  assert.equal(
    (await tokenRequest(basic(clientId, clientSecret), '{"grant_type":"client_credentials"}', 'application/json'))
      .status,
    400,
  );
});

test('the account token opens Numbers and Voice; the In-App Calling token gets 403 there', async () => {
  const account = await h.token('account');
  const webrtc = await h.token('webrtc');
  assert.equal((await h.numbers('GET', '/sites', undefined, account)).status, 200);
  assert.equal((await h.voice('GET', '/calls/c-unknown', undefined, account)).status, 404);
  const numbers = await h.numbers('GET', '/sites', undefined, webrtc);
  assert.equal(numbers.status, 403);
  assert.match(numbers.text, /<ResponseStatus><ErrorCode>403<\/ErrorCode><Description>/);
  const voice = await h.voice('GET', '/calls/c-unknown', undefined, webrtc);
  assert.equal(voice.status, 403);
  assert.equal(voice.json.type, 'authorization-error');
});

test('no token, an unknown token, or another account id → 401 / 401 / 403', async () => {
  const none = await fetch(`${h.sandbox.bandwidth.apiUrl}/api/accounts/${h.accountId}/sites`);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  const unknown = await h.numbers('GET', '/sites', undefined, 'not-a-token');
  assert.equal(unknown.status, 401);
  assert.match(unknown.headers.get('www-authenticate') ?? '', /invalid_token/);
  const other = await fetch(`${h.sandbox.bandwidth.apiUrl}/api/accounts/1234567/sites`, {
    headers: { Authorization: `Bearer ${await h.token()}` },
  });
  assert.equal(other.status, 403);
});

test('a token expires after expires_in on the sandbox clock: 401 on Numbers and Voice', async () => {
  const token = await h.token();
  clock += 599_000;
  assert.equal((await h.numbers('GET', '/sites', undefined, token)).status, 200);
  clock += 1_000;
  const numbers = await h.numbers('GET', '/sites', undefined, token);
  assert.equal(numbers.status, 401);
  assert.match(numbers.text, /expired/);
  const voice = await h.voice('GET', '/calls/c-x', undefined, token);
  assert.equal(voice.status, 401);
  assert.equal(voice.json.type, 'authentication-error');
  assert.equal((await h.numbers('GET', '/sites', undefined, await h.token())).status, 200);
});

test('the token lifetime is a setting; revoking makes every issued token invalid', async () => {
  assert.equal((await h.control('PUT', '/settings', { tokenTtlSeconds: 5 })).status, 200);
  const reply = await tokenRequest(basic(h.sandbox.bandwidth.clientId, h.sandbox.bandwidth.clientSecret));
  assert.equal(reply.json.expires_in, 5);
  await h.control('PUT', '/settings', { tokenTtlSeconds: 600 });
  const token = await h.token();
  assert.equal((await h.control('POST', '/tokens/revoke')).status, 200);
  assert.equal((await h.numbers('GET', '/sites', undefined, token)).status, 401);
});
