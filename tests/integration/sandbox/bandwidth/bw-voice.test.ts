// The Bandwidth sandbox's Voice API: calls from outside tone phones to the account's numbers, the app's BXML
// (Ring, Redirect, SpeakSentence, Pause, Hangup, Transfer), the callbacks with Basic CallbackCreds (each body
// validated against bandwidth.yml), live-call changes, invalid BXML, failing callbacks and account limits.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startBandwidth, type BwHarness, type Provisioned } from './bw-harness';
import { basicOf, poll, startTestApp, type TestApp } from './bw-app';

let h: BwHarness;
let app: TestApp;
let line: Provisioned;

before(async () => {
  h = await startBandwidth();
  app = await startTestApp();
  line = await h.provision({
    callbackUrl: `${app.url}/initiate`,
    statusUrl: `${app.url}/status`,
    userId: 'hooks',
    password: 'hook-secret',
  });
});
afterEach(() => app.assertAllValid());
after(async () => {
  await h.close();
  await app.close();
});

const view = async (callId: string) => (await h.control('GET', `/calls/${callId}`)).json;
const callIn = async (from: string) => {
  const reply = await h.control('POST', '/calls/inbound', { from, to: line.number });
  assert.equal(reply.status, 201, reply.text);
  return reply.json.callId as string;
};
const disconnectOf = (callId: string) =>
  app.waitFor((hook) => hook.body.eventType === 'disconnect' && hook.body.callId === callId);

test('initiate carries the call and Basic CallbackCreds; SpeakSentence is audible (660 Hz); end of BXML hangs up', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550101'
      ? '<Response><SpeakSentence>Hello from the sandbox</SpeakSentence></Response>'
      : undefined,
  );
  const callId = await callIn('+19195550101');
  const initiate = await app.waitFor((hook) => hook.body.eventType === 'initiate' && hook.body.callId === callId);
  assert.equal(initiate.authorization, basicOf('hooks', 'hook-secret'));
  assert.equal(initiate.method, 'POST');
  assert.deepEqual(
    {
      from: initiate.body.from,
      to: initiate.body.to,
      direction: initiate.body.direction,
      accountId: initiate.body.accountId,
      applicationId: initiate.body.applicationId,
    },
    {
      from: '+19195550101',
      to: line.number,
      direction: 'inbound',
      accountId: h.accountId,
      applicationId: line.applicationId,
    },
  );
  assert.match(initiate.body.callUrl, new RegExp(`/api/v2/accounts/${h.accountId}/calls/${callId}$`));
  const heard = await poll(
    async () => {
      const audio = (await view(callId)).farEnd.audioIn;
      return audio.loudFrames > 10 ? audio : undefined;
    },
    8000,
    'the prompt at the caller',
  );
  assert.ok(Math.abs(heard.lastFrequencyHz - 660) < 40, `heard ${heard.lastFrequencyHz} Hz`);
  const disconnect = await disconnectOf(callId);
  assert.equal(disconnect.path, '/status');
  assert.equal(disconnect.body.cause, 'hangup');
  assert.ok(disconnect.body.answerTime && disconnect.body.endTime);
  assert.equal((await view(callId)).farEnd.state, 'ended');
});

test('Ring + Redirect park the caller (silence); POST /calls/{id} {state:"completed"} ends it', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550102'
      ? `<Response><Ring duration="0.3"/><Redirect redirectUrl="${app.url}/park"/></Response>`
      : undefined,
  );
  app.on('/park', () => `<Response><Ring duration="0.3"/><Redirect redirectUrl="${app.url}/park"/></Response>`);
  const callId = await callIn('+19195550102');
  await app.waitFor((hook) => hook.path === '/park' && hook.body.callId === callId);
  const second = await poll(
    () =>
      app.hooks.filter((hook) => hook.path === '/park' && hook.body.callId === callId).length >= 2 ? true : undefined,
    5000,
    'a second redirect',
  );
  assert.ok(second);
  const parked = await view(callId);
  assert.equal(parked.state, 'answered');
  assert.ok(parked.farEnd.audioIn.frames > 0, 'the parked caller gets RTP');
  assert.equal(parked.farEnd.audioIn.loudFrames, 0, 'and it is silence');
  const state = await h.voice('GET', `/calls/${callId}`);
  assert.equal(state.json.state, 'answered');
  assert.equal((await h.voice('POST', `/calls/${callId}`, { state: 'completed' })).status, 200);
  assert.equal((await disconnectOf(callId)).body.cause, 'hangup');
  assert.equal((await h.voice('POST', `/calls/${callId}`, { state: 'completed' })).status, 404);
  assert.equal((await h.voice('GET', `/calls/${callId}`)).json.disconnectCause, 'hangup');
});

