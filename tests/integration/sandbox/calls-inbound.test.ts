// Inbound calls: an outside phone or a simulated endpoint calls in; the application gets
// `incomingcall` (and `answer` when it auto-answers) with exactly the documented fields.
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

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test('an outside phone calling an auto-answering app: incomingcall then answer, exact fields and headers', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/auto`, autoAnswer: true });
  const number = await h.orderNumber(applicationId);
  const placed = await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550100', to: number, media: 'none' });
  assert.equal(placed.status, 201);
  const { callId } = placed.json;
  assert.match(callId, /^c-[a-z0-9]{25}$/);

  await hooks.waitFor((hook) => hook.path === '/auto' && hook.body.eventType === 'answer');
  const [incoming, answer] = hooks.hooks.filter((hook) => hook.path === '/auto');
  const callUri = `${h.sandbox.baseUrl}${h.userPath}/calls/${callId}`;
  assert.equal(incoming!.method, 'POST');
  assert.equal(incoming!.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(incoming!.headers['user-agent'], 'BandwidthAPI/v1');
  assert.equal(incoming!.headers.authorization, undefined);
  assert.deepEqual(Object.keys(incoming!.body), [
    'eventType',
    'callId',
    'callUri',
    'from',
    'to',
    'callState',
    'applicationId',
    'time',
  ]);
  assert.deepEqual(
    { ...incoming!.body, time: 'x' },
    {
      eventType: 'incomingcall',
      callId,
      callUri,
      from: '+19195550100',
      to: number,
      callState: 'active',
      applicationId,
      time: 'x',
    },
  );
  assert.match(incoming!.body.time, ISO_MS);
  assert.deepEqual(Object.keys(answer!.body), ['eventType', 'from', 'to', 'callState', 'callId', 'callUri', 'time']);
  assert.deepEqual(
    { ...answer!.body, time: 'x' },
    {
      eventType: 'answer',
      from: '+19195550100',
      to: number,
      callState: 'active',
      callId,
      callUri,
      time: 'x',
    },
  );

  const rest = await h.api('GET', `${h.userPath}/calls/${callId}`);
  assert.equal(rest.status, 200);
  assert.equal(rest.json.state, 'active');
  assert.equal(rest.json.direction, 'in');
  assert.equal(rest.json.from, '+19195550100');
  assert.equal(rest.json.to, number);
  assert.match(rest.json.startTime, ISO_MS);
  assert.match(rest.json.activeTime, ISO_MS);
  assert.equal(rest.json.events, `${callUri}/events`);

  const view = await h.waitForCall(callId, (call) => call.events.length === 2);
  assert.deepEqual(
    view.events.map((e: any) => [e.eventType, e.delivered, e.status, e.attempts.length]),
    [
      ['incomingcall', true, 200, 1],
      ['answer', true, 200, 1],
    ],
  );
  assert.equal(view.events[0].url, `${hooks.url}/auto`);

  // The outside phone hangs up: hangup NORMAL_CLEARING with callState completed.
  assert.equal((await h.control('POST', `/sandbox/calls/${callId}/hangup`)).status, 200);
  const hangup = await hooks.waitFor((hook) => hook.path === '/auto' && hook.body.eventType === 'hangup');
  assert.deepEqual(Object.keys(hangup.body), [
    'eventType',
    'callId',
    'callUri',
    'from',
    'to',
    'callState',
    'cause',
    'time',
  ]);
  assert.equal(hangup.body.cause, 'NORMAL_CLEARING');
  assert.equal(hangup.body.callState, 'completed');
  const ended = await h.api('GET', `${h.userPath}/calls/${callId}`);
  assert.equal(ended.json.state, 'completed');
  assert.match(ended.json.endTime, ISO_MS);
  assert.equal(ended.json.chargeableDuration, 60);
});

test('autoAnswer false: the call rings until REST answers it; answering twice is harmless', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/manual`, autoAnswer: false });
  const number = await h.orderNumber(applicationId);
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550101', to: number, media: 'none' })
  ).json;
  await hooks.waitFor((hook) => hook.path === '/manual' && hook.body.callId === callId);
  assert.equal((await h.api('GET', `${h.userPath}/calls/${callId}`)).json.state, 'started');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(types(hooks.events('/manual')), ['incomingcall']);

  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'active', tag: 'ignored' })).status, 200);
  await hooks.waitFor((hook) => hook.path === '/manual' && hook.body.eventType === 'answer');
  assert.equal((await h.api('GET', `${h.userPath}/calls/${callId}`)).json.state, 'active');
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'active' })).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(types(hooks.events('/manual')), ['incomingcall', 'answer']);
});

test('autoAnswer false: REST reject gives hangup CALL_REJECTED and state rejected; the caller is told', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/reject`, autoAnswer: false });
  const number = await h.orderNumber(applicationId);
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550102', to: number, media: 'none' })
  ).json;
  await hooks.waitFor((hook) => hook.path === '/reject' && hook.body.callId === callId);
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'rejected' })).status, 200);
  const hangup = await hooks.waitFor((hook) => hook.path === '/reject' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'CALL_REJECTED');
  assert.equal(hangup.body.callState, 'completed');
  const view = await h.call(callId);
  assert.equal(view.state, 'rejected');
  assert.equal(view.farEnd.state, 'ended');
  // A rejected call cannot be answered or transferred any more.
  const answer = await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'active' });
  assert.equal(answer.status, 403);
  assert.equal(answer.json.code, 'call-invalid-state');
});

test('the caller hanging up before the app answers gives hangup ORIGINATOR_CANCEL', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/cancel`, autoAnswer: false });
  const number = await h.orderNumber(applicationId);
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550103', to: number, media: 'none' })
  ).json;
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  const hangup = await hooks.waitFor((hook) => hook.path === '/cancel' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'ORIGINATOR_CANCEL');
  assert.deepEqual(types(hooks.events('/cancel')), ['incomingcall', 'hangup']);
});

