// The functions' side of the cost and fraud limits: POST bodies must be declared JSON (415 otherwise, so a
// cross-site "simple request" cannot reach the core), the client address comes from the entry Azure's front
// end appended to X-Forwarded-For, and a refused limit answers with Retry-After.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AppError } from '../../../core/errors';
import { catapultEventsReceive } from '../../../functions/catapult-events-receive';
import { loginCreate } from '../../../functions/login-create';
import { numbersSearch } from '../../../functions/numbers-search';
import { usersCreate } from '../../../functions/users-create';
import { createFakeVoiceApp, type FakeVoiceApp } from '../../support/fake-voice-app';
import { invoke } from '../../support/functions-harness';

let fake: FakeVoiceApp;
beforeEach(() => {
  fake = createFakeVoiceApp();
});

const signUpBody = JSON.stringify({ username: 'alice', number: '+19195551212', signature: 'sig', signupCode: 'c0de' });

describe('POST bodies must be Content-Type: application/json', () => {
  for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '']) {
    it(`answers 415 unsupported-media-type for "${contentType || 'no content type'}", before the core`, async () => {
      for (const [handler, path] of [
        [usersCreate, '/api/users'],
        [loginCreate, '/api/login'],
      ] as const) {
        const res = await invoke(handler, fake, {
          method: 'POST',
          path,
          headers: { 'content-type': contentType },
          body: signUpBody,
        });
        assert.equal(res.status, 415, path);
        assert.equal((res.json as { error: { code: string } }).error.code, 'unsupported-media-type');
      }
      assert.deepEqual(fake.calls, []);
    });
  }

  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
    it(`accepts "${contentType}"`, async () => {
      const res = await invoke(usersCreate, fake, {
        method: 'POST',
        path: '/api/users',
        headers: { 'content-type': contentType },
        body: signUpBody,
      });
      assert.equal(res.status, 201);
    });
  }

  it('still checks the webhook credentials first: a text/plain event without them is 401', async () => {
    fake.failWith('handleWebhook', new AppError('webhook-unauthorized', 'Bad credentials.'));
    const res = await invoke(catapultEventsReceive, fake, {
      method: 'POST',
      path: '/api/catapult/events',
      headers: { 'content-type': 'text/plain' },
      body: '{"eventType":"answer"}',
    });
    assert.equal(res.status, 401);
    // The core got the event with the body marked unreadable, never the text parsed as JSON.
    const [event] = fake.calls[0]!.args as [{ body: unknown }];
    assert.equal(typeof event.body, 'string');
    assert.notDeepEqual(event.body, { eventType: 'answer' });
  });
});

describe('the client address the limits count', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['the entry Azure appended (ip:port)', '203.0.113.7:51234', '203.0.113.7'],
    [
      'the right-most entry, whatever the client wrote before it',
      '198.51.100.1, 10.0.0.1, 203.0.113.7:443',
      '203.0.113.7',
    ],
    ['an IPv6 client as its /64 network', '[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443', '2001:db8:1:2::'],
    ['no header at all: the shared unknown bucket', undefined, 'unknown'],
  ];
  for (const [label, header, expected] of cases) {
    it(`is ${label}`, async () => {
      const headers: Record<string, string> = header === undefined ? {} : { 'x-forwarded-for': header };
      await invoke(numbersSearch, fake, { method: 'GET', path: '/api/numbers?areaCode=919', headers });
      await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', headers, body: signUpBody });
      await invoke(loginCreate, fake, { method: 'POST', path: '/api/login', headers, body: '{"username":"alice"}' });
      assert.deepEqual(
        fake.calls.map((call) => call.args[1]),
        [{ clientAddress: expected }, { clientAddress: expected }, { clientAddress: expected }],
      );
    });
  }

  it('passes the signature and the invitation code to the core', async () => {
    await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body: signUpBody });
    assert.deepEqual(fake.calls[0]!.args[0], {
      username: 'alice',
      number: '+19195551212',
      signature: 'sig',
      signupCode: 'c0de',
    });
  });
});

describe('a refused limit', () => {
  it('answers its status and code with Retry-After in seconds', async () => {
    fake.failWith(
      'searchNumbers',
      new AppError('too-many-searches', 'Too many number searches.', undefined, { retryAfterSeconds: 1234 }),
    );
    const res = await invoke(numbersSearch, fake, { method: 'GET', path: '/api/numbers?areaCode=919' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1234');
    assert.equal(res.headers.get('access-control-expose-headers'), 'Retry-After');
    assert.deepEqual(res.json, {
      error: { code: 'too-many-searches', message: 'Too many number searches.', retryAfterSeconds: 1234 },
    });
  });

  it('has no Retry-After when waiting does not help', async () => {
    fake.failWith('signUp', new AppError('user-limit-reached', 'This service is not taking new users.'));
    const res = await invoke(usersCreate, fake, { method: 'POST', path: '/api/users', body: signUpBody });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('retry-after'), null);
  });
});
