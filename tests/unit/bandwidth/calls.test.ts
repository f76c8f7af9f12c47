// Carrying out call actions on Bandwidth: the BXML each answers with (golden documents, read back by the
// sandbox's BXML reader), the notifications to the callee's dialpads (incoming-call with a pickup token that
// verifies, call-ended whenever a parked call stops ringing), no second notification for a redelivered callback,
// and nothing thrown on the call path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallNotification } from '../../../core/api-types';
import { verifyCallToken } from '../../../core/auth/call-tokens';
import { signCallMarker } from '../../../core/crypto/call-marker-signature';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { noopLogger, type Logger } from '../../../core/log';
import type { UserNotifier } from '../../../core/notifications/user-notifier';
import type { CallAction } from '../../../core/provider/app-events';
import { createBandwidthCalls } from '../../../core/providers/bandwidth/calls';
import { VoiceApiError, type BandwidthVoiceApi } from '../../../core/providers/bandwidth/voice-api';
import { DEFAULT_GREETING } from '../../../core/voicemail/greeting';
import { parseBxml } from '../../../sandbox/bandwidth/voice/bxml';
import { ALICE, DIALPAD, PARKED, PSTN } from './callbacks';

const keys = deriveKeys('an-app-secret-that-is-long-enough-0123456789');
const NOW = Date.parse('2026-11-26T10:00:00Z');
const BASE = 'https://app.example.com';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const BOB = '+19195551002';

function setup(
  options: {
    failSends?: boolean;
    endStatus?: number;
    ringTimeoutMs?: number;
    redirectStatus?: number;
    downloadStatus?: number;
  } = {},
) {
  const sent: Array<{ username: string; message: CallNotification }> = [];
  const errors: string[] = [];
  const ended: string[] = [];
  const redirected: Array<{ callId: string; url: string }> = [];
  const downloads: string[] = [];
  const notifier: UserNotifier = {
    async send(username, message) {
      if (options.failSends) throw new Error('Web PubSub is down');
      sent.push({ username, message });
    },
    async clientAccess() {
      throw new Error('not used');
    },
  };
  const voiceApi: BandwidthVoiceApi = {
    async getCall() {
      throw new Error('not used');
    },
    async completeCall(callId) {
      ended.push(callId);
      if (options.endStatus) throw new VoiceApiError(options.endStatus, 'POST', `/calls/${callId}`, 'x', 'failed');
    },
    async redirectCall(callId, redirect) {
      redirected.push({ callId, url: redirect.redirectUrl });
      if (options.redirectStatus)
        throw new VoiceApiError(options.redirectStatus, 'POST', `/calls/${callId}`, 'x', 'failed');
    },
    async downloadRecording(callId, recordingId) {
      downloads.push(`${callId}/${recordingId}`);
      if (options.downloadStatus)
        throw new VoiceApiError(options.downloadStatus, 'GET', `/calls/${callId}/recordings`, 'x', 'failed');
      return { audio: Buffer.from('RIFF'), contentType: 'audio/vnd.wave' };
    },
  };
  const logger: Logger = { ...noopLogger, error: (message) => errors.push(message) };
  const calls = createBandwidthCalls({
    voiceApi,
    notifier,
    callTokenKeys: keys,
    publicBaseUrl: BASE,
    webhookSigningKey: keys.webhookSigningKey,
    ringTimeoutMs: options.ringTimeoutMs,
    logger,
    now: () => NOW,
  });
  const carry = async (action: CallAction) => {
    const done = await calls.carryOut(action);
    await done.settle;
    return done;
  };
  return { calls, carry, sent, errors, ended, redirected, downloads };
}

const connect = (first: boolean, caller?: { username: string; number: string }): CallAction => ({
  kind: 'route',
  callId: PARKED,
  decision: {
    action: 'connect',
    user: { username: 'alice', number: ALICE },
    callerId: caller?.number ?? PSTN,
    ...(caller ? { caller } : {}),
    history: [],
  },
  callee: { username: 'alice', number: ALICE },
  first,
});

/** The call a callback URL names, and the app's signature over it. */
const marker = (callId: string) => `callId=${callId}&amp;sig=${signCallMarker(keys.webhookSigningKey, callId)}`;
const PARK = `${DECL}<Response><Ring duration="5"/><Redirect redirectUrl="${BASE}/api/bandwidth/callbacks/ringing?${marker(PARKED)}"/></Response>`;

