// The sign-up state machine against a fake Catapult that fails at each step, with in-memory tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { single } from '../../support/list-items';
import { FakeCatapultError } from './support/fake-catapult';
import { makeApp } from './support/make-app';

const N1 = '+19195551001';
const N2 = '+19195551002';
const timeout = () => new FakeCatapultError(0, 'timeout', 'timeout');
const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;

test('a sign-up orders the number with the application attached, creates the endpoint, and persists the user', async () => {
  const { app, catapult } = makeApp();
  const resources = await app.ensureProviderResources();
  const before = catapult.log.length;
  const { created, session } = await app.signUp({ username: ' Alice ', number: N1 });
  assert.equal(created, true);
  const calls = catapult.log.slice(before).map((e) => e.method);
  assert.deepEqual(calls, ['allocatePhoneNumber', 'createEndpoint', 'getEndpoint']); // ≤ 4 round trips
  assert.deepEqual(catapult.log[before]?.args[0], {
    number: N1,
    name: 'voice-reference-app:alice',
    applicationId: resources.applicationId,
  });
  const endpoint = single([...catapult.endpoints.values()], 'endpoint');
  assert.equal(endpoint.name, 'alice');
  assert.equal(endpoint.applicationId, resources.applicationId);
  assert.ok(endpoint.password.length >= 16);
  assert.equal(session.user.username, 'alice');
  assert.equal(session.user.number, N1);
  assert.equal(session.user.nationalNumber, '(919) 555-1001');
  assert.equal(session.user.sipUri, endpoint.sipUri);
  const authenticated = await app.authenticate(`Bearer ${session.token}`);
  assert.deepEqual([authenticated.username, authenticated.sessionId], ['alice', session.sessionId]);
  const sip = await app.getSipCredentials(authenticated);
  assert.equal(sip.password, endpoint.password);
  assert.equal(sip.realm, endpoint.credentials.realm);
});

test('the same sign-up again returns the same user and orders nothing; another number is username-taken', async () => {
  const { app, catapult } = makeApp();
  await app.signUp({ username: 'alice', number: N1 });
  const allocations = catapult.count('allocatePhoneNumber');
  const again = await app.signUp({ username: 'ALICE', number: N1 });
  assert.equal(again.created, false);
  assert.equal(again.session.user.number, N1);
  assert.equal(catapult.count('allocatePhoneNumber'), allocations);
  await assert.rejects(app.signUp({ username: 'alice', number: N2 }), code('username-taken'));
  assert.equal(catapult.numbers.size, 1);
});

test('log-in never creates a user', async () => {
  const { app } = makeApp();
  await assert.rejects(app.logIn({ username: 'nobody' }), code('user-not-found'));
  await assert.rejects(app.logIn({ username: 'no' }), code('invalid-username'));
  await app.signUp({ username: 'alice', number: N1 });
  const session = await app.logIn({ username: 'Alice' });
  assert.equal(session.user.username, 'alice');
  await assert.rejects(app.logIn({ username: 'nobody' }), code('user-not-found'));
});

test('bad input is refused before anything is ordered', async () => {
  const { app, catapult } = makeApp();
  await assert.rejects(app.signUp({ username: 'a', number: N1 }), code('invalid-username'));
  await assert.rejects(app.signUp({ username: 'alice', number: '9195551001' }), code('invalid-number'));
  await assert.rejects(app.signUp(undefined as never), code('invalid-username'));
  assert.equal(catapult.log.length, 0);
});

test('allocate fails transiently: the retry resumes and orders exactly one number', async () => {
  const { app, catapult } = makeApp();
  catapult.failNext('allocatePhoneNumber', new FakeCatapultError(500, 'internal'));
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  const { created } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(created, true);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
});

test('allocate succeeded but its answer was lost: the retry finds the number by its marker', async () => {
  const { app, catapult } = makeApp();
  const original = catapult.allocatePhoneNumber.bind(catapult);
  catapult.allocatePhoneNumber = async (input) => {
    catapult.allocatePhoneNumber = original;
    await original(input);
    throw timeout();
  };
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  assert.equal(catapult.numbers.size, 1);
  const { created, session } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(created, true);
  assert.equal(session.user.number, N1);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.count('getPhoneNumber'), 1);
});

