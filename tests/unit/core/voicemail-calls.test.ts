// Voicemail in the provider-free call handler: which unanswered calls go to voicemail (ring timeout, an
// unanswered leg, a decline) and which do not (a dial to a number, a call already answered), and how a
// recording the provider reports is kept: once, for the user the call rang for, never for another call, with
// a fault of the provider or of storage failing the webhook so the provider sends it again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../core/errors';
import { voicemailTone, wavDurationSeconds, wavFile } from '../../../core/voicemail/wav';
import { ALICE, arrived, BOB, PSTN, setupCallHandler } from './support/call-handler-fixture';

/** `seconds` of 8 kHz 16-bit audio: what a provider hands back. */
const recordingOf = (seconds: number) =>
  wavFile(Buffer.alloc(Math.round(seconds * 16_000), 1), {
    sampleRate: 8000,
    channels: 1,
    bitsPerSample: 16,
    format: 1,
  });

test('a call its user does not answer within 25 s goes to their voicemail; the history still says no answer', async () => {
  const { send, lastAction, history, clock } = await setupCallHandler({ voicemail: new Map() });
  await send(arrived('c-vm', PSTN, ALICE));
  clock.now += 24_000;
  await send({ kind: 'ringing-tick', callId: 'c-vm' });
  assert.deepEqual(lastAction(), { kind: 'keep-ringing', callId: 'c-vm' });
  clock.now += 1_500;
  await send({ kind: 'ringing-tick', callId: 'c-vm' });
  assert.deepEqual(lastAction(), { kind: 'voicemail', callId: 'c-vm', callee: 'alice', step: 'start' });
  const record = await history('alice', 'c-vm');
  assert.deepEqual([record?.state, record?.cause], ['failed', 'no-answer']);
  // The caller hanging up after the message changes nothing in the history.
  await send({ kind: 'call-ended', callId: 'c-vm', cause: 'hangup' });
  assert.equal((await history('alice', 'c-vm'))?.cause, 'no-answer');
});

test('an unanswered leg of a call to a user goes to voicemail; of a dialled number, the call just ends', async () => {
  const { send, lastAction } = await setupCallHandler({ voicemail: new Map() });
  await send(arrived('c-leg', PSTN, ALICE));
  await send({ kind: 'leg-ended', callId: 'c-leg', cause: 'CALL_REJECTED' });
  assert.deepEqual(lastAction(), { kind: 'voicemail', callId: 'c-leg', callee: 'alice', step: 'start' });

  await send(arrived('c-dial', 'anonymous', '(919) 555-0123', { kind: 'user', username: 'bob' }));
  await send({ kind: 'leg-ended', callId: 'c-dial', cause: 'timeout' });
  assert.deepEqual(lastAction(), { kind: 'end-call', callId: 'c-dial' });

  // Answered, then the leg hangs up: a finished call, no voicemail.
  await send(arrived('c-talk', PSTN, BOB));
  await send({ kind: 'leg-answered', callId: 'c-talk' });
  await send({ kind: 'leg-ended', callId: 'c-talk', cause: 'NORMAL_CLEARING' });
  assert.deepEqual(lastAction(), { kind: 'nothing', callId: 'c-talk' });
});

test('a decline sends the caller to voicemail through the provider; its next ring-loop callback answers with it', async () => {
  const { handler, send, ended, diverted, lastAction, history } = await setupCallHandler({ voicemail: new Map() });
  await send(arrived('c-dec', PSTN, ALICE));
  await handler.decline('alice', 'c-dec');
  assert.deepEqual([diverted, ended], [['c-dec'], []]);
  assert.equal((await history('alice', 'c-dec'))?.cause, 'declined');
  await send({ kind: 'ringing-tick', callId: 'c-dec' });
  assert.deepEqual(lastAction(), { kind: 'voicemail', callId: 'c-dec', callee: 'alice', step: 'start' });
});

