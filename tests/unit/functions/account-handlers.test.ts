// The account functions (sessions, passkeys, step-up, token refresh) through HttpRequest/InvocationContext with a
// fake VoiceApp: status, body, what reached the core (the session scope, the route parameter, who asked), errors.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../core/errors';
import { loginPasskeyCreate } from '../../../functions/login-passkey-create';
import { loginPasskeyOptionsCreate } from '../../../functions/login-passkey-options-create';
import { mePasskeyDelete } from '../../../functions/me-passkey-delete';
import { mePasskeysCreate } from '../../../functions/me-passkeys-create';
import { mePasskeysList } from '../../../functions/me-passkeys-list';
import { mePasskeysOptionsCreate } from '../../../functions/me-passkeys-options-create';
import { meSessionDelete } from '../../../functions/me-session-delete';
import { meSessionsDelete } from '../../../functions/me-sessions-delete';
import { meSessionsList } from '../../../functions/me-sessions-list';
import { meStepUpCreate } from '../../../functions/me-step-up-create';
import { meStepUpOptionsCreate } from '../../../functions/me-step-up-options-create';
import { tokenCreate } from '../../../functions/token-create';
import {
  createFakeVoiceApp,
  SAMPLE_AUTHENTICATED,
  SAMPLE_SESSION,
  VALID_BEARER,
  type FakeVoiceApp,
} from '../../support/fake-voice-app';
import { invoke } from '../../support/functions-harness';

let fake: FakeVoiceApp;
beforeEach(() => {
  fake = createFakeVoiceApp();
});

const FROM_PHONE = {
  'x-forwarded-for': '10.0.0.1, 203.0.113.7:51234',
  'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36',
};
const ORIGIN = { clientAddress: '203.0.113.7', userAgent: FROM_PHONE['user-agent'] };
const auth = { authorization: VALID_BEARER, ...FROM_PHONE };
const RESPONSE = { id: 'Y3JlZA', rawId: 'Y3JlZA', type: 'public-key', response: {} };

