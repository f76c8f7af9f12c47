// Bootstrap and sign-up end to end against the Catapult sandbox and Azurite: round trips, idempotent
// retries, races, crash-resume, rollback (nothing leaked), and Catapult 429/500/timeouts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { catapultResources } from '../../../core/providers/catapult/setup';
import { startAzurite } from '../../../dev/azurite';
import { single } from '../../support/list-items';
import { accountInventory, freshNumber, startCoreStack, type CoreStack } from './support/core-stack';

let stack: CoreStack;
before(async () => {
  stack = await startCoreStack();
});
after(async () => {
  await stack?.stop();
});

const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;
let users = 0;
const username = () => `core${++users}${process.pid % 1000}`;

async function requests(filter: (r: { method: string; path: string }) => boolean = () => true) {
  const log = (await stack.control('GET', '/sandbox/requests')) as Array<{
    method: string;
    path: string;
    status: number;
  }>;
  return log.filter((r) => r.path.startsWith('/v1') && filter(r));
}

test('concurrent cold starts create one application and one domain; restarts reuse them', async () => {
  const prefix = `boot${process.pid}`;
  const apps = [1, 2, 3].map(() => stack.newApp({ tablePrefix: prefix }));
  const results = await Promise.all(apps.map((a) => a.ensureProviderResources()));
  const [first] = results;
  assert.ok(first);
  for (const r of results) assert.deepEqual(r, first);
  const again = await stack.newApp({ tablePrefix: prefix }).ensureProviderResources();
  assert.deepEqual(again, first);
  const { applicationId, domainId } = catapultResources(first);
  const application = await stack.catapult.getApplication(applicationId);
  assert.equal(application.autoAnswer, true);
  assert.match(application.incomingCallUrl!, /^http:\/\/catapult:[^@]+@127\.0\.0\.1:\d+\/api\/catapult\/events$/);
  const domain = await stack.catapult.getDomain(domainId);
  assert.match(domain.name, /^coretest-[a-z0-9]{8}$/);
});

test('sign-up takes 3 Catapult round trips, attaches the application, and a retry orders nothing', async () => {
  const app = stack.app;
  const { applicationId, domainId } = await app.ensureProviderResources();
  const number = await freshNumber(app);
  await stack.control('DELETE', '/sandbox/requests');
  const name = username();
  const first = await app.signUp({ username: name, number });
  assert.equal(first.created, true);
  const made = await requests();
  assert.deepEqual(
    made.map((r) => `${r.method} ${r.path.replace(/\/[a-z]{1,2}-[a-z0-9]+$/, '/:id')}`),
    [
      `POST /v1/users/${stack.config.catapultUserId}/phoneNumbers`,
      `POST /v1/users/${stack.config.catapultUserId}/domains/${domainId}/endpoints`,
      `GET /v1/users/${stack.config.catapultUserId}/domains/${domainId}/endpoints/:id`,
    ],
  );
  const ordered = await stack.catapult.getPhoneNumber(number);
  assert.equal(ordered.applicationId, applicationId);
  const endpoint = (await accountInventory(stack.catapult, domainId)).endpoints;
  assert.ok(endpoint.includes(name));
  assert.match(first.session.user.sipUri!, new RegExp(`^sip:${name}@coretest-[a-z0-9]{8}\\.bwapp\\.bwsip\\.io$`));

  await stack.control('DELETE', '/sandbox/requests');
  const again = await app.signUp({ username: name.toUpperCase(), number });
  assert.equal(again.created, false);
  assert.equal(again.session.user.sipUri, first.session.user.sipUri);
  assert.deepEqual(await requests(), []);
  const token = await app.createWebRtcToken(await app.authenticate(`Bearer ${first.session.token}`));
  assert.ok(token.token.length > 10);
});

test('a definitive failure after ordering leaves nothing behind in Catapult', async () => {
  const app = stack.app;
  const { domainId } = await app.ensureProviderResources();
  const number = await freshNumber(app);
  const before = await accountInventory(stack.catapult, domainId);
  await stack.control('POST', '/sandbox/faults', {
    method: 'GET',
    path: `/v1/users/${stack.config.catapultUserId}/domains/${domainId}/endpoints/*`,
    status: 400,
    body: { category: 'bad-request', code: 'validation-error', message: 'Bad parameters', details: [] },
  });
  const name = username();
  await assert.rejects(app.signUp({ username: name, number }), code('provider-rejected'));
  const afterwards = await accountInventory(stack.catapult, domainId);
  assert.deepEqual(afterwards.numbers.sort(), before.numbers.sort());
  assert.deepEqual(afterwards.endpoints.sort(), before.endpoints.sort());
  await assert.rejects(app.logIn({ username: name }), code('user-not-found'));
});

