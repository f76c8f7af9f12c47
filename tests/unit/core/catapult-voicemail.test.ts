// Voicemail on Catapult through the whole core (FakeCatapult): the transfer to a user rings 25 s; when its leg
// ends unanswered the app speaks the greeting, the greeting's `speak` done plays the tone, the tone's `playback`
// done switches recording on (at most 180 s), `#` hangs up, and the `recording` event's file is kept for the
// user. Events of the chain for a call not in voicemail change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_GREETING } from '../../../core/voicemail/greeting';
import { wavFile } from '../../../core/voicemail/wav';
import { single } from '../../support/list-items';
import { catapultPoster, signedLeg } from './support/catapult-events';
import { makeApp } from './support/make-app';
import { testConfig } from './support/test-config';

const PSTN = '+13233326955';
const TONE_URL = `${testConfig().publicBaseUrl}/api/voicemail/tone`;

async function callThatGoesToVoicemail() {
  const ctx = makeApp();
  const alice = (await ctx.app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
  const post = catapultPoster(ctx.app);
  await post({ eventType: 'answer', callId: 'c-vm', from: PSTN, to: alice.number });
  const transfer = single(ctx.catapult.transfers, 'transfer');
  assert.equal(transfer.input.callTimeout, 25, 'the dialpad rings 25 s');
  const leg = signedLeg('c-vm');
  await post(
    { eventType: 'hangup', callId: transfer.newId, from: PSTN, to: alice.sipUri, cause: 'CALL_REJECTED' },
    leg,
  );
  return { ...ctx, post };
}

test('an unanswered transfer to a user starts the voicemail chain: greeting, tone, recording; # hangs up', async () => {
  const { post, catapult } = await callThatGoesToVoicemail();
  assert.deepEqual(catapult.hungUp, [], 'the caller is not hung up on');
  assert.equal(catapult.played.length, 1);
  assert.deepEqual(catapult.played[0], {
    callId: 'c-vm',
    input: { sentence: DEFAULT_GREETING, gender: 'female', locale: 'en_US', tag: 'voicemail-greeting' },
  });
  await post({ eventType: 'speak', callId: 'c-vm', status: 'started', tag: 'voicemail-greeting' });
  assert.equal(catapult.played.length, 1, 'started is not done');
  await post({ eventType: 'speak', callId: 'c-vm', status: 'done', tag: 'voicemail-greeting' });
  assert.deepEqual(catapult.played[1], { callId: 'c-vm', input: { fileUrl: TONE_URL, tag: 'voicemail-tone' } });
  await post({ eventType: 'playback', callId: 'c-vm', status: 'done', tag: 'voicemail-tone' });
  assert.deepEqual(catapult.played[2], {
    callId: 'c-vm',
    input: { recordingEnabled: true, recordingFileFormat: 'wav', recordingMaxDuration: 180 },
  });
  await post({ eventType: 'dtmf', callId: 'c-vm', dtmfDigit: '5' });
  assert.deepEqual(catapult.hungUp, []);
  await post({ eventType: 'dtmf', callId: 'c-vm', dtmfDigit: '#' });
  assert.deepEqual(catapult.hungUp, ['c-vm']);
});

test('the recording event keeps the file for the user', async () => {
  const { post, catapult, app } = await callThatGoesToVoicemail();
  const media = `https://api.catapult.test/v1/users/${catapult.userId}/media/c-vm-1.wav`;
  const audio = wavFile(Buffer.alloc(32_000, 1), { sampleRate: 8000, channels: 1, bitsPerSample: 16, format: 1 });
  catapult.recordings.set('rec-1', { media, bytes: audio });
  await post({ eventType: 'recording', callId: 'c-vm', recordingId: 'rec-1', status: 'complete' });
  const { voicemails, unread } = await app.listVoicemails({ username: 'alice' });
  assert.equal(unread, 1);
  assert.deepEqual([single(voicemails).from, single(voicemails).durationSeconds], [PSTN, 2]);
});

test('voicemail events of a call that is not in voicemail change nothing', async () => {
  const ctx = makeApp();
  const alice = (await ctx.app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
  const post = catapultPoster(ctx.app);
  await post({ eventType: 'answer', callId: 'c-live', from: PSTN, to: alice.number });
  await post({ eventType: 'speak', callId: 'c-live', status: 'done', tag: 'voicemail-greeting' });
  await post({ eventType: 'dtmf', callId: 'c-live', dtmfDigit: '#' });
  await post({ eventType: 'recording', callId: 'c-live', recordingId: 'rec-9', status: 'complete' });
  assert.deepEqual([ctx.catapult.played, ctx.catapult.hungUp, ctx.catapult.count('getRecording')], [[], [], 0]);
});

test('a declined call with the user’s own greeting plays it (fileUrl) instead of speaking', async () => {
  const { catapult, app } = makeApp();
  const alice = (await app.signUp({ username: 'alice', number: '+19195551001' })).session.user;
  const wav = wavFile(Buffer.alloc(16_000, 2), { sampleRate: 8000, channels: 1, bitsPerSample: 16, format: 1 });
  await app.saveGreeting({ username: 'alice' }, wav);
  await catapultPoster(app)({ eventType: 'answer', callId: 'c-own', from: PSTN, to: alice.number });
  await app.declineCall({ username: 'alice' }, 'c-own');
  const played = single(catapult.played, 'greeting');
  assert.ok(
    'fileUrl' in played.input &&
      played.input.fileUrl?.startsWith(`${testConfig().publicBaseUrl}/api/voicemail/greetings/alice?`),
  );
  assert.equal('tag' in played.input && played.input.tag, 'voicemail-greeting');
});
