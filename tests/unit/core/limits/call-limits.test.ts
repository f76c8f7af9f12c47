// The calling limits through the provider-free handler (in-memory tables, a scripted provider, a test clock):
// calls one of our users places past each limit are refused before the provider acts and recorded with the
// reason in the caller's history; a call past its longest length is hung up; the outbound-minutes breaker stops
// calls to phone numbers until an operator lifts it; storage that cannot be read ends the call (fail closed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError, isAppError } from '../../../../core/errors';
import {
  CallLimits,
  OUTBOUND_PARTITION,
  OUTBOUND_ROW,
  type CallLimitSettings,
} from '../../../../core/limits/call-limits';
import { liftOutboundBreaker, readOutboundBreaker } from '../../../../core/limits/outbound-breaker';
import { noopLogger } from '../../../../core/log';
import { EMPTY_REPLY, type AppEvent, type CallAction } from '../../../../core/provider/app-events';
import type { ProviderCalls } from '../../../../core/provider/voice-provider';
import { CallEventHandler } from '../../../../core/routing/call-event-handler';
import type { EntityTable } from '../../../../core/storage/entity-table';
import { createMemoryTables, storesFromTables } from '../../../../core/storage/stores';
import { seedUsers } from '../support/seed-users';

const ALICE = '+19195551001';
const BOB = '+19195551002';
const PSTN = '+19195550123';
const START = Date.parse('2026-11-26T10:00:00Z');

const DEFAULTS: CallLimitSettings = {
  concurrentCallsPerUser: 2,
  callsPerUserPerHour: 20,
  callMinutesPerUserPerDay: 120,
  maxCallSeconds: 3600,
  outboundMinutesPerHour: 600,
};

async function setup(settings: Partial<CallLimitSettings> = {}, wrapLimits?: (table: EntityTable) => EntityTable) {
  const tables = createMemoryTables();
  const stores = storesFromTables(tables);
  await seedUsers(stores, [
    ['alice', ALICE],
    ['bob', BOB],
  ]);
  const clock = { now: START };
  const actions: CallAction[] = [];
  const hungUp: string[] = [];
  const calls: ProviderCalls = {
    async carryOut(action) {
      actions.push(action);
      return { reply: EMPTY_REPLY };
    },
    async end(callId) {
      hungUp.push(callId);
    },
    async divertToVoicemail() {
      return false;
    },
    async fetchRecording() {
      throw new Error('not used');
    },
  };
  const limits = new CallLimits({
    table: wrapLimits ? wrapLimits(tables.limits) : tables.limits,
    settings: { ...DEFAULTS, ...settings },
    logger: noopLogger,
    now: () => clock.now,
  });
  const handler = new CallEventHandler({
    provider: { webhooks: { read: async (incoming) => incoming.body as AppEvent }, calls },
    users: stores.users,
    calls: stores.calls,
    allowedCountries: ['US', 'CA'],
    callLimits: limits,
    logger: noopLogger,
    now: () => clock.now,
  });
  const send = (event: AppEvent) => handler.handle({ route: 'catapult', authorization: 'ok', query: {}, body: event });
  /** Alice's dialpad places a call (a verified caller), to a phone number by default. */
  const place = async (callId: string, to = PSTN) => {
    await send({ kind: 'call-arrived', callId, from: 'anonymous', to, caller: { kind: 'user', username: 'alice' } });
    const route = actions.findLast((a) => a.kind === 'route' && a.callId === callId);
    assert.ok(route?.kind === 'route');
    return route.decision;
  };
  const answer = (callId: string) => send({ kind: 'leg-answered', callId });
  const hangUp = (callId: string) => send({ kind: 'call-ended', callId, cause: 'NORMAL_CLEARING' });
  const record = async (callId: string, username = 'alice') =>
    (await stores.calls.list(username)).find((c) => c.callId === callId);
  const advance = (ms: number) => (clock.now += ms);
  return { handler, limits, tables, clock, actions, place, answer, hangUp, record, hungUp, advance, send };
}

