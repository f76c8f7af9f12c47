// Domains (docs/contracts/catapult-v1.md §8), endpoints and their browser tokens (§9), and the Directory view of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basicAuth, CALLBACK, parseLinks, startSandbox, type SandboxHarness } from './resources-harness';

const SECOND = { userId: 'u-second', apiToken: 't-second', apiSecret: 'second-secret' };

describe('domains', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandbox({ extraAccounts: [SECOND] });
  });
  after(() => h.close());
  const domains = () => `${h.userPath}/domains`;

  it('creates with 201 + Location, gets and lists with the endpoints link', async () => {
    const reply = await h.request('POST', domains(), { name: 'k3fl2yi4ja6npqu', description: 'Voice Reference App' });
    assert.equal(reply.status, 201);
    assert.equal(reply.text, '');
    const location = reply.headers.get('location')!;
    assert.match(location, new RegExp(`^${domains()}/rd-[a-z0-9]{25}$`));
    const id = location.split('/').pop();
    const expected = {
      id,
      name: 'k3fl2yi4ja6npqu',
      description: 'Voice Reference App',
      endpoints: `${domains()}/${id}/endpoints`,
    };
    assert.deepEqual((await h.request('GET', location)).json, expected);
    assert.deepEqual(
      (await h.request('GET', domains())).json.find((d: { id: string }) => d.id === id),
      expected,
    );
  });

  it('accepts a create without description', async () => {
    const id = await h.create(domains(), { name: 'nodescription1' });
    assert.equal((await h.request('GET', `${domains()}/${id}`)).json.description, undefined);
  });

  for (const [label, name] of [
    ['upper case', 'MixedCase123'],
    ['an underscore', 'mycoolapp_stage'],
    ['a leading hyphen', '-abc'],
    ['a trailing hyphen', 'abc-'],
    ['a dot', 'a.b'],
    ['64 characters', 'a'.repeat(64)],
    ['an empty name', ''],
  ] as const) {
    it(`refuses a name with ${label} with 400 validation-error`, async () => {
      const reply = await h.request('POST', domains(), { name, description: 'x' });
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 'validation-error');
    });
  }

  it('accepts a 63-character RFC 1035 label with hyphens and digits', async () => {
    assert.equal((await h.request('POST', domains(), { name: `a-${'b1'.repeat(30)}z` })).status, 201);
  });

  it('refuses a duplicate name with 409 conflict, also from another account', async () => {
    await h.create(domains(), { name: 'taken-name' });
    const reply = await h.request('POST', domains(), { name: 'taken-name' });
    assert.equal(reply.status, 409);
    assert.equal(reply.json.category, 'conflict');
    assert.equal(typeof reply.json.code, 'string');
    // A domain name is a public DNS label: a second account cannot take it either.
    const second = await h.raw('POST', `/v1/users/${SECOND.userId}/domains`, {
      headers: { authorization: basicAuth(SECOND.apiToken, SECOND.apiSecret), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'taken-name' }),
    });
    assert.equal(second.status, 409);
    const secondList = await h.raw('GET', `/v1/users/${SECOND.userId}/domains`, {
      headers: { authorization: basicAuth(SECOND.apiToken, SECOND.apiSecret) },
    });
    assert.deepEqual(secondList.json, [], "one account never sees another's domains");
  });

  it('answers 404 resource-not-found for an unknown domain', async () => {
    for (const method of ['GET', 'DELETE']) {
      const reply = await h.request(method, `${domains()}/rd-unknown`);
      assert.equal(reply.status, 404);
      assert.equal(reply.json.code, 'resource-not-found');
    }
  });

  it('allows at most 100 domains per account and pages them at most 100 at a time', async () => {
    const own = await startSandbox();
    try {
      for (let i = 0; i < 100; i += 1) await own.create(`${own.userPath}/domains`, { name: `d${i}` });
      const over = await own.request('POST', `${own.userPath}/domains`, { name: 'd100' });
      assert.equal(over.status, 403);
      assert.equal(over.json.category, 'limit');
      const page = await own.request('GET', `${own.userPath}/domains?size=100`);
      assert.equal(page.json.length, 100);
      assert.equal(parseLinks(page.headers.get('link')).next, undefined);
      assert.equal((await own.request('GET', `${own.userPath}/domains?size=101`)).status, 400);
      const small = await own.request('GET', `${own.userPath}/domains`);
      assert.equal(small.json.length, 25);
      assert.ok(parseLinks(small.headers.get('link')).next);
    } finally {
      await own.close();
    }
  });
});

