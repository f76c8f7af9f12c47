// The call model without HTTP: a fake directory, a stub fetch for events, and a fake ringer that
// stands for the SIP side. Checks originate, SDP hand-over on transfer, bridging and cascades.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallModel } from '../../../sandbox/calls/call-model';
import { allowedCallerId } from '../../../sandbox/calls/call-requests';
import { isDialTarget, parseSipUri } from '../../../sandbox/calls/dial-target';
import { CallRejected, type HangupCause, type LegSignals, type RingRequest } from '../../../sandbox/calls/network';
import type {
  ApplicationRecord,
  Directory,
  EndpointRecord,
  NumberRecord,
  SandboxContext,
} from '../../../sandbox/context';
import { EventDispatcher } from '../../../sandbox/events/event-dispatcher';
import { EventFaults } from '../../../sandbox/events/event-faults';
import { PhoneBehaviours, parsePhoneSettings } from '../../../sandbox/phone-network/phone-behaviours';

const app: ApplicationRecord = {
  id: 'a-1',
  userId: 'u-1',
  name: 'app',
  incomingCallUrl: 'http://127.0.0.1:9/hook',
  callbackHttpMethod: 'POST',
  autoAnswer: true,
};
const app2: ApplicationRecord = { ...app, id: 'a-2', autoAnswer: false };
const numbers: NumberRecord[] = [
  { userId: 'u-1', numberId: 'n-3', number: '+19195551002', applicationId: 'a-2' },
  { userId: 'u-1', numberId: 'n-1', number: '+19195551000', applicationId: 'a-1' },
  { userId: 'u-1', numberId: 'n-2', number: '+19195551001' },
];
const endpoint: EndpointRecord = {
  id: 're-1',
  userId: 'u-1',
  domainId: 'rd-1',
  domainName: 'dom',
  name: 'alice',
  applicationId: 'a-1',
  enabled: true,
  password: 'x',
  realm: 'dom.bwapp.bwsip.io',
  sipUri: 'sip:alice@dom.bwapp.bwsip.io',
};
const directory: Directory = {
  findNumber: (e164) => numbers.find((n) => n.number === e164),
  getApplication: (userId, id) => [app, app2].find((a) => a.userId === userId && a.id === id),
  findEndpoint: (name, realm) => (name === endpoint.name && realm === endpoint.realm ? endpoint : undefined),
  findEndpointByToken: () => undefined,
  getAccount: () => undefined,
};

function setup() {
  const events: Array<{ callId: string; eventType: string; cause?: string }> = [];
  const fetchStub = async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    events.push({ callId: body.callId, eventType: body.eventType, ...(body.cause ? { cause: body.cause } : {}) });
    return new Response(null, { status: 200 });
  };
  const ctx: SandboxContext = {
    baseUrl: 'http://127.0.0.1:1',
    router: { add() {} },
    directory,
    now: Date.now,
    log: () => {},
  };
  const dispatcher = new EventDispatcher({ faults: new EventFaults(), fetch: fetchStub });
  const model = new CallModel({ ctx, dispatcher, fallbackRingers: [] });
  return { model, dispatcher, events };
}

function recordingSignals() {
  const seen: { ringing?: boolean; answered?: string | null; ended?: HangupCause } = {};
  const signals: LegSignals = {
    ringing: () => (seen.ringing = true),
    answered: (sdp) => (seen.answered = sdp ?? null),
    ended: (cause) => (seen.ended = cause),
  };
  return { seen, signals };
}

test('originate: unknown number 404, unattached number 480, unknown endpoint 403', () => {
  const { model } = setup();
  const { signals } = recordingSignals();
  const status = (fn: () => unknown) => {
    try {
      fn();
      return 0;
    } catch (error) {
      assert.ok(error instanceof CallRejected);
      return error.sipStatus;
    }
  };
  assert.equal(
    status(() => model.originate({ from: '+19195550000', to: '+19195559999', signals })),
    404,
  );
  assert.equal(
    status(() => model.originate({ from: '+19195550000', to: '+19195551001', signals })),
    480,
  );
  assert.equal(
    status(() => model.originate({ from: 'sip:bob@dom.bwapp.bwsip.io', to: '+19195550000', signals })),
    403,
  );
  assert.equal(
    status(() => model.originate({ from: endpoint.sipUri, to: '+19195550000', endpointId: 're-other', signals })),
    403,
  );
});