test('Catapult 500s after the number was ordered: the retry resumes with the same number', async () => {
  const app = stack.app;
  const { domainId } = await app.ensureProviderResources();
  const number = await freshNumber(app);
  await stack.control('POST', '/sandbox/faults', {
    method: 'POST',
    path: `/v1/users/${stack.config.catapultUserId}/domains/${domainId}/endpoints`,
    preset: 'server-error',
    count: 1,
  });
  const name = username();
  await assert.rejects(app.signUp({ username: name, number }), code('provider-unavailable'));
  assert.ok((await accountInventory(stack.catapult)).numbers.includes(number));
  await stack.control('DELETE', '/sandbox/requests');
  const resumed = await app.signUp({ username: name, number });
  assert.equal(resumed.created, true);
  assert.equal(resumed.session.user.number, number);
  assert.equal((await requests((r) => r.method === 'POST' && r.path.endsWith('/phoneNumbers'))).length, 0);
});

test('429 that outlasts the retries is provider-rate-limited; a timeout is provider-unavailable', async () => {
  const app = stack.app;
  await app.ensureProviderResources();
  const [a, b] = [await freshNumber(app), await freshNumber(app)];
  await stack.control('POST', '/sandbox/faults', {
    method: 'POST',
    path: `/v1/users/${stack.config.catapultUserId}/phoneNumbers`,
    preset: 'rate-limit',
    count: 2,
  });
  await assert.rejects(app.signUp({ username: username(), number: a }), code('provider-rate-limited'));
  await stack.control('POST', '/sandbox/faults', {
    method: 'GET',
    path: '/v1/availableNumbers/local',
    preset: 'timeout',
    count: 2,
  });
  const started = Date.now();
  await assert.rejects(app.searchNumbers({ areaCode: '919' }), code('provider-unavailable'));
  assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`); // bounded by the client timeout, not the 30 s fault
  await stack.control('DELETE', '/sandbox/faults');
  assert.equal((await app.signUp({ username: username(), number: b })).created, true);
});

test('two simultaneous sign-ups for one username: one user, one number kept', async () => {
  const app = stack.app;
  const { domainId } = await app.ensureProviderResources();
  const [a, b] = [await freshNumber(app), await freshNumber(app)];
  const before = (await accountInventory(stack.catapult, domainId)).numbers.length;
  const name = username();
  const results = await Promise.allSettled([
    app.signUp({ username: name, number: a }),
    app.signUp({ username: name, number: b }),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.ok(code('signup-in-progress')((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
  const inventory = await accountInventory(stack.catapult, domainId);
  assert.equal(inventory.numbers.length, before + 1);
  assert.equal(inventory.endpoints.filter((e) => e === name).length, 1);
});

test('storage down: sign-up and log-in answer storage-unavailable and nothing is ordered', async () => {
  const own = await startAzurite();
  const app = stack.newApp({
    config: { ...stack.config, storage: { kind: 'connection-string', connectionString: own.connectionString } },
    storageTimeoutMs: 1500,
  });
  await app.ensureProviderResources();
  const number = await freshNumber(app);
  await own.stop();
  await stack.control('DELETE', '/sandbox/requests');
  await assert.rejects(app.signUp({ username: username(), number }), code('storage-unavailable'));
  await assert.rejects(app.logIn({ username: 'someone' }), code('storage-unavailable'));
  assert.deepEqual(await requests((r) => r.method !== 'GET'), []);
  const health = await app.health();
  assert.equal(health.checks.storage.code, 'storage-unavailable');
});

test('two instances racing: one number for two people → one user, the other number-unavailable', async () => {
  const prefix = `race${process.pid}`;
  const [one, two] = [stack.newApp({ tablePrefix: prefix }), stack.newApp({ tablePrefix: prefix })];
  const { domainId } = await one.ensureProviderResources();
  const number = await freshNumber(one);
  const [a, b] = [username(), username()];
  const results = await Promise.allSettled([one.signUp({ username: a, number }), two.signUp({ username: b, number })]);
  const winners = results.filter(
    (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof one.signUp>>> => r.status === 'fulfilled',
  );
  const winner = single(winners, 'successful sign-up');
  assert.ok(code('number-unavailable')((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
  const inventory = await accountInventory(stack.catapult, domainId);
  assert.equal(inventory.numbers.filter((n) => n === number).length, 1);
  const loser = winner.value.session.user.username === a ? b : a;
  assert.equal(inventory.endpoints.includes(loser), false);
  await assert.rejects(two.logIn({ username: loser }), code('user-not-found'));
});
