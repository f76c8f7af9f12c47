// Searches, log-ins and health through the guard: searches are counted per address and answered from a
// short cache (one provider request per distinct query and TTL, shared by concurrent requests); log-in
// attempts are counted per address and per username; health is reused for a few seconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, isAppError } from '../../../../core/errors';
import { HOUR_MS } from '../../../../core/limits/window-counters';
import { guardedApp, origin } from './support/guarded-app';

const code = (expected: string, retryAfter?: number) => (error: unknown) =>
  isAppError(error) && error.code === expected && (retryAfter === undefined || error.retryAfterSeconds === retryAfter);

const searches = (calls: string[]) => calls.filter((call) => call.startsWith('searchNumbers')).length;

describe('number search', () => {
  it('asks the core once per distinct query within SEARCH_CACHE_SECONDS, however it was typed', async () => {
    const ctx = guardedApp({ SEARCH_CACHE_SECONDS: '30' });
    await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    await ctx.app.searchNumbers({ areaCode: ' 919 ' }, origin('198.51.100.1'));
    await Promise.all([1, 2, 3].map(() => ctx.app.searchNumbers({ areaCode: '919' }, origin())));
    assert.equal(searches(ctx.calls), 1);
    await ctx.app.searchNumbers({ city: 'Cary', state: 'nc' }, origin());
    await ctx.app.searchNumbers({ city: 'cary', state: 'NC' }, origin());
    assert.equal(searches(ctx.calls), 2);
    ctx.clock.now += 30_000;
    await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    assert.equal(searches(ctx.calls), 3, 'asked again once the answer is older than the TTL');
  });

  it('signs each answer afresh, even from the cache', async () => {
    const ctx = guardedApp({ SEARCH_CACHE_SECONDS: '60', NUMBER_OFFER_MINUTES: '15' });
    const first = await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    ctx.clock.now += 50_000;
    const second = await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    assert.equal(searches(ctx.calls), 1);
    assert.notEqual(first.numbers[0]!.signatureExpiresAt, second.numbers[0]!.signatureExpiresAt);
    assert.equal(
      Date.parse(second.numbers[0]!.signatureExpiresAt),
      Math.floor((ctx.clock.now + 15 * 60_000) / 1000) * 1000,
    );
  });

  it('never offers again from the cache a number just ordered or found taken', async () => {
    const ctx = guardedApp({ SEARCH_CACHE_SECONDS: '30' });
    const [a, b] = (await ctx.app.searchNumbers({ areaCode: '919' }, origin())).numbers;
    await ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature }, origin());
    ctx.core.signUpFailure = new AppError('number-unavailable', 'Someone else took it.', 'number');
    await assert.rejects(
      ctx.app.signUp({ username: 'bob', number: b!.number, signature: b!.signature }, origin()),
      code('number-unavailable'),
    );
    const again = await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    assert.equal(searches(ctx.calls), 1, 'still the cached answer');
    assert.deepEqual(again.numbers, []);
  });

  it('never keeps a failed search', async () => {
    const ctx = guardedApp();
    ctx.core.searchFailure = new AppError('provider-unavailable', 'Not answering.');
    await assert.rejects(ctx.app.searchNumbers({ areaCode: '919' }, origin()), code('provider-unavailable'));
    ctx.core.searchFailure = undefined;
    const { numbers } = await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    assert.equal(numbers.length, 2);
    assert.equal(searches(ctx.calls), 2);
  });

  it('allows SEARCHES_PER_ADDRESS_PER_HOUR per address (cache hits count too), then 429 too-many-searches', async () => {
    const ctx = guardedApp({ SEARCHES_PER_ADDRESS_PER_HOUR: '3' });
    for (let i = 0; i < 3; i += 1) await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    await assert.rejects(ctx.app.searchNumbers({ areaCode: '919' }, origin()), code('too-many-searches', 40 * 60));
    await ctx.app.searchNumbers({ areaCode: '919' }, origin('198.51.100.1'));
    ctx.clock.now += 40 * 60_000;
    await ctx.app.searchNumbers({ areaCode: '919' }, origin());
  });

  it('with SEARCH_CACHE_SECONDS=0 asks every time', async () => {
    const ctx = guardedApp({ SEARCH_CACHE_SECONDS: '0' });
    await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    await ctx.app.searchNumbers({ areaCode: '919' }, origin());
    assert.equal(searches(ctx.calls), 2);
  });
});

describe('log-in attempts', () => {
  it('allows LOGINS_PER_USERNAME_PER_HOUR per username from all addresses together', async () => {
    const ctx = guardedApp({ LOGINS_PER_USERNAME_PER_HOUR: '2' });
    ctx.users.set('alice', '+19195551001');
    await ctx.app.logIn({ username: 'alice' }, origin('192.0.2.1'));
    await ctx.app.logIn({ username: 'ALICE' }, origin('192.0.2.2'));
    await assert.rejects(ctx.app.logIn({ username: 'alice' }, origin('192.0.2.3')), code('too-many-logins', 40 * 60));
    await assert.rejects(ctx.app.logIn({ username: 'bob' }, origin('192.0.2.3')), code('user-not-found'));
  });

  it('allows LOGINS_PER_ADDRESS_PER_HOUR per address, whatever usernames it tries (enumeration)', async () => {
    const ctx = guardedApp({ LOGINS_PER_ADDRESS_PER_HOUR: '3' });
    for (const name of ['ann', 'ben', 'cat']) {
      await assert.rejects(ctx.app.logIn({ username: name }, origin()), code('user-not-found'));
    }
    await assert.rejects(ctx.app.logIn({ username: 'dan' }, origin()), code('too-many-logins'));
    assert.ok(!ctx.calls.includes('logIn dan'), 'the refused attempt never reached the core');
  });

  it('counts an invalid username against the address only', async () => {
    const ctx = guardedApp();
    await assert.rejects(ctx.app.logIn({ username: 'x' }, origin()), code('user-not-found'));
    assert.equal(
      await ctx.counters.count({ kind: 'loginAddress', subject: '203.0.113.7', limit: 1, windowMs: HOUR_MS }),
      1,
    );
    assert.equal(await ctx.counters.count({ kind: 'loginUsername', subject: 'x', limit: 1, windowMs: HOUR_MS }), 0);
  });
});

describe('health', () => {
  it('reuses its answer for HEALTH_CACHE_SECONDS', async () => {
    const ctx = guardedApp({ HEALTH_CACHE_SECONDS: '5' });
    await Promise.all([ctx.app.health(), ctx.app.health()]);
    await ctx.app.health();
    assert.equal(ctx.calls.filter((call) => call === 'health').length, 1);
    ctx.clock.now += 5000;
    await ctx.app.health();
    assert.equal(ctx.calls.filter((call) => call === 'health').length, 2);
  });
});
