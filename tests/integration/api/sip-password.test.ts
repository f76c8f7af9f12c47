// The SIP password under its owner's control, end to end: the local host on real Azurite, the Catapult sandbox's
// registrar, and JsSIP (the dialpad's SIP library) registering as any softphone would. Once the owner logs out
// everywhere, or asks for a new password, the password someone may have read before no longer registers.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import JsSIP from 'jssip';
import WebSocket from 'ws';
import type { SessionResponse, SipCredentialsView } from '../../../core/api-types';
import { callApi } from '../../support/api-client';
import { firstOffer, uniqueUsername, useStack } from '../../support/stack-fixture';

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

const fixture = useStack();
const api = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
  callApi(fixture.stack.apiUrl, method, path, options);

const started: JsSIP.UA[] = [];
after(() => {
  for (const ua of started) ua.stop();
});

/** REGISTER with these credentials: 'registered', or the registrar's refusal status. */
function register(credentials: SipCredentialsView, password: string): Promise<'registered' | number> {
  const ua = new JsSIP.UA({
    sockets: [new JsSIP.WebSocketInterface(credentials.websocketUrl)],
    uri: credentials.sipUri,
    authorization_user: credentials.username,
    password,
    register: true,
    connection_recovery_min_interval: 60,
  });
  started.push(ua);
  const outcome = new Promise<'registered' | number>((resolve) => {
    ua.on('registered', () => resolve('registered'));
    ua.on('registrationFailed', (event: { response?: { status_code: number } }) =>
      resolve(event.response?.status_code ?? 0),
    );
  });
  ua.start();
  return outcome.finally(() => ua.stop());
}

async function signUp(): Promise<SessionResponse> {
  const offer = await firstOffer(fixture.stack.apiUrl);
  const res = await api('POST', '/api/users', { body: { username: uniqueUsername('sip'), ...offer } });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json as SessionResponse;
}

async function sipCredentials(token: string): Promise<SipCredentialsView> {
  const res = await api('GET', '/api/me/sip', { token });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json as SipCredentialsView;
}

describe('SIP password rotation against the sandbox registrar', { timeout: 120_000 }, () => {
  it('after "log out everywhere" the old SIP password no longer registers; the new one does', async () => {
    const session = await signUp();
    const leaked = await sipCredentials(session.token);
    assert.equal(await register(leaked, leaked.password), 'registered');

    const ended = await api('DELETE', '/api/me/sessions', { token: session.token });
    assert.equal(ended.status, 200, JSON.stringify(ended.json));
    assert.equal((await api('GET', '/api/me/sip', { token: session.token })).status, 401);
    const refused = await register(leaked, leaked.password);
    assert.ok(refused === 401 || refused === 403, `the old password is refused (${refused})`);

    const again = await api('POST', '/api/login', { body: { username: session.user.username } });
    assert.equal(again.status, 200);
    const fresh = await sipCredentials((again.json as SessionResponse).token);
    assert.notEqual(fresh.password, leaked.password);
    assert.equal(await register(fresh, fresh.password), 'registered');
  });

  it('"New password" rotates it at once and answers the new credentials', async () => {
    const session = await signUp();
    const before = await sipCredentials(session.token);
    const rotated = await api('POST', '/api/me/sip/password', { token: session.token });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    assert.equal(rotated.headers.get('cache-control'), 'no-store');
    const after = rotated.json as SipCredentialsView;
    assert.notEqual(after.password, before.password);
    assert.equal((await sipCredentials(session.token)).password, after.password);
    const refused = await register(before, before.password);
    assert.ok(refused === 401 || refused === 403, `the old password is refused (${refused})`);
    assert.equal(await register(after, after.password), 'registered');
    assert.equal((await api('POST', '/api/me/sip/password')).status, 401, 'never without a session');
  });
});
