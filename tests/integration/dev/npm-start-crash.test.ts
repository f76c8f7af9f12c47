// The app (and its storage) killed or stopped between two sign-up steps, then started again: what the crash left
// behind is finished by the person's retry (exactly one 201, the endpoint's password is the stored one, the number
// ordered once) or, when no retry comes in time, released by the app when it starts (SIGNUP_RESUME_MINUTES).
// The real `npm start` with tables on disk; Catapult is a sandbox the test owns, held between the steps. After
// each, `npm run doctor` reports nothing to repair.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createCatapultClient } from '../../../core/catapult/client';
import type { CatapultApi } from '../../../core/catapult/catapult-api';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { callApi, type ApiAnswer } from '../../support/api-client';
import { SandboxControl } from '../../support/sandbox-control';
import { freshOffer, uniqueUsername, type Offer } from '../../support/stack-fixture';
import { runDoctor, startNpmStart, waitUntilGone, type RunningNpmStart } from './support/npm-start';

/** Each scenario's own Catapult (a sandbox), so scenarios run side by side without seeing each other's requests. */
interface World {
  catapult: Sandbox;
  client: CatapultApi;
  control: SandboxControl;
}

async function newWorld(): Promise<World> {
  const catapult = await createSandbox({ port: 0 });
  const client = createCatapultClient({
    baseUrl: catapult.apiUrl,
    userId: catapult.account.userId,
    apiToken: catapult.account.apiToken,
    apiSecret: catapult.account.apiSecret,
  });
  return { catapult, client, control: new SandboxControl(catapult.baseUrl) };
}

type Step =
  'before ordering' | 'ordered, answer lost' | 'before the endpoint' | 'endpoint made, answer lost' | 'read back';
type Kill = 'the app crashes' | 'the app and Azurite crash' | 'the app is stopped';
type Then = 'the person retries' | 'nobody retries; the next start releases';

/** The sign-up's Catapult request each step holds, and whether it is held before or after Catapult acts. */
function holdFor(
  catapult: Sandbox,
  step: Step,
  domainId: string,
): { method: string; path: string; hold: 'before' | 'after' } {
  const user = `/v1/users/${catapult.account.userId}`;
  const endpoints = `${user}/domains/${domainId}/endpoints`;
  switch (step) {
    case 'before ordering':
      return { method: 'POST', path: `${user}/phoneNumbers`, hold: 'before' };
    case 'ordered, answer lost':
      return { method: 'POST', path: `${user}/phoneNumbers`, hold: 'after' };
    case 'before the endpoint':
      return { method: 'POST', path: endpoints, hold: 'before' };
    case 'endpoint made, answer lost':
      return { method: 'POST', path: endpoints, hold: 'after' };
    case 'read back':
      return { method: 'GET', path: `${endpoints}/*`, hold: 'after' };
  }
}

const scenarios: Array<[Step, Kill, Then]> = [
  ['before ordering', 'the app crashes', 'the person retries'],
  ['ordered, answer lost', 'the app crashes', 'the person retries'],
  ['before the endpoint', 'the app crashes', 'the person retries'],
  ['endpoint made, answer lost', 'the app crashes', 'the person retries'],
  ['read back', 'the app crashes', 'the person retries'],
  ['endpoint made, answer lost', 'the app and Azurite crash', 'the person retries'],
  ['read back', 'the app is stopped', 'the person retries'],
  ['ordered, answer lost', 'the app and Azurite crash', 'nobody retries; the next start releases'],
  ['before the endpoint', 'the app crashes', 'nobody retries; the next start releases'],
];

