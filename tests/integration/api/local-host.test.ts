// The local Functions host itself, with a fake VoiceApp: prefix and routes, 404/405 JSON errors,
// CORS for the configured origin only (preflight included), request bodies reaching the handlers, function keys
// for the operator's functions, timers on their schedule (and at start), and a close that lets requests finish.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalHost, type LocalHost } from '../../../dev/local-host';
import { callApi } from '../../support/api-client';
import { createFakeVoiceApp, SAMPLE_SESSION, VALID_BEARER, type FakeVoiceApp } from '../../support/fake-voice-app';

const DIALPAD = 'http://127.0.0.1:4280';
const KEY = 'local-operator-key-0123456789';
let host: LocalHost;
let fake: FakeVoiceApp;
const lines: string[] = [];

before(async () => {
  fake = createFakeVoiceApp();
  host = await startLocalHost({
    port: 0,
    env: {},
    corsOrigins: [DIALPAD],
    voiceApp: fake,
    log: (line) => lines.push(line),
    timers: false, // the tests below count calls; the timers have their own hosts
    functionKey: KEY,
  });
});
after(() => host.close());

describe('local host routing', () => {
  it('serves the functions under /api on 127.0.0.1', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await callApi(host.url, 'GET', '/api/health');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('passes the JSON body, query and headers through to the handler', async () => {
    const res = await callApi(host.url, 'POST', '/api/users', { body: { username: 'alice', number: '+19195551212' } });
    assert.equal(res.status, 201);
    assert.deepEqual(fake.calls.at(-1), {
      method: 'signUp',
      args: [
        { username: 'alice', number: '+19195551212', signature: undefined, signupCode: undefined },
        { clientAddress: '127.0.0.1', userAgent: 'node' },
      ],
    });
    const me = await callApi(host.url, 'GET', '/api/me', { headers: { authorization: VALID_BEARER } });
    assert.equal(me.status, 200);
    await callApi(host.url, 'GET', '/api/numbers?areaCode=919&quantity=3');
    assert.deepEqual(fake.calls.at(-1), {
      method: 'searchNumbers',
      args: [
        { areaCode: '919', quantity: 3 },
        { clientAddress: '127.0.0.1', userAgent: 'node' },
      ],
    });
  });

  it('appends the socket address to X-Forwarded-For as Azure does: a client-sent one cannot pick the address', async () => {
    for (const forged of ['203.0.113.99', '10.0.0.1, 198.51.100.7:443', 'unknown']) {
      await callApi(host.url, 'GET', '/api/numbers?areaCode=919', { headers: { 'x-forwarded-for': forged } });
      assert.deepEqual(fake.calls.at(-1)!.args[1], { clientAddress: '127.0.0.1', userAgent: 'node' }, forged);
    }
  });

  it('answers JSON 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const missing = await callApi(host.url, 'GET', '/api/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'not-found');
    const wrong = await callApi(host.url, 'DELETE', '/api/users');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.json.error.code, 'method-not-allowed');
    assert.equal(wrong.headers.get('allow'), 'POST');
  });

  it('logs one line per request without the query string', async () => {
    await callApi(host.url, 'GET', '/api/catapult/events?secretMarker=abc');
    assert.ok(lines.some((line) => /^GET \/api\/catapult\/events 200 \d+ms$/.test(line)));
    assert.ok(!lines.some((line) => line.includes('secretMarker')));
  });
});

