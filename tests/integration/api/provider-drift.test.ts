// Drift from the provider: what the app stored no longer matches what Catapult holds (deleted in the dashboard, or
// the app pointed at another account with the same storage). Resources are deleted or added at a sandbox the test
// owns; the app must notice (health at once, the maintenance run at start), say exactly what is wrong, repair
// what it can (application and domain re-created, users' numbers and endpoints moved or re-created with their
// stored passwords, strays released), and calls must reach users again. After each, the doctor finds nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCatapultClient } from '../../../core/catapult/client';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';
import type { CatapultApi } from '../../../core/catapult/catapult-api';
import { startLocalHost } from '../../../dev/local-host';
import { startStack, type Stack } from '../../../dev/stack';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { callApi, eventually, type ApiAnswer } from '../../support/api-client';
import { SandboxControl } from '../../support/sandbox-control';
import { freshOffer, uniqueUsername } from '../../support/stack-fixture';
import { GENEROUS_LIMITS } from '../../support/test-limits';

const CALLER = '+19192345678';
const OTHER_ACCOUNT = {
  userId: 'u-otheraccount0000000000000',
  apiToken: 't-other-account-token-0000000000000000',
  apiSecret: 'other-account-secret-0000000000000000000',
};

let catapult: Sandbox;
let client: CatapultApi;
let control: SandboxControl;
let stack: Stack;

before(async () => {
  catapult = await createSandbox({ port: 0, extraAccounts: [OTHER_ACCOUNT] });
  client = clientFor(catapult.account);
  control = new SandboxControl(catapult.baseUrl);
  // No resume window: a stray number is judged at once (with one, a stray ordered minutes ago is kept for the
  // retry of the sign-up that ordered it; tests/unit/core/doctor.test.ts covers that).
  stack = await startStack({
    catapultEnv: settingsFor(catapult.account),
    // Health is read again right after each drift: an answer from the guard's cache would hide it.
    env: { ...GENEROUS_LIMITS, SIGNUP_RESUME_MINUTES: '0', HEALTH_CACHE_SECONDS: '0' },
  });
});
after(async () => {
  await stack?.stop();
  await catapult?.close();
});

interface Account {
  userId: string;
  apiToken: string;
  apiSecret: string;
}

function settingsFor(account: Account): Record<string, string> {
  return {
    CATAPULT_USER_ID: account.userId,
    CATAPULT_API_TOKEN: account.apiToken,
    CATAPULT_API_SECRET: account.apiSecret,
    CATAPULT_API_URL: catapult.apiUrl,
    CATAPULT_SIP_WEBSOCKET_URL: catapult.websocketUrl,
  };
}

function clientFor(account: Account): CatapultApi {
  return createCatapultClient({ baseUrl: catapult.apiUrl, ...account });
}

interface User {
  username: string;
  number: string;
  token: string;
  sipUri: string;
}

