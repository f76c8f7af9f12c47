// Retry policy (docs/contracts/catapult-v1.md §4, retry-policy.ts): rate limits are retried for every request because
// Catapult did not process them; 5xx, network errors and timeouts only for requests that are safe to repeat.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCatapultError, type CatapultError } from '../../../core/catapult/catapult-error';
import { createCatapultClient } from '../../../core/catapult/client';
import {
  catapultError,
  createFakeFetch,
  created,
  empty,
  hang,
  json,
  recordingLogger,
  testOptions,
  type FakeHandler,
} from './fake-fetch';

const NOW = 1_700_000_000_000;
const U = '/v1/users/u-abc123';

/** Answers with the scripted responses in order, then repeats the last one. */
function scripted(...steps: Array<() => Response | Promise<Response>>): FakeHandler {
  let index = 0;
  return () => {
    const step = steps[Math.min(index, steps.length - 1)];
    index += 1;
    return step!();
  };
}

const serverError = () => json(503, { category: 'unavailable', code: 'service-unavailable', message: 'try later' });
const number = () => json(200, { id: 'n-1', number: '+19195551212', nationalNumber: '(919) 555-1212' });

function isError(check: (error: CatapultError) => boolean) {
  return (error: unknown) => isCatapultError(error) && check(error);
}

