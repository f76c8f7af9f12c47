// Voicemail on the Bandwidth sandbox: <PlayAudio> fetches a WAV from the app and the caller hears it; <Record>
// captures the caller's real audio (the tone phone's 440 Hz) until the caller hangs up, maxDuration, or a
// terminating digit; recordComplete / recordingAvailable (valid against bandwidth.yml, with CallbackCreds); the
// recordings routes give the metadata and a WAV of the right length that has the caller's signal.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import { mulaw } from 'alawmulaw';
import { AudioMeter } from '../../../../sandbox/phone-network/audio-level';
import { decodeWav, encodeWav, tone } from '../../../../sandbox/media/wav';
import { startBandwidth, type BwHarness, type Provisioned } from './bw-harness';
import { basicOf, poll, startTestApp, type TestApp } from './bw-app';

let h: BwHarness;
let app: TestApp;
let line: Provisioned;
let audio: Server;
let audioUrl: string;
const audioRequests: string[] = [];

before(async () => {
  h = await startBandwidth();
  app = await startTestApp();
  line = await h.provision({
    callbackUrl: `${app.url}/initiate`,
    statusUrl: `${app.url}/status`,
    userId: 'hooks',
    password: 'hook-secret',
  });
  // The app's audio: a 1000 Hz "greeting" (neither the caller's 440 Hz nor SpeakSentence's 660 Hz).
  const greeting = encodeWav(tone(1000, 1500));
  audio = createServer((req, res) => {
    audioRequests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    if (req.url === '/greeting.wav') res.writeHead(200, { 'Content-Type': 'audio/wav' }).end(greeting);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => audio.listen(0, '127.0.0.1', resolve));
  audioUrl = `http://127.0.0.1:${(audio.address() as AddressInfo).port}`;
});
afterEach(() => app.assertAllValid());
after(async () => {
  await h.close();
  await app.close();
  await new Promise<void>((resolve) => audio.close(() => resolve()));
});

const view = async (callId: string) => (await h.control('GET', `/calls/${callId}`)).json;
const callIn = async (from: string) => {
  const reply = await h.control('POST', '/calls/inbound', { from, to: line.number });
  assert.equal(reply.status, 201, reply.text);
  return reply.json.callId as string;
};
const hookOf = (eventType: string, callId: string, timeoutMs = 15_000) =>
  app.waitFor((hook) => hook.body.eventType === eventType && hook.body.callId === callId, timeoutMs);
const seconds = (iso: string) => Number(/^PT([\d.]+)S$/.exec(iso)![1]);

/** Downloads a recording's media as the app will: GET mediaUrl with the account's Bearer token. */
async function download(mediaUrl: string) {
  const response = await fetch(mediaUrl, { headers: { Authorization: `Bearer ${await h.token()}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/**
 * What a listener would hear in the WAV: its length, loud 20 ms frames (the sandbox's audio meter), and the
 * frequency of its middle half (zero crossings), away from the partial frames at either end.
 */
function listen(wav: Buffer) {
  const { samples } = decodeWav(wav);
  const meter = new AudioMeter();
  for (let i = 0; i + 160 <= samples.length; i += 160)
    meter.addPcmu(Buffer.from(mulaw.encode(samples.subarray(i, i + 160))));
  const middle = samples.subarray(Math.floor(samples.length / 4), Math.floor((samples.length * 3) / 4));
  let crossings = 0;
  for (let i = 1; i < middle.length; i += 1) if (middle[i - 1]! < 0 !== middle[i]! < 0) crossings += 1;
  return {
    seconds: samples.length / 8000,
    loudFrames: meter.read().loudFrames,
    middleHz: Math.round(crossings / 2 / (middle.length / 8000)),
  };
}

test('greeting + PlayAudio + Record: the caller hears the file, its 3 s message is recorded with signal', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550201'
      ? `<Response><SpeakSentence>Leave a message</SpeakSentence><PlayAudio>${audioUrl}/greeting.wav</PlayAudio>` +
        '<Record maxDuration="180" terminatingDigits="#" recordingAvailableUrl="/available" tag="vm-1"/><Hangup/></Response>'
      : undefined,
  );
  const callId = await callIn('+19195550201');
  // The file reaches the caller: its meter hears 1000 Hz.
  await poll(
    async () => (Math.abs((await view(callId)).farEnd.audioIn.lastFrequencyHz - 1000) < 60 ? true : undefined),
    10_000,
    'the 1000 Hz greeting at the caller',
  );
  const heardAt = Date.now();
  assert.deepEqual(audioRequests.filter((r) => r.startsWith('/greeting.wav')).length > 0, true);
  // The greeting lasts 1.5 s; the caller then speaks (its 440 Hz tone) for ~3 s and hangs up.
  await new Promise((resolve) => setTimeout(resolve, 1500 + 3000 - (Date.now() - heardAt)));
  assert.equal((await h.control('POST', `/calls/${callId}/hangup`)).status, 200);

  const available = await hookOf('recordingAvailable', callId);
  assert.equal(available.path, '/available');
  assert.equal(available.authorization, basicOf('hooks', 'hook-secret'));
  assert.equal(available.body.status, 'complete');
  assert.equal(available.body.fileFormat, 'wav');
  assert.equal(available.body.tag, 'vm-1');
  assert.match(available.body.recordingId, /^r-/);
  const length = seconds(available.body.duration);
  assert.ok(length > 2 && length < 4.5, `recorded ${length} s`);
  // The caller hung up: no recordComplete (the verb's page), and the document's <Hangup> never ran.
  assert.equal(
    app.hooks.filter((hook) => hook.body.eventType === 'recordComplete' && hook.body.callId === callId).length,
    0,
  );
  assert.equal((await hookOf('disconnect', callId)).body.cause, 'hangup');

  const media = await download(available.body.mediaUrl);
  assert.equal(media.status, 200);
  assert.equal(media.type, 'audio/vnd.wave');
  const heard = listen(media.body);
  assert.ok(Math.abs(heard.seconds - length) < 0.1, `${heard.seconds} s of audio for ${length} s`);
  assert.ok(heard.loudFrames > 80, `only ${heard.loudFrames} loud frames`);
  assert.ok(Math.abs(heard.middleHz - 440) < 40, `the message sounds at ${heard.middleHz} Hz`);

  // Injected faults reach the recordings routes as every Voice route.
  const fault = await h.control('POST', '/faults', {
    family: 'voice',
    path: `/api/v2/accounts/${h.accountId}/calls/${callId}/recordings/*`,
    preset: 'server-error',
  });
  assert.equal(fault.status, 201, fault.text);
  assert.equal((await download(available.body.mediaUrl)).status, 500);
  assert.equal((await download(available.body.mediaUrl)).status, 200);

  const path = `/calls/${callId}/recordings`;
  const list = await h.voice('GET', path);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.json.map((r: { recordingId: string }) => r.recordingId),
    [available.body.recordingId],
  );
  const ofAccount = await h.voice('GET', `/recordings?from=${encodeURIComponent('+19195550201')}`);
  assert.deepEqual(
    ofAccount.json.map((r: { recordingId: string }) => r.recordingId),
    [available.body.recordingId],
  );
  const later = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
  assert.deepEqual((await h.voice('GET', `/recordings?minStartTime=${later}`)).json, []);
  const metadata = await h.voice('GET', `${path}/${available.body.recordingId}`);
  assert.equal(metadata.json.mediaUrl, available.body.mediaUrl);
  assert.equal(metadata.json.duration, available.body.duration);
  assert.equal(metadata.json.status, 'complete');
  assert.equal((await h.voice('DELETE', `${path}/${available.body.recordingId}/media`)).status, 204);
  assert.equal((await download(available.body.mediaUrl)).status, 404);
  assert.equal((await h.voice('DELETE', `${path}/${available.body.recordingId}`)).status, 204);
  assert.equal((await h.voice('GET', `${path}/${available.body.recordingId}`)).status, 404);
  assert.equal((await h.voice('GET', `/calls/c-unknown/recordings`)).status, 404);
});

test('maxDuration cuts the recording; recordComplete comes first and its BXML runs, then recordingAvailable', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550202'
      ? '<Response><SpeakSentence>Hi</SpeakSentence>' +
        '<Record maxDuration="2" recordCompleteUrl="/complete" recordingAvailableUrl="/available"/></Response>'
      : undefined,
  );
  app.on('/complete', (hook) =>
    hook.body.from === '+19195550202'
      ? '<Response><SpeakSentence>Thanks</SpeakSentence><Hangup/></Response>'
      : undefined,
  );
  const callId = await callIn('+19195550202');
  const complete = await hookOf('recordComplete', callId);
  assert.equal(complete.authorization, basicOf('hooks', 'hook-secret'));
  assert.ok(Math.abs(seconds(complete.body.duration) - 2) < 0.2, complete.body.duration);
  const available = await hookOf('recordingAvailable', callId);
  assert.equal(available.body.recordingId, complete.body.recordingId);
  assert.ok(app.hooks.indexOf(complete) < app.hooks.indexOf(available));
  const disconnect = await hookOf('disconnect', callId);
  assert.equal(disconnect.body.cause, 'hangup');
  // The caller heard "Thanks" (660 Hz) after the recording: the recordComplete BXML ran.
  assert.ok(Math.abs((await view(callId)).farEnd.audioIn.lastFrequencyHz - 660) < 40);
  const heard = listen((await download(available.body.mediaUrl)).body);
  assert.ok(Math.abs(heard.seconds - 2) < 0.1 && heard.loudFrames > 80, JSON.stringify(heard));
  assert.ok(Math.abs(heard.middleHz - 440) < 40, JSON.stringify(heard));
});

test('a terminating digit ends the recording and the document goes on; an unreachable PlayAudio plays nothing', async () => {
  app.on('/initiate', (hook) =>
    hook.body.from === '+19195550203'
      ? '<Response><PlayAudio>http://127.0.0.1:9/missing.wav</PlayAudio><PlayAudio>' +
        `${audioUrl}/nothing-here.wav</PlayAudio>` +
        '<Record maxDuration="60" terminatingDigits="#*" recordingAvailableUrl="/available"/>' +
        '<SpeakSentence>Bye</SpeakSentence></Response>'
      : undefined,
  );
  const callId = await callIn('+19195550203');
  await poll(
    async () => ((await view(callId)).mediaErrors.length === 2 ? true : undefined),
    15_000,
    'two media errors',
  );
  const errors: string[] = (await view(callId)).mediaErrors;
  assert.match(errors[0]!, /missing\.wav failed/);
  assert.match(errors[1]!, /nothing-here\.wav answered 404/);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await h.control('POST', `/calls/${callId}/dtmf`, { digits: '12' })).status, 200); // not terminating
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await h.control('POST', `/calls/${callId}/dtmf`, { digits: '#' })).status, 200);
  const available = await hookOf('recordingAvailable', callId);
  const length = seconds(available.body.duration);
  assert.ok(length > 1.3 && length < 3, `recorded ${length} s`);
  assert.equal((await hookOf('disconnect', callId)).body.cause, 'hangup');
  assert.equal((await h.control('POST', `/calls/${callId}/dtmf`, { digits: '#' })).status, 409);
  assert.equal((await h.control('POST', `/calls/${callId}/dtmf`, { digits: 'x' })).status, 400);
});
