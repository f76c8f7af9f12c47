// The same POST /api/users sent again while the first is still running (a double click, a mobile client retrying
// on a slow network), through the local host, Azurite and a sandbox the test owns. The sandbox holds the first
// sign-up before and after each Catapult step while copies arrive, then lets it go on; and copies arrive every
// 1–4 ms for the whole sign-up. Every interleaving must end with exactly one 201, the others 200 (the same user)
// or 409, one endpoint whose password is the one the app gives out, no number ordered twice, and nothing for the
// doctor to repair.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../../../dev/stack';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { callApi, type ApiAnswer } from '../../support/api-client';
import { SandboxControl } from '../../support/sandbox-control';
import { freshOffer, uniqueUsername, type Offer } from '../../support/stack-fixture';
import { GENEROUS_LIMITS } from '../../support/test-limits';

let catapult: Sandbox;
let control: SandboxControl;
let stack: Stack;
let domainId: string;
before(async () => {
  catapult = await createSandbox({ port: 0 });
  control = new SandboxControl(catapult.baseUrl);
  stack = await startStack({
    catapultEnv: {
      CATAPULT_USER_ID: catapult.account.userId,
      CATAPULT_API_TOKEN: catapult.account.apiToken,
      CATAPULT_API_SECRET: catapult.account.apiSecret,
      CATAPULT_API_URL: catapult.apiUrl,
      CATAPULT_SIP_WEBSOCKET_URL: catapult.websocketUrl,
    },
    env: GENEROUS_LIMITS,
  });
  // A first user sets the app up, so the paths of the steps (the domain) are known.
  const warmUp = await signUp(uniqueUsername('warm'), await freshOffer(stack.apiUrl));
  assert.equal(warmUp.status, 201, JSON.stringify(warmUp.json));
  const realm = /@(.+)$/.exec(warmUp.json.user.sipUri as string)![1]!;
  domainId = catapult.context.directory.findEndpoint(warmUp.json.user.username as string, realm)!.domainId;
});
after(async () => {
  await stack?.stop();
  await catapult?.close();
});

type Hold = { label: string; method: string; path: () => string; hold: 'before' | 'after' };
const user = () => `/v1/users/${catapult.account.userId}`;
const HOLDS: Hold[] = [
  { label: 'before the number is ordered', method: 'POST', path: () => `${user()}/phoneNumbers`, hold: 'before' },
  { label: 'after the number is ordered', method: 'POST', path: () => `${user()}/phoneNumbers`, hold: 'after' },
  { label: 'before the endpoint is made', method: 'POST', path: () => endpoints(), hold: 'before' },
  { label: 'after the endpoint is made', method: 'POST', path: () => endpoints(), hold: 'after' },
  { label: 'before the endpoint is read back', method: 'GET', path: () => `${endpoints()}/*`, hold: 'before' },
  { label: 'after the endpoint is read back', method: 'GET', path: () => `${endpoints()}/*`, hold: 'after' },
];
const endpoints = () => `${user()}/domains/${domainId}/endpoints`;

describe('a sign-up sent again while the first is between two steps', () => {
  for (const step of HOLDS) {
    it(`held ${step.label}: copies then, and after it finished`, async () => {
      const username = uniqueUsername('again');
      const [number, other] = [await freshOffer(stack.apiUrl), await freshOffer(stack.apiUrl)];
      await control.clearRequests();
      const faultId = await control.fault({ method: step.method, path: step.path(), hold: step.hold, count: 1 });
      const first = signUp(username, number);
      await waitForHold(faultId);
      // While it is held: the same request, and the same username asking for another number.
      const during = await Promise.all([signUp(username, number), signUp(username, number), signUp(username, other)]);
      assert.equal(await control.release(faultId), 1);
      const answers = [await first, ...during];
      // After it finished: the same request again, and another number again.
      answers.push(await signUp(username, number), await signUp(username, other));
      await assertOneUser(username, number.number, answers);
    });
  }
});

describe('copies arriving every 1–4 ms for the whole sign-up', () => {
  for (const mixed of [false, true]) {
    it(`60 copies${mixed ? ', every third asking for another number' : ''}`, async () => {
      const username = uniqueUsername('burst');
      const [number, other] = [await freshOffer(stack.apiUrl), await freshOffer(stack.apiUrl)];
      await control.clearRequests();
      const sent: Array<Promise<ApiAnswer>> = [];
      for (let i = 0; i < 60; i++) {
        sent.push(signUp(username, mixed && i % 3 === 2 ? other : number));
        await new Promise((r) => setTimeout(r, 1 + Math.floor(Math.random() * 4)));
      }
      await assertOneUser(username, number.number, await Promise.all(sent));
    });
  }
});

async function assertOneUser(username: string, number: string, answers: ApiAnswer[]): Promise<void> {
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `exactly one 201: ${statuses.join(' ')}`);
  for (const answer of answers.filter((a) => a.status !== 201)) {
    if (answer.status === 200) assert.equal(answer.json.user.number, number, 'a 200 is the same user');
    // A copy that finds the sign-up quota's counter too contended (dozens of copies at once) is asked to
    // come back in a second, like any sign-up then: what that retry gets is one of the answers above.
    else if (answer.status === 429) assert.equal(answer.json.error.retryAfterSeconds, 1, JSON.stringify(answer.json));
    else assert.equal(answer.status, 409, JSON.stringify(answer.json));
  }
  const created = answers.find((a) => a.status === 201)!;
  assert.equal(created.json.user.number, number, 'the first request is the one that signed up');

  // Each copy opened a session and only the newest MAX_SESSIONS stay, so the 201's may be retired by now:
  // the account's SIP credentials are read through a fresh log-in.
  const login = await callApi(stack.apiUrl, 'POST', '/api/login', { body: { username } });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  const sip = await callApi(stack.apiUrl, 'GET', '/api/me/sip', { token: login.json.token as string });
  assert.equal(sip.status, 200, JSON.stringify(sip.json));
  const endpoint = catapult.context.directory.findEndpoint(username, sip.json.realm as string);
  assert.ok(endpoint, 'one endpoint of that name');
  assert.equal(endpoint.password, sip.json.password, "the endpoint's password is the one the app gives out");

  const log = await control.requests();
  const orders = log.filter((r) => r.method === 'POST' && r.path.endsWith('/phoneNumbers'));
  const releases = log.filter((r) => r.method === 'DELETE' && r.path.includes('/phoneNumbers/'));
  assert.equal(orders.length, 1, 'one number ordered');
  assert.equal(releases.length, 0, 'none released');

  const doctor = await callApi(stack.apiUrl, 'GET', '/api/ops/doctor', {
    headers: { 'x-functions-key': stack.functionKey },
  });
  assert.equal(doctor.status, 200, JSON.stringify(doctor.json));
  assert.deepEqual(doctor.json.problems, []);
  assert.equal(doctor.json.nothingToRepair, true);
}

function signUp(username: string, offer: Offer): Promise<ApiAnswer> {
  return callApi(stack.apiUrl, 'POST', '/api/users', { body: { username, ...offer } });
}

async function waitForHold(faultId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await control.holds()).some((h) => h.faultId === faultId)) {
    if (Date.now() > deadline) throw new Error('the sign-up never reached the held step');
    await new Promise((r) => setTimeout(r, 10));
  }
}