test('concurrent calls: the third call at once is refused, recorded with the reason; a call that ends frees its place', async () => {
  const { place, hangUp, record } = await setup();
  assert.equal((await place('c-1')).action, 'dial');
  assert.equal((await place('c-2', '+1 (919) 555-0124')).action, 'dial');
  const third = await place('c-3', '919-555-0125');
  assert.deepEqual(third, {
    action: 'refuse',
    reason: 'concurrent-call-limit',
    history: [{ username: 'alice', direction: 'outbound', peer: '+19195550125' }],
  });
  const refused = await record('c-3');
  assert.equal(refused?.state, 'failed');
  assert.equal(refused?.cause, 'concurrent-call-limit');
  await hangUp('c-1');
  assert.equal((await place('c-4')).action, 'dial');
});

test('a call to another user counts against the caller’s limits; the callee’s history never sees a refused one', async () => {
  const { place, record } = await setup({ concurrentCallsPerUser: 1 });
  const first = await place('c-1', BOB);
  assert.equal(first.action, 'connect');
  const second = await place('c-2', BOB);
  assert.equal(second.action === 'refuse' && second.reason, 'concurrent-call-limit');
  assert.equal((await record('c-2', 'bob')) ?? 'none', 'none');
  assert.equal((await record('c-2'))?.cause, 'concurrent-call-limit');
});

test('calls per hour: past the limit refused until the next clock hour; calls refused by the number rules are not counted', async () => {
  const { place, hangUp, advance } = await setup({ callsPerUserPerHour: 2 });
  const premium = await place('c-0', '+1 900 234 5678');
  assert.equal(premium.action === 'refuse' && premium.reason, 'premium-rate');
  for (const id of ['c-1', 'c-2']) {
    assert.equal((await place(id)).action, 'dial');
    await hangUp(id);
  }
  const third = await place('c-3');
  assert.equal(third.action === 'refuse' && third.reason, 'hourly-call-limit');
  advance(60 * 60_000);
  assert.equal((await place('c-4')).action, 'dial');
});

test('minutes per day: each call may last only what is left of the day; what it did not talk is given back', async () => {
  const { place, answer, hangUp, advance } = await setup({ callMinutesPerUserPerDay: 2, concurrentCallsPerUser: 5 });
  const first = await place('c-1');
  assert.equal(first.action === 'dial' && first.maxCallSeconds, 120);
  // The whole day's minutes are reserved by the call going on: nothing is left for a second one.
  const second = await place('c-2');
  assert.equal(second.action === 'refuse' && second.reason, 'daily-minutes-limit');
  await answer('c-1');
  advance(30_000);
  await hangUp('c-1');
  const third = await place('c-3');
  assert.equal(third.action === 'dial' && third.maxCallSeconds, 90);
  await answer('c-3');
  advance(90_000);
  await hangUp('c-3');
  const fourth = await place('c-4');
  assert.equal(fourth.action === 'refuse' && fourth.reason, 'daily-minutes-limit');
  advance(24 * 60 * 60_000); // the next UTC day
  const fifth = await place('c-5');
  assert.equal(fifth.action === 'dial' && fifth.maxCallSeconds, 120);
});

test('the longest call length: the decision carries it, and the watchdog hangs up an answered call past it', async () => {
  const { handler, place, answer, advance, hungUp, record } = await setup({ maxCallSeconds: 60 });
  const decision = await place('c-1');
  assert.equal(decision.action === 'dial' && decision.maxCallSeconds, 60);
  await answer('c-1');
  advance(59_000);
  assert.equal(await handler.endOverdueCalls(), 0);
  assert.deepEqual(hungUp, []);
  advance(1_000);
  assert.equal(await handler.endOverdueCalls(), 1);
  assert.deepEqual(hungUp, ['c-1']);
  const ended = await record('c-1');
  assert.deepEqual([ended?.state, ended?.cause], ['completed', 'call-length-limit']);
  // The provider's own hang-up event that follows changes nothing, and the call's place is free again.
  assert.equal(await handler.endOverdueCalls(), 0);
  assert.equal((await place('c-2')).action, 'dial');
  assert.equal((await place('c-3')).action, 'dial');
});

