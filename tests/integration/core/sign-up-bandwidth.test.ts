// Set-up and sign-up on Bandwidth end to end: the core's real Bandwidth clients against the sandbox playing
// Bandwidth, and Azurite. Searches by area code, ZIP and city + state; the asynchronous order polled into the app's
// location; a sign-up that outlives the order's wait resumes it on retry (no second order, no second number);
// a number someone else took; two sign-ups racing for one username; and the browser's credential.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { bandwidthResources } from '../../../core/providers/bandwidth/setup';
import { numbersInService, startBandwidthStack, type BandwidthStack } from './support/bandwidth-stack';

let stack: BandwidthStack;
before(async () => {
  stack = await startBandwidthStack();
});
after(async () => {
  await stack?.stop();
});

const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;
let users = 0;
const username = () => `bw${++users}${process.pid % 1000}`;
const orderPosts = () =>
  stack.observed.filter((r) => r.api === 'numbers' && r.method === 'POST' && /\/orders$/.test(r.path));

test('searches by area code, ZIP and city + state, each number with its city and state', async () => {
  const app = stack.newApp();
  stack.observed.length = 0;
  const byAreaCode = (await app.searchNumbers({ areaCode: '919', quantity: 3 })).numbers;
  assert.equal(byAreaCode.length, 3);
  for (const n of byAreaCode) {
    assert.match(n.number, /^\+1919\d{7}$/);
    assert.ok(n.city && /^[A-Z]{2}$/.test(n.state), JSON.stringify(n));
  }
  const { city, state } = byAreaCode[0]!;
  const byCity = (await app.searchNumbers({ city, state, quantity: 2 })).numbers;
  assert.ok(byCity.length > 0);
  for (const n of byCity) assert.deepEqual([n.city, n.state], [city, state]);
  const searches = stack.observed.filter((r) => r.path.endsWith('/availableNumbers'));
  assert.deepEqual(searches[0]?.query, { areaCode: '919', quantity: '3', enableTNDetail: 'true' });
  assert.deepEqual(searches[1]?.query, { city, state, quantity: '2', enableTNDetail: 'true' });

  const byZip = await app.searchNumbers({ zip: '27513', quantity: 2 });
  assert.equal(stack.observed.at(-1)?.query.zip, '27513');
  for (const n of byZip.numbers) assert.ok(n.city && n.state);
  await assert.rejects(app.searchNumbers({ areaCode: '91' }), code('invalid-search'));
});

test('sign-up orders into the app’s location, polls the order to completion, and a retry orders nothing', async () => {
  const app = stack.newApp();
  const resources = bandwidthResources(await app.ensureProviderResources());
  const [{ number } = { number: '' }] = (await app.searchNumbers({ areaCode: '919', quantity: 1 })).numbers;
  stack.observed.length = 0;
  const name = username();
  const first = await app.signUp({ username: name, number });
  assert.equal(first.created, true);
  assert.equal(first.session.user.number, number);
  assert.equal(first.session.user.sipUri, undefined, 'Bandwidth users have no SIP identity');
  assert.equal(orderPosts().length, 1);
  assert.match(orderPosts()[0]!.body, new RegExp(`<SiteId>${resources.siteId}</SiteId>`));
  assert.match(orderPosts()[0]!.body, new RegExp(`<PeerId>${resources.locationId}</PeerId>`));
  assert.ok(
    stack.observed.some((r) => r.method === 'GET' && /\/orders\/[^/]+$/.test(r.path)),
    'the asynchronous order was polled',
  );
  const inService = (await numbersInService(stack)).find((n) => n.number === number);
  assert.equal(inService?.peerId, resources.locationId);
  assert.equal(inService?.applicationId, resources.applicationId, 'its calls reach the app');

  stack.observed.length = 0;
  const again = await app.signUp({ username: name.toUpperCase(), number });
  assert.equal(again.created, false);
  assert.equal(orderPosts().length, 0, 'the same request orders nothing');
});

test('an order still pending at the deadline: signup-in-progress, and the retry resumes it (one order, one number)', async () => {
  const app = stack.newApp({ bandwidth: { orderWaitMs: 100, orderPollMs: 20 }, signUp: { leaseMs: 200 } });
  await app.ensureProviderResources();
  const [{ number } = { number: '' }] = (await app.searchNumbers({ areaCode: '919', quantity: 1 })).numbers;
  await stack.control('PUT', '/settings', { orderDelayMs: 60_000 });
  const name = username();
  stack.observed.length = 0;
  try {
    await assert.rejects(app.signUp({ username: name, number }), code('signup-in-progress'));
    assert.equal(orderPosts().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 250)); // the first attempt's lease runs out
    await assert.rejects(app.signUp({ username: name, number }), code('signup-in-progress'));
    assert.equal(orderPosts().length, 1, 'the retry polls the same order');
  } finally {
    await stack.control('PUT', '/settings', { orderDelayMs: 50 });
  }
  await stack.control('POST', '/orders/settle');
  await new Promise((resolve) => setTimeout(resolve, 250));
  const done = await app.signUp({ username: name, number });
  assert.equal(done.created, true);
  assert.equal(orderPosts().length, 1, 'no second order');
  assert.equal((await numbersInService(stack)).filter((n) => n.number === number).length, 1);
});