describe('Catapult retries', () => {
  it('waits until X-RateLimit-Reset after a 429, then retries', async () => {
    const fake = createFakeFetch(
      scripted(
        () =>
          catapultError(429, 'too-many-requests', 'rate-limit-reached', undefined, {
            'x-ratelimit-reset': String(NOW + 1200),
          }),
        number,
      ),
    );
    const { options, sleeps } = testOptions(fake.fetch);
    const result = await createCatapultClient(options).getPhoneNumber('n-1');
    assert.equal(result.id, 'n-1');
    assert.deepEqual(sleeps, [1200]);
    assert.equal(fake.requests.length, 2);
  });

  it('caps a far 429 reset at maxRetryWaitMs and floors a past one at a small wait', async () => {
    const far = createFakeFetch(
      scripted(
        () =>
          catapultError(429, 'too-many-requests', 'rate-limit-reached', undefined, {
            'x-ratelimit-reset': String(NOW + 60_000),
          }),
        number,
      ),
    );
    const farRun = testOptions(far.fetch, { maxRetryWaitMs: 2000 });
    await createCatapultClient(farRun.options).getPhoneNumber('n-1');
    assert.deepEqual(farRun.sleeps, [2000]);

    const past = createFakeFetch(
      scripted(
        () =>
          catapultError(429, 'too-many-requests', 'rate-limit-reached', undefined, {
            'x-ratelimit-reset': String(NOW - 5000),
          }),
        number,
      ),
    );
    const pastRun = testOptions(past.fetch);
    await createCatapultClient(pastRun.options).getPhoneNumber('n-1');
    assert.deepEqual(pastRun.sleeps, [100]);
  });

  it('backs off exponentially when a 429 has no reset header', async () => {
    const fake = createFakeFetch(
      scripted(
        () => catapultError(429, 'too-many-requests', 'rate-limit-reached'),
        () => catapultError(429, 'too-many-requests', 'rate-limit-reached'),
        number,
      ),
    );
    const { options, sleeps } = testOptions(fake.fetch);
    await createCatapultClient(options).getPhoneNumber('n-1');
    // base 250 ms doubling, jitter over the upper half with random() = 0.5
    assert.deepEqual(sleeps, [188, 375]);
  });

  it('retries creates on 429: the request was not processed', async () => {
    const fake = createFakeFetch(
      scripted(
        () =>
          catapultError(429, 'too-many-requests', 'rate-limit-reached', undefined, {
            'x-ratelimit-reset': String(NOW + 500),
          }),
        () => created(`${U}/phoneNumbers/n-9`),
      ),
    );
    const { options, sleeps } = testOptions(fake.fetch);
    assert.deepEqual(await createCatapultClient(options).allocatePhoneNumber({ number: '+19195551212' }), {
      id: 'n-9',
    });
    assert.deepEqual(sleeps, [500]);
    assert.deepEqual(
      fake.requests.map((r) => r.body),
      [{ number: '+19195551212' }, { number: '+19195551212' }],
    );
  });

  it('retries POST /calls after 403 call-rate-limit with bounded backoff', async () => {
    const limited = () => catapultError(403, 'limit', 'call-rate-limit', 'You can create 1 calls per 1 seconds');
    const fake = createFakeFetch(scripted(limited, limited, () => created(`${U}/calls/c-1`)));
    const { options, sleeps } = testOptions(fake.fetch, { maxRetryWaitMs: 300 });
    assert.deepEqual(await createCatapultClient(options).createCall({ from: '+19195551212', to: '+13125556666' }), {
      id: 'c-1',
    });
    assert.deepEqual(sleeps, [188, 225]); // second step capped at 300, jitter keeps it in [150, 300]
  });

  it('does not retry any other 403 or 4xx', async () => {
    for (const response of [
      () => catapultError(403, 'forbidden', 'call-invalid-state', 'Invalid call state started'),
      () => catapultError(404, 'not-found', 'number-not-found'),
      () => catapultError(400, 'bad-request', 'validation-error'),
    ]) {
      const fake = createFakeFetch(response);
      const { options, sleeps } = testOptions(fake.fetch);
      await assert.rejects(createCatapultClient(options).getPhoneNumber('n-1'), isCatapultError);
      assert.equal(fake.requests.length, 1);
      assert.deepEqual(sleeps, []);
    }
  });

  it('retries 5xx for GET and the idempotent update POSTs', async () => {
    const fake = createFakeFetch(scripted(serverError, () => empty(200)));
    const client = createCatapultClient(testOptions(fake.fetch).options);
    await client.updatePhoneNumber('n-1', { applicationId: 'a-1' });
    const fakeHangUp = createFakeFetch(scripted(serverError, () => empty(200)));
    await createCatapultClient(testOptions(fakeHangUp.fetch).options).hangUpCall('c-1');
    const fakeGet = createFakeFetch(scripted(serverError, serverError, number));
    assert.equal((await createCatapultClient(testOptions(fakeGet.fetch).options).getPhoneNumber('n-1')).id, 'n-1');
    assert.equal(fake.requests.length, 2);
    assert.equal(fakeHangUp.requests.length, 2);
    assert.equal(fakeGet.requests.length, 3);
  });

  it('never repeats a create after a 5xx: it may have been carried out', async () => {
    const creates: Array<[string, (client: ReturnType<typeof createCatapultClient>) => Promise<unknown>]> = [
      ['order', (c) => c.orderLocalNumbers({ areaCode: '910', quantity: 1 })],
      ['allocate', (c) => c.allocatePhoneNumber({ number: '+19195551212' })],
      ['application', (c) => c.createApplication({ name: 'app', incomingCallUrl: 'https://x.test/cb' })],
      ['domain', (c) => c.createDomain({ name: 'qabcdefghijklmn', description: 'd' })],
      ['endpoint', (c) => c.createEndpoint('rd-1', { name: 'alice', password: 'secret12' })],
      ['token', (c) => c.createEndpointToken('rd-1', 're-1', 3600)],
      ['call', (c) => c.createCall({ from: '+19195551212', to: '+13125556666' })],
      ['transfer', (c) => c.transferCall('c-1', { transferTo: '+13125556666' })],
    ];
    for (const [name, run] of creates) {
      const fake = createFakeFetch(serverError);
      const { options, sleeps } = testOptions(fake.fetch);
      await assert.rejects(
        run(createCatapultClient(options)),
        isError((e) => e.status === 503 && e.code === 'service-unavailable'),
        name,
      );
      assert.equal(fake.requests.length, 1, `${name} must not be repeated`);
      assert.deepEqual(sleeps, [], name);
    }
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    let attempt = 0;
    const fake = createFakeFetch(() => {
      attempt += 1;
      return json(502, { category: 'unavailable', code: 'bad-gateway', message: `attempt ${attempt}` });
    });
    const logger = recordingLogger();
    const { options, sleeps } = testOptions(fake.fetch, { maxAttempts: 3, logger });
    await assert.rejects(
      createCatapultClient(options).getApplication('a-1'),
      isError((e) => e.message === 'attempt 3' && e.status === 502),
    );
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(sleeps, [188, 375]);
    assert.deepEqual(
      logger.entries.map((e) => e.level),
      ['warn', 'warn', 'error'],
    );
    assert.deepEqual(
      logger.entries.map((e) => e.fields?.attempt),
      [1, 2, 3],
    );
  });

  it('turns a silent server into a timeout error, retried only when safe', async () => {
    const fakeGet = createFakeFetch((_, signal) => hang(signal));
    const getRun = testOptions(fakeGet.fetch, { timeoutMs: 25, maxAttempts: 2 });
    await assert.rejects(
      createCatapultClient(getRun.options).getCall('c-1'),
      isError(
        (e) =>
          e.status === 0 &&
          e.category === 'timeout' &&
          e.code === 'timeout' &&
          e.path === `${U}/calls/c-1` &&
          e.method === 'GET',
      ),
    );
    assert.equal(fakeGet.requests.length, 2);

    const fakeCreate = createFakeFetch((_, signal) => hang(signal));
    const createRun = testOptions(fakeCreate.fetch, { timeoutMs: 25 });
    await assert.rejects(
      createCatapultClient(createRun.options).createCall({ from: '+1', to: '+2' }),
      isError((e) => e.category === 'timeout'),
    );
    assert.equal(fakeCreate.requests.length, 1);
  });

  it('turns a connection failure into a network error, retried only when safe', async () => {
    const refuse = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      );
    const fakeGet = createFakeFetch(scripted(refuse, number));
    assert.equal((await createCatapultClient(testOptions(fakeGet.fetch).options).getPhoneNumber('n-1')).id, 'n-1');
    assert.equal(fakeGet.requests.length, 2);

    const fakeCreate = createFakeFetch(refuse);
    await assert.rejects(
      createCatapultClient(testOptions(fakeCreate.fetch).options).createDomain({
        name: 'qabcdefghijklmn',
        description: 'd',
      }),
      isError(
        (e) =>
          e.status === 0 && e.category === 'network' && e.code === 'network-error' && /ECONNREFUSED/.test(e.message),
      ),
    );
    assert.equal(fakeCreate.requests.length, 1);
  });

  it('treats 404 on a repeated DELETE as done, but not on the first attempt', async () => {
    const fake = createFakeFetch(scripted(serverError, () => catapultError(404, 'not-found', 'number-not-found')));
    await createCatapultClient(testOptions(fake.fetch).options).deletePhoneNumber('n-1');
    assert.equal(fake.requests.length, 2);

    const fakeFirst = createFakeFetch(() => catapultError(404, 'not-found', 'number-not-found'));
    await assert.rejects(
      createCatapultClient(testOptions(fakeFirst.fetch).options).deletePhoneNumber('n-1'),
      isError((e) => e.status === 404),
    );
  });

  it('stops everything when the client signal aborts, even during a retry wait', async () => {
    const controller = new AbortController();
    const fake = createFakeFetch(serverError);
    const { options } = testOptions(fake.fetch, {
      signal: controller.signal,
      sleep: () => {
        controller.abort();
        return new Promise<void>(() => undefined); // would wait forever without the abort
      },
    });
    const client = createCatapultClient(options);
    await assert.rejects(
      client.getCall('c-1'),
      isError((e) => e.category === 'aborted' && e.status === 0),
    );
    assert.equal(fake.requests.length, 1);
    await assert.rejects(
      client.getCall('c-1'),
      isError((e) => e.category === 'aborted'),
    );
    assert.equal(fake.requests.length, 1, 'no request after the abort');
  });

  it('aborts an in-flight request when the client signal fires', async () => {
    const controller = new AbortController();
    const fake = createFakeFetch((_, signal) => {
      setImmediate(() => controller.abort());
      return hang(signal);
    });
    const client = createCatapultClient(testOptions(fake.fetch, { signal: controller.signal }).options);
    await assert.rejects(
      client.getCall('c-1'),
      isError((e) => e.category === 'aborted'),
    );
    assert.equal(fake.requests.length, 1);
  });

  it('keeps jitter within the upper half of the capped exponential step', async () => {
    for (const [random, expected] of [
      [0, [125, 250, 500]],
      [0.999999, [250, 500, 1000]],
    ] as const) {
      const fake = createFakeFetch(serverError);
      const { options, sleeps } = testOptions(fake.fetch, { random: () => random, maxRetryWaitMs: 1000 });
      await assert.rejects(createCatapultClient(options).getDomain('rd-1'), isCatapultError);
      assert.deepEqual(sleeps, expected);
    }
  });
});
