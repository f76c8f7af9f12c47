// Error answers become CatapultError with Catapult's category, code and details (docs/contracts/catapult-v1.md §2);
// broken answers still give a useful error; logs never carry credentials, passwords or tokens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatapultError, categoryForStatus, isCatapultError } from '../../../core/catapult/catapult-error';
import { createCatapultClient } from '../../../core/catapult/client';
import { ACCOUNT, BASIC_AUTH, createFakeFetch, created, empty, json, recordingLogger, testOptions } from './fake-fetch';

const U = '/v1/users/u-abc123';

async function caught(promise: Promise<unknown>): Promise<CatapultError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isCatapultError(error), `expected a CatapultError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('Catapult errors', () => {
  it('keeps status, category, code, message, details, method and path from an error body', async () => {
    const fake = createFakeFetch(() =>
      json(404, {
        category: 'not-found',
        code: 'call-not-found',
        message: "The call 'c-xyz' could not be found",
        details: [
          { name: 'requestMethod', value: 'GET' },
          { name: 'requestPath', value: 'users/u-abc123/calls/c-xyz' },
        ],
      }),
    );
    const error = await caught(createCatapultClient(testOptions(fake.fetch).options).getCall('c-xyz'));
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'CatapultError');
    assert.equal(error.status, 404);
    assert.equal(error.category, 'not-found');
    assert.equal(error.code, 'call-not-found');
    assert.equal(error.message, "The call 'c-xyz' could not be found");
    assert.deepEqual(error.details, [
      { name: 'requestMethod', value: 'GET' },
      { name: 'requestPath', value: 'users/u-abc123/calls/c-xyz' },
    ]);
    assert.equal(error.method, 'GET');
    assert.equal(error.path, `${U}/calls/c-xyz`);
    assert.equal(error.rateLimitResetMs, undefined);
  });

  it('reads rateLimitResetMs from X-RateLimit-Reset on a 429 without a message', async () => {
    const fake = createFakeFetch(() =>
      json(
        429,
        {
          category: 'too-many-requests',
          code: 'rate-limit-reached',
          details: [{ name: 'rateLimitResetTime', value: '1479308598680' }],
        },
        { 'x-ratelimit-reset': '1479308598680' },
      ),
    );
    const error = await caught(
      createCatapultClient(testOptions(fake.fetch, { maxAttempts: 1 }).options).searchLocalNumbers({ areaCode: '919' }),
    );
    assert.equal(error.status, 429);
    assert.equal(error.category, 'too-many-requests');
    assert.equal(error.code, 'rate-limit-reached');
    assert.equal(error.rateLimitResetMs, 1479308598680);
    assert.match(error.message, /429/);
    assert.match(error.message, /rate-limit-reached/);
  });

  it('falls back to the rateLimitResetTime detail when the header is missing', async () => {
    const fake = createFakeFetch(() =>
      json(429, {
        category: 'too-many-requests',
        code: 'rate-limit-reached',
        details: [{ name: 'rateLimitResetTime', value: '1479308598680' }],
      }),
    );
    const error = await caught(
      createCatapultClient(testOptions(fake.fetch, { maxAttempts: 1 }).options).getCall('c-1'),
    );
    assert.equal(error.rateLimitResetMs, 1479308598680);
  });

  it('gives a useful error for a non-JSON error body, with the category from the status', async () => {
    const fake = createFakeFetch(
      () =>
        new Response('<html>Bad Gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html' },
        }),
    );
    const error = await caught(
      createCatapultClient(testOptions(fake.fetch).options).createCall({ from: '+19195551212', to: '+13125556666' }),
    );
    assert.equal(error.status, 502);
    assert.equal(error.category, 'unavailable');
    assert.equal(error.code, 'unknown');
    assert.deepEqual(error.details, []);
    assert.equal(error.message, `Catapult answered 502 Bad Gateway (text/html) to POST ${U}/calls`);
  });

  it('maps every status of the errors.md table to a category when the body does not say', () => {
    assert.deepEqual([400, 401, 403, 404, 409, 429, 500, 503, 418, 302].map(categoryForStatus), [
      'bad-request',
      'authorization',
      'forbidden',
      'not-found',
      'conflict',
      'too-many-requests',
      'unavailable',
      'unavailable',
      'bad-request',
      'unknown',
    ]);
  });

  it('handles an empty 401 body and a JSON body that is not an error object', async () => {
    const fake = createFakeFetch((request) => (request.method === 'GET' ? empty(401) : json(400, ['unexpected'])));
    const client = createCatapultClient(testOptions(fake.fetch).options);
    const unauthorised = await caught(client.getApplication('a-1'));
    assert.deepEqual(
      [unauthorised.status, unauthorised.category, unauthorised.code],
      [401, 'authorization', 'unknown'],
    );
    const bad = await caught(client.updateApplication('a-1', { name: 'x' }));
    assert.deepEqual([bad.status, bad.category, bad.code], [400, 'bad-request', 'unknown']);
  });

  it('rejects a success answer that is not the JSON the method needs', async () => {
    const fake = createFakeFetch((request) =>
      request.path.includes('/calls/') ? new Response('ok', { status: 200 }) : json(200, { not: 'a list' }),
    );
    const client = createCatapultClient(testOptions(fake.fetch).options);
    const notJson = await caught(client.getCall('c-1'));
    assert.deepEqual([notJson.status, notJson.category, notJson.code], [200, 'invalid-response', 'invalid-json']);
    const notArray = await caught(client.searchLocalNumbers({ areaCode: '919' }));
    assert.equal(notArray.code, 'invalid-json');
  });

  it('rejects a create answer without a usable Location, and a token answer without a token', async () => {
    const fake = createFakeFetch((request) =>
      request.path.endsWith('/tokens') ? json(201, { expires: 3600 }) : empty(201),
    );
    const client = createCatapultClient(testOptions(fake.fetch).options);
    const noLocation = await caught(client.createApplication({ name: 'a', incomingCallUrl: 'https://x.test' }));
    assert.deepEqual(
      [noLocation.status, noLocation.category, noLocation.code],
      [201, 'invalid-response', 'missing-location'],
    );
    const noToken = await caught(client.createEndpointToken('rd-1', 're-1'));
    assert.equal(noToken.code, 'missing-token');
  });

  it('asks fetch to fail on redirects, so the credentials are never resent to another URL', async () => {
    const seenInit: RequestInit[] = [];
    const spy = (async (_: unknown, init: RequestInit) => {
      seenInit.push(init);
      return empty(200);
    }) as unknown as typeof fetch;
    await createCatapultClient(testOptions(spy).options).deleteDomain('rd-1');
    assert.equal(seenInit.length, 1);
    assert.equal(seenInit[0]?.redirect, 'error');
  });

  it('logs method, path, status, attempt and duration, but never credentials, passwords or tokens', async () => {
    const logger = recordingLogger();
    const fake = createFakeFetch((request) => {
      if (request.path.endsWith('/tokens')) return json(201, { token: 'tok-SECRET-123', expires: 3600 });
      if (request.method === 'DELETE') return json(503, { category: 'unavailable', code: 'down' });
      return created(`${U}/domains/rd-1/endpoints/re-1`);
    });
    const client = createCatapultClient(testOptions(fake.fetch, { logger, maxAttempts: 2 }).options);
    await client.createEndpoint('rd-1', { name: 'alice', password: 'P4ssw0rd-SECRET' });
    await client.updateEndpoint('rd-1', 're-1', { password: 'N3w-SECRET' });
    await client.createEndpointToken('rd-1', 're-1', 60);
    const error = await caught(client.deleteEndpointToken('rd-1', 're-1', 'tok-SECRET-123'));

    assert.equal(fake.requests.at(-1)?.path, `${U}/domains/rd-1/endpoints/re-1/tokens/tok-SECRET-123`);
    assert.equal(error.path, `${U}/domains/rd-1/endpoints/re-1/tokens/[redacted]`);
    assert.doesNotMatch(error.message, /SECRET/);
    const logged = JSON.stringify(logger.entries);
    for (const secret of ['SECRET', ACCOUNT.apiSecret, ACCOUNT.apiToken, BASIC_AUTH, 'Basic ', 'password']) {
      assert.ok(!logged.includes(secret), `log must not contain ${secret}`);
    }
    assert.deepEqual(logger.entries[0], {
      level: 'info',
      message: 'catapult request',
      fields: { method: 'POST', path: `${U}/domains/rd-1/endpoints`, attempt: 1, status: 201, durationMs: 0 },
    });
    assert.deepEqual(logger.entries.at(-1)?.fields, {
      method: 'DELETE',
      path: `${U}/domains/rd-1/endpoints/re-1/tokens/[redacted]`,
      attempt: 2,
      status: 503,
      code: 'down',
      durationMs: 0,
    });
  });

  it('logs the path without the query string', async () => {
    const logger = recordingLogger();
    const fake = createFakeFetch(() => json(200, []));
    await createCatapultClient(testOptions(fake.fetch, { logger }).options).searchLocalNumbers({ zip: '27511' });
    assert.equal(logger.entries[0]?.fields?.path, '/v1/availableNumbers/local');
  });
});