test('a call that never got its end event is settled by the watchdog from its claim', async () => {
  const { handler, limits, place, answer, advance, send } = await setup({
    concurrentCallsPerUser: 1,
    maxCallSeconds: 60,
  });
  await place('c-1');
  await answer('c-1');
  advance(20_000);
  // The limits' storage failed when the end came: the claim ended, the user's slot did not.
  const finish = limits.finish.bind(limits);
  limits.finish = async () => {
    throw new AppError('storage-unavailable', 'down');
  };
  await send({ kind: 'call-ended', callId: 'c-1', cause: 'NORMAL_CLEARING' });
  limits.finish = finish;
  const blocked = await place('c-2');
  assert.equal(blocked.action === 'refuse' && blocked.reason, 'concurrent-call-limit');
  advance(60_000);
  assert.equal(await handler.endOverdueCalls(), 0); // nothing to hang up: it had ended
  assert.equal((await place('c-3')).action, 'dial');
});

test('outbound-minutes breaker: once the hour’s minutes are used, calls to phone numbers stop until an operator lifts it', async () => {
  const { tables, clock, place, answer, hangUp, advance, record } = await setup({ outboundMinutesPerHour: 1 });
  await place('c-1');
  await answer('c-1');
  advance(61_000);
  await hangUp('c-1');
  const paused = await place('c-2');
  assert.equal(paused.action === 'refuse' && paused.reason, 'outbound-calls-paused');
  assert.equal((await record('c-2'))?.cause, 'outbound-calls-paused');
  // Not a window that runs out: the next hour is still paused. Calls between users cost no minutes to phones.
  advance(60 * 60_000);
  const stillPaused = await place('c-3');
  assert.equal(stillPaused.action === 'refuse' && stillPaused.reason, 'outbound-calls-paused');
  assert.equal((await place('c-4', BOB)).action, 'connect');
  // The operator sees it open, then lifts it (docs/security.md "Lifting a limit").
  const breaker = { table: tables.limits, limitMinutesPerHour: 1, logger: noopLogger, now: () => clock.now };
  const open = await readOutboundBreaker(breaker);
  assert.equal(open.open, true);
  assert.equal(open.reason, 'tripped');
  assert.equal(open.trippedAt, new Date(START + 61_000).toISOString());
  const lifted = await liftOutboundBreaker(breaker);
  assert.deepEqual(lifted, { open: false, minutesThisHour: 0, limitMinutesPerHour: 1, lifted: true });
  assert.equal((await liftOutboundBreaker(breaker)).lifted, false, 'already closed');
  assert.equal((await place('c-5')).action, 'dial');
  // The hour's count started over at the lift: this call's minute opens it again, not the minutes before it.
  await answer('c-5');
  advance(30_000);
  await hangUp('c-5');
  assert.equal((await readOutboundBreaker(breaker)).open, false, 'half a minute since the lift');
  assert.equal((await place('c-6')).action, 'dial');
});