test("a REST provider's voicemail steps go on only for a call in voicemail", async () => {
  const { send, lastAction, clock } = await setupCallHandler({ voicemail: new Map() });
  await send(arrived('c-live', PSTN, ALICE));
  await send({ kind: 'voicemail-progress', callId: 'c-live', step: 'finish-pressed' });
  assert.deepEqual(lastAction(), { kind: 'nothing', callId: 'c-live' }, 'a # in a ringing call is not ours');
  clock.now += 26_000;
  await send({ kind: 'ringing-tick', callId: 'c-live' });
  await send({ kind: 'voicemail-progress', callId: 'c-live', step: 'greeting-played' });
  assert.deepEqual(lastAction(), { kind: 'voicemail', callId: 'c-live', callee: 'alice', step: 'greeting-played' });
});

test('a recording is kept once, for the user the call rang for, from the caller, with its length', async () => {
  const recordings = new Map<string, Buffer | Error>([['r-1', recordingOf(3.2)]]);
  const { send, clock, voicemails } = await setupCallHandler({ voicemail: recordings });
  await send(arrived('c-msg', PSTN, ALICE));
  clock.now += 26_000;
  await send({ kind: 'ringing-tick', callId: 'c-msg' });
  const leftAt = new Date(clock.now).toISOString();
  await send({ kind: 'recording-ready', callId: 'c-msg', recordingRef: 'r-1' });
  await send({ kind: 'recording-ready', callId: 'c-msg', recordingRef: 'r-1' }); // redelivered
  const messages = await voicemails.list('alice');
  assert.equal(messages.length, 1);
  assert.deepEqual(
    { from: messages[0]?.from, receivedAt: messages[0]?.receivedAt, durationSeconds: messages[0]?.durationSeconds },
    { from: PSTN, receivedAt: leftAt, durationSeconds: 3 },
  );
  assert.deepEqual(await voicemails.list('bob'), []);
});

test('no message is kept for a call that did not go to voicemail, nor for a recording too short to hold one', async () => {
  const recordings = new Map<string, Buffer | Error>([
    ['r-any', recordingOf(5)],
    ['r-short', recordingOf(0.2)],
  ]);
  const { send, clock, voicemails } = await setupCallHandler({ voicemail: recordings });
  await send(arrived('c-ringing', PSTN, ALICE));
  await send({ kind: 'recording-ready', callId: 'c-ringing', recordingRef: 'r-any' });
  await send({ kind: 'recording-ready', callId: 'c-unknown', recordingRef: 'r-any' });
  clock.now += 26_000;
  await send({ kind: 'ringing-tick', callId: 'c-ringing' });
  await send({ kind: 'recording-ready', callId: 'c-ringing', recordingRef: 'r-short' });
  await send({ kind: 'recording-ready', callId: 'c-ringing', recordingRef: 'r-gone' }); // not-found: dropped
  assert.deepEqual(await voicemails.list('alice'), []);
});

test('a provider fault fetching the recording fails the webhook (the provider retries) and keeps nothing; the retry keeps it', async () => {
  const recordings = new Map<string, Buffer | Error>([
    ['r-1', new AppError('provider-unavailable', 'Bandwidth did not answer.')],
  ]);
  const { send, clock, voicemails } = await setupCallHandler({ voicemail: recordings });
  await send(arrived('c-retry', PSTN, ALICE));
  clock.now += 26_000;
  await send({ kind: 'ringing-tick', callId: 'c-retry' });
  await assert.rejects(send({ kind: 'recording-ready', callId: 'c-retry', recordingRef: 'r-1' }), {
    code: 'provider-unavailable',
  });
  assert.deepEqual(await voicemails.list('alice'), []);
  recordings.set('r-1', recordingOf(2));
  await send({ kind: 'recording-ready', callId: 'c-retry', recordingRef: 'r-1' });
  assert.equal((await voicemails.list('alice')).length, 1);
});

test('the tone is a half-second WAV, and a WAV says its own length', () => {
  assert.equal(wavDurationSeconds(voicemailTone()), 0.5);
  assert.equal(wavDurationSeconds(recordingOf(3.25)), 3.25);
  assert.equal(wavDurationSeconds(Buffer.from('not a wave file at all')), undefined);
});
