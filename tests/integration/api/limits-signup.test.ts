// The sign-up limits through the real functions, Table Storage (Azurite) and the sandbox, played as the
// issue's attacker did: a script gets at most the configured sign-ups and orders nothing past them (the
// sandbox's request log counts the orders), an unsigned or toll-free number is never ordered, and the
// limits hold across TWO app instances sharing one storage account.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startLocalHost, type LocalHost } from '../../../dev/local-host';
import { startStack, type Stack } from '../../../dev/stack';
import { callApi } from '../../support/api-client';
import { SandboxControl } from '../../support/sandbox-control';
import { uniqueUsername, useStack } from '../../support/stack-fixture';
import { GENEROUS_LIMITS } from '../../support/test-limits';

const LIMIT = 3;
const fixture = useStack({ env: { SIGNUPS_PER_ADDRESS_PER_HOUR: String(LIMIT), SEARCH_CACHE_SECONDS: '0' } });
const ALLOCATE = /^\/v1\/users\/[^/]+\/phoneNumbers$/;

interface Offer {
  number: string;
  signature: string;
}

async function offers(apiUrl: string, quantity: number, areaCode = '919'): Promise<Offer[]> {
  const res = await callApi(apiUrl, 'GET', `/api/numbers?areaCode=${areaCode}&quantity=${quantity}`);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json.numbers as Offer[];
}

const signUp = (apiUrl: string, body: unknown) => callApi(apiUrl, 'POST', '/api/users', { body });
const allocations = () => fixture.sandbox.count('POST', ALLOCATE);

/** A second instance of the same app: its own host and VoiceApp, the same settings and storage account. */
async function secondInstance(): Promise<LocalHost> {
  return startLocalHost({ port: 0, env: fixture.stack.env, log: () => undefined });
}

describe('sign-up limits (one address: 127.0.0.1)', () => {
  afterEach(() => fixture.sandbox.clearFaults());

  it('refuses unsigned, forged and toll-free numbers with 403, ordering nothing', async () => {
    const before = await allocations();
    const [offered] = await offers(fixture.stack.apiUrl, 2);
    const tollFree = await sandboxTollFreeNumber();
    const attempts = [
      { username: uniqueUsername('raw'), number: offered!.number },
      { username: uniqueUsername('forged'), number: offered!.number, signature: 'kz3.AAAAAAAAAAAAAAAAAAAAAA' },
      { username: uniqueUsername('tollfree'), number: tollFree },
      { username: uniqueUsername('tollfree'), number: tollFree, signature: offered!.signature },
    ];
    for (const body of attempts) {
      const res = await signUp(fixture.stack.apiUrl, body);
      assert.equal(res.status, 403, JSON.stringify(res.json));
      assert.equal(res.json.error.code, 'number-not-offered');
      assert.equal(res.json.error.field, 'number');
    }
    assert.equal(await allocations(), before, 'nothing was ordered');
  });

  it('a script in parallel gets exactly SIGNUPS_PER_ADDRESS_PER_HOUR across two instances, and orders nothing past it', async () => {
    const other = await secondInstance();
    try {
      const before = await allocations();
      const numbers = await offers(fixture.stack.apiUrl, 16);
      assert.equal(numbers.length, 16);
      const results = await Promise.all(
        numbers.map((offer, i) =>
          signUp(i % 2 === 0 ? fixture.stack.apiUrl : other.url, { username: uniqueUsername('bot'), ...offer }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [...Array<number>(LIMIT).fill(201), ...Array<number>(16 - LIMIT).fill(429)]);
      for (const refused of results.filter((r) => r.status === 429)) {
        assert.equal(refused.json.error.code, 'too-many-signups');
        const retryAfter = Number(refused.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
        assert.match(refused.json.error.message, /Try again in/);
      }
      assert.equal((await allocations()) - before, LIMIT, 'exactly the allowed numbers were ordered');

      // The same sign-up again (a refresh) past the limit: answered 200 on either instance, nothing ordered.
      const done = numbers.findIndex((_, i) => results[i]!.status === 201);
      const again = await signUp(other.url, { username: results[done]!.json.user.username, ...numbers[done]! });
      assert.equal(again.status, 200, JSON.stringify(again.json));

      // Later, one at a time, on either instance: still refused, still nothing ordered.
      const [late] = await offers(other.url, 1);
      for (const url of [fixture.stack.apiUrl, other.url]) {
        const res = await signUp(url, { username: uniqueUsername('late'), ...late! });
        assert.equal(res.status, 429, JSON.stringify(res.json));
      }
      assert.equal((await allocations()) - before, LIMIT);

      // A client-sent X-Forwarded-For does not make it another address.
      const forged = await callApi(fixture.stack.apiUrl, 'POST', '/api/users', {
        body: { username: uniqueUsername('spoof'), ...late! },
        headers: { 'x-forwarded-for': '203.0.113.50' },
      });
      assert.equal(forged.status, 429, JSON.stringify(forged.json));
    } finally {
      await other.close();
    }
  });
});

describe('MAX_USERS, counted over two instances of a fresh deployment', () => {
  let stack: Stack;
  let other: LocalHost;
  before(async () => {
    stack = await startStack({ env: { ...GENEROUS_LIMITS, MAX_USERS: '4' } });
    other = await startLocalHost({ port: 0, env: stack.env, log: () => undefined });
  });
  after(async () => {
    await other?.close();
    await stack?.stop();
  });

  it('creates exactly MAX_USERS, then 403 user-limit-reached without Retry-After, ordering nothing more', async () => {
    const sandbox = new SandboxControl(stack.sandbox!.baseUrl);
    const numbers = await offers(stack.apiUrl, 12);
    const results = await Promise.all(
      numbers.map((offer, i) =>
        signUp(i % 2 ? stack.apiUrl : other.url, { username: uniqueUsername('app'), ...offer }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 4);
    for (const r of results.filter((r) => r.status !== 201)) {
      assert.equal(r.status, 403, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'user-limit-reached');
      assert.equal(r.headers.get('retry-after'), null);
    }
    assert.equal(await sandbox.count('POST', ALLOCATE), 4);
  });
});

/** A toll-free number the sandbox would sell, straight from its Catapult API (as an attacker could find one). */
async function sandboxTollFreeNumber(): Promise<string> {
  const { account, baseUrl } = fixture.stack.sandbox!;
  const res = await fetch(`${baseUrl}/v1/availableNumbers/tollFree?quantity=1`, {
    headers: { authorization: `Basic ${Buffer.from(`${account.apiToken}:${account.apiSecret}`).toString('base64')}` },
  });
  const [found] = (await res.json()) as Array<{ number: string }>;
  assert.match(found!.number, /^\+18(00|33|44|55|66|77|88)\d{7}$/);
  return found!.number;
}
