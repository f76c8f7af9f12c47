// Recovery paths against the sandbox: a sign-up that crashed between steps and was never retried is
// rolled back by the sweep (nothing left in Catapult), and health reports each dependency.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { accountInventory, freshNumber, startCoreStack, type CoreStack } from './support/core-stack';

let stack: CoreStack;
before(async () => {
  stack = await startCoreStack();
});
after(async () => {
  await stack?.stop();
});

test('a sign-up abandoned after ordering is rolled back by the stale sweep, and only then', async () => {
  const clock = { now: Date.now() };
  const app = stack.newApp({ now: () => clock.now });
  const { domainId } = await app.ensureProviderResources();
  const number = await freshNumber(app);
  const name = `crash${process.pid % 1000}`;
  // The endpoint read-back times out: number and endpoint exist, the user does not.
  await stack.control('POST', '/sandbox/faults', {
    method: 'GET',
    path: `/v1/users/${stack.config.catapultUserId}/domains/${domainId}/endpoints/*`,
    preset: 'timeout',
    count: 2,
  });
  await assert.rejects(
    app.signUp({ username: name, number }),
    (e) => isAppError(e) && e.code === 'provider-unavailable',
  );
  await stack.control('DELETE', '/sandbox/faults');
  let inventory = await accountInventory(stack.catapult, domainId);
  assert.ok(inventory.numbers.includes(number));
  assert.ok(inventory.endpoints.includes(name));

  assert.equal(await app.sweepStaleSignUps(), 0); // recent: the person may still retry
  clock.now += 11 * 60_000;
  assert.equal(await app.sweepStaleSignUps(), 1);
  inventory = await accountInventory(stack.catapult, domainId);
  assert.equal(inventory.numbers.includes(number), false);
  assert.equal(inventory.endpoints.includes(name), false);
  await assert.rejects(app.logIn({ username: name }), (e) => isAppError(e) && e.code === 'user-not-found');
});

test('health: all ok with latencies; a failing Catapult is reported without throwing', async () => {
  const app = stack.newApp({ healthTimeoutMs: 1500 });
  const healthy = await app.health();
  assert.equal(healthy.status, 'ok', JSON.stringify(healthy));
  assert.ok(healthy.checks.storage.latencyMs! >= 0);
  assert.ok(healthy.checks.provider.latencyMs! >= 0);
  await stack.control('POST', '/sandbox/faults', {
    path: `/v1/users/${stack.config.catapultUserId}/applications*`,
    preset: 'server-error',
    count: 10,
  });
  const degraded = await app.health();
  await stack.control('DELETE', '/sandbox/faults');
  assert.equal(degraded.status, 'degraded');
  assert.equal(degraded.checks.storage.ok, true);
  assert.equal(degraded.checks.provider.code, 'provider-unavailable');
});
