// The app's upkeep sweeps voicemail blobs left without their message (a save stopped between its two writes),
// once they are older than the grace period, and keeps every blob that has its message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noopLogger } from '../../../core/log';
import { MemoryAudioBlobs } from '../../../core/voicemail/memory-audio-blobs';
import { blobName, ORPHAN_GRACE_MS, VoicemailStore } from '../../../core/voicemail/voicemail-store';
import { makeApp } from '../core/support/make-app';

test('runMaintenance sweeps a blob without its message after the grace period, and keeps complete messages', async () => {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const blobs = new MemoryAudioBlobs(() => now);
  const { app, tables, clock } = makeApp({ audioBlobs: blobs, now: () => now });
  const store = new VoicemailStore(tables.voicemails, blobs, noopLogger, () => now);
  const { id } = await store.save({
    username: 'alice',
    sourceId: 'c-kept',
    from: '+19195550100',
    receivedAtMs: now,
    durationSeconds: 2,
    audio: Buffer.from('RIFF'),
    contentType: 'audio/wav',
  });
  const orphan = blobName('alice', '8217453788000000123456789');
  await blobs.put(orphan, Buffer.from('RIFF'), 'audio/wav'); // its row was never written

  await app.runMaintenance();
  assert.equal(blobs.blobs.size, 2, 'young: it may be a save still in flight');

  now += ORPHAN_GRACE_MS + 1;
  clock.now = now;
  await app.runMaintenance();
  assert.deepEqual([...blobs.blobs.keys()], [blobName('alice', id)]);
  assert.deepEqual(
    (await store.list('alice')).map((v) => v.id),
    [id],
  );
});
