// The provider-free call handler against a scripted provider, on the paths a provider that parks calls and
// rings dialpads itself (Bandwidth) takes: what the handler asks through the seam (route actions with the
// callee, duplicates, settle, failures), pickup only by the callee while it rings, the ring timeout, decline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { itemAt, single } from '../../support/list-items';
import { ALICE, arrived, BOB, PSTN, setupCallHandler as setup } from './support/call-handler-fixture';

const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;

test('a call to a user asks to connect that user, with the callee as the provider knows them; a duplicate repeats the answer only', async () => {
  const { send, actions, history, willCarryOut } = await setup();
  const reply = await send(arrived('c-1', PSTN, ALICE));
  assert.deepEqual(reply, { contentType: 'application/xml', body: '<route/>' });
  assert.deepEqual(single(actions, 'action'), {
    kind: 'route',
    callId: 'c-1',
    decision: {
      action: 'connect',
      user: { username: 'alice', number: ALICE },
      callerId: PSTN,
      history: [{ username: 'alice', direction: 'inbound', peer: PSTN }],
    },
    callee: { username: 'alice', number: ALICE },
    first: true,
  });
  assert.equal((await history('alice', 'c-1'))?.state, 'ringing');
  // A redelivered callback must get the same answer, without the side effects of the first.
  willCarryOut({ failed: 'ignored-for-a-duplicate' });
  await send(arrived('c-1', PSTN, ALICE));
  assert.deepEqual(
    actions.map((a) => a.kind === 'route' && a.first),
    [true, false],
  );
  assert.equal((await history('alice', 'c-1'))?.state, 'ringing', 'a duplicate changes nothing');
});

test('the webhook answers only after the work the provider left to settle (e.g. notifying dialpads)', async () => {
  const { send, willCarryOut } = await setup();
  let settled = false;
  const settle = new Promise<void>((resolve) =>
    setTimeout(() => {
      settled = true;
      resolve();
    }, 20),
  );
  willCarryOut({ settle });
  await send(arrived('c-2', PSTN, ALICE));
  assert.equal(settled, true);
});

test('a verified caller token dials out with the user number; an invalid one is refused before any look-up matters', async () => {
  const { send, actions, history } = await setup();
  await send(arrived('c-out', 'anonymous', '(919) 555-0123', { kind: 'user', username: 'bob' }));
  const dial = itemAt(actions, -1, 'dial');
  assert.ok(dial.kind === 'route' && dial.decision.action === 'dial');
  assert.deepEqual([dial.decision.number, dial.decision.callerId, dial.callee], ['+19195550123', BOB, undefined]);
  assert.equal((await history('bob', 'c-out'))?.peer, '+19195550123');

  await send(arrived('c-forged', BOB, ALICE, { kind: 'invalid', reason: 'expired' }));
  const refused = itemAt(actions, -1, 'refusal');
  assert.ok(refused.kind === 'route' && refused.decision.action === 'refuse');
  assert.equal(refused.decision.reason, 'invalid-caller-token');
  assert.equal(await history('alice', 'c-forged'), undefined, 'nobody is told of a forged call');
});

test('a pickup bridges only for the callee, only while it rings, and only once', async () => {
  const { send, lastAction, history } = await setup();
  await send(arrived('c-park', PSTN, ALICE));
  await send({ kind: 'pickup', callId: 'c-bob', parkedCallId: 'c-park', username: 'bob' });
  assert.deepEqual(lastAction(), { kind: 'end-call', callId: 'c-bob' }, 'not the callee');
  assert.equal((await history('alice', 'c-park'))?.state, 'ringing');

  const reply = await send({ kind: 'pickup', callId: 'c-alice', parkedCallId: 'c-park', username: 'alice' });
  assert.deepEqual(lastAction(), { kind: 'bridge', callId: 'c-alice', parkedCallId: 'c-park', callee: 'alice' });
  assert.equal(reply.body, '<bridge/>');
  assert.equal((await history('alice', 'c-park'))?.state, 'active');
  await send({ kind: 'pickup', callId: 'c-alice', parkedCallId: 'c-park', username: 'alice' });
  assert.equal(lastAction().kind, 'bridge', 'a redelivered pickup bridges again');
  await send({ kind: 'pickup', callId: 'c-alice-2', parkedCallId: 'c-park', username: 'alice' });
  assert.deepEqual(lastAction(), { kind: 'end-call', callId: 'c-alice-2' }, 'a second dialpad is too late');
});

test('a parked call keeps ringing for 25 s, then (without voicemail) ends as unanswered and the callee is named so the ring stops', async () => {
  const { send, lastAction, history, clock } = await setup();
  await send(arrived('c-ring', PSTN, ALICE));
  clock.now += 24_000;
  await send({ kind: 'ringing-tick', callId: 'c-ring' });
  assert.deepEqual(lastAction(), { kind: 'keep-ringing', callId: 'c-ring' });
  clock.now += 2_000;
  await send({ kind: 'ringing-tick', callId: 'c-ring' });
  assert.deepEqual(lastAction(), { kind: 'end-call', callId: 'c-ring', callee: 'alice' });
  const record = await history('alice', 'c-ring');
  assert.deepEqual([record?.state, record?.cause], ['failed', 'no-answer']);
  await send({ kind: 'call-ended', callId: 'c-ring', cause: 'hangup' });
  assert.deepEqual(lastAction(), { kind: 'ended', callId: 'c-ring', callee: 'alice' });
  assert.equal((await history('alice', 'c-ring'))?.cause, 'no-answer', 'the first end is the one recorded');
});

test('decline: only the callee, only while ringing; the provider ends the call and the history says declined', async () => {
  const { handler, send, ended, history } = await setup();
  await send(arrived('c-dec', PSTN, ALICE));
  await assert.rejects(handler.decline('bob', 'c-dec'), code('call-not-found'));
  await assert.rejects(handler.decline('alice', 'no such id!'), code('call-not-found'));
  await handler.decline('alice', 'c-dec');
  assert.deepEqual(ended, ['c-dec']);
  const record = await history('alice', 'c-dec');
  assert.deepEqual([record?.state, record?.cause], ['failed', 'declined']);
  await assert.rejects(handler.decline('alice', 'c-dec'), code('call-not-found'));
  assert.deepEqual(ended, ['c-dec'], 'ended once');
});

test('an unanswered leg ends the call; a provider that cannot carry a route out gets the call ended and recorded', async () => {
  const { send, lastAction, ended, history, willCarryOut } = await setup();
  await send(arrived('c-leg', PSTN, ALICE));
  await send({ kind: 'leg-ended', callId: 'c-leg', cause: 'timeout' });
  assert.deepEqual(lastAction(), { kind: 'end-call', callId: 'c-leg', callee: 'alice' });

  willCarryOut({ failed: 'transfer-failed' });
  await send(arrived('c-fail', PSTN, BOB));
  assert.deepEqual(ended, ['c-fail']);
  const record = await history('bob', 'c-fail');
  assert.deepEqual([record?.state, record?.cause], ['failed', 'transfer-failed']);
});

test('nothing is read or acted on without the webhook credentials', async () => {
  const { handler, actions } = await setup();
  await assert.rejects(
    handler.handle({ route: 'bandwidth', query: {}, body: arrived('c-x', PSTN, ALICE) }),
    code('webhook-unauthorized'),
  );
  assert.equal(actions.length, 0);
});
