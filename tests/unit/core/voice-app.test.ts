import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVoiceApp, createVoiceAppFromEnv } from '../../../core/create-voice-app';
import { isAppError } from '../../../core/errors';
import { validateSearch } from '../../../core/numbers/search-numbers';
import { single } from '../../support/list-items';
import { FakeCatapultError } from './support/fake-catapult';
import { makeApp } from './support/make-app';
import { TEST_ENV, testConfig } from './support/test-config';

const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;

test('number search takes exactly one kind of criteria, with clear messages', () => {
  assert.deepEqual(validateSearch({ areaCode: '919' }), { areaCode: '919', quantity: 10 });
  assert.deepEqual(validateSearch({ zip: '27513', quantity: 5 }), { zip: '27513', quantity: 5 });
  assert.deepEqual(validateSearch({ city: 'Cary', state: 'nc', quantity: '50' as never }), {
    city: 'Cary',
    state: 'NC',
    quantity: 50,
  });
  const invalid = (query: object, message: RegExp) =>
    assert.throws(
      () => validateSearch(query),
      (e) => isAppError(e) && e.code === 'invalid-search' && message.test(e.message),
    );
  invalid({}, /area code, by ZIP/);
  invalid({ areaCode: '919', zip: '27513' }, /only one/);
  invalid({ areaCode: '91' }, /3 digits/);
  invalid({ zip: '2751' }, /5 digits/);
  invalid({ city: 'Cary' }, /state is required/);
  invalid({ state: 'NC' }, /city is required/);
  invalid({ city: 'Cary', state: 'North Carolina' }, /2 letters/);
  invalid({ areaCode: '919', quantity: 51 }, /1 to 50/);
  invalid({ areaCode: '919', quantity: 'x' }, /1 to 50/);
});

test('search maps Catapult results and errors', async () => {
  const { app, catapult } = makeApp();
  const { numbers } = await app.searchNumbers({ areaCode: '919' });
  assert.deepEqual(numbers[0], { number: '+19195551001', nationalNumber: '(919) 555-1001', city: 'CARY', state: 'NC' });
  catapult.failNext('searchLocalNumbers', new FakeCatapultError(429, 'rate-limit-reached', 'too-many-requests'));
  await assert.rejects(app.searchNumbers({ areaCode: '919' }), code('provider-rate-limited'));
  await assert.rejects(app.searchNumbers({ zip: 'abcde' }), code('invalid-search'));
});

test('an invalid config yields an app whose health names the settings and whose methods refuse', async () => {
  const app = createVoiceAppFromEnv({ ...TEST_ENV, APP_SECRET: 'short', PUBLIC_BASE_URL: '' });
  const health = await app.health();
  assert.equal(health.status, 'degraded');
  assert.equal(health.checks.config.ok, false);
  assert.match(health.checks.config.message!, /APP_SECRET/);
  assert.match(health.checks.config.message!, /PUBLIC_BASE_URL/);
  assert.doesNotMatch(JSON.stringify(health), /short/);
  await assert.rejects(
    app.logIn({ username: 'alice' }),
    (e) => code('config-invalid')(e) && /APP_SECRET/.test((e as Error).message),
  );
  await assert.rejects(app.handleWebhook({ route: 'catapult', query: {}, body: {} }), code('config-invalid'));
});

test('health reports each dependency with latency, and failures with their code', async () => {
  const { app, catapult, tables } = makeApp({ healthTimeoutMs: 100 });
  let health = await app.health();
  assert.equal(health.status, 'ok');
  assert.equal(typeof health.checks.storage.latencyMs, 'number');
  assert.equal(typeof health.checks.provider.latencyMs, 'number');
  await app.ensureProviderResources();
  catapult.failNext('getApplication', new FakeCatapultError(401, 'user-access-denied', 'authorization', 'GET'));
  tables.bootstrap.down = true;
  health = await app.health();
  assert.equal(health.status, 'degraded');
  assert.equal(health.checks.storage.code, 'storage-unavailable');
  assert.equal(health.checks.provider.code, 'provider-rejected');
  tables.bootstrap.down = false;
  catapult.getApplication = () => new Promise(() => {}); // hangs
  health = await app.health();
  assert.equal(health.checks.provider.code, 'provider-unavailable');
  assert.match(health.checks.provider.message!, /100 ms/);
});

test('WebRTC tokens, me, and a token whose user is gone', async () => {
  const { app, catapult, clock, tables } = makeApp();
  const { session } = await app.signUp({ username: 'alice', number: '+19195551001' });
  const user = await app.authenticate(`Bearer ${session.token}`);
  const token = await app.createWebRtcToken(user);
  assert.ok(token.provider === 'catapult');
  assert.equal(token.headerName, 'X-Callsign-Token');
  assert.equal(token.sipUri, session.user.sipUri);
  assert.equal(token.websocketUrl, 'wss://webrtc.registration.bandwidth.com:10443');
  assert.equal(token.expiresAt, new Date(clock.now + 3600_000).toISOString());
  assert.ok(catapult.tokens.includes(token.token));
  assert.deepEqual(await app.getMe(user), session.user);
  await tables.users.delete('users', 'u:alice', '*');
  await assert.rejects(app.getMe(user), code('unauthorized'));
  await assert.rejects(app.authenticate('Bearer nope'), code('unauthorized'));
});

test('after APP_SECRET rotation: old sessions are refused and the SIP password is re-issued, not lost', async () => {
  const { app, catapult, tables } = makeApp();
  const { session } = await app.signUp({ username: 'alice', number: '+19195551001' });
  const rotated = createVoiceApp({
    config: testConfig({ APP_SECRET: 'a-completely-new-app-secret-0123456789abcdef' }),
    catapult,
    tables,
    sweepIntervalMs: 0,
  });
  await assert.rejects(rotated.authenticate(`Bearer ${session.token}`), code('unauthorized'));
  const again = await rotated.authenticate(`Bearer ${(await rotated.logIn({ username: 'alice' })).token}`);
  const fresh = await rotated.getSipCredentials(again);
  const endpoint = single([...catapult.endpoints.values()], 'endpoint');
  assert.equal(fresh.password, endpoint.password);
  assert.equal((await rotated.getSipCredentials(again)).password, fresh.password);
  assert.equal(catapult.count('updateEndpoint'), 1);
});