test('endpoint created but its answer was lost: the retry adopts it by name with the stored password', async () => {
  const { app, catapult } = makeApp();
  const original = catapult.createEndpoint.bind(catapult);
  catapult.createEndpoint = async (domainId, input) => {
    catapult.createEndpoint = original;
    await original(domainId, input);
    throw timeout();
  };
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  await app.signUp({ username: 'alice', number: N1 });
  assert.equal(catapult.numbers.size, 1);
  const endpoint = single([...catapult.endpoints.values()], 'endpoint');
  const { token } = await app.logIn({ username: 'alice' });
  const user = await app.authenticate(`Bearer ${token}`);
  assert.equal((await app.getSipCredentials(user)).password, endpoint.password);
});

test('a rate-limited step surfaces as provider-rate-limited and is resumable', async () => {
  const { app, catapult } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', new FakeCatapultError(429, 'rate-limit-reached', 'too-many-requests'));
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-rate-limited'));
  assert.equal((await app.signUp({ username: 'alice', number: N1 })).created, true);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
});

test('a definitive failure releases everything ordered and clears the pending sign-up', async () => {
  const { app, catapult, tables } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', new FakeCatapultError(400, 'validation-error'));
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-rejected'));
  assert.equal(catapult.numbers.size, 0);
  assert.equal(catapult.endpoints.size, 0);
  assert.equal(catapult.count('deletePhoneNumber'), 1);
  assert.equal(catapult.count('deleteEndpoint'), 1);
  assert.deepEqual(await tables.signups.list('pending'), []);
  await assert.rejects(app.logIn({ username: 'alice' }), code('user-not-found'));
});

test('a number taken meanwhile is number-unavailable and nothing is left behind', async () => {
  const { app, catapult, tables } = makeApp();
  catapult.available.delete(N1); // someone else bought it after the search
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('number-unavailable'));
  assert.equal(catapult.count('createEndpoint'), 0);
  assert.deepEqual(await tables.signups.list('pending'), []);
  catapult.available.add(N1);
  assert.equal((await app.signUp({ username: 'alice', number: N1 })).created, true);
});

test('storage failing at the last step: the retry resumes without ordering again', async () => {
  const { app, catapult, tables } = makeApp();
  await app.ensureProviderResources();
  const originalTransact = tables.users.transact.bind(tables.users);
  tables.users.transact = async () => {
    tables.users.transact = originalTransact;
    tables.users.down = true;
    try {
      return await originalTransact([]);
    } finally {
      tables.users.down = false;
    }
  };
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('storage-unavailable'));
  const allocations = catapult.count('allocatePhoneNumber');
  const endpoints = catapult.count('createEndpoint');
  assert.equal((await app.signUp({ username: 'alice', number: N1 })).created, true);
  assert.equal(catapult.count('allocatePhoneNumber'), allocations);
  assert.equal(catapult.count('createEndpoint'), endpoints);
});

test('storage down from the start: storage-unavailable, nothing ordered', async () => {
  const { app, catapult, tables } = makeApp();
  tables.users.down = true;
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('storage-unavailable'));
  await assert.rejects(app.logIn({ username: 'alice' }), code('storage-unavailable'));
  assert.equal(catapult.count('allocatePhoneNumber'), 0);
});