test('a call to a user parks the caller (ring, then the ring loop) and tells the user’s dialpads, once', async () => {
  const { carry, sent } = setup();
  const done = await carry(connect(true));
  assert.deepEqual(done.reply, { contentType: 'application/xml', body: PARK });
  assert.deepEqual(parseBxml(done.reply.body), [
    { verb: 'Ring', durationS: 5, answerCall: true },
    {
      verb: 'Redirect',
      callback: {
        url: `${BASE}/api/bandwidth/callbacks/ringing?${marker(PARKED).replace('&amp;', '&')}`,
        method: 'POST',
      },
    },
  ]);
  assert.equal(sent.length, 1);
  const { username, message } = sent[0]!;
  assert.equal(username, 'alice');
  assert.ok(message.type === 'incoming-call');
  assert.deepEqual(
    { ...message, pickupToken: '…' },
    {
      type: 'incoming-call',
      callId: PARKED,
      from: PSTN,
      pickupToken: '…',
      expiresAt: new Date(NOW + 25_000).toISOString(),
    },
  );
  assert.deepEqual(verifyCallToken(keys, message.pickupToken, NOW + 24_000), {
    valid: true,
    purpose: 'pickup',
    username: 'alice',
    parkedCallId: PARKED,
  });

  const again = await carry(connect(false));
  assert.deepEqual(again.reply, done.reply, 'a redelivered initiate gets the same answer');
  assert.equal(sent.length, 1, '…and no second notification');
});

test('a call between two users is the same park, showing the calling user’s number and name', async () => {
  const { carry, sent } = setup();
  const done = await carry(connect(true, { username: 'bob', number: BOB }));
  assert.equal(done.reply.body, PARK);
  const message = sent[0]?.message;
  assert.ok(message?.type === 'incoming-call');
  assert.equal(message.from, BOB);
  assert.equal(message.fromUsername, 'bob');
});

test('a shorter ring limit rings in shorter steps; the dialpad rings until the limit', async () => {
  const { carry, sent } = setup({ ringTimeoutMs: 3000 });
  const done = await carry(connect(true));
  assert.match(done.reply.body!, /<Ring duration="0.6"\/>/);
  const message = sent[0]?.message;
  assert.ok(message?.type === 'incoming-call');
  assert.equal(message.expiresAt, new Date(NOW + 3000).toISOString());
});

test('dial: a Transfer to the number with the user’s number as caller id and the transfer callbacks', async () => {
  const { carry, sent } = setup();
  const url = `${BASE}/api/bandwidth/callbacks/transfer?${marker(DIALPAD)}`;
  const done = await carry({
    kind: 'route',
    callId: DIALPAD,
    decision: {
      action: 'dial',
      number: '+19195550100',
      callerId: ALICE,
      caller: { username: 'alice', number: ALICE },
      history: [],
    },
    first: true,
  });
  assert.equal(
    done.reply.body,
    `${DECL}<Response><Transfer transferCallerId="${ALICE}" callTimeout="30" transferCompleteUrl="${url}">` +
      `<PhoneNumber transferAnswerUrl="${url}">+19195550100</PhoneNumber></Transfer></Response>`,
  );
  assert.equal(sent.length, 0);
});

test('refuse and end-call hang up; a parked call that stops ringing (any way) tells its callee’s dialpads', async () => {
  const { carry, sent } = setup();
  const hangup = `${DECL}<Response><Hangup/></Response>`;
  const refused = await carry({
    kind: 'route',
    callId: DIALPAD,
    decision: { action: 'refuse', reason: 'invalid-caller-token', history: [] },
    first: true,
  });
  assert.equal(refused.reply.body, hangup);
  assert.equal((await carry({ kind: 'end-call', callId: DIALPAD })).reply.body, hangup);
  assert.equal(sent.length, 0, 'nobody to tell');

  assert.equal((await carry({ kind: 'end-call', callId: PARKED, callee: 'alice' })).reply.body, hangup);
  assert.deepEqual((await carry({ kind: 'ended', callId: PARKED, callee: 'alice' })).reply, {});
  const bridged = await carry({ kind: 'bridge', callId: DIALPAD, parkedCallId: PARKED, callee: 'alice' });
  assert.equal(bridged.reply.body, `${DECL}<Response><Bridge>${PARKED}</Bridge></Response>`);
  assert.deepEqual(
    sent.map((s) => [s.username, s.message]),
    Array.from({ length: 3 }, () => ['alice', { type: 'call-ended', callId: PARKED }]),
  );
  assert.equal((await carry({ kind: 'keep-ringing', callId: PARKED })).reply.body, PARK);
  assert.deepEqual((await carry({ kind: 'nothing', callId: PARKED })).reply, {});
});

test('a notification that cannot be sent is logged, never thrown: the call is still parked', async () => {
  const { carry, errors } = setup({ failSends: true });
  const done = await carry(connect(true));
  assert.equal(done.reply.body, PARK);
  assert.equal(done.failed, undefined);
  await carry({ kind: 'ended', callId: PARKED, callee: 'alice' });
  assert.equal(errors.length, 2);
});

