// Call routing end to end: the sandbox delivers real Catapult events to a webhook that calls the core;
// the core transfers through the real client; the call history follows the transferred leg's events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshNumber, startCoreStack, waitFor, type CoreStack } from './support/core-stack';

let stack: CoreStack;
let alice: { username: string; number: string; sipUri?: string };
let bob: { username: string; number: string; sipUri?: string };

before(async () => {
  stack = await startCoreStack();
  const [a, b] = [await freshNumber(stack.app), await freshNumber(stack.app)];
  const suffix = process.pid % 1000;
  alice = (await stack.app.signUp({ username: `alice${suffix}`, number: a })).session.user;
  bob = (await stack.app.signUp({ username: `bob${suffix}`, number: b })).session.user;
});
after(async () => {
  await stack?.stop();
});

const PSTN = '+13233326955';
const history = async (username: string) => (await stack.app.listCalls({ username })).calls;
const call = (id: string) => stack.control('GET', `/sandbox/calls/${id}`);

test('a PSTN call to a user number is transferred to the user endpoint; answer and hang-up are recorded', async () => {
  const { callId } = await stack.control('POST', '/sandbox/calls/inbound', { from: PSTN, to: alice.number });
  const original = await waitFor('the transfer', async () => {
    const c = await call(callId);
    return c.transferredToCallId ? c : undefined;
  });
  const leg = await call(original.transferredToCallId);
  assert.equal(leg.to.toLowerCase(), alice.sipUri!.toLowerCase());
  assert.equal(leg.from, PSTN);
  // The history row is written right after the transfer request, so it may trail the transfer a little.
  const ringing = await waitFor('the history row', async () => {
    const [latest] = await history(alice.username);
    return latest?.callId === callId ? latest : undefined;
  });
  assert.deepEqual(
    [ringing.callId, ringing.direction, ringing.peer, ringing.state],
    [callId, 'inbound', PSTN, 'ringing'],
  );

  await stack.control('POST', `/sandbox/calls/${leg.id}/answer`);
  await waitFor('active in history', async () => (await history(alice.username))[0]?.state === 'active');
  await stack.control('POST', `/sandbox/calls/${callId}/hangup`);
  const done = await waitFor('completed in history', async () => {
    const [latest] = await history(alice.username);
    return latest?.state === 'completed' ? latest : undefined;
  });
  assert.ok(done.answeredAt && done.endedAt);
  assert.ok(
    stack.deliveries.every((d) => d.status === 200),
    JSON.stringify(stack.deliveries.filter((d) => d.status !== 200)),
  );
});

test('an endpoint call to a national-format number goes out with the user number as caller id', async () => {
  const { callId } = await stack.control('POST', '/sandbox/calls/endpoint', { sipUri: alice.sipUri, to: '9195550123' });
  const original = await waitFor('the transfer', async () => {
    const c = await call(callId);
    return c.transferredToCallId ? c : undefined;
  });
  const leg = await call(original.transferredToCallId);
  assert.equal(leg.to, '+19195550123');
  assert.equal(leg.from, alice.number);
  // The outside phone answers by itself after a short ring.
  const record = await waitFor('active outbound record', async () => {
    const call = (await history(alice.username)).find((c) => c.callId === callId);
    return call?.state === 'active' ? call : undefined;
  });
  assert.equal(record.direction, 'outbound');
  assert.equal(record.peer, '+19195550123');
  await stack.control('POST', `/sandbox/calls/${leg.id}/hangup`);
  await waitFor(
    'completed',
    async () => (await history(alice.username)).find((c) => c.callId === callId)?.state === 'completed',
  );
});

test('a user calling another user: both are recorded; the caller id is the caller number', async () => {
  const { callId } = await stack.control('POST', '/sandbox/calls/endpoint', { sipUri: bob.sipUri, to: alice.number });
  const original = await waitFor('the transfer', async () => {
    const c = await call(callId);
    return c.transferredToCallId ? c : undefined;
  });
  const leg = await call(original.transferredToCallId);
  assert.equal(leg.to.toLowerCase(), alice.sipUri!.toLowerCase());
  assert.equal(leg.from, bob.number);
  const row = (username: string) =>
    waitFor(`${username}'s history row`, async () => (await history(username)).find((c) => c.callId === callId));
  assert.equal((await row(alice.username)).peer, bob.number);
  assert.equal((await row(bob.username)).peer, alice.number);
  await stack.control('POST', `/sandbox/calls/${callId}/hangup`);
});

test('premium-rate and foreign destinations are hung up, never transferred, and recorded', async () => {
  for (const [to, reason] of [
    ['+19002001234', 'premium-rate'],
    ['+442079460000', 'blocked-country'],
  ] as const) {
    const { callId } = await stack.control('POST', '/sandbox/calls/endpoint', { sipUri: alice.sipUri, to });
    const ended = await waitFor('the hang-up', async () => {
      const c = await call(callId);
      return c.state === 'completed' ? c : undefined;
    });
    assert.equal(ended.transferredToCallId, null);
    const record = (await history(alice.username)).find((c) => c.callId === callId);
    assert.deepEqual([record?.state, record?.cause], ['failed', reason]);
  }
});

test('a duplicated answer event transfers once; forged events are refused', async () => {
  await stack.control('POST', '/sandbox/event-faults', { eventType: 'answer', duplicate: 3, count: 1 });
  await stack.control('DELETE', '/sandbox/requests');
  const { callId } = await stack.control('POST', '/sandbox/calls/inbound', { from: PSTN, to: bob.number });
  await waitFor('the transfer', async () => (await call(callId)).transferredToCallId);
  await waitFor(
    'all copies delivered',
    async () => stack.deliveries.filter((d) => d.body?.callId === callId && d.body?.eventType === 'answer').length >= 3,
  );
  const log = (await stack.control('GET', '/sandbox/requests')) as Array<{ method: string; path: string }>;
  assert.equal(log.filter((r) => r.method === 'POST' && r.path.endsWith(`/calls/${callId}`)).length, 1);
  assert.equal((await history(bob.username)).filter((c) => c.callId === callId).length, 1);
  await stack.control('POST', `/sandbox/calls/${callId}/hangup`);

  const forged = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ eventType: 'answer', callId: 'c-forged', from: PSTN, to: bob.number }),
  });
  assert.equal(forged.status, 401);
  assert.equal(
    (await history(bob.username)).some((c) => c.callId === 'c-forged'),
    false,
  );
});
