// Every HTTP function through HttpRequest/InvocationContext with a fake VoiceApp: status, body,
// headers, what reached the core, error mapping, bad JSON and missing auth.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../core/errors';
import { bandwidthCallbacksReceive } from '../../../functions/bandwidth-callbacks-receive';
import { catapultEventsReceive } from '../../../functions/catapult-events-receive';
import { healthGet } from '../../../functions/health-get';
import { loginCreate } from '../../../functions/login-create';
import { meCallsDecline } from '../../../functions/me-calls-decline';
import { meCallsList } from '../../../functions/me-calls-list';
import { meDialCheckGet } from '../../../functions/me-dial-check-get';
import { meGet } from '../../../functions/me-get';
import { meNotificationsNegotiate } from '../../../functions/me-notifications-negotiate';
import { meSipGet } from '../../../functions/me-sip-get';
import { meSipPasswordCreate } from '../../../functions/me-sip-password-create';
import { meWebrtcTokenCreate } from '../../../functions/me-webrtc-token-create';
import { numbersSearch } from '../../../functions/numbers-search';
import { usersCreate } from '../../../functions/users-create';
import {
  createFakeVoiceApp,
  SAMPLE_AUTHENTICATED,
  SAMPLE_SESSION,
  SAMPLE_USER,
  VALID_BEARER,
  type FakeVoiceApp,
} from '../../support/fake-voice-app';
import { invoke } from '../../support/functions-harness';

let fake: FakeVoiceApp;
beforeEach(() => {
  fake = createFakeVoiceApp();
});

