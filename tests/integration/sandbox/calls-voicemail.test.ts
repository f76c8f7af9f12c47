// Voicemail on the Catapult sandbox: the app answers an outside caller nobody else takes, speaks and plays a file
// (`POST /calls/{id}/audio`: speak/playback events with tags; the caller really hears them because Catapult
// answers the caller's offer with its own media), records the caller (`recordingEnabled`: recording event,
// recording resource, media WAV with the tone phone's 440 Hz), hears digits (dtmf events); and a transfer to an
// endpoint without a registered client ends unanswered after callTimeout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { decodeWav, encodeWav, tone } from '../../../sandbox/media/wav';
import { poll, startCallsSandbox, startWebhooks, types, type CallsHarness, type Webhooks } from './calls-harness';

let h: CallsHarness;
let hooks: Webhooks;
let audio: Server;
let audioUrl: string;
let number: string;

before(async () => {
  h = await startCallsSandbox();
  hooks = await startWebhooks();
  const beep = encodeWav(tone(1000, 1500));
  audio = createServer((req, res) => {
    if (req.url === '/beep.wav') res.writeHead(200, { 'Content-Type': 'audio/x-wav' }).end(beep);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => audio.listen(0, '127.0.0.1', resolve));
  audioUrl = `http://127.0.0.1:${(audio.address() as AddressInfo).port}`;
  const applicationId = await h.createApplication({ incomingCallUrl: `${hooks.url}/vm`, autoAnswer: true });
  number = await h.orderNumber(applicationId);
});
after(async () => {
  await h.close();
  await hooks.close();
  await new Promise<void>((resolve) => audio.close(() => resolve()));
});

const callIn = async (from: string) => {
  const reply = await h.control('POST', '/sandbox/calls/inbound', { from, to: number });
  assert.equal(reply.status, 201, reply.text);
  return reply.json.callId as string;
};
const eventOf = (callId: string, match: (body: any) => boolean, timeoutMs = 10_000) =>
  hooks.waitFor((hook) => hook.body?.callId === callId && match(hook.body), timeoutMs);
const hears = (callId: string, hz: number, what: string) =>
  poll(
    async () => (Math.abs((await h.call(callId)).audioIn.lastFrequencyHz - hz) < 60 ? true : undefined),
    10_000,
    what,
  );
/** Length and frequency (zero crossings of the middle half) of a WAV. */
function listen(wav: Buffer) {
  const { samples } = decodeWav(wav);
  const middle = samples.subarray(Math.floor(samples.length / 4), Math.floor((samples.length * 3) / 4));
  let crossings = 0;
  let energy = 0;
  for (let i = 1; i < middle.length; i += 1) {
    if (middle[i - 1]! < 0 !== middle[i]! < 0) crossings += 1;
    energy += middle[i]! * middle[i]!;
  }
  return {
    seconds: samples.length / 8000,
    rms: Math.sqrt(energy / middle.length),
    hz: Math.round(crossings / 2 / (middle.length / 8000)),
  };
}

test('speak + play a file + record: the caller hears both, its 3 s message is recorded with signal', async () => {
  const callId = await callIn('+19195550301');
  await eventOf(callId, (body) => body.eventType === 'answer');
  const audioPath = `${h.userPath}/calls/${callId}/audio`;
  assert.equal((await h.api('POST', audioPath, { sentence: 'Please leave a message', tag: 'greeting' })).status, 200);
  await hears(callId, 660, 'the spoken greeting (660 Hz) at the caller');
  const spoken = await eventOf(callId, (body) => body.eventType === 'speak' && body.status === 'done');
  assert.deepEqual(Object.keys(spoken.body), ['eventType', 'callId', 'callUri', 'status', 'state', 'tag', 'time']);
  assert.equal(spoken.body.state, 'PLAYBACK_STOP');
  assert.equal(spoken.body.tag, 'greeting');
  const started = hooks.events('/vm').find((e) => e.callId === callId && e.eventType === 'speak');
  assert.deepEqual([started.status, started.state], ['started', 'PLAYBACK_START']);

  assert.equal((await h.api('POST', audioPath, { fileUrl: `${audioUrl}/beep.wav`, tag: 'beep' })).status, 200);
  await hears(callId, 1000, 'the file (1000 Hz) at the caller');
  const played = await eventOf(callId, (body) => body.eventType === 'playback' && body.status === 'done');
  assert.deepEqual(Object.keys(played.body), ['eventType', 'callId', 'callUri', 'status', 'tag', 'time']);
  assert.equal(played.body.tag, 'beep');

  const update = await h.api('POST', `${h.userPath}/calls/${callId}`, {
    recordingEnabled: true,
    recordingFileFormat: 'wav',
    recordingMaxDuration: 180,
  });
  assert.equal(update.status, 200, update.text);
  assert.equal((await h.api('GET', `${h.userPath}/calls/${callId}`)).json.recordingEnabled, true);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await h.control('POST', `/sandbox/calls/${callId}/hangup`); // the caller hangs up: the recording ends
  const recorded = await eventOf(callId, (body) => body.eventType === 'recording');
  assert.deepEqual(Object.keys(recorded.body).sort(), [
    'callId',
    'endTime',
    'eventType',
    'recordingId',
    'recordingUri',
    'startTime',
    'state',
    'status',
  ]);
  assert.equal(recorded.body.status, 'complete');
  assert.equal(
    recorded.body.recordingUri,
    `${h.sandbox.apiUrl}/users/${h.sandbox.account.userId}/recordings/${recorded.body.recordingId}`,
  );
  assert.ok(types(hooks.events('/vm').filter((e) => e.callId === callId)).indexOf('hangup') >= 0);

  const resource = await h.api('GET', `${h.userPath}/recordings/${recorded.body.recordingId}`);
  assert.equal(resource.status, 200);
  assert.deepEqual(Object.keys(resource.json), ['id', 'media', 'call', 'startTime', 'endTime', 'state']);
  assert.equal(resource.json.state, 'complete');
  assert.equal(resource.json.call, `${h.sandbox.apiUrl}/users/${h.sandbox.account.userId}/calls/${callId}`);
  assert.match(resource.json.media, new RegExp(`/v1/users/${h.sandbox.account.userId}/media/${callId}-1\\.wav$`));
  const media = await fetch(resource.json.media, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${h.sandbox.account.apiToken}:${h.sandbox.account.apiSecret}`).toString('base64')}`,
    },
  });
  assert.equal(media.status, 200);
  assert.equal(media.headers.get('content-type'), 'audio/wav');
  const heard = listen(Buffer.from(await media.arrayBuffer()));
  assert.ok(heard.seconds > 2.5 && heard.seconds < 4, `${heard.seconds} s`);
  assert.ok(heard.rms > 3000 && Math.abs(heard.hz - 440) < 40, JSON.stringify(heard));
  assert.equal((await fetch(resource.json.media)).status, 401); // Basic auth like every /v1 route

  // Injected faults reach the recordings routes (family `recordings`).
  const fault = await h.control('POST', '/sandbox/faults', { family: 'recordings', preset: 'server-error' });
  assert.equal(fault.status, 201, fault.text);
  assert.equal((await h.api('GET', `${h.userPath}/recordings/${recorded.body.recordingId}`)).status, 500);
  assert.equal((await h.api('GET', `${h.userPath}/recordings/${recorded.body.recordingId}`)).status, 200);

  const ofCall = await h.api('GET', `${h.userPath}/calls/${callId}/recordings`);
  assert.deepEqual(
    ofCall.json.map((r: { id: string }) => r.id),
    [recorded.body.recordingId],
  );
  const all = await h.api('GET', `${h.userPath}/recordings`);
  assert.ok(all.json.some((r: { id: string }) => r.id === recorded.body.recordingId));
});

