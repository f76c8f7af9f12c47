// Sign-up against a Catapult and a clock that do things late: an order carried out after the client gave up
// on it, and the stale sweep running while a slow retry still holds its pending row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { FakeCatapultError } from './support/fake-catapult';
import { makeApp } from './support/make-app';

const N1 = '+19195551001';
const timeout = () => new FakeCatapultError(0, 'timeout', 'timeout');
const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;

test('an order carried out after its timeout: the retry’s own order fails 4xx, and the number is recognised as ours', async () => {
  const { app, catapult } = makeApp();
  const allocate = catapult.allocatePhoneNumber.bind(catapult);
  let lateOrder: (() => Promise<unknown>) | undefined;
  catapult.allocatePhoneNumber = async (input) => {
    catapult.allocatePhoneNumber = allocate;
    lateOrder = () => allocate(input); // Catapult still carries the order out, after the client gave up
    throw timeout();
  };
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  assert.equal(catapult.numbers.size, 0, 'not carried out yet');

  // The retry looks for its number first: not there yet. The late order lands right after that look-up,
  // so the retry's own order is refused (409 duplicate-number) although the number is ours.
  const getPhoneNumber = catapult.getPhoneNumber.bind(catapult);
  catapult.getPhoneNumber = async (idOrNumber) => {
    catapult.getPhoneNumber = getPhoneNumber;
    try {
      return await getPhoneNumber(idOrNumber);
    } finally {
      await lateOrder?.();
    }
  };
  const { created, session } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(created, true);
  assert.equal(session.user.number, N1);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.count('deletePhoneNumber'), 0, 'our own number is kept, not rolled back');
  assert.equal(catapult.endpoints.size, 1);
});

test('the stale sweep leaves an old pending sign-up alone while a retry holds its lease', async () => {
  const { app, catapult, tables, clock } = makeApp();
  await app.ensureProviderResources();
  catapult.failNext('getEndpoint', timeout());
  await assert.rejects(app.signUp({ username: 'alice', number: N1 }), code('provider-unavailable'));
  clock.now += 11 * 60_000; // the row is now old enough to sweep, and its lease was released

  // The person retries; while the retry waits on Catapult (lease held), another worker sweeps.
  let swept: number | undefined;
  const getEndpoint = catapult.getEndpoint.bind(catapult);
  catapult.getEndpoint = async (domainId, endpointId) => {
    catapult.getEndpoint = getEndpoint;
    swept = await app.sweepStaleSignUps();
    return getEndpoint(domainId, endpointId);
  };
  const { created } = await app.signUp({ username: 'alice', number: N1 });
  assert.equal(swept, 0, 'a row whose lease is live is not stale, however old');
  assert.equal(created, true);
  assert.equal(catapult.numbers.size, 1);
  assert.equal(catapult.endpoints.size, 1);
  assert.equal(catapult.count('deletePhoneNumber') + catapult.count('deleteEndpoint'), 0);
  assert.deepEqual(await tables.signups.list('pending'), []);
});
