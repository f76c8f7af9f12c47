// Pure parts of call events: payload fields, request preparation, delivery with a stub fetch,
// fault rules and per-call ordering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventDispatcher, type EventLogEntry } from '../../../sandbox/events/event-dispatcher';
import { deliverEvent, prepareRequest, type FetchLike } from '../../../sandbox/events/event-delivery';
import { EventFaults, parseEventFault } from '../../../sandbox/events/event-faults';
import { buildEventPayload } from '../../../sandbox/events/event-payload';
import { clampTimeout, redactUrl } from '../../../sandbox/events/event-target';
import { SandboxHttpError } from '../../../sandbox/errors';

const call = { callId: 'c-1', userId: 'u-1', from: '+19195550100', to: '+19195550101', applicationId: 'a-1' };
const options = { baseUrl: 'http://127.0.0.1:1', time: Date.UTC(2026, 10, 26, 10, 0, 0, 7) };

test('each event type has exactly its documented fields, in order', () => {
  const callUri = 'http://127.0.0.1:1/v1/users/u-1/calls/c-1';
  const time = '2026-11-26T10:00:00.007Z';
  assert.deepEqual(buildEventPayload('incomingcall', call, options), {
    eventType: 'incomingcall',
    callId: 'c-1',
    callUri,
    from: call.from,
    to: call.to,
    callState: 'active',
    applicationId: 'a-1',
    time,
  });
  assert.deepEqual(Object.keys(buildEventPayload('answer', { ...call, tag: 't' }, options)), [
    'eventType',
    'from',
    'to',
    'callState',
    'callId',
    'callUri',
    'tag',
    'time',
  ]);
  assert.deepEqual(Object.keys(buildEventPayload('answer', call, options)), [
    'eventType',
    'from',
    'to',
    'callState',
    'callId',
    'callUri',
    'time',
  ]);
  assert.deepEqual(buildEventPayload('hangup', call, { ...options, cause: 'USER_BUSY' }), {
    eventType: 'hangup',
    callId: 'c-1',
    callUri,
    from: call.from,
    to: call.to,
    callState: 'completed',
    cause: 'USER_BUSY',
    time,
  });
  assert.deepEqual(buildEventPayload('timeout', { ...call, tag: 'ignored' }, options), {
    eventType: 'timeout',
    callId: 'c-1',
    callUri,
    from: call.from,
    to: call.to,
    time,
  });
});

test('userinfo becomes Basic auth; GET puts fields in the query; POST sends JSON', () => {
  const payload = { eventType: 'answer', callId: 'c-1' };
  const post = prepareRequest('http://us%3Aer:s3cr%40t@127.0.0.1:9/hook?x=1', 'POST', payload);
  assert.equal(post.url, 'http://127.0.0.1:9/hook?x=1');
  const headers = post.init.headers as Record<string, string>;
  assert.equal(headers.Authorization, `Basic ${Buffer.from('us:er:s3cr@t').toString('base64')}`);
  assert.equal(headers['Content-Type'], 'application/json; charset=utf-8');
  assert.equal(headers['User-Agent'], 'BandwidthAPI/v1');
  assert.equal(post.init.body, JSON.stringify(payload));
  const get = prepareRequest('http://127.0.0.1:9/hook?x=1', 'GET', payload);
  assert.equal(get.url, 'http://127.0.0.1:9/hook?x=1&eventType=answer&callId=c-1');
  assert.equal(get.init.body, undefined);
  assert.equal((get.init.headers as Record<string, string>).Authorization, undefined);
  assert.throws(() => prepareRequest('ftp://127.0.0.1/x', 'POST', payload));
  assert.equal(redactUrl('http://a:b@127.0.0.1:9/x'), 'http://127.0.0.1:9/x');
  assert.equal(clampTimeout(undefined), 10_000);
  assert.equal(clampTimeout(25_000), 10_000);
  assert.equal(clampTimeout(150), 150);
});