test('recordingMaxDuration ends a recording on a live call; digits become dtmf events; audio rules', async () => {
  const callId = await callIn('+19195550302');
  await eventOf(callId, (body) => body.eventType === 'answer');
  const callPath = `${h.userPath}/calls/${callId}`;
  assert.equal((await h.api('POST', callPath, { recordingEnabled: 'true', recordingMaxDuration: 2 })).status, 200);
  assert.equal((await h.control('POST', `/sandbox/calls/${callId}/dtmf`, { digits: '5#' })).status, 200);
  const digits = await poll(
    () => {
      const seen = hooks.events('/vm').filter((e) => e.callId === callId && e.eventType === 'dtmf');
      return seen.length === 2 ? seen : undefined;
    },
    5000,
    'two dtmf events',
  );
  assert.deepEqual(
    digits.map((e) => e.dtmfDigit),
    ['5', '#'],
  );
  assert.deepEqual(Object.keys(digits[0]), ['eventType', 'callId', 'callUri', 'dtmfDigit', 'time']);
  const recorded = await eventOf(callId, (body) => body.eventType === 'recording', 6000);
  const resource = await h.api('GET', `${h.userPath}/recordings/${recorded.body.recordingId}`);
  const lengthMs = Date.parse(resource.json.endTime) - Date.parse(resource.json.startTime);
  assert.ok(lengthMs >= 1900 && lengthMs < 2600, `${lengthMs} ms`);
  assert.equal((await h.call(callId)).state, 'active'); // the call goes on

  // A sentence, stopped by an empty one: done at once.
  assert.equal((await h.api('POST', `${callPath}/audio`, { sentence: 'a long sentence '.repeat(20) })).status, 200);
  assert.equal((await h.api('POST', `${callPath}/audio`, { sentence: '' })).status, 200);
  await eventOf(callId, (body) => body.eventType === 'speak' && body.status === 'done', 2000);
  // A file that cannot be played: started/done, nothing heard, the reason in the control view.
  assert.equal((await h.api('POST', `${callPath}/audio`, { fileUrl: `${audioUrl}/missing.wav` })).status, 200);
  await eventOf(callId, (body) => body.eventType === 'playback' && body.status === 'done', 5000);
  assert.match((await h.call(callId)).mediaErrors[0], /missing\.wav answered 404/);

  assert.equal((await h.api('POST', `${callPath}/audio`, {})).status, 400);
  assert.equal((await h.api('POST', `${callPath}/audio`, { fileUrl: 'ftp://x/y.wav' })).status, 400);
  assert.equal((await h.api('POST', callPath, { recordingEnabled: true, recordingFileFormat: 'mp3' })).status, 400);
  assert.equal((await h.control('POST', `/sandbox/calls/${callId}/dtmf`, { digits: 'x' })).status, 400);
  await h.control('POST', `/sandbox/calls/${callId}/hangup`);
  await eventOf(callId, (body) => body.eventType === 'hangup');
  assert.equal((await h.api('POST', `${callPath}/audio`, { sentence: 'too late' })).status, 403);
  assert.equal((await h.control('POST', `/sandbox/calls/${callId}/dtmf`, { digits: '1' })).status, 409);
  assert.equal((await h.api('GET', `${h.userPath}/recordings/rec-unknown`)).status, 404);
  assert.equal((await h.api('GET', `${h.userPath}/media/nothing.wav`)).status, 404);
});

