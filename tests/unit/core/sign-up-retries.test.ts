// A retried sign-up (a double click, a client retrying on a slow network) arriving at the worst moments, against
// the fake Catapult and in-memory tables: a copy that looked for the user just before the first attempt saved it,
// a copy for another number, and a crashed attempt whose short lease lets the retry in after seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { single } from '../../support/list-items';
import { makeApp } from './support/make-app';

const N1 = '+19195551001';
const N2 = '+19195551002';
const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;

/**
 * Lets the copy look for the user (and find none), then holds its next storage read until the first attempt
 * has saved its user and cleared its pending row: the copy then begins a fresh row of its own.
 */
function pauseAfterFirstLookUp(tables: ReturnType<typeof makeApp>['tables']) {
  const originalGet = tables.users.get.bind(tables.users);
  let seen = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const paused = new Promise<void>((resolve) => (reached = resolve));
  tables.users.get = (async (partitionKey: string, rowKey: string) => {
    const found = await originalGet(partitionKey, rowKey);
    if (rowKey === 'u:alice' && ++seen === 1) {
      reached();
      await released;
    }
    return found;
  }) as typeof tables.users.get;
  return { paused, release };
}

test('a copy that looked for the user before the first attempt saved it answers that user (200), its endpoint untouched', async () => {
  const { app, catapult, tables } = makeApp();
  await app.ensureProviderResources();
  const gate = pauseAfterFirstLookUp(tables);
  const copy = app.signUp({ username: 'alice', number: N1 });
  await gate.paused; // the copy found no user
  const first = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(first.created, true);
  const endpoint = single([...catapult.endpoints.values()], 'endpoint');
  const passwordBefore = endpoint.password;
  const updatesBefore = catapult.count('updateEndpoint');
  gate.release();
  const again = await copy;
  assert.equal(again.created, false, 'the copy is the same user, not a second sign-up');
  assert.equal(again.session.user.username, 'alice');
  assert.equal(catapult.count('updateEndpoint'), updatesBefore, 'no password reset of the endpoint');
  assert.equal(single([...catapult.endpoints.values()], 'endpoint').password, passwordBefore);
  const user = await app.authenticate(`Bearer ${again.session.token}`);
  assert.equal((await app.getSipCredentials(user)).password, passwordBefore);
  assert.equal(catapult.count('allocatePhoneNumber'), 1, 'no number ordered twice');
  assert.deepEqual(await tables.signups.list('pending'), [], 'no pending row left by the copy');
});

test('the same copy asking for another number after the first finished: username-taken, nothing ordered', async () => {
  const { app, catapult, tables } = makeApp();
  await app.ensureProviderResources();
  const gate = pauseAfterFirstLookUp(tables);
  const copy = app.signUp({ username: 'alice', number: N2 });
  await gate.paused;
  assert.equal((await app.signUp({ username: 'alice', number: N1 })).created, true);
  gate.release();
  await assert.rejects(copy, code('username-taken'));
  assert.equal(catapult.count('allocatePhoneNumber'), 1);
  assert.deepEqual(await tables.signups.list('pending'), []);
});

test('a crashed attempt blocks its retry only for the short lease (10 s), not minutes', async () => {
  const { app, catapult, tables, clock } = makeApp();
  await app.ensureProviderResources();
  // The attempt "crashes" right after ordering: its pending row stays with a live lease, as a killed process leaves it.
  const original = catapult.createEndpoint.bind(catapult);
  let crash!: () => void;
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  catapult.createEndpoint = () => {
    crash();
    return new Promise(() => undefined); // never answers: the process is gone
  };
  void app.signUp({ username: 'alice', number: N1 });
  await crashed;
  catapult.createEndpoint = original;
  const row = single(
    await tables.signups.list<{ leaseUntil: number }>('pending', { rowKeyPrefix: 's:' }),
    'pending row',
  );
  assert.ok(row.leaseUntil <= clock.now + 10_000, 'the lease is at most 10 s');
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('signup-in-progress'));
  clock.now += 10_001; // the dead attempt renews nothing any more
  const retried = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(retried.created, true);
  assert.equal(catapult.count('allocatePhoneNumber'), 1, 'the retry found the number the crashed attempt ordered');
  assert.equal(
    single([...catapult.endpoints.values()], 'endpoint').password,
    (await app.getSipCredentials(await app.authenticate(`Bearer ${retried.session.token}`))).password,
  );
});
