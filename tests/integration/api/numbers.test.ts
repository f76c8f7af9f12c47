// GET /api/numbers through the functions and the sandbox: each kind of search, bad criteria, and
// Catapult faults (5xx and 429 after the client's retries) mapped to 503 with a stable code.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { callApi } from '../../support/api-client';
import { useStack } from '../../support/stack-fixture';

const fixture = useStack();
afterEach(() => fixture.sandbox.clearFaults());

const search = (query: string) => callApi(fixture.stack.apiUrl, 'GET', `/api/numbers?${query}`);

describe('number search', () => {
  it('finds numbers by area code, as E.164 with a national format, city and state', async () => {
    const res = await search('areaCode=919&quantity=3');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.ok(res.json.numbers.length >= 1 && res.json.numbers.length <= 3);
    for (const found of res.json.numbers) {
      assert.match(found.number, /^\+1919\d{7}$/);
      assert.equal(typeof found.nationalNumber, 'string');
      assert.equal(typeof found.city, 'string');
      assert.equal(typeof found.state, 'string');
    }
  });

  it('finds numbers by ZIP code', async () => {
    const res = await search('zip=27513');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.ok(res.json.numbers.length >= 1);
  });

  it('finds numbers by city and state', async () => {
    const res = await search('city=Cary&state=NC');
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.ok(res.json.numbers.length >= 1);
    assert.ok(res.json.numbers.every((found: { state: string }) => found.state === 'NC'));
  });

  for (const [label, query] of [
    ['no criteria', ''],
    ['a city without a state', 'city=Cary'],
    ['an area code that is not 3 digits', 'areaCode=91'],
    ['two kinds combined', 'areaCode=919&zip=27513'],
    ['a quantity that is not a number', 'areaCode=919&quantity=lots'],
  ] as const) {
    it(`answers 400 invalid-search for ${label}`, async () => {
      const res = await search(query);
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.equal(res.json.error.code, 'invalid-search');
    });
  }

  it('answers 503 provider-unavailable when Catapult keeps failing', async () => {
    await fixture.sandbox.fault({
      method: 'GET',
      path: '/v1/availableNumbers/local',
      preset: 'server-error',
      count: 50,
    });
    const res = await search('areaCode=919');
    assert.equal(res.status, 503, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'provider-unavailable');
  });

  it('answers 503 provider-rate-limited when Catapult keeps answering 429', async () => {
    await fixture.sandbox.fault({ method: 'GET', path: '/v1/availableNumbers/local', preset: 'rate-limit', count: 50 });
    const res = await search('areaCode=919');
    assert.equal(res.status, 503, JSON.stringify(res.json));
    assert.equal(res.json.error.code, 'provider-rate-limited');
  });

  it('recovers when a single 500 is followed by success (the client retries)', async () => {
    await fixture.sandbox.fault({
      method: 'GET',
      path: '/v1/availableNumbers/local',
      preset: 'server-error',
      count: 1,
    });
    const res = await search('areaCode=919');
    assert.equal(res.status, 200, JSON.stringify(res.json));
  });
});