describe('anonymous account routes', () => {
  it('token-create trades a refresh token for an access token, with who asked', async () => {
    const res = await invoke(tokenCreate, fake, {
      method: 'POST',
      path: '/api/token',
      headers: FROM_PHONE,
      body: JSON.stringify({ refreshToken: 'rt1.x' }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(fake.calls[0], { method: 'refreshSession', args: [{ refreshToken: 'rt1.x' }, ORIGIN] });
  });

  it('token-create passes a missing refresh token on as empty, and the core answers 401', async () => {
    fake.failWith('refreshSession', new AppError('unauthorized', 'This session has ended.'));
    const res = await invoke(tokenCreate, fake, { method: 'POST', path: '/api/token', body: '{}' });
    assert.equal(res.status, 401);
    assert.deepEqual(fake.calls[0]!.args[0], { refreshToken: '' });
  });

  it('login-passkey-options-create and login-passkey-create', async () => {
    const options = await invoke(loginPasskeyOptionsCreate, fake, {
      method: 'POST',
      path: '/api/login/passkey/options',
      body: JSON.stringify({ username: 'alice' }),
    });
    assert.equal(options.status, 200);
    assert.deepEqual(fake.calls[0], { method: 'passkeyLoginOptions', args: [{ username: 'alice' }] });
    const login = await invoke(loginPasskeyCreate, fake, {
      method: 'POST',
      path: '/api/login/passkey',
      headers: FROM_PHONE,
      body: JSON.stringify({ response: RESPONSE }),
    });
    assert.equal(login.status, 200);
    assert.deepEqual(login.json, SAMPLE_SESSION);
    assert.deepEqual(fake.calls[1], {
      method: 'logInWithPasskey',
      args: [{ username: undefined, response: RESPONSE }, ORIGIN],
    });
  });

  it('maps passkey refusals to 400 and passkey-required to 403', async () => {
    fake.failWith('logInWithPasskey', new AppError('passkey-challenge-invalid', 'This passkey request expired.'));
    const res = await invoke(loginPasskeyCreate, fake, { method: 'POST', path: '/api/login/passkey', body: '{}' });
    assert.equal(res.status, 400);
    assert.equal((res.json as { error: { code: string } }).error.code, 'passkey-challenge-invalid');
    assert.equal(new AppError('passkey-required', 'x').status, 403);
    assert.equal(new AppError('step-up-required', 'x').status, 403);
    assert.equal(new AppError('passkey-setup-required', 'x').status, 403);
  });
});

describe('signed-in account routes', () => {
  const cases = [
    ['me-sessions-list', meSessionsList, 'GET', '/api/me/sessions', 'listSessions', 200, true, {}],
    [
      'me-session-delete',
      meSessionDelete,
      'DELETE',
      '/api/me/sessions/current',
      'endSession',
      204,
      true,
      { sessionId: 'current' },
    ],
    ['me-sessions-delete', meSessionsDelete, 'DELETE', '/api/me/sessions', 'endAllSessions', 200, true, {}],
    ['me-passkeys-list', mePasskeysList, 'GET', '/api/me/passkeys', 'listPasskeys', 200, true, {}],
    [
      'me-passkeys-options-create',
      mePasskeysOptionsCreate,
      'POST',
      '/api/me/passkeys/options',
      'passkeyRegistrationOptions',
      200,
      true,
      {},
    ],
    ['me-passkeys-create', mePasskeysCreate, 'POST', '/api/me/passkeys', 'registerPasskey', 201, true, {}],
    [
      'me-passkey-delete',
      mePasskeyDelete,
      'DELETE',
      '/api/me/passkeys/Y3JlZA',
      'removePasskey',
      204,
      false,
      { passkeyId: 'Y3JlZA' },
    ],
    [
      'me-step-up-options-create',
      meStepUpOptionsCreate,
      'POST',
      '/api/me/step-up/options',
      'stepUpOptions',
      200,
      false,
      {},
    ],
    ['me-step-up-create', meStepUpCreate, 'POST', '/api/me/step-up', 'stepUp', 200, false, {}],
  ] as const;

  for (const [name, handler, method, path, coreMethod, status, setupAllowed, params] of cases) {
    describe(name, () => {
      it(`answers ${status} for a signed-in session; set-up-only sessions ${setupAllowed ? 'allowed' : 'refused'}`, async () => {
        const body = method === 'POST' ? JSON.stringify({ response: RESPONSE }) : undefined;
        const res = await invoke(handler, fake, { method, path, headers: auth, params, body });
        assert.equal(res.status, status);
        if (status === 204) assert.equal(res.text, '');
        const [first, second] = fake.calls;
        assert.deepEqual(first, {
          method: 'authenticate',
          args: setupAllowed ? [VALID_BEARER, { forPasskeySetup: true }] : [VALID_BEARER],
        });
        assert.equal(second?.method, coreMethod);
        assert.equal(second?.args[0], SAMPLE_AUTHENTICATED);
      });

      it('answers 401 without a token and calls nothing else', async () => {
        const res = await invoke(handler, fake, { method, path, params, body: method === 'POST' ? '{}' : undefined });
        assert.equal(res.status, 401);
        assert.equal(fake.calls.length, 1);
      });
    });
  }

  it('passes the route parameter and who asked to the core', async () => {
    await invoke(meSessionDelete, fake, {
      method: 'DELETE',
      path: '/api/me/sessions/AAAAAAAAAAAAAAAAAAAAAB',
      headers: auth,
      params: { sessionId: 'AAAAAAAAAAAAAAAAAAAAAB' },
    });
    assert.deepEqual(fake.calls[1]!.args, [SAMPLE_AUTHENTICATED, 'AAAAAAAAAAAAAAAAAAAAAB', ORIGIN]);
    fake.failWith('endSession', new AppError('session-not-found', 'No such session.'));
    const res = await invoke(meSessionDelete, fake, {
      method: 'DELETE',
      path: '/api/me/sessions/x',
      headers: auth,
      params: { sessionId: 'x' },
    });
    assert.equal(res.status, 404);
  });

  it('reads only the right-most X-Forwarded-For entry: what the client wrote left of it proves nothing', async () => {
    const forged = { ...auth, 'x-forwarded-for': '198.51.100.99, 192.0.2.1:443' };
    await invoke(meSessionsDelete, fake, { method: 'DELETE', path: '/api/me/sessions', headers: forged });
    assert.deepEqual(fake.calls[1]!.args[1], { clientAddress: '192.0.2.1', userAgent: FROM_PHONE['user-agent'] });
    await invoke(meSessionsDelete, fake, {
      method: 'DELETE',
      path: '/api/me/sessions',
      headers: { authorization: VALID_BEARER, 'x-forwarded-for': '[2001:db8::1]:443' },
    });
    // One reading of the address for the limits, sessions and audit trail alike: an IPv6 client's /64 network.
    assert.deepEqual(fake.calls[3]!.args[1], { clientAddress: '2001:db8:0:0::' });
    await invoke(meSessionsDelete, fake, {
      method: 'DELETE',
      path: '/api/me/sessions',
      headers: { authorization: VALID_BEARER, 'x-forwarded-for': '<script>' },
    });
    assert.deepEqual(fake.calls[5]!.args[1], { clientAddress: 'unknown' });
  });
});
