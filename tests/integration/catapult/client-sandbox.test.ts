// The real client against the real sandbox (sandbox/server.ts) on 127.0.0.1:0: numbers, applications,
// domains, endpoints and tokens end to end, Link paging, Catapult errors, and the retry policy under the
// sandbox's injected faults (POST /sandbox/faults).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isCatapultError, type CatapultError } from '../../../core/catapult/catapult-error';
import type { CatapultApi } from '../../../core/catapult/catapult-api';
import { createCatapultClient, type CatapultClientOptions } from '../../../core/catapult/client';
import { createSandbox, type Sandbox } from '../../../sandbox/server';

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function failsWith(check: (error: CatapultError) => boolean) {
  return (error: unknown) => isCatapultError(error) && check(error);
}

/** A domain name of the shape the app generates: ^[a-z][a-z0-9]{14}$, unique per call. */
let domainCounter = 0;
function domainName(): string {
  domainCounter += 1;
  return `q${Date.now().toString(36)}${domainCounter.toString(36)}`.padEnd(15, '0').slice(0, 15);
}

describe('Catapult client against the sandbox', () => {
  let sandbox: Sandbox;
  let client: CatapultApi;
  let options: CatapultClientOptions;

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  const requests = async () => (await control('GET', '/sandbox/requests')) as LoggedRequest[];
  const userPath = (path: string) => `/v1/users/${sandbox.account.userId}${path}`;

  before(async () => {
    sandbox = await createSandbox();
    options = {
      baseUrl: sandbox.apiUrl,
      ...sandbox.account,
      timeoutMs: 2000,
      maxRetryWaitMs: 1500,
      retryBaseDelayMs: 20,
    };
    client = createCatapultClient(options);
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(async () => {
    await control('DELETE', '/sandbox/faults');
    await control('DELETE', '/sandbox/requests');
  });

  it('searches local numbers by area code, zip and city+state', async () => {
    const byAreaCode = await client.searchLocalNumbers({ areaCode: '919', quantity: 3 });
    assert.equal(byAreaCode.length, 3);
    for (const found of byAreaCode) {
      assert.match(found.number, /^\+1919\d{7}$/);
      assert.match(found.nationalNumber, /^\(919\) \d{3}-\d{4}$/);
      assert.equal(found.state, 'NC');
    }
    const byZip = await client.searchLocalNumbers({ zip: '27511', quantity: 2 });
    assert.ok(byZip.length > 0 && byZip.every((n) => n.city === 'CARY'));
    const byCity = await client.searchLocalNumbers({ city: 'Seattle', state: 'WA', quantity: 2 });
    assert.ok(byCity.length > 0 && byCity.every((n) => n.number.startsWith('+1206')));
    assert.deepEqual(
      (await requests()).map((r) => [r.method, r.path, r.query]),
      [
        ['GET', '/v1/availableNumbers/local', { areaCode: '919', quantity: '3' }],
        ['GET', '/v1/availableNumbers/local', { zip: '27511', quantity: '2' }],
        ['GET', '/v1/availableNumbers/local', { city: 'Seattle', state: 'WA', quantity: '2' }],
      ],
    );
  });

  it('reports a bad search with Catapult code and category', async () => {
    await assert.rejects(
      client.searchLocalNumbers({ quantity: 1 }),
      failsWith(
        (e) => e.status === 400 && e.category === 'bad-request' && e.code === 'invalid-available-number-search',
      ),
    );
    await assert.rejects(
      client.orderLocalNumbers({ areaCode: '919', pattern: '9*', quantity: 1 }),
      failsWith((e) => e.status === 400 && e.code === 'invalid-available-number-search-order'),
    );
  });

  it('orders a number, reads it by id and by E.164, attaches an application, then releases it', async () => {
    const [ordered] = await client.orderLocalNumbers({ areaCode: '512', quantity: 1 });
    assert.ok(ordered);
    assert.match(ordered.id, /^n-/);
    assert.match(ordered.number, /^\+1512\d{7}$/);
    assert.ok(
      !(await client.searchLocalNumbers({ areaCode: '512', quantity: 100 })).some((n) => n.number === ordered.number),
      'an ordered number is no longer offered',
    );

    const app = await client.createApplication({
      name: 'numbers test app',
      incomingCallUrl: 'http://127.0.0.1:9/cb',
      autoAnswer: true,
    });
    await client.updatePhoneNumber(ordered.number, { applicationId: app.id, name: 'alice' });
    const byNumber = await client.getPhoneNumber(ordered.number);
    const byId = await client.getPhoneNumber(ordered.id);
    assert.deepEqual(byNumber, byId);
    assert.equal(byId.applicationId, app.id);
    assert.equal(byId.name, 'alice');
    assert.equal(byId.number, ordered.number);
    assert.deepEqual(
      (await collect(client.listPhoneNumbers({ applicationId: app.id }))).map((n) => n.id),
      [ordered.id],
    );

    await client.updatePhoneNumber(ordered.id, { applicationId: '' });
    assert.equal((await client.getPhoneNumber(ordered.id)).applicationId, undefined);
    await client.deletePhoneNumber(ordered.id);
    await assert.rejects(
      client.getPhoneNumber(ordered.id),
      failsWith((e) => e.status === 404),
    );
    await client.deleteApplication(app.id);
  });

  it('allocates a searched number and refuses a duplicate with 409', async () => {
    const [available] = await client.searchLocalNumbers({ areaCode: '312', quantity: 1 });
    assert.ok(available);
    const { id } = await client.allocatePhoneNumber({ number: available.number, name: 'bob' });
    assert.equal((await client.getPhoneNumber(id)).number, available.number);
    await assert.rejects(
      client.allocatePhoneNumber({ number: available.number }),
      failsWith((e) => e.status === 409 && e.code === 'duplicate-number'),
    );
    await client.deletePhoneNumber(id);
  });

  it('runs the application lifecycle with normalised values', async () => {
    const { id } = await client.createApplication({
      name: 'lifecycle app',
      incomingCallUrl: 'http://127.0.0.1:9/events',
      incomingCallUrlCallbackTimeout: 5000,
      callbackHttpMethod: 'POST',
      autoAnswer: false,
    });
    assert.match(id, /^a-/);
    const created = await client.getApplication(id);
    assert.deepEqual(
      [
        created.name,
        created.incomingCallUrl,
        created.incomingCallUrlCallbackTimeout,
        created.callbackHttpMethod,
        created.autoAnswer,
      ],
      ['lifecycle app', 'http://127.0.0.1:9/events', 5000, 'POST', false],
    );
    await client.updateApplication(id, { autoAnswer: true, incomingCallUrl: 'http://127.0.0.1:9/other' });
    const updated = await client.getApplication(id);
    assert.deepEqual(
      [updated.name, updated.incomingCallUrl, updated.autoAnswer],
      ['lifecycle app', 'http://127.0.0.1:9/other', true],
    );
    await client.deleteApplication(id);
    await assert.rejects(
      client.getApplication(id),
      failsWith((e) => e.status === 404 && e.category === 'not-found'),
    );
    await assert.rejects(
      client.createApplication({ name: 'no callback' }),
      failsWith((e) => e.status === 400 && e.code === 'validation-error'),
    );
  });

  it('runs the domain, endpoint and token lifecycle', async () => {
    const name = domainName();
    const domain = await client.createDomain({ name, description: 'client integration test' });
    assert.deepEqual(await client.getDomain(domain.id), {
      id: domain.id,
      name,
      description: 'client integration test',
    });
    assert.ok((await collect(client.listDomains({ size: 100 }))).some((d) => d.id === domain.id));
    await assert.rejects(
      client.createDomain({ name, description: 'again' }),
      failsWith((e) => e.status === 409),
    );

    const app = await client.createApplication({ name: 'endpoint app', incomingCallUrl: 'http://127.0.0.1:9/cb' });
    const endpoint = await client.createEndpoint(domain.id, {
      name: 'alice',
      description: 'Alice',
      applicationId: app.id,
      password: 'secret-123',
    });
    const read = await client.getEndpoint(domain.id, endpoint.id);
    assert.deepEqual(read, {
      id: endpoint.id,
      name: 'alice',
      description: 'Alice',
      domainId: domain.id,
      applicationId: app.id,
      enabled: true,
      sipUri: `sip:alice@${name}.bwapp.bwsip.io`,
      credentials: { realm: `${name}.bwapp.bwsip.io`, username: 'alice' },
    });
    await client.updateEndpoint(domain.id, endpoint.id, { enabled: false, password: 'another-secret' });
    assert.equal((await client.getEndpoint(domain.id, endpoint.id)).enabled, false);
    assert.deepEqual(
      (await collect(client.listEndpoints(domain.id))).map((e) => e.id),
      [endpoint.id],
    );
    await assert.rejects(
      client.createEndpoint(domain.id, { name: 'bob', password: 'short' }),
      failsWith((e) => e.status === 400 && e.code === 'validation-error'),
    );

    const token = await client.createEndpointToken(domain.id, endpoint.id, 600);
    assert.ok(token.token.length >= 16);
    assert.equal(token.expires, 600);
    await client.deleteEndpointToken(domain.id, endpoint.id, token.token);

    await client.deleteEndpoint(domain.id, endpoint.id);
    await assert.rejects(
      client.getEndpoint(domain.id, endpoint.id),
      failsWith((e) => e.status === 404),
    );
    await client.deleteDomain(domain.id);
    await assert.rejects(
      client.getDomain(domain.id),
      failsWith((e) => e.status === 404),
    );
    await client.deleteApplication(app.id);
  });

  it('pages through applications with the sandbox Link headers', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await client.createApplication({ name: `paged ${i}`, incomingCallUrl: 'http://127.0.0.1:9/cb' })).id);
    await control('DELETE', '/sandbox/requests');
    const listed = await collect(client.listApplications({ size: 2 }));
    for (const id of ids)
      assert.ok(
        listed.some((a) => a.id === id),
        `${id} listed`,
      );
    assert.equal(new Set(listed.map((a) => a.id)).size, listed.length, 'no application twice');
    const pages = (await requests()).filter((r) => r.path === userPath('/applications'));
    assert.equal(pages.length, Math.ceil(listed.length / 2));
    for (const id of ids) await client.deleteApplication(id);
  });

  it('refuses wrong credentials with 401 and does not retry', async () => {
    const stranger = createCatapultClient({ ...options, apiSecret: 'wrong-secret' });
    await assert.rejects(
      stranger.getApplication('a-1'),
      failsWith((e) => e.status === 401),
    );
    assert.equal((await requests()).length, 1);
  });

  it('waits out an injected 429 and then succeeds', async () => {
    await control('POST', '/sandbox/faults', {
      method: 'GET',
      path: userPath('/domains'),
      count: 1,
      preset: 'rate-limit',
    });
    const started = Date.now();
    await collect(client.listDomains());
    assert.ok(Date.now() - started >= 80, 'waited for X-RateLimit-Reset');
    assert.deepEqual(
      (await requests()).map((r) => r.status),
      [429, 200],
    );
  });

  it('retries a create refused by a 429 because it was not processed', async () => {
    await control('POST', '/sandbox/faults', {
      method: 'POST',
      path: userPath('/applications'),
      count: 1,
      preset: 'rate-limit',
    });
    const { id } = await client.createApplication({ name: 'after 429', incomingCallUrl: 'http://127.0.0.1:9/cb' });
    assert.deepEqual(
      (await requests()).map((r) => r.status),
      [429, 201],
    );
    await client.deleteApplication(id);
  });

  it('retries a call-rate-limit 403 with backoff', async () => {
    await control('POST', '/sandbox/faults', {
      method: 'POST',
      path: userPath('/domains'),
      count: 2,
      preset: 'call-rate-limit',
    });
    const { id } = await client.createDomain({ name: domainName(), description: 'after 403' });
    assert.deepEqual(
      (await requests()).map((r) => r.status),
      [403, 403, 201],
    );
    await client.deleteDomain(id);
  });

  it('retries a 500 for GET but not for a create', async () => {
    await control('POST', '/sandbox/faults', {
      method: 'GET',
      path: userPath('/applications'),
      count: 2,
      preset: 'server-error',
    });
    await collect(client.listApplications());
    assert.deepEqual(
      (await requests()).map((r) => r.status),
      [500, 500, 200],
    );

    await control('DELETE', '/sandbox/requests');
    await control('POST', '/sandbox/faults', {
      method: 'POST',
      path: '/v1/availableNumbers/local',
      count: 1,
      preset: 'server-error',
    });
    await assert.rejects(
      client.orderLocalNumbers({ areaCode: '206', quantity: 1 }),
      failsWith((e) => e.status === 500 && e.category === 'unavailable'),
    );
    assert.deepEqual(
      (await requests()).map((r) => r.status),
      [500],
    );
  });

  it('gives up after maxAttempts with the last error', async () => {
    await control('POST', '/sandbox/faults', {
      method: 'GET',
      path: userPath('/domains/*'),
      count: 10,
      preset: 'server-error',
    });
    const limited = createCatapultClient({ ...options, maxAttempts: 3 });
    await assert.rejects(
      limited.getDomain('rd-unknown'),
      failsWith((e) => e.status === 500),
    );
    assert.equal((await requests()).length, 3);
  });

  it('times out a silent sandbox, retrying only the safe request', async () => {
    const quick = createCatapultClient({ ...options, timeoutMs: 150, maxAttempts: 2 });
    await control('POST', '/sandbox/faults', {
      method: 'GET',
      path: userPath('/applications'),
      count: 1,
      preset: 'timeout',
    });
    await collect(quick.listApplications());
    await control('POST', '/sandbox/faults', {
      method: 'POST',
      path: userPath('/applications'),
      count: 1,
      preset: 'timeout',
    });
    await assert.rejects(
      quick.createApplication({ name: 'timed out', incomingCallUrl: 'http://127.0.0.1:9/cb' }),
      failsWith((e) => e.status === 0 && e.category === 'timeout'),
    );
    const faults = (await control('GET', '/sandbox/faults')) as unknown[];
    assert.equal(faults.length, 0, 'each timeout fault was hit exactly once');
  });

  it('reports a closed port as a network error', async () => {
    const closed = await createSandbox();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const unreachable = createCatapultClient({ ...options, baseUrl: apiUrl, maxAttempts: 2 });
    await assert.rejects(
      unreachable.getApplication('a-1'),
      failsWith((e) => e.status === 0 && e.category === 'network'),
    );
  });
});