test('delivery: a failing primary goes to the fallback once; a network error is recorded', async () => {
  const seen: string[] = [];
  const fetchStub: FetchLike = async (url) => {
    seen.push(url);
    if (url.includes('primary'))
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'refused' } });
    return new Response(null, { status: 202 });
  };
  const target = {
    url: 'http://127.0.0.1:9/primary',
    fallbackUrl: 'http://127.0.0.1:9/fallback',
    method: 'POST' as const,
    timeoutMs: 100,
  };
  const result = await deliverEvent(target, { eventType: 'answer' }, { fetch: fetchStub });
  assert.equal(result.delivered, true);
  assert.equal(result.status, 202);
  assert.deepEqual(seen, ['http://127.0.0.1:9/primary', 'http://127.0.0.1:9/fallback']);
  assert.equal(result.attempts[0]!.error, 'ECONNREFUSED: refused');

  const noFallback = await deliverEvent(
    { ...target, fallbackUrl: undefined },
    { eventType: 'answer' },
    { fetch: fetchStub },
  );
  assert.equal(noFallback.delivered, false);
  assert.equal(noFallback.attempts.length, 1);

  // A real request keeps the process alive; the stub does the same, since the timeout timer is unref'd.
  const hanging: FetchLike = (_url, init) =>
    new Promise((_resolve, reject) => {
      const keepAlive = setTimeout(() => {}, 5000);
      init.signal!.addEventListener('abort', () => {
        clearTimeout(keepAlive);
        reject(new Error('aborted'));
      });
    });
  const timedOut = await deliverEvent(
    { ...target, fallbackUrl: undefined, timeoutMs: 30 },
    { eventType: 'answer' },
    { fetch: hanging },
  );
  assert.equal(timedOut.error, 'timed out after 30 ms');
});

test('fault specs are validated and consumed in order', () => {
  const bad = [
    {},
    { duplicate: 1 },
    { duplicate: 11 },
    { delayMs: -1 },
    { count: 0, duplicate: 2 },
    { eventType: '', duplicate: 2 },
    [],
  ];
  for (const body of bad)
    assert.throws(
      () => parseEventFault(body),
      (error: unknown) => error instanceof SandboxHttpError && error.status === 400,
    );
  const faults = new EventFaults();
  faults.add(parseEventFault({ eventType: 'hangup', callId: 'c-2', duplicate: 2, count: 2 }));
  faults.add(parseEventFault({ delayMs: 50 }));
  assert.deepEqual(faults.take('hangup', 'c-1'), { copies: 1, delayMs: 50 });
  assert.deepEqual(faults.take('hangup', 'c-1'), { copies: 1, delayMs: 0 });
  assert.deepEqual(faults.take('hangup', 'c-2'), { copies: 2, delayMs: 0 });
  assert.deepEqual(faults.list(), [{ eventType: 'hangup', callId: 'c-2', count: 1, duplicate: 2, delayMs: 0 }]);
  assert.deepEqual(faults.take('hangup', 'c-2'), { copies: 2, delayMs: 0 });
  assert.deepEqual(faults.list(), []);
});

test('the dispatcher keeps per-call order even when the first delivery is slow', async () => {
  const order: string[] = [];
  const fetchStub: FetchLike = async (url, init) => {
    const { eventType } = JSON.parse(init.body as string);
    if (eventType === 'incomingcall') await new Promise((resolve) => setTimeout(resolve, 50));
    order.push(`${new URL(url).pathname}:${eventType}`);
    return new Response(null, { status: 200 });
  };
  const dispatcher = new EventDispatcher({ faults: new EventFaults(), fetch: fetchStub });
  const log: EventLogEntry[] = [];
  const target = (path: string) => ({ url: `http://127.0.0.1:9${path}`, method: 'POST' as const, timeoutMs: 1000 });
  dispatcher.send('c-1', target('/one'), { eventType: 'incomingcall', time: 't1' }, (entry) => log.push(entry));
  dispatcher.send('c-1', target('/one'), { eventType: 'answer', time: 't2' }, (entry) => log.push(entry));
  dispatcher.send('c-2', target('/two'), { eventType: 'answer', time: 't3' }, (entry) => log.push(entry));
  await dispatcher.idle();
  assert.deepEqual(order, ['/two:answer', '/one:incomingcall', '/one:answer']);
  assert.deepEqual(
    log.map((entry) => [entry.eventType, entry.time, entry.delivered, entry.copy]),
    [
      ['answer', 't3', true, 1],
      ['incomingcall', 't1', true, 1],
      ['answer', 't2', true, 1],
    ],
  );
  await dispatcher.close();
  dispatcher.send('c-1', target('/one'), { eventType: 'hangup' }, (entry) => log.push(entry));
  await dispatcher.idle();
  assert.equal(log.length, 3, 'nothing is sent after close');
});
