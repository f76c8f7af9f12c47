// The Bandwidth sandbox's token issuer on its own: credentials and roles, the form grant, expiry on a fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BandwidthHttpError } from '../../../../sandbox/bandwidth/http/bw-errors';
import { TokenIssuer } from '../../../../sandbox/bandwidth/http/oauth';

const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function issuer(clock: { now: number }, ttl = 60) {
  return new TokenIssuer(
    [
      { clientId: 'acct', clientSecret: 'acct-secret', role: 'account' },
      { clientId: 'rtc', clientSecret: 'rtc-secret', role: 'webrtc' },
    ],
    { now: () => clock.now, ttlSeconds: () => ttl },
  );
}

test('each credential gets a Bearer token of its role that expires after expires_in', () => {
  const clock = { now: 1_000_000 };
  const tokens = issuer(clock);
  const account = tokens.issue(basic('acct', 'acct-secret'), FORM, 'grant_type=client_credentials');
  const webrtc = tokens.issue(basic('rtc', 'rtc-secret'), `${FORM}; charset=utf-8`, 'grant_type=client_credentials');
  assert.equal(account.token_type, 'Bearer');
  assert.equal(account.expires_in, 60);
  assert.notEqual(account.access_token, webrtc.access_token);
  assert.deepEqual(tokens.check(`Bearer ${String(account.access_token)}`), { ok: true, role: 'account' });
  assert.deepEqual(tokens.check(`bearer ${String(webrtc.access_token)}`), { ok: true, role: 'webrtc' });
  clock.now += 59_999;
  assert.equal(tokens.check(`Bearer ${String(account.access_token)}`).ok, true);
  clock.now += 1;
  assert.deepEqual(tokens.check(`Bearer ${String(account.access_token)}`), { ok: false, reason: 'expired' });
  assert.deepEqual(tokens.check(undefined), { ok: false, reason: 'missing' });
  assert.deepEqual(tokens.check('Basic abc'), { ok: false, reason: 'missing' });
  assert.deepEqual(tokens.check('Bearer nope'), { ok: false, reason: 'unknown' });
});

test('wrong credentials are 401 invalid_client; a bad grant or body is 400', () => {
  const tokens = issuer({ now: 0 });
  const status = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof BandwidthHttpError);
      return [error.status, (error.body as { error: string }).error];
    }
    return [200, ''];
  };
  assert.deepEqual(
    status(() => tokens.issue(basic('acct', 'wrong'), FORM, 'grant_type=client_credentials')),
    [401, 'invalid_client'],
  );
  assert.deepEqual(
    status(() => tokens.issue(undefined, FORM, 'grant_type=client_credentials')),
    [401, 'invalid_client'],
  );
  assert.deepEqual(
    status(() => tokens.issue(basic('acct', 'acct-secret'), FORM, 'grant_type=password')),
    [400, 'unsupported_grant_type'],
  );
  assert.deepEqual(
    status(() => tokens.issue(basic('acct', 'acct-secret'), FORM, '')),
    [400, 'invalid_request'],
  );
  assert.deepEqual(
    status(() => tokens.issue(basic('acct', 'acct-secret'), 'application/json', '{}')),
    [400, 'invalid_request'],
  );
});

test('revokeAll invalidates every issued token', () => {
  const tokens = issuer({ now: 0 });
  const { access_token } = tokens.issue(basic('acct', 'acct-secret'), FORM, 'grant_type=client_credentials');
  tokens.revokeAll();
  assert.deepEqual(tokens.check(`Bearer ${String(access_token)}`), { ok: false, reason: 'unknown' });
});
