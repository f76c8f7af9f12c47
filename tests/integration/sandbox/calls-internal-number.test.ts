// A leg that rings a number a sandbox account owns becomes a NEW inbound call to that number's
// application, bridged to the ringing leg; hang-ups travel through the whole chain.
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

test('outside phone → number A → transfer to number N → new inbound call → transfer to an endpoint', async () => {
  const appN = await h.createApplication({ incomingCallUrl: `${hooks.url}/app-n`, autoAnswer: true });
  const numberN = await h.orderNumber(appN);
  const endpoint = await h.createEndpoint(appN);
  const appA = await h.createApplication({ incomingCallUrl: `${hooks.url}/app-a`, autoAnswer: true });
  const numberA = await h.orderNumber(appA);

  hooks.on('/app-a', async (hook) => {
    if (hook.body.eventType !== 'answer') return;
    await h.api('POST', `${h.userPath}/calls/${hook.body.callId}`, {
      state: 'transferring',
      transferTo: numberN,
      transferCallerId: numberA,
      callbackUrl: `${hooks.url}/leg-1`,
    });
  });
  hooks.on('/app-n', async (hook) => {
    if (hook.body.eventType !== 'answer') return;
    await h.api('POST', `${h.userPath}/calls/${hook.body.callId}`, {
      state: 'transferring',
      transferTo: endpoint.sipUri,
      transferCallerId: hook.body.from,
      callbackUrl: `${hooks.url}/leg-2`,
    });
  });

  const { callId: original } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550140', to: numberA, media: 'none' })
  ).json;
  const leg1Id = (await h.waitForCall(original, (call) => call.transferredToCallId !== null)).transferredToCallId;
  const inboundN = await hooks.waitFor((hook) => hook.path === '/app-n' && hook.body.eventType === 'incomingcall');
  assert.equal(inboundN.body.from, numberA);
  assert.equal(inboundN.body.to, numberN);
  assert.equal(inboundN.body.applicationId, appN);
  const innerId = inboundN.body.callId;
  const inner = await h.call(innerId);
  assert.equal(inner.direction, 'in');
  assert.equal(inner.ringingForCallId, leg1Id);

  // Catapult answered the inner call, so the ringing leg is answered and bridged to the original.
  await hooks.waitFor((hook) => hook.path === '/leg-1' && hook.body.eventType === 'answer');
  assert.equal((await h.waitForCall(original, (call) => call.bridgedCallId === leg1Id)).state, 'active');

  // The endpoint has no SIP client: a simulated endpoint rings; answer it by hand.
  const leg2Id = (await h.waitForCall(innerId, (call) => call.transferredToCallId !== null)).transferredToCallId;
  const ringing = await h.waitForCall(leg2Id, (call) => call.farEnd?.state === 'ringing');
  assert.equal(ringing.farEnd.kind, 'simulated-endpoint');
  assert.equal(ringing.from, numberA);
  await h.control('POST', `/sandbox/calls/${leg2Id}/answer`);
  await h.waitForCall(innerId, (call) => call.bridgedCallId === leg2Id);
  assert.equal((await h.call(original)).farEnd.state, 'answered');

  // The endpoint hangs up: every leg of the chain ends with NORMAL_CLEARING.
  await h.control('POST', `/sandbox/calls/${leg2Id}/hangup`);
  await hooks.waitFor((hook) => hook.path === '/app-a' && hook.body.eventType === 'hangup');
  for (const path of ['/app-a', '/leg-1', '/app-n', '/leg-2']) {
    const hangup = await hooks.waitFor((hook) => hook.path === path && hook.body.eventType === 'hangup');
    assert.equal(hangup.body.cause, 'NORMAL_CLEARING', path);
  }
  assert.deepEqual(types(hooks.events('/app-n')), ['incomingcall', 'answer', 'hangup']);
  assert.deepEqual(types(hooks.events('/leg-1')), ['answer', 'hangup']);
  for (const id of [original, leg1Id, innerId, leg2Id]) assert.equal((await h.call(id)).state, 'completed');
  assert.equal((await h.call(original)).farEnd.state, 'ended');
});

test('POST /calls to an owned number whose application does not answer: the leg rings, then times out', async () => {
  const appN = await h.createApplication({ incomingCallUrl: `${hooks.url}/silent`, autoAnswer: false });
  const numberN = await h.orderNumber(appN);
  const from = await h.orderNumber();
  const reply = await h.api('POST', `${h.userPath}/calls`, {
    from,
    to: numberN,
    callTimeout: 1,
    callbackUrl: `${hooks.url}/silent-leg`,
  });
  const legId = reply.headers.get('location')!.split('/').pop()!;
  const incoming = await hooks.waitFor((hook) => hook.path === '/silent' && hook.body.eventType === 'incomingcall');
  assert.equal((await h.call(incoming.body.callId)).state, 'started');
  await hooks.waitFor((hook) => hook.path === '/silent-leg' && hook.body.eventType === 'hangup', 4000);
  assert.deepEqual(types(hooks.events('/silent-leg')), ['timeout', 'hangup']);
  // The inbound side is cancelled with the leg.
  const innerHangup = await hooks.waitFor((hook) => hook.path === '/silent' && hook.body.eventType === 'hangup');
  assert.equal(innerHangup.body.cause, 'ORIGINATOR_CANCEL');
  assert.equal((await h.call(legId)).state, 'completed');
});