describe('local host CORS', () => {
  it('allows the configured origin, with Vary: Origin', async () => {
    const res = await callApi(host.url, 'GET', '/api/health', { headers: { origin: DIALPAD } });
    assert.equal(res.headers.get('access-control-allow-origin'), DIALPAD);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  it('gives another origin no CORS headers', async () => {
    const res = await callApi(host.url, 'GET', '/api/health', { headers: { origin: 'http://127.0.0.1:9999' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('answers a preflight for Authorization and Content-Type from the allowed origin only', async () => {
    const preflight = (origin: string) =>
      callApi(host.url, 'OPTIONS', '/api/me/webrtc-token', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight(DIALPAD);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), DIALPAD);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'POST');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Content-Type/);
    const other = await preflight('http://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.equal(other.headers.get('access-control-allow-methods'), null);
    assert.equal(fake.calls.filter((call) => call.method === 'createWebRtcToken').length, 0);
  });
});

describe('local host function keys', () => {
  it("a function with authLevel 'function' needs the key, in x-functions-key or ?code=", async () => {
    const before = fake.calls.length;
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-functions-key': 'wrong' },
      { 'x-functions-key': `${KEY}x` },
    ];
    for (const headers of attempts) {
      const res = await callApi(host.url, 'GET', '/api/ops/doctor', { headers });
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'unauthorized');
    }
    assert.equal((await callApi(host.url, 'GET', `/api/ops/doctor?code=nope`)).status, 401);
    assert.equal(fake.calls.length, before, 'the function never ran without the key');
    const byHeader = await callApi(host.url, 'GET', '/api/ops/doctor', { headers: { 'x-functions-key': KEY } });
    assert.equal(byHeader.status, 200);
    const byQuery = await callApi(host.url, 'POST', `/api/ops/doctor/repair?code=${KEY}`);
    assert.equal(byQuery.status, 200);
    assert.deepEqual(
      fake.calls.slice(before).map((call) => call.args),
      [[{ repair: false }], [{ repair: true }]],
    );
    assert.equal((await callApi(host.url, 'GET', '/api/health')).status, 200, 'anonymous functions need none');
  });

  it('without a configured key those functions refuse everyone', async () => {
    const own = await startLocalHost({
      port: 0,
      env: {},
      voiceApp: createFakeVoiceApp(),
      log: () => undefined,
      timers: false,
    });
    try {
      const res = await callApi(own.url, 'GET', '/api/ops/doctor', { headers: { 'x-functions-key': '' } });
      assert.equal(res.status, 401);
    } finally {
      await own.close();
    }
  });
});

describe('local host timers', () => {
  // Deadlines, not delays: each wait ends as soon as its condition holds (generous for a loaded machine).
  const waitFor = async (what: string, check: () => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it("runs the maintenance timer at start and then on its schedule, with the host's VoiceApp", async () => {
    const own = createFakeVoiceApp();
    const log: string[] = [];
    const timed = await startLocalHost({
      port: 0,
      env: {},
      voiceApp: own,
      log: (line) => log.push(line),
      timerSchedules: { 'maintenance-run': '* * * * * *' },
    });
    try {
      assert.deepEqual(timed.timers.map((t) => t.name).sort(), ['calls-overdue-end', 'maintenance-run']);
      const runs = () => own.calls.filter((call) => call.method === 'runMaintenance').length;
      await waitFor('the start-up run', () => runs() >= 1);
      await waitFor('two scheduled runs', () => runs() >= 3, 10_000);
      assert.ok(log.some((line) => line.startsWith('[maintenance-run] information: maintenance done')));
    } finally {
      await timed.close();
    }
    const after = own.calls.length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(own.calls.length, after, 'no run after close');
  });

  it('never runs one timer twice at once: a tick during a run is skipped', async () => {
    const own = createFakeVoiceApp();
    let active = 0;
    let most = 0;
    let runs = 0;
    own.runMaintenance = async () => {
      runs++;
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 2500));
      active--;
      return undefined;
    };
    const timed = await startLocalHost({
      port: 0,
      env: {},
      voiceApp: own,
      log: () => undefined,
      timerSchedules: { 'maintenance-run': '* * * * * *' },
    });
    try {
      await new Promise((r) => setTimeout(r, 3200));
    } finally {
      await timed.close(); // waits for the run in progress
    }
    assert.equal(most, 1);
    assert.ok(runs >= 1 && runs <= 2, `${runs} runs in 3.2 s of 2.5 s runs`);
    assert.equal(active, 0, 'close() waited for the run in progress');
  });

  it('timers: false runs none', async () => {
    const own = createFakeVoiceApp();
    const quiet = await startLocalHost({
      port: 0,
      env: {},
      voiceApp: own,
      log: () => undefined,
      timers: false,
      timerSchedules: { 'maintenance-run': '* * * * * *' },
    });
    await new Promise((r) => setTimeout(r, 1500));
    await quiet.close();
    assert.deepEqual(own.calls, []);
  });
});

describe('local host close', () => {
  it('lets a request in progress finish before closing', async () => {
    const own = createFakeVoiceApp();
    let release: () => void = () => undefined;
    let arrived!: () => void;
    const inHandler = new Promise<void>((r) => (arrived = r));
    own.signUp = async () => {
      const held = new Promise<void>((r) => (release = r));
      arrived();
      await held;
      return { created: true, session: SAMPLE_SESSION };
    };
    const slow = await startLocalHost({ port: 0, env: {}, voiceApp: own, log: () => undefined, timers: false });
    const answer = callApi(slow.url, 'POST', '/api/users', { body: { username: 'alice', number: '+19195551212' } });
    await inHandler; // the sign-up is running in the host
    let closed = false;
    const closing = slow.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(closed, false, 'close waits for the sign-up');
    release();
    assert.equal((await answer).status, 201);
    await closing;
  });
});
