// The Voice API client on an injected fetch: every request it sends is checked against bandwidth.yml, the Bearer
// token comes from the token source (refreshed once on a 401), and retries happen only where repeating is safe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { mapBandwidthError } from '../../../core/providers/bandwidth/map-error';
import { createVoiceApi, VoiceApiError } from '../../../core/providers/bandwidth/voice-api';
import { assertVoiceRequest, assertVoiceResponse } from '../../support/bandwidth-openapi';
import { createFakeFetch, empty, json, type FakeHandler } from '../catapult/fake-fetch';

const VOICE_URL = 'https://voice.bandwidth.test';
const ACCOUNT = '9900000';
const CALL = 'c-15ac29a2-1331029c-2cb0-4a07-b215-b22865662d85';
const CALL_PATH = `/api/v2/accounts/${ACCOUNT}/calls/${CALL}`;

function client(handler: FakeHandler, tokens = ['token-1', 'token-2', 'token-3']) {
  const { fetch, requests } = createFakeFetch(handler);
  const tokenCalls: Array<{ refresh?: boolean } | undefined> = [];
  const sleeps: number[] = [];
  const api = createVoiceApi({
    voiceUrl: VOICE_URL,
    accountId: ACCOUNT,
    accessToken: async (options) => {
      tokenCalls.push(options);
      return tokens[Math.min(tokenCalls.length - 1, tokens.length - 1)]!;
    },
    logger: noopLogger,
    fetch,
    timeoutMs: 200,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  // Every request the client sends must be one bandwidth.yml describes.
  const checked = () => {
    for (const r of requests) assertVoiceRequest(r.method, new URL(r.url).pathname, r.body);
    return requests;
  };
  return { api, requests: checked, tokenCalls, sleeps };
}

test('ending a call is POST /calls/{id} {state: completed} with the Bearer token, valid against bandwidth.yml', async () => {
  const { api, requests } = client(() => empty(200));
  await api.completeCall(CALL);
  const [sent] = requests();
  assert.equal(sent?.method, 'POST');
  assert.equal(sent?.url, `${VOICE_URL}${CALL_PATH}`);
  assert.deepEqual(sent?.body, { state: 'completed' });
  assert.equal(sent?.headers.authorization, 'Bearer token-1');
  assert.equal(sent?.headers['content-type'], 'application/json');
  assertVoiceResponse('POST', CALL_PATH, 200, undefined);
});

test('a redirect is {state: active, redirectUrl, redirectMethod}; reading a call parses callState', async () => {
  const state = {
    callId: CALL,
    accountId: ACCOUNT,
    applicationId: 'a-1',
    state: 'answered',
    direction: 'inbound',
    from: '+13233326955',
    to: '+19195551001',
    startTime: '2026-11-26T10:00:00.000Z',
  };
  assertVoiceResponse('GET', CALL_PATH, 200, state);
  const { api, requests } = client((r) => (r.method === 'GET' ? json(200, state) : empty(200)));
  await api.redirectCall(CALL, { redirectUrl: 'https://app.test/api/bandwidth/callbacks/ringing?callId=x' });
  const read = await api.getCall(CALL);
  assert.equal(read.state, 'answered');
  assert.equal(read.from, '+13233326955');
  const [redirect, get] = requests();
  assert.deepEqual(redirect?.body, {
    state: 'active',
    redirectUrl: 'https://app.test/api/bandwidth/callbacks/ringing?callId=x',
  });
  assert.equal(get?.method, 'GET');
  assert.equal(get?.bodyText, undefined);
});

test('a 401 fetches a new token once and repeats; a second 401 is the error', async () => {
  let answers = [401, 200];
  const first = client(() => empty(answers.shift() ?? 500));
  await first.api.completeCall(CALL);
  assert.deepEqual(first.tokenCalls, [undefined, { refresh: true }]);
  assert.deepEqual(
    first.requests().map((r) => r.headers.authorization),
    ['Bearer token-1', 'Bearer token-2'],
  );

  answers = [];
  const second = client(() => json(401, { type: 'authentication-error', description: 'bad token' }));
  const error = await second.api.completeCall(CALL).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof VoiceApiError);
  assert.equal(error.status, 401);
  assert.equal(second.requests().length, 2);
  const mapped = mapBandwidthError(error, 'hang-up');
  assert.ok(isAppError(mapped) && mapped.code === 'provider-rejected');
});

test('429 is repeated for any request after Retry-After; a Retry-After beyond the cap fails at once', async () => {
  const limited = () => json(429, { type: 'error', description: 'Too many' }, { 'Retry-After': '1' });
  let answers: Array<() => Response> = [limited, () => empty(200)];
  const ok = client(() => answers.shift()!());
  await ok.api.redirectCall(CALL, { redirectUrl: 'https://app.test/x' });
  assert.deepEqual(ok.sleeps, [1000]);
  assert.equal(ok.requests().length, 2);

  answers = [];
  const tooLong = client(() => json(429, { type: 'error', description: 'Too many' }, { 'Retry-After': '30' }));
  const error = await tooLong.api.completeCall(CALL).catch((e: unknown) => e);
  assert.equal(tooLong.requests().length, 1);
  const mapped = mapBandwidthError(error);
  assert.ok(isAppError(mapped) && mapped.code === 'provider-rate-limited');
});

test('a 5xx or no answer repeats an idempotent request (hang-up, read) but never a redirect', async () => {
  const failing = client(() => json(500, { type: 'internal-server-error', description: 'oops' }));
  const error = await failing.api.completeCall(CALL).catch((e: unknown) => e);
  assert.equal(failing.requests().length, 3, 'three attempts');
  assert.equal(failing.sleeps.length, 2);
  const mapped = mapBandwidthError(error);
  assert.ok(isAppError(mapped) && mapped.code === 'provider-unavailable');

  const redirect = client(() => json(503, { type: 'unavailable', description: 'later' }));
  await assert.rejects(redirect.api.redirectCall(CALL, { redirectUrl: 'https://app.test/x' }), VoiceApiError);
  assert.equal(redirect.requests().length, 1, 'a redirect that may have run is not sent twice');

  // No answer within the timeout: status 0, repeated for a read.
  let hang = true;
  const slow = client(() => {
    if (hang) {
      hang = false;
      return new Promise<Response>(() => undefined);
    }
    return json(200, { callId: CALL, state: 'disconnected' });
  });
  assert.equal((await slow.api.getCall(CALL)).state, 'disconnected');
  assert.equal(slow.requests().length, 2);
});

test('4xx other than 401/429 are not repeated and keep the API type', async () => {
  const { api, requests } = client(() => json(404, { type: 'not-found', description: 'no such call' }));
  const error = await api.completeCall(CALL).catch((e: unknown) => e);
  assert.ok(error instanceof VoiceApiError);
  assert.equal(error.status, 404);
  assert.equal(error.type, 'not-found');
  assert.equal(requests().length, 1);
  assert.doesNotMatch(error.message, /token|9900000/, 'no token or account path in the message');
});
