// Outbound calls through POST /calls, and GET/list (docs/contracts/catapult-v1.md §11.1–11.2, §14.1).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCallsSandbox, startWebhooks, types, type CallsHarness, type Webhooks } from './calls-harness';

let h: CallsHarness;
let hooks: Webhooks;
let from: string;

before(async () => {
  h = await startCallsSandbox();
  hooks = await startWebhooks();
  from = await h.orderNumber();
});
after(async () => {
  await h.close();
  await hooks.close();
});

const idFrom = (location: string | null) => location!.split('/').pop()!;

test('POST /calls validates from, to, callTimeout, callbackUrl, callbackTimeout and sipHeaders', async () => {
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ from: '+19195550999', to: '+19195550160' }, 400, 'validation-error'],
    [{ to: '+19195550160' }, 400, 'validation-error'],
    [{ from, to: 'nobody' }, 400, 'validation-error'],
    [{ from, to: '+19195550160', callTimeout: 301 }, 400, 'validation-error'],
    [{ from, to: '+19195550160', callTimeout: 0 }, 400, 'validation-error'],
    [{ from, to: '+19195550160', callbackUrl: 'ftp://x' }, 400, 'callback-invalid-url'],
    [{ from, to: '+19195550160', callbackUrl: hooks.url, callbackTimeout: 10001 }, 400, 'validation-error'],
    [{ from, to: '+19195550160', callbackHttpMethod: 'PUT' }, 400, 'validation-error'],
    [{ from, to: '+19195550160', sipHeaders: { Bad: 'x' } }, 400, 'validation-error'],
  ];
  for (const [body, status, code] of cases) {
    const reply = await h.api('POST', `${h.userPath}/calls`, body);
    assert.equal(reply.status, status, JSON.stringify(body));
    assert.equal(reply.json.code, code, JSON.stringify(body));
    assert.equal(reply.json.category, 'bad-request');
  }
  const notJson = await h.api('POST', `${h.userPath}/calls`, 'x');
  assert.equal(notJson.status, 400);
});

test('an answered outbound call: 201 + Location, answer with tag, REST hang-up gives hangup NORMAL_CLEARING', async () => {
  const reply = await h.api('POST', `${h.userPath}/calls`, {
    from,
    to: '+19195550161',
    callbackUrl: `${hooks.url}/out1`,
    tag: 'order-7',
    sipHeaders: { 'X-Order': '7' },
  });
  assert.equal(reply.status, 201);
  assert.equal(reply.text, '');
  const callId = idFrom(reply.headers.get('location'));
  assert.equal(reply.headers.get('location'), `${h.userPath}/calls/${callId}`);
  const started = await h.api('GET', `${h.userPath}/calls/${callId}`);
  assert.equal(started.json.state, 'started');
  assert.equal(started.json.direction, 'out');
  assert.equal(started.json.callTimeout, 60);
  assert.equal(started.json.tag, 'order-7');
  assert.deepEqual(started.json.sipHeaders, { 'X-Order': '7' });
  assert.equal(started.json.callbackUrl, `${hooks.url}/out1`);
  assert.equal(started.json.recordingEnabled, false);

  const answer = await hooks.waitFor((hook) => hook.path === '/out1' && hook.body.eventType === 'answer');
  assert.deepEqual(Object.keys(answer.body), [
    'eventType',
    'from',
    'to',
    'callState',
    'callId',
    'callUri',
    'tag',
    'time',
  ]);
  assert.equal(answer.body.tag, 'order-7');
  assert.equal(answer.body.from, from);
  assert.equal((await h.api('GET', `${h.userPath}/calls/${callId}`)).json.state, 'active');

  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'completed' })).status, 200);
  const hangup = await hooks.waitFor((hook) => hook.path === '/out1' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'NORMAL_CLEARING');
  assert.equal(hangup.body.tag, 'order-7');
  assert.equal((await h.call(callId)).farEnd.state, 'ended');
  // An outbound call cannot be answered or rejected through REST.
  const reject = await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'rejected' });
  assert.equal(reject.status, 403);
});

test('cancelling an unanswered outbound call gives ORIGINATOR_CANCEL; the ringing phone stops', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550162')}`, {
    behaviour: 'manual',
  });
  const reply = await h.api('POST', `${h.userPath}/calls`, {
    from,
    to: '+19195550162',
    callbackUrl: `${hooks.url}/out2`,
  });
  const callId = idFrom(reply.headers.get('location'));
  await h.waitForCall(callId, (call) => call.farEnd?.state === 'ringing');
  const answerByApi = await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'active' });
  assert.equal(answerByApi.status, 403);
  await h.api('POST', `${h.userPath}/calls/${callId}`, { state: 'completed' });
  const hangup = await hooks.waitFor((hook) => hook.path === '/out2' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'ORIGINATOR_CANCEL');
  assert.equal((await h.call(callId)).farEnd.state, 'ended');
});