test('POST /calls/{id} {state:"active", redirectUrl} and PUT /calls/{id}/bxml replace what a call plays', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550103' ? '<Response><Pause duration="30"/></Response>' : undefined,
  );
  app.on('/moved', () => '<Response><Pause duration="30"/></Response>');
  const callId = await callIn('+19195550103');
  await poll(async () => ((await view(callId)).state === 'answered' ? true : undefined), 5000, 'answered');
  assert.equal(
    (await h.voice('POST', `/calls/${callId}`, { state: 'active' })).status,
    400,
    'active needs redirectUrl',
  );
  assert.equal(
    (await h.voice('POST', `/calls/${callId}`, { state: 'active', redirectUrl: `${app.url}/moved` })).status,
    200,
  );
  const redirect = await app.waitFor((hook) => hook.path === '/moved' && hook.body.callId === callId);
  assert.equal(redirect.body.eventType, 'redirect');
  assert.equal(
    (await h.voice('PUT', `/calls/${callId}/bxml`, '<Response><Hangup/></Response>')).status,
    400,
    'PUT takes <Bxml>',
  );
  const put = await h.voice(
    'PUT',
    `/calls/${callId}/bxml`,
    '<?xml version="1.0"?><Bxml><Pause duration="0.2"/><Hangup/></Bxml>',
  );
  assert.equal(put.status, 204);
  assert.equal((await disconnectOf(callId)).body.cause, 'hangup');
});

test('invalid BXML ends the call with invalid-bxml; a failing initiate with callback-error', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550104'
      ? '<Response><Dance/></Response>'
      : hook.body.from === '+19195550105'
        ? 500
        : undefined,
  );
  const bad = await callIn('+19195550104');
  const badEnd = await disconnectOf(bad);
  assert.equal(badEnd.body.cause, 'invalid-bxml');
  assert.match(badEnd.body.errorMessage, /Dance/);
  const failing = await callIn('+19195550105');
  assert.equal((await disconnectOf(failing)).body.cause, 'callback-error');
  assert.equal((await view(failing)).farEnd.state, 'ended');
});

test('Transfer rings an outside phone: audio both ways, transferAnswer / transferDisconnect / transferComplete', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550106'
      ? `<Response><Transfer transferCallerId="${line.number}" callTimeout="10" transferCompleteUrl="${app.url}/complete">` +
        `<PhoneNumber transferAnswerUrl="${app.url}/answered" transferDisconnectUrl="${app.url}/gone">+19195550199</PhoneNumber></Transfer></Response>`
      : undefined,
  );
  const callId = await callIn('+19195550106');
  const answered = await app.waitFor((hook) => hook.path === '/answered');
  const legId = answered.body.callId as string;
  assert.equal(answered.body.eventType, 'transferAnswer');
  assert.equal((await view(legId)).parentCallId, callId);
  assert.equal(answered.body.transferCallerId, line.number);
  assert.equal(answered.body.transferTo, '+19195550199');
  const both = await poll(
    async () => {
      const [a, b] = await Promise.all([view(callId), view(legId)]);
      return a.farEnd.audioIn.loudFrames > 20 && b.farEnd.audioIn.loudFrames > 20 ? { a, b } : undefined;
    },
    10_000,
    'audio both ways',
  );
  assert.ok(Math.abs(both.a.farEnd.audioIn.lastFrequencyHz - 440) < 30, 'the caller hears the far phone');
  assert.ok(Math.abs(both.b.farEnd.audioIn.lastFrequencyHz - 440) < 30, 'the far phone hears the caller');
  assert.ok(both.a.media.relayedIn > 0 && both.b.media.relayedIn > 0, 'relayed through the platform');
  await h.control('POST', `/calls/${legId}/hangup`);
  const gone = await app.waitFor((hook) => hook.path === '/gone');
  assert.equal(gone.body.eventType, 'transferDisconnect');
  assert.equal(gone.body.cause, 'hangup');
  const complete = await app.waitFor((hook) => hook.path === '/complete');
  assert.equal(complete.body.eventType, 'transferComplete');
  assert.equal(complete.body.callId, callId);
  assert.equal(complete.body.cause, 'hangup');
  // transferComplete answered nothing: the A-leg's document is over, so it hangs up.
  assert.equal((await disconnectOf(callId)).body.cause, 'hangup');
});

