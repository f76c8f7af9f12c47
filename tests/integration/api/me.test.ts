// The authenticated routes with a real session: /api/me, /api/me/sip, /api/me/webrtc-token,
// /api/me/calls, /api/me/dial-check; and each one without, or with a forged, token.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { callApi } from '../../support/api-client';
import { signUpUser, useStack, type SignedUp } from '../../support/stack-fixture';

const fixture = useStack();
let user: SignedUp;

const get = (path: string, token?: string) => callApi(fixture.stack.apiUrl, 'GET', path, { token });

describe('authenticated routes', () => {
  // Inside the suite: Node 20 does not wait for one root-level before() before starting the next.
  before(async () => {
    user = await signUpUser(fixture.stack.apiUrl);
  });

  it('GET /api/me answers the user', async () => {
    const res = await get('/api/me', user.token);
    assert.equal(res.status, 200);
    assert.deepEqual(
      { username: res.json.username, number: res.json.number, sipUri: res.json.sipUri },
      { username: user.username, number: user.number, sipUri: user.sipUri },
    );
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('GET /api/me/sip answers credentials for the user’s endpoint, not cacheable', async () => {
    const res = await get('/api/me/sip', user.token);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.json.sipUri, user.sipUri);
    assert.equal(typeof res.json.password, 'string');
    assert.ok(res.json.password.length >= 6);
    assert.equal(user.sipUri, `sip:${res.json.username}@${res.json.realm}`);
    assert.equal(res.json.websocketUrl, fixture.stack.sandbox!.websocketUrl);
  });

  it('POST /api/me/webrtc-token answers a fresh endpoint token', async () => {
    const res = await callApi(fixture.stack.apiUrl, 'POST', '/api/me/webrtc-token', { token: user.token });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.headerName, 'X-Callsign-Token');
    assert.equal(res.json.sipUri, user.sipUri);
    assert.ok(res.json.token.length > 0);
    assert.ok(Date.parse(res.json.expiresAt) > Date.now());
    const tokenCalls = (await fixture.sandbox.requests()).filter(
      (r) => r.method === 'POST' && /\/endpoints\/[^/]+\/tokens$/.test(r.path),
    );
    assert.ok(tokenCalls.length >= 1, 'the token comes from Catapult');
  });

  it('GET /api/me/calls answers an empty history for a new user', async () => {
    const res = await get('/api/me/calls', user.token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { calls: [] });
  });

  it('GET /api/me/dial-check says whether a dial would go through, with the router’s reason when not', async () => {
    const check = async (number: string) => {
      const res = await get(`/api/me/dial-check?number=${encodeURIComponent(number)}`, user.token);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(res.headers.get('cache-control'), 'no-store');
      return res.json;
    };
    assert.deepEqual(await check('919-555-0199'), {
      allowed: true,
      number: '+19195550199',
      nationalNumber: '(919) 555-0199',
    });
    assert.equal((await check('1 900 200 0000')).reason, 'premium-rate');
    assert.equal((await check('+44 20 7946 0958')).reason, 'blocked-country');
    assert.equal((await check('12345')).reason, 'invalid-number');
    assert.equal((await check(user.number)).reason, 'self-call');
    const missing = await get('/api/me/dial-check', user.token);
    assert.equal(missing.status, 400);
    assert.deepEqual([missing.json.error.code, missing.json.error.field], ['invalid-number', 'number']);
  });

  for (const [method, path] of [
    ['GET', '/api/me/dial-check?number=9195550199'],
    ['GET', '/api/me'],
    ['GET', '/api/me/sip'],
    ['POST', '/api/me/webrtc-token'],
    ['GET', '/api/me/calls'],
  ] as const) {
    it(`${method} ${path} answers 401 unauthorized without a token, with a forged one, and with a non-Bearer scheme`, async () => {
      const none = await callApi(fixture.stack.apiUrl, method, path);
      assert.equal(none.status, 401);
      assert.equal(none.json.error.code, 'unauthorized');
      const forged = await callApi(fixture.stack.apiUrl, method, path, { token: `${user.token.slice(0, -2)}xx` });
      assert.equal(forged.status, 401);
      assert.equal(forged.json.error.code, 'unauthorized');
      const basic = await callApi(fixture.stack.apiUrl, method, path, {
        headers: { authorization: `Basic ${user.token}` },
      });
      assert.equal(basic.status, 401);
    });
  }
});
