// The callback bodies the Bandwidth sandbox builds, each validated against its bandwidth.yml schema, and the
// validator in tests/support itself: it must reject what the spec rejects (and misspelt fields), and validate
// Voice API request bodies (which app tests use to check what the app sends) and the Voice API's answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegMedia } from '../../../../sandbox/media/leg-media';
import type { BwCall } from '../../../../sandbox/bandwidth/voice/bw-call';
import { callbackPayload, type EventType } from '../../../../sandbox/bandwidth/voice/payloads';
import {
  assertCallback,
  validateCallback,
  validateVoiceRequest,
  validateVoiceResponse,
} from '../../../support/bandwidth-openapi';

function call(overrides: Partial<BwCall> = {}): BwCall {
  return {
    id: 'c-1',
    direction: 'inbound',
    from: '+19195550100',
    to: '+19195551234',
    origin: 'phone',
    app: { applicationId: 'app-1', initiate: { url: 'https://app.example/i', method: 'POST' } },
    state: 'answered',
    startTime: Date.parse('2026-01-01T00:00:00Z'),
    answerTime: Date.parse('2026-01-01T00:00:01Z'),
    party: { kind: 'callee' },
    media: undefined as unknown as LegMedia,
    generation: 0,
    wakers: new Set(),
    callbacks: [],
    skippedVerbs: [],
    mediaErrors: [],
    queue: Promise.resolve(),
    ...overrides,
  };
}

const ctx = { accountId: '9900000', voiceUrl: 'http://127.0.0.1:1', now: Date.parse('2026-01-01T00:00:05Z') };

test('every callback the sandbox sends matches its schema in bandwidth.yml', () => {
  const a = call({ uui: 'dG9rZW4;encoding=base64', tag: 'park' });
  const b = call({
    id: 'c-2',
    direction: 'outbound',
    parentCallId: 'c-1',
    from: '+19195551234',
    to: '+19195550199',
    endTime: ctx.now,
    cause: 'busy',
  });
  const sent: Array<[EventType, BwCall, Parameters<typeof callbackPayload>[3]]> = [
    ['initiate', call({ state: 'initiated', answerTime: undefined, uui: 'dG9rZW4;encoding=base64' }), {}],
    ['answer', call({ direction: 'outbound' }), {}],
    ['redirect', a, {}],
    ['redirect', b, {}],
    [
      'disconnect',
      call({ endTime: ctx.now, cause: 'invalid-bxml', errorMessage: 'Invalid BXML: unknown verb <Dance>' }),
      {},
    ],
    ['transferAnswer', b, {}],
    ['transferDisconnect', b, {}],
    ['transferComplete', a, { cause: 'busy', transferOf: b }],
    ['bridgeComplete', a, { cause: 'hangup' }],
    ['bridgeTargetComplete', a, { cause: 'hangup' }],
  ];
  for (const [eventType, subject, extra] of sent) assertCallback(callbackPayload(eventType, subject, ctx, extra));
  const initiate = callbackPayload('initiate', call({ uui: 'x;encoding=base64' }), ctx);
  assert.equal(initiate.uui, 'x;encoding=base64');
  assert.equal(initiate.answerTime, undefined, 'initiate has no answerTime in its schema');
});

test('the validator rejects wrong types, bad enums and fields the schema does not declare', () => {
  const good = callbackPayload('disconnect', call({ endTime: ctx.now, cause: 'hangup' }), ctx);
  assert.equal(validateCallback('disconnectCallback', good).valid, true);
  assert.equal(validateCallback('disconnectCallback', { ...good, direction: 'sideways' }).valid, false);
  assert.equal(validateCallback('disconnectCallback', { ...good, startTime: 'yesterday' }).valid, false);
  assert.equal(validateCallback('disconnectCallback', { ...good, callUrl: 42 }).valid, false);
  const misspelt = validateCallback('disconnectCallback', { ...good, casue: 'hangup' });
  assert.equal(misspelt.valid, false);
  assert.match(misspelt.errors.join(), /casue/);
  assert.throws(() => validateCallback('noSuchCallback', {}), /no schema/);
});

test('Voice API requests: updateCall and createCall bodies against their operations', () => {
  assert.equal(validateVoiceRequest('POST', '/api/v2/accounts/9900000/calls/c-1', { state: 'completed' }).valid, true);
  assert.equal(
    validateVoiceRequest('POST', '/accounts/9900000/calls/c-1', { state: 'active', redirectUrl: 'https://a.example/r' })
      .valid,
    true,
  );
  assert.equal(validateVoiceRequest('POST', '/api/v2/accounts/9900000/calls/c-1', { state: 'hungup' }).valid, false);
  assert.equal(
    validateVoiceRequest('POST', '/api/v2/accounts/9900000/calls/c-1', { state: 'active', redirectUrl: 'not a url' })
      .valid,
    false,
  );
  assert.equal(
    validateVoiceRequest('POST', '/api/v2/accounts/9900000/calls', { from: '+19195550100', to: '+19195551234' }).valid,
    false,
    'createCall needs answerUrl and applicationId',
  );
  assert.equal(
    validateVoiceRequest('POST', '/api/v2/accounts/9900000/calls', {
      from: '+19195550100',
      to: '+19195551234',
      applicationId: 'a',
      answerUrl: 'https://a.example/x',
    }).valid,
    true,
  );
  assert.equal(validateVoiceRequest('PUT', '/api/v2/accounts/9900000/calls/c-1/bxml', '<Bxml/>').valid, true);
  assert.equal(validateVoiceRequest('GET', '/api/v2/accounts/9900000/nowhere', undefined).valid, false);
});

test('Voice API answers: declared statuses only, each body against its response schema', () => {
  const created = {
    accountId: '9900000',
    applicationId: 'app-1',
    callId: 'c-1',
    callUrl: 'http://127.0.0.1:1/api/v2/accounts/9900000/calls/c-1',
    from: '+19195550100',
    to: '+19195551234',
    answerUrl: 'https://a.example/answer',
    answerMethod: 'POST',
    disconnectMethod: 'POST',
  };
  const calls = '/api/v2/accounts/9900000/calls';
  assert.equal(validateVoiceResponse('POST', calls, 201, created).valid, true);
  assert.equal(validateVoiceResponse('POST', calls, 201, { ...created, callId: undefined }).valid, false);
  assert.equal(validateVoiceResponse('POST', calls, 201, { ...created, callID: 'c-1' }).valid, false);
  assert.equal(validateVoiceResponse('POST', calls, 202, created).valid, false, 'an undeclared status');
  const error = { type: 'validation', description: 'bad', id: null };
  assert.equal(validateVoiceResponse('POST', calls, 400, error).valid, true);
  assert.equal(validateVoiceResponse('POST', calls, 429, { ...error, type: 'max-rate-exceeded' }).valid, true);
  assert.equal(validateVoiceResponse('POST', calls, 400, { ...error, code: 7 }).valid, false);
  const state = { callId: 'c-1', state: 'disconnected', direction: 'inbound', disconnectCause: 'hangup' };
  assert.equal(validateVoiceResponse('GET', `${calls}/c-1`, 200, state).valid, true);
  assert.equal(validateVoiceResponse('GET', `${calls}/c-1`, 200, { ...state, direction: 'up' }).valid, false);
  assert.equal(validateVoiceResponse('PUT', `${calls}/c-1/bxml`, 204, undefined).valid, true);
  assert.equal(validateVoiceResponse('PUT', `${calls}/c-1/bxml`, 204, {}).valid, false, '204 has no body');
});
