// Sign-up through the cost and fraud guard: only signed, unexpired, local numbers from a search are
// ordered; the quotas stop a script before anything is ordered; the same sign-up again still answers 200
// (even with an expired signature); a failed or repeated sign-up gives its slots back; storage down refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, isAppError } from '../../../../core/errors';
import { DAY_MS, HOUR_MS } from '../../../../core/limits/window-counters';
import { guardedApp, LOCAL, LOCAL_2, origin, TOLL_FREE, T0 } from './support/guarded-app';

const code = (expected: string, retryAfter?: number) => (error: unknown) =>
  isAppError(error) && error.code === expected && (retryAfter === undefined || error.retryAfterSeconds === retryAfter);

async function offered(ctx: ReturnType<typeof guardedApp>, areaCode = '919') {
  const { numbers } = await ctx.app.searchNumbers({ areaCode }, origin());
  return numbers;
}

describe('sign-up orders only numbers the app offered', () => {
  it('orders a signed local number from a search', async () => {
    const ctx = guardedApp();
    const [first] = await offered(ctx);
    const result = await ctx.app.signUp(
      { username: 'alice', number: first!.number, signature: first!.signature },
      origin(),
    );
    assert.equal(result.created, true);
    assert.deepEqual(ctx.calls.slice(-1), ['signUp alice']);
  });

  it('refuses an unsigned, forged or other number: number-not-offered, nothing ordered', async () => {
    const ctx = guardedApp();
    const [first] = await offered(ctx);
    const attempts = [
      { username: 'alice', number: LOCAL.number },
      { username: 'alice', number: LOCAL.number, signature: 'kx1.AAAAAAAAAAAAAAAAAAAAAA' },
      { username: 'alice', number: LOCAL_2.number, signature: first!.signature },
    ];
    for (const request of attempts) {
      await assert.rejects(ctx.app.signUp(request, origin()), code('number-not-offered'));
    }
    assert.ok(!ctx.calls.some((call) => call.startsWith('signUp')), 'the core never ordered');
  });

  it('never offers or orders a toll-free number, even one the provider listed', async () => {
    const ctx = guardedApp();
    const numbers = await offered(ctx);
    assert.deepEqual(
      numbers.map((n) => n.number),
      [LOCAL.number, LOCAL_2.number],
    );
    await assert.rejects(
      ctx.app.signUp({ username: 'alice', number: TOLL_FREE.number, signature: numbers[0]!.signature }, origin()),
      code('number-not-offered'),
    );
  });

  it('refuses an expired signature: number-offer-expired', async () => {
    const ctx = guardedApp({ NUMBER_OFFER_MINUTES: '10' });
    const [first] = await offered(ctx);
    ctx.clock.now += 10 * 60_000 + 1;
    await assert.rejects(
      ctx.app.signUp({ username: 'alice', number: first!.number, signature: first!.signature }, origin()),
      code('number-offer-expired'),
    );
  });

  it('answers the same sign-up again with 200 even when its signature has expired, counting nothing', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_ADDRESS_PER_HOUR: '1' });
    const [first] = await offered(ctx);
    const request = { username: 'alice', number: first!.number, signature: first!.signature };
    assert.equal((await ctx.app.signUp(request, origin())).created, true);
    ctx.clock.now += DAY_MS; // signature long expired
    const again = await ctx.app.signUp(request, origin());
    assert.equal(again.created, false);
    assert.equal(again.session.user.number, first!.number);
    const unsigned = await ctx.app.signUp({ username: 'alice', number: first!.number }, origin());
    assert.equal(unsigned.created, false, 'no signature at all: still the same user');
    await assert.rejects(
      ctx.app.signUp({ username: 'alice', number: LOCAL_2.number }, origin()),
      code('username-taken'),
      'a taken username is still username-taken, not a signature error',
    );
  });
});

