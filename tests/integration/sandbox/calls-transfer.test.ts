// Transfers (docs/contracts/catapult-v1.md §11.3, §14.3–14.4): the app transfers an answered call; a new leg rings
// the target, its events go to the transfer callbackUrl, and the bridged pair ends together.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCallsSandbox, startWebhooks, types, type CallsHarness, type Webhooks } from './calls-harness';

let h: CallsHarness;
let hooks: Webhooks;

before(async () => {
  h = await startCallsSandbox();
  hooks = await startWebhooks();
});
after(async () => {
  await h.close();
  await hooks.close();
});

/** An app on `path` that transfers every answered call with `transfer` (merged into the body). */
async function transferringApp(path: string, transfer: (event: any) => Record<string, unknown>) {
  const replies: Array<{ status: number; location: string | null; json: any }> = [];
  hooks.on(path, async (hook) => {
    if (hook.body?.eventType !== 'answer') return;
    const reply = await h.api('POST', `${h.userPath}/calls/${hook.body.callId}`, {
      state: 'transferring',
      ...transfer(hook.body),
    });
    replies.push({ status: reply.status, location: reply.headers.get('location'), json: reply.json });
  });
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}${path}`, autoAnswer: true });
  const number = await h.orderNumber(applicationId);
  return { number, replies, applicationId };
}

test('transfer to an outside number: 201 + Location, new leg events at callbackUrl, bridged hang-up', async () => {
  const app = await transferringApp('/t1', () => ({ transferTo: '+19195550150', callbackUrl: `${hooks.url}/t1-leg` }));
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550110', to: app.number, media: 'none' })
  ).json;
  const legAnswer = await hooks.waitFor((hook) => hook.path === '/t1-leg' && hook.body.eventType === 'answer');
  assert.equal(app.replies.length, 1);
  assert.equal(app.replies[0]!.status, 201);
  const legId = app.replies[0]!.location!.split('/').pop()!;
  assert.equal(app.replies[0]!.location, `${h.userPath}/calls/${legId}`);
  assert.equal(legAnswer.body.callId, legId);
  // No transferCallerId: the new leg shows the original caller.
  assert.equal(legAnswer.body.from, '+19195550110');
  assert.equal(legAnswer.body.to, '+19195550150');

  const leg = await h.api('GET', `${h.userPath}/calls/${legId}`);
  assert.equal(leg.json.direction, 'out');
  assert.equal(leg.json.state, 'active');
  const original = await h.waitForCall(callId, (call) => call.bridgedCallId === legId);
  assert.equal(original.state, 'active');
  assert.equal(original.transferredToCallId, legId);
  assert.equal((await h.call(legId)).transferredFromCallId, callId);

  // The outside phone on the new leg hangs up: both legs end with NORMAL_CLEARING.
  await h.control('POST', `/sandbox/calls/${legId}/hangup`);
  const originalHangup = await hooks.waitFor((hook) => hook.path === '/t1' && hook.body.eventType === 'hangup');
  const legHangup = await hooks.waitFor((hook) => hook.path === '/t1-leg' && hook.body.eventType === 'hangup');
  assert.equal(originalHangup.body.cause, 'NORMAL_CLEARING');
  assert.equal(legHangup.body.cause, 'NORMAL_CLEARING');
  assert.deepEqual(types(hooks.events('/t1')), ['incomingcall', 'answer', 'hangup']);
  assert.deepEqual(types(hooks.events('/t1-leg')), ['answer', 'hangup']);
  assert.equal((await h.call(callId)).farEnd.state, 'ended');
});

test('the caller hanging up ends the bridged leg too', async () => {
  const app = await transferringApp('/t2', () => ({ transferTo: '+19195550151', callbackUrl: `${hooks.url}/t2-leg` }));
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550111', to: app.number, media: 'none' })
  ).json;
  const legAnswer = await hooks.waitFor((hook) => hook.path === '/t2-leg' && hook.body.eventType === 'answer');
  await h.waitForCall(callId, (call) => call.bridgedCallId === legAnswer.body.callId);
  await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'completed' });
  const legHangup = await hooks.waitFor((hook) => hook.path === '/t2-leg' && hook.body.eventType === 'hangup');
  assert.equal(legHangup.body.cause, 'NORMAL_CLEARING');
  const leg = await h.call(legAnswer.body.callId);
  assert.equal(leg.state, 'completed');
  assert.equal(leg.farEnd.state, 'ended');
  // Hanging up a finished call again changes nothing.
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'completed' })).status, 200);
});

test('transfer rules: 403 unless active, transferTo required, transferCallerId rules for an incoming call', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/rules`, autoAnswer: false });
  const number = await h.orderNumber(applicationId);
  const owned = await h.orderNumber();
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550112', to: number, media: 'none' })
  ).json;
  const path = `${h.userPath}/calls/${callId}`;

  const early = await h.api('POST', path, { state: 'transferring', transferTo: '+19195550152' });
  assert.equal(early.status, 403);
  assert.equal(early.json.code, 'call-invalid-state');
  assert.equal(early.json.category, 'authorization');
  assert.equal(early.json.message, `Unable to update call ${callId}. Invalid call state started`);

  await h.api('POST', path, { state: 'active' });
  const missing = await h.api('POST', path, { state: 'transferring' });
  assert.equal(missing.status, 400);
  assert.equal(missing.json.code, 'validation-error');
  const badTarget = await h.api('POST', path, { state: 'transferring', transferTo: '9195550152' });
  assert.equal(badTarget.status, 400);
  const badCallerId = await h.api('POST', path, {
    state: 'transferring',
    transferTo: '+19195550152',
    transferCallerId: '+19195550999',
  });
  assert.equal(badCallerId.status, 400);
  assert.equal(badCallerId.json.code, 'validation-error');
  const badUrl = await h.api('POST', path, {
    state: 'transferring',
    transferTo: '+19195550152',
    callbackUrl: 'not a url',
  });
  assert.equal(badUrl.status, 400);
  assert.equal(badUrl.json.code, 'callback-invalid-url');
  const badState = await h.api('POST', path, { state: 'ringing' });
  assert.equal(badState.status, 400);
  assert.equal((await h.call(callId)).state, 'active');

  // The incoming call's own from is allowed as caller id …
  const ok = await h.api('POST', path, {
    state: 'transferring',
    transferTo: '+19195550152',
    transferCallerId: '+19195550112',
  });
  assert.equal(ok.status, 201);
  assert.equal((await h.call(callId)).state, 'transferring');
  const again = await h.api('POST', path, { state: 'transferring', transferTo: '+19195550152' });
  assert.equal(again.status, 403);
  const legId = ok.headers.get('location')!.split('/').pop()!;
  await h.waitForCall(callId, (call) => call.bridgedCallId === legId);
  // … and a bridged call cannot be transferred again.
  const bridged = await h.api('POST', path, {
    state: 'transferring',
    transferTo: '+19195550153',
    transferCallerId: owned,
  });
  assert.equal(bridged.status, 403);
  assert.equal(bridged.json.code, 'call-invalid-state');
  assert.equal((await h.api('GET', `${h.userPath}/calls/${legId}`)).json.from, '+19195550112');

  const unknown = await h.api('POST', `${h.userPath}/calls/c-doesnotexist`, { state: 'completed' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'call-not-found');
});

