// Anonymous traffic no longer becomes provider traffic: repeated number searches and health checks are
// answered from a short per-instance cache (the sandbox's request log counts what reached "Catapult"), and
// searches and log-ins are counted per client address (and per username) in Table Storage, with 429 and
// Retry-After past the limit.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { callApi } from '../../support/api-client';
import { signUpUser, uniqueUsername, useStack } from '../../support/stack-fixture';

const SEARCHES = 30;
const fixture = useStack({
  env: {
    SEARCH_CACHE_SECONDS: '60',
    HEALTH_CACHE_SECONDS: '60',
    SEARCHES_PER_ADDRESS_PER_HOUR: String(SEARCHES),
    LOGINS_PER_USERNAME_PER_HOUR: '3',
  },
});
const SEARCH = /^\/v1\/availableNumbers\/local$/;
const get = (path: string, headers?: Record<string, string>) => callApi(fixture.stack.apiUrl, 'GET', path, { headers });

describe('provider requests per anonymous request', () => {
  beforeEach(() => fixture.sandbox.clearRequests());

  it('20 identical searches (in sequence and at once) make one provider request', async () => {
    for (let i = 0; i < 10; i += 1) assert.equal((await get('/api/numbers?areaCode=919')).status, 200);
    const together = await Promise.all(Array.from({ length: 10 }, () => get('/api/numbers?areaCode=%20919')));
    assert.ok(together.every((r) => r.status === 200));
    assert.equal(await fixture.sandbox.count('GET', SEARCH), 1);
    // Each answer is signed afresh and orderable.
    assert.ok(together.every((r) => typeof r.json.numbers[0].signature === 'string'));
  });

  it('20 health checks make at most one provider request', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => get('/api/health')));
    for (let i = 0; i < 10; i += 1) answers.push(await get('/api/health'));
    assert.ok(answers.every((r) => r.status === 200 && r.json.checks.provider.ok));
    const provider = (await fixture.sandbox.requests()).filter((r) => r.path.startsWith('/v1/'));
    assert.ok(provider.length <= 1, JSON.stringify(provider));
  });
});

describe('per-address and per-username counts', () => {
  it('allows LOGINS_PER_USERNAME_PER_HOUR log-in attempts per username, then 429 too-many-logins', async () => {
    const user = (await signUpUser(fixture.stack.apiUrl)).username;
    for (let i = 0; i < 3; i += 1) {
      const res = await callApi(fixture.stack.apiUrl, 'POST', '/api/login', { body: { username: user } });
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
    const refused = await callApi(fixture.stack.apiUrl, 'POST', '/api/login', { body: { username: user } });
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error.code, 'too-many-logins');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const someoneElse = await callApi(fixture.stack.apiUrl, 'POST', '/api/login', {
      body: { username: uniqueUsername('other') },
    });
    assert.equal(someoneElse.status, 404, 'another username is counted apart');
  });

  it('allows SEARCHES_PER_ADDRESS_PER_HOUR searches, then 429 too-many-searches with Retry-After; a forged X-Forwarded-For does not help', async () => {
    // Part of the allowance went to the tests above; use up the rest with distinct queries, each from a
    // different forged X-Forwarded-For (none of which counts).
    let status = 200;
    let sent = 0;
    for (let areaCode = 200; status === 200 && sent <= SEARCHES; areaCode += 1, sent += 1) {
      status = (await get(`/api/numbers?areaCode=${areaCode}`, { 'x-forwarded-for': `198.51.100.${sent}` })).status;
    }
    assert.equal(status, 429);
    await fixture.sandbox.clearRequests();
    const refused = await get('/api/numbers?areaCode=704', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error.code, 'too-many-searches');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    assert.equal(await fixture.sandbox.count('GET', SEARCH), 0, 'a refused search reaches no provider');
  });
});