describe('health-get', () => {
  it('answers 200 with the checks when everything is ok', async () => {
    const res = await invoke(healthGet, fake, { method: 'GET', path: '/api/health' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, fake.healthResult);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('answers 503 with the same body when degraded', async () => {
    fake.healthResult = {
      status: 'degraded',
      checks: {
        config: { ok: false, code: 'config-invalid', message: 'CATAPULT_USER_ID is missing' },
        storage: { ok: true },
        provider: { ok: true },
      },
    };
    const res = await invoke(healthGet, fake, { method: 'GET', path: '/api/health' });
    assert.equal(res.status, 503);
    assert.deepEqual(res.json, fake.healthResult);
  });
});

describe('numbers-search', () => {
  it('passes only the given criteria and a numeric quantity', async () => {
    const res = await invoke(numbersSearch, fake, {
      method: 'GET',
      path: '/api/numbers?city=Cary&state=NC&quantity=5',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls[0], {
      method: 'searchNumbers',
      args: [{ city: 'Cary', state: 'NC', quantity: 5 }, { clientAddress: 'unknown' }],
    });
    assert.equal((res.json as { numbers: unknown[] }).numbers.length, 1);
  });

  it('rejects a quantity that is not a whole number before calling the core', async () => {
    const res = await invoke(numbersSearch, fake, { method: 'GET', path: '/api/numbers?areaCode=919&quantity=abc' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      error: { code: 'invalid-search', message: 'quantity must be a whole number.', field: 'quantity' },
    });
    assert.equal(fake.calls.length, 0);
  });

  it('maps the core’s invalid-search to 400', async () => {
    fake.failWith(
      'searchNumbers',
      new AppError('invalid-search', 'Give an area code, a ZIP code or a city and state.'),
    );
    const res = await invoke(numbersSearch, fake, { method: 'GET', path: '/api/numbers' });
    assert.equal(res.status, 400);
    assert.equal((res.json as { error: { code: string } }).error.code, 'invalid-search');
  });
});

describe('users-create', () => {
  const body = JSON.stringify({ username: 'alice', number: '+19195551212' });

  it('answers 201 with the session when the user was created', async () => {
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body });
    assert.equal(res.status, 201);
    assert.deepEqual(res.json, SAMPLE_SESSION);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(fake.calls[0]!.args, [
      { username: 'alice', number: '+19195551212', signature: undefined, signupCode: undefined },
      { clientAddress: 'unknown' },
    ]);
  });

  it('answers 200 when the same sign-up was already done', async () => {
    fake.signUpCreated = false;
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, SAMPLE_SESSION);
  });

  for (const [label, raw] of [
    ['not JSON', '{username:'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['empty', ''],
  ] as const) {
    it(`answers 400 invalid-json for a body that is ${label}`, async () => {
      const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body: raw });
      assert.equal(res.status, 400);
      assert.equal((res.json as { error: { code: string } }).error.code, 'invalid-json');
      assert.equal(fake.calls.length, 0);
    });
  }

  it('answers 400 invalid-json for a body over the size limit', async () => {
    const big = JSON.stringify({ username: 'a'.repeat(20_000), number: '+19195551212' });
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body: big });
    assert.equal(res.status, 400);
    assert.equal((res.json as { error: { code: string } }).error.code, 'invalid-json');
    assert.equal(fake.calls.length, 0);
  });

  it('names the missing field', async () => {
    const noUser = await invoke(usersCreate, fake, {
      method: 'POST',
      path: '/api/users',
      body: '{"number":"+19195551212"}',
    });
    assert.deepEqual(noUser.json, {
      error: { code: 'invalid-username', message: 'A username is required.', field: 'username' },
    });
    const badNumber = await invoke(usersCreate, fake, {
      method: 'POST',
      path: '/api/users',
      body: '{"username":"al","number":9}',
    });
    assert.equal(badNumber.status, 400);
    assert.deepEqual(badNumber.json, {
      error: { code: 'invalid-number', message: 'A number from the search results is required.', field: 'number' },
    });
  });

  it('passes the core’s conflicts through with their code', async () => {
    fake.failWith('signUp', new AppError('number-unavailable', 'That number was just taken. Search again.', 'number'));
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json, {
      error: { code: 'number-unavailable', message: 'That number was just taken. Search again.', field: 'number' },
    });
  });

  it('answers 503 for a Catapult outage and logs a warning', async () => {
    fake.failWith('signUp', new AppError('provider-unavailable', 'The phone service is not answering. Try again.'));
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body });
    assert.equal(res.status, 503);
    assert.equal((res.json as { error: { code: string } }).error.code, 'provider-unavailable');
    assert.ok(res.logs.some((log) => log.level === 'warning' && log.text.includes('provider-unavailable')));
  });
});

