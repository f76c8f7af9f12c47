// The transport both Bandwidth API clients share: a first 401 fetches a fresh token and repeats without counting
// as an attempt; 429 is repeated after the API's own wait (or fails at once when that is too far off); 5xx and no
// answer are repeated only for repeatable requests; attempts are bounded; and one attempt is bounded in time.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  fetchText,
  isTimeout,
  retryWait,
  sendWithRetries,
  type ApiFailure,
  type RetryPolicy,
} from '../../../core/providers/bandwidth/api-transport';

class Failure extends Error implements ApiFailure {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`failed with ${status}`);
  }
}

/** Runs a request whose attempts answer `outcomes` in turn (a Failure is thrown, anything else returned). */
async function run(outcomes: Array<Failure | Error | string>, options: { repeatable?: boolean } = {}) {
  const tokens: Array<{ refresh?: boolean } | undefined> = [];
  const sleeps: number[] = [];
  const seen: string[] = [];
  const logged: Array<[number, number, boolean]> = [];
  const policy: RetryPolicy = {
    accessToken: async (request) => {
      tokens.push(request);
      return `token-${tokens.length}`;
    },
    maxAttempts: 3,
    maxRetryWaitMs: 2000,
    firstBackoffMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  const result = sendWithRetries(policy, {
    repeatable: options.repeatable ?? false,
    attempt: async (token) => {
      seen.push(token);
      const outcome = outcomes[seen.length - 1] ?? 'ok';
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    isFailure: (error): error is Failure => error instanceof Failure,
    onFailure: (error, attempt, retry) => logged.push([error.status, attempt, retry]),
  });
  return {
    result: await result.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    tokens,
    sleeps,
    seen,
    logged,
  };
}

test('a first 401 fetches a fresh token and repeats, not counted as an attempt; a second 401 goes up', async () => {
  const once = await run([new Failure(401), new Failure(503), new Failure(503), 'done'], { repeatable: true });
  assert.deepEqual(once.result, { value: 'done' });
  assert.deepEqual(once.tokens, [undefined, { refresh: true }]);
  assert.deepEqual(once.seen, ['token-1', 'token-2', 'token-2', 'token-2']);
  assert.deepEqual(once.logged, [
    [503, 1, true],
    [503, 2, true],
  ]);

  const twice = await run([new Failure(401), new Failure(401)], { repeatable: true });
  assert.equal((twice.result as { error: Failure }).error.status, 401);
  assert.equal(twice.seen.length, 2);
  assert.deepEqual(twice.logged, [[401, 1, false]]);
});

test('429 is repeated even when not repeatable: after the API’s wait, or the doubling backoff without one', async () => {
  const named = await run([new Failure(429, 700), 'ok']);
  assert.deepEqual(named.result, { value: 'ok' });
  assert.deepEqual(named.sleeps, [700]);
  const unnamed = await run([new Failure(429), new Failure(429), 'ok']);
  assert.deepEqual(unnamed.sleeps, [100, 200]);
  const tooLong = await run([new Failure(429, 60_000), 'never']);
  assert.equal((tooLong.result as { error: Failure }).error.status, 429);
  assert.deepEqual(tooLong.sleeps, []);
  assert.deepEqual(tooLong.logged, [[429, 1, false]]);
});

test('5xx and no answer: repeated only when repeatable, at most maxAttempts in all', async () => {
  const notRepeatable = await run([new Failure(500), 'never']);
  assert.equal((notRepeatable.result as { error: Failure }).error.status, 500);
  assert.equal(notRepeatable.seen.length, 1);
  const repeatable = await run([new Failure(0), new Failure(502), new Failure(500), 'never'], { repeatable: true });
  assert.equal((repeatable.result as { error: Failure }).error.status, 500);
  assert.equal(repeatable.seen.length, 3);
  assert.deepEqual(repeatable.sleeps, [100, 200]);
  const clientError = await run([new Failure(404)], { repeatable: true });
  assert.equal(clientError.seen.length, 1);
});

test('an error that is not the API’s goes up at once, unlogged', async () => {
  const broken = await run([new TypeError('bug')], { repeatable: true });
  assert.ok((broken.result as { error: unknown }).error instanceof TypeError);
  assert.deepEqual(broken.logged, []);
});

test('retryWait caps the backoff and never waits under 50 ms for a 429', () => {
  const policy = { maxRetryWaitMs: 2000, firstBackoffMs: 200 };
  assert.equal(retryWait(policy, { status: 503 }, true, 5), 2000);
  assert.equal(retryWait(policy, { status: 429, retryAfterMs: 0 }, false, 1), 50);
  assert.equal(retryWait(policy, { status: 503 }, false, 1), undefined);
});

test('fetchText reads the body, and a server that never answers is a timeout', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    res.end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { response, text } = await fetchText(fetch, `${base}/`, {}, 2000);
    assert.equal(response.status, 200);
    assert.equal(text, 'hello');
    const failure = await fetchText(fetch, `${base}/hang`, {}, 100).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(isTimeout(failure), String(failure));
    const refused = await fetchText(fetch, 'http://127.0.0.1:9/', {}, 2000).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused !== undefined && !isTimeout(refused));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