test('a busy target: the new leg ends USER_BUSY and the original leg is active again', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550154')}`, { behaviour: 'busy' });
  const owned = await h.orderNumber();
  const app = await transferringApp('/busy', () => ({
    transferTo: '+19195550154',
    transferCallerId: owned,
    callbackUrl: `${hooks.url}/busy-leg`,
  }));
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550113', to: app.number, media: 'none' })
  ).json;
  const hangup = await hooks.waitFor((hook) => hook.path === '/busy-leg' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'USER_BUSY');
  assert.equal(hangup.body.from, owned);
  assert.deepEqual(types(hooks.events('/busy-leg')), ['hangup']);
  const original = await h.call(callId);
  assert.equal(original.state, 'active');
  assert.equal(original.bridgedCallId, null);
  // The app may transfer again once the first target failed.
  await h.control('DELETE', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550154')}`);
  const retry = await h.api('POST', `${h.userPath}/calls/${callId}`, {
    state: 'transferring',
    transferTo: '+19195550154',
  });
  assert.equal(retry.status, 201);
  await h.waitForCall(callId, (call) => call.bridgedCallId !== null);
});

test('a target that never answers: timeout then hangup NO_ANSWER after callTimeout', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550155')}`, {
    behaviour: 'no-answer',
  });
  const app = await transferringApp('/noanswer', () => ({
    transferTo: '+19195550155',
    callTimeout: 1,
    callbackUrl: `${hooks.url}/noanswer-leg`,
  }));
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550114', to: app.number, media: 'none' })
  ).json;
  const started = Date.now();
  const hangup = await hooks.waitFor((hook) => hook.path === '/noanswer-leg' && hook.body.eventType === 'hangup', 4000);
  assert.ok(Date.now() - started >= 900, 'rang for about callTimeout');
  assert.equal(hangup.body.cause, 'NO_ANSWER');
  const [timeout] = hooks.events('/noanswer-leg');
  assert.deepEqual(Object.keys(timeout), ['eventType', 'callId', 'callUri', 'from', 'to', 'time']);
  assert.deepEqual(types(hooks.events('/noanswer-leg')), ['timeout', 'hangup']);
  assert.equal((await h.call(callId)).state, 'active');
  assert.equal((await h.call(hangup.body.callId)).farEnd.state, 'ended');
});