describe('drift from the provider', () => {
  it("the application deleted: health names it at once, repairs, and calls reach the users' numbers again", async () => {
    const [alice, bob] = [await signUp(stack.apiUrl), await signUp(stack.apiUrl)];
    const old = await setUp(stack.apiUrl);
    await client.deleteApplication(old.applicationId);

    const health = await callApi(stack.apiUrl, 'GET', '/api/health');
    assert.equal(health.status, 503);
    assert.equal(health.json.checks.provider.code, 'provider-resources-missing');
    assert.match(health.json.checks.provider.message, new RegExp(`application ${old.applicationId}`));
    assert.match(health.json.checks.provider.message, /incoming calls/);
    // Health started the repair: it answers 200 again without any sign-up.
    await eventually(
      async () => ((await callApi(stack.apiUrl, 'GET', '/api/health')).status === 200 ? true : undefined),
      'health 200',
    );

    const now = await setUp(stack.apiUrl);
    assert.notEqual(now.applicationId, old.applicationId);
    assert.equal(now.domainId, old.domainId);
    for (const user of [alice, bob]) {
      assert.equal((await client.getPhoneNumber(user.number)).applicationId, now.applicationId);
      await assertCallReaches(user);
    }
    await assertNothingToRepair(stack.apiUrl);
  });

  it('the domain deleted (every endpoint with it): re-created with the same name, endpoints with the stored passwords', async () => {
    const [alice, bob] = [await signUp(stack.apiUrl), await signUp(stack.apiUrl)];
    const old = await setUp(stack.apiUrl);
    await client.deleteDomain(old.domainId);

    const health = await callApi(stack.apiUrl, 'GET', '/api/health');
    assert.equal(health.status, 503);
    assert.match(health.json.checks.provider.message, new RegExp(`SIP domain ${old.domainName} \\(${old.domainId}\\)`));
    await eventually(
      async () => ((await callApi(stack.apiUrl, 'GET', '/api/health')).status === 200 ? true : undefined),
      'health 200',
    );
    // The endpoints come back in the same repair run, after the domain.
    await eventually(
      async () => ((await doctor(stack.apiUrl)).json.nothingToRepair ? true : undefined),
      'the endpoints re-created',
    );

    const now = await setUp(stack.apiUrl);
    assert.notEqual(now.domainId, old.domainId);
    assert.equal(now.domainName, old.domainName, "users' SIP URIs stay valid");
    for (const user of [alice, bob]) await assertSipWorks(user);
    await assertCallReaches(alice);
  });

  it("one user's endpoint deleted: the doctor names it; a repair re-creates it with the stored password", async () => {
    const [alice, bob] = [await signUp(stack.apiUrl), await signUp(stack.apiUrl)];
    const { domainId } = await setUp(stack.apiUrl);
    const endpoint = await endpointOf(domainId, alice.username);
    await client.deleteEndpoint(domainId, endpoint.id);

    const report = await doctor(stack.apiUrl);
    assert.equal(report.json.nothingToRepair, false);
    const problem = report.json.problems.find((p: { username?: string }) => p.username === alice.username);
    assert.deepEqual(
      { code: problem.code, id: problem.id, fixedBy: problem.fixedBy },
      { code: 'endpoint-missing', id: endpoint.id, fixedBy: 'app' },
    );
    assert.ok(!report.json.problems.some((p: { username?: string }) => p.username === bob.username));

    const repaired = await doctor(stack.apiUrl, true);
    assert.ok(repaired.json.repairs.some((r: { code: string; ok: boolean }) => r.code === 'endpoint-missing' && r.ok));
    assert.equal(repaired.json.nothingToRepair, true, JSON.stringify(repaired.json.problems));
    await assertSipWorks(alice);
    await assertNothingToRepair(stack.apiUrl);
  });

  it("one user's number detached from the application: named, and moved back by the app's own repair", async () => {
    const alice = await signUp(stack.apiUrl);
    const { applicationId } = await setUp(stack.apiUrl);
    await client.updatePhoneNumber(alice.number, { applicationId: '' });
    const report = await doctor(stack.apiUrl);
    const problem = report.json.problems.find((p: { username?: string }) => p.username === alice.username);
    assert.deepEqual(
      { code: problem.code, number: problem.number, fixedBy: problem.fixedBy },
      { code: 'number-not-on-application', number: alice.number, fixedBy: 'app' },
    );
    await doctor(stack.apiUrl, true);
    assert.equal((await client.getPhoneNumber(alice.number)).applicationId, applicationId);
    await assertCallReaches(alice);
    await assertNothingToRepair(stack.apiUrl);
  });

  it("one user's number released at the provider: named; the repair tries to order it again and says why it cannot", async () => {
    const alice = await signUp(stack.apiUrl);
    await client.deletePhoneNumber(alice.number);
    const report = await doctor(stack.apiUrl);
    const problem = report.json.problems.find((p: { username?: string }) => p.username === alice.username);
    assert.equal(problem.code, 'number-missing');
    assert.equal(problem.number, alice.number);
    assert.equal(problem.fixedBy, 'doctor', 'ordering a number costs money: only an operator starts it');
    // A released number cannot be added back (Catapult's and the sandbox's rule): only a person can decide what
    // this user gets instead, so the problem stays, with the reason.
    const repaired = await doctor(stack.apiUrl, true);
    const attempt = repaired.json.repairs.find((r: { code: string }) => r.code === 'number-missing');
    assert.equal(attempt.ok, false);
    assert.match(attempt.message, /^number-unavailable:/);
    assert.ok(repaired.json.problems.some((p: { code: string }) => p.code === 'number-missing'));
    // One way out for the operator: remove the user from storage; a repair then deletes the endpoint left behind.
    await removeUser(alice.username, alice.number);
    const cleaned = await doctor(stack.apiUrl, true);
    assert.ok(
      cleaned.json.repairs.some((r: { code: string; ok: boolean }) => r.code === 'endpoint-without-user' && r.ok),
    );
    await assertNothingToRepair(stack.apiUrl);
  });

  it('a number and an endpoint that belong to nobody are named and released', async () => {
    const { applicationId, domainId } = await setUp(stack.apiUrl);
    const strayNumber = (await freshOffer(stack.apiUrl)).number;
    const foreign = (await freshOffer(stack.apiUrl)).number;
    await client.allocatePhoneNumber({ number: strayNumber, name: 'voice-reference-app:ghost', applicationId });
    await client.createEndpoint(domainId, { name: 'ghost', password: 'ghost-password-0123456789', applicationId });
    // Numbers of other apps on the same account are none of ours.
    await client.allocatePhoneNumber({ number: foreign, name: 'someone-else' });

    const report = await doctor(stack.apiUrl);
    const codes = report.json.problems.map((p: { code: string; username?: string }) => `${p.code} ${p.username}`);
    assert.deepEqual(codes.sort(), ['endpoint-without-user ghost', 'number-without-user ghost']);
    await doctor(stack.apiUrl, true);
    await assert.rejects(client.getPhoneNumber(strayNumber), (e) => (e as { status: number }).status === 404);
    assert.equal((await client.getPhoneNumber(foreign)).name, 'someone-else', 'left alone');
    await assertNothingToRepair(stack.apiUrl);
  });

  it('the application deleted while the app was down: the maintenance run at the next start repairs it', async () => {
    const alice = await signUp(stack.apiUrl);
    const old = await setUp(stack.apiUrl);
    await client.deleteApplication(old.applicationId);
    // "The next start": another host on the same storage and settings (the same public URL, so calls still reach
    // the first host), with its timers, and no request at all.
    const env = { ...stack.env };
    const restarted = await startLocalHost({
      port: 0,
      env,
      log: () => undefined,
      timers: true,
      functionKey: 'k'.repeat(32),
    });
    try {
      await eventually(async () => {
        const report = await doctor(restarted.url, false, 'k'.repeat(32));
        return report.json.nothingToRepair && report.json.setUp.applicationId !== old.applicationId ? true : undefined;
      }, 'the start-up run to repair everything');
      const number = await client.getPhoneNumber(alice.number);
      assert.ok(number.applicationId && number.applicationId !== old.applicationId, 'moved to the new application');
    } finally {
      await restarted.close();
    }
    await assertCallReaches(alice);
  });

  it('the app pointed at another account with the same storage: set-up and endpoints re-created there, numbers named', async () => {
    const alice = await signUp(stack.apiUrl);
    const old = await setUp(stack.apiUrl);
    const env = { ...stack.env, ...settingsFor(OTHER_ACCOUNT) };
    delete env.PUBLIC_BASE_URL;
    const moved = await startLocalHost({
      port: 0,
      env,
      log: () => undefined,
      functionKey: 'm'.repeat(32),
      timers: false,
    });
    try {
      const health = await callApi(moved.url, 'GET', '/api/health');
      assert.equal(health.status, 503);
      assert.match(health.json.checks.provider.message, /another account/);
      await eventually(
        async () => ((await callApi(moved.url, 'GET', '/api/health')).status === 200 ? true : undefined),
        'health 200',
      );
      // The same repair run re-creates the users' endpoints on the new account, after the set-up.
      const report = await eventually(async () => {
        const answer = await doctor(moved.url, false, 'm'.repeat(32));
        return answer.json.problems.some((p: { code: string }) => p.code === 'endpoint-missing') ? undefined : answer;
      }, 'the endpoints re-created on the new account');
      const now = report.json.setUp;
      assert.notEqual(now.applicationId, old.applicationId);
      const problem = report.json.problems.find((p: { username?: string }) => p.username === alice.username);
      assert.equal(problem.code, 'number-missing', 'the number stayed on the old account');
      // Endpoints were re-created on the new account with the stored passwords.
      const login = await callApi(moved.url, 'POST', '/api/login', { body: { username: alice.username } });
      const sip = await callApi(moved.url, 'GET', '/api/me/sip', { token: login.json.token as string });
      const endpoint = catapult.context.directory.findEndpoint(alice.username, sip.json.realm as string);
      assert.ok(endpoint, JSON.stringify(sip.json));
      assert.equal(endpoint.userId, OTHER_ACCOUNT.userId);
      assert.equal(endpoint.password, sip.json.password);
      assert.equal(endpoint.applicationId, now.applicationId);
    } finally {
      await moved.close();
    }
  });
});

