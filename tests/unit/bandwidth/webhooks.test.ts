// Reading Bandwidth callbacks (each one valid against bandwidth.yml) into the app's events: credentials first,
// the application, capped and checked fields, and who is calling on an `initiate`: an outside caller, a dialpad
// proven by its caller token, a pickup, or a dialpad whose token is missing, forged, expired or of the wrong kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signCallerToken, signPickupToken, uuiHeaderValue } from '../../../core/auth/call-tokens';
import { signCallMarker } from '../../../core/crypto/call-marker-signature';
import { deriveKeys } from '../../../core/crypto/derive-keys';
import { isAppError } from '../../../core/errors';
import { noopLogger, type Logger } from '../../../core/log';
import type { IncomingWebhook } from '../../../core/provider/app-events';
import { createBandwidthWebhooks } from '../../../core/providers/bandwidth/webhooks';
import {
  ALICE,
  APPLICATION_ID,
  bridgeComplete,
  DIALPAD,
  disconnect,
  IN_APP_NUMBER,
  initiate,
  LEG,
  PARKED,
  PSTN,
  redirectCallback,
  transferAnswer,
  transferComplete,
  transferDisconnect,
  recordingAvailable,
} from './callbacks';

const keys = deriveKeys('an-app-secret-that-is-long-enough-0123456789');
const otherKeys = deriveKeys('another-app-secret-that-is-long-enough-98765');
const NOW = Date.parse('2026-11-26T10:00:00Z');
const USER = 'vra';
const PASSWORD = keys.webhookPassword;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const code = (expected: string) => (e: unknown) => isAppError(e) && e.code === expected;
/** The query of a callback URL naming `callId`, as the app writes it (signed). */
const marked = (callId: string): Record<string, string> => ({
  callId,
  sig: signCallMarker(keys.webhookSigningKey, callId),
});

function webhooks(options: { knownApplication?: string; inAppNumbers?: string[]; logger?: Logger } = {}) {
  let resourceReads = 0;
  const reader = createBandwidthWebhooks({
    webhookUsername: USER,
    webhookPassword: PASSWORD,
    webhookSigningKey: keys.webhookSigningKey,
    callTokenKeys: keys,
    knownResources: async () => {
      resourceReads++;
      return { applicationId: options.knownApplication ?? APPLICATION_ID };
    },
    inAppNumbers: options.inAppNumbers ?? [IN_APP_NUMBER],
    logger: options.logger ?? noopLogger,
    now: () => NOW,
  });
  const read = (body: unknown, query: Record<string, string> = {}, authorization = basic(USER, PASSWORD)) =>
    reader.read({ route: 'bandwidth', authorization, query, body } satisfies IncomingWebhook);
  return { read, resourceReads: () => resourceReads };
}

test('credentials are checked before the body: wrong, missing or another user name → webhook-unauthorized', async () => {
  const { read, resourceReads } = webhooks();
  for (const authorization of [basic(USER, 'wrong'), basic('catapult', PASSWORD), '', `Bearer ${PASSWORD}`]) {
    await assert.rejects(read('not even an object', {}, authorization), code('webhook-unauthorized'));
  }
  assert.equal(resourceReads(), 0, 'nothing else was looked at');
  const reader = createBandwidthWebhooks({
    webhookUsername: USER,
    webhookPassword: PASSWORD,
    webhookSigningKey: keys.webhookSigningKey,
    callTokenKeys: keys,
    knownResources: async () => undefined,
    inAppNumbers: [IN_APP_NUMBER],
    logger: noopLogger,
    now: () => NOW,
  });
  await assert.rejects(
    reader.read({ route: 'catapult', authorization: basic(USER, PASSWORD), query: {}, body: {} }),
    code('not-found'),
  );
});