describe('sign-up quotas', () => {
  it('allows SIGNUPS_PER_ADDRESS_PER_HOUR per address, then 429 too-many-signups until the hour ends', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_ADDRESS_PER_HOUR: '2', SEARCH_CACHE_SECONDS: '0' });
    const numbers = await offered(ctx);
    const signUp = (username: string, i: number, from = origin()) =>
      ctx.app.signUp({ username, number: numbers[i]!.number, signature: numbers[i]!.signature }, from);
    await signUp('alice', 0);
    await signUp('bob', 1);
    ctx.core.searchResult = [{ ...LOCAL, number: '+19195551003' }];
    const [third] = await offered(ctx);
    const request = { username: 'carol', number: third!.number, signature: third!.signature };
    await assert.rejects(ctx.app.signUp(request, origin()), code('too-many-signups', 40 * 60));
    assert.equal(ctx.users.size, 2, 'nothing ordered past the limit');
    assert.equal((await ctx.app.signUp(request, origin('198.51.100.1'))).created, true, 'another address may');
  });

  it('allows SIGNUPS_PER_DAY for the whole app, then 429 signups-paused until midnight UTC', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_DAY: '1' });
    const [a, b] = await offered(ctx);
    await ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature }, origin('192.0.2.1'));
    const secondsToMidnight = (Date.parse('2026-11-27T00:00:00Z') - T0) / 1000;
    await assert.rejects(
      ctx.app.signUp({ username: 'bob', number: b!.number, signature: b!.signature }, origin('192.0.2.2')),
      code('signups-paused', secondsToMidnight),
    );
  });

  it('stops at MAX_USERS for good: 403 user-limit-reached without Retry-After', async () => {
    const ctx = guardedApp({ MAX_USERS: '1' });
    const [a, b] = await offered(ctx);
    await ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature }, origin('192.0.2.1'));
    ctx.clock.now += 30 * DAY_MS; // a total: no window ever lets more in
    const signed = (await offered(ctx)).find((n) => n.number === b!.number)!;
    await assert.rejects(
      ctx.app.signUp({ username: 'bob', number: signed.number, signature: signed.signature }, origin()),
      (error) => isAppError(error) && error.code === 'user-limit-reached' && error.retryAfterSeconds === undefined,
    );
    assert.equal(ctx.users.size, 1);
  });

  it('gives the slots back when the sign-up fails, so a failed order costs the person nothing', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_ADDRESS_PER_HOUR: '1', MAX_USERS: '1' });
    const [a] = await offered(ctx);
    const request = { username: 'alice', number: a!.number, signature: a!.signature };
    ctx.core.signUpFailure = new AppError('number-unavailable', 'Someone else took it.', 'number');
    await assert.rejects(ctx.app.signUp(request, origin()), code('number-unavailable'));
    ctx.core.signUpFailure = new AppError('provider-unavailable', 'Not answering.');
    await assert.rejects(ctx.app.signUp(request, origin()), code('provider-unavailable'));
    assert.equal((await ctx.app.signUp(request, origin())).created, true);
    const perAddress = { kind: 'signupAddress', subject: '203.0.113.7', limit: 1, windowMs: HOUR_MS };
    assert.equal(await ctx.counters.count(perAddress), 1);
    assert.equal(await ctx.counters.count({ kind: 'users', subject: 'app', limit: 1 }), 1);
  });

  it('a script in parallel gets exactly the quota, and orders nothing past it', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_ADDRESS_PER_HOUR: '3' });
    ctx.core.searchResult = Array.from({ length: 16 }, (_, i) => ({ ...LOCAL, number: `+191955520${10 + i}` }));
    const numbers = await offered(ctx);
    const results = await Promise.allSettled(
      numbers.map((n, i) =>
        ctx.app.signUp({ username: `bot${i}`, number: n.number, signature: n.signature }, origin()),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.ok(
      results.every((r) => r.status === 'fulfilled' || (isAppError(r.reason) && r.reason.code === 'too-many-signups')),
    );
    assert.equal(ctx.users.size, 3);
  });

  it('fails closed: with the limits table down nothing is ordered (503 storage-unavailable)', async () => {
    const ctx = guardedApp();
    const [a] = await offered(ctx);
    ctx.table.down = true;
    await assert.rejects(
      ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature }, origin()),
      code('storage-unavailable'),
    );
    assert.ok(!ctx.calls.some((call) => call.startsWith('signUp')));
  });

  it('requests without an origin share one "unknown" address quota', async () => {
    const ctx = guardedApp({ SIGNUPS_PER_ADDRESS_PER_HOUR: '1' });
    const [a, b] = await offered(ctx);
    await ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature });
    await assert.rejects(
      ctx.app.signUp({ username: 'bob', number: b!.number, signature: b!.signature }),
      code('too-many-signups'),
    );
  });
});

describe('SIGNUP_CODE', () => {
  it('is asked for, checked, and counts nothing when missing or wrong', async () => {
    const ctx = guardedApp({ SIGNUP_CODE: 'friends-of-the-house', SIGNUPS_PER_ADDRESS_PER_HOUR: '1' });
    const [a] = await offered(ctx);
    const request = { username: 'alice', number: a!.number, signature: a!.signature };
    await assert.rejects(ctx.app.signUp(request, origin()), code('signup-code-required'));
    await assert.rejects(ctx.app.signUp({ ...request, signupCode: 'friends' }, origin()), code('signup-code-invalid'));
    const ok = await ctx.app.signUp({ ...request, signupCode: ' friends-of-the-house ' }, origin());
    assert.equal(ok.created, true);
  });

  it('is not asked for when unset', async () => {
    const ctx = guardedApp();
    const [a] = await offered(ctx);
    const result = await ctx.app.signUp({ username: 'alice', number: a!.number, signature: a!.signature }, origin());
    assert.equal(result.created, true);
  });
});
