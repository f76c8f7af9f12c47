// `npm start` with Catapult credentials (tables on disk) stopped every way a person or a machine stops it: a user
// answered 201 just before the stop can log in after the restart, and nothing npm started is left running or
// holding a port. Catapult is a sandbox the test owns, so the restart meets the same numbers and endpoints.
// (A SIGINT sent to npm's pid alone is not among them: npm passes it only to the `sh -c` running the script,
// which waits for the script to end; nothing can see it. A terminal's Ctrl-C reaches the whole group.)
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createCatapultClient } from '../../../core/catapult/client';
import { createSandbox, type Sandbox } from '../../../sandbox/server';
import { callApi } from '../../support/api-client';
import { uniqueUsername } from '../../support/stack-fixture';
import { isListening, runDoctor, startNpmStart, waitUntilGone, type RunningNpmStart } from './support/npm-start';

/** Applications and domains on the sandbox account: a restart must reuse the app's, not create more. */
async function appResourceCount(catapult: Sandbox): Promise<{ applications: number; domains: number }> {
  const client = createCatapultClient({
    baseUrl: catapult.apiUrl,
    userId: catapult.account.userId,
    apiToken: catapult.account.apiToken,
    apiSecret: catapult.account.apiSecret,
  });
  let applications = 0;
  let domains = 0;
  for await (const _ of client.listApplications()) applications++;
  for await (const _ of client.listDomains()) domains++;
  return { applications, domains };
}

const handedOut = new Set<string>();
async function signUp(apiUrl: string): Promise<{ username: string; number: string }> {
  const search = await callApi(apiUrl, 'GET', '/api/numbers?areaCode=919&quantity=50');
  assert.equal(search.status, 200, JSON.stringify(search.json));
  // Sign-up orders only a number a search offered: the offer's signature goes with it.
  const offer = (search.json.numbers as Array<{ number: string; signature: string }>).find(
    (n) => !handedOut.has(n.number),
  )!;
  const { number, signature } = offer;
  handedOut.add(number);
  const username = uniqueUsername('stop');
  const created = await callApi(apiUrl, 'POST', '/api/users', { body: { username, number, signature } });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return { username, number };
}

const ways: Array<[string, (running: RunningNpmStart) => void]> = [
  ['Ctrl-C in the terminal (SIGINT to the whole process group)', (r) => process.kill(-r.pid, 'SIGINT')],
  ['SIGTERM to npm alone', (r) => process.kill(r.pid, 'SIGTERM')],
  ['SIGHUP to npm alone', (r) => process.kill(r.pid, 'SIGHUP')],
  ['the terminal closed (SIGHUP to the whole process group)', (r) => process.kill(-r.pid, 'SIGHUP')],
  ['SIGTERM to the stack process', (r) => process.kill(r.stackPid, 'SIGTERM')],
  ['kill -9 of the stack process (a crash)', (r) => process.kill(r.stackPid, 'SIGKILL')],
];

// Each way has its own sandbox, folder and ports, so three run side by side (each is mostly waiting for
// processes to start and stop).
describe('npm start stopped', { concurrency: 3 }, () => {
  for (const [way, stopIt] of ways) {
    test(
      `${way}: the user answered 201 just before survives the restart, and nothing is left running`,
      {
        timeout: 180_000,
      },
      async () => {
        const dataDir = await mkdtemp(join(tmpdir(), 'vra-npm-start-'));
        const catapult = await createSandbox({ port: 0 });
        try {
          const before = await appResourceCount(catapult);
          const first = await startNpmStart(dataDir, catapult);
          let user: { username: string; number: string };
          try {
            user = await signUp(first.apiUrl);
          } finally {
            stopIt(first);
          }
          await withTimeout(first.exited, 60_000, () => `npm did not exit:\n${first.output()}`, first);
          const left = await waitUntilGone(first.processes.map((p) => p.pid));
          const leftover = first.processes.filter((p) => left.includes(p.pid)).map((p) => p.command);
          assert.deepEqual(leftover, [], `still running after npm exited:\n${leftover.join('\n')}\n${first.output()}`);
          assert.equal(await isListening(Number(new URL(first.apiUrl).port)), false, 'the API port is free');
          assert.equal(await isListening(first.tablePort), false, "Azurite's port is free");

          const second = await startNpmStart(dataDir, catapult);
          try {
            const login = await callApi(second.apiUrl, 'POST', '/api/login', { body: { username: user.username } });
            assert.equal(login.status, 200, `${JSON.stringify(login.json)}\n${first.output()}`);
            assert.equal(login.json.user.number, user.number);
            const health = await callApi(second.apiUrl, 'GET', '/api/health');
            assert.equal(health.status, 200, JSON.stringify(health.json));
            const afterwards = await appResourceCount(catapult);
            assert.deepEqual(afterwards, { applications: before.applications + 1, domains: before.domains + 1 });
            const doctor = await runDoctor(dataDir);
            assert.equal(doctor.code, 0, doctor.output);
            assert.match(doctor.output, /nothing to repair/);
          } finally {
            process.kill(second.pid, 'SIGTERM');
            await withTimeout(second.exited, 60_000, () => `npm did not exit:\n${second.output()}`, second);
            await waitUntilGone(second.processes.map((p) => p.pid));
          }
        } finally {
          await catapult.close();
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    );
  }
});

/** Waits for `promise`; on timeout kills everything `running` started (so a failing test leaves nothing) and fails. */
async function withTimeout(
  promise: Promise<void>,
  ms: number,
  message: () => string,
  running: RunningNpmStart,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), ms)),
  );
  const outcome = await Promise.race([promise, timedOut]);
  clearTimeout(timer);
  if (outcome !== 'timeout') return;
  for (const { pid } of [{ pid: running.pid }, ...running.processes]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  assert.fail(message());
}
