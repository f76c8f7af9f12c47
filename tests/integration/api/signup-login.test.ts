// Sign-up and log-in through the functions, Table Storage (Azurite) and the sandbox. The sandbox's
// request log is the oracle for "nothing was ordered": it counts POST …/phoneNumbers (allocation)
// and POST …/endpoints (SIP endpoint creation).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { callApi } from '../../support/api-client';
import { firstOffer, uniqueUsername, useStack, type Offer } from '../../support/stack-fixture';

const fixture = useStack();
afterEach(() => fixture.sandbox.clearFaults());

const ALLOCATE = /^\/v1\/users\/[^/]+\/phoneNumbers$/;
const CREATE_ENDPOINT = /^\/v1\/users\/[^/]+\/domains\/[^/]+\/endpoints$/;
const signUp = (body: unknown) => callApi(fixture.stack.apiUrl, 'POST', '/api/users', { body });
const logIn = (body: unknown) => callApi(fixture.stack.apiUrl, 'POST', '/api/login', { body });

/** Sign-up that must create the user (fails with the API's answer otherwise). */
async function mustSignUp(username: string, offer: Offer): Promise<void> {
  const res = await signUp({ username, ...offer });
  assert.equal(res.status, 201, `sign-up ${username} ${offer.number}: ${res.status} ${JSON.stringify(res.json)}`);
}

describe('sign-up', () => {
  it('answers 201 with the user and a working session token', async () => {
    const username = uniqueUsername('alice');
    const offer = await firstOffer(fixture.stack.apiUrl);
    const res = await signUp({ username, ...offer });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.json.user.username, username);
    assert.equal(res.json.user.number, offer.number);
    assert.match(res.json.user.sipUri, /^sip:[^@]+@[a-z0-9-]+\.bwapp\.bwsip\.io$/);
    assert.ok(Date.parse(res.json.expiresAt) > Date.now());
    const me = await callApi(fixture.stack.apiUrl, 'GET', '/api/me', { token: res.json.token });
    assert.equal(me.status, 200);
    assert.equal(me.json.username, username);
  });

  it('answers 200 for the same sign-up again (refresh) and orders nothing new', async () => {
    const username = uniqueUsername('refresh');
    const offer = await firstOffer(fixture.stack.apiUrl);
    const first = await signUp({ username, ...offer });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    const allocations = await fixture.sandbox.count('POST', ALLOCATE);
    const endpoints = await fixture.sandbox.count('POST', CREATE_ENDPOINT);

    const again = await signUp({ username, ...offer });
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.deepEqual(again.json.user, first.json.user);
    assert.equal(await fixture.sandbox.count('POST', ALLOCATE), allocations, 'no second number allocated');
    assert.equal(await fixture.sandbox.count('POST', CREATE_ENDPOINT), endpoints, 'no second endpoint created');
  });

  it('answers 409 username-taken for another number under a taken username', async () => {
    const username = uniqueUsername('taken');
    const offer = await firstOffer(fixture.stack.apiUrl);
    await mustSignUp(username, offer);
    const other = await firstOffer(fixture.stack.apiUrl);
    const allocations = await fixture.sandbox.count('POST', ALLOCATE);
    const res = await signUp({ username: username.toUpperCase(), ...other });
    assert.equal(res.status, 409, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'username-taken');
    assert.equal(await fixture.sandbox.count('POST', ALLOCATE), allocations, 'checked before ordering');
  });

  it('answers 409 number-unavailable when someone else already has the number', async () => {
    const offer = await firstOffer(fixture.stack.apiUrl);
    await mustSignUp(uniqueUsername('first'), offer);
    const res = await signUp({ username: uniqueUsername('second'), ...offer });
    assert.equal(res.status, 409, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'number-unavailable');
  });

  it('answers 400 with the field for a bad username, a bad number and bad JSON', async () => {
    const offer = await firstOffer(fixture.stack.apiUrl);
    const badName = await signUp({ username: 'a b', ...offer });
    assert.equal(badName.status, 400);
    assert.equal(badName.json.error.code, 'invalid-username');
    assert.equal(badName.json.error.field, 'username');
    const badNumber = await signUp({ username: uniqueUsername(), number: '919-555' });
    assert.equal(badNumber.status, 400);
    assert.equal(badNumber.json.error.code, 'invalid-number');
    assert.equal(badNumber.json.error.field, 'number');
    const badJson = await signUp('{"username":');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error.code, 'invalid-json');
  });

  it('answers 503 provider-unavailable when Catapult fails, leaves nothing behind, and succeeds on retry', async () => {
    const username = uniqueUsername('outage');
    const offer = await firstOffer(fixture.stack.apiUrl);
    const path = `/v1/users/${fixture.stack.sandbox!.account.userId}/phoneNumbers`;
    await fixture.sandbox.fault({ method: 'POST', path, preset: 'server-error', count: 50 });
    const failed = await signUp({ username, ...offer });
    assert.equal(failed.status, 503, JSON.stringify(failed.json));
    assert.equal(failed.json.error.code, 'provider-unavailable');
    assert.equal((await logIn({ username })).status, 404, 'no user was persisted');

    await fixture.sandbox.clearFaults();
    const retried = await signUp({ username, ...offer });
    assert.equal(retried.status, 201, JSON.stringify(retried.json));
  });

  it('answers 503 provider-rate-limited when Catapult keeps answering 429', async () => {
    const username = uniqueUsername('limited');
    const offer = await firstOffer(fixture.stack.apiUrl);
    const path = `/v1/users/${fixture.stack.sandbox!.account.userId}/phoneNumbers`;
    await fixture.sandbox.fault({ method: 'POST', path, preset: 'rate-limit', count: 50 });
    const res = await signUp({ username, ...offer });
    assert.equal(res.status, 503, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'provider-rate-limited');
    assert.equal((await logIn({ username })).status, 404);

    // The failed sign-up keeps the number for this person (resumable), not for someone else.
    await fixture.sandbox.clearFaults();
    const other = await signUp({ username: uniqueUsername('other'), ...offer });
    assert.equal(other.status, 409, JSON.stringify(other.json));
    assert.equal(other.json.error.code, 'number-unavailable');
    await mustSignUp(username, offer);
  });
});

describe('log-in', () => {
  it('answers 200 with a new session for a known username, whatever its case', async () => {
    const username = uniqueUsername('login');
    const offer = await firstOffer(fixture.stack.apiUrl);
    await mustSignUp(username, offer);
    const res = await logIn({ username: ` ${username.toUpperCase()} ` });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.user.username, username);
    assert.equal(res.json.user.number, offer.number);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const me = await callApi(fixture.stack.apiUrl, 'GET', '/api/me', { token: res.json.token });
    assert.equal(me.status, 200);
  });

  it('answers 404 user-not-found for an unknown username and creates nothing', async () => {
    await fixture.sandbox.clearRequests();
    const username = uniqueUsername('nobody');
    const res = await logIn({ username });
    assert.equal(res.status, 404, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'user-not-found');
    const writes = (await fixture.sandbox.requests()).filter((r) => r.method !== 'GET');
    assert.deepEqual(writes, [], 'no Catapult resource was created');
    assert.equal((await logIn({ username })).status, 404, 'still unknown: never auto-created');
  });

  it('answers 400 for a missing username and for bad JSON', async () => {
    const missing = await logIn({});
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'invalid-username');
    const bad = await logIn('nope');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'invalid-json');
  });
});