describe('endpoints and tokens', () => {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let h: SandboxHarness;
  let domainId: string;
  let applicationId: string;
  const domainName = 'endpointsdomain';
  const realm = `${domainName}.bwapp.bwsip.io`;
  before(async () => {
    h = await startSandbox({ now: () => clock });
    domainId = await h.create(`${h.userPath}/domains`, { name: domainName, description: 'd' });
    applicationId = await h.create(`${h.userPath}/applications`, { name: 'app', incomingCallUrl: CALLBACK });
  });
  after(() => h.close());
  const endpoints = () => `${h.userPath}/domains/${domainId}/endpoints`;
  const newEndpoint = (name: string, extra: Record<string, unknown> = {}) =>
    h.create(endpoints(), {
      name,
      description: 'user',
      domainId,
      applicationId,
      credentials: { password: 'p4ssword' },
      ...extra,
    });

  it('creates with 201 + Location; GET shows sipUri and credentials but never the password', async () => {
    const reply = await h.request('POST', endpoints(), {
      name: 'jsmith_mobile',
      description: 'J Smith',
      domainId,
      applicationId,
      enabled: 'true',
      credentials: { password: 's3cr3t-pass' },
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.text, '');
    const location = reply.headers.get('location')!;
    assert.match(location, new RegExp(`^${endpoints()}/re-[a-z0-9]{25}$`));
    const got = await h.request('GET', location);
    assert.deepEqual(got.json, {
      id: location.split('/').pop(),
      name: 'jsmith_mobile',
      description: 'J Smith',
      domainId,
      applicationId,
      enabled: true,
      sipUri: `sip:jsmith_mobile@${realm}`,
      credentials: { realm, username: 'jsmith_mobile' },
    });
    assert.doesNotMatch(got.text, /s3cr3t-pass/);
    assert.doesNotMatch((await h.request('GET', endpoints())).text, /s3cr3t-pass/);
  });

  it('lists with enabled as a string boolean and Link paging', async () => {
    await newEndpoint('lister', { enabled: false });
    const reply = await h.request('GET', `${endpoints()}?size=1000`);
    assert.equal(reply.status, 200);
    const lister = reply.json.find((e: { name: string }) => e.name === 'lister');
    assert.equal(lister.enabled, 'false');
    assert.ok(reply.json.every((e: { enabled: unknown }) => e.enabled === 'true' || e.enabled === 'false'));
    assert.ok(parseLinks(reply.headers.get('link')).first);
  });

  it('is found by the Directory by name + realm (realm case-insensitive) with its password for digest', async () => {
    const id = await newEndpoint('dir.user');
    const record = h.sandbox.context.directory.findEndpoint('dir.user', realm.toUpperCase());
    assert.equal(record?.id, id);
    assert.equal(record?.password, 'p4ssword');
    assert.equal(record?.applicationId, applicationId);
    assert.equal(record?.realm, realm);
    assert.equal(record?.sipUri, `sip:dir.user@${realm}`);
    assert.equal(
      h.sandbox.context.directory.findEndpoint('DIR.USER', realm),
      undefined,
      'the SIP user part is case-sensitive',
    );
    assert.equal(h.sandbox.context.directory.findEndpoint('dir.user', 'other.bwapp.bwsip.io'), undefined);
  });

  const invalid: Array<[string, Record<string, unknown>, number, string]> = [
    ['a name with a space', { name: 'j smith', credentials: { password: 'p4ssword' } }, 400, 'validation-error'],
    ['a name with @', { name: 'j@smith', credentials: { password: 'p4ssword' } }, 400, 'validation-error'],
    ['no name', { credentials: { password: 'p4ssword' } }, 400, 'validation-error'],
    ['no credentials', { name: 'nocreds' }, 400, 'validation-error'],
    ['a 5-character password', { name: 'shortpw', credentials: { password: '12345' } }, 400, 'validation-error'],
    ['a non-Latin-1 password', { name: 'emojipw', credentials: { password: 'pässwörd☃' } }, 400, 'validation-error'],
    [
      'an unknown application',
      { name: 'noapp', applicationId: 'a-unknown', credentials: { password: 'p4ssword' } },
      404,
      'application-not-found',
    ],
    [
      'enabled "maybe"',
      { name: 'maybe', enabled: 'maybe', credentials: { password: 'p4ssword' } },
      400,
      'validation-error',
    ],
  ];
  for (const [label, body, status, code] of invalid) {
    it(`refuses ${label} with ${status} ${code}`, async () => {
      const reply = await h.request('POST', endpoints(), body);
      assert.equal(reply.status, status);
      assert.equal(reply.json.code, code);
    });
  }

  it('accepts RFC 3261 user characters and a Latin-1 password', async () => {
    assert.equal(
      (
        await h.request('POST', endpoints(), {
          name: "a.b-c_d!~*'()&=+$,;?/%41",
          credentials: { password: 'pässwörd' },
        })
      ).status,
      201,
    );
  });

  it('refuses a duplicate name in the same domain with 409, allows it in another domain', async () => {
    await newEndpoint('twin');
    const reply = await h.request('POST', endpoints(), { name: 'twin', credentials: { password: 'p4ssword' } });
    assert.equal(reply.status, 409);
    assert.equal(reply.json.category, 'conflict');
    const otherDomain = await h.create(`${h.userPath}/domains`, { name: 'otherdomain' });
    assert.equal(
      (
        await h.request('POST', `${h.userPath}/domains/${otherDomain}/endpoints`, {
          name: 'twin',
          credentials: { password: 'p4ssword' },
        })
      ).status,
      201,
    );
  });

  it('answers 404 for an endpoint under an unknown domain or an unknown id', async () => {
    assert.equal(
      (
        await h.request('POST', `${h.userPath}/domains/rd-unknown/endpoints`, {
          name: 'x',
          credentials: { password: 'p4ssword' },
        })
      ).json.code,
      'resource-not-found',
    );
    for (const method of ['GET', 'DELETE']) {
      const reply = await h.request(method, `${endpoints()}/re-unknown`);
      assert.equal(reply.status, 404);
      assert.equal(reply.json.code, 'resource-not-found');
    }
  });

  it('updates description, applicationId, enabled and password; the name is immutable', async () => {
    const id = await newEndpoint('updatable');
    const path = `${endpoints()}/${id}`;
    const reply = await h.request('POST', path, {
      description: 'new',
      enabled: false,
      credentials: { password: 'n3w-password' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '');
    const got = (await h.request('GET', path)).json;
    assert.equal(got.description, 'new');
    assert.equal(got.enabled, false);
    assert.equal(got.applicationId, applicationId);
    assert.equal(h.sandbox.context.directory.findEndpoint('updatable', realm)?.password, 'n3w-password');
    assert.equal((await h.request('POST', path, { applicationId: 'a-unknown' })).json.code, 'application-not-found');
    assert.equal((await h.request('POST', path, { credentials: { password: 'short' } })).status, 400);
    assert.equal((await h.request('POST', path, { name: 'renamed' })).status, 400);
    assert.equal(
      h.sandbox.context.directory.findEndpoint('updatable', realm)?.password,
      'n3w-password',
      'failed updates change nothing',
    );
  });

  it('issues tokens (201 {token, expires}, default 3600 s) that the Directory honours until expiry', async () => {
    const id = await newEndpoint('tokened');
    const path = `${endpoints()}/${id}/tokens`;
    const byDefault = await h.request('POST', path);
    assert.equal(byDefault.status, 201);
    assert.equal(byDefault.json.expires, 3600);
    assert.equal(typeof byDefault.json.token, 'string');
    assert.ok(byDefault.json.token.length >= 20);
    const short = await h.request('POST', path, { expires: 60 });
    assert.equal(short.status, 201);
    assert.equal(short.json.expires, 60);
    assert.notEqual(short.json.token, byDefault.json.token);
    assert.equal(h.sandbox.context.directory.findEndpointByToken(short.json.token)?.id, id);
    clock += 61_000;
    assert.equal(h.sandbox.context.directory.findEndpointByToken(short.json.token), undefined, 'expired');
    assert.equal(h.sandbox.context.directory.findEndpointByToken(byDefault.json.token)?.id, id, 'still valid');
    assert.equal(h.sandbox.context.directory.findEndpointByToken('not-a-token'), undefined);
  });

  it('accepts the SDKs\' empty token bodies (none, null, "")', async () => {
    const id = await newEndpoint('sdkbodies');
    const path = `${endpoints()}/${id}/tokens`;
    for (const body of [undefined, null, '']) {
      const reply = await h.request('POST', path, body);
      assert.equal(reply.status, 201, JSON.stringify(body));
      assert.equal(reply.json.expires, 3600);
    }
  });

  it('refuses bad token expiries with 400', async () => {
    const id = await newEndpoint('badexpiry');
    for (const expires of [0, -5, 'never', 1.5, 86_401]) {
      const reply = await h.request('POST', `${endpoints()}/${id}/tokens`, { expires });
      assert.equal(reply.status, 400, String(expires));
      assert.equal(reply.json.code, 'validation-error');
    }
  });

  it('revokes a token with DELETE (200), then 404', async () => {
    const id = await newEndpoint('revoker');
    const { token } = (await h.request('POST', `${endpoints()}/${id}/tokens`)).json;
    const path = `${endpoints()}/${id}/tokens/${encodeURIComponent(token)}`;
    const reply = await h.request('DELETE', path);
    assert.equal(reply.status, 200);
    assert.equal(h.sandbox.context.directory.findEndpointByToken(token), undefined);
    assert.equal((await h.request('DELETE', path)).status, 404);
  });

  it('deleting an endpoint revokes its tokens; deleting the domain deletes its endpoints', async () => {
    const domain = await h.create(`${h.userPath}/domains`, { name: 'shortlived' });
    const base = `${h.userPath}/domains/${domain}/endpoints`;
    const a = await h.create(base, { name: 'a', credentials: { password: 'p4ssword' } });
    const b = await h.create(base, { name: 'b', credentials: { password: 'p4ssword' } });
    const tokenA = (await h.request('POST', `${base}/${a}/tokens`)).json.token;
    const tokenB = (await h.request('POST', `${base}/${b}/tokens`)).json.token;
    assert.equal((await h.request('DELETE', `${base}/${a}`)).status, 200);
    assert.equal((await h.request('GET', `${base}/${a}`)).status, 404);
    assert.equal(h.sandbox.context.directory.findEndpointByToken(tokenA), undefined);
    assert.equal((await h.request('DELETE', `${h.userPath}/domains/${domain}`)).status, 200);
    assert.equal(h.sandbox.context.directory.findEndpoint('b', 'shortlived.bwapp.bwsip.io'), undefined);
    assert.equal(h.sandbox.context.directory.findEndpointByToken(tokenB), undefined);
    assert.equal(
      (await h.request('POST', `${h.userPath}/domains`, { name: 'shortlived' })).status,
      201,
      'the name is free again',
    );
  });
});