test('a manual target is answered or rejected through the control API', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550156')}`, {
    behaviour: 'manual',
  });
  const app = await transferringApp('/manual', () => ({
    transferTo: '+19195550156',
    callbackUrl: `${hooks.url}/manual-leg`,
  }));
  const first = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550115', to: app.number, media: 'none' })
  ).json.callId;
  const legId = (await h.waitForCall(first, (call) => call.transferredToCallId !== null)).transferredToCallId;
  const ringing = await h.call(legId);
  assert.equal(ringing.state, 'started');
  assert.deepEqual(ringing.farEnd, {
    kind: 'outside-phone',
    role: 'callee',
    address: '+19195550156',
    state: 'ringing',
  });
  // The original caller cannot be "answered" by hand: it placed the call.
  const wrong = await h.control('POST', `/sandbox/calls/${first}/answer`);
  assert.equal(wrong.status, 409);
  assert.equal(wrong.json.code, 'far-end-invalid-state');
  assert.equal((await h.control('POST', `/sandbox/calls/${legId}/answer`)).status, 200);
  await h.waitForCall(first, (call) => call.bridgedCallId === legId);
  const twice = await h.control('POST', `/sandbox/calls/${legId}/answer`);
  assert.equal(twice.status, 409);

  const second = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550116', to: app.number, media: 'none' })
  ).json.callId;
  const secondLeg = (await h.waitForCall(second, (call) => call.transferredToCallId !== null)).transferredToCallId;
  assert.equal((await h.control('POST', `/sandbox/calls/${secondLeg}/reject`)).status, 200);
  const rejected = await hooks.waitFor(
    (hook) => hook.path === '/manual-leg' && hook.body.callId === secondLeg && hook.body.eventType === 'hangup',
  );
  assert.equal(rejected.body.cause, 'CALL_REJECTED');
  assert.equal((await h.control('POST', '/sandbox/calls/c-nope/answer')).status, 404);
});

test('the caller hanging up while the transfer target rings cancels the target leg', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550157')}`, {
    behaviour: 'manual',
  });
  const app = await transferringApp('/cancel', () => ({
    transferTo: '+19195550157',
    callbackUrl: `${hooks.url}/cancel-leg`,
  }));
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550117', to: app.number, media: 'none' })
  ).json;
  const legId = (await h.waitForCall(callId, (call) => call.transferredToCallId !== null)).transferredToCallId;
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  const hangup = await hooks.waitFor((hook) => hook.path === '/cancel-leg' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'ORIGINATOR_CANCEL');
  const leg = await h.call(legId);
  assert.equal(leg.state, 'completed');
  assert.equal(leg.farEnd.state, 'ended');
  assert.equal((await h.call(callId)).state, 'completed');
});
