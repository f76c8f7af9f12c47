// The in-memory table must behave like Azure Tables where the stores depend on it (the same checks
// run against Azurite in tests/integration/core/storage.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../core/errors';
import { isStorageConflict } from '../../../core/storage/entity-table';
import { MemoryEntityTable } from '../../../core/storage/memory-entity-table';

test('create is unique; updates and deletes are ETag-guarded; updates merge', async () => {
  const table = new MemoryEntityTable();
  const { etag } = await table.create({ partitionKey: 'p', rowKey: 'r', a: 1, b: 'x' });
  await assert.rejects(table.create({ partitionKey: 'p', rowKey: 'r' }), (e) => isStorageConflict(e, 'exists'));
  const updated = await table.update({ partitionKey: 'p', rowKey: 'r', a: 2 }, etag);
  assert.deepEqual(
    { ...(await table.get('p', 'r')), etag: undefined },
    { partitionKey: 'p', rowKey: 'r', a: 2, b: 'x', etag: undefined },
  );
  await assert.rejects(table.update({ partitionKey: 'p', rowKey: 'r', a: 3 }, etag), (e) =>
    isStorageConflict(e, 'changed'),
  );
  await assert.rejects(table.update({ partitionKey: 'p', rowKey: 'zz', a: 3 }, etag), (e) =>
    isStorageConflict(e, 'missing'),
  );
  await assert.rejects(table.delete('p', 'r', etag), (e) => isStorageConflict(e, 'changed'));
  assert.equal(await table.delete('p', 'r', updated.etag), true);
  assert.equal(await table.delete('p', 'r', '*'), false);
});

test('transactions are atomic and single-partition; lists are ordered and prefix-filtered', async () => {
  const table = new MemoryEntityTable();
  await table.create({ partitionKey: 'p', rowKey: 'b:1' });
  await assert.rejects(
    table.transact([
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:1' } },
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'b:1' } },
    ]),
    (e) => isStorageConflict(e, 'exists'),
  );
  assert.equal(await table.get('p', 'a:1'), undefined);
  await assert.rejects(
    table.transact([
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'x' } },
      { kind: 'create', entity: { partitionKey: 'q', rowKey: 'x' } },
    ]),
    /one partition/,
  );
  await table.transact([
    { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:2' } },
    { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a:1' } },
  ]);
  assert.deepEqual(
    (await table.list('p', { rowKeyPrefix: 'a:' })).map((r) => r.rowKey),
    ['a:1', 'a:2'],
  );
  await assert.rejects(table.transact([{ kind: 'delete', partitionKey: 'p', rowKey: 'nope' }]), (e) =>
    isStorageConflict(e, 'missing'),
  );
  await assert.rejects(table.get('p', 'a/b'), /Unsafe table key/);
  table.down = true;
  await assert.rejects(table.get('p', 'a:1'), (e) => isAppError(e) && e.code === 'storage-unavailable');
});
