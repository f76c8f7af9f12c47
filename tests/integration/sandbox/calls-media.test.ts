// Real audio through the sandbox: an outside phone with a tone makes the SDP offer, the sandbox
// passes it to the transfer target (another outside phone) and the answer back; RTP flows both ways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCallsSandbox, startWebhooks, type CallsHarness, type Webhooks } from './calls-harness';

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

function transferOnAnswer(path: string, transferTo: string): void {
  hooks.on(path, async (hook) => {
    if (hook.body.eventType !== 'answer') return;
    await h.api('POST', `${h.userPath}/calls/${hook.body.callId}`, { state: 'transferring', transferTo, callbackUrl: `${hooks.url}${path}-leg` });
  });
}

async function expectAudioBothWays(callerLegId: string, calleeLegId: string): Promise<void> {
  const both = async () => {
    const [caller, callee] = await Promise.all([h.call(callerLegId), h.call(calleeLegId)]);
    return caller.media.rtpIn > 10 && callee.media.rtpIn > 10 ? { caller, callee } : undefined;
  };
  const deadline = Date.now() + 10_000;
  let result = await both();
  while (!result && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    result = await both();
  }
  assert.ok(result, 'RTP did not flow both ways');
  assert.ok(result.caller.media.rtpOut > 0);
  assert.ok(result.callee.media.rtpOut > 0);
}

test('outside phone (tone offer) → app → transfer to an outside phone (tone answer): RTP both ways', async () => {
  transferOnAnswer('/media', '+19195550170');
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/media`, autoAnswer: true });
  const number = await h.orderNumber(applicationId);
  const placed = await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550171', to: number, media: 'tone' });
  assert.equal(placed.status, 201);
  const callId = placed.json.callId;
  const bridged = await h.waitForCall(callId, (call) => call.bridgedCallId !== null, 8000);
  await expectAudioBothWays(callId, bridged.bridgedCallId);

  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  const leg = await h.waitForCall(bridged.bridgedCallId, (call) => call.state === 'completed');
  assert.equal(leg.farEnd.state, 'ended');
  // Counts stay readable after the call, and stop growing.
  const frozen = (await h.call(callId)).media.rtpOut;
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await h.call(callId)).media.rtpOut, frozen);
});

test('the SDP travels through a sandbox-owned number: outside → A → N (new inbound) → outside, with audio', async () => {
  const appN = await h.createApplication({ incomingCallUrl: `${hooks.url}/media-n`, autoAnswer: true });
  const numberN = await h.orderNumber(appN);
  transferOnAnswer('/media-n', '+19195550172');
  transferOnAnswer('/media-a', numberN);
  const appA = await h.createApplication({ incomingCallUrl: `${hooks.url}/media-a`, autoAnswer: true });
  const numberA = await h.orderNumber(appA);
  const { callId } = (await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550173', to: numberA, media: 'tone' })).json;
  const inboundN = await hooks.waitFor((hook) => hook.path === '/media-n' && hook.body.eventType === 'answer', 8000);
  const inner = await h.waitForCall(inboundN.body.callId, (call) => call.bridgedCallId !== null, 8000);
  await expectAudioBothWays(callId, inner.bridgedCallId);
  await h.control('POST', `/sandbox/calls/${inner.bridgedCallId}/hangup`);
  await h.waitForCall(callId, (call) => call.state === 'completed');
});
