// The local Functions host itself, with a fake VoiceApp: prefix and routes, 404/405 JSON errors,
// CORS for the configured origin only (preflight included), request bodies reaching the handlers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalHost, type LocalHost } from '../../../dev/local-host';
import { callApi } from '../../support/api-client';
import { createFakeVoiceApp, VALID_BEARER, type FakeVoiceApp } from '../../support/fake-voice-app';

const DIALPAD = 'http://127.0.0.1:4280';
let host: LocalHost;
let fake: FakeVoiceApp;
const lines: string[] = [];

before(async () => {
  fake = createFakeVoiceApp();
  host = await startLocalHost({
    port: 0,
    env: {},
    corsOrigins: [DIALPAD],
    voiceApp: fake,
    log: (line) => lines.push(line),
  });
});
after(() => host.close());

describe('local host routing', () => {
  it('serves the functions under /api on 127.0.0.1', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await callApi(host.url, 'GET', '/api/health');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('passes the JSON body, query and headers through to the handler', async () => {
    const res = await callApi(host.url, 'POST', '/api/users', { body: { username: 'alice', number: '+19195551212' } });
    assert.equal(res.status, 201);
    assert.deepEqual(fake.calls.at(-1), {
      method: 'signUp',
      args: [
        { username: 'alice', number: '+19195551212', signature: undefined, signupCode: undefined },
        { clientAddress: '127.0.0.1' },
      ],
    });
    const me = await callApi(host.url, 'GET', '/api/me', { headers: { authorization: VALID_BEARER } });
    assert.equal(me.status, 200);
    await callApi(host.url, 'GET', '/api/numbers?areaCode=919&quantity=3');
    assert.deepEqual(fake.calls.at(-1), {
      method: 'searchNumbers',
      args: [{ areaCode: '919', quantity: 3 }, { clientAddress: '127.0.0.1' }],
    });
  });

  it('appends the socket address to X-Forwarded-For as Azure does: a client-sent one cannot pick the address', async () => {
    for (const forged of ['203.0.113.99', '10.0.0.1, 198.51.100.7:443', 'unknown']) {
      await callApi(host.url, 'GET', '/api/numbers?areaCode=919', { headers: { 'x-forwarded-for': forged } });
      assert.deepEqual(fake.calls.at(-1)!.args[1], { clientAddress: '127.0.0.1' }, forged);
    }
  });

  it('answers JSON 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const missing = await callApi(host.url, 'GET', '/api/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'not-found');
    const wrong = await callApi(host.url, 'DELETE', '/api/users');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.json.error.code, 'method-not-allowed');
    assert.equal(wrong.headers.get('allow'), 'POST');
  });

  it('logs one line per request without the query string', async () => {
    await callApi(host.url, 'GET', '/api/catapult/events?secretMarker=abc');
    assert.ok(lines.some((line) => /^GET \/api\/catapult\/events 200 \d+ms$/.test(line)));
    assert.ok(!lines.some((line) => line.includes('secretMarker')));
  });
});

describe('local host CORS', () => {
  it('allows the configured origin, with Vary: Origin', async () => {
    const res = await callApi(host.url, 'GET', '/api/health', { headers: { origin: DIALPAD } });
    assert.equal(res.headers.get('access-control-allow-origin'), DIALPAD);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  it('gives another origin no CORS headers', async () => {
    const res = await callApi(host.url, 'GET', '/api/health', { headers: { origin: 'http://127.0.0.1:9999' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('answers a preflight for Authorization and Content-Type from the allowed origin only', async () => {
    const preflight = (origin: string) =>
      callApi(host.url, 'OPTIONS', '/api/me/webrtc-token', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight(DIALPAD);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), DIALPAD);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'POST');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
    const other = await preflight('http://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal(other.headers.get('access-control-allow-methods'), null);
    assert.equal(fake.calls.filter((call) => call.method === 'createWebRtcToken').length, 0);
  });
});
