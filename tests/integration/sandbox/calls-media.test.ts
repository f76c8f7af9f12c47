// Real audio through the sandbox: an outside phone with a tone makes the SDP offer, the sandbox
// passes it to the transfer target (another outside phone) and the answer back; RTP flows both ways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { CallModel } from '../../../sandbox/calls/call-model';
import type { SandboxContext } from '../../../sandbox/context';
import { EventDispatcher } from '../../../sandbox/events/event-dispatcher';
import { EventFaults } from '../../../sandbox/events/event-faults';
import { PhoneNetwork } from '../../../sandbox/phone-network/phone-network';
import { poll, startCallsSandbox, startWebhooks, type CallsHarness, type Webhooks } from './calls-harness';

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
    await h.api('POST', `${h.userPath}/calls/${hook.body.callId}`, {
      state: 'transferring',
      transferTo,
      callbackUrl: `${hooks.url}${path}-leg`,
    });
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
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550173', to: numberA, media: 'tone' })
  ).json;
  const inboundN = await hooks.waitFor((hook) => hook.path === '/media-n' && hook.body.eventType === 'answer', 8000);
  const inner = await h.waitForCall(inboundN.body.callId, (call) => call.bridgedCallId !== null, 8000);
  await expectAudioBothWays(callId, inner.bridgedCallId);
  await h.control('POST', `/sandbox/calls/${inner.bridgedCallId}/hangup`);
  await h.waitForCall(callId, (call) => call.state === 'completed');
});

test('a werift peer in the test offers; the model hands the offer to the tone phone, whose answer comes back; RTP both ways', async () => {
  // The call model on its own (no HTTP), with the sandbox's directory: the test is the caller's SIP side.
  const number = await h.orderNumber(
    await h.createApplication({ incomingCallUrl: 'http://127.0.0.1:9/unused', autoAnswer: true }),
  );
  const ctx: SandboxContext = { ...h.sandbox.context, router: { add() {} } };
  const dispatcher = new EventDispatcher({
    faults: new EventFaults(),
    fetch: async () => new Response(null, { status: 200 }),
  });
  const phones = new PhoneNetwork({ directory: ctx.directory, log: () => {} });
  const model = new CallModel({ ctx, dispatcher, fallbackRingers: [phones.outsidePhones] });

  const pc = new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceUseIpv6: false,
    iceFilterCandidatePair: (pair) => pair.remoteCandidate.host === '127.0.0.1',
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })],
    },
  });
  const track = new MediaStreamTrack({ kind: 'audio' });
  let received = 0;
  let sent = 0;
  pc.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe(() => (received += 1)));
  pc.addTransceiver(track, { direction: 'sendrecv' });
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete')
    await pc.iceGatheringStateChange.watch((state) => state === 'complete', 5000);
  const offer = pc
    .localDescription!.sdp.split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.split(' ')[4] === '127.0.0.1')
    .join('\r\n');

  let answerSdp: string | undefined;
  let ended: string | undefined;
  const leg = model.originate({
    from: '+19195550174',
    to: number,
    offer,
    signals: { answered: (sdp) => (answerSdp = sdp), ended: (cause) => (ended = cause) },
  });
  const sender = setInterval(() => {
    if (pc.connectionState !== 'connected') return;
    track.writeRtp(
      new RtpPacket(
        new RtpHeader({ payloadType: 0, sequenceNumber: sent, timestamp: sent * 160 }),
        Buffer.alloc(160, 0xff),
      ),
    );
    sent += 1;
  }, 20);
  try {
    const target = model.transfer(model.get(leg.callId)!, {
      from: '+19195550174',
      to: '+19195550175',
      callTimeout: 30,
    });
    await poll(() => answerSdp, 8000, 'the tone phone answer');
    assert.match(answerSdp!, /a=rtpmap:0 PCMU\/8000/);
    await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp! });
    const farEnd = phones.farEnd(target.id)!;
    await poll(() => (received > 10 && farEnd.stats().rtpIn > 10 ? true : undefined), 10_000, 'RTP both ways');
    assert.ok(farEnd.stats().rtpOut > 0);
    leg.hangUp('NORMAL_CLEARING');
    assert.equal(model.get(target.id)!.state, 'completed');
    assert.equal(farEnd.state, 'ended');
    assert.equal(ended, undefined, 'no echo to the caller that hung up');
  } finally {
    clearInterval(sender);
    await pc.close();
    phones.close();
    model.close();
    await dispatcher.close();
  }
});

test('a transfer to an endpoint no SIP client registered: the simulated endpoint answers the offer with media', async () => {
  const endpoint = await h.createEndpoint();
  transferOnAnswer('/media-endpoint', endpoint.sipUri);
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/media-endpoint`, autoAnswer: true });
  const number = await h.orderNumber(applicationId);
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550174', to: number, media: 'tone' })
  ).json;
  const ringing = await h.waitForCall(callId, (call) => call.transferredToCallId !== null, 8000);
  const leg = await h.waitForCall(ringing.transferredToCallId, (call) => call.farEnd?.state === 'ringing', 8000);
  assert.equal(leg.farEnd.kind, 'simulated-endpoint');
  assert.equal((await h.control('POST', `/sandbox/calls/${leg.id}/answer`)).status, 200);
  await expectAudioBothWays(callId, leg.id);
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  await h.waitForCall(leg.id, (call) => call.state === 'completed');
});