test('calls nothing takes are refused with call-rejected and the SIP status', async () => {
  const unknown = await h.control('POST', '/sandbox/calls/inbound', {
    from: '+19195550104',
    to: '+19195550199',
    media: 'none',
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'call-rejected');
  assert.deepEqual(unknown.json.details, [{ name: 'sipStatus', value: '404' }]);

  const unattached = await h.orderNumber();
  const noApp = await h.control('POST', '/sandbox/calls/inbound', {
    from: '+19195550104',
    to: unattached,
    media: 'none',
  });
  assert.equal(noApp.status, 403);
  assert.deepEqual(noApp.json.details, [{ name: 'sipStatus', value: '480' }]);

  const endpoint = await h.createEndpoint();
  const noEndpointApp = await h.control('POST', '/sandbox/calls/endpoint', {
    sipUri: endpoint.sipUri,
    to: '+19195550105',
  });
  assert.equal(noEndpointApp.status, 403);
  assert.deepEqual(noEndpointApp.json.details, [{ name: 'sipStatus', value: '403' }]);

  const bad = await h.control('POST', '/sandbox/calls/inbound', { from: 'nobody', to: unattached });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'validation-error');
  const ghost = await h.control('POST', '/sandbox/calls/endpoint', {
    sipUri: 'sip:ghost@nowhere.bwapp.bwsip.io',
    to: '+19195550105',
  });
  assert.equal(ghost.status, 404);
  assert.equal(ghost.json.code, 'resource-not-found');
});

test('a simulated endpoint call goes to the endpoint application with the endpoint SIP URI as from', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/endpoint`, autoAnswer: true });
  const endpoint = await h.createEndpoint(applicationId);
  const placed = await h.control('POST', '/sandbox/calls/endpoint', { sipUri: endpoint.sipUri, to: '+19195550106' });
  assert.equal(placed.status, 201);
  const answer = await hooks.waitFor((hook) => hook.path === '/endpoint' && hook.body.eventType === 'answer');
  assert.equal(answer.body.from, endpoint.sipUri);
  assert.equal(answer.body.to, '+19195550106');
  const incoming = hooks.hooks.find((hook) => hook.path === '/endpoint' && hook.body.eventType === 'incomingcall')!;
  assert.equal(incoming.body.applicationId, applicationId);
  assert.equal((await h.call(placed.json.callId)).farEnd.kind, 'simulated-endpoint');
});

test('control API listings and input checks: calls, phone behaviours', async () => {
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/list`, autoAnswer: true });
  const number = await h.orderNumber(applicationId);
  const { callId } = (
    await h.control('POST', '/sandbox/calls/inbound', { from: '+19195550107', to: number, media: 'none' })
  ).json;
  const list = await h.control('GET', '/sandbox/calls');
  assert.equal(list.status, 200);
  const listed = list.json.find((call: any) => call.id === callId);
  assert.equal(listed.direction, 'in');
  assert.equal(listed.applicationId, applicationId);
  assert.deepEqual(listed.farEnd, { kind: 'outside-phone', role: 'caller', address: '+19195550107', state: 'ringing' });
  assert.deepEqual(listed.media, { rtpIn: 0, rtpOut: 0 });
  assert.equal((await h.control('GET', '/sandbox/calls/c-unknown')).json.code, 'call-not-found');

  const address = encodeURIComponent('+19195550108');
  const put = await h.control('PUT', `/sandbox/phone-network/numbers/${address}`, {
    behaviour: 'answer',
    answerDelayMs: 5,
  });
  assert.deepEqual(put.json, { address: '+19195550108', behaviour: 'answer', answerDelayMs: 5 });
  const sip = encodeURIComponent('sip:someone@Example.bwapp.bwsip.io');
  assert.equal((await h.control('PUT', `/sandbox/phone-network/numbers/${sip}`, { behaviour: 'busy' })).status, 200);
  const behaviours = (await h.control('GET', '/sandbox/phone-network/numbers')).json;
  assert.deepEqual(
    behaviours.map((b: any) => [b.address, b.behaviour]),
    [
      ['+19195550108', 'answer'],
      ['sip:someone@example.bwapp.bwsip.io', 'busy'],
    ],
  );
  assert.equal((await h.control('DELETE', `/sandbox/phone-network/numbers/${address}`)).status, 200);
  assert.equal((await h.control('GET', '/sandbox/phone-network/numbers')).json.length, 1);
  const badBehaviour = await h.control('PUT', `/sandbox/phone-network/numbers/${address}`, { behaviour: 'explode' });
  assert.equal(badBehaviour.status, 400);
  assert.equal(badBehaviour.json.code, 'validation-error');
  assert.equal(
    (await h.control('PUT', '/sandbox/phone-network/numbers/not-a-number', { behaviour: 'busy' })).status,
    400,
  );
  const badMedia = await h.control('POST', '/sandbox/calls/inbound', {
    from: '+19195550107',
    to: number,
    media: 'video',
  });
  assert.equal(badMedia.status, 400);
  const noTarget = await h.control('POST', '/sandbox/calls/endpoint', { to: '+19195550107' });
  assert.equal(noTarget.status, 400);
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
});
