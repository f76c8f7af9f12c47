// The Bandwidth side's control API: faults shape the next matching OAuth / Numbers / Voice requests in each API's
// own error shape (or drop or delay them), the request log records what reached /api, the observer hook sees each
// request as sent, and the settings refuse values that would break the platform.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startBandwidth, type BwHarness } from './bw-harness';

let h: BwHarness;

before(async () => {
  h = await startBandwidth();
});
afterEach(async () => {
  await h.control('DELETE', '/faults');
});
after(() => h.close());

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  durationMs: number;
  faultId?: string;
}
const requestLog = async () => (await h.control('GET', '/requests')).json as LoggedRequest[];

test('a rate-limit fault on the Numbers API: 429, no body, X-RateLimit-Reset in epoch seconds; then served', async () => {
  await h.control('DELETE', '/requests');
  const armed = await h.control('POST', '/faults', { family: 'numbers', method: 'GET', preset: 'rate-limit' });
  assert.equal(armed.status, 201);
  const limited = await h.numbers('GET', '/sites');
  assert.equal(limited.status, 429);
  assert.equal(limited.text, '');
  const reset = Number(limited.headers.get('x-ratelimit-reset'));
  assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 2, `reset ${reset}`);
  assert.equal((await h.numbers('GET', '/sites')).status, 200, 'count 1: the next request is served');
  const sites = (await requestLog()).filter((r) => r.path.endsWith('/sites'));
  assert.deepEqual(
    sites.map((r) => [r.status, r.faultId]),
    [
      [429, armed.json.id],
      [200, undefined],
    ],
  );
});

test('a rate-limit fault on the Voice API: 429 + Retry-After with its JSON error, as over the account limits', async () => {
  await h.control('POST', '/faults', { family: 'voice', preset: 'rate-limit' });
  const limited = await h.voice('GET', '/calls/c-1');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.deepEqual(limited.json, { type: 'error', description: 'Account call creation rate limit exceeded', id: null });
});

test('server errors in the Voice API and OAuth shapes; faults never touch /sandbox', async () => {
  await h.control('POST', '/faults', { path: '/api/v2/*', preset: 'server-error' });
  await h.control('POST', '/faults', { family: 'oauth', status: 503 });
  await h.control('POST', '/faults', { path: '/sandbox/bandwidth/*', status: 500 });
  const voice = await fetch(`${h.sandbox.bandwidth.voiceUrl}/api/v2/accounts/${h.accountId}/calls/c-1`);
  assert.equal(voice.status, 500, 'the fault comes before the token check');
  assert.equal(((await voice.json()) as { type: string }).type, 'internal-server-error');
  const oauth = await fetch(h.sandbox.bandwidth.oauthUrl, { method: 'POST' });
  assert.equal(oauth.status, 503);
  assert.equal(((await oauth.json()) as { error: string }).error, 'server_error');
  assert.equal((await h.control('GET', '/settings')).status, 200);
  assert.ok((await h.token()).length > 0, 'each fault was used once');
});

test('drop destroys the socket (logged with status 0); delayMs delays, then serves normally', async () => {
  await h.control('DELETE', '/requests');
  await h.control('POST', '/faults', { family: 'voice', drop: true });
  await assert.rejects(h.voice('GET', '/calls/c-dropped'));
  await h.control('POST', '/faults', { path: `/api/accounts/${h.accountId}/sites`, delayMs: 300 });
  const started = Date.now();
  assert.equal((await h.numbers('GET', '/sites')).status, 200);
  assert.ok(Date.now() - started >= 290, `served after ${Date.now() - started} ms`);
  const log = await requestLog();
  assert.equal(log.find((r) => r.path.endsWith('/calls/c-dropped'))?.status, 0);
  assert.ok(log.find((r) => r.path.endsWith('/sites'))!.durationMs >= 290);
  assert.ok(
    log.every((r) => !r.path.startsWith('/sandbox')),
    'control requests are not logged',
  );
});

test('faults are listed with remaining and hits, cleared at once; bad specs are 400 invalid-fault', async () => {
  await h.control('POST', '/faults', { family: 'numbers', status: 500, count: 3 });
  assert.equal((await h.numbers('GET', '/sites')).status, 500);
  const listed = (await h.control('GET', '/faults')).json as Array<{ remaining: number; hits: number }>;
  assert.deepEqual(
    listed.map((f) => [f.remaining, f.hits]),
    [[2, 1]],
  );
  await h.control('DELETE', '/faults');
  assert.equal((await h.numbers('GET', '/sites')).status, 200);
  for (const spec of [
    { family: 'calls', status: 500 }, // a Catapult family: it would never match here
    { family: 'voice', preset: 'call-rate-limit' },
    { status: 500 },
    { path: 'api/v2/*' },
    { family: 'voice', count: 0 },
  ]) {
    const refused = await h.control('POST', '/faults', spec);
    assert.equal(refused.status, 400, JSON.stringify(spec));
    assert.equal(refused.json.code, 'invalid-fault');
  }
  assert.deepEqual((await h.control('GET', '/faults')).json, []);
});

test('observeRequest sees each API request as sent, without its Authorization header', async () => {
  const from = h.observed.length;
  await h.numbers('POST', '/sites', '<Site><Name>observed</Name></Site>');
  await h.numbers('GET', '/availableNumbers?areaCode=919&quantity=2');
  await h.numbers('GET', '/sites', undefined, 'not-a-token');
  const seen = h.observed.slice(from).filter((r) => r.api === 'numbers');
  assert.deepEqual(
    seen.map((r) => ({ method: r.method, path: r.path, query: r.query, contentType: r.contentType, body: r.body })),
    [
      {
        method: 'POST',
        path: `/api/accounts/${h.accountId}/sites`,
        query: {},
        contentType: 'application/xml',
        body: '<Site><Name>observed</Name></Site>',
      },
      {
        method: 'GET',
        path: `/api/accounts/${h.accountId}/availableNumbers`,
        query: { areaCode: '919', quantity: '2' },
        contentType: undefined,
        body: '',
      },
    ],
    'a request refused at the token check is not observed',
  );
  assert.ok(seen.every((r) => !('authorization' in r) && !JSON.stringify(r).includes('Bearer')));
});

test('settings: known names with valid values only; null clears the optional In-App routing', async () => {
  const before = (await h.control('GET', '/settings')).json as Record<string, unknown>;
  for (const change of [
    { callsPerSecond: -1 },
    { orderDelayMs: 1.5 },
    { tokenTtlSeconds: '60' },
    { inAppCallingNumber: null },
    { inAppCallingNumber: '9845550199' },
    { inAppCallingApplicationId: '' },
    { noSuchSetting: 1 },
  ]) {
    const refused = await h.control('PUT', '/settings', change);
    assert.equal(refused.status, 400, JSON.stringify(change));
    assert.equal(refused.json.code, 'validation-error');
  }
  assert.deepEqual((await h.control('GET', '/settings')).json, before, 'a refused change changes nothing');
  const set = await h.control('PUT', '/settings', {
    inAppCallingApplicationId: 'app-x',
    inAppCallingNumber: '+19845550100',
  });
  assert.equal(set.json.inAppCallingApplicationId, 'app-x');
  const cleared = await h.control('PUT', '/settings', {
    inAppCallingApplicationId: null,
    inAppCallingNumber: before.inAppCallingNumber,
  });
  assert.deepEqual(cleared.json, before);
});
