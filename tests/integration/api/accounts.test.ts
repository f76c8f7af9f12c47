// Sessions and passkeys over HTTP through the local Functions host, with real Azurite tables and the Catapult
// sandbox, and a software authenticator standing in for the browser on the dialpad's origin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionResponse } from '../../../core/api-types';
import { callApi } from '../../support/api-client';
import { SoftAuthenticator } from '../../support/soft-authenticator';
import { firstOffer, uniqueUsername, useStack } from '../../support/stack-fixture';

const DIALPAD_ORIGIN = 'http://localhost:4280';
const fixture = useStack({ env: { DIALPAD_ORIGIN } });

const api = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
  callApi(fixture.stack.apiUrl, method, path, options);

async function signUp(): Promise<SessionResponse> {
  const offer = await firstOffer(fixture.stack.apiUrl);
  const res = await api('POST', '/api/users', { body: { username: uniqueUsername('acct'), ...offer } });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json as SessionResponse;
}

async function addPasskey(session: SessionResponse, authenticator: SoftAuthenticator) {
  const options = await api('POST', '/api/me/passkeys/options', { token: session.token });
  assert.equal(options.status, 200, JSON.stringify(options.json));
  const created = await api('POST', '/api/me/passkeys', {
    token: session.token,
    body: { response: authenticator.register(options.json.options) },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return created.json;
}

describe('accounts over HTTP', () => {
  it('log-out ends the session on the server: the same tokens answer 401 at once, on every route', async () => {
    const session = await signUp();
    assert.equal(session.passkeySetup, 'offer');
    assert.equal((await api('GET', '/api/me', { token: session.token })).status, 200);
    const refreshed = await api('POST', '/api/token', { body: { refreshToken: session.refreshToken } });
    assert.equal(refreshed.status, 200);
    const sessions = await api('GET', '/api/me/sessions', { token: session.token });
    assert.equal(sessions.json.sessions.length, 1);
    assert.equal(sessions.json.sessions[0].current, true);
    assert.equal(sessions.json.sessions[0].clientAddress, '127.0.0.1');

    const out = await api('DELETE', '/api/me/sessions/current', { token: session.token });
    assert.equal(out.status, 204);
    for (const token of [session.token, refreshed.json.token as string]) {
      for (const [method, path] of [
        ['GET', '/api/me'],
        ['GET', '/api/me/sip'],
        ['POST', '/api/me/webrtc-token'],
        ['GET', '/api/me/calls'],
      ] as const) {
        const res = await api(method, path, { token });
        assert.equal(res.status, 401, `${method} ${path}`);
      }
    }
    assert.equal((await api('POST', '/api/token', { body: { refreshToken: session.refreshToken } })).status, 401);
  });

  it('with a passkey: username log-in, the SIP password and calling tokens are refused without it', async () => {
    const owner = await signUp();
    const username = owner.user.username;
    const guess = await api('POST', '/api/login', { body: { username } }); // someone who knows the name
    assert.equal(guess.status, 200);
    const authenticator = new SoftAuthenticator(DIALPAD_ORIGIN);
    await addPasskey(owner, authenticator);

    const refused = await api('POST', '/api/login', { body: { username } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'passkey-required');
    assert.equal((await api('GET', '/api/me/sip', { token: guess.json.token })).status, 401);
    assert.equal((await api('POST', '/api/me/webrtc-token', { token: guess.json.token })).status, 401);
    assert.equal((await api('POST', '/api/token', { body: { refreshToken: guess.json.refreshToken } })).status, 401);

    const options = await api('POST', '/api/login/passkey/options', { body: {} });
    const login = await api('POST', '/api/login/passkey', {
      body: { response: authenticator.authenticate(options.json.options) },
    });
    assert.equal(login.status, 200, JSON.stringify(login.json));
    assert.equal(login.json.user.username, username);
    assert.equal((await api('GET', '/api/me/sip', { token: login.json.token })).status, 200);
    assert.equal((await api('POST', '/api/me/webrtc-token', { token: login.json.token })).status, 200);
    assert.equal((await api('GET', '/api/me/sip', { token: owner.token })).status, 200, 'the owner stays in');
  });

  it('"log out everywhere" ends every session of the account', async () => {
    const first = await signUp();
    const second = await api('POST', '/api/login', { body: { username: first.user.username } });
    const all = await api('DELETE', '/api/me/sessions', { token: second.json.token });
    assert.equal(all.status, 200);
    assert.deepEqual(all.json, { ended: 2 });
    for (const token of [first.token, second.json.token as string]) {
      assert.equal((await api('GET', '/api/me', { token })).status, 401);
    }
  });

  it('a passkey response posted twice is refused the second time (the challenge is used up in storage)', async () => {
    const session = await signUp();
    const authenticator = new SoftAuthenticator(DIALPAD_ORIGIN);
    await addPasskey(session, authenticator);
    const options = await api('POST', '/api/login/passkey/options', { body: { username: session.user.username } });
    const response = authenticator.authenticate(options.json.options, { counter: 0 });
    assert.equal((await api('POST', '/api/login/passkey', { body: { response } })).status, 200);
    const replay = await api('POST', '/api/login/passkey', { body: { response } });
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error.code, 'passkey-challenge-invalid');
  });
});