// Three scenarios at a time: each is mostly waiting for processes to start and stop.
describe('npm start killed or stopped between sign-up steps', { concurrency: 3 }, () => {
  for (const [step, kill, then] of scenarios) {
    test(`${step}, ${kill}, ${then}: nothing lost, nothing left over`, { timeout: 300_000 }, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'vra-crash-'));
      const started: RunningNpmStart[] = [];
      const world = await newWorld();
      const { catapult, client, control } = world;
      try {
        const first = await startWhenSettled(world, dataDir, {});
        started.push(first);
        // A first user makes the app set itself up, so the steps' paths (the domain) are known.
        const warmUp = await signUpOnce(first.apiUrl, await freshOffer(first.apiUrl), uniqueUsername('warm'));
        assert.equal(warmUp.status, 201, JSON.stringify(warmUp.json));
        const domainId = await domainIdOf(client, warmUp.json.user.sipUri as string);

        // Azurite killed with -9 loses what it took in since its last save (every 5 s): only the cut sign-up's own
        // writes are to be at stake, not the set-up's or the start-up run's.
        if (kill === 'the app and Azurite crash') await new Promise((r) => setTimeout(r, 6000));
        const username = uniqueUsername('crash');
        const offer = await freshOffer(first.apiUrl);
        const { number } = offer;
        await control.clearRequests();
        const faultId = await control.fault({ ...holdFor(catapult, step, domainId), count: 1 });
        const cut = signUpOnce(first.apiUrl, offer, username).catch(() => undefined);
        await waitForHold(control, faultId);
        await stopAs(kill, first);
        await control.clearFaults();
        await control.release(faultId); // Catapult finishes what it was doing
        // Cut short it gets no answer, except when stopped: then the local host lets it finish if it can (its
        // Catapult client retries the held request after its timeout, within the host's grace period).
        const firstAnswer = await cut;
        const answeredBeforeStop = firstAnswer?.status === 201;
        if (kill !== 'the app is stopped') assert.equal(firstAnswer, undefined, 'a crashed app answers nothing');
        const orderedBeforeRestart = await numberOnAccount(client, number);
        await control.clearRequests();

        const resume = then === 'the person retries';
        // Without a retry, the sign-up is abandoned once its lease (10 s) has run out; this start is after that.
        if (!resume) await new Promise((r) => setTimeout(r, 11_000));
        const second = await startWhenSettled(world, dataDir, resume ? {} : { SIGNUP_RESUME_MINUTES: '0' });
        started.push(second);
        if (resume) {
          const retried = await retryUntilAnswered(second.apiUrl, offer, username);
          // A graceful stop may let the first attempt save its user after its answer could no longer be sent (the
          // host's grace ran out while Catapult held the step): the retry is then that same user, 200.
          const expected = answeredBeforeStop ? [200] : kill === 'the app is stopped' ? [200, 201] : [201];
          assert.ok(expected.includes(retried.status), `${retried.status}: ${JSON.stringify(retried.json)}`);
          const login = await callApi(second.apiUrl, 'POST', '/api/login', { body: { username } });
          assert.equal(login.status, 200);
          const sip = await callApi(second.apiUrl, 'GET', '/api/me/sip', { token: login.json.token as string });
          assert.equal(sip.status, 200, JSON.stringify(sip.json));
          const endpoint = catapult.context.directory.findEndpoint(username, sip.json.realm as string);
          assert.ok(endpoint, 'the endpoint exists');
          assert.equal(endpoint.password, sip.json.password, "the endpoint's password is the one the app gives out");
          const orders = (await control.requests()).filter(
            (r) => r.method === 'POST' && r.path.endsWith('/phoneNumbers'),
          );
          // The retry orders the number only if the cut attempt did not get it. (When Azurite itself was killed, the
          // journal row may be lost with it: the app then releases the stray number at start and the retry orders anew.)
          if (kill === 'the app and Azurite crash') assert.ok(orders.length <= 1, `${orders.length} orders`);
          else assert.equal(orders.length, orderedBeforeRestart ? 0 : 1, 'no number ordered twice');
          assert.equal(await numberOnAccount(client, number), true);
        } else {
          assert.equal(await numberOnAccount(client, number), false, 'the number was released at start');
          assert.equal(await endpointNamed(client, domainId, username), false, 'the endpoint was deleted at start');
          const login = await callApi(second.apiUrl, 'POST', '/api/login', { body: { username } });
          assert.equal(login.status, 404);
        }
        const doctor = await runDoctor(dataDir);
        assert.equal(doctor.code, 0, doctor.output);
        assert.match(doctor.output, /nothing to repair/);
        assert.match(doctor.output, /outbound breaker: closed/);
      } finally {
        for (const running of started) await stopQuietly(running);
        await control.clearFaults().catch(() => undefined);
        await control.release().catch(() => undefined);
        await catapult.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});

/** Starts npm start and waits for its start-up maintenance run, so it does not meet the test's holds. */
async function startWhenSettled(
  world: World,
  dataDir: string,
  settings: Record<string, string>,
): Promise<RunningNpmStart> {
  const running = await startNpmStart(dataDir, world.catapult, settings);
  const deadline = Date.now() + 60_000;
  while (!/timer maintenance-run (ran|failed)/.test(running.output())) {
    if (Date.now() > deadline) throw new Error(`no start-up maintenance run:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return running;
}

async function stopAs(kill: Kill, running: RunningNpmStart): Promise<void> {
  if (kill === 'the app and Azurite crash') process.kill(running.azuritePid, 'SIGKILL');
  if (kill === 'the app is stopped') process.kill(running.pid, 'SIGTERM');
  else process.kill(running.stackPid, 'SIGKILL');
  await running.exited;
  const left = await waitUntilGone(running.processes.map((p) => p.pid));
  assert.deepEqual(left, [], `left running: ${left.join(', ')}`);
}

async function stopQuietly(running: RunningNpmStart): Promise<void> {
  try {
    process.kill(running.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([running.exited, new Promise((r) => setTimeout(r, 30_000))]);
  await waitUntilGone(running.processes.map((p) => p.pid));
}

function signUpOnce(apiUrl: string, offer: Offer, username: string): Promise<ApiAnswer> {
  return callApi(apiUrl, 'POST', '/api/users', { body: { username, ...offer } });
}

/** A retry as a client makes it: again while the answer is "in progress" (409), for at most 20 s. */
async function retryUntilAnswered(apiUrl: string, offer: Offer, username: string): Promise<ApiAnswer> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await signUpOnce(apiUrl, offer, username);
    if (answer.json?.error?.code !== 'signup-in-progress' || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitForHold(control: SandboxControl, faultId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const held = await control.holds();
    if (held.some((h) => h.faultId === faultId)) return;
    if (Date.now() > deadline) throw new Error('the sign-up never reached the held step');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function domainIdOf(client: CatapultApi, sipUri: string): Promise<string> {
  const name = /@([^.]+)\./.exec(sipUri)![1];
  for await (const domain of client.listDomains()) if (domain.name === name) return domain.id;
  throw new Error(`no domain ${name}`);
}

async function numberOnAccount(client: CatapultApi, number: string): Promise<boolean> {
  for await (const n of client.listPhoneNumbers()) if (n.number === number) return true;
  return false;
}

async function endpointNamed(client: CatapultApi, domainId: string, name: string): Promise<boolean> {
  for await (const e of client.listEndpoints(domainId)) if (e.name === name) return true;
  return false;
}
