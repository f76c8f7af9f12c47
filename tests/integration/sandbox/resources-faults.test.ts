// The control API: injected faults on /v1 (presets, custom answers, drop, delay, hold) and the request log.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { CALLBACK, startSandbox, type SandboxHarness } from './resources-harness';

describe('faults and the request log', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandbox();
    // Stands in for a route another part of the sandbox registers in the calls family.
    h.sandbox.context.router.add(
      'POST',
      '/v1/users/:userId/probeCalls',
      () => ({ status: 201, headers: { Location: '/v1/users/x/calls/c-1' } }),
      {
        family: 'calls',
      },
    );
  });
  afterEach(async () => {
    await h.raw('DELETE', '/sandbox/faults');
  });
  after(() => h.close());

  const fault = async (spec: Record<string, unknown>) => {
    const reply = await h.raw('POST', '/sandbox/faults', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    assert.equal(reply.status, 201, reply.text);
    assert.match(reply.json.id, /^f-/);
    return reply.json.id as string;
  };
  const listApps = () => h.request('GET', `${h.userPath}/applications`);

  it('rate-limit: 429 with X-RateLimit-Reset about 1 s ahead and the documented body, for `count` requests', async () => {
    await fault({ path: `${h.userPath}/applications`, preset: 'rate-limit', count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const before = Date.now();
      const reply = await listApps();
      assert.equal(reply.status, 429);
      const reset = Number(reply.headers.get('x-ratelimit-reset'));
      assert.ok(reset >= before + 500 && reset <= Date.now() + 1500, `reset ${reset - before} ms ahead`);
      assert.equal(reply.json.category, 'too-many-requests');
      assert.equal(reply.json.code, 'rate-limit-reached');
      assert.equal(reply.json.message, undefined);
      assert.deepEqual(reply.json.details[0], { name: 'rateLimitResetTime', value: String(reset) });
    }
    assert.equal((await listApps()).status, 200, 'the third request is served');
  });

  it('call-rate-limit: 403 category limit on the calls routes other modules register', async () => {
    await fault({ method: 'POST', path: `${h.userPath}/probeCalls`, preset: 'call-rate-limit' });
    const reply = await h.request('POST', `${h.userPath}/probeCalls`, { from: '+19195550100', to: '+19195550101' });
    assert.equal(reply.status, 403);
    assert.equal(reply.json.category, 'limit');
    assert.equal(reply.json.code, 'call-rate-limit');
    assert.match(reply.json.message, /calls per/);
    assert.equal((await h.request('POST', `${h.userPath}/probeCalls`, {})).status, 201);
  });

  it('matches by route family', async () => {
    await fault({ family: 'calls', preset: 'server-error' });
    assert.equal((await listApps()).status, 200, 'another family is untouched');
    assert.equal((await h.request('POST', `${h.userPath}/probeCalls`, {})).status, 500);
  });

  it('server-error: 500 with a Catapult error body', async () => {
    await fault({ path: '/v1/*', preset: 'server-error' });
    const reply = await listApps();
    assert.equal(reply.status, 500);
    assert.equal(typeof reply.json.category, 'string');
    assert.equal(typeof reply.json.code, 'string');
    assert.ok(Array.isArray(reply.json.details));
  });

  it('matches a path prefix ending with *, the method, and the decoded path', async () => {
    await fault({ method: 'GET', path: `${h.userPath}/phoneNumbers/+1*`, status: 503 });
    assert.equal(
      (await h.request('POST', `${h.userPath}/applications`, { name: 'a', incomingCallUrl: CALLBACK })).status,
      201,
    );
    assert.equal(
      (await h.request('DELETE', `${h.userPath}/phoneNumbers/%2B19195550100`)).status,
      404,
      'other methods pass',
    );
    const reply = await h.request('GET', `${h.userPath}/phoneNumbers/%2B19195550100`);
    assert.equal(reply.status, 503);
    assert.equal(reply.json.category, 'unavailable');
  });

  it('answers a custom status, body and headers verbatim', async () => {
    const body = { category: 'credit', code: 'insufficient-available-balance', message: 'No money', details: [] };
    await fault({
      path: '/v1/availableNumbers/local',
      method: 'POST',
      status: 403,
      body,
      headers: { 'X-Custom': 'yes' },
    });
    const reply = await h.request('POST', '/v1/availableNumbers/local?areaCode=919&quantity=1');
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.json, body);
    assert.equal(reply.headers.get('x-custom'), 'yes');
    const owned = await h.request('GET', `${h.userPath}/phoneNumbers`);
    assert.deepEqual(owned.json, [], 'the faulted order ordered nothing');
  });

  it('drop: destroys the connection without an answer, logged with status 0', async () => {
    await h.raw('DELETE', '/sandbox/requests');
    const id = await fault({ path: `${h.userPath}/applications`, drop: true });
    await assert.rejects(listApps(), TypeError);
    const log = (await h.raw('GET', '/sandbox/requests')).json;
    assert.equal(log.length, 1);
    assert.equal(log[0].status, 0);
    assert.equal(log[0].faultId, id);
  });

  it('delayMs alone: serves the request normally after the delay', async () => {
    await fault({ path: `${h.userPath}/applications`, delayMs: 300 });
    const started = Date.now();
    const reply = await listApps();
    assert.equal(reply.status, 200);
    assert.ok(Date.now() - started >= 290, `${Date.now() - started} ms`);
  });

  it('timeout: the client gives up first; a configurable delay', async () => {
    await fault({ path: `${h.userPath}/applications`, preset: 'timeout', delayMs: 2000 });
    const started = Date.now();
    await assert.rejects(
      fetch(`${h.sandbox.baseUrl}${h.userPath}/applications`, { signal: AbortSignal.timeout(200) }),
      (error: Error) => error.name === 'TimeoutError',
    );
    assert.ok(Date.now() - started < 1500);
  });

  it('timeout without delayMs holds the request, and close() still returns promptly', async () => {
    const own = await startSandbox();
    await own.raw('POST', '/sandbox/faults', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/v1/*', preset: 'timeout' }),
    });
    const pending = own.request('GET', `${own.userPath}/applications`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await own.close();
    assert.ok(Date.now() - started < 1000, 'close() does not wait for the 30 s delay');
    assert.equal(await pending, 'failed');
  });

  it('lists armed faults with their remaining count, and DELETE clears them', async () => {
    const id = await fault({ path: '/v1/*', status: 500, count: 3 });
    await listApps();
    const listed = (await h.raw('GET', '/sandbox/faults')).json;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].id, id);
    assert.equal(listed[0].remaining, 2);
    assert.equal((await h.raw('DELETE', '/sandbox/faults')).status, 200);
    assert.deepEqual((await h.raw('GET', '/sandbox/faults')).json, []);
    assert.equal((await listApps()).status, 200);
  });

  const held = async (count: number) => {
    for (let i = 0; i < 100; i += 1) {
      const list = (await h.raw('GET', '/sandbox/holds')).json as Array<Record<string, string>>;
      if (list.length >= count) return list;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`fewer than ${count} requests held`);
  };
  const release = async (body: Record<string, unknown> = {}) =>
    (
      await h.raw('POST', '/sandbox/holds/release', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json.released as number;

  it("hold 'before': nothing happens until the release, then the request is served normally", async () => {
    const id = await fault({ method: 'POST', path: `${h.userPath}/applications`, hold: 'before' });
    const create = h.request('POST', `${h.userPath}/applications`, { name: 'held-before', incomingCallUrl: CALLBACK });
    const [entry] = await held(1);
    assert.deepEqual(
      { faultId: entry!.faultId, method: entry!.method, path: entry!.path, stage: entry!.stage },
      { faultId: id, method: 'POST', path: `${h.userPath}/applications`, stage: 'before' },
    );
    const names = (await listApps()).json.map((a: { name: string }) => a.name);
    assert.equal(names.includes('held-before'), false, 'not created while held');
    assert.equal(await release({ faultId: id }), 1);
    assert.equal((await create).status, 201);
    assert.ok((await listApps()).json.some((a: { name: string }) => a.name === 'held-before'));
    assert.deepEqual((await h.raw('GET', '/sandbox/holds')).json, []);
  });

  it("hold 'after': the change is made at once, its answer waits for the release", async () => {
    await fault({ method: 'POST', path: `${h.userPath}/applications`, hold: 'after' });
    let answered = false;
    const create = h
      .request('POST', `${h.userPath}/applications`, { name: 'held-after', incomingCallUrl: CALLBACK })
      .then((reply) => {
        answered = true;
        return reply;
      });
    await held(1);
    assert.ok(
      (await listApps()).json.some((a: { name: string }) => a.name === 'held-after'),
      'created already',
    );
    assert.equal(answered, false);
    assert.equal(await release(), 1);
    assert.equal((await create).status, 201);
  });

  it('a held request is dropped when the sandbox closes', async () => {
    const own = await startSandbox();
    await own.raw('POST', '/sandbox/faults', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/v1/*', hold: 'before' }),
    });
    const pending = own.request('GET', `${own.userPath}/applications`).then(
      () => 'answered',
      () => 'failed',
    );
    for (let i = 0; i < 100 && (await own.raw('GET', '/sandbox/holds')).json.length === 0; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await own.close();
    assert.ok(Date.now() - started < 1000, 'close() does not wait for the release');
    assert.equal(await pending, 'failed');
  });

  it('never applies faults to the control API itself', async () => {
    await fault({ path: '/*', status: 500, count: 10 });
    assert.equal((await h.raw('GET', '/sandbox/health')).status, 200);
  });

  for (const [label, spec] of [
    ['no path or family', { preset: 'rate-limit' }],
    ['an unknown preset', { path: '/v1/*', preset: 'meltdown' }],
    ['a zero count', { path: '/v1/*', count: 0 }],
    ['a status out of range', { path: '/v1/*', status: 99 }],
    ['a relative path', { path: 'v1/*' }],
    ['a * in the middle', { path: '/v1/*/calls' }],
    ['a body without status', { path: '/v1/*', body: { a: 1 } }],
    ['a negative delay', { path: '/v1/*', delayMs: -1 }],
    ['a non-object', [1, 2]],
    ['an unknown hold stage', { path: '/v1/*', hold: 'during' }],
  ] as const) {
    it(`refuses a fault with ${label} with 400`, async () => {
      const reply = await h.raw('POST', '/sandbox/faults', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 'invalid-fault');
    });
  }

  it('logs /v1 requests with method, raw path, query, status, start and duration, never credentials', async () => {
    assert.equal((await h.raw('DELETE', '/sandbox/requests')).status, 200);
    await h.request('GET', '/v1/availableNumbers/local?areaCode=919&quantity=2');
    await h.request('GET', `${h.userPath}/phoneNumbers/%2B19195550100`);
    await h.raw('GET', `${h.userPath}/applications`);
    await h.raw('GET', '/sandbox/health');
    const reply = await h.raw('GET', '/sandbox/requests');
    assert.equal(reply.status, 200);
    const log = reply.json;
    assert.equal(log.length, 3, 'only /v1 requests are logged');
    assert.deepEqual(
      log.map((e: { method: string; path: string; query: unknown; status: number }) => [
        e.method,
        e.path,
        e.query,
        e.status,
      ]),
      [
        ['GET', '/v1/availableNumbers/local', { areaCode: '919', quantity: '2' }, 200],
        ['GET', `${h.userPath}/phoneNumbers/%2B19195550100`, {}, 404],
        ['GET', `${h.userPath}/applications`, {}, 401],
      ],
    );
    for (const entry of log) {
      assert.ok(!Number.isNaN(Date.parse(entry.startedAt)));
      assert.ok(entry.durationMs >= 0);
    }
    assert.doesNotMatch(reply.text, new RegExp(h.sandbox.account.apiSecret));
    assert.doesNotMatch(reply.text, /authorization/i);
    await h.raw('DELETE', '/sandbox/requests');
    assert.deepEqual((await h.raw('GET', '/sandbox/requests')).json, []);
  });

  it('proves an order happened exactly once', async () => {
    await h.raw('DELETE', '/sandbox/requests');
    await h.request('POST', '/v1/availableNumbers/local?areaCode=305&quantity=1');
    const orders = (await h.raw('GET', '/sandbox/requests')).json.filter(
      (e: { method: string; path: string; status: number }) =>
        e.method === 'POST' && e.path === '/v1/availableNumbers/local' && e.status === 201,
    );
    assert.equal(orders.length, 1);
  });
});
