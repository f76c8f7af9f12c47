// The voicemail store over the in-memory table and blob twins: a row never exists without its blob, and a
// failure between the two writes (storage down, the process stopped) leaves at most a blob the sweep removes.
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { AppError, isAppError } from '../../../core/errors';
import { noopLogger } from '../../../core/log';
import { MemoryEntityTable } from '../../../core/storage/memory-entity-table';
import { MemoryAudioBlobs } from '../../../core/voicemail/memory-audio-blobs';
import {
  blobName,
  isVoicemailId,
  ORPHAN_GRACE_MS,
  VoicemailStore,
  type NewVoicemail,
} from '../../../core/voicemail/voicemail-store';

const T0 = Date.parse('2026-12-05T10:00:00Z');

function setup() {
  let clock = T0;
  const now = () => clock;
  const table = new MemoryEntityTable('voicemails');
  const blobs = new MemoryAudioBlobs(now);
  const store = new VoicemailStore(table, blobs, noopLogger, now);
  return { table, blobs, store, advance: (ms: number) => (clock += ms) };
}

function message(overrides: Partial<NewVoicemail> = {}): NewVoicemail {
  return {
    username: 'alice',
    sourceId: 'c-call1',
    from: '+19195550100',
    receivedAtMs: T0,
    durationSeconds: 3.4,
    audio: Buffer.from('RIFF-audio-1'),
    contentType: 'audio/wav',
    ...overrides,
  };
}

const storageDown = () => new AppError('storage-unavailable', 'Storage is unavailable. Try again shortly.');

describe('VoicemailStore', () => {
  it('saves the audio and the row, lists newest first, and opens the audio for its owner only', async () => {
    const { store } = setup();
    const first = await store.save(message());
    const second = await store.save(message({ sourceId: 'c-call2', receivedAtMs: T0 + 60_000, from: '+19195550111' }));
    assert.ok(isVoicemailId(first.id) && isVoicemailId(second.id));
    const list = await store.list('alice');
    assert.deepEqual(
      list.map((v) => [v.id, v.from, v.durationSeconds, v.read]),
      [
        [second.id, '+19195550111', 3, false],
        [first.id, '+19195550100', 3, false],
      ],
    );
    assert.equal(list[1]!.receivedAt, '2026-12-05T10:00:00.000Z');
    const audio = await store.openAudio('alice', first.id);
    assert.equal(audio?.contentType, 'audio/wav');
    assert.equal(await text(audio.stream), 'RIFF-audio-1');
    assert.equal(await store.openAudio('bob', first.id), undefined);
  });

  it('saves a repeated message once (same id, one row, one blob)', async () => {
    const { store, blobs } = setup();
    const first = await store.save(message());
    const again = await store.save(message());
    assert.deepEqual([first.created, again.created, again.id], [true, false, first.id]);
    assert.equal((await store.list('alice')).length, 1);
    assert.equal(blobs.blobs.size, 1);
  });

  it('takes the blob back when the row cannot be written: no audio without its message', async () => {
    const { store, table, blobs } = setup();
    table.create = async () => {
      throw storageDown();
    };
    await assert.rejects(store.save(message()), (e) => isAppError(e) && e.code === 'storage-unavailable');
    assert.equal(blobs.blobs.size, 0);
    assert.deepEqual(await store.list('alice'), []);
  });

  it('a save stopped between blob and row leaves only a blob, which the sweep removes after the grace period', async () => {
    const { store, table, blobs, advance } = setup();
    const realCreate = table.create.bind(table);
    const realDelete = blobs.delete.bind(blobs);
    // The process "stops" after the blob: neither the row nor the cleanup happens.
    table.create = async () => {
      throw storageDown();
    };
    blobs.delete = async () => {
      throw storageDown();
    };
    const { id: lostId } = await store.save(message()).then(
      () => assert.fail('the save must fail'),
      () => ({ id: [...blobs.blobs.keys()][0]!.split('/')[1]! }),
    );
    table.create = realCreate;
    blobs.delete = realDelete;
    assert.equal(blobs.blobs.size, 1);
    assert.deepEqual(await store.list('alice'), []);

    const kept = await store.save(message({ username: 'bob' })); // a complete message is never swept
    assert.equal(await store.sweepOrphans(), 0, 'a blob younger than the grace period may be a save in flight');
    advance(ORPHAN_GRACE_MS + 1);
    assert.equal(await store.sweepOrphans(), 1);
    assert.deepEqual([...blobs.blobs.keys()], [blobName('bob', kept.id)]);
    assert.equal((await store.list('bob')).length, 1);
    assert.equal(await store.openAudio('alice', lostId), undefined);
  });

  it('deletes the row first: a blob whose delete failed is swept, the message is gone at once', async () => {
    const { store, blobs, advance } = setup();
    const { id } = await store.save(message());
    const realDelete = blobs.delete.bind(blobs);
    blobs.delete = async () => {
      throw storageDown();
    };
    assert.equal(await store.delete('alice', id), true);
    assert.deepEqual(await store.list('alice'), []);
    assert.equal(await store.openAudio('alice', id), undefined);
    assert.equal(blobs.blobs.size, 1);
    blobs.delete = realDelete;
    advance(ORPHAN_GRACE_MS + 1);
    assert.equal(await store.sweepOrphans(), 1);
    assert.equal(blobs.blobs.size, 0);
    assert.equal(await store.delete('alice', id), false);
  });

  it('marks read and unread; an unknown message is undefined', async () => {
    const { store } = setup();
    const { id } = await store.save(message());
    assert.equal((await store.setRead('alice', id, true))?.read, true);
    assert.equal((await store.get('alice', id))?.read, true);
    assert.equal((await store.setRead('alice', id, false))?.read, false);
    assert.equal(await store.setRead('bob', id, true), undefined);
  });
});