async function signUp(apiUrl: string): Promise<User> {
  const { number, signature } = await freshOffer(apiUrl);
  const username = uniqueUsername('drift');
  const res = await callApi(apiUrl, 'POST', '/api/users', { body: { username, number, signature } });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return { username, number, token: res.json.token as string, sipUri: res.json.user.sipUri as string };
}

function doctor(apiUrl: string, repair = false, key = stack.functionKey): Promise<ApiAnswer> {
  return callApi(apiUrl, repair ? 'POST' : 'GET', repair ? '/api/ops/doctor/repair' : '/api/ops/doctor', {
    headers: { 'x-functions-key': key },
  });
}

async function setUp(apiUrl: string): Promise<{ applicationId: string; domainId: string; domainName: string }> {
  const report = await doctor(apiUrl);
  assert.equal(report.status, 200, JSON.stringify(report.json));
  return report.json.setUp;
}

async function assertNothingToRepair(apiUrl: string, key = stack.functionKey): Promise<void> {
  const report = await doctor(apiUrl, false, key);
  assert.equal(report.status, 200);
  assert.deepEqual(report.json.problems, []);
  assert.equal(report.json.nothingToRepair, true);
}

async function endpointOf(domainId: string, name: string) {
  for await (const endpoint of client.listEndpoints(domainId)) if (endpoint.name === name) return endpoint;
  throw new Error(`no endpoint ${name}`);
}