test('no answer within callTimeout: timeout then hangup NO_ANSWER; busy gives USER_BUSY', async () => {
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550163')}`, {
    behaviour: 'no-answer',
  });
  await h.control('PUT', `/sandbox/phone-network/numbers/${encodeURIComponent('+19195550164')}`, { behaviour: 'busy' });
  const slow = idFrom(
    (
      await h.api('POST', `${h.userPath}/calls`, {
        from,
        to: '+19195550163',
        callTimeout: 1,
        callbackUrl: `${hooks.url}/out3`,
      })
    ).headers.get('location'),
  );
  const busy = idFrom(
    (
      await h.api('POST', `${h.userPath}/calls`, { from, to: '+19195550164', callbackUrl: `${hooks.url}/out4` })
    ).headers.get('location'),
  );
  const busyHangup = await hooks.waitFor((hook) => hook.path === '/out4' && hook.body.eventType === 'hangup');
  assert.equal(busyHangup.body.cause, 'USER_BUSY');
  await hooks.waitFor((hook) => hook.path === '/out3' && hook.body.eventType === 'hangup', 4000);
  assert.deepEqual(types(hooks.events('/out3')), ['timeout', 'hangup']);
  assert.equal(hooks.events('/out3')[1].cause, 'NO_ANSWER');
  assert.equal((await h.api('GET', `${h.userPath}/calls/${slow}`)).json.state, 'completed');
  assert.equal((await h.api('GET', `${h.userPath}/calls/${busy}`)).json.state, 'completed');
});

test('calling a sandbox endpoint with no SIP client rings a simulated endpoint until answered by hand', async () => {
  const endpoint = await h.createEndpoint();
  const reply = await h.api('POST', `${h.userPath}/calls`, {
    from,
    to: endpoint.sipUri,
    callbackUrl: `${hooks.url}/out5`,
  });
  const callId = idFrom(reply.headers.get('location'));
  const ringing = await h.waitForCall(callId, (call) => call.farEnd?.state === 'ringing');
  assert.equal(ringing.farEnd.kind, 'simulated-endpoint');
  await h.control('POST', `/sandbox/calls/${callId}/answer`);
  await hooks.waitFor((hook) => hook.path === '/out5' && hook.body.eventType === 'answer');
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  const hangup = await hooks.waitFor((hook) => hook.path === '/out5' && hook.body.eventType === 'hangup');
  assert.equal(hangup.body.cause, 'NORMAL_CLEARING');

  // A SIP URI that no sandbox endpoint has: the call fails at once.
  const nobody = idFrom(
    (
      await h.api('POST', `${h.userPath}/calls`, {
        from,
        to: 'sip:nobody@nowhere.bwapp.bwsip.io',
        callbackUrl: `${hooks.url}/out6`,
      })
    ).headers.get('location'),
  );
  const failed = await hooks.waitFor((hook) => hook.path === '/out6' && hook.body.eventType === 'hangup');
  assert.equal(failed.body.cause, 'UNALLOCATED_NUMBER');
  assert.equal(failed.body.callId, nobody);
});

test('GET /calls lists the account calls with filters, sort order, paging and Link', async () => {
  const to = '+19195550165';
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const reply = await h.api('POST', `${h.userPath}/calls`, { from, to });
    ids.push(idFrom(reply.headers.get('location')));
  }
  const all = await h.api('GET', `${h.userPath}/calls?to=${encodeURIComponent(to)}`);
  assert.equal(all.status, 200);
  assert.deepEqual(
    all.json.map((call: any) => call.id),
    ids,
  );
  const desc = await h.api('GET', `${h.userPath}/calls?to=${encodeURIComponent(to)}&sortOrder=desc`);
  assert.deepEqual(
    desc.json.map((call: any) => call.id),
    [...ids].reverse(),
  );
  const page = await h.api('GET', `${h.userPath}/calls?to=${encodeURIComponent(to)}&size=2&page=0`);
  assert.deepEqual(
    page.json.map((call: any) => call.id),
    ids.slice(0, 2),
  );
  const link = page.headers.get('link')!;
  assert.match(link, /rel="next"/);
  const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
  assert.ok(next.startsWith(h.sandbox.baseUrl));
  const second = await h.api('GET', next.slice(h.sandbox.baseUrl.length));
  assert.deepEqual(
    second.json.map((call: any) => call.id),
    ids.slice(2),
  );
  assert.doesNotMatch(second.headers.get('link')!, /rel="next"/);
  assert.deepEqual((await h.api('GET', `${h.userPath}/calls?from=%2B10000000000`)).json, []);
  assert.deepEqual((await h.api('GET', `${h.userPath}/calls?bridgeId=br-x`)).json, []);
  assert.equal((await h.api('GET', `${h.userPath}/calls?sortOrder=up`)).status, 400);
  assert.equal((await h.api('GET', `${h.userPath}/calls?size=1001`)).status, 400);

  const missing = await h.api('GET', `${h.userPath}/calls/c-nothere`);
  assert.equal(missing.status, 404);
  assert.equal(missing.json.code, 'call-not-found');
  assert.equal(missing.json.category, 'not-found');
  const events = await h.api('GET', `${h.userPath}/calls/${ids[0]}/events`);
  assert.equal(events.status, 200);
  assert.equal(events.json[0].name, 'create');
  for (const id of ids) await h.api('POST', `${h.userPath}/calls/${id}`, { state: 'completed' });
});