test('Transfer to a busy phone: transferComplete says busy and its BXML runs on the caller', async () => {
  await h.control('PUT', `/phone-network/numbers/${encodeURIComponent('+19195550198')}`, { behaviour: 'busy' });
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550107'
      ? `<Response><Transfer transferCompleteUrl="${app.url}/busy-complete"><PhoneNumber>+19195550198</PhoneNumber></Transfer></Response>`
      : undefined,
  );
  app.on('/busy-complete', () => '<Response><SpeakSentence>Nobody is free</SpeakSentence><Hangup/></Response>');
  const callId = await callIn('+19195550107');
  const complete = await app.waitFor((hook) => hook.path === '/busy-complete' && hook.body.callId === callId);
  assert.equal(complete.body.cause, 'busy');
  assert.equal(complete.body.transferCallerId, '+19195550107', 'the caller id defaults to the caller');
  assert.equal((await disconnectOf(callId)).body.cause, 'hangup');
});

test('a caller who hangs up while parked: disconnect with cause hangup; before answer (Ring answerCall=false): cancel', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550108' ? '<Response><Ring duration="30" answerCall="false"/></Response>' : undefined,
  );
  const callId = await callIn('+19195550108');
  await app.waitFor((hook) => hook.body.eventType === 'initiate' && hook.body.callId === callId);
  await h.control('POST', `/calls/${callId}/hangup`);
  const end = await disconnectOf(callId);
  assert.equal(end.body.cause, 'cancel');
  assert.equal(end.body.answerTime, undefined);
});

test('POST /calls (minimal) rings an outside phone; answer BXML runs; limits answer 429', async () => {
  app.on('/api-answer', () => '<Response><SpeakSentence>Calling you</SpeakSentence></Response>');
  const created = await h.voice('POST', '/calls', {
    from: line.number,
    to: '+19195550150',
    applicationId: line.applicationId,
    answerUrl: `${app.url}/api-answer`,
  });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.callId, /^c-/);
  const answer = await app.waitFor((hook) => hook.path === '/api-answer');
  assert.equal(answer.body.eventType, 'answer');
  assert.equal(answer.body.direction, 'outbound');
  assert.equal((await disconnectOf(created.json.callId)).body.cause, 'hangup');
  assert.equal(
    (
      await h.voice('POST', '/calls', {
        from: '+19195550000',
        to: '+19195550150',
        applicationId: line.applicationId,
        answerUrl: `${app.url}/x`,
      })
    ).status,
    400,
  );
  await h.control('PUT', '/settings', { callsPerSecond: 1 });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const first = await h.voice('POST', '/calls', {
    from: line.number,
    to: '+19195550151',
    applicationId: line.applicationId,
    answerUrl: `${app.url}/api-answer`,
  });
  const second = await h.voice('POST', '/calls', {
    from: line.number,
    to: '+19195550152',
    applicationId: line.applicationId,
    answerUrl: `${app.url}/api-answer`,
  });
  assert.equal(first.status, 201);
  assert.equal(second.status, 429);
  assert.deepEqual(second.json, { type: 'error', description: 'Account call creation rate limit exceeded', id: null });
  assert.equal(second.headers.get('retry-after'), '1');
  await h.control('PUT', '/settings', { callsPerSecond: 3, maxConcurrentCalls: 0 });
  const refused = await h.control('POST', '/calls/inbound', { from: '+19195550109', to: line.number });
  assert.equal(refused.status, 403, 'over the concurrent limit an inbound call is refused');
  await h.control('PUT', '/settings', { maxConcurrentCalls: 30 });
});