test('a number someone else took fails inside the order: number-unavailable, no user, nothing left', async () => {
  const app = stack.newApp();
  await app.ensureProviderResources();
  const [{ number } = { number: '' }] = (await app.searchNumbers({ areaCode: '919', quantity: 1 })).numbers;
  await stack.control('POST', '/inventory/take', { number });
  const name = username();
  await assert.rejects(app.signUp({ username: name, number }), code('number-unavailable'));
  await assert.rejects(app.logIn({ username: name }), code('user-not-found'));
  assert.equal((await numbersInService(stack)).filter((n) => n.number === number).length, 0);
});

test('two simultaneous sign-ups for one username with two numbers: one user, the other number never kept', async () => {
  const app = stack.newApp();
  await app.ensureProviderResources();
  const found = (await app.searchNumbers({ areaCode: '919', quantity: 2 })).numbers.map((n) => n.number);
  assert.equal(found.length, 2);
  const name = username();
  const results = await Promise.allSettled(found.map((number) => app.signUp({ username: name, number })));
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))));
  for (const r of results) if (r.status === 'rejected') assert.ok(isAppError(r.reason), String(r.reason));
  const kept = won[0]!.value.session.user.number;
  const other = found.find((n) => n !== kept)!;
  // A loser that got as far as ordering released its number (a disconnect order, settled here).
  await stack.control('POST', '/orders/settle');
  assert.equal((await numbersInService(stack)).filter((n) => n.number === other).length, 0, 'no leaked number');
});

test('the dialpad’s token is the narrow In-App Calling credential’s: the Numbers API refuses it', async () => {
  const app = stack.newApp();
  await app.ensureProviderResources();
  const [{ number } = { number: '' }] = (await app.searchNumbers({ areaCode: '919', quantity: 1 })).numbers;
  const name = username();
  const { session } = await app.signUp({ username: name, number });
  const view = await app.createWebRtcToken(await app.authenticate(`Bearer ${session.token}`));
  assert.equal(view.provider, 'bandwidth');
  if (view.provider !== 'bandwidth') return;
  assert.ok(view.callerToken && view.callerTokenExpiresAt);
  const res = await fetch(
    `${stack.sandbox.bandwidth.apiUrl}/api/accounts/${stack.sandbox.bandwidth.accountId}/availableNumbers?areaCode=919`,
    { headers: { authorization: `Bearer ${view.token}` } },
  );
  assert.ok(res.status === 401 || res.status === 403, `the Numbers API answered ${res.status}`);
  assert.equal((await stack.numbers('GET', '/availableNumbers?areaCode=919&quantity=1')).status, 200);
});

test('a sign-up abandoned after its order is rolled back by the stale sweep: a disconnect order releases the number', async () => {
  const app = stack.newApp({
    bandwidth: { orderWaitMs: 100, orderPollMs: 20 },
    signUp: { leaseMs: 100, staleAfterMs: 200 },
  });
  await app.ensureProviderResources();
  const [{ number } = { number: '' }] = (await app.searchNumbers({ areaCode: '919', quantity: 1 })).numbers;
  const name = username();
  await stack.control('PUT', '/settings', { orderDelayMs: 60_000 });
  try {
    await assert.rejects(app.signUp({ username: name, number }), code('signup-in-progress'));
  } finally {
    await stack.control('PUT', '/settings', { orderDelayMs: 50 });
  }
  await stack.control('POST', '/orders/settle');
  assert.equal((await numbersInService(stack)).filter((n) => n.number === number).length, 1, 'ordered meanwhile');
  await new Promise((resolve) => setTimeout(resolve, 300)); // the attempt is stale now
  stack.observed.length = 0;
  assert.equal(await app.sweepStaleSignUps(), 1);
  assert.ok(
    stack.observed.some(
      (r) => r.method === 'POST' && r.path.endsWith('/disconnects') && r.body.includes(number.slice(2)),
    ),
    'a disconnect order for the number',
  );
  await stack.control('POST', '/orders/settle');
  assert.equal((await numbersInService(stack)).filter((n) => n.number === number).length, 0, 'released');
  await assert.rejects(app.logIn({ username: name }), code('user-not-found'));
  assert.equal(await app.sweepStaleSignUps(), 0, 'nothing left to sweep');
});
