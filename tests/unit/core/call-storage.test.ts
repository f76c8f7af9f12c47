// What the webhook asks of storage, and in which order: only the claim before the transfer on a warm
// worker, the history after it, and later events as claim read + blind row writes + claim ETag update.
// Also the history staying right when events come twice, out of order, or before the first write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { MISSING_TTL_MS } from '../../../core/routing/routing-users';
import type { MemoryEntityTable } from '../../../core/storage/memory-entity-table';
import { single } from '../../support/list-items';
import { catapultPoster, signedLeg } from './support/catapult-events';
import { makeApp } from './support/make-app';

const PSTN = '+13233326955';

async function setup() {
  const ctx = makeApp();
  const alice = (await ctx.app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
  const post = catapultPoster(ctx.app);
  // One log for the storage requests and the transfers, in the order they were made.
  const ops: string[] = [];
  const spy = (name: string, table: MemoryEntityTable) => {
    table.get = wrap(table.get.bind(table), (pk, rk) => `${name}.get ${pk}/${rk}`);
    table.create = wrap(table.create.bind(table), (e) => `${name}.create ${e.partitionKey}/${e.rowKey}`);
    table.update = wrap(
      table.update.bind(table),
      (e, etag) => `${name}.${etag === '*' ? 'merge' : 'update'} ${e.partitionKey}/${e.rowKey}`,
    );
  };
  const wrap = <F extends (...args: any[]) => Promise<any>>(f: F, label: (...args: Parameters<F>) => string) =>
    (async (...args: Parameters<F>) => {
      ops.push(label(...args));
      return f(...args);
    }) as F;
  spy('users', ctx.tables.users);
  spy('calls', ctx.tables.calls);
  const transfer = ctx.catapult.transferCall.bind(ctx.catapult);
  ctx.catapult.transferCall = async (...args) => {
    ops.push('transfer');
    return transfer(...args);
  };
  const history = async () => (await ctx.app.listCalls({ username: 'alice' })).calls;
  return { ...ctx, alice, post, ops, history };
}

test('answer: one number read (none when cached), the claim, the transfer, then the history row', async () => {
  const { post, ops, alice } = await setup();
  await post({ eventType: 'answer', callId: 'c-1', from: PSTN, to: alice.number });
  assert.deepEqual(
    ops.map((op) => op.replace(/\/\d+:/, '/<row>:')),
    [
      'users.get users/p:+19195551001',
      'users.get users/u:alice',
      'calls.create claim:c-1/route',
      'transfer',
      'calls.create user:alice/<row>:c-1',
    ],
  );
  ops.length = 0;
  await post({ eventType: 'answer', callId: 'c-2', from: PSTN, to: alice.number });
  assert.deepEqual(
    ops.map((op) => op.split(' ')[0]),
    ['calls.create', 'transfer', 'calls.create'],
  );
});

test('an endpoint calling out reads its user by SIP URI and the dialled number, in parallel, once', async () => {
  const { post, ops, alice } = await setup();
  await post({ eventType: 'answer', callId: 'c-out', from: alice.sipUri, to: '+19195550123' });
  assert.deepEqual(ops.slice(0, 2).sort(), ['users.get users/p:+19195550123', 'users.get users/u:alice']);
  ops.length = 0;
  await post({ eventType: 'answer', callId: 'c-out2', from: alice.sipUri, to: '+19195550123' });
  assert.equal(ops.filter((op) => op.startsWith('users.')).length, 0, 'both found and not-found are cached');
});

test('a number not ours is remembered only briefly: once signed up, it routes after MISSING_TTL_MS', async () => {
  const { post, app, catapult, clock } = await setup();
  await post({ eventType: 'answer', callId: 'c-early', from: PSTN, to: '+19195551002' });
  await app.signUp({ username: 'bob', number: '+19195551002' });
  await post({ eventType: 'answer', callId: 'c-soon', from: PSTN, to: '+19195551002' });
  assert.deepEqual(catapult.hungUp, ['c-early', 'c-soon']);
  clock.now += MISSING_TTL_MS + 1;
  await post({ eventType: 'answer', callId: 'c-later', from: PSTN, to: '+19195551002' });
  assert.equal(catapult.transfers.length, 1);
});

test('a failed user read is not remembered: once storage answers again, the next call to the number routes', async () => {
  const { post, alice, catapult, tables } = await setup();
  tables.users.down = true;
  await assert.rejects(
    post({ eventType: 'answer', callId: 'c-blip', from: PSTN, to: alice.number }),
    (e) => isAppError(e) && e.code === 'storage-unavailable',
  );
  assert.deepEqual(catapult.hungUp, ['c-blip'], 'a call that cannot be routed is ended');
  tables.users.down = false;
  // Same moment (no clock change): a cached failure would refuse this call, or hang it up as "not ours".
  await post({ eventType: 'answer', callId: 'c-after', from: PSTN, to: alice.number });
  assert.equal(single(catapult.transfers, 'transfer').callId, 'c-after');
  assert.deepEqual(catapult.hungUp, ['c-blip']);
});

test('the leg’s answer and hang-up: a claim read, a blind row merge and a claim ETag update each; the original hang-up reads the claim only', async () => {
  const { post, ops, alice, catapult, history, tables } = await setup();
  await post({ eventType: 'answer', callId: 'c-in', from: PSTN, to: alice.number });
  const leg = signedLeg('c-in');
  const legId = single(catapult.transfers, 'transfer').newId;
  ops.length = 0;
  await post({ eventType: 'answer', callId: legId, from: PSTN, to: alice.sipUri }, leg);
  assert.deepEqual(
    ops.map((op) => op.split(' ')[0]),
    ['calls.get', 'calls.merge', 'calls.update'],
  );
  ops.length = 0;
  await post({ eventType: 'hangup', callId: legId, cause: 'NORMAL_CLEARING' }, leg);
  await post({ eventType: 'hangup', callId: 'c-in', cause: 'NORMAL_CLEARING' });
  await post({ eventType: 'hangup', callId: legId, cause: 'NORMAL_CLEARING' }, leg); // a duplicate
  assert.deepEqual(
    ops.map((op) => op.split(' ')[0]),
    ['calls.get', 'calls.merge', 'calls.update', 'calls.get', 'calls.get'],
  );
  const record = single(await history(), 'call');
  assert.deepEqual(
    [record.state, record.cause, record.direction, record.peer],
    ['completed', 'NORMAL_CLEARING', 'inbound', PSTN],
  );
  assert.ok(record.answeredAt && record.endedAt);
  assert.equal((await tables.calls.get<{ transferCallId: string }>('claim:c-in', 'route'))?.transferCallId, legId);
  assert.deepEqual(catapult.hungUp, []);
});

test('the leg’s events arriving before the first history write still leave the whole row', async () => {
  const { post, alice, catapult, history } = await setup();
  const transfer = catapult.transferCall.bind(catapult);
  catapult.transferCall = async (callId, input) => {
    const leg = await transfer(callId, input);
    await post({ eventType: 'answer', callId: leg.id }, signedLeg(callId));
    return leg;
  };
  await post({ eventType: 'answer', callId: 'c-fast', from: PSTN, to: alice.number });
  const record = single(await history(), 'call');
  assert.deepEqual([record.callId, record.state, record.direction, record.peer], ['c-fast', 'active', 'inbound', PSTN]);
  assert.ok(record.answeredAt);
});

test('out of order and concurrent leg events: the row ends as the claim says, and the caller goes to voicemail once', async () => {
  const { post, alice, catapult, history, tables } = await setup();
  // The hang-up first: the late answer changes nothing.
  await post({ eventType: 'answer', callId: 'c-ooo', from: PSTN, to: alice.number });
  const legA = signedLeg('c-ooo');
  await post({ eventType: 'hangup', callId: 'leg-a', cause: 'USER_BUSY' }, legA);
  await post({ eventType: 'answer', callId: 'leg-a' }, legA);
  let record = single(await history(), 'call');
  assert.deepEqual([record.state, record.cause, record.answeredAt], ['failed', 'USER_BUSY', undefined]);
  assert.deepEqual(
    catapult.played.map((p) => p.callId),
    ['c-ooo'],
  );

  // Answer and hang-up racing, twice each, in every rotation: whatever wins, the row matches the claim.
  for (let turn = 0; turn < 4; turn++) {
    const callId = `c-race${turn}`;
    await post({ eventType: 'answer', callId, from: PSTN, to: alice.number });
    const answer = { eventType: 'answer', callId: `leg${turn}` };
    const hangup = { eventType: 'hangup', callId: `leg${turn}`, cause: 'NORMAL_CLEARING' };
    const events = [answer, hangup, answer, hangup];
    const rotated = [...events.slice(turn), ...events.slice(0, turn)];
    await Promise.all(rotated.map((event) => post(event, signedLeg(callId))));
    const raced = (await history()).find((c) => c.callId === callId);
    assert.ok(raced, `no history row for ${callId}`);
    record = raced;
    const claim = await tables.calls.get<{ state: string; answeredAt?: string; endedAt: string }>(
      `claim:${callId}`,
      'route',
    );
    assert.ok(record.state === 'completed' || record.state === 'failed');
    assert.deepEqual(
      [record.state, record.answeredAt, record.endedAt],
      [claim?.state, claim?.answeredAt, claim?.endedAt],
    );
    // Unanswered: to voicemail, once; answered: over, nothing more to do.
    assert.equal(catapult.played.filter((p) => p.callId === callId).length, record.state === 'failed' ? 1 : 0);
    assert.equal(catapult.hungUp.filter((id) => id === callId).length, 0);
  }
});

test('a claim written before claims held the state takes it from its history rows', async () => {
  const { post, tables, history } = await setup();
  const rowKey = '8235814799999:c-old';
  await tables.calls.create({
    partitionKey: 'claim:c-old',
    rowKey: 'route',
    callId: 'c-old',
    action: 'transfer',
    claimedAt: '2026-11-26T09:59:00.000Z',
    refs: JSON.stringify([{ username: 'alice', rowKey }]),
  });
  await tables.calls.create({
    partitionKey: 'user:alice',
    rowKey,
    callId: 'c-old',
    direction: 'inbound',
    peer: PSTN,
    state: 'ringing',
    startedAt: '2026-11-26T09:59:00.000Z',
  });
  await post({ eventType: 'answer', callId: 'leg-old' }, signedLeg('c-old'));
  await post({ eventType: 'hangup', callId: 'c-old', cause: 'NORMAL_CLEARING' });
  const record = (await history()).find((c) => c.callId === 'c-old');
  assert.deepEqual(
    [record?.state, record?.direction, record?.peer, record?.cause],
    ['completed', 'inbound', PSTN, 'NORMAL_CLEARING'],
  );
  assert.ok(record?.answeredAt);
});