test('a failing Redirect URL is sent once to its fallback, with the fallback credentials; relative URLs resolve', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550160'
      ? '<Response><Redirect redirectUrl="broken" redirectFallbackUrl="/fallback" redirectMethod="GET" ' +
        'username="verb-user" password="verb-secret" fallbackUsername="spare-user" fallbackPassword="spare-secret"/>' +
        '</Response>'
      : undefined,
  );
  app.on('/broken', () => 503);
  app.on('/fallback', () => '<Response><Hangup/></Response>');
  const callId = await callIn('+19195550160');
  const fallback = await app.waitFor((hook) => hook.path === '/fallback' && hook.body.callId === callId);
  const broken = app.hooks.filter((hook) => hook.path === '/broken' && hook.body.callId === callId);
  assert.equal(broken.length, 1, 'the failing URL (relative to /initiate) is tried once');
  assert.equal(broken[0]!.authorization, basicOf('verb-user', 'verb-secret'));
  assert.equal(fallback.authorization, basicOf('spare-user', 'spare-secret'));
  for (const hook of [broken[0]!, fallback]) {
    assert.equal(hook.method, 'GET');
    assert.equal(hook.body.eventType, 'redirect', 'the fields are in the query');
  }
  assert.equal((await disconnectOf(callId)).body.cause, 'hangup', 'the fallback’s BXML ran');
  const record = (await view(callId)).callbacks.find((c: { eventType: string }) => c.eventType === 'redirect');
  assert.deepEqual(
    record.attempts.map((a: { url: string; status: number }) => [new URL(a.url).pathname, a.status]),
    [
      ['/broken', 503],
      ['/fallback', 200],
    ],
  );
});

test('impairment: with lossRate 1 the caller hears nothing from the platform; back to 0 it hears again', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550161' ? '<Response><Pause duration="30"/></Response>' : undefined,
  );
  const callId = await callIn('+19195550161');
  const framesHeard = async () => ((await view(callId)).farEnd.audioIn as { frames: number }).frames;
  await poll(async () => ((await framesHeard()) > 5 ? true : undefined), 5000, 'silence frames at the caller');
  const refused = await h.control('PUT', `/calls/${callId}/impairment`, { lossRate: 2, delayMs: 0 });
  assert.equal(refused.status, 400);
  const set = await h.control('PUT', `/calls/${callId}/impairment`, { lossRate: 1, delayMs: 0 });
  assert.deepEqual(set.json, { lossRate: 1, delayMs: 0 });
  await new Promise((resolve) => setTimeout(resolve, 200)); // packets already on their way
  const before = await framesHeard();
  await new Promise((resolve) => setTimeout(resolve, 600)); // ~30 frames at 20 ms
  assert.ok((await framesHeard()) - before <= 1, 'nothing arrives while every packet is dropped');
  await h.control('PUT', `/calls/${callId}/impairment`, { lossRate: 0, delayMs: 0 });
  const resumed = await framesHeard();
  await poll(async () => ((await framesHeard()) > resumed + 10 ? true : undefined), 5000, 'frames again');
  assert.equal((await h.voice('POST', `/calls/${callId}`, { state: 'completed' })).status, 200);
  await disconnectOf(callId);
  const over = await h.control('PUT', `/calls/${callId}/impairment`, { lossRate: 0, delayMs: 0 });
  assert.equal(over.status, 409);
});