test('the breaker lifted while calls end meanwhile: the lift reads again and wins; a row never written reads closed', async () => {
  const { tables, clock } = await setup({ outboundMinutesPerHour: 1 });
  const breaker = { table: tables.limits, limitMinutesPerHour: 1, logger: noopLogger, now: () => clock.now };
  assert.deepEqual(await readOutboundBreaker(breaker), { open: false, minutesThisHour: 0, limitMinutesPerHour: 1 });
  await tables.limits.create({
    partitionKey: OUTBOUND_PARTITION,
    rowKey: OUTBOUND_ROW,
    windowStart: START,
    seconds: 90,
    trippedAt: new Date(START).toISOString(),
  });
  let raced = false;
  const racing: EntityTable = Object.assign(Object.create(tables.limits) as EntityTable, {
    update: async (entity: Parameters<EntityTable['update']>[0], etag: string) => {
      if (!raced) {
        raced = true; // a call ends and counts between the lift's read and its write
        const row = await tables.limits.get<{ seconds: number }>(OUTBOUND_PARTITION, OUTBOUND_ROW);
        await tables.limits.update({ partitionKey: OUTBOUND_PARTITION, rowKey: OUTBOUND_ROW, seconds: 120 }, row!.etag);
      }
      return tables.limits.update(entity, etag);
    },
  });
  const lifted = await liftOutboundBreaker({ ...breaker, table: racing });
  assert.equal(lifted.lifted, true);
  assert.equal((await readOutboundBreaker(breaker)).open, false);
});

test('OUTBOUND_MINUTES_PER_HOUR=0 keeps the breaker open whatever is lifted', async () => {
  const { tables, clock } = await setup({ outboundMinutesPerHour: 0 });
  const breaker = { table: tables.limits, limitMinutesPerHour: 0, logger: noopLogger, now: () => clock.now };
  const lifted = await liftOutboundBreaker(breaker);
  assert.deepEqual(lifted, {
    open: true,
    reason: 'disabled',
    minutesThisHour: 0,
    limitMinutesPerHour: 0,
    lifted: false,
  });
});

test('OUTBOUND_MINUTES_PER_HOUR=0 stops every call to a phone number', async () => {
  const { place } = await setup({ outboundMinutesPerHour: 0 });
  const refused = await place('c-1');
  assert.equal(refused.action === 'refuse' && refused.reason, 'outbound-calls-paused');
  assert.equal((await place('c-2', BOB)).action, 'connect');
});

test('limits that cannot be read: the call is hung up, never let through', async () => {
  const failing = (table: EntityTable): EntityTable =>
    Object.assign(Object.create(table) as EntityTable, {
      get: async () => {
        throw new AppError('storage-unavailable', 'Storage is down.');
      },
    });
  const { send, hungUp } = await setup({}, failing);
  await assert.rejects(
    send({
      kind: 'call-arrived',
      callId: 'c-1',
      from: 'anonymous',
      to: PSTN,
      caller: { kind: 'user', username: 'alice' },
    }),
    (e: unknown) => isAppError(e) && e.code === 'storage-unavailable',
  );
  assert.deepEqual(hungUp, ['c-1']);
});

test('a repeated call-arrived event after the call ended holds no slot', async () => {
  const { place, hangUp } = await setup({ concurrentCallsPerUser: 1 });
  await place('c-1');
  await hangUp('c-1');
  await place('c-1'); // the provider delivers the first event again
  assert.equal((await place('c-2')).action, 'dial');
});

test('calls into the app from outside are not limited', async () => {
  const { send, actions } = await setup({ concurrentCallsPerUser: 0 });
  await send({ kind: 'call-arrived', callId: 'c-in', from: '+13233326955', to: ALICE });
  const route = actions.find((a) => a.kind === 'route');
  assert.equal(route?.kind === 'route' && route.decision.action, 'connect');
});

test('two instances admitting at once on one table: exactly the allowed number of calls go through', async () => {
  const { tables } = await setup();
  const instance = () =>
    new CallLimits({ table: tables.limits, settings: DEFAULTS, logger: noopLogger, now: () => START });
  const [a, b] = [instance(), instance()];
  const results = await Promise.all(
    ['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6'].map((callId, i) =>
      (i % 2 ? a : b).admit({ callId, username: 'alice', toPhone: true }),
    ),
  );
  assert.equal(results.filter((r) => r.ok).length, DEFAULTS.concurrentCallsPerUser);
  assert.deepEqual(
    results.filter((r) => !r.ok).map((r) => !r.ok && r.reason),
    Array(6 - DEFAULTS.concurrentCallsPerUser).fill('concurrent-call-limit'),
  );
});
