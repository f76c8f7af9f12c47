// The webhook end to end inside the core: auth, routing, exactly-once transfers, call history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { isAppError } from '../../../core/errors';
import { signCallMarker } from '../../../core/crypto/call-marker-signature';
import { single } from '../../support/list-items';
import { FakeCatapultError } from './support/fake-catapult';
import { makeApp } from './support/make-app';
import { testConfig } from './support/test-config';

const keys = deriveKeys(testConfig().appSecret);
/** A transferred leg's callback query, as the app signs it into the leg's callback URL. */
const signedLeg = (parentCallId: string) => ({
  parentCallId,
  sig: signCallMarker(keys.webhookSigningKey, parentCallId),
});
const AUTH = `Basic ${Buffer.from(`catapult:${keys.webhookPassword}`).toString('base64')}`;
const PSTN = '+13233326955';

async function setup() {
  const ctx = makeApp();
  const alice = (await ctx.app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
  const bob = (await ctx.app.signUp({ username: 'bob', number: '+19195551002' })).session.user;
  const post = (
    body: Record<string, unknown>,
    query: Record<string, string> = {},
    authorization: string | undefined = AUTH,
  ) =>
    ctx.app.handleWebhook({
      route: 'catapult',
      authorization,
      query,
      body: { time: new Date().toISOString(), ...body },
    });
  const postUnauthenticated = (body: Record<string, unknown>) =>
    ctx.app.handleWebhook({ route: 'catapult', query: {}, body });
  return { ...ctx, alice, bob, post, postUnauthenticated };
}

test('events without the webhook credentials, or for another application, are refused before anything happens', async () => {
  const { post, postUnauthenticated, catapult } = await setup();
  const event = { eventType: 'answer', callId: 'c-1', from: PSTN, to: '+19195551001' };
  await assert.rejects(postUnauthenticated(event), (e) => isAppError(e) && e.code === 'webhook-unauthorized');
  for (const bad of [
    '',
    'Basic ' + Buffer.from('catapult:nope').toString('base64'),
    'Basic ' + Buffer.from(`admin:${keys.webhookPassword}`).toString('base64'),
  ]) {
    await assert.rejects(post(event, {}, bad), (e) => isAppError(e) && e.code === 'webhook-unauthorized');
  }
  await assert.rejects(
    post({ ...event, eventType: 'incomingcall', applicationId: 'a-someone-else' }),
    (e) => isAppError(e) && e.code === 'webhook-unauthorized',
  );
  assert.equal(catapult.transfers.length, 0);
});

test('an inbound call is transferred once, even when the answer event is delivered twice', async () => {
  const { post, catapult, alice, app } = await setup();
  const resources = await app.ensureProviderResources();
  await post({
    eventType: 'incomingcall',
    callId: 'c-in1',
    from: PSTN,
    to: alice.number,
    applicationId: resources.applicationId,
  });
  assert.equal(catapult.transfers.length, 0); // act on answer only
  const answer = { eventType: 'answer', callId: 'c-in1', from: PSTN, to: alice.number, callState: 'active' };
  await Promise.all([post(answer), post(answer)]);
  await post(answer);
  const transfer = single(catapult.transfers, 'transfer');
  assert.equal(transfer.input.transferTo, alice.sipUri);
  assert.equal(transfer.input.transferCallerId, PSTN);
  const callback = new URL(transfer.input.callbackUrl!);
  assert.equal(callback.searchParams.get('parentCallId'), 'c-in1');
  assert.equal(callback.searchParams.get('sig'), signedLeg('c-in1').sig, 'the leg callback is signed for its call');
  assert.equal(callback.password, keys.webhookPassword);

  let call = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(call.state, 'ringing');
  assert.equal(call.direction, 'inbound');
  assert.equal(call.peer, PSTN);

  const leg = signedLeg('c-in1');
  await post({ eventType: 'answer', callId: transfer.newId, from: PSTN, to: alice.sipUri }, leg);
  call = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(call.state, 'active');
  assert.ok(call.answeredAt);
  await post(
    { eventType: 'hangup', callId: transfer.newId, from: PSTN, to: alice.sipUri, cause: 'NORMAL_CLEARING' },
    leg,
  );
  await post({ eventType: 'hangup', callId: 'c-in1', from: PSTN, to: alice.number, cause: 'NORMAL_CLEARING' });
  call = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(call.state, 'completed');
  assert.equal(call.cause, 'NORMAL_CLEARING');
  assert.equal(catapult.transfers.length, 1);
  assert.deepEqual(catapult.hungUp, []);
});

test('an outbound call goes to the normalised number with the user number as caller id', async () => {
  const { post, catapult, alice, app } = await setup();
  await post({
    eventType: 'answer',
    callId: 'c-out1',
    from: `<${alice.sipUri!.toUpperCase()};transport=ws>`,
    to: '(919) 555-0123',
  });
  const transfer = single(catapult.transfers, 'transfer');
  assert.equal(transfer.input.transferTo, '+19195550123');
  assert.equal(transfer.input.transferCallerId, alice.number);
  const record = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(record.direction, 'outbound');
  assert.equal(record.peer, '+19195550123');
});

test('the transferred leg not answering ends as failed and hangs up the caller', async () => {
  const { post, catapult, alice, app } = await setup();
  await post({ eventType: 'answer', callId: 'c-out2', from: alice.sipUri, to: '+19195550123' });
  const leg = signedLeg('c-out2');
  await post(
    { eventType: 'timeout', callId: single(catapult.transfers).newId, from: alice.number, to: '+19195550123' },
    leg,
  );
  const record = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(record.state, 'failed');
  assert.equal(record.cause, 'NO_ANSWER');
  assert.deepEqual(catapult.hungUp, ['c-out2']);
});

test('a user calling another user: both histories, caller id is the caller number', async () => {
  const { post, catapult, alice, bob, app } = await setup();
  await post({ eventType: 'answer', callId: 'c-u2u', from: bob.sipUri, to: alice.number });
  const transfer = single(catapult.transfers, 'transfer');
  assert.equal(transfer.input.transferTo, alice.sipUri);
  assert.equal(transfer.input.transferCallerId, bob.number);
  const aliceSees = single((await app.listCalls({ username: 'alice' })).calls);
  const bobSees = single((await app.listCalls({ username: 'bob' })).calls);
  assert.deepEqual([aliceSees.peer, aliceSees.peerUsername], [bob.number, 'bob'], 'the history names the other user');
  assert.deepEqual([bobSees.peer, bobSees.peerUsername], [alice.number, 'alice']);
});

test('blocked destinations and unknown callers are hung up, recorded, never transferred', async () => {
  const { post, catapult, alice, app, tables } = await setup();
  await post({ eventType: 'answer', callId: 'c-prem', from: alice.sipUri, to: '+19002001234' });
  await post({ eventType: 'answer', callId: 'c-intl', from: alice.sipUri, to: '+442079460000' });
  await post({ eventType: 'answer', callId: 'c-sip', from: alice.sipUri, to: 'sip:bob@elsewhere.example' });
  await post({
    eventType: 'answer',
    callId: 'c-spoof',
    from: 'sip:alice@other-domain.bwapp.bwsip.io',
    to: '+19195550123',
  });
  await post({ eventType: 'answer', callId: 'c-stranger', from: PSTN, to: '+19195559999' });
  assert.equal(catapult.transfers.length, 0);
  assert.deepEqual(catapult.hungUp.sort(), ['c-intl', 'c-prem', 'c-sip', 'c-spoof', 'c-stranger']);
  const causes = (await app.listCalls({ username: 'alice' })).calls
    .map((c) => `${c.callId}:${c.state}:${c.cause}`)
    .sort();
  assert.deepEqual(causes, ['c-intl:failed:blocked-country', 'c-prem:failed:premium-rate', 'c-sip:failed:sip-target']);
  // Calls nobody's history holds still keep their reason on the claim row.
  assert.equal((await tables.calls.get<{ reason: string }>('claim:c-stranger', 'route'))?.reason, 'unknown-number');
  assert.equal((await tables.calls.get<{ reason: string }>('claim:c-spoof', 'route'))?.reason, 'unknown-endpoint');
});

test('a failed transfer is recorded and the call hung up; a retry of the event does not transfer again', async () => {
  const { post, catapult, alice, app } = await setup();
  catapult.failNext('transferCall', new FakeCatapultError(403, 'call-invalid-state', 'forbidden'));
  const answer = { eventType: 'answer', callId: 'c-tf', from: PSTN, to: alice.number };
  await post(answer);
  await post(answer);
  assert.equal(catapult.count('transferCall'), 1);
  assert.deepEqual(catapult.hungUp, ['c-tf']);
  const record = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(record.state, 'failed');
  assert.equal(record.cause, 'transfer-failed');
});

test('malformed events and storage outages surface as clear errors', async () => {
  const { post, tables, catapult } = await setup();
  await assert.rejects(post({ eventType: 'answer' }), (e) => isAppError(e) && e.code === 'invalid-json');
  await assert.rejects(
    post({ eventType: 'answer', callId: 'c-1' }, { parentCallId: '../x' }),
    (e) => isAppError(e) && e.code === 'invalid-json',
  );
  tables.calls.down = true;
  await assert.rejects(
    post({ eventType: 'answer', callId: 'c-down', from: PSTN, to: '+19195551001' }),
    (e) => isAppError(e) && e.code === 'storage-unavailable',
  );
  assert.deepEqual(catapult.hungUp, ['c-down']); // not left answered in silence
  assert.equal(catapult.transfers.length, 0);
});

test('a history write failing does not stop the transfer', async () => {
  const { post, catapult, tables, alice } = await setup();
  const originalCreate = tables.calls.create.bind(tables.calls);
  tables.calls.create = async (entity) => {
    if (String(entity.partitionKey).startsWith('user:')) throw new Error('history table flaked');
    return originalCreate(entity);
  };
  await post({ eventType: 'answer', callId: 'c-hist', from: PSTN, to: alice.number });
  assert.equal(catapult.transfers.length, 1);
  assert.deepEqual(catapult.hungUp, []);
});

test('history is per user and newest first', async () => {
  const { post, app, alice, clock } = await setup();
  for (const id of ['c-a', 'c-b', 'c-c']) {
    clock.now += 1000;
    await post({ eventType: 'answer', callId: id, from: PSTN, to: alice.number });
  }
  assert.deepEqual(
    (await app.listCalls({ username: 'alice' })).calls.map((c) => c.callId),
    ['c-c', 'c-b', 'c-a'],
  );
  assert.deepEqual((await app.listCalls({ username: 'bob' })).calls, []);
});

test('a forged leg event carrying only the stored webhook password changes neither the call nor its history', async () => {
  const { post, catapult, alice, app } = await setup();
  await post({ eventType: 'answer', callId: 'c-live', from: PSTN, to: alice.number });
  const transfer = single(catapult.transfers, 'transfer');
  const before = single((await app.listCalls({ username: 'alice' })).calls, 'call');
  assert.equal(before.state, 'ringing');
  const refused = (e: unknown) => isAppError(e) && e.code === 'webhook-unauthorized';
  const hangup = { eventType: 'hangup', callId: transfer.newId, from: PSTN, to: alice.sipUri, cause: 'CALL_REJECTED' };
  const answer = { eventType: 'answer', callId: transfer.newId, from: 'FORGED', to: alice.sipUri };
  for (const query of <Array<Record<string, string>>>[
    { parentCallId: 'c-live' }, // the old forgery: the webhook password and a call id
    { parentCallId: 'c-live', sig: '' },
    { parentCallId: 'c-live', sig: 'v1.' + 'A'.repeat(43) },
    { parentCallId: 'c-live', sig: signedLeg('c-other').sig }, // signed, but for another call
    { parentCallId: 'c-live', sig: signedLeg('c-live').sig.replace('v1.', 'v2.') },
  ]) {
    await assert.rejects(post(hangup, query), refused, JSON.stringify(query));
    await assert.rejects(post(answer, query), refused, JSON.stringify(query));
  }
  assert.deepEqual(single((await app.listCalls({ username: 'alice' })).calls, 'call'), before, 'history unchanged');
  assert.deepEqual(catapult.hungUp, [], 'the live call was not ended');
  assert.equal(catapult.played.length, 0, 'nor sent to voicemail');
  // The genuine callback URL still works: the unanswered call goes to Alice's voicemail.
  await post(hangup, Object.fromEntries(new URL(transfer.input.callbackUrl!).searchParams));
  assert.equal(single(catapult.played, 'greeting').callId, 'c-live');
});

test('event fields longer than their cap are refused before anything is stored', async () => {
  const { post, catapult, alice, app } = await setup();
  await assert.rejects(
    post({ eventType: 'answer', callId: 'c-long', from: PSTN, to: '9'.repeat(15 * 1024) }),
    (e) => isAppError(e) && e.code === 'invalid-json' && /\bto\b/.test(e.message),
  );
  await assert.rejects(
    post({ eventType: 'answer', callId: 'c-long', from: 'x'.repeat(257), to: alice.number }),
    (e) => isAppError(e) && e.code === 'invalid-json',
  );
  assert.equal(catapult.transfers.length, 0);
  assert.deepEqual((await app.listCalls({ username: 'alice' })).calls, []);
});
