// Router behaviour every /v1 route shares: Basic auth, user scoping, 404/405, JSON bodies, error shape.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth, CALLBACK, startSandbox, type SandboxHarness } from './resources-harness';

describe('sandbox router', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandbox();
  });
  after(() => h.close());

  it('answers the health check without credentials', async () => {
    const reply = await h.raw('GET', '/sandbox/health');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, { ok: true });
  });

  it('exposes 127.0.0.1 URLs for REST and SIP', () => {
    assert.match(h.sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h.sandbox.apiUrl, `${h.sandbox.baseUrl}/v1`);
    assert.equal(h.sandbox.websocketUrl, `${h.sandbox.baseUrl.replace('http:', 'ws:')}/sip`);
    assert.match(h.sandbox.account.userId, /^u-[a-z0-9]{25}$/);
    assert.match(h.sandbox.account.apiToken, /^t-/);
    assert.ok(h.sandbox.account.apiSecret.length >= 20);
  });

  it('refuses /v1 requests without credentials with 401 authentication', async () => {
    const reply = await h.raw('GET', `${h.userPath}/applications`);
    assert.equal(reply.status, 401);
    assert.equal(reply.json.category, 'authentication');
    assert.equal(typeof reply.json.code, 'string');
    assert.match(reply.headers.get('www-authenticate') ?? '', /^Basic/);
  });

  it('refuses a wrong secret and an unknown token', async () => {
    const { apiToken } = h.sandbox.account;
    for (const authorization of [
      basicAuth(apiToken, 'wrong-secret'),
      basicAuth('t-unknown', h.sandbox.account.apiSecret),
      'Bearer abc',
    ]) {
      const reply = await h.raw('GET', `${h.userPath}/applications`, { headers: { authorization } });
      assert.equal(reply.status, 401, authorization);
      assert.equal(reply.json.category, 'authentication');
    }
  });

  it("refuses another user's path with 401 user-access-denied", async () => {
    const reply = await h.request('GET', '/v1/users/u-someoneelse000000000000000/applications');
    assert.equal(reply.status, 401);
    assert.equal(reply.json.code, 'user-access-denied');
  });

  it('also requires credentials for the (not user-scoped) available numbers', async () => {
    const reply = await h.raw('GET', '/v1/availableNumbers/local?areaCode=919');
    assert.equal(reply.status, 401);
  });

  it('answers an unknown route with a 404 Catapult error naming the request', async () => {
    const reply = await h.request('GET', `${h.userPath}/nothingHere`);
    assert.equal(reply.status, 404);
    assert.equal(reply.json.category, 'not-found');
    assert.equal(reply.json.code, 'resource-not-found');
    assert.deepEqual(
      reply.json.details.filter((d: { name: string }) => d.name.startsWith('request')),
      [
        { name: 'requestMethod', value: 'GET' },
        { name: 'requestPath', value: `users/${h.sandbox.account.userId}/nothingHere` },
      ],
    );
  });

  it('answers an unknown method on a known path with 405 and Allow', async () => {
    const reply = await h.request('PUT', `${h.userPath}/applications`, { name: 'x' });
    assert.equal(reply.status, 405);
    assert.deepEqual(reply.headers.get('allow')?.split(', ').sort(), ['GET', 'POST']);
    assert.equal(reply.json.code, 'method-not-allowed');
  });

  it('refuses a body declared as JSON that does not parse with 400', async () => {
    const reply = await h.request('POST', `${h.userPath}/applications`, undefined, {
      'content-type': 'application/json',
    });
    assert.equal(reply.status, 400, 'an empty body is not an application');
    const broken = await h.raw('POST', `${h.userPath}/applications`, {
      headers: {
        authorization: basicAuth(h.sandbox.account.apiToken, h.sandbox.account.apiSecret),
        'content-type': 'application/json',
      },
      body: '{"name": "x",',
    });
    assert.equal(broken.status, 400);
    assert.equal(broken.json.category, 'bad-request');
    assert.equal(broken.json.code, 'invalid-json');
  });

  it('tolerates a trailing slash', async () => {
    const reply = await h.request('GET', `${h.userPath}/applications/`);
    assert.equal(reply.status, 200);
    assert.ok(Array.isArray(reply.json));
  });

  it('turns a handler crash into a logged 500 Catapult error without the stack', async () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const own = await startSandbox({
      log: (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) }),
    });
    try {
      own.sandbox.context.router.add('GET', '/v1/users/:userId/explode', () => {
        throw new Error('boom');
      });
      const reply = await own.request('GET', `${own.userPath}/explode`);
      assert.equal(reply.status, 500);
      assert.equal(reply.json.code, 'internal-server-error');
      assert.doesNotMatch(reply.text, /boom/);
      assert.ok(
        logged.some(
          (entry) => entry.message === 'sandbox route failed' && String(entry.fields?.error).includes('boom'),
        ),
      );
      assert.ok(!JSON.stringify(logged).includes(own.sandbox.account.apiSecret), 'the secret is never logged');
    } finally {
      await own.close();
    }
  });

  it('gives route handlers URL-decoded params and the authenticated account', async () => {
    h.sandbox.context.router.add('GET', '/v1/users/:userId/echo/:value', (request) => ({
      status: 200,
      body: { value: request.params.value, userId: request.account?.userId },
    }));
    const reply = await h.request('GET', `${h.userPath}/echo/%2B19195551212`);
    assert.deepEqual(reply.json, { value: '+19195551212', userId: h.sandbox.account.userId });
  });

  it('uses configured credentials and starts fast', async () => {
    const started = Date.now();
    const own = await startSandbox({ account: { userId: 'u-fixed', apiToken: 't-fixed', apiSecret: 's-fixed' } });
    try {
      assert.ok(Date.now() - started < 1000);
      const reply = await own.raw('POST', '/v1/users/u-fixed/applications', {
        headers: { authorization: basicAuth('t-fixed', 's-fixed'), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a', incomingCallUrl: CALLBACK }),
      });
      assert.equal(reply.status, 201);
    } finally {
      await own.close();
    }
  });
});

describe('sandbox router with a fake clock', () => {
  it('keeps wall-clock times in the request log and rate-limit resets', async () => {
    const h = await startSandbox({ now: () => Date.parse('2001-01-01T00:00:00Z') });
    try {
      await h.raw('POST', '/sandbox/faults', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/v1/*', preset: 'rate-limit' }),
      });
      const reply = await h.request('GET', `${h.userPath}/applications`);
      assert.ok(Math.abs(Number(reply.headers.get('x-ratelimit-reset')) - Date.now()) < 5000);
      const [entry] = (await h.raw('GET', '/sandbox/requests')).json;
      assert.ok(Math.abs(Date.parse(entry.startedAt) - Date.now()) < 5000);
    } finally {
      await h.close();
    }
  });

  it('never lets the request target choose the host of Link URLs', async () => {
    const h = await startSandbox();
    try {
      const { request } = await import('node:http');
      const url = new URL(h.sandbox.baseUrl);
      const link = await new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: `/${h.userPath}/applications`, // '//v1/…' would resolve to a host named 'v1'
            headers: { authorization: basicAuth(h.sandbox.account.apiToken, h.sandbox.account.apiSecret) },
          },
          (res) => {
            res.resume();
            resolve(String(res.headers.link ?? res.statusCode));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.doesNotMatch(link, /\/\/v1/);
      assert.match(link, new RegExp(`^<${h.sandbox.baseUrl}/`));
    } finally {
      await h.close();
    }
  });
});
