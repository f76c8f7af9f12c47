// dev/azurite.ts: free ports on 127.0.0.1, blob on request, on-disk persistence with `location`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAzurite } from '../../../dev/azurite';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';

test('in-memory table + blob on loopback ports, stopped cleanly', async () => {
  const azurite = await startAzurite({ blob: true });
  try {
    assert.match(azurite.tableEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    assert.match(azurite.blobEndpoint!, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    assert.match(azurite.connectionString, /BlobEndpoint=http:\/\/127\.0\.0\.1/);
    const blob = await fetch(`${azurite.blobEndpoint}?comp=list`);
    assert.ok(blob.status >= 200 && blob.status < 500); // the service answers (auth aside)
  } finally {
    await azurite.stop();
  }
  await assert.rejects(fetch(azurite.tableEndpoint));
});

test('with a location the data survives a restart on the same port', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azurite-core-'));
  try {
    const first = await startAzurite({ location: dir });
    const port = Number(new URL(first.tableEndpoint).port);
    await createAzureEntityTable({ connectionString: first.connectionString, tableName: 'persisted' }).create({
      partitionKey: 'p',
      rowKey: 'r',
      kept: true,
    });
    await first.stop();
    const second = await startAzurite({ location: dir, tablePort: port });
    try {
      const row = await createAzureEntityTable({
        connectionString: second.connectionString,
        tableName: 'persisted',
      }).get<{ kept: boolean }>('p', 'r');
      assert.equal(row?.kept, true);
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
