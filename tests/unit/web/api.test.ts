import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, createApiClient, loadClientConfig } from '../../../web/src/api';

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function stubFetch(respond: (request: Recorded) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const request: Recorded = {
      url: input instanceof Request ? input.url : input.toString(),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    };
    requests.push(request);
    if (init?.signal?.aborted) throw init.signal.reason;
    return respond(request);
  }) as typeof fetch;
  return { fetchImpl, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const session = {
  token: 't0k',
  expiresAt: '2026-11-26T11:00:00Z',
  user: {
    username: 'alice',
    number: '+19195550100',
    nationalNumber: '(919) 555-0100',
    sipUri: 'sip:a@d',
    createdAt: 'x',
  },
};

describe('api client', () => {
  it('sends the bearer token on authenticated calls and none on public ones', async () => {
    const { fetchImpl, requests } = stubFetch((request) =>
      request.url.endsWith('/api/me/calls') ? json(200, { calls: [] }) : json(200, session),
    );
    const api = createApiClient({
      baseUrl: 'https://api.example.test/',
      getToken: () => 'secret-token',
      fetch: fetchImpl,
    });
    assert.deepEqual(await api.listCalls(), { calls: [] });
    await api.logIn({ username: 'alice' });
    assert.equal(requests[0]!.url, 'https://api.example.test/api/me/calls');
    assert.equal(requests[0]!.headers.Authorization, 'Bearer secret-token');
    assert.equal(requests[1]!.url, 'https://api.example.test/api/login');
    assert.equal(requests[1]!.method, 'POST');
    assert.equal(requests[1]!.headers.Authorization, undefined);
    assert.equal(requests[1]!.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(requests[1]!.body!), { username: 'alice' });
  });

  it('maps every endpoint to its route', async () => {
    const { fetchImpl, requests } = stubFetch(() => json(200, {}));
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:7071', getToken: () => 't', fetch: fetchImpl });
    await api.searchNumbers({ city: 'Cary', state: 'NC', areaCode: '', quantity: 5 });
    await api.signUp({ username: 'bob', number: '+19195550101' });
    await api.getMe();
    await api.getSipCredentials();
    await api.createWebRtcToken();
    assert.deepEqual(
      requests.map((request) => `${request.method} ${request.url.replace('http://127.0.0.1:7071', '')}`),
      [
        'GET /api/numbers?city=Cary&state=NC&quantity=5',
        'POST /api/users',
        'GET /api/me',
        'GET /api/me/sip',
        'POST /api/me/webrtc-token',
      ],
    );
  });

  it('surfaces the server error code, message and field', async () => {
    const { fetchImpl } = stubFetch(() =>
      json(409, { error: { code: 'username-taken', message: 'That username is taken.', field: 'username' } }),
    );
    const api = createApiClient({ baseUrl: 'http://x', getToken: () => undefined, fetch: fetchImpl });
    await assert.rejects(api.signUp({ username: 'alice', number: '+19195550100' }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'username-taken');
      assert.equal(error.status, 409);
      assert.equal(error.field, 'username');
      assert.equal(error.message, 'That username is taken.');
      return true;
    });
  });

  it('reports a 401 on an authenticated call so the app logs out', async () => {
    let loggedOut = 0;
    const { fetchImpl } = stubFetch(() => json(401, { error: { code: 'unauthorized', message: 'Session expired.' } }));
    const api = createApiClient({
      baseUrl: 'http://x',
      getToken: () => 'old',
      fetch: fetchImpl,
      onUnauthorized: () => loggedOut++,
    });
    await assert.rejects(api.getMe(), { code: 'unauthorized', status: 401 });
    assert.equal(loggedOut, 1);
  });

  it('on a 401 refreshes the access token once and sends the request again with the new one', async () => {
    let token = 'expired';
    let refreshes = 0;
    let loggedOut = 0;
    const { fetchImpl, requests } = stubFetch((request) =>
      request.headers.Authorization === 'Bearer fresh'
        ? json(200, { calls: [] })
        : json(401, { error: { code: 'unauthorized', message: 'The session token has expired.' } }),
    );
    const api = createApiClient({
      baseUrl: 'http://x',
      getToken: () => token,
      refreshToken: async () => {
        refreshes++;
        token = 'fresh';
        return true;
      },
      onUnauthorized: () => loggedOut++,
      fetch: fetchImpl,
    });
    assert.deepEqual(await api.listCalls(), { calls: [] });
    assert.deepEqual(
      requests.map((r) => r.headers.Authorization),
      ['Bearer expired', 'Bearer fresh'],
    );
    assert.deepEqual([refreshes, loggedOut], [1, 0]);
  });

  it('logs out when the refresh is refused (the session ended), and never refreshes for public calls', async () => {
    let loggedOut = 0;
    let refreshes = 0;
    const { fetchImpl, requests } = stubFetch(() =>
      json(401, { error: { code: 'unauthorized', message: 'This session has ended.' } }),
    );
    const api = createApiClient({
      baseUrl: 'http://x',
      getToken: () => 'old',
      refreshToken: async () => (refreshes++, false),
      onUnauthorized: () => loggedOut++,
      fetch: fetchImpl,
    });
    await assert.rejects(api.getMe(), { code: 'unauthorized', status: 401 });
    assert.deepEqual([refreshes, loggedOut, requests.length], [1, 1, 1]);
    await assert.rejects(api.refreshSession('rt1.x'), { code: 'unauthorized' });
    assert.deepEqual([refreshes, loggedOut], [1, 1], 'the refresh call itself neither refreshes nor logs out');
  });

  it('speaks the account routes: DELETE with 204, passkey options and answers as JSON', async () => {
    const { fetchImpl, requests } = stubFetch((request) =>
      request.method === 'DELETE' && request.url.includes('/api/me/sessions/')
        ? new Response(null, { status: 204 })
        : json(200, { ok: true }),
    );
    const api = createApiClient({ baseUrl: 'http://x', getToken: () => 't', fetch: fetchImpl });
    assert.equal(await api.endSession('current'), undefined);
    await api.endAllSessions();
    await api.passkeyLoginOptions('alice');
    await api.passkeyLoginOptions();
    await api.removePasskey('a/b');
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.url} ${r.body ?? ''} ${r.headers.Authorization ?? '-'}`),
      [
        'DELETE http://x/api/me/sessions/current  Bearer t',
        'DELETE http://x/api/me/sessions  Bearer t',
        'POST http://x/api/login/passkey/options {"username":"alice"} -',
        'POST http://x/api/login/passkey/options {} -',
        'DELETE http://x/api/me/passkeys/a%2Fb  Bearer t',
      ],
    );
  });

  it('refuses an authenticated call without a token, without a request', async () => {
    const { fetchImpl, requests } = stubFetch(() => json(200, {}));
    const api = createApiClient({ baseUrl: 'http://x', getToken: () => undefined, fetch: fetchImpl });
    await assert.rejects(api.listCalls(), { code: 'unauthorized' });
    assert.equal(requests.length, 0);
  });

  it('turns network failures, timeouts and foreign answers into client codes', async () => {
    const failing = stubFetch(() => {
      throw new TypeError('fetch failed');
    });
    const api = createApiClient({ baseUrl: 'http://x', getToken: () => 't', fetch: failing.fetchImpl });
    await assert.rejects(api.getMe(), { code: 'network-error' });

    const slowApi = createApiClient({
      baseUrl: 'http://x',
      getToken: () => 't',
      timeoutMs: 20,
      // AbortSignal.timeout's timer does not keep Node alive; a real socket would. Hold the loop open like one.
      fetch: ((input: string, init: RequestInit) =>
        new Promise((_, reject) => {
          const socketStandIn = setTimeout(() => {}, 10_000);
          init.signal!.addEventListener('abort', () => {
            clearTimeout(socketStandIn);
            reject(init.signal!.reason as Error);
          });
        })) as typeof fetch,
    });
    await assert.rejects(slowApi.getMe(), { code: 'timeout' });

    const html = stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await assert.rejects(createApiClient({ baseUrl: 'http://x', getToken: () => 't', fetch: html.fetchImpl }).getMe(), {
      code: 'bad-response',
      status: 502,
    });
    const empty = stubFetch(() => new Response('', { status: 200 }));
    await assert.rejects(
      createApiClient({ baseUrl: 'http://x', getToken: () => 't', fetch: empty.fetchImpl }).getMe(),
      {
        code: 'bad-response',
      },
    );
  });
});

describe('loadClientConfig', () => {
  it('reads apiBaseUrl and iceServers, trimming trailing slashes', async () => {
    const { fetchImpl } = stubFetch(() =>
      json(200, { apiBaseUrl: 'https://app.azurewebsites.net/', iceServers: [{ urls: 'stun:stun.example.test' }] }),
    );
    assert.deepEqual(await loadClientConfig('https://web.test/config.json', 'https://web.test', fetchImpl), {
      apiBaseUrl: 'https://app.azurewebsites.net',
      iceServers: [{ urls: 'stun:stun.example.test' }],
    });
  });

  it('falls back to the page origin when there is no config.json', async () => {
    const { fetchImpl } = stubFetch(() => new Response('not found', { status: 404 }));
    assert.deepEqual(await loadClientConfig('https://web.test/config.json', 'https://web.test', fetchImpl), {
      apiBaseUrl: 'https://web.test',
      iceServers: [],
    });
  });

  it('rejects a malformed config with config-missing', async () => {
    for (const body of [
      {},
      { apiBaseUrl: 'javascript:alert(1)' },
      { apiBaseUrl: 'https://a', iceServers: [{ url: 'x' }] },
    ]) {
      const { fetchImpl } = stubFetch(() => json(200, body));
      await assert.rejects(
        loadClientConfig('/config.json', 'https://web.test', fetchImpl),
        { code: 'config-missing' },
        JSON.stringify(body),
      );
    }
    const offline = stubFetch(() => {
      throw new TypeError('offline');
    });
    await assert.rejects(loadClientConfig('/config.json', 'https://web.test', offline.fetchImpl), {
      code: 'network-error',
    });
  });
});
