// The calling limits end to end: real Catapult events from the sandbox, the real client, limits in Azurite
// shared by two app instances (each call's events reach whichever instance serves the webhook at the time).
// Calls past a limit are hung up without a transfer and recorded with the reason; dialled numbers of the types
// fraud rents are refused however they are typed; a call past its longest length is hung up by the watchdog.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CoreVoiceApp } from '../../../core/create-voice-app';
import { freshNumber, startCoreStack, waitFor, type CoreStack } from './support/core-stack';

let stack: CoreStack;
let first: CoreVoiceApp;
let second: CoreVoiceApp;
let alice: { username: string; number: string; sipUri?: string };
/** The instances' clock runs ahead by this much (the watchdog test moves it past a call's cap). */
let clockAhead = 0;

before(async () => {
  stack = await startCoreStack();
  const config = {
    ...stack.config,
    limits: { ...stack.config.limits, concurrentCallsPerUser: 1, callsPerUserPerHour: 50, maxCallSeconds: 10 },
  };
  // The watchdog runs only when the test asks (no opportunistic runs racing the assertions).
  const shared = {
    config,
    tablePrefix: `cl${process.pid}`,
    now: () => Date.now() + clockAhead,
    overdueCheckIntervalMs: 0,
  };
  first = stack.newApp(shared);
  second = stack.newApp(shared);
  stack.app = first;
  const number = await freshNumber(first);
  alice = (await first.signUp({ username: `limited${process.pid % 1000}`, number })).session.user;
});
after(async () => {
  await stack?.stop();
});

const call = (id: string) => stack.control('GET', `/sandbox/calls/${id}`);
const record = async (callId: string) =>
  (await first.listCalls({ username: alice.username })).calls.find((c) => c.callId === callId);
const dial = async (to: string): Promise<string> =>
  ((await stack.control('POST', '/sandbox/calls/endpoint', { sipUri: alice.sipUri, to })) as { callId: string }).callId;
/** Waits until the far end answered, hangs up its leg, and waits until the history says the call completed. */
const talkAndHangUp = async (callId: string) => {
  await waitFor('answered', async () => (await record(callId))?.state === 'active');
  const leg = (await call(callId)).transferredToCallId as string;
  await stack.control('POST', `/sandbox/calls/${leg}/hangup`);
  await waitFor('completed', async () => (await record(callId))?.state === 'completed');
};
const refusedWith = async (callId: string) => {
  const ended = await waitFor('the hang-up', async () => {
    const c = await call(callId);
    return c.state === 'completed' ? c : undefined;
  });
  assert.equal(ended.transferredToCallId, null, 'a refused call is never transferred');
  const row = await waitFor('the history row', () => record(callId));
  assert.equal(row.state, 'failed');
  return row.cause;
};

test('one call at a time across two instances: the second is hung up and recorded; after the first ends, calls go out again', async () => {
  const going = await dial('9195550123');
  await waitFor('the transfer', async () => (await call(going)).transferredToCallId);
  stack.app = second; // the next call's events reach the other instance
  assert.equal(await refusedWith(await dial('19195550124')), 'concurrent-call-limit');
  await talkAndHangUp(going);
  stack.app = first;
  const next = await dial('+19195550125');
  await waitFor('the transfer', async () => (await call(next)).transferredToCallId);
  await talkAndHangUp(next);
});

test('personal, VoIP and toll-free numbers are refused by type as a SIP phone sends them (every typed spelling: tests/unit/core/dial-rules.test.ts); +1 605 goes out', async () => {
  for (const [to, reason] of [
    ['5002345678', 'number-type-not-allowed'],
    ['15332345678', 'number-type-not-allowed'],
    ['+15882345678', 'number-type-not-allowed'],
    ['6002345678', 'number-type-not-allowed'],
    ['18002345678', 'toll-free-not-allowed'],
    ['+19002345678', 'premium-rate'],
  ] as const) {
    assert.equal(await refusedWith(await dial(to)), reason, to);
  }
  // South Dakota's +1 605 is an ordinary area of fixed lines and mobiles: the type rule lets it through, and
  // the per-user limits and the outbound-minutes breaker bound what inflated traffic to it can cost.
  const rural = await dial('6052345678');
  const leg = await waitFor('the transfer', async () => (await call(rural)).transferredToCallId);
  assert.equal((await call(leg)).to, '+16052345678');
  await talkAndHangUp(rural);
});

test('a call past its longest length is hung up by the watchdog and recorded with the cause', async () => {
  const callId = await dial('9195550126');
  await waitFor('answered', async () => (await record(callId))?.state === 'active');
  assert.equal(await second.endOverdueCalls(), 0, 'not yet');
  clockAhead += 11_000; // MAX_CALL_SECONDS is 10 here
  assert.equal(await second.endOverdueCalls(), 1);
  await waitFor('the provider hung up', async () => (await call(callId)).state === 'completed');
  const row = await waitFor('recorded', async () => {
    const r = await record(callId);
    return r?.state === 'completed' ? r : undefined;
  });
  assert.equal(row.cause, 'call-length-limit');
  // The slot is free again: another call goes out.
  const next = await dial('9195550127');
  await waitFor('the transfer', async () => (await call(next)).transferredToCallId);
  await talkAndHangUp(next);
});
