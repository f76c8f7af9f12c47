// The Web PubSub notifier's wire format: the send-to-user request and its JWT (aud = the full URL, HS256 with the
// access key as text), the client URL and its JWT (sub = the user, aud = the hub's http(s) client URL), and when a
// failed send is tried again. The JWTs are checked by the local stand-in's verifier, written separately from the
// notifier from the same public description.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallNotification } from '../../../core/api-types';
import { noopLogger } from '../../../core/log';
import { createWebPubSubNotifier, NotificationSendError } from '../../../core/notifications/web-pubsub-notifier';
import { verifyAccessToken } from '../../../dev/web-pubsub/access-token';
import { createFakeFetch, empty, type FakeHandler } from '../catapult/fake-fetch';

const KEY = 'c2VjcmV0LWtleS10aGF0LWlzLWJhc2U2NC1lbmNvZGVkLTEyMzQ1Njc4OTA=';
const NOW = Date.parse('2026-11-26T10:00:00Z');
const message: CallNotification = {
  type: 'incoming-call',
  callId: 'c-1',
  from: '+13233326955',
  pickupToken: 'a.b.c',
  expiresAt: '2026-11-26T10:01:00.000Z',
};

function notifier(handler: FakeHandler, endpoint = 'https://vra.webpubsub.azure.com') {
  const { fetch, requests } = createFakeFetch(handler);
  const sleeps: number[] = [];
  const n = createWebPubSubNotifier({
    endpoint,
    accessKey: KEY,
    hub: 'calls',
    logger: noopLogger,
    fetch,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { n, requests, sleeps };
}

const bearer = (header: string | undefined) => /^Bearer (\S+)$/.exec(header ?? '')?.[1];

test('send: POST …/api/hubs/{hub}/users/{user}/:send?api-version=2024-01-01, JSON body, JWT for exactly that URL', async () => {
  const { n, requests } = notifier(() => empty(202));
  await n.send('alice', message);
  const [sent] = requests;
  const url = 'https://vra.webpubsub.azure.com/api/hubs/calls/users/alice/:send?api-version=2024-01-01';
  assert.equal(sent?.url, url);
  assert.equal(sent?.method, 'POST');
  assert.equal(sent?.headers['content-type'], 'application/json');
  assert.deepEqual(sent?.body, message);
  const check = verifyAccessToken(bearer(sent?.headers.authorization), KEY, url, NOW / 1000);
  assert.ok(check.ok, check.ok ? '' : check.message);
  assert.ok((check.claims.exp ?? 0) <= NOW / 1000 + 600, 'a REST token is short-lived');
  // Another audience (the URL without its query) or another key is refused: the token is bound to the request.
  assert.equal(verifyAccessToken(bearer(sent?.headers.authorization), KEY, url.split('?')[0]!, NOW / 1000).ok, false);
  assert.equal(verifyAccessToken(bearer(sent?.headers.authorization), `${KEY}x`, url, NOW / 1000).ok, false);
});

test('client access: a ws(s) URL whose token names the user and the hub client URL (http form), valid for an hour', async () => {
  for (const [endpoint, socket] of [
    ['https://vra.webpubsub.azure.com', 'wss://vra.webpubsub.azure.com/client/hubs/calls'],
    ['http://127.0.0.1:5555', 'ws://127.0.0.1:5555/client/hubs/calls'],
  ] as const) {
    const { n, requests } = notifier(() => empty(500), endpoint);
    const access = await n.clientAccess('bob');
    assert.equal(requests.length, 0, 'no request: the URL is signed locally');
    const url = new URL(access.url);
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, socket);
    const check = verifyAccessToken(
      url.searchParams.get('access_token') ?? undefined,
      KEY,
      `${endpoint}/client/hubs/calls`,
      NOW / 1000,
    );
    assert.ok(check.ok, check.ok ? '' : check.message);
    assert.equal(check.claims.sub, 'bob');
    assert.equal(access.expiresAt, new Date(NOW + 3600_000).toISOString());
    assert.equal(check.claims.exp, (NOW + 3600_000) / 1000);
  }
});

test('a failed send is tried once more when the failure may pass (5xx, 429, no answer), never after a refusal', async () => {
  let answers = [500, 202];
  const passing = notifier(() => empty(answers.shift() ?? 500));
  await passing.n.send('alice', message);
  assert.equal(passing.requests.length, 2);
  assert.equal(passing.sleeps.length, 1);

  answers = [];
  const down = notifier(() => empty(503, { 'x-ms-error-code': 'ServiceUnavailable' }));
  const error = await down.n.send('alice', message).catch((e: unknown) => e);
  assert.ok(error instanceof NotificationSendError);
  assert.equal(error.status, 503);
  assert.equal(down.requests.length, 2, 'two attempts, then the error');

  const refused = notifier(() => empty(401, { 'x-ms-error-code': 'Unauthorized' }));
  const denied = await refused.n.send('alice', message).catch((e: unknown) => e);
  assert.ok(denied instanceof NotificationSendError && denied.status === 401);
  assert.match(denied.message, /401 Unauthorized/);
  assert.equal(refused.requests.length, 1);

  let failNetwork = true;
  const flaky = notifier(() => {
    if (failNetwork) {
      failNetwork = false;
      throw new TypeError('fetch failed');
    }
    return empty(202);
  });
  await flaky.n.send('alice', message);
  assert.equal(flaky.requests.length, 2);
});