test('a transfer to an endpoint with no registered client ends NO_ANSWER after callTimeout; the voicemail after it works', async () => {
  const endpoint = await h.createEndpoint();
  const callId = await callIn('+19195550303');
  await eventOf(callId, (body) => body.eventType === 'answer');
  const started = Date.now();
  const transfer = await h.api('POST', `${h.userPath}/calls/${callId}`, {
    state: 'transferring',
    transferTo: endpoint.sipUri,
    callTimeout: 1,
    callbackUrl: `${hooks.url}/vm-leg`,
  });
  assert.equal(transfer.status, 201, transfer.text);
  const hangup = await hooks.waitFor((hook) => hook.path === '/vm-leg' && hook.body.eventType === 'hangup', 5000);
  assert.ok(Date.now() - started >= 900, 'rang for about callTimeout');
  assert.equal(hangup.body.cause, 'NO_ANSWER');
  assert.deepEqual(types(hooks.events('/vm-leg')), ['timeout', 'hangup']);
  assert.equal((await h.call(callId)).state, 'active');
  // The caller's offer went to the endpoint that never answered; Catapult's media answers it now, so the voicemail
  // greeting after a failed transfer is heard and the message recorded.
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}/audio`, { sentence: 'Not here' })).status, 200);
  await hears(callId, 660, 'the greeting after the failed transfer');
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { recordingEnabled: true })).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await h.api('POST', `${h.userPath}/calls/${callId}`, { recordingEnabled: false })).status, 200);
  const recorded = await eventOf(callId, (body) => body.eventType === 'recording');
  const resource = await h.api('GET', `${h.userPath}/recordings/${recorded.body.recordingId}`);
  const media = await fetch(resource.json.media, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${h.sandbox.account.apiToken}:${h.sandbox.account.apiSecret}`).toString('base64')}`,
    },
  });
  const heard = listen(Buffer.from(await media.arrayBuffer()));
  assert.ok(heard.seconds > 1.2 && heard.seconds < 2.2 && Math.abs(heard.hz - 440) < 40, JSON.stringify(heard));
  assert.equal((await h.call(callId)).state, 'active'); // stopping a recording leaves the call up
});
