// How call events are delivered (docs/contracts/catapult-v1.md §12.1): Basic auth from userinfo, GET apps,
// timeout → fallback once, 2xx only, per-call order, and injected duplicate/late events.
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

async function callIn(fields: Record<string, unknown>, from: string): Promise<string> {
  const applicationId = await h.createApplication(fields);
  const number = await h.orderNumber(applicationId);
  const reply = await h.control('POST', '/sandbox/calls/inbound', { from, to: number, media: 'none' });
  assert.equal(reply.status, 201);
  return reply.json.callId;
}

test('userinfo in the callback URL is sent as Basic auth and never shown', async () => {
  const withCredentials = hooks.url.replace('http://', 'http://hook%20user:p%40ss@');
  const callId = await callIn({ incomingCallUrl: `${withCredentials}/auth`, autoAnswer: true }, '+19195550120');
  const hook = await hooks.waitFor((entry) => entry.path === '/auth');
  assert.equal(hook.headers.authorization, `Basic ${Buffer.from('hook user:p@ss').toString('base64')}`);
  const view = await h.waitForCall(callId, (call) => call.events.length === 2);
  assert.equal(view.eventUrl, `${hooks.url}/auth`);
  assert.equal(view.events[0].url, `${hooks.url}/auth`);
  assert.doesNotMatch(JSON.stringify(view), /p%40ss|p@ss/);
});

test('a GET application receives the event fields as query parameters', async () => {
  await callIn(
    { incomingCallUrl: `${hooks.url}/get?app=1`, autoAnswer: true, callbackHttpMethod: 'get' },
    '+19195550121',
  );
  const answer = await hooks.waitFor((entry) => entry.path === '/get' && entry.query.eventType === 'answer');
  assert.equal(answer.method, 'GET');
  assert.equal(answer.body, undefined);
  assert.equal(answer.query.app, '1');
  assert.equal(answer.query.callState, 'active');
  assert.equal(answer.query.from, '+19195550121');
  assert.equal(answer.headers['user-agent'], 'BandwidthAPI/v1');
});

test('a slow primary URL times out and the fallback URL gets the event once', async () => {
  hooks.on('/slow', () => new Promise((resolve) => setTimeout(() => resolve(200), 1500)));
  const callId = await callIn(
    {
      incomingCallUrl: `${hooks.url}/slow`,
      incomingCallUrlCallbackTimeout: 200,
      incomingCallFallbackUrl: `${hooks.url}/fallback`,
      autoAnswer: true,
    },
    '+19195550122',
  );
  const view = await h.waitForCall(callId, (call) => call.events.length === 2, 4000);
  assert.deepEqual(types(hooks.events('/fallback')), ['incomingcall', 'answer']);
  const first = view.events[0];
  assert.equal(first.delivered, true);
  assert.equal(first.url, `${hooks.url}/fallback`);
  assert.equal(first.attempts.length, 2);
  assert.match(first.attempts[0].error, /timed out after 200 ms/);
  assert.equal(first.attempts[1].status, 200);
});

test('only 2xx counts: a 500 or a redirect goes to the fallback; both failing is recorded, not retried', async () => {
  hooks.on('/error', () => 500);
  hooks.on('/redirect', () => 302);
  hooks.on('/accepted', () => 204);
  const viaFallback = await callIn(
    { incomingCallUrl: `${hooks.url}/error`, incomingCallFallbackUrl: `${hooks.url}/accepted`, autoAnswer: true },
    '+19195550123',
  );
  const delivered = await h.waitForCall(viaFallback, (call) => call.events.length === 2);
  assert.deepEqual(
    delivered.events.map((e: any) => [e.delivered, e.status, e.attempts.map((a: any) => a.status)]),
    [
      [true, 204, [500, 204]],
      [true, 204, [500, 204]],
    ],
  );
  const failing = await callIn(
    { incomingCallUrl: `${hooks.url}/redirect`, incomingCallFallbackUrl: `${hooks.url}/error`, autoAnswer: true },
    '+19195550124',
  );
  const failed = await h.waitForCall(failing, (call) => call.events.length === 2);
  assert.deepEqual(
    failed.events.map((e: any) => [e.delivered, e.status]),
    [
      [false, 500],
      [false, 500],
    ],
  );
  assert.equal(hooks.hooks.filter((entry) => entry.path === '/redirect').length, 2);
  // The call itself carries on: Catapult does not hang up because a webhook failed.
  assert.equal(failed.state, 'active');
});

