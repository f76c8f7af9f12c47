// /v1/users/{userId}/applications (docs/contracts/catapult-v1.md §7) and the list paging rules every list shares (§3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLBACK, parseLinks, startSandbox, type SandboxHarness } from './resources-harness';

describe('applications', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandbox();
  });
  after(() => h.close());
  const apps = () => `${h.userPath}/applications`;

  it('creates with 201, an empty body and a relative Location; defaults autoAnswer to true', async () => {
    const reply = await h.request('POST', apps(), { name: 'Voice Reference App', incomingCallUrl: CALLBACK });
    assert.equal(reply.status, 201);
    assert.equal(reply.text, '');
    const location = reply.headers.get('location')!;
    assert.match(location, new RegExp(`^${apps()}/a-[a-z0-9]{25}$`));
    const got = await h.request('GET', location);
    assert.equal(got.status, 200);
    assert.equal(got.json.id, location.split('/').pop());
    assert.equal(got.json.name, 'Voice Reference App');
    assert.equal(got.json.incomingCallUrl, CALLBACK);
    assert.equal(got.json.autoAnswer, true);
    assert.equal(got.json.callbackHttpMethod.toUpperCase(), 'POST');
    const record = h.sandbox.context.directory.getApplication(h.sandbox.account.userId, got.json.id);
    assert.equal(record?.autoAnswer, true);
    assert.equal(record?.callbackHttpMethod, 'POST');
  });

  it('accepts string booleans, lower-case methods, timeouts and userinfo in callback URLs', async () => {
    const id = await h.create(apps(), {
      name: 'strings',
      incomingCallUrl: 'https://user:pass@example.test/hook',
      incomingCallUrlCallbackTimeout: 10000,
      incomingCallFallbackUrl: 'https://example.test/fallback',
      callbackHttpMethod: 'get',
      autoAnswer: 'false',
    });
    const got = (await h.request('GET', `${apps()}/${id}`)).json;
    assert.equal(got.autoAnswer, false);
    assert.equal(got.callbackHttpMethod.toUpperCase(), 'GET');
    assert.equal(got.incomingCallUrlCallbackTimeout, 10000);
    assert.equal(got.incomingCallFallbackUrl, 'https://example.test/fallback');
    const record = h.sandbox.context.directory.getApplication(h.sandbox.account.userId, id);
    assert.equal(record?.callbackHttpMethod, 'GET');
    assert.equal(record?.autoAnswer, false);
    assert.equal(record?.incomingCallUrl, 'https://user:pass@example.test/hook');
  });

  it('accepts a message-only application', async () => {
    assert.equal((await h.request('POST', apps(), { name: 'sms', incomingMessageUrl: CALLBACK })).status, 201);
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['no callback URL', { name: 'x' }, 'validation-error', /at least one callback URL|a least one callback URL/],
    ['no name', { incomingCallUrl: CALLBACK }, 'validation-error', /name/],
    [
      'timeout above 10000',
      { name: 'x', incomingCallUrl: CALLBACK, incomingCallUrlCallbackTimeout: 10001 },
      'validation-error',
      /must not surpass 10000/,
    ],
    [
      'timeout 0',
      { name: 'x', incomingCallUrl: CALLBACK, incomingCallUrlCallbackTimeout: 0 },
      'validation-error',
      /greater than 0/,
    ],
    [
      'non-numeric timeout',
      { name: 'x', incomingCallUrl: CALLBACK, incomingCallUrlCallbackTimeout: 'soon' },
      'validation-error',
      /whole number/,
    ],
    ['method PUT', { name: 'x', incomingCallUrl: CALLBACK, callbackHttpMethod: 'PUT' }, 'validation-error', /GET|POST/],
    [
      'autoAnswer "yes"',
      { name: 'x', incomingCallUrl: CALLBACK, autoAnswer: 'yes' },
      'validation-error',
      /true or false/,
    ],
    ['relative callback', { name: 'x', incomingCallUrl: '/callbacks' }, 'callback-invalid-url', /incomingCallUrl/],
    ['ftp callback', { name: 'x', incomingCallUrl: 'ftp://example.test/x' }, 'callback-invalid-url', /incomingCallUrl/],
  ];
  for (const [label, body, code, message] of invalid) {
    it(`refuses ${label} with 400 ${code}`, async () => {
      const reply = await h.request('POST', apps(), body);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.category, 'bad-request');
      assert.equal(reply.json.code, code);
      assert.match(reply.json.message, message);
    });
  }

  it('updates partially with 200 and an empty body', async () => {
    const id = await h.create(apps(), { name: 'before', incomingCallUrl: CALLBACK, autoAnswer: true });
    const reply = await h.request('POST', `${apps()}/${id}`, { autoAnswer: false });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '');
    const got = (await h.request('GET', `${apps()}/${id}`)).json;
    assert.equal(got.name, 'before');
    assert.equal(got.incomingCallUrl, CALLBACK);
    assert.equal(got.autoAnswer, false);
    await h.request('POST', `${apps()}/${id}`, { incomingCallUrl: 'https://example.test/new', name: 'after' });
    const renamed = (await h.request('GET', `${apps()}/${id}`)).json;
    assert.equal(renamed.name, 'after');
    assert.equal(renamed.incomingCallUrl, 'https://example.test/new');
  });

  it('refuses an update that breaks a rule and keeps the application as it was', async () => {
    const id = await h.create(apps(), { name: 'keep', incomingCallUrl: CALLBACK });
    const removeLastUrl = await h.request('POST', `${apps()}/${id}`, { incomingCallUrl: '' });
    assert.equal(removeLastUrl.status, 400);
    assert.equal(removeLastUrl.json.code, 'validation-error');
    const badTimeout = await h.request('POST', `${apps()}/${id}`, {
      name: 'changed',
      incomingCallUrlCallbackTimeout: 20000,
    });
    assert.equal(badTimeout.status, 400);
    const got = (await h.request('GET', `${apps()}/${id}`)).json;
    assert.equal(got.name, 'keep');
    assert.equal(got.incomingCallUrl, CALLBACK);
  });

  it('deletes with 200, then 404 application-not-found; numbers and endpoints are detached', async () => {
    const id = await h.create(apps(), { name: 'doomed', incomingCallUrl: CALLBACK });
    const ordered = (await h.request('POST', '/v1/availableNumbers/local?areaCode=312&quantity=1')).json[0];
    const numberPath = ordered.location.replace(h.sandbox.baseUrl, '');
    await h.request('POST', numberPath, { applicationId: id });
    const reply = await h.request('DELETE', `${apps()}/${id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '');
    for (const method of ['GET', 'DELETE']) {
      const gone = await h.request(method, `${apps()}/${id}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.json.code, 'application-not-found');
    }
    assert.equal((await h.request('POST', `${apps()}/${id}`, { name: 'x' })).status, 404);
    assert.equal((await h.request('GET', numberPath)).json.applicationId, undefined);
  });

  describe('paging', () => {
    let own: SandboxHarness;
    before(async () => {
      own = await startSandbox();
      for (let i = 0; i < 5; i += 1)
        await own.create(`${own.userPath}/applications`, { name: `app ${i}`, incomingCallUrl: CALLBACK });
    });
    after(() => own.close());
    const list = (query: string) => own.request('GET', `${own.userPath}/applications${query}`);

    it('defaults to page 0 and 25 items with first and last links only', async () => {
      const reply = await list('');
      assert.equal(reply.json.length, 5);
      const links = parseLinks(reply.headers.get('link'));
      assert.deepEqual(Object.keys(links).sort(), ['first', 'last']);
      assert.equal(links.first, `${own.sandbox.baseUrl}${own.userPath}/applications?page=0&size=25`);
    });

    it('walks the pages through absolute next links in creation order', async () => {
      const names: string[] = [];
      let url: string | undefined = `${own.sandbox.baseUrl}${own.userPath}/applications?size=2`;
      let pages = 0;
      while (url) {
        const reply = await own.request('GET', url.replace(own.sandbox.baseUrl, ''));
        names.push(...reply.json.map((a: { name: string }) => a.name));
        const links = parseLinks(reply.headers.get('link'));
        if (pages > 0) assert.ok(links.previous, 'pages after the first link back');
        url = links.next;
        pages += 1;
      }
      assert.equal(pages, 3);
      assert.deepEqual(names, ['app 0', 'app 1', 'app 2', 'app 3', 'app 4']);
    });

    it('answers an empty array past the last page', async () => {
      const reply = await list('?page=9&size=2');
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json, []);
      assert.equal(parseLinks(reply.headers.get('link')).next, undefined);
    });

    for (const query of ['?size=0', '?size=1001', '?size=ten', '?page=-1', '?page=1.5']) {
      it(`refuses ${query} with 400`, async () => {
        const reply = await list(query);
        assert.equal(reply.status, 400);
        assert.equal(reply.json.category, 'bad-request');
      });
    }

    it('accepts size=1000', async () => {
      assert.equal((await list('?size=1000')).status, 200);
    });
  });
});