test('malformed bodies and fields: not an object, no eventType, bad call ids, over-long fields → invalid-json', async () => {
  const { read } = webhooks();
  const valid = initiate(PARKED, PSTN, ALICE);
  for (const body of [
    'not a JSON object',
    [],
    null,
    { ...valid, eventType: undefined },
    { ...valid, callId: '../calls/x' },
    { ...valid, callId: 'c-'.padEnd(120, 'x') },
    { ...valid, from: 42 },
    { ...valid, from: `+1${'9'.repeat(80)}` },
    { ...valid, uui: 'x'.repeat(600) },
    { ...valid, eventType: 'e'.repeat(60) },
  ]) {
    await assert.rejects(read(body), code('invalid-json'), JSON.stringify(body).slice(0, 80));
  }
});

test('a callback for another application is refused; one for ours is read', async () => {
  await assert.rejects(
    webhooks({ knownApplication: 'another-app' }).read(initiate(PARKED, PSTN, ALICE)),
    code('webhook-unauthorized'),
  );
  const { read } = webhooks();
  assert.equal((await read(initiate(PARKED, PSTN, ALICE))).kind, 'call-arrived');
});

test('initiate from an outside phone: a call from its number, no caller identity (a uui in another encoding is the network’s)', async () => {
  const { read } = webhooks();
  assert.deepEqual(await read(initiate(PARKED, PSTN, ALICE)), {
    kind: 'call-arrived',
    callId: PARKED,
    from: PSTN,
    to: ALICE,
  });
  assert.deepEqual(await read(initiate(PARKED, PSTN, ALICE, '00ff;encoding=hex')), {
    kind: 'call-arrived',
    callId: PARKED,
    from: PSTN,
    to: ALICE,
  });
});

test('initiate with a caller token: the verified user calls, whatever `from` says', async () => {
  const { read } = webhooks();
  const token = signCallerToken(keys, 'bob', NOW - 60_000).token;
  for (const uui of [uuiHeaderValue(token), token]) {
    assert.deepEqual(await read(initiate(DIALPAD, ALICE, '+19195550100', uui)), {
      kind: 'call-arrived',
      callId: DIALPAD,
      from: ALICE,
      to: '+19195550100',
      caller: { kind: 'user', username: 'bob' },
    });
  }
});

test('initiate with a pickup token: a pickup of the parked call for the user it was signed for', async () => {
  const { read } = webhooks();
  const token = signPickupToken(keys, 'alice', PARKED, NOW - 5_000).token;
  assert.deepEqual(await read(initiate(DIALPAD, IN_APP_NUMBER, ALICE, uuiHeaderValue(token))), {
    kind: 'pickup',
    callId: DIALPAD,
    parkedCallId: PARKED,
    username: 'alice',
  });
});

test('a dialpad call whose token is forged, expired, tampered or missing is a refused caller, and is logged', async () => {
  const warnings: Array<Record<string, unknown> | undefined> = [];
  const logger: Logger = { ...noopLogger, warn: (_message, fields) => warnings.push(fields) };
  const { read } = webhooks({ logger });
  const forged = signCallerToken(otherKeys, 'bob', NOW).token;
  const expired = signCallerToken(keys, 'bob', NOW - 11 * 60_000).token;
  const valid = signCallerToken(keys, 'bob', NOW).token;
  const [header, , signature] = valid.split('.');
  const claims = Buffer.from(JSON.stringify({ sub: 'alice', pur: 'call', exp: NOW / 1000 + 60 })).toString('base64url');
  const tampered = `${header}.${claims}.${signature}`;
  const cases: Array<[string | undefined, string, string]> = [
    [uuiHeaderValue(forged), ALICE, 'bad-signature'],
    [uuiHeaderValue(expired), IN_APP_NUMBER, 'expired'],
    [uuiHeaderValue(tampered), IN_APP_NUMBER, 'bad-signature'],
    ['garbage;encoding=jwt', IN_APP_NUMBER, 'malformed'],
    [undefined, IN_APP_NUMBER, 'missing'],
  ];
  for (const [uui, from, reason] of cases) {
    assert.deepEqual(await read(initiate(DIALPAD, from, ALICE, uui)), {
      kind: 'call-arrived',
      callId: DIALPAD,
      from,
      to: ALICE,
      caller: { kind: 'invalid', reason },
    });
  }
  assert.deepEqual(
    warnings.map((w) => w?.reason),
    cases.map(([, , reason]) => reason),
  );
  // Without the In-App number configured, a token-less call is an outside caller (rule 2 needs the number).
  const unconfigured = webhooks({ inAppNumbers: [] });
  assert.equal(
    ((await unconfigured.read(initiate(DIALPAD, IN_APP_NUMBER, ALICE))) as { caller?: unknown }).caller,
    undefined,
  );
});