describe('login-create', () => {
  it('answers 200 with the session', async () => {
    const res = await invoke(loginCreate, fake, { method: 'POST', path: '/api/login', body: '{"username":"alice"}' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, SAMPLE_SESSION);
    assert.deepEqual(fake.calls[0], { method: 'logIn', args: [{ username: 'alice' }, { clientAddress: 'unknown' }] });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('answers 404 user-not-found for an unknown username', async () => {
    fake.failWith('logIn', new AppError('user-not-found', 'No such user. Sign up first.'));
    const res = await invoke(loginCreate, fake, { method: 'POST', path: '/api/login', body: '{"username":"bob"}' });
    assert.equal(res.status, 404);
    assert.equal((res.json as { error: { code: string } }).error.code, 'user-not-found');
  });

  it('answers 400 for a missing username', async () => {
    const res = await invoke(loginCreate, fake, { method: 'POST', path: '/api/login', body: '{}' });
    assert.equal(res.status, 400);
    assert.equal((res.json as { error: { field: string } }).error.field, 'username');
  });
});

const authenticated = [
  ['me-get', meGet, 'GET', '/api/me', 'getMe'],
  ['me-sip-get', meSipGet, 'GET', '/api/me/sip', 'getSipCredentials'],
  ['me-sip-password-create', meSipPasswordCreate, 'POST', '/api/me/sip/password', 'rotateSipPassword'],
  ['me-webrtc-token-create', meWebrtcTokenCreate, 'POST', '/api/me/webrtc-token', 'createWebRtcToken'],
  ['me-calls-list', meCallsList, 'GET', '/api/me/calls', 'listCalls'],
  ['me-dial-check-get', meDialCheckGet, 'GET', '/api/me/dial-check?number=919-555-0100', 'checkDial'],
  [
    'me-notifications-negotiate',
    meNotificationsNegotiate,
    'POST',
    '/api/me/notifications/negotiate',
    'negotiateNotifications',
  ],
] as const;

for (const [name, handler, method, path, coreMethod] of authenticated) {
  describe(name, () => {
    it('answers 200, not cacheable, for the authenticated user', async () => {
      const res = await invoke(handler, fake, { method, path, headers: { authorization: VALID_BEARER } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(
        fake.calls.map((call) => call.method),
        ['authenticate', coreMethod],
      );
      assert.deepEqual(fake.calls[1]!.args[0], SAMPLE_AUTHENTICATED);
    });

    it('answers 401 unauthorized without a token and calls nothing else', async () => {
      const res = await invoke(handler, fake, { method, path });
      assert.equal(res.status, 401);
      assert.equal((res.json as { error: { code: string } }).error.code, 'unauthorized');
      assert.deepEqual(fake.calls, [{ method: 'authenticate', args: [undefined] }]);
    });
  });
}

describe('me-get body', () => {
  it('is the user view', async () => {
    const res = await invoke(meGet, fake, { method: 'GET', path: '/api/me', headers: { authorization: VALID_BEARER } });
    assert.deepEqual(res.json, SAMPLE_USER);
  });
});

describe('catapult-events-receive', () => {
  it('hands a POST event to the core with its credentials and query, and answers 200', async () => {
    const event = { eventType: 'answer', callId: 'c-abc', from: '+19195550000', to: '+19195551212' };
    const res = await invoke(catapultEventsReceive, fake, {
      method: 'POST',
      path: '/api/catapult/events?leg=transfer',
      headers: { authorization: 'Basic Y2F0YXB1bHQ6c2VjcmV0', 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls[0]!.args, [
      { route: 'catapult', authorization: 'Basic Y2F0YXB1bHQ6c2VjcmV0', query: { leg: 'transfer' }, body: event },
    ]);
  });

  it('hands a GET event over as query parameters with no body', async () => {
    const res = await invoke(catapultEventsReceive, fake, {
      method: 'GET',
      path: '/api/catapult/events?eventType=hangup&callId=c-abc',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls[0]!.args, [
      { route: 'catapult', authorization: undefined, query: { eventType: 'hangup', callId: 'c-abc' }, body: undefined },
    ]);
  });

  it('answers 401 when the core rejects the credentials', async () => {
    fake.failWith('handleWebhook', new AppError('webhook-unauthorized', 'Bad webhook credentials.'));
    const res = await invoke(catapultEventsReceive, fake, { method: 'POST', path: '/api/catapult/events', body: '{}' });
    assert.equal(res.status, 401);
    assert.equal((res.json as { error: { code: string } }).error.code, 'webhook-unauthorized');
  });

  it('answers an empty 200 when the core has nothing to say, and passes a document reply (BXML) through', async () => {
    const post = () =>
      invoke(catapultEventsReceive, fake, { method: 'POST', path: '/api/catapult/events', body: '{"eventType":"x"}' });
    const empty = await post();
    assert.deepEqual([empty.status, empty.text, empty.headers.get('content-type')], [200, '', null]);
    fake.webhookReply = { contentType: 'application/xml', body: '<Response><Hangup/></Response>' };
    const document = await post();
    assert.deepEqual(
      [document.status, document.text, document.headers.get('content-type')],
      [200, '<Response><Hangup/></Response>', 'application/xml'],
    );
  });

  // The order of checks (credentials before the body) needs the real core: webhook-credentials-first.test.ts.
});

describe('me-dial-check-get', () => {
  it('hands the number as dialled to the core and answers its verdict', async () => {
    const res = await invoke(meDialCheckGet, fake, {
      method: 'GET',
      path: '/api/me/dial-check?number=%2B1%20919-555-0100',
      headers: { authorization: VALID_BEARER },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls[1]!.args, [SAMPLE_AUTHENTICATED, '+1 919-555-0100']);
    assert.deepEqual(res.json, { allowed: true, number: '+19195550100', nationalNumber: '(919) 555-0100' });
  });

  it('passes no number as undefined, for the core to refuse', async () => {
    await invoke(meDialCheckGet, fake, {
      method: 'GET',
      path: '/api/me/dial-check',
      headers: { authorization: VALID_BEARER },
    });
    assert.deepEqual(fake.calls[1]!.args, [SAMPLE_AUTHENTICATED, undefined]);
  });
});

describe('me-calls-decline', () => {
  const decline = (headers: Record<string, string> = { authorization: VALID_BEARER }) =>
    invoke(meCallsDecline, fake, {
      method: 'POST',
      path: '/api/me/calls/c-abc/decline',
      params: { callId: 'c-abc' },
      headers,
    });

  it('declines the call named in the route for the authenticated user: 204, no body, not cacheable', async () => {
    const res = await decline();
    assert.deepEqual([res.status, res.text, res.headers.get('cache-control')], [204, '', 'no-store']);
    assert.deepEqual(fake.calls[1], { method: 'declineCall', args: [SAMPLE_AUTHENTICATED, 'c-abc'] });
  });

  it('answers 404 call-not-found when nothing rings for the user with that id, 401 without a token', async () => {
    fake.failWith('declineCall', new AppError('call-not-found', 'No call is ringing for you with this id.'));
    const res = await decline();
    assert.equal(res.status, 404);
    assert.equal((res.json as { error: { code: string } }).error.code, 'call-not-found');
    const anonymous = await decline({});
    assert.equal(anonymous.status, 401);
    assert.deepEqual(
      fake.calls.map((c) => c.method),
      ['authenticate', 'declineCall', 'authenticate'],
    );
  });
});

describe('bandwidth-callbacks-receive', () => {
  const callback = { eventType: 'initiate', callId: 'c-abc', from: '+13233326955', to: '+19195551212' };
  const post = (path = '/api/bandwidth/callbacks/initiate') =>
    invoke(bandwidthCallbacksReceive, fake, {
      method: 'POST',
      path,
      headers: { authorization: 'Basic dnJhOnNlY3JldA==', 'content-type': 'application/json' },
      body: JSON.stringify(callback),
    });

  it('hands the callback to the core as a Bandwidth one, with its credentials and query', async () => {
    const res = await post('/api/bandwidth/callbacks/ringing?callId=c-abc');
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls[0]!.args, [
      { route: 'bandwidth', authorization: 'Basic dnJhOnNlY3JldA==', query: { callId: 'c-abc' }, body: callback },
    ]);
  });

  it('answers the BXML the core gives as application/xml, or an empty 200', async () => {
    const empty = await post();
    assert.deepEqual([empty.status, empty.text, empty.headers.get('content-type')], [200, '', null]);
    fake.webhookReply = { contentType: 'application/xml', body: '<Response><Ring duration="5"/></Response>' };
    const document = await post();
    assert.deepEqual(
      [document.status, document.text, document.headers.get('content-type')],
      [200, '<Response><Ring duration="5"/></Response>', 'application/xml'],
    );
  });

  it('answers 401 when the core rejects the credentials', async () => {
    fake.failWith('handleWebhook', new AppError('webhook-unauthorized', 'Bad webhook credentials.'));
    const res = await post();
    assert.equal(res.status, 401);
    assert.equal((res.json as { error: { code: string } }).error.code, 'webhook-unauthorized');
  });
});
