// The EntityTable and stores against real Table Storage (Azurite): uniqueness, ETags, transactions,
// and a storage outage surfacing as storage-unavailable within the timeout.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { isAppError } from '../../../core/errors';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';
import { isStorageConflict } from '../../../core/storage/entity-table';
import { createAzureTables, storesFromTables } from '../../../core/storage/stores';
import { single } from '../../support/list-items';

let azurite: RunningAzurite;
let counter = 0;
const uniquePrefix = () => `t${process.pid}x${++counter}`;

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

test('create is unique, updates and deletes are ETag-guarded, the table is created on first use', async () => {
  const table = createAzureEntityTable({
    connectionString: azurite.connectionString,
    tableName: `${uniquePrefix()}Rows`,
  });
  assert.equal(await table.get('p', 'r'), undefined);
  const { etag } = await table.create({ partitionKey: 'p', rowKey: 'r', value: 1 });
  await assert.rejects(table.create({ partitionKey: 'p', rowKey: 'r', value: 2 }), (e) =>
    isStorageConflict(e, 'exists'),
  );
  const row = await table.get<{ value: number }>('p', 'r');
  assert.equal(row?.value, 1);
  assert.equal(row?.etag, etag);
  const updated = await table.update({ partitionKey: 'p', rowKey: 'r', value: 3 }, etag);
  await assert.rejects(table.update({ partitionKey: 'p', rowKey: 'r', value: 4 }, etag), (e) =>
    isStorageConflict(e, 'changed'),
  );
  await assert.rejects(table.delete('p', 'r', etag), (e) => isStorageConflict(e, 'changed'));
  assert.equal(await table.delete('p', 'r', updated.etag), true);
  assert.equal(await table.delete('p', 'r', '*'), false);
});

test('transactions are all-or-nothing and list filters by RowKey prefix in order', async () => {
  const table = createAzureEntityTable({
    connectionString: azurite.connectionString,
    tableName: `${uniquePrefix()}Rows`,
  });
  await table.create({ partitionKey: 'p', rowKey: 'b:1', n: 1 });
  await assert.rejects(
    table.transact([
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:1', n: 1 } },
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'b:1', n: 2 } },
    ]),
    (e) => isStorageConflict(e, 'exists'),
  );
  assert.equal(await table.get('p', 'a:1'), undefined);
  await table.transact([
    { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:2', n: 2 } },
    { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:1', n: 1 } },
  ]);
  await table.create({ partitionKey: 'q', rowKey: 'a:3', n: 3 });
  assert.deepEqual(
    (await table.list<{ n: number }>('p', { rowKeyPrefix: 'a:' })).map((r) => r.rowKey),
    ['a:1', 'a:2'],
  );
  assert.equal((await table.list('p', { limit: 1 })).length, 1);
  await assert.rejects(table.get("p'or'1'eq'1", 'x/y'), /Unsafe table key/);
});

test('users are unique by username and by number, atomically', async () => {
  const { users } = storesFromTables(
    createAzureTables({ connectionString: azurite.connectionString, tablePrefix: uniquePrefix() }),
  );
  const alice = {
    username: 'alice',
    number: '+19195551001',
    nationalNumber: '(919) 555-1001',
    numberId: 'n-1',
    endpointId: 're-1',
    sipUri: 'sip:alice@d.bwapp.bwsip.io',
    realm: 'd.bwapp.bwsip.io',
    sipPasswordSealed: 'v1.x.y.z',
    createdAt: new Date().toISOString(),
  };
  assert.deepEqual(await users.create(alice), { created: true });
  const sameName = await users.create({ ...alice, number: '+19195551002' });
  assert.equal(sameName.created, false);
  assert.equal(sameName.created === false && sameName.existing?.number, alice.number);
  assert.equal(await users.getByNumber('+19195551002'), undefined); // no orphan index row
  const sameNumber = await users.create({ ...alice, username: 'bob' });
  assert.deepEqual(sameNumber, { created: false, existing: undefined });
  assert.equal(await users.get('bob'), undefined);
  assert.equal((await users.getByNumber(alice.number))?.username, 'alice');
});

test('call history: a blind row write creates a missing row and merges into one that is there; the claim is ETag-guarded', async () => {
  const { calls } = storesFromTables(
    createAzureTables({ connectionString: azurite.connectionString, tablePrefix: uniquePrefix() }),
  );
  const ref = { username: 'alice', rowKey: '0000000000001:c-1', direction: 'inbound' as const, peer: '+13233326955' };
  const ringing = {
    callId: 'c-1',
    direction: ref.direction,
    peer: ref.peer,
    state: 'ringing' as const,
    startedAt: '2026-11-26T10:00:00.000Z',
  };
  await calls.putRecord(ref, { ...ringing, state: 'active', answeredAt: '2026-11-26T10:00:01.000Z' }); // before the first write
  await calls.addRecord(ref, ringing); // the first write, late: left alone
  let row = single(await calls.list('alice'), 'history row');
  assert.deepEqual(
    [row.state, row.answeredAt, row.endedAt, row.direction],
    ['active', '2026-11-26T10:00:01.000Z', undefined, 'inbound'],
  );
  // Each write carries the whole state: what it leaves unset is unset afterwards.
  await calls.putRecord(ref, { ...ringing, state: 'failed', endedAt: '2026-11-26T10:00:09.000Z', cause: 'USER_BUSY' });
  row = single(await calls.list('alice'), 'history row');
  assert.deepEqual(
    [row.state, row.answeredAt, row.endedAt, row.cause, row.peer],
    ['failed', undefined, '2026-11-26T10:00:09.000Z', 'USER_BUSY', ref.peer],
  );

  assert.equal(
    await calls.claim({
      callId: 'c-1',
      action: 'transfer',
      refs: JSON.stringify([ref]),
      claimedAt: ringing.startedAt,
      state: 'ringing',
    }),
    true,
  );
  const claim = (await calls.getClaim('c-1'))!;
  await calls.updateClaim(claim, { state: 'active' });
  await assert.rejects(calls.updateClaim(claim, { state: 'failed' }), (e) => isStorageConflict(e, 'changed'));
  assert.equal((await calls.getClaim('c-1'))?.state, 'active');
});

test('storage down: every call fails with storage-unavailable within the timeout', async () => {
  const own = await startAzurite();
  const table = createAzureEntityTable({
    connectionString: own.connectionString,
    tableName: `${uniquePrefix()}Rows`,
    timeoutMs: 1500,
  });
  await table.create({ partitionKey: 'p', rowKey: 'r' });
  await own.stop();
  const started = Date.now();
  await assert.rejects(
    table.get('p', 'r'),
    (e) => isAppError(e) && e.code === 'storage-unavailable' && e.status === 503,
  );
  await assert.rejects(
    table.create({ partitionKey: 'p', rowKey: 's' }),
    (e) => isAppError(e) && e.code === 'storage-unavailable',
  );
  assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
});

test('storage that accepts but never answers times out as storage-unavailable', async () => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket)); // swallow requests, never answer
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const connectionString = azurite.connectionString.replace(
      /TableEndpoint=[^;]+;/,
      `TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
    );
    const table = createAzureEntityTable({ connectionString, tableName: 'hangingRows', timeoutMs: 300 });
    const started = Date.now();
    await assert.rejects(table.get('p', 'r'), (e) => isAppError(e) && e.code === 'storage-unavailable');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
