// The Table-backed fixed-window counters behind every limit: they count up to the limit and refuse with the
// time left in the window, hold across instances sharing one table (ETag races included), give slots back,
// and fail closed when storage is down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../../../core/errors';
import { DAY_MS, HOUR_MS, WindowCounters } from '../../../../core/limits/window-counters';
import { StorageConflict, type EntityTable } from '../../../../core/storage/entity-table';
import { MemoryEntityTable } from '../../../../core/storage/memory-entity-table';

const T0 = Date.parse('2026-11-26T10:00:00Z');

function counters(table: EntityTable = new MemoryEntityTable(), start = T0) {
  const clock = { now: start };
  return { counters: new WindowCounters({ table, now: () => clock.now }), clock, table };
}

const perHour = (limit: number, subject = '203.0.113.7') => ({ kind: 'test', subject, limit, windowMs: HOUR_MS });

describe('WindowCounters', () => {
  it('counts up to the limit, then refuses with the seconds left in the clock hour', async () => {
    const { counters: c, clock } = counters();
    clock.now = T0 + 20 * 60_000; // 10:20
    for (let i = 0; i < 3; i += 1) assert.equal((await c.take(perHour(3))).ok, true);
    const refused = await c.take(perHour(3));
    assert.deepEqual(refused, { ok: false, retryAfterSeconds: 40 * 60 });
    assert.equal(await c.count(perHour(3)), 3);
  });

  it('starts over in the next window, and counts each subject apart', async () => {
    const { counters: c, clock } = counters();
    for (let i = 0; i < 2; i += 1) await c.take(perHour(2));
    assert.equal((await c.take(perHour(2))).ok, false);
    assert.equal((await c.take(perHour(2, '198.51.100.1'))).ok, true, 'another address has its own count');
    clock.now = T0 + HOUR_MS; // 11:00
    assert.equal((await c.take(perHour(2))).ok, true);
    assert.equal(await c.count(perHour(2)), 1);
  });

  it('aligns days to UTC midnight', async () => {
    const { counters: c, clock } = counters();
    clock.now = Date.parse('2026-11-26T23:59:30Z');
    await c.take({ kind: 'day', subject: 'app', limit: 1, windowMs: DAY_MS });
    assert.deepEqual(await c.take({ kind: 'day', subject: 'app', limit: 1, windowMs: DAY_MS }), {
      ok: false,
      retryAfterSeconds: 30,
    });
  });

  it('a total (no window) never lifts by itself: no Retry-After', async () => {
    const { counters: c, clock } = counters();
    const total = { kind: 'users', subject: 'app', limit: 1 };
    assert.equal((await c.take(total)).ok, true);
    clock.now += 365 * DAY_MS;
    assert.deepEqual(await c.take(total), { ok: false });
  });

  it('a limit of 0 refuses without waiting being any use', async () => {
    const { counters: c } = counters();
    assert.deepEqual(await c.take(perHour(0)), { ok: false });
  });

  it('holds across instances sharing one table, even when they race (ETag-guarded writes)', async () => {
    const table = new MemoryEntityTable();
    const one = new WindowCounters({ table, now: () => T0 });
    const two = new WindowCounters({ table, now: () => T0 });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? one : two).take(perHour(5))));
    assert.equal(results.filter((r) => r.ok).length, 5);
    assert.equal(await one.count(perHour(5)), 5);
  });

  it('gives a slot back (and only within its own window)', async () => {
    const { counters: c, clock } = counters();
    const first = await c.take(perHour(1));
    assert.ok(first.ok);
    assert.equal((await c.take(perHour(1))).ok, false);
    await first.taken.giveBack();
    const second = await c.take(perHour(1));
    assert.equal(second.ok, true);
    clock.now = T0 + HOUR_MS;
    await c.take(perHour(1));
    if (second.ok) await second.taken.giveBack(); // its window is over: the new window's count stays
    assert.equal(await c.count(perHour(1)), 1);
  });

  it('fails closed: storage down is storage-unavailable, never a pass', async () => {
    const table = new MemoryEntityTable();
    table.down = true;
    const { counters: c } = counters(table);
    await assert.rejects(c.take(perHour(100)), (error) => isAppError(error) && error.code === 'storage-unavailable');
  });

  it('refuses for a second when the row stays too contended to write', async () => {
    const table = new MemoryEntityTable();
    const alwaysRaced: EntityTable = {
      ...bind(table),
      create: async () => {
        throw new StorageConflict('exists', 'raced');
      },
      update: async () => {
        throw new StorageConflict('changed', 'raced');
      },
    };
    const c = new WindowCounters({ table: alwaysRaced, now: () => T0, maxAttempts: 3 });
    assert.deepEqual(await c.take(perHour(10)), { ok: false, retryAfterSeconds: 1 });
  });
});

function bind(table: MemoryEntityTable): EntityTable {
  return {
    name: table.name,
    get: table.get.bind(table),
    create: table.create.bind(table),
    update: table.update.bind(table),
    delete: table.delete.bind(table),
    transact: table.transact.bind(table),
    list: table.list.bind(table),
  };
}