test('something that cannot be written is answered with a hang-up and reported as failed, not thrown', async () => {
  const { calls } = setup();
  const done = await calls.carryOut({
    kind: 'route',
    callId: DIALPAD,
    decision: {
      action: 'dial',
      number: '+19195550100',
      callerId: 'bad\u0000id',
      caller: { username: 'alice', number: ALICE },
      history: [],
    },
    first: true,
  });
  assert.equal(done.reply.body, `${DECL}<Response><Hangup/></Response>`);
  assert.equal(done.failed, 'provider-error');
});

test('end: the Voice API hangs the call up; a call already gone is fine; other failures are logged only', async () => {
  const ok = setup();
  await ok.calls.end(PARKED);
  assert.deepEqual(ok.ended, [PARKED]);
  for (const status of [404, 409]) {
    const gone = setup({ endStatus: status });
    await gone.calls.end(PARKED);
    assert.deepEqual(gone.errors, []);
  }
  const failing = setup({ endStatus: 503 });
  await failing.calls.end(PARKED);
  assert.equal(failing.errors.length, 1);
});

test('voicemail: one document says the greeting, plays the app’s tone, records at most 180 s until # (its callback URL names the call), then hangs up; the ring stops', async () => {
  const { carry, sent } = setup();
  const done = await carry({ kind: 'voicemail', callId: PARKED, callee: 'alice', step: 'start' });
  const recordingUrl = `${BASE}/api/bandwidth/callbacks/recording?${marker(PARKED)}`;
  assert.equal(
    done.reply.body,
    `${DECL}<Response><SpeakSentence>${DEFAULT_GREETING}</SpeakSentence>` +
      `<PlayAudio>${BASE}/api/voicemail/tone</PlayAudio>` +
      `<Record maxDuration="180" terminatingDigits="#" recordingAvailableUrl="${recordingUrl}" recordingAvailableMethod="POST" fileFormat="wav"/>` +
      `<Hangup/></Response>`,
  );
  assert.deepEqual(
    parseBxml(done.reply.body).map((verb) => verb.verb),
    ['SpeakSentence', 'PlayAudio', 'Record', 'Hangup'],
    'the sandbox reads every verb (none skipped)',
  );
  assert.deepEqual(sent, [{ username: 'alice', message: { type: 'call-ended', callId: PARKED } }]);
  // The later steps are a REST provider's: nothing to answer here.
  assert.deepEqual(
    (await carry({ kind: 'voicemail', callId: PARKED, callee: 'alice', step: 'tone-played' })).reply,
    {},
  );
});

test('a decline diverts the parked call with a redirect to its ring loop; a redirect that fails says so and stops the ring', async () => {
  const ok = setup();
  assert.equal(await ok.calls.divertToVoicemail(PARKED, 'alice'), true);
  assert.deepEqual(ok.redirected, [
    { callId: PARKED, url: `${BASE}/api/bandwidth/callbacks/ringing?${marker(PARKED).replace('&amp;', '&')}` },
  ]);
  const failing = setup({ redirectStatus: 404 });
  assert.equal(await failing.calls.divertToVoicemail(PARKED, 'alice'), false);
  assert.deepEqual(failing.sent, [{ username: 'alice', message: { type: 'call-ended', callId: PARKED } }]);
});

test('a recording is downloaded by its id; a missing one is not-found, a fault is a provider error, a bad id never asks', async () => {
  const ok = setup();
  assert.deepEqual(await ok.calls.fetchRecording(PARKED, 'r-0c8a7d3e-1f'), {
    audio: Buffer.from('RIFF'),
    contentType: 'audio/vnd.wave',
  });
  assert.deepEqual(ok.downloads, [`${PARKED}/r-0c8a7d3e-1f`]);
  await assert.rejects(setup({ downloadStatus: 404 }).calls.fetchRecording(PARKED, 'r-1'), { code: 'not-found' });
  await assert.rejects(setup({ downloadStatus: 503 }).calls.fetchRecording(PARKED, 'r-1'), {
    code: 'provider-unavailable',
  });
  const refused = setup();
  await assert.rejects(refused.calls.fetchRecording(PARKED, '../../calls'), { code: 'not-found' });
  assert.deepEqual(refused.downloads, []);
});

test('voicemail with the user’s own greeting plays it from the app’s link instead of speaking the default', async () => {
  const { carry } = setup();
  const greetingUrl = `${BASE}/api/voicemail/greetings/alice?expires=1&sig=s`;
  const done = await carry({ kind: 'voicemail', callId: PARKED, callee: 'alice', step: 'start', greetingUrl });
  assert.match(
    done.reply.body!,
    new RegExp(
      `^${DECL.replace(/[.?]/g, '\\$&')}<Response><PlayAudio>${greetingUrl.replace(/[.?]/g, '\\$&').replace('&', '&amp;')}</PlayAudio><PlayAudio>`,
    ),
  );
  assert.doesNotMatch(done.reply.body!, /SpeakSentence/);
});