test('two simultaneous sign-ups for one username: exactly one user, at most one number', async () => {
  const { app, catapult } = makeApp();
  await app.ensureProviderResources();
  const results = await Promise.allSettled([
    app.signUp({ username: 'alice', number: N1 }),
    app.signUp({ username: 'alice', number: N2 }),
  ]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  assert.equal(ok.length, 1);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(code('signup-in-progress')(failed.reason));
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
});

test('two people racing for one number: one gets it, the other number-unavailable', async () => {
  const { app, catapult } = makeApp();
  await app.ensureProviderResources();
  const results = await Promise.allSettled([
    app.signUp({ username: 'alice', number: N1 }),
    app.signUp({ username: 'bob', number: N1 }),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(code('number-unavailable')(failed.reason));
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
});

test('after a failed attempt the person may pick another number: the first one is released', async () => {
  const { app, catapult } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('createEndpoint', new FakeCatapultError(503, 'unavailable'));
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  assert.equal(catapult.numbers.size, 1);
  const { session } = await app.signUp({ username: 'alice', number: N2 });
  assert.equal(session.user.number, N2);
  assert.deepEqual(
    [...catapult.numbers.values()].map((n) => n.number),
    [N2],
  );
  assert.ok(catapult.available.has(N1) === false); // released numbers do not come back (Catapult rule)
});

test('a crashed sign-up that is never retried is rolled back by the stale sweep', async () => {
  const { app, catapult, tables, clock } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', timeout());
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  assert.equal(await app.sweepStaleSignUps(), 0); // too recent: the person may still retry
  clock.now += 11 * 60_000;
  assert.equal(await app.sweepStaleSignUps(), 1);
  assert.equal(catapult.numbers.size, 0);
  assert.equal(catapult.endpoints.size, 0);
  assert.deepEqual(await tables.signups.list('pending'), []);
});

test('a pending row left after the user was saved is only cleared, never rolled back', async () => {
  const { app, catapult, tables, clock } = makeApp();
  const originalFinish = tables.signups.transact.bind(tables.signups);
  let calls = 0;
  tables.signups.transact = async (actions) => {
    // Fail the clean-up transaction (the 2nd one) once: begin, then finish.
    if (++calls === 2) throw Object.assign(new Error('storage flake'), {});
    return originalFinish(actions);
  };
  const { created } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(created, true);
  tables.signups.transact = originalFinish;
  assert.equal((await tables.signups.list('pending')).length, 2);
  clock.now += 11 * 60_000;
  assert.equal(await app.sweepStaleSignUps(), 1);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
  assert.deepEqual(await tables.signups.list('pending'), []);
  assert.equal((await app.logIn({ username: 'alice' })).user.number, N1);
});

// Every Catapult step of the critical path × {transient, definitive}: the invariants hold.
for (const step of ['allocatePhoneNumber', 'createEndpoint', 'getEndpoint'] as const) {
  test(`${step} failing transiently then a retry: exactly one number and one endpoint`, async () => {
    const { app, catapult, tables } = makeApp();
    await app.ensureProviderResources();
    catapult.failNext(step, new FakeCatapultError(502, 'bad-gateway'));
    await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
    assert.equal((await app.signUp({ username: 'alice', number: N1 })).created, true);
    assert.equal(catapult.numbers.size, 1);
    assert.equal(catapult.endpoints.size, 1);
    assert.deepEqual(await tables.signups.list('pending'), []);
  });

  test(`${step} failing definitively: nothing kept, and a later sign-up starts clean`, async () => {
    const { app, catapult, tables } = makeApp();
    await app.ensureProviderResources();
    catapult.failNext(step, new FakeCatapultError(403, 'forbidden-thing', 'forbidden'));
    await assert.rejects(
      app.signUp({ username: 'alice', number: N1 }),
      (e) => isAppError(e) && ['provider-rejected', 'number-unavailable'].includes(e.code),
    );
    assert.equal(catapult.numbers.size, 0);
    assert.equal(catapult.endpoints.size, 0);
    assert.deepEqual(await tables.signups.list('pending'), []);
    assert.equal((await app.signUp({ username: 'alice', number: N2 })).created, true);
  });
}

test('a rollback that itself fails is retried by the sweep later', async () => {
  const { app, catapult, tables, clock } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', new FakeCatapultError(400, 'validation-error'));
  catapult.failNext('deletePhoneNumber', timeout());
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-rejected'));
  assert.equal(catapult.numbers.size, 1); // could not be released yet
  assert.equal((await tables.signups.list('pending')).length, 2);
  clock.now += 11 * 60_000;
  assert.equal(await app.sweepStaleSignUps(), 1);
  assert.equal(catapult.numbers.size, 0);
  assert.equal(catapult.endpoints.size, 0);
});

test('the sweep skips a row whose rollback fails and still cleans the others', async () => {
  const { app, catapult, tables, clock } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', timeout());
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  catapult.failNext('getEndpoint', timeout());
  await assert.rejects(app.signUp({ username: 'bob', number: N2 }), code('provider-unavailable'));
  clock.now += 11 * 60_000;
  catapult.failNext('deleteEndpoint', new FakeCatapultError(500, 'internal')); // alice's rollback fails
  assert.equal(await app.sweepStaleSignUps(), 1);
  assert.deepEqual(
    [...catapult.numbers.values()].map((n) => n.number),
    [N1],
  );
  assert.equal(await app.sweepStaleSignUps(), 1); // the next sweep finishes alice
  assert.equal(catapult.numbers.size, 0);
  assert.equal(catapult.endpoints.size, 0);
  assert.deepEqual(await tables.signups.list('pending'), []);
});