test('transfer hands the caller offer to the ringer and the ringer answer back; bridged legs end together', async () => {
  const { model, dispatcher, events } = setup();
  const rung: RingRequest[] = [];
  model.addRinger({
    ring: (request) => (rung.push(request), { hangUp: (cause) => rung.push({ ...request, to: `hung-up:${cause}` }) }),
  });
  const caller = recordingSignals();
  const leg = model.originate({
    from: endpoint.sipUri,
    to: '+19195550000',
    offer: 'v=0 offer',
    signals: caller.signals,
  });
  const original = model.get(leg.callId)!;
  assert.equal(original.state, 'active');
  const transfer = model.transfer(original, { from: '+19195551000', to: 'sip:bob@elsewhere', callTimeout: 30 });
  assert.equal(original.state, 'transferring');
  assert.equal(rung[0]!.offer, 'v=0 offer');
  assert.equal(rung[0]!.from, '+19195551000');
  assert.equal(rung[0]!.callId, transfer.id);
  assert.equal(caller.seen.answered, undefined, 'the caller is not answered before the target');
  rung[0]!.signals.ringing?.();
  assert.equal(caller.seen.ringing, true, 'the caller hears the target ring');

  rung[0]!.signals.answered('v=0 answer');
  assert.equal(caller.seen.answered, 'v=0 answer');
  assert.equal(original.state, 'active');
  assert.equal(original.bridgedCallId, transfer.id);
  assert.equal(transfer.state, 'active');

  // The caller hangs up: the target is told, both legs complete with NORMAL_CLEARING.
  leg.hangUp('NORMAL_CLEARING');
  assert.equal(original.state, 'completed');
  assert.equal(transfer.state, 'completed');
  assert.equal(transfer.cause, 'NORMAL_CLEARING');
  assert.equal(rung[1]!.to, 'hung-up:NORMAL_CLEARING');
  assert.equal(caller.seen.ended, undefined, 'no echo to the party that hung up');
  await dispatcher.idle();
  // The transfer leg has no callbackUrl, so only the original leg raised events.
  assert.deepEqual(events, [
    { callId: original.id, eventType: 'incomingcall' },
    { callId: original.id, eventType: 'answer' },
    { callId: original.id, eventType: 'hangup', cause: 'NORMAL_CLEARING' },
  ]);
  model.close();
});

test('a ringer that declines leaves the target unrung: UNALLOCATED_NUMBER, the original back to active', async () => {
  const { model } = setup();
  model.addRinger({ ring: () => undefined });
  const caller = recordingSignals();
  const leg = model.originate({ from: '+19195550000', to: '+19195551000', signals: caller.signals });
  const original = model.get(leg.callId)!;
  const transfer = model.transfer(original, { from: '+19195551000', to: 'sip:nobody@x', callTimeout: 30 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(transfer.state, 'completed');
  assert.equal(transfer.cause, 'UNALLOCATED_NUMBER');
  assert.equal(original.state, 'active');
  assert.equal(caller.seen.ended, undefined);
  model.end(original, 'NORMAL_CLEARING');
  assert.equal(caller.seen.ended, 'NORMAL_CLEARING');
  model.close();
});

test('caller id rules, dial targets, SIP URIs and phone behaviours', () => {
  const incoming = { direction: 'in', from: '+19195550000', userId: 'u-1' } as never;
  const outgoing = { direction: 'out', from: '+19195551000', userId: 'u-1' } as never;
  assert.equal(allowedCallerId('private', incoming, directory), true);
  assert.equal(allowedCallerId('+19195550000', incoming, directory), true);
  assert.equal(allowedCallerId('+19195551001', incoming, directory), true);
  assert.equal(allowedCallerId('+19195550000', outgoing, directory), false);
  assert.equal(allowedCallerId('+19195559999', outgoing, directory), false);
  assert.deepEqual(parseSipUri('SIP:alice@Dom.BWAPP.bwsip.io;transport=ws'), {
    user: 'alice',
    host: 'dom.bwapp.bwsip.io',
  });
  assert.equal(parseSipUri('+19195550000'), undefined);
  assert.equal(isDialTarget('+19195550000'), true);
  assert.equal(isDialTarget('9195550000'), false);
  assert.equal(isDialTarget('sip:a@b'), true);
  const behaviours = new PhoneBehaviours();
  assert.equal(behaviours.get('+19195550000', 'outsidePhone').behaviour, 'answer');
  assert.equal(behaviours.get('sip:a@b', 'simulatedEndpoint').behaviour, 'manual');
  behaviours.set('sip:a@B', parsePhoneSettings({ behaviour: 'busy' }));
  assert.equal(behaviours.get('sip:a@b', 'simulatedEndpoint').behaviour, 'busy');
  assert.equal(behaviours.reset('sip:a@b'), true);
  assert.throws(() => parsePhoneSettings({ behaviour: 'explode' }));
  assert.throws(() => parsePhoneSettings({ behaviour: 'answer', answerDelayMs: -5 }));
});

test('a leg ringing an owned number re-enters at that number, even with a SIP caller id', () => {
  const { model } = setup();
  const caller = recordingSignals();
  const leg = model.originate({
    from: endpoint.sipUri,
    to: '+19195551002',
    offer: 'v=0 offer',
    signals: caller.signals,
  });
  const original = model.get(leg.callId)!;
  assert.equal(original.applicationId, 'a-1', "an endpoint's call goes to the endpoint's application");
  const transfer = model.transfer(original, { from: endpoint.sipUri, to: '+19195551002', callTimeout: 30 });
  const inner = model.list().find((call) => call.ringingForCallId === transfer.id)!;
  assert.equal(inner.applicationId, 'a-2');
  assert.equal(inner.from, endpoint.sipUri);
  assert.equal(inner.state, 'started', 'a-2 does not auto-answer');
  assert.equal(transfer.state, 'started');
  model.answer(inner);
  assert.equal(transfer.state, 'active', 'Catapult answering the inner call answers the ringing leg');
  assert.equal(original.bridgedCallId, transfer.id);
  assert.equal(caller.seen.answered, undefined, 'no media answer yet: nothing answered with SDP');
  model.end(inner, 'NORMAL_CLEARING');
  assert.equal(transfer.state, 'completed');
  assert.equal(original.state, 'completed');
  assert.equal(caller.seen.ended, 'NORMAL_CLEARING');
  model.close();
});