test('the ring loop, transfer callbacks and hang-ups, with the call named (and signed) in the URL where the body cannot', async () => {
  const { read } = webhooks();
  assert.deepEqual(await read(redirectCallback(PARKED), marked(PARKED)), { kind: 'ringing-tick', callId: PARKED });
  await assert.rejects(read(redirectCallback(PARKED), marked(DIALPAD)), code('invalid-json'));

  assert.deepEqual(await read(transferAnswer(LEG), marked(DIALPAD)), {
    kind: 'leg-answered',
    callId: DIALPAD,
    legId: LEG,
  });
  assert.deepEqual(await read(transferComplete(DIALPAD, 'timeout'), marked(DIALPAD)), {
    kind: 'leg-ended',
    callId: DIALPAD,
    cause: 'timeout',
  });
  for (const query of [{}, { callId: 'not a call id!' }] as Array<Record<string, string>>) {
    await assert.rejects(read(transferAnswer(LEG), query), code('invalid-json'));
    await assert.rejects(read(redirectCallback(PARKED), query), code('invalid-json'));
  }
  assert.deepEqual(await read(disconnect(PARKED, 'hangup')), { kind: 'call-ended', callId: PARKED, cause: 'hangup' });
  assert.deepEqual(await read({ ...disconnect(PARKED, 'hangup'), cause: undefined }), {
    kind: 'call-ended',
    callId: PARKED,
    cause: 'hangup',
  });
  assert.deepEqual(await read(transferDisconnect(LEG, DIALPAD), marked(DIALPAD)), { kind: 'ignored', callId: LEG });
  assert.deepEqual(await read(bridgeComplete(DIALPAD)), { kind: 'ignored', callId: DIALPAD });
});

test('the CallbackCreds alone cannot speak for a call: a marker without the app’s signature is refused', async () => {
  const { read } = webhooks();
  const forged: Array<Record<string, string>> = [
    { callId: DIALPAD }, // no signature
    { callId: DIALPAD, sig: signCallMarker(otherKeys.webhookSigningKey, DIALPAD) }, // another app's key
    { callId: DIALPAD, sig: marked(PARKED).sig! }, // signed for another call
    { callId: DIALPAD, sig: `${marked(DIALPAD).sig!}x` },
  ];
  for (const query of forged) {
    await assert.rejects(read(transferComplete(DIALPAD, 'hangup'), query), code('webhook-unauthorized'));
    await assert.rejects(read(transferAnswer(LEG), query), code('webhook-unauthorized'));
    await assert.rejects(read(redirectCallback(DIALPAD), query), code('webhook-unauthorized'));
  }
});

test('recordingAvailable of a voicemail: recording-ready for the call its URL names (signed); an unusable one is ignored', async () => {
  const { read } = webhooks();
  assert.deepEqual(await read(recordingAvailable(PARKED, 'r-5b1f'), marked(PARKED)), {
    kind: 'recording-ready',
    callId: PARKED,
    recordingRef: 'r-5b1f',
  });
  assert.deepEqual(await read(recordingAvailable(PARKED, 'r-5b1f', 'partial'), marked(PARKED)), {
    kind: 'recording-ready',
    callId: PARKED,
    recordingRef: 'r-5b1f',
  });
  assert.deepEqual(await read(recordingAvailable(PARKED, 'r-5b1f', 'error'), marked(PARKED)), {
    kind: 'ignored',
    callId: PARKED,
  });
  await assert.rejects(read(recordingAvailable(PARKED, 'r-5b1f'), marked(DIALPAD)), code('invalid-json'));
  await assert.rejects(read(recordingAvailable(PARKED, 'r-5b1f'), { callId: PARKED }), code('webhook-unauthorized'));
  await assert.rejects(read(recordingAvailable(PARKED, '../media'), marked(PARKED)), code('invalid-json'));
});
