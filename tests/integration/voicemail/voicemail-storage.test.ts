// Voicemail storage against real Azurite (Table + Blob): the container is private, the audio round-trips
// byte for byte, a row is never left without its blob when the table fails after the blob was written, a
// save stopped between the two leaves a blob the sweep removes, and a storage outage is storage-unavailable.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite';
import { isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { createAzureEntityTable } from '../../../core/storage/azure-entity-table';
import { createAzureAudioBlobs } from '../../../core/voicemail/azure-audio-blobs';
import { blobName, ORPHAN_GRACE_MS, VoicemailStore, type NewVoicemail } from '../../../core/voicemail/voicemail-store';

let azurite: RunningAzurite;
let counter = 0;
const unique = () => `vm${process.pid}x${++counter}`;
const T0 = Date.parse('2026-12-05T10:00:00Z');

function parts(connectionString: string, prefix = unique(), timeoutMs = 5000) {
  const table = createAzureEntityTable({ connectionString, tableName: `${prefix}Voicemails`, timeoutMs });
  const blobs = createAzureAudioBlobs({ connectionString, containerName: `${prefix}-voicemail`, timeoutMs });
  return { table, blobs, containerName: `${prefix}-voicemail` };
}

function message(overrides: Partial<NewVoicemail> = {}): NewVoicemail {
  return {
    username: 'alice',
    sourceId: `c-${unique()}`,
    from: '+19195550100',
    receivedAtMs: T0,
    durationSeconds: 3,
    audio: Buffer.from(Array.from({ length: 48_000 }, (_, i) => (i * 7) % 256)),
    contentType: 'audio/wav',
    ...overrides,
  };
}

/** A port that accepts connections and never answers: storage that hangs. */
async function silentPort(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

before(async () => {
  azurite = await startAzurite({ blob: true });
});
after(async () => {
  await azurite?.stop();
});

describe('voicemail storage on Azurite', () => {
  it('stores the audio in a private container and reads it back byte for byte', async () => {
    const { table, blobs, containerName } = parts(azurite.connectionString);
    const store = new VoicemailStore(table, blobs, noopLogger);
    const saved = message();
    const { id } = await store.save(saved);
    const audio = await store.openAudio('alice', id);
    assert.equal(audio?.contentType, 'audio/wav');
    assert.equal(audio?.sizeBytes, saved.audio.byteLength);
    assert.deepEqual(await buffer(audio.stream), saved.audio);

    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      containerName,
    );
    const policy = await container.getAccessPolicy();
    assert.equal(policy.blobPublicAccess, undefined, 'no anonymous access to the container or its blobs');
    const anonymous = await fetch(container.getBlobClient(blobName('alice', id)).url);
    assert.ok(anonymous.status === 404 || anonymous.status === 403, `anonymous read: ${anonymous.status}`);
    await anonymous.body?.cancel();
  });

  it('takes the blob back when the row write fails after it, and the sweep removes a blob a stopped save left', async () => {
    const { table, blobs } = parts(azurite.connectionString);
    const { server, port } = await silentPort();
    try {
      // The same container, but the table is unreachable: the blob is written, the row times out.
      const deadTable = createAzureEntityTable({
        connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${azurite.connectionString.match(/AccountKey=([^;]+)/)![1]};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
        tableName: 'deadVoicemails',
        timeoutMs: 500,
      });
      const failing = new VoicemailStore(deadTable, blobs, noopLogger);
      await assert.rejects(failing.save(message()), (e) => isAppError(e) && e.code === 'storage-unavailable');
      assert.deepEqual(await blobs.list(), [], 'the save removed its blob');

      // A save stopped after its blob (the process ended): the blob alone, written straight.
      const stopped = message({ username: 'carol' });
      await blobs.put('carol/8219999999999000000000000', stopped.audio, 'audio/wav');
      const kept = await new VoicemailStore(table, blobs, noopLogger).save(message({ username: 'dave' }));
      const young = new VoicemailStore(table, blobs, noopLogger);
      assert.equal(await young.sweepOrphans(), 0, 'a young blob may be a save in flight');
      const later = new VoicemailStore(table, blobs, noopLogger, () => Date.now() + ORPHAN_GRACE_MS + 60_000);
      assert.equal(await later.sweepOrphans(), 1);
      assert.deepEqual(
        (await blobs.list()).map((b) => b.name),
        [blobName('dave', kept.id)],
      );
    } finally {
      server.close();
    }
  });

  it('deletes the row and the blob; a second delete finds nothing', async () => {
    const { table, blobs } = parts(azurite.connectionString);
    const store = new VoicemailStore(table, blobs, noopLogger);
    const { id } = await store.save(message());
    assert.equal(await store.delete('alice', id), true);
    assert.deepEqual(await blobs.list(), []);
    assert.deepEqual(await store.list('alice'), []);
    assert.equal(await store.delete('alice', id), false);
  });

  it('answers storage-unavailable within the timeout when Blob Storage does not answer', async () => {
    const { server, port } = await silentPort();
    try {
      const blobs = createAzureAudioBlobs({
        connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${azurite.connectionString.match(/AccountKey=([^;]+)/)![1]};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
        containerName: 'hung-voicemail',
        timeoutMs: 300,
      });
      const started = Date.now();
      await assert.rejects(blobs.open('alice/x'), (e) => isAppError(e) && e.code === 'storage-unavailable');
      assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
    } finally {
      server.close();
    }
  });
});