test('events of a call are delivered in order: answer waits for a slow incomingcall reply', async () => {
  hooks.on('/ordered', (hook) =>
    hook.body.eventType === 'incomingcall' ? new Promise((resolve) => setTimeout(() => resolve(200), 300)) : 200,
  );
  await callIn({ incomingCallUrl: `${hooks.url}/ordered`, autoAnswer: true }, '+19195550125');
  await hooks.waitFor((entry) => entry.path === '/ordered' && entry.body.eventType === 'answer');
  const [incoming, answer] = hooks.hooks.filter((entry) => entry.path === '/ordered');
  assert.equal(incoming!.body.eventType, 'incomingcall');
  assert.ok(answer!.receivedAt - incoming!.receivedAt >= 280, 'answer was sent only after incomingcall was answered');
});

test('event faults: the next answer is delivered twice, then late; DELETE clears faults', async () => {
  assert.equal((await h.control('POST', '/sandbox/event-faults', {})).status, 400);
  assert.equal((await h.control('POST', '/sandbox/event-faults', { duplicate: 11 })).status, 400);
  const added = await h.control('POST', '/sandbox/event-faults', { eventType: 'answer', duplicate: 2 });
  assert.equal(added.status, 201);
  assert.deepEqual((await h.control('GET', '/sandbox/event-faults')).json, [
    { eventType: 'answer', count: 1, duplicate: 2, delayMs: 0 },
  ]);
  const twice = await callIn({ incomingCallUrl: `${hooks.url}/dup`, autoAnswer: true }, '+19195550126');
  const view = await h.waitForCall(twice, (call) => call.events.length === 3);
  assert.deepEqual(
    view.events.map((e: any) => [e.eventType, e.copy]),
    [
      ['incomingcall', 1],
      ['answer', 1],
      ['answer', 2],
    ],
  );
  assert.deepEqual(types(hooks.events('/dup')), ['incomingcall', 'answer', 'answer']);
  assert.deepEqual((await h.control('GET', '/sandbox/event-faults')).json, []);

  const lateCall = await h.control('POST', '/sandbox/event-faults', { eventType: 'incomingcall', delayMs: 300 });
  assert.equal(lateCall.status, 201);
  const started = Date.now();
  await callIn({ incomingCallUrl: `${hooks.url}/late`, autoAnswer: true }, '+19195550127');
  await hooks.waitFor((entry) => entry.path === '/late' && entry.body.eventType === 'answer');
  assert.ok(Date.now() - started >= 280);
  assert.deepEqual(types(hooks.events('/late')), ['incomingcall', 'answer']);

  await h.control('POST', '/sandbox/event-faults', { duplicate: 3, count: 5 });
  assert.equal((await h.control('DELETE', '/sandbox/event-faults')).status, 200);
  const clean = await callIn({ incomingCallUrl: `${hooks.url}/clean`, autoAnswer: true }, '+19195550128');
  await h.waitForCall(clean, (call) => call.events.length === 2);
  assert.deepEqual(types(hooks.events('/clean')), ['incomingcall', 'answer']);
});

test('an event fault can target one call', async () => {
  const other = await callIn({ incomingCallUrl: `${hooks.url}/target-a`, autoAnswer: false }, '+19195550129');
  const target = await callIn({ incomingCallUrl: `${hooks.url}/target-b`, autoAnswer: false }, '+19195550130');
  await h.control('POST', '/sandbox/event-faults', { callId: target, eventType: 'hangup', duplicate: 2 });
  for (const callId of [other, target]) await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'rejected' });
  await h.waitForCall(target, (call) => call.events.length === 3);
  await h.waitForCall(other, (call) => call.events.length === 2);
  assert.deepEqual(types(hooks.events('/target-a')), ['incomingcall', 'hangup']);
  assert.deepEqual(types(hooks.events('/target-b')), ['incomingcall', 'hangup', 'hangup']);
});