/** Deletes a user's rows straight from storage, as an operator would with Storage Explorer. */
async function removeUser(username: string, number: string): Promise<void> {
  const users = createAzureEntityTable({ connectionString: stack.storageConnectionString, tableName: 'vraUsers' });
  await users.transact([
    { kind: 'delete', partitionKey: 'users', rowKey: `u:${username}` },
    { kind: 'delete', partitionKey: 'users', rowKey: `p:${number}` },
  ]);
}

/** The SIP credentials the app gives out are the endpoint's, at the URI the user has. */
async function assertSipWorks(user: User): Promise<void> {
  const sip = await callApi(stack.apiUrl, 'GET', '/api/me/sip', { token: user.token });
  assert.equal(sip.status, 200, JSON.stringify(sip.json));
  assert.equal(sip.json.sipUri, user.sipUri);
  const endpoint = catapult.context.directory.findEndpoint(user.username, sip.json.realm as string);
  assert.ok(endpoint, `${user.username}'s endpoint exists`);
  assert.equal(endpoint.password, sip.json.password);
}

/** A phone calls the user's number: the app transfers it to the user's SIP URI. */
async function assertCallReaches(user: User): Promise<void> {
  const { callId } = await control.inboundCall(CALLER, user.number);
  const leg = await eventually(async () => {
    const calls = await control.calls();
    return calls.find((call) => call.transferredFromCallId === callId);
  }, `the transfer of a call to ${user.username}`);
  assert.equal(leg.to, user.sipUri);
}
